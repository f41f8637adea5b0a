"""Filters take the codes people use (TERYT, ISO 3166, slugs) and refuse bad values by name."""

import pytest

from civicbridge.core.models import Territory
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

ORGANIZATIONS_API = "/api/v1/organizations/"


@pytest.fixture
def in_nysa_and_brzeg(municipality, other_county):
    nysa = OrganizationFactory.create_batch(2, territory=municipality)
    brzeg = OrganizationFactory(territory=other_county.children.order_by("code").first())
    return nysa, brzeg


def _names(body) -> set[str]:
    return {item["name"] for item in body["results"]}


@pytest.mark.parametrize("value", ["1607", "PL-1607", " 1607 "])
def test_the_api_filters_organizations_by_the_countys_teryt_code(client, in_nysa_and_brzeg, value):
    nysa, _ = in_nysa_and_brzeg

    body = client.get(ORGANIZATIONS_API, {"territory": value}).json()

    assert body["count"] == 2 and _names(body) == {o.name for o in nysa}


def test_a_municipalitys_teryt_code_and_the_ids_still_work(client, in_nysa_and_brzeg, municipality):
    assert client.get(ORGANIZATIONS_API, {"territory": "1607053"}).json()["count"] == 2
    assert client.get(ORGANIZATIONS_API, {"territory": municipality.pk}).json()["count"] == 2


def test_a_country_is_named_by_its_iso_code_in_either_case(client, in_nysa_and_brzeg):
    assert client.get(ORGANIZATIONS_API, {"territory": "PL"}).json()["count"] == 3
    assert client.get(ORGANIZATIONS_API, {"territory": "pl"}).json()["count"] == 3
    assert client.get(ORGANIZATIONS_API, {"territory": "TR"}).json()["count"] == 0


def test_a_code_two_countries_share_asks_for_the_country(client, in_nysa_and_brzeg):
    # 16: the Opole voivodeship's TERYT code and the Bursa province's plate code.
    response = client.get(ORGANIZATIONS_API, {"territory": "16"})

    assert response.status_code == 400
    assert "PL-16" in response.json()["territory"][0] or "TR-16" in response.json()["territory"][0]
    assert client.get(ORGANIZATIONS_API, {"territory": "PL-16"}).json()["count"] == 3


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("territory", "9999999"), ("territory", "nowhere"), ("thematic_area", "987654"), ("kind", "pirates"),
     ("verified", "maybe")],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter_and_the_value(client, in_nysa_and_brzeg, parameter, value):
    response = client.get(ORGANIZATIONS_API, {parameter: value})

    assert response.status_code == 400
    assert value in " ".join(response.json()[parameter])


def test_the_page_shows_a_bad_filter_value_as_a_form_error_and_lists_nothing(client, in_nysa_and_brzeg):
    response = client.get("/en/organizations/", {"territory": "9999999"})

    page = response.content.decode()
    assert "No administrative unit has the code or number “9999999”" in page
    assert list(response.context["page"].object_list) == []


def test_the_page_says_the_error_in_polish_and_turkish(client, in_nysa_and_brzeg):
    polish = client.get("/pl/organizations/", {"territory": "9999999"}).content.decode()
    turkish = client.get("/tr/organizations/", {"territory": "9999999"}).content.decode()

    assert "9999999" in polish and "No administrative unit" not in polish
    assert "9999999" in turkish and "No administrative unit" not in turkish


def test_the_page_filters_by_teryt_code_and_its_menu_offers_codes(client, in_nysa_and_brzeg):
    response = client.get("/en/organizations/", {"territory": "1607"})

    assert len(response.context["page"].object_list) == 2
    assert 'value="1607"' in response.content.decode()


def test_an_export_with_a_bad_filter_exports_nothing_rather_than_everything(client, in_nysa_and_brzeg):
    response = client.get("/en/organizations/export.csv", {"territory": "nowhere"})

    rows = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(rows) == 1  # the header only


