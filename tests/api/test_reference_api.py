"""/api/v1/territories/ and /api/v1/thematic-areas/: reference data, read-only."""

import pytest
from rest_framework.test import APIClient

from civicbridge.core.models import Territory, ThematicArea

pytestmark = pytest.mark.django_db

TERRITORIES_URL = "/api/v1/territories/"
AREAS_URL = "/api/v1/thematic-areas/"


@pytest.fixture
def api():
    return APIClient()


def all_rows(api, url, params):
    params = {**params, "page_size": 100}
    body = api.get(url, params).json()
    rows = list(body["results"])
    while body["next"]:
        body = api.get(body["next"]).json()
        rows.extend(body["results"])
    return rows


# --- territories ---------------------------------------------------------------------------------


def test_territories_list_is_paginated(api, region):
    body = api.get(TERRITORIES_URL).json()

    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == Territory.objects.count()


def test_territory_row_has_names_in_every_language(api, region):
    row = api.get(TERRITORIES_URL, {"code": "16", "country": "PL"}).json()["results"][0]

    assert row["id"] == region.pk
    assert row["name_pl"] == "województwo opolskie"
    assert row["name_en"] and row["name_tr"]
    assert row["level"] == "region"


def test_territory_name_follows_accept_language(api, region):
    row = api.get(TERRITORIES_URL, {"code": "16", "country": "PL"}, HTTP_ACCEPT_LANGUAGE="pl").json()["results"][0]

    assert row["name"] == "województwo opolskie"


def test_filter_territories_by_level(api, region):
    rows = all_rows(api, TERRITORIES_URL, {"level": "county"})

    assert rows
    assert {row["level"] for row in rows} == {"county"}
    assert len(rows) == Territory.objects.filter(level="county").count()


def test_filter_territories_by_country(api, region):
    rows = all_rows(api, TERRITORIES_URL, {"country": "TR"})

    assert rows
    assert {row["country"] for row in rows} == {"TR"}


def test_filter_territories_by_code_and_country(api, municipality):
    body = api.get(TERRITORIES_URL, {"code": "1607053", "country": "PL"}).json()

    assert [row["id"] for row in body["results"]] == [municipality.pk]


def test_same_code_in_two_countries_is_told_apart_by_country(api, region):
    # TERYT 16 (Opole) and Turkish plate code 16 (Bursa) are both regions coded "16".
    rows = all_rows(api, TERRITORIES_URL, {"code": "16", "level": "region"})

    assert {row["country"] for row in rows} == {"PL", "TR"}


def test_filter_within_a_region_gives_its_subtree(api, region, county, municipality, other_county):
    rows = all_rows(api, TERRITORIES_URL, {"within": region.pk})
    ids = {row["id"] for row in rows}

    assert {region.pk, county.pk, municipality.pk, other_county.pk} <= ids
    assert ids == set(Territory.objects.filter(path__startswith=region.path).values_list("pk", flat=True))
    assert Territory.objects.get(country="TR", level="region", code="16").pk not in ids
    assert Territory.objects.get(country="PL", level="country").pk not in ids


def test_filter_within_a_county_leaves_out_other_counties(api, county, municipality, other_county):
    ids = {row["id"] for row in all_rows(api, TERRITORIES_URL, {"within": county.pk})}

    assert municipality.pk in ids
    assert other_county.pk not in ids
    assert not ids & set(other_county.children.values_list("pk", flat=True))


def test_filter_within_an_unknown_territory_gives_400(api, db):
    response = api.get(TERRITORIES_URL, {"within": 987654})

    assert response.status_code == 400
    assert response.json()["within"]


def test_filter_by_parent_gives_the_direct_children(api, county):
    ids = {row["id"] for row in all_rows(api, TERRITORIES_URL, {"parent": county.pk})}

    assert ids == set(county.children.values_list("pk", flat=True))


def test_search_territories_by_polish_name(api, municipality):
    rows = all_rows(api, TERRITORIES_URL, {"search": "nysk"})

    assert {row["code"] for row in rows} >= {"1607"}


def test_retrieve_one_territory(api, municipality):
    response = api.get(f"{TERRITORIES_URL}{municipality.pk}/")

    assert response.status_code == 200
    assert response.json()["parent"] == municipality.parent_id


def test_territories_list_runs_a_bounded_number_of_queries(api, region, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        api.get(TERRITORIES_URL, {"page_size": 100})


# --- thematic areas ---------------------------------------------------------------------------------


def test_thematic_areas_list_is_paginated(api, db):
    body = api.get(AREAS_URL).json()

    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == ThematicArea.objects.count() > 0


def test_filter_thematic_areas_by_scheme(api, db):
    rows = all_rows(api, AREAS_URL, {"scheme": "eu_theme"})

    assert rows
    assert {row["scheme"] for row in rows} == {"eu_theme"}
    assert len(rows) == ThematicArea.objects.filter(scheme="eu_theme").count()


def test_unknown_scheme_gives_400(api, db):
    response = api.get(AREAS_URL, {"scheme": "astrology"})

    assert response.status_code == 400
    assert response.json()["scheme"]


def test_search_thematic_areas_in_english(api, db):
    rows = all_rows(api, AREAS_URL, {"search": "youth"})

    assert "eu-youth" in {row["code"] for row in rows}
    assert all("youth" in (row["name_en"] + row["name_pl"] + row["name_tr"]).lower() for row in rows)


def test_search_thematic_areas_in_polish(api, db):
    rows = all_rows(api, AREAS_URL, {"search": "Młodzież"})

    assert "eu-youth" in {row["code"] for row in rows}


def test_search_thematic_areas_without_a_match_gives_an_empty_page(api, db):
    body = api.get(AREAS_URL, {"search": "zzzz-nothing"}).json()

    assert body["count"] == 0
    assert body["results"] == []


# --- read-only --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [TERRITORIES_URL, AREAS_URL])
def test_anonymous_post_gives_401(api, db, url):
    before = (Territory.objects.count(), ThematicArea.objects.count())

    response = api.post(url, {"name_en": "Atlantis", "code": "atl", "level": "region", "country": "XX"}, format="json")

    assert response.status_code == 401
    assert (Territory.objects.count(), ThematicArea.objects.count()) == before


@pytest.mark.parametrize("url", [TERRITORIES_URL, AREAS_URL])
def test_registered_users_post_gives_405(db, user, coordinator, url):
    before = (Territory.objects.count(), ThematicArea.objects.count())
    for person in (user, coordinator):
        api = APIClient()
        api.force_authenticate(person)

        response = api.post(url, {"name_en": "Atlantis", "code": "atl"}, format="json")

        assert response.status_code == 405
        assert response.json()["detail"]
    assert (Territory.objects.count(), ThematicArea.objects.count()) == before


def test_coordinator_cannot_change_or_delete_a_territory(coordinator, municipality):
    api = APIClient()
    api.force_authenticate(coordinator)
    url = f"{TERRITORIES_URL}{municipality.pk}/"

    assert api.patch(url, {"name_en": "Renamed"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    municipality.refresh_from_db()
    assert municipality.name_en != "Renamed"
