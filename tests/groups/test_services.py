import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicbridge.core.models import OutgoingMail
from civicbridge.events.models import Event
from civicbridge.groups import services
from civicbridge.groups.models import (
    Member,
    MemberChange,
    Post,
    Sector,
    Stage,
    StageChange,
    Standard,
)
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.events.factories import EventFactory

from .conftest import pdf

pytestmark = pytest.mark.django_db


def meeting_data(territory, **extra):
    starts = timezone.now() + datetime.timedelta(days=5)
    return {
        "title": "Posiedzenie zespołu",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "venue": "Urząd, sala 101",
        "territory": territory,
        "description": "Porządek obrad",
        **extra,
    }


# --- groups and members ------------------------------------------------------------------------------------


def test_a_coordinator_creates_a_group_and_renders_its_purpose_once(coordinator):
    group = services.create_group(
        by=coordinator, name=" Zespół ds. partnerstw ", purpose="**Cel** <script>x</script>"
    )

    assert group.name == "Zespół ds. partnerstw"
    assert "<strong>Cel</strong>" in group.purpose_html and "<script" not in group.purpose_html


def test_nobody_but_a_coordinator_creates_a_group(officer):
    with pytest.raises(PermissionDenied):
        services.create_group(by=officer, name="Zespół", purpose="Cel")


def test_a_group_needs_a_name_and_a_purpose(coordinator):
    with pytest.raises(ValidationError) as error:
        services.create_group(by=coordinator, name=" ", purpose="")
    assert set(error.value.message_dict) == {"name", "purpose"}


def test_appointing_records_who_and_when_and_takes_the_sector_of_the_organization(
    group, coordinator, officer, public_body, activist, ngo
):
    official = services.appoint_member(
        by=coordinator, group=group, user=officer, organization=public_body
    )
    citizen = services.appoint_member(by=coordinator, group=group, user=activist, organization=ngo)

    assert official.sector == Sector.PUBLIC and citizen.sector == Sector.NGO
    change = MemberChange.objects.get(member=official)
    assert change.action == MemberChange.Action.APPOINTED and change.by == coordinator and change.at


def test_a_member_sits_only_for_an_organization_they_represent(group, coordinator, officer, ngo):
    with pytest.raises(ValidationError) as error:
        services.appoint_member(by=coordinator, group=group, user=officer, organization=ngo)
    assert "does not represent" in error.value.message_dict["organization"][0]
    assert not Member.objects.exists()


def test_a_membership_still_waiting_gives_no_seat(group, coordinator, ngo):
    person = UserFactory()
    MembershipFactory(user=person, organization=ngo, status="pending")
    with pytest.raises(ValidationError):
        services.appoint_member(by=coordinator, group=group, user=person, organization=ngo)


def test_nobody_but_a_coordinator_appoints(group, chair, activist, ngo, officer):
    with pytest.raises(PermissionDenied):
        services.appoint_member(by=officer, group=group, user=activist, organization=ngo)
    with pytest.raises(PermissionDenied):
        services.appoint_member(by=activist, group=group, user=activist, organization=ngo)
    assert group.members.count() == 1


def test_a_person_is_appointed_once(group, coordinator, member, activist, ngo):
    with pytest.raises(ValidationError):
        services.appoint_member(by=coordinator, group=group, user=activist, organization=ngo)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            group=group, user=activist, organization=ngo, sector="ngo", joined_at=timezone.now()
        )


def test_a_new_chair_replaces_the_old_one_who_stays_a_member(group, coordinator, chair, member):
    services.set_chair(by=coordinator, member=member)

    chair.refresh_from_db()
    member.refresh_from_db()
    assert member.is_chair and not chair.is_chair and chair.left_at is None
    actions = list(MemberChange.objects.filter(member=chair).values_list("action", flat=True))
    assert actions == ["appointed", "chair", "chair_removed"]


