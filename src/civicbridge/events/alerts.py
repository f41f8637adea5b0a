"""Events as alertable content: subscribers of a territory and a thematic area hear of new events.

``apps.EventsConfig.ready`` registers ``alertable()`` under ``services.ALERT_KEY``; the events
services announce a publication after commit. Events import nothing of the alerts app.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.deployment import zone_label
from civicbridge.core.registry import Alertable, AlertFacts


def event_facts(event) -> AlertFacts:
    from .services import event_search_document

    return AlertFacts(
        territory_paths=frozenset([event.territory.path]) if event.territory_id else frozenset(),
        area_ids=frozenset(event.thematic_areas.values_list("id", flat=True)),
        document_forms=frozenset(event_search_document(event).split()),
    )


def published_events():
    from .models import Event

    return Event.objects.published().filter(cancelled_at__isnull=True).select_related("territory").prefetch_related("organizers")


def email_context(event) -> dict:
    return {"event": event, "zone_label": zone_label(timezone.get_default_timezone())}


def alertable() -> Alertable:
    from .models import Event

    return Alertable(
        model=Event,
        label=_("Events and trainings"),
        published=published_events,
        facts=event_facts,
        email_templates="events/email/alerts/",
        item_context=email_context,
        list_url_name="events:event_list",
        everything=_("All events"),
        digest_order=("starts_at", "pk"),
        unkept_filters={"when": _("When"), "kind": _("Kind"), "organizer": _("Organizer")},
    )
