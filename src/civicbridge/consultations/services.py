"""Every write of consultations, sections and remarks goes through here, with its permission check.

- A consultation is opened by an officer of its issuing body (or a coordinator), as a draft;
  publishing it checks that it lasts at least the body's minimum for its kind of act
  (``MinimumDuration``; ``CIVICBRIDGE_CONSULTATION_MIN_DAYS``, 7 days, where none is set).
- A section's wording changes by a new ``SectionVersion``; a remark points at the version it
  was made on, so nothing anyone wrote loses its context. A section with remarks is
  withdrawn, never deleted; after the end the draft is fixed.
- Remarks are made by the invited, while the phase allows COMMENT, at most
  ``CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR`` an hour per person. Editing one locks its
  row and adds a ``RemarkVersion``: two edits at once keep both versions.
- After the end the body answers each remark; publishing the report tells each author the
  answer to their remarks (e-mails queued through ``core.notifications``, sent by the worker).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civicbridge.core import counters, uploads
from civicbridge.core.markdown import render_markdown
from civicbridge.core.notifications import Mail, queue_mails
from civicbridge.core.registry import alertables
from civicbridge.core.search import build_document
from civicbridge.core.validators import clean_text

from . import phases
from .models import (
    Attachment,
    Consultation,
    Follower,
    MinimumDuration,
    Remark,
    RemarkVersion,
    Section,
    SectionVersion,
)
from .splitting import ParsedSection, max_file_bytes, max_sections

CONSULTATION_FIELDS = (
    "title",
    "kind",
    "issuing_body",
    "legal_basis",
    "description",
    "territory",
    "invitation",
    "starts_at",
    "ends_at",
    "remarks_visibility",
    "contact",
)
ALERT_KEY = "consultations"
REMINDER_HOURS = 48
DEFAULT_MIN_DAYS = 7
DEFAULT_REMARKS_PER_HOUR = 30


class RemarkLimitReached(ValidationError):
    """Too many remarks in the last hour: the page answers 429."""


# --- search ----------------------------------------------------------------------------------------


def consultation_search_document(consultation: Consultation) -> str:
    parts = [
        consultation.title,
        consultation.description,
        consultation.legal_basis,
        consultation.get_kind_display(),
    ]
    if consultation.issuing_body_id:
        parts.append(consultation.issuing_body.name)
    if consultation.territory_id:
        territory = consultation.territory
        parts += [territory.name_en, territory.name_pl, territory.name_tr, territory.code]
    if consultation.pk:
        for area in consultation.thematic_areas.all():
            parts += [area.name_en, area.name_pl, area.name_tr]
    return build_document(*parts)


def _reindex(consultation: Consultation) -> None:
    consultation.search_document = consultation_search_document(consultation)
    consultation.save(update_fields=["search_document"])


# --- durations ------------------------------------------------------------------------------------


def minimum_days(body, kind: str) -> int:
    """The least number of days a consultation of ``kind`` by ``body`` lasts."""
    days = (
        MinimumDuration.objects.filter(body=body, kind=kind).values_list("days", flat=True).first()
    )
    if days:
        return days
    return getattr(settings, "CIVICBRIDGE_CONSULTATION_MIN_DAYS", DEFAULT_MIN_DAYS)


@transaction.atomic
def set_minimum_duration(*, by, body, kind: str, days: int, basis: str = "") -> MinimumDuration:
    """Set the body's minimum for a kind of act (its officers or a coordinator)."""
    if not by.has_perm("consultations.set_minimum_duration", body):
        raise PermissionDenied
    if days is None or days < 1:
        raise ValidationError({"days": [_("A consultation lasts at least one day.")]})
    minimum, _created = MinimumDuration.objects.update_or_create(
        body=body,
        kind=kind,
        defaults={
            "days": days,
            "basis": clean_text(basis or "", multiline=False).strip(),
            "updated_by": by,
        },
    )
    return minimum


