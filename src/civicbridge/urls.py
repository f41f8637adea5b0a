from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from civicbridge.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("brand.css", core_views.brand_css, name="brand_css"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("civicbridge.api.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("civicbridge.accounts.urls")),
    path("", include("civicbridge.directory.urls")),
    # Before funding's: the alerts keep the old addresses calls/subscriptions/..., which
    # calls/<identifier>/ would otherwise take.
    path("", include("civicbridge.alerts.urls")),
    path("", include("civicbridge.funding.urls")),
    path("", include("civicbridge.partners.urls")),
    path("", include("civicbridge.projects.urls")),
    path("", include("civicbridge.events.urls")),
    path("", include("civicbridge.support.urls")),
    path("", include("civicbridge.consultations.urls")),
    path("", include("civicbridge.groups.urls")),
    path("", include("civicbridge.kpis.urls")),
    path("", include("civicbridge.core.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
