"""Every write of events and registrations goes through here, with its permission check.

Seats: registering locks the event's row, so that two people taking the last seat at once
are served one after the other: the first gets it, the second the waiting list. The
database has the last word (a seat number is unique per event; only a confirmed
registration holds one): were two inserts ever to race past the lock, the second fails
its constraint and is put on the waiting list.

A cancellation frees the seat and, in the same transaction, gives it to the first person
waiting, who is told by e-mail. Registrations are never deleted: a cancelled one stays with
its history of changes (``RegistrationChange``).

E-mails are queued in the write's transaction (``core.notifications``) and sent by the
worker, each in the language the person registered in.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicbridge.core.models import Territory
from civicbridge.core.notifications import queue_mail
from civicbridge.core.registry import alertables
from civicbridge.core.search import build_document
from civicbridge.core.selectors import total_per_row
from civicbridge.core.validators import clean_text

from . import phases
from .models import Attendee, AttendeeCount, Event, EventFigure, Registration, RegistrationChange

EVENT_FIELDS = (
    "kind", "title", "description", "starts_at", "ends_at", "hours", "venue", "territory", "audience",
    "capacity", "registration_opens_at", "registration_closes_at", "project",
)
ALERT_KEY = "events"
REMINDER_HOURS = 24
MAX_HOURS_PER_DAY = 24


# --- search ----------------------------------------------------------------------------------------


def event_search_document(event: Event) -> str:
    parts = [event.title, event.description, event.venue, event.audience, event.get_kind_display()]
    if event.territory_id:
        parts += [event.territory.name_en, event.territory.name_pl, event.territory.name_tr]
    if event.pk:
        parts += [organization.name for organization in event.organizers.all()]
        for area in event.thematic_areas.all():
            parts += [area.name_en, area.name_pl, area.name_tr]
    return build_document(*parts)


def _reindex(event: Event) -> None:
    event.search_document = event_search_document(event)
    event.save(update_fields=["search_document"])


# --- events ----------------------------------------------------------------------------------------


def county_of(territory: Territory | None) -> Territory | None:
    """The county ``territory`` lies in (itself when it is one); None above the counties."""
    if territory is None:
        return None
    if territory.level == Territory.Level.COUNTY:
        return territory
    line = [int(part) for part in territory.path.strip("/").split("/") if part]
    return Territory.objects.filter(pk__in=line, level=Territory.Level.COUNTY).first()


def event_year(event: Event) -> int:
    """The year an event counts in: its start's, on the deployment's clock."""
    return timezone.localtime(event.starts_at, timezone.get_default_timezone()).year


def _counted_as(event: Event) -> tuple:
    return (event.county_id, event.kind, event_year(event))


def _validate_event(event: Event, *, organizers, previous: tuple | None) -> None:
    """``previous``: how the event counted before a change (``_counted_as``), with its attendance."""
    errors: dict[str, list[str]] = {}
    event.county = county_of(event.territory) if event.territory_id else None
    event.title = clean_text(event.title or "", multiline=False).strip()
    event.venue = clean_text(event.venue or "", multiline=False).strip()
    event.description = clean_text(event.description or "", multiline=True)
    if event.starts_at and event.ends_at:
        if event.ends_at < event.starts_at:
            errors.setdefault("ends_at", []).append(_("The event cannot end before it starts."))
        elif event.hours is not None:
            span_days = (event.ends_at - event.starts_at).days + 1
            if event.hours > span_days * MAX_HOURS_PER_DAY:
                errors.setdefault("hours", []).append(_("More hours than the event lasts."))
    if event.registration_opens_at and event.starts_at and event.registration_opens_at > event.starts_at:
        errors.setdefault("registration_opens_at", []).append(_("Registration must open before the event starts."))
    if event.registration_closes_at:
        if event.starts_at and event.registration_closes_at > event.ends_at:
            errors.setdefault("registration_closes_at", []).append(_("Registration must close by the end of the event."))
        if event.registration_opens_at and event.registration_closes_at < event.registration_opens_at:
            errors.setdefault("registration_closes_at", []).append(_("Registration cannot close before it opens."))
    if previous is not None and event.attended_count and event.starts_at and previous != _counted_as(event):
        errors.setdefault("starts_at", []).append(
            _("Attendance is already taken: the kind, the county and the year of the event stay as they were.")
        )
    if previous is not None and event.capacity is not None:
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if event.capacity < confirmed:
            errors.setdefault("capacity", []).append(
                _("%(count)s people already have a seat: cancel registrations before lowering the seats below that.")
                % {"count": confirmed}
            )
    if organizers is not None and not list(organizers):
        errors.setdefault("organizers", []).append(_("Name at least one organizer."))
    if event.project_id and organizers is not None:
        project = event.project
        involved = {project.lead_organization_id, *project.partners.values_list("organization_id", flat=True)}
        if not involved & {getattr(organization, "pk", organization) for organization in organizers}:
            errors.setdefault("project", []).append(_("An organizer must lead the project or be one of its partners."))
    if errors:
        raise ValidationError(errors)
    try:
        event.full_clean(exclude=["created_by", "search_document", "minutes_added_at"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def _may_organize_all(by, organizers) -> bool:
    return all(by.has_perm("events.add_event", organization) for organization in organizers)


@transaction.atomic
def create_event(*, by, data: dict, organizers, thematic_areas=(), publish: bool = True) -> Event:
    """An event organized by ``organizers`` (``by`` represents each of them, or is a coordinator).

    Published at once unless ``publish`` is False; subscribers of its territory and thematic
    areas hear of it through the alerts.
    """
    organizers = list(organizers)
    if not organizers:
        if not by.has_perm("events.add_event", None):
            raise PermissionDenied
    elif not _may_organize_all(by, organizers):
        raise PermissionDenied
    event = Event(created_by=by, **{name: value for name, value in data.items() if name in EVENT_FIELDS})
    _validate_event(event, organizers=organizers, previous=None)
    if publish:
        event.published_at = timezone.now()
    event.save()
    _shift_figures(after=event)
    event.organizers.set(organizers)
    event.thematic_areas.set(thematic_areas)
    _reindex(event)
    if publish:
        transaction.on_commit(lambda: alertables.published(ALERT_KEY, event))
    return event


@transaction.atomic
def update_event(*, by, event: Event, data: dict, organizers=None, thematic_areas=None) -> Event:
    """Change an event: its organizers' representatives and coordinators; not once it is cancelled.

    Seats may grow (the waiting list moves up into them) but never fall below the people
    already holding one.
    """
    if not by.has_perm("events.change_event", event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at:
        raise ValidationError(_("This event is cancelled: it can no longer be changed."))
    organizers = list(organizers) if organizers is not None else None
    if organizers is not None:
        added = set(organizers) - set(locked.organizers.all())
        if not _may_organize_all(by, added):
            raise PermissionDenied
    counted = _counted_as(locked)
    figures_before = _figure_rows(locked)
    for name, value in data.items():
        if name in EVENT_FIELDS:
            setattr(locked, name, value)
    _validate_event(locked, organizers=organizers, previous=counted)
    locked.save()
    _shift_figures(before=figures_before, after=locked)
    if organizers is not None:
        locked.organizers.set(organizers)
    if thematic_areas is not None:
        locked.thematic_areas.set(thematic_areas)
    _reindex(locked)
    _fill_free_seats(locked, by=by)
    return locked


@transaction.atomic
def publish_event(*, by, event: Event) -> Event:
    if not by.has_perm("events.change_event", event):
        raise PermissionDenied
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.published_at is None and locked.cancelled_at is None:
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at", "updated_at"])
        _shift_figures(after=locked)
        transaction.on_commit(lambda: alertables.published(ALERT_KEY, locked))
    return locked


@transaction.atomic
def cancel_event(*, by, event: Event, reason: str) -> Event:
    """Call an event off: everyone registered (seat or waiting list) is told, with the reason.

    The registrations stay as they were, so that the event's history shows who had signed up.
    """
    if not by.has_perm("events.change_event", event):
        raise PermissionDenied
    reason = clean_text(reason or "", multiline=True).strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the event is cancelled: the people registered will read it.")]})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at:
        return locked
    if timezone.now() >= locked.starts_at:
        raise ValidationError(_("The event has started: it can no longer be cancelled."))
    figures_before = _figure_rows(locked)
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at", "updated_at"])
    _shift_figures(before=figures_before, after=locked)
    active = locked.registrations.exclude(status=Registration.Status.CANCELLED)
    for registration in active:
        _mail(registration, "event_cancelled", {"reason": reason})
    return locked


@transaction.atomic
def save_minutes(*, by, event: Event, minutes: str) -> Event:
    """The minutes of a meeting, attached once it has started (they may be corrected later)."""
    if not by.has_perm("events.manage_registrations", event):
        raise PermissionDenied
    if timezone.now() < event.starts_at:
        raise ValidationError({"minutes": [_("Minutes can be added once the event has started.")]})
    minutes = clean_text(minutes or "", multiline=True).strip()
    if not minutes:
        raise ValidationError({"minutes": [_("The minutes are empty.")]})
    event.minutes = minutes
    event.minutes_added_at = event.minutes_added_at or timezone.now()
    event.save(update_fields=["minutes", "minutes_added_at", "updated_at"])
    return event


# --- registrations -----------------------------------------------------------------------------------


def _record(registration: Registration, *, status_from: str, by=None, note: str = "") -> None:
    RegistrationChange.objects.create(
        registration=registration, status_from=status_from, status_to=registration.status, note=note,
        by=by if by is not None and by.is_authenticated else None, at=timezone.now(),
    )


def _free_seat(event: Event) -> int | None:
    """The lowest seat number nobody holds, or None when every seat is taken."""
    seats = event.registrations.filter(seat__isnull=False)
    if event.capacity is None:
        return (seats.aggregate(top=Max("seat"))["top"] or 0) + 1
    taken = set(seats.values_list("seat", flat=True))
    return next((seat for seat in range(1, event.capacity + 1) if seat not in taken), None)


def _clean_guest(name: str, email: str, organization_name: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name = clean_text(name or "", multiline=False).strip()
    email = (email or "").strip()
    organization_name = clean_text(organization_name or "", multiline=False).strip()
    if not name:
        errors["name"] = [_("Give your name: it goes on the list of participants.")]
    elif len(name) > 200:
        errors["name"] = [_("The name is too long (200 characters at most).")]
    if not email:
        errors["email"] = [_("Give an e-mail address: the confirmation goes there.")]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("This is not an e-mail address.")]
    if len(organization_name) > 300:
        errors["organization_name"] = [_("The organization's name is too long (300 characters at most).")]
    if errors:
        raise ValidationError(errors)
    return name, email, organization_name


def register(*, event: Event, by=None, name: str = "", email: str = "", organization_name: str = "",
             now: datetime | None = None) -> Registration:
    """Register for ``event``: a seat if one is free, else a place on the waiting list.

    ``by`` signed in registers as themselves (their name and address by default); a guest
    gives a name and an e-mail address. Refused outside the registration window, and a
    second time for the same address while the first registration stands.
    """
    signed_in = by is not None and by.is_authenticated
    if signed_in:
        name = name or by.get_full_name() or by.get_username()
        email = email or by.email
    name, email, organization_name = _clean_guest(name, email, organization_name)
    person = {"user": by if signed_in else None, "name": name, "email": email,
              "organization_name": organization_name, "language": translation.get_language() or settings.LANGUAGE_CODE}
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if not phases.accepts_registrations(locked, now):
                raise ValidationError(registration_closed_message(locked, now))
            if _registered(locked, email):
                raise ValidationError({"email": [_("This address is already registered for this event.")]})
            return _new_registration(locked, person, seat=_free_seat(locked), by=by)
    except IntegrityError as error:
        # Only a race past the lock gets here (e.g. a database without row locks): look again.
        if _registered(event, email):
            raise ValidationError({"email": [_("This address is already registered for this event.")]}) from error
        with transaction.atomic():
            return _new_registration(event, person, seat=None, by=by, note="seat taken at the same moment")


def _registered(event: Event, email: str) -> bool:
    return event.registrations.exclude(status=Registration.Status.CANCELLED).filter(email__iexact=email).exists()


def _new_registration(event: Event, person: dict, *, seat: int | None, by, note: str = "") -> Registration:
    registration = Registration(event=event, **person)
    _place(registration, seat)
    _record(registration, status_from="", by=by, note=note)
    _mail(registration, _confirmation_template(registration), {})
    return registration


def _place(registration: Registration, seat: int | None) -> None:
    registration.seat = seat
    registration.status = Registration.Status.CONFIRMED if seat else Registration.Status.WAITING
    with transaction.atomic():  # a savepoint: a seat lost to a race leaves the outer transaction usable
        registration.save()


def _confirmation_template(registration: Registration) -> str:
    return "registration_confirmed" if registration.status == Registration.Status.CONFIRMED else "registration_waiting"


def registration_closed_message(event: Event, now: datetime | None = None) -> str:
    key = phases.phase_key(event, now)
    if key == phases.BEFORE_REGISTRATION:
        return _("Registration for this event is not open yet.")
    if key == phases.CANCELLED:
        return _("This event is cancelled.")
    if key == phases.NOT_PUBLISHED:
        return _("This event is not published.")
    if key == phases.UNDER_WAY:
        return _("This event is under way: registration is closed.")
    if key == phases.OVER:
        return _("This event is over.")
    return _("Registration for this event is closed.")


def may_cancel(user, registration: Registration) -> bool:
    """The person registered (signed in as the same account), or the event's organizers."""
    if not (user and user.is_authenticated):
        return False
    return registration.user_id == user.pk or user.has_perm("events.manage_registrations", registration.event)


