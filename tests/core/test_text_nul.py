"""A NUL or a control character in an address or a query string is never a server error (PostgreSQL refuses NUL)."""

import xml.etree.ElementTree as ET

import pytest
from rest_framework.test import APIClient

from tests.funding.factories import CallFactory

pytestmark = pytest.mark.django_db

ADDRESSES = [
    ("/en/organizations/", {"q": "Fund\x00acja"}),
    ("/en/calls/", {"q": "a\x00b"}),
    ("/en/calls/feed/", {"q": "a\x00b"}),
    ("/en/calls/deadlines.ics", {"q": "a\x00b"}),
    ("/en/partners/", {"q": "a\x00b"}),
    ("/en/plenipotentiaries/", {"q": "a\x00b"}),
    ("/en/calls/A%00B/", {}),
    ("/en/calls/A%00B/deadlines.ics", {}),
    ("/en/organizations/", {"territory": "16\x00"}),
]
API_ADDRESSES = [
    ("/api/v1/organizations/", {"search": "a\x00b"}),
    ("/api/v1/calls/", {"search": "a\x00b"}),
    ("/api/v1/calls/", {"funder": "a\x00b"}),
    ("/api/v1/partner-requests/", {"search": "a\x00b"}),
    ("/api/v1/plenipotentiaries/", {"search": "a\x00b"}),
    ("/api/v1/organizations/", {"territory": "16\x00"}),
]


@pytest.mark.parametrize(("url", "query"), ADDRESSES)
def test_a_nul_in_a_page_address_or_query_is_not_a_server_error(client, url, query):
    CallFactory()

    assert client.get(url, query).status_code in (200, 400, 404)


@pytest.mark.parametrize(("url", "query"), API_ADDRESSES)
def test_a_nul_in_an_api_query_is_a_400_or_ignored(url, query):
    CallFactory()

    assert APIClient().get(url, query).status_code in (200, 400)


@pytest.mark.parametrize("query", [{"q": "a\x01b\x0c"}, {"q": "\ufffe"}, {"status": "open\x1b"}])
def test_a_control_character_in_the_feeds_query_string_keeps_the_feed_well_formed(client, query):
    CallFactory()

    response = client.get("/en/calls/feed/", query)

    assert response.status_code == 200
    ET.fromstring(response.content)
