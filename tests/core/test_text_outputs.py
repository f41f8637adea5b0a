"""Text that slipped past the input checks (old rows, the admin) cannot break an output.

Rows are written with the ORM directly, as an old release or the database would have them;
every output is parsed back with the library a reader would use.
"""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser
import pytest
from django.db import connection
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from civicbridge.core.markdown import render_markdown
from civicbridge.funding.models import CallDeadline
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory, in_days

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# PostgreSQL cannot store a NUL at all; every other control character it can.
NUL = "" if connection.vendor == "postgresql" else "\x00"
DIRTY = f"Fundacja{NUL}\x01\x08\x0b\x1b\x7f\x85\ufffe „Nowa”\nlinia\tdruga"


@pytest.fixture
def exporter(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_xlsx_export_opens_with_control_characters_removed_and_lines_kept(exporter, municipality):
    OrganizationFactory(name="Fundacja\x01Nowa", description=DIRTY, territory=municipality)

    response = exporter.get("/en/organizations/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = [[cell.value for cell in r] for r in sheet.iter_rows()]
    values = dict(zip(header, row, strict=True))
    assert values["Name"] == "FundacjaNowa"
    assert values["Description"] == "Fundacja „Nowa”\nlinia\tdruga"


@pytest.mark.parametrize("hidden", ["\x01", "\x00", "\x1b", "\x7f"])
def test_a_formula_behind_a_control_character_is_still_neutralised(exporter, municipality, hidden):
    if hidden == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL")
    OrganizationFactory(name=f"{hidden}=HYPERLINK(\"https://evil.example\")", territory=municipality)

    xlsx = load_workbook(io.BytesIO(exporter.get("/en/organizations/export.xlsx").content)).active
    text = b"".join(exporter.get("/en/organizations/export.csv").streaming_content).decode("utf-8-sig")

    cell = next(xlsx.iter_rows(min_row=2))[0]
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"https://evil.example\")"
    assert next(csv.DictReader(io.StringIO(text)))["Name"] == "'=HYPERLINK(\"https://evil.example\")"


def test_the_csv_export_holds_no_control_character_and_reads_back(exporter, municipality):
    OrganizationFactory(name="Fundacja\x01Nowa", description=DIRTY, territory=municipality)

    text = b"".join(exporter.get("/en/organizations/export.csv").streaming_content).decode("utf-8-sig")

    row = next(csv.DictReader(io.StringIO(text)))
    assert row["Name"] == "FundacjaNowa"
    assert row["Description"] == "Fundacja „Nowa”\nlinia\tdruga"


def test_the_calls_feed_stays_well_formed_with_control_characters_in_every_text(client):
    funder = FunderFactory(name="Funder\x02")
    call = CallFactory(
        identifier="ID\x1b-1", title="Title\nwith a break\x03", summary=f"Line one\x02\n{DIRTY}\nline three",
        programme=ProgrammeFactory(funder=funder, name="Programme\x0c"),
    )
    CallDeadline.objects.filter(call=call).update(label="First\x01 stage")

    response = client.get("/en/calls/feed/")

    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "ID-1: Title with a break"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert "First stage" in parsed.entries[0].summary


def test_a_three_line_summary_with_character_references_reaches_the_feed_as_text(client):
    CallFactory(summary="Line **one**\nline &#2; two &#xFFFF;\nline three &#x1b;")

    response = client.get("/en/calls/feed/")

    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert "<strong>one</strong>" in parsed.entries[0].summary
    assert "line three" in parsed.entries[0].summary


def test_markdown_placeholders_cannot_be_addressed_from_the_text():
    # Python-Markdown stashes raw HTML as "\x02wzxhzdk:N\x03" and puts it back at the end.
    html = render_markdown("<b>bold</b>\n\n\x02wzxhzdk:0\x03\n\nthird line")

    assert html.count("<b>") <= 1
    assert "\x02" not in html and "\x03" not in html
    assert "third line" in html


def test_markdown_output_holds_no_character_xml_refuses():
    html = render_markdown("a &#1; b &#x7f; c &#xFFFE; d &#0; e")

    ET.fromstring(f"<div>{html}</div>")


@pytest.mark.parametrize("url", ["/en/calls/deadlines.ics", "/en/calls/{identifier}/deadlines.ics"])
def test_deadline_calendars_stay_valid_with_line_breaks_and_control_characters(client, url):
    call = CallFactory(
        identifier="OPOLE-\x01\"2027\"", title="Kultura\r\n2027\x07 „granty”",
        deadlines=[datetime(2027, 3, 2, 16, 0, tzinfo=UTC)], published_at=in_days(-1),
    )
    CallDeadline.objects.filter(call=call).update(label="Stage\none")

    response = client.get(url.format(identifier=call.identifier), {"reminder": "7"})

    assert response.status_code == 200
    body = response.content.decode()
    assert not any(ord(c) < 32 and c not in "\r\n" for c in body)
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["summary"]) == "Stage one: Kultura 2027 „granty” (OPOLE-\"2027\")"
    assert "\n" not in str(calendar["x-wr-calname"])


def test_a_calls_calendar_file_name_fits_in_its_header(client):
    call = CallFactory(identifier='OPOLE "x"\r\n2027', published_at=in_days(-1))

    response = client.get(reverse("funding:call_deadlines_ics", args=[call.identifier]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="OPOLE--x---2027.ics"'
