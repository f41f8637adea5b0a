import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicbridge.core.models import OutgoingMail
from civicbridge.events import services
from civicbridge.events.models import Event, Registration, RegistrationChange
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status


def guest(event, number, **extra):
    return services.register(event=event, name=f"Guest {number}", email=f"guest{number}@example.org", **extra)


def event_data(county, **changes):
    starts = timezone.now() + datetime.timedelta(days=10)
    return {
        "kind": Event.Kind.MEETING, "title": "Spotkanie konsultacyjne", "description": "Program współpracy",
        "starts_at": starts, "ends_at": starts + datetime.timedelta(hours=3), "hours": Decimal("3"),
        "venue": "Starostwo", "territory": county, "capacity": 20, **changes,
    }


# --- events ------------------------------------------------------------------------------------------


def test_a_representative_publishes_an_event_of_their_organization(representative, organization, county):
    event = services.create_event(by=representative, data=event_data(county), organizers=[organization])

    assert event.published_at is not None
    assert list(event.organizers.all()) == [organization]
    assert "konsultacyjne" in event.search_document


def test_nobody_organizes_in_the_name_of_an_organization_they_do_not_represent(representative, county, municipality):
    stranger_organization = OrganizationFactory(territory=municipality)

    with pytest.raises(PermissionDenied):
        services.create_event(by=representative, data=event_data(county), organizers=[stranger_organization])
    assert not Event.objects.exists()


def test_a_citizen_without_an_organization_cannot_add_an_event(user, county):
    with pytest.raises(PermissionDenied):
        services.create_event(by=user, data=event_data(county), organizers=[])


def test_an_event_that_ends_before_it_starts_is_refused_with_a_message(representative, organization, county):
    data = event_data(county)
    data["ends_at"] = data["starts_at"] - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError) as error:
        services.create_event(by=representative, data=data, organizers=[organization])
    assert "cannot end before it starts" in str(error.value.message_dict["ends_at"])
    assert not Event.objects.exists()


def test_more_hours_than_the_event_lasts_are_refused(representative, organization, county):
    with pytest.raises(ValidationError) as error:
        services.create_event(by=representative, data=event_data(county, hours=Decimal("30")), organizers=[organization])
    assert "hours" in error.value.message_dict


def test_seats_cannot_fall_below_the_people_holding_one(event, representative):
    guest(event, 1), guest(event, 2), guest(event, 3)

    with pytest.raises(ValidationError) as error:
        services.update_event(by=representative, event=event, data={"capacity": 2})
    assert "3 people already have a seat" in str(error.value.message_dict["capacity"])
    event.refresh_from_db()
    assert event.capacity == 10


def test_more_seats_move_the_waiting_list_up(last_seat, representative):
    guest(last_seat, 1), guest(last_seat, 2), guest(last_seat, 3)

    services.update_event(by=representative, event=last_seat, data={"capacity": 2})

    statuses = dict(last_seat.registrations.values_list("email", "status"))
    assert statuses == {"guest1@example.org": Status.CONFIRMED, "guest2@example.org": Status.CONFIRMED,
                        "guest3@example.org": Status.WAITING}


def test_another_organizations_representative_cannot_change_the_event(event, municipality):
    other = UserFactory()
    MembershipFactory(user=other, organization=OrganizationFactory(territory=municipality))

    with pytest.raises(PermissionDenied):
        services.update_event(by=other, event=event, data={"title": "Taken over"})


def test_cancelling_an_event_tells_everyone_registered_and_keeps_the_registrations(last_seat, representative):
    guest(last_seat, 1), guest(last_seat, 2)
    OutgoingMail.objects.all().delete()

    services.cancel_event(by=representative, event=last_seat, reason="Sala niedostępna")

    assert Registration.objects.filter(event=last_seat).count() == 2
    mails = OutgoingMail.objects.order_by("to")
    assert [mail.to for mail in mails] == ["guest1@example.org", "guest2@example.org"]
    assert all("Sala niedostępna" in mail.body for mail in mails)


def test_a_cancellation_needs_a_reason(event, representative):
    with pytest.raises(ValidationError):
        services.cancel_event(by=representative, event=event, reason="  ")
    event.refresh_from_db()
    assert event.cancelled_at is None


