"""Who may do what with consultations (django-rules predicates and permissions).

The object of a permission:

- ``consultations.add_consultation``: the issuing body (or None: "for any body");
- ``consultations.change_consultation`` (edit, sections, import, publish, attachments),
  ``consultations.moderate_remark``, ``consultations.answer_remark``,
  ``consultations.export_remarks``: the consultation;
- ``consultations.set_minimum_duration``: the body;
- ``consultations.add_remark``: the consultation (the phase is asked separately, so that
  the refusal can say why);
- ``consultations.change_remark``: the remark.

Officers of a body are the approved members of that public body (``is_representative_of``);
nobody gains a role by anything here.
"""

import rules

from civicbridge.core.rules import is_coordinator
from civicbridge.directory.rules import is_representative_of


def approved_memberships(user):
    from civicbridge.accounts.models import Membership
    from civicbridge.directory.models import listed_q

    # As ``is_representative_of``: a registration still waiting or rejected gives nothing to act on.
    return Membership.objects.approved().filter(listed_q("organization__"), user=user)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def may_issue_for(user, body) -> bool:
    """An officer of ``body`` (a public body); with no body given, of any public body."""
    from civicbridge.directory.models import Organization

    if body is None:
        return (
            _signed_in(user)
            and approved_memberships(user)
            .filter(organization__kind__in=Organization.PUBLIC_KINDS)
            .exists()
        )
    return body.kind in Organization.PUBLIC_KINDS and is_representative_of(user, body)


@rules.predicate
def is_officer_of_issuing_body(user, consultation) -> bool:
    if consultation is None:
        return False
    return is_representative_of(user, consultation.issuing_body)


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.published_at is not None


@rules.predicate
def is_invited(user, consultation) -> bool:
    """ "All": anyone signed in; "NGOs": representatives of a non-public organization; "list":
    representatives of an organization listed."""
    if consultation is None or not _signed_in(user):
        return False
    from .selectors import speaking_options

    options = speaking_options(consultation, user)
    return options.as_citizen or bool(options.organizations)


@rules.predicate
def is_remark_author(user, remark) -> bool:
    return remark is not None and _signed_in(user) and remark.author_id == user.pk


manages = is_coordinator | is_officer_of_issuing_body

rules.add_perm("consultations.add_consultation", is_coordinator | may_issue_for)
rules.add_perm("consultations.change_consultation", manages)
rules.add_perm("consultations.view_consultation", is_published | manages)
rules.add_perm("consultations.moderate_remark", manages)
rules.add_perm("consultations.answer_remark", manages)
rules.add_perm("consultations.export_remarks", manages)
rules.add_perm("consultations.set_minimum_duration", is_coordinator | may_issue_for)
rules.add_perm("consultations.add_remark", is_published & is_invited)
rules.add_perm("consultations.change_remark", is_remark_author)
