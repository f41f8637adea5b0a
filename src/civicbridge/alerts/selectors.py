"""Reads of the alert pages and API: one's own subscriptions, the delivery log."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import OutgoingMail
from civicbridge.core.registry import alertables
from civicbridge.core.rules import is_coordinator

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
        .select_related("funder", "programme", "territory", "thematic_area")
        .order_by("-created_at", "-id")
    )


def funders():
    """The funders a subscription may name (the model the ``funder`` criterion points to)."""
    return Subscription._meta.get_field("funder").related_model.objects.all()


def programmes():
    """The programmes a subscription may name (the model the ``programme`` criterion points to)."""
    return Subscription._meta.get_field("programme").related_model.objects.select_related("funder")


def deliveries_for_log(*, alertable: str = "", identifier: str = "", state: str = "") -> QuerySet[Delivery]:
    """The delivery log, newest first, with its person, alert and e-mail in the same query (items: ``with_items``).

    ``alertable`` narrows to one content; ``identifier`` to the items of it (or of every
    content) that people name so (a call's identifier).
    """
    deliveries = (
        Delivery.objects.select_related("recipient", "subscription", "mail").order_by("-claimed_at", "-id")
    )
    if alertable:
        deliveries = deliveries.filter(alertable=alertable)
    if identifier:
        named = Q(pk__in=[])
        for key, entry in alertables.entries.items():
            if (not alertable or key == alertable) and _names_an_item(entry, identifier):
                ids = entry.model.objects.filter(**{entry.identifier_field: identifier}).values("pk")
                named |= Q(alertable=key, item_id__in=ids)
        deliveries = deliveries.filter(named)
    if state in STATE_FILTERS:
        deliveries = deliveries.filter(STATE_FILTERS[state])
    return deliveries


def _names_an_item(entry, identifier: str) -> bool:
    """Whether ``identifier`` has the form of the content's identifiers (an event's number is no call's code)."""
    meta = entry.model._meta
    field = meta.pk if entry.identifier_field == "pk" else meta.get_field(entry.identifier_field)
    try:
        field.to_python(identifier)
    except ValidationError:
        return False
    return True


def with_items(deliveries) -> list[tuple[Delivery, object]]:
    """Each delivery with the item it told (None once deleted): one query per content on the page."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for delivery in deliveries:
        wanted[delivery.alertable].add(delivery.item_id)
    found = {
        key: alertables.get(key).model.objects.in_bulk(sorted(ids)) if key in alertables else {}
        for key, ids in wanted.items()
    }
    return [(delivery, found[delivery.alertable].get(delivery.item_id)) for delivery in deliveries]


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
            "when": formats.date_format(timezone.localtime(mail.next_attempt_at), "DATETIME_FORMAT"),
        }
    if state == "failed":
        return _("Not delivered: %(error)s") % {"error": mail.last_error}
    if state == "":
        return _("No e-mail of this delivery is in the outbox (recorded before it, or removed from it).")
    return ""


def occasion_label(occasion: str) -> str:
    """The occasion a person was told on, in words: "new", "digest of 1 December 2026",
    "reminder of the deadline 9 December 2026 12:00", "change 3"."""
    if occasion == "published":
        return str(_("newly published"))
    kind, _dash, rest = occasion.partition("-")
    try:
        if kind == "digest":
            day = datetime.date.fromisoformat(rest)
            return _("digest of %(day)s") % {"day": formats.date_format(day, "DATE_FORMAT")}
        if kind == "reminder":
            moment = datetime.datetime.strptime(rest, "%Y%m%d%H%M").replace(tzinfo=datetime.UTC)
            when = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
            return _("reminder of the deadline %(when)s") % {"when": when}
        if rest.isdigit():
            return _("change number %(revision)s") % {"revision": rest}
    except ValueError:
        pass
    return occasion


def profile_alerts(request) -> dict:
    """The account page's section: how many alerts the person keeps, and for coordinators the
    delivery log (one query)."""
    return {"count": Subscription.objects.filter(user=request.user).count(),
            "coordinator": is_coordinator(request.user)}


def personal_data(user) -> list[dict]:
    """The person's alerts with every filter they saved, for their download of their personal data.

    Each filter by the name the person chose it by (in the page's language), and where it is kept
    as a code (applicant kind, country, the territory's official code) by that code as well; an
    empty filter is ``None``.
    """
    from civicbridge.directory.models import Organization

    from .models import Subscription

    kinds = dict(Organization.Kind.choices)
    subscriptions = Subscription.objects.filter(user=user).select_related(
        "funder", "programme", "territory", "thematic_area"
    )
    return [
        {"name": s.name, "content": s.alertable, "words": s.keywords,
         "funder": s.funder.name if s.funder_id else None,
         "programme": str(s.programme) if s.programme_id else None,
         "applicant_kind": s.applicant_kind or None,
         "applicant_kind_name": str(kinds.get(s.applicant_kind, s.applicant_kind)) if s.applicant_kind else None,
         "country": s.country or None, "country_name": s.country_name or None,
         "territory": s.territory.name if s.territory_id else None,
         "territory_code": (s.territory.code or None) if s.territory_id else None,
         "thematic_area": s.thematic_area.name if s.thematic_area_id else None,
         "min_amount": str(s.min_amount) if s.min_amount is not None else None,
         "max_amount": str(s.max_amount) if s.max_amount is not None else None,
         "frequency": s.frequency, "remind_deadlines": s.remind_deadlines,
         "active": s.is_active, "created_at": s.created_at.isoformat()}
        for s in subscriptions.order_by("created_at", "pk")
    ]
