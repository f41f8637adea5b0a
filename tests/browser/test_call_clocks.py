"""A call's deadlines on the clocks a visitor reads: the funder's and the site's, written by the
server, and the visitor's own, added by countdown.js only when it reads differently from both."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.funding.factories import CallFactory

WINTER_DEADLINE = datetime(2031, 3, 4, 16, 0, tzinfo=UTC)  # 17:00 in Brussels, 19:00 in Istanbul


def _open_call(new_page, identifier: str, visitor_zone: str):
    page = new_page(timezone_id=visitor_zone)
    page.goto(f"/en/calls/{identifier}/")
    expect(page.locator("table.deadlines")).to_be_visible()
    page.wait_for_load_state("load")  # countdown.js runs on DOMContentLoaded, deferred
    return page


def test_a_visitor_on_the_sites_or_the_funders_clock_reads_each_deadline_twice_not_three_times(
    new_page, settings, screenshot
):
    settings.TIME_ZONE = "Europe/Istanbul"
    call = CallFactory(identifier="HORIZON-2031-CLOCKS", deadlines=[WINTER_DEADLINE])

    for visitor_zone in ("Europe/Istanbul", "Europe/Brussels", "Europe/Warsaw"):
        page = _open_call(new_page, call.identifier, visitor_zone)
        row = page.locator("table.deadlines tbody tr").first
        expect(row).to_contain_text("4 March 2031, 17:00")
        expect(row).to_contain_text("4 March 2031, 19:00")
        assert page.locator(".visitor-time").count() == 0, visitor_zone
    screenshot(page, "warsaw-visitor")


def test_a_visitor_elsewhere_also_reads_each_deadline_on_their_own_clock(new_page, settings, screenshot):
    settings.TIME_ZONE = "Europe/Istanbul"
    call = CallFactory(identifier="HORIZON-2031-ABROAD", deadlines=[WINTER_DEADLINE])

    page = _open_call(new_page, call.identifier, "America/New_York")

    own_clock = page.locator("table.deadlines .visitor-time")
    expect(own_clock).to_have_count(1)
    # 16:00 UTC is 11:00 in New York in March: written as the page writes its dates, and named.
    expect(own_clock).to_have_text(" · 4 March 2031, 11:00 (your time)")
    screenshot(page, "new-york-visitor")


def test_the_visitors_own_clock_is_written_and_named_in_the_pages_language(new_page, settings, screenshot):
    settings.TIME_ZONE = "Europe/Istanbul"
    call = CallFactory(identifier="HORIZON-2031-LANGS", deadlines=[WINTER_DEADLINE])

    for language, expected in (("pl", " · 4 marca 2031, 11:00 (Twój czas)"), ("tr", " · 4 Mart 2031, 11:00 (yerel saatiniz)")):
        page = new_page(timezone_id="America/New_York")
        page.goto(f"/{language}/calls/{call.identifier}/")
        page.wait_for_load_state("load")
        expect(page.locator("table.deadlines .visitor-time")).to_have_text(expected)
    screenshot(page, "new-york-visitor-tr")
