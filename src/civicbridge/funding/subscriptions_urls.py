"""Addresses of the call alerts, in the "funding" namespace.

They must come before the calls' ``calls/<identifier>/`` pattern, or "subscriptions"
would be taken for a call identifier: include them first in funding/urls.py:

    path("", include("civicbridge.funding.subscriptions_urls")),
"""

from django.urls import path

from . import subscriptions_views as views

urlpatterns = [
    path("calls/subscriptions/", views.subscription_list, name="subscription_list"),
    path("calls/subscriptions/<int:pk>/", views.subscription_update, name="subscription_update"),
    path("calls/subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("calls/subscribe/", views.subscribe, name="subscribe"),
    path("calls/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calls/deliveries/", views.delivery_log, name="delivery_log"),
]
