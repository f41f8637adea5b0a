"""Every read of events and registrations that the pages, the calendar, the ICS feed and the API share."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.postgres.fields import DateTimeRangeField
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Count,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from civicbridge.core.pagination import IdsFirst, SlicedSequence, keys_listed
from civicbridge.core.row_counts import read_together
from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import total_per_row, with_area_names, with_names

from .filters import PAST, UPCOMING, EventFilter
from .models import PUBLISHED_COUNT, STARTS_COUNT, Event, Registration

CALENDAR_EVENTS = 1_000
HOME_UPCOMING = 5


def visible_events(user=None) -> QuerySet[Event]:
    """Published events; unpublished ones too for coordinators and their own organizers."""
    events = Event.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return events.published()
    if user.is_superuser or is_coordinator(user):
        return events
    from civicbridge.accounts.models import Membership

    own = Membership.objects.approved().filter(user=user).values("organization_id")
    # Their organizations' unpublished events are few: read by id, they leave the published
    # events to their indexes (partial: published only). A join on the organizers, with the
    # DISTINCT it needs, made every list of a signed-in member read all the events (120 ms).
    drafts = list(
        Event.organizers.through.objects.filter(organization_id__in=own, event__published_at__isnull=True)
        .values_list("event_id", flat=True).distinct()
    )
    if not drafts:
        return events.published()
    return events.filter(Q(published_at__isnull=False) | Q(pk__in=drafts))


def events_for_rows(user=None, *, with_organizers: bool = True) -> QuerySet[Event]:
    """What a list row shows, read with the events: territory joined, organizers prefetched
    (``with_organizers`` False: the list page, which reads their names alone: ``with_organizer_names``)."""
    events = visible_events(user).select_related("territory").defer("search_document", "description", "minutes")
    return events.prefetch_related(Prefetch("organizers", queryset=_organizer_names())) if with_organizers else events


def with_organizer_names(events) -> list[Event]:
    """Each event with ``organizer_names``, all its list row shows of its organizers: one query of names."""
    return with_names(events, "organizers", "organizer_names")


def _organizer_names():
    from civicbridge.directory.models import Organization

    return Organization.objects.only("pk", "name", "slug")


def filter_events(data, *, user=None, now: datetime | None = None, with_organizers: bool = True) -> EventFilter:
    return EventFilter(data, queryset=events_for_rows(user, with_organizers=with_organizers), now=now)


class _Span(Func):
    """An event's time as a range, as the index event_during holds it (PostgreSQL)."""

    function = "tstzrange"
    template = "%(function)s(%(expressions)s, '[]')"
    output_field = DateTimeRangeField()


