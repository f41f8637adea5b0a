import datetime

import factory

from civicbridge.core.models import Territory
from civicbridge.partners import phases
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning
from civicbridge.partners.services import refresh_last_answers, request_search_document


class PartnerRequestFactory(factory.django.DjangoModelFactory):
    """Requests as the services store them, search column included; open, answers due in a month."""

    class Meta:
        model = PartnerRequest
        skip_postgeneration_save = True

    organization = factory.SubFactory("tests.directory.factories.OrganizationFactory")
    direction = PartnerRequest.Direction.SEEKING
    title = factory.Sequence(lambda n: f"Wymiana młodzieży Erasmus+ {n}")
    description = "Szukamy partnera do wymiany młodzieży o klimacie."
    role_sought = "partner"
    deadline = factory.LazyFunction(lambda: phases.today() + datetime.timedelta(days=30))

    @factory.post_generation
    def thematic_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.thematic_areas.set(extracted)

    @factory.post_generation
    def territories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.territories.set(extracted)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_document = request_search_document(obj)
        if create:
            obj.save(update_fields=["search_document"])


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    request = factory.SubFactory(PartnerRequestFactory)
    organization = factory.SubFactory("tests.directory.factories.OrganizationFactory")
    message = "Chętnie dołączymy: mamy doświadczenie w wymianach."

    @factory.post_generation
    def keep_last_answer(obj, create, extracted, **kwargs):
        # As the service that records an answer does: matching reads the organization's column.
        if create:
            refresh_last_answers([obj.organization_id])


def _opole():
    return Territory.objects.get(country="PL", level=Territory.Level.MUNICIPALITY, code="1661011")


class TwinningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Twinning

    territory = factory.LazyFunction(_opole)
    partner_city = factory.Sequence(lambda n: f"Partnerstadt {n}")
    partner_country = "DE"
    since = 1990


def make_call(*, identifier="ERASMUS-2026-KA220-YOU", opens_in_days=-10, closes_in_days=60, published=True):
    """A call for proposals of the funding app, as little as a partner request needs of it."""
    from django.utils import timezone

    from civicbridge.funding.models import Call, Funder, Programme

    funder, _ = Funder.objects.get_or_create(
        slug="european-commission", defaults={"name": "European Commission", "kind": Funder.Kind.EU}
    )
    programme, _ = Programme.objects.get_or_create(funder=funder, name="Erasmus+", defaults={"code": "ERASMUS"})
    now = timezone.now()
    return Call.objects.create(
        identifier=identifier, title=f"Cooperation partnerships ({identifier})", programme=programme,
        deadline_model=Call.DeadlineModel.SINGLE_STAGE,
        opens_at=now + datetime.timedelta(days=opens_in_days),
        closes_at=now + datetime.timedelta(days=closes_in_days),
        published_at=now - datetime.timedelta(days=20) if published else None,
    )
