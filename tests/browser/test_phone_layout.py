"""The pages on a phone (360 and 390 px wide) and on a desktop (1280 px).

On a phone nothing scrolls sideways, the header's links fold behind a menu button (open
without JavaScript), each table row is a card whose cells name their column, and what a
finger taps is at least 44 × 44 px. On a desktop the header is as it always was.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_every_page import LANGUAGES, PAGES, _sign_in
from tests.browser.test_every_page import site as every_page_site  # noqa: F401 (its fixture)
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory
from tests.funding.factories import CallFactory
from tests.partners.factories import (
    ExpressionOfInterestFactory,
    PartnerRequestFactory,
    TwinningFactory,
)

PHONE_WIDTHS = (360, 390)
MENU = {"en": "Menu", "pl": "Menu", "tr": "Menü"}
DESKTOP_WIDTH = 1280
SMALLEST_TARGET = 44  # CSS px, WCAG 2.5.5

# What sticks out past the right edge: the page's width and the outermost such elements.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  });
  const outermost = wide.filter((element) => !wide.includes(element.parentElement));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    culprits: outermost.slice(0, 10).map((element) => element.outerHTML.slice(0, 160)),
  };
}"""

# Each cell of a table's body against its column's header: the name it shows must be the one
# the header says.
UNLABELLED_CELLS = """() => {
  const wrong = [];
  for (const table of document.querySelectorAll("main table")) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      for (const cell of row.cells) {
        if (cell.tagName !== "TD" || cell.colSpan > 1) continue;
        const label = getComputedStyle(cell, "::before").content;
        const expected = JSON.stringify(headers[cell.cellIndex]);
        if (label !== expected) wrong.push(`${expected} shown as ${label}: ${cell.outerHTML.slice(0, 100)}`);
      }
    }
  }
  return wrong;
}"""

# Visible targets smaller than a fingertip, among those WCAG's 44 px is asked of here.
SMALL_TARGETS = """([selector, size]) => {
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(element).visibility === "hidden") continue;
    if (box.width < size - 0.5 || box.height < size - 0.5) {
      small.push(`${Math.round(box.width)}×${Math.round(box.height)} ${element.outerHTML.slice(0, 100)}`);
    }
  }
  return small;
}"""
TARGETS = (
    ".site-header a, .site-header button, .site-footer nav a, main button, main .button, "
    ".pagination a, .choices label, .field-checkbox label"
)


def phone(new_page, width, **context_options):
    page = new_page(**context_options)
    page.set_viewport_size({"width": width, "height": 800})
    return page


def assert_fits(page):
    measure = page.evaluate(OVERFLOW)
    assert measure["scrollWidth"] <= measure["innerWidth"], (
        f"{page.url} is {measure['scrollWidth']} px wide in a {measure['innerWidth']} px window; "
        "sticking out:\n  " + "\n  ".join(measure["culprits"])
    )


def assert_cells_labelled(page):
    wrong = page.evaluate(UNLABELLED_CELLS)
    assert not wrong, f"{page.url}: cells without their column's name:\n  " + "\n  ".join(wrong)


def assert_targets_big_enough(page, selector=TARGETS):
    small = page.evaluate(SMALL_TARGETS, [selector, SMALLEST_TARGET])
    assert not small, f"{page.url}: targets under {SMALLEST_TARGET} px:\n  " + "\n  ".join(small)


