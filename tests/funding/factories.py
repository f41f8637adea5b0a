"""Funders, programmes and calls as the services store them (search column, closes_at, one deadline)."""

from datetime import timedelta

import factory
from django.utils import timezone

from civicbridge.funding.models import Call, CallDeadline, Funder, Programme
from civicbridge.funding.services import call_search_document


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Test Funder {n}")
    slug = factory.Sequence(lambda n: f"test-funder-{n}")
    kind = Funder.Kind.EU
    time_zone = "Europe/Brussels"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Test Programme {n}")
    code = factory.Sequence(lambda n: f"TESTPROG{n}")
    period = "2021-2027"


class CallFactory(factory.django.DjangoModelFactory):
    """A published single-stage call, open now, with one deadline 30 days ahead.

    ``deadlines=[...]`` gives other deadlines (one per stage; [] for none), ``areas=`` and
    ``territories=`` its thematic areas and eligible territories.
    """

    class Meta:
        model = Call
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"TESTPROG-2027-CALL-{n:04d}")
    title = factory.Sequence(lambda n: f"Support for local civil society {n}")
    summary = "Grants for projects of associations and foundations."
    programme = factory.SubFactory(ProgrammeFactory)
    deadline_model = Call.DeadlineModel.SINGLE_STAGE
    opens_at = factory.LazyFunction(lambda: in_days(-10))
    currency = "EUR"
    published_at = factory.LazyFunction(lambda: in_days(-10))

    @factory.post_generation
    def deadlines(obj, create, extracted, **kwargs):
        moments = [in_days(30)] if extracted is None else list(extracted)
        if not create:
            return
        CallDeadline.objects.bulk_create(CallDeadline.stages_of(obj, moments))
        obj.closes_at = max(moments) if moments else None
        obj.search_document = call_search_document(obj)
        obj.save(update_fields=["closes_at", "search_document"])

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.thematic_areas.set(extracted)

    @factory.post_generation
    def territories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.eligible_territories.set(extracted)
