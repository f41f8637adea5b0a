"""Matching: organizations that fit a partner request, and requests that fit an organization.

The score is transparent: every point comes with the reason shown next to the match, under
the part of the score it belongs to.

Organizations for a request:

==============================================================  =======
thematic fit: the share of the request's areas it works in       0 to 4
  (all of them 4, half of them 2; rounded down)
its kind is among the kinds of partner sought                    +2
experience with the funder: it posted or answered a partner
  request for a call of the same funder, or is the funder's
  own entry in the registry                                      +2
in one of the request's territories (or a unit below it), or
  in one of its countries                                        +1
activity: its entry updated in the last ACTIVE_DAYS days         +1
activity: it answered a partner request in the last ACTIVE_DAYS  +1
verified by the coordination office                              +1
==============================================================  =======

Countries are a constraint, not points: a request that names countries lists only
organizations of those countries (or of a territory it names), so a request limited to
foreign countries never lists local organizations. Equal scores are ordered by thematic fit,
then experience with the funder, then the most recently updated entry, then by name: an
order that does not change between two visits and can be explained (``TIE_ORDER``).

Bounded work at any registry size: the candidates (they share a thematic area or are of a
kind sought, in the countries named) are read as ids in *cells* that each return at most
``limit`` rows, and those tied with the last (``_cells`` explains why their best are the best
of all); those sharing several of the request's areas in cells of their own
(``_sharing_several``). The facts of those ids are read in one query and scored here; then
the sets whose score has parts of their own, those not read yet: those with experience of
the funder (``_experienced_reaching``: those sharing one of the request's areas first, whose
best often leave the others no room) and those who answered lately, each tested in the
database and read only if their score could still reach the best read so far
(``_threshold``). The best ``limit`` are explained. At most 24 queries on SQLite (a request
with a call, territories, two areas and kinds), 13 on PostgreSQL (the cells in one UNION ALL),
and one more for a cell whose last entry read was updated at the same instant as the next,
however many organizations there are; what is read grows with the answers given and the
requests posted, not with the registry. The queries that read the cells, those sharing several
areas, those with experience and those who answered lately are compiled once for each shape
of request (``_Sought``, ``core.compiled.QueriesByShape``).
"""

import datetime
import functools
import heapq
import itertools
import operator
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from unidecode import unidecode

from civicbridge.core.compiled import OneParameter, QueriesByShape
from civicbridge.core.models import Territory
from civicbridge.core.selectors import total_per_row, with_keyed_names
from civicbridge.core.text import capfirst, once_per_language
from civicbridge.directory.models import AreaPair, Organization

from . import phases
from .countries import country_name, split_codes
from .filters import accepting_answers, delimited
from .models import ExpressionOfInterest, PartnerRequest

AREA_POINTS = 4  # all of the request's areas; a share of them in proportion
SHARED_AREA_POINTS = 2  # requests for an organization: each area they share
KIND_POINTS = 2
FUNDER_POINTS = 2
PLACE_POINTS = 1
VERIFIED_POINTS = 1
ACTIVE_ENTRY_POINTS = 1
RECENT_ANSWER_POINTS = 1
ACTIVE_DAYS = 180
TOP = 20
CANDIDATE_LIMIT = 60
# The most a request sharing none of an organization's areas scores for it.
NO_AREA_BEST = KIND_POINTS + PLACE_POINTS + VERIFIED_POINTS
# What the score reads of a candidate: "kind" and "name" at 1 and 6 (``_best``).
# The territory as its id, tested against the units within the request's (``_units_within``):
# its path joined every unit of the country to the facts (0.4 ms a query at 1x).
FACTS = ("pk", "kind", "is_verified", "updated_at", "country", "territory_id", "name", "last_answered_at")

# What an organization's row and reasons show of it (``_best_organizations``).
ORGANIZATION_ROW_FIELDS = (
    "name", "slug", "kind", "city", "country", "is_verified", "updated_at", "last_answered_at",
    "territory__path", "territory__name_en", "territory__name_pl", "territory__name_tr",
)
# What a request's row and reasons show of it (``_best_requests``).
ROW_FIELDS = (
    "title", "direction", "deadline", "partner_kinds", "countries", "organization__name", "organization__is_verified"
)

# The parts of the score, named where the reasons are shown.
THEMES = gettext_lazy("Thematic fit")
KIND = gettext_lazy("Kind of partner")
FUNDER = gettext_lazy("Experience with the funder")
PLACE = gettext_lazy("Place")
ACTIVITY = gettext_lazy("Activity")
TRUST = gettext_lazy("Verification")
TIE_ORDER = gettext_lazy(
    "Equal scores are ordered by thematic fit, then experience with the funder, then the most"
    " recently updated entry, then by name."
)


@dataclass(frozen=True)
class Reason:
    points: int
    text: str
    part: str = ""

    @property
    def points_label(self) -> str:
        """"(+2 points)", in the active language."""
        return _points_label(self.points)


@once_per_language  # a page of matches shows some 80 reasons (0.6 of the rows' 2.1 ms)
def _points_label(points: int) -> str:
    return ngettext("(+%(points)s point)", "(+%(points)s points)", points) % {"points": points}


