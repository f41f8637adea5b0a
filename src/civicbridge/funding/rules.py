"""Who may do what with calls for proposals (django-rules predicates and permissions).

Calls are written by coordinators and by officers: approved members of a public body
(a public administration office or a municipality). An officer manages the calls that
belong to its public body: the ones it entered, and the ones entered by a colleague of
the same body. Funders and programmes are reference data: coordinators keep them.
"""

import rules

from civicbridge.core.rules import answered_once_per_request, is_coordinator, is_registered


def _public_body_kinds():
    from civicbridge.directory.models import Organization

    return Organization.PUBLIC_KINDS


@rules.predicate
@answered_once_per_request  # a calls page asks it for its list, "Enter a call" and "Import calls"
def is_officer(user) -> bool:
    if not is_registered(user):
        return False
    from civicbridge.accounts.models import Membership

    # An approved registration too: a body a coordinator has not (or no longer) approved gives no officer.
    return Membership.objects.approved().filter(
        user=user, organization__kind__in=_public_body_kinds(), organization__registration="approved"
    ).exists()


@rules.predicate
def manages_call(user, call) -> bool:
    """The officer entered the call, or works for a public body whose officer entered it."""
    if call is None or call.created_by_id is None or not is_registered(user):
        return False
    if call.created_by_id == user.pk:
        return is_officer(user)
    from civicbridge.accounts.models import Membership

    return Membership.objects.approved().filter(
        user=user,
        organization__kind__in=_public_body_kinds(),
        organization__registration="approved",
        organization__memberships__user_id=call.created_by_id,
        organization__memberships__status=Membership.Status.APPROVED,
    ).exists()


@rules.predicate
def is_published(user, call) -> bool:
    return call is not None and call.published_at is not None


rules.add_perm("funding.view_call", is_published | is_coordinator | manages_call)
rules.add_perm("funding.add_call", is_coordinator | is_officer)
rules.add_perm("funding.change_call", is_coordinator | manages_call)
rules.add_perm("funding.publish_call", is_coordinator | manages_call)
# Each imported row is then checked like a single write (a new call, or a change of one).
rules.add_perm("funding.import_calls", is_coordinator | is_officer)

rules.add_perm("funding.view_funder", rules.always_allow)
rules.add_perm("funding.add_funder", is_coordinator)
rules.add_perm("funding.change_funder", is_coordinator)
rules.add_perm("funding.add_programme", is_coordinator)
rules.add_perm("funding.change_programme", is_coordinator)
