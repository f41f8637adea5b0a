import datetime
import io
import threading

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from civicbridge.accounts.models import Membership
from civicbridge.core.rules import RuleAnswersMiddleware
from civicbridge.events import services
from civicbridge.events.models import Event, Registration
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status


def register_url(event):
    return reverse("events:event_register", kwargs={"pk": event.pk})


def started(event, hours_ago=1):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    event.refresh_from_db()
    return event


# --- lists and pages --------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_by_default_and_past_ones_on_request(client, organization):
    EventFactory(organizers=[organization], title="Przyszłe szkolenie")
    past = EventFactory(organizers=[organization], title="Dawne spotkanie")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3), ends_at=timezone.now() - datetime.timedelta(days=3)
    )

    upcoming = client.get(reverse("events:event_list")).content.decode()
    before = client.get(reverse("events:event_list"), {"when": "past"}).content.decode()

    assert "Przyszłe szkolenie" in upcoming and "Dawne spotkanie" not in upcoming
    assert "Dawne spotkanie" in before and "Przyszłe szkolenie" not in before


def test_drafts_are_hidden_from_visitors_but_not_from_their_organizers(client, organization, representative):
    draft = EventFactory(organizers=[organization], published_at=None, title="Szkic wydarzenia")

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Szkic wydarzenia" not in client.get(reverse("events:event_list")).content.decode()
    client.force_login(representative)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_member_lists_their_organizations_drafts_beside_the_published_events_and_no_one_elses(
    client, organization, representative, municipality
):
    EventFactory(organizers=[organization], published_at=None, title="Szkic wydarzenia")
    EventFactory(organizers=[OrganizationFactory(territory=municipality)], published_at=None, title="Cudzy szkic")
    EventFactory(organizers=[OrganizationFactory(territory=municipality)], title="Opublikowane szkolenie")
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(territory=municipality))

    client.force_login(representative)
    page = client.get(reverse("events:event_list")).content.decode()
    assert "Szkic wydarzenia" in page and "Opublikowane szkolenie" in page
    assert "Cudzy szkic" not in page
    assert "2 events" in page

    client.force_login(outsider)  # a member with no draft: the published events only
    page = client.get(reverse("events:event_list")).content.decode()
    assert "Opublikowane szkolenie" in page
    assert "Szkic wydarzenia" not in page and "Cudzy szkic" not in page


def test_filters_take_territory_codes_and_refuse_unknown_values(client, organization, county, other_county):
    EventFactory(organizers=[organization], title="W powiecie nyskim", territory=county)
    EventFactory(organizers=[organization], title="W powiecie brzeskim", territory=other_county)

    page = client.get(reverse("events:event_list"), {"territory": "1607"}).content.decode()
    bad = client.get(reverse("events:event_list"), {"kind": "party"})

    assert "W powiecie nyskim" in page and "W powiecie brzeskim" not in page
    assert "party" in bad.content.decode()


def test_the_list_reads_a_bounded_number_of_queries_whatever_its_length(client, organization, django_assert_max_num_queries):
    for _ in range(30):
        event = EventFactory(organizers=[organization])
        services.register(event=event, name="Anna", email=f"anna{event.pk}@example.org")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:event_list"))
    assert response.status_code == 200


