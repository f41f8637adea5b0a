"""Export of the portfolio to CSV and XLSX: one row per project, formula-safe cells."""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

from civicbridge.directory.exports import _safe_cell


def _partners(project) -> str:
    return "; ".join(f"{p.organization.name} ({p.role})" for p in project.partners.all())


COLUMNS = [
    ("id", lambda p: p.pk),
    ("title", lambda p: p.title),
    ("status", lambda p: p.status),
    ("lead_organization", lambda p: p.lead_organization.name),
    ("partners", _partners),
    ("funder", lambda p: p.funder.name if p.funder else ""),
    ("programme", lambda p: p.programme.name if p.programme else ""),
    ("call", lambda p: p.call.identifier if p.call else ""),
    ("budget", lambda p: p.budget),
    ("co_financing", lambda p: p.co_financing),
    ("currency", lambda p: p.currency),
    ("start_date", lambda p: p.start_date.isoformat()),
    ("end_date", lambda p: p.end_date.isoformat()),
    ("territory_code", lambda p: p.territory.code if p.territory else ""),
    ("territory", lambda p: p.territory.name if p.territory else ""),
    ("summary", lambda p: p.summary),
    ("results", lambda p: p.results),
]
HEADERS = [header for header, _ in COLUMNS]


def rows(projects: Iterable) -> Iterator[list]:
    for project in projects:
        yield [_safe_cell(value(project)) for _, value in COLUMNS]


def csv_chunks(projects: Iterable) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows(projects):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(projects: Iterable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("projects")
    sheet.append(HEADERS)
    for row in rows(projects):
        sheet.append([v if isinstance(v, (int, float, str)) else str(v) for v in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