@dataclass
class Match:
    """An organization (for a request) or a request (for an organization), with why it fits."""

    item: object
    reasons: list[Reason] = field(default_factory=list)
    already_answered: bool = False

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _shared_areas(through, owner: str, area_ids: list[int]):
    """How many of ``area_ids`` a row's thematic areas hold: one membership test per area.

    The database looks each area's rows up once (a hashed set) and tests every candidate
    against it. A count over a join needed a GROUP BY holding the score's parameters, which
    PostgreSQL refuses once parameters travel apart from the SQL (settings.py), and it joined
    every candidate's areas: 640 ms for a request seeking NGOs among 200,000 organizations.
    """
    tests = [_points(Q(pk__in=through.objects.filter(thematicarea_id=area_id).values(owner)), 1) for area_id in area_ids]
    return sum(tests[1:], tests[0]) if tests else Value(0, output_field=IntegerField())


def _folded(text: str) -> str:
    return unidecode(text).lower()


def _area_reason(names: list[str]) -> Reason | None:
    if not names:
        return None
    return Reason(
        SHARED_AREA_POINTS * len(names),
        _("Shared thematic areas (%(count)s): %(names)s") % {"count": len(names), "names": "; ".join(sorted(names))},
        str(THEMES),
    )


def _area_share_points(shared: int, wanted: int) -> int:
    return AREA_POINTS * shared // wanted if wanted else 0


# --- organizations for a request ------------------------------------------------------------------


class _Sought:
    """What a request seeks, as conditions on organizations, made of plain values (the poster's
    id, the ids of its areas, the kinds, the territories in the places named and the codes of
    the countries sought) so that the queries built of them are compiled once for each shape
    (``QueriesByShape``)."""

    def __init__(
        self, *, poster_id: int, area_ids: list = (), kinds: list = (), territory_ids: list = (), countries: list = (),
    ):
        self.area_ids, self.kinds = area_ids, kinds
        self.territory_ids, self.countries = territory_ids, countries
        # The units themselves, not their paths: PostgreSQL then knows how many organizations a
        # few units hold. Tested on the paths, it guessed one in a hundred for a municipality and
        # walked 120,000 entries most recently updated first to find its 55 (60 ms).
        self.in_territory = Q(territory__pk__any=territory_ids) if territory_ids else Q(pk__in=[])
        self.in_place = self.in_territory | Q(country__any=countries) if countries else self.in_territory
        self.area_links = Organization.thematic_areas.through.objects.filter(thematicarea__pk__any=area_ids)
        self.shares_an_area = Exists(self.area_links.filter(organization_id=OuterRef("pk")))
        # Only entries the public may see: a public body waiting for approval is nobody's partner yet.
        self.listed = Organization.objects.listed().exclude(pk=poster_id)
        # Named countries are a constraint: nobody from elsewhere, however well they fit otherwise.
        self.eligible = self.listed.filter(self.in_place) if countries else self.listed
        # Named countries leave only those in place, and no territory leaves nobody: one place then.
        self.split_by_place = bool(territory_ids) and not countries

    def cells(self) -> list:
        if self.countries:
            # All in place: the cells are split by the parts of the place only so that each part
            # is read from an index of its own. As one condition (an OR), every cell walked the
            # registry most recently updated first to find the few in the countries (80 ms).
            places = [Q(country__any=self.countries)] + ([self.in_territory] if self.territory_ids else [])
            return _cells(self.listed, self.kinds, places, self.area_ids, self.shares_an_area)
        places = [self.in_place, ~self.in_place] if self.split_by_place else [None]
        return _cells(self.eligible, self.kinds, places, self.area_ids, self.shares_an_area)


def _funder_of(partner_request: PartnerRequest):
    call = partner_request.call
    if call is None:
        return None
    # The detail page loads call__programme__funder; elsewhere one query more, for one request.
    return call.programme.funder


def _units_of(*, paths: list) -> list:
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(path__startswith=path)
    return [Territory.objects.filter(within).order_by("pk").values_list("pk")]


_UNITS_OF = QueriesByShape(_units_of)


def _units_within(paths: list[str]) -> list[int]:
    """The ids of the territorial units at ``paths`` and of every unit below them."""
    if not paths:
        return []
    (rows,) = _UNITS_OF.rows(Territory.objects.db, {"paths": paths})
    return [pk for (pk,) in rows]


