"""Export of the registry to CSV/XLSX, and import back: all rows valid, or nothing written."""

import csv
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.search import search
from civicbridge.core.text import fold
from civicbridge.directory import imports, services
from civicbridge.directory.exports import HEADERS
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory, nip

CSV_URL = "/en/organizations/export.csv"
XLSX_URL = "/en/organizations/export.xlsx"
IMPORT_URL = "/en/organizations/import/"
# The headers of an export from an English page: the import template's.
ENGLISH_HEADERS = [
    "Name", "Kind", "Legal form", "Register", "Registry number", "Tax number", "EU PIC", "Territory code",
    "Territory", "Country", "City", "Address", "Postal code", "Latitude", "Longitude", "Thematic areas",
    "Website", "E-mail", "Phone", "Founding year", "Description", "Verified",
]
KEY_OF = dict(zip(ENGLISH_HEADERS, HEADERS, strict=True))


def _krs(n: int) -> str:
    return f"{n:010d}"


@pytest.fixture
def registered(municipality):
    """Three organizations with KRS numbers, thematic areas and the usual details."""
    ecology = ThematicArea.objects.get(code="pb-ecology-animals")
    youth = ThematicArea.objects.get(code="eu-youth")
    first = OrganizationFactory(
        name="Zielona Nysa", territory=municipality, registry_type="krs", registry_number=_krs(111),
        founding_year=2004, website="https://zielona.example.org", latitude="50.474000", longitude="17.334000",
        is_verified=True,
    )
    first.thematic_areas.set([ecology, youth])
    second = OrganizationFactory(
        name="Klub Seniora Złota Jesień", territory=municipality, registry_type="krs", registry_number=_krs(222),
        phone="+48 77 431 00 00", description="Spotkania, wycieczki, \"kawiarenka\",\nkursy.",
    )
    third = OrganizationFactory(
        name="Fundacja Łódź-Nysa", territory=municipality, registry_type="krs", registry_number=_krs(333),
    )
    return [first, second, third]


