from django.urls import path

from . import imports, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("privacy/", views.site_page, {"kind": "privacy"}, name="privacy"),
    path("accessibility/", views.site_page, {"kind": "accessibility"}, name="accessibility"),
    path("contact/", views.site_page, {"kind": "contact"}, name="contact"),
    path("pages/<slug:kind>/edit/", views.edit_site_page, name="edit_site_page"),
    path("imports/<slug:importer>/<slug:kind>/", imports.template_view, name="import_template"),
]