def organizations_for_request(partner_request: PartnerRequest, *, limit: int = TOP) -> list[Match]:
    """The organizations (never the poster) that fit a request best, each with its reasons.

    ``partner_request`` should come with its call's funder, its ``areas`` and ``places``
    (``selectors.request_detail``); they are read here where it does not. A request that names
    countries lists only organizations of those countries or of the territories it names.
    """
    if not hasattr(partner_request, "areas"):
        with_keyed_names([partner_request], "thematic_areas", "areas")
    if not hasattr(partner_request, "places"):
        with_keyed_names([partner_request], "territories", "places", key="path")
    area_ids = [pk for pk, _name in partner_request.areas]
    kinds = split_codes(partner_request.partner_kinds, upper=False)
    territories = partner_request.places  # (path, name)
    countries = split_codes(partner_request.countries)
    if not area_ids and not kinds:
        return []
    funder = _funder_of(partner_request)
    since = timezone.now() - datetime.timedelta(days=ACTIVE_DAYS)

    posted_ids, answered_ids = _funder_experience(funder, partner_request)
    experienced_ids = posted_ids | answered_ids
    if funder is not None and funder.organization_id is not None:
        experienced_ids.add(funder.organization_id)  # the funder's own entry

    units = _units_within([path for path, _name in territories])
    # The areas, kinds, units and countries go as one parameter each (an array on PostgreSQL): how
    # many there are makes no other query, so that a few shapes serve every request.
    values = {
        "poster_id": partner_request.organization_id, "area_ids": OneParameter(area_ids), "kinds": OneParameter(kinds),
        "territory_ids": OneParameter(units), "countries": OneParameter(countries),
    }
    in_units, in_countries = set(units), set(countries)
    alias = Organization.objects.db
    read_ids = _read_cells(alias, values, limit)
    several_of = _sharing_several(alias, values, since, limit) if len(area_ids) >= 2 else {}
    shared_of = _shared_counts(alias, area_ids, read_ids - several_of.keys()) | several_of
    read_ids |= several_of.keys()
    wanted_kinds = set(kinds)

    def order(row):  # the score, then the order of ties TIE_ORDER explains but the name
        pk, kind, verified, updated, country, territory_id, _name, answered = row
        area = _area_share_points(shared_of.get(pk, 0), len(area_ids))
        funder_points = FUNDER_POINTS if pk in experienced_ids else 0
        score = (
            area + (KIND_POINTS if kind in wanted_kinds else 0) + funder_points
            + (PLACE_POINTS if territory_id in in_units or country in in_countries else 0)
            + (ACTIVE_ENTRY_POINTS if updated >= since else 0)
            + (RECENT_ANSWER_POINTS if answered is not None and answered >= since else 0)
            + (VERIFIED_POINTS if verified else 0)
        )
        return (-score, -area, -funder_points, -updated.timestamp())

    def candidate(row) -> bool:
        return row[1] in wanted_kinds or row[0] in shared_of

    def add_read_apart(results, *, unless=frozenset()):  # facts, then how many areas each shares
        for *row, shared in (row for rows in results for row in rows):
            if row[0] not in unless:
                if shared:
                    shared_of[row[0]] = shared
                if candidate(row):
                    keyed.append((order(row), row))

    def keyed_facts(ids) -> list:
        (facts,) = _FACTS_OF.rows(alias, {**_eligibility(values), "ids": OneParameter(ids)})
        return [(order(row), row) for row in facts if candidate(row)]

    keyed = keyed_facts(read_ids)
    threshold = _threshold(keyed, limit)
    unread_experienced = experienced_ids - read_ids
    if unread_experienced:
        if threshold is None:  # fewer candidates than the limit: every one with experience counts
            shared_of |= _shared_counts(alias, area_ids, unread_experienced)
            keyed += keyed_facts(unread_experienced)
        else:
            # Those sharing an area first: the best of them usually raise the threshold above
            # what any of the others could score, so that these are not read at all. At 3x, a
            # funder's 6,000 were tested one by one (49 ms) where 600 shared an area.
            sharing = _shared_counts(alias, area_ids, unread_experienced)
            shared_of |= sharing
            most_shared = _area_share_points(max(sharing.values(), default=0), len(area_ids))
            for ids, area_points in ((sharing.keys(), most_shared), (unread_experienced - sharing.keys(), 0)):
                given = FUNDER_POINTS + area_points
                needed = _needed(_without_areas(values), threshold, given=given, area_points=0, recent_answer=True)
                if ids and needed is not None:
                    for rows in _EXPERIENCED_REACHING.rows(alias, {
                        **_without_areas(values), "ids": OneParameter(ids), "since": since,
                        "threshold": threshold, "given": given,
                    }, needed=needed):
                        keyed += [(order(row), row) for row in rows if candidate(row)]
                    threshold = _threshold(keyed, limit)
        read_ids |= unread_experienced
    if threshold is None:  # fewer candidates than the limit: every one who answered lately counts
        add_read_apart(_ANSWERED_LATELY.rows(alias, _answered_lately_values(values, since, None)), unless=read_ids)
    else:
        # They share one area at most: those sharing two or more have cells of their own.
        one_area = _area_share_points(1, len(area_ids))
        needed = _needed(values, threshold, given=RECENT_ANSWER_POINTS, area_points=one_area)
        if needed is not None:
            read = _answered_lately_values(values, since, threshold)
            if area_ids:  # a value the query reads only where there are areas to share
                read["area_points"] = one_area
            add_read_apart(_ANSWERED_LATELY.rows(alias, read, needed=needed), unless=read_ids)
    ranked = _best(keyed, limit)
    best = _best_organizations([row[0] for row in ranked])
    wanted_areas = set(area_ids)
    matches = []
    for organization in best:
        reasons = [_area_share_reason([name for pk, name in organization.areas if pk in wanted_areas], len(area_ids))]
        if organization.kind in wanted_kinds:
            reasons.append(Reason(
                KIND_POINTS,
                _("%(kind)s: a kind of partner the request seeks") % {"kind": capfirst(organization.get_kind_display())},
                str(KIND),
            ))
        reasons.append(_funder_reason(organization, funder, posted_ids, answered_ids))
        reasons.append(_place_reason_for_organization(organization, territories, countries))
        if organization.updated_at >= since:
            reasons.append(Reason(
                ACTIVE_ENTRY_POINTS,
                _("Its entry was updated in the last %(days)s days") % {"days": ACTIVE_DAYS}, str(ACTIVITY),
            ))
        if organization.last_answered_at is not None and organization.last_answered_at >= since:
            reasons.append(Reason(
                RECENT_ANSWER_POINTS,
                _("It answered a partner request in the last %(days)s days") % {"days": ACTIVE_DAYS}, str(ACTIVITY),
            ))
        if organization.is_verified:
            reasons.append(Reason(VERIFIED_POINTS, _("Verified by the coordination office"), str(TRUST)))
        matches.append(Match(item=organization, reasons=[reason for reason in reasons if reason]))
    return matches


