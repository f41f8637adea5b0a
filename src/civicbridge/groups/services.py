"""Every write of working groups and standards, with its permission check first.

- Coordinators create groups, appoint and remove members and the chair; each appointment and
  removal is a ``MemberChange`` (who, when), and a member who leaves keeps their row and posts.
- The chair (and coordinators) add meetings, which are events of kind "meeting" made through
  ``events.services.create_event`` (organized by the chair's organization), and documents.
- Members post in the group's thread; Markdown is rendered and sanitized once, at save.
- A standard moves along ``models.TRANSITIONS`` one step at a time under a row lock, each step
  recorded (``StageChange``); a step the graph does not have is refused with the steps it has.

E-mails (a new meeting, a new post) are queued in the write's transaction through
``core.notifications``: the worker sends them after commit.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicbridge.core import uploads
from civicbridge.core.markdown import render_markdown
from civicbridge.core.notifications import Mail, queue_mails
from civicbridge.core.registry import alertables
from civicbridge.core.search import build_document
from civicbridge.core.validators import clean_text

from .models import (
    TRANSITIONS,
    Document,
    DocumentVersion,
    Member,
    MemberChange,
    Post,
    Sector,
    Stage,
    StageChange,
    Standard,
    StandardVersion,
    WorkingGroup,
)

# What a group's documents and a standard's files may be, each recognised by its first bytes
# as well as by its name.
DEFAULT_FILE_MAX_BYTES = 10 * 1024 * 1024
ALERT_KEY = "standards"
MAX_POST_CHARS = 10_000
MAX_TEXT_CHARS = 200_000


def file_max_bytes() -> int:
    return getattr(settings, "CIVICBRIDGE_GROUP_FILE_MAX_BYTES", DEFAULT_FILE_MAX_BYTES)


# --- search --------------------------------------------------------------------------------------


def group_search_document(group: WorkingGroup) -> str:
    return build_document(group.name, group.purpose)


def standard_search_document(standard: Standard) -> str:
    latest = standard.versions.order_by("-number").first() if standard.pk else None
    return build_document(
        standard.title,
        standard.summary,
        standard.resolution_number,
        standard.group.name,
        latest.text if latest else "",
    )


def _reindex_group(group: WorkingGroup) -> None:
    group.search_document = group_search_document(group)
    group.save(update_fields=["search_document"])


def _reindex_standard(standard: Standard) -> None:
    standard.search_document = standard_search_document(standard)
    standard.save(update_fields=["search_document"])


# --- groups ------------------------------------------------------------------------------------


def _clean_group(name: str, purpose: str) -> tuple[str, str]:
    errors = {}
    name = clean_text(name or "", multiline=False).strip()
    purpose = clean_text(purpose or "", multiline=True).strip()
    if not name:
        errors["name"] = [_("Give the group a name.")]
    elif len(name) > 200:
        errors["name"] = [_("The name is too long (200 characters at most).")]
    if not purpose:
        errors["purpose"] = [_("Say what the group is for.")]
    elif len(purpose) > MAX_TEXT_CHARS:
        errors["purpose"] = [_("The text is too long.")]
    if errors:
        raise ValidationError(errors)
    return name, purpose


@transaction.atomic
def create_group(*, by, name: str, purpose: str) -> WorkingGroup:
    """A new working group (coordinators only), without members: they are appointed next."""
    if not by.has_perm("groups.add_group"):
        raise PermissionDenied
    name, purpose = _clean_group(name, purpose)
    group = WorkingGroup.objects.create(
        name=name,
        purpose=purpose,
        purpose_html=render_markdown(purpose),
        created_by=by,
    )
    _reindex_group(group)
    return group


@transaction.atomic
def update_group(*, by, group: WorkingGroup, name: str, purpose: str) -> WorkingGroup:
    if not by.has_perm("groups.change_group", group):
        raise PermissionDenied
    name, purpose = _clean_group(name, purpose)
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.purpose, group.purpose_html = name, purpose, render_markdown(purpose)
    group.save(update_fields=["name", "purpose", "purpose_html", "updated_at"])
    _reindex_group(group)
    for standard in group.standards.all():
        _reindex_standard(standard)
    return group


# --- members -----------------------------------------------------------------------------------


def sector_of(organization) -> str:
    """A public body's people sit for public administration; everyone else for the NGO side."""
    return Sector.PUBLIC if organization.is_public_body else Sector.NGO


