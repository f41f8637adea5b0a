"""Every read of the project portfolio that pages, exports and the API share."""

from django.db.models import Count, F, Prefetch, QuerySet, Sum

from civicbridge.core.pagination import page_of

from . import iati
from .filters import ProjectApiFilter, ProjectFilter, of_organization
from .models import CURRENCIES, Project, ProjectPartner, Report, StatusChange

LIST_RELATED = ("lead_organization", "funder", "programme", "call", "territory")


def projects_for_list(viewer) -> QuerySet[Project]:
    """The projects ``viewer`` may see, with what a list row shows (no query per row)."""
    return (
        Project.objects.visible_to(viewer)
        .select_related(*LIST_RELATED)
        .defer("search_document")
        .order_by("-start_date", "-id")
    )


def with_partners(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return queryset.prefetch_related(
        Prefetch("partners", queryset=ProjectPartner.objects.select_related("organization").order_by("id"))
    )


def filter_projects(data, *, viewer, organization=None, api: bool = False):
    """The filter set of the portfolio (of one organization, as lead or partner, when given)."""
    queryset = projects_for_list(viewer)
    if organization is not None:
        queryset = of_organization(queryset, organization)
    filter_class = ProjectApiFilter if api else ProjectFilter
    return filter_class(data or None, queryset=queryset)


# What a row of the portfolio page shows (projects/project_rows.html). A page of 25 read every
# column of five joined tables, the lead organization's description among them.
ROW_COLUMNS = (
    "title", "status", "start_date", "end_date", "budget", "currency",
    "lead_organization__name", "funder__name", "call__identifier",
    "territory__name_en", "territory__name_pl", "territory__name_tr",
)


def portfolio_page(filterset, number, *, totals: list[dict]):
    """The page of the filtered portfolio, with only what its rows show, counted by its
    ``totals`` (of the same filtered projects): counting them again read them twice."""
    rows = filterset.qs.select_related(None).select_related("lead_organization", "funder", "call", "territory")
    return page_of(rows.only(*ROW_COLUMNS), number, count=sum(row["projects"] for row in totals))


def totals(queryset: QuerySet[Project]) -> list[dict]:
    """Projects and budgets per status and currency, in the workflow's order: one query, from
    the index that holds what it reads and filters on (project_totals)."""
    rows = (
        queryset.order_by().values("status", "currency")
        .annotate(projects=Count("*"), budget=Sum("budget"), co_financing=Sum("co_financing"))
    )
    order = {status: index for index, status in enumerate(Project.Status.values)}
    labels = dict(Project.Status.choices)
    result = [
        {**row, "label": labels[row["status"]], "currency_name": CURRENCIES.get(row["currency"], row["currency"])}
        for row in rows
    ]
    result.sort(key=lambda row: (order[row["status"]], row["currency"]))
    return result


def by_funder_and_status(queryset: QuerySet[Project]) -> QuerySet:
    """Projects and budgets per funder, status and currency (what the dashboard reads)."""
    return (
        queryset.order_by().values("funder_id", "funder__name", "status", "currency")
        .annotate(projects=Count("id"), budget=Sum("budget"))
        # Projects without a funder last, on every database.
        .order_by(F("funder__name").asc(nulls_last=True), "funder_id", "status", "currency")
    )


def project_detail(*, pk: int, viewer) -> Project:
    """One project the viewer may see, with its partners, history, milestones, documents and
    reports read in a bounded number of queries. Project.DoesNotExist otherwise."""
    return (
        with_partners(Project.objects.visible_to(viewer).select_related(*LIST_RELATED, "programme__funder"))
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("by").order_by("at", "id")),
            "milestones",
            "documents",
            Prefetch("reports", queryset=Report.objects.select_related("submitted_by").order_by("period_start", "id")),
        )
        .get(pk=pk)
    )


def export_queryset(filterset) -> QuerySet[Project]:
    """The projects the portfolio page lists for these filters, in the page's order (the file
    matches the page it is exported from), with their partners."""
    return with_partners(filterset.qs)


def has_iati_activities(queryset: QuerySet[Project]) -> bool:
    """Whether the IATI file of these projects holds an activity: the standard allows no empty
    file, so the page offers the export only then."""
    return queryset.filter(iati.exportable_filter()).exists()


def profile_projects(request) -> dict:
    """The account page's block: the projects of the organizations the person represents."""
    user = request.user
    if not user.is_authenticated:
        return {}
    from civicbridge.accounts.models import Membership

    own = Membership.objects.approved().filter(user=user).values("organization_id")
    projects = list(
        Project.objects.filter(lead_organization_id__in=own)
        .select_related("lead_organization", "funder")
        .defer("search_document")
        .order_by("-start_date", "-id")[:10]
    )
    return {"projects": projects} if projects else {}
