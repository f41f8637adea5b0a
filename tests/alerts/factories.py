"""Rows for the alert tests; calls are written directly (the calls services are not under test here)."""

from datetime import timedelta

import factory
from django.utils import timezone

from civicbridge.alerts.models import Subscription
from civicbridge.core.search import build_document
from civicbridge.funding.models import Call, CallDeadline, Funder, Programme
from tests.accounts.factories import UserFactory


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")
    slug = factory.Sequence(lambda n: f"funder-{n}")
    kind = Funder.Kind.EU


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    code = "CERV"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"CALL-{n:05d}")
    title = "Support for civil society organizations"
    summary = ""
    programme = factory.SubFactory(ProgrammeFactory)
    deadline_model = Call.DeadlineModel.SINGLE_STAGE
    published_at = factory.LazyFunction(timezone.now)
    search_document = factory.LazyAttribute(lambda o: build_document(o.title, o.summary))

    @factory.post_generation
    def territories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.eligible_territories.set(extracted)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.thematic_areas.set(extracted)

    @factory.post_generation
    def deadlines(obj, create, extracted, **kwargs):
        """A list of datetimes, one per stage."""
        if create and extracted:
            CallDeadline.objects.bulk_create(CallDeadline.stages_of(obj, extracted))
            obj.closes_at = max(extracted)
            obj.save(update_fields=["closes_at"])


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    alertable = "calls"
    name = factory.Sequence(lambda n: f"Alert {n}")
    frequency = Subscription.Frequency.INSTANT


def in_days(days: float):
    return timezone.now() + timedelta(days=days)
