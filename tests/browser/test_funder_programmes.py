"""The calls' filters: with a funder chosen, the programme menu offers that funder's programmes
only, and a programme of another funder chosen before is let go rather than emptying the list."""

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory


def _offered(page) -> list[str]:
    """The programme menu's options a person can choose."""
    return page.locator("select[name=programme]").evaluate(
        "menu => Array.from(menu.options).filter(o => !o.disabled && !(o.parentElement.disabled)).map(o => o.textContent.trim())"
    )


def test_choosing_a_funder_narrows_the_programmes_and_keeps_the_list_filled(page, screenshot):
    commission = FunderFactory(name="European Commission")
    institute = FunderFactory(name="National Freedom Institute")
    erasmus = ProgrammeFactory(funder=commission, name="Erasmus+", code="ERASMUS")
    ProgrammeFactory(funder=commission, name="CERV", code="CERV")
    fio = ProgrammeFactory(funder=institute, name="Civic Initiatives Fund", code="FIO")
    CallFactory(programme=erasmus, title="Youth exchanges between twinned towns")
    CallFactory(programme=fio, title="Small local initiatives")

    page.goto("/en/calls/")
    assert _offered(page) == ["any programme", "CERV", "Erasmus+ (ERASMUS)", "Civic Initiatives Fund (FIO)"]
    results = page.locator("#results")
    page.locator("select[name=programme]").select_option(label="Erasmus+ (ERASMUS)")
    expect(results).to_contain_text("Youth exchanges between twinned towns")
    expect(results).not_to_contain_text("Small local initiatives")

    page.locator("select[name=funder]").select_option(label="National Freedom Institute")

    expect(results).to_contain_text("Small local initiatives")
    expect(results).not_to_contain_text("Youth exchanges between twinned towns")
    expect(page.locator("select[name=programme]")).to_have_value("")
    assert _offered(page) == ["any programme", "Civic Initiatives Fund (FIO)"]
    assert f"funder={institute.pk}" in page.url and "programme=&" in page.url
    check_accessibility(page)
    screenshot(page, "funder-narrows-programmes")

    # Reloaded at that address, the menu is narrowed the same way.
    page.reload()
    assert _offered(page) == ["any programme", "Civic Initiatives Fund (FIO)"]
