"""Tax numbers: the NIP of a Polish organization and the VKN of a Turkish one, checked by their
check digit and stored as digits; abroad, as written. One per country, found by search."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from civicbridge.core import deployment
from civicbridge.core.models import Territory
from civicbridge.core.search import search
from civicbridge.directory import services
from civicbridge.directory.models import Organization
from civicbridge.directory.validators import normalize_tax_number, validate_tax_number
from tests.directory.factories import OrganizationFactory, nip, vkn

CREATE_URL = "/en/organizations/new/"
API_URL = "/api/v1/organizations/"


def _wrong_last_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


NIP = nip("000123456")
OTHER_NIP = nip("000765432")
VKN = vkn("000123456")


@pytest.fixture
def orhangazi(db):
    return Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")


def _data(territory, **overrides):
    return {"name": "Fundacja Podatkowa", "kind": Organization.Kind.NGO, "territory": territory, **overrides}


# --- validators -------------------------------------------------------------------------------


@pytest.mark.parametrize("first_nine", ["000123456", "000555111", "000100200"])
def test_a_nip_with_its_check_digit_is_accepted(first_nine):
    validate_tax_number("PL", nip(first_nine))


@pytest.mark.parametrize("number", [_wrong_last_digit(NIP), NIP[:-1], NIP + "0", "12345678AB"])
def test_a_nip_with_a_wrong_check_digit_or_length_is_refused_with_its_message(number):
    with pytest.raises(ValidationError) as caught:
        validate_tax_number("PL", normalize_tax_number("PL", number))

    assert caught.value.code == "nip"
    assert caught.value.messages == ["This is not a valid NIP: it needs 10 digits with a correct check digit."]


@pytest.mark.parametrize("first_nine", ["000123456", "000987654", "100000000"])
def test_a_vkn_with_its_check_digit_is_accepted(first_nine):
    validate_tax_number("TR", vkn(first_nine))


@pytest.mark.parametrize("number", [_wrong_last_digit(VKN), VKN[:-1], "ABCDEFGHIJ"])
def test_a_vkn_with_a_wrong_check_digit_or_length_is_refused_with_its_message(number):
    with pytest.raises(ValidationError) as caught:
        validate_tax_number("TR", normalize_tax_number("TR", number))

    assert caught.value.code == "vkn"
    assert "tax number (VKN)" in caught.value.messages[0]


@pytest.mark.parametrize(
    "written", [f" {NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]} ", f"{NIP[:3]}-{NIP[3:5]}-{NIP[5:7]}-{NIP[7:]}",
                f"PL {NIP}", f"{NIP[:3]} {NIP[3:6]} {NIP[6:8]} {NIP[8:]}"],
)
def test_a_nip_written_with_dashes_spaces_or_its_country_prefix_is_stored_as_digits(written):
    assert normalize_tax_number("PL", written) == NIP


def test_a_vkn_written_with_spaces_or_dashes_is_stored_as_digits():
    assert normalize_tax_number("TR", f"{VKN[:3]} {VKN[3:6]}-{VKN[6:]}") == VKN


def test_a_nip_in_other_digits_than_ascii_is_refused():
    arabic_indic = NIP.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    with pytest.raises(ValidationError):
        validate_tax_number("PL", normalize_tax_number("PL", arabic_indic))


def test_a_tax_number_of_another_country_is_kept_as_written_only_stripped():
    number = normalize_tax_number("DE", "  DE 123/456/78901 ")

    assert number == "DE 123/456/78901"
    validate_tax_number("DE", number)


# --- services ---------------------------------------------------------------------------------


def test_a_polish_organization_is_saved_with_its_nip_as_digits(user, municipality):
    organization = services.create_organization(
        by=user, data=_data(municipality, tax_number=f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}")
    )

    organization.refresh_from_db()
    assert organization.tax_number == NIP


def test_a_nip_with_a_bad_check_digit_is_refused_and_nothing_is_saved(user, municipality):
    with pytest.raises(ValidationError) as caught:
        services.create_organization(by=user, data=_data(municipality, tax_number=_wrong_last_digit(NIP)))

    assert caught.value.message_dict["tax_number"] == [
        "This is not a valid NIP: it needs 10 digits with a correct check digit."
    ]
    assert not Organization.objects.exists()


def test_a_turkish_organization_gives_a_vkn_not_a_nip(user, orhangazi):
    assert vkn(NIP[:9]) != NIP  # a NIP that is no VKN
    with pytest.raises(ValidationError) as caught:
        services.create_organization(by=user, data=_data(orhangazi, tax_number=NIP))
    assert caught.value.message_dict["tax_number"] == [
        "This is not a valid tax number (VKN): it needs 10 digits with a correct check digit."
    ]

    organization = services.create_organization(by=user, data=_data(orhangazi, tax_number=f" {VKN} "))

    assert organization.tax_number == VKN


def test_an_organization_abroad_keeps_its_tax_number_as_written(user):
    organization = services.create_organization(
        by=user, data={"name": "Verein Steuer", "kind": "ngo", "country": "DE", "city": "Dresden",
                       "tax_number": " DE 123/456/78901 "},
    )

    organization.refresh_from_db()
    assert organization.tax_number == "DE 123/456/78901"


def test_the_same_nip_cannot_be_registered_twice(coordinator, municipality):
    services.create_organization(by=coordinator, data=_data(municipality, tax_number=NIP))

    with pytest.raises(ValidationError) as caught:
        services.create_organization(
            by=coordinator, data=_data(municipality, name="Inna Fundacja", tax_number=f"PL {NIP}")
        )

    assert caught.value.message_dict["tax_number"] == ["An organization with this tax number is already registered."]
    assert Organization.objects.count() == 1


def test_an_edit_may_not_take_another_organizations_nip(coordinator, municipality):
    services.create_organization(by=coordinator, data=_data(municipality, tax_number=NIP))
    other = services.create_organization(by=coordinator, data=_data(municipality, name="Druga", tax_number=OTHER_NIP))

    with pytest.raises(ValidationError) as caught:
        services.update_organization(organization=other, by=coordinator, data={"tax_number": NIP})

    assert "tax_number" in caught.value.message_dict
    other.refresh_from_db()
    assert other.tax_number == OTHER_NIP


def test_the_same_tax_number_may_exist_in_two_countries(coordinator):
    for country, city in (("DE", "Dresden"), ("AT", "Wien")):
        services.create_organization(
            by=coordinator, data={"name": f"Verein {city}", "kind": "ngo", "country": country, "city": city,
                                  "tax_number": "12/345/67890"},
        )

    assert Organization.objects.filter(tax_number="12/345/67890").count() == 2


def test_the_database_refuses_a_second_organization_with_the_same_tax_number_in_a_country(municipality):
    OrganizationFactory(territory=municipality, tax_number=NIP)

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(territory=municipality, tax_number=NIP)


def test_organizations_without_a_tax_number_do_not_collide(municipality):
    OrganizationFactory.create_batch(2, territory=municipality, tax_number="")

    assert Organization.objects.filter(tax_number="").count() == 2


# --- the form and the page ---------------------------------------------------------------------


def _post(client, url=CREATE_URL, **fields):
    return client.post(url, {"name": "Fundacja Formularzowa", "kind": "ngo", **fields})


def test_a_second_organization_with_the_same_nip_gets_the_form_error(client, user, municipality):
    OrganizationFactory(territory=municipality, tax_number=NIP)
    client.force_login(user)

    response = _post(client, territory=municipality.pk, tax_number=f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}")

    assert response.status_code == 200
    assert response.context["form"].errors["tax_number"] == ["An organization with this tax number is already registered."]
    assert Organization.objects.count() == 1


def test_a_bad_nip_is_shown_on_its_field_and_nothing_is_saved(client, user, municipality):
    client.force_login(user)

    response = _post(client, territory=municipality.pk, tax_number=_wrong_last_digit(NIP))

    assert response.status_code == 200
    assert "id_tax_number_error" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_polish_page_says_what_is_wrong_with_a_nip_in_polish(client, user, municipality):
    client.force_login(user)

    response = _post(client, url="/pl/organizations/new/", territory=municipality.pk, tax_number=_wrong_last_digit(NIP))

    page = response.content.decode()
    assert "To nie jest prawidłowy NIP: musi mieć 10 cyfr i poprawną cyfrę kontrolną." in page
    assert "not a valid NIP" not in page


def test_the_form_names_the_tax_number_as_the_deployments_country_does(client, user, settings):
    client.force_login(user)

    assert '<label for="id_tax_number">NIP' in client.get(CREATE_URL).content.decode()
    settings.CIVICBRIDGE_DEPLOYMENT = deployment.PRESETS["orhangazi"]
    assert '<label for="id_tax_number">Tax number (VKN)' in client.get(CREATE_URL).content.decode()
    assert '<label for="id_tax_number">Vergi Kimlik Numarası (VKN)' in client.get("/tr/organizations/new/").content.decode()


def test_a_person_registers_an_organization_with_its_nip_through_the_form(client, user, municipality):
    client.force_login(user)

    response = _post(client, territory=municipality.pk, tax_number=f"PL {NIP}")

    assert response.status_code == 302
    assert Organization.objects.get().tax_number == NIP


def test_the_page_shows_the_nip_of_a_polish_organization(client, municipality):
    organization = OrganizationFactory(territory=municipality, tax_number=NIP)

    page = client.get(organization.get_absolute_url()).content.decode()

    assert f"<dt>NIP</dt><dd>{NIP}</dd>" in page


def test_the_page_names_an_organizations_tax_number_by_its_country(client, orhangazi):
    turkish = OrganizationFactory(territory=orhangazi, tax_number=VKN)
    german = OrganizationFactory(territory=None, country="DE", city="Dresden", tax_number="DE 12/345")

    assert f"<dt>Tax number (VKN)</dt><dd>{VKN}</dd>" in client.get(turkish.get_absolute_url()).content.decode()
    assert "<dt>Tax number</dt><dd>DE 12/345</dd>" in client.get(german.get_absolute_url()).content.decode()


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [NIP, f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}", f"{NIP[:3]}-{NIP[3:5]}-{NIP[5:7]}-{NIP[7:]}",
     f"{NIP[:3]} {NIP[3:6]} {NIP[6:8]} {NIP[8:]}", f"fundacja {NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}",
     f"PL{NIP}", f"PL {NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}"],
)
def test_search_by_nip_finds_the_organization(user, municipality, query):
    wanted = services.create_organization(by=user, data=_data(municipality, tax_number=NIP))
    services.create_organization(by=user, data=_data(municipality, name="Fundacja Inna", tax_number=OTHER_NIP))

    assert list(search(Organization.objects.all(), query)) == [wanted]


def test_the_registrys_search_box_finds_an_organization_by_its_nip(client, user, municipality):
    wanted = services.create_organization(by=user, data=_data(municipality, tax_number=NIP))
    OrganizationFactory(territory=municipality)

    response = client.get("/en/organizations/", {"q": f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}"})

    assert [o.pk for o in response.context["page"].object_list] == [wanted.pk]


# --- API ----------------------------------------------------------------------------------------


def test_the_api_writes_and_shows_the_tax_number(user, municipality):
    api = APIClient()
    api.force_authenticate(user)

    created = api.post(
        API_URL, {"name": "Fundacja API", "kind": "ngo", "territory": municipality.pk,
                  "tax_number": f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}"}, format="json",
    )

    assert created.status_code == 201, created.json()
    assert created.json()["tax_number"] == NIP
    organization = Organization.objects.get()
    shown = APIClient().get(f"{API_URL}{organization.pk}/").json()
    assert shown["tax_number"] == NIP


def test_the_api_changes_the_tax_number(coordinator, municipality):
    organization = OrganizationFactory(territory=municipality, tax_number=NIP)
    api = APIClient()
    api.force_authenticate(coordinator)

    response = api.patch(f"{API_URL}{organization.pk}/", {"tax_number": f"PL{OTHER_NIP}"}, format="json")

    assert response.status_code == 200, response.json()
    organization.refresh_from_db()
    assert organization.tax_number == OTHER_NIP


def test_the_api_refuses_a_bad_nip_with_400_on_its_field(user, municipality):
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        API_URL, {"name": "Fundacja API", "kind": "ngo", "territory": municipality.pk,
                  "tax_number": _wrong_last_digit(NIP)}, format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["tax_number"]
    assert not Organization.objects.exists()


def test_the_api_refuses_a_taken_nip_with_400_on_its_field(user, municipality):
    OrganizationFactory(territory=municipality, tax_number=NIP)
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        API_URL, {"name": "Fundacja API", "kind": "ngo", "territory": municipality.pk, "tax_number": NIP},
        format="json",
    )

    assert response.status_code == 400
    assert "tax number" in response.json()["tax_number"][0]
    assert Organization.objects.count() == 1


# --- admin --------------------------------------------------------------------------------------


def test_the_admin_stores_a_nip_as_digits_and_refuses_a_bad_one(client, coordinator, municipality):
    client.force_login(coordinator)
    form = {
        "name": "Fundacja z Panelu", "kind": "ngo", "territory": municipality.pk, "registration": "approved",
        "plenipotentiaries-TOTAL_FORMS": "0", "plenipotentiaries-INITIAL_FORMS": "0",
        "plenipotentiaries-MIN_NUM_FORMS": "0", "plenipotentiaries-MAX_NUM_FORMS": "1000",
    }

    refused = client.post("/en/admin/directory/organization/add/", {**form, "tax_number": _wrong_last_digit(NIP)})
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["tax_number"]
    assert not Organization.objects.exists()

    added = client.post("/en/admin/directory/organization/add/", {**form, "tax_number": f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}"})
    assert added.status_code == 302
    assert Organization.objects.get().tax_number == NIP
