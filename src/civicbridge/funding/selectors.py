"""Every read of calls and funders that the pages, feeds, calendars and the API share."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.core import search as search_backend
from civicbridge.core.deployment import zone_label
from civicbridge.core.pagination import SlicedSequence, keys_listed
from civicbridge.core.selectors import with_area_names, with_names

from .filters import CallFilter
from .models import PUBLISHED_COUNT, Call, CallAttachment, CallDeadline, Funder, Programme
from .rules import is_officer
from .services import funder_zone

CLOSING_SOON_DAYS = 14
FEED_ITEMS = 50
CALENDAR_CALLS = 1_000


# --- who sees which calls -------------------------------------------------------------------------


def visible_calls(user) -> QuerySet[Call]:
    """Published calls; drafts too for coordinators, and for the officers who manage them."""
    from civicbridge.accounts.models import Membership
    from civicbridge.directory.models import Organization

    calls = Call.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return calls.published()
    if user.is_superuser or getattr(user, "is_coordinator", False):
        return calls
    if not is_officer(user):
        # Most people signed in are no officer: their list is the public one, read from the
        # published calls' indexes (the drafts' condition below makes every list scan all calls).
        return calls.published()
    bodies = Membership.objects.approved().filter(user=user, organization__kind__in=Organization.PUBLIC_KINDS)
    colleagues = Membership.objects.approved().filter(organization_id__in=bodies.values("organization_id"))
    # The drafts are few: read by id, they leave the published calls to their indexes (a
    # condition on each call's author would scan every call at each page).
    drafts = list(
        Call.objects.filter(published_at__isnull=True, created_by_id__in=colleagues.values("user_id"))
        .values_list("pk", flat=True)
    )
    if not drafts:
        return calls.published()
    return calls.filter(Q(published_at__isnull=False) | Q(pk__in=drafts))


def next_deadline_at(now: datetime) -> Subquery:
    """The moment of a call's next deadline at ``now``, read with the call (a row shows only that)."""
    upcoming = CallDeadline.objects.filter(call_id=OuterRef("pk"), deadline_at__gte=now).order_by("deadline_at")
    return Subquery(upcoming.values("deadline_at")[:1])


# What a list row (funding/call_rows.html) and ``decorate`` read of a call, its programme and funder.
ROW_COLUMNS = (
    "identifier", "title", "opens_at", "closes_at", "status_from_source", "min_grant", "max_grant", "currency",
    "published_at", "programme__name", "programme__funder__name", "programme__funder__time_zone",
)


def calls_for_rows(user=None, *, now: datetime) -> QuerySet[Call]:
    """What a list row shows, read with the calls: the next deadline alongside, the funder's and
    programme's names joined; ``decorate`` adds the rest for the page's rows, so a row runs no query."""
    return (
        visible_calls(user).select_related("programme__funder").only(*ROW_COLUMNS)
        .annotate(next_deadline_at=next_deadline_at(now))
    )


