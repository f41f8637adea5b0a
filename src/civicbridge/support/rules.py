"""Who may do what with support requests (django-rules predicates and permissions).

The object of a permission:

- ``support.add_request``: the organization asking (or None: "for any organization");
- ``support.view_request``, ``support.write_message``: the support request;
- ``support.manage_request`` (assign, change status, log time), ``support.view_queue``: the
  request, or nothing.

Representatives see and write in their own organizations' requests only; coordinators (the
coordination office) see all and manage them. Filing a request grants no role: the rights
come from approved memberships and the coordinator flag alone.
"""

import rules

from civicbridge.core.rules import is_coordinator, is_registered
from civicbridge.directory.rules import is_representative_of


def _approved_memberships(user):
    from civicbridge.accounts.models import Membership

    return Membership.objects.approved().filter(user=user)


@rules.predicate
def may_ask_for(user, organization) -> bool:
    """A representative of ``organization``; with no organization given, of any listed one."""
    if not (user.is_authenticated and user.is_active):
        return False
    if organization is None:
        from civicbridge.directory.models import Organization

        return Organization.objects.listed().filter(
            pk__in=_approved_memberships(user).values("organization_id")
        ).exists()
    return is_representative_of(user, organization)


@rules.predicate
def represents_requester(user, support_request) -> bool:
    return support_request is not None and is_representative_of(user, support_request.organization)


rules.add_perm("support.add_request", is_registered & may_ask_for)
rules.add_perm("support.view_request", is_coordinator | represents_requester)
rules.add_perm("support.write_message", is_coordinator | represents_requester)
rules.add_perm("support.manage_request", is_coordinator)
rules.add_perm("support.view_queue", is_coordinator)