@transaction.atomic
def cancel_registration(*, registration: Registration, by=None, token=None) -> Registration:
    """Cancel a registration: by its person (signed in, or a guest with the token of the
    e-mail) or by the organizers. A freed seat goes to the first person waiting."""
    if not (may_cancel(by, registration) or (token is not None and str(token) == str(registration.token))):
        raise PermissionDenied
    Event.objects.select_for_update().filter(pk=registration.event_id).first()
    locked = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if locked.status == Registration.Status.CANCELLED:
        return locked
    if timezone.now() >= locked.event.ends_at:
        raise ValidationError(_("The event is over: its registrations can no longer be cancelled."))
    previous, freed = locked.status, locked.seat
    locked.status, locked.seat, locked.cancelled_at = Registration.Status.CANCELLED, None, timezone.now()
    locked.save(update_fields=["status", "seat", "cancelled_at", "updated_at"])
    _record(locked, status_from=previous, by=by)
    _mail(locked, "registration_cancelled", {})
    if freed is not None:
        _fill_free_seats(locked.event, by=by)
    return locked


def _fill_free_seats(event: Event, *, by=None) -> int:
    """Give free seats to the people waiting, first come first served; each is told."""
    if event.cancelled_at or timezone.now() >= event.starts_at:
        return 0
    moved = 0
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "id")
    for registration in waiting.select_for_update():
        seat = _free_seat(event)
        if seat is None:
            break
        registration.status, registration.seat = Registration.Status.CONFIRMED, seat
        registration.save(update_fields=["status", "seat", "updated_at"])
        _record(registration, status_from=Registration.Status.WAITING, by=by, note="moved up from the waiting list")
        _mail(registration, "registration_promoted", {})
        moved += 1
    return moved


