"""The calls as alertable content: what the alerts app needs to match, tell and remind of them.

``apps.FundingConfig.ready`` registers ``alertable()`` under ``KEY``; the calls services
call ``call_published(call)`` and ``deadlines_changed(call)`` after commit, which hand
the event to whoever listens (the alerts app enqueues its task: no matching and no
sending in the request). Funding imports nothing of the alerts app.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.registry import Alertable, AlertFacts, Reminder, alertables

KEY = "calls"


def call_published(call) -> None:
    """A call has just been published: its instant subscribers hear of it."""
    alertables.published(KEY, call)


def deadlines_changed(call) -> None:
    """A published call's deadlines changed (``deadlines_revision`` was bumped)."""
    if call.published_at is None:
        return
    alertables.changed(KEY, call, call.deadlines_revision)


def call_facts(call) -> AlertFacts:
    """A call's facts: its territories' paths and its areas (and its programme unless loaded)."""
    from .services import call_search_document

    return AlertFacts(
        funder_id=call.programme.funder_id,
        programme_id=call.programme_id,
        kinds=frozenset(call.kinds),
        territory_paths=frozenset(call.eligible_territories.values_list("path", flat=True)),
        area_ids=frozenset(call.thematic_areas.values_list("id", flat=True)),
        max_grant=call.max_grant,
        countries=frozenset(code for code in call.eligible_countries.split(",") if code),
        # Built from the call's current data, not read from its stored document: a funder or
        # programme renamed a moment ago matches by its new name before the reindex task runs.
        document_forms=frozenset(call_search_document(call).split()),
    )


def published_calls():
    from .models import Call

    return Call.objects.published().select_related("programme__funder").prefetch_related("deadlines")


def email_context(call) -> dict:
    from .selectors import shown_deadlines

    # Each deadline on the deployment's clock, and on the funder's where it differs.
    return {"call": call, "deadlines": shown_deadlines(call, timezone.now())}


def deadline_reminders(start: datetime, end: datetime):
    """The published calls' deadlines in [start, end], in time order: each one a reminder."""
    from .models import CallDeadline

    deadlines = (
        CallDeadline.objects.filter(deadline_at__gte=start, deadline_at__lte=end, call__published_at__isnull=False)
        .order_by("deadline_at", "pk")
    )
    for deadline in deadlines:
        yield Reminder(item_id=deadline.call_id, moment=deadline.deadline_at, context={"deadline": deadline})


def alertable() -> Alertable:
    from .models import Call

    return Alertable(
        model=Call,
        label=_("Calls for proposals"),
        published=published_calls,
        facts=call_facts,
        email_templates="funding/email/",
        item_context=email_context,
        list_url_name="funding:call_list",
        everything=_("All calls"),
        identifier_field="identifier",
        published_field="published_at",
        changed_field="deadlines_changed_at",
        revision=lambda call: call.deadlines_revision,
        change_name="deadlines",
        digest_order=(F("closes_at").asc(nulls_last=True), "pk"),
        reminders=deadline_reminders,
        applicant_countries=True,
        unkept_filters={
            "status": _("Status"), "deadline_from": _("Last deadline from"), "deadline_to": _("Last deadline until"),
        },
    )
