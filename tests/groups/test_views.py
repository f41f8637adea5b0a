import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civicbridge.groups import services
from civicbridge.groups.models import Document, Member, Post, Stage, Standard, WorkingGroup
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory

from .conftest import pdf
from .factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(group, chair, coordinator, public_body):
    standard = services.create_standard(
        by=chair.user,
        group=group,
        title="Standard partnerstwa",
        summary="Zasady partnerstwa",
        text="Partnerstwo **międzysektorowe**.",
    )
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="Konsultacje w BIP"
    )
    services.move_standard(
        by=coordinator,
        standard=standard,
        to_stage=Stage.ADOPTED,
        resolution_number="12/2025 (demo)",
        resolution_date=datetime.date(2025, 3, 1),
        adopting_body=public_body,
    )
    return services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)


# --- public pages ---------------------------------------------------------------------------------------


def test_the_list_shows_each_group_with_its_sector_mix_and_chair(client, group, chair, member):
    page = client.get(reverse("groups:group_list")).content.decode()
    assert group.name in page
    assert "1 member of public administration, 1 of NGOs" in page
    assert "chair: Anna Urzędnik" in page


def test_the_list_searches(client, group):
    WorkingGroupFactory(name="Zespół ds. finansowania zadań publicznych")
    page = client.get(reverse("groups:group_list"), {"q": "finansowania"}).content.decode()
    assert "finansowania" in page and group.name not in page


def test_the_list_reads_a_bounded_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    for _ in range(12):
        group = WorkingGroupFactory()
        person = UserFactory()
        organization = OrganizationFactory()
        MembershipFactory(user=person, organization=organization)
        services.appoint_member(
            by=coordinator, group=group, user=person, organization=organization, as_chair=True
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("groups:group_list"))
    assert response.status_code == 200


def test_a_visitor_sees_members_meetings_and_public_standards_but_not_the_thread(
    client, group, chair, member, published
):
    draft = services.create_standard(
        by=chair.user, group=group, title="Szkic standardu", text="Szkic"
    )
    services.add_post(by=member.user, group=group, body="Wewnętrzna uwaga")
    services.add_document(by=chair.user, group=group, title="Notatka robocza", upload=pdf())

    page = client.get(group.get_absolute_url()).content.decode()

    assert (
        "Jan Społecznik" in page
        and "Stowarzyszenie Aktywni Razem" in page
        and "non-governmental" in page
    )
    assert "Chair: Anna Urzędnik (Urząd Marszałkowski" in page
    assert published.title in page and draft.title not in page
    assert "Wewnętrzna uwaga" not in page and "Notatka robocza" not in page
    assert (
        client.get(
            reverse("groups:document_download", args=[group.pk, Document.objects.get().pk, 1])
        ).status_code
        == 302
    )


