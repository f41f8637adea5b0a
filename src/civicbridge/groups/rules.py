"""Who may do what in working groups (django-rules predicates and permissions).

The object of a permission:

- ``groups.add_group``: None; ``groups.change_group``, ``groups.manage_members``: the group
  (coordinators only: they create groups, appoint and remove members and the chair);
- ``groups.add_meeting``, ``groups.add_document``, ``groups.add_standard``: the group (its
  chair, and coordinators);
- ``groups.view_internal`` (the thread and the working documents), ``groups.post``: the group
  (its current members; coordinators read too, but only members post);
- ``groups.change_standard`` (a new version), ``groups.move_standard`` (a workflow step): the
  standard (its group's chair, and coordinators); ``groups.record_adoption`` (the steps after
  the consultation: adoption by resolution, publication, trainings): coordinators, who record
  the authority's acts;
- ``groups.view_standard``: the standard (everyone from its consultation on; a draft, the
  group's members and coordinators).

Nobody gains a role by registering: membership is an appointment by a coordinator.
"""

import rules

from civicbridge.core.rules import is_coordinator


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_member(user, group) -> bool:
    if group is None or not _active(user):
        return False
    return group.members.current().filter(user=user).exists()


@rules.predicate
def is_chair(user, group) -> bool:
    if group is None or not _active(user):
        return False
    return group.members.current().filter(user=user, is_chair=True).exists()


@rules.predicate
def chairs_its_group(user, standard) -> bool:
    return standard is not None and is_chair(user, standard.group)


@rules.predicate
def is_member_of_its_group(user, standard) -> bool:
    return standard is not None and is_member(user, standard.group)


@rules.predicate
def is_public_standard(user, standard) -> bool:
    return standard is not None and standard.is_public


rules.add_perm("groups.add_group", is_coordinator)
rules.add_perm("groups.change_group", is_coordinator)
rules.add_perm("groups.manage_members", is_coordinator)
rules.add_perm("groups.add_meeting", is_coordinator | is_chair)
rules.add_perm("groups.add_document", is_coordinator | is_chair)
rules.add_perm("groups.add_standard", is_coordinator | is_chair)
rules.add_perm("groups.view_internal", is_coordinator | is_member)
rules.add_perm("groups.post", is_member)
rules.add_perm("groups.change_standard", is_coordinator | chairs_its_group)
rules.add_perm("groups.move_standard", is_coordinator | chairs_its_group)
rules.add_perm("groups.record_adoption", is_coordinator)
rules.add_perm("groups.view_standard", is_public_standard | is_coordinator | is_member_of_its_group)
