"""The Atom feed of new calls and the iCalendar of deadlines, checked by parsing them back."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from civicbridge.core.models import ThematicArea
from civicbridge.funding import services
from civicbridge.funding.models import Call
from tests.funding.factories import CallFactory, ProgrammeFactory, in_days

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = "/en/calls/feed/"
ICS_URL = "/en/calls/deadlines.ics"


def _entries(response):
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def _titles(response) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in _entries(response)]


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return [component for component in calendar.walk("VEVENT")]


# --- Atom ------------------------------------------------------------------------------------------


def test_the_feed_is_atom_with_the_newest_published_calls_first(client):
    CallFactory(identifier="OLDER", title="Older", published_at=in_days(-5))
    CallFactory(identifier="NEWER", title="Newer", published_at=in_days(-1))
    CallFactory(identifier="DRAFT", title="Draft", published_at=None)

    response = client.get(FEED_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert _titles(response) == ["NEWER: Newer", "OLDER: Older"]


def test_the_feed_reaches_the_server_in_one_piece(client):
    # A WSGI server sends each piece a response yields with a system call of its own.
    CallFactory.create_batch(3, published_at=in_days(-1))

    response = client.get(FEED_URL)

    assert len(list(response)) == 1
    assert len(_entries(response)) == 3


def test_a_feed_entry_links_to_the_call_and_carries_its_dates_funder_and_deadline(client):
    call = CallFactory(
        identifier="CERV-2027-CITIZENS-TOWN-TT", title="Town-twinning",
        summary="Meetings of **citizens**.", deadlines=[datetime(2027, 3, 2, 16, 0, tzinfo=UTC)],
        areas=[ThematicArea.objects.get(code="eu-civil-society-citizenship")],
    )

    entry = _entries(client.get(FEED_URL))[0]

    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(call.get_absolute_url()) and link.startswith("http://testserver/")
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == call.programme.funder.name
    summary = entry.find(f"{ATOM}summary").text
    assert "<strong>citizens</strong>" in summary
    assert "2027-03-02 17:00 (Brussels time)" in summary
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Civil society and citizenship"]


@pytest.mark.parametrize("count", [1, 6])
def test_the_feed_reads_its_entries_in_the_same_queries_however_many_there_are(
    client, django_assert_num_queries, count
):
    areas = list(ThematicArea.objects.order_by("code")[:2])
    for number in range(count):
        CallFactory(identifier=f"MANY-{number}", areas=areas, deadlines=[in_days(10), in_days(40)])

    # the calls with their programmes and funders, their deadlines, their areas' names
    with django_assert_num_queries(3):
        entries = _entries(client.get(FEED_URL))

    assert len(entries) == count
    assert all(len(entry.findall(f"{ATOM}category")) == 2 for entry in entries)


def test_the_feed_honours_the_lists_filters(client):
    programme = ProgrammeFactory()
    youth = ThematicArea.objects.get(code="eu-youth")
    CallFactory(identifier="YOUTH", programme=programme, areas=[youth])
    CallFactory(identifier="OTHER-FUNDER", areas=[youth])
    CallFactory(identifier="CLOSED", programme=programme, areas=[youth], opens_at=in_days(-60), deadlines=[in_days(-1)])

    response = client.get(FEED_URL, {"funder": programme.funder_id, "thematic_area": youth.pk, "status": "open"})

    assert [title.split(":")[0] for title in _titles(response)] == ["YOUTH"]
    link = ET.fromstring(response.content).find(f"{ATOM}link").get("href")
    assert f"funder={programme.funder_id}" in link


def test_the_feed_keeps_the_50_newest(client):
    for number in range(52):
        CallFactory(published_at=in_days(-number))

    assert len(_entries(client.get(FEED_URL))) == 50


def test_a_feed_with_bad_filters_is_empty_not_an_error(client):
    CallFactory()

    response = client.get(FEED_URL, {"amount_min": "lots"})

    assert response.status_code == 200
    assert _entries(response) == []


# --- iCalendar -------------------------------------------------------------------------------------


def test_the_calendar_has_one_event_per_deadline_ahead_with_a_stable_uid_in_utc(client):
    CallFactory(
        identifier="HORIZON-CL2-2027-TWO-two-stage", title="Two stages",
        deadline_model=Call.DeadlineModel.TWO_STAGE,
        deadlines=[datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC)],
        opens_at=in_days(-1),
    )

    response = client.get(ICS_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    assert [str(e["UID"]) for e in events] == [
        "HORIZON-CL2-2027-TWO-two-stage-stage-1@civicbridge", "HORIZON-CL2-2027-TWO-two-stage-stage-2@civicbridge",
    ]
    starts = [e.decoded("DTSTART") for e in events]
    assert starts == [datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC)]
    assert all(start.utcoffset() == timedelta(0) for start in starts)
    assert str(events[0]["SUMMARY"]) == "First stage: Two stages (HORIZON-CL2-2027-TWO-two-stage)"
    assert str(events[0]["URL"]).startswith("http://testserver/en/calls/HORIZON-CL2-2027-TWO-two-stage/")
    assert b"DTSTART:20270210T160000Z" in response.content


def test_the_calendar_leaves_out_drafts_and_closed_calls_and_has_no_alarm_unless_asked(client):
    CallFactory(identifier="OPEN")
    CallFactory(identifier="FORTHCOMING", opens_at=in_days(10), deadlines=[in_days(40)])
    CallFactory(identifier="DRAFT", published_at=None)
    CallFactory(identifier="CLOSED", opens_at=in_days(-40), deadlines=[in_days(-1)])
    CallFactory(identifier="CLOSED-EARLY", status_from_source="closed")

    events = _events(client.get(ICS_URL))

    assert sorted(str(e["UID"]).split("-stage-")[0] for e in events) == ["FORTHCOMING", "OPEN"]
    assert not any(e.walk("VALARM") for e in events)


def test_the_calendar_adds_an_alarm_days_before_when_asked(client):
    CallFactory()

    event = _events(client.get(ICS_URL, {"reminder": "7"}))[0]

    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == timedelta(days=-7)
    assert str(alarm["ACTION"]) == "DISPLAY"


def test_the_calendar_honours_the_lists_filters(client):
    programme = ProgrammeFactory()
    CallFactory(identifier="MINE", programme=programme)
    CallFactory(identifier="OTHER")

    events = _events(client.get(ICS_URL, {"programme": programme.pk}))

    assert [str(e["UID"]) for e in events] == ["MINE-stage-1@civicbridge"]


def test_a_moved_deadline_keeps_its_uid_and_raises_its_sequence(client, coordinator):
    call = CallFactory(identifier="MOVING")
    services.set_deadlines(call=call, by=coordinator, deadlines=[in_days(45)])

    event = _events(client.get(ICS_URL))[0]

    assert str(event["UID"]) == "MOVING-stage-1@civicbridge"
    assert event["SEQUENCE"] == 1


def test_one_calls_calendar_is_a_download_with_its_past_deadlines_too(client):
    call = CallFactory(
        identifier="CUTOFFS", deadline_model=Call.DeadlineModel.MULTIPLE_CUT_OFF, opens_at=in_days(-90),
        deadlines=[in_days(-30), in_days(60)],
    )

    response = client.get(f"/en/calls/{call.identifier}/deadlines.ics", {"reminder": "7"})

    assert response["Content-Disposition"] == 'attachment; filename="CUTOFFS.ics"'
    events = _events(response)
    assert [str(e["SUMMARY"]).split(":")[0] for e in events] == ["Cut-off 1", "Cut-off 2"]
    assert all(e.walk("VALARM") for e in events)


def test_a_drafts_calendar_is_not_found_by_visitors(client):
    call = CallFactory(published_at=None)

    assert client.get(f"/en/calls/{call.identifier}/deadlines.ics").status_code == 404


def test_the_contract_addresses_lead_to_the_feed_and_calendar(client):
    CallFactory()

    assert client.get("/calls/feed/", follow=True).status_code == 200
    assert client.get("/calls/deadlines.ics", follow=True)["Content-Type"].startswith("text/calendar")