def test_a_member_sees_the_thread_documents_and_drafts(client, group, chair, member):
    draft = services.create_standard(
        by=chair.user, group=group, title="Szkic standardu", text="Szkic"
    )
    services.add_post(by=chair.user, group=group, body="Zapraszam na *posiedzenie*")
    document = services.add_document(
        by=chair.user, group=group, title="Notatka robocza", upload=pdf()
    )
    client.force_login(member.user)

    page = client.get(group.get_absolute_url()).content.decode()

    assert "<em>posiedzenie</em>" in page and "Notatka robocza" in page and draft.title in page
    download = client.get(reverse("groups:document_download", args=[group.pk, document.pk, 1]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_group_page_reads_a_bounded_number_of_queries(
    client, group, chair, member, county, django_assert_max_num_queries
):
    for number in range(5):
        services.add_post(by=member.user, group=group, body=f"Uwaga {number}")
        services.add_document(by=chair.user, group=group, title=f"Dokument {number}", upload=pdf())
        services.add_meeting(
            by=chair.user,
            group=group,
            data={
                "title": f"Posiedzenie {number}",
                "starts_at": timezone.now() + datetime.timedelta(days=number + 1),
                "ends_at": timezone.now() + datetime.timedelta(days=number + 1, hours=2),
                "venue": "Sala",
                "territory": county,
                "description": "",
            },
        )
    client.force_login(member.user)
    with django_assert_max_num_queries(16):
        response = client.get(group.get_absolute_url())
    assert response.status_code == 200 and response.content.decode().count("Posiedzenie ") == 5


def test_an_unknown_group_is_404(client):
    assert client.get(reverse("groups:group_detail", args=[999])).status_code == 404


# --- coordinator's pages ----------------------------------------------------------------------------------


def test_a_coordinator_creates_a_group_then_appoints_a_chair(
    client, coordinator, officer, public_body
):
    client.force_login(coordinator)
    response = client.post(
        reverse("groups:group_create"), {"name": "Zespół ds. standardów", "purpose": "Cel"}
    )
    group = WorkingGroup.objects.get()
    assert response.url == reverse("groups:group_members", args=[group.pk])
    membership = officer.memberships.get()

    response = client.post(
        reverse("groups:group_members", args=[group.pk]),
        {"membership": membership.pk, "as_chair": "on"},
    )

    assert response.status_code == 302
    assert Member.objects.get(group=group, user=officer).is_chair
    assert (
        "Anna Urzędnik"
        in client.get(reverse("groups:group_members", args=[group.pk])).content.decode()
    )


def test_nobody_but_a_coordinator_reaches_the_members_page(client, group, chair, activist):
    client.force_login(chair.user)
    assert client.get(reverse("groups:group_members", args=[group.pk])).status_code == 403
    membership = activist.memberships.get()
    assert (
        client.post(
            reverse("groups:group_members", args=[group.pk]), {"membership": membership.pk}
        ).status_code
        == 403
    )
    assert client.get(reverse("groups:group_create")).status_code == 403
    assert not Member.objects.filter(user=activist).exists()


def test_a_coordinator_removes_a_member_and_changes_the_chair(
    client, coordinator, group, chair, member
):
    client.force_login(coordinator)
    client.post(reverse("groups:member_chair", args=[group.pk, member.pk]))
    client.post(reverse("groups:member_remove", args=[group.pk, chair.pk]))

    chair.refresh_from_db()
    member.refresh_from_db()
    assert member.is_chair and chair.left_at
    page = client.get(reverse("groups:group_members", args=[group.pk])).content.decode()
    assert "former member" in page and "removed a member" in page


def test_the_group_form_shows_errors_at_their_fields(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("groups:group_create"), {"name": "", "purpose": ""})
    assert response.status_code == 400 and not WorkingGroup.objects.exists()


# --- chair's pages ------------------------------------------------------------------------------------


def test_the_chair_adds_a_meeting_from_the_form(client, group, chair, member, county):
    client.force_login(chair.user)
    response = client.post(
        reverse("groups:meeting_create", args=[group.pk]),
        {
            "title": "Drugie posiedzenie",
            "starts_at": "2030-05-10T10:00",
            "ends_at": "2030-05-10T12:30",
            "venue": "Urząd, sala 5",
            "territory": county.pk,
            "description": "",
        },
    )
    event = group.meetings.get()
    assert response.url == event.get_absolute_url() and event.hours == 2.5


def test_a_member_who_is_not_the_chair_cannot_open_the_chairs_pages(client, group, chair, member):
    client.force_login(member.user)
    for name in ("meeting_create", "document_create", "standard_create"):
        assert client.get(reverse(f"groups:{name}", args=[group.pk])).status_code == 403
    response = client.post(
        reverse("groups:document_create", args=[group.pk]), {"title": "X", "file": pdf()}
    )
    assert response.status_code == 403 and not Document.objects.exists()


def test_a_bad_file_is_refused_at_its_field(client, group, chair):
    client.force_login(chair.user)
    response = client.post(
        reverse("groups:document_create", args=[group.pk]),
        {"title": "Notatka", "file": pdf("notatka.pdf", b"not a pdf")},
    )
    assert response.status_code == 400 and "not what its name says" in response.content.decode()
    assert not Document.objects.exists()


def test_a_member_posts_and_an_outsider_cannot(client, group, chair, member, activist, officer):
    client.force_login(member.user)
    response = client.post(reverse("groups:post_create", args=[group.pk]), {"body": "Moja uwaga"})
    assert response.status_code == 302 and Post.objects.get().body == "Moja uwaga"
    assert (
        client.post(reverse("groups:post_create", args=[group.pk]), {"body": " "}).status_code
        == 400
    )

    outsider = UserFactory()
    client.force_login(outsider)
    assert (
        client.post(reverse("groups:post_create", args=[group.pk]), {"body": "Ja też"}).status_code
        == 403
    )
    assert Post.objects.count() == 1


# --- standards --------------------------------------------------------------------------------------


def test_the_library_shows_published_standards_only_and_filters(client, group, chair, published):
    services.create_standard(by=chair.user, group=group, title="Szkic niewidoczny", text="x")

    page = client.get(reverse("groups:standard_library")).content.decode()
    assert published.title in page and "Szkic niewidoczny" not in page
    assert "12/2025 (demo)" in page
    assert (
        published.title
        in client.get(reverse("groups:standard_library"), {"q": "partnerstwa"}).content.decode()
    )
    empty = client.get(
        reverse("groups:standard_library"), {"stage": "training_delivered"}
    ).content.decode()
    assert published.title not in empty
    assert client.get(reverse("groups:standard_library"), {"stage": "nonsense"}).status_code == 200


def test_the_library_reads_a_bounded_number_of_queries(
    client, group, chair, coordinator, public_body, django_assert_max_num_queries
):
    for number in range(8):
        standard = services.create_standard(
            by=chair.user, group=group, title=f"Standard {number}", text="x"
        )
        services.move_standard(
            by=coordinator,
            standard=standard,
            to_stage=Stage.IN_CONSULTATION,
            note="Konsultacje w BIP",
        )
        services.move_standard(
            by=coordinator,
            standard=standard,
            to_stage=Stage.ADOPTED,
            resolution_number="1",
            resolution_date=datetime.date(2025, 1, 1),
            adopting_body=public_body,
        )
        services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("groups:standard_library"))
    assert response.content.decode().count("Standard ") >= 8


def test_a_standard_shows_its_current_text_and_history(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get(published.get_absolute_url()).content.decode()
    assert "<strong>międzysektorowe</strong>" in page
    for stage in ("draft", "in consultation", "adopted", "published"):
        assert f">{stage}<" in page


def test_a_draft_standard_is_hidden_from_visitors(client, group, chair):
    draft = services.create_standard(by=chair.user, group=group, title="Szkic", text="x")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_workflow_page_records_a_step_and_refuses_a_wrong_one(
    client, coordinator, group, chair, public_body
):
    standard = services.create_standard(by=chair.user, group=group, title="Standard", text="x")
    client.force_login(coordinator)

    refused = client.post(
        reverse("groups:standard_move", args=[standard.pk, "published"]), {"note": ""}
    )
    assert refused.status_code == 400 and "cannot move to" in refused.content.decode()
    client.post(
        reverse("groups:standard_move", args=[standard.pk, "in_consultation"]), {"note": "Start"}
    )
    missing = client.post(reverse("groups:standard_move", args=[standard.pk, "adopted"]), {})
    assert missing.status_code == 400 and "number of the resolution" in missing.content.decode()
    client.post(
        reverse("groups:standard_move", args=[standard.pk, "adopted"]),
        {
            "resolution_number": "5/2025",
            "resolution_date": "2025-02-01",
            "adopting_body": public_body.pk,
        },
    )
    standard.refresh_from_db()
    assert standard.stage == Stage.ADOPTED and standard.resolution_number == "5/2025"


def test_a_member_who_is_not_the_chair_cannot_move_a_standard(client, group, chair, member):
    standard = services.create_standard(by=chair.user, group=group, title="Standard", text="x")
    client.force_login(member.user)
    assert (
        client.post(
            reverse("groups:standard_move", args=[standard.pk, "in_consultation"])
        ).status_code
        == 403
    )
    assert Standard.objects.get().stage == Stage.DRAFT


def test_the_chair_adds_a_version_through_the_form(client, group, chair):
    standard = services.create_standard(
        by=chair.user, group=group, title="Standard", text="Pierwsza"
    )
    client.force_login(chair.user)
    assert (
        "Pierwsza"
        in client.get(
            reverse("groups:standard_version_create", args=[standard.pk])
        ).content.decode()
    )
    client.post(
        reverse("groups:standard_version_create", args=[standard.pk]),
        {"text": "Druga", "note": "Poprawki"},
    )
    assert standard.versions.count() == 2


def test_the_profile_lists_my_groups(client, group, member):
    client.force_login(member.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert group.name in page


def test_the_standard_page_links_its_consultation(client, coordinator, group, chair):
    from tests.consultations.factories import ConsultationFactory

    consultation = ConsultationFactory(
        title="Konsultacje standardu konsultacji", published_at=timezone.now()
    )
    standard = services.create_standard(by=chair.user, group=group, title="Standard", text="x")
    client.force_login(coordinator)
    form = client.get(
        reverse("groups:standard_move", args=[standard.pk, "in_consultation"])
    ).content.decode()
    assert "Konsultacje standardu konsultacji" in form
    client.post(
        reverse("groups:standard_move", args=[standard.pk, "in_consultation"]),
        {"consultation": consultation.pk},
    )
    page = client.get(standard.get_absolute_url()).content.decode()
    assert consultation.get_absolute_url() in page


def test_a_standard_in_consultation_is_public_but_not_yet_in_the_library(client, group, chair):
    standard = services.create_standard(
        by=chair.user, group=group, title="Standard w konsultacjach", text="x"
    )
    services.move_standard(
        by=chair.user, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
    )

    assert client.get(standard.get_absolute_url()).status_code == 200
    assert "Standard w konsultacjach" in client.get(group.get_absolute_url()).content.decode()
    assert (
        "Standard w konsultacjach"
        not in client.get(reverse("groups:standard_library")).content.decode()
    )


def test_the_chair_is_offered_only_the_step_into_consultation(client, group, chair):
    standard = services.create_standard(by=chair.user, group=group, title="Standard", text="x")
    services.move_standard(
        by=chair.user, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
    )
    client.force_login(chair.user)
    assert "/move/adopted/" not in client.get(standard.get_absolute_url()).content.decode()
    assert (
        client.get(reverse("groups:standard_move", args=[standard.pk, "adopted"])).status_code
        == 403
    )
    assert (
        client.post(reverse("groups:standard_move", args=[standard.pk, "adopted"]), {}).status_code
        == 403
    )


def test_a_member_posting_too_often_is_stopped_with_a_clear_message(
    client, group, member, settings
):
    settings.CIVICBRIDGE_GROUP_POSTS_PER_HOUR = 2
    client.force_login(member.user)
    for number in range(2):
        assert (
            client.post(
                reverse("groups:post_create", args=[group.pk]), {"body": f"Uwaga {number}"}
            ).status_code
            == 302
        )
    refused = client.post(reverse("groups:post_create", args=[group.pk]), {"body": "Uwaga 3"})
    assert refused.status_code == 429 and "Try again later" in refused.content.decode()
    assert Post.objects.count() == 2


def test_the_members_page_reads_a_bounded_number_of_queries(
    client, coordinator, group, chair, member, django_assert_max_num_queries
):
    services.remove_member(by=coordinator, member=member)
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("groups:group_members", args=[group.pk]))
    assert response.status_code == 200
