"""The KPI dashboard's figures, computed from the data at each request, never typed in.

Events count in the year of their start (on the deployment's clock) once published and not
cancelled. Hours of training are those of trainings, workshops and seminars, the rest hours
of debate. Participants are the people marked present (``Event.attended_count``); unique
participants count a person (by e-mail address) once per year, in all, per county and per
kind (``events.Attendee``, kept by the attendance service). Every figure is read from
grouped queries over the year's events and small tallies: the page does not read the
registrations themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civicbridge.core.models import Territory
from civicbridge.directory.models import OrganizationTally, listed_q
from civicbridge.events.models import Attendee, AttendeeCount, Event

from .models import Target

TRAINING_KINDS = sorted(Event.TRAINING_KINDS)
FIRST_YEAR = 2000
TIMELINE_BASE = 50  # the timeline's baseline; a full bar is 45 units tall


@dataclass
class Figures:
    """One row of events' figures (a county, a kind, a month, or the whole year)."""

    label: str = ""
    key: str = ""
    events: int = 0
    hours: Decimal = Decimal(0)
    training_hours: Decimal = Decimal(0)
    participants: int = 0
    unique: int | None = None
    share: float = 0.0  # of the largest row, for the bar charts
    month: datetime.date | None = None  # the timeline's rows
    bar_x: float = 0.0  # the timeline's bar (SVG user units)
    bar_height: float = 0.0

    @property
    def debate_hours(self) -> Decimal:
        return self.hours - self.training_hours

    @property
    def label_x(self) -> float:
        return self.bar_x + 4.5

    @property
    def bar_y(self) -> float:
        return round(TIMELINE_BASE - self.bar_height, 1)


@dataclass
class TargetProgress:
    target: Target
    actual: dict = field(default_factory=dict)  # figure -> actual value
    rows: list = field(default_factory=list)  # (label, target, actual, percent)


def parse_year(value, today: datetime.date) -> int:
    """The year the query string asks for; this year when it asks none. Raises ValueError."""
    if value in (None, ""):
        return today.year
    year = int(str(value).strip())
    if not FIRST_YEAR <= year <= today.year + 10:
        raise ValueError(year)
    return year


def _year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.datetime(year, 1, 1), zone)
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1), zone)


def held_events(year: int):
    start, end = _year_range(year)
    return Event.objects.filter(
        published_at__isnull=False, cancelled_at__isnull=True, starts_at__gte=start, starts_at__lt=end,
    )


def _figures(queryset):
    return queryset.annotate(
        n=Count("pk"), total_hours=Sum("hours"),
        training=Sum("hours", filter=Q(kind__in=TRAINING_KINDS)), present=Sum("attended_count"),
    )


def _row(label: str, key, values: dict) -> Figures:
    return Figures(
        label=label, key=str(key) if key is not None else "", events=values.get("n") or 0,
        hours=values.get("total_hours") or Decimal(0), training_hours=values.get("training") or Decimal(0),
        participants=values.get("present") or 0,
    )


def _with_shares(rows: list[Figures], measure: str = "participants") -> list[Figures]:
    top = max((getattr(row, measure) for row in rows), default=0) or 0
    for row in rows:
        row.share = round(100 * getattr(row, measure) / top, 1) if top else 0.0
    return rows


def unique_participants(year: int) -> dict[tuple[str, str], int]:
    return {
        (scope, key): people
        for scope, key, people in AttendeeCount.objects.filter(year=year).values_list("scope", "key", "people")
    }


def events_dashboard(year: int) -> dict:
    held = held_events(year)
    unique = unique_participants(year)
    total = _row("", "", held.aggregate(
        n=Count("pk"), total_hours=Sum("hours"),
        training=Sum("hours", filter=Q(kind__in=TRAINING_KINDS)), present=Sum("attended_count"),
    ))
    total.unique = unique.get((Attendee.Scope.ALL, ""), 0)

    county_rows = list(_figures(held.values("county").order_by("county")))
    names = {t.pk: t.name for t in Territory.objects.filter(pk__in=[r["county"] for r in county_rows if r["county"]])}
    by_county = []
    for values in county_rows:
        row = _row(names.get(values["county"], ""), values["county"], values)
        row.unique = unique.get((Attendee.Scope.COUNTY, row.key), 0)
        by_county.append(row)
    by_county.sort(key=lambda row: (row.label == "", row.label.casefold()))

    labels = dict(Event.Kind.choices)
    by_kind = []
    for values in _figures(held.values("kind").order_by("kind")):
        row = _row(str(labels.get(values["kind"], values["kind"])), values["kind"], values)
        row.unique = unique.get((Attendee.Scope.KIND, row.key), 0)
        by_kind.append(row)

    zone = timezone.get_default_timezone()
    months = {
        values["month"].month: values
        for values in _figures(held.annotate(month=TruncMonth("starts_at", tzinfo=zone)).values("month").order_by("month"))
    }
    by_month = []
    for month in range(1, 13):
        row = _row(datetime.date(year, month, 1).strftime("%Y-%m"), month, months.get(month, {}))
        row.month = datetime.date(year, month, 1)
        by_month.append(row)
    for index, row in enumerate(_with_shares(by_month, "events")):
        row.bar_x, row.bar_height = index * 10 + 0.5, round(row.share * 0.45, 1)
    return {
        "total": total,
        "by_county": _with_shares(by_county),
        "by_kind": _with_shares(by_kind),
        "by_month": by_month,
        "counties_reached": sum(1 for row in by_county if row.key and row.events),
    }


