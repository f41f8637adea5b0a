"""The twin cities' list: a search box, filters by country and area, pages that keep them."""

import pytest

from civicbridge.core.models import ThematicArea
from tests.partners.factories import TwinningFactory

pytestmark = pytest.mark.django_db

URL = "/en/twinning/"


def cities(response):
    return [twinning.partner_city for _, twinnings in response.context["groups"] for twinning in twinnings]


@pytest.fixture
def twinnings(municipality):
    culture = ThematicArea.objects.get(code="eu-culture")
    potsdam = TwinningFactory(partner_city="Potsdam", partner_country="DE")
    potsdam.thematic_areas.add(culture)
    TwinningFactory(partner_city="Grasse", partner_country="FR")
    TwinningFactory(territory=municipality, partner_city="Lippstadt", partner_country="DE")
    return culture


def test_the_list_filters_by_country_code_in_any_case(client, twinnings):
    for code in ("DE", "de"):
        assert sorted(cities(client.get(URL, {"country": code}))) == ["Lippstadt", "Potsdam"]


def test_the_list_filters_by_area_of_cooperation(client, twinnings):
    assert cities(client.get(URL, {"thematic_area": twinnings.pk})) == ["Potsdam"]


@pytest.mark.parametrize("query", ["potsd", "Nysa", "Francja", "Fransa", "france"])
def test_the_search_finds_a_city_a_town_or_a_country_in_any_language(client, twinnings, query):
    expected = {"potsd": ["Potsdam"], "Nysa": ["Lippstadt"]}.get(query, ["Grasse"])

    assert cities(client.get(URL, {"q": query})) == expected


def test_a_bad_country_code_shows_an_error_and_lists_nothing(client, twinnings):
    response = client.get(URL, {"country": "XX"})

    assert response.status_code == 200
    assert cities(response) == []
    assert "XX" in response.content.decode()


def test_the_list_is_paged_and_its_links_keep_the_filters(client, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 5
    for number in range(7):
        TwinningFactory(partner_city=f"Stadt {number}", partner_country="DE")
    TwinningFactory(partner_city="Grasse", partner_country="FR")

    first = client.get(URL, {"country": "DE"})
    second = client.get(URL, {"country": "DE", "page": 2})

    assert first.context["page"].paginator.count == 7
    assert len(cities(first)) == 5
    assert cities(second) == ["Stadt 5", "Stadt 6"]
    body = first.content.decode()
    assert "?country=DE&amp;page=2" in body


def test_the_filter_menu_names_countries_in_the_pages_language(client, twinnings):
    assert ">Niemcy<" in client.get("/pl/twinning/").content.decode()
    assert ">Almanya<" in client.get("/tr/twinning/").content.decode()
