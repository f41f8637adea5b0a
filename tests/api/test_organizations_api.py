"""/api/v1/organizations/: the registry's collection, its search and filters, and its writes."""

import pytest
from rest_framework.test import APIClient

from civicbridge.accounts.models import Membership
from civicbridge.core.models import ThematicArea
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/organizations/"
# count, page, thematic areas prefetch: 3 today; a little room, but not one per row. The API
# draws no menu, so nothing else is read (and nothing is cached).
LIST_MAX_QUERIES = 4


def detail_url(organization):
    return f"{LIST_URL}{organization.pk}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def valid_payload(territory, **overrides):
    payload = {
        "name": "Fundacja Nowa Nadzieja",
        "kind": "ngo",
        "legal_form": "foundation",
        "territory": territory.pk,
        "description": "Wspieramy seniorów.",
    }
    payload.update(overrides)
    return payload


# --- list -----------------------------------------------------------------------------------


def test_list_is_paginated(api, organization):
    response = api.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    assert body["results"][0]["id"] == organization.pk


def test_list_row_holds_the_public_fields(api, organization):
    row = api.get(LIST_URL).json()["results"][0]

    assert row["name"] == organization.name
    assert row["territory"] == organization.territory_id
    assert row["url"] == organization.get_absolute_url()
    assert "search_document" not in row
    assert "verified_by" not in row


def test_list_pages_follow_the_default_page_size(api, municipality):
    OrganizationFactory.create_batch(21, territory=municipality)

    body = api.get(LIST_URL).json()

    assert body["count"] == 21
    assert len(body["results"]) == 20
    assert "page=2" in body["next"]


def test_page_size_up_to_100_is_honoured(api, municipality):
    OrganizationFactory.create_batch(101, territory=municipality)

    body = api.get(LIST_URL, {"page_size": 100}).json()

    assert len(body["results"]) == 100
    assert body["next"]


def test_page_size_above_100_is_capped_at_100(api, municipality):
    OrganizationFactory.create_batch(101, territory=municipality)

    body = api.get(LIST_URL, {"page_size": 1000}).json()

    assert len(body["results"]) == 100


def test_small_page_size_is_honoured(api, municipality):
    OrganizationFactory.create_batch(3, territory=municipality)

    body = api.get(LIST_URL, {"page_size": 2}).json()

    assert len(body["results"]) == 2
    assert body["count"] == 3


def test_page_beyond_the_last_gives_404_json(api, organization):
    response = api.get(LIST_URL, {"page": 99})

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("count", [5, 40])
def test_list_runs_a_bounded_number_of_queries(api, municipality, count, django_assert_max_num_queries):
    areas = list(ThematicArea.objects.all()[:3])
    for organization in OrganizationFactory.create_batch(count, territory=municipality):
        organization.thematic_areas.set(areas)

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = api.get(LIST_URL, {"page_size": 100})

    assert len(response.json()["results"]) == count
    assert all(len(row["thematic_areas"]) == 3 for row in response.json()["results"])


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def friends_of_children(municipality):
    return OrganizationFactory(
        name="Stowarzyszenie Przyjaciół Dzieci", description="Pomagamy rodzinom w potrzebie.",
        territory=municipality,
    )


@pytest.fixture
def football_club(municipality):
    return OrganizationFactory(name="Klub Sportowy Odra", description="Piłka nożna dla młodzieży.", territory=municipality)


@pytest.mark.parametrize(
    "query",
    ["przyjaciele", "Przyjaciół", "przyjaciol", "rodzina", "stowarzyszenia", "dziecko"],
)
def test_search_finds_polish_word_forms(api, friends_of_children, football_club, query):
    response = api.get(LIST_URL, {"search": query})

    assert response.status_code == 200
    assert names(response) == {"Stowarzyszenie Przyjaciół Dzieci"}


def test_search_needs_every_word(api, friends_of_children, football_club):
    response = api.get(LIST_URL, {"search": "przyjaciele odra"})

    assert response.json()["count"] == 0


def test_search_finds_by_word_prefix(api, friends_of_children, football_club):
    response = api.get(LIST_URL, {"search": "sporto"})

    assert names(response) == {"Klub Sportowy Odra"}


