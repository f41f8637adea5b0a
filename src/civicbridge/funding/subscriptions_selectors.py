"""Reads of the alert pages and API: one's own subscriptions, the delivery log."""

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import OutgoingMail

from .models import Delivery, Subscription

# What the log says of a delivery: the state of its e-mail in the outbox.
STATE_LABELS = {
    "queued": _("queued"),
    "retrying": _("waiting to be tried again"),
    "pending": _("being sent"),
    "sent": _("sent"),
    "failed": _("failed"),
}
_MAIL = OutgoingMail.Status
STATE_FILTERS = {
    "queued": Q(mail__status=_MAIL.QUEUED, mail__attempts=0),
    "retrying": Q(mail__status=_MAIL.QUEUED, mail__attempts__gt=0),
    "pending": Q(mail__status=_MAIL.SENDING),
    "sent": Q(mail__status=_MAIL.SENT),
    "failed": Q(mail__status=_MAIL.FAILED),
}


def own_subscriptions(user) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(user=user)
        .select_related("funder", "territory", "thematic_area")
        .order_by("-created_at", "-id")
    )


def deliveries_for_log(*, call_identifier: str = "", state: str = "") -> QuerySet[Delivery]:
    """The delivery log, newest first, with what each row shows (call, person, alert, e-mail) in the same query."""
    deliveries = (
        Delivery.objects.select_related("call", "recipient", "subscription", "mail").order_by("-claimed_at", "-id")
    )
    if call_identifier:
        deliveries = deliveries.filter(call__identifier=call_identifier)
    if state in STATE_FILTERS:
        deliveries = deliveries.filter(STATE_FILTERS[state])
    return deliveries


def delivery_state(delivery: Delivery) -> str:
    """"queued", "retrying", "pending", "sent", "failed", or "" for a row whose e-mail is not in the outbox."""
    mail = delivery.mail
    if mail is None:
        return ""
    if mail.status == _MAIL.QUEUED:
        return "retrying" if mail.attempts else "queued"
    return {_MAIL.SENDING: "pending", _MAIL.SENT: "sent", _MAIL.FAILED: "failed"}[mail.status]


def delivery_reason(delivery: Delivery) -> str:
    """Why an e-mail waits or failed, in words a coordinator can act on, with the server's own answer."""
    mail = delivery.mail
    state = delivery_state(delivery)
    if state == "retrying":
        return _("The mail server could not take it (attempt %(attempts)s); next attempt %(when)s. It said: %(error)s") % {
            "attempts": mail.attempts, "error": mail.last_error,
            "when": formats.date_format(timezone.localtime(mail.next_attempt_at), "SHORT_DATETIME_FORMAT"),
        }
    if state == "failed":
        return _("Not delivered: %(error)s") % {"error": mail.last_error}
    if state == "":
        return _("No e-mail of this delivery is in the outbox (recorded before it, or removed from it).")
    return ""
