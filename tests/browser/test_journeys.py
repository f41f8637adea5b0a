"""Journeys through the real pages in headless Chromium: sign-up, log-in, search and filters
(htmx and without JavaScript), editing an organization, permissions, language switch, and
axe-core on every page visited."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from civicbridge.core.filters import territory_key
from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory, PublicBodyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "Kestrel-harbour-2931"


def log_in(page, username, password=PASSWORD):
    page.goto("/en/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def log_in_without_the_form(page, user):
    """A session cookie for ``user`` in the page's context (for tests about other pages)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": settings.CIVICBRIDGE_SITE_URL,
            }
        ]
    )


def assert_no_csp_errors(page):
    csp = [message for message in page.console_errors if "Content Security Policy" in message]
    assert not csp, "CSP violations in the console:\n" + "\n".join(csp)


# --- 1. sign-up ---------------------------------------------------------------------------


def test_sign_up_confirm_and_log_in(page, mailoutbox, screenshot):
    page.goto("/en/accounts/sign-up/")
    expect(page.locator("h1")).to_have_text("Sign up")
    check_accessibility(page)
    screenshot(page, "01-form")
    # The password rules are the field's description (aria-describedby), not a detached list.
    password = page.locator("#id_password1")
    assert "id_password1_helptext" in password.get_attribute("aria-describedby").split()
    expect(page.locator("#id_password1_helptext")).to_contain_text("at least 8 characters")

    page.get_by_label("Username").fill("ayse_kaya")
    page.get_by_label("E-mail address").fill("Ayse.Kaya@example.org")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_label("Language of e-mails").select_option("en")
    page.get_by_label("I have read the privacy notice and accept it").check()
    page.get_by_role("button", name="Create the account").click()

    expect(page.locator("h1")).to_have_text("Confirm your e-mail")
    expect(page.locator("main")).to_contain_text("ayse.kaya@example.org")
    check_accessibility(page)
    screenshot(page, "02-confirm-your-email")

    deliver_due()  # the worker's part: sign-up only queues the mail
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ayse.kaya@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", message.body).group(0)

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    expect(page.locator(".messages")).to_contain_text("Your e-mail is confirmed")
    check_accessibility(page)

    page.locator("#id_username").fill("ayse_kaya")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Logged in as ayse_kaya")
    check_accessibility(page)
    screenshot(page, "03-profile")