# --- consultations ---------------------------------------------------------------------------------


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _validate(consultation: Consultation, *, invited=None, meetings=None) -> None:
    from civicbridge.directory.models import Organization

    errors: dict[str, list[str]] = {}
    consultation.title = clean_text(consultation.title or "", multiline=False).strip()
    consultation.legal_basis = clean_text(consultation.legal_basis or "", multiline=True).strip()
    consultation.description = clean_text(consultation.description or "", multiline=True)
    consultation.contact = clean_text(consultation.contact or "", multiline=False).strip()
    consultation.description_html = str(render_markdown(consultation.description))
    if (
        consultation.issuing_body_id
        and consultation.issuing_body.kind not in Organization.PUBLIC_KINDS
    ):
        errors.setdefault("issuing_body", []).append(_("Only a public body issues a consultation."))
    if consultation.starts_at and consultation.ends_at:
        if consultation.ends_at <= consultation.starts_at:
            errors.setdefault("ends_at", []).append(_("The consultation must end after it starts."))
        elif consultation.issuing_body_id and consultation.kind:
            days = minimum_days(consultation.issuing_body, consultation.kind)
            if consultation.ends_at - consultation.starts_at < timedelta(days=days):
                errors.setdefault("ends_at", []).append(
                    _(
                        "A consultation of this kind of act by this body lasts at least %(days)s days: "
                        "end it on %(earliest)s or later."
                    )
                    % {
                        "days": days,
                        "earliest": _moment(consultation.starts_at + timedelta(days=days)),
                    }
                )
    if meetings and consultation.issuing_body_id:
        body_id = consultation.issuing_body_id
        if any(not event.organizers.filter(pk=body_id).exists() for event in meetings):
            errors.setdefault("meetings", []).append(
                _("A meeting of the consultation is an event its issuing body organizes.")
            )
    if (
        invited is not None
        and consultation.invitation == Consultation.Invitation.LIST
        and not list(invited)
    ):
        errors.setdefault("invited_organizations", []).append(
            _("List at least one invited organization.")
        )
    if errors:
        raise ValidationError(errors)
    try:
        consultation.full_clean(
            exclude=[
                "created_by",
                "search_document",
                "thematic_areas",
                "invited_organizations",
                "meetings",
            ]
        )
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _set_relations(
    consultation, *, thematic_areas=None, invited_organizations=None, meetings=None
) -> None:
    if thematic_areas is not None:
        consultation.thematic_areas.set(thematic_areas)
    if invited_organizations is not None:
        consultation.invited_organizations.set(invited_organizations)
    if meetings is not None:
        consultation.meetings.set(meetings)


@transaction.atomic
def create_consultation(
    *,
    by,
    data: dict,
    thematic_areas=(),
    invited_organizations=(),
    meetings=(),
    sections=(),
) -> Consultation:
    """A draft consultation of ``data["issuing_body"]`` (``by`` is one of its officers, or a
    coordinator); ``sections``: ParsedSections to start its draft with. Published later."""
    body = data.get("issuing_body")
    if not by.has_perm("consultations.add_consultation", body):
        raise PermissionDenied
    consultation = Consultation(
        created_by=by,
        **{name: value for name, value in data.items() if name in CONSULTATION_FIELDS},
    )
    invited = list(invited_organizations)
    meetings = list(meetings)
    _validate(consultation, invited=invited, meetings=meetings)
    consultation.save()
    _set_relations(
        consultation,
        thematic_areas=thematic_areas,
        invited_organizations=invited,
        meetings=meetings,
    )
    if sections:
        _append_sections(consultation, list(sections), by=by)
    _reindex(consultation)
    return consultation


