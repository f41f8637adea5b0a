"""A filtered search of the registry, paged and exported through the page's own links: page 2
keeps the search and shows other rows, and the CSV and XLSX files hold exactly the matches."""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.directory.factories import OrganizationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MATCHING = 31  # more than one page (25 rows) of matches


@pytest.fixture
def registry(municipality, other_county):
    brzeg = other_county.children.get(code="1601011")
    for number in range(MATCHING):
        OrganizationFactory(
            name=f"Stowarzyszenie Sadowników {number:02d}", slug=f"sadownicy-{number:02d}",
            territory=municipality,
        )
    # Matches the words but not the county; matches the county but not the words.
    for number in range(12):
        OrganizationFactory(
            name=f"Stowarzyszenie Sadowników Brzeskich {number:02d}",
            slug=f"sadownicy-brzescy-{number:02d}", territory=brzeg,
        )
    for number in range(12):
        OrganizationFactory(
            name=f"Fundacja Rozwoju {number:02d}", slug=f"fundacja-rozwoju-{number:02d}",
            legal_form="foundation", territory=municipality, description="Fundacja.",
        )


def _names(page):
    return page.locator("#results .org-list h3 a").all_inner_texts()


def _query(url):
    return parse_qs(urlsplit(url).query)


def test_a_filtered_search_pages_and_exports_exactly_its_matches(page, registry, county, screenshot):
    page.goto(f"/en/organizations/?q=sadowników&territory={county.pk}")
    expect(page.locator("#results .result-count")).to_have_text(f"{MATCHING} organizations")
    first_page = _names(page)
    assert len(first_page) == 25
    assert all(name.startswith("Stowarzyszenie Sadowników") for name in first_page)
    assert not any("Brzeskich" in name for name in first_page)

    page.locator("#results nav.pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    query = _query(page.url)
    assert query["q"] == ["sadowników"] and query["territory"] == [str(county.pk)]
    expect(page.locator("#results .result-count")).to_have_text(f"{MATCHING} organizations")
    second_page = _names(page)
    assert len(second_page) == MATCHING - 25
    assert not set(second_page) & set(first_page), "page 2 repeats rows of page 1"
    assert sorted(first_page + second_page) == [
        f"Stowarzyszenie Sadowników {number:02d}" for number in range(MATCHING)
    ]
    check_accessibility(page)
    screenshot(page, "page-2")

    # The export links carry the search and the filter, not the page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    export_query = _query(download.url)
    assert export_query["q"] == ["sadowników"] and export_query["territory"] == [str(county.pk)]
    assert "page" not in export_query
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == MATCHING
    assert sorted(row["Name"] for row in rows) == sorted(first_page + second_page)  # the page's language

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "page" not in _query(download.url) and _query(download.url)["q"] == ["sadowników"]
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    sheet = workbook.worksheets[0]
    header, *data = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    names = sorted(row[list(header).index("Name")] for row in data)
    assert names == sorted(first_page + second_page)