def target_progress(year: int, by_kind: list[Figures]) -> list[TargetProgress]:
    kinds = {row.key: row for row in by_kind}
    held = held_events(year)
    progress = []
    for target in Target.objects.filter(year=year):
        rows = [kinds[kind] for kind in target.kind_list if kind in kinds]
        actual = {
            "events": sum(row.events for row in rows),
            "hours": sum((row.hours for row in rows), Decimal(0)),
            "participants": sum(row.participants for row in rows),
            "counties": held.filter(kind__in=target.kind_list, county__isnull=False).values("county").distinct().count(),
        }
        item = TargetProgress(target=target, actual=actual)
        for figure in ("events", "hours", "participants", "counties"):
            goal = getattr(target, figure)
            if goal is not None:
                percent = round(100 * float(actual[figure]) / float(goal)) if goal else 100
                item.rows.append((figure, goal, actual[figure], percent))
        progress.append(item)
    return progress


def organizations_by_county() -> list[dict]:
    """Listed organizations and the verified ones, per county of the deployment's country (the
    registry's tally, folded up from municipalities to their counties)."""
    from civicbridge.core import deployment

    country = deployment.current().country
    counties = {t.pk: t for t in Territory.objects.filter(country=country, level=Territory.Level.COUNTY)}
    below = {}
    for pk, path in Territory.objects.filter(country=country, level=Territory.Level.MUNICIPALITY).values_list("pk", "path"):
        line = [int(part) for part in path.strip("/").split("/") if part]
        below[pk] = next((unit for unit in line if unit in counties), None)
    rows: dict[int, dict] = {}
    tally = (
        OrganizationTally.objects.filter(listed_q()).values("territory_id", "is_verified").annotate(n=Sum("n")).order_by()
    )
    for values in tally:
        territory = values["territory_id"]
        county = territory if territory in counties else below.get(territory)
        if county is None:
            continue
        row = rows.setdefault(county, {"label": counties[county].name, "registered": 0, "verified": 0})
        row["registered"] += values["n"]
        if values["is_verified"]:
            row["verified"] += values["n"]
    return sorted(rows.values(), key=lambda row: row["label"].casefold())


def projects_dashboard(year: int, user) -> dict:
    """Projects running at some time in ``year``, by status and by funder with their budgets."""
    from civicbridge.projects.models import Project, Status

    projects = Project.objects.visible_to(user).filter(
        start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1),
    )
    labels = dict(Status.choices)
    by_status = [
        {"label": labels.get(values["status"], values["status"]), "status": values["status"], "currency": values["currency"],
         "projects": values["n"], "budget": values["budget"] or Decimal(0)}
        for values in projects.values("status", "currency").annotate(n=Count("pk"), budget=Sum("budget")).order_by("status", "currency")
    ]
    by_funder = [
        {"label": values["funder__name"] or "", "currency": values["currency"], "projects": values["n"],
         "budget": values["budget"] or Decimal(0)}
        for values in projects.values("funder__name", "currency").annotate(n=Count("pk"), budget=Sum("budget"))
        .order_by("-budget", "funder__name")
    ]
    return {"by_status": by_status, "by_funder": by_funder}


def support_dashboard(year: int) -> dict:
    from civicbridge.support.models import SupportRequest, TimeEntry

    start, end = _year_range(year)
    requests = SupportRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = requests.aggregate(
        received=Count("pk"), closed=Count("pk", filter=Q(status=SupportRequest.Status.CLOSED)),
    )
    minutes = TimeEntry.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(total=Sum("minutes"))["total"]
    return {**counts, "hours": round((minutes or 0) / 60, 1)}


def dashboard(year: int, user) -> dict:
    events = events_dashboard(year)
    return {
        "year": year,
        "events": events,
        "targets": target_progress(year, events["by_kind"]),
        "organizations": organizations_by_county(),
        "projects": projects_dashboard(year, user),
        "support": support_dashboard(year),
    }