def test_the_plenipotentiaries_api_filters_by_county_code_or_id(client, municipality, other_county):
    in_nysa = PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=municipality))
    PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=other_county))

    for value in ("1607", municipality.parent.pk):
        body = client.get("/api/v1/plenipotentiaries/", {"county": value}).json()
        assert [item["id"] for item in body["results"]] == [in_nysa.pk]
    # Any unit, with the units below it: a municipality, a region; an unknown code is a 400.
    assert [item["id"] for item in client.get("/api/v1/plenipotentiaries/", {"county": "1607053"}).json()["results"]] == [in_nysa.pk]
    assert client.get("/api/v1/plenipotentiaries/", {"county": "PL-16"}).json()["count"] == 2
    # A number is a code or else an id: on PostgreSQL ids keep growing across tests, so the
    # unknown value is one no test database reaches (1699 was an id once enough units were made).
    response = client.get("/api/v1/plenipotentiaries/", {"county": "1699999"})
    assert response.status_code == 400 and "1699999" in response.json()["county"][0]


def test_the_plenipotentiaries_page_filters_by_county_code(client, municipality, other_county):
    in_nysa = PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=municipality))
    elsewhere = PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=other_county))

    page = client.get("/en/plenipotentiaries/", {"county": "1607"}).content.decode()

    assert in_nysa.full_name in page and elsewhere.full_name not in page


def test_the_territories_api_takes_codes_for_within_and_parent(client):
    within = client.get("/api/v1/territories/", {"within": "1607", "page_size": 100}).json()
    children = client.get("/api/v1/territories/", {"parent": "PL-16", "page_size": 100}).json()

    assert within["count"] == 10  # the county and its 9 municipalities
    assert children["count"] == Territory.objects.filter(parent__code="16", country="PL").count() == 12
    assert client.get("/api/v1/territories/", {"within": "0000"}).status_code == 400


def test_calls_filter_by_funder_slug_and_applicants_country(client):
    commission = FunderFactory(slug="european-commission")
    open_to_poles = CallFactory(programme=ProgrammeFactory(funder=commission), eligible_countries="PL,CZ")
    CallFactory(eligible_countries="TR")
    anywhere = CallFactory(eligible_countries="")

    by_slug = client.get("/api/v1/calls/", {"funder": "european-commission"}).json()
    by_country = client.get("/api/v1/calls/", {"country": "pl"}).json()

    assert [item["identifier"] for item in by_slug["results"]] == [open_to_poles.identifier]
    assert {item["identifier"] for item in by_country["results"]} == {open_to_poles.identifier, anywhere.identifier}
    assert client.get("/api/v1/calls/", {"funder": "no-such-funder"}).status_code == 400
    assert "Poland" in client.get("/api/v1/calls/", {"country": "Poland"}).json()["country"][0]


def test_partner_requests_filter_by_iso_country_in_either_case_and_refuse_unknown_ones(client):
    from tests.partners.factories import PartnerRequestFactory

    german = PartnerRequestFactory(countries="DE")
    PartnerRequestFactory(countries="FR")

    for value in ("DE", "de"):
        body = client.get("/api/v1/partner-requests/", {"country": value}).json()
        assert [item["id"] for item in body["results"]] == [german.pk]
    response = client.get("/api/v1/partner-requests/", {"country": "QQ"})
    assert response.status_code == 400 and "QQ" in response.json()["country"][0]


# --- links that keep the search and the filters ----------------------------------------------------