@transaction.atomic
def update_consultation(
    *,
    by,
    consultation: Consultation,
    data: dict,
    thematic_areas=None,
    invited_organizations=None,
    meetings=None,
) -> Consultation:
    """Change a consultation (its body's officers, coordinators). Once it has started, its
    start stays; once it has ended, its dates and its invitation stay."""
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    locked = (
        Consultation.objects.select_for_update()
        .select_related("issuing_body")
        .get(pk=consultation.pk)
    )
    now = timezone.now()
    started = locked.published_at is not None and locked.starts_at <= now
    ended = locked.published_at is not None and locked.ends_at < now
    errors = {}
    if "issuing_body" in data and data["issuing_body"] != locked.issuing_body:
        if locked.published_at:
            errors["issuing_body"] = [_("The issuing body of a published consultation stays.")]
        elif not by.has_perm("consultations.add_consultation", data["issuing_body"]):
            raise PermissionDenied
    if started and "starts_at" in data and data["starts_at"] != locked.starts_at:
        errors["starts_at"] = [_("The consultation has started: its start stays.")]
    if ended and "ends_at" in data and data["ends_at"] != locked.ends_at:
        errors["ends_at"] = [_("The consultation has ended: its end stays.")]
    if ended and "invitation" in data and data["invitation"] != locked.invitation:
        errors["invitation"] = [_("The consultation has ended: who was invited stays.")]
    if errors:
        raise ValidationError(errors)
    for name, value in data.items():
        if name in CONSULTATION_FIELDS:
            setattr(locked, name, value)
    invited = (
        list(invited_organizations)
        if invited_organizations is not None
        else list(locked.invited_organizations.all())
    )
    meetings = list(meetings) if meetings is not None else None
    _validate(locked, invited=invited, meetings=meetings)
    locked.save()
    _set_relations(
        locked,
        thematic_areas=thematic_areas,
        invited_organizations=invited_organizations,
        meetings=meetings,
    )
    _reindex(locked)
    return locked