class UpcomingEvents(SlicedSequence):
    """The filter's events not over yet, in start order: those under way, then those ahead.

    One ORDER BY over "not over yet" walks the start index from the oldest event and skips
    every past one (170,000 at national scale: 130 ms a page), because the database cannot
    know that events end soon after they start. Read in two parts: the events under way are
    few, found on PostgreSQL by the index of the events' spans (event_during: some hundred
    entries, where the end index held every event ahead, 85,000 at three times the national
    scale: 7.4 ms); those ahead are a range of the start index. Unfiltered or by kind alone
    (``kinds`` given, empty for every kind), those ahead from tomorrow on are counted as the
    database keeps them by start day and kind (``STARTS_COUNT``: some hundred rows), and only
    today's and the drafts the reader may see are counted. On PostgreSQL the count and the
    list of those under way come in one statement, so at one moment. A sliceable sequence
    with ``len``, as Django's paginator takes.
    """

    def __init__(self, queryset: QuerySet[Event], now: datetime, *, kinds: list[str] | None = None):
        queryset = queryset.order_by()
        self._rows = queryset
        self._now = now
        self._kinds = kinds
        self._is_ahead = Q(starts_at__gte=now)
        self._is_under_way = Q(starts_at__lt=now, ends_at__gte=now)
        self._ahead = queryset.filter(self._is_ahead).order_by("starts_at", "id")
        self._under_way: list[int] | None = None
        self._ahead_count: int | None = None

    def _read_parts(self) -> None:
        if self._under_way is not None:
            return
        under_way = self._rows.filter(self._is_under_way)
        listed = connections[self._rows.db].vendor == "postgresql"
        parts = [self._listed_in_order(under_way)] if listed else []
        if self._kinds is None:
            self._ahead_count, *ids = read_together(self._ahead, *parts)
        else:
            tomorrow = datetime.combine(self._now.astimezone(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC)
            ahead_today = self._rows.filter(self._is_ahead, starts_at__lt=tomorrow)
            # Those the count does not hold: drafts a coordinator or an organizer sees.
            drafts_later = self._rows.filter(published_at__isnull=True, starts_at__gte=tomorrow)
            later, (today, drafts, *ids) = STARTS_COUNT.total_with(
                ahead_today, drafts_later, *parts, from_key=tomorrow.date().isoformat(), endings=self._kinds,
            )
            self._ahead_count = later + today + drafts
        if listed:
            self._under_way = keys_listed(ids[0])
        else:
            self._under_way = [pk for _start, pk in sorted(under_way.values_list("starts_at", "id"))]

    def _listed_in_order(self, under_way: QuerySet[Event]) -> tuple[str, list]:
        """SQL of the ids of ``under_way`` in start order, as one text (PostgreSQL)."""
        # The spans' index alone finds them, the filters test those few: beside it, PostgreSQL
        # intersected it with the index of a search's 50,000 matches (12 ms at 3x).
        spanning = Event.objects.alias(span=_Span("starts_at", "ends_at")).filter(span__contains=self._now)
        found = under_way.filter(pk__in=spanning.values("pk"))
        try:
            sql, params = found.values_list("starts_at", "id").query.sql_with_params()
        except EmptyResultSet:  # a condition nothing can meet
            return "SELECT NULL", []
        return f"SELECT string_agg(u.id::text, ',' ORDER BY u.starts_at, u.id) FROM ({sql}) AS u", list(params)

    def _under_way_ids(self) -> list[int]:
        self._read_parts()
        return self._under_way

    def __len__(self) -> int:
        self._read_parts()
        return len(self._under_way) + self._ahead_count

    def _slice(self, index: slice):
        start, stop, _step = index.indices(len(self))
        under_way = self._under_way_ids()
        ids = under_way[start:stop]
        ahead_start, ahead_stop = max(start - len(under_way), 0), stop - len(under_way)
        if ahead_stop > ahead_start:
            ids += list(self._ahead.values_list("id", flat=True)[ahead_start:ahead_stop])
        if not ids:
            return []
        # The page's rows in one query whichever parts they come from: the same queries for
        # every page, with events under way or not.
        by_id = {event.pk: event for event in self._rows.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def filtered_events(filterset: EventFilter):
    """The filter's events; "upcoming" (the default) read in two parts (``UpcomingEvents``),
    the others newest first, ids first (``IdsFirst``): read at once, the rows were found by
    walking the start index and reading each row to test the filters (6,000 rows for a
    county's past events at 1x, 8 ms; 116 to 196 ms at 3x), where the ids alone come from
    the index (``event_published_start`` holds what the filters test)."""
    if not filterset.is_valid():
        return filterset.qs
    if filterset.form.cleaned_data.get("when") == UPCOMING:
        # Unfiltered or by kind alone, the events ahead are those the database counts by start
        # day and kind: every published event is visible to every reader.
        kinds = list(filterset.form.cleaned_data.get("kind") or []) if filterset.chosen() <= {"when", "kind"} else None
        return UpcomingEvents(filterset.qs, filterset.now, kinds=kinds)
    return IdsFirst(filterset.qs)


def past_count(filterset: EventFilter) -> int | None:
    """How many events "past" lists with no other filter: the published events (a count the
    database keeps) less those not over yet, plus the drafts over already that the reader may
    see (a coordinator's, an organizer's; none for a visitor). Counting the past ones reads an
    index entry per event ever held (171,000 at national scale: 30 ms, and more with every
    event held); those not over yet are the few ahead and under way. None where the list must
    be counted (another filter)."""
    if filterset.chosen() != {"when"} or filterset.form.cleaned_data["when"] != PAST:
        return None
    # An event ends after it starts (a constraint): one that has not ended is not past.
    return PUBLISHED_COUNT.current_less(
        Event.objects.published().filter(ends_at__gte=filterset.now),
        plus=filterset.qs.filter(published_at__isnull=True),
    )


def with_seats(events) -> list[Event]:
    """Each event with ``seats_taken`` and ``waiting`` counted, in one query for the page."""
    events = list(events)
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(event__in=[event.pk for event in events])
        .values("event_id")
        .annotate(
            taken=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        )
        .order_by()
    }
    for event in events:
        row = counts.get(event.pk, {})
        _seats(event, taken=row.get("taken", 0), waiting=row.get("waiting", 0))
    return events


def _seats(event: Event, *, taken: int, waiting: int) -> None:
    event.seats_taken = taken
    event.waiting = waiting
    event.seats_left = None if event.capacity is None else max(event.capacity - taken, 0)


def _registrations_counted(status: str) -> Coalesce:
    """How many of an event's registrations have ``status``, for each event read."""
    return total_per_row(Registration.objects.filter(event_id=OuterRef("pk"), status=status), "event_id", Count("pk"))


def event_detail(*, pk: int, user=None) -> Event:
    """The event with its territory, project and organizers, its seats (as ``with_seats`` counts
    them) and the names of its thematic areas (``area_names``): what its page shows. The seats
    are counted in the event's own query: a query of their own cost a round trip of every
    event's page."""
    Status = Registration.Status
    event = (
        visible_events(user)
        .select_related("territory", "project")
        .defer("search_document")  # for the database only
        .annotate(taken=_registrations_counted(Status.CONFIRMED), waiting_count=_registrations_counted(Status.WAITING))
        .prefetch_related(Prefetch("organizers", queryset=_organizer_names()))
        .get(pk=pk)
    )
    with_area_names([event])
    _seats(event, taken=event.taken, waiting=event.waiting_count)
    return event


def own_registration(event: Event, user) -> Registration | None:
    """The signed-in person's standing registration for ``event`` (not a cancelled one)."""
    if not (user and user.is_authenticated):
        return None
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None for anyone not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITING,
    ).filter(Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk))
    return ahead.count() + 1


