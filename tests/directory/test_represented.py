"""Whom a person may act for: their approved memberships of listed entries, the same in every app.

A registration rejected (or a public body still waiting) gives its members nothing to act on
(``rules.is_representative_of``): no form offers it, and it opens nothing a membership would.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Organization
from civicbridge.directory.selectors import represented_organization_ids, represented_organizations
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(municipality):
    return UserFactory()


@pytest.fixture
def listed(person, municipality):
    organization = OrganizationFactory(name="Stowarzyszenie Jawne", territory=municipality)
    MembershipFactory(user=person, organization=organization)
    return organization


@pytest.fixture
def rejected(person, municipality):
    """An entry whose registration a coordinator rejected, its membership approved before."""
    organization = OrganizationFactory(name="Fundacja Odrzucona", territory=municipality)
    MembershipFactory(user=person, organization=organization)
    Organization.objects.filter(pk=organization.pk).update(registration=Organization.Registration.REJECTED)
    return organization


@pytest.fixture
def waiting_membership(person, municipality):
    organization = OrganizationFactory(name="Klub Oczekujący", territory=municipality)
    MembershipFactory(user=person, organization=organization, status=Membership.Status.PENDING)
    return organization


def test_a_person_acts_only_for_listed_entries_they_were_approved_for(person, listed, rejected, waiting_membership):
    assert represented_organizations(person) == [listed]
    assert set(represented_organization_ids(person).values_list("pk", flat=True)) == {listed.pk}


def test_a_guest_and_a_deactivated_account_act_for_none(person, listed):
    assert represented_organizations(AnonymousUser()) == []
    assert not represented_organization_ids(AnonymousUser()).exists()
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert represented_organizations(person) == []
    assert not represented_organization_ids(person).exists()


def test_the_partner_request_form_offers_no_rejected_entry(client, person, listed, rejected):
    client.force_login(person)
    page = client.get("/en/partners/new/").content.decode()

    assert listed.name in page
    assert rejected.name not in page


def test_a_rejected_entry_alone_does_not_let_its_member_post_or_answer(client, person, rejected, municipality):
    client.force_login(person)
    assert not person.has_perm("partners.post_request")
    assert client.get("/en/partners/new/").status_code == 403

    elsewhere = PartnerRequestFactory(organization=OrganizationFactory(territory=municipality))
    assert not person.has_perm("partners.express_interest", elsewhere)


def test_a_closed_request_answered_by_a_rejected_entry_is_no_longer_its_members(person, rejected, municipality):
    closed = PartnerRequestFactory(organization=OrganizationFactory(territory=municipality), status="closed")
    ExpressionOfInterestFactory(request=closed, organization=rejected)

    assert not person.has_perm("partners.view_request", closed)


def test_the_support_request_form_offers_no_rejected_entry(client, person, listed, rejected):
    client.force_login(person)
    page = client.get("/en/support/new/").content.decode()

    assert listed.name in page
    assert rejected.name not in page
