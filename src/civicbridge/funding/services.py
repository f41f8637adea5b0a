"""Every write to funders, programmes and calls goes through here, with its permission check
and validation.

Deadlines are aware datetimes. A call's ``closes_at`` (its last deadline, or None for a
permanent call) is kept here, in the same transaction as the deadlines, so that lists can
filter and sort on one indexed column. When a published call's deadlines change, its
``deadlines_revision`` goes up, ``deadlines_changed_at`` records when, and, after commit,
the alerts hear of it (instant subscribers at once, digest subscribers in their next digest).
"""

import copy
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from civicbridge.core import indexing
from civicbridge.core.duplicates import once
from civicbridge.core.search import build_document
from civicbridge.core.validators import add_model_errors

from .models import Call, CallDeadline, Funder, Programme

CALL_FIELDS = (
    "identifier", "title", "summary", "programme", "type_of_action", "deadline_model", "opens_at",
    "status_from_source", "total_budget", "min_grant", "max_grant", "currency", "co_financing_rate",
    "eligible_kinds", "eligible_countries", "languages", "documents_url",
)
FUNDER_FIELDS = ("name", "kind", "country", "time_zone", "website", "description", "organization")
PROGRAMME_FIELDS = ("code", "name", "period", "website")

# Identifiers are the last part of a call's address (/calls/<identifier>/): no slashes.
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Addresses under /calls/ that an identifier must not shadow.
RESERVED_IDENTIFIERS = {
    "new", "import", "feed", "closing-soon", "deadlines.ics",
    "subscriptions", "subscribe", "unsubscribe", "deliveries",  # the alerts' pages
}
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")

DeadlineModel = Call.DeadlineModel


# --- time zones ---------------------------------------------------------------------------------


