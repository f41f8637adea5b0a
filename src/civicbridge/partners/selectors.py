"""The reads that the partner-search pages and the API share, with their joins and prefetches."""

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from unidecode import unidecode

from civicbridge.core.pagination import page_of
from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import with_keyed_names
from civicbridge.directory.models import Organization
from civicbridge.directory.selectors import represented_organization_ids, represented_organizations

from .countries import country_name
from .filters import PartnerRequestFilter, TwinningFilter
from .models import ExpressionOfInterest, Invitation, PartnerRequest, Twinning


def requests_for_list(*, with_areas: bool = True) -> QuerySet[PartnerRequest]:
    """``with_areas`` False: a page's rows, which read their areas' names alone (core.selectors.with_area_names)."""
    # The search column is for the database only; a list never shows it.
    requests = PartnerRequest.objects.select_related("organization__territory", "call").defer(
        "search_document", "organization__search_document", "organization__description"
    )
    return requests.prefetch_related("thematic_areas") if with_areas else requests


# What a row of the list page shows (partners/request_rows.html); its areas are read apart.
ROW_COLUMNS = (
    "title", "direction", "deadline", "role_sought", "status", "organization_id", "call_id",
    "organization__name", "organization__territory_id", "organization__country", "organization__city",
    "organization__territory__name_en", "organization__territory__name_pl", "organization__territory__name_tr",
    "call__identifier",
)


def requests_for_page() -> QuerySet[PartnerRequest]:
    """The list page's open requests, with only the columns its rows show."""
    return public_requests(with_areas=False).only(*ROW_COLUMNS)


def public_requests(*, with_areas: bool = True) -> QuerySet[PartnerRequest]:
    """Requests anyone may see: every open one, also past its deadline (its link keeps working)."""
    return requests_for_list(with_areas=with_areas).filter(status=PartnerRequest.Status.OPEN)


def filter_requests(data, *, queryset: QuerySet | None = None) -> PartnerRequestFilter:
    return PartnerRequestFilter(data, queryset=queryset if queryset is not None else public_requests())


def visible_requests(user) -> QuerySet[PartnerRequest]:
    """Open requests, plus the closed ones of the user's organizations, or all for coordinators."""
    queryset = requests_for_list().prefetch_related("territories")
    if is_coordinator(user):
        return queryset
    visible = Q(status=PartnerRequest.Status.OPEN)
    if user.is_authenticated:
        represented = represented_organization_ids(user)
        answered = ExpressionOfInterest.objects.filter(organization_id__in=represented).values("request_id")
        visible |= Q(organization_id__in=represented) | Q(pk__in=answered)
    return queryset.filter(visible)


def request_detail(*, pk: int) -> PartnerRequest:
    """A request with what its page and its matching read: the poster, the call and its funder,
    ``areas`` as (id, name) and ``places`` (its territories) as (path, name), names in the
    active language, read as values (a prefetch built a model and a manager for each: 0.9 ms
    of the page's 3.3 for reading the request)."""
    partner_request = (
        PartnerRequest.objects.select_related("organization__territory__parent", "call__programme__funder")
        # The search columns are for the database only.
        .defer("search_document", "organization__search_document", "call__search_document")
        .get(pk=pk)
    )
    with_keyed_names([partner_request], "thematic_areas", "areas")
    return with_keyed_names([partner_request], "territories", "places", key="path")[0]


def answers_to(partner_request: PartnerRequest) -> QuerySet[ExpressionOfInterest]:
    return (
        partner_request.answers.select_related("organization__territory", "created_by", "decided_by")
        .defer("organization__search_document", "organization__description")
        .order_by("created_at", "pk")
    )


def answers_by(
    user, partner_request: PartnerRequest, *, represented: list[Organization], among: list | None = None,
) -> list[ExpressionOfInterest]:
    """The answers the user's organizations (``represented``) gave to a request (to show them
    their status): picked from ``among``, all its answers when the page has read them already
    (the poster's side), else read."""
    if not (user.is_authenticated and user.is_active) or not represented:
        return []
    if among is not None:
        ids = {organization.pk for organization in represented}
        return [answer for answer in among if answer.organization_id in ids]
    return list(
        partner_request.answers.filter(organization_id__in=[organization.pk for organization in represented])
        .select_related("organization")
        .order_by("created_at")
    )