@pytest.fixture
def phone_site(municipality, county):
    ngo = UserFactory(username="ngo")
    body = PublicBodyFactory(
        name="Urząd Miejski w Nysie", slug="urzad-miejski-w-nysie", territory=municipality
    )
    organization = OrganizationFactory(
        name="Stowarzyszenie Przyjaciół Ziemi Nyskiej", slug="przyjaciele-ziemi-nyskiej",
        territory=municipality, description="Dbamy o **dziedzictwo** ziemi nyskiej.",
    )
    for number in range(30):  # two pages of organizations: pagination links
        OrganizationFactory(
            name=f"Stowarzyszenie Rozwoju Wsi {number}", slug=f"stowarzyszenie-rozwoju-{number}",
            territory=municipality,
        )
    MembershipFactory(user=ngo, organization=organization)
    # The longest contact the table holds: an address with no place to break.
    PlenipotentiaryFactory(
        public_body=body, full_name="Anna Kowalska-Wiśniewska", phone="+48 77 408 05 00",
        email="anna.kowalska-wisniewska@urzad-miejski-nysa.example.pl",
    )
    call = CallFactory(
        identifier="FIO-2026-LOCAL-01", title="Lokalne inicjatywy obywatelskie",
        territories=[county],
    )
    # Seeking NGOs: its poster sees the organizations that fit (score, reasons, an invitation
    # button per row), and the requests that fit the poster's organization come from the body.
    partner_request = PartnerRequestFactory(organization=organization, partner_kinds="ngo")
    ExpressionOfInterestFactory(request=partner_request, organization=body)
    PartnerRequestFactory(organization=body, title="Partnerzy do Nyskiego Budżetu Obywatelskiego", partner_kinds="ngo")
    TwinningFactory()
    with translation.override("en"):
        pages = {
            "home": reverse("core:home"),
            "organizations": reverse("directory:organization_list"),
            "organization": organization.get_absolute_url(),
            "calls": reverse("funding:call_list"),
            "call": call.get_absolute_url(),
            "funders": reverse("funding:funder_list"),
            "partner-requests": reverse("partners:request_list"),
            "partner-request": partner_request.get_absolute_url(),
            "plenipotentiaries": reverse("directory:plenipotentiary_list"),
            "twin-cities": reverse("partners:twinning_list"),
            "log-in": reverse("accounts:login"),
            "sign-up": reverse("accounts:sign_up"),
        }
        signed_in_pages = {
            "profile": reverse("accounts:profile"),
            "new-alert": reverse("alerts:subscribe", kwargs={"alertable": "calls"}),
            "fitting-requests": reverse("partners:organization_requests", kwargs={"slug": organization.slug}),
        }
    return SimpleNamespace(ngo=ngo, pages=pages, signed_in_pages=signed_in_pages)


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_pages_fit_a_phone_with_labelled_cells_and_big_targets(
    new_page, site_url, phone_site, screenshot, width, signed_in
):
    page = phone(new_page, width)
    pages = dict(phone_site.pages)
    if signed_in:
        _sign_in(page.context, phone_site.ngo, site_url)
        pages |= phone_site.signed_in_pages
    for name, url in pages.items():
        assert page.goto(url).status == 200
        expect(page.get_by_role("button", name="Menu")).to_be_visible()
        assert_fits(page)
        assert_cells_labelled(page)
        assert_targets_big_enough(page)
        check_accessibility(page, report_name=f"phone-{width}-{name}")
        screenshot(page, name)
    assert not page.console_errors


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_menu_button_opens_and_closes_the_navigation(new_page, site_url, phone_site, screenshot, width):
    page = phone(new_page, width)
    _sign_in(page.context, phone_site.ngo, site_url)
    page.goto(phone_site.pages["twin-cities"])
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#" + button.get_attribute("aria-controls"))
    header_links = [
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls for proposals"),
        page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out"),
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Polski"),
        page.get_by_role("search").get_by_role("searchbox"),
    ]

    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    for link in header_links:
        expect(link).to_be_hidden()

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    for link in header_links:
        expect(link).to_be_visible()
    assert_fits(page)
    assert_targets_big_enough(page)
    check_accessibility(page, report_name=f"phone-{width}-menu-open")
    screenshot(page, "menu-open")

    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    # From the keyboard: into the menu, and Escape brings focus back to the button.
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Organizations")).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    # The menu leads somewhere.
    button.click()
    menu.get_by_role("link", name="Plenipotentiaries").click()
    expect(page.locator("h1")).to_have_text("Plenipotentiaries for cooperation with NGOs")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")
    assert not page.console_errors


