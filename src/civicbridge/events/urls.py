from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/calendar/", views.event_calendar, name="event_calendar"),
    path("events/calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/registrations/", views.event_registrations, name="event_registrations"),
    path("events/<int:pk>/check-in/", views.event_checkin, name="event_checkin"),
    path("events/<int:pk>/check-in/<int:registration_pk>/", views.attendance_set, name="attendance_set"),
    path("events/<int:pk>/minutes/", views.event_minutes, name="event_minutes"),
    path("events/registrations/<uuid:token>/", views.registration_detail, name="registration_detail"),
    path("events/registrations/<uuid:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("events/registrations/<uuid:token>/certificate.pdf", views.certificate, name="certificate"),
]
