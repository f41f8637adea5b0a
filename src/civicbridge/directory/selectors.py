from collections import OrderedDict

from django.core.paginator import Page
from django.db.models import Case, Prefetch, Q, QuerySet, Sum, When, prefetch_related_objects

from civicbridge.accounts.models import Membership
from civicbridge.core import search as search_backend
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.pagination import page_of
from civicbridge.core.selectors import territory_subtree_ids, with_keyed_names

from .filters import OrganizationFilter, PlenipotentiaryFilter
from .models import (
    LISTED_COUNT,
    Organization,
    OrganizationAreaTally,
    OrganizationTally,
    Plenipotentiary,
    listed_q,
    visible_q,
)


def organizations_for_rows() -> QuerySet[Organization]:
    """The public lists' entries (pages, API, exports): listed ones only."""
    # The search column is for the database only; a list never shows it.
    return Organization.objects.listed().select_related("territory").defer("search_document")


# What a row of the list page shows (directory/organization_rows.html); its areas are read apart
# (core.selectors.with_area_names). A page reads 25 entries: their descriptions and addresses,
# which it never shows, made a third of reading them.
ROW_COLUMNS = (
    "name", "slug", "kind", "is_verified", "territory_id", "country", "city", "founding_year",
    "territory__name_en", "territory__name_pl", "territory__name_tr",
)


def organizations_for_page() -> QuerySet[Organization]:
    """The list page's entries, with only the columns its rows show."""
    return organizations_for_rows().only(*ROW_COLUMNS)


def organizations_for_list() -> QuerySet[Organization]:
    return organizations_for_rows().prefetch_related("thematic_areas")


def organizations_visible_to(viewer) -> QuerySet[Organization]:
    """Entries one may open by address: listed ones, and a registrant's or coordinator's others."""
    return (
        Organization.objects.visible_to(viewer).select_related("territory").defer("search_document")
        .prefetch_related("thematic_areas")
    )


def filter_organizations(data, *, queryset: QuerySet | None = None) -> OrganizationFilter:
    """The registry's filters on ``data``; ``.qs`` is a real queryset, counted and paged as it is
    (a search newest first, else by name), and nothing when a filter value is bad."""
    return OrganizationFilter(data, queryset=queryset if queryset is not None else organizations_for_list())


def organizations_for_export(data) -> QuerySet[Organization]:
    """The entries the list page shows for these filters (``data``: its query string), in the
    page's order, with what the export writes of each."""
    return filter_organizations(data).qs


# Filters the tally can answer: it groups organizations by these columns alone.
TALLIED_FILTERS = frozenset({"kind", "territory", "verified", "thematic_area", "ordering"})


def listed_count(
    *, kinds=(), territory: Territory | None = None, verified: bool | None = None, area: ThematicArea | None = None,
) -> int:
    """How many listed organizations there are, of ``kinds`` (all when empty), in ``territory``
    and below it, verified or not, working in ``area``: exact, from the tallies the database
    keeps (thousands of rows at most, where counting the registry itself reads 200,000); the
    whole registry's from its own count (``LISTED_COUNT``), one row."""
    if not kinds and territory is None and verified is None and area is None:
        return LISTED_COUNT.current()
    if area is not None:
        tally = OrganizationAreaTally.objects.filter(listed_q(), thematic_area=area)
    else:
        tally = OrganizationTally.objects.filter(listed_q())
    if kinds:
        tally = tally.filter(kind__in=kinds)
    if territory is not None:
        tally = tally.filter(territory__pk__any=territory_subtree_ids(territory))
    if verified is not None:
        tally = tally.filter(is_verified=verified)
    return tally.aggregate(total=Sum("n", default=0))["total"]


def registry_count(filterset: OrganizationFilter) -> int | None:
    """The exact number of organizations ``filterset`` lists over the listed registry, from the
    tallies when its filters allow; None when the list must be counted (a search)."""
    chosen = filterset.chosen()
    if not filterset.is_bound or chosen is None or not chosen <= TALLIED_FILTERS:
        return None
    data = filterset.form.cleaned_data
    verified = {"true": True, "false": False}.get(data.get("verified") or "")
    return listed_count(
        kinds=data.get("kind") or (), territory=data.get("territory"), verified=verified,
        area=data.get("thematic_area"),
    )


def page_count(filterset: OrganizationFilter) -> int | search_backend.MatchCount | None:
    """The count the list page shows: from the tally; for a search, exact up to a few thousand
    matches, else "about N" (``core.search.count_matches``)."""
    count = registry_count(filterset)
    if count is None and filterset.is_valid() and search_backend.is_search(filterset.form.cleaned_data):
        return search_backend.count_matches(filterset.qs, unsearched=filterset.queryset)
    return count


