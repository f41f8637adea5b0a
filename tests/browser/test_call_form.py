"""The call form and the partner request form in headless Chromium: deadline rows added with the
button, countries chosen by group, no form wider than the window (1,280 and 360 px), axe-core."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from civicbridge.core.countries import EU_MEMBER_STATES
from civicbridge.funding.models import Call
from civicbridge.partners.models import PartnerRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import assert_no_csp_errors, log_in_without_the_form
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import FunderFactory, ProgrammeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (1280, 360)
LONG_FUNDER = "Bursa Eskişehir Bilecik Kalkınma Ajansı (BEBKA) – Bursa Eskişehir Bilecik Development Agency"
LONG_PROGRAMME = "Mali Destek Programı: Sosyal Kalkınma, Kırsal Kalkınma ve Yenilikçi Girişimcilik Mali Destek Programı"


def fits_the_window(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_coordinator_enters_a_two_stage_call_with_rows_added_by_the_button_and_the_eu_group(
    page, screenshot, width
):
    coordinator = UserFactory(is_coordinator=True, is_staff=True)
    programme = ProgrammeFactory(name="CERV", funder=FunderFactory(name="European Commission", time_zone="Europe/Brussels"))
    # A long name in a menu widens the menu; inside a fieldset it used to widen the page.
    ProgrammeFactory(name=LONG_PROGRAMME, funder=FunderFactory(name=LONG_FUNDER))
    page.set_viewport_size({"width": width, "height": 900})
    log_in_without_the_form(page, coordinator)

    page.goto("/en/calls/new/")
    rows = page.locator("[data-deadline-row]:visible")
    expect(rows).to_have_count(1)  # one row for a new call; the spare ones wait for the button
    assert fits_the_window(page), "the call form is wider than the window"
    check_accessibility(page, report_name=f"call-form-{width}")
    screenshot(page, "empty")

    page.locator("#id_identifier").fill("CERV-2027-CITIZENS-TOWN-TT")
    page.locator("#id_title").fill("Town twinning")
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("#id_deadline_model").select_option("two_stage")
    expect(rows).to_have_count(2)  # a two-stage call needs two rows
    page.get_by_role("button", name="Add a deadline").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#id_deadlines-2-date")).to_be_focused()
    page.get_by_role("button", name="Add a deadline").click()
    expect(rows).to_have_count(4)  # past the spare rows: a new row from the template
    page.get_by_role("button", name="Remove deadline 4").click()
    page.get_by_role("button", name="Remove deadline 3").click()
    expect(rows).to_have_count(2)
    page.locator("#id_deadlines-0-date").fill("2027-02-10")
    page.locator("#id_deadlines-0-time").fill("17:00")
    page.locator("#id_deadlines-1-date").fill("2027-09-15")
    page.locator("#id_deadlines-1-time").fill("17:00")
    page.get_by_label("All EU member states").check()
    expect(page.get_by_label("Poland", exact=True)).to_be_checked()
    expect(page.get_by_label("Türkiye", exact=True)).not_to_be_checked()
    assert fits_the_window(page), "the filled call form is wider than the window"
    screenshot(page, "filled")

    page.locator("main form.call-form button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Town twinning")
    call = Call.objects.get(identifier="CERV-2027-CITIZENS-TOWN-TT")
    assert [d.deadline_at for d in call.deadlines.order_by("stage")] == [
        datetime(2027, 2, 10, 16, 0, tzinfo=UTC), datetime(2027, 9, 15, 15, 0, tzinfo=UTC),
    ]
    assert sorted(call.eligible_countries.split(",")) == sorted(EU_MEMBER_STATES)
    expect(page.locator("main")).to_contain_text("Poland")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"/en/calls/{call.identifier}/edit/")
    expect(rows).to_have_count(2)
    expect(page.locator("#id_deadlines-1-date")).to_have_value("2027-09-15")
    expect(page.get_by_label("All EU member states")).to_be_checked()
    assert fits_the_window(page)
    check_accessibility(page, report_name=f"call-form-edit-{width}")
    assert not page.console_errors, page.console_errors
    assert_no_csp_errors(page)


def test_the_call_form_works_without_javascript(new_page, screenshot):
    coordinator = UserFactory(is_coordinator=True, is_staff=True)
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    page = new_page(java_script_enabled=False)
    log_in_without_the_form(page, coordinator)

    page.goto("/en/calls/new/")
    expect(page.locator("[data-deadline-row]")).to_have_count(3)  # spare rows to fill in
    page.locator("#id_identifier").fill("OPOLSKIE-2027-OKO-1")
    page.locator("#id_title").fill("Kultura")
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("#id_deadline_model").select_option("multiple_cut_off")
    page.locator("#id_deadlines-0-date").fill("2027-01-15")
    page.locator("#id_deadlines-0-time").fill("15:30")
    page.locator("#id_deadlines-2-date").fill("2027-03-15")
    page.locator("#id_deadlines-2-time").fill("15:30")
    page.get_by_label("All EU member states").check()
    screenshot(page, "no-js")
    page.locator("main form.call-form button[type=submit]").click()

    call = Call.objects.get(identifier="OPOLSKIE-2027-OKO-1")
    assert call.deadlines.count() == 2
    assert len(call.eligible_countries.split(",")) == 27


@pytest.mark.parametrize("width", WIDTHS)
def test_the_partner_request_form_fits_the_window_and_takes_the_eu_group(page, screenshot, width):
    user = UserFactory()
    organization = OrganizationFactory(name="Fundacja Opolska")
    MembershipFactory(user=user, organization=organization)
    page.set_viewport_size({"width": width, "height": 900})
    log_in_without_the_form(page, user)

    page.goto("/en/partners/new/")
    assert fits_the_window(page), "the partner request form is wider than the window"
    check_accessibility(page, report_name=f"partner-request-form-{width}")
    page.get_by_label("All EU member states").check()
    expect(page.get_by_label("Germany", exact=True)).to_be_checked()
    page.get_by_label("Germany", exact=True).uncheck()
    expect(page.get_by_label("All EU member states")).not_to_be_checked()
    page.locator("#id_title").fill("Youth exchange partners")
    page.locator("#id_description").fill("We seek partners for a youth exchange.")
    screenshot(page, "filled")
    page.locator("main form[method=post] button[type=submit]").click()

    partner_request = PartnerRequest.objects.get()
    assert sorted(partner_request.countries.split(",")) == sorted(set(EU_MEMBER_STATES) - {"DE"})
