"""Who may do what in the registry (django-rules predicates and permissions)."""

import rules

from civicbridge.core.rules import answered_once_per_request, is_coordinator, is_registered


@rules.predicate
def is_representative_of(user, organization) -> bool:
    if not (user.is_authenticated and user.is_active) or organization is None:
        return False
    if not organization.is_listed:
        # A registration waiting or rejected gives its members nothing to act on yet.
        return False
    from civicbridge.accounts.models import Membership

    read_for, membership = getattr(organization, "viewer_membership", (None, None))
    if read_for == user.pk:  # read with the entry, in this request (selectors.organization_detail)
        return membership is not None and membership.status == Membership.Status.APPROVED
    return _approved_member(user, organization.pk)


@answered_once_per_request  # a partner request's page asks it for its answers, matches, buttons and invitations
def _approved_member(user, organization_id: int) -> bool:
    from civicbridge.accounts.models import Membership

    return Membership.objects.approved().filter(user=user, organization_id=organization_id).exists()


@rules.predicate
def is_officer_of_body(user, plenipotentiary) -> bool:
    if plenipotentiary is None:
        return False
    return is_representative_of(user, plenipotentiary.public_body)


rules.add_perm("directory.view_organization", rules.always_allow)
rules.add_perm("directory.add_organization", is_registered)
rules.add_perm("directory.change_organization", is_coordinator | is_representative_of)
rules.add_perm("directory.delete_organization", is_coordinator)
rules.add_perm("directory.verify_organization", is_coordinator)
rules.add_perm("directory.import_organizations", is_coordinator)
rules.add_perm("directory.invite_representative", is_coordinator | is_representative_of)
rules.add_perm("directory.claim_organization", is_registered)

rules.add_perm("directory.view_plenipotentiary", rules.always_allow)
rules.add_perm("directory.add_plenipotentiary", is_coordinator | is_representative_of)  # obj: the public body
rules.add_perm("directory.change_plenipotentiary", is_coordinator | is_officer_of_body)
rules.add_perm("directory.delete_plenipotentiary", is_coordinator | is_officer_of_body)