def _experienced_reaching(*, ids: list, since, threshold: int, given: int, needed: tuple, **values) -> list:
    """The facts of the organizations among ``ids`` (those with experience of the funder that no
    cell read) whose score could still reach ``threshold`` (the ``limit``-th best read so far);
    ``given``: the funder's points and the most any of them has for the areas, known from the
    links; ``needed``: the parts of the score they must have to reach it (``_needed``).

    A call of a funder many have worked with brings thousands (3,500 to 6,300 at 3x): reading
    and scoring all of them took 16 to 24 ms a page. The database tests what they may score,
    the funder's and the areas' points given, on their own columns (some dozens pass).
    """
    sought = _Sought(**values)
    reachable = [
        *_within_reach(sought, since, area_points=0), ("answer", Q(last_answered_at__gte=since), RECENT_ANSWER_POINTS),
    ]
    passing = _reaching(sought.eligible.filter(pk__any=ids), reachable, given, threshold, needed)
    return [passing.values_list(*FACTS).order_by()]


_EXPERIENCED_REACHING = QueriesByShape(_experienced_reaching)


def _reach(values: dict, *, area_points: int) -> list[tuple[str, int]]:
    """The parts of the score a candidate read apart may have, of a request's ``values``, each
    with its points: sharing an area (``area_points``), a kind sought, the place, an active
    entry, verification."""
    parts = [
        ("area", area_points) if values.get("area_ids") and area_points else None,
        ("kind", KIND_POINTS) if values.get("kinds") else None,
        ("place", PLACE_POINTS) if values.get("territory_ids") or values.get("countries") else None,
        ("active", ACTIVE_ENTRY_POINTS),
        ("verified", VERIFIED_POINTS),
    ]
    return [part for part in parts if part]


def _within_reach(sought: _Sought, since, *, area_points: int) -> list[tuple[str, Q, int]]:
    """The parts ``_reach`` names, each with its condition and its points."""
    conditions = {
        "area": Q(sought.shares_an_area), "kind": Q(kind__any=sought.kinds), "place": sought.in_place,
        "active": Q(updated_at__gte=since), "verified": Q(is_verified=True),
    }
    values = {
        "area_ids": sought.area_ids, "kinds": sought.kinds,
        "territory_ids": sought.territory_ids, "countries": sought.countries,
    }
    return [(name, conditions[name], points) for name, points in _reach(values, area_points=area_points)]


def _needed(values: dict, threshold: int, *, given: int, area_points: int, recent_answer: bool = False) -> tuple | None:
    """The parts of the score a candidate read apart must have to reach ``threshold``, with
    ``given`` points and those of the parts ``_reach`` names it may have (a recent answer's too
    if ``recent_answer``): those it cannot lack; None when none could reach it.

    The query testing them is compiled for each set of parts needed, a handful, where it was
    for each threshold and number of points: a page of matches met a new one at most visits
    in a fresh process (70 shapes in 400 requests at 1x, 5 to 7 ms each).
    """
    parts = _reach(values, area_points=area_points) + ([("answer", RECENT_ANSWER_POINTS)] if recent_answer else [])
    slack = given + sum(points for _name, points in parts) - threshold
    return None if slack < 0 else tuple(name for name, points in parts if points > slack)


def _reaching(queryset, reachable: list[tuple[str, Q, int]], given: int, threshold: int, needed: tuple):
    """Of ``queryset``, those whose score (``given`` points, and those of the ``reachable``
    parts they have) reaches ``threshold``: those having the parts ``needed`` (``_needed``).

    The points none may lack are asked for apart as well: the database tests those cheap
    columns first, and reads the areas' links only for the rows that pass (most who answered
    lately share no area: 2,120 of 2,498 rows were read for a request naming one area when
    each was assumed to share it)."""
    required = [(condition, points) for name, condition, points in reachable if name in needed]
    optional = [(condition, points) for name, condition, points in reachable if name not in needed]
    # A row that passes the required conditions has their points: counting them in the score
    # as well tested each a second time (the request's areas' links read twice, 2 ms at 1x).
    # Each number goes as a value of its own: the query is compiled once for them all.
    certain = sum((Value(points) for _condition, points in required), Value(given))
    score = sum((_points(condition, points) for condition, points in optional), certain)
    # A big integer: compared with a 32-bit one, the stand-in of a threshold compiled once for
    # every threshold (``QueriesByShape``) is out of range, and Django drops the test as always true.
    reachable = ExpressionWrapper(score, output_field=BigIntegerField())
    return queryset.alias(reachable=reachable).filter(
        *(condition for condition, _given in required), reachable__gte=threshold,
    )