def _record(member: Member, action: str, by) -> None:
    MemberChange.objects.create(member=member, action=action, by=by, at=timezone.now())


@transaction.atomic
def appoint_member(
    *, by, group: WorkingGroup, user, organization, as_chair: bool = False
) -> Member:
    """Appoint ``user`` to the group, sitting for ``organization`` (coordinators only).

    The person must represent the organization (an approved membership of a listed entry):
    nobody sits for an organization that has not made them its representative. Their sector
    follows the organization (a public body: public administration; otherwise NGO).
    """
    if not by.has_perm("groups.manage_members", group):
        raise PermissionDenied
    from civicbridge.directory.rules import is_representative_of

    WorkingGroup.objects.select_for_update().filter(pk=group.pk).first()
    if user is None or organization is None:
        raise ValidationError(_("Choose a person and the organization they sit for."))
    if not user.is_active:
        raise ValidationError({"user": [_("This account is not active.")]})
    if not is_representative_of(user, organization):
        raise ValidationError(
            {
                "organization": [
                    _(
                        "%(person)s does not represent %(organization)s: a member sits for an organization they represent."
                    )
                    % {"person": user.get_username(), "organization": organization.name}
                ]
            }
        )
    if group.members.current().filter(user=user).exists():
        raise ValidationError({"user": [_("This person is already a member of the group.")]})
    try:
        with transaction.atomic():
            member = Member.objects.create(
                group=group,
                user=user,
                organization=organization,
                sector=sector_of(organization),
                joined_at=timezone.now(),
                appointed_by=by,
            )
    except IntegrityError as error:  # appointed by someone else a moment ago
        raise ValidationError(
            {"user": [_("This person is already a member of the group.")]}
        ) from error
    _record(member, MemberChange.Action.APPOINTED, by)
    if as_chair:
        set_chair(by=by, member=member)
    return member


@transaction.atomic
def remove_member(*, by, member: Member) -> Member:
    """A member leaves (coordinators only): the row stays with the date, and their posts stay."""
    if not by.has_perm("groups.manage_members", member.group):
        raise PermissionDenied
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.left_at:
        raise ValidationError(_("This person has already left the group."))
    if locked.is_chair:
        _record(locked, MemberChange.Action.CHAIR_REMOVED, by)
    locked.is_chair = False
    locked.left_at = timezone.now()
    locked.save(update_fields=["is_chair", "left_at"])
    _record(locked, MemberChange.Action.REMOVED, by)
    return locked


@transaction.atomic
def set_chair(*, by, member: Member) -> Member:
    """Make a current member the chair (coordinators only); the previous chair stays a member."""
    if not by.has_perm("groups.manage_members", member.group):
        raise PermissionDenied
    WorkingGroup.objects.select_for_update().filter(pk=member.group_id).first()
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.left_at:
        raise ValidationError(_("Only a current member can chair the group."))
    if locked.is_chair:
        return locked
    for previous in Member.objects.select_for_update().filter(
        group_id=locked.group_id, is_chair=True
    ):
        previous.is_chair = False
        previous.save(update_fields=["is_chair"])
        _record(previous, MemberChange.Action.CHAIR_REMOVED, by)
    locked.is_chair = True
    locked.save(update_fields=["is_chair"])
    _record(locked, MemberChange.Action.CHAIR, by)
    return locked


# --- meetings ----------------------------------------------------------------------------------


def _chair_of(group: WorkingGroup) -> Member | None:
    return (
        group.members.current().filter(is_chair=True).select_related("organization", "user").first()
    )


@transaction.atomic
def add_meeting(*, by, group: WorkingGroup, data: dict):
    """A meeting of the group: an event of kind "meeting" organized by the chair's organization,
    made through the events' service (its checks and alerts), then linked to the group.

    The chair and coordinators may; the group must have a chair (whose organization organizes).
    Every current member but the author learns of it by e-mail.
    """
    from civicbridge.events import services as event_services
    from civicbridge.events.models import Event

    if not by.has_perm("groups.add_meeting", group):
        raise PermissionDenied
    chair = _chair_of(group)
    if chair is None:
        raise ValidationError(_("The group has no chair yet: a coordinator appoints one first."))
    values = {
        name: data.get(name)
        for name in ("title", "description", "starts_at", "ends_at", "venue", "territory")
    }
    values["kind"] = Event.Kind.MEETING
    values["hours"] = _hours_between(values["starts_at"], values["ends_at"])
    values["description"] = values["description"] or ""
    event = event_services.create_event(
        by=by, data=values, organizers=[chair.organization], publish=True
    )
    group.meetings.add(event)
    _tell_members(
        group,
        exclude_user=by,
        template="meeting",
        context={"event": event},
        key=f"groups:meeting:{group.pk}:{event.pk}",
    )
    return event