def test_empty_search_lists_everything(api, friends_of_children, football_club):
    assert api.get(LIST_URL, {"search": ""}).json()["count"] == 2


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "a OR", "'; DROP TABLE x; --", "\u0130stanbul?!", "ąę-*"])
def test_search_with_query_syntax_characters_does_not_fail(api, friends_of_children, query):
    response = api.get(LIST_URL, {"search": query})

    assert response.status_code == 200


def test_search_follows_later_edits(api, friends_of_children, representative):
    MembershipFactory(user=representative, organization=friends_of_children)

    as_user(representative).patch(detail_url(friends_of_children), {"name": "Fundacja Zielony Ogród"}, format="json")

    assert names(api.get(LIST_URL, {"search": "ogrody"})) == {"Fundacja Zielony Ogród"}
    assert api.get(LIST_URL, {"search": "przyjaciele"}).json()["count"] == 0


# --- filters -------------------------------------------------------------------------------------


def test_filter_by_kind(api, organization):
    body = PublicBodyFactory(territory=organization.territory)

    response = api.get(LIST_URL, {"kind": "public_body"})

    assert names(response) == {body.name}


def test_filter_by_several_kinds(api, organization):
    body = PublicBodyFactory(territory=organization.territory)
    OrganizationFactory(kind=Organization.Kind.BUSINESS, territory=organization.territory)

    response = api.get(f"{LIST_URL}?kind=public_body&kind=ngo")

    assert names(response) == {body.name, organization.name}


def test_unknown_kind_gives_400_with_a_message(api, organization):
    response = api.get(LIST_URL, {"kind": "spaceship"})

    assert response.status_code == 400
    assert response.json()["kind"]


def test_filter_by_county_includes_its_municipalities(api, county, municipality, other_county):
    in_municipality = OrganizationFactory(territory=municipality)
    in_county = OrganizationFactory(territory=county)
    OrganizationFactory(territory=other_county.children.first())
    OrganizationFactory(territory=other_county)

    response = api.get(LIST_URL, {"territory": county.pk})

    assert names(response) == {in_municipality.name, in_county.name}


def test_filter_by_region_includes_every_level_below(api, region, county, municipality, other_county):
    OrganizationFactory.create(territory=municipality)
    OrganizationFactory.create(territory=other_county)
    OrganizationFactory.create(territory=region)

    assert api.get(LIST_URL, {"territory": region.pk}).json()["count"] == 3


def test_filter_by_municipality_leaves_out_its_county(api, county, municipality):
    in_municipality = OrganizationFactory(territory=municipality)
    OrganizationFactory(territory=county)

    assert names(api.get(LIST_URL, {"territory": municipality.pk})) == {in_municipality.name}


def test_filter_by_unknown_territory_gives_400(api, organization):
    response = api.get(LIST_URL, {"territory": 987654})

    assert response.status_code == 400
    assert response.json()["territory"]


def test_filter_by_thematic_area(api, municipality):
    youth = ThematicArea.objects.get(code="eu-youth")
    tagged = OrganizationFactory(territory=municipality)
    tagged.thematic_areas.add(youth)
    OrganizationFactory(territory=municipality)

    assert names(api.get(LIST_URL, {"thematic_area": youth.pk})) == {tagged.name}


def test_filter_by_verified(api, municipality):
    verified = OrganizationFactory(territory=municipality, is_verified=True)
    unverified = OrganizationFactory(territory=municipality)

    assert names(api.get(LIST_URL, {"verified": "true"})) == {verified.name}
    assert names(api.get(LIST_URL, {"verified": "false"})) == {unverified.name}


def test_filters_combine_with_search(api, county, other_county, municipality):
    OrganizationFactory(name="Koło Gospodyń Wiejskich w Nysie", territory=municipality)
    OrganizationFactory(name="Koło Gospodyń Wiejskich w Brzegu", territory=other_county)

    response = api.get(LIST_URL, {"search": "gospodynie", "territory": county.pk})

    assert names(response) == {"Koło Gospodyń Wiejskich w Nysie"}


# --- retrieve ------------------------------------------------------------------------------------------