def attendance_opens(event: Event) -> datetime:
    """Attendance is taken from the event's day on (in the deployment's time zone)."""
    local_start = timezone.localtime(event.starts_at, timezone.get_default_timezone())
    return local_start.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def set_attendance(*, by, registration: Registration, attended: bool) -> Registration:
    """The organizer ticks a confirmed participant present (or not), from the event's day on."""
    locked = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    event = locked.event
    if not by.has_perm("events.manage_registrations", event):
        raise PermissionDenied
    if locked.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only a person with a seat can be marked present."))
    if timezone.now() < attendance_opens(event):
        raise ValidationError(_("Attendance is taken from the day of the event."))
    if attended == (locked.attended_at is not None):
        return locked
    locked.attended_at = timezone.now() if attended else None
    locked.checked_in_by = by if attended else None
    locked.save(update_fields=["attended_at", "checked_in_by", "updated_at"])
    Event.objects.filter(pk=event.pk).update(attended_count=F("attended_count") + (1 if attended else -1))
    _apply_figures({key: {"participants": 1 if attended else -1} for key, _values in _figure_rows(event)})
    if attended:
        _count_attendee_in(event, locked.email)
    else:
        _count_attendee_out(event, locked)
    RegistrationChange.objects.create(
        registration=locked, status_from=locked.status, status_to=locked.status,
        note="present" if attended else "not present", by=by, at=timezone.now(),
    )
    return locked


