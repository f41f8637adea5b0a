"""Memberships: claims and invitations, the coordinator's decision, and the roles that follow."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError

from civicbridge.accounts import services
from civicbridge.accounts.models import Membership
from civicbridge.core.notifications import deliver_due
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

PENDING_URL = "/en/accounts/memberships/pending/"
# Session, user, the pending list with its joins (3 today), a little room for context processors;
# an N+1 on user, organization, territory or inviter blows it with 15 rows.
PENDING_PAGE_MAX_QUERIES = 6


def decide_url(membership):
    return f"/en/accounts/memberships/{membership.pk}/decide/"


def claim_url(organization):
    return f"/en/organizations/{organization.slug}/claim/"


def invite_url(organization):
    return f"/en/organizations/{organization.slug}/invite/"


def delivered():
    """What the worker sends of the mail queued so far (core.notifications)."""
    deliver_due()
    return mail.outbox


def mails_to(address):
    return [message for message in delivered() if address in message.to]


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def claimant(db):
    return UserFactory()


@pytest.fixture
def pending_claim(claimant, organization):
    return MembershipFactory(
        user=claimant, organization=organization,
        status=Membership.Status.PENDING, origin=Membership.Origin.CLAIM, message="I chair the board.",
    )


# --- claims ------------------------------------------------------------------------------


def test_claim_creates_a_pending_membership(client, claimant, organization, django_capture_on_commit_callbacks):
    client.force_login(claimant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim_url(organization), {"message": "I chair the board."})

    assert response.status_code == 302
    membership = Membership.objects.get(user=claimant, organization=organization)
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.CLAIM
    assert membership.message == "I chair the board."


def test_claim_notifies_the_coordinators(client, claimant, coordinator, organization, django_capture_on_commit_callbacks):
    client.force_login(claimant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(claim_url(organization), {"message": "I chair the board."})

    assert len(mails_to(coordinator.email)) == 1
    assert PENDING_URL in mails_to(coordinator.email)[0].body


def test_claim_does_not_make_the_claimant_a_representative(client, claimant, organization):
    client.force_login(claimant)

    client.post(claim_url(organization), {"message": "I chair the board."})

    assert not claimant.has_perm("directory.change_organization", organization)
    claimant.refresh_from_db()
    assert claimant.roles == ["citizen"]


def test_claim_without_a_message_is_refused(client, claimant, organization):
    client.force_login(claimant)

    response = client.post(claim_url(organization), {"message": ""})

    assert response.status_code == 302
    assert message_texts(response)
    assert not Membership.objects.filter(user=claimant).exists()


def test_anonymous_claim_is_sent_to_log_in(client, organization):
    response = client.post(claim_url(organization), {"message": "I chair the board."})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Membership.objects.exists()


def test_second_claim_through_the_page_gives_a_message_and_no_second_row(client, pending_claim):
    client.force_login(pending_claim.user)

    response = client.post(claim_url(pending_claim.organization), {"message": "Again."})

    assert response.status_code == 302
    assert message_texts(response)
    assert Membership.objects.filter(user=pending_claim.user).count() == 1


def test_duplicate_claim_is_refused_by_the_unique_constraint(pending_claim):
    with pytest.raises(ValidationError):
        services.claim_organization(
            user=pending_claim.user, organization=pending_claim.organization, message="Again."
        )

    assert Membership.objects.filter(user=pending_claim.user, organization=pending_claim.organization).count() == 1


def test_database_refuses_a_second_membership_of_the_same_person_and_organization(pending_claim):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=pending_claim.user, organization=pending_claim.organization, origin=Membership.Origin.CLAIM
        )


# --- the coordinator's list ---------------------------------------------------------------


def test_coordinator_sees_the_pending_claim(client, coordinator, pending_claim):
    client.force_login(coordinator)

    response = client.get(PENDING_URL)

    assert response.status_code == 200
    assert list(response.context["memberships"]) == [pending_claim]
    assert pending_claim.user.username in response.content.decode()
    assert decide_url(pending_claim) in response.content.decode()


def test_pending_list_leaves_out_decided_memberships(client, coordinator, representative, pending_claim):
    client.force_login(coordinator)

    response = client.get(PENDING_URL)

    assert representative.username not in response.content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_pending_list_runs_a_bounded_number_of_queries(client, coordinator, count, django_assert_max_num_queries):
    claimant, inviter = UserFactory(), UserFactory()
    for _ in range(count):
        MembershipFactory(user=claimant, status=Membership.Status.PENDING,
                          origin=Membership.Origin.INVITATION, invited_by=inviter)
    client.force_login(coordinator)

    with django_assert_max_num_queries(PENDING_PAGE_MAX_QUERIES):
        response = client.get(PENDING_URL)

    assert len(response.context["memberships"]) == count


def test_citizen_cannot_see_the_pending_list(client, user, pending_claim):
    client.force_login(user)

    response = client.get(PENDING_URL)

    assert response.status_code == 403


def test_representative_cannot_see_the_pending_list(client, representative, pending_claim):
    client.force_login(representative)

    assert client.get(PENDING_URL).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in_from_the_pending_list(client, pending_claim):
    response = client.get(PENDING_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- decisions -----------------------------------------------------------------------------


def test_coordinator_approves_a_claim(client, coordinator, pending_claim, django_capture_on_commit_callbacks):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(pending_claim), {"decision": "approve"})

    assert response.status_code == 302
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.APPROVED
    assert pending_claim.decided_by == coordinator
    assert pending_claim.decided_at is not None


def test_approved_claimant_gets_one_email(client, coordinator, pending_claim, django_capture_on_commit_callbacks):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(pending_claim), {"decision": "approve"})

    received = mails_to(pending_claim.user.email)
    assert len(received) == 1
    assert pending_claim.organization.name in received[0].subject
    assert pending_claim.organization.get_absolute_url() in received[0].body


def test_decision_email_is_in_the_claimants_language(client, coordinator, organization, django_capture_on_commit_callbacks):
    english = MembershipFactory(user=UserFactory(preferred_language="en"), organization=organization,
                                status=Membership.Status.PENDING, origin=Membership.Origin.CLAIM)
    polish = MembershipFactory(user=UserFactory(preferred_language="pl"), organization=organization,
                               status=Membership.Status.PENDING, origin=Membership.Origin.CLAIM)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(english), {"decision": "approve"}, HTTP_ACCEPT_LANGUAGE="en")
        client.post(decide_url(polish), {"decision": "approve"}, HTTP_ACCEPT_LANGUAGE="en")

    assert mails_to(polish.user.email)[0].subject != mails_to(english.user.email)[0].subject


def test_approved_claimant_may_edit_the_organization(client, coordinator, pending_claim):
    client.force_login(coordinator)

    client.post(decide_url(pending_claim), {"decision": "approve"})

    assert pending_claim.user.has_perm("directory.change_organization", pending_claim.organization)


def test_coordinator_rejects_a_claim(client, coordinator, pending_claim, django_capture_on_commit_callbacks):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide_url(pending_claim), {"decision": "reject"})

    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.REJECTED
    assert len(mails_to(pending_claim.user.email)) == 1
    assert not pending_claim.user.has_perm("directory.change_organization", pending_claim.organization)


def test_decision_without_a_choice_does_not_approve(client, coordinator, pending_claim):
    client.force_login(coordinator)

    client.post(decide_url(pending_claim), {})

    pending_claim.refresh_from_db()
    assert pending_claim.status != Membership.Status.APPROVED


def test_citizen_cannot_decide_and_nothing_changes(client, user, pending_claim, django_capture_on_commit_callbacks):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(pending_claim), {"decision": "approve"})

    assert response.status_code == 403
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.PENDING
    assert pending_claim.decided_by is None
    assert delivered() == []


def test_representative_cannot_approve_a_claim_on_their_own_organization(client, representative, pending_claim):
    client.force_login(representative)

    response = client.post(decide_url(pending_claim), {"decision": "approve"})

    assert response.status_code == 403
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.PENDING


def test_claimant_cannot_approve_their_own_claim(client, pending_claim):
    client.force_login(pending_claim.user)

    response = client.post(decide_url(pending_claim), {"decision": "approve"})

    assert response.status_code == 403
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.PENDING


def test_decide_by_get_is_not_allowed(client, coordinator, pending_claim):
    client.force_login(coordinator)

    response = client.get(decide_url(pending_claim) + "?decision=approve")

    assert response.status_code == 405
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.PENDING


def test_deciding_an_unknown_membership_gives_404(client, coordinator, db):
    client.force_login(coordinator)

    response = client.post("/en/accounts/memberships/987654/decide/", {"decision": "approve"})

    assert response.status_code == 404


def test_deciding_twice_gives_a_message_not_an_error(client, coordinator, pending_claim, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    client.post(decide_url(pending_claim), {"decision": "approve"})
    assert len(delivered()) == 1  # the approval
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(pending_claim), {"decision": "reject"})

    assert response.status_code == 302
    assert any("already" in text for text in message_texts(response))
    pending_claim.refresh_from_db()
    assert pending_claim.status == Membership.Status.APPROVED
    assert delivered() == []


# --- invitations -------------------------------------------------------------------------------


def test_invitation_by_a_representative_waits_for_a_coordinator(client, representative, organization, claimant):
    client.force_login(representative)

    client.post(invite_url(organization), {"email": claimant.email})

    membership = Membership.objects.get(user=claimant, organization=organization)
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.INVITATION
    assert membership.invited_by == representative


def test_invitation_by_a_coordinator_is_approved_at_once(client, coordinator, organization, claimant):
    client.force_login(coordinator)

    client.post(invite_url(organization), {"email": claimant.email})

    membership = Membership.objects.get(user=claimant, organization=organization)
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == coordinator


def test_invitation_finds_the_person_whatever_the_case_of_the_email(client, representative, organization, claimant):
    client.force_login(representative)

    client.post(invite_url(organization), {"email": claimant.email.upper()})

    assert Membership.objects.filter(user=claimant, organization=organization).exists()


def test_invitation_of_an_unknown_email_gives_a_message(client, representative, organization):
    client.force_login(representative)
    before = Membership.objects.count()

    response = client.post(invite_url(organization), {"email": "stranger@example.org"})

    assert response.status_code == 302
    assert message_texts(response)
    assert Membership.objects.count() == before


def test_invitation_of_an_inactive_account_gives_a_message(client, representative, organization):
    inactive = UserFactory(is_active=False)
    client.force_login(representative)

    response = client.post(invite_url(organization), {"email": inactive.email})

    assert message_texts(response)
    assert not Membership.objects.filter(user=inactive).exists()


def test_invitation_of_someone_already_representing_gives_a_message(client, coordinator, representative, organization):
    client.force_login(coordinator)

    response = client.post(invite_url(organization), {"email": representative.email})

    assert message_texts(response)
    assert Membership.objects.filter(user=representative, organization=organization).count() == 1


def test_citizen_cannot_invite_to_an_organization_they_do_not_represent(client, user, organization, claimant):
    client.force_login(user)

    response = client.post(invite_url(organization), {"email": claimant.email})

    assert response.status_code == 403
    assert not Membership.objects.filter(user=claimant).exists()


def test_pending_member_cannot_invite(client, pending_claim):
    invitee = UserFactory()
    client.force_login(pending_claim.user)

    response = client.post(invite_url(pending_claim.organization), {"email": invitee.email})

    assert response.status_code == 403
    assert not Membership.objects.filter(user=invitee).exists()


# --- roles ----------------------------------------------------------------------------------------


def roles_of(user):
    fresh = type(user).objects.prefetch_related("memberships__organization").get(pk=user.pk)
    return fresh.roles


def test_registered_person_without_memberships_is_a_citizen(user):
    assert roles_of(user) == ["citizen"]


def test_approved_member_of_an_ngo_is_a_representative(user):
    MembershipFactory(user=user, organization=OrganizationFactory(kind=Organization.Kind.NGO))

    assert roles_of(user) == ["citizen", "representative"]


def test_approved_member_of_a_public_body_is_an_officer(user):
    MembershipFactory(user=user, organization=PublicBodyFactory())

    assert roles_of(user) == ["citizen", "officer"]


def test_approved_member_of_a_municipality_is_an_officer(user):
    MembershipFactory(user=user, organization=PublicBodyFactory(kind=Organization.Kind.MUNICIPALITY))

    assert roles_of(user) == ["citizen", "officer"]


def test_member_of_both_kinds_has_both_roles(user):
    MembershipFactory(user=user, organization=OrganizationFactory())
    MembershipFactory(user=user, organization=PublicBodyFactory())

    assert roles_of(user) == ["citizen", "representative", "officer"]


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.REJECTED])
def test_membership_not_approved_gives_no_role(user, status):
    MembershipFactory(user=user, organization=OrganizationFactory(), status=status)
    MembershipFactory(user=user, organization=PublicBodyFactory(), status=status)

    assert roles_of(user) == ["citizen"]


def test_coordinator_flag_adds_the_coordinator_role(coordinator):
    assert roles_of(coordinator) == ["citizen", "coordinator"]


def test_coordinator_who_represents_an_ngo_has_both_roles(coordinator):
    MembershipFactory(user=coordinator, organization=OrganizationFactory())

    assert roles_of(coordinator) == ["citizen", "representative", "coordinator"]
