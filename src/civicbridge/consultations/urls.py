from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/bodies/", views.body_suggestions, name="body_suggestions"),
    path("consultations/my-remarks/", views.my_remarks, name="my_remarks"),
    path("consultations/minimum-durations/", views.minimum_durations, name="minimum_durations"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:pk>/consultation.ics", views.consultation_ics, name="consultation_ics"
    ),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path(
        "consultations/<int:pk>/publish/", views.consultation_publish, name="consultation_publish"
    ),
    path("consultations/<int:pk>/follow/", views.follow, name="follow"),
    path("consultations/<int:pk>/sections/", views.sections_manage, name="sections_manage"),
    path("consultations/<int:pk>/sections/import/", views.sections_import, name="sections_import"),
    path(
        "consultations/<int:pk>/sections/<int:section>/",
        views.section_detail,
        name="section_detail",
    ),
    path(
        "consultations/<int:pk>/sections/<int:section>/edit/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "consultations/<int:pk>/sections/<int:section>/remove/",
        views.section_remove,
        name="section_remove",
    ),
    path(
        "consultations/<int:pk>/sections/<int:section>/move/",
        views.section_move,
        name="section_move",
    ),
    path("consultations/<int:pk>/whole-act/", views.whole_act_remark, name="whole_act"),
    path("consultations/<int:pk>/remarks/<int:remark>/", views.remark_edit, name="remark_edit"),
    path(
        "consultations/<int:pk>/remarks/<int:remark>/hide/", views.remark_hide, name="remark_hide"
    ),
    path(
        "consultations/<int:pk>/remarks/<int:remark>/answer/",
        views.remark_answer,
        name="remark_answer",
    ),
    path("consultations/<int:pk>/answers/", views.answers, name="answers"),
    path(
        "consultations/<int:pk>/attachments/", views.attachments_manage, name="attachments_manage"
    ),
    path(
        "consultations/<int:pk>/attachments/<int:attachment>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("consultations/<int:pk>/report/", views.report, name="report"),
    path("consultations/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("consultations/<int:pk>/report/publish/", views.report_publish, name="report_publish"),
    path("consultations/<int:pk>/adopted-text/", views.adopted_text, name="adopted_text"),
    path("consultations/<int:pk>/comparison/", views.comparison, name="comparison"),
    path(
        "consultations/<int:pk>/remarks.<str:format>", views.export_remarks, name="export_remarks"
    ),
]
