"""Who may do what in the partner search (django-rules predicates and permissions).

The object of a permission:

- ``partners.post_request``: the organization to post for (or None: "for any organization");
- ``partners.change_request``, ``partners.view_answers``, ``partners.view_matches``,
  ``partners.express_interest``, ``partners.view_request``: the partner request;
- ``partners.decide_interest``: the expression of interest, or its partner request;
- ``partners.view_fitting_requests``: the organization;
- ``partners.manage_twinning``: nothing (or the twinning).
"""

import rules

from civicbridge.core.rules import is_coordinator, is_registered
from civicbridge.directory.rules import is_representative_of
from civicbridge.directory.selectors import represented_organization_ids

from . import phases


def _partner_request(obj):
    # decide_interest is asked of an answer or, for a whole list of answers at once, of its request.
    return getattr(obj, "request", obj) if obj is not None else None


@rules.predicate
def represents_an_organization(user) -> bool:
    return represented_organization_ids(user).exists()


@rules.predicate
def may_post_for(user, organization) -> bool:
    """A representative of ``organization``; with no organization given, of any one."""
    if organization is None:
        return represents_an_organization(user)
    return is_representative_of(user, organization)


@rules.predicate
def represents_poster(user, obj) -> bool:
    partner_request = _partner_request(obj)
    return partner_request is not None and is_representative_of(user, partner_request.organization)


@rules.predicate
def represents_another_organization(user, obj) -> bool:
    """Represents at least one organization other than the one that posted the request."""
    partner_request = _partner_request(obj)
    if partner_request is None:
        return False
    return represented_organization_ids(user).exclude(pk=partner_request.organization_id).exists()


@rules.predicate
def accepts_answers(user, obj) -> bool:
    """The request is open and its answer deadline has not passed (asked of its phase)."""
    partner_request = _partner_request(obj)
    return partner_request is not None and phases.accepts_answers(partner_request)


@rules.predicate
def is_open(user, obj) -> bool:
    partner_request = _partner_request(obj)
    return partner_request is not None and partner_request.status == partner_request.Status.OPEN


@rules.predicate
def has_answered(user, obj) -> bool:
    """One of the user's organizations answered the request (it may still see it when closed)."""
    partner_request = _partner_request(obj)
    if partner_request is None or not (user.is_authenticated and user.is_active):
        return False
    from .models import ExpressionOfInterest

    organizations = represented_organization_ids(user)
    return ExpressionOfInterest.objects.filter(request=partner_request, organization_id__in=organizations).exists()


rules.add_perm("partners.post_request", is_coordinator | (is_registered & may_post_for))
rules.add_perm("partners.change_request", is_coordinator | represents_poster)
# Closed requests leave the public list; those involved keep their link.
rules.add_perm("partners.view_request", is_open | is_coordinator | represents_poster | has_answered)
rules.add_perm("partners.view_answers", is_coordinator | represents_poster)
rules.add_perm("partners.view_matches", is_coordinator | represents_poster)
rules.add_perm(
    "partners.express_interest", is_registered & represents_another_organization & accepts_answers
)
# Choosing a partner is the poster's own decision: coordinators moderate, they do not choose.
rules.add_perm("partners.decide_interest", is_registered & represents_poster)
rules.add_perm("partners.view_fitting_requests", is_coordinator | is_representative_of)
rules.add_perm("partners.manage_twinning", is_coordinator)
rules.add_perm("partners.view_twinning", rules.always_allow)
