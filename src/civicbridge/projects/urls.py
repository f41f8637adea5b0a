from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.portfolio, name="portfolio"),
    path("projects/export.csv", views.export_csv, name="export_csv"),
    path("projects/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("projects/iati.xml", views.export_iati, name="export_iati"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/of/<slug:slug>/", views.organization_portfolio, name="organization_portfolio"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/move/", views.project_move, name="project_move"),
    path("projects/<int:pk>/sheet.pdf", views.project_sheet, name="project_sheet"),
    path("projects/<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("projects/<int:pk>/partners/<int:partner>/remove/", views.partner_remove, name="partner_remove"),
    path("projects/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("projects/<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("projects/<int:pk>/documents/", views.document_add, name="document_add"),
    path("projects/<int:pk>/documents/<int:document>/", views.document_download, name="document_download"),
    path("projects/<int:pk>/reports/new/<str:kind>/", views.report_create, name="report_create"),
    path("projects/<int:pk>/reports/<int:report>/", views.report_detail, name="report_detail"),
]