def _answered_lately(*, since, threshold: int | None = None, area_points: int = 0, needed: tuple = (), **values) -> list:
    """The facts of those who answered lately, and how many of the request's areas each works
    in, if their score could still reach ``threshold`` (the ``limit``-th best read so far), having
    the parts of the score ``needed`` to reach it (``_needed``); ``area_points``: those of one area.

    They share one area at most: those sharing two or more have cells of their own, answered
    lately or not (``_sharing_several``). They are read from one range of organization_answered
    (reading all of them by id visited 2,500 rows scattered over the table at national scale),
    tested there, and only those passing (some 100) read from the table. When none could reach
    the best, there is no query: at a threshold above every point they may have, the test still
    read every area's links (4 ms).
    """
    sought = _Sought(**values)
    answered_lately = sought.eligible.filter(last_answered_at__gte=since)
    if threshold is not None:
        # They share one area at most (above), and have the recent answer's point.
        reachable = _within_reach(sought, since, area_points=area_points)
        answered_lately = _reaching(answered_lately, reachable, RECENT_ANSWER_POINTS, threshold, needed)
    passing = Organization.objects.filter(pk__in=answered_lately.values("pk"))
    return [passing.annotate(shared=_shared_area_count(sought.area_links)).values_list(*FACTS, "shared").order_by()]


_ANSWERED_LATELY = QueriesByShape(_answered_lately)


def _answered_lately_values(values: dict, since, threshold: int | None) -> dict:
    """What ``_answered_lately`` reads of a request's ``values``: without a best to reach (fewer
    candidates than the limit), neither the kinds nor the places beyond eligibility."""
    if threshold is None:
        return {**_eligibility(values), "area_ids": values["area_ids"], "since": since}
    return {**values, "since": since, "threshold": threshold}


def _best_organizations(ranked_ids: list[int]) -> list[Organization]:
    """The ranked organizations with what their rows and reasons show, in rank order, and
    ``areas``: their thematic areas as (id, name) in the active language."""
    by_pk = Organization.objects.select_related("territory").only(*ORGANIZATION_ROW_FIELDS).in_bulk(ranked_ids)
    best = [by_pk[pk] for pk in ranked_ids if pk in by_pk]  # not one deleted since it was ranked
    return with_keyed_names(best, "thematic_areas", "areas")


def _best(keyed_rows, limit: int) -> list:
    """The first ``limit`` rows by their key, then their folded name (index 6), then their id:
    the name is folded only for the rows tied with the last one kept, not for thousands."""
    keyed_rows = list(keyed_rows)
    first = heapq.nsmallest(limit, keyed_rows, key=lambda keyed: keyed[0])
    if not first:
        return []
    last_key = first[-1][0]
    kept = [keyed for keyed in keyed_rows if keyed[0] <= last_key]
    kept.sort(key=lambda keyed: (keyed[0], _folded(keyed[1][6]), keyed[1][0]))
    return [row for _key, row in kept[:limit]]


def _funder_experience(funder, partner_request) -> tuple[set, set]:
    """The organizations that posted (this request aside), and those that answered, a request
    for a call of the funder: read in one pass over the funder's requests and their answers (a
    UNION of the two read those requests twice: 3.7 against 2.4 ms at 200,000 organizations)."""
    if funder is None:
        return set(), set()
    (rows,) = _REQUESTS_FOR_FUNDER.rows(PartnerRequest.objects.db, {"funder_id": funder.pk})
    this_request = partner_request.pk  # a model's pk is a property: read once, not per row (5,000 at 3x)
    posted_ids = {poster_id for request_id, poster_id, _answerer_id in rows if request_id != this_request}
    answered_ids = {answerer_id for _request_id, _poster_id, answerer_id in rows}
    answered_ids.discard(None)
    return posted_ids, answered_ids


def _requests_for_funder(*, funder_id: int) -> list:
    # "With a call" is implied by the funder, and said: PostgreSQL then starts from the
    # requests that name a call (by its index), not from every call of the funder (17 ms).
    return [
        PartnerRequest.objects.filter(call__isnull=False, call__programme__funder_id=funder_id)
        .order_by().values_list("pk", "organization_id", "answers__organization_id")
    ]


_REQUESTS_FOR_FUNDER = QueriesByShape(_requests_for_funder)


def _threshold(keyed_rows, limit: int) -> int | None:
    """The score of the ``limit``-th best row, if there are that many: none scoring less can be
    among the best."""
    if len(keyed_rows) < limit:
        return None
    return -heapq.nsmallest(limit, (keyed[0] for keyed in keyed_rows))[-1][0]


def _shared_area_count(area_links):
    """How many of the request's areas a candidate works in, by the index on (organization, area),
    for each row returned (only those whose score can still reach the best)."""
    return total_per_row(area_links.filter(organization_id=OuterRef("pk")), "organization_id", Count("thematicarea_id"))


def _shared_of(*, area_ids: list, ids: list) -> list:
    # The known ids are tested on each link, where PostgreSQL hashes a long list; in a HAVING it
    # compared each of 14,000 groups with 4,000 ids one by one (200 ms).
    links = Organization.thematic_areas.through.objects.filter(thematicarea_id__in=area_ids, organization__pk__any=ids)
    return [links.order_by().values("organization_id").annotate(shared=Count("thematicarea_id"))
            .values_list("organization_id", "shared")]


_SHARED_OF = QueriesByShape(_shared_of)


def _shared_counts(alias: str, area_ids: list, known_ids: set) -> dict:
    """How many of the request's areas each known organization works in, from the links of
    those areas alone (one index): organization id -> count, for those sharing at least one."""
    if not area_ids or not known_ids:
        return {}
    (rows,) = _SHARED_OF.rows(alias, {"area_ids": area_ids, "ids": OneParameter(known_ids)})
    return dict(rows)


