from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("support/", views.request_list, name="request_list"),
    path("support/new/", views.request_create, name="request_create"),
    path("support/queue/", views.queue, name="queue"),
    path("support/<int:pk>/", views.request_detail, name="request_detail"),
    path("support/<int:pk>/messages/", views.message_create, name="message_create"),
    path("support/<int:pk>/status/", views.status_change, name="status_change"),
    path("support/<int:pk>/assignee/", views.assign, name="assign"),
    path("support/<int:pk>/time/", views.time_log, name="time_log"),
]
