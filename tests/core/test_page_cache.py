"""The anonymous page cache: a write shows at once on the pages of what it changed, and no
other page is thrown away; the API's public lists are cached the same way, for anonymous
clients only."""

import pytest
from rest_framework.authtoken.models import Token

from civicbridge.directory import services as directory_services
from civicbridge.funding import services as funding_services
from tests.funding.factories import CallFactory

ORGANIZATIONS = "/en/organizations/"
CALLS = "/en/calls/"
API_CALLS = "/api/v1/calls/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS = 30


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a service as a request would: its cache bumps happen on commit."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def test_a_profile_edit_shows_at_once_on_its_page_and_leaves_the_lists_cached(client, organization, coordinator, write):
    client.get(organization.get_absolute_url())
    client.get(ORGANIZATIONS)

    write(directory_services.update_organization, organization=organization, by=coordinator,
          data={"description": "Nowy opis działalności"})

    detail = client.get(organization.get_absolute_url())
    assert detail["X-Page-Cache"] == "miss"
    assert "Nowy opis działalności" in detail.content.decode()
    assert client.get(ORGANIZATIONS)["X-Page-Cache"] == "hit"


def test_a_renamed_organization_shows_in_the_list_at_once_with_its_new_address(client, organization, coordinator, write):
    client.get(ORGANIZATIONS)

    renamed = write(directory_services.update_organization, organization=organization, by=coordinator,
                    data={"name": "Stowarzyszenie Nowa Nazwa"})

    page = client.get(ORGANIZATIONS).content.decode()
    assert "Stowarzyszenie Nowa Nazwa" in page
    assert renamed.get_absolute_url() in page


def test_an_organization_edit_does_not_throw_away_the_cached_calls(client, organization, coordinator, write):
    CallFactory()
    client.get(CALLS)

    write(directory_services.set_verified, organization=organization, by=coordinator, verified=True)

    assert client.get(CALLS)["X-Page-Cache"] == "hit"
    assert client.get(ORGANIZATIONS)["X-Page-Cache"] == "miss"


def test_a_changed_call_shows_at_once_on_the_calls_list(client, coordinator, write):
    call = CallFactory(title="Granty dla seniorów")
    client.get(CALLS)

    write(funding_services.update_call, call=call, by=coordinator, data={"title": "Granty dla młodzieży"})

    page = client.get(CALLS).content.decode()
    assert "Granty dla młodzieży" in page
    assert "Granty dla seniorów" not in page


def test_the_api_list_is_cached_for_anonymous_clients_and_a_change_shows_at_once(client, coordinator, write):
    call = CallFactory(title="Granty dla seniorów")
    assert client.get(API_CALLS)["X-Page-Cache"] == "miss"
    cached = client.get(API_CALLS)
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Content-Type"] == "application/json"
    assert cached.json()["results"][0]["title"] == "Granty dla seniorów"

    write(funding_services.update_call, call=call, by=coordinator, data={"title": "Granty dla młodzieży"})

    assert client.get(API_CALLS).json()["results"][0]["title"] == "Granty dla młodzieży"


def test_a_client_with_a_token_is_never_served_the_anonymous_api_list(client, coordinator):
    draft = CallFactory(published_at=None, title="Szkic naboru")
    client.get(API_CALLS)
    token = Token.objects.create(user=coordinator)

    response = client.get(API_CALLS, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert "X-Page-Cache" not in response
    assert draft.title in [call["title"] for call in response.json()["results"]]


def test_the_cached_api_list_keeps_the_format_the_client_asks_for(client, db):
    CallFactory()
    client.get(API_CALLS)

    browsable = client.get(API_CALLS, HTTP_ACCEPT="text/html")

    assert browsable["Content-Type"].startswith("text/html")


def test_a_membership_decision_shows_on_the_organizations_page_at_once(client, organization, coordinator, user, write):
    from civicbridge.accounts import services as account_services
    from tests.accounts.factories import MembershipFactory

    membership = MembershipFactory(user=user, organization=organization, status="pending")
    client.get(organization.get_absolute_url())

    write(account_services.decide_membership, membership=membership, by=coordinator, approve=True)

    page = client.get(organization.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert str(user) in page.content.decode()
