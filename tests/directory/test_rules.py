"""Who may do what in the registry: every role against every permission, allowed and forbidden."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civicbridge.accounts.models import Membership
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory

ROLES = ("anonymous", "citizen", "representative_of_this", "representative_of_another", "coordinator")


@pytest.fixture
def objects(municipality):
    """The organization under test, a public body with its plenipotentiary, and an unrelated NGO."""
    ngo = OrganizationFactory(territory=municipality)
    body = PublicBodyFactory(territory=municipality)
    return {
        "organization": ngo,
        "public_body": body,
        "plenipotentiary": PlenipotentiaryFactory(public_body=body),
        "another": OrganizationFactory(territory=municipality),
    }


def _person(role, subject, objects):
    """``subject`` is the organization the role is relative to (the NGO, or the public body)."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "citizen":
        return UserFactory()
    if role == "representative_of_this":
        return MembershipFactory(organization=subject).user
    if role == "representative_of_another":
        return MembershipFactory(organization=objects["another"]).user
    if role == "coordinator":
        return UserFactory(is_coordinator=True)
    raise AssertionError(role)


# permission -> (the object it is asked about, the organization "this" refers to), allowed roles
MATRIX = {
    "directory.change_organization": (("organization", "organization"), {"representative_of_this", "coordinator"}),
    "directory.verify_organization": (("organization", "organization"), {"coordinator"}),
    "directory.import_organizations": ((None, "organization"), {"coordinator"}),
    "directory.invite_representative": (("organization", "organization"), {"representative_of_this", "coordinator"}),
    "directory.add_plenipotentiary": (("public_body", "public_body"), {"representative_of_this", "coordinator"}),
    "directory.change_plenipotentiary": (("plenipotentiary", "public_body"), {"representative_of_this", "coordinator"}),
    "directory.delete_plenipotentiary": (("plenipotentiary", "public_body"), {"representative_of_this", "coordinator"}),
    "directory.delete_organization": (("organization", "organization"), {"coordinator"}),
}

CASES = [
    pytest.param(permission, role, role in allowed, id=f"{permission.split('.')[1]}-{role}")
    for permission, (_, allowed) in MATRIX.items()
    for role in ROLES
]


@pytest.mark.parametrize(("permission", "role", "allowed"), CASES)
def test_role_has_permission_only_where_the_matrix_says(objects, permission, role, allowed):
    (target, subject), _ = MATRIX[permission]
    person = _person(role, objects[subject], objects)
    obj = objects[target] if target else None

    assert person.has_perm(permission, obj) is allowed


@pytest.mark.parametrize("permission", ["directory.view_organization", "directory.view_plenipotentiary"])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_view_the_registry(objects, permission, role):
    assert _person(role, objects["organization"], objects).has_perm(permission, objects["organization"])


@pytest.mark.parametrize(("role", "allowed"), [(role, role != "anonymous") for role in ROLES])
def test_every_registered_person_may_register_an_organization(objects, role, allowed):
    assert _person(role, objects["organization"], objects).has_perm("directory.add_organization") is allowed


@pytest.mark.parametrize(("role", "allowed"), [(role, role != "anonymous") for role in ROLES])
def test_every_registered_person_may_claim_an_organization(objects, role, allowed):
    person = _person(role, objects["organization"], objects)

    assert person.has_perm("directory.claim_organization", objects["organization"]) is allowed


@pytest.mark.parametrize(
    "permission",
    ["directory.change_organization", "directory.invite_representative"],
)
@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.REJECTED])
def test_a_membership_not_approved_grants_nothing(objects, permission, status):
    person = MembershipFactory(organization=objects["organization"], status=status).user

    assert not person.has_perm(permission, objects["organization"])


@pytest.mark.parametrize("permission", ["directory.change_plenipotentiary", "directory.add_plenipotentiary"])
def test_a_pending_officer_cannot_manage_the_bodys_plenipotentiary(objects, permission):
    person = MembershipFactory(organization=objects["public_body"], status=Membership.Status.PENDING).user
    target = objects["plenipotentiary"] if permission.startswith("directory.change") else objects["public_body"]

    assert not person.has_perm(permission, target)


def test_a_representative_of_an_ngo_cannot_manage_a_public_bodys_plenipotentiary(objects):
    person = MembershipFactory(organization=objects["organization"]).user

    assert not person.has_perm("directory.change_plenipotentiary", objects["plenipotentiary"])
    assert not person.has_perm("directory.add_plenipotentiary", objects["public_body"])


def test_a_superuser_counts_as_a_coordinator(objects):
    superuser = UserFactory(is_superuser=True)

    assert superuser.has_perm("directory.verify_organization", objects["organization"])


def test_staff_status_alone_does_not_make_a_coordinator(objects):
    staff = UserFactory(is_staff=True)

    assert not staff.has_perm("directory.verify_organization", objects["organization"])
    assert not staff.has_perm("directory.import_organizations")


def test_a_deactivated_coordinator_loses_coordinator_permissions(objects):
    former = UserFactory(is_coordinator=True, is_active=False)

    assert not former.has_perm("directory.verify_organization", objects["organization"])
