"""Each deployment as its people see it, on a desktop and on a phone: the authority's name and
language first, its own territories in the menus, deadlines on its clock, its privacy notice
before signing up."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicbridge.core import deployment
from tests.browser.conftest import check_accessibility
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

PROFILES = {
    "orhangazi": {
        "language": "tr", "name": "Orhangazi Kaymakamlığı", "calls": "Hibe çağrıları", "zone": "İstanbul saati",
        "home_unit": "Bursa", "foreign_unit": "Opolskie", "privacy": "Aydınlatma metni", "menu": "Menü",
        "consent": "Aydınlatma metnini okudum ve kabul ediyorum",
    },
    "opole": {
        "language": "pl", "name": "Urząd Marszałkowski Województwa Opolskiego", "calls": "Nabory wniosków",
        "zone": "czas: Warszawa", "home_unit": "opolskie", "foreign_unit": "Bursa", "privacy": "Klauzula informacyjna",
        "menu": "Menu", "consent": "Przeczytałem(-am) klauzulę informacyjną i ją akceptuję",
    },
}


@pytest.fixture(params=sorted(PROFILES))
def profile(request, settings):
    site = deployment.PRESETS[request.param]
    settings.CIVICBRIDGE_DEPLOYMENT = site
    settings.TIME_ZONE = site.time_zone
    settings.LANGUAGE_CODE = site.default_language
    names = dict(settings.CIVICBRIDGE_ALL_LANGUAGES)
    settings.LANGUAGES = [(code, names[code]) for code in site.languages]
    return site, PROFILES[request.param]


def _call_closing_at_2359_on_the_sites_clock(site):
    zone = ZoneInfo(site.time_zone)
    funder = FunderFactory(name="Home funder", time_zone=site.time_zone, country=site.country, kind="national_agency")
    deadline = (timezone.now() + timedelta(days=20)).astimezone(zone).replace(hour=23, minute=59, second=0, microsecond=0)
    return CallFactory(title="Local civic grants 2027", programme=ProgrammeFactory(funder=funder), deadlines=[deadline])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_visitor_meets_the_authority_in_its_language_on_its_clock(new_page, profile, width, screenshot):
    site, expected = profile
    call = _call_closing_at_2359_on_the_sites_clock(site)
    page = new_page()  # the browser asks for English
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/")

    assert page.url.endswith(f"/{expected['language']}/")
    expect(page.locator(".brand")).to_have_text(expected["name"])
    assert expected["name"] in page.title()
    check_accessibility(page)
    screenshot(page, f"home-{width}")

    page.goto(f"/{expected['language']}/calls/")
    expect(page.locator("h1")).to_have_text(expected["calls"])
    row = page.locator("li", has=page.get_by_role("link", name=call.title))
    expect(row).to_contain_text(f"23:59 ({expected['zone']})")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    options = page.locator("select[name=territory] option").all_inner_texts()
    assert any(expected["home_unit"] in option for option in options)
    assert not any(expected["foreign_unit"] in option for option in options)
    check_accessibility(page)
    screenshot(page, f"calls-{width}")


def test_signing_up_asks_for_the_consent_to_the_authoritys_privacy_notice(new_page, profile, screenshot):
    site, expected = profile
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/{expected['language']}/accounts/sign-up/")

    consent = page.get_by_label(expected["consent"])
    expect(consent).to_be_visible()
    check_accessibility(page)
    page.locator("footer").get_by_role("link", name=expected["privacy"]).click()

    expect(page.locator("h1")).to_contain_text(expected["privacy"].split()[0])
    expect(page.locator("main")).to_contain_text(site.name_in(expected["language"]))
    check_accessibility(page)
    screenshot(page, "privacy")


def test_a_district_without_a_code_filters_every_page_and_the_export(new_page, settings, screenshot):
    """A Turkish district has no official code: its menu option and links name it id-<id>, which
    no county's code can take the place of, on the next page and in the export too."""
    from urllib.parse import parse_qs, urlsplit

    from civicbridge.core.filters import territory_key
    from civicbridge.core.models import Territory
    from tests.directory.factories import OrganizationFactory

    site = deployment.PRESETS["orhangazi"]
    settings.CIVICBRIDGE_DEPLOYMENT, settings.TIME_ZONE, settings.LANGUAGE_CODE = site, site.time_zone, "tr"
    names = dict(settings.CIVICBRIDGE_ALL_LANGUAGES)
    settings.LANGUAGES = [(code, names[code]) for code in site.languages]
    orhangazi = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    gemlik = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Gemlik")
    for number in range(27):
        OrganizationFactory(name=f"Orhangazi Spor Kulübü {number:02d}", territory=orhangazi, description="")
    OrganizationFactory(name="Gemlik Spor Kulübü", territory=gemlik, description="")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 900})

    page.goto("/tr/organizations/")
    page.locator("form.filters #id_territory").select_option(territory_key(orhangazi))
    expect(page.locator("#results .result-count")).to_contain_text("27")
    assert parse_qs(urlsplit(page.url).query)["territory"] == [f"id-{orhangazi.pk}"]
    page.locator("#results nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    names = page.locator("#results .org-list h3 a").all_inner_texts()
    assert len(names) == 2 and all(name.startswith("Orhangazi") for name in names)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page)
    screenshot(page, "district-page-2")

    export = page.locator("#results a", has_text="CSV")
    assert parse_qs(urlsplit(export.get_attribute("href")).query)["territory"] == [f"id-{orhangazi.pk}"]
    exported = page.request.get(export.get_attribute("href")).text()
    assert exported.count("Orhangazi Spor Kulübü") == 27 and "Gemlik" not in exported


@pytest.mark.parametrize("width", [360, 390])
def test_every_page_with_the_contact_address_fits_a_phone(new_page, profile, width, screenshot):
    """The authority's e-mail address is one long word ("abkoordinasyon@demo…"): it wraps
    rather than widening the page, in the footer and on each page that writes it."""
    site, expected = profile
    page = new_page()
    page.set_viewport_size({"width": width, "height": 800})
    language = expected["language"]
    for path in ("/", "/contact/", "/privacy/", "/accessibility/"):
        page.goto(f"/{language}{path}")
        expect(page.locator("footer").get_by_role("link", name=site.contact_email)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"
    screenshot(page, f"accessibility-{width}")