def _eligibility(values: dict) -> dict:
    """Of a request's ``values``, those that say who is eligible: the poster (never its own
    partner), and the places named when countries are (a constraint then). A shape is compiled
    only if each value given has its place in the SQL (``QueriesByShape``): given the areas and
    kinds, which eligibility does not read, the facts' query was built anew at every call, its
    thousands of ids resolved one by one (5 of 9 ms for 3,000 ids)."""
    place = ("territory_ids", "countries") if values["countries"] else ()
    return {name: values[name] for name in ("poster_id", *place)}


def _without_areas(values: dict) -> dict:
    """A request's ``values`` for a query that reads no area's links (the areas shared are
    known already): given, the areas would make a shape that no query reuses (``_eligibility``)."""
    return {name: value for name, value in values.items() if name != "area_ids"}


def _facts(*, ids: list, poster_id: int, territory_ids: list = (), countries: list = ()) -> list:
    """What the score reads (``FACTS``) of the eligible organizations among ``ids``."""
    sought = _Sought(poster_id=poster_id, territory_ids=territory_ids, countries=countries)
    return [sought.eligible.filter(pk__any=ids).values_list(*FACTS).order_by()]


_FACTS_OF = QueriesByShape(_facts)


def _sharing_several(alias: str, values: dict, since, limit: int) -> dict:
    """Of those that work in two or more of the request's areas (two at least are named), the
    first ``limit`` of each cell, most recently updated first, and any updated at the very
    instant of the last of them: organization id -> how many of the areas it works in.

    Here a cell holds those sharing as many areas, of a sought kind or not, in the request's
    place or not (where some are and some not), of one verification, answered lately or not:
    within one, the score varies only with the activity of the entry, as in ``_cells``. At
    national scale two areas are shared by some 500 organizations at 1x and 1,500 at 3x; scoring
    each read them all from the table and made as many rows here. Who shares how many is read
    from the pairs of areas they work in first (``_sharing_counts``), then the cells' first of them.
    """
    counts = _sharing_counts(alias, values["area_ids"])
    if not counts:
        return {}
    by_count = {}
    for pk, shared in counts.items():
        by_count.setdefault(shared, []).append(pk)
    # Those sharing more than two, by how many (one parameter each): the cells are told apart
    # by it, and counting each one's links again cost 4 µs a row (6 of 26 ms at 3x).
    more = {f"sharing_{shared}": OneParameter(ids) for shared, ids in by_count.items() if shared > 2}
    (rows,) = _FIRSTS_SHARING_SEVERAL.rows(
        alias, {**_without_areas(values), **more, "several": OneParameter(counts), "since": since}, limit=limit,
    )
    return dict(rows)