def test_the_results_an_htmx_filter_change_redraws_carry_export_links_with_those_filters(client, in_nysa_and_brzeg):
    response = client.get(
        "/en/organizations/", {"territory": "1607", "q": "stowarzyszenie", "page": "1"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results",
    )

    page = response.content.decode()
    assert 'export.csv?territory=1607&amp;q=stowarzyszenie"' in page
    assert 'export.xlsx?territory=1607&amp;q=stowarzyszenie"' in page


def test_the_calls_results_carry_feed_and_calendar_links_with_the_filters(client):
    CallFactory()

    page = client.get(
        "/en/calls/", {"country": "PL", "page": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    ).content.decode()

    assert "/calls/feed/?country=PL\"" in page and "/calls/deadlines.ics?country=PL\"" in page


def test_page_two_of_a_filtered_search_keeps_the_search_and_the_filters(client, settings, municipality):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    OrganizationFactory.create_batch(5, territory=municipality, name="Klub Sportowy")

    first = client.get("/en/organizations/", {"q": "klub", "territory": "1607"})
    second = client.get("/en/organizations/", {"q": "klub", "territory": "1607", "page": 2})

    assert 'href="?q=klub&amp;territory=1607&amp;page=2"' in first.content.decode()
    assert {o.pk for o in first.context["page"]}.isdisjoint({o.pk for o in second.context["page"]})
    assert second.context["page"].paginator.count == 5


def test_the_forms_that_save_a_territory_still_offer_ids_while_the_filters_offer_codes(client, user, county):
    client.force_login(user)

    form = client.get("/en/organizations/new/").content.decode()
    filters = client.get("/en/organizations/").content.decode()

    assert f'value="{county.pk}"' in form and 'value="1607"' in filters


def test_a_deadline_filter_far_outside_the_calendar_is_a_400_not_a_server_error(client):
    CallFactory()

    response = client.get("/api/v1/calls/", {"deadline_from": "0001-01-01"})

    assert response.status_code == 400 and "deadline_from" in response.json()


def test_filter_menus_draw_the_markup_django_draws():
    """The forms' renderer's select.html and multiple_input.html write each option in place: the
    same HTML as Django's own templates, option by option, with groups, a chosen value and an
    option's own attributes."""
    from django import forms
    from django.forms.renderers import Jinja2

    from civicbridge.core.forms import FormRenderer

    class Menus(forms.Form):
        plain = forms.ChoiceField(
            choices=[("", "---"), ("a", "A & <b>"), ("b", "B")], widget=forms.Select(attrs={"data-hx-get": "/x/"})
        )
        grouped = forms.MultipleChoiceField(choices=[("North", [("n1", "N1"), ("n2", "N2")]), ("s", "South")])
        boxes = forms.MultipleChoiceField(
            choices=[("East", [("e1", "E & <1>")]), ("w", "West")], widget=forms.CheckboxSelectMultiple(attrs={"class": "c"})
        )
        radios = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
        unlabelled = forms.ChoiceField(choices=[("", "none"), ("z", "Z")], widget=forms.RadioSelect(attrs={"id": ""}))

    data = {"plain": "a", "grouped": ["n2", "s"], "boxes": ["e1"], "radios": "y", "unlabelled": ""}
    ours = [str(field) for field in Menus(data=data, renderer=FormRenderer())]
    djangos = [str(field) for field in Menus(data=data, renderer=Jinja2())]
    assert ours == djangos
    assert 'data-hx-get="/x/"' in ours[0] and "selected" in ours[0] and "A &amp; &lt;b&gt;" in ours[0] and "<optgroup" in ours[1]
    assert "E &amp; &lt;1&gt;" in ours[2] and "checked" in ours[2] and 'class="c"' in ours[2] and "checked" in ours[3]


def test_a_number_that_is_one_units_code_and_anothers_id_names_the_unit_with_that_code(municipality, county):
    from civicbridge.core.filters import resolve_territory

    number = str(municipality.pk)
    coded = Territory.objects.create(
        name_en="Coded", name_pl="Coded", name_tr="Coded", level=Territory.Level.MUNICIPALITY,
        country="PL", code=number, parent=county,
    )

    assert resolve_territory(number) == coded
    coded.delete()
    assert resolve_territory(number) == municipality


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_a_thematic_area_menu_read_as_plain_values_names_each_area_as_the_area_itself_would(db, language):
    from django.utils import translation

    from civicbridge.core.filters import offered_thematic_areas
    from civicbridge.core.models import ThematicArea
    from civicbridge.directory.filters import OrganizationFilter

    untranslated = ThematicArea.objects.filter(pk__in=offered_thematic_areas().values("pk")).first()
    ThematicArea.objects.filter(pk=untranslated.pk).update(name_pl="", name_tr="")
    with translation.override(language):
        field = OrganizationFilter({}).form.fields["thematic_area"]
        shown = [(value, label) for value, label in field.choices if value != ""]

        assert shown == [(area.pk, str(area)) for area in offered_thematic_areas()]
    assert (untranslated.pk, untranslated.name_en) in shown


def test_menus_of_funders_and_bodies_read_as_plain_values_name_each_as_the_object_itself_would():
    # SlugOrIdField.menu_options reads (id, name) pairs, not a model per option: each option
    # must be what the object's own value and label would be, in the menu's order.
    from civicbridge.directory.filters import PlenipotentiaryFilter
    from civicbridge.funding.filters import CallFilter
    from civicbridge.projects.filters import ProjectFilter

    FunderFactory.create_batch(3)
    PublicBodyFactory.create_batch(2)

    for filterset, name in (
        (CallFilter({}), "funder"), (ProjectFilter({}), "funder"), (PlenipotentiaryFilter({}), "public_body"),
    ):
        field = filterset.form.fields[name]
        shown = [(value, label) for value, label in field.choices if value != ""]
        objects = list(field.queryset)

        assert len(objects) >= 2, name
        assert shown == [(item.pk, str(item)) for item in objects], name


# --- menus read by queries compiled once ------------------------------------------------------------


def test_a_compiled_query_reads_what_its_queryset_reads_afresh_each_time(monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    from civicbridge.core.compiled import CompiledQuery
    from civicbridge.funding.models import Call

    CallFactory(max_grant=12500, published_at="2026-01-02T10:00:00Z")
    query = Call.objects.order_by("pk").values_list("pk", "identifier", "published_at", "max_grant", "opens_at")
    compiled = CompiledQuery(query)
    assert compiled.rows() == list(query.all())  # dates, amounts and all, as Django converts them

    CallFactory(max_grant=None, published_at=None)
    compilations = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compilations.append(1) or original(self, *a, **k))

    rows = compiled.rows()

    assert compilations == []  # the SQL compiled before...
    monkeypatch.undo()
    assert len(rows) == 2 and rows == list(query.all())  # ...reads the call added since


def test_a_compiled_query_of_nothing_reads_nothing(django_assert_num_queries):
    from civicbridge.core.compiled import CompiledQuery
    from civicbridge.funding.models import Funder

    FunderFactory()
    with django_assert_num_queries(0):
        assert CompiledQuery(Funder.objects.filter(pk__in=[]).values_list("pk")).rows() == []


def test_a_menu_field_given_another_query_lists_that_one_and_the_forms_field_keeps_its_own():
    from civicbridge.funding.filters import CallFilter
    from civicbridge.funding.models import Funder

    first, second, third = FunderFactory.create_batch(3)
    everyone = [value for value, _label in CallFilter({}).form.fields["funder"].choices if value != ""]

    narrowed = CallFilter({}).form.fields["funder"]
    narrowed.queryset = Funder.objects.filter(pk=second.pk)

    assert [value for value, _label in narrowed.choices if value != ""] == [second.pk]
    again = [value for value, _label in CallFilter({}).form.fields["funder"].choices if value != ""]
    assert again == everyone and {first.pk, second.pk, third.pk} <= set(everyone)


def test_each_filter_set_filters_with_its_own_copy_of_each_filter():
    from civicbridge.funding.filters import CallFilter
    from civicbridge.funding.models import Call

    funder = FunderFactory()
    mine = CallFactory(programme=ProgrammeFactory(funder=funder))
    CallFactory()
    first, second = CallFilter({"funder": funder.slug}, queryset=Call.objects.all()), CallFilter({})
    assert all(first.filters[name] is not second.filters[name] for name in first.filters)
    assert all(first.filters[name] is not CallFilter.base_filters[name] for name in first.filters)
    assert {f.parent for f in first.filters.values()} == {first} and {f.parent for f in second.filters.values()} == {second}
    assert list(first.qs) == [mine] and second.qs.count() == 2  # one set's values never reach the other
    assert first.form.fields["funder"] is not second.form.fields["funder"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/pl/organizations/", "/pl/calls/", "/pl/events/", "/pl/consultations/", "/pl/partners/"])
def test_every_thematic_area_menu_says_what_choosing_none_means(client, path):
    html = client.get(path).content.decode()

    menu = html[html.index('name="thematic_area"'):]
    menu = menu[: menu.index("</select>")]
    assert '<option value="" selected>dowolny obszar</option>' in menu and "---------" not in menu