class CallsInDeadlineOrder(SlicedSequence):
    """The calls of ``queryset`` in the default order: a deadline ahead (the next one soonest
    first), then no deadline (newest first), then closed (latest deadline first), the source's
    "closed" counted as closed.

    One ORDER BY of the three would compute the order of every call at each page (26 ms at
    20,000 calls); read in parts, each in an order an index gives from a range of it, a page
    reads only its own rows. Closed calls are two parts: those closed early before a deadline
    still ahead (a small index of their own), then those whose deadline has passed (a range of
    the deadline index): one part would walk every deadline ahead to reach the passed ones.
    A sliceable sequence with ``len``, as Django's and the API's paginators take: the lists
    count it exactly, page it by offset, and the API's ``next`` reaches its last call. Each
    part is a real queryset of ``queryset`` (filters and annotations kept); the parts' sizes
    are counted together, in one query, when first needed.

    ``unfiltered``: ``queryset`` is every published call and some drafts (the visitor's, a
    list with no filter). The calls whose deadline has passed, most of them, are then counted
    as the rest of the count the database keeps (``PUBLISHED_COUNT``) and of the drafts, where
    counting them read every call's index entry (6 ms at 20,000 calls, three times that at
    three times as many).

    ``sized`` false: the parts are not counted at all (a search too broad to count, which the
    list shows as "about N"); a page counts a part only as far as its own start
    (``_slice_unsized``).

    ``searched``: ``queryset`` is a search's matches, counted exactly (some thousands at most).
    Where the database orders inside an aggregate (PostgreSQL), the pass that counts the parts
    also lists the part ahead's keys in its order: reading the matches again for a page's
    first keys took as long as counting them (3.8 and 4.3 ms for "culture heritage" at 3x).
    """

    def __init__(
        self, queryset: QuerySet[Call], now: datetime, *, unfiltered: bool = False, sized: bool = True,
        searched: bool = False,
    ):
        closed_early = Q(status_from_source=Call.Status.CLOSED)
        ahead, no_deadline = Q(closes_at__gte=now), Q(closes_at__isnull=True)
        calls = queryset.order_by()
        self._all = calls
        latest_first = ("-closes_at", "-id")
        self._parts = {  # which calls, in which order, the parts in the list's order
            "ahead": (~closed_early & ahead, ("closes_at", "id")),
            "undated": (~closed_early & no_deadline, ("-id",)),
            "closed_early_ahead": (closed_early & ahead, latest_first),
            "passed": (Q(closes_at__lt=now), latest_first),
            # closed early before any deadline was known: last
            "closed_early_undated": (closed_early & no_deadline, ("-id",)),
        }
        self._sizes: dict[str, int] | None = None
        self._keys_with_count = (
            searched and sized and connections[calls.db].features.supports_aggregate_order_by_clause
        )
        self._ahead_keys: list[int] | None = None  # the part ahead's keys in its order, where counted with it
        self._unfiltered = unfiltered
        self._sized = sized
        self._now = now

    def _part(self, name: str) -> QuerySet[Call]:
        # Built when a page reaches it: most pages are read from one part.
        condition, order = self._parts[name]
        return self._all.filter(condition).order_by(*order)

    def _count_parts(self) -> dict[str, int]:
        # One pass over the calls counts all the parts (a search reads its matches once). The
        # column counted is never null and is in the index "call_status_window", so the count
        # reads that index alone (COUNT(*) takes no filter in Django).
        if self._sizes is None and self._unfiltered:
            self._sizes = self._count_parts_from_the_kept_count()
        if self._sizes is None:
            counts = {
                name: Count("status_from_source", filter=condition) for name, (condition, _order) in self._parts.items()
            }
            if self._keys_with_count:
                condition, order = self._parts["ahead"]
                counts["ahead_keys"] = StringAgg(Cast("pk", CharField()), Value(","), filter=condition, order_by=order)
            sizes = self._all.aggregate(**counts)
            if self._keys_with_count:
                self._ahead_keys = keys_listed(sizes.pop("ahead_keys"))
            self._sizes = sizes
        return self._sizes

    def _count_parts_from_the_kept_count(self) -> dict[str, int]:
        # All the calls are the published ones (the count) and the drafts among them; the
        # passed deadlines' part is what the other parts leave, all read in one statement.
        others = [name for name in self._parts if name != "passed"]
        total, (drafts, *sizes) = PUBLISHED_COUNT.current_with(
            self._all.filter(published_at__isnull=True), *(self._part(name) for name in others),
        )
        counted = dict(zip(others, sizes, strict=True))
        counted["passed"] = total + drafts - sum(sizes)
        return {name: counted[name] for name in self._parts}

    def count(self) -> int:
        return sum(self._count_parts().values())

    __len__ = count

    def _slice(self, index: slice):
        if not self._sized and self._sizes is None and _from_the_start(index):
            return self._slice_unsized(index.start or 0, index.stop)
        start, stop, _step = index.indices(len(self))
        rows, offset, wanted = [], start, max(stop - start, 0)
        for part, size in self._count_parts().items():
            if not wanted:
                break
            if offset >= size:
                offset -= size
                continue
            taken = self._read(part, offset, min(wanted, size - offset))
            rows += taken
            wanted -= len(taken)
            offset = 0
        return rows

    def _slice_unsized(self, start: int, stop: int) -> list[Call]:
        """The calls from ``start`` to ``stop`` without the parts' sizes (``sized`` false: a
        search too broad to count, shown as "about N"): a part is counted only as far as the
        slice's start, by its first ``start`` keys at most, and read from there. Counting every
        part read each match: 40 ms for a word in 60,000 calls."""
        rows, offset, wanted = [], start, max(stop - start, 0)
        for part in self._parts:
            if not wanted:
                break
            if offset:
                before = self._part(part).values("pk")[:offset].count()
                if before < offset:  # the whole part comes before the slice
                    offset -= before
                    continue
            taken = self._read(part, offset, wanted)
            rows += taken
            wanted -= len(taken)
            offset = 0
        return rows

    def _read(self, part: str, offset: int, count: int) -> list[Call]:
        return self._ahead(offset, count) if part == "ahead" else list(self._part(part)[offset : offset + count])

    def _ahead(self, offset: int, count: int) -> list[Call]:
        """The calls with a deadline ahead, ``count`` from ``offset``, in the order of their next
        deadline, which the rows show.

        The deadline index orders them by their last deadline (``closes_at``), the same as the
        next one except for a call with a stage still ahead before its last (a two-stage call
        before its first): its next deadline comes sooner. Such a call has a deadline before
        its last (``CallDeadline.is_last``, a small index of its own) due by the last of the
        calls read in the index's order: none due later can come before it. So the first
        ``offset + count`` by the last deadline and those hold the first ``offset + count`` by
        the next deadline (ties by id), read in one query (``_candidates``): the first page
        reads their rows, a later one their keys, then its rows.
        """
        stop = offset + count
        candidates = self._candidates(stop)
        if not offset:
            return sorted(candidates, key=lambda call: (call.next_deadline_at or call.closes_at, call.pk))[:stop]
        # A call whose deadlines were lost behind its back (closes_at kept) sorts by its last.
        rows = candidates.values_list("next_deadline_at", "closes_at", "pk")
        keys = sorted((next_at or last_at, pk) for next_at, last_at, pk in rows)
        ids = [pk for _at, pk in keys[offset:stop]]
        read = self._all.in_bulk(ids)
        return [read[pk] for pk in ids if pk in read]  # not one deleted since it was ordered

    def _candidates(self, stop: int) -> QuerySet[Call]:
        """The calls of the part ahead among which are its first ``stop`` by their next deadline
        (``next_deadline_at``, as the rows of ``calls_for_rows`` carry it already): its first
        ``stop`` by their last deadline and those with a deadline before their last due by the
        last of those; the whole part when it is no longer.

        Of every call, the part's first ``stop`` by the deadline index are read as subqueries
        of the candidates' query. Of a filter or a search, they are read first, with one more
        that tells whether the part is longer: as subqueries, the matches were looked up twice
        (4 of 8 ms for "culture heritage" among 60,000 calls), and tested against a list of
        ids or'ed with the stages' subquery, every call ahead was read (34 ms for "bench").
        """
        part = self._part("ahead")
        counted = self._sized or self._sizes is not None
        if counted and self._count_parts()["ahead"] <= stop:
            pass  # the whole part
        elif self._ahead_keys is not None:  # listed as they were counted
            part = part.filter(pk__in=self._chosen(self._ahead_keys[:stop], more=len(self._ahead_keys) > stop))
        elif counted and self._unfiltered:
            by_last = Call.objects.filter(pk__in=part.values("pk")[:stop]).order_by().values("pk")
            until = Subquery(part.values("closes_at")[stop - 1 : stop])
            part = part.filter(pk__in=by_last.union(self._sooner_stages(until=until)))
        else:
            firsts = list(part.values_list("pk", flat=True)[: stop + 1])
            part = part.filter(pk__in=self._chosen(firsts[:stop], more=len(firsts) > stop))
        if "next_deadline_at" not in part.query.annotations:
            part = part.annotate(next_deadline_at=next_deadline_at(self._now))
        return part.order_by()

    def _chosen(self, firsts: list[int], *, more: bool) -> QuerySet:
        """The keys of ``firsts`` (the part ahead's first by their last deadline) and, if the
        part has ``more``, of the calls with a stage due by the last of those."""
        chosen = Call.objects.filter(pk__any=firsts).order_by()
        if not more:
            return chosen.values("pk")
        until = Subquery(chosen.order_by("-closes_at").values("closes_at")[:1])
        return chosen.values("pk").union(self._sooner_stages(until=until))

    def _sooner_stages(self, *, until) -> QuerySet:
        """The calls with a deadline ahead before their last, due by ``until``."""
        sooner = CallDeadline.objects.filter(is_last=False, deadline_at__gte=self._now, deadline_at__lte=until)
        return sooner.order_by().values("call_id")


