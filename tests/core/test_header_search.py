"""The header's search box holds what was searched on the site search page, and nothing a
page's own query means for itself (a list's filters, a form's finder)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def header_box(html: str) -> str:
    return re.search(r'<input id="site-search-q"[^>]*value="([^"]*)"', html).group(1)


def test_the_site_search_page_keeps_its_words_in_the_header_box(client):
    assert header_box(client.get("/en/search/", {"q": "harbour"}).content.decode()) == "harbour"


def test_a_filtered_list_leaves_the_header_box_empty(client):
    assert header_box(client.get("/en/calls/", {"status": "open"}).content.decode()) == ""


def test_a_form_that_finds_organizations_leaves_the_header_box_empty(client, coordinator):
    client.force_login(coordinator)  # a coordinator posts on an organization's behalf: a finder

    page = client.get("/en/partners/new/", {"find": "sports"}).content.decode()

    assert header_box(page) == "" and 'value="sports"' in page