def test_sign_up_errors_keep_the_form(page, user, mailoutbox):
    page.goto("/en/accounts/sign-up/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("E-mail address").fill(user.email)  # taken
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Create the account").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_accessibility(page)
    expect(page.locator("#id_email_error")).to_contain_text("already exists")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_username")).to_have_value("newcomer")
    assert mailoutbox == []


# --- 2. log-in ------------------------------------------------------------------------------


def test_log_in_wrong_then_right_password(page, user, screenshot):
    log_in(page, user.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/en/accounts/login/"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("correct username and password")
    # The summary belongs to the log-in form: right above it, focused so it is announced,
    # and the user name typed is kept.
    assert page.evaluate(
        "() => document.querySelector('.error-summary').nextElementSibling === "
        "document.querySelector('#id_username').form"
    )
    expect(summary).to_be_focused()
    expect(page.locator("#id_username")).to_have_value(user.username)
    expect(page.locator("#id_password")).to_have_value("")
    check_accessibility(page)
    screenshot(page, "01-wrong-password")

    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator(".site-header")).to_contain_text(user.username)


# --- 3. search and filters ------------------------------------------------------------------


@pytest.fixture
def registry(municipality, other_county):
    from civicbridge.core.models import Territory

    brzeg = other_county.children.get(code="1601011")
    orhangazi = Territory.objects.get(
        country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi"
    )
    nyska = OrganizationFactory(
        name="Stowarzyszenie Przyjaciół Ziemi Nyskiej",
        slug="przyjaciele-ziemi-nyskiej",
        territory=municipality,
        description="Dbamy o **dziedzictwo** ziemi nyskiej.",
    )
    brzeska = OrganizationFactory(
        name="Stowarzyszenie Miłośników Ziemi Brzeskiej",
        slug="milosnicy-ziemi-brzeskiej",
        territory=brzeg,
    )
    turkish = OrganizationFactory(
        name="Orhangazi Gençlik Derneği",
        slug="orhangazi-genclik-dernegi",
        territory=orhangazi,
        description="Gençlik çalışmaları.",
    )
    for number in range(27):
        OrganizationFactory(
            name=f"Fundacja Rozwoju Lokalnego {number}",
            slug=f"fundacja-rozwoju-{number}",
            legal_form="foundation",
            territory=municipality if number % 2 else brzeg,
            description="Fundacja.",
        )
    return {"nyska": nyska, "brzeska": brzeska, "turkish": turkish}


def _result_names(page):
    return page.locator("#results .org-list h3 a").all_inner_texts()


def test_search_and_filter_with_htmx(page, registry, county, screenshot):
    page.goto("/en/organizations/")
    expect(page.locator("#results .result-count")).to_have_text("30 organizations")
    check_accessibility(page)
    screenshot(page, "01-list")

    search = page.locator("form.filters #id_q")
    search.fill("stowarzyszenia")  # another case of "stowarzyszenie"
    search.press("Enter")
    expect(page.locator("#results .result-count")).to_have_text("2 organizations")
    assert sorted(_result_names(page)) == [
        "Stowarzyszenie Miłośników Ziemi Brzeskiej",
        "Stowarzyszenie Przyjaciół Ziemi Nyskiej",
    ]
    expect(page).to_have_url(re.compile(r"[?&]q=stowarzyszenia"))
    screenshot(page, "02-searched")

    # The county select swaps #results only: the page itself is not reloaded.
    page.evaluate("() => { window.__notReloaded = true; }")
    with page.expect_response(
        lambda r: "/en/organizations/" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("form.filters #id_territory").select_option(territory_key(county))
    expect(page.locator("#results .result-count")).to_have_text("1 organization")
    assert _result_names(page) == ["Stowarzyszenie Przyjaciół Ziemi Nyskiej"]
    assert page.evaluate("() => window.__notReloaded") is True
    query = parse_qs(urlsplit(page.url).query)
    assert query["territory"] == [territory_key(county)]
    # Each swap must push the form's state, not the previous URL's query plus the form's.
    assert query["q"] == ["stowarzyszenia"], f"the pushed URL repeats parameters: {page.url}"
    expect(page.locator("#results .result-count")).to_be_focused()
    check_accessibility(page)
    screenshot(page, "03-filtered")

    # The pushed URL is a real page: loading it directly shows the same results.
    page.reload()
    expect(page.locator("#results .result-count")).to_have_text("1 organization")
    expect(page.locator("form.filters #id_territory")).to_have_value(territory_key(county))
    expect(page.locator("form.filters #id_q")).to_have_value("stowarzyszenia")

    # A Turkish name found through its lemma, accents folded.
    page.goto("/en/organizations/?q=genclik+dernek")
    assert _result_names(page) == ["Orhangazi Gençlik Derneği"]


def test_search_and_filter_without_javascript(new_page, registry, county, screenshot):
    page = new_page(java_script_enabled=False)
    page.goto("/en/organizations/")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
    expect(page.locator("#results .result-count")).to_have_text("30 organizations")
    page.locator("form.filters #id_q").fill("stowarzyszenia")
    page.locator("form.filters #id_territory").select_option(territory_key(county))
    with page.expect_navigation():
        page.locator("form.filters").get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results .result-count")).to_have_text("1 organization")
    assert _result_names(page) == ["Stowarzyszenie Przyjaciół Ziemi Nyskiej"]
    query = parse_qs(urlsplit(page.url).query)
    assert query["territory"] == [territory_key(county)] and query["q"] == ["stowarzyszenia"]
    # (No axe here: axe-core is JavaScript. The markup is the one checked with JavaScript on.)
    screenshot(page, "01-filtered-no-js")

    # The language links keep the filters.
    page.locator("nav.language-switcher").get_by_role("link", name="Polski").click()
    expect(page).to_have_url(re.compile(r"/pl/organizations/\?"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("#results .org-list h3 a")).to_have_text(
        ["Stowarzyszenie Przyjaciół Ziemi Nyskiej"]
    )


# --- 4. editing an organization -------------------------------------------------------------


def test_representative_edits_description_safely(page, organization, representative, screenshot):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, representative.username)
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))

    page.get_by_role("link", name=organization.name).first.click()
    expect(page.locator("h1")).to_have_text(organization.name)
    page.locator("main .actions").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(rf"/en/organizations/{organization.slug}/edit/$"))
    check_accessibility(page)
    screenshot(page, "01-form")

    description = (
        "We plant **orchards** in Nysa.\n\n"
        "<script>window.__injected = true; alert('xss')</script>\n\n"
        '<img src="x" onerror="window.__injected = true">'
    )
    page.locator("#id_description").fill(description)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/en/organizations/{organization.slug}/$"))
    expect(page.locator(".messages")).to_contain_text("Your changes are saved")
    expect(page.locator(".description strong")).to_have_text("orchards")
    assert page.locator("main script").count() == 0
    assert page.locator(".description [onerror]").count() == 0
    assert page.evaluate("() => window.__injected") is None
    assert dialogs == []
    check_accessibility(page)
    screenshot(page, "02-detail")