def _from_the_start(index: slice) -> bool:
    """A slice counted from the first call, as pages read: one from the end needs the length."""
    return (index.start or 0) >= 0 and index.stop is not None and index.stop >= 0


def in_deadline_order(
    queryset: QuerySet[Call], now: datetime, *, unfiltered: bool = False, sized: bool = True, searched: bool = False,
) -> CallsInDeadlineOrder:
    """``queryset``'s calls in the default order (``CallsInDeadlineOrder``); ``unfiltered``:
    ``queryset`` is what ``visible_calls`` gave, with no filter; ``sized`` false: its pages are
    read without counting its parts (a search counted as "about N"); ``searched``: a search's
    matches."""
    return CallsInDeadlineOrder(queryset, now, unfiltered=unfiltered, sized=sized, searched=searched)


def filter_calls(data, *, queryset: QuerySet[Call], now: datetime | None = None) -> CallFilter:
    return CallFilter(data, queryset=queryset, now=now or timezone.now())


def filtered_calls(filterset: CallFilter, *, sized: bool = True) -> QuerySet[Call] | CallsInDeadlineOrder:
    """The filter's calls, in the default order (``in_deadline_order``) unless the visitor chose
    one; ``sized`` false: a search whose matches are estimated (``calls_to_page``)."""
    queryset = filterset.qs
    valid = filterset.form.is_valid()
    if valid and filterset.form.cleaned_data.get("ordering"):
        return queryset
    # An invalid form's cleaned data holds only the fields that passed: no search is made of them.
    searched = valid and search_backend.is_search(filterset.form.cleaned_data)
    return in_deadline_order(
        queryset, filterset.now, unfiltered=filterset.chooses_nothing(), sized=sized, searched=searched,
    )