def test_the_database_holds_one_chair_per_group(group, chair, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(is_chair=True)


def test_a_member_who_leaves_keeps_their_row_and_their_posts(group, coordinator, member):
    post = services.add_post(by=member.user, group=group, body="Proponuję zmianę w § 3.")

    services.remove_member(by=coordinator, member=member)

    member.refresh_from_db()
    assert member.left_at is not None
    assert Post.objects.get(pk=post.pk).member == member
    assert list(member.changes.values_list("action", "by")) == [
        ("appointed", coordinator.pk),
        ("removed", coordinator.pk),
    ]
    with pytest.raises(PermissionDenied):
        services.add_post(by=member.user, group=group, body="Jeszcze jedno")


def test_removing_the_chair_records_both_removals(group, coordinator, chair):
    services.remove_member(by=coordinator, member=chair)
    assert list(chair.changes.values_list("action", flat=True)) == [
        "appointed",
        "chair",
        "chair_removed",
        "removed",
    ]


def test_a_member_cannot_remove_another(group, chair, member):
    with pytest.raises(PermissionDenied):
        services.remove_member(by=chair.user, member=member)
    member.refresh_from_db()
    assert member.left_at is None


# --- meetings ---------------------------------------------------------------------------------------


def test_the_chair_adds_a_meeting_organized_by_their_organization_and_members_are_told(
    group, chair, member, county
):
    event = services.add_meeting(by=chair.user, group=group, data=meeting_data(county))

    assert event.kind == Event.Kind.MEETING and event.published_at
    assert list(event.organizers.all()) == [chair.organization]
    assert event.hours == 2
    assert list(group.meetings.all()) == [event]
    mails = OutgoingMail.objects.all()
    assert [mail.to for mail in mails] == [member.user.email]  # not the chair who added it
    assert "Posiedzenie zespołu" in mails[0].body


def test_a_member_who_is_not_the_chair_cannot_add_a_meeting(group, chair, member, county):
    with pytest.raises(PermissionDenied):
        services.add_meeting(by=member.user, group=group, data=meeting_data(county))
    assert not Event.objects.exists()


def test_a_meeting_with_bad_dates_is_refused_by_the_events_rules(group, chair, county):
    data = meeting_data(county)
    data["ends_at"] = data["starts_at"] - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        services.add_meeting(by=chair.user, group=group, data=data)
    assert "ends_at" in error.value.message_dict
    assert not group.meetings.exists()


def test_a_group_without_a_chair_gets_no_meeting(group, coordinator, county):
    with pytest.raises(ValidationError):
        services.add_meeting(by=coordinator, group=group, data=meeting_data(county))


# --- documents --------------------------------------------------------------------------------------


def test_the_chair_adds_a_document_and_a_new_version_keeps_the_first(group, chair):
    document = services.add_document(
        by=chair.user, group=group, title="Projekt standardu", upload=pdf()
    )
    services.add_document_version(
        by=chair.user, document=document, upload=pdf("v2.pdf"), note="Uwagi z posiedzenia"
    )

    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    first, second = document.versions.get(number=1), document.versions.get(number=2)
    assert first.file.name != second.file.name and second.note == "Uwagi z posiedzenia"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ...", "one of these kinds"),
        ("fake.pdf", b"<html>", "not what its name says"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused(group, chair, name, content, message):
    with pytest.raises(ValidationError) as error:
        services.add_document(by=chair.user, group=group, title="Plik", upload=pdf(name, content))
    assert message in error.value.message_dict["file"][0]
    assert not group.documents.exists()


def test_a_file_too_large_is_refused(group, chair, settings):
    settings.CIVICBRIDGE_GROUP_FILE_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        services.add_document(by=chair.user, group=group, title="Plik", upload=pdf())
    assert "too large" in error.value.message_dict["file"][0]


def test_a_member_who_is_not_the_chair_cannot_add_a_document(group, chair, member):
    with pytest.raises(PermissionDenied):
        services.add_document(by=member.user, group=group, title="Plik", upload=pdf())


# --- the thread -------------------------------------------------------------------------------------


def test_a_post_is_sanitized_once_and_told_to_the_others_only(group, chair, member):
    post = services.add_post(
        by=member.user, group=group, body="**Ważne** <img src=x onerror=alert(1)> [a](javascript:x)"
    )

    assert "<strong>Ważne</strong>" in post.body_html
    assert "onerror" not in post.body_html and "javascript" not in post.body_html
    assert [mail.to for mail in OutgoingMail.objects.all()] == [chair.user.email]


def test_someone_outside_the_group_cannot_post(group, chair, activist):
    with pytest.raises(PermissionDenied):
        services.add_post(by=activist, group=group, body="Dzień dobry")
    assert not Post.objects.exists()


def test_an_empty_or_overlong_post_is_refused(group, member):
    with pytest.raises(ValidationError):
        services.add_post(by=member.user, group=group, body="   ")
    with pytest.raises(ValidationError):
        services.add_post(by=member.user, group=group, body="x" * (services.MAX_POST_CHARS + 1))


def test_control_characters_are_dropped_from_a_post(group, member):
    post = services.add_post(by=member.user, group=group, body="Tekst\x00 bez\x1b znaków")
    assert "\x00" not in post.body and "\x1b" not in post.body


# --- standards --------------------------------------------------------------------------------------


@pytest.fixture
def standard(group, chair):
    return services.create_standard(
        by=chair.user,
        group=group,
        title="Standard konsultacji",
        text="## § 1\nKonsultacje trwają co najmniej 14 dni.",
    )


def held_training(organization):
    starts = timezone.now() - datetime.timedelta(days=2)
    return EventFactory(
        organizers=[organization],
        kind=Event.Kind.TRAINING,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
    )


def adopt(standard, by, body):
    return services.move_standard(
        by=by,
        standard=standard,
        to_stage=Stage.ADOPTED,
        resolution_number="XXI/123/2025 (demo)",
        resolution_date=datetime.date(2025, 5, 20),
        adopting_body=body,
    )


def test_a_standard_goes_through_every_step_each_recorded(
    standard, chair, coordinator, public_body
):
    services.move_standard(
        by=chair.user, standard=standard, to_stage=Stage.IN_CONSULTATION, note="Konsultacje"
    )
    adopt(standard, coordinator, public_body)
    services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)
    training = held_training(public_body)
    done = services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.TRAINING_DELIVERED, trainings=[training]
    )

    assert done.stage == Stage.TRAINING_DELIVERED and done.published_at
    assert done.resolution_number == "XXI/123/2025 (demo)" and done.adopting_body == public_body
    assert list(done.trainings.all()) == [training]
    steps = list(
        StageChange.objects.filter(standard=standard).values_list("from_stage", "to_stage", "by")
    )
    assert steps == [
        ("", "draft", chair.user.pk),
        ("draft", "in_consultation", chair.user.pk),
        ("in_consultation", "adopted", coordinator.pk),
        ("adopted", "published", coordinator.pk),
        ("published", "training_delivered", coordinator.pk),
    ]


