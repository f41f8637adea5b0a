"""Territory menus are Django's own <select>, listing what people can choose from.

A regional deployment lists its counties; past ``MENU_DETAIL_LIMIT`` counties (a national
deployment) the menu opens along the chosen unit instead. Every field still accepts any
territory, whatever its menu lists.
"""

import pytest
from django.db import connection

from civicbridge.core.countries import sort_key
from civicbridge.core.filters import territory_key
from civicbridge.core.models import Territory
from civicbridge.directory import filters
from civicbridge.directory.filters import OrganizationFilter
from civicbridge.directory.forms import OrganizationForm
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def options(html: str, *units) -> list[bool]:
    """Which units a form's menu lists (forms that save a territory name it by its id)."""
    return [f'value="{unit.pk}"' in html for unit in units]


def filter_options(html: str, *units) -> list[bool]:
    """Which units a filter's menu lists (filters name a territory by its code: core.filters)."""
    return [f'value="{territory_key(unit)}"' in html for unit in units]


def test_a_regional_deployment_lists_every_county_but_no_municipality(region, county, municipality):
    html = str(OrganizationFilter({}).form["territory"])

    assert filter_options(html, region, county, municipality) == [True, True, False]


def test_past_the_limit_the_menu_lists_regions_and_opens_along_the_chosen_one(
    monkeypatch, region, county, other_county, municipality
):
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 5)

    nothing_chosen = str(OrganizationFilter({}).form["territory"])
    region_chosen = str(OrganizationFilter({"territory": str(region.pk)}).form["territory"])

    assert filter_options(nothing_chosen, region, county, other_county) == [True, False, False]
    assert filter_options(region_chosen, region, county, other_county) == [True, True, True]
    assert filter_options(region_chosen, municipality) == [False]


def test_a_municipality_not_in_the_menu_is_still_accepted_and_shown_chosen(monkeypatch, municipality, other_county):
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 5)
    inside = OrganizationFactory(territory=municipality)
    OrganizationFactory(territory=other_county)

    filterset = OrganizationFilter({"territory": str(municipality.pk)})

    assert list(filterset.qs) == [inside]
    assert f'value="{territory_key(municipality)}" selected' in str(filterset.form["territory"])


def test_the_organization_form_lists_municipalities_of_a_regional_deployment(municipality):
    assert options(str(OrganizationForm()["territory"]), municipality) == [True]


def test_past_the_limit_the_organization_form_opens_along_the_entry_s_territory(
    monkeypatch, county, municipality, other_county
):
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 5)
    sibling = county.children.exclude(pk=municipality.pk).first()

    html = str(OrganizationForm(instance=OrganizationFactory(territory=municipality))["territory"])

    assert options(html, municipality, sibling, county, other_county) == [True, True, True, True]
    assert options(str(OrganizationForm()["territory"]), municipality) == [False]


def test_the_menu_costs_one_query_whatever_the_number_of_territories(django_assert_num_queries):
    form = OrganizationFilter({}).form

    with django_assert_num_queries(1):  # the menu, which asks how many counties there are itself
        str(form["territory"])


def test_past_the_limit_the_twinning_form_lists_counties_and_the_chosen_town_s_neighbours(
    monkeypatch, county, municipality, other_county
):
    from civicbridge.partners.forms import TwinningForm

    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 5)
    sibling = county.children.exclude(pk=municipality.pk).first()

    fresh = str(TwinningForm()["territory"])
    chosen = str(TwinningForm({"territory": str(municipality.pk)})["territory"])

    assert options(fresh, county, other_county, municipality) == [True, True, False]
    assert options(chosen, municipality, sibling) == [True, True]


def test_an_entry_whose_territory_number_reads_as_a_code_still_finds_it_chosen(
    monkeypatch, municipality, other_county
):
    # Past the limit, the form's menu opens along the entry's territory, which the form names
    # by its id. Read as a code, the number would name another unit (number 16 is the code of
    # two regions) and the entry could not be saved without choosing its territory again.
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 5)
    elsewhere = other_county.children.order_by("code").first()
    Territory.objects.filter(pk=elsewhere.pk).update(code=str(municipality.pk))  # the collision
    entry = OrganizationFactory(territory=municipality)

    html = str(OrganizationForm(instance=entry)["territory"])

    assert f'<option value="{municipality.pk}" selected>' in html


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_a_filter_s_menu_read_as_plain_values_shows_what_the_units_themselves_would(
    language, region, county, municipality
):
    # The menu's options are read as values (TerritoryCodeChoiceField.menu_options), not as
    # territories: each option must still be the unit's key and indented name in the language.
    from django.utils import translation

    Territory.objects.filter(pk=county.pk).update(name_tr="")  # no Turkish name: the English one
    with translation.override(language):
        field = OrganizationFilter({"territory": territory_key(municipality)}).form.fields["territory"]
        shown = [(value, label) for value, label in field.choices if value != ""]
        units = filters.in_tree_order(list(filters.territory_menu(chosen=[municipality])))

        assert shown == [(territory_key(unit), field.label_for(unit)) for unit in units]
    assert len(units) >= 3