def test_invalid_krs_shows_the_error_and_keeps_the_input(
    page, organization, representative, screenshot
):
    log_in(page, representative.username)
    page.goto(f"/en/organizations/{organization.slug}/edit/")

    page.locator("#id_name").fill("Stowarzyszenie Sadów Nyskich")
    page.locator("#id_registry_type").select_option("krs")
    page.locator("#id_registry_number").fill("12345")
    page.locator("#id_phone").fill("+48 77 123 45 67")
    page.locator("#id_founding_year").fill("2004")
    page.locator("#id_description").fill("Nowy **opis**, jeszcze nie zapisany.")
    first_area = page.locator("#id_thematic_areas input[type=checkbox]").first
    first_area.check()
    area_value = first_area.get_attribute("value")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/en/organizations/{organization.slug}/edit/$"))
    error = page.locator("#id_registry_number_error")
    expect(error).to_contain_text("10 digits")
    number = page.locator("#id_registry_number")
    expect(number).to_have_attribute("aria-invalid", "true")
    assert "id_registry_number_error" in number.get_attribute("aria-describedby").split()
    # The message sits in the field's own block, between its label and the input.
    assert page.evaluate(
        """() => {
            const error = document.querySelector('#id_registry_number_error');
            const input = document.querySelector('#id_registry_number');
            return error.closest('.field') === input.closest('.field')
                && Boolean(error.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_registry_number")

    # Nothing typed is lost.
    expect(number).to_have_value("12345")
    expect(page.locator("#id_name")).to_have_value("Stowarzyszenie Sadów Nyskich")
    expect(page.locator("#id_registry_type")).to_have_value("krs")
    expect(page.locator("#id_phone")).to_have_value("+48 77 123 45 67")
    expect(page.locator("#id_founding_year")).to_have_value("2004")
    expect(page.locator("#id_description")).to_have_value("Nowy **opis**, jeszcze nie zapisany.")
    expect(page.locator(f"#id_thematic_areas input[value='{area_value}']")).to_be_checked()
    check_accessibility(page)
    screenshot(page, "01-invalid-krs")

    organization.refresh_from_db()
    assert organization.name != "Stowarzyszenie Sadów Nyskich"


# --- 5. permissions ---------------------------------------------------------------------------


def test_citizen_gets_403_on_another_organizations_edit_page(page, user, organization, screenshot):
    log_in(page, user.username)
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))
    response = page.goto(f"/en/organizations/{organization.slug}/edit/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("#id_description")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "01-forbidden")


# --- 6. language switch -------------------------------------------------------------------------


def test_language_switch(page, registry, screenshot):
    page.goto("/en/organizations/?q=stowarzyszenia")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.locator("nav.language-switcher")
    expect(switcher.locator("a[aria-current=true]")).to_have_text("English")

    with page.expect_navigation():
        switcher.get_by_role("link", name="Polski").click()
    expect(page).to_have_url(re.compile(r"/pl/organizations/\?q=stowarzyszenia$"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("h1")).to_have_text("Organizacje")
    expect(page.locator("#results .result-count")).to_contain_text("2")
    expect(switcher.locator("a[aria-current=true]")).to_have_text("Polski")
    check_accessibility(page)
    screenshot(page, "01-polish")

    with page.expect_navigation():
        switcher.get_by_role("link", name="Türkçe").click()
    expect(page).to_have_url(re.compile(r"/tr/organizations/\?q=stowarzyszenia$"))
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(switcher.locator("a[aria-current=true]")).to_have_text("Türkçe")
    check_accessibility(page)
    screenshot(page, "02-turkish")


# --- 7. every page passes axe-core; our pages raise no CSP errors -------------------------------


@pytest.fixture
def public_body(municipality):
    body = PublicBodyFactory(
        name="Urząd Miejski w Nysie", slug="urzad-miejski-w-nysie", territory=municipality
    )
    PlenipotentiaryFactory(public_body=body, full_name="Anna Kowalska", phone="+48 77 408 05 00")
    return body


PUBLIC_PAGES = {
    # name: (address, the page's own <h1>: e.g. the password pages must be ours, in the site's
    # layout, not django.contrib.admin's registration/ templates of the same name)
    "home": ("/en/", "Cooperation between public administration and civil society"),
    "organizations": ("/en/organizations/", "Organizations"),
    "organization": (
        "/en/organizations/przyjaciele-ziemi-nyskiej/",
        "Stowarzyszenie Przyjaciół Ziemi Nyskiej",
    ),
    "public-body": ("/en/organizations/urzad-miejski-w-nysie/", "Urząd Miejski w Nysie"),
    "plenipotentiaries": ("/en/plenipotentiaries/", "Plenipotentiaries for cooperation with NGOs"),
    "plenipotentiaries-county": (
        "/en/plenipotentiaries/?county={county}",
        "Plenipotentiaries for cooperation with NGOs",
    ),
    "search": ("/en/search/?q=stowarzyszenie", "Search"),
    "login": ("/en/accounts/login/", "Log in"),
    "sign-up": ("/en/accounts/sign-up/", "Sign up"),
    "password-reset": ("/en/accounts/password-reset/", "Reset your password"),
    "resend-confirmation": ("/en/accounts/confirm/resend/", "Send the confirmation link again"),
    "resend-confirmation-tr": ("/tr/accounts/confirm/resend/", None),
    "home-pl": ("/pl/", None),
    "organizations-tr": ("/tr/organizations/", None),
}
SCREENSHOTS_OF = {"home", "organizations", "organization", "public-body", "plenipotentiaries"}


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_is_accessible(page, registry, public_body, county, screenshot, name):
    address, heading = PUBLIC_PAGES[name]
    response = page.goto(address.format(county=county.pk))
    assert response.status == 200
    expect(page.locator("#main")).to_be_visible()
    if heading:
        expect(page.locator("#main h1")).to_have_text(heading)
    check_accessibility(page, report_name=name)
    if name in SCREENSHOTS_OF:
        screenshot(page, name)
    assert page.console_errors == []


@pytest.mark.parametrize(
    "address", ["/en/no-such-page/", "/en/organizations/no-such-organization/", "/pl/nie-ma/"]
)
def test_404_page_is_accessible(page, screenshot, address):
    response = page.goto(address)
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", address[1:3])
    if address.startswith("/en/"):
        expect(page.locator("#main h1")).to_have_text("Page not found")
    check_accessibility(page, report_name="404" + address.replace("/", "-"))
    screenshot(page, "404")


def test_password_reset_journey(page, user, mailoutbox, screenshot):
    page.goto("/en/accounts/password-reset/")
    expect(page.locator("#main h1")).to_have_text("Reset your password")
    check_accessibility(page, report_name="password-reset")
    page.locator("#id_email").fill(user.email)
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("#main h1")).to_have_text("Check your e-mail")
    check_accessibility(page, report_name="password-reset-done")

    deliver_due()
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.locator("#main h1")).to_have_text("Choose a new password")
    check_accessibility(page, report_name="password-reset-confirm")
    screenshot(page, "01-new-password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("#main h1")).to_have_text("Password changed")
    check_accessibility(page, report_name="password-reset-complete")

    log_in(page, user.username, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))


def test_our_pages_raise_no_csp_errors(page, registry):
    for address in ("/en/", "/en/organizations/", f"/en/organizations/{registry['nyska'].slug}/"):
        page.goto(address)
        page.wait_for_load_state("networkidle")
        # Our own script ran (CSP did not block it) and htmx loaded.
        expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
        assert page.evaluate("() => typeof window.htmx") == "object"
    assert_no_csp_errors(page)
    assert page.console_errors == []


SIGNED_IN_PAGES = {
    "profile": ("/en/accounts/profile/", "Your account"),
    "import": ("/en/organizations/import/", "Import organizations"),
    "organization-new": ("/en/organizations/new/", "Register an organization"),
    "organization-edit": ("/en/organizations/{slug}/edit/", "Edit {name}"),
    "organization-as-coordinator": ("/en/organizations/{slug}/", "{name}"),
    "memberships-pending": ("/en/accounts/memberships/pending/", "Representation requests"),
    "rights-log": ("/en/accounts/rights-log/", "Granted and revoked rights"),
    "password-change": ("/en/accounts/password-change/", "Change your password"),
    "erase": ("/en/accounts/profile/erase/", "Erase your account"),
}


@pytest.fixture
def coordinator_page(page, organization):
    coordinator = UserFactory(is_coordinator=True, is_staff=True)
    MembershipFactory(
        organization=organization, status="pending", origin="claim", message="I am on the board."
    )
    # An approved one too: its revoke form on the organization's page, its line in the rights log.
    approved = MembershipFactory(organization=organization)
    from civicbridge.accounts.services import record_rights_change

    record_rights_change(
        user=approved.user, right="membership", action="granted", by=coordinator, organization=organization,
        reason="Confirmed by the board's resolution.",
    )
    log_in_without_the_form(page, coordinator)
    return page


@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_signed_in_page_is_accessible(coordinator_page, organization, screenshot, name):
    page = coordinator_page
    address, heading = SIGNED_IN_PAGES[name]
    response = page.goto(address.format(slug=organization.slug))
    assert response.status == 200
    expect(page.locator("#main h1")).to_have_text(heading.format(name=organization.name))
    check_accessibility(page, report_name=name)
    if name in ("profile", "import", "organization-edit"):
        screenshot(page, name)
    assert_no_csp_errors(page)


def test_import_and_form_errors_are_accessible(coordinator_page, screenshot):
    page = coordinator_page
    # A file of the wrong type.
    page.goto("/en/organizations/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a spreadsheet"}]
    )
    page.get_by_role("button", name="Check the file (preview)").click()
    expect(page.locator("#id_file_error")).to_contain_text(".csv or .xlsx")
    expect(page.locator(".error-summary")).to_be_focused()
    check_accessibility(page, report_name="import-error")
    screenshot(page, "import-error")

    # A CSV with a bad row: the report table.
    csv = b"name,kind,territory\n,ngo,nowhere\n"
    page.locator("#id_file").set_input_files(
        files=[{"name": "rows.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Check the file (preview)").click()
    expect(page.locator("#report-heading")).to_be_visible()
    check_accessibility(page, report_name="import-report")
    screenshot(page, "import-report")

    # An empty organization form shows every required field's error.
    page.goto("/en/organizations/new/")
    page.locator("#main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, report_name="organization-new-errors")
    screenshot(page, "organization-new-errors")
    assert_no_csp_errors(page)


def test_api_docs_load_swagger_ui_without_csp_errors(page, screenshot):
    # Swagger UI is a third-party page: no axe here, but it must load from our own static
    # files under our CSP.
    response = page.goto("/api/v1/docs/")
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("civicbridge API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    screenshot(page, "swagger")
    assert_no_csp_errors(page)
