"""Every write of the project portfolio, with its permission check and validation.

Each service checks the permission first, validates (a ValidationError with a message per
field, in the user's language), and writes in one transaction. A project's status moves only
along the workflow's graph (``models.TRANSITIONS``), one step at a time, each step recorded
with who, when and the note given; the final report moves a running project to "final report".
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import deployment, uploads
from civicbridge.core.duplicates import once
from civicbridge.core.search import build_document
from civicbridge.directory.models import Organization

from .models import (
    CURRENCIES,
    TRANSITIONS,
    Milestone,
    Project,
    ProjectDocument,
    ProjectPartner,
    Report,
    StatusChange,
)

PROJECT_FIELDS = (
    "title", "funder", "programme", "call", "budget", "co_financing", "currency", "start_date", "end_date",
    "summary", "results", "territory",
)
REPORT_FIELDS = (
    "period_start", "period_end", "activities", "results", "indicators", "problems", "spending_to_date",
)
# What a project's documents may be: the kinds people send (PDF, office documents, scans),
# each recognised by its first bytes as well as by its name.
DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def document_max_bytes() -> int:
    return getattr(settings, "CIVICBRIDGE_PROJECT_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES)


# --- search ----------------------------------------------------------------------------------


def project_search_document(project: Project) -> str:
    """What search finds a project by: its title, summary, results, organizations and call.

    The funder is a filter of its own (by name in its menu): the document does not copy its
    name, so that renaming a funder rewrites no project."""
    parts = [project.title, project.summary, project.results, project.lead_organization.name]
    if project.call_id:
        parts += [project.call.identifier, project.call.title]
    if project.pk:
        parts += [partner.organization.name for partner in project.partners.select_related("organization")]
    return build_document(*parts)


def _reindex(project: Project) -> None:
    project.search_document = project_search_document(project)
    project.save(update_fields=["search_document"])


# --- projects --------------------------------------------------------------------------------


def _validate_project(project: Project) -> None:
    errors: dict[str, list[str]] = {}
    project.title = (project.title or "").strip()
    project.currency = (project.currency or "").strip().upper()
    if project.currency and project.currency not in CURRENCIES:
        errors["currency"] = [_("Choose one of the currencies offered.")]
    # The funding chain is one: a call belongs to its programme, a programme to its funder.
    if project.call_id:
        if project.programme_id is None:
            project.programme = project.call.programme
        elif project.call.programme_id != project.programme_id:
            errors["call"] = [_("This call belongs to another programme than the one chosen.")]
    if project.programme_id:
        if project.funder_id is None:
            project.funder = project.programme.funder
        elif project.programme.funder_id != project.funder_id:
            errors["programme"] = [_("This programme belongs to another funder than the one chosen.")]
    if project.start_date and project.end_date and project.end_date < project.start_date:
        errors["end_date"] = [_("The end cannot be before the start.")]
    if (
        project.budget is not None and project.co_financing is not None
        and Decimal(project.co_financing) > Decimal(project.budget)
    ):
        errors["co_financing"] = [_("The co-financing cannot be more than the total budget.")]
    try:
        project.full_clean(
            exclude=["lead_organization", "created_by", "search_document", "funder", "programme", "call", "territory"],
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(message for message in messages if message not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


def _record(project: Project, *, from_status: str, to_status: str, by, note: str = "") -> StatusChange:
    return StatusChange.objects.create(
        project=project, from_status=from_status, to_status=to_status, by=by, at=timezone.now(), note=note.strip(),
    )


@transaction.atomic
def create_project(*, by, lead_organization: Organization, data: dict) -> Project:
    """Create a project led by ``lead_organization``, in the status "idea".

    Its approved representatives and coordinators may. Creating gives the creator no role: who
    may change the project afterwards follows the lead organization's approved memberships.
    The same person sending the same project again within the duplicate window gets the first
    one back (``core.duplicates``).
    """
    if not by.has_perm("projects.add_project", lead_organization):
        raise PermissionDenied
    values = {field: value for field, value in data.items() if field in PROJECT_FIELDS}
    values.setdefault("currency", deployment.current().currency)
    project = Project(lead_organization=lead_organization, created_by=by, **values)
    _validate_project(project)

    def create() -> Project:
        project.save()
        _record(project, from_status="", to_status=project.status, by=by)
        _reindex(project)
        return project

    content = {"lead": lead_organization.pk, **{key: str(value) for key, value in values.items()}}
    return once(user=by, kind="projects.create_project", content=content, model=Project, create=create)


@transaction.atomic
def update_project(*, by, project: Project, data: dict) -> Project:
    """Change a project's details (not its status, which moves through ``move_project``)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    for field, value in data.items():
        if field in PROJECT_FIELDS:
            setattr(project, field, value)
    _validate_project(project)
    project.save()
    _reindex(project)
    return project


