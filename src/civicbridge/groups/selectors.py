"""Every read of working groups and standards that the pages and the API share, each with a
bounded number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from civicbridge.core.rules import is_coordinator

from .filters import GroupFilter, StandardFilter
from .models import (
    LIBRARY_STAGES,
    PUBLIC_STAGES,
    Document,
    DocumentVersion,
    Member,
    Post,
    Sector,
    StageChange,
    Standard,
    StandardVersion,
    WorkingGroup,
)

THREAD_POSTS = 100
PROFILE_GROUPS = 10


def _current_members():
    return (
        Member.objects.current()
        .select_related("user", "organization")
        .only(
            "pk",
            "group_id",
            "sector",
            "is_chair",
            "joined_at",
            "user__first_name",
            "user__last_name",
            "user__username",
            "organization__name",
            "organization__slug",
            "organization__kind",
        )
        .order_by("-is_chair", "sector", "user__last_name", "user__username")
    )


def groups_for_list() -> QuerySet[WorkingGroup]:
    """Groups with their members' counts per sector (the sector mix) and the chair, in three queries."""
    current = Q(members__left_at__isnull=True)
    return (
        WorkingGroup.objects.defer("search_document", "purpose")
        .annotate(
            public_count=Count(
                "members", filter=current & Q(members__sector=Sector.PUBLIC), distinct=True
            ),
            ngo_count=Count(
                "members", filter=current & Q(members__sector=Sector.NGO), distinct=True
            ),
            standards_count=Count(
                "standards",
                filter=Q(standards__stage__in=LIBRARY_STAGES),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch("members", queryset=_current_members().filter(is_chair=True), to_attr="chairs")
        )
        .order_by("name", "id")
    )


def filter_groups(data) -> GroupFilter:
    return GroupFilter(data, queryset=groups_for_list())


def group_detail(*, pk: int) -> WorkingGroup:
    return WorkingGroup.objects.defer("search_document").get(pk=pk)


def group_page(group: WorkingGroup, *, user) -> dict:
    """What the group's page shows: members with sector and organization, the chair, meetings
    ahead and past, standards (public ones, or all for members and coordinators), and for
    members and coordinators the working documents and the thread."""
    members = list(_current_members().filter(group=group))
    internal = user.has_perm("groups.view_internal", group)
    now = timezone.now()
    meetings = list(
        group.meetings.filter(published_at__isnull=False)
        .select_related("territory")
        .only(
            "pk",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "venue",
            "cancelled_at",
            "territory__name_en",
            "territory__name_pl",
            "territory__name_tr",
        )
        .order_by("starts_at", "id")
    )
    standards = group.standards.only("pk", "title", "kind", "stage", "group_id").order_by(
        "title", "id"
    )
    if not internal:
        standards = standards.public()
    context = {
        "members": members,
        "chair": next((member for member in members if member.is_chair), None),
        "public_count": sum(1 for member in members if member.sector == Sector.PUBLIC),
        "ngo_count": sum(1 for member in members if member.sector == Sector.NGO),
        "upcoming": [event for event in meetings if event.ends_at >= now],
        "past": [event for event in reversed(meetings) if event.ends_at < now],
        "standards": list(standards),
        "internal": internal,
        "documents": [],
        "posts": [],
    }
    if internal:
        context["documents"] = list(
            Document.objects.filter(group=group).prefetch_related(
                Prefetch(
                    "versions",
                    queryset=DocumentVersion.objects.select_related("uploaded_by").order_by(
                        "-number"
                    ),
                )
            )
        )
        newest = list(
            Post.objects.filter(group=group)
            .select_related("member__user", "member__organization")
            .defer("body")
            .order_by("-created_at", "-id")[:THREAD_POSTS]
        )
        context["posts"] = newest[::-1]
    return context


def member_history(group: WorkingGroup) -> list[Member]:
    """Every member ever (current and former) with their appointments and removals."""
    from .models import MemberChange

    return list(
        Member.objects.filter(group=group)
        .select_related("user", "organization", "appointed_by")
        .prefetch_related(Prefetch("changes", queryset=MemberChange.objects.select_related("by")))
        .order_by("left_at", "-is_chair", "joined_at", "id")
    )


# --- standards -----------------------------------------------------------------------------------


def standards_for_list() -> QuerySet[Standard]:
    return (
        Standard.objects.select_related("group", "adopting_body")
        .defer(
            "search_document",
            "group__purpose",
            "group__purpose_html",
            "group__search_document",
        )
        .order_by("title", "id")
    )


def library(data) -> StandardFilter:
    """The public library: published standards (and those whose training is delivered)."""
    return StandardFilter(data, queryset=standards_for_list().in_library())


def visible_standards(user) -> QuerySet[Standard]:
    """Public standards; all for coordinators; a member also those of their groups."""
    standards = standards_for_list()
    if is_coordinator(user):
        return standards
    if not (user and user.is_authenticated and user.is_active):
        return standards.public()
    mine = Member.objects.current().filter(user=user).values("group_id")
    return standards.filter(Q(stage__in=PUBLIC_STAGES) | Q(group_id__in=mine))


def standard_detail(*, pk: int, user) -> Standard:
    return (
        visible_standards(user)
        .select_related("consultation")
        .defer(
            "consultation__description",
            "consultation__description_html",
            "consultation__search_document",
            "consultation__report_summary",
            "consultation__report_summary_html",
            "consultation__adopted_text",
        )
        .get(pk=pk)
    )


def standard_page(standard: Standard) -> dict:
    versions = list(
        StandardVersion.objects.filter(standard=standard)
        .select_related("created_by")
        .order_by("-number")
    )
    steps = list(
        StageChange.objects.filter(standard=standard).select_related("by").order_by("at", "id")
    )
    trainings = list(standard.trainings.select_related("territory").order_by("starts_at"))
    return {
        "versions": versions,
        "current": versions[0] if versions else None,
        "steps": steps,
        "trainings": trainings,
    }


def profile_groups(request) -> dict | None:
    memberships = list(
        Member.objects.current()
        .filter(user=request.user)
        .select_related("group", "organization")
        .order_by("group__name")[:PROFILE_GROUPS]
    )
    return {"memberships": memberships} if memberships else None


def appointable_people(group: WorkingGroup):
    """The people a coordinator may appoint: active accounts with an approved membership of a
    listed organization, not already members; each with those organizations."""
    from civicbridge.accounts.models import Membership
    from civicbridge.directory.models import listed_q

    current = Member.objects.current().filter(group=group).values("user_id")
    return (
        Membership.objects.approved()
        .filter(listed_q("organization__"), user__is_active=True)
        .exclude(user_id__in=current)
        .select_related("user", "organization")
        .order_by("organization__name", "user__last_name", "user__username")
    )


def personal_data(user) -> dict:
    """The person's seats in working groups and their posts, for their download of their personal data."""
    from .models import Member, Post

    return {
        "memberships": [
            {"group": m.group.name, "organization": m.organization.name, "sector": m.sector, "chair": m.is_chair,
             "appointed_at": m.joined_at.isoformat(), "left_at": m.left_at.isoformat() if m.left_at else None}
            for m in Member.objects.filter(user=user).select_related("group", "organization").order_by("joined_at", "pk")
        ],
        "posts": [
            {"group": p.group.name, "body": p.body, "posted_at": p.created_at.isoformat()}
            for p in Post.objects.filter(member__user=user).select_related("group").order_by("created_at", "pk")
        ],
    }
