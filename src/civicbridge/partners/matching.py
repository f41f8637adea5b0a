"""Matching: organizations that fit a partner request, and requests that fit an organization.

The score is transparent: every point comes with the reason shown next to the match.

==========================================================  ======
shared thematic area (each; the areas are named)              +2
the organization's kind is among the kinds of partner sought  +2
in one of the request's territories (or a unit below it), or
in one of its countries                                       +1
verified by the coordination office (the other side)          +1
==========================================================  ======

Past projects would count too, but the projects app (the portfolio of projects and their
partners) does not exist yet; when it does, add "worked on a project in the same area" here,
in SQL and in Python alike.

Bounded work at any registry size: the candidates are pre-filtered in SQL (they share a
thematic area or are of a kind sought), the same score is computed there to keep only the
best CANDIDATE_LIMIT, and those are scored in Python, where each point gets its reason.
Three queries whatever the number of organizations.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext as _

from civicbridge.directory.models import Organization

from .countries import country_name, split_codes
from .filters import accepting_answers, delimited
from .models import ExpressionOfInterest, PartnerRequest

SHARED_AREA_POINTS = 2
KIND_POINTS = 2
PLACE_POINTS = 1
VERIFIED_POINTS = 1
TOP = 20
CANDIDATE_LIMIT = 60


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


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


def _ranked(matches: list[Match], name_of, limit: int) -> list[Match]:
    return sorted(matches, key=lambda match: (-match.score, name_of(match.item).lower()))[:limit]


def _area_reason(areas) -> Reason | None:
    if not areas:
        return None
    names = "; ".join(sorted(area.name for area in areas))
    return Reason(
        SHARED_AREA_POINTS * len(areas),
        _("Shared thematic areas (%(count)s): %(names)s") % {"count": len(areas), "names": names},
    )


# --- organizations for a request ------------------------------------------------------------------


def organizations_for_request(partner_request: PartnerRequest, *, limit: int = TOP) -> list[Match]:
    """The organizations (never the poster) that fit a request best, each with its reasons.

    ``partner_request`` should come with its thematic areas and territories prefetched.
    """
    area_ids = [area.pk for area in partner_request.thematic_areas.all()]
    kinds = split_codes(partner_request.partner_kinds, upper=False)
    territories = list(partner_request.territories.all())
    countries = split_codes(partner_request.countries)
    if not area_ids and not kinds:
        return []

    in_place = Q(pk__in=[])
    for territory in territories:
        in_place |= Q(territory__path__startswith=territory.path)
    if countries:
        in_place |= Q(territory__country__in=countries)
    scored = (
        # Only entries the public may see: a public body waiting for approval is nobody's partner yet.
        Organization.objects.listed().exclude(pk=partner_request.organization_id)
        .filter(Q(thematic_areas__in=area_ids) | Q(kind__in=kinds))
        .values("pk")
        .annotate(
            shared=Count("thematic_areas", filter=Q(thematic_areas__in=area_ids), distinct=True),
            score=F("shared") * SHARED_AREA_POINTS
            + _points(Q(kind__in=kinds), KIND_POINTS)
            + _points(in_place, PLACE_POINTS)
            + _points(Q(is_verified=True), VERIFIED_POINTS),
        )
        .order_by("-score", "pk")[:CANDIDATE_LIMIT]
    )
    candidate_ids = [row["pk"] for row in scored]
    candidates = (
        Organization.objects.filter(pk__in=candidate_ids)
        .select_related("territory")
        .prefetch_related("thematic_areas")
        .defer("search_document", "description")
    )
    wanted_areas = set(area_ids)
    wanted_kinds = set(kinds)
    matches = []
    for organization in candidates:
        reasons = [
            _area_reason([area for area in organization.thematic_areas.all() if area.pk in wanted_areas])
        ]
        if organization.kind in wanted_kinds:
            reasons.append(Reason(
                KIND_POINTS,
                _("%(kind)s: a kind of partner the request seeks") % {"kind": organization.get_kind_display().capitalize()},
            ))
        reasons.append(_place_reason_for_organization(organization, territories, countries))
        if organization.is_verified:
            reasons.append(Reason(VERIFIED_POINTS, _("Verified by the coordination office")))
        matches.append(Match(item=organization, reasons=[reason for reason in reasons if reason]))
    return _ranked(matches, lambda organization: organization.name, limit)


def _place_reason_for_organization(organization, territories, countries) -> Reason | None:
    territory = organization.territory
    for wanted in territories:
        if territory.path.startswith(wanted.path):
            return Reason(
                PLACE_POINTS,
                _("Based in %(place)s, a territory the request names") % {"place": wanted.name},
            )
    if territory.country in countries:
        return Reason(
            PLACE_POINTS,
            _("Based in %(country)s, a country the request names") % {"country": country_name(territory.country)},
        )
    return None


# --- requests for an organization -----------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """"/1/4/27/" -> ["/1/", "/1/4/", "/1/4/27/"]: the unit and every unit above it."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def requests_for_organization(organization: Organization, *, limit: int = TOP) -> list[Match]:
    """Requests still accepting answers that fit an organization (not its own), with reasons.

    ``organization`` should come with its territory and thematic areas.
    """
    area_ids = [area.pk for area in organization.thematic_areas.all()]
    territory = organization.territory
    ancestors = _ancestor_paths(territory.path)
    kind_sought = delimited("partner_kinds", organization.kind)
    names_territory = Exists(
        PartnerRequest.territories.through.objects.filter(
            partnerrequest_id=OuterRef("pk"), territory__path__in=ancestors
        )
    )
    in_place = Q(names_territory) | delimited("countries", territory.country)
    scored = (
        accepting_answers(PartnerRequest.objects.exclude(organization_id=organization.pk))
        .filter(Q(thematic_areas__in=area_ids) | kind_sought)
        .values("pk")
        .annotate(
            shared=Count("thematic_areas", filter=Q(thematic_areas__in=area_ids), distinct=True),
            score=F("shared") * SHARED_AREA_POINTS
            + _points(kind_sought, KIND_POINTS)
            + _points(in_place, PLACE_POINTS)
            + _points(Q(organization__is_verified=True), VERIFIED_POINTS),
        )
        .order_by("-score", "-pk")[:CANDIDATE_LIMIT]
    )
    candidate_ids = [row["pk"] for row in scored]
    answered = ExpressionOfInterest.objects.filter(request_id=OuterRef("pk"), organization_id=organization.pk)
    candidates = (
        PartnerRequest.objects.filter(pk__in=candidate_ids)
        .select_related("organization__territory", "call")
        .prefetch_related("thematic_areas", "territories")
        .defer("search_document", "organization__search_document", "organization__description")
        .annotate(already_answered=Exists(answered))
    )
    own_areas = set(area_ids)
    matches = []
    for partner_request in candidates:
        reasons = [_area_reason([area for area in partner_request.thematic_areas.all() if area.pk in own_areas])]
        if organization.kind in split_codes(partner_request.partner_kinds, upper=False):
            reasons.append(Reason(
                KIND_POINTS,
                _("Seeks partners of your kind (%(kind)s)") % {"kind": organization.get_kind_display()},
            ))
        reasons.append(_place_reason_for_request(partner_request, territory, ancestors))
        if partner_request.organization.is_verified:
            reasons.append(Reason(VERIFIED_POINTS, _("Posted by an organization verified by the coordination office")))
        matches.append(Match(
            item=partner_request, reasons=[reason for reason in reasons if reason],
            already_answered=partner_request.already_answered,
        ))
    return _ranked(matches, lambda partner_request: partner_request.title, limit)


def _place_reason_for_request(partner_request, territory, ancestors) -> Reason | None:
    for wanted in partner_request.territories.all():
        if wanted.path in ancestors:
            return Reason(
                PLACE_POINTS,
                _("Seeks partners in %(place)s, where your organization is") % {"place": wanted.name},
            )
    if territory.country in split_codes(partner_request.countries):
        return Reason(
            PLACE_POINTS,
            _("Seeks partners in %(country)s, where your organization is") % {"country": country_name(territory.country)},
        )
    return None