def organization_detail(*, slug: str, viewer=None) -> Organization:
    """One entry as ``viewer`` may see it: DoesNotExist for an entry not listed, unless theirs.

    Its thematic areas (``areas``, as (id, name) in the active language), its representatives
    (``approved_memberships``), for a signed-in viewer also the requests
    waiting (``waiting_memberships``, shown to those who may change it: ``pending_memberships``)
    and the viewer's own membership, whatever its state (``viewer_membership``, see
    ``membership_of``), are read in one query."""
    Status = Membership.Status
    signed_in = viewer is not None and viewer.is_authenticated
    shown = Q(status__in=[Status.APPROVED, Status.PENDING]) | Q(user_id=viewer.pk) if signed_in else Q(status=Status.APPROVED)
    organization = (
        Organization.objects.visible_to(viewer).select_related("territory__parent")
        .defer("search_document")  # for the database only
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(shown).select_related("user"), to_attr="read_memberships"),
        )
        .get(slug=slug)
    )
    with_keyed_names([organization], "thematic_areas", "areas")  # (id, name): no model for each
    organization.approved_memberships = [
        membership for membership in organization.read_memberships if membership.status == Status.APPROVED
    ]
    if signed_in:
        organization.waiting_memberships = [m for m in organization.read_memberships if m.status == Status.PENDING]
        organization.viewer_membership = (
            viewer.pk, next((m for m in organization.read_memberships if m.user_id == viewer.pk), None)
        )
    if organization.is_public_body:
        # Only public bodies name plenipotentiaries: the other entries' pages ask for none.
        prefetch_related_objects(
            [organization], Prefetch("plenipotentiaries", queryset=Plenipotentiary.objects.filter(is_active=True))
        )
    return organization


def represented_organization_ids(user) -> QuerySet:
    """The keys of the organizations ``user`` may act for: their approved memberships of listed
    entries, as ``rules.is_representative_of`` grants (a registration waiting or rejected gives
    its members nothing to act on). A subquery; for a guest, none."""
    if not (user and user.is_authenticated and user.is_active):
        return Organization.objects.none().values("pk")
    return _represented(user).values("pk")


def represented_organizations(user) -> list[Organization]:
    """The organizations ``user`` may act for (``represented_organization_ids``), by name: what
    a form offers to act in the name of."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return list(_represented(user).only("pk", "name", "slug", "kind", "registration").order_by("name", "pk"))


def _represented(user) -> QuerySet[Organization]:
    return Organization.objects.listed().filter(
        pk__in=Membership.objects.approved().filter(user=user).values("organization_id")
    )


def membership_of(viewer, organization: Organization) -> Membership | None:
    """The viewer's own membership of (or request to represent) ``organization``, if any."""
    if not (viewer and viewer.is_authenticated):
        return None
    read_for, membership = getattr(organization, "viewer_membership", (None, None))
    if read_for == viewer.pk:  # read with the entry (organization_detail)
        return membership
    return Membership.objects.filter(user=viewer, organization=organization).first()


def pending_memberships(organization: Organization) -> list[Membership] | QuerySet[Membership]:
    if hasattr(organization, "waiting_memberships"):  # read with the entry (organization_detail)
        return organization.waiting_memberships
    return organization.memberships.pending().select_related("user", "invited_by")


def county_of(territory: Territory | None) -> Territory | None:
    while territory is not None and territory.level == Territory.Level.MUNICIPALITY:
        territory = territory.parent
    return territory if territory is not None and territory.level == Territory.Level.COUNTY else None


def filter_plenipotentiaries(data) -> PlenipotentiaryFilter:
    """The current plenipotentiaries of listed bodies that ``data``'s filters keep: regional and
    national bodies first, then the rest in tree order (a county's bodies together)."""
    above_counties = [Territory.Level.COUNTRY, Territory.Level.REGION]
    queryset = (
        # Only public bodies have plenipotentiaries: said, so that the bodies' own index serves.
        Plenipotentiary.objects.filter(
            listed_q("public_body__"), public_body__kind__in=Organization.PUBLIC_KINDS, is_active=True
        )
        .alias(in_a_county=Case(When(public_body__territory__level__in=above_counties, then=0), default=1))
        .order_by("in_a_county", "public_body__territory__path", "public_body__name", "full_name", "pk")
    )
    return PlenipotentiaryFilter(data, queryset=queryset)


def plenipotentiaries_page(filterset: PlenipotentiaryFilter, number) -> Page:
    """Page ``number`` of the filter's plenipotentiaries, with their bodies and territories.

    The order is found over the ids alone (narrow rows, the bodies' index), then the page's
    rows are read by id: sorting whole rows of three tables for every page costs three times
    as much.
    """
    page = page_of(filterset.qs.values_list("pk", flat=True), number)
    ids = list(page.object_list)
    rows = Plenipotentiary.objects.filter(pk__in=ids).select_related("public_body__territory__parent").order_by().in_bulk()
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def by_county(plenipotentiaries) -> list[tuple[Territory | None, list[Plenipotentiary]]]:
    """A page of plenipotentiaries (in the order above) grouped under their county; None heads
    the bodies above county level."""
    groups: OrderedDict = OrderedDict()
    for plenipotentiary in plenipotentiaries:
        groups.setdefault(county_of(plenipotentiary.public_body.territory), []).append(plenipotentiary)
    return list(groups.items())


def plenipotentiaries_for_api(viewer) -> QuerySet[Plenipotentiary]:
    """Plenipotentiaries of listed bodies (every body for coordinators), for the API."""
    return (
        Plenipotentiary.objects.filter(visible_q(viewer, "public_body__"))
        .select_related("public_body")
        .order_by("public_body__name", "full_name")
    )


def bodies_whose_contacts_viewer_sees(viewer) -> set[int] | None:
    """The public bodies whose former plenipotentiaries' contacts ``viewer`` may read.

    None means every body (coordinators); officers see their own bodies' former officials.
    Former officials are private persons now: their e-mail, phone and office address are
    not public.
    """
    from civicbridge.core.rules import is_coordinator

    if is_coordinator(viewer):
        return None
    if not (viewer and viewer.is_authenticated and viewer.is_active):
        return set()
    return set(
        Membership.objects.approved()
        .filter(user=viewer, organization__kind__in=Organization.PUBLIC_KINDS)
        .values_list("organization_id", flat=True)
    )
