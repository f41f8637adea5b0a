"""The portfolio's CSV and XLSX: in the language of the page they are exported from, in its order,
with the projects the person may see only."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from civicbridge.projects.models import Project, ProjectPartner
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import FunderFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status


def _export(client, language: str, kind: str, params=None) -> list[list[str]]:
    """Every row of the export, headers first, as a spreadsheet program reads them (as text)."""
    response = client.get(f"/{language}/projects/export.{kind}", params or {})
    assert response.status_code == 200
    if kind == "csv":
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _rows(table: list[list[str]]) -> list[dict]:
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


@pytest.fixture
def running(county):
    lead = OrganizationFactory(name="Stowarzyszenie Prowadzące")
    project = ProjectFactory(
        title="Akademia lidera", status=S.RUNNING, lead_organization=lead, funder=FunderFactory(name="Fundusz"),
        territory=county, currency="PLN", budget=Decimal("12500.00"), co_financing=Decimal("1250.00"),
        start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2027, 4, 30),
    )
    ProjectPartner.objects.create(
        project=project, organization=OrganizationFactory(name="Fundacja Partner"),
        role=ProjectPartner.Role.ASSOCIATED,
    )
    return project


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_polish_export_has_polish_headers_and_labels(client, running, kind):
    table = _export(client, "pl", kind)

    assert table[0] == [
        "ID", "Tytuł", "Status", "Organizacja wiodąca", "Partnerzy projektu", "Instytucja finansująca", "Program",
        "Identyfikator naboru", "Budżet całkowity", "Wkład własny", "Waluta", "Początek", "Koniec",
        "Kod jednostki terytorialnej", "Jednostka terytorialna", "Streszczenie", "Rezultaty",
    ]
    row = _rows(table)[0]
    assert (row["ID"], row["Status"], row["Waluta"]) == (str(running.pk), "W realizacji", "złoty polski")
    assert row["Partnerzy projektu"] == "Fundacja Partner (partner stowarzyszony)"
    assert (row["Kod jednostki terytorialnej"], row["Jednostka terytorialna"]) == ("1607", "powiat nyski")
    assert (row["Budżet całkowity"], row["Początek"]) == ("12500.00", "2026-05-01")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_turkish_export_has_turkish_headers_and_labels(client, running, kind):
    table = _export(client, "tr", kind)

    assert table[0][:5] == ["ID", "Başlık", "Durum", "Yürütücü kuruluş", "Proje ortakları"]
    assert table[0][13:15] == ["İdari birim kodu", "İdari birim"]  # a Turkish capital İ
    row = _rows(table)[0]
    assert (row["Durum"], row["Para birimi"], row["Hibe veren kurum"]) == ("Yürütülüyor", "Polonya zlotisi", "Fundusz")
    assert row["Proje ortakları"] == "Fundacja Partner (ilişkili ortak)"
    assert row["İdari birim"] == "Nysa İlçesi"


def test_an_english_export_names_its_columns_and_statuses_in_english(client, running):
    table = _export(client, "en", "csv")

    assert table[0][:4] == ["ID", "Title", "Status", "Lead organization"]
    assert _rows(table)[0]["Status"] == "Running"


# --- the page's order --------------------------------------------------------------------------------------------


def _page_titles(client, language: str, params) -> list[str]:
    page = client.get(f"/{language}/projects/", params).content.decode()
    return re.findall(rf'<h3><a href="/{language}/projects/\d+/">([^<]+)</a>', page)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params", [{}, {"status": "running"}, {"year": "2026"}, {"q": "szkolenia"}],
    ids=["all", "status", "year", "search"],
)
def test_the_export_lists_the_projects_in_the_order_of_the_page_with_the_same_filters(client, params, kind):
    # Made in an order that is not the page's (newest start first, then newest entry).
    for title, start, status in [
        ("Alfa", datetime.date(2025, 1, 1), S.RUNNING), ("Beta", datetime.date(2026, 6, 1), S.APPROVED),
        ("Gamma", datetime.date(2026, 1, 1), S.RUNNING), ("Delta", datetime.date(2026, 6, 1), S.RUNNING),
        ("Epsilon", datetime.date(2024, 3, 1), S.CLOSED),
    ]:
        ProjectFactory(title=title, status=status, start_date=start, end_date=start + datetime.timedelta(days=400))
    expected = _page_titles(client, "pl", params)
    assert len(expected) >= 3

    table = _export(client, "pl", kind, params)

    assert [row[1] for row in table[1:]] == expected


# --- who sees what ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_a_visitors_export_holds_no_proposal_in_any_language(client, running, language):
    ProjectFactory(title="Pomysł cudzy", status=S.IDEA)

    titles = [row[1] for row in _export(client, language, "csv")[1:]]

    assert titles == ["Akademia lidera"]


def test_a_representatives_export_holds_its_own_proposals_and_not_anothers(client, representative, organization, running):
    ProjectFactory(title="Nasz pomysł", status=S.IDEA, lead_organization=organization)
    ProjectFactory(title="Cudzy pomysł", status=S.IDEA)
    client.force_login(representative)

    titles = {row[1] for row in _export(client, "pl", "xlsx")[1:]}

    assert titles == {"Akademia lidera", "Nasz pomysł"}
