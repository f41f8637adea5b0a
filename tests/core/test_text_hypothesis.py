"""Text of every Unicode category, stored straight into every text field, breaks nothing.

Rows are written with the ORM, past every input check, as an old release, the admin or
a database console could have left them. Then every page, export, feed, calendar and API
answer that shows them must be a 200 and parse back with the library a reader would use.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL (which cannot store a NUL at all:
there the strategy leaves NUL out, and the input tests prove it never gets that far).
"""

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from openpyxl import load_workbook
from rest_framework.test import APIClient

from civicbridge.core.validators import clean_text
from civicbridge.directory.models import Organization, Plenipotentiary
from civicbridge.funding.models import Call, CallDeadline, Funder, Programme
from civicbridge.funding.services import IDENTIFIER
from civicbridge.partners.models import PartnerRequest
from tests.accounts.factories import UserFactory
from tests.directory.factories import OrganizationFactory, PlenipotentiaryFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("CIVICBRIDGE_TEXT_EXAMPLES", "30"))
NUL_STORABLE = connection.vendor != "postgresql"
# Characters that break formats, written in more often than chance would: controls, line
# and paragraph separators, bidirectional overrides, BOM, noncharacters, Markdown's own
# placeholder delimiters, and what HTML, CSV, spreadsheets and iCalendar give meaning to.
TRICKY = [
    "\x00", "\x01", "\x02", "\x03", "\x08", "\t", "\n", "\r", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",
    "\u00ad", "\u200b", "\u200d", "\u200e", "\u202e", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff",
    "\U0010ffff", "\ue000", "\u0301", "\u05d0", "\u0627", "<", ">", "&", '"', "'", "=", "+", "-", "@",
    "\\", ";", ",", "/", "%", "{", "}", "*", "_", "`", "#", "[", "]", "(", ")", ":", "&#2;", "<b>",
    "\x02wzxhzdk:0\x03",
]
if not NUL_STORABLE:
    TRICKY = [t for t in TRICKY if "\x00" not in t]

CHARACTERS = st.characters(
    codec=None, categories=None, exclude_categories=("Cs",),  # a surrogate cannot even be encoded
    exclude_characters="" if NUL_STORABLE else "\x00",
)
TEXT = st.lists(st.one_of(CHARACTERS, st.sampled_from(TRICKY)), max_size=30).map("".join)
LINES = st.lists(TEXT, max_size=4).map("\n".join)  # Markdown and multi-line text

FIELDS = {
    Organization: ["name", "registry_number", "address", "postal_code", "description", "website", "email", "phone"],
    Plenipotentiary: ["full_name", "position", "email", "phone", "office_address"],
    Funder: ["name", "description", "website"],
    Programme: ["code", "name", "period", "website"],
    Call: [
        "identifier", "title", "summary", "type_of_action", "eligible_kinds", "eligible_countries",
        "languages", "documents_url", "currency",
    ],
    CallDeadline: ["label"],
    PartnerRequest: ["title", "description", "role_sought", "partner_kinds", "countries", "expected_contribution"],
}


def _values(model):
    fields = {}
    for name in FIELDS[model]:
        field = model._meta.get_field(name)
        strategy = LINES if field.get_internal_type() == "TextField" else TEXT
        if field.max_length:
            strategy = strategy.map(lambda text, limit=field.max_length: text[:limit])
        fields[name] = strategy
    return st.fixed_dictionaries(fields)


STORED = st.fixed_dictionaries({model: _values(model) for model in FIELDS})


def _store(values):
    """One of everything, each text field holding the generated text (past every check)."""
    organization = OrganizationFactory(registry_type=Organization.RegistryType.KRS, **values[Organization])
    PlenipotentiaryFactory(**values[Plenipotentiary])
    funder = FunderFactory(**values[Funder])
    programme = ProgrammeFactory(funder=funder, **values[Programme])
    call_values = dict(values[Call])
    # The identifier is the last part of the call's address and is checked as such at input
    # (letters, digits, . _ -); the rest of it is anything, as an old row could hold.
    # An identifier holding a NUL names no address at all (a 404, tests/core/test_text_nul.py).
    call_values["identifier"] = "ID" + call_values["identifier"].replace("/", "").replace("\x00", "")[:100]
    call = CallFactory(programme=programme, **call_values)
    CallDeadline.objects.filter(call=call).update(**values[CallDeadline])
    partner_request = PartnerRequestFactory(organization=organization, **values[PartnerRequest])
    return organization, call, partner_request


