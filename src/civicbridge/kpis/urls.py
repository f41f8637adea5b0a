from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("kpis/", views.dashboard, name="dashboard"),
    path("kpis/targets/new/", views.target_form, name="target_create"),
    path("kpis/targets/<int:pk>/edit/", views.target_form, name="target_edit"),
    path("kpis/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
]