def _hours_between(starts_at, ends_at) -> Decimal | None:
    if not (isinstance(starts_at, datetime.datetime) and isinstance(ends_at, datetime.datetime)):
        return None
    seconds = max((ends_at - starts_at).total_seconds(), 0)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- documents ---------------------------------------------------------------------------------


def check_file(upload, *, field: str = "file") -> None:
    """Refuse a file too large or not an office document or PDF (by its name and by its first bytes)."""
    uploads.check_document(upload, max_bytes=file_max_bytes(), kinds=uploads.OFFICE_DOCUMENT_TYPES, field=field)


def _stored_name(upload) -> None:
    # A random folder: a file's address cannot be guessed.
    upload.name = f"{uuid.uuid4().hex}/{upload.name.rsplit('/', 1)[-1]}"


def _clean_note(note: str) -> str:
    note = clean_text(note or "", multiline=False).strip()
    if len(note) > 300:
        raise ValidationError({"note": [_("The note is too long (300 characters at most).")]})
    return note


@transaction.atomic
def add_document(*, by, group: WorkingGroup, title: str, upload, note: str = "") -> Document:
    """A working document (its first version); the chair and coordinators may."""
    if not by.has_perm("groups.add_document", group):
        raise PermissionDenied
    title = clean_text(title or "", multiline=False).strip()
    if not title:
        raise ValidationError({"title": [_("Give the document a title.")]})
    if len(title) > 200:
        raise ValidationError({"title": [_("The title is too long (200 characters at most).")]})
    note = _clean_note(note)
    check_file(upload)
    document = Document.objects.create(group=group, title=title, created_by=by, latest_version=1)
    _stored_name(upload)
    DocumentVersion.objects.create(
        document=document, number=1, file=upload, size=upload.size, note=note, uploaded_by=by
    )
    return document


@transaction.atomic
def add_document_version(*, by, document: Document, upload, note: str = "") -> DocumentVersion:
    """A new version of a document; the earlier ones stay."""
    if not by.has_perm("groups.add_document", document.group):
        raise PermissionDenied
    note = _clean_note(note)
    check_file(upload)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    locked.latest_version += 1
    locked.save(update_fields=["latest_version"])
    _stored_name(upload)
    return DocumentVersion.objects.create(
        document=locked,
        number=locked.latest_version,
        file=upload,
        size=upload.size,
        note=note,
        uploaded_by=by,
    )


# --- the thread --------------------------------------------------------------------------------


@transaction.atomic
def add_post(*, by, group: WorkingGroup, body: str) -> Post:
    """A message in the group's thread, by a current member; the others are told by e-mail."""
    if not by.has_perm("groups.post", group):
        raise PermissionDenied
    body = clean_text(body or "", multiline=True).strip()
    if not body:
        raise ValidationError({"body": [_("The message is empty.")]})
    if len(body) > MAX_POST_CHARS:
        raise ValidationError(
            {
                "body": [
                    _("The message is too long (%(count)s characters at most).")
                    % {"count": MAX_POST_CHARS}
                ]
            }
        )
    member = group.members.current().get(user=by)
    post = Post.objects.create(
        group=group, member=member, body=body, body_html=render_markdown(body)
    )
    _tell_members(
        group,
        exclude_user=by,
        template="post",
        context={"post": post, "author": member.name},
        key=f"groups:post:{post.pk}",
    )
    return post