def test_a_step_the_workflow_lacks_is_refused_with_the_steps_it_has(standard, coordinator):
    with pytest.raises(ValidationError) as error:
        services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)

    message = error.value.message_dict["to_stage"][0]
    assert "cannot move to “published”" in message and "in consultation" in message
    standard.refresh_from_db()
    assert standard.stage == Stage.DRAFT and standard.stage_changes.count() == 1


def test_adoption_needs_a_resolution_and_a_public_body(standard, coordinator, ngo):
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="Konsultacje w BIP"
    )
    with pytest.raises(ValidationError) as error:
        services.move_standard(by=coordinator, standard=standard, to_stage=Stage.ADOPTED)
    assert set(error.value.message_dict) == {
        "resolution_number",
        "resolution_date",
        "adopting_body",
    }
    with pytest.raises(ValidationError) as error:
        adopt(standard, coordinator, ngo)
    assert "public body" in error.value.message_dict["adopting_body"][0]
    with pytest.raises(ValidationError) as error:
        services.move_standard(
            by=coordinator,
            standard=standard,
            to_stage=Stage.ADOPTED,
            resolution_number="1/2",
            resolution_date=timezone.localdate() + datetime.timedelta(days=3),
            adopting_body=ngo,
        )
    assert "future" in error.value.message_dict["resolution_date"][0]
    standard.refresh_from_db()
    assert standard.stage == Stage.IN_CONSULTATION