def _sharing_counts(alias: str, area_ids: list) -> dict:
    """Of those working in two or more of ``area_ids``: organization id -> how many.

    Read from the pairs of areas each organization works in (``directory.AreaPair``), one range
    of their key for each pair of ``area_ids``: one working in n of them has n(n-1)/2 of those
    pairs. From the areas' links, PostgreSQL merged each area's range of organizations and
    counted them (three areas at 3x: 63,000 links for 1,500 organizations, 16 ms).
    """
    ordered = sorted(set(area_ids))
    if len(ordered) < 2:
        return {}
    firsts, seconds = zip(*itertools.combinations(ordered, 2), strict=True)
    (rows,) = _SHARING_COUNTS.rows(alias, {"firsts": list(firsts), "seconds": list(seconds)})
    sharing = {n * (n - 1) // 2: n for n in range(2, len(ordered) + 1)}
    return {pk: sharing[pairs] for pk, pairs in rows}


def _pairs_shared(*, firsts: list, seconds: list) -> list:
    either = functools.reduce(operator.or_, (
        Q(first_area_id=first, second_area_id=second) for first, second in zip(firsts, seconds, strict=True)
    ))
    return [AreaPair.objects.filter(either).order_by().values("organization_id")
            .annotate(pairs=Count("*")).values_list("organization_id", "pairs")]


_SHARING_COUNTS = QueriesByShape(_pairs_shared)


def _firsts_sharing_several(*, since, limit: int, several: list, **values) -> list:
    """The first ``limit`` of each cell of ``several`` (those sharing two or more areas; the
    ``sharing_N`` among the values: those sharing N > 2), as ``_sharing_several`` says."""
    more = {int(name.removeprefix("sharing_")): values.pop(name) for name in [*values] if name.startswith("sharing_")}
    sought = _Sought(**values)
    shared = Case(
        *(When(pk__any=ids, then=Value(count)) for count, ids in sorted(more.items())),
        default=Value(2), output_field=IntegerField(),
    ) if more else Value(2)
    cell = [F("shared"), F("is_verified"), _flag(Q(last_answered_at__gte=since))]
    if sought.kinds:
        cell.append(_flag(Q(kind__any=sought.kinds)))
    if sought.split_by_place:
        cell.append(_flag(sought.in_place))
    # RANK, not a row number: those updated at the same instant as a cell's last share its rank.
    firsts = (
        sought.eligible.filter(pk__any=several)
        .annotate(shared=shared)
        .annotate(rank=Window(Rank(), partition_by=cell, order_by=F("updated_at").desc()))
        .filter(rank__lte=limit)
    )
    return [firsts.values_list("pk", "shared").order_by()]


_FIRSTS_SHARING_SEVERAL = QueriesByShape(_firsts_sharing_several)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _cells(eligible, kinds, places, area_ids, shares_an_area) -> list:
    """The cells of candidates, each most recently updated first (``_read_cells`` reads the
    first of each), beside the sets scored in full.

    At national scale a request for NGOs has 170,000 candidates and two areas are shared by
    14,000: scoring each costs 5 microseconds a row, a tenth of a second. Instead:

    - the few whose score has parts of their own (experience with the funder, a recent answer)
      are read apart and scored in full, and those sharing two or more of the areas in cells
      of their own (``_sharing_several``);
    - every other candidate shares one area or none, and within one *cell* (sharing an area or
      not, of a sought kind or not, one place, one verification) its score varies only with
      its activity. Any candidate of the cell updated more recently scores at least as much and
      comes first in the order of ties (TIE_ORDER), so a candidate behind the first ``limit``
      of its cell, read most recently updated first (index organization_match_recency, or
      organization_match_kind), cannot be among the best ``limit``.

    A cell may hold members of the sets above as well: their score is only higher. The
    ``places`` may overlap (a named country and a named territory in it): a candidate in two
    cells is read from either.
    """
    fits = []
    if area_ids:
        fits += [shares_an_area & Q(kind__any=kinds), shares_an_area & ~Q(kind__any=kinds)] if kinds else [shares_an_area]
    if kinds:
        fits.append(Q(kind__any=kinds))
    cells = []
    for fit in fits:
        for place in places:
            for verified in (True, False):
                cell = eligible.filter(fit, is_verified=verified)
                if place is not None:
                    cell = cell.filter(place)
                cells.append(cell.order_by("-updated_at", "pk"))
    return cells


def _cell_firsts(*, limit: int, compound: bool, **values) -> list:
    """The first ``limit`` + 1 of each cell (``_cells``): rows of (cell number, id, updated at)."""
    firsts = [
        cell.values_list(Value(number), "pk", "updated_at")[: limit + 1]
        for number, cell in enumerate(_Sought(**values).cells())
    ]
    if compound and len(firsts) > 1:
        # One UNION ALL where the database can order and slice each part of a compound
        # (PostgreSQL); one query each elsewhere (SQLite). A dozen queries cost more in round
        # trips and Django's reading of each than in the database's work.
        return [firsts[0].union(*firsts[1:], all=True).order_by()]
    return firsts


_CELL_FIRSTS = QueriesByShape(_cell_firsts)


def _read_cells(alias: str, values: dict, limit: int) -> set:
    """The ids of the first ``limit`` of each cell, and of any entry of a cell updated at the very
    instant of its ``limit``-th: the order of ties settles those by name, not by id.

    One more row of each cell is read to tell: rarely will a second query read such a tie."""
    compound = connections[alias].features.supports_slicing_ordering_in_compound
    rows_of = {}
    for rows in _CELL_FIRSTS.rows(alias, values, limit=limit, compound=compound):
        for number, pk, updated in rows:
            rows_of.setdefault(number, []).append((pk, updated))
    ids = set()
    for number, rows in rows_of.items():
        rows.sort(key=lambda row: (-row[1].timestamp(), row[0]))  # the cell's order (a UNION keeps none)
        ids.update(pk for pk, _updated in rows[:limit])
        if len(rows) > limit > 0 and rows[limit][1] == rows[limit - 1][1]:
            tied = _Sought(**values).cells()[number].filter(updated_at=rows[limit][1])
            ids.update(tied.values_list("pk", flat=True))
    return ids


def _area_share_reason(names: list[str], wanted: int) -> Reason | None:
    if not names:
        return None
    return Reason(
        _area_share_points(len(names), wanted),
        _("Works in %(count)s of the request's %(total)s thematic areas: %(names)s")
        % {"count": len(names), "total": wanted, "names": "; ".join(sorted(names))},
        str(THEMES),
    )


def _funder_reason(organization, funder, posted_ids: set, answered_ids: set) -> Reason | None:
    if funder is None:
        return None
    if organization.pk == funder.organization_id:
        text = _("It is the funder's own entry (%(funder)s)")
    elif organization.pk in posted_ids:
        text = _("It posted a partner request for a call of the same funder (%(funder)s)")
    elif organization.pk in answered_ids:
        text = _("It answered a partner request for a call of the same funder (%(funder)s)")
    else:
        return None
    return Reason(FUNDER_POINTS, text % {"funder": funder.name}, str(FUNDER))


def _place_reason_for_organization(organization, territories, countries) -> Reason | None:
    territory = organization.territory
    for path, name in territories:
        if territory is not None and territory.path.startswith(path):
            return Reason(
                PLACE_POINTS,
                _("Based in %(place)s, a territory the request names") % {"place": name},
                str(PLACE),
            )
    if organization.country in countries:
        return Reason(
            PLACE_POINTS,
            _("Based in %(country)s, a country the request names") % {"country": country_name(organization.country)},
            str(PLACE),
        )
    return None


# --- requests for an organization -----------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """"/1/4/27/" -> ["/1/", "/1/4/", "/1/4/27/"]: the unit and every unit above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def _fitting_requests(
    *, organization_id: int, area_ids: list, kind: str, ancestors: list, country: str, today, sharing_only: bool,
) -> list:
    """The best ``CANDIDATE_LIMIT`` requests still accepting answers on ``today`` for an
    organization (its id, areas, kind, the paths of its territory and those above, its country),
    not its own, scored: rows of (id, score, title). ``sharing_only``: of those sharing one of
    its areas only, else of those seeking its kind as well."""
    kind_sought = delimited("partner_kinds", kind)
    names_territory = Exists(
        PartnerRequest.territories.through.objects.filter(
            partnerrequest_id=OuterRef("pk"), territory__path__in=ancestors
        )
    )
    in_place = Q(names_territory) | delimited("countries", country)
    area_links = PartnerRequest.thematic_areas.through.objects
    if area_ids:
        sharing = Q(pk__in=area_links.filter(thematicarea_id__in=area_ids).values("partnerrequest_id"))
        candidates_q = sharing if sharing_only else kind_sought | sharing
    else:  # never asked for those sharing an area alone (``requests_for_organization``)
        candidates_q = kind_sought
    score = (
        _shared_areas(PartnerRequest.thematic_areas.through, "partnerrequest_id", area_ids) * SHARED_AREA_POINTS
        + _points(kind_sought, KIND_POINTS)
        + _points(in_place, PLACE_POINTS)
        # The poster's verification, read from organization_verified alone for each request.
        + _points(Q(organization__is_verified=True), VERIFIED_POINTS)
    )
    return [
        accepting_answers(PartnerRequest.objects.exclude(organization_id=organization_id), today=today)
        .filter(candidates_q)
        # A request that names countries is for organizations there only (as above).
        .filter(Q(countries="") | in_place)
        .annotate(score=score)
        .values_list("pk", "score", "title")
        .order_by("-score", "-pk")[:CANDIDATE_LIMIT]
    ]


