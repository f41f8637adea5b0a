"""Coordinators keep funders and programmes on the site's own pages (not only in the admin)."""

import pytest

from civicbridge.funding.models import Funder, Programme
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

FUNDERS_URL = "/en/funders/"


def _funder_data(**overrides):
    data = {
        "name": "Bursa Eskişehir Bilecik Development Agency", "kind": "development_agency", "country": "TR",
        "time_zone": "Europe/Istanbul", "website": "https://www.bebka.org.tr/", "description": "TR41 region.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def funders_url():
    from django.urls import reverse

    return reverse("funding:funder_list")


def test_the_funders_page_leads_coordinators_to_add_and_edit(client, coordinator, funders_url):
    funder = FunderFactory(name="European Commission")
    programme = ProgrammeFactory(funder=funder, name="CERV")
    client.force_login(coordinator)

    page = client.get(funders_url).content.decode()

    assert "/en/funders/new/" in page
    assert f"/funders/{funder.slug}/edit/" in page
    assert f"/funders/{funder.slug}/programmes/new/" in page
    assert f"/funders/{funder.slug}/programmes/{programme.pk}/edit/" in page


def test_the_funders_page_offers_no_management_to_others(client, user, funders_url):
    FunderFactory()
    client.force_login(user)

    page = client.get(funders_url).content.decode()

    assert "/edit/" not in page and "Add a funder" not in page


def test_a_coordinator_adds_a_funder_chosen_country_by_name(client, coordinator, funders_url):
    client.force_login(coordinator)
    page = client.get(f"{funders_url}new/").content.decode()
    assert ">Türkiye<" in page  # the country by name, not a code to type

    response = client.post(f"{funders_url}new/", _funder_data())

    assert response.status_code == 302
    funder = Funder.objects.get()
    assert (funder.name, funder.kind, funder.country, funder.time_zone) == (
        "Bursa Eskişehir Bilecik Development Agency", "development_agency", "TR", "Europe/Istanbul",
    )
    assert funder.slug == "bursa-eskisehir-bilecik-development-agency"


@pytest.mark.parametrize("role", ["user", "officer"])
def test_others_get_403_and_nothing_changes(client, request, role):
    person = request.getfixturevalue(role)
    funder = FunderFactory(name="European Commission")
    programme = ProgrammeFactory(funder=funder, name="CERV")
    client.force_login(person)
    base = f"/en/funders/{funder.slug}"

    assert client.get("/en/funders/new/").status_code == 403
    assert client.post("/en/funders/new/", _funder_data()).status_code == 403
    assert client.post(f"{base}/edit/", _funder_data(name="Hacked")).status_code == 403
    assert client.post(f"{base}/programmes/new/", {"name": "Hacked"}).status_code == 403
    assert client.post(f"{base}/programmes/{programme.pk}/edit/", {"name": "Hacked"}).status_code == 403
    assert list(Funder.objects.values_list("name", flat=True)) == ["European Commission"]
    assert list(Programme.objects.values_list("name", flat=True)) == ["CERV"]


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/en/funders/new/")

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_bad_input_gets_a_message_and_changes_nothing(client, coordinator):
    funder = FunderFactory(name="European Commission", website="https://commission.europa.eu/")
    client.force_login(coordinator)

    response = client.post(
        f"/en/funders/{funder.slug}/edit/", _funder_data(name="", website="not an address", time_zone="Mars/Base"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "website", "time_zone"} <= set(errors)
    assert "error-summary" in response.content.decode()
    funder.refresh_from_db()
    assert (funder.name, funder.website) == ("European Commission", "https://commission.europa.eu/")


def test_a_second_programme_of_the_same_name_is_refused_with_a_message(client, coordinator):
    funder = FunderFactory()
    ProgrammeFactory(funder=funder, name="CERV")
    client.force_login(coordinator)

    response = client.post(f"/en/funders/{funder.slug}/programmes/new/", {"name": "CERV", "code": "cerv"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Programme.objects.count() == 1


def test_a_coordinator_adds_and_edits_a_programme(client, coordinator):
    funder = FunderFactory()
    client.force_login(coordinator)

    client.post(f"/en/funders/{funder.slug}/programmes/new/", {"name": "Erasmus+", "code": "erasmus", "period": "2021-2027"})
    programme = Programme.objects.get()
    response = client.post(
        f"/en/funders/{funder.slug}/programmes/{programme.pk}/edit/",
        {"name": "Erasmus+ (2021-2027)", "code": "ERASMUS", "period": "2021-2027"},
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.funder, programme.name, programme.code) == (funder, "Erasmus+ (2021-2027)", "ERASMUS")


def test_a_programme_of_another_funder_is_not_found_under_this_one(client, coordinator):
    funder, other = FunderFactory(), FunderFactory()
    programme = ProgrammeFactory(funder=other)
    client.force_login(coordinator)

    assert client.get(f"/en/funders/{funder.slug}/programmes/{programme.pk}/edit/").status_code == 404


def test_a_renamed_funder_keeps_its_address_name_and_old_links_still_filter(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    funder = FunderFactory(name="Narodowy Instytut Wolności", slug="niw")
    CallFactory(identifier="NIW-2027-FIO", programme=ProgrammeFactory(funder=funder))
    CallFactory(identifier="OTHER-2027")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/funders/{funder.slug}/edit/",
            _funder_data(name="Narodowy Instytut Wolności – Centrum Rozwoju Społeczeństwa Obywatelskiego",
                         kind="national_agency", country="PL", time_zone="Europe/Warsaw"),
        )

    assert response.status_code == 302
    funder.refresh_from_db()
    assert funder.slug == "niw"
    page = client.get("/en/calls/", {"funder": "niw"}).content.decode()
    assert "NIW-2027-FIO" in page and "OTHER-2027" not in page
    # The calls are found by the funder's new name.
    assert "NIW-2027-FIO" in client.get("/en/calls/", {"q": "Centrum Rozwoju"}).content.decode()


def test_the_time_zone_menu_offers_the_clocks_in_use_first_then_all_by_name_in_the_page_language(client, coordinator):
    import re

    from unidecode import unidecode

    FunderFactory(name="European Commission", time_zone="Europe/Brussels")
    client.force_login(coordinator)

    page = client.get("/pl/funders/new/").content.decode()

    menu = page[page.index('name="time_zone"'):]
    menu = menu[:menu.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', menu, flags=re.S)
    assert [label for label, _options in groups] == ["W użyciu", "Wszystkie strefy czasowe"]
    in_use = re.findall(r'<option value="([^"]+)"', groups[0][1])
    assert set(in_use) == {"Europe/Brussels", "Europe/Warsaw"}  # a funder's clock, and the deployment's
    names = re.findall(r"<option [^>]*>([^<]+)</option>", groups[1][1])
    assert len(names) > 300 and any(name.endswith(" – Europe/Warsaw") for name in names)
    assert names == sorted(names, key=lambda name: unidecode(name).lower())
