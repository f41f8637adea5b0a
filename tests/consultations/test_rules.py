"""Who may do what: the roles × phases matrix, and every officer's write refused to others."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicbridge.consultations import phases, services
from civicbridge.consultations.models import Attachment, Consultation, Remark, Section
from tests.consultations.factories import ConsultationFactory, end, remark_on

pytestmark = pytest.mark.django_db


def may_remark(user, consultation) -> bool:
    return user.has_perm("consultations.add_remark", consultation) and phases.accepts_remarks(
        consultation
    )


@pytest.mark.parametrize("invitation", ["all", "ngos", "list"])
@pytest.mark.parametrize("phase", ["before", "open", "closed"])
def test_who_may_remark_by_role_invitation_and_phase(
    body, citizen, representative, organization, officer, coordinator, invitation, phase
):
    starts = {"before": timezone.now() + datetime.timedelta(days=1)}.get(
        phase, timezone.now() - datetime.timedelta(days=1)
    )
    consultation = ConsultationFactory(issuing_body=body, invitation=invitation, starts_at=starts)
    if invitation == "list":
        consultation.invited_organizations.set([organization])
    if phase == "closed":
        end(consultation)
    expected = {
        "citizen": invitation == "all",
        "representative": True,
        "officer": invitation == "all",  # as a citizen; never for the body under "NGOs" or a list
        "coordinator": invitation == "all",
    }
    for role, person in (
        ("citizen", citizen),
        ("representative", representative),
        ("officer", officer),
        ("coordinator", coordinator),
    ):
        assert may_remark(person, consultation) == (expected[role] and phase == "open"), role


def test_the_officers_writes_are_refused_to_others(
    consultation, representative, citizen, coordinator
):
    section = consultation.sections.first()
    remark = remark_on(section, author=citizen)
    upload = SimpleUploadedFile("program.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    writes = [
        lambda by: services.publish_consultation(by=by, consultation=consultation),
        lambda by: services.add_section(by=by, consultation=consultation, text="Dopisany."),
        lambda by: services.remove_section(by=by, section=section),
        lambda by: services.move_section(by=by, section=section, offset=1),
        lambda by: services.add_attachment(
            by=by, consultation=consultation, title="Załącznik", upload=upload
        ),
        lambda by: services.hide_remark(by=by, remark=remark, reason="Spam"),
        lambda by: services.unhide_remark(by=by, remark=remark),
        lambda by: services.answer_remark(
            by=by, remark=remark, answer="accepted", justification="Tak."
        ),
        lambda by: services.answer_remarks(by=by, consultation=consultation, answers={}),
        lambda by: services.publish_report(by=by, consultation=consultation),
        lambda by: services.set_adopted_text(by=by, consultation=consultation, text="§ 1. Tekst."),
        lambda by: services.set_minimum_duration(
            by=by, body=consultation.issuing_body, kind="other", days=9
        ),
    ]
    before = (
        Section.objects.count(),
        list(Remark.objects.values_list("hidden_at", "answer")),
        Attachment.objects.count(),
    )
    for person in (representative, citizen):
        for write in writes:
            with pytest.raises(PermissionDenied):
                write(person)
    assert before == (
        Section.objects.count(),
        list(Remark.objects.values_list("hidden_at", "answer")),
        Attachment.objects.count(),
    )
    # A coordinator may: the same write goes through (here, attaching the PDF).
    assert services.add_attachment(
        by=coordinator, consultation=consultation, title="Załącznik", upload=upload
    )


def test_an_attachment_of_a_forbidden_kind_or_a_lying_name_is_refused(consultation, officer):
    with pytest.raises(ValidationError):
        services.add_attachment(
            by=officer,
            consultation=consultation,
            title="Skrypt",
            upload=SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        )
    with pytest.raises(ValidationError):
        services.add_attachment(
            by=officer,
            consultation=consultation,
            title="Udaje PDF",
            upload=SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"),
        )
    assert not Attachment.objects.exists()


def test_an_attachment_is_downloaded_from_a_published_consultation_only(client, body, officer):
    draft = ConsultationFactory(issuing_body=body, published_at=None)
    item = services.add_attachment(
        by=officer,
        consultation=draft,
        title="Projekt w PDF",
        upload=SimpleUploadedFile("projekt.pdf", b"%PDF-1.4 projekt"),
    )
    address = f"/en/consultations/{draft.pk}/attachments/{item.pk}/"
    assert client.get(address).status_code == 404
    Consultation.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    response = client.get(address)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_representative_of_a_rejected_registration_speaks_for_nobody(
    consultation, organization, representative
):
    from civicbridge.directory.models import Organization

    Organization.objects.filter(pk=organization.pk).update(registration="rejected")
    with pytest.raises((PermissionDenied, ValidationError)):
        services.submit_remark(
            by=representative,
            consultation=consultation,
            organization=organization,
            justification="Jako odrzucona organizacja.",
        )
    assert not Remark.objects.filter(organization=organization).exists()