def _csv_export(client, params=None) -> list[dict]:
    """The rows of an English export, by the columns' code names."""
    response = client.get(CSV_URL, params or {})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [{KEY_OF[header]: value for header, value in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _csv_bytes(rows: list[dict], headers=None) -> bytes:
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(**values) -> dict:
    base = {
        "name": "Stowarzyszenie Nowe", "kind": "ngo", "registry_type": "", "registry_number": "",
        "territory_code": "1607053",
    }
    return {header: "" for header in HEADERS} | base | values


def _import(by, rows, *, dry_run, name="organizations.csv"):
    return imports.import_organizations(by=by, name=name, content=_csv_bytes(rows), dry_run=dry_run)


def _errors(report):
    return sorted((error.row, error.column) for error in report.errors)


# --- export ---------------------------------------------------------------------------------


def test_the_csv_export_has_the_headers_and_one_row_per_organization(client, registered):
    response = client.get(CSV_URL)
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert next(csv.reader(io.StringIO(text))) == ENGLISH_HEADERS
    rows = _csv_export(client)
    assert sorted(row["name"] for row in rows) == sorted(o.name for o in registered)


def test_the_csv_export_holds_each_organizations_details(client, registered):
    row = next(r for r in _csv_export(client) if r["registry_number"] == _krs(111))

    assert row["name"] == "Zielona Nysa"
    assert row["kind"] == "Non-governmental organization"
    assert row["registry_type"] == "KRS (Polish National Court Register)"
    assert row["territory_code"] == "1607053"
    assert row["territory"] == "Nysa"
    assert row["country"] == "Poland"
    assert row["thematic_areas"] == "Youth; Ecology, animal protection and natural heritage"
    assert row["founding_year"] == "2004"
    assert row["latitude"] == "50.474000"
    assert row["verified"] == "Yes"


def test_the_csv_export_keeps_multi_line_text_and_quotes(client, registered):
    row = next(r for r in _csv_export(client) if r["registry_number"] == _krs(222))

    assert row["description"] == "Spotkania, wycieczki, \"kawiarenka\",\nkursy."


def test_the_csv_export_is_served_as_an_attachment(client, registered):
    response = client.get(CSV_URL)

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def test_the_csv_export_follows_the_list_filters(client, registered, municipality):
    PublicBodyFactory(name="Urząd Miejski w Nysie", territory=municipality)

    rows = _csv_export(client, {"kind": "public_body"})

    assert [row["name"] for row in rows] == ["Urząd Miejski w Nysie"]


def test_the_csv_export_of_nothing_still_has_the_headers_after_a_byte_order_mark(client, db):
    response = client.get(CSV_URL)

    # The mark makes spreadsheet programs read UTF-8 (Polish and Turkish headers, names).
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.splitlines() == ["\ufeff" + ",".join(ENGLISH_HEADERS)]


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_runs_a_bounded_number_of_queries(client, municipality, django_assert_max_num_queries, count):
    areas = list(ThematicArea.objects.all()[:2])
    for _ in range(count):
        OrganizationFactory(territory=municipality).thematic_areas.set(areas)

    with django_assert_max_num_queries(4):
        rows = _csv_export(client)

    assert len(rows) == count


def test_the_xlsx_export_has_the_headers_and_one_row_per_organization(client, registered):
    response = client.get(XLSX_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == ENGLISH_HEADERS
    by_number = {row[HEADERS.index("registry_number")]: row for row in values[1:]}
    assert set(by_number) == {_krs(111), _krs(222), _krs(333)}
    assert by_number[_krs(111)][HEADERS.index("name")] == "Zielona Nysa"
    assert by_number[_krs(111)][HEADERS.index("founding_year")] == 2004


# --- formula injection ---------------------------------------------------------------------------------


def test_a_name_starting_with_equals_is_exported_to_csv_as_text(client, municipality):
    OrganizationFactory(name='=HYPERLINK("http://evil.example","x")', territory=municipality)

    row = _csv_export(client)[0]

    assert row["name"] == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("value", ["+48 77 431 00 00", "-1+1", "@SUM(A1)"])
def test_other_formula_starts_are_exported_as_text(client, municipality, value):
    OrganizationFactory(name="Zwykła nazwa", phone=value, territory=municipality)

    row = _csv_export(client)[0]

    assert row["phone"] == "'" + value


def test_a_name_starting_with_equals_is_a_string_not_a_formula_in_the_xlsx_export(client, municipality):
    OrganizationFactory(name="=1+2", territory=municipality)

    sheet = load_workbook(io.BytesIO(client.get(XLSX_URL).content)).worksheets[0]
    cell = sheet.cell(row=2, column=HEADERS.index("name") + 1)

    assert cell.data_type == "s"
    assert cell.value == "'=1+2"


def test_a_formula_protected_name_is_imported_back_without_the_quote(client, coordinator, municipality):
    organization = OrganizationFactory(
        name="=1+2", territory=municipality, registry_type="krs", registry_number=_krs(444)
    )
    content = b"".join(client.get(CSV_URL).streaming_content)

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    organization.refresh_from_db()
    assert report.errors == []
    assert report.unchanged == 1
    assert organization.name == "=1+2"


def test_a_quoted_formula_in_a_new_row_is_imported_without_the_quote(coordinator):
    _import(coordinator, [_row(name="'=SUM(A1)")], dry_run=False)

    assert Organization.objects.get().name == "=SUM(A1)"


# --- round trip ------------------------------------------------------------------------------------------


def test_a_csv_export_imported_as_a_dry_run_changes_no_row(client, coordinator, registered):
    content = b"".join(client.get(CSV_URL).streaming_content)

    report = imports.import_organizations(by=coordinator, name="export.csv", content=content, dry_run=True)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(registered))
    assert report.written is False
    assert Organization.objects.count() == len(registered)


def test_a_dry_run_writes_nothing(coordinator, registered):
    report = _import(
        coordinator,
        [_row(name="Nowa", registry_type="krs", registry_number=_krs(999)),
         _row(name="Zmieniona", registry_type="krs", registry_number=_krs(111))],
        dry_run=True,
    )

    assert (report.created, report.updated) == (1, 1)
    assert not Organization.objects.filter(name__in=["Nowa", "Zmieniona"]).exists()
    assert Organization.objects.count() == len(registered)


def test_an_xlsx_export_imported_as_a_dry_run_changes_no_row(client, coordinator, registered):
    content = client.get(XLSX_URL).content

    report = imports.import_organizations(by=coordinator, name="export.xlsx", content=content, dry_run=True)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(registered))


def test_a_changed_row_of_an_export_is_an_update_and_the_others_unchanged(client, coordinator, registered):
    rows = _csv_export(client)
    for row in rows:
        if row["registry_number"] == _krs(222):
            row["phone"] = "+48 77 999 99 99"

    report = _import(coordinator, rows, dry_run=False)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Organization.objects.get(registry_number=_krs(222)).phone == "+48 77 999 99 99"


def test_a_real_import_of_the_export_leaves_every_organization_as_it_was(client, coordinator, registered):
    before = {
        o.registry_number: (o.name, o.territory_id, o.founding_year, o.phone, o.description, o.latitude,
                            sorted(a.code for a in o.thematic_areas.all()))
        for o in Organization.objects.prefetch_related("thematic_areas")
    }
    content = b"".join(client.get(CSV_URL).streaming_content)

    imports.import_organizations(by=coordinator, name="export.csv", content=content, dry_run=False)

    after = {
        o.registry_number: (o.name, o.territory_id, o.founding_year, o.phone, o.description, o.latitude,
                            sorted(a.code for a in o.thematic_areas.all()))
        for o in Organization.objects.prefetch_related("thematic_areas")
    }
    assert after == before


def test_a_round_trip_keeps_a_region_level_body_in_its_region(client, coordinator, region):
    body = PublicBodyFactory(territory=region, registry_type="krs", registry_number=_krs(161))
    content = b"".join(client.get(CSV_URL).streaming_content)

    imports.import_organizations(by=coordinator, name="export.csv", content=content, dry_run=False)

    body.refresh_from_db()
    assert body.territory == region


# --- a valid file ---------------------------------------------------------------------------------------------


def test_a_valid_file_creates_the_organizations(coordinator):
    report = _import(
        coordinator,
        [
            _row(name="Stowarzyszenie Kolarskie Nysa", registry_type="krs", registry_number="0000 777 777",
                 thematic_areas="pb-physical-culture;eu-sport", founding_year="1999"),
            _row(name="Grupa Sąsiedzka Rynek", kind="informal_group", territory_code="", territory="Nysa"),
        ],
        dry_run=False,
    )

    assert report.errors == []
    assert (report.created, report.updated, report.written) == (2, 0, True)
    cycling = Organization.objects.get(registry_number="0000777777")
    assert cycling.founding_year == 1999
    assert sorted(cycling.thematic_areas.values_list("code", flat=True)) == ["eu-sport", "pb-physical-culture"]
    assert Organization.objects.get(name="Grupa Sąsiedzka Rynek").territory.code == "1607053"


def test_imported_organizations_are_searchable(coordinator):
    _import(coordinator, [_row(name="Stowarzyszenie Kolarskie Nysa")], dry_run=False)

    assert search(Organization.objects.all(), "kolarskie").get().name == "Stowarzyszenie Kolarskie Nysa"


def test_a_coordinators_import_does_not_make_them_a_representative(coordinator):
    _import(coordinator, [_row()], dry_run=False)

    assert not coordinator.memberships.exists()


def test_a_file_with_a_byte_order_mark_is_read(coordinator):
    content = "\ufeff".encode() + _csv_bytes([_row()])

    report = imports.import_organizations(by=coordinator, name="excel.csv", content=content, dry_run=True)

    assert report.errors == []
    assert report.created == 1


def test_headers_are_read_regardless_of_case_and_spaces(coordinator):
    content = b" Name ,KIND,territory_code\r\nStowarzyszenie,ngo,1607053\r\n"

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=True)

    assert report.errors == []
    assert report.created == 1


