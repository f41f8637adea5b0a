"""The reads that the support pages and the API share, with their joins, in a bounded number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, QuerySet, Sum

from civicbridge.core.rules import is_coordinator
from civicbridge.core.selectors import total_per_row
from civicbridge.directory.selectors import represented_organization_ids, represented_organizations

from .filters import OrganizationRequestFilter, QueueFilter
from .models import HistoryEntry, Message, SupportRequest, TimeEntry


def _minutes_spent():
    return total_per_row(TimeEntry.objects.filter(request=OuterRef("pk")), "request", Sum("minutes"))


def requests_for_list() -> QuerySet[SupportRequest]:
    """Requests with what a list row shows: the organization, the assignee, the minutes spent."""
    return (
        SupportRequest.objects.select_related("organization", "assigned_to")
        .only(
            "pk", "subject", "topic", "status", "created_at", "updated_at", "organization_id", "assigned_to_id",
            "organization__name", "organization__slug",
            "assigned_to__first_name", "assigned_to__last_name", "assigned_to__username",
        )
        .annotate(minutes_spent=_minutes_spent())
        .order_by("-created_at", "-id")
    )


def visible_requests(user) -> QuerySet[SupportRequest]:
    """Every request for coordinators; for others, their listed organizations' requests; else none."""
    queryset = requests_for_list()
    if is_coordinator(user):
        return queryset
    return queryset.filter(organization_id__in=represented_organization_ids(user))


def filter_organization_requests(user, data) -> OrganizationRequestFilter:
    """The requests of the organizations ``user`` represents (coordinators' own included)."""
    queryset = requests_for_list().filter(organization_id__in=represented_organization_ids(user))
    return OrganizationRequestFilter(data, queryset=queryset)


def filter_queue(data, *, request=None) -> QueueFilter:
    return QueueFilter(data, queryset=requests_for_list(), request=request)


def request_detail(*, pk: int) -> SupportRequest:
    return (
        SupportRequest.objects.select_related("organization__territory", "created_by", "assigned_to")
        .defer("organization__search_document", "organization__description")
        .annotate(minutes_spent=_minutes_spent())
        .get(pk=pk)
    )


def thread(support_request: SupportRequest) -> list[Message]:
    return list(support_request.messages.select_related("author").order_by("created_at", "pk"))


def history(support_request: SupportRequest) -> list[HistoryEntry]:
    return list(support_request.history.select_related("by", "assignee").order_by("at", "pk"))


def time_entries(support_request: SupportRequest) -> list[TimeEntry]:
    return list(support_request.time_entries.select_related("coordinator").order_by("created_at", "pk"))


def coordinators() -> QuerySet:
    """The people a request may be assigned to: active coordinators, by name."""
    return get_user_model().objects.filter(is_active=True, is_coordinator=True).order_by(
        "first_name", "last_name", "pk"
    )


def open_queue_count() -> int:
    return SupportRequest.objects.open().count()


PROFILE_REQUESTS = 10


def profile_requests(request) -> dict | None:
    """The account page's section: one's organizations' newest requests, and for coordinators
    how many requests are open in the queue and how many are assigned to them."""
    user = request.user
    organizations = represented_organizations(user)
    coordinator = is_coordinator(user)
    if not organizations and not coordinator:
        return None
    context = {"organizations": organizations, "requests": [], "is_coordinator": coordinator}
    if organizations:
        context["requests"] = list(
            SupportRequest.objects.filter(organization__in=organizations).select_related("organization")
            .only("pk", "subject", "status", "created_at", "organization__name")
            .order_by("-created_at", "-id")[:PROFILE_REQUESTS]
        )
    if coordinator:
        context["open_count"] = open_queue_count()
        context["mine_count"] = SupportRequest.objects.open().filter(assigned_to=user).count()
    return context


def personal_data(user) -> dict:
    """The support requests the person made and the messages they wrote, for their download
    of their personal data."""
    from .models import Message, SupportRequest

    return {
        "requests": [
            {"organization": r.organization.name, "topic": r.topic, "subject": r.subject, "description": r.description,
             "status": r.status, "created_at": r.created_at.isoformat()}
            for r in SupportRequest.objects.filter(created_by=user).select_related("organization").order_by("created_at", "pk")
        ],
        "messages": [
            {"request": m.request.subject, "body": m.body, "written_at": m.created_at.isoformat()}
            for m in Message.objects.filter(author=user).select_related("request").order_by("created_at", "pk")
        ],
    }
