"""Who may do what in the partner search: every role against every permission and request state."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from civicbridge.partners import phases
from civicbridge.partners.models import PartnerRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import (
    ExpressionOfInterestFactory,
    PartnerRequestFactory,
    TwinningFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "representative_of_poster", "representative_of_another", "coordinator")
STATES = ("open", "expired", "closed")


@pytest.fixture
def poster(municipality):
    return OrganizationFactory(territory=municipality)


@pytest.fixture
def another(municipality):
    return OrganizationFactory(territory=municipality)


def make_request(state, poster) -> PartnerRequest:
    deadline = phases.today() + datetime.timedelta(days=-1 if state == "expired" else 10)
    status = PartnerRequest.Status.CLOSED if state == "closed" else PartnerRequest.Status.OPEN
    return PartnerRequestFactory(organization=poster, deadline=deadline, status=status)


def person(role, poster, another):
    if role == "anonymous":
        return AnonymousUser()
    if role == "citizen":
        return UserFactory()
    if role == "representative_of_poster":
        return MembershipFactory(organization=poster).user
    if role == "representative_of_another":
        return MembershipFactory(organization=another).user
    if role == "coordinator":
        return UserFactory(is_coordinator=True)
    raise AssertionError(role)


# permission -> {state: roles allowed}; the object is the request (or an answer to it).
MATRIX = {
    "partners.change_request": {state: {"representative_of_poster", "coordinator"} for state in STATES},
    "partners.view_answers": {state: {"representative_of_poster", "coordinator"} for state in STATES},
    "partners.view_matches": {state: {"representative_of_poster", "coordinator"} for state in STATES},
    "partners.decide_interest": {state: {"representative_of_poster"} for state in STATES},
    "partners.express_interest": {"open": {"representative_of_another"}, "expired": set(), "closed": set()},
    "partners.view_request": {
        "open": set(ROLES), "expired": set(ROLES), "closed": {"representative_of_poster", "coordinator"},
    },
}

CASES = [
    pytest.param(permission, state, role, role in allowed[state], id=f"{permission.split('.')[1]}-{state}-{role}")
    for permission, allowed in MATRIX.items()
    for state in STATES
    for role in ROLES
]


@pytest.mark.parametrize(("permission", "state", "role", "allowed"), CASES)
def test_role_has_permission_only_where_the_matrix_says(poster, another, permission, state, role, allowed):
    partner_request = make_request(state, poster)
    user = person(role, poster, another)

    assert user.has_perm(permission, partner_request) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_decide_interest_asked_of_an_answer_follows_its_request(poster, another, role):
    answer = ExpressionOfInterestFactory(request=make_request("open", poster), organization=another)

    assert person(role, poster, another).has_perm("partners.decide_interest", answer) is (role == "representative_of_poster")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("citizen", False), ("representative_of_poster", True),
     ("representative_of_another", False), ("coordinator", True)],
)
def test_post_request_for_an_organization(poster, another, role, allowed):
    assert person(role, poster, another).has_perm("partners.post_request", poster) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("citizen", False), ("representative_of_poster", True),
     ("representative_of_another", True), ("coordinator", True)],
)
def test_post_request_without_an_organization_means_for_any_of_ones_own(poster, another, role, allowed):
    assert person(role, poster, another).has_perm("partners.post_request") is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("citizen", False), ("representative_of_poster", True),
     ("representative_of_another", False), ("coordinator", True)],
)
def test_requests_that_fit_an_organization_are_for_its_representatives(poster, another, role, allowed):
    assert person(role, poster, another).has_perm("partners.view_fitting_requests", poster) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_manage_twinnings(poster, another, role):
    twinning = TwinningFactory()
    user = person(role, poster, another)

    assert user.has_perm("partners.manage_twinning") is (role == "coordinator")
    assert user.has_perm("partners.manage_twinning", twinning) is (role == "coordinator")
    assert user.has_perm("partners.view_twinning", twinning)


def test_an_organization_that_answered_still_sees_the_closed_request(poster, another):
    partner_request = make_request("open", poster)
    answerer = MembershipFactory(organization=another).user
    ExpressionOfInterestFactory(request=partner_request, organization=another)
    partner_request.status = PartnerRequest.Status.CLOSED
    partner_request.save()

    assert answerer.has_perm("partners.view_request", partner_request)


def test_a_representative_of_both_sides_may_answer_for_the_other_organization(poster, another):
    both = MembershipFactory(organization=poster).user
    MembershipFactory(user=both, organization=another)

    assert both.has_perm("partners.express_interest", make_request("open", poster))


def test_a_pending_membership_gives_no_right(poster, another):
    from civicbridge.accounts.models import Membership

    claimant = MembershipFactory(organization=poster, status=Membership.Status.PENDING).user

    assert not claimant.has_perm("partners.change_request", make_request("open", poster))
    assert not claimant.has_perm("partners.post_request", poster)


def test_a_deactivated_representative_loses_every_right(poster, another):
    user = MembershipFactory(organization=poster).user
    user.is_active = False
    user.save()
    partner_request = make_request("open", poster)

    for permission in ("partners.change_request", "partners.decide_interest", "partners.view_answers"):
        assert not user.has_perm(permission, partner_request), permission
    assert not user.has_perm("partners.post_request", poster)