# --- bad rows ---------------------------------------------------------------------------------------------------


@pytest.fixture
def mixed_rows():
    return [
        _row(name="Dobra Pierwsza"),                                         # row 2
        _row(name="Zły KRS", registry_type="krs", registry_number="12345"),   # row 3
        _row(name="Zły kod", territory_code="9999999"),                      # row 4
        _row(name="Zła dziedzina", thematic_areas="pb-ecology-animals;kosmos"),  # row 5
        _row(name=""),                                                       # row 6
        _row(name="Zły rok", founding_year="ok. 1990"),                      # row 7
        _row(name="Dobra Ostatnia"),                                         # row 8
    ]


def test_a_file_with_bad_rows_writes_nothing_even_for_its_good_rows(coordinator, mixed_rows):
    report = _import(coordinator, mixed_rows, dry_run=False)

    assert report.written is False
    assert not Organization.objects.exists()


def test_each_bad_row_is_reported_with_its_row_number_and_column(coordinator, mixed_rows):
    report = _import(coordinator, mixed_rows, dry_run=True)

    found = _errors(report)
    assert (3, "registry_number") in found
    assert (4, "territory") in found or (4, "territory_code") in found
    assert (5, "thematic_areas") in found
    assert (6, "name") in found
    assert (7, "founding_year") in found
    assert {row for row, _ in found} == {3, 4, 5, 6, 7}


def test_row_errors_carry_a_readable_message(coordinator, mixed_rows):
    report = _import(coordinator, mixed_rows, dry_run=True)

    messages = {(error.row, error.column): error.message for error in report.errors}
    assert "10 digits" in messages[(3, "registry_number")]
    assert "kosmos" in messages[(5, "thematic_areas")]


def test_an_unknown_kind_is_reported_on_its_row(coordinator):
    report = _import(coordinator, [_row(), _row(name="Statek", kind="spaceship")], dry_run=True)

    assert _errors(report) == [(3, "kind")]


@pytest.mark.parametrize(("name", "code"), [("powiat nyski", "1607"), ("Nysa County", "1607"), ("Bursa İli", "16")])
def test_a_territory_without_a_code_is_found_by_its_name_in_any_language(coordinator, name, code):
    _import(coordinator, [_row(territory_code="", territory=name)], dry_run=False)

    assert Organization.objects.get().territory.code == code