def test_without_javascript_the_navigation_is_in_view_on_a_phone(new_page, phone_site, screenshot):
    page = phone(new_page, PHONE_WIDTHS[0], java_script_enabled=False)
    page.goto(phone_site.pages["home"])
    # A button that nothing would answer is not shown.
    expect(page.locator(".menu-button")).to_be_hidden()
    for name in ("Organizations", "Twin cities", "Log in", "Polski"):
        expect(page.locator(".site-header").get_by_role("link", name=name)).to_be_visible()
    box = page.locator(".site-header").bounding_box()
    assert box["x"] + box["width"] <= PHONE_WIDTHS[0]
    screenshot(page, "no-javascript")


def test_a_table_row_is_a_card_of_labelled_cells_on_a_phone(new_page, phone_site, screenshot):
    page = phone(new_page, PHONE_WIDTHS[0])
    page.goto(phone_site.pages["plenipotentiaries"])
    row = page.locator("main table tbody tr").first
    cells = row.locator("td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(cells.count())] == [
        "Public body", "Plenipotentiary", "Contact",
    ]
    # The cells are stacked, each under the name of its column, within the screen's width.
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(box["x"] + box["width"] <= PHONE_WIDTHS[0] for box in boxes)
    label = cells.nth(2).evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Contact"'
    # The header row is hidden from sight only: screen readers still have it.
    expect(page.get_by_role("columnheader", name="Contact")).to_have_count(1)
    screenshot(page, "plenipotentiaries")

    # On a desktop the same table has its columns again, and no generated names.
    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    assert cells.nth(2).evaluate("cell => getComputedStyle(cell, '::before').content") == "none"


def test_the_desktop_header_shows_the_navigation_without_a_menu_button(
    new_page, site_url, phone_site, screenshot
):
    page = new_page()
    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})
    _sign_in(page.context, phone_site.ngo, site_url)
    page.goto(phone_site.pages["organizations"])
    expect(page.locator(".menu-button")).to_be_hidden()
    for name in ("Organizations", "Calls for proposals", "Consultations", "ngo", "Polski"):
        expect(page.locator(".site-header").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("search").get_by_role("searchbox")).to_be_visible()
    # As before the menu existed: its wrapper takes no box, the main links stand in a row.
    assert page.locator("#site-menu").evaluate("menu => getComputedStyle(menu).display") == "contents"
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    assert len({round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}) == 1
    assert_fits(page)
    check_accessibility(page, report_name="desktop-organizations")
    screenshot(page, "desktop")


def test_every_page_fits_a_phone_in_every_language(new_page, site_url, request):
    """The pages of test_every_page at the narrowest phone width, in each language (Polish
    and Turkish words run longer than English ones), with the menu button in that language."""
    assert set(MENU) == set(LANGUAGES)
    site = request.getfixturevalue("every_page_site")
    problems = []
    pages = [(name, visit) for name, visits in PAGES.items() for visit in visits]
    for role in sorted({visit.role for _name, visit in pages}):
        page = phone(new_page, PHONE_WIDTHS[0])
        if role != "anonymous":
            _sign_in(page.context, site.users[role], site_url)
        for language in LANGUAGES:
            for name, visit in pages:
                if visit.role != role:
                    continue
                with translation.override(language):
                    url = visit.url(name, site)
                page.goto(url)
                menu_button = page.locator(".menu-button")
                if menu_button.text_content() != MENU[language]:
                    problems.append(f"{language} {role} {name}: {menu_button.text_content()!r}")
                for check in (assert_fits, assert_cells_labelled):
                    try:
                        check(page)
                    except AssertionError as error:
                        problems.append(f"{language} {role} {name}: {error}")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