# --- the held events' figures (the KPIs) -----------------------------------------------------------------

FIGURES = ("events", "hours", "training_hours", "participants")


def _figure_rows(event: Event) -> list[tuple[tuple, dict]]:
    """The ``EventFigure`` rows an event counts in, each with what it adds: none unless it is
    published and not cancelled."""
    if event.published_at is None or event.cancelled_at is not None:
        return []
    start = timezone.localtime(event.starts_at, timezone.get_default_timezone())
    hours = event.hours or 0
    values = {
        "events": 1, "hours": hours, "training_hours": hours if event.kind in Event.TRAINING_KINDS else 0,
        "participants": event.attended_count,
    }
    return [
        ((start.year, 0, event.county_id or 0, event.kind), values),
        ((start.year, start.month, 0, event.kind), values),
    ]


def _shift_figures(*, before: list | None = None, after: Event) -> None:
    """Move an event's contribution from the rows it counted in (``before``) to those it counts in now."""
    changes: dict[tuple, dict] = {}
    for rows, sign in ((before or [], -1), (_figure_rows(after), 1)):
        for key, values in rows:
            change = changes.setdefault(key, dict.fromkeys(FIGURES, 0))
            for name, value in values.items():
                change[name] += sign * value
    _apply_figures(changes)


def _apply_figures(changes: dict[tuple, dict]) -> None:
    # In the order of the keys, so that two writers touching the same rows never wait on each other in a circle.
    for key in sorted(changes):
        change = {name: value for name, value in changes[key].items() if value}
        if not change:
            continue
        year, month, county_key, kind = key
        rows = EventFigure.objects.filter(year=year, month=month, county_key=county_key, kind=kind)
        if rows.update(**{name: F(name) + value for name, value in change.items()}):
            continue
        try:
            with transaction.atomic():
                EventFigure.objects.create(year=year, month=month, county_key=county_key, kind=kind, **change)
        except IntegrityError:  # made by another writer a moment ago
            rows.update(**{name: F(name) + value for name, value in change.items()})