def registrations_of(event: Event) -> dict[str, list[Registration]]:
    """The organizer's list: seats, then the waiting list in its order, then cancellations."""
    rows = list(event.registrations.select_related("user").order_by("created_at", "id"))
    return {
        "confirmed": sorted((r for r in rows if r.status == Registration.Status.CONFIRMED), key=lambda r: r.name.casefold()),
        "waiting": [r for r in rows if r.status == Registration.Status.WAITING],
        "cancelled": [r for r in rows if r.status == Registration.Status.CANCELLED],
    }


def registration_by_token(token) -> Registration:
    return Registration.objects.select_related("event__territory").prefetch_related("changes").get(token=token)


def my_registrations(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("event__territory")
        .order_by("-event__starts_at", "-id")
    )


def certificate_allowed(registration: Registration) -> bool:
    return registration.event.is_training and registration.attended_at is not None


# --- calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list


def month_of(value: str | None, today: date) -> date:
    """The first day of the month ``YYYY-MM`` names; this month for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def month_grid(month: date, events: list[Event], today: date) -> list[list[Day]]:
    """Weeks (Monday first) covering ``month``, each day with the events on it (local time)."""
    zone = timezone.get_default_timezone()
    by_day: dict[date, list[Event]] = {}
    for event in events:
        first = timezone.localtime(event.starts_at, zone).date()
        last = timezone.localtime(event.ends_at, zone).date()
        day = first
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [Day(day, day.month == month.month, day == today, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_before(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def events_in_month(filterset: EventFilter, month: date) -> list[Event]:
    """The filter's events that touch ``month`` (any "when": the month decides), with what the
    month's grid shows of them: its title, its times, whether it is cancelled. A national
    month holds hundreds of events: their territories, texts and organizers read for nothing
    took 150 ms of the page.

    Read in two parts, each from an index, as ``UpcomingEvents``: those under way when the
    month begins (by the end index), then those starting in it (a range of the start index).
    One query ordered by start walked the start index from the oldest event (85 ms)."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(month, datetime.min.time()), zone)
    end = timezone.make_aware(datetime.combine(month_after(month), datetime.min.time()), zone)
    events = (
        filterset.qs.select_related(None).prefetch_related(None)
        .only("pk", "title", "starts_at", "ends_at", "cancelled_at").order_by("starts_at", "id")
    )
    # Few, found in the end index alone and ordered here (by start, the database would walk
    # every past event), then read by id.
    under_way_ids = [
        pk for _start, pk in sorted(
            events.filter(starts_at__lt=start, ends_at__gte=start).order_by().values_list("starts_at", "pk")
        )
    ][:CALENDAR_EVENTS]
    under_way = list(events.filter(pk__in=under_way_ids)) if under_way_ids else []
    starting = events.filter(starts_at__gte=start, starts_at__lt=end)[: CALENDAR_EVENTS - len(under_way)]
    return under_way + list(starting)  # a slice of none reads nothing


