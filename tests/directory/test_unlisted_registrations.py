"""A public body registered by someone who is not a coordinator is nobody's to see until approved.

Out of the list page, search, the API, the exports and partner matching; its page answers 404
to others while its registrant and coordinators see it marked as waiting.
"""

import pytest
from rest_framework.test import APIClient

from civicbridge.accounts import services as membership_services
from civicbridge.accounts.models import Membership
from civicbridge.core.selectors import site_search
from civicbridge.directory import services
from civicbridge.directory.models import Organization
from civicbridge.partners import matching
from tests.accounts.factories import UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

NAME = "Gmina Fikcyjna"


@pytest.fixture
def registrant(db):
    return UserFactory()


@pytest.fixture
def fake(registrant, municipality):
    return services.create_organization(
        by=registrant, data={"name": NAME, "kind": "municipality", "territory": municipality,
                             "description": "Urząd gminy fikcyjnej."},
    )


def test_a_public_body_registered_by_a_citizen_waits_and_is_not_listed(fake):
    assert fake.registration == Organization.Registration.PENDING
    assert not fake.is_listed
    assert not Organization.objects.listed().filter(pk=fake.pk).exists()


def test_an_ngo_registered_by_a_citizen_is_listed_while_its_founder_waits(registrant, municipality):
    ngo = services.create_organization(by=registrant, data={"name": "Klub Seniora", "kind": "ngo", "territory": municipality})

    assert ngo.registration == Organization.Registration.PENDING
    assert Organization.objects.listed().filter(pk=ngo.pk).exists()


def test_a_coordinators_registration_is_approved_at_once(coordinator, municipality):
    body = services.create_organization(by=coordinator, data={"name": "Gmina Prawdziwa", "kind": "municipality", "territory": municipality})

    assert body.registration == Organization.Registration.APPROVED
    assert Organization.objects.listed().filter(pk=body.pk).exists()


def test_the_list_page_leaves_it_out(client, fake, organization):
    response = client.get("/en/organizations/")

    assert NAME not in response.content.decode()
    assert organization.name in response.content.decode()


def test_the_list_page_search_leaves_it_out(client, fake):
    response = client.get("/en/organizations/", {"q": "Fikcyjna"})

    assert NAME not in response.content.decode()


def test_site_search_and_the_home_figures_leave_it_out(fake, organization):
    found = [result for group in site_search("Fikcyjna") for result in group["results"]]

    assert fake not in found
    from civicbridge.core.selectors import home_figures

    organizations = [figure for figure in home_figures() if str(figure["label"]) == "Organizations"]
    assert organizations[0]["count"] == 1


def test_the_api_list_and_search_leave_it_out(fake, registrant):
    for client in (APIClient(), _api(registrant)):
        assert NAME not in {row["name"] for row in client.get("/api/v1/organizations/").json()["results"]}
        assert client.get("/api/v1/organizations/", {"search": "Fikcyjna"}).json()["count"] == 0


def test_the_api_answers_404_for_it_to_others_and_shows_it_to_its_registrant_and_coordinators(fake, registrant, coordinator):
    url = f"/api/v1/organizations/{fake.pk}/"

    assert APIClient().get(url).status_code == 404
    assert _api(UserFactory()).get(url).status_code == 404
    mine = _api(registrant).get(url)
    assert mine.status_code == 200
    assert mine.json()["registration"] == "pending"
    assert _api(coordinator).get(url).status_code == 200


@pytest.mark.parametrize("export", ["export.csv", "export.xlsx"])
def test_the_exports_leave_it_out(client, fake, organization, export):
    response = client.get(f"/en/organizations/{export}")

    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export.endswith(".csv"):
        assert NAME not in content.decode()
        assert organization.name in content.decode()
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        names = [row[0] for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)]
        assert NAME not in names
        assert organization.name in names


def test_partner_matching_leaves_it_out(fake, organization, municipality):
    partner_request = PartnerRequestFactory(organization=organization, partner_kinds="municipality")

    found = [match.item for match in matching.organizations_for_request(partner_request)]

    assert fake not in found


def test_its_page_is_404_for_others(client, fake):
    assert client.get(fake.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(fake.get_absolute_url()).status_code == 404


def test_others_cannot_claim_it(client, fake):
    client.force_login(UserFactory())

    response = client.post(f"/en/organizations/{fake.slug}/claim/", {"message": "I am the mayor."})

    assert response.status_code == 404
    assert Membership.objects.filter(organization=fake).count() == 1


def test_its_registrant_sees_it_marked_as_waiting(client, fake, registrant):
    client.force_login(registrant)

    response = client.get(fake.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert "Waiting for approval." in body
    assert "Withdraw your request" in body
    assert f'action="/en/organizations/{fake.slug}/claim/"' not in body


def test_a_coordinator_sees_it_marked_as_waiting(client, fake, coordinator):
    client.force_login(coordinator)

    response = client.get(fake.get_absolute_url())

    assert response.status_code == 200
    assert "Waiting for approval." in response.content.decode()


def test_once_approved_it_is_listed_and_its_page_public(client, fake, coordinator):
    membership_services.decide_membership(
        membership=Membership.objects.get(organization=fake), by=coordinator, approve=True
    )

    assert client.get(fake.get_absolute_url()).status_code == 200
    assert NAME in client.get("/en/organizations/").content.decode()


def test_once_rejected_it_stays_unlisted_and_a_coordinator_may_delete_it(client, fake, coordinator, registrant):
    membership_services.decide_membership(
        membership=Membership.objects.get(organization=fake), by=coordinator, approve=False
    )

    assert client.get(fake.get_absolute_url()).status_code == 404
    client.force_login(registrant)
    assert "Registration rejected." in client.get(fake.get_absolute_url()).content.decode()
    services.delete_organization(organization=fake, by=coordinator)
    assert not Organization.objects.filter(pk=fake.pk).exists()


def test_the_registration_page_tells_the_registrant_what_happens_next(client, registrant, municipality):
    client.force_login(registrant)

    response = client.post(
        "/en/organizations/new/", {"name": "Gmina Nowa", "kind": "municipality", "territory": municipality.pk}, follow=True
    )

    assert "A public body is shown to others only after a coordinator approves" in response.content.decode()


def test_its_plenipotentiaries_are_not_listed_even_when_a_coordinator_could_add_one(fake, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_plenipotentiary(public_body=fake, by=coordinator, data={"full_name": "Jan Kowalski"})


def test_the_registry_size_counts_listed_entries_only(client, fake):
    OrganizationFactory.create_batch(2)

    assert "2 organizations" in client.get("/en/organizations/").content.decode()
    assert client.get("/api/v1/organizations/").json()["count"] == 2


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