def test_the_database_refuses_an_adopted_standard_without_its_resolution(standard):
    with pytest.raises(IntegrityError), transaction.atomic():
        Standard.objects.filter(pk=standard.pk).update(stage=Stage.ADOPTED)


def test_training_delivered_needs_a_training_that_took_place(standard, coordinator, public_body):
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="Konsultacje w BIP"
    )
    adopt(standard, coordinator, public_body)
    services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)
    ahead = EventFactory(organizers=[public_body], kind=Event.Kind.TRAINING)
    meeting = EventFactory(
        organizers=[public_body],
        kind=Event.Kind.MEETING,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )

    for trainings, words in (
        ([], "at least one"),
        ([ahead], "has not taken place"),
        ([meeting], "is not a training"),
    ):
        with pytest.raises(ValidationError) as error:
            services.move_standard(
                by=coordinator,
                standard=standard,
                to_stage=Stage.TRAINING_DELIVERED,
                trainings=trainings,
            )
        assert words in error.value.message_dict["trainings"][0]
    standard.refresh_from_db()
    assert standard.stage == Stage.PUBLISHED and not standard.trainings.exists()


def test_only_the_chair_and_coordinators_move_a_standard(standard, member):
    with pytest.raises(PermissionDenied):
        services.move_standard(
            by=member.user,
            standard=standard,
            to_stage=Stage.IN_CONSULTATION,
            note="Konsultacje w BIP",
        )


def test_versions_are_kept_and_stop_at_adoption(standard, chair, coordinator, public_body):
    services.add_standard_version(
        by=chair.user, standard=standard, text="Konsultacje trwają 21 dni.", note="Po uwagach"
    )
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="Konsultacje w BIP"
    )
    adopt(standard, coordinator, public_body)

    with pytest.raises(ValidationError) as error:
        services.add_standard_version(by=chair.user, standard=standard, text="Zmiana po uchwale")
    assert "adopted" in error.value.messages[0]
    assert list(standard.versions.values_list("number", flat=True)) == [2, 1]
    assert "21 dni" in standard.versions.get(number=2).text_html


def test_a_version_needs_text_or_a_file(standard, chair):
    with pytest.raises(ValidationError) as error:
        services.add_standard_version(by=chair.user, standard=standard, text=" ")
    assert "text" in error.value.message_dict
    version = services.add_standard_version(by=chair.user, standard=standard, upload=pdf())
    assert version.file and version.text == ""


def test_a_member_who_is_not_the_chair_cannot_add_a_version(standard, member):
    with pytest.raises(PermissionDenied):
        services.add_standard_version(by=member.user, standard=standard, text="Moja wersja")


def test_the_standard_is_found_by_its_text(standard):
    standard.refresh_from_db()
    assert "konsultacj" in standard.search_document


def test_an_organization_can_be_ngo_and_public_side_by_kind(municipality):
    assert services.sector_of(OrganizationFactory(territory=municipality)) == Sector.NGO


def test_consultation_needs_the_consultation_or_where_it_is_held(standard, coordinator):
    with pytest.raises(ValidationError) as error:
        services.move_standard(by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION)
    assert "consultation" in error.value.message_dict
    assert Standard.objects.get(pk=standard.pk).stage == Stage.DRAFT


def test_a_standard_in_consultation_links_the_consultation(standard, coordinator):
    from tests.consultations.factories import ConsultationFactory

    consultation = ConsultationFactory(title="Konsultacje standardu")
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, consultation=consultation
    )
    standard.refresh_from_db()
    assert standard.consultation == consultation and standard.stage == Stage.IN_CONSULTATION


def test_the_chair_takes_a_draft_into_consultation_but_only_coordinators_record_adoption(
    standard, chair, public_body
):
    services.move_standard(
        by=chair.user, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
    )
    with pytest.raises(PermissionDenied):
        adopt(standard, chair.user, public_body)
    assert Standard.objects.get(pk=standard.pk).stage == Stage.IN_CONSULTATION
