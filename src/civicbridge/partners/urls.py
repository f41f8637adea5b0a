from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.request_list, name="request_list"),
    path("partners/new/", views.request_create, name="request_create"),
    path("partners/calls/", views.call_suggestions, name="call_suggestions"),
    path("partners/<int:pk>/", views.request_detail, name="request_detail"),
    path("partners/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("partners/<int:pk>/close/", views.request_close, name="request_close"),
    path("partners/<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("partners/<int:pk>/invite/", views.invitation_create, name="invitation_create"),
    path("partners/answers/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
    path("partners/for/<slug:slug>/", views.organization_requests, name="organization_requests"),
    path("twinning/", views.twinning_list, name="twinning_list"),
    path("twinning/new/", views.twinning_create, name="twinning_create"),
    path("twinning/<int:pk>/", views.twinning_detail, name="twinning_detail"),
    path("twinning/<int:pk>/edit/", views.twinning_edit, name="twinning_edit"),
    path("twinning/<int:pk>/delete/", views.twinning_delete, name="twinning_delete"),
]