def test_a_unit_without_a_code_is_named_by_its_id_so_that_no_code_can_take_its_place(county):
    # A Turkish district has no official code: menus and links name it by its id. Read as a
    # bare number, the id is looked up as a code first, and it may be a Polish county's TERYT
    # code (ids grow with every territory ever loaded): the link would then name that county.
    orhangazi = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    Territory.objects.filter(pk=county.pk).update(code=str(orhangazi.pk))  # the collision
    in_orhangazi = OrganizationFactory(territory=orhangazi)
    OrganizationFactory(territory=county)

    filterset = OrganizationFilter({"territory": territory_key(orhangazi)})

    assert territory_key(orhangazi) == f"id-{orhangazi.pk}"
    assert list(filterset.qs) == [in_orhangazi]
    assert f'value="id-{orhangazi.pk}" selected' in str(filterset.form["territory"])
    assert list(OrganizationFilter({"territory": f"id-{orhangazi.pk + 10**6}"}).qs) == []  # no such unit: nothing


def _labels(choices) -> list[str]:
    return [str(label).strip("\u2003") for value, label in choices if value != ""]


def _units_under(labels: list[str], parent: str, names: set[str]) -> list[str]:
    start = labels.index(parent) + 1
    return [label for label in labels[start:] if label in names]


def test_a_polish_menu_lists_a_region_s_counties_by_name_whatever_their_numbers(region):
    from django.utils import translation

    counties = set(region.children.values_list("name_pl", flat=True))
    with translation.override("pl"):
        for field in (OrganizationFilter({}).form.fields["territory"], OrganizationForm().fields["territory"]):
            labels = _labels(field.choices)
            listed = _units_under(labels, region.name_pl, counties)

            assert listed == sorted(counties, key=sort_key) and len(listed) == len(counties)
            assert listed.index("powiat brzeski") < listed.index("powiat krapkowicki")


def test_a_turkish_menu_lists_bursa_s_districts_by_name_with_turkish_letters_in_place(settings):
    from django.utils import translation

    from civicbridge.core import deployment

    settings.CIVICBRIDGE_DEPLOYMENT = deployment.PRESETS["orhangazi"]
    bursa = Territory.objects.get(country="TR", name_en="Bursa Province")
    districts = set(bursa.children.values_list("name_tr", flat=True))
    with translation.override("tr"):
        labels = _labels(OrganizationFilter({}).form.fields["territory"].choices)
    listed = _units_under(labels, bursa.name_tr, districts)

    assert len(listed) == len(districts)
    assert listed.index("Büyükorhan") < listed.index("Gemlik") < listed.index("Orhangazi") < listed.index("Yıldırım")
    assert listed.index("İnegöl") < listed.index("İznik") < listed.index("Karacabey")


def test_the_counties_are_listed_up_to_the_limit_and_not_one_past_it(monkeypatch, region, county, other_county):
    counties = Territory.objects.filter(country=county.country, level=Territory.Level.COUNTY).count()

    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", counties)
    at_the_limit = str(OrganizationFilter({}).form["territory"])
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", counties - 1)
    past_it = str(OrganizationFilter({}).form["territory"])

    assert filter_options(at_the_limit, region, county, other_county) == [True, True, True]
    assert filter_options(past_it, region, county, other_county) == [True, False, False]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_past_the_limit_the_menu_does_not_read_the_counties(monkeypatch, county):
    """The "few enough" question is answered once, before any county is read: a national
    deployment's thousand counties are not read and dropped at every list page."""
    monkeypatch.setattr(filters, "MENU_DETAIL_LIMIT", 1)
    sql, params = filters.territory_menu().values_list("pk", "path").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]

    gated = list(_nodes_with(plan, "One-Time Filter"))
    assert len(gated) == 1, plan
    # Its own input, not the question it asks (an InitPlan): never run.
    inputs = [child for child in gated[0]["Plans"] if child.get("Parent Relationship") != "InitPlan"]
    assert inputs and all(child["Actual Loops"] == 0 for child in inputs), plan


def _nodes_with(node: dict, key: str):
    if key in node:
        yield node
    for child in node.get("Plans", []):
        yield from _nodes_with(child, key)
