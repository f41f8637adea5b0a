"""Who may see, write in and manage a support request: the role × request matrix."""

import pytest

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.support.factories import SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_request(organization, representative):
    return SupportRequestFactory(organization=organization, created_by=representative)


@pytest.fixture
def people(representative, coordinator, user, municipality):
    other = OrganizationFactory(territory=municipality)
    pending = UserFactory()
    MembershipFactory(user=pending, organization=representative.memberships.get().organization,
                      status=Membership.Status.PENDING)
    return {
        "representative": representative,
        "coordinator": coordinator,
        "citizen": user,
        "other organization's representative": MembershipFactory(organization=other).user,
        "pending member": pending,
        "inactive representative": MembershipFactory(
            organization=representative.memberships.get().organization, user=UserFactory(is_active=False)
        ).user,
    }


EXPECTED = {
    # role: (view, write, manage, queue)
    "representative": (True, True, False, False),
    "coordinator": (True, True, True, True),
    "citizen": (False, False, False, False),
    "other organization's representative": (False, False, False, False),
    "pending member": (False, False, False, False),
    "inactive representative": (False, False, False, False),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_may_do_what_the_matrix_says(role, people, support_request):
    person = people[role]

    answers = (
        person.has_perm("support.view_request", support_request),
        person.has_perm("support.write_message", support_request),
        person.has_perm("support.manage_request", support_request),
        person.has_perm("support.view_queue"),
    )

    assert answers == EXPECTED[role]


def test_only_representatives_of_a_listed_organization_may_file(representative, coordinator, user, organization):
    assert representative.has_perm("support.add_request", organization)
    assert representative.has_perm("support.add_request")
    # The office answers requests; it does not file them, nor does a citizen.
    assert not coordinator.has_perm("support.add_request", organization)
    assert not user.has_perm("support.add_request")

    organization.registration = Organization.Registration.REJECTED
    organization.save(update_fields=["registration"])
    assert not representative.has_perm("support.add_request", organization)
    assert not representative.has_perm("support.add_request")


def test_a_former_representative_loses_sight_of_the_request(representative, support_request):
    Membership.objects.filter(user=representative).delete()

    assert not representative.has_perm("support.view_request", support_request)