def calls_to_page(filterset: CallFilter) -> tuple[QuerySet[Call] | CallsInDeadlineOrder, search_backend.MatchCount | None]:
    """What the list pages (``core.pagination.page_of``): the filter's calls in their order, and
    for a search too broad to count, "about N" (``core.search.count_matches``): the order's
    parts are then never counted whole (``sized``).

    A search counted exactly is paged as any filter: its matches' keys read once and the parts
    read by them cost more than the parts' own lookups (1x bench: 18.3 against 15.7 ms of SQL
    at the median), a thousand keys tested one by one in each part."""
    if filterset.is_valid() and search_backend.is_search(filterset.form.cleaned_data):
        estimate = search_backend.estimated_matches(filterset.qs)
        if estimate is not None:
            return filtered_calls(filterset, sized=False), estimate
    return filtered_calls(filterset), None


# --- what a row and a detail page show ------------------------------------------------------------


@dataclass(frozen=True)
class ShownDeadline:
    """One deadline as the pages show it: in the funder's zone and in the deployment's."""

    stage: int
    label: str
    moment: datetime
    at_funder: datetime
    funder_zone_label: str
    at_site: datetime
    site_zone_label: str
    same_zone: bool
    is_past: bool
    is_next: bool

    @property
    def shown_offsets(self) -> str:
        """The UTC offsets, in minutes, of the clocks the page shows this deadline on: a
        visitor whose own clock reads the same needs no third reading (``countdown.js``)."""
        offsets = {int(at.utcoffset().total_seconds()) // 60 for at in (self.at_funder, self.at_site)}
        return " ".join(str(offset) for offset in sorted(offsets))


def stage_label(call: Call, stage: int, count: int) -> str:
    if call.deadline_model == Call.DeadlineModel.TWO_STAGE:
        return _("First stage") if stage == 1 else _("Second stage")
    if call.deadline_model == Call.DeadlineModel.MULTIPLE_CUT_OFF and count > 1:
        return _("Cut-off %(number)s") % {"number": stage}
    return _("Deadline")


def shown_deadlines(call: Call, now: datetime, deadlines: list[CallDeadline] | None = None) -> list[ShownDeadline]:
    """The call's deadlines for display, the next one marked: ``deadlines`` where the caller
    read them, else the call's (prefetched)."""
    zone = funder_zone(call.programme.funder)
    site_zone = timezone.get_current_timezone()
    deadlines = sorted(call.deadlines.all() if deadlines is None else deadlines, key=lambda d: d.deadline_at)
    upcoming = next((d for d in deadlines if d.deadline_at >= now), None)
    funder_zone_label, site_zone_label = zone_label(zone), zone_label(site_zone)
    same_zone = zone.key == getattr(site_zone, "key", str(site_zone))
    return [
        ShownDeadline(
            stage=d.stage,
            label=d.label or stage_label(call, d.stage, len(deadlines)),
            moment=d.deadline_at,
            at_funder=d.deadline_at.astimezone(zone),
            funder_zone_label=funder_zone_label,
            at_site=d.deadline_at.astimezone(site_zone),
            site_zone_label=site_zone_label,
            same_zone=same_zone,
            is_past=d.deadline_at < now,
            is_next=d is upcoming,
        )
        for d in deadlines
    ]


def remaining_text(delta: timedelta) -> str:
    """'3 days 4 hours', '5 hours 10 minutes', '12 minutes': the two largest units."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and (minutes or not parts):
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts[:2])


@dataclass(frozen=True)
class Countdown:
    """What the detail page says about the time left, and what its script counts towards."""

    text: str
    template: str  # the same sentence with "{remaining}" for the script to fill in
    target: datetime | None


def countdown(call: Call, now: datetime) -> Countdown:
    status = call.status(now)
    if status == Call.Status.CLOSED:
        return Countdown(_("This call is closed."), "", None)
    if status == Call.Status.FORTHCOMING and call.opens_at and call.opens_at > now:
        template = _("opens in %(remaining)s")
        target = call.opens_at
    else:
        upcoming = call.next_deadline(now)
        if upcoming is None:
            return Countdown(_("Open, with no deadline."), "", None)
        target = upcoming.deadline_at
        stages = len(call.deadlines.all())
        if stages > 1:
            template = _("%(stage)s closes in %(remaining)s") % {
                "stage": stage_label(call, upcoming.stage, stages), "remaining": "%(remaining)s",
            }
        else:
            template = _("closes in %(remaining)s")
    return Countdown(
        template % {"remaining": remaining_text(target - now)}, template % {"remaining": "{remaining}"}, target
    )


def decorate(calls, now: datetime, *, with_areas: bool = True) -> list[Call]:
    """Each call with its status and next deadline at ``now`` (annotated: ``next_deadline_at``)
    and (unless a short list shows none) its thematic areas' names: everything its list row
    shows, in one query for the whole page."""
    calls = with_area_names(calls) if with_areas else list(calls)
    site_zone = timezone.get_current_timezone()
    site_zone_label = zone_label(site_zone)
    for call in calls:
        zone = funder_zone(call.programme.funder)
        call.current_status = call.status(now)
        call.current_status_label = Call.Status(call.current_status).label
        # On the deployment's clock, named; the funder's own clock beside it where it reads
        # otherwise (Brussels and Warsaw read alike: a second, equal time would only puzzle).
        moment = call.next_deadline_at
        call.upcoming_deadline = moment.astimezone(site_zone) if moment else None
        call.zone_label = site_zone_label
        at_funder = moment.astimezone(zone) if moment else None
        differs = at_funder is not None and at_funder.utcoffset() != call.upcoming_deadline.utcoffset()
        call.upcoming_deadline_at_funder = at_funder if differs else None
        call.funder_zone_label = zone_label(zone)
    return calls


def call_detail(*, identifier: str, user=None) -> Call:
    """The call with its deadlines, its attachments (``attachment_list``), and the names of its
    thematic areas and eligible territories (``area_names``, ``territory_names``), which are all
    its page shows of them. Attachments and territories are read only where the call has some
    (asked with the call): most calls have neither, and each was a query of its own."""
    call = (
        visible_calls(user)
        .select_related("programme__funder")
        .defer("search_document")  # for the database only
        .annotate(
            has_attachments=Exists(CallAttachment.objects.filter(call_id=OuterRef("pk"))),
            has_territories=Exists(Call.eligible_territories.through.objects.filter(call_id=OuterRef("pk"))),
        )
        .prefetch_related("deadlines")
        .get(identifier=identifier)
    )
    call.attachment_list = list(call.attachments.all()) if call.has_attachments else []
    with_area_names([call])
    if call.has_territories:
        with_names([call], "eligible_territories", "territory_names")
    else:
        call.territory_names = []
    return call


def call_for_editing(*, identifier: str, user=None) -> Call:
    """The call with every relation its form shows and its services compare, prefetched."""
    return (
        visible_calls(user)
        .select_related("programme__funder")
        .prefetch_related("thematic_areas", "deadlines", "attachments", "eligible_territories")
        .get(identifier=identifier)
    )


# --- closing soon, feeds, calendars ---------------------------------------------------------------


def _taking_submissions(now: datetime, prefix: str = "") -> Q:
    """Published calls that have opened and that their source has not closed: those whose
    deadlines ahead are still to be met (of a call's deadlines: ``prefix`` "call__")."""
    return Q(**{f"{prefix}published_at__isnull": False, f"{prefix}status_from_source__in": ["", Call.Status.OPEN]}) & (
        Q(**{f"{prefix}opens_at__isnull": True}) | Q(**{f"{prefix}opens_at__lte": now})
    )


def _closing_rows(now: datetime) -> QuerySet[Call]:
    return (
        Call.objects.annotate(next_deadline_at=next_deadline_at(now))
        .select_related("programme__funder")
        .defer("search_document", "summary")
    )


def _deadlines_within(now: datetime, days: int) -> QuerySet[CallDeadline]:
    return CallDeadline.objects.filter(deadline_at__gte=now, deadline_at__lte=now + timedelta(days=days))


def closing_soon(*, now: datetime | None = None, days: int = CLOSING_SOON_DAYS) -> QuerySet[Call]:
    """Open published calls with a deadline in the next ``days`` days, the soonest first."""
    now = now or timezone.now()
    return (
        _closing_rows(now)
        .filter(_taking_submissions(now), pk__in=_deadlines_within(now, days).values("call_id"))
        .order_by("next_deadline_at", "id")
    )


def first_closing(*, now: datetime, limit: int, days: int = CLOSING_SOON_DAYS) -> list[Call]:
    """The first ``limit`` calls of ``closing_soon``, in its order, found by walking the deadlines
    in time order until that many calls are met. ``closing_soon`` orders every call with a
    deadline in the window by its next one (850 calls at 3x: 6.6 ms for the home page's five).

    A call's first deadline met in the window is its next one, and calls due at the same moment
    come by id, as ``closing_soon`` has them."""
    read = limit * 2
    due = (
        _deadlines_within(now, days).filter(_taking_submissions(now, "call__"))
        .order_by("deadline_at", "call_id").values_list("call_id", flat=True)[:read]
    )
    rows = list(due)
    ids = list(dict.fromkeys(rows))[:limit]  # a call with several deadlines in the window, once
    if len(ids) < limit and len(rows) == read:  # those filled what was read: there may be more
        return list(closing_soon(now=now, days=days)[:limit])
    by_pk = _closing_rows(now).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


HOME_CLOSING_SOON = 5
HOME_NEWEST_CALLS = 5


def home_closing_soon(request) -> dict | None:
    """The home page's section: the few calls closing soonest (nothing when none does)."""
    now = timezone.now()
    calls = decorate(first_closing(now=now, limit=HOME_CLOSING_SOON), now, with_areas=False)
    return {"calls": calls} if calls else None


def home_newest_calls(request) -> dict | None:
    """The home page's section: the calls published last (read from the newest-first index)."""
    now = timezone.now()
    calls = decorate(
        calls_for_rows(None, now=now).order_by("-published_at", "-id")[:HOME_NEWEST_CALLS], now, with_areas=False
    )
    return {"calls": calls} if calls else None


# What an entry of the feed shows (funding/feeds.py); its areas are read as names.
FEED_COLUMNS = (
    "identifier", "title", "summary", "deadline_model", "published_at", "updated_at",
    "programme__name", "programme__funder__name", "programme__funder__time_zone",
)


def feed_calls(data, *, now: datetime | None = None) -> list[Call]:
    """The newest published calls that the query string's filters keep (for the Atom feed),
    each with its deadlines and ``area_names``: only what an entry shows (50 entries: their
    descriptions and budgets, and a model per area, were most of the feed's time). Each
    call's deadlines are a list, ``deadline_list``: a prefetch into the related manager
    would build and filter a queryset for each of the 50 calls."""
    deadlines = CallDeadline.objects.only("call_id", "stage", "label", "deadline_at")
    calls = visible_calls(None).select_related("programme__funder").only(*FEED_COLUMNS).prefetch_related(
        Prefetch("deadlines", queryset=deadlines, to_attr="deadline_list")
    )
    filterset = filter_calls(data, queryset=calls, now=now)
    if not filterset.form.is_valid():
        return []
    return with_area_names(filterset.qs.order_by("-published_at", "-id")[:FEED_ITEMS])


def calendar_calls(data, *, now: datetime | None = None) -> list[Call]:
    """Published calls still open or forthcoming (the filters of the query string apply)."""
    now = now or timezone.now()
    queryset = (
        Call.objects.published()
        .exclude(status_from_source=Call.Status.CLOSED)
        .filter(closes_at__gte=now)
        .select_related("programme__funder")
        .prefetch_related(Prefetch("deadlines", queryset=CallDeadline.objects.order_by("stage")))
        .defer("search_document", "summary")
    )
    filterset = filter_calls(data, queryset=queryset, now=now)
    if not filterset.form.is_valid():
        return []
    return list(filterset.qs.order_by(F("closes_at").asc(nulls_last=True), "id")[:CALENDAR_CALLS])


def _open_calls_by_programme(now: datetime) -> Counter:
    """How many published calls each programme has open at ``now``: counted apart for those
    whose last deadline is ahead and those with none, each a range of the deadline index
    ("call_status_window") read alone. Asked either-or, PostgreSQL read the row of every call
    with a deadline ahead or passed to test it (12.5 ms at 1x; 1.2 apart)."""
    opened = Call.objects.filter(_taking_submissions(now))
    counts = [
        part.order_by().values_list("programme_id").annotate(n=Count("*"))
        for part in (opened.filter(closes_at__gte=now), opened.filter(closes_at__isnull=True))
    ]
    open_calls = Counter()
    for programme_id, n in counts[0].union(counts[1], all=True).order_by():
        open_calls[programme_id] += n
    return open_calls


def funders_with_programmes(*, now: datetime | None = None) -> list[Funder]:
    """Every funder with its programmes, each with ``open_calls``: its published calls open now
    (counted per programme from the open calls alone, which the deadline index finds)."""
    now = now or timezone.now()
    open_calls = _open_calls_by_programme(now)
    funders = list(
        Funder.objects.home_first().prefetch_related(Prefetch("programmes", queryset=Programme.objects.order_by("name")))
    )
    for funder in funders:
        for programme in funder.programmes.all():
            programme.open_calls = open_calls.get(programme.pk, 0)
        funder.open_calls = sum(programme.open_calls for programme in funder.programmes.all())
    return funders
