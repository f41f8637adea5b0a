"""Consultations as alertable content: subscribers of a territory and a thematic area hear of
new consultations. ``apps.ConsultationsConfig.ready`` registers ``alertable()`` under
``services.ALERT_KEY``; publishing a consultation announces it after commit."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.deployment import zone_label
from civicbridge.core.registry import Alertable, AlertFacts


def consultation_facts(consultation) -> AlertFacts:
    from .services import consultation_search_document

    return AlertFacts(
        territory_paths=frozenset([consultation.territory.path])
        if consultation.territory_id
        else frozenset(),
        area_ids=frozenset(consultation.thematic_areas.values_list("id", flat=True)),
        document_forms=frozenset(consultation_search_document(consultation).split()),
    )


def published_consultations():
    from .models import Consultation

    return Consultation.objects.published().select_related("territory", "issuing_body")


def email_context(consultation) -> dict:
    return {"consultation": consultation, "zone_label": zone_label(timezone.get_default_timezone())}


def alertable() -> Alertable:
    from .models import Consultation

    return Alertable(
        model=Consultation,
        label=_("Consultations"),
        published=published_consultations,
        facts=consultation_facts,
        email_templates="consultations/email/alerts/",
        item_context=email_context,
        list_url_name="consultations:consultation_list",
        everything=_("All consultations"),
        digest_order=("ends_at", "pk"),
        unkept_filters={"status": _("Status"), "kind": _("Kind of act"), "body": _("Issuing body")},
    )
