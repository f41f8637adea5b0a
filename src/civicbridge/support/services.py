"""Every write of the support requests goes through here, with its permission check and validation.

Who hears of what (e-mails queued in the write's transaction through ``core.notifications``,
sent by the worker after commit, each in its recipient's language):

- a request is filed: the assigned coordinator, or every coordinator while nobody is assigned;
- the organization writes in the thread: the same;
- the office writes in the thread or changes the status: the organization's representatives
  (the person who asked among them), except the one who acted;
- a coordinator is assigned: that coordinator, unless they assigned themselves.

A reply from the office marks a new or in-progress request as answered (waiting for the
organization); a reply from the organization to an answered request puts it back in progress.
Those changes are recorded in the history like any other, under the person who wrote.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from civicbridge.core.duplicates import once
from civicbridge.core.notifications import queue_mail
from civicbridge.core.rules import is_coordinator
from civicbridge.directory.models import Organization

from .models import HistoryEntry, Message, SupportRequest, TimeEntry

Status = SupportRequest.Status

# Where a request may go from each status. "Closed" may be reopened (back in progress):
# an organization that writes "it did not work after all" is not made to start again.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.CLOSED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}
MESSAGE_MAX_LENGTH = 10000
MINUTES_MAX = 24 * 60


def allowed_statuses(support_request: SupportRequest) -> list[str]:
    """The statuses a coordinator may move ``support_request`` to now, in the workflow's order."""
    targets = TRANSITIONS[support_request.status]
    return [value for value in Status.values if value in targets]