def calendar_events(data, *, now: datetime | None = None) -> list[Event]:
    """Published events not over yet (the query string's filters apply), for the ICS feed."""
    filterset = EventFilter(data, queryset=events_for_rows(None), now=now)
    if not filterset.form.is_valid():
        return []
    return list(filterset.qs.order_by("starts_at", "id")[:CALENDAR_EVENTS])


# --- home and profile -----------------------------------------------------------------------------


def home_upcoming(request) -> dict | None:
    now = timezone.now()
    # Those ahead only: "not over yet" in start order would walk every past event (UpcomingEvents).
    events = list(
        Event.objects.published().filter(cancelled_at__isnull=True, starts_at__gte=now)
        .select_related("territory").only(
            "pk", "title", "kind", "starts_at", "ends_at", "territory__name_en", "territory__name_pl",
            "territory__name_tr", "published_at", "cancelled_at",
        )
        .order_by("starts_at", "id")[:HOME_UPCOMING]
    )
    return {"events": events} if events else None


def profile_registrations(request) -> dict | None:
    registrations = list(
        my_registrations(request.user).filter(event__ends_at__gte=timezone.now() - timedelta(days=60))[:10]
    )
    return {"registrations": registrations} if registrations else None



def organizing_options(user) -> list:
    """The organizations a person may name as organizers: those they represent (listed ones),
    and for coordinators the public bodies too (the office organizes for its authority)."""
    from civicbridge.accounts.models import Membership
    from civicbridge.directory.models import Organization, listed_q

    if not (user and user.is_authenticated and user.is_active):
        return []
    own = Q(pk__in=Membership.objects.approved().filter(user=user).values("organization_id"))
    if is_coordinator(user):
        own |= Q(kind__in=Organization.PUBLIC_KINDS)
    return list(Organization.objects.filter(listed_q(), own).only("pk", "name", "slug").order_by("name", "pk"))


def personal_data(user) -> list[dict]:
    """The person's registrations (made signed in, or as a guest with their address), for
    their download of their personal data."""
    from django.db.models import Q

    from .models import Registration

    mine = Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related("event")
    return [
        {"event": r.event.title, "starts_at": r.event.starts_at.isoformat(), "name": r.name, "email": r.email,
         "organization": r.organization_name, "status": r.status, "registered_at": r.created_at.isoformat(),
         "attended_at": r.attended_at.isoformat() if r.attended_at else None}
        for r in mine.order_by("created_at", "pk")
    ]
