"""CSV and XLSX of a list, whatever its content: each app declares its columns (header, value of
one item) and its pages stream them. Every cell is formula-safe.

A file is written in the language of the page it is exported from: its headers and the labels
its values show. The CSV is streamed after the view has returned, so ``csv_chunks`` makes each
chunk in the language active when it was called, whatever is active by then."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.utils import translation
from openpyxl import Workbook

from .validators import clean_text

Columns = Sequence[tuple[str, Callable]]
CSV_CHUNK = 64 * 1024


def safe_cell(value):
    if not isinstance(value, str):
        return value
    # Control characters first: openpyxl refuses them (XML cannot hold them), and removing
    # one must not uncover a formula ("\x01=HYPERLINK(...)").
    value = clean_text(value, multiline=True)
    # Spreadsheet formula injection: a cell starting with = + - @ would run as a formula.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_rows(items: Iterable, columns: Columns) -> Iterator[list]:
    for item in items:
        yield [safe_cell(value(item)) for _, value in columns]


def csv_chunks(items: Iterable, columns: Columns) -> Iterator[str]:
    """The CSV text in chunks of about 64 kB, for a streaming response, in the active language."""
    return _in_language(translation.get_language(), _csv_chunks(items, columns))


def _in_language(language: str | None, chunks: Iterator[str]) -> Iterator[str]:
    # Only while a chunk is made: the server's own code between chunks keeps its language.
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _csv_chunks(items: Iterable, columns: Columns) -> Iterator[str]:
    buffer = io.StringIO()
    # A byte order mark, as the import templates have: a spreadsheet program reads a CSV without
    # one in the computer's own code page, and the Polish and Turkish headers came out as
    # "MiejscowoÅ›Ä‡". The import reads it.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header, _ in columns])
    for row in table_rows(items, columns):
        writer.writerow(row)
        if buffer.tell() > CSV_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(items: Iterable, columns: Columns, *, sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append([str(header) for header, _ in columns])
    for row in table_rows(items, columns):
        worksheet.append([value if isinstance(value, (int, float, str)) else str(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
