from django.db.models import Q, QuerySet

from .models import Membership, RightsChange


def memberships_of(user) -> QuerySet[Membership]:
    return user.memberships.select_related("organization__territory").order_by("organization__name")


def pending_memberships() -> QuerySet[Membership]:
    return (
        Membership.objects.pending()
        .select_related("user", "organization__territory", "invited_by")
        .order_by("created_at")
    )


def rights_log(*, person: str = "", organization: str = "") -> QuerySet[RightsChange]:
    """Grants and revocations, newest first, narrowed to a person and/or an organization."""
    changes = RightsChange.objects.for_log()
    person = (person or "").strip()
    if person:
        match = Q(user__username__iexact=person) | Q(user__email__iexact=person)
        if person.isdigit():
            match |= Q(user_id=int(person))
        changes = changes.filter(match)
    organization = (organization or "").strip()
    if organization:
        changes = changes.filter(
            Q(organization_id=int(organization)) if organization.isdigit()
            else Q(organization_name__icontains=organization)
        )
    return changes
