"""Countries and languages by name on the calls' pages, sent and stored as ISO codes."""

import re

import pytest
from rest_framework.test import APIClient

from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

CALLS_API = "/api/v1/calls/"


def _country_menu(response) -> str:
    # The territory menu lists countries too (by their codes): only the country filter's.
    return re.search(r'<select name="country".*?</select>', response.content.decode(), re.S).group(0)


def _identifiers(response):
    return sorted(call.identifier for call in response.context["page"].object_list)


@pytest.fixture
def calls_by_country(db):
    CallFactory(identifier="POLISH", eligible_countries="PL")
    CallFactory(identifier="TURKISH", eligible_countries="TR")
    CallFactory(identifier="ANYONE", eligible_countries="")
    CallFactory(identifier="AMERICAN", eligible_countries="US")


# --- the country filter -----------------------------------------------------------------------------


def test_the_polish_calls_list_offers_poland_by_name_with_its_code_as_the_value(client, calls_by_country):
    response = client.get("/pl/calls/")

    menu = _country_menu(response)
    assert re.search(r'<option value="PL"[^>]*>Polska</option>', menu)
    assert re.search(r'<option value="TR"[^>]*>Turcja</option>', menu)
    assert "kod kraju" not in response.content.decode()


def test_the_turkish_calls_list_names_the_countries_in_turkish(client, calls_by_country):
    assert re.search(r'<option value="PL"[^>]*>Polonya</option>', _country_menu(client.get("/tr/calls/")))


def test_choosing_poland_in_the_menu_lists_calls_open_to_polish_applicants_and_shows_it_chosen(client, calls_by_country):
    response = client.get("/pl/calls/", {"country": "PL"})

    assert response.status_code == 200
    assert _identifiers(response) == ["ANYONE", "POLISH"]
    assert re.search(r'<option value="PL" selected>Polska</option>', _country_menu(response))


def test_an_existing_link_with_a_code_in_small_letters_still_filters(client, calls_by_country):
    assert _identifiers(client.get("/en/calls/", {"country": "tr"})) == ["ANYONE", "TURKISH"]


def test_a_code_outside_the_menu_still_filters_and_is_drawn_as_chosen(client, calls_by_country):
    response = client.get("/en/calls/", {"country": "US"})

    assert _identifiers(response) == ["AMERICAN", "ANYONE"]
    assert '<option value="US" selected>US</option>' in _country_menu(response)


def test_a_country_name_instead_of_a_code_is_still_an_error_and_lists_nothing(client, calls_by_country):
    response = client.get("/pl/calls/", {"country": "Polska"})

    page = response.content.decode()
    assert "error-summary" in page and "„Polska” nie jest kodem kraju" in page
    assert _identifiers(response) == []


def test_the_api_takes_the_code_as_before_and_refuses_a_name_with_a_400(calls_by_country):
    api = APIClient()

    listed = api.get(CALLS_API, {"country": "pl"})
    refused = api.get(CALLS_API, {"country": "Polska"})

    assert sorted(call["identifier"] for call in listed.json()["results"]) == ["ANYONE", "POLISH"]
    assert refused.status_code == 400 and "country" in refused.json()


def test_the_country_menu_adds_no_query_to_the_list(client, calls_by_country, django_assert_max_num_queries):
    from tests.funding.test_views import LIST_QUERIES

    with django_assert_max_num_queries(LIST_QUERIES):
        client.get("/pl/calls/", {"country": "PL", "page": "1"})


# --- the call page's languages ----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "names"), [("pl", "polski, angielski"), ("tr", "İngilizce, Türkçe"),
                                                 ("en", "Polish, English")])
def test_the_call_page_names_the_documents_languages_in_the_pages_language(client, language, names):
    codes = {"pl": "pl,en", "tr": "en,tr", "en": "pl,en"}[language]
    call = CallFactory(languages=codes)

    page = client.get(f"/{language}/calls/{call.identifier}/").content.decode()

    assert f"<dd>{names}</dd>" in page


def test_a_language_django_cannot_translate_is_shown_by_its_own_name_not_its_code(client):
    call = CallFactory(languages="nb,mt")

    page = client.get(f"/pl/calls/{call.identifier}/").content.decode()

    assert "<dd>norsk (bokmål), Malti</dd>" in page


# --- the call form's languages ----------------------------------------------------------------------


def _languages_menu(page: str) -> str:
    return re.search(r'<select name="languages".*?</select>', page, re.S).group(0)


def test_the_polish_call_form_offers_languages_by_name_not_a_field_of_codes(client, officer):
    client.force_login(officer)

    page = client.get("/pl/calls/new/").content.decode()

    menu = _languages_menu(page)
    assert "multiple" in menu
    assert re.search(r'<option value="pl"[^>]*>polski</option>', menu)
    assert re.search(r'<option value="en"[^>]*>angielski</option>', menu)
    assert "Kody języków" not in page


def test_languages_chosen_by_name_are_stored_as_codes(client, officer):
    from civicbridge.funding.models import Call
    from tests.funding.test_views import _form_data

    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    client.force_login(officer)

    response = client.post("/pl/calls/new/", _form_data(programme, languages=["pl", "en"]))

    assert response.status_code == 302
    assert Call.objects.get().languages == "pl,en"


def test_the_edit_form_shows_the_calls_languages_chosen_and_keeps_a_code_outside_the_list(client, officer):
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    call = CallFactory(programme=programme, created_by=officer, languages="tr,xq")
    client.force_login(officer)

    menu = _languages_menu(client.get(f"/tr/calls/{call.identifier}/edit/").content.decode())

    assert re.search(r'<option value="tr" selected>Türkçe</option>', menu)
    assert '<option value="xq" selected>xq</option>' in menu
