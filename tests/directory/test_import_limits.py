"""Imports of organizations stop at their bounds: rows, unpacked size, columns, field length.

A refused file is a clear message (in the user's language) on the form and changes nothing.
That reading stops at the limit is shown by files that break just past it: a reader that went
on would meet the break and answer with another message.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from civicbridge.directory import imports
from civicbridge.directory.models import Organization

pytestmark = pytest.mark.django_db

IMPORT_URL = "/en/organizations/import/"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(sheet_data: bytes, *, dimension: str = "") -> bytes:
    """A minimal workbook around one sheet's <sheetData> content, written by hand.

    openpyxl would take minutes to write a million rows; the sheet's XML takes milliseconds.
    """
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
            '<sheet name="Organizations" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}">'.encode()
            + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
            + b"<sheetData>" + sheet_data + b"</sheetData></worksheet>"
        ),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def text_row(*values: str) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f"<row>{cells}</row>".encode()


HEADER_ROW = text_row("name", "kind", "territory_code")


def organization_rows(count: int) -> bytes:
    return b"".join(text_row(f"Stowarzyszenie {n}", "ngo", "1607053") for n in range(count))


@pytest.fixture(scope="module")
def a_million_rows() -> bytes:
    """1,000,001 rows in about 40 MB of XML that deflates to under 3 MB, as a real sheet would."""
    return xlsx(HEADER_ROW + b"".join(b"<row><c><v>%d</v></c><c><v>2</v></c></row>" % n for n in range(1_000_000)))


def csv_rows(count: int) -> bytes:
    return b"name,kind,territory_code\r\n" + b"".join(
        f"Stowarzyszenie {n},ngo,1607053\r\n".encode() for n in range(count)
    )


def _upload(client, name, content, mode="import", language="en"):
    url = IMPORT_URL.replace("/en/", f"/{language}/")
    return client.post(url, {"file": SimpleUploadedFile(name, content), "mode": mode})


def _file_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


# --- the row limit ---------------------------------------------------------------------------------------------


def test_an_xlsx_with_a_million_rows_is_refused_in_well_under_two_seconds(coordinator, settings, a_million_rows):
    content = a_million_rows
    assert len(content) < settings.CIVICBRIDGE_IMPORT_MAX_BYTES  # it passes the upload size check

    with pytest.raises(imports.ImportFileError) as refused:
        imports.import_organizations(by=coordinator, name="huge.xlsx", content=content, dry_run=True)

    assert "at most 20000 rows" in str(refused.value)


def test_a_million_row_xlsx_uploaded_on_the_page_is_a_form_error_and_writes_nothing(
    client, coordinator, a_million_rows
):
    client.force_login(coordinator)

    response = _upload(client, "huge.xlsx", a_million_rows)

    assert "at most 20000 rows can be imported at once" in _file_errors(response)
    assert response.context["report"] is None
    assert not Organization.objects.exists()


def test_a_csv_with_a_million_rows_is_refused_quickly(coordinator):
    content = b"name,kind,territory_code\r\n" + b"A,ngo,1607053\r\n" * 1_000_000

    with pytest.raises(imports.ImportFileError, match="at most 20000 rows"):
        imports.import_organizations(by=coordinator, name="huge.csv", content=content, dry_run=True)



@override_settings(CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS=100)
def test_an_xlsx_is_not_read_past_the_row_limit(coordinator):
    # Row 102 (the header, 100 rows, one more) is the last one read: the XML breaks after it.
    content = xlsx(HEADER_ROW + organization_rows(101) + b"<row><c><v>broken")

    with pytest.raises(imports.ImportFileError, match="at most 100 rows"):
        imports.import_organizations(by=coordinator, name="long.xlsx", content=content, dry_run=True)


@override_settings(CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS=100)
def test_a_csv_is_not_read_past_the_row_limit(coordinator):
    # The bytes that are not UTF-8 come well after the limit (past the decoder's first chunks).
    content = csv_rows(1_000) + b"\xff\xfe not UTF-8 \xff\r\n" * 10

    with pytest.raises(imports.ImportFileError, match="at most 100 rows"):
        imports.import_organizations(by=coordinator, name="long.csv", content=content, dry_run=True)


def test_a_csv_of_blank_lines_counts_them_against_the_limit(coordinator):
    # Five million empty lines would otherwise be read to the end to find no row at all.
    content = b"name,kind,territory_code\r\n" + b"\r\n" * 5_000_000

    with pytest.raises(imports.ImportFileError, match="blank rows count too"):
        imports.import_organizations(by=coordinator, name="blank.csv", content=content, dry_run=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_at_the_row_limit_is_imported(coordinator, settings, fmt):
    settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS = 4
    content = csv_rows(4) if fmt == "csv" else xlsx(HEADER_ROW + organization_rows(4))

    report = imports.import_organizations(by=coordinator, name=f"four.{fmt}", content=content, dry_run=False)

    assert report.ok, report.errors
    assert (report.created, report.written) == (4, True)
    assert Organization.objects.count() == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_row_over_the_limit_is_refused_and_writes_nothing(coordinator, settings, fmt):
    settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS = 4
    content = csv_rows(5) if fmt == "csv" else xlsx(HEADER_ROW + organization_rows(5))

    with pytest.raises(imports.ImportFileError, match="at most 4 rows"):
        imports.import_organizations(by=coordinator, name=f"five.{fmt}", content=content, dry_run=False)

    assert not Organization.objects.exists()


def test_a_sheet_declaring_a_huge_dimension_is_read_by_its_real_rows(coordinator):
    # openpyxl pads rows out to the declared dimensions unless told where to stop.
    content = xlsx(HEADER_ROW + organization_rows(2), dimension="A1:XFD1048576")

    report = imports.import_organizations(by=coordinator, name="wide.xlsx", content=content, dry_run=True)

    assert report.ok, report.errors
    assert report.created == 2


# --- zip bombs and files that are not what they say ------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(coordinator):
    # 65 MiB of spaces deflate to about 64 KiB: the declared size gives it away.
    content = xlsx(HEADER_ROW + b" " * (65 * 1024 * 1024))
    assert len(content) < 1024 * 1024

    with pytest.raises(imports.ImportFileError) as refused:
        imports.import_organizations(by=coordinator, name="bomb.xlsx", content=content, dry_run=True)

    assert "unpacks to 65.0" in str(refused.value)
    assert "at most 64.0" in str(refused.value)


def test_a_member_packed_a_hundred_times_tighter_than_a_spreadsheet_is_refused(coordinator):
    # 10 MiB of spaces: within the unpacked bound, but no sheet deflates a thousandfold.
    content = xlsx(HEADER_ROW + b" " * (10 * 1024 * 1024))

    with pytest.raises(imports.ImportFileError, match="compressed more than 100 times"):
        imports.import_organizations(by=coordinator, name="bomb.xlsx", content=content, dry_run=True)


@override_settings(CIVICBRIDGE_IMPORT_MAX_UNPACKED_BYTES=10_000)
def test_the_unpacked_size_bound_is_a_setting(coordinator):
    content = xlsx(HEADER_ROW + organization_rows(200))

    with pytest.raises(imports.ImportFileError, match="unpacks to"):
        imports.import_organizations(by=coordinator, name="big.xlsx", content=content, dry_run=True)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
        pytest.param(b"\x00" * 100, id="binary"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message(coordinator, content):
    with pytest.raises(imports.ImportFileError, match="not a readable XLSX workbook"):
        imports.import_organizations(by=coordinator, name="x.xlsx", content=content, dry_run=True)


def test_a_zip_without_a_workbook_is_refused(coordinator):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")

    with pytest.raises(imports.ImportFileError, match="not a readable XLSX workbook"):
        imports.import_organizations(by=coordinator, name="x.xlsx", content=output.getvalue(), dry_run=True)


def test_a_sheet_whose_xml_breaks_half_way_is_refused(coordinator):
    # Read-only mode parses rows only as they are asked for: the error comes while iterating.
    content = xlsx(HEADER_ROW + organization_rows(3) + b"<row><c><v>1</oops></row>")

    with pytest.raises(imports.ImportFileError, match="not a readable XLSX workbook"):
        imports.import_organizations(by=coordinator, name="x.xlsx", content=content, dry_run=True)


# --- columns and fields ------------------------------------------------------------------------------------


def test_a_csv_with_too_many_columns_is_refused(coordinator):
    content = b"name,kind,territory_code" + b",x" * 300 + b"\r\nA,ngo,1607053\r\n"

    with pytest.raises(imports.ImportFileError, match="more than 200 columns"):
        imports.import_organizations(by=coordinator, name="wide.csv", content=content, dry_run=True)


def test_an_xlsx_with_too_many_columns_is_refused(coordinator):
    content = xlsx(text_row("name", "kind", "territory_code", *["x"] * 300))

    with pytest.raises(imports.ImportFileError, match="more than 200 columns"):
        imports.import_organizations(by=coordinator, name="wide.xlsx", content=content, dry_run=True)


def test_a_field_longer_than_a_spreadsheet_cell_is_refused_with_its_row_and_column(coordinator):
    content = b"name,kind,territory_code,description\r\nA,ngo,1607053," + b"x" * 40_000 + b"\r\n"

    with pytest.raises(imports.ImportFileError) as refused:
        imports.import_organizations(by=coordinator, name="long.csv", content=content, dry_run=True)

    assert str(refused.value) == "Row 2, column 4 holds more than 32767 characters."


def test_a_field_past_the_csv_readers_own_limit_is_refused_with_its_line(coordinator):
    content = b"name,kind,territory_code,description\r\nA,ngo,1607053,\"" + b"x" * 200_000 + b"\"\r\n"

    with pytest.raises(imports.ImportFileError, match="Line 2 of the file holds a field of more than 32767"):
        imports.import_organizations(by=coordinator, name="long.csv", content=content, dry_run=True)


def test_an_overlong_field_uploaded_on_the_page_is_a_form_error_and_writes_nothing(client, coordinator):
    client.force_login(coordinator)
    content = b"name,kind,territory_code\r\nA,ngo,1607053\r\nB,ngo,\"" + b"9" * 200_000 + b"\"\r\n"

    response = _upload(client, "long.csv", content)

    assert "Line 3 of the file holds a field of more than 32767 characters." in _file_errors(response)
    assert not Organization.objects.exists()


def test_an_undecodable_byte_late_in_a_csv_is_refused(coordinator):
    content = csv_rows(1000) + "Stowarzyszenie Łódź,ngo,1607053\r\n".encode("cp1250")

    with pytest.raises(imports.ImportFileError, match="UTF-8"):
        imports.import_organizations(by=coordinator, name="late.csv", content=content, dry_run=True)


# --- in the user's language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "możesz wczytać najwyżej 3 wierszy"),
        ("tr", "en fazla 3 satır içe aktarabilirsiniz"),
    ],
)
def test_the_row_limit_is_explained_in_the_users_language(client, coordinator, settings, language, expected):
    settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS = 3
    client.force_login(coordinator)

    response = _upload(client, "four.csv", csv_rows(4), language=language)

    assert expected in _file_errors(response)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "Skoroszyt po rozpakowaniu zajmuje"), ("tr", "Çalışma kitabı açıldığında")],
)
def test_a_zip_bomb_is_explained_in_the_users_language(client, coordinator, settings, language, expected):
    settings.CIVICBRIDGE_IMPORT_MAX_UNPACKED_BYTES = 10_000
    client.force_login(coordinator)

    response = _upload(client, "big.xlsx", xlsx(HEADER_ROW + organization_rows(200)), language=language)

    assert expected in _file_errors(response)
