"""The support requests' writes: who may, what they refuse, what they record and who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from civicbridge.core.models import OutgoingMail
from civicbridge.support import services
from civicbridge.support.models import HistoryEntry, Message, SupportRequest, TimeEntry
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
Status = SupportRequest.Status


def file(by, organization, **fields):
    data = {"topic": "reporting", "subject": "Sprawozdanie z dotacji", "description": "Jak rozliczyć wkład osobowy?"}
    return services.create_request(by=by, organization=organization, **{**data, **fields})


def mails():
    return list(OutgoingMail.objects.order_by("pk"))


def recipients():
    return sorted(mail.to for mail in OutgoingMail.objects.all())


@pytest.fixture
def support_request(organization, representative):
    return file(representative, organization)


# --- filing ---------------------------------------------------------------------------------------


def test_a_representative_files_a_request_recorded_as_new(representative, organization, coordinator):
    support_request = file(representative, organization)

    assert support_request.status == Status.NEW
    assert support_request.created_by == representative
    assert support_request.assigned_to is None
    entry = support_request.history.get()
    assert (entry.kind, entry.new_status, entry.by) == (HistoryEntry.Kind.CREATED, Status.NEW, representative)


def test_every_coordinator_hears_of_a_new_request_while_nobody_is_assigned(representative, organization, coordinator):
    other_coordinator = UserFactory(is_coordinator=True, preferred_language="pl")
    UserFactory(is_coordinator=True, is_active=False)

    support_request = file(representative, organization, subject="Budżet oferty")

    assert recipients() == sorted([coordinator.email, other_coordinator.email])
    polish = OutgoingMail.objects.get(to=other_coordinator.email)
    assert polish.language == "pl"
    assert "Nowe zgłoszenie o wsparcie" in polish.subject
    assert support_request.get_absolute_url().replace("/en/", "/pl/") in polish.body
    assert organization.name in OutgoingMail.objects.get(to=coordinator.email).subject


@pytest.mark.parametrize("person", ["coordinator", "user", "stranger"])
def test_nobody_but_a_representative_files_and_nothing_is_written(person, coordinator, user, organization, municipality):
    people = {
        "coordinator": coordinator, "user": user,
        "stranger": MembershipFactory(organization=OrganizationFactory(territory=municipality)).user,
    }

    with pytest.raises(PermissionDenied):
        file(people[person], organization)

    assert not SupportRequest.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_bad_input_is_refused_with_a_message_per_field_and_nothing_is_written(representative, organization, coordinator):
    with pytest.raises(ValidationError) as refused:
        file(representative, organization, topic="gossip", subject="  ", description="\n")

    assert set(refused.value.message_dict) == {"topic", "subject", "description"}
    assert not SupportRequest.objects.exists()
    assert not HistoryEntry.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_control_characters_are_refused(representative, organization):
    with pytest.raises(ValidationError) as refused:
        file(representative, organization, description="Tekst\x02 z niewidocznym znakiem")

    assert "description" in refused.value.message_dict
    assert not SupportRequest.objects.exists()


def test_a_double_click_files_one_request(representative, organization):
    first = file(representative, organization)
    second = file(representative, organization)

    assert first.pk == second.pk
    assert SupportRequest.objects.count() == 1


def test_filing_a_request_grants_no_role(user, organization, representative):
    roles_before = representative.roles

    file(representative, organization)

    representative.refresh_from_db()
    assert representative.roles == roles_before
    assert not representative.is_coordinator
    assert not user.has_perm("support.view_request", SupportRequest.objects.get())


# --- the thread -------------------------------------------------------------------------------------


def test_an_office_reply_marks_the_request_answered_and_tells_every_representative(
    support_request, representative, coordinator, organization
):
    colleague = MembershipFactory(organization=organization, user=UserFactory(preferred_language="tr")).user
    OutgoingMail.objects.all().delete()

    message = services.post_message(by=coordinator, support_request=support_request, body="Wkład osobowy wykazujesz...")

    support_request.refresh_from_db()
    assert message.from_office
    assert support_request.status == Status.WAITING
    change = support_request.history.get(kind=HistoryEntry.Kind.STATUS)
    assert (change.old_status, change.new_status, change.by) == (Status.NEW, Status.WAITING, coordinator)
    assert recipients() == sorted([representative.email, colleague.email])
    turkish = OutgoingMail.objects.get(to=colleague.email)
    assert turkish.language == "tr" and "koordinasyon birimi" in turkish.subject.lower()
    assert "Wkład osobowy wykazujesz" in turkish.body


def test_the_organizations_reply_goes_to_the_assigned_coordinator_only_and_reopens_the_work(
    support_request, representative, coordinator
):
    other_coordinator = UserFactory(is_coordinator=True)
    services.assign(by=other_coordinator, support_request=support_request, coordinator=coordinator)
    services.post_message(by=coordinator, support_request=support_request, body="Proszę o budżet.")
    OutgoingMail.objects.all().delete()

    services.post_message(by=representative, support_request=support_request, body="Budżet w załączeniu.")

    support_request.refresh_from_db()
    assert support_request.status == Status.IN_PROGRESS
    assert recipients() == [coordinator.email]
    assert "Budżet w załączeniu." in OutgoingMail.objects.get().body


def test_the_organizations_reply_goes_to_every_coordinator_while_unassigned(support_request, representative, coordinator):
    other_coordinator = UserFactory(is_coordinator=True)
    OutgoingMail.objects.all().delete()

    services.post_message(by=representative, support_request=support_request, body="Czy mogę dopytać?")

    assert recipients() == sorted([coordinator.email, other_coordinator.email])
    # A message from the organization on a new request leaves it new.
    support_request.refresh_from_db()
    assert support_request.status == Status.NEW


def test_another_organizations_representative_cannot_write_in_the_thread(support_request, municipality):
    stranger = MembershipFactory(organization=OrganizationFactory(territory=municipality)).user

    with pytest.raises(PermissionDenied):
        services.post_message(by=stranger, support_request=support_request, body="Podglądam.")

    assert not Message.objects.exists()


def test_nobody_writes_in_a_closed_request(support_request, representative, coordinator):
    services.change_status(by=coordinator, support_request=support_request, status=Status.CLOSED)
    OutgoingMail.objects.all().delete()

    with pytest.raises(ValidationError) as refused:
        services.post_message(by=representative, support_request=support_request, body="Jeszcze jedno pytanie.")

    assert "body" in refused.value.message_dict
    assert not Message.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_an_empty_message_is_refused(support_request, representative):
    with pytest.raises(ValidationError) as refused:
        services.post_message(by=representative, support_request=support_request, body="   ")

    assert "body" in refused.value.message_dict
    assert not Message.objects.exists()


# --- the workflow -------------------------------------------------------------------------------------


def test_the_workflow_records_each_change_with_who_and_when(support_request, coordinator, representative):
    for status in (Status.IN_PROGRESS, Status.WAITING, Status.CLOSED, Status.IN_PROGRESS):
        services.change_status(by=coordinator, support_request=support_request, status=status)

    changes = list(support_request.history.filter(kind=HistoryEntry.Kind.STATUS).values_list(
        "old_status", "new_status", "by",
    ))
    assert changes == [
        (Status.NEW, Status.IN_PROGRESS, coordinator.pk),
        (Status.IN_PROGRESS, Status.WAITING, coordinator.pk),
        (Status.WAITING, Status.CLOSED, coordinator.pk),
        (Status.CLOSED, Status.IN_PROGRESS, coordinator.pk),
    ]
    assert all(entry.at for entry in support_request.history.all())
    # The organization heard of each change.
    assert OutgoingMail.objects.filter(to=representative.email).count() == 4


@pytest.mark.parametrize(("start", "target"), [
    (Status.NEW, Status.NEW),
    (Status.IN_PROGRESS, Status.NEW),
    (Status.CLOSED, Status.WAITING),
    (Status.CLOSED, Status.CLOSED),
    (Status.WAITING, "archived"),
])
def test_an_invalid_transition_is_refused_and_changes_nothing(support_request, coordinator, start, target):
    SupportRequest.objects.filter(pk=support_request.pk).update(status=start)
    support_request.refresh_from_db()
    OutgoingMail.objects.all().delete()

    with pytest.raises(ValidationError) as refused:
        services.change_status(by=coordinator, support_request=support_request, status=target)

    assert "status" in refused.value.message_dict
    support_request.refresh_from_db()
    assert support_request.status == start
    assert not support_request.history.filter(kind=HistoryEntry.Kind.STATUS).exists()
    assert not OutgoingMail.objects.exists()


def test_a_representative_cannot_change_the_status_assign_or_log_time(support_request, representative):
    with pytest.raises(PermissionDenied):
        services.change_status(by=representative, support_request=support_request, status=Status.CLOSED)
    with pytest.raises(PermissionDenied):
        services.assign(by=representative, support_request=support_request, coordinator=representative)
    with pytest.raises(PermissionDenied):
        services.log_time(by=representative, support_request=support_request, minutes=30)

    support_request.refresh_from_db()
    assert (support_request.status, support_request.assigned_to) == (Status.NEW, None)
    assert support_request.history.count() == 1
    assert not TimeEntry.objects.exists()


def test_an_assignment_is_recorded_and_the_assignee_told(support_request, coordinator):
    lead = UserFactory(is_coordinator=True, preferred_language="pl")
    OutgoingMail.objects.all().delete()

    services.assign(by=coordinator, support_request=support_request, coordinator=lead)
    services.assign(by=coordinator, support_request=support_request, coordinator=None)

    support_request.refresh_from_db()
    assert support_request.assigned_to is None
    assignments = list(support_request.history.filter(kind=HistoryEntry.Kind.ASSIGNED).values_list("assignee", "by"))
    assert assignments == [(lead.pk, coordinator.pk), (None, coordinator.pk)]
    assert recipients() == [lead.email]
    assert OutgoingMail.objects.get().language == "pl"


def test_a_request_is_assigned_to_coordinators_only(support_request, coordinator, representative):
    with pytest.raises(ValidationError) as refused:
        services.assign(by=coordinator, support_request=support_request, coordinator=representative)

    assert "assignee" in refused.value.message_dict
    support_request.refresh_from_db()
    assert support_request.assigned_to is None


# --- time spent --------------------------------------------------------------------------------------------


def test_time_is_logged_per_entry_and_summed(support_request, coordinator):
    other_coordinator = UserFactory(is_coordinator=True)
    services.log_time(by=coordinator, support_request=support_request, minutes=45, note="rozmowa telefoniczna")
    services.log_time(by=other_coordinator, support_request=support_request, minutes="30")

    from civicbridge.support import selectors

    assert selectors.request_detail(pk=support_request.pk).minutes_spent == 75
    assert TimeEntry.objects.aggregate(total=Sum("minutes"))["total"] == 75
    assert list(TimeEntry.objects.values_list("coordinator", flat=True).order_by("pk")) == [
        coordinator.pk, other_coordinator.pk,
    ]


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, "an hour", None])
def test_an_impossible_time_is_refused(support_request, coordinator, minutes):
    with pytest.raises(ValidationError) as refused:
        services.log_time(by=coordinator, support_request=support_request, minutes=minutes)

    assert "minutes" in refused.value.message_dict
    assert not TimeEntry.objects.exists()
