"""Find fields in the browser: an issuing body is typed, not picked from a menu of hundreds.
Suggestions come as one types; choosing one filters the list; the address keeps it (and not
the suggestions' address), so the filtered list can be shared and reloaded. Also at a phone's
width, with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.consultations.factories import ConsultationFactory
from tests.directory.factories import PublicBodyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def consultations_of_three_bodies(municipality):
    for name, title in (
        ("Gmina Opole", "Program współpracy Opola"),
        ("Gmina Opole Lubelskie", "Program współpracy Opola Lubelskiego"),
        ("Powiat Prudnicki", "Program współpracy Prudnika"),
    ):
        ConsultationFactory(issuing_body=PublicBodyFactory(name=name, territory=municipality), title=title)


@pytest.mark.parametrize("width", [1280, 390])
def test_an_issuing_body_is_found_by_typing_part_of_its_name(page, consultations_of_three_bodies, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/en/consultations/")
    field = page.get_by_label("Issuing body")

    field.press_sequentially("opole", delay=30)
    suggestions = page.locator("#id_body_suggestions option")
    expect(suggestions).to_have_count(2)
    assert suggestions.evaluate_all("options => options.map(option => option.value)") == [
        "Gmina Opole", "Gmina Opole Lubelskie",
    ]
    assert "bodies" not in page.url  # the suggestions' address is not the page's
    check_accessibility(page)

    field.fill("Gmina Opole")  # as choosing the first suggestion does
    field.press("Enter")
    results = page.locator("#results")
    expect(results).to_contain_text("1 consultation")
    expect(results).to_contain_text("Program współpracy Opola")
    expect(results).not_to_contain_text("Lubelskiego")
    assert "body=Gmina%20Opole" in page.url
    page.reload()
    expect(page.get_by_label("Issuing body")).to_have_value("Gmina Opole")
    expect(page.locator("#results")).to_contain_text("1 consultation")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"find-issuing-body-{width}")