def test_retrieve_one_organization(api, organization):
    response = api.get(detail_url(organization))

    assert response.status_code == 200
    assert response.json()["id"] == organization.pk
    assert response.json()["slug"] == organization.slug


def test_unknown_id_gives_404_json(api, db):
    response = api.get(f"{LIST_URL}987654/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_non_numeric_id_gives_404_json(api, db):
    response = api.get(f"{LIST_URL}not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_retrieve_runs_a_bounded_number_of_queries(api, organization, django_assert_max_num_queries):
    organization.thematic_areas.set(ThematicArea.objects.all()[:5])
    api.get(detail_url(organization))

    with django_assert_max_num_queries(3):
        response = api.get(detail_url(organization))

    assert len(response.json()["thematic_areas"]) == 5


# --- create --------------------------------------------------------------------------------------------------


def test_create_without_credentials_gives_401(api, municipality):
    response = api.post(LIST_URL, valid_payload(municipality), format="json")

    assert response.status_code == 401
    assert not Organization.objects.exists()


def test_create_by_a_user_answers_201(user, municipality):
    response = as_user(user).post(LIST_URL, valid_payload(municipality), format="json")

    assert response.status_code == 201
    created = Organization.objects.get(pk=response.json()["id"])
    assert created.name == "Fundacja Nowa Nadzieja"
    assert response.json()["slug"] == created.slug == "fundacja-nowa-nadzieja"


def test_creator_asks_to_be_the_representative_and_holds_no_role_until_approved(user, municipality):
    response = as_user(user).post(LIST_URL, valid_payload(municipality), format="json")

    membership = Membership.objects.get(user=user, organization_id=response.json()["id"])
    assert membership.status == Membership.Status.PENDING
    assert membership.origin == Membership.Origin.FOUNDER
    assert response.json()["registration"] == "pending"
    me = as_user(user).get("/api/v1/me/").json()
    assert me["roles"] == ["citizen"]
    assert me["organizations"] == []


def test_coordinator_creating_an_organization_does_not_become_its_representative(coordinator, municipality):
    response = as_user(coordinator).post(LIST_URL, valid_payload(municipality), format="json")

    assert response.status_code == 201
    assert not Membership.objects.filter(user=coordinator).exists()


def test_create_sets_thematic_areas(user, municipality):
    youth = ThematicArea.objects.get(code="eu-youth")

    response = as_user(user).post(
        LIST_URL, valid_payload(municipality, thematic_areas=[youth.pk]), format="json"
    )

    assert response.json()["thematic_areas"] == [youth.pk]
    assert list(Organization.objects.get(pk=response.json()["id"]).thematic_areas.all()) == [youth]


def test_created_organization_is_found_by_search(api, user, municipality):
    as_user(user).post(LIST_URL, valid_payload(municipality), format="json")

    assert names(api.get(LIST_URL, {"search": "nadzieje"})) == {"Fundacja Nowa Nadzieja"}


def test_create_with_an_invalid_registry_number_gives_400_for_that_field(user, municipality):
    response = as_user(user).post(
        LIST_URL, valid_payload(municipality, registry_type="krs", registry_number="123"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["registry_number"]
    assert response.json()["registry_number"][0]
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_create_with_a_valid_krs_number_stores_it_normalized(user, municipality):
    response = as_user(user).post(
        LIST_URL, valid_payload(municipality, registry_type="krs", registry_number="0000 123 456"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["registry_number"] == "0000123456"


def test_create_with_a_taken_registry_number_gives_400_and_writes_nothing(user, municipality):
    OrganizationFactory(registry_type="krs", registry_number="0000123456", territory=municipality)

    response = as_user(user).post(
        LIST_URL, valid_payload(municipality, registry_type="krs", registry_number="0000123456"), format="json"
    )

    assert response.status_code == 400
    assert Organization.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()


def test_taken_registry_number_is_reported_at_the_registry_number_field(user, municipality):
    OrganizationFactory(registry_type="krs", registry_number="0000123456", territory=municipality)

    response = as_user(user).post(
        LIST_URL, valid_payload(municipality, registry_type="krs", registry_number="0000123456"), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["registry_number"]


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_field_message_follows_accept_language(user, municipality, language):
    payload = valid_payload(municipality, registry_type="krs", registry_number="123")
    english = as_user(user).post(LIST_URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    response = as_user(user).post(LIST_URL, payload, format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response["Content-Language"] == language
    message = response.json()["registry_number"][0]
    assert message and message != english.json()["registry_number"][0]
    assert not Organization.objects.exists()


def test_permission_message_follows_accept_language(user, organization):
    english = as_user(user).patch(detail_url(organization), {"name": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    polish = as_user(user).patch(detail_url(organization), {"name": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="pl")

    assert polish.status_code == 403
    assert polish.json()["detail"] != english.json()["detail"]


def test_create_without_required_fields_names_each_field(user, db):
    response = as_user(user).post(LIST_URL, {}, format="json")

    assert response.status_code == 400
    assert {"name", "kind", "territory"} <= set(response.json())
    assert not Organization.objects.exists()


def test_create_cannot_set_verified(user, municipality):
    response = as_user(user).post(LIST_URL, valid_payload(municipality, is_verified=True), format="json")

    assert response.status_code == 201
    assert Organization.objects.get(pk=response.json()["id"]).is_verified is False


# --- update and delete ---------------------------------------------------------------------------------------------


def test_representative_updates_their_organization(representative, organization):
    response = as_user(representative).patch(detail_url(organization), {"phone": "+48 77 000 00 00"}, format="json")

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.phone == "+48 77 000 00 00"


def test_another_user_cannot_update_and_nothing_changes(user, organization):
    response = as_user(user).patch(detail_url(organization), {"name": "Przejęta"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"]
    organization.refresh_from_db()
    assert organization.name != "Przejęta"


def test_representative_of_another_organization_cannot_update(organization, municipality):
    other_representative = UserFactory()
    MembershipFactory(user=other_representative, organization=OrganizationFactory(territory=municipality))

    response = as_user(other_representative).patch(detail_url(organization), {"name": "Przejęta"}, format="json")

    assert response.status_code == 403


def test_pending_claimant_cannot_update(organization):
    claimant = UserFactory()
    MembershipFactory(user=claimant, organization=organization, status=Membership.Status.PENDING)

    response = as_user(claimant).patch(detail_url(organization), {"name": "Przejęta"}, format="json")

    assert response.status_code == 403


def test_anonymous_update_gives_401(api, organization):
    response = api.patch(detail_url(organization), {"name": "Przejęta"}, format="json")

    assert response.status_code == 401


def test_coordinator_updates_any_organization(coordinator, organization):
    response = as_user(coordinator).patch(detail_url(organization), {"name": "Nowa Nazwa"}, format="json")

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.name == "Nowa Nazwa"


def test_full_update_by_put_works_for_the_representative(representative, organization, municipality):
    response = as_user(representative).put(
        detail_url(organization), valid_payload(municipality, name="Zupełnie Nowa"), format="json"
    )

    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.name == "Zupełnie Nowa"


def test_update_with_an_invalid_registry_number_gives_400_and_changes_nothing(representative, organization):
    response = as_user(representative).patch(
        detail_url(organization), {"registry_type": "regon", "registry_number": "123456789", "phone": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["registry_number"]
    organization.refresh_from_db()
    assert organization.registry_number == ""
    assert organization.phone == ""


def test_representative_cannot_verify_their_organization(representative, organization):
    response = as_user(representative).patch(detail_url(organization), {"is_verified": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_verified"] is False
    organization.refresh_from_db()
    assert organization.is_verified is False


def test_representative_cannot_delete(representative, organization):
    response = as_user(representative).delete(detail_url(organization))

    assert response.status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_another_user_cannot_delete(user, organization):
    assert as_user(user).delete(detail_url(organization)).status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_anonymous_delete_gives_401(api, organization):
    assert api.delete(detail_url(organization)).status_code == 401
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_coordinator_deletes(coordinator, organization):
    response = as_user(coordinator).delete(detail_url(organization))

    assert response.status_code == 204
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_delete_of_an_unknown_id_gives_404(coordinator, db):
    assert as_user(coordinator).delete(f"{LIST_URL}987654/").status_code == 404
