"""Reads of the alert pages and API: one's own subscriptions, the delivery log."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Subscription
from .tasks import CLAIM_PREFIX, INTERRUPTED, STALE_CLAIM

STATE_LABELS = {
    "sent": _("sent"),
    "pending": _("being sent"),
    "failed": _("failed"),
    "interrupted": _("interrupted"),
}


def own_subscriptions(user) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(user=user)
        .select_related("funder", "territory", "thematic_area")
        .order_by("-created_at", "-id")
    )


def _state_filter(state: str, now) -> Q:
    stale = now - STALE_CLAIM
    claimed = Q(sent_at__isnull=True, error__startswith=CLAIM_PREFIX)
    return {
        "sent": Q(sent_at__isnull=False),
        "pending": claimed & Q(claimed_at__gte=stale),
        "interrupted": Q(sent_at__isnull=True, error=INTERRUPTED) | (claimed & Q(claimed_at__lt=stale)),
        "failed": Q(sent_at__isnull=True) & ~Q(error="") & ~Q(error=INTERRUPTED) & ~Q(error__startswith=CLAIM_PREFIX),
    }[state]


def deliveries_for_log(*, call_identifier: str = "", state: str = "") -> QuerySet[Delivery]:
    """The delivery log, newest first, with what each row shows loaded in the same query."""
    deliveries = Delivery.objects.select_related("call", "subscription__user").order_by("-claimed_at", "-id")
    if call_identifier:
        deliveries = deliveries.filter(call__identifier=call_identifier)
    if state in STATE_LABELS:
        deliveries = deliveries.filter(_state_filter(state, timezone.now()))
    return deliveries


def delivery_state(delivery: Delivery, now=None) -> str:
    if delivery.sent_at:
        return "sent"
    if delivery.error.startswith(CLAIM_PREFIX):
        return "pending" if delivery.claimed_at >= (now or timezone.now()) - STALE_CLAIM else "interrupted"
    if delivery.error == INTERRUPTED:
        return "interrupted"
    return "failed"