def test_the_detail_page_reads_a_bounded_number_of_queries(client, event, django_assert_max_num_queries):
    for number in range(5):
        services.register(event=event, name="Anna", email=f"anna{number}@example.org")
    with django_assert_max_num_queries(8):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_pagination_keeps_the_filters(client, organization, county, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    for _ in range(3):
        EventFactory(organizers=[organization], territory=county)

    page = client.get(reverse("events:event_list"), {"territory": "1607"}).content.decode()

    assert "territory=1607&amp;page=2" in page or "page=2&amp;territory=1607" in page


def test_the_calendar_shows_the_events_of_the_month_asked(client, organization):
    starts = timezone.make_aware(datetime.datetime(2027, 3, 10, 10), timezone.get_default_timezone())
    EventFactory(organizers=[organization], title="Marcowe forum", starts_at=starts,
                 ends_at=starts + datetime.timedelta(hours=4))

    march = client.get(reverse("events:event_calendar"), {"month": "2027-03"}).content.decode()
    april = client.get(reverse("events:event_calendar"), {"month": "2027-04"}).content.decode()

    assert "Marcowe forum" in march and "Marcowe forum" not in april
    assert "month=2027-02" in march and "month=2027-04" in march


def test_the_calendar_shows_an_event_under_way_as_the_month_begins_first_and_on_each_of_its_days(client, organization):
    zone = timezone.get_default_timezone()
    camp = timezone.make_aware(datetime.datetime(2027, 2, 27, 9), zone)
    EventFactory(organizers=[organization], title="Obóz zimowy", starts_at=camp, ends_at=camp + datetime.timedelta(days=3))
    EventFactory(organizers=[organization], title="Marcowe forum",
                 starts_at=timezone.make_aware(datetime.datetime(2027, 3, 1, 8), zone),
                 ends_at=timezone.make_aware(datetime.datetime(2027, 3, 1, 12), zone))
    EventFactory(organizers=[organization], title="Lutowe spotkanie", starts_at=camp - datetime.timedelta(days=2),
                 ends_at=camp - datetime.timedelta(days=2, hours=-2))

    response = client.get(reverse("events:event_calendar"), {"month": "2027-03"})
    march = response.content.decode()

    assert "Lutowe spotkanie" not in march
    assert march.index("Obóz zimowy") < march.index("Marcowe forum")  # 1 March: the camp began first
    assert [event.title for event in response.context["events"]] == ["Obóz zimowy", "Marcowe forum"]
    second_of_march = next(day for week in response.context["weeks"] for day in week if day.day == datetime.date(2027, 3, 2))
    assert [event.title for event in second_of_march.events] == ["Obóz zimowy"]


def test_the_ics_feed_lists_upcoming_events_and_marks_cancelled_ones(client, organization):
    EventFactory(organizers=[organization], title="Forum")
    EventFactory(organizers=[organization], title="Odwołane", cancelled_at=timezone.now())

    response = client.get(reverse("events:calendar_ics"))

    calendar = Calendar.from_ical(response.content)
    items = {str(item["summary"]): str(item["status"]) for item in calendar.walk("VEVENT")}
    assert response["Content-Type"].startswith("text/calendar")
    assert items == {"Forum": "CONFIRMED", "Odwołane": "CANCELLED"}


# --- registering through the page ----------------------------------------------------------------------------


def test_a_guest_registers_and_lands_on_their_registration(client, event):
    response = client.post(register_url(event), {"name": "Ewa Nowak", "email": "ewa@example.org"}, follow=True)

    registration = Registration.objects.get()
    assert response.redirect_chain[-1][0] == registration.get_absolute_url()
    assert "Ewa Nowak" in response.content.decode()


def test_the_sign_up_form_names_the_only_organization_its_representative_represents(client, event, representative):
    client.force_login(representative)

    response = client.get(event.get_absolute_url())

    assert response.context["form"]["organization_name"].value() == representative.memberships.get().organization.name


def test_the_sign_up_form_leaves_the_organization_to_choose_for_a_representative_of_two(
    client, event, representative, municipality,
):
    MembershipFactory(user=representative, organization=OrganizationFactory(territory=municipality))
    client.force_login(representative)

    response = client.get(event.get_absolute_url())

    assert not response.context["form"]["organization_name"].value()


def test_the_sign_up_form_does_not_name_an_organization_whose_membership_is_pending(client, event, organization):
    person = UserFactory()
    MembershipFactory(user=person, organization=organization, status=Membership.Status.PENDING)
    client.force_login(person)

    response = client.get(event.get_absolute_url())

    assert not response.context["form"]["organization_name"].value()


def test_a_guest_with_a_bad_address_keeps_what_they_typed_and_nothing_is_saved(client, event):
    response = client.post(register_url(event), {"name": "Ewa Nowak", "email": "ewa-at-example"})

    assert response.status_code == 400
    assert 'value="Ewa Nowak"' in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_after_the_window_closed_is_refused_with_a_message(client, organization):
    closed = EventFactory(organizers=[organization], registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(register_url(closed), {"name": "Ewa", "email": "ewa@example.org"})

    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_guests_are_limited_per_hour_per_connection(client, organization, settings):
    settings.CIVICBRIDGE_EVENT_GUEST_REGISTRATIONS_PER_HOUR = 2
    event = EventFactory(organizers=[organization])
    for number in range(2):
        client.post(register_url(event), {"name": "Ewa", "email": f"ewa{number}@example.org"})

    response = client.post(register_url(event), {"name": "Ewa", "email": "ewa9@example.org"})

    assert response.status_code == 429
    assert event.registrations.count() == 2


def test_a_guest_cancels_from_the_link_of_their_e_mail_and_the_next_in_line_gets_the_seat(client, last_seat):
    first = services.register(event=last_seat, name="Ewa", email="ewa@example.org")
    second = services.register(event=last_seat, name="Jan", email="jan@example.org")

    client.post(reverse("events:registration_cancel", kwargs={"token": first.token}))

    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_an_unknown_registration_link_is_a_404(client):
    assert client.get("/en/events/registrations/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- organizers --------------------------------------------------------------------------------------------


def test_the_registrations_list_is_for_the_organizers_only(client, event, user, representative):
    services.register(event=event, name="Ewa", email="ewa@example.org")
    url = reverse("events:event_registrations", kwargs={"pk": event.pk})

    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(representative)
    response = client.get(url)
    assert response.status_code == 200 and "ewa@example.org" in response.content.decode()


def test_an_organizer_ticks_a_participant_present_from_a_phone_with_htmx(client, event, representative):
    registration = services.register(event=event, name="Ewa", email="ewa@example.org")
    started(event)
    client.force_login(representative)

    response = client.post(
        reverse("events:attendance_set", kwargs={"pk": event.pk, "registration_pk": registration.pk}),
        {"attended": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"checkin-{registration.pk}",
    )

    registration.refresh_from_db()
    assert registration.attended_at is not None
    body = response.content.decode()
    assert f'id="checkin-{registration.pk}"' in body and "<html" not in body


def test_attendance_of_another_events_registration_is_a_404(client, event, organization, representative):
    other = EventFactory(organizers=[organization])
    registration = services.register(event=other, name="Ewa", email="ewa@example.org")
    client.force_login(representative)

    response = client.post(
        reverse("events:attendance_set", kwargs={"pk": event.pk, "registration_pk": registration.pk}), {"attended": "1"},
    )

    assert response.status_code == 404


def test_another_organizations_representative_cannot_edit_the_event(client, event, municipality):
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=OrganizationFactory(territory=municipality))
    client.force_login(stranger)

    assert client.get(reverse("events:event_edit", kwargs={"pk": event.pk})).status_code == 403
    response = client.post(reverse("events:event_cancel", kwargs={"pk": event.pk}), {"reason": "nope"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.cancelled_at is None


def test_a_representative_adds_an_event_through_the_form(client, representative, organization, county):
    client.force_login(representative)
    starts = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=10, minute=0)
    response = client.post(reverse("events:event_create"), {
        "kind": "training", "title": "Szkolenie z RODO", "description": "", "venue": "Urząd Gminy",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "hours": "4", "territory": county.pk, "organizers": [organization.pk], "capacity": "15", "publish": "on",
    })

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.published_at is not None and event.capacity == 15
    assert timezone.localtime(event.starts_at).hour == 10


# --- certificates ------------------------------------------------------------------------------------------


def test_a_participant_present_at_a_training_downloads_a_certificate_with_the_hours(client, event, representative):
    registration = services.register(event=event, name="Zofia Kowalska", email="zofia@example.org")
    started(event)
    services.set_attendance(by=representative, registration=registration, attended=True)

    response = client.get(reverse("events:certificate", kwargs={"token": registration.token}))

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Zofia Kowalska" in text
    assert event.title in text
    assert "Hours of training: 3" in text


def test_no_certificate_without_attendance(client, event):
    registration = services.register(event=event, name="Zofia", email="zofia@example.org")

    assert client.get(reverse("events:certificate", kwargs={"token": registration.token})).status_code == 404


def test_a_certificate_speaks_the_language_of_the_registration(client, event, representative):
    client.post(f"/pl/events/{event.pk}/register/", {"name": "Zofia Kowalska", "email": "zofia@example.org"})
    registration = Registration.objects.get()
    started(event)
    services.set_attendance(by=representative, registration=registration, attended=True)

    response = client.get(reverse("events:certificate", kwargs={"token": registration.token}))

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Zaświadczenie" in text


# --- concurrency ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_taking_the_last_seat_at_once_one_gets_it_the_other_waits(organization):
    event = EventFactory(organizers=[organization], capacity=1)
    barrier, answers = threading.Barrier(2), []

    def register(number):
        client = Client()
        barrier.wait()
        try:
            answers.append(client.post(register_url(event), {"name": f"Person {number}", "email": f"p{number}@example.org"}))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(number,)) for number in (1, 2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    assert [answer.status_code for answer in answers] == [302, 302]
    statuses = sorted(event.registrations.values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.WAITING]
    assert event.registrations.filter(seat__isnull=False).count() == 1


def test_the_alert_link_carries_the_lists_territory_and_area_and_login_comes_back_to_it(client, organization, user):
    from urllib.parse import unquote

    page = client.get(reverse("events:event_list"), {"territory": "1607", "kind": "training"}).content.decode()
    client.force_login(user)
    signed_in = client.get(reverse("events:event_list"), {"territory": "1607", "kind": "training"}).content.decode()

    assert "/en/alerts/subscribe/events/?territory=1607&kind=training" in unquote(page)
    assert 'href="/en/alerts/subscribe/events/?territory=1607&amp;kind=training"' in signed_in
    # The kind goes along so that the alert page can say it does not keep it, not drop it unsaid.
    subscribe = client.get("/en/alerts/subscribe/events/", {"territory": "1607", "kind": "training"}).content.decode()
    assert "it does not keep these filters of the list: Kind." in subscribe


def test_upcoming_events_list_those_under_way_first_with_the_same_queries_as_without(
    client, organization, django_assert_num_queries
):
    from django.test.utils import CaptureQueriesContext

    ahead = [EventFactory(organizers=[organization], title=f"Ahead {n}") for n in range(3)]
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("events:event_list"))
    running = EventFactory(organizers=[organization], title="Under way now")
    Event.objects.filter(pk=running.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))

    with django_assert_num_queries(len(without.captured_queries)):
        page = client.get(reverse("events:event_list")).content.decode()

    assert page.index("Under way now") < page.index(ahead[0].title)


def test_events_under_way_come_in_start_order_then_those_ahead_and_the_count_holds_both(client, organization):
    # The two parts are read together (one pass where the database orders inside an aggregate,
    # PostgreSQL; two queries elsewhere): the same order and count either way.
    now = timezone.now()
    started = {}
    for title, hours_ago in (("Started 3h ago", 3), ("Started 1h ago", 1), ("Started 2h ago", 2)):
        event = EventFactory(organizers=[organization], title=title)
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - datetime.timedelta(hours=hours_ago), ends_at=now + datetime.timedelta(hours=5)
        )
        started[title] = event
    over = EventFactory(organizers=[organization], title="Over already")
    Event.objects.filter(pk=over.pk).update(
        starts_at=now - datetime.timedelta(hours=5), ends_at=now - datetime.timedelta(hours=1)
    )
    ahead = EventFactory(organizers=[organization], title="Ahead of us")

    response = client.get(reverse("events:event_list"))
    page = response.content.decode()
    titles = ["Started 3h ago", "Started 2h ago", "Started 1h ago", ahead.title]

    assert [page.index(title) for title in titles] == sorted(page.index(title) for title in titles)
    assert "Over already" not in page
    assert response.context["page"].paginator.count == 4
    assert [row["title"] for row in client.get("/api/v1/events/").json()["results"]] == titles


def test_the_past_list_counts_every_past_event_a_visitor_may_see_and_no_other(
    client, organization, representative, coordinator
):
    # Unfiltered, for a visitor, the count is the published events (kept by the database) less
    # those not over yet: drafts, events under way, ahead, and ended ones must all come out right.
    now = timezone.now()

    def event(title, *, starts, ends, **fields):
        made = EventFactory(organizers=[organization], title=title, **fields)
        Event.objects.filter(pk=made.pk).update(starts_at=now + starts, ends_at=now + ends)
        return made

    hour = datetime.timedelta(hours=1)
    for number in range(3):
        event(f"Ended {number}", starts=-(number + 5) * hour, ends=-(number + 2) * hour)
    event("Cancelled and ended", starts=-9 * hour, ends=-8 * hour, cancelled_at=now - 10 * hour)
    event("Under way", starts=-2 * hour, ends=2 * hour)
    event("Ahead", starts=20 * hour, ends=22 * hour)
    event("Ended draft", starts=-9 * hour, ends=-8 * hour, published_at=None)
    past = reverse("events:event_list") + "?when=past"

    response = client.get(past)
    assert response.context["page"].paginator.count == 4
    listed = response.content.decode()
    assert all(title in listed for title in ("Ended 0", "Ended 1", "Ended 2", "Cancelled and ended"))
    assert "Under way" not in listed and "Ahead" not in listed and "Ended draft" not in listed
    # Filtered, the list is counted as it is: the same answer.
    filtered = client.get(past + "&kind=" + Event.objects.first().kind)
    assert filtered.context["page"].paginator.count == Event.objects.published().filter(
        ends_at__lt=now, kind=Event.objects.first().kind).count()
    # An event that ends now moves from one side to the other at once.
    Event.objects.filter(title="Under way").update(ends_at=now - datetime.timedelta(minutes=1))
    assert client.get(past).context["page"].paginator.count == 5
    # Its organizer also sees the draft, not another organization's; the coordinator sees both.
    other = EventFactory(organizers=[OrganizationFactory()], title="Other draft", published_at=None)
    Event.objects.filter(pk=other.pk).update(starts_at=now - 9 * hour, ends_at=now - 8 * hour)
    client.force_login(representative)
    response = client.get(past)
    assert response.context["page"].paginator.count == 6 and "Ended draft" in response.content.decode()
    client.force_login(coordinator)
    assert client.get(past).context["page"].paginator.count == 7


def test_the_upcoming_list_counts_every_event_not_over_yet_a_reader_may_see_by_kind_or_not(
    client, organization, representative, coordinator, other_county
):
    # Unfiltered or by kind alone, those ahead from tomorrow on are the database's count by start
    # day and kind: today's, tomorrow's, later ones, drafts and moved events must all come out right.
    now = timezone.now()
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)

    def event(title, *, starts, hours=2, kind=Event.Kind.TRAINING, organizers=(organization,), **fields):
        made = EventFactory(organizers=list(organizers), title=title, kind=kind, **fields)
        Event.objects.filter(pk=made.pk).update(starts_at=now + starts, ends_at=now + starts + hours * hour)
        return made

    event("Under way", starts=-hour)
    event("Ended", starts=-3 * hour)
    event("Later today", starts=hour / 60, kind=Event.Kind.FAIR)
    event("Tomorrow", starts=day)
    event("Next month", starts=30 * day, kind=Event.Kind.STUDY_VISIT)
    event("Far ahead", starts=200 * day, kind=Event.Kind.FAIR)
    event("Own draft", starts=2 * day, published_at=None)
    event("Other draft", starts=3 * day, published_at=None, organizers=[OrganizationFactory()])
    moved = event("Moved to the past", starts=5 * day)
    Event.objects.filter(pk=moved.pk).update(starts_at=now - 5 * day, ends_at=now - 5 * day + hour)  # a bulk update
    Event.objects.filter(title="Far ahead").update(kind=Event.Kind.MEETING)  # another kind, the same day
    address = reverse("events:event_list")

    def counted(**query) -> int:
        response = client.get(address, query)
        api = client.get("/api/v1/events/", query).json()
        assert api["count"] == response.context["page"].paginator.count
        return api["count"]

    published = {"Under way", "Later today", "Tomorrow", "Next month", "Far ahead", "In Brzeg"}
    event("In Brzeg", starts=4 * day, territory=other_county)
    assert counted() == len(published)
    # Any other filter is counted as it is: not the database's count of every county.
    assert counted(territory=other_county.code) == 1
    assert counted(territory=other_county.code, kind=Event.Kind.TRAINING) == 1
    assert counted(kind=Event.Kind.TRAINING) == 3  # under way, tomorrow and in Brzeg
    assert counted(kind=[Event.Kind.FAIR, Event.Kind.STUDY_VISIT]) == 2
    assert counted(kind=Event.Kind.MEETING) == 1 and counted(kind=Event.Kind.SEMINAR) == 0
    # A kind's name is no pattern: "study_visit" does not count a kind of that shape.
    assert counted(kind=Event.Kind.STUDY_VISIT) == 1
    client.force_login(representative)  # the organizer: its own draft too
    assert counted() == len(published) + 1 and counted(kind=Event.Kind.TRAINING) == 4
    client.force_login(coordinator)  # every draft
    assert counted() == len(published) + 2
    # Published, withdrawn, deleted: the next page counts it at once.
    Event.objects.filter(title="Other draft").update(published_at=now)
    Event.objects.filter(title="Tomorrow").update(published_at=None)
    Event.objects.filter(title="Next month").delete()
    client.logout()
    assert counted() == len(published) - 1
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(address, {"kind": Event.Kind.FAIR})
    counting = [query["sql"] for query in queries if "core_rowcount" in query["sql"]]
    assert len(counting) == 1
    if connection.vendor == "postgresql":  # and those under way, in the same statement
        assert "string_agg" in counting[0]


