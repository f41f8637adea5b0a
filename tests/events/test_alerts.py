"""New events reach the people who subscribed to their territory or thematic area, through the alerts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from civicbridge.alerts.models import Subscription
from civicbridge.events import services
from civicbridge.events.models import Event
from tests.accounts.factories import UserFactory
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # The alerts' task runs where it is enqueued (tests/alerts/conftest.py does the same).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def subscribe(territory=None, language="en", **values):
    return Subscription.objects.create(
        user=UserFactory(preferred_language=language), alertable="events", name="Szkolenia w regionie",
        territory=territory, frequency=Subscription.Frequency.INSTANT, **values,
    )


def publish(representative, organization, territory, django_capture_on_commit_callbacks, title="Szkolenie z RODO"):
    starts = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_event(by=representative, organizers=[organization], data={
            "kind": Event.Kind.TRAINING, "title": title, "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=4), "hours": Decimal("4"), "venue": "Urząd",
            "territory": territory,
        })


def test_subscribers_of_the_region_hear_of_a_new_event_in_its_county(
    representative, organization, region, county, other_county, django_capture_on_commit_callbacks
):
    in_region = subscribe(territory=region)
    in_polish = subscribe(territory=county, language="pl")
    elsewhere = subscribe(territory=other_county)

    event = publish(representative, organization, county, django_capture_on_commit_callbacks)

    by_address = {mail.to[0]: mail for mail in delivered()}
    assert set(by_address) == {in_region.user.email, in_polish.user.email}
    assert elsewhere.user.email not in by_address
    assert by_address[in_region.user.email].subject == f"New event: {event.title}"
    assert by_address[in_polish.user.email].subject.startswith("Nowe wydarzenie")
    assert f"/pl/events/{event.pk}/" in by_address[in_polish.user.email].body


def test_keywords_match_the_events_words(representative, organization, county, django_capture_on_commit_callbacks):
    fitting = subscribe(keywords="rodo")
    subscribe(keywords="sport")

    publish(representative, organization, county, django_capture_on_commit_callbacks)

    assert [mail.to[0] for mail in delivered()] == [fitting.user.email]


def test_a_draft_tells_nobody(representative, organization, county, django_capture_on_commit_callbacks):
    subscribe()
    starts = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_event(by=representative, organizers=[organization], publish=False, data={
            "kind": Event.Kind.MEETING, "title": "Szkic", "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2), "hours": Decimal("2"), "venue": "Urząd",
            "territory": county,
        })

    assert delivered() == []