def test_an_unknown_territory_name_is_reported(coordinator):
    report = _import(coordinator, [_row(territory_code="", territory="Atlantyda")], dry_run=True)

    assert _errors(report) == [(2, "territory")]


def test_duplicate_registry_numbers_within_the_file_are_reported(coordinator):
    report = _import(
        coordinator,
        [
            _row(name="Pierwsza", registry_type="krs", registry_number="0000555555"),
            _row(name="Druga", registry_type="krs", registry_number="0000 555 555"),
        ],
        dry_run=False,
    )

    assert _errors(report) == [(3, "registry_number")]
    assert "2" in report.errors[0].message
    assert not Organization.objects.exists()


def test_a_row_matching_an_existing_number_updates_that_organization(coordinator, registered):
    report = _import(
        coordinator, [_row(name="Zielona Nysa i Okolice", registry_type="krs", registry_number=_krs(111))],
        dry_run=False,
    )

    assert (report.created, report.updated) == (0, 1)
    assert Organization.objects.get(registry_number=_krs(111)).name == "Zielona Nysa i Okolice"


def test_row_numbers_count_blank_lines_so_they_match_the_spreadsheet(coordinator):
    content = _csv_bytes([_row(name="Pierwsza")]) + b",,,,,,,,,,,,,,,,,,\r\n" + _csv_bytes(
        [_row(name="", kind="ngo")]
    ).split(b"\r\n", 1)[1]

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=True)

    assert _errors(report) == [(4, "name")]


# --- whole-file errors (service) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "name,kind,territory_code\r\nStowarzyszenie Miłośników,ngo,1607053\r\n".encode("cp1250"), "UTF-8"),
        ("x.csv", b"", "empty"),
        ("x.csv", b"name,kind,territory_code,colour\r\nA,ngo,1607053,red\r\n", "colour"),
        ("x.csv", b"title,kind\r\nA,ngo\r\n", "Missing columns: Name. Unknown columns: title."),
        ("x.xlsx", b"name,kind\r\nA,ngo\r\n", "XLSX"),
    ],
    ids=["wrong-encoding", "empty", "unknown-column", "missing-column", "not-an-xlsx"],
)
def test_an_unreadable_file_is_refused_as_a_whole(coordinator, name, content, message):
    with pytest.raises(imports.ImportFileError) as caught:
        imports.import_organizations(by=coordinator, name=name, content=content, dry_run=True)

    assert message in str(caught.value)


def test_a_file_over_the_row_limit_is_refused(coordinator, settings):
    settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS = 2

    with pytest.raises(imports.ImportFileError, match="at most 2 rows"):
        _import(coordinator, [_row(), _row(), _row()], dry_run=True)


def test_an_xlsx_file_with_bad_rows_reports_them(coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind", "territory_code", "founding_year"])
    sheet.append(["Dobra", "ngo", "1607053", 1990])
    sheet.append(["Zła", "ngo", "1607053", "dawno"])
    output = io.BytesIO()
    workbook.save(output)

    report = imports.import_organizations(by=coordinator, name="x.xlsx", content=output.getvalue(), dry_run=False)

    assert _errors(report) == [(3, "founding_year")]
    assert not Organization.objects.exists()


# --- permissions -------------------------------------------------------------------------------------------------------


def test_a_non_coordinator_cannot_import_through_the_service(user):
    with pytest.raises(PermissionDenied):
        _import(user, [_row()], dry_run=False)

    assert not Organization.objects.exists()


def test_a_representative_cannot_import_through_the_service(representative):
    with pytest.raises(PermissionDenied):
        _import(representative, [_row()], dry_run=False)


def test_a_non_coordinator_gets_403_on_the_import_page(client, user):
    client.force_login(user)

    assert client.get(IMPORT_URL).status_code == 403


def test_a_representative_gets_403_when_posting_a_file(client, representative):
    client.force_login(representative)

    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("x.csv", _csv_bytes([_row()])), "mode": "import"}
    )

    assert response.status_code == 403
    assert Organization.objects.count() == 1  # the representative's own


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_import_page(client, db):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the import page ------------------------------------------------------------------------------------------------------


def _upload(client, name, content, mode="check"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), "mode": mode})


def test_a_coordinator_sees_the_import_page(client, coordinator):
    client.force_login(coordinator)

    response = client.get(IMPORT_URL)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_checking_a_file_on_the_page_reports_and_writes_nothing(client, coordinator):
    client.force_login(coordinator)

    response = _upload(client, "x.csv", _csv_bytes([_row(), _row(name="Druga")]))

    report = response.context["report"]
    assert response.status_code == 200
    assert (report.created, report.written) == (2, False)
    assert not Organization.objects.exists()