def test_past_events_of_a_county_page_newest_first_with_the_rows_read_by_id(
    client, organization, county, municipality, other_county, settings, django_assert_max_num_queries
):
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    now = timezone.now()
    for number in range(8):
        for territory in (municipality, other_county):
            made = EventFactory(organizers=[organization], territory=territory, title=f"{territory.code} {number}")
            Event.objects.filter(pk=made.pk).update(
                starts_at=now - datetime.timedelta(days=number + 1), ends_at=now - datetime.timedelta(days=number + 1)
            )
    address = reverse("events:event_list")
    seen = []
    for page in (1, 2, 3):
        with django_assert_max_num_queries(12):
            response = client.get(address, {"when": "past", "territory": county.code, "page": page})
        seen += [event.title for event in response.context["events"]]
    assert seen == [f"{municipality.code} {number}" for number in range(8)]  # newest first, none twice, none missed
    assert response.context["page"].paginator.count == 8
    api = client.get("/api/v1/events/", {"when": "past", "territory": county.code}).json()
    assert api["count"] == 8 and [row["title"] for row in api["results"]][:3] == seen[:3]


def test_an_organizers_page_asks_once_who_organizes_and_shows_every_button(client, event, representative):
    """The page asks "change", "manage" and "cancel", all three of one question about the
    organizers: asked once in the request."""
    client.force_login(representative)
    client.get(event.get_absolute_url())  # the session and the language settle first

    with CaptureQueriesContext(connection) as queries:
        page = client.get(event.get_absolute_url()).content.decode()

    organizers_asked = [  # does one of the viewer's organizations organize it?
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM "accounts_membership"') and "events_event_organizers" in q["sql"]
    ]
    assert len(organizers_asked) == 1, organizers_asked
    assert reverse("events:event_edit", args=[event.pk]) in page
    assert reverse("events:event_registrations", args=[event.pk]) in page


def test_a_right_asked_in_a_request_follows_a_change_of_organizers_in_it(event, organization, representative):
    """Who organizes an event is asked once per request, and asked again when its organizers
    change in that request: the rights a page shows after the change are those it left."""
    other = OrganizationFactory()
    answers = []

    def view(request):
        answers.append(representative.has_perm("events.change_event", event))
        event.organizers.set([other])
        answers.append(representative.has_perm("events.change_event", event))
        event.organizers.add(organization)
        answers.append(representative.has_perm("events.change_event", event))
        return HttpResponse()

    RuleAnswersMiddleware(view)(RequestFactory().get("/"))

    assert answers == [True, False, True]