# --- registrations ----------------------------------------------------------------------------------------


def test_a_guest_gets_a_seat_and_a_confirmation_with_their_link(event):
    registration = guest(event, 1)

    assert registration.status == Status.CONFIRMED and registration.seat == 1
    mail = OutgoingMail.objects.get(to="guest1@example.org")
    assert str(registration.token) in mail.body


def test_past_the_seats_people_join_the_waiting_list_in_order(last_seat):
    first, second, third = guest(last_seat, 1), guest(last_seat, 2), guest(last_seat, 3)

    assert [first.status, second.status, third.status] == [Status.CONFIRMED, Status.WAITING, Status.WAITING]
    assert second.seat is None
    assert "waiting list" in OutgoingMail.objects.get(to="guest2@example.org").subject


def test_a_cancelled_seat_goes_to_the_first_person_waiting_who_is_told(last_seat):
    first, second, third = guest(last_seat, 1), guest(last_seat, 2), guest(last_seat, 3)

    services.cancel_registration(registration=first, token=first.token)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.seat) == (Status.CONFIRMED, 1)
    assert third.status == Status.WAITING
    assert OutgoingMail.objects.filter(to="guest2@example.org", subject__contains="seat is yours").exists()


def test_cancelling_never_loses_the_registration_or_its_history(last_seat):
    first = guest(last_seat, 1)
    guest(last_seat, 2)

    services.cancel_registration(registration=first, token=first.token)

    first.refresh_from_db()
    assert first.status == Status.CANCELLED and first.cancelled_at is not None
    changes = list(RegistrationChange.objects.filter(registration=first).values_list("status_from", "status_to"))
    assert changes == [("", Status.CONFIRMED), (Status.CONFIRMED, Status.CANCELLED)]


def test_a_stranger_cannot_cancel_someone_elses_registration(event, user):
    registration = guest(event, 1)

    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=registration, by=user)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=registration, token="00000000-0000-0000-0000-000000000000")
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_the_same_address_registers_once_while_its_registration_stands(event):
    guest(event, 1)

    with pytest.raises(ValidationError) as error:
        services.register(event=event, name="Again", email="GUEST1@example.org")
    assert "already registered" in str(error.value)
    assert event.registrations.count() == 1


def test_after_a_cancellation_the_same_address_may_register_again(event):
    first = guest(event, 1)
    services.cancel_registration(registration=first, token=first.token)

    again = guest(event, 1)

    assert again.status == Status.CONFIRMED
    assert event.registrations.count() == 2


