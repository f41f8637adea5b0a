from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/import/", views.organization_import, name="organization_import"),
    path("organizations/export.csv", views.organization_export_csv, name="organization_export_csv"),
    path("organizations/export.xlsx", views.organization_export_xlsx, name="organization_export_xlsx"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<slug:slug>/verify/", views.organization_verify, name="organization_verify"),
    path("organizations/<slug:slug>/claim/", views.organization_claim, name="organization_claim"),
    path("organizations/<slug:slug>/invite/", views.organization_invite, name="organization_invite"),
    path(
        "organizations/<slug:slug>/plenipotentiaries/new/", views.plenipotentiary_create,
        name="plenipotentiary_create",
    ),
    path("plenipotentiaries/", views.plenipotentiary_list, name="plenipotentiary_list"),
    path("plenipotentiaries/<int:pk>/edit/", views.plenipotentiary_edit, name="plenipotentiary_edit"),
]
