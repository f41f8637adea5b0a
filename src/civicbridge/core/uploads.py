"""Reading uploaded tables (CSV, XLSX) and JSON within bounds, before any of it is believed.

A file's size on upload says little about the work of reading it: an XLSX is a zip whose
members may unpack to a thousand times their size, a worksheet may declare a million rows
in a megabyte, a CSV may hold a field of five million characters, and a JSON document a
nesting that exhausts the interpreter's stack. Every reader here stops at its bound and
says which bound in the user's language; none reads further than the bound plus one row.

The bounds are settings (``CIVICBRIDGE_IMPORT_*``, ``CIVICBRIDGE_JSON_MAX_DEPTH``).

Documents people attach (to a project, a working group, a consultation) are checked here
too, by size, by name and by their first bytes (``check_document``).
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# --- documents ---------------------------------------------------------------------------------------------

# The kinds of document people attach, each with the first bytes its content starts with.
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
OFFICE_DOCUMENT_TYPES = {extension: DOCUMENT_TYPES[extension] for extension in (".pdf", ".docx", ".xlsx", ".odt", ".ods")}


def check_document(upload, *, max_bytes: int, kinds: dict = DOCUMENT_TYPES, field: str = "file") -> None:
    """Refuse a file too large, or not of ``kinds`` by its name or by its first bytes (a
    ValidationError on ``field`` that says which, in the user's language)."""
    if upload.size > max_bytes:
        raise ValidationError({field: [_("The file is too large (at most %(size)s).") % {"size": filesizeformat(max_bytes)}]})
    name = upload.name.lower()
    extension = next((ext for ext in kinds if name.endswith(ext)), None)
    if extension is None:
        listed = ", ".join(sorted(kinds))
        raise ValidationError({field: [_("Upload a file of one of these kinds: %(kinds)s.") % {"kinds": listed}]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in kinds[extension]):
        raise ValidationError({field: [_("The file's content is not what its name says (%(kind)s).") % {"kind": extension}]})


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


# --- JSON ------------------------------------------------------------------------------------------------

# A string literal (skipped whole, so that brackets inside it do not count) or one bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def json_too_deep(text: str, max_depth: int) -> bool:
    """True when arrays and objects in ``text`` nest deeper than ``max_depth``.

    Checked before parsing: the parser recurses once per level, so a deep enough document
    raises RecursionError instead of an answer. The scan never recurses and stops at the
    first level past the bound.
    """
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif token in "]}":
            depth -= 1
    return False


def json_depth_message(max_depth: int) -> str:
    return _("The JSON is nested more than %(depth)s levels deep.") % {"depth": max_depth}


def load_json(text: str, *, max_depth: int | None = None):
    """``json.loads`` within the depth bound; ImportFileError with a clear message otherwise."""
    max_depth = max_depth or settings.CIVICBRIDGE_JSON_MAX_DEPTH
    if json_too_deep(text, max_depth):
        raise ImportFileError(json_depth_message(max_depth))
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        # ValueError covers JSONDecodeError and integers past Python's digit limit.
        raise ImportFileError(_("This file is not valid JSON.")) from error


# --- tables ------------------------------------------------------------------------------------------------


def read_table(name: str, content: bytes, *, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first row (the headers) and the data rows as (row number in the file, cells).

    Blank rows are skipped but keep their numbers, so that a reported row matches the
    spreadsheet. Reading stops at the row past ``max_rows`` (blank rows count too: they
    cost the same to read) and the file is refused, saying how many rows are allowed.
    """
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content, max_rows=max_rows)
    else:
        rows = _csv_rows(content)
    headers: list[str] | None = None
    data = []
    max_chars = settings.CIVICBRIDGE_IMPORT_MAX_FIELD_CHARS
    max_columns = settings.CIVICBRIDGE_IMPORT_MAX_COLUMNS
    for number, cells in rows:
        if number > max_rows + 1:  # row 1 holds the headers
            raise ImportFileError(
                _("The file has more than %(count)s rows below the headers; at most %(count)s rows "
                  "can be imported at once (blank rows count too).") % {"count": max_rows}
            )
        if len(cells) > max_columns:
            raise ImportFileError(
                _("The file has more than %(count)s columns.") % {"count": max_columns}
            )
        for column, cell in enumerate(cells, start=1):
            if len(cell) > max_chars:
                raise ImportFileError(
                    _("Row %(row)s, column %(column)s holds more than %(count)s characters.")
                    % {"row": number, "column": column, "count": max_chars}
                )
        if headers is None:
            headers = cells
        elif any(cell.strip() for cell in cells):
            data.append((number, cells))
    if headers is None or not any(h.strip() for h in headers):
        raise ImportFileError(_("The file is empty."))
    return headers, data


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    # Decoded and split as it is read: the reader never holds more than the row at hand.
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The CSV file must be encoded in UTF-8.")) from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise ImportFileError(
                    _("Line %(line)s of the file holds a field of more than %(count)s characters.")
                    % {"line": reader.line_num, "count": settings.CIVICBRIDGE_IMPORT_MAX_FIELD_CHARS}
                ) from error
            raise ImportFileError(
                _("Line %(line)s of the file cannot be read as CSV.")
                % {"line": reader.line_num}
            ) from error
        number += 1
        yield number, cells


_MAX_RATIO = 100
_RATIO_EXEMPT_BYTES = 1024 * 1024  # small parts (styles, a short sheet) may pack tighter harmlessly


class _UnsizedWorksheet(ReadOnlyWorksheet):
    def _get_size(self):
        # openpyxl looks for the <dimension> element when it opens a sheet; where there is
        # none it parses the whole sheet to find out (a million rows: seconds). The rows are
        # read with explicit bounds instead.
        pass


class _FirstSheetReader(ExcelReader):
    """openpyxl's read-only reader that opens only the first worksheet, and without a scan."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.wb._sheets.append(_UnsizedWorksheet(self.wb, sheet.name, rel.target, self.shared_strings))
                return


def _xlsx_rows(content: bytes, *, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    unreadable = _("This file is not a readable XLSX workbook.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ImportFileError(unreadable) from error
    # A zip bomb is refused before a byte is unpacked: Python's zipfile never unpacks more of
    # a member than its declared size, so the declared sizes bound the work.
    unpacked = sum(member.file_size for member in members)
    bound = settings.CIVICBRIDGE_IMPORT_MAX_UNPACKED_BYTES
    if unpacked > bound:
        raise ImportFileError(
            _("The workbook unpacks to %(size)s; at most %(limit)s can be imported.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(bound)}
        )
    # A spreadsheet's XML deflates 5 to 30 times; a member packed a hundred times tighter is
    # made to be unpacked, not read (the ratio Apache POI refuses by default too).
    for member in members:
        if member.file_size > _RATIO_EXEMPT_BYTES and member.file_size > _MAX_RATIO * max(member.compress_size, 1):
            raise ImportFileError(
                _("The workbook is compressed more than %(ratio)s times, as only a zip bomb is; "
                  "it is not read.") % {"ratio": _MAX_RATIO}
            )
    max_columns = settings.CIVICBRIDGE_IMPORT_MAX_COLUMNS
    try:
        reader = _FirstSheetReader(io.BytesIO(content), read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as error:  # openpyxl raises anything from KeyError to XML errors
        raise ImportFileError(unreadable) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        # Rows and columns are read up to one past the bounds, never to the dimensions the
        # sheet declares: a sheet claiming A1:XFD1048576 would be padded out to a million
        # rows of sixteen thousand cells.
        rows = sheet.iter_rows(max_row=max_rows + 2, max_col=max_columns + 1, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except ImportFileError:
                raise
            except Exception as error:  # malformed XML surfaces only while rows are read
                raise ImportFileError(unreadable) from error
            number += 1
            cells = ["" if value is None else str(value) for value in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield number, cells
    finally:
        workbook.close()