def test_registration_is_refused_before_it_opens_and_after_it_closes(organization):
    later = EventFactory(organizers=[organization], registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    closed = EventFactory(organizers=[organization], registration_closes_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(ValidationError, match="not open yet"):
        guest(later, 1)
    with pytest.raises(ValidationError, match="closed"):
        guest(closed, 1)
    assert not Registration.objects.exists()


def test_an_unpublished_or_cancelled_event_takes_no_registration(organization):
    draft = EventFactory(organizers=[organization], published_at=None)
    cancelled = EventFactory(organizers=[organization], cancelled_at=timezone.now())

    with pytest.raises(ValidationError):
        guest(draft, 1)
    with pytest.raises(ValidationError):
        guest(cancelled, 1)


def test_bad_guest_details_are_refused_field_by_field(event):
    with pytest.raises(ValidationError) as error:
        services.register(event=event, name=" ", email="not-an-address")
    assert set(error.value.message_dict) == {"name", "email"}
    assert not Registration.objects.exists()


def test_a_signed_in_person_registers_as_themselves(event, user):
    registration = services.register(event=event, by=user, organization_name="Koło Gospodyń")

    assert registration.user == user and registration.email == user.email


# --- attendance, minutes, reminders ----------------------------------------------------------------------


def test_organizers_mark_attendance_from_the_event_day_only(event, representative):
    registration = guest(event, 1)

    with pytest.raises(ValidationError, match="day of the event"):
        services.set_attendance(by=representative, registration=registration, attended=True)

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    registration.refresh_from_db()
    services.set_attendance(by=representative, registration=registration, attended=True)
    registration.refresh_from_db()
    assert registration.attended_at is not None and registration.checked_in_by == representative


def test_only_organizers_take_attendance(event, user):
    registration = guest(event, 1)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    registration.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.set_attendance(by=user, registration=registration, attended=True)


def test_a_person_on_the_waiting_list_cannot_be_marked_present(last_seat, representative):
    guest(last_seat, 1)
    waiting = guest(last_seat, 2)
    Event.objects.filter(pk=last_seat.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    waiting.refresh_from_db()

    with pytest.raises(ValidationError, match="seat"):
        services.set_attendance(by=representative, registration=waiting, attended=True)


def test_minutes_are_added_once_the_event_has_started(event, representative):
    with pytest.raises(ValidationError):
        services.save_minutes(by=representative, event=event, minutes="Ustalenia")

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    event.refresh_from_db()
    services.save_minutes(by=representative, event=event, minutes="Ustalenia: **trzy** wnioski")
    event.refresh_from_db()
    assert "trzy" in event.minutes and event.minutes_added_at is not None


def test_reminders_go_once_to_people_with_a_seat_a_day_ahead(organization):
    soon = EventFactory(organizers=[organization], capacity=1,
                        starts_at=timezone.now() + datetime.timedelta(hours=20))
    guest(soon, 1)
    guest(soon, 2)  # waiting: no reminder
    OutgoingMail.objects.all().delete()

    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["guest1@example.org"]


def test_a_reminder_speaks_the_language_the_person_registered_in(organization):
    from django.utils import translation

    soon = EventFactory(organizers=[organization], starts_at=timezone.now() + datetime.timedelta(hours=20))
    with translation.override("pl"):
        guest(soon, 1)
    OutgoingMail.objects.all().delete()

    services.send_reminders()

    mail = OutgoingMail.objects.get()
    assert mail.language == "pl"


# --- the KPIs' figures ----------------------------------------------------------------------------------


def figures():
    from civicbridge.events.models import AttendeeCount

    counts = {(row.year, row.scope, row.key): row.people for row in AttendeeCount.objects.filter(people__gt=0)}
    attended = dict(Event.objects.values_list("pk", "attended_count"))
    return counts, attended


def test_attendance_figures_kept_by_the_service_equal_a_recount(organization, representative, municipality, county):
    meeting = EventFactory(organizers=[organization], kind=Event.Kind.MEETING, territory=municipality)
    training = EventFactory(organizers=[organization])
    people = [guest(meeting, n) for n in range(3)] + [guest(training, n) for n in range(2)]
    for event in (meeting, training):
        started(event)
    for registration in people:
        services.set_attendance(by=representative, registration=registration, attended=True)
    services.set_attendance(by=representative, registration=people[0], attended=False)

    kept = figures()
    services.rebuild_attendance_figures()

    assert kept == figures()
    counts, attended = kept
    year = services.event_year(meeting)
    assert attended == {meeting.pk: 2, training.pk: 2}
    # Guest 0 still attended the training; guest 1 was at both: three people in all.
    assert counts[(year, "all", "")] == 3
    assert counts[(year, "county", str(county.pk))] == 3  # a municipality's event counts in its county
    assert counts[(year, "kind", "meeting")] == 2 and counts[(year, "kind", "training")] == 2


def test_once_attendance_is_taken_the_event_keeps_its_county_kind_and_year(event, representative, other_county):
    registration = guest(event, 1)
    started(event)
    services.set_attendance(by=representative, registration=registration, attended=True)

    with pytest.raises(ValidationError, match="Attendance is already taken"):
        services.update_event(by=representative, event=event, data={"territory": other_county})
    services.update_event(by=representative, event=event, data={"title": "Nowy tytuł"})


def started(event):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    event.refresh_from_db()
    return event


def test_an_event_belongs_to_a_project_of_one_of_its_organizers(representative, organization, county, municipality):
    from tests.projects.factories import ProjectFactory

    own = ProjectFactory(lead_organization=organization)
    foreign = ProjectFactory(lead_organization=OrganizationFactory(territory=municipality))

    event = services.create_event(by=representative, data=event_data(county, project=own), organizers=[organization])
    with pytest.raises(ValidationError) as error:
        services.create_event(by=representative, data=event_data(county, project=foreign), organizers=[organization])

    assert event.project == own
    assert "project" in error.value.message_dict
    assert Event.objects.count() == 1


def event_figures():
    from civicbridge.events.models import EventFigure

    return {
        (row.year, row.month, row.county_key, row.kind): (row.events, row.hours, row.training_hours, row.participants)
        for row in EventFigure.objects.all()
        if row.events
    }


def test_the_dashboards_figures_kept_by_every_write_equal_a_recount(
    organization, representative, coordinator, county, other_county, municipality,
):
    # Today, still ahead: attendance may be taken at once (late at night, half an hour on is tomorrow).
    now = timezone.localtime()
    soon = min(now + datetime.timedelta(minutes=30), now.replace(hour=23, minute=59, second=59, microsecond=0))
    data = {
        "kind": Event.Kind.TRAINING, "title": "Szkolenie", "starts_at": soon, "ends_at": soon + datetime.timedelta(hours=3),
        "hours": Decimal("3"), "venue": "Sala 1", "territory": municipality, "capacity": 5,
    }
    training = services.create_event(by=representative, data=data, organizers=[organization])
    meeting = services.create_event(
        by=representative, data={**data, "kind": Event.Kind.MEETING, "title": "Spotkanie", "hours": Decimal("2")},
        organizers=[organization], publish=False,
    )
    later = services.create_event(
        by=representative,
        data={**data, "starts_at": soon + datetime.timedelta(days=40), "ends_at": soon + datetime.timedelta(days=40, hours=2)},
        organizers=[organization],
    )
    called_off = services.create_event(by=representative, data=data, organizers=[organization])
    assert not any(kind == "meeting" for (_year, _month, _county, kind) in event_figures())  # a draft counts nothing

    services.publish_event(by=representative, event=meeting)
    services.update_event(
        by=representative, event=later,
        data={"kind": Event.Kind.WORKSHOP, "territory": other_county, "hours": Decimal("5"), "starts_at": soon,
              "ends_at": soon + datetime.timedelta(hours=5)},
    )
    services.cancel_event(by=representative, event=called_off, reason="Choroba prowadzącego")
    present = [guest(training, n) for n in range(3)]
    for registration in present:
        services.set_attendance(by=representative, registration=registration, attended=True)
    services.set_attendance(by=representative, registration=present[0], attended=False)

    kept = event_figures()
    services.rebuild_attendance_figures()

    assert kept == event_figures()
    year, month = services.event_year(training), timezone.localtime(soon).month
    assert kept[(year, 0, county.pk, "training")] == (1, 3, 3, 2)  # the municipality's county; one unmarked
    assert kept[(year, 0, county.pk, "meeting")] == (1, 2, 0, 0)
    assert kept[(year, 0, other_county.pk, "workshop")] == (1, 5, 5, 0)  # moved: county, kind, hours and month
    assert kept[(year, month, 0, "training")] == (1, 3, 3, 2)  # the cancelled one left
    assert sum(events for events, *_rest in kept.values()) == 6  # three events, each in a county row and a month row


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_moving_the_same_figures_at_once_lose_nothing(organization, representative, municipality):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: the race needs PostgreSQL")
    soon = timezone.now() + datetime.timedelta(minutes=30)
    data = {
        "kind": Event.Kind.MEETING, "title": "Spotkanie", "starts_at": soon, "ends_at": soon + datetime.timedelta(hours=2),
        "hours": Decimal("2"), "venue": "Sala 1", "territory": municipality,
    }
    drafts = [
        services.create_event(by=representative, data=data, organizers=[organization], publish=False) for _ in range(8)
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def publish(event):
        try:
            barrier.wait()
            services.publish_event(by=representative, event=event)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(event,)) for event in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    kept = event_figures()
    services.rebuild_attendance_figures()
    assert kept == event_figures()
    assert kept[(services.event_year(drafts[0]), 0, municipality.parent_id, "meeting")][0] == 8
