"""Addresses of the alerts, in the "alerts" namespace, and the ones they had under the calls.

The old addresses (``calls/subscriptions/``, ``calls/subscribe/``...) keep working: they
redirect permanently, method and query kept (308), to the new ones. The unsubscribe link
of every e-mail already sent (``calls/unsubscribe/<token>/``) is answered in place, not
redirected: mail programs unsubscribe with a one-click POST that need not follow a
redirect. They must come before the calls' ``calls/<identifier>/`` pattern, or
"subscriptions" would be taken for a call identifier: the root URLconf includes this
module before funding's.
"""

from django.shortcuts import redirect
from django.urls import path

from . import views

app_name = "alerts"

# The content alerts were of when their addresses lived under calls/.
LEGACY_ALERTABLE = "calls"


def moved(name: str, **fixed):
    """A view redirecting permanently to the named address, with its method and query string."""

    def view(request, **kwargs):
        response = redirect(name, permanent=True, preserve_request=True, **fixed, **kwargs)
        if request.META.get("QUERY_STRING"):
            response["Location"] += "?" + request.META["QUERY_STRING"]
        return response

    return view


urlpatterns = [
    path("alerts/", views.subscription_list, name="subscription_list"),
    path("alerts/<int:pk>/", views.subscription_update, name="subscription_update"),
    path("alerts/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("alerts/subscribe/<slug:alertable>/", views.subscribe, name="subscribe"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/deliveries/", views.delivery_log, name="delivery_log"),
    # Addresses from when the alerts were the calls' own.
    path("calls/subscriptions/", moved("alerts:subscription_list"), name="legacy_subscription_list"),
    path("calls/subscriptions/<int:pk>/", moved("alerts:subscription_update"), name="legacy_subscription_update"),
    path("calls/subscriptions/<int:pk>/delete/", moved("alerts:subscription_delete"),
         name="legacy_subscription_delete"),
    path("calls/subscribe/", moved("alerts:subscribe", alertable=LEGACY_ALERTABLE), name="legacy_subscribe"),
    path("calls/unsubscribe/<str:token>/", views.unsubscribe, name="legacy_unsubscribe"),
    path("calls/deliveries/", moved("alerts:delivery_log"), name="legacy_delivery_log"),
]
