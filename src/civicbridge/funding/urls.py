from django.urls import path, register_converter

from civicbridge.core.converters import StoredTextConverter

from . import views

register_converter(StoredTextConverter, "identifier")

app_name = "funding"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/closing-soon/", views.closing_soon, name="closing_soon"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/import/", views.call_import, name="call_import"),
    path("calls/feed/", views.call_feed, name="call_feed"),
    path("calls/deadlines.ics", views.deadlines_ics, name="deadlines_ics"),
    path("calls/<identifier:identifier>/", views.call_detail, name="call_detail"),
    path("calls/<identifier:identifier>/edit/", views.call_edit, name="call_edit"),
    path("calls/<identifier:identifier>/publish/", views.call_publish, name="call_publish"),
    path("calls/<identifier:identifier>/deadlines.ics", views.call_deadlines_ics, name="call_deadlines_ics"),
    path("funders/", views.funder_list, name="funder_list"),
    path("funders/new/", views.funder_create, name="funder_create"),
    path("funders/<slug:slug>/edit/", views.funder_edit, name="funder_edit"),
    path("funders/<slug:slug>/programmes/new/", views.programme_create, name="programme_create"),
    path("funders/<slug:slug>/programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
]