def _rebuild_event_figures() -> None:
    EventFigure.objects.all().delete()
    zone = timezone.get_default_timezone()
    held = Event.objects.filter(published_at__isnull=False, cancelled_at__isnull=True).annotate(
        figure_year=ExtractYear("starts_at", tzinfo=zone),
    )
    whole = Value(0, output_field=IntegerField())
    no_hours = Value(0, output_field=DecimalField(max_digits=14, decimal_places=1))
    parts = (
        held.annotate(figure_month=whole, figure_county=Coalesce("county_id", whole)),
        held.annotate(figure_month=ExtractMonth("starts_at", tzinfo=zone), figure_county=whole),
    )
    for rows in parts:
        grouped = rows.order_by().values("figure_year", "figure_month", "figure_county", "kind").annotate(
            n=Count("pk"),
            total_hours=Coalesce(Sum("hours"), no_hours),
            training=Coalesce(Sum("hours", filter=Q(kind__in=sorted(Event.TRAINING_KINDS))), no_hours),
            present=Coalesce(Sum("attended_count"), whole),
        )
        _insert_select(
            EventFigure,
            ("year", "month", "county_key", "kind", "events", "hours", "training_hours", "participants"),
            grouped.values_list("figure_year", "figure_month", "figure_county", "kind", "n", "total_hours", "training", "present"),
        )


# --- unique participants (the KPIs) -----------------------------------------------------------------------


def _attendee_scopes(event: Event) -> list[tuple[str, str]]:
    scopes = [(Attendee.Scope.ALL, ""), (Attendee.Scope.KIND, event.kind)]
    if event.county_id:
        scopes.append((Attendee.Scope.COUNTY, str(event.county_id)))
    return scopes


def _add_to_count(year: int, scope: str, key: str, change: int) -> None:
    counts = AttendeeCount.objects.filter(year=year, scope=scope, key=key)
    if counts.update(people=F("people") + change) or change < 0:
        return
    try:
        with transaction.atomic():
            AttendeeCount.objects.create(year=year, scope=scope, key=key, people=change)
    except IntegrityError:  # made by another writer a moment ago
        counts.update(people=F("people") + change)


def _count_attendee_in(event: Event, email: str) -> None:
    """The person counts once per year and scope, however many events they attend."""
    year = event_year(event)
    for scope, key in _attendee_scopes(event):
        try:
            with transaction.atomic():
                Attendee.objects.create(year=year, scope=scope, key=key, email=email.lower())
        except IntegrityError:
            continue  # counted already
        _add_to_count(year, scope, key, 1)


