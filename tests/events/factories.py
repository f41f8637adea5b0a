import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from civicbridge.events.models import Event
from civicbridge.events.services import county_of, event_search_document


class EventFactory(factory.django.DjangoModelFactory):
    """A published training a week ahead, three hours, 10 seats, registration open now."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Szkolenie z pisania ofert {n}")
    description = "Formularz oferty i kosztorys."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    hours = Decimal("3")
    venue = "Starostwo, sala 12"
    territory = factory.LazyFunction(lambda: _county())
    county = factory.LazyAttribute(lambda event: county_of(event.territory))
    capacity = 10
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organizers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organizers.set(extracted)

    @factory.post_generation
    def thematic_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.thematic_areas.set(extracted)

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        obj.search_document = event_search_document(obj)
        if create:
            obj.save(update_fields=["search_document"])


def _county():
    from civicbridge.core.models import Territory

    return Territory.objects.get(country="PL", code="1607")