# --- e-mail ------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def _tell_members(
    group: WorkingGroup, *, exclude_user, template: str, context: dict, key: str
) -> int:
    """One e-mail to each current member but ``exclude_user``, in their preferred language."""
    members = group.members.current().exclude(user=exclude_user).select_related("user")
    mails = []
    for member in members:
        person = member.user
        if not person.email or not person.is_active:
            continue
        language = person.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            full = {
                **context,
                "group": group,
                "member": member,
                "link": _absolute(group.get_absolute_url()),
            }
            subject = " ".join(
                render_to_string(f"groups/email/{template}_subject.txt", full).split()
            )
            body = render_to_string(f"groups/email/{template}.txt", full)
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        mails.append(
            Mail(
                key=f"{key}:{member.user_id}:{digest}",
                to=person.email,
                subject=subject,
                body=body,
                language=language,
                headers={},
            )
        )
    return queue_mails(mails)


# --- standards ---------------------------------------------------------------------------------


def _clean_standard(title: str, summary: str, kind: str) -> tuple[str, str, str]:
    errors = {}
    title = clean_text(title or "", multiline=False).strip()
    summary = clean_text(summary or "", multiline=True).strip()
    if not title:
        errors["title"] = [_("Give the standard a title.")]
    elif len(title) > 300:
        errors["title"] = [_("The title is too long (300 characters at most).")]
    if len(summary) > 5_000:
        errors["summary"] = [_("The summary is too long (5,000 characters at most).")]
    if kind not in Standard.Kind.values:
        errors["kind"] = [_("Choose one of the kinds offered.")]
    if errors:
        raise ValidationError(errors)
    return title, summary, kind


def _new_version(standard: Standard, *, by, text: str, upload, note: str) -> StandardVersion:
    text = clean_text(text or "", multiline=True).strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError({"text": [_("The text is too long.")]})
    if not text and upload is None:
        raise ValidationError({"text": [_("Give the text, or upload it as a file (or both).")]})
    note = _clean_note(note)
    if upload is not None:
        check_file(upload)
        _stored_name(upload)
    standard.latest_version += 1
    standard.save(update_fields=["latest_version", "updated_at"])
    return StandardVersion.objects.create(
        standard=standard,
        number=standard.latest_version,
        text=text,
        text_html=render_markdown(text) if text else "",
        file=upload or "",
        size=upload.size if upload is not None else 0,
        note=note,
        created_by=by,
    )


@transaction.atomic
def create_standard(
    *,
    by,
    group: WorkingGroup,
    title: str,
    summary: str = "",
    kind: str = Standard.Kind.STANDARD,
    text: str = "",
    upload=None,
    note: str = "",
) -> Standard:
    """A standard the group drafts, with its first version, in the stage "draft" (the chair and coordinators)."""
    if not by.has_perm("groups.add_standard", group):
        raise PermissionDenied
    title, summary, kind = _clean_standard(title, summary, kind)
    standard = Standard.objects.create(
        group=group, title=title, summary=summary, kind=kind, created_by=by
    )
    _new_version(standard, by=by, text=text, upload=upload, note=note)
    StageChange.objects.create(
        standard=standard, from_stage="", to_stage=Stage.DRAFT, by=by, at=timezone.now()
    )
    _reindex_standard(standard)
    return standard


@transaction.atomic
def add_standard_version(
    *, by, standard: Standard, text: str = "", upload=None, note: str = ""
) -> StandardVersion:
    """A new version of the text, kept beside the earlier ones; only before adoption."""
    if not by.has_perm("groups.change_standard", standard):
        raise PermissionDenied
    locked = Standard.objects.select_for_update().select_related("group").get(pk=standard.pk)
    if not locked.is_editable:
        raise ValidationError(
            _(
                "The standard is adopted: its text is the one of the resolution and no longer changes."
            )
        )
    version = _new_version(locked, by=by, text=text, upload=upload, note=note)
    _reindex_standard(locked)
    return version


def _step_refused(current: str, wanted: str) -> ValidationError:
    allowed = TRANSITIONS[current]
    labels = {"current": Stage(current).label, "wanted": Stage(wanted).label}
    if allowed:
        message = _(
            "A standard at the stage “%(current)s” cannot move to “%(wanted)s”; it can move to: %(next)s."
        ) % {
            **labels,
            "next": ", ".join(str(Stage(step).label) for step in allowed),
        }
    else:
        message = _("A standard at the stage “%(current)s” cannot move any further.") % {
            "current": labels["current"]
        }
    return ValidationError({"to_stage": [message]})


