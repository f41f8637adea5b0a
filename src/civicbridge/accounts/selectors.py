from django.db.models import QuerySet

from .models import Membership


def memberships_of(user) -> QuerySet[Membership]:
    return user.memberships.select_related("organization__territory").order_by("organization__name")


def pending_memberships() -> QuerySet[Membership]:
    return (
        Membership.objects.pending()
        .select_related("user", "organization__territory", "invited_by")
        .order_by("created_at")
    )