@transaction.atomic
def move_project(*, by, project: Project, to_status: str, note: str = "") -> Project:
    """Move a project one step along the workflow, recording from, to, who, when and the note.

    Refuses a step the graph does not have (ValidationError on ``to_status`` naming the steps
    that are possible) and the step to "final report", which only a final report takes.
    The row is locked: two people moving the same project at once make one step, the other
    reads why theirs is refused.
    """
    locked = Project.objects.select_for_update().select_related("lead_organization").get(pk=project.pk)
    if not by.has_perm("projects.move_project", locked):
        raise PermissionDenied
    if to_status not in Project.Status.values:
        raise ValidationError({"to_status": [_("Unknown status.")]})
    allowed = TRANSITIONS[locked.status]
    if to_status not in allowed:
        current = Project.Status(locked.status).label
        wanted = Project.Status(to_status).label
        if allowed:
            names = ", ".join(str(Project.Status(step).label) for step in allowed)
            message = _("A project in the status “%(current)s” cannot move to “%(wanted)s”; it can move to: %(next)s.") % {
                "current": current, "wanted": wanted, "next": names,
            }
        else:
            message = _("A project in the status “%(current)s” cannot move any further.") % {"current": current}
        raise ValidationError({"to_status": [message]})
    if to_status == Project.Status.FINAL_REPORT:
        raise ValidationError({"to_status": [_("Submit the final report: it moves the project to “final report”.")]})
    _record(locked, from_status=locked.status, to_status=to_status, by=by, note=note)
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    return locked


# --- partners --------------------------------------------------------------------------------


@transaction.atomic
def add_partner(*, by, project: Project, organization: Organization, role: str) -> ProjectPartner:
    """Add a partner organization (domestic or abroad) to a project, with its role."""
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    if organization.pk == project.lead_organization_id:
        raise ValidationError({"organization": [_("The lead organization is not its own partner.")]})
    if role not in ProjectPartner.Role.values:
        raise ValidationError({"role": [_("Choose one of the roles offered.")]})
    if ProjectPartner.objects.filter(project=project, organization=organization).exists():
        raise ValidationError({"organization": [_("This organization is already a partner of the project.")]})
    try:
        with transaction.atomic():
            partner = ProjectPartner.objects.create(project=project, organization=organization, role=role)
    except IntegrityError as error:  # the same partner added at the same moment by someone else
        raise ValidationError({"organization": [_("This organization is already a partner of the project.")]}) from error
    _reindex(project)
    return partner


@transaction.atomic
def remove_partner(*, by, partner: ProjectPartner) -> None:
    project = partner.project
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    partner.delete()
    _reindex(project)


# --- milestones ------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(*, by, project: Project, title: str, due_date) -> Milestone:
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    milestone = Milestone(project=project, title=(title or "").strip(), due_date=due_date)
    milestone.full_clean(exclude=["project"])
    milestone.save()
    return milestone


@transaction.atomic
def set_milestone_done(*, by, milestone: Milestone, done: bool) -> Milestone:
    if not by.has_perm("projects.change_project", milestone.project):
        raise PermissionDenied
    milestone.done = done
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done", "done_at"])
    return milestone


# --- documents -------------------------------------------------------------------------------


def check_document(upload) -> None:
    """Refuse a file too large or not of the kinds allowed (by its name and by its first bytes)."""
    uploads.check_document(upload, max_bytes=document_max_bytes())


@transaction.atomic
def add_document(*, by, project: Project, title: str, upload) -> ProjectDocument:
    """Attach a checked file to a project (its lead's representatives and coordinators)."""
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the document a title.")]})
    check_document(upload)
    # The stored name carries a random folder: a document's address cannot be guessed.
    upload.name = f"{uuid.uuid4().hex}/{upload.name.rsplit('/', 1)[-1]}"
    document = ProjectDocument(project=project, title=title, file=upload, size=upload.size, uploaded_by=by)
    document.full_clean(exclude=["project", "file", "uploaded_by"])
    document.save()
    return document


# --- reports ---------------------------------------------------------------------------------


@transaction.atomic
def submit_report(*, by, project: Project, kind: str, data: dict) -> Report:
    """Submit a monitoring and evaluation report.

    Interim reports while the project is approved or running; the final report only while it
    runs, and it moves the project to "final report" (recorded like any other step).
    """
    locked = Project.objects.select_for_update().select_related("lead_organization").get(pk=project.pk)
    if not by.has_perm("projects.change_project", locked):
        raise PermissionDenied
    if kind == Report.Kind.FINAL:
        if locked.status != Project.Status.RUNNING:
            raise ValidationError(_("A final report is submitted while the project runs; this project is “%(status)s”.") % {
                "status": Project.Status(locked.status).label,
            })
    elif kind == Report.Kind.INTERIM:
        if locked.status not in (Project.Status.APPROVED, Project.Status.RUNNING):
            raise ValidationError(_("Interim reports are submitted for approved and running projects; this project is “%(status)s”.") % {
                "status": Project.Status(locked.status).label,
            })
    else:
        raise ValidationError({"kind": [_("Unknown kind of report.")]})
    report = Report(project=locked, kind=kind, submitted_by=by,
                    **{field: value for field, value in data.items() if field in REPORT_FIELDS})
    errors: dict[str, list[str]] = {}
    if report.period_start and report.period_end and report.period_end < report.period_start:
        errors["period_end"] = [_("The period cannot end before it starts.")]
    try:
        report.full_clean(exclude=["project", "submitted_by"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    report.save()
    if kind == Report.Kind.FINAL:
        _record(locked, from_status=locked.status, to_status=Project.Status.FINAL_REPORT, by=by)
        locked.status = Project.Status.FINAL_REPORT
        locked.save(update_fields=["status", "updated_at"])
    return report
