"""Export of the portfolio to CSV and XLSX: one row per project, formula-safe cells."""

from collections.abc import Iterable, Iterator

from civicbridge.core import exports


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


def csv_chunks(projects: Iterable) -> Iterator[str]:
    return exports.csv_chunks(projects, COLUMNS)


def xlsx_bytes(projects: Iterable) -> bytes:
    return exports.xlsx_bytes(projects, COLUMNS, sheet="projects")
