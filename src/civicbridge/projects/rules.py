"""Who may do what in the project portfolio (django-rules predicates and permissions).

The object of a permission:

- ``projects.add_project``: the lead organization (or None: "for some organization");
- ``projects.view_project``, ``projects.change_project``, ``projects.move_project``,
  ``projects.view_files``: the project.

Representatives of the lead organization (approved memberships) create, edit and move their
projects; coordinators all. Creating a project grants nobody a role: the right to change it
follows the memberships a coordinator approved, never the act of creating.
"""

import rules

from civicbridge.core.rules import is_coordinator, is_registered
from civicbridge.directory.rules import is_representative_of


@rules.predicate
def represents_lead(user, project) -> bool:
    return project is not None and is_representative_of(user, project.lead_organization)


@rules.predicate
def represents_a_partner(user, project) -> bool:
    if project is None or not (user.is_authenticated and user.is_active):
        return False
    from civicbridge.accounts.models import Membership

    own = Membership.objects.approved().filter(user=user).values("organization_id")
    return project.partners.filter(organization_id__in=own).exists()


@rules.predicate
def may_lead_for(user, organization) -> bool:
    if organization is None:
        from civicbridge.accounts.models import Membership

        return user.is_authenticated and Membership.objects.approved().filter(user=user).exists()
    return is_representative_of(user, organization)


@rules.predicate
def is_public(user, project) -> bool:
    return project is not None and project.is_public


rules.add_perm("projects.add_project", is_coordinator | (is_registered & may_lead_for))
rules.add_perm("projects.change_project", is_coordinator | represents_lead)
rules.add_perm("projects.move_project", is_coordinator | represents_lead)
rules.add_perm("projects.view_project", is_public | is_coordinator | represents_lead | represents_a_partner)
# Documents and reports: the project's own organizations and the coordinators.
rules.add_perm("projects.view_files", is_coordinator | represents_lead | represents_a_partner)