def test_importing_a_file_on_the_page_writes_it(client, coordinator):
    client.force_login(coordinator)

    response = _upload(client, "x.csv", _csv_bytes([_row(), _row(name="Druga")]), mode="import")

    assert response.context["report"].written
    assert Organization.objects.count() == 2
    assert "Imported: 2 new, 0 updated, 0 unchanged." in response.content.decode()


def test_the_page_lists_each_row_error(client, coordinator, mixed_rows):
    client.force_login(coordinator)

    response = _upload(client, "x.csv", _csv_bytes(mixed_rows), mode="import")

    body = response.content.decode()
    assert "nothing was written" in body
    assert '<td data-label="Row">7</td><td data-label="Column">founding_year</td>' in body
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.csv", "name,kind,territory_code\r\nŁąka,ngo,1607053\r\n".encode("cp1250")),
        ("x.csv", b""),
        ("x.csv", b"name,kind,territory_code,colour\r\nA,ngo,1607053,red\r\n"),
        ("x.xlsx", b"name,kind\r\nA,ngo\r\n"),
        ("x.txt", b"name,kind\r\nA,ngo\r\n"),
        ("x.ods", b"PK\x03\x04"),
    ],
    ids=["wrong-encoding", "empty", "unknown-column", "not-an-xlsx", "txt", "ods"],
)
def test_an_unreadable_upload_gives_a_form_error_on_the_file_field(client, coordinator, name, content):
    client.force_login(coordinator)

    response = _upload(client, name, content, mode="import")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'id="id_file_error"' in response.content.decode()
    assert response.context["report"] is None
    assert not Organization.objects.exists()


@override_settings(CIVICBRIDGE_IMPORT_MAX_BYTES=100)
def test_a_file_over_the_size_limit_is_refused(client, coordinator):
    client.force_login(coordinator)
    content = _csv_bytes([_row(name=f"Stowarzyszenie {n}") for n in range(5)])
    assert len(content) > 100

    response = _upload(client, "x.csv", content, mode="import")

    assert "too large" in " ".join(response.context["form"].errors["file"])
    assert not Organization.objects.exists()


def test_a_public_body_officer_cannot_import(client, municipality):
    officer = MembershipFactory(organization=PublicBodyFactory(territory=municipality)).user
    client.force_login(officer)

    assert client.get(IMPORT_URL).status_code == 403


# --- organizations abroad and tax numbers ------------------------------------------------------------------------

NIP = nip("000123456")
DASHED_NIP = f"{NIP[:3]}-{NIP[3:6]}-{NIP[6:8]}-{NIP[8:]}"


@pytest.fixture
def abroad(coordinator):
    return services.create_organization(by=coordinator, data={
        "name": "Verein Brücken Dresden", "kind": "ngo", "country": "DE", "city": "Dresden",
        "registry_number": "VR 1234", "pic": "999123456", "tax_number": "DE 203/456/78901",
    })


def _place_and_numbers(organization: Organization) -> tuple:
    return (
        organization.name, organization.territory_id, organization.country, organization.city, organization.pic,
        organization.tax_number, organization.registry_type, organization.registry_number,
    )


def test_the_export_holds_the_country_city_pic_and_tax_number(client, abroad):
    row = _csv_export(client)[0]

    assert (row["territory_code"], row["territory"], row["country"], row["city"]) == ("", "", "Germany", "Dresden")
    assert (row["pic"], row["tax_number"], row["registry_type"]) == (
        "999123456", "DE 203/456/78901", "Register of its own country (abroad)",
    )


@pytest.mark.parametrize(("name", "url"), [("export.csv", CSV_URL), ("export.xlsx", XLSX_URL)])
def test_an_export_with_organizations_abroad_imports_back_as_it_is(client, coordinator, abroad, municipality, name, url):
    OrganizationFactory(territory=municipality, registry_type="krs", registry_number=_krs(555), tax_number=NIP)
    # Without any number: recognised by its name, country and city.
    services.create_organization(by=coordinator, data={
        "name": "Associazione Ponti", "kind": "ngo", "country": "IT", "city": "Bologna", "pic": "912345678",
    })
    before = {o.pk: _place_and_numbers(o) for o in Organization.objects.all()}
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content

    report = imports.import_organizations(by=coordinator, name=name, content=content, dry_run=False)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert {o.pk: _place_and_numbers(o) for o in Organization.objects.all()} == before


def test_an_organization_abroad_is_imported_with_its_country_and_city(coordinator):
    report = _import(coordinator, [_row(
        name="Stichting Brug", territory_code="", country="Holandia", city="Utrecht", pic="912345678",
        tax_number=" NL 8000.12.345.B01 ",
    )], dry_run=False)

    assert report.errors == []
    organization = Organization.objects.get()
    assert (organization.territory, organization.country, organization.city) == (None, "NL", "Utrecht")
    assert (organization.pic, organization.tax_number) == ("912345678", "NL 8000.12.345.B01")


