"""Each profile's demo events: its own country's counties and language, past ones with attendance."""

import io

import pytest
from django.utils import timezone

from civicbridge.directory import demo as directory_demo
from civicbridge.events import demo
from civicbridge.events.models import Event, Registration

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("profile", "country", "language"), [("opole", "PL", "pl"), ("orhangazi", "TR", "tr")])
def test_the_demo_loads_its_profiles_events_once(profile, country, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    count = Event.objects.count()
    demo.load(profile=profile, stdout=out)

    assert count == Event.objects.count() == len(demo.SPECS[profile]())
    assert "skipped" not in out.getvalue()
    assert set(Event.objects.values_list("territory__country", flat=True)) == {country}
    assert all(text.endswith(demo.DEMO_NOTE[language]) for text in Event.objects.values_list("description", flat=True))
    now = timezone.now()
    past = Registration.objects.filter(event__ends_at__lt=now)
    assert past.filter(attended_at__isnull=False).exists()
    assert not Registration.objects.filter(event__ends_at__gte=now, attended_at__isnull=False).exists()
    assert Registration.objects.filter(status=Registration.Status.WAITING).exists() == (profile == "opole")
    assert demo.loaded_profiles() == {profile}
