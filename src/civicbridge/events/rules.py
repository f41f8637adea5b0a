"""Who may do what with events (django-rules predicates and permissions).

The object of a permission:

- ``events.add_event``: the organization to organize it (or None: "for any organization");
- ``events.change_event``, ``events.manage_registrations`` (the list, attendance, minutes),
  ``events.view_event``: the event.

Registering needs no permission of its own: anyone may register for a published event
whose registration is open (a guest with a name and an e-mail address); it gives no right.
"""

import rules

from civicbridge.core.rules import answered_once_per_request, is_coordinator
from civicbridge.directory.rules import is_representative_of


def _approved_memberships(user):
    from civicbridge.accounts.models import Membership
    from civicbridge.directory.models import listed_q

    # As ``is_representative_of``: a registration still waiting or rejected gives nothing to act on.
    return Membership.objects.approved().filter(listed_q("organization__"), user=user)


@rules.predicate
def may_organize_for(user, organization) -> bool:
    """A representative of ``organization``; with no organization given, of any one."""
    if organization is None:
        return bool(user.is_authenticated and user.is_active) and _approved_memberships(user).exists()
    return is_representative_of(user, organization)


@rules.predicate
def represents_an_organizer(user, event) -> bool:
    if event is None or not (user.is_authenticated and user.is_active):
        return False
    return _represents_an_organizer_of(user, event.pk)


@answered_once_per_request  # an event's page asks it for "change", "manage" and "cancel"
def _represents_an_organizer_of(user, event_id: int) -> bool:
    return _approved_memberships(user).filter(organization__organized_events=event_id).exists()


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.published_at is not None


rules.add_perm("events.add_event", is_coordinator | may_organize_for)
rules.add_perm("events.change_event", is_coordinator | represents_an_organizer)
rules.add_perm("events.manage_registrations", is_coordinator | represents_an_organizer)
rules.add_perm("events.view_event", is_published | is_coordinator | represents_an_organizer)