def test_importing_an_organization_abroad_twice_creates_it_once(coordinator):
    rows = [_row(name="Associazione Ponti", territory_code="", country="it", city="Bologna")]
    _import(coordinator, rows, dry_run=False)

    report = _import(coordinator, rows, dry_run=False)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Organization.objects.count() == 1


def test_a_foreign_registry_number_is_recognised_within_its_country(coordinator):
    rows = [
        _row(name="Verein Eins", territory_code="", country="DE", city="Dresden", registry_number="VR 1"),
        _row(name="Associazione Uno", territory_code="", country="IT", city="Roma", registry_number="VR 1"),
    ]
    first = _import(coordinator, rows, dry_run=False)

    again = _import(coordinator, rows, dry_run=False)

    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    assert set(Organization.objects.values_list("country", "registry_type")) == {("DE", "foreign"), ("IT", "foreign")}


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"country": "DE"}, "city"),
        ({}, "territory"),
        ({"country": "Atlantyda", "city": "Poseidonia"}, "country"),
        ({"country": "PL", "city": "Nysa"}, "territory"),
    ],
    ids=["no-city", "nowhere", "unknown-country", "this-country-without-territory"],
)
def test_a_row_placed_nowhere_it_may_be_is_refused_on_its_column(coordinator, values, column):
    report = _import(coordinator, [_row(territory_code="", **values)], dry_run=True)

    assert _errors(report) == [(2, column)]
    assert not Organization.objects.exists()


def test_an_organization_without_a_registry_number_is_recognised_by_its_nip(coordinator, municipality):
    existing = OrganizationFactory(name="Fundacja Stara", territory=municipality, tax_number=NIP)

    report = _import(coordinator, [_row(name="Fundacja Nowa Nazwa", tax_number=DASHED_NIP)], dry_run=False)

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.tax_number) == ("Fundacja Nowa Nazwa", NIP)


def test_a_bad_nip_in_a_row_is_reported_and_nothing_is_written(coordinator):
    report = _import(coordinator, [_row(), _row(name="Zły NIP", tax_number=NIP[:-1] + "9")], dry_run=False)

    assert _errors(report) == [(3, "tax_number")]
    assert "NIP" in report.errors[0].message
    assert not Organization.objects.exists()


def test_two_rows_with_the_same_nip_are_reported_on_the_tax_number_column(coordinator):
    report = _import(coordinator, [_row(name="A", tax_number=NIP), _row(name="B", tax_number=f"PL {NIP}")], dry_run=True)

    assert _errors(report) == [(3, "tax_number")]
    assert report.errors[0].message == "Same tax number as row 2."


def test_a_nip_taken_by_another_organization_is_reported_on_its_row(coordinator, municipality):
    OrganizationFactory(territory=municipality, registry_type="krs", registry_number=_krs(1), tax_number=NIP)

    report = _import(
        coordinator, [_row(name="Inna", registry_type="krs", registry_number=_krs(2), tax_number=NIP)], dry_run=True,
    )

    assert _errors(report) == [(2, "tax_number")]
    assert "already registered" in report.errors[0].message


# --- the page's language ------------------------------------------------------------------------------------------

POLISH_HEADERS = [
    "Nazwa", "Rodzaj", "Forma prawna", "Rejestr", "Numer w rejestrze", "Numer podatkowy", "Numer PIC (UE)",
    "Kod jednostki terytorialnej", "Jednostka terytorialna", "Kraj", "Miejscowość", "Adres", "Kod pocztowy",
    "Szerokość geograficzna", "Długość geograficzna", "Obszary tematyczne", "Strona internetowa", "E-mail",
    "Telefon", "Rok założenia", "Opis", "Zweryfikowana",
]


def _export(client, language: str, kind: str, params=None) -> bytes:
    response = client.get(f"/{language}/organizations/export.{kind}", params or {})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _table(content: bytes, kind: str) -> list[list[str]]:
    """Every row of an export, headers first, as a spreadsheet program reads them (as text)."""
    if kind == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _by_header(table: list[list[str]]) -> list[dict]:
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_polish_export_has_polish_headers_and_labels(client, registered, abroad, kind):
    table = _table(_export(client, "pl", kind), kind)

    assert table[0] == POLISH_HEADERS
    rows = {row["Nazwa"]: row for row in _by_header(table)}
    green = rows["Zielona Nysa"]
    assert (green["Rodzaj"], green["Forma prawna"], green["Rejestr"]) == (
        "Organizacja pozarządowa", "Stowarzyszenie", "KRS (Krajowy Rejestr Sądowy)",
    )
    assert (green["Numer w rejestrze"], green["Kod jednostki terytorialnej"]) == (_krs(111), "1607053")
    assert (green["Jednostka terytorialna"], green["Kraj"], green["Zweryfikowana"]) == ("Nysa", "Polska", "Tak")
    assert green["Obszary tematyczne"] == "Młodzież; ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego"
    assert green["Strona internetowa"] == "https://zielona.example.org"
    german = rows["Verein Brücken Dresden"]
    assert (german["Kraj"], german["Rejestr"], german["Zweryfikowana"]) == (
        "Niemcy", "Rejestr własnego kraju (za granicą)", "Nie",
    )


