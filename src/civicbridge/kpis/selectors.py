"""The KPI dashboard's figures, computed from the data at each request, never typed in.

Events count in the year of their start (on the deployment's clock) once published and not
cancelled. Hours of training are those of trainings, workshops and seminars, the rest hours
of debate. Participants are the people marked present (``Event.attended_count``); unique
participants count a person (by e-mail address) once per year, in all, per county and per
kind (``events.Attendee``, kept by the attendance service). Every figure is read from
tallies the event services keep in the transaction of each write (``events.EventFigure``,
``events.AttendeeCount``): the page reads neither the year's events nor their registrations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Sum, When
from django.utils import timezone

from civicbridge.core.models import Territory
from civicbridge.directory.models import OrganizationTally, listed_q
from civicbridge.events.models import Attendee, AttendeeCount, Event, EventFigure

from .models import Target

FIRST_YEAR = 2000
CHART_COUNTIES = 15  # a chart of 380 bars (Poland's counties) helps nobody: the full table is beside it
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


def _add(row: Figures, values: dict) -> None:
    row.events += values["n"]
    row.hours += values["total_hours"] or Decimal(0)
    row.training_hours += values["training"] or Decimal(0)
    row.participants += values["present"] or 0


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


def _summed(rows):
    return rows.annotate(
        n=Sum("events"), total_hours=Sum("hours"), training=Sum("training_hours"), present=Sum("participants"),
    ).filter(n__gt=0)


def county_groups(year: int) -> list[dict]:
    """The year's held events by county (a row per county: ``EventFigure``, kept by the event services)."""
    rows = EventFigure.objects.filter(year=year, month=0).values("county_key").order_by()
    return [{**values, "county": values.pop("county_key") or None} for values in _summed(rows)]


def kind_month_groups(year: int) -> list[dict]:
    """The year's held events by month and kind (at most 12 x 9 rows): the totals, the kinds, the months."""
    return list(_summed(EventFigure.objects.filter(year=year, month__gt=0).values("month", "kind").order_by()))


def events_dashboard(year: int) -> dict:
    unique = unique_participants(year)
    total = Figures(unique=unique.get((Attendee.Scope.ALL, ""), 0))
    kinds: dict = {}
    months = {month: Figures(key=str(month), month=datetime.date(year, month, 1)) for month in range(1, 13)}
    for values in kind_month_groups(year):
        _add(total, values)
        _add(kinds.setdefault(values["kind"], Figures(key=values["kind"])), values)
        _add(months[values["month"]], values)
    counties: dict = {}
    for values in county_groups(year):
        _add(counties.setdefault(values["county"], Figures(key=str(values["county"] or ""))), values)
    names = {t.pk: t.name for t in Territory.objects.filter(pk__in=[pk for pk in counties if pk]).only(
        "pk", "name_en", "name_pl", "name_tr")}
    by_county = []
    for pk, row in counties.items():
        row.label = names.get(pk, "")
        row.unique = unique.get((Attendee.Scope.COUNTY, row.key), 0)
        by_county.append(row)
    by_county.sort(key=lambda row: (row.label == "", row.label.casefold()))
    labels = dict(Event.Kind.choices)
    by_kind = []
    for kind, row in sorted(kinds.items()):
        row.label = str(labels.get(kind, kind))
        row.unique = unique.get((Attendee.Scope.KIND, kind), 0)
        by_kind.append(row)
    by_month = _with_shares(list(months.values()), "events")
    for index, row in enumerate(by_month):
        row.label = row.month.strftime("%Y-%m")
        row.bar_x, row.bar_height = index * 10 + 0.5, round(row.share * 0.45, 1)
    by_county = _with_shares(by_county)
    chart = sorted((row for row in by_county if row.key), key=lambda row: (-row.participants, row.label))[:CHART_COUNTIES]
    return {
        "total": total,
        "by_county": by_county,
        "chart_counties": chart,
        "by_kind": _with_shares(by_kind),
        "by_month": by_month,
        "counties_reached": sum(1 for row in by_county if row.key and row.events),
    }


def target_progress(year: int) -> list[TargetProgress]:
    """Each target of ``year`` with the actual figures of the events of its kinds (one query each)."""
    progress = []
    for target in Target.objects.filter(year=year):
        figures = EventFigure.objects.filter(year=year, month=0, kind__in=target.kind_list, events__gt=0).aggregate(
            events=Sum("events"), hours=Sum("hours"), participants=Sum("participants"),
            counties=Count("county_key", distinct=True, filter=Q(county_key__gt=0)),
        )
        actual = {
            "events": figures["events"] or 0, "hours": figures["hours"] or Decimal(0),
            "participants": figures["participants"] or 0, "counties": figures["counties"] or 0,
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
    """Listed organizations and the verified ones, per county of the deployment's country: the
    registry's tally (per territory) summed up to the counties in the database."""
    from civicbridge.core import deployment

    county = Case(
        When(territory__level=Territory.Level.COUNTY, then=F("territory_id")),
        When(territory__level=Territory.Level.MUNICIPALITY, then=F("territory__parent_id")),
    )
    tally = (
        OrganizationTally.objects.filter(listed_q(), territory__country=deployment.current().country)
        .annotate(county=county).filter(county__isnull=False)
        .values("county").order_by()
        .annotate(registered=Sum("n"), verified=Sum("n", filter=Q(is_verified=True)))
    )
    rows = {values["county"]: values for values in tally}
    names = Territory.objects.filter(pk__any=list(rows)).only("pk", "name_en", "name_pl", "name_tr")
    return sorted(
        ({"label": territory.name, "registered": rows[territory.pk]["registered"] or 0,
          "verified": rows[territory.pk]["verified"] or 0} for territory in names),
        key=lambda row: row["label"].casefold(),
    )


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
        "targets": target_progress(year),
        "organizations": organizations_by_county(),
        "projects": projects_dashboard(year, user),
        "support": support_dashboard(year),
    }
