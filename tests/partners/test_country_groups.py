"""A partner request's countries: chosen by name in the page's language, or all EU member states at once."""

import pytest

from civicbridge.core.countries import COUNTRY_GROUPS, ERASMUS_PROGRAMME_COUNTRIES, EU_MEMBER_STATES
from civicbridge.partners.models import PartnerRequest
from tests.partners.factories import PartnerRequestFactory
from tests.partners.test_views import NEW_URL, form_data

pytestmark = pytest.mark.django_db


def test_the_eu_member_states_are_the_27():
    assert len(set(EU_MEMBER_STATES)) == 27
    assert {"PL", "DE", "HR", "IE"} <= set(EU_MEMBER_STATES)
    assert not {"GB", "TR", "NO", "CH"} & set(EU_MEMBER_STATES)


def test_the_erasmus_programme_countries_are_the_eu_and_the_six_associated_countries():
    assert set(ERASMUS_PROGRAMME_COUNTRIES) == {*EU_MEMBER_STATES, "IS", "LI", "NO", "MK", "RS", "TR"}
    assert len(ERASMUS_PROGRAMME_COUNTRIES) == 33
    assert list(COUNTRY_GROUPS) == ["eu", "erasmus"]


def test_the_erasmus_group_stores_its_33_codes_in_the_page_language(client, representative, organization):
    client.force_login(representative)
    page = client.get("/pl" + NEW_URL.removeprefix("/en")).content.decode()
    assert "Wszystkie kraje programu Erasmus+" in page

    response = client.post(NEW_URL, form_data(organization, countries=[], countries_group=["erasmus"]))

    assert response.status_code == 302
    assert sorted(PartnerRequest.objects.get().countries.split(",")) == sorted(ERASMUS_PROGRAMME_COUNTRIES)


def test_the_eu_group_stores_the_27_codes(client, representative, organization):
    client.force_login(representative)

    response = client.post(NEW_URL, form_data(organization, countries=[], countries_group=["eu"]))

    assert response.status_code == 302
    assert sorted(PartnerRequest.objects.get().countries.split(",")) == sorted(EU_MEMBER_STATES)


def test_a_group_and_single_countries_together_store_each_code_once(client, representative, organization):
    client.force_login(representative)

    client.post(NEW_URL, form_data(organization, countries=["PL", "UA"], countries_group=["eu"]))

    codes = PartnerRequest.objects.get().countries.split(",")
    assert sorted(codes) == sorted([*EU_MEMBER_STATES, "UA"])


def test_an_unknown_group_adds_nothing(client, representative, organization):
    client.force_login(representative)

    client.post(NEW_URL, form_data(organization, countries=["DE"], countries_group=["schengen"]))

    assert PartnerRequest.objects.get().countries == "DE"


@pytest.mark.parametrize(
    ("language", "names"),
    [("pl", ["Niemcy", "Turcja", "Wszystkie państwa członkowskie UE"]), ("tr", ["Almanya", "Türkiye", "Tüm AB üyesi ülkeler"])],
)
def test_the_form_names_countries_and_the_group_in_the_pages_language(client, representative, language, names):
    client.force_login(representative)

    page = client.get(f"/{language}/partners/new/").content.decode()

    for name in names:
        assert name in page
    assert 'name="countries_group" value="eu"' in page


def test_the_group_is_shown_ticked_when_a_request_names_all_27(client, representative, organization):
    partner_request = PartnerRequestFactory(organization=organization, countries=",".join(EU_MEMBER_STATES))
    client.force_login(representative)

    page = client.get(f"/en/partners/{partner_request.pk}/edit/").content.decode()

    assert 'value="eu" id="id_countries_group_eu" data-country-group' in page
    assert 'data-country-group="{}" checked'.format(",".join(EU_MEMBER_STATES)) in page