_FITTING_REQUESTS = QueriesByShape(_fitting_requests)


def requests_for_organization(organization: Organization, *, limit: int = TOP) -> list[Match]:
    """Requests still accepting answers that fit an organization (not its own), with reasons.

    ``organization`` should come with its territory and its ``areas``
    (``selectors.organization_for_matching``); they are read here where it does not.
    """
    if not hasattr(organization, "areas"):
        with_keyed_names([organization], "thematic_areas", "areas")
    area_ids = [pk for pk, _name in organization.areas]
    territory = organization.territory
    ancestors = _ancestor_paths(territory.path) if territory is not None else []
    values = {
        "organization_id": organization.pk, "area_ids": area_ids, "kind": organization.kind,
        "ancestors": ancestors, "country": organization.country, "today": phases.today(),
    }
    scored = []
    if area_ids:
        # Those sharing an area first: when the last of the best of them outscores any that
        # shares none, those are not read. Scoring every request seeking the organization's
        # kind read 6,600 requests and their posters at 3x (31 ms); those sharing an area are
        # some hundreds.
        (scored,) = _FITTING_REQUESTS.rows(PartnerRequest.objects.db, values, sharing_only=True)
    if len(scored) < CANDIDATE_LIMIT or scored[-1][1] <= NO_AREA_BEST:
        (scored,) = _FITTING_REQUESTS.rows(PartnerRequest.objects.db, values, sharing_only=False)
    # Ranked by the score computed in SQL (the reasons below add up to it), then by title; only
    # the best are read whole and explained.
    ranked = sorted(scored, key=lambda row: (-row[1], row[2].lower()))[:limit]
    best = _best_requests([pk for pk, _score, _title in ranked], organization)
    own_areas = set(area_ids)
    kind_reason = Reason(
        KIND_POINTS, _("Seeks partners of your kind (%(kind)s)") % {"kind": organization.get_kind_display()}, str(KIND)
    )
    matches = []
    for partner_request in best:
        reasons = [_area_reason([name for pk, name in partner_request.areas if pk in own_areas])]
        if organization.kind in split_codes(partner_request.partner_kinds, upper=False):
            reasons.append(kind_reason)
        reasons.append(_place_reason_for_request(partner_request, organization, ancestors))
        if partner_request.organization.is_verified:
            reasons.append(Reason(
                VERIFIED_POINTS, _("Posted by an organization verified by the coordination office"), str(TRUST)
            ))
        matches.append(Match(
            item=partner_request, reasons=[reason for reason in reasons if reason],
            already_answered=partner_request.already_answered,
        ))
    return matches


def _best_requests(ranked_ids: list[int], organization: Organization) -> list[PartnerRequest]:
    """The ranked requests with what their rows and reasons show, in rank order: the poster's
    name and verification, ``areas`` as (id, name) and ``places`` as (path, name) in the active
    language, and whether ``organization`` has answered it already."""
    answered = ExpressionOfInterest.objects.filter(request_id=OuterRef("pk"), organization_id=organization.pk)
    by_pk = (
        PartnerRequest.objects.select_related("organization")
        .only(*ROW_FIELDS)
        .annotate(already_answered=Exists(answered))
        .in_bulk(ranked_ids)
    )
    best = [by_pk[pk] for pk in ranked_ids if pk in by_pk]  # not one deleted since it was ranked
    with_keyed_names(best, "thematic_areas", "areas")
    return with_keyed_names(best, "territories", "places", key="path")


def _place_reason_for_request(partner_request, organization, ancestors) -> Reason | None:
    for path, name in partner_request.places:
        if path in ancestors:
            return Reason(
                PLACE_POINTS,
                _("Seeks partners in %(place)s, where your organization is") % {"place": name}, str(PLACE),
            )
    if organization.country in split_codes(partner_request.countries):
        return Reason(
            PLACE_POINTS,
            _("Seeks partners in %(country)s, where your organization is") % {"country": country_name(organization.country)},
            str(PLACE),
        )
    return None