def funder_zone(funder: Funder) -> ZoneInfo:
    try:
        return ZoneInfo(funder.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def aware_in_zone(naive: datetime, zone: ZoneInfo, *, field: str = "deadlines") -> datetime:
    """The moment a wall-clock time names in ``zone``.

    A time skipped when the clocks go forward (02:30 on 28 March 2027 in Warsaw) names no
    moment: refused with a message. A time that happens twice when the clocks go back
    (02:30 on 25 October 2026 in Warsaw) is taken at its first occurrence, still in summer
    time (fold=0), the earlier and therefore safer deadline. The moment comes back in UTC:
    a wall-clock time in the fold never compares equal across zones (PEP 495).
    """
    candidate = naive.replace(tzinfo=zone, fold=0)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive.replace(tzinfo=None):
        raise ValidationError(
            {
                field: [
                    _("%(time)s does not exist in the time zone %(zone)s: the clocks skip that hour.")
                    % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": zone.key}
                ]
            }
        )
    return candidate.astimezone(UTC)


# --- validation ----------------------------------------------------------------------------------


def check_deadlines(*, deadline_model: str, deadlines, opens_at: datetime | None = None) -> list[datetime]:
    """The deadlines in ascending order, if they fit the deadline model; else a ValidationError.

    single-stage: exactly one; two-stage: exactly two, the second after the first;
    multiple cut-off: at least one, all different; permanent: none. A deadline is
    required unless the call is permanent (the EC's own rule).
    """
    deadlines = list(deadlines)
    if any(timezone.is_naive(moment) for moment in deadlines):
        raise ValidationError({"deadlines": [_("Each deadline needs its time zone.")]})
    ordered = sorted(deadlines)
    count = len(ordered)
    message = None
    if deadline_model == DeadlineModel.SINGLE_STAGE and count != 1:
        message = _("A single-stage call has exactly one deadline.")
    elif deadline_model == DeadlineModel.TWO_STAGE:
        if count != 2:
            message = _("A two-stage call has exactly two deadlines, one per stage.")
        elif ordered != deadlines or ordered[0] == ordered[1]:
            message = _("The second stage's deadline must come after the first stage's.")
    elif deadline_model == DeadlineModel.MULTIPLE_CUT_OFF:
        if count < 1:
            message = _("A call with cut-off dates needs at least one deadline.")
        elif len(set(ordered)) != count:
            message = _("Two cut-off dates are the same.")
    elif deadline_model == DeadlineModel.PERMANENT and count:
        message = _("A permanent call has no deadline.")
    elif deadline_model not in DeadlineModel.values:
        raise ValidationError({"deadline_model": [_("Choose a deadline model.")]})
    if message:
        raise ValidationError({"deadlines": [message]})
    if opens_at is not None and ordered and ordered[0] <= opens_at:
        raise ValidationError({"opens_at": [_("The call must open before its first deadline.")]})
    return ordered


def _codes(value, *, pattern, upper: bool, field: str, message: str) -> str:
    """A list or a comma-separated string of codes, as the model keeps it ("a,b,c")."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    codes = []
    for item in items:
        code = str(item).strip()
        code = code.upper() if upper else code.lower()
        if not code:
            continue
        if not pattern.match(code):
            raise ValidationError({field: [message % {"code": code}]})
        if code not in codes:
            codes.append(code)
    return ",".join(codes)


def applicant_kinds() -> dict[str, str]:
    from civicbridge.directory.models import Organization

    return dict(Organization.Kind.choices)


def _normalize(call: Call, *, unchecked=frozenset()) -> dict[str, list[str]]:
    """Strip the call's texts and write its codes as the model keeps them; answer the errors per
    field of the codes (those of ``unchecked`` fields are left as they are)."""
    call.identifier = (call.identifier or "").strip()
    call.title = (call.title or "").strip()
    call.currency = (call.currency or "").strip().upper()
    errors: dict[str, list[str]] = {}

    def codes(field: str, **options) -> None:
        if field in unchecked:
            return
        try:
            setattr(call, field, _codes(getattr(call, field), field=field, **options))
        except ValidationError as error:
            errors.update(error.message_dict)

    codes(
        "eligible_kinds", pattern=re.compile(r"^[a-z_]+$"), upper=False,
        message=_("Unknown applicant kind: %(code)s."),
    )
    if "eligible_kinds" not in unchecked and "eligible_kinds" not in errors:
        unknown = [kind for kind in call.eligible_kinds.split(",") if kind and kind not in applicant_kinds()]
        if unknown:
            errors["eligible_kinds"] = [_("Unknown applicant kind: %(code)s.") % {"code": unknown[0]}]
    codes(
        "eligible_countries", pattern=COUNTRY_CODE, upper=True,
        message=_("%(code)s is not a two-letter country code (ISO 3166-1), e.g. PL or TR."),
    )
    codes(
        "languages", pattern=LANGUAGE_CODE, upper=False,
        message=_("%(code)s is not a language code, e.g. en, pl or tr."),
    )
    return errors


def check_identifier(identifier: str) -> None:
    """An identifier must be usable as the last part of the call's address."""
    if identifier and not IDENTIFIER.match(identifier):
        raise ValidationError(
            _("Use only letters, digits, dots, hyphens and underscores (write TR41/26/MDP as TR41-26-MDP).")
        )
    if identifier.lower() in RESERVED_IDENTIFIERS:
        raise ValidationError(_("This identifier is reserved; choose another."))


AMOUNTS = ("total_budget", "min_grant", "max_grant")


def call_errors(call: Call, *, unchecked=frozenset()) -> dict[str, list[str]]:
    """Normalize the call's texts and codes and answer the errors per field its own data shows
    (codes, currency, amounts, the model's fields); whether another call has its identifier is
    not asked here (``_validate_call`` asks).

    The services refuse a call with any; the form shows them beside its fields' own errors.
    ``unchecked`` are fields whose value is not known (the form refused what was typed): the
    checks that read them are left out rather than judge a value nobody gave.
    """
    errors = _normalize(call, unchecked=unchecked)
    if "identifier" not in unchecked:
        try:
            check_identifier(call.identifier)
        except ValidationError as error:
            errors["identifier"] = error.messages
    if "currency" not in unchecked and call.currency and not CURRENCY_CODE.match(call.currency):
        errors["currency"] = [_("Give a three-letter currency code (ISO 4217), e.g. EUR, PLN or TRY.")]
    add_model_errors(
        errors, call, exclude=["search_document", "created_by", *unchecked, *errors], validate_unique=False,
        validate_constraints=False,
    )
    for name in AMOUNTS:
        value = getattr(call, name)
        if name not in unchecked and name not in errors and value is not None and value < 0:
            errors[name] = [_("An amount cannot be negative.")]
    # Compared only where each amount is known and an amount.
    amounts = {name: getattr(call, name) for name in AMOUNTS if name not in unchecked and name not in errors}
    minimum, maximum, budget = amounts.get("min_grant"), amounts.get("max_grant"), amounts.get("total_budget")
    if minimum is not None and maximum is not None and minimum > maximum:
        errors.setdefault("max_grant", []).append(_("The maximum grant cannot be below the minimum grant."))
    if maximum is not None and budget is not None and maximum > budget:
        errors.setdefault("max_grant", []).append(_("The maximum grant cannot be above the total budget."))
    return errors


def _validate_call(call: Call) -> None:
    errors = call_errors(call)
    taken = Call.objects.filter(identifier=call.identifier).exclude(pk=call.pk)
    if "identifier" not in errors and call.identifier and taken.exists():
        errors["identifier"] = [duplicate_identifier_message()]
    if errors:
        raise ValidationError(errors)


def duplicate_identifier_message() -> str:
    return _("A call with this identifier is already registered.")


def call_search_document(call: Call) -> str:
    programme = call.programme
    return build_document(
        call.identifier, call.title, call.summary, call.type_of_action,
        programme.name, programme.code, programme.funder.name,
    )


# --- calls --------------------------------------------------------------------------------------


def _save_call(call: Call) -> None:
    call.search_document = call_search_document(call)
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError as error:
        # The unique constraint decides when two people enter the same identifier at once.
        if Call.objects.filter(identifier=call.identifier).exclude(pk=call.pk).exists():
            raise ValidationError({"identifier": [duplicate_identifier_message()]}) from error
        raise


def _same_moments(existing, new) -> bool:
    return [d.deadline_at for d in sorted(existing, key=lambda d: d.deadline_at)] == list(new)


def _write_deadlines(call: Call, ordered: list[datetime]) -> bool:
    """Replace the call's deadlines (stage 1 is the earliest) and keep closes_at; True if they changed."""
    existing = list(CallDeadline.objects.filter(call=call))
    if _same_moments(existing, ordered) and call.closes_at == (ordered[-1] if ordered else None):
        return False
    CallDeadline.objects.filter(call=call).delete()
    CallDeadline.objects.bulk_create(CallDeadline.stages_of(call, ordered))
    call.closes_at = ordered[-1] if ordered else None
    Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at)
    return not _same_moments(existing, ordered)