def _locked(support_request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update().select_related("organization").get(pk=support_request.pk)


def _record(support_request, *, kind, by, old_status="", new_status="", assignee=None) -> HistoryEntry:
    return HistoryEntry.objects.create(
        request=support_request, kind=kind, by=by, old_status=old_status, new_status=new_status, assignee=assignee,
    )


def _clean_body(body: str | None, *, field: str, missing: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: [missing]})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError({field: [
            _("Keep it under %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH}
        ]})
    return body


# --- requests ------------------------------------------------------------------------------------


@transaction.atomic
def create_request(*, by, organization: Organization, topic: str, subject: str, description: str) -> SupportRequest:
    """An organization's representative asks the coordination office for support.

    Refused (PermissionDenied) to anyone who does not represent ``organization`` (approved
    membership of a listed organization): coordinators answer requests, they do not file them.
    Every field is required; messages per field. The same person sending the same request
    again within the duplicate window gets the first one back (``core.duplicates``).
    """
    if not by.has_perm("support.add_request", organization):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    subject = " ".join((subject or "").split())
    if not subject:
        errors["subject"] = [_("Say in a few words what you need help with.")]
    try:
        description = _clean_body(description, field="description", missing=_("Describe what you need."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if topic not in SupportRequest.Topic.values:
        errors["topic"] = [_("Choose a topic.")]
    support_request = SupportRequest(
        organization=organization, topic=topic, subject=subject, description=description, created_by=by,
    )
    try:
        support_request.full_clean(exclude=["organization", "created_by", "assigned_to", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    def file() -> SupportRequest:
        support_request.save()
        _record(support_request, kind=HistoryEntry.Kind.CREATED, by=by, new_status=Status.NEW)
        for user in office_recipients(support_request, exclude_user_id=by.pk):
            _send(user=user, template="new_request", key=f"new:{support_request.pk}",
                  context={"support_request": support_request})
        return support_request

    content = {"organization": organization.pk, "topic": topic, "subject": subject, "description": description}
    return once(user=by, kind="support.request", content=content, model=SupportRequest, create=file)


@transaction.atomic
def post_message(*, by, support_request: SupportRequest, body: str) -> Message:
    """Write in a request's thread: its organization's representatives and coordinators.

    Not in a closed request (a coordinator reopens it first). Moves the status as the module
    says, and tells the other side.
    """
    if not by.has_perm("support.write_message", support_request):
        raise PermissionDenied
    locked = _locked(support_request)
    if locked.status == Status.CLOSED:
        raise ValidationError({"body": [_("This request is closed. Ask the coordination office to reopen it, "
                                          "or file a new request.")]})
    body = _clean_body(body, field="body", missing=_("Write your message."))
    from_office = is_coordinator(by)

    def write() -> Message:
        message = Message(request=locked, author=by, from_office=from_office, body=body)
        message.full_clean(exclude=["request", "author"])
        message.save()
        new_status = None
        if from_office and locked.status in (Status.NEW, Status.IN_PROGRESS):
            new_status = Status.WAITING
        elif not from_office and locked.status == Status.WAITING:
            new_status = Status.IN_PROGRESS
        if new_status:
            _record(locked, kind=HistoryEntry.Kind.STATUS, by=by, old_status=locked.status, new_status=new_status)
            locked.status = new_status
        locked.save(update_fields=["status", "updated_at"])
        context = {"support_request": locked, "message": message}
        if from_office:
            recipients = organization_recipients(locked, exclude_user_id=by.pk)
            template = "office_reply"
        else:
            recipients = office_recipients(locked, exclude_user_id=by.pk)
            template = "organization_reply"
        for user in recipients:
            _send(user=user, template=template, key=f"message:{message.pk}", context=context)
        return message

    content = {"request": locked.pk, "body": body}
    return once(user=by, kind="support.message", content=content, model=Message, create=write)


@transaction.atomic
def change_status(*, by, support_request: SupportRequest, status: str) -> SupportRequest:
    """A coordinator moves a request along the workflow (``TRANSITIONS``); anything else is refused.

    The organization's representatives are told.
    """
    if not by.has_perm("support.manage_request", support_request):
        raise PermissionDenied
    locked = _locked(support_request)
    if status not in Status.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    if status not in TRANSITIONS[locked.status]:
        raise ValidationError({"status": [
            _("A request that is “%(old)s” cannot become “%(new)s”.")
            % {"old": Status(locked.status).label, "new": Status(status).label}
        ]})
    entry = _record(locked, kind=HistoryEntry.Kind.STATUS, by=by, old_status=locked.status, new_status=status)
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    for user in organization_recipients(locked, exclude_user_id=by.pk):
        _send(user=user, template="status_changed", key=f"status:{entry.pk}",
              context={"support_request": locked, "entry": entry})
    return locked


@transaction.atomic
def assign(*, by, support_request: SupportRequest, coordinator) -> SupportRequest:
    """A coordinator assigns the request to a coordinator (themselves or another), or to nobody.

    Refused to others; the assignee must be an active coordinator. The assignee is told.
    """
    if not by.has_perm("support.manage_request", support_request):
        raise PermissionDenied
    if coordinator is not None and not is_coordinator(coordinator):
        raise ValidationError({"assignee": [_("Requests are assigned to coordinators only.")]})
    locked = _locked(support_request)
    new_id = coordinator.pk if coordinator is not None else None
    if locked.assigned_to_id == new_id:
        raise ValidationError({"assignee": [_("The request already has this assignment.")]})
    locked.assigned_to = coordinator
    locked.save(update_fields=["assigned_to", "updated_at"])
    entry = _record(locked, kind=HistoryEntry.Kind.ASSIGNED, by=by, assignee=coordinator)
    if coordinator is not None and coordinator.pk != by.pk:
        _send(user=coordinator, template="assigned", key=f"assigned:{entry.pk}",
              context={"support_request": locked, "entry": entry})
    return locked


@transaction.atomic
def log_time(*, by, support_request: SupportRequest, minutes, note: str = "") -> TimeEntry:
    """A coordinator logs the minutes they spent on a request (1 to a day's worth per entry)."""
    if not by.has_perm("support.manage_request", support_request):
        raise PermissionDenied
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError({"minutes": [_("Give the time in whole minutes.")]}) from None
    if not 1 <= minutes <= MINUTES_MAX:
        raise ValidationError({"minutes": [
            _("Give between 1 and %(max)s minutes per entry.") % {"max": MINUTES_MAX}
        ]})
    locked = _locked(support_request)
    entry = TimeEntry(request=locked, coordinator=by, minutes=minutes, note=" ".join((note or "").split()))
    entry.full_clean(exclude=["request", "coordinator"])
    entry.save()
    return entry


# --- e-mail --------------------------------------------------------------------------------------


def organization_recipients(support_request: SupportRequest, *, exclude_user_id=None):
    """The organization's active representatives (the person who asked, while they still are one)."""
    from civicbridge.accounts.models import Membership

    users = get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.approved().filter(organization_id=support_request.organization_id)
        .values("user_id"),
    )
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.order_by("pk")


def office_recipients(support_request: SupportRequest, *, exclude_user_id=None):
    """The assigned coordinator while they still are one; otherwise every active coordinator."""
    coordinators = get_user_model().objects.filter(is_active=True, is_coordinator=True)
    if support_request.assigned_to_id and coordinators.filter(pk=support_request.assigned_to_id).exists():
        coordinators = coordinators.filter(pk=support_request.assigned_to_id)
    if exclude_user_id is not None:
        coordinators = coordinators.exclude(pk=exclude_user_id)
    return coordinators.order_by("pk")


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def _send(*, user, template: str, key: str, context: dict) -> bool:
    """Queue one e-mail in ``user``'s language (the deployment's default if they chose none).

    Called in the write's transaction: a rolled-back write sends nothing; ``key`` (the thing
    told and the person) makes a retried write queue it once.
    """
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        full = {
            **context, "user": user, "site_url": _absolute(""),
            "link": _absolute(context["support_request"].get_absolute_url()),
        }
        subject = " ".join(render_to_string(f"support/email/{template}_subject.txt", full).split())
        body = render_to_string(f"support/email/{template}.txt", full)
    return queue_mail(key=f"support:{key}:{user.pk}", to=user.email, subject=subject, body=body, language=language)
