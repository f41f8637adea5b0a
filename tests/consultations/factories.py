import datetime

import factory
from django.utils import timezone

from civicbridge.consultations.models import (
    Consultation,
    Remark,
    RemarkVersion,
    Section,
    SectionVersion,
)
from civicbridge.consultations.services import consultation_search_document
from tests.directory.factories import PublicBodyFactory


def _county():
    from civicbridge.core.models import Territory

    return Territory.objects.get(country="PL", code="1607")


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation of a resolution, open since yesterday for two weeks, open to all."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt uchwały w sprawie programu współpracy {n}")
    kind = Consultation.Kind.RESOLUTION
    issuing_body = factory.SubFactory(PublicBodyFactory)
    legal_basis = "Art. 5a ust. 1 ustawy o działalności pożytku publicznego i o wolontariacie."
    territory = factory.LazyFunction(_county)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda c: c.starts_at + datetime.timedelta(days=14))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sections(obj, create, extracted, **kwargs):
        if not create:
            return
        count = 3 if extracted is None else extracted
        for position in range(1, count + 1):
            SectionFactory(consultation=obj, position=position)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_document = consultation_search_document(obj)
        if create:
            obj.save(update_fields=["search_document"])


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory, sections=0)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda s: f"§ {s.position}")
    text = factory.LazyAttribute(
        lambda s: (
            f"Treść paragrafu {s.position}: organizacje pozarządowe uczestniczą w konsultacjach."
        )
    )

    @factory.post_generation
    def first_version(obj, create, extracted, **kwargs):
        if create:
            SectionVersion.objects.create(
                section=obj, number=1, label=obj.label, heading=obj.heading, text=obj.text
            )


def remark_on(
    section,
    *,
    author,
    organization=None,
    proposed_wording="Nowe brzmienie.",
    justification="Uzasadnienie.",
    **fields,
):
    """A remark as the service stores it (with its first version), written directly: for
    consultations whose phase no longer takes remarks through the service."""
    from civicbridge.core.markdown import render_markdown

    given = fields.pop("consultation", None)
    consultation = section.consultation if section else given
    remark = Remark.objects.create(
        consultation=consultation,
        section=section,
        section_version=SectionVersion.objects.get(section=section, number=section.version)
        if section
        else None,
        author=author,
        organization=organization,
        proposed_wording=proposed_wording,
        justification=justification,
        justification_html=str(render_markdown(justification)),
        submitted_at=fields.pop("submitted_at", timezone.now()),
        **fields,
    )
    RemarkVersion.objects.create(
        remark=remark,
        number=1,
        proposed_wording=proposed_wording,
        justification=justification,
        justification_html=remark.justification_html,
        organization=organization,
        created_at=remark.submitted_at,
    )
    return remark


def end(consultation, *, days_ago=1):
    """Move a consultation's end into the past (and its start before it)."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - datetime.timedelta(days=days_ago + 14),
        ends_at=now - datetime.timedelta(days=days_ago),
    )
    consultation.refresh_from_db()
    return consultation
