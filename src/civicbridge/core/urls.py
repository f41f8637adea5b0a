from django.urls import path

from . import imports, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("imports/<slug:importer>/<slug:kind>/", imports.template_view, name="import_template"),
]