@pytest.fixture
def turkish_entries(coordinator, registered, abroad, region):
    """Entries whose Turkish labels and names hold İ and ı, a province whose code 16 Opole's region
    shares, and an area whose Turkish name holds a semicolon."""
    bursa = Territory.objects.get(country="TR", level=Territory.Level.REGION)
    iznik = Territory.objects.get(country="TR", name_tr="İznik")
    business = OrganizationFactory(
        name="İznik Çini Atölyesi", territory=iznik, kind=Organization.Kind.BUSINESS,
        legal_form=Organization.LegalForm.COMPANY, founding_year=1999,
    )
    business.thematic_areas.set(ThematicArea.objects.filter(code__in=["pb-social-assistance", "eu-youth"]))
    PublicBodyFactory(name="Bursa Valiliği", territory=bursa, legal_form=Organization.LegalForm.STATE_ADMINISTRATION)
    PublicBodyFactory(name="Urząd Marszałkowski", territory=region, registry_type="krs", registry_number=_krs(161))
    return list(Organization.objects.all())


def _snapshot() -> dict:
    return {
        o.pk: (*_place_and_numbers(o), o.kind, o.legal_form, o.founding_year, o.phone, o.description, o.website,
               o.latitude, o.is_verified, sorted(a.code for a in o.thematic_areas.all()))
        for o in Organization.objects.prefetch_related("thematic_areas")
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_turkish_export_imported_back_as_a_dry_run_changes_nothing(client, coordinator, turkish_entries, kind):
    content = _export(client, "tr", kind)
    assert "İşletme" in [row["Tür"] for row in _by_header(_table(content, kind))]

    report = imports.import_organizations(by=coordinator, name=f"disa-aktarim.{kind}", content=content, dry_run=True)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(turkish_entries))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_turkish_export_imported_back_for_real_adds_no_entry_and_changes_none(
    client, coordinator, turkish_entries, kind,
):
    before = _snapshot()
    content = _export(client, "tr", kind)

    report = imports.import_organizations(by=coordinator, name=f"disa-aktarim.{kind}", content=content, dry_run=False)

    assert report.written and report.created == 0
    assert _snapshot() == before


def test_an_edited_turkish_export_updates_its_entry_by_its_turkish_labels(client, coordinator, turkish_entries):
    table = _table(_export(client, "tr", "csv"), "csv")
    rows = _by_header(table)
    for row in rows:
        if row["Ad"] == "Zielona Nysa":
            row["Tür"], row["Faaliyet alanları"] = "İŞLETME", "Gençlik"
    content = _csv_bytes(rows, headers=table[0])

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert (report.created, report.updated, report.unchanged) == (0, 1, len(turkish_entries) - 1)
    green = Organization.objects.get(registry_number=_krs(111))
    assert green.kind == Organization.Kind.BUSINESS
    assert [a.code for a in green.thematic_areas.all()] == ["eu-youth"]


def test_a_bad_cell_of_a_polish_export_is_reported_on_its_polish_column(client, coordinator, registered):
    table = _table(_export(client, "pl", "csv"), "csv")
    rows = _by_header(table)
    rows[1]["Rodzaj"] = "Klub"
    rows[2]["Obszary tematyczne"] = "Ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego; Kosmos"
    content = _csv_bytes(rows, headers=table[0])

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert _errors(report) == [(3, "Rodzaj"), (4, "Obszary tematyczne")]
    assert "Kosmos" in report.errors[1].message
    assert report.written is False


def test_an_english_file_of_codes_as_exports_were_written_before_still_imports(coordinator, registered):
    # What the export wrote before it spoke the page's language: code names and codes.
    old = [
        _row(name="Zielona Nysa", kind="ngo", legal_form="association", registry_type="krs",
             registry_number=_krs(111), territory_code="1607053", territory="Nysa", country="PL",
             thematic_areas="pb-ecology-animals;eu-youth", founding_year="2004", verified="yes",
             website="https://zielona.example.org", latitude="50.474000", longitude="17.334000",
             description=registered[0].description),
        _row(name="Nowe Stowarzyszenie", kind="ngo", legal_form="foundation", registry_type="krs",
             registry_number=_krs(444), territory_code="1607053", country="PL", thematic_areas="eu-youth",
             verified="no"),
    ]

    report = _import(coordinator, old, dry_run=False)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)
    new = Organization.objects.get(registry_number=_krs(444))
    assert (new.legal_form, [a.code for a in new.thematic_areas.all()]) == ("foundation", ["eu-youth"])


