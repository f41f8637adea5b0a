"""Organizations abroad: registered with a country and a city, shown as foreign, found by
country and by city; every entry has a country, and none is nowhere."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import override_settings
from rest_framework.test import APIClient

from civicbridge.accounts.models import Membership
from civicbridge.directory import selectors, services
from civicbridge.directory.models import Organization, OrganizationTally
from tests.directory.factories import OrganizationFactory

CREATE_URL = "/en/organizations/new/"
LIST_URL = "/en/organizations/"
API_URL = "/api/v1/organizations/"
LIST_QUERIES = 8


def _foreign(**overrides):
    data = {
        "name": "Verein Brücken Dresden", "kind": "ngo", "country": "DE", "city": "Dresden",
        "registry_number": "VR 1234", "pic": "999123456",
    }
    data.update(overrides)
    return data


@pytest.fixture
def dresden(coordinator):
    return services.create_organization(by=coordinator, data=_foreign())


# --- service and constraint -------------------------------------------------------------------


def test_an_organization_abroad_is_registered_with_its_country_city_number_and_pic(user):
    organization = services.create_organization(by=user, data=_foreign())

    organization.refresh_from_db()
    assert organization.territory is None
    assert (organization.country, organization.city, organization.pic) == ("DE", "Dresden", "999123456")
    assert organization.registry_type == Organization.RegistryType.FOREIGN
    assert organization.registry_number == "VR 1234"
    assert organization.is_foreign
    # As any registration by a person who is not a coordinator: they wait for approval.
    assert Membership.objects.filter(user=user, organization=organization, status="pending").exists()


def test_the_coordinators_approval_list_places_an_organization_abroad_in_its_city_and_country(client, user, coordinator):
    services.create_organization(by=user, data=_foreign())
    client.force_login(coordinator)

    page = client.get("/pl/accounts/memberships/pending/").content.decode()

    assert "Verein Brücken Dresden" in page and "Dresden, Niemcy" in page


def test_a_domestic_organization_takes_its_country_from_its_territory(user, municipality):
    organization = services.create_organization(
        by=user, data={"name": "Fundacja Nyska", "kind": "ngo", "territory": municipality}
    )

    assert organization.country == "PL"
    assert not organization.is_foreign


def test_an_organization_abroad_needs_a_city(user):
    with pytest.raises(ValidationError) as error:
        services.create_organization(by=user, data=_foreign(city=" "))

    assert "city" in error.value.message_dict
    assert not Organization.objects.exists()


def test_an_organization_of_this_country_needs_its_territory(user):
    with pytest.raises(ValidationError) as error:
        services.create_organization(by=user, data=_foreign(country="PL", city="Nysa"))

    assert "territory" in error.value.message_dict


def test_an_unknown_country_is_refused(user):
    with pytest.raises(ValidationError) as error:
        services.create_organization(by=user, data=_foreign(country="ZZ"))

    assert "country" in error.value.message_dict


@pytest.mark.parametrize("pic", ["12345678", "1234567890", "12345678A"])
def test_a_pic_that_is_not_nine_digits_is_refused(user, pic):
    with pytest.raises(ValidationError) as error:
        services.create_organization(by=user, data=_foreign(pic=pic))

    assert "9 digits" in " ".join(error.value.message_dict["pic"])


def test_an_organization_abroad_cannot_claim_a_polish_register(user):
    with pytest.raises(ValidationError) as error:
        services.create_organization(by=user, data=_foreign(registry_type="krs", registry_number="0000123456"))

    assert "registry_type" in error.value.message_dict


def test_the_same_foreign_number_may_exist_in_two_countries_but_not_twice_in_one(coordinator):
    services.create_organization(by=coordinator, data=_foreign())
    services.create_organization(by=coordinator, data=_foreign(name="Associazione Ponti", country="IT", city="Roma"))

    with pytest.raises(ValidationError) as error:
        services.create_organization(by=coordinator, data=_foreign(name="Andere Brücken", city="Leipzig"))

    assert "registry_number" in error.value.message_dict


def test_the_database_refuses_an_organization_with_neither_territory_nor_country_and_city(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Nigdzie", slug="nigdzie", kind="ngo", country="DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Nigdzie", slug="nigdzie", kind="ngo", city="Dresden")


def test_the_registry_count_includes_organizations_abroad(dresden, organization):
    assert selectors.listed_count() == 2
    # Counted under no territory: no unit's count holds it.
    assert OrganizationTally.objects.filter(territory_id=0).aggregate(n=Sum("n"))["n"] == 1


# --- pages ------------------------------------------------------------------------------------


def test_a_person_registers_an_organization_abroad_through_the_form(client, user):
    client.force_login(user)

    response = client.post(CREATE_URL, {
        "name": "Associazione Ponti", "kind": "ngo", "country": "IT", "city": "Bologna",
        "registry_number": "BO-77", "pic": "912345678",
    })

    organization = Organization.objects.get()
    assert response.status_code == 302
    assert (organization.country, organization.city, organization.territory) == ("IT", "Bologna", None)


def test_the_form_names_countries_in_the_pages_language(client, user):
    client.force_login(user)

    assert ">Niemcy<" in client.get("/pl/organizations/new/").content.decode()
    assert ">Almanya<" in client.get("/tr/organizations/new/").content.decode()


def test_the_form_shows_the_missing_city_on_its_field(client, user):
    client.force_login(user)

    response = client.post(CREATE_URL, {"name": "Bez Miasta", "kind": "ngo", "country": "DE"})

    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_the_page_of_an_organization_abroad_names_its_country_and_marks_it(client, dresden):
    page = client.get(dresden.get_absolute_url()).content.decode()

    assert "badge-foreign" in page
    assert "Germany" in page
    assert "Dresden" in page
    assert "999123456" in page


def test_the_page_names_the_country_in_the_pages_language(client, dresden):
    assert "Niemcy" in client.get(f"/pl{dresden.get_absolute_url()[3:]}").content.decode()


def test_the_list_marks_organizations_abroad_within_its_query_budget(
    client, dresden, organization, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_QUERIES):
        page = client.get(LIST_URL).content.decode()

    assert page.count("badge-foreign") == 1
    assert "Dresden, Germany" in page


def test_the_list_filters_by_country_code_in_any_case(client, dresden, organization):
    for code in ("DE", "de"):
        response = client.get(LIST_URL, {"country": code})
        assert [o.name for o in response.context["page"].object_list] == [dresden.name]
    response = client.get(LIST_URL, {"country": "PL"})
    assert [o.name for o in response.context["page"].object_list] == [organization.name]


def test_a_bad_country_code_is_an_error_on_the_page_and_lists_nothing(client, dresden):
    response = client.get(LIST_URL, {"country": "XX"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "XX" in response.content.decode()


def test_search_finds_an_organization_abroad_by_its_city(client, dresden, organization):
    response = client.get(LIST_URL, {"q": "dresden"})

    assert [o.name for o in response.context["page"].object_list] == [dresden.name]


def test_search_finds_an_organization_abroad_by_its_country_in_another_language(client, dresden, organization):
    response = client.get(LIST_URL, {"q": "Niemcy"})

    assert [o.name for o in response.context["page"].object_list] == [dresden.name]


# --- API --------------------------------------------------------------------------------------


def test_the_api_filters_by_country_and_shows_the_new_fields(dresden, organization):
    rows = APIClient().get(API_URL, {"country": "de"}).json()["results"]

    assert [row["name"] for row in rows] == [dresden.name]
    assert rows[0]["country"] == "DE"
    assert rows[0]["city"] == "Dresden"
    assert rows[0]["territory"] is None
    assert rows[0]["is_foreign"] is True


def test_the_api_answers_400_naming_a_bad_country_code(dresden):
    response = APIClient().get(API_URL, {"country": "QQ"})

    assert response.status_code == 400
    assert "QQ" in " ".join(response.json()["country"])


def test_the_api_registers_an_organization_abroad(user):
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(API_URL, {"name": "Stichting Brug", "kind": "ngo", "country": "NL", "city": "Utrecht"}, format="json")

    assert response.status_code == 201, response.json()
    assert Organization.objects.get().country == "NL"


@override_settings(LANGUAGE_CODE="en")
def test_an_existing_domestic_entry_is_edited_without_choosing_a_country(client, representative, organization):
    client.force_login(representative)

    response = client.post(
        f"{organization.get_absolute_url()}edit/", {"name": "Nowa Nazwa", "kind": "ngo", "territory": organization.territory_id}
    )

    assert response.status_code == 302, response.context["form"].errors
    organization.refresh_from_db()
    assert (organization.name, organization.country) == ("Nowa Nazwa", "PL")


def test_factories_keep_the_country_of_the_territory(municipality):
    assert OrganizationFactory(territory=municipality).country == "PL"


def test_the_country_menu_shows_the_country_chosen_in_lower_case(client, dresden):
    page = client.get(LIST_URL, {"country": "de"}).content.decode()

    assert '<option value="DE" selected>Germany</option>' in page
