import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from civicbridge.events import services as events
from civicbridge.events.models import Event
from civicbridge.kpis import demo, selectors, services
from civicbridge.kpis.models import Target
from tests.directory.factories import OrganizationFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a whole past year: every event of it is over


def at(month: int, day: int = 10, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour), timezone.get_default_timezone())


def held(organization, representative, *, kind=Event.Kind.MEETING, month=3, hours="3", territory=None, present=()):
    """An event of YEAR with people registered before it and marked present at it."""
    event = EventFactory(
        organizers=[organization], kind=kind, starts_at=timezone.now() + datetime.timedelta(days=3),
        hours=Decimal(hours), capacity=None, **({"territory": territory} if territory else {}),
    )
    registrations = [events.register(event=event, name=name, email=f"{name}@example.org") for name in present]
    Event.objects.filter(pk=event.pk).update(starts_at=at(month), ends_at=at(month, hour=13))
    event.refresh_from_db()
    for registration in registrations:
        registration.refresh_from_db()
        events.set_attendance(by=representative, registration=registration, attended=True)
    event.refresh_from_db()
    return event


@pytest.fixture
def year_of_events(organization, representative, county, other_county, municipality):
    held(organization, representative, month=3, territory=municipality, present=("anna", "jan", "ewa"))
    held(organization, representative, month=3, territory=other_county, present=("anna", "piotr"))
    held(organization, representative, kind=Event.Kind.TRAINING, month=5, hours="8", territory=county,
         present=("anna", "zofia"))
    # Neither counts: cancelled, unpublished, another year.
    EventFactory(organizers=[organization], starts_at=at(6), ends_at=at(6, hour=12), cancelled_at=timezone.now())
    EventFactory(organizers=[organization], starts_at=at(6), ends_at=at(6, hour=12), published_at=None)
    later = held(organization, representative, month=7, present=("anna",))
    Event.objects.filter(pk=later.pk).update(starts_at=at(7) + datetime.timedelta(days=365),
                                             ends_at=at(7, hour=13) + datetime.timedelta(days=365))
    # Written past the services (a year back in time): recounted as for an import of past events.
    events.rebuild_attendance_figures()


def test_the_years_events_are_counted_with_their_hours_and_participants(year_of_events, county, other_county):
    figures = selectors.events_dashboard(YEAR)

    total = figures["total"]
    assert (total.events, total.hours, total.training_hours, total.debate_hours) == (3, 14, 8, 6)
    assert total.participants == 7
    assert total.unique == 5  # anna, jan, ewa, piotr, zofia
    by_county = {row.key: row for row in figures["by_county"]}
    nyski = by_county[str(county.pk)]
    assert (nyski.events, nyski.participants, nyski.unique) == (2, 5, 4)  # a municipality's event counts in its county
    assert (by_county[str(other_county.pk)].events, by_county[str(other_county.pk)].unique) == (1, 2)
    by_kind = {row.key: row for row in figures["by_kind"]}
    assert (by_kind["meeting"].events, by_kind["meeting"].unique) == (2, 4)
    assert (by_kind["training"].hours, by_kind["training"].participants) == (8, 2)
    by_month = {row.key: row for row in figures["by_month"]}
    assert (by_month["3"].events, by_month["5"].events, by_month["6"].events) == (2, 1, 0)
    assert figures["counties_reached"] == 2


def test_targets_are_set_beside_the_actual_figures(year_of_events, coordinator):
    services.save_target(by=coordinator, data={
        "year": YEAR, "name_en": "Meetings", "kinds": "meeting", "events": 4, "hours": Decimal("12"),
        "participants": 10, "counties": 12,
    })

    [progress] = selectors.target_progress(YEAR)

    assert progress.rows == [
        ("events", 4, 2, 50), ("hours", Decimal("12.0"), Decimal("6"), 50), ("participants", 10, 5, 50),
        ("counties", 12, 2, 17),
    ]


def test_only_coordinators_set_targets_and_a_target_names_kinds_and_a_figure(representative, coordinator):
    with pytest.raises(PermissionDenied):
        services.save_target(by=representative, data={"year": YEAR, "name_en": "X", "kinds": "meeting", "events": 1})
    with pytest.raises(ValidationError):
        services.save_target(by=coordinator, data={"year": YEAR, "name_en": "X", "kinds": "party", "events": 1})
    with pytest.raises(ValidationError):
        services.save_target(by=coordinator, data={"year": YEAR, "name_en": "X", "kinds": "meeting"})
    assert not Target.objects.exists()


def test_the_page_and_the_api_give_the_same_figures(client, year_of_events):
    page = client.get(reverse("kpis:dashboard"), {"year": YEAR})
    api = APIClient().get("/api/v1/kpis/", {"year": YEAR})

    assert page.status_code == 200 and api.status_code == 200
    data = api.json()
    assert data["events"]["total"]["events"] == 3 and data["events"]["total"]["unique_participants"] == 5
    assert page.context["events"]["total"].participants == data["events"]["total"]["participants"] == 7


def test_a_year_that_is_not_one_is_refused_with_a_message(client):
    page = client.get(reverse("kpis:dashboard"), {"year": "twenty"})
    api = APIClient().get("/api/v1/kpis/", {"year": "1800"})

    assert page.status_code == 400 and "is not a year" in page.content.decode()
    assert api.status_code == 400 and "is not a year" in api.json()["year"][0]


def test_the_dashboard_reads_a_bounded_number_of_queries(client, organization, representative, django_assert_max_num_queries):
    for month in range(1, 13):
        held(organization, representative, month=month, present=(f"p{month}",))
    events.rebuild_attendance_figures()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("kpis:dashboard"), {"year": YEAR}).status_code == 200


def test_organizations_are_counted_per_county_from_the_registry(municipality, county):
    OrganizationFactory(territory=municipality, is_verified=True)
    OrganizationFactory(territory=county)

    rows = {row["label"]: row for row in selectors.organizations_by_county()}

    assert rows[county.name]["registered"] >= 2 and rows[county.name]["verified"] >= 1


@pytest.mark.parametrize(("profile", "targets"), [("opole", 2), ("orhangazi", 0)])
def test_the_demo_sets_the_opole_programmes_targets_only(profile, targets):
    demo.load(profile=profile, stdout=io.StringIO())

    assert Target.objects.count() == targets
    if targets:
        meetings = Target.objects.get(kinds="meeting")
        assert (meetings.events, meetings.hours, meetings.participants, meetings.counties) == (18, 54, 270, 12)


def test_the_chart_shows_the_counties_with_most_participants_and_the_table_all(
    client, year_of_events, county, other_county, monkeypatch
):
    monkeypatch.setattr(selectors, "CHART_COUNTIES", 1)

    figures = selectors.events_dashboard(YEAR)
    html = client.get(reverse("kpis:dashboard"), {"year": YEAR}).content.decode()

    assert [row.key for row in figures["chart_counties"]] == [str(county.pk)]  # 5 participants against 2
    assert len(figures["by_county"]) == 2
    assert "the county with the most" in html and other_county.name in html


def test_the_months_chart_names_the_months_in_the_pages_language(client):
    with translation.override("pl"):
        url = reverse("kpis:dashboard")

    page = client.get(url, {"year": YEAR}).content.decode()

    timeline = page[page.index('class="timeline"'):page.index("</svg>", page.index('class="timeline"'))]
    assert re.findall(r"<text[^>]*>([^<]*)</text>", timeline) == [
        "Sty", "Lut", "Mar", "Kwi", "Maj", "Cze", "Lip", "Sie", "Wrz", "Paź", "Lis", "Gru",
    ]
