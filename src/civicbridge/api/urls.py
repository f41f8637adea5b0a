"""The REST API: the collections and views that apps register in ``core.registry``.

No domain app is named here: an app adds its collections in its AppConfig.ready()
(``api_collections``, ``api_paths``), so a new app needs no change in this package.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from civicbridge.api.views import NotFoundView, SchemaView
from civicbridge.core.registry import api_collections, api_paths


class Router(DefaultRouter):
    # No format suffixes (".json", ".api"): not in the contract, and ".api" would answer HTML.
    include_format_suffixes = False


router = Router()
for collection in api_collections:
    router.register(collection.prefix, collection.viewset, basename=collection.basename)

urlpatterns = [
    *(path(entry.route, entry.view, name=entry.name) for entry in api_paths),
    path("schema/", SchemaView.as_view(), name="api-schema"),
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