@transaction.atomic
def move_standard(
    *,
    by,
    standard: Standard,
    to_stage: str,
    note: str = "",
    consultation=None,
    resolution_number: str = "",
    resolution_date=None,
    adopting_body=None,
    trainings=(),
) -> Standard:
    """Move a standard one step along the adoption workflow, recording who, when and the note.

    What each step needs: "in consultation" the consultation it is in (or, for one held
    off the platform, a note saying where); "adopted" the resolution's number and date and the public body that adopted
    it; "training delivered" at least one training (an event of a training kind) that has
    taken place. The row is locked: two people moving the same standard at once make one step,
    the other reads why theirs is refused. The chair takes a draft into consultation; the steps
    after it (the authority's acts) are recorded by coordinators.
    """
    locked = Standard.objects.select_for_update().select_related("group").get(pk=standard.pk)
    if not by.has_perm("groups.move_standard", locked):
        raise PermissionDenied
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": [_("Unknown stage.")]})
    if to_stage not in TRANSITIONS[locked.stage]:
        raise _step_refused(locked.stage, to_stage)
    if to_stage != Stage.IN_CONSULTATION and not by.has_perm("groups.record_adoption", locked):
        raise PermissionDenied
    note = clean_text(note or "", multiline=True).strip()
    now = timezone.now()
    fields = ["stage", "updated_at"]
    if to_stage == Stage.IN_CONSULTATION:
        _link_consultation(locked, consultation, note, fields)
    elif to_stage == Stage.ADOPTED:
        _adopt(locked, resolution_number, resolution_date, adopting_body, fields)
    elif to_stage == Stage.PUBLISHED:
        locked.published_at = now
        fields.append("published_at")
        # Subscribers of standards hear of it through the alerts, after commit.
        transaction.on_commit(lambda: alertables.published(ALERT_KEY, locked))
    elif to_stage == Stage.TRAINING_DELIVERED:
        _trainings_delivered(locked, trainings, now)
    StageChange.objects.create(
        standard=locked, from_stage=locked.stage, to_stage=to_stage, by=by, at=now, note=note
    )
    locked.stage = to_stage
    locked.save(update_fields=fields)
    _reindex_standard(locked)
    return locked


def _link_consultation(standard: Standard, consultation, note: str, fields: list[str]) -> None:
    """The consultation on the platform the standard is in; one held elsewhere (before the
    platform, on paper) is said in the note instead."""
    if consultation is not None:
        standard.consultation = consultation
        fields.append("consultation")
    elif not note:
        raise ValidationError(
            {
                "consultation": [
                    _(
                        "Choose the consultation the standard is in, or say in the note where it is held."
                    )
                ]
            }
        )


def _adopt(standard: Standard, number: str, date, body, fields: list[str]) -> None:
    errors = {}
    number = clean_text(number or "", multiline=False).strip()
    if not number:
        errors["resolution_number"] = [_("Give the number of the resolution that adopted it.")]
    elif len(number) > 100:
        errors["resolution_number"] = [_("The number is too long (100 characters at most).")]
    if date is None:
        errors["resolution_date"] = [_("Give the date of the resolution.")]
    elif date > timezone.localdate(timezone=timezone.get_default_timezone()):
        errors["resolution_date"] = [_("The resolution's date cannot be in the future.")]
    if body is None:
        errors["adopting_body"] = [_("Choose the public body that adopted it.")]
    elif not body.is_public_body:
        errors["adopting_body"] = [_("A standard is adopted by a public body: choose one.")]
    if errors:
        raise ValidationError(errors)
    standard.resolution_number, standard.resolution_date, standard.adopting_body = (
        number,
        date,
        body,
    )
    fields += ["resolution_number", "resolution_date", "adopting_body"]


def _trainings_delivered(standard: Standard, trainings, now) -> None:
    from civicbridge.events.models import Event

    trainings = list(trainings)
    if not trainings:
        raise ValidationError({"trainings": [_("Name at least one training on the standard.")]})
    for event in trainings:
        if event.kind not in Event.TRAINING_KINDS:
            raise ValidationError(
                {"trainings": [_("“%(title)s” is not a training.") % {"title": event.title}]}
            )
        if event.cancelled_at or event.starts_at > now:
            raise ValidationError(
                {
                    "trainings": [
                        _(
                            "“%(title)s” has not taken place: only a training held counts as delivered."
                        )
                        % {"title": event.title}
                    ]
                }
            )
    standard.trainings.add(*trainings)