def _count_attendee_out(event: Event, registration: Registration) -> None:
    """Unmarked: the person stops counting in a scope where no other attendance of theirs remains."""
    year = event_year(event)
    zone = timezone.get_default_timezone()
    others = (
        Registration.objects.filter(attended_at__isnull=False, email__iexact=registration.email)
        .exclude(pk=registration.pk)
        .annotate(year=ExtractYear("event__starts_at", tzinfo=zone))
        .filter(year=year)
    )
    for scope, key in _attendee_scopes(event):
        remaining = others
        if scope == Attendee.Scope.KIND:
            remaining = others.filter(event__kind=key)
        elif scope == Attendee.Scope.COUNTY:
            remaining = others.filter(event__county_id=int(key))
        if remaining.exists():
            continue
        deleted, _rows = Attendee.objects.filter(year=year, scope=scope, key=key, email=registration.email.lower()).delete()
        if deleted:
            _add_to_count(year, scope, key, -1)


@transaction.atomic
def rebuild_attendance_figures() -> None:
    """Recount every event's attendance and the unique participants from the registrations.

    The attendance service keeps them as it writes; this is for data written in bulk (the
    demo, the benchmark's generator, an import of past events) and to check the kept figures.
    Each figure is one INSERT ... SELECT that the database runs over millions of rows alone.
    """
    present = Registration.objects.filter(attended_at__isnull=False)
    Event.objects.update(attended_count=total_per_row(present.filter(event_id=OuterRef("pk")), "event_id", Count("pk")))
    _rebuild_event_figures()
    Attendee.objects.all().delete()
    AttendeeCount.objects.all().delete()
    zone = timezone.get_default_timezone()
    people = present.annotate(year=ExtractYear("event__starts_at", tzinfo=zone), address=Lower("email")).order_by()
    text = CharField()
    keys = {
        Attendee.Scope.ALL: Value("", output_field=text),
        Attendee.Scope.KIND: F("event__kind"),
        Attendee.Scope.COUNTY: Cast("event__county_id", text),
    }
    for scope, key in keys.items():
        rows = people.annotate(scope=Value(scope, output_field=text), scope_key=key)
        if scope == Attendee.Scope.COUNTY:
            rows = rows.filter(event__county__isnull=False)
        _insert_select(Attendee, ("year", "scope", "key", "email"), rows.values_list("year", "scope", "scope_key", "address").distinct())
    counts = Attendee.objects.order_by().values("year", "scope", "key").annotate(n=Count("pk")).values_list("year", "scope", "key", "n")
    _insert_select(AttendeeCount, ("year", "scope", "key", "people"), counts)


def _insert_select(model, columns: tuple[str, ...], queryset) -> None:
    quote = connection.ops.quote_name
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) {sql}", params,
        )


# --- reminders ----------------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind everyone with a seat of an event starting within the next day, once each."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED, reminder_sent_at__isnull=True,
            event__starts_at__gt=now, event__starts_at__lte=now + timedelta(hours=REMINDER_HOURS),
            event__cancelled_at__isnull=True, event__published_at__isnull=False,
        )
        .select_related("event__territory")
        .order_by("pk")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                _mail(registration, "event_reminder", {})
                sent += claimed
    return sent


# --- e-mail ---------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.CIVICBRIDGE_SITE_URL.rstrip("/") + path


def _mail(registration: Registration, template: str, context: dict) -> bool:
    """Queue one e-mail to the registered person, in the language they registered in."""
    language = registration.language or settings.LANGUAGE_CODE
    event = registration.event
    with translation.override(language):
        full = {
            **context, "registration": registration, "event": event,
            "starts_at": timezone.localtime(event.starts_at, timezone.get_default_timezone()),
            "ends_at": timezone.localtime(event.ends_at, timezone.get_default_timezone()),
            "time_zone": timezone.get_default_timezone_name(),
            "link": _absolute(reverse("events:registration_detail", kwargs={"token": registration.token})),
            "event_link": _absolute(event.get_absolute_url()),
        }
        subject = " ".join(render_to_string(f"events/email/{template}_subject.txt", full).split())
        body = render_to_string(f"events/email/{template}.txt", full)
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:32]
    return queue_mail(
        key=f"events:{template}:{registration.pk}:{digest}", to=registration.email, subject=subject, body=body,
        language=language,
    )
