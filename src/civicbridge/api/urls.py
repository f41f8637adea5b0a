from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from civicbridge.accounts.api import MeView, TokenView
from civicbridge.alerts import api as alerts_api
from civicbridge.api.views import NotFoundView
from civicbridge.core.api import TerritoryViewSet, ThematicAreaViewSet
from civicbridge.directory.api import OrganizationViewSet, PlenipotentiaryViewSet
from civicbridge.funding import api as funding_api
from civicbridge.partners import api as partners_api


class Router(DefaultRouter):
    # No format suffixes (".json", ".api"): not in the contract, and ".api" would answer HTML.
    include_format_suffixes = False


router = Router()
router.register("territories", TerritoryViewSet, basename="territory")
router.register("thematic-areas", ThematicAreaViewSet, basename="thematic-area")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("plenipotentiaries", PlenipotentiaryViewSet, basename="plenipotentiary")
funding_api.register(router)
alerts_api.register(router)
partners_api.register(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include(router.urls)),
    # Last: an address under the API that no route takes (an identifier of the wrong form, a
    # typo) is a JSON 404 like any other API error, not the site's HTML page. Only addresses
    # ending in a slash, so that Django's APPEND_SLASH redirect still finds the real routes.
    re_path(r"^[\s\S]*/$", NotFoundView.as_view()),
]