def requests_of(organization: Organization) -> QuerySet[PartnerRequest]:
    """An organization's own requests, open and closed, with how many answers each has."""
    return (
        organization.partner_requests.select_related("call")
        .defer("search_document")
        .annotate(
            answer_count=Count("answers", distinct=True),
            pending_count=Count("answers", filter=Q(answers__status=ExpressionOfInterest.Status.PENDING), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def twinnings_by_town(twinnings=None) -> list[tuple]:
    """Twinnings (default: every one), grouped under our town; towns and cities by name in the
    visitor's language."""
    if twinnings is None:
        twinnings = Twinning.objects.select_related("territory__parent").prefetch_related("thematic_areas")
    groups: dict = {}
    for twinning in twinnings:
        twinning.country_label = country_name(twinning.partner_country)
        groups.setdefault(twinning.territory, []).append(twinning)
    # Folded, so that "İnegöl" sorts under I and "Łambinowice" under L, not after Z.
    return sorted(
        ((town, sorted(twinnings, key=lambda twinning: _folded(twinning.partner_city))) for town, twinnings in groups.items()),
        key=lambda group: _folded(group[0].name),
    )


def filter_twinnings(data) -> TwinningFilter:
    return TwinningFilter(data, queryset=Twinning.objects.all())


def twinnings_page(filterset: TwinningFilter, number) -> tuple[Page, list[tuple]]:
    """Page ``number`` of the twinnings the filters keep, in the list's order (our town, then
    the partner city, by name in the visitor's language, folded), and the page grouped by town.

    The order is found over narrow rows (ids and names: a deployment has hundreds of twinnings,
    not hundreds of thousands), then only the page's rows are read whole: three queries.
    """
    language = (get_language() or "en")[:2]
    name_field = f"territory__name_{language}" if language in ("pl", "tr") else "territory__name_en"
    rows = filterset.qs.values_list("pk", name_field, "territory__name_en", "partner_city")
    ordered = [
        pk for pk, *_ in sorted(rows, key=lambda row: (_folded(row[1] or row[2]), row[1] or row[2], _folded(row[3]), row[0]))
    ]
    page = page_of(ordered, number)
    ids = list(page.object_list)
    loaded = (
        Twinning.objects.filter(pk__in=ids).select_related("territory__parent").prefetch_related("thematic_areas")
        .in_bulk()
    )
    page.object_list = [loaded[pk] for pk in ids if pk in loaded]
    return page, twinnings_by_town(page.object_list)


def _folded(text: str) -> str:
    return unidecode(text).lower()


def twinning_detail(*, pk: int) -> Twinning:
    return Twinning.objects.select_related("territory__parent").prefetch_related("thematic_areas").get(pk=pk)


def organization_for_matching(*, slug: str) -> Organization:
    """A listed organization with its territory and ``areas`` as (id, name), for the requests
    that fit it (``matching.requests_for_organization``)."""
    organization = (
        Organization.objects.listed().select_related("territory")
        .defer("search_document")  # for the database only
        .get(slug=slug)
    )
    return with_keyed_names([organization], "thematic_areas", "areas")[0]


HOME_OPEN_REQUESTS = 5


def home_open_requests(request) -> dict | None:
    """The home page's section: the newest partner requests still taking answers."""
    today = timezone.localdate()
    requests = list(
        public_requests().filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        # The home page shows no thematic areas: none read.
        .select_related("organization__territory").prefetch_related(None)
        .order_by("-created_at", "-id")[:HOME_OPEN_REQUESTS]
    )
    return {"requests": requests} if requests else None


PROFILE_REQUESTS = 10


def profile_requests(request) -> dict | None:
    """The account page's section: the partner requests of the organizations the person
    represents, newest first (nothing for someone who represents none)."""
    organizations = represented_organizations(request.user)
    if not organizations:
        return None
    requests = list(
        PartnerRequest.objects.filter(organization__in=organizations).select_related("organization")
        .only("pk", "title", "status", "deadline", "organization__name", "organization__slug")
        .order_by("-created_at", "-id")[:PROFILE_REQUESTS]
    )
    return {"requests": requests, "organizations": organizations}


def invited_organizations(partner_request: PartnerRequest) -> dict[int, object]:
    """The organizations invited to answer ``partner_request``: id -> when (one query)."""
    return dict(Invitation.objects.filter(request=partner_request).values_list("organization_id", "created_at"))