def _deadlines_changed(call: Call) -> None:
    """A published call's deadlines changed: a new revision and its time, and the alerts after commit.

    The instant subscribers hear of it from the task enqueued after commit; the digests
    find it by ``deadlines_changed_at`` on their next run.
    """
    Call.objects.filter(pk=call.pk).update(
        deadlines_revision=F("deadlines_revision") + 1, deadlines_changed_at=timezone.now(),
    )
    call.refresh_from_db(fields=["deadlines_revision", "deadlines_changed_at"])

    def notify():
        from civicbridge.funding import alerts

        alerts.deadlines_changed(call)

    transaction.on_commit(notify)


@transaction.atomic
def create_call(
    *, by, data: dict, deadlines: list[datetime], thematic_areas=(), eligible_territories=()
) -> Call:
    """Enter a call as a draft (publish it with ``publish_call``): coordinators and officers only.

    The same person sending the same content again within ``CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS``
    gets the first call back (``core.duplicates``).
    """
    if not by.has_perm("funding.add_call"):
        raise PermissionDenied
    call = Call(**{k: v for k, v in data.items() if k in CALL_FIELDS}, created_by=by)
    content = {
        **{field: getattr(call, field) for field in CALL_FIELDS},
        "deadlines": sorted(moment.isoformat() for moment in deadlines),
        "thematic_areas": sorted(getattr(area, "pk", area) for area in thematic_areas or ()),
        "eligible_territories": sorted(getattr(t, "pk", t) for t in eligible_territories or ()),
    }

    def enter() -> Call:
        # Checked inside the guard: a repeat must meet the first call, not "identifier taken".
        _validate_call(call)
        ordered = check_deadlines(deadline_model=call.deadline_model, deadlines=deadlines, opens_at=call.opens_at)
        call.closes_at = ordered[-1] if ordered else None
        _save_call(call)
        _write_deadlines(call, ordered)
        call.thematic_areas.set(thematic_areas)
        call.eligible_territories.set(eligible_territories)
        return call

    return once(user=by, kind="funding.call", content=content, model=Call, create=enter)


@transaction.atomic
def update_call(
    *, call: Call, by, data: dict, deadlines: list[datetime] | None = None, thematic_areas=None,
    eligible_territories=None,
) -> Call:
    """Change a call: coordinators and the officers who manage it.

    ``deadlines`` None keeps the deadlines (they are still checked against a changed
    deadline model); a published call keeps its identifier, which feeds and calendars
    use to recognise it.
    """
    if not by.has_perm("funding.change_call", call):
        raise PermissionDenied
    locked = Call.objects.select_for_update().select_related("programme__funder").get(pk=call.pk)
    before = copy.copy(locked)
    for field in CALL_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if locked.published_at and locked.identifier != call.identifier:
        raise ValidationError({"identifier": [_("The identifier of a published call cannot change.")]})
    _validate_call(locked)
    moments = deadlines if deadlines is not None else [d.deadline_at for d in locked.deadlines.all()]
    ordered = check_deadlines(deadline_model=locked.deadline_model, deadlines=moments, opens_at=locked.opens_at)
    _save_call(locked)
    if _write_deadlines(locked, ordered) and locked.published_at:
        _deadlines_changed(locked)
    if thematic_areas is not None:
        locked.thematic_areas.set(thematic_areas)
    if eligible_territories is not None:
        locked.eligible_territories.set(eligible_territories)
    # Partner requests that name the call carry its identifier and title in their documents.
    indexing.copied_text_changed(locked, indexing.changed_fields(before, locked, CALL_FIELDS))
    return locked