def test_headers_and_labels_in_turkish_capitals_are_read(coordinator):
    content = (
        "AD,TÜR,HUKUKİ YAPI,İDARİ BİRİM KODU,FAALİYET ALANLARI\r\n"
        "Kır Kahvesi,İŞLETME,ŞİRKET,1607053,GENÇLİK\r\n"
        "Işık Derneği,sivil toplum kuruluşu,DERNEK,1607053,pb-ecology-animals\r\n"
    ).encode()

    report = imports.import_organizations(by=coordinator, name="x.csv", content=content, dry_run=False)

    assert report.errors == []
    assert sorted(Organization.objects.values_list("name", "kind", "legal_form")) == [
        ("Işık Derneği", "ngo", "association"), ("Kır Kahvesi", "business", "company"),
    ]


def test_thematic_areas_are_read_by_code_or_by_name_in_any_language(coordinator):
    # The Turkish name of the social assistance area holds a semicolon of its own.
    cell = (
        "Sosyal yardım; zor durumdaki ailelere ve kişilere yardım ve onlar için fırsat eşitliği;"
        "YOUTH; pb-ecology-animals;Młodzież"
    )

    report = _import(coordinator, [_row(thematic_areas=cell)], dry_run=False)

    assert report.errors == []
    assert sorted(Organization.objects.get().thematic_areas.values_list("code", flat=True)) == [
        "eu-youth", "pb-ecology-animals", "pb-social-assistance",
    ]


def test_every_label_and_area_name_in_every_language_is_read_back_as_its_own_code(db):
    from django.conf import settings
    from django.utils import translation

    from civicbridge.core.text import capfirst

    importer = imports.OrganizationImporter()
    for column in importer.columns:
        if column.choices is None:
            continue
        lookup = column.choice_lookup()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for code, label in column.choices.choices:
                    if code:
                        assert lookup[fold(capfirst(str(label)))] == code, (column.key, language, label)
    areas = imports._Lookups().areas
    for area in ThematicArea.objects.all():
        for name in (area.code, area.name_en, area.name_pl, area.name_tr):
            assert areas[imports.area_key(name)] == area, name


# --- the page's order -------------------------------------------------------------------------------------------------


def _page_names(client, params) -> list[str]:
    page = client.get("/en/organizations/", params).content.decode()
    return re.findall(r'<h3><a href="/en/organizations/[^"]+/">([^<]+)</a>', page)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "params",
    [{}, {"ordering": "-name"}, {"ordering": "founding_year"}, {"ordering": "-founding_year"},
     {"q": "stowarzyszenie"}, {"kind": "ngo", "ordering": "-created"}],
    ids=["default", "name-z-a", "founding-year", "founding-year-newest", "search", "filtered"],
)
def test_the_export_lists_the_entries_in_the_order_of_the_page_with_the_same_filters(
    client, municipality, params, kind,
):
    # Made in an order that is neither the names' nor the years'; years shared, to be settled alike.
    for name, year in [("Stowarzyszenie Zdrój", 1990), ("Fundacja Ale", 2001), ("Stowarzyszenie Bór", 1990),
                       ("Klub Ćma", 2001), ("Stowarzyszenie Łąka", 1990), ("Stowarzyszenie Arka", 2010)]:
        OrganizationFactory(name=name, territory=municipality, founding_year=year)
    PublicBodyFactory(name="Urząd Gminy Nysa", territory=municipality, founding_year=1990)
    expected = _page_names(client, params)
    assert len(expected) >= 4

    table = _table(_export(client, "en", kind, params), kind)

    assert [row[0] for row in table[1:]] == expected


def test_an_ordering_shared_by_several_entries_settles_them_by_their_age_on_every_page(client, municipality, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    made = [OrganizationFactory(name=f"Stowarzyszenie {n}", territory=municipality, founding_year=1990) for n in "CAB"]

    pages = [_page_names(client, {"ordering": "founding_year", "page": n}) for n in (1, 2)]

    assert pages == [[made[0].name, made[1].name], [made[2].name]]


# --- who may export ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_a_public_body_waiting_for_approval_is_left_out_of_the_export_even_for_its_registrant(
    client, user, organization, language,
):
    # Nobody speaks in an authority's name before a coordinator approves it: not in any list.
    pending = services.create_organization(by=user, data={
        "name": "Gmina Oczekująca", "kind": "municipality", "territory": organization.territory,
    })
    assert not pending.is_listed
    client.force_login(user)

    names = [row[0] for row in _table(_export(client, language, "csv"), "csv")[1:]]

    assert names == [organization.name]
