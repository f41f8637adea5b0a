"""The consultations' writes: who may, when, and what stays (versions of sections and remarks)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from civicbridge.consultations import phases, services
from civicbridge.consultations.models import Consultation, MinimumDuration, Remark, Section
from civicbridge.consultations.splitting import ParsedSection
from civicbridge.core.models import OutgoingMail
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.consultations.factories import ConsultationFactory, end, remark_on
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


def draft_data(body, territory, *, days=14, kind=Consultation.Kind.RESOLUTION, starts=None):
    starts = starts or timezone.now() + datetime.timedelta(hours=1)
    return {
        "title": "Projekt programu współpracy na 2027 rok",
        "kind": kind,
        "issuing_body": body,
        "territory": territory,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(days=days),
        "invitation": Consultation.Invitation.ALL,
    }


# --- opening and the minimum duration ---------------------------------------------------------------------


def test_an_officer_opens_a_draft_consultation_of_their_body(officer, body, county):
    consultation = services.create_consultation(
        by=officer,
        data=draft_data(body, county),
        sections=[ParsedSection("§ 1", "", "Uchwala się program.")],
    )

    assert consultation.published_at is None
    assert phases.phase_key(consultation) == phases.DRAFT
    section = consultation.sections.get()
    assert (section.label, section.version, section.versions.get().text) == (
        "§ 1",
        1,
        "Uchwala się program.",
    )


def test_nobody_else_opens_a_consultation_for_a_body(body, county, representative, citizen):
    other_officer = UserFactory()
    MembershipFactory(user=other_officer, organization=PublicBodyFactory())
    for person in (representative, citizen, other_officer):
        with pytest.raises(PermissionDenied):
            services.create_consultation(by=person, data=draft_data(body, county))
    assert not Consultation.objects.exists()


def test_a_pending_membership_gives_no_officer_rights(body, county):
    from civicbridge.accounts.models import Membership

    waiting = UserFactory()
    MembershipFactory(user=waiting, organization=body, status=Membership.Status.PENDING)

    with pytest.raises(PermissionDenied):
        services.create_consultation(by=waiting, data=draft_data(body, county))


def test_a_coordinator_opens_one_for_any_public_body(coordinator, body, county):
    assert (
        services.create_consultation(by=coordinator, data=draft_data(body, county)).issuing_body
        == body
    )


def test_only_a_public_body_issues_a_consultation(coordinator, organization, county):
    with pytest.raises(ValidationError) as refused:
        services.create_consultation(by=coordinator, data=draft_data(organization, county))
    assert "issuing_body" in refused.value.message_dict


def test_the_default_minimum_is_seven_days(officer, body, county):
    with pytest.raises(ValidationError) as refused:
        services.create_consultation(by=officer, data=draft_data(body, county, days=6))

    assert "at least 7 days" in refused.value.message_dict["ends_at"][0]
    assert not Consultation.objects.exists()
    assert services.create_consultation(by=officer, data=draft_data(body, county, days=7))


def test_the_bodys_own_minimum_per_kind_of_act_is_enforced(officer, body, county):
    services.set_minimum_duration(
        by=officer, body=body, kind=Consultation.Kind.STRATEGY, days=21, basis="Uchwała"
    )

    with pytest.raises(ValidationError) as refused:
        services.create_consultation(
            by=officer, data=draft_data(body, county, days=14, kind=Consultation.Kind.STRATEGY)
        )
    assert "at least 21 days" in refused.value.message_dict["ends_at"][0]
    # Other kinds keep the default.
    assert services.create_consultation(by=officer, data=draft_data(body, county, days=7))


def test_the_minimum_message_speaks_the_visitors_language(officer, body, county):
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        services.create_consultation(by=officer, data=draft_data(body, county, days=2))
    assert "co najmniej 7 dni" in refused.value.message_dict["ends_at"][0]


def test_only_its_officers_and_coordinators_set_a_bodys_minimum(body, representative, coordinator):
    with pytest.raises(PermissionDenied):
        services.set_minimum_duration(by=representative, body=body, kind="resolution", days=30)
    services.set_minimum_duration(by=coordinator, body=body, kind="resolution", days=30)
    services.set_minimum_duration(by=coordinator, body=body, kind="resolution", days=10)
    assert MinimumDuration.objects.get(body=body).days == 10


def test_publishing_needs_sections_and_announces_after_commit(
    officer, body, county, django_capture_on_commit_callbacks
):
    consultation = services.create_consultation(by=officer, data=draft_data(body, county))
    with pytest.raises(ValidationError):
        services.publish_consultation(by=officer, consultation=consultation)

    services.add_section(by=officer, consultation=consultation, label="§ 1", text="Treść.")
    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_consultation(by=officer, consultation=consultation)

    consultation.refresh_from_db()
    assert consultation.published_at is not None
    assert len(callbacks) == 1
    assert phases.phase_key(consultation) == phases.BEFORE


def test_the_start_of_a_started_consultation_stays(officer, consultation):
    with pytest.raises(ValidationError) as refused:
        services.update_consultation(
            by=officer,
            consultation=consultation,
            data={"starts_at": timezone.now() + datetime.timedelta(days=1)},
        )
    assert "starts_at" in refused.value.message_dict


def test_an_officer_of_another_body_cannot_change_it(consultation):
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=PublicBodyFactory())
    with pytest.raises(PermissionDenied):
        services.update_consultation(
            by=stranger, consultation=consultation, data={"title": "Przejęta"}
        )
    consultation.refresh_from_db()
    assert consultation.title != "Przejęta"


# --- phases -----------------------------------------------------------------------------------------------


def test_phases_follow_the_dates_and_the_report(consultation, officer):
    now = timezone.now()
    assert phases.phase_key(consultation, now) == phases.OPEN
    assert (
        phases.phase_key(consultation, consultation.starts_at - datetime.timedelta(seconds=1))
        == phases.BEFORE
    )
    assert (
        phases.phase_key(consultation, consultation.ends_at + datetime.timedelta(seconds=1))
        == phases.CLOSED
    )
    assert phases.accepts_remarks(consultation) and not phases.accepts_answers(consultation)
    end(consultation)
    assert phases.accepts_answers(consultation) and not phases.accepts_remarks(consultation)
    services.publish_report(by=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert phases.phase_key(consultation) == phases.REPORTED
    assert not phases.accepts_answers(consultation)


# --- sections keep their versions -------------------------------------------------------------------------


def test_changing_a_section_keeps_the_wording_a_remark_was_made_on(consultation, officer, citizen):
    section = consultation.sections.first()
    remark = services.submit_remark(
        by=citizen, consultation=consultation, section=section, justification="Za krótko."
    )

    services.update_section(
        by=officer, section=section, label=section.label, heading="", text="Nowa treść."
    )

    section.refresh_from_db()
    remark.refresh_from_db()
    assert section.version == 2 and section.text == "Nowa treść."
    assert remark.section_version.number == 1
    assert remark.section_version.text.startswith("Treść paragrafu")


def test_a_section_with_remarks_is_withdrawn_not_deleted(consultation, officer, citizen):
    remarked, plain = consultation.sections.all()[:2]
    services.submit_remark(
        by=citizen, consultation=consultation, section=remarked, justification="Uwaga."
    )

    services.remove_section(by=officer, section=remarked)
    services.remove_section(by=officer, section=plain)

    assert Section.objects.get(pk=remarked.pk).withdrawn_at is not None
    assert not Section.objects.filter(pk=plain.pk).exists()
    assert Remark.objects.filter(section=remarked).count() == 1


def test_an_import_that_replaces_the_draft_loses_no_remark(consultation, officer, citizen):
    remarked = consultation.sections.first()
    services.submit_remark(
        by=citizen, consultation=consultation, section=remarked, justification="Uwaga."
    )

    services.import_sections(
        by=officer,
        consultation=consultation,
        replace=True,
        sections=[ParsedSection("§ 1", "", "Nowy projekt.")],
    )

    current = list(consultation.sections.filter(withdrawn_at__isnull=True))
    assert [s.text for s in current] == ["Nowy projekt."]
    assert Section.objects.get(pk=remarked.pk).withdrawn_at is not None


def test_after_the_end_the_draft_stays(consultation, officer):
    end(consultation)
    section = consultation.sections.first()
    with pytest.raises(ValidationError):
        services.update_section(
            by=officer, section=section, label="§ 9", heading="", text="Po terminie."
        )
    with pytest.raises(ValidationError):
        services.add_section(by=officer, consultation=consultation, text="Dopisek.")
    section.refresh_from_db()
    assert section.version == 1


def test_moving_a_section_swaps_it_with_its_neighbour(consultation, officer):
    first, second, third = consultation.sections.order_by("position")
    services.move_section(by=officer, section=third, offset=-1)
    assert list(consultation.sections.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]


def test_others_cannot_edit_sections(consultation, citizen, representative):
    section = consultation.sections.first()
    for person in (citizen, representative):
        with pytest.raises(PermissionDenied):
            services.update_section(
                by=person, section=section, label="§ 1", heading="", text="Zmiana."
            )
        with pytest.raises(PermissionDenied):
            services.import_sections(
                by=person, consultation=consultation, sections=[ParsedSection("", "", "x")]
            )


# --- remarks ---------------------------------------------------------------------------------------------


def test_a_representative_remarks_for_their_organization(
    consultation, representative, organization
):
    section = consultation.sections.first()
    remark = services.submit_remark(
        by=representative,
        consultation=consultation,
        section=section,
        organization=organization,
        proposed_wording="§ 1. Nowe brzmienie.",
        justification="Bo **tak** <script>alert(1)</script>",
    )

    assert remark.organization == organization
    assert "<strong>tak</strong>" in remark.justification_html
    assert "<script>" not in remark.justification_html
    assert remark.versions.get().number == 1


def test_nobody_speaks_for_an_organization_they_do_not_represent(
    consultation, citizen, organization
):
    with pytest.raises(ValidationError) as refused:
        services.submit_remark(
            by=citizen, consultation=consultation, organization=organization, justification="x"
        )
    assert "organization" in refused.value.message_dict
    assert not Remark.objects.exists()


def test_ngos_only_refuses_citizens_and_public_bodies(
    consultation, citizen, representative, organization, officer, body
):
    Consultation.objects.filter(pk=consultation.pk).update(invitation=Consultation.Invitation.NGOS)
    consultation.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.submit_remark(
            by=citizen, consultation=consultation, justification="Jako mieszkaniec."
        )
    with pytest.raises(PermissionDenied):
        services.submit_remark(
            by=officer, consultation=consultation, organization=body, justification="Urząd."
        )
    with pytest.raises(ValidationError):
        services.submit_remark(
            by=representative, consultation=consultation, justification="Bez organizacji."
        )
    assert services.submit_remark(
        by=representative,
        consultation=consultation,
        organization=organization,
        justification="Jako stowarzyszenie.",
    )


def test_a_list_invites_only_the_listed_organizations(consultation, representative, organization):
    invited = OrganizationFactory()
    invited_person = UserFactory()
    MembershipFactory(user=invited_person, organization=invited)
    Consultation.objects.filter(pk=consultation.pk).update(invitation=Consultation.Invitation.LIST)
    consultation.refresh_from_db()
    consultation.invited_organizations.set([invited])

    with pytest.raises(PermissionDenied):
        services.submit_remark(
            by=representative,
            consultation=consultation,
            organization=organization,
            justification="x",
        )
    assert services.submit_remark(
        by=invited_person, consultation=consultation, organization=invited, justification="y"
    )


def test_a_remark_after_the_end_is_refused_with_a_clear_message(consultation, citizen):
    end(consultation)
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        services.submit_remark(by=citizen, consultation=consultation, justification="Za późno.")
    assert "zakończyły się" in refused.value.messages[0]
    assert not Remark.objects.exists()


def test_a_remark_before_the_start_is_refused(body, citizen):
    consultation = ConsultationFactory(
        issuing_body=body, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_remark(by=citizen, consultation=consultation, justification="Za wcześnie.")
    assert "from" in refused.value.messages[0]


def test_a_draft_consultation_takes_no_remarks(body, citizen):
    consultation = ConsultationFactory(issuing_body=body, published_at=None)
    with pytest.raises(PermissionDenied):
        services.submit_remark(by=citizen, consultation=consultation, justification="x")


def test_an_empty_remark_is_refused(consultation, citizen):
    with pytest.raises(ValidationError) as refused:
        services.submit_remark(
            by=citizen, consultation=consultation, proposed_wording="  ", justification=""
        )
    assert "justification" in refused.value.message_dict


def test_control_characters_are_removed(consultation, citizen):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Uwaga\x00\x07 ważna"
    )
    assert remark.justification == "Uwaga ważna"


def test_a_section_of_another_consultation_is_refused(consultation, citizen, body):
    other = ConsultationFactory(issuing_body=body)
    with pytest.raises(ValidationError):
        services.submit_remark(
            by=citizen, consultation=consultation, section=other.sections.first(), justification="x"
        )


def test_the_hourly_limit_stops_a_flood_of_remarks(consultation, citizen, settings):
    settings.CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR = 3
    for number in range(3):
        services.submit_remark(
            by=citizen, consultation=consultation, justification=f"Uwaga {number}"
        )
    with pytest.raises(services.RemarkLimitReached):
        services.submit_remark(by=citizen, consultation=consultation, justification="Czwarta")
    assert Remark.objects.count() == 3


def test_editing_a_remark_keeps_its_earlier_versions(consultation, citizen):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Pierwsza wersja."
    )

    services.edit_remark(by=citizen, remark=remark, justification="Druga wersja.")
    services.edit_remark(by=citizen, remark=remark, justification="Trzecia wersja.")

    remark.refresh_from_db()
    assert remark.version == 3 and remark.justification == "Trzecia wersja."
    assert list(remark.versions.order_by("number").values_list("justification", flat=True)) == [
        "Pierwsza wersja.",
        "Druga wersja.",
        "Trzecia wersja.",
    ]


def test_nobody_edits_anothers_remark(consultation, citizen, officer):
    remark = services.submit_remark(by=citizen, consultation=consultation, justification="Moja.")
    with pytest.raises(PermissionDenied):
        services.edit_remark(by=officer, remark=remark, justification="Poprawiona przez urząd.")
    remark.refresh_from_db()
    assert remark.justification == "Moja." and remark.version == 1


def test_a_remark_edited_after_the_end_is_refused_and_unchanged(consultation, citizen):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Przed końcem."
    )
    end(consultation)
    remark.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.edit_remark(by=citizen, remark=remark, justification="Po końcu.")

    assert "ended" in refused.value.messages[0]
    remark.refresh_from_db()
    assert remark.justification == "Przed końcem." and remark.versions.count() == 1


# --- moderation and answers -------------------------------------------------------------------------------


def test_moderators_hide_with_a_reason(consultation, citizen, officer):
    remark = services.submit_remark(
        by=citizen, consultation=consultation, justification="Obraźliwa."
    )
    with pytest.raises(ValidationError):
        services.hide_remark(by=officer, remark=remark, reason=" ")
    with pytest.raises(PermissionDenied):
        services.hide_remark(by=citizen, remark=remark, reason="Sam siebie.")

    services.hide_remark(by=officer, remark=remark, reason="Język obraźliwy")

    remark.refresh_from_db()
    assert remark.hidden_at and remark.hidden_reason == "Język obraźliwy"


def test_answers_come_only_after_the_end(consultation, citizen, officer):
    remark = services.submit_remark(by=citizen, consultation=consultation, justification="Uwaga.")
    with pytest.raises(ValidationError) as refused:
        services.answer_remark(by=officer, remark=remark, answer="accepted", justification="Tak.")
    assert "after the consultation ends" in refused.value.messages[0]

    end(consultation)
    remark.refresh_from_db()
    services.answer_remark(
        by=officer, remark=remark, answer="accepted", justification="Uwzględniono w § 1."
    )
    remark.refresh_from_db()
    assert remark.answer == "accepted" and remark.answered_by == officer


def test_an_answer_needs_its_justification(consultation, citizen, officer):
    remark = services.submit_remark(by=citizen, consultation=consultation, justification="Uwaga.")
    end(consultation)
    remark.refresh_from_db()
    with pytest.raises(ValidationError):
        services.answer_remark(by=officer, remark=remark, answer="rejected", justification="")
    with pytest.raises(PermissionDenied):
        services.answer_remark(
            by=citizen, remark=remark, answer="accepted", justification="Sam sobie."
        )
    remark.refresh_from_db()
    assert remark.answer == ""


def test_answers_in_a_list_are_saved_all_or_none(consultation, citizen, officer):
    first = services.submit_remark(by=citizen, consultation=consultation, justification="Pierwsza.")
    second = services.submit_remark(by=citizen, consultation=consultation, justification="Druga.")
    end(consultation)

    with pytest.raises(ValidationError) as refused:
        services.answer_remarks(
            by=officer,
            consultation=consultation,
            answers={
                first.pk: services.AnswerInput("accepted", "Tak."),
                second.pk: services.AnswerInput("partly", ""),
            },
        )
    assert f"remark-{second.pk}" in refused.value.message_dict
    assert not Remark.objects.exclude(answer="").exists()

    assert (
        services.answer_remarks(
            by=officer,
            consultation=consultation,
            answers={
                first.pk: services.AnswerInput("accepted", "Tak."),
                second.pk: services.AnswerInput("partly", "Częściowo."),
            },
        )
        == 2
    )


def test_the_report_waits_for_every_answer_then_tells_each_author(
    consultation, citizen, officer, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    answered = services.submit_remark(
        by=citizen, consultation=consultation, justification="Pierwsza."
    )
    hidden = services.submit_remark(by=citizen, consultation=consultation, justification="Spam.")
    end(consultation)
    services.hide_remark(by=officer, remark=hidden, reason="Reklama")
    with pytest.raises(ValidationError) as refused:
        services.publish_report(by=officer, consultation=consultation)
    assert "1 remarks still have no answer" in refused.value.messages[0]

    services.answer_remark(
        by=officer, remark=answered, answer="partly", justification="Częściowo uwzględniona."
    )
    OutgoingMail.objects.all().delete()
    services.publish_report(by=officer, consultation=consultation, summary="Wpłynęły 2 uwagi.")
    services.tell_authors_their_answers(consultation.pk)  # a second run tells nobody twice

    mail = OutgoingMail.objects.get()
    assert mail.to == citizen.email
    assert "partly accepted" in mail.body and "Częściowo uwzględniona." in mail.body
    with pytest.raises(ValidationError):
        services.answer_remark(
            by=officer, remark=answered, answer="accepted", justification="Zmiana po raporcie."
        )


def test_the_reminder_goes_once_to_followers_and_authors(consultation, citizen, representative):
    follower = UserFactory()
    services.follow(by=follower, consultation=consultation)
    services.submit_remark(by=citizen, consultation=consultation, justification="Uwaga.")
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() + datetime.timedelta(hours=20)
    )

    assert services.send_reminders() == 2
    assert services.send_reminders() == 0
    assert set(OutgoingMail.objects.values_list("to", flat=True)) == {follower.email, citizen.email}
    assert representative.email not in set(OutgoingMail.objects.values_list("to", flat=True))


def test_no_reminder_far_from_the_end(consultation, citizen):
    services.submit_remark(by=citizen, consultation=consultation, justification="Uwaga.")
    assert services.send_reminders() == 0


def test_the_adopted_text_is_recorded_after_the_end(consultation, officer):
    with pytest.raises(ValidationError):
        services.set_adopted_text(by=officer, consultation=consultation, text="§ 1. Przyjęty.")
    end(consultation)
    services.set_adopted_text(
        by=officer, consultation=consultation, text="§ 1. Przyjęty.", reference="Uchwała"
    )
    assert consultation.adopted_text == "§ 1. Przyjęty."


def test_remark_on_keeps_its_first_version(consultation, citizen):
    remark = remark_on(consultation.sections.first(), author=citizen)
    assert remark.versions.get().justification == "Uzasadnienie."