@transaction.atomic
def publish_consultation(*, by, consultation: Consultation) -> Consultation:
    """Make a draft public: it needs at least one section and its full duration ahead of it.
    Subscribers of its territory and thematic areas hear of it (the alerts, after commit)."""
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    locked = (
        Consultation.objects.select_for_update()
        .select_related("issuing_body")
        .get(pk=consultation.pk)
    )
    if locked.published_at:
        raise ValidationError(_("This consultation is already published."))
    if not locked.sections.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError(_("Add the draft's sections before publishing."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(
            {
                "ends_at": [
                    _("The consultation's end has passed: set a later end before publishing.")
                ]
            }
        )
    _validate(locked)
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    transaction.on_commit(lambda: alertables.published(ALERT_KEY, locked))
    return locked


def _check_draft_open(consultation: Consultation) -> None:
    if consultation.published_at and consultation.ends_at < timezone.now():
        raise ValidationError(_("The consultation has ended: the draft consulted stays as it was."))


# --- sections ---------------------------------------------------------------------------------------


def _clean_section(label: str, heading: str, text: str) -> tuple[str, str, str]:
    label = clean_text(label or "", multiline=False).strip()
    heading = clean_text(heading or "", multiline=False).strip()
    text = clean_text(text or "", multiline=True).strip()
    errors = {}
    if len(label) > Section._meta.get_field("label").max_length:
        errors["label"] = [_("The number is too long (at most %(n)s characters).") % {"n": 60}]
    if len(heading) > Section._meta.get_field("heading").max_length:
        errors["heading"] = [_("The heading is too long (at most %(n)s characters).") % {"n": 300}]
    if not (label or heading or text):
        errors["text"] = [_("A section needs a number, a heading or a text.")]
    if errors:
        raise ValidationError(errors)
    return label, heading, text


def _append_sections(
    consultation: Consultation, parsed: list[ParsedSection], *, by
) -> list[Section]:
    current = consultation.sections.filter(withdrawn_at__isnull=True).count()
    if current + len(parsed) > max_sections():
        raise ValidationError(_("A draft has at most %(n)s sections.") % {"n": max_sections()})
    start = (consultation.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    sections = []
    for offset, item in enumerate(parsed):
        label, heading, text = _clean_section(item.label, item.heading, item.text)
        sections.append(
            Section(
                consultation=consultation,
                position=start + offset,
                label=label,
                heading=heading,
                text=text,
            )
        )
    Section.objects.bulk_create(sections)
    if not all(
        section.pk for section in sections
    ):  # backends that return no ids from a bulk insert
        sections = list(consultation.sections.filter(position__gte=start).order_by("position"))
    SectionVersion.objects.bulk_create(
        SectionVersion(
            section=section,
            number=1,
            label=section.label,
            heading=section.heading,
            text=section.text,
            created_by=by,
        )
        for section in sections
    )
    return sections


@transaction.atomic
def add_section(
    *, by, consultation: Consultation, label: str = "", heading: str = "", text: str = ""
) -> Section:
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    _check_draft_open(consultation)
    return _append_sections(consultation, [ParsedSection(label, heading, text)], by=by)[0]


@transaction.atomic
def import_sections(
    *, by, consultation: Consultation, sections: list[ParsedSection], replace: bool = False
) -> list[Section]:
    """Add the split draft's sections after the existing ones, or in their place (``replace``:
    sections without remarks are deleted, those with remarks withdrawn, so that no remark
    loses the text it was made on)."""
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    _check_draft_open(consultation)
    if not sections:
        raise ValidationError(_("The text holds no section."))
    if replace:
        existing = consultation.sections.filter(withdrawn_at__isnull=True)
        with_remarks = (
            existing.filter(remarks__isnull=False).distinct().values_list("pk", flat=True)
        )
        Section.objects.filter(pk__in=list(with_remarks)).update(withdrawn_at=timezone.now())
        existing.filter(remarks__isnull=True).delete()
    return _append_sections(consultation, list(sections), by=by)


@transaction.atomic
def update_section(*, by, section: Section, label: str, heading: str, text: str) -> Section:
    """Change a section's wording: the former wording stays as a version, with its remarks."""
    consultation = section.consultation
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    locked = Section.objects.select_for_update().get(pk=section.pk)
    _check_draft_open(consultation)
    if locked.withdrawn_at:
        raise ValidationError(_("This section is withdrawn from the draft."))
    label, heading, text = _clean_section(label, heading, text)
    if (label, heading, text) == (locked.label, locked.heading, locked.text):
        return locked
    locked.label, locked.heading, locked.text = label, heading, text
    locked.version = F("version") + 1
    locked.save(update_fields=["label", "heading", "text", "version"])
    locked.refresh_from_db(fields=["version"])
    SectionVersion.objects.create(
        section=locked,
        number=locked.version,
        label=label,
        heading=heading,
        text=text,
        created_by=by,
    )
    return locked


@transaction.atomic
def remove_section(*, by, section: Section) -> None:
    """Take a section out of the draft: deleted when nobody remarked on it, else withdrawn
    (its remarks and the text they were made on stay)."""
    consultation = section.consultation
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    locked = Section.objects.select_for_update().get(pk=section.pk)
    _check_draft_open(consultation)
    if locked.remarks.exists():
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
    else:
        locked.delete()


@transaction.atomic
def move_section(*, by, section: Section, offset: int) -> None:
    """Move a section one place up (``offset`` -1) or down (+1) among the current sections."""
    consultation = section.consultation
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    _check_draft_open(consultation)
    current = consultation.sections.filter(withdrawn_at__isnull=True)
    if offset < 0:
        neighbour = current.filter(position__lt=section.position).order_by("-position").first()
    else:
        neighbour = current.filter(position__gt=section.position).order_by("position").first()
    if neighbour is None:
        return
    mine, theirs = section.position, neighbour.position
    Section.objects.filter(pk=section.pk).update(position=theirs)
    Section.objects.filter(pk=neighbour.pk).update(position=mine)


# --- attachments --------------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(*, by, consultation: Consultation, title: str, upload) -> Attachment:
    """Attach a checked file (PDF, office documents, images) to a consultation."""
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    title = clean_text(title or "", multiline=False).strip()
    if not title:
        raise ValidationError({"title": [_("Give the attachment a title.")]})
    uploads.check_document(upload, max_bytes=max_file_bytes())
    # The stored name carries a random folder: an attachment's address cannot be guessed before it is published.
    upload.name = f"{uuid.uuid4().hex}/{upload.name.rsplit('/', 1)[-1]}"
    attachment = Attachment(
        consultation=consultation, title=title, file=upload, size=upload.size, uploaded_by=by
    )
    attachment.full_clean(exclude=["consultation", "file", "uploaded_by"])
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, by, attachment: Attachment) -> None:
    if not by.has_perm("consultations.change_consultation", attachment.consultation):
        raise PermissionDenied
    attachment.file.delete(save=False)
    attachment.delete()


# --- remarks ------------------------------------------------------------------------------------------


def remarks_closed_message(consultation: Consultation) -> str:
    """Why remarks cannot be made now, in the visitor's language."""
    key = phases.phase_key(consultation)
    if key == phases.DRAFT:
        return _("This consultation is not published: it takes no remarks.")
    if key == phases.BEFORE:
        return _("Remarks can be made from %(start)s.") % {"start": _moment(consultation.starts_at)}
    return _("The consultation ended on %(end)s: remarks can no longer be made or changed.") % {
        "end": _moment(consultation.ends_at)
    }


def remarks_per_hour() -> int:
    return getattr(settings, "CIVICBRIDGE_CONSULTATION_REMARKS_PER_HOUR", DEFAULT_REMARKS_PER_HOUR)


def _check_speaker(consultation: Consultation, user, organization) -> None:
    from .selectors import speaking_options

    options = speaking_options(consultation, user)
    if organization is None:
        if not options.as_citizen:
            raise ValidationError(
                {
                    "organization": [
                        _(
                            "Choose the organization you speak for: this consultation invites organizations."
                        )
                    ]
                }
            )
    elif organization.pk not in {org.pk for org in options.organizations}:
        raise ValidationError(
            {"organization": [_("You can speak only for an invited organization you represent.")]}
        )


def _clean_remark(proposed_wording: str, justification: str) -> tuple[str, str]:
    proposed_wording = clean_text(proposed_wording or "", multiline=True).strip()
    justification = clean_text(justification or "", multiline=True).strip()
    if not proposed_wording and not justification:
        raise ValidationError(
            {"justification": [_("Write a proposed wording, a comment, or both.")]}
        )
    limit = 20_000
    if len(proposed_wording) > limit:
        raise ValidationError({"proposed_wording": [_("At most %(n)s characters.") % {"n": limit}]})
    if len(justification) > limit:
        raise ValidationError({"justification": [_("At most %(n)s characters.") % {"n": limit}]})
    return proposed_wording, justification


@transaction.atomic
def submit_remark(
    *,
    by,
    consultation: Consultation,
    section: Section | None = None,
    organization=None,
    proposed_wording: str = "",
    justification: str = "",
    language: str = "",
) -> Remark:
    """A remark on ``section`` (or on the whole act when None), by an invited person, for an
    invited organization they represent or as a citizen where everyone is invited; refused
    outside the open phase with a message that says why, and past the hourly limit."""
    if not by.has_perm("consultations.add_remark", consultation):
        raise PermissionDenied
    if not phases.accepts_remarks(consultation):
        raise ValidationError(remarks_closed_message(consultation))
    if section is not None:
        if section.consultation_id != consultation.pk:
            raise ValidationError(
                {"section": [_("This section is not part of this consultation.")]}
            )
        if section.withdrawn_at:
            raise ValidationError({"section": [_("This section is withdrawn from the draft.")]})
    _check_speaker(consultation, by, organization)
    proposed_wording, justification = _clean_remark(proposed_wording, justification)
    key = f"consultations:remarks:{by.pk}"
    if counters.increment(key, ttl=3600)[key].value > remarks_per_hour():
        raise RemarkLimitReached(
            _("You have made %(n)s remarks in the last hour, the most allowed. Try again later.")
            % {"n": remarks_per_hour()}
        )
    now = timezone.now()
    html = str(render_markdown(justification))
    version = None
    if section is not None:
        version = SectionVersion.objects.only("pk").get(section=section, number=section.version)
    remark = Remark.objects.create(
        consultation=consultation,
        section=section,
        section_version=version,
        author=by,
        organization=organization,
        proposed_wording=proposed_wording,
        justification=justification,
        justification_html=html,
        submitted_at=now,
        language=language or translation.get_language() or "",
    )
    RemarkVersion.objects.create(
        remark=remark,
        number=1,
        proposed_wording=proposed_wording,
        justification=justification,
        justification_html=html,
        organization=organization,
        created_at=now,
    )
    return remark


@transaction.atomic
def edit_remark(
    *, by, remark: Remark, proposed_wording: str = "", justification: str = "", organization=None
) -> Remark:
    """Change one's own remark while the consultation is open; the earlier wording stays as a version."""
    if not by.has_perm("consultations.change_remark", remark):
        raise PermissionDenied
    locked = Remark.objects.select_for_update().select_related("consultation").get(pk=remark.pk)
    consultation = locked.consultation
    if not phases.accepts_remarks(consultation):
        raise ValidationError(remarks_closed_message(consultation))
    if locked.hidden_at:
        raise ValidationError(
            _("This remark was hidden by the moderator: it can no longer be changed.")
        )
    _check_speaker(consultation, by, organization)
    proposed_wording, justification = _clean_remark(proposed_wording, justification)
    if (proposed_wording, justification, organization and organization.pk) == (
        locked.proposed_wording,
        locked.justification,
        locked.organization_id,
    ):
        return locked
    now = timezone.now()
    locked.proposed_wording, locked.justification = proposed_wording, justification
    locked.justification_html = str(render_markdown(justification))
    locked.organization = organization
    locked.version += 1
    locked.save(
        update_fields=[
            "proposed_wording",
            "justification",
            "justification_html",
            "organization",
            "version",
            "updated_at",
        ]
    )
    RemarkVersion.objects.create(
        remark=locked,
        number=locked.version,
        proposed_wording=proposed_wording,
        justification=justification,
        justification_html=locked.justification_html,
        organization=organization,
        created_at=now,
    )
    return locked


def _report_changed(consultation_id: int) -> None:
    Consultation.objects.filter(pk=consultation_id).update(report_changed_at=timezone.now())


@transaction.atomic
def hide_remark(*, by, remark: Remark, reason: str) -> Remark:
    """Hide a remark (offensive, off-topic, personal data): its text is no longer shown
    anywhere; the report lists it as hidden with the reason."""
    if not by.has_perm("consultations.moderate_remark", remark.consultation):
        raise PermissionDenied
    reason = clean_text(reason or "", multiline=False).strip()
    if not reason:
        raise ValidationError(
            {"reason": [_("Say why the remark is hidden: the report shows the reason.")]}
        )
    if len(reason) > 500:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": 500}]})
    locked = Remark.objects.select_for_update().get(pk=remark.pk)
    locked.hidden_at, locked.hidden_reason, locked.hidden_by = timezone.now(), reason, by
    locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    _report_changed(locked.consultation_id)
    return locked


@transaction.atomic
def unhide_remark(*, by, remark: Remark) -> Remark:
    if not by.has_perm("consultations.moderate_remark", remark.consultation):
        raise PermissionDenied
    locked = Remark.objects.select_for_update().get(pk=remark.pk)
    locked.hidden_at, locked.hidden_reason, locked.hidden_by = None, "", None
    locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    _report_changed(locked.consultation_id)
    return locked


# --- answers and the report -----------------------------------------------------------------------


def answers_closed_message(consultation: Consultation) -> str:
    key = phases.phase_key(consultation)
    if key == phases.REPORTED:
        return _("The report is published: its answers stay as they are.")
    return _("Remarks are answered after the consultation ends (on %(end)s).") % {
        "end": _moment(consultation.ends_at)
    }


@dataclass(frozen=True)
class AnswerInput:
    answer: str
    justification: str


def _apply_answer(remark: Remark, item: AnswerInput, *, by, now) -> None:
    answer = item.answer or ""
    justification = clean_text(item.justification or "", multiline=True).strip()
    if answer and answer not in Remark.Answer.values:
        raise ValidationError({"answer": [_("Choose accepted, partly accepted or not accepted.")]})
    if answer and not justification:
        raise ValidationError(
            {
                "answer_justification": [
                    _("Justify the answer: the report shows it to the author and everyone.")
                ]
            }
        )
    if not answer and justification:
        raise ValidationError({"answer": [_("Choose the answer this justification is for.")]})
    remark.answer = answer
    remark.answer_justification = justification
    remark.answer_justification_html = str(render_markdown(justification))
    remark.answered_at = now if answer else None
    remark.answered_by = by if answer else None


@transaction.atomic
def answer_remark(*, by, remark: Remark, answer: str, justification: str) -> Remark:
    """The body's answer to one remark, after the end and before the report is published."""
    if not by.has_perm("consultations.answer_remark", remark.consultation):
        raise PermissionDenied
    # Read under lock: publishing the report (which fixes the answers) waits, or is seen.
    consultation = Consultation.objects.select_for_update().get(pk=remark.consultation_id)
    if not phases.accepts_answers(consultation):
        raise ValidationError(answers_closed_message(consultation))
    locked = Remark.objects.select_for_update().get(pk=remark.pk)
    _apply_answer(locked, AnswerInput(answer, justification), by=by, now=timezone.now())
    locked.save(
        update_fields=[
            "answer",
            "answer_justification",
            "answer_justification_html",
            "answered_at",
            "answered_by",
            "updated_at",
        ]
    )
    _report_changed(consultation.pk)
    return locked


@transaction.atomic
def answer_remarks(*, by, consultation: Consultation, answers: dict[int, AnswerInput]) -> int:
    """Answer several remarks of ``consultation`` at once (the list form); all or none are saved.
    A ValidationError names the remarks refused (``remark-<id>``)."""
    if not by.has_perm("consultations.answer_remark", consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not phases.accepts_answers(consultation):
        raise ValidationError(answers_closed_message(consultation))
    remarks = {
        r.pk: r
        for r in Remark.objects.select_for_update().filter(
            consultation=consultation, pk__in=list(answers)
        )
    }
    if len(remarks) != len(answers):
        raise ValidationError(_("Some of these remarks are not of this consultation."))
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    changed = []
    for pk, item in answers.items():
        remark = remarks[pk]
        before = (remark.answer, remark.answer_justification)
        try:
            _apply_answer(remark, item, by=by, now=now)
        except ValidationError as error:
            errors[f"remark-{pk}"] = error.messages
            continue
        if (remark.answer, remark.answer_justification) != before:
            changed.append(remark)
    if errors:
        raise ValidationError(errors)
    Remark.objects.bulk_update(
        changed,
        [
            "answer",
            "answer_justification",
            "answer_justification_html",
            "answered_at",
            "answered_by",
        ],
    )
    if changed:
        _report_changed(consultation.pk)
    return len(changed)


@transaction.atomic
def publish_report(*, by, consultation: Consultation, summary: str = "") -> Consultation:
    """Publish the report once every remark not hidden has its answer: from then on the answers
    are public and fixed, and each author is told the answer to their remarks."""
    if not by.has_perm("consultations.answer_remark", consultation):
        raise PermissionDenied
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not phases.accepts_answers(locked):
        raise ValidationError(answers_closed_message(locked))
    waiting = locked.remarks.filter(hidden_at__isnull=True, answer="").count()
    if waiting:
        raise ValidationError(
            _(
                "%(n)s remarks still have no answer: answer every remark before publishing the report."
            )
            % {"n": waiting}
        )
    summary = clean_text(summary or "", multiline=True).strip()
    now = timezone.now()
    locked.report_summary, locked.report_summary_html = summary, str(render_markdown(summary))
    locked.reported_at = now
    locked.report_changed_at = now
    locked.save(
        update_fields=[
            "report_summary",
            "report_summary_html",
            "reported_at",
            "report_changed_at",
            "updated_at",
        ]
    )
    from . import tasks

    transaction.on_commit(
        lambda: tasks.tell_authors_their_answers.enqueue(consultation_id=locked.pk)
    )
    transaction.on_commit(lambda: tasks.build_report_pdf.enqueue(consultation_id=locked.pk))
    return locked


@transaction.atomic
def set_adopted_text(
    *, by, consultation: Consultation, text: str, adopted_at=None, reference: str = ""
) -> Consultation:
    """Record the text the body adopted after the consultation (compared with the draft, section by section)."""
    if not by.has_perm("consultations.change_consultation", consultation):
        raise PermissionDenied
    if phases.phase_key(consultation) not in (phases.CLOSED, phases.REPORTED):
        raise ValidationError(_("The adopted text is recorded after the consultation ends."))
    text = clean_text(text or "", multiline=True).strip()
    reference = clean_text(reference or "", multiline=False).strip()
    if not text:
        raise ValidationError({"text": [_("Paste the adopted text.")]})
    if adopted_at and adopted_at < timezone.localtime(consultation.ends_at).date():
        raise ValidationError(
            {"adopted_at": [_("The act is adopted after its consultation ends.")]}
        )
    Consultation.objects.filter(pk=consultation.pk).update(
        adopted_text=text, adopted_at=adopted_at, adopted_reference=reference
    )
    consultation.refresh_from_db()
    return consultation


# --- following and notifications ------------------------------------------------------------------


@transaction.atomic
def follow(*, by, consultation: Consultation, following: bool = True) -> bool:
    """Follow a published consultation (a reminder before its end), or stop following it."""
    if not (by.is_authenticated and by.is_active) or consultation.published_at is None:
        raise PermissionDenied
    if following:
        Follower.objects.get_or_create(
            consultation=consultation,
            user=by,
            defaults={"language": translation.get_language() or ""},
        )
    else:
        Follower.objects.filter(consultation=consultation, user=by).delete()
    return following


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def _language_of(user, fallback: str) -> str:
    return getattr(user, "preferred_language", "") or fallback or settings.LANGUAGE_CODE


def tell_authors_their_answers(consultation_id: int) -> int:
    """One e-mail per answered remark of a reported consultation, once each (keyed by the remark)."""
    consultation = Consultation.objects.select_related("issuing_body").get(pk=consultation_id)
    if consultation.reported_at is None:
        return 0
    mails = []
    remarks = (
        consultation.remarks.filter(hidden_at__isnull=True, answer_notified_at__isnull=True)
        .exclude(answer="")
        .select_related("author", "section")
        .order_by("pk")
    )
    for remark in remarks.iterator(chunk_size=500):
        if not remark.author.email:
            continue
        language = remark.language or _language_of(remark.author, "")
        with translation.override(language):
            context = {
                "consultation": consultation,
                "remark": remark,
                "url": _absolute(reverse("consultations:report", kwargs={"pk": consultation.pk})),
            }
            subject = render_to_string("consultations/email/answer_subject.txt", context).strip()
            body = render_to_string("consultations/email/answer.txt", context)
        mails.append(
            Mail(
                key=f"consultations:answer:{remark.pk}",
                to=remark.author.email,
                subject=subject,
                body=body,
                language=language,
            )
        )
    with transaction.atomic():
        sent = queue_mails(mails)
        consultation.remarks.filter(
            pk__in=[int(mail.key.rsplit(":", 1)[1]) for mail in mails]
        ).update(answer_notified_at=timezone.now())
    return sent


def send_reminders(now=None) -> int:
    """Remind followers and authors of remarks of each consultation ending within two days, once each."""
    from civicbridge.accounts.models import User

    now = now or timezone.now()
    due = Consultation.objects.published().filter(
        reminder_sent_at__isnull=True,
        starts_at__lte=now,
        ends_at__gt=now,
        ends_at__lte=now + timedelta(hours=REMINDER_HOURS),
    )
    queued = 0
    for consultation in due:
        with transaction.atomic():
            # The claim: a second worker finds it taken and sends nothing.
            if not Consultation.objects.filter(
                pk=consultation.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now):
                continue
            people = User.objects.filter(
                Q(followed_consultations__consultation=consultation)
                | Q(consultation_remarks__consultation=consultation),
                is_active=True,
            ).distinct()
            languages = dict(
                Follower.objects.filter(consultation=consultation).values_list(
                    "user_id", "language"
                )
            )
            mails = []
            for person in people:
                if not person.email:
                    continue
                language = _language_of(person, languages.get(person.pk, ""))
                with translation.override(language):
                    context = {
                        "consultation": consultation,
                        "ends": _moment(consultation.ends_at),
                        "url": _absolute(consultation.get_absolute_url()),
                    }
                    subject = render_to_string(
                        "consultations/email/reminder_subject.txt", context
                    ).strip()
                    body = render_to_string("consultations/email/reminder.txt", context)
                mails.append(
                    Mail(
                        key=f"consultations:reminder:{consultation.pk}:{person.pk}",
                        to=person.email,
                        subject=subject,
                        body=body,
                        language=language,
                    )
                )
            queued += queue_mails(mails)
    return queued
