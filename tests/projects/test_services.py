"""The portfolio's writes: who may, the workflow's graph, and what is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.accounts.models import Membership
from civicbridge.projects import services
from civicbridge.projects.models import Project, ProjectPartner, Report, StatusChange
from tests.accounts.factories import MembershipFactory
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, ProgrammeFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status

REPORT = {
    "period_start": datetime.date(2026, 4, 1),
    "period_end": datetime.date(2026, 9, 30),
    "activities": "Sześć szkoleń.",
    "results": "120 uczestników.",
    "indicators": "uczestnicy: 100 / 120",
    "problems": "",
    "spending_to_date": Decimal("50000.00"),
}


def test_a_representative_creates_a_project_of_its_organization_recorded_as_an_idea(representative, organization, project_data):
    project = services.create_project(by=representative, lead_organization=organization, data=project_data)

    assert project.status == S.IDEA
    assert project.lead_organization == organization
    assert list(project.status_changes.values_list("from_status", "to_status", "by")) == [("", S.IDEA, representative.pk)]
    assert "akademia" in project.search_document


def test_the_currency_defaults_to_the_deployments(representative, organization, project_data):
    del project_data["currency"]
    project = services.create_project(by=representative, lead_organization=organization, data=project_data)
    assert project.currency == "PLN"


@pytest.mark.parametrize("who", ["user", "other_representative"])
def test_nobody_else_creates_a_project_for_an_organization(request, who, organization, project_data):
    with pytest.raises(PermissionDenied):
        services.create_project(by=request.getfixturevalue(who), lead_organization=organization, data=project_data)
    assert not Project.objects.exists()


def test_a_pending_membership_gives_no_right_to_create(user, organization, project_data):
    MembershipFactory(user=user, organization=organization, status=Membership.Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.create_project(by=user, lead_organization=organization, data=project_data)


def test_creating_a_project_for_an_organization_gives_the_coordinator_no_membership(coordinator, organization, project_data):
    services.create_project(by=coordinator, lead_organization=organization, data=project_data)
    assert not Membership.objects.filter(user=coordinator).exists()


def test_the_end_before_the_start_is_refused_on_its_field(representative, organization, project_data):
    project_data["end_date"] = project_data["start_date"] - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.create_project(by=representative, lead_organization=organization, data=project_data)
    assert error.value.message_dict["end_date"] == ["The end cannot be before the start."]


def test_co_financing_above_the_budget_is_refused(representative, organization, project_data):
    project_data["co_financing"] = project_data["budget"] + 1
    with pytest.raises(ValidationError) as error:
        services.create_project(by=representative, lead_organization=organization, data=project_data)
    assert "co_financing" in error.value.message_dict


def test_a_call_gives_its_programme_and_funder_and_another_programmes_call_is_refused(representative, organization, project_data):
    call = CallFactory()
    project = services.create_project(by=representative, lead_organization=organization, data={**project_data, "call": call})
    assert (project.programme, project.funder) == (call.programme, call.programme.funder)

    with pytest.raises(ValidationError) as error:
        services.create_project(
            by=representative, lead_organization=organization,
            data={**project_data, "title": "Inny", "call": call, "programme": ProgrammeFactory()},
        )
    assert "call" in error.value.message_dict


def test_the_project_moves_along_the_whole_graph_and_each_step_is_recorded(representative, organization):
    project = ProjectFactory(lead_organization=organization)
    for step in (S.IN_PREPARATION, S.SUBMITTED, S.APPROVED, S.RUNNING):
        project = services.move_project(by=representative, project=project, to_status=step, note=f"to {step}")
    services.submit_report(by=representative, project=project, kind=Report.Kind.FINAL, data=REPORT)
    project.refresh_from_db()
    services.move_project(by=representative, project=project, to_status=S.CLOSED)

    project.refresh_from_db()
    assert project.status == S.CLOSED
    history = list(project.status_changes.order_by("at", "id").values_list("from_status", "to_status"))
    assert history == [
        ("", S.IDEA), (S.IDEA, S.IN_PREPARATION), (S.IN_PREPARATION, S.SUBMITTED), (S.SUBMITTED, S.APPROVED),
        (S.APPROVED, S.RUNNING), (S.RUNNING, S.FINAL_REPORT), (S.FINAL_REPORT, S.CLOSED),
    ]
    assert StatusChange.objects.get(project=project, to_status=S.SUBMITTED).note == f"to {S.SUBMITTED}"
    assert not StatusChange.objects.filter(project=project).exclude(by=representative).exclude(from_status="").exists()


@pytest.mark.parametrize(("status", "wanted"), [
    (S.IDEA, S.APPROVED), (S.IDEA, S.RUNNING), (S.SUBMITTED, S.RUNNING), (S.REJECTED, S.RUNNING),
    (S.REJECTED, S.SUBMITTED), (S.CLOSED, S.RUNNING), (S.APPROVED, S.IDEA), (S.RUNNING, S.CLOSED),
])
def test_a_step_off_the_graph_is_refused_with_a_clear_message_and_changes_nothing(coordinator, status, wanted):
    project = ProjectFactory(status=status)
    with pytest.raises(ValidationError) as error:
        services.move_project(by=coordinator, project=project, to_status=wanted)
    message = error.value.message_dict["to_status"][0]
    assert f"“{S(status).label}”" in message
    project.refresh_from_db()
    assert project.status == status
    assert project.status_changes.count() == 1


def test_only_a_final_report_moves_a_running_project_to_final_report(coordinator):
    project = ProjectFactory(status=S.RUNNING)
    with pytest.raises(ValidationError) as error:
        services.move_project(by=coordinator, project=project, to_status=S.FINAL_REPORT)
    assert "final report" in error.value.message_dict["to_status"][0]


@pytest.mark.parametrize("status", [S.IDEA, S.SUBMITTED, S.APPROVED, S.FINAL_REPORT, S.CLOSED, S.REJECTED])
def test_a_final_report_is_refused_unless_the_project_runs(coordinator, status):
    project = ProjectFactory(status=status)
    with pytest.raises(ValidationError):
        services.submit_report(by=coordinator, project=project, kind=Report.Kind.FINAL, data=REPORT)
    assert not Report.objects.exists()
    project.refresh_from_db()
    assert project.status == status


def test_an_interim_report_keeps_the_project_running_and_checks_its_period(representative, organization):
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    services.submit_report(by=representative, project=project, kind=Report.Kind.INTERIM, data=REPORT)
    project.refresh_from_db()
    assert project.status == S.RUNNING

    with pytest.raises(ValidationError) as error:
        services.submit_report(by=representative, project=project, kind=Report.Kind.INTERIM,
                               data={**REPORT, "period_end": REPORT["period_start"] - datetime.timedelta(days=1)})
    assert "period_end" in error.value.message_dict


@pytest.mark.parametrize("who", ["user", "other_representative"])
def test_others_may_not_move_edit_or_report_on_a_project(request, who, organization):
    person = request.getfixturevalue(who)
    project = ProjectFactory(lead_organization=organization, status=S.RUNNING)
    with pytest.raises(PermissionDenied):
        services.move_project(by=person, project=project, to_status=S.FINAL_REPORT)
    with pytest.raises(PermissionDenied):
        services.update_project(by=person, project=project, data={"title": "Przejęty"})
    with pytest.raises(PermissionDenied):
        services.submit_report(by=person, project=project, kind=Report.Kind.INTERIM, data=REPORT)
    with pytest.raises(PermissionDenied):
        services.add_partner(by=person, project=project, organization=OrganizationFactory(), role="partner")


def test_a_partners_representative_may_not_move_the_project(organization):
    project = ProjectFactory(status=S.IDEA)
    ProjectPartner.objects.create(project=project, organization=organization)
    person = MembershipFactory(organization=organization).user
    with pytest.raises(PermissionDenied):
        services.move_project(by=person, project=project, to_status=S.IN_PREPARATION)


def test_a_coordinator_moves_any_project(coordinator):
    project = ProjectFactory(status=S.SUBMITTED)
    services.move_project(by=coordinator, project=project, to_status=S.REJECTED, note="Za mało punktów.")
    project.refresh_from_db()
    assert project.status == S.REJECTED


def test_partners_domestic_and_abroad_with_roles_once_each_and_not_the_lead(representative, organization):
    project = ProjectFactory(lead_organization=organization)
    abroad = OrganizationFactory(territory=None, country="DE", city="Nieder-Olm")
    services.add_partner(by=representative, project=project, organization=OrganizationFactory(), role="partner")
    services.add_partner(by=representative, project=project, organization=abroad, role="associated")
    with pytest.raises(ValidationError):
        services.add_partner(by=representative, project=project, organization=abroad, role="partner")
    with pytest.raises(ValidationError):
        services.add_partner(by=representative, project=project, organization=organization, role="partner")
    assert project.partners.count() == 2
    assert abroad.name.lower().split()[0] in Project.objects.get(pk=project.pk).search_document


def test_a_milestone_is_added_and_marked_done(representative, organization):
    project = ProjectFactory(lead_organization=organization)
    milestone = services.add_milestone(by=representative, project=project, title="Rekrutacja", due_date=datetime.date(2026, 5, 1))
    services.set_milestone_done(by=representative, milestone=milestone, done=True)
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_at is not None


def test_a_pdf_document_is_attached(representative, organization, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(lead_organization=organization)
    document = services.add_document(
        by=representative, project=project, title="Umowa",
        upload=SimpleUploadedFile("umowa.pdf", b"%PDF-1.7\n...", content_type="application/pdf"),
    )
    assert document.size == 12
    assert document.file.name.startswith(f"projects/{project.pk}/") and document.file.name.endswith("/umowa.pdf")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("skrypt.exe", b"MZ\x90\x00", "Upload a file of one of these kinds"),
    ("udawany.pdf", b"<html>not a pdf</html>", "not what its name says"),
])
def test_a_document_of_another_kind_is_refused(representative, organization, name, content, message):
    project = ProjectFactory(lead_organization=organization)
    with pytest.raises(ValidationError) as error:
        services.add_document(by=representative, project=project, title="Plik", upload=SimpleUploadedFile(name, content))
    assert message in error.value.message_dict["file"][0]
    assert not project.documents.exists()


def test_a_document_too_large_is_refused(representative, organization, settings):
    settings.CIVICBRIDGE_PROJECT_DOCUMENT_MAX_BYTES = 10
    project = ProjectFactory(lead_organization=organization)
    with pytest.raises(ValidationError) as error:
        services.add_document(by=representative, project=project, title="Plik",
                              upload=SimpleUploadedFile("duzy.pdf", b"%PDF-" + b"x" * 20))
    assert "too large" in error.value.message_dict["file"][0]