class _StrictHTML(HTMLParser):
    """Parses the page; any exception surfaces (the standard parser tolerates much, not everything)."""


def _html(response):
    assert response.status_code == 200, response
    _StrictHTML().feed(response.content.decode("utf-8"))


def _json(response):
    assert response.status_code == 200, response
    return json.loads(response.content.decode("utf-8"))


@pytest.fixture
def coordinator_client(client):
    # Created once per test, outside the examples' rolled-back transactions.
    from django.test import Client

    exporter = Client()
    exporter.force_login(UserFactory(is_coordinator=True, is_staff=True))
    return exporter


@settings(
    max_examples=MAX_EXAMPLES, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(values=STORED)
def test_every_output_answers_200_and_parses_whatever_text_is_stored(client, coordinator_client, values):
    with transaction.atomic():
        cache.clear()  # every example on the uncached path; pages are cached per version otherwise
        organization, call, partner_request = _store(values)
        # What a visitor would search for: a word of the name as the page shows it.
        word = (clean_text(organization.name, multiline=False).split() or ["x"])[0]
        api = APIClient()

        _html(client.get("/en/organizations/"))
        _html(client.get(organization.get_absolute_url()))
        _html(client.get("/en/organizations/", {"q": word}))
        _html(client.get("/en/plenipotentiaries/"))
        _html(client.get("/en/calls/"))
        _html(client.get(call.get_absolute_url()))
        _html(client.get("/en/calls/", {"q": (clean_text(call.title, multiline=False).split() or ["x"])[0]}))
        _html(client.get("/en/funders/"))
        _html(client.get("/en/partners/"))
        _html(client.get(partner_request.get_absolute_url()))
        _html(client.get("/pl/partners/", {"q": word}))

        feed = client.get("/en/calls/feed/")
        assert feed.status_code == 200
        ET.fromstring(feed.content)
        parsed = feedparser.parse(feed.content)
        assert not parsed.bozo, parsed.bozo_exception
        assert len(parsed.entries) == 1

        for url in ("/en/calls/deadlines.ics", f"{call.get_absolute_url()}deadlines.ics"):
            calendar = client.get(url, {"reminder": "3"})
            assert calendar.status_code == 200
            events = list(Calendar.from_ical(calendar.content).walk("VEVENT"))
            assert len(events) == 1
            assert all(ord(c) >= 32 or c in "\r\n" for c in calendar.content.decode("utf-8"))

        text = b"".join(coordinator_client.get("/en/organizations/export.csv").streaming_content).decode("utf-8")
        assert len(list(csv.DictReader(io.StringIO(text)))) == Organization.objects.count()
        xlsx = coordinator_client.get("/en/organizations/export.xlsx")
        assert xlsx.status_code == 200
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == Organization.objects.count() + 1

        assert _json(api.get("/api/v1/organizations/"))["count"] == Organization.objects.count()
        assert _json(api.get(f"/api/v1/organizations/{organization.pk}/"))["name"] == organization.name
        assert _json(api.get("/api/v1/organizations/", {"search": word}))["count"] >= 0
        _json(api.get("/api/v1/plenipotentiaries/"))
        assert _json(api.get("/api/v1/calls/"))["count"] == 1
        detail = api.get(f"/api/v1/calls/{quote(call.identifier, safe='')}/")
        if IDENTIFIER.fullmatch(call.identifier):
            assert _json(detail)["title"] == call.title
        else:
            # Only an identifier the input rule allows has an API address (an old row's may not).
            assert detail.status_code == 404
        _json(api.get("/api/v1/funders/"))
        assert _json(api.get("/api/v1/partner-requests/"))["count"] >= 1
        assert _json(api.get(f"/api/v1/partner-requests/{partner_request.pk}/"))["title"] == partner_request.title
        transaction.set_rollback(True)
