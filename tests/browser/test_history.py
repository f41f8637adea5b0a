"""Back after filtering a list that htmx updates in place: the page comes back as the server
draws it for that address, so the filters' controls, the address and the results agree, and
the next change keeps every filter the address holds."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.directory.factories import OrganizationFactory


def kinds(page) -> list[str]:
    return sorted(parse_qs(urlsplit(page.url).query).get("kind", []))


def test_after_back_the_filters_match_the_address_and_the_results(page, municipality, county, screenshot):
    for number in range(3):
        OrganizationFactory(name=f"Firma {number}", kind="business", territory=municipality)
    for number in range(2):
        OrganizationFactory(name=f"Stowarzyszenie {number}", kind="ngo", territory=municipality)
    # A reload makes Chromium ask for /favicon.ico besides the page's own icon: not the page's error.
    errors = []
    page.on("console", lambda message: message.type == "error" and not message.location["url"].endswith(
        "/favicon.ico") and errors.append(message.text))
    page.goto("/en/organizations/")
    count = page.locator(".result-count")

    page.get_by_label("business", exact=True).check()
    expect(count).to_have_text("3 organizations")
    assert kinds(page) == ["business"]
    page.get_by_label("non-governmental organization", exact=True).check()
    expect(count).to_have_text("5 organizations")
    assert kinds(page) == ["business", "ngo"]

    page.go_back()

    expect(count).to_have_text("3 organizations")
    assert kinds(page) == ["business"]
    expect(page.get_by_label("business", exact=True)).to_be_checked()
    expect(page.get_by_label("non-governmental organization", exact=True)).not_to_be_checked()
    # The header's log-in link leads back to the address shown, filters included.
    expect(page.locator(".site-header a[data-next-here]").first).to_have_attribute(
        "href", re.compile(r"next=.*kind.*business")
    )

    # The next change builds on what the address holds, not on a form left behind.
    page.get_by_label("non-governmental organization", exact=True).check()
    expect(count).to_have_text("5 organizations")
    assert kinds(page) == ["business", "ngo"]
    screenshot(page, "after-back")
    assert not errors