@transaction.atomic
def set_deadlines(*, call: Call, by, deadlines: list[datetime]) -> Call:
    """Replace a call's deadlines (checked against its deadline model) and keep ``closes_at``.

    When a published call's deadlines really change, ``deadlines_revision`` goes up and
    the alerts are told after commit; setting the same moments again changes nothing.
    """
    if not by.has_perm("funding.change_call", call):
        raise PermissionDenied
    locked = Call.objects.select_for_update().get(pk=call.pk)
    ordered = check_deadlines(deadline_model=locked.deadline_model, deadlines=deadlines, opens_at=locked.opens_at)
    if _write_deadlines(locked, ordered):
        if locked.published_at:
            _deadlines_changed(locked)
        Call.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return locked


@transaction.atomic
def publish_call(*, call: Call, by) -> Call:
    """Make a draft call public: coordinators and the officers who manage it.

    After commit the alerts hear of it (instant notices to the matching subscribers).
    """
    if not by.has_perm("funding.publish_call", call):
        raise PermissionDenied
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.published_at:
        raise ValidationError(_("This call is already published."))
    check_deadlines(
        deadline_model=locked.deadline_model, deadlines=[d.deadline_at for d in locked.deadlines.all()],
        opens_at=locked.opens_at,
    )
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])

    def notify():
        from civicbridge.funding import alerts

        alerts.call_published(locked)

    transaction.on_commit(notify)
    return locked


# --- funders and programmes ----------------------------------------------------------------------


def unique_funder_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(unidecode(name))[:110] or "funder"
    slug, number = base, 1
    taken = Funder.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def create_funder(*, by, data: dict) -> Funder:
    """Add a funder (coordinators only): funders are the platform's reference data."""
    if not by.has_perm("funding.add_funder"):
        raise PermissionDenied
    funder = Funder(**{k: v for k, v in data.items() if k in FUNDER_FIELDS})
    funder.country = (funder.country or "").strip().upper()
    funder.slug = unique_funder_slug(funder.name)
    funder.full_clean()
    funder.save()
    return funder


@transaction.atomic
def create_programme(*, by, funder: Funder, data: dict) -> Programme:
    """Add a funder's programme (coordinators only); its name is unique per funder."""
    if not by.has_perm("funding.add_programme"):
        raise PermissionDenied
    programme = Programme(funder=funder, **{k: v for k, v in data.items() if k in PROGRAMME_FIELDS})
    programme.code = (programme.code or "").strip().upper()
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def update_funder(*, funder: Funder, by, data: dict) -> Funder:
    """Change a funder (coordinators only).

    Its slug stays as it is when it is renamed: ``?funder=<slug>`` links (in saved alerts,
    feeds, calendars and bookmarks) keep choosing it. Refused input changes nothing.
    """
    if not by.has_perm("funding.change_funder", funder):
        raise PermissionDenied
    changed = _with_changes(funder, data, FUNDER_FIELDS)
    changed.country = (changed.country or "").strip().upper()
    return _save_reference(funder, changed, FUNDER_FIELDS)


@transaction.atomic
def update_programme(*, programme: Programme, by, data: dict) -> Programme:
    """Change a programme (coordinators only); it stays with its funder."""
    if not by.has_perm("funding.change_programme", programme):
        raise PermissionDenied
    changed = _with_changes(programme, data, PROGRAMME_FIELDS)
    changed.code = (changed.code or "").strip().upper()
    return _save_reference(programme, changed, PROGRAMME_FIELDS)


def _with_changes(instance, data: dict, fields: tuple[str, ...]):
    """A copy of ``instance`` with ``data``'s values of ``fields``: refused input leaves the original as it was."""
    changed = copy.copy(instance)
    for field in fields:
        if field in data:
            setattr(changed, field, data[field])
    return changed


def _save_reference(original, changed, fields: tuple[str, ...]):
    changed.full_clean()
    changed.save()
    # The calls' search documents carry funders' and programmes' names: a renamed one is found by its new name.
    indexing.copied_text_changed(changed, indexing.changed_fields(original, changed, fields))
    return changed
