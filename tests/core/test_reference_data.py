"""The reference data loaded by migration core 0002: TERYT units of Opole, Bursa, the taxonomy."""

import io

import pytest
from django.core.management import call_command

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.reference import load_territories, load_thematic_areas

pytestmark = pytest.mark.django_db

Level = Territory.Level


def _descendants(territory: Territory) -> set[int]:
    """Walk the parent links, independently of the materialized path under test."""
    found, frontier = {territory.pk}, [territory.pk]
    while frontier:
        children = Territory.objects.filter(parent_id__in=frontier)
        frontier = list(children.values_list("pk", flat=True))
        found.update(frontier)
    return found


def test_opole_voivodeship_has_12_counties_and_71_municipalities(region):
    subtree = Territory.objects.within(region)

    assert region.parent.code == "" and region.parent.country == "PL"
    assert subtree.filter(level=Level.COUNTY).count() == 12
    assert subtree.filter(level=Level.MUNICIPALITY).count() == 71


def test_municipality_kinds_follow_the_last_teryt_digit(region):
    municipalities = Territory.objects.within(region).filter(level=Level.MUNICIPALITY)
    last_digits = [code[-1] for code in municipalities.values_list("code", flat=True)]

    assert (last_digits.count("1"), last_digits.count("2"), last_digits.count("3")) == (3, 34, 34)
    for municipality in municipalities.select_related("parent"):
        assert municipality.code.startswith(municipality.parent.code)
        expected = {"1": "urban", "2": "rural", "3": "urban-rural"}[municipality.code[-1]]
        assert municipality.kind == f"{expected} municipality"


def test_opole_city_is_the_only_municipality_of_its_city_county(region):
    city_county = region.children.get(code="1661")
    opole = Territory.objects.get(country="PL", level=Level.MUNICIPALITY, code="1661011")

    assert opole.parent == city_county
    assert opole.name_pl == "Opole"
    assert list(city_county.children.all()) == [opole]
    assert city_county.kind == "city with county rights"


def test_bursa_has_17_districts_without_codes():
    bursa = Territory.objects.get(country="TR", level=Level.REGION, code="16")
    districts = bursa.children.all()

    assert districts.count() == 17
    assert set(districts.values_list("code", flat=True)) == {""}
    assert set(districts.values_list("level", flat=True)) == {Level.COUNTY}
    assert districts.filter(name_tr="Orhangazi").exists()


def test_within_returns_the_whole_subtree_and_nothing_else(region):
    subtree = set(Territory.objects.within(region).values_list("pk", flat=True))
    assert subtree == _descendants(region)
    assert Territory.objects.within(region).count() == 1 + 12 + 71


def test_paths_are_parent_path_plus_own_pk():
    for territory in Territory.objects.select_related("parent"):
        prefix = territory.parent.path if territory.parent else "/"
        assert territory.path == f"{prefix}{territory.pk}/"


def test_thematic_areas_have_both_schemes_and_three_languages():
    Scheme = ThematicArea.Scheme

    assert ThematicArea.objects.filter(scheme=Scheme.PUBLIC_BENEFIT).count() >= 30
    assert ThematicArea.objects.filter(scheme=Scheme.EU_THEME).count() >= 15
    assert not ThematicArea.objects.filter(name_pl="").exists()
    assert not ThematicArea.objects.filter(name_tr="").exists()


def test_reloading_is_idempotent():
    before = (Territory.objects.count(), ThematicArea.objects.count())
    paths = dict(Territory.objects.values_list("pk", "path"))

    territories = load_territories()
    areas = load_thematic_areas()
    call_command("load_reference_data", stdout=io.StringIO())

    assert (territories.created, territories.updated) == (0, 0)
    assert (areas.created, areas.updated) == (0, 0)
    assert (Territory.objects.count(), ThematicArea.objects.count()) == before
    assert dict(Territory.objects.values_list("pk", "path")) == paths


def test_reloading_repairs_an_edited_row(region):
    Territory.objects.filter(pk=region.pk).update(name_en="Changed", path="/broken/")

    result = load_territories()

    region.refresh_from_db()
    assert result.updated == 1
    assert region.name_en == "Opole Voivodeship"
    assert region.path == f"{region.parent.path}{region.pk}/"
