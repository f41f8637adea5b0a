"""Inviting an organization that fits to answer a partner request: the poster's representatives
only, once per organization and request (a database constraint), a few a day, by e-mail."""

import re
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from civicbridge.core.models import ThematicArea
from civicbridge.core.notifications import deliver_due
from civicbridge.partners import services
from civicbridge.partners.models import Invitation
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth():
    return ThematicArea.objects.get(code="eu-youth")


@pytest.fixture
def partner_request(organization, youth):
    return PartnerRequestFactory(organization=organization, thematic_areas=[youth])


@pytest.fixture
def candidate(municipality, youth):
    candidate = OrganizationFactory(name="Klub Młodych", territory=municipality)
    candidate.thematic_areas.add(youth)
    return candidate


@pytest.fixture
def candidate_representative(candidate):
    person = UserFactory(email="klub@example.org")
    MembershipFactory(user=person, organization=candidate)
    return person


def invite_url(partner_request):
    return f"/en{reverse('partners:invitation_create', args=[partner_request.pk])[3:]}"


def test_the_posters_representative_invites_an_organization_and_its_representatives_are_told(
    partner_request, representative, candidate, candidate_representative, mailoutbox
):
    invitation = services.invite_organization(
        by=representative, partner_request=partner_request, organization=candidate, message="Zapraszamy!"
    )
    deliver_due()

    assert invitation.invited_by == representative
    (mail,) = mailoutbox
    assert mail.to == ["klub@example.org"]
    assert partner_request.title in mail.subject
    assert "Zapraszamy!" in mail.body
    assert partner_request.get_absolute_url()[3:] in mail.body


def test_an_organization_is_invited_once_per_request(partner_request, representative, candidate, candidate_representative):
    services.invite_organization(by=representative, partner_request=partner_request, organization=candidate)

    with pytest.raises(ValidationError) as error:
        services.invite_organization(by=representative, partner_request=partner_request, organization=candidate)

    assert "already invited" in " ".join(error.value.messages)
    assert Invitation.objects.count() == 1


def test_the_database_refuses_a_second_invitation_of_the_same_organization(partner_request, candidate):
    Invitation.objects.create(request=partner_request, organization=candidate)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(request=partner_request, organization=candidate)


def test_a_representative_of_another_organization_may_not_invite(partner_request, candidate, candidate_representative):
    with pytest.raises(PermissionDenied):
        services.invite_organization(by=candidate_representative, partner_request=partner_request, organization=candidate)


def test_a_coordinator_who_does_not_represent_the_poster_may_not_invite(partner_request, coordinator, candidate, candidate_representative):
    with pytest.raises(PermissionDenied):
        services.invite_organization(by=coordinator, partner_request=partner_request, organization=candidate)


def test_an_organization_that_already_answered_is_not_invited(partner_request, representative, candidate, candidate_representative):
    ExpressionOfInterestFactory(request=partner_request, organization=candidate)

    with pytest.raises(ValidationError):
        services.invite_organization(by=representative, partner_request=partner_request, organization=candidate)


def test_the_poster_is_not_invited_to_its_own_request(partner_request, representative, organization):
    with pytest.raises(ValidationError):
        services.invite_organization(by=representative, partner_request=partner_request, organization=organization)


def test_invitations_are_limited_per_person_per_day(
    settings, partner_request, representative, municipality, candidate, candidate_representative
):
    settings.CIVICBRIDGE_PARTNER_INVITATIONS_PER_DAY = 1
    services.invite_organization(by=representative, partner_request=partner_request, organization=candidate)
    another = OrganizationFactory(territory=municipality)
    MembershipFactory(user=UserFactory(), organization=another)

    with pytest.raises(services.TooManyInvitations):
        services.invite_organization(by=representative, partner_request=partner_request, organization=another)


# --- pages ------------------------------------------------------------------------------------


def test_the_poster_invites_from_the_matches_and_the_row_then_says_invited(
    client, partner_request, representative, candidate, candidate_representative
):
    client.force_login(representative)
    page = client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()
    assert "Invite to answer" in page

    response = client.post(invite_url(partner_request), {"organization": candidate.pk})

    assert response.status_code == 302
    assert Invitation.objects.filter(request=partner_request, organization=candidate).exists()
    page = client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()
    assert "Invited to answer" in page


def test_another_organizations_representative_gets_403(client, partner_request, candidate, candidate_representative):
    client.force_login(candidate_representative)

    response = client.post(invite_url(partner_request), {"organization": candidate.pk})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_coordinator_gets_403_and_sees_no_invite_button(client, partner_request, coordinator, candidate, candidate_representative):
    client.force_login(coordinator)

    assert "Invite to answer" not in client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()
    assert client.post(invite_url(partner_request), {"organization": candidate.pk}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, partner_request, candidate):
    response = client.post(invite_url(partner_request), {"organization": candidate.pk})

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Invitation.objects.exists()


def test_a_second_invitation_through_the_page_is_refused_with_a_message(
    client, partner_request, representative, candidate, candidate_representative
):
    client.force_login(representative)
    client.post(invite_url(partner_request), {"organization": candidate.pk})

    response = client.post(invite_url(partner_request), {"organization": candidate.pk}, follow=True)

    assert Invitation.objects.count() == 1
    assert "already invited" in response.content.decode()


def test_past_the_days_limit_the_page_answers_429(
    client, settings, partner_request, representative, municipality, candidate, candidate_representative
):
    settings.CIVICBRIDGE_PARTNER_INVITATIONS_PER_DAY = 1
    another = OrganizationFactory(territory=municipality)
    MembershipFactory(user=UserFactory(), organization=another)
    client.force_login(representative)
    client.post(invite_url(partner_request), {"organization": candidate.pk})

    response = client.post(invite_url(partner_request), {"organization": another.pk})

    assert response.status_code == 429
    assert "24 hours" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_representatives_inviting_the_same_organization_at_once_make_one_invitation(
    partner_request, representative, organization, candidate, candidate_representative
):
    other = UserFactory()
    MembershipFactory(user=other, organization=organization)
    outcomes, barrier = [], threading.Barrier(2)

    def invite(person):
        barrier.wait()
        try:
            outcomes.append(services.invite_organization(by=person, partner_request=partner_request, organization=candidate))
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=invite, args=(person,)) for person in (representative, other)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    assert Invitation.objects.filter(request=partner_request, organization=candidate).count() == 1
    refused = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert len(refused) == 1 and "already invited" in refused[0]


def test_each_invitation_button_on_the_matches_posts_with_the_pages_csrf_token(
    partner_request, representative, candidate, candidate_representative, municipality, youth
):
    """The matches' forms carry the page's token (masked once for all of them) and the
    server takes it: an invitation from the second button is made."""
    second = OrganizationFactory(name="Klub Drugi", territory=municipality)
    second.thematic_areas.add(youth)
    MembershipFactory(user=UserFactory(), organization=second)
    client = Client(enforce_csrf_checks=True)
    client.force_login(representative)

    page = client.get(partner_request.get_absolute_url()).content.decode()
    forms = re.findall(
        r'<form method="post" action="([^"]+/invite/)">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
        r'\s*<input type="hidden" name="organization" value="(\d+)">', page,
    )

    assert {int(organization) for _action, _token, organization in forms} == {candidate.pk, second.pk}
    assert len({token for _action, token, _organization in forms}) == 1
    action, token, organization = forms[1]
    response = client.post(action, {"csrfmiddlewaretoken": token, "organization": organization})
    assert response.status_code == 302
    assert Invitation.objects.filter(request=partner_request, organization_id=int(organization)).exists()
