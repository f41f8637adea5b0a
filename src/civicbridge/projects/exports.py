"""Export of the portfolio to CSV and XLSX: one row per project, formula-safe cells, in the
language of the page it is exported from.

The headers are the fields' names in that language; what a person reads is written by its name
in that language (status, partners' roles, currency, territory), what identifies is written as
it is (the project's number, the call's identifier, the territory's code). Amounts and dates
stay as a spreadsheet reads them (12500.00, 2026-05-01).
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from civicbridge.core import exports
from civicbridge.core.text import capfirst

from .models import CURRENCIES, Project, ProjectPartner

# The columns' code names, in the file's order (the headers files exported before were written with).
HEADERS = [
    "id", "title", "status", "lead_organization", "partners", "funder", "programme", "call", "budget",
    "co_financing", "currency", "start_date", "end_date", "territory_code", "territory", "summary", "results",
]


def _title(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def columns() -> exports.Columns:
    """(header, value of one project) in the active language; a territory is named in the
    language active when the value is read."""
    statuses = {value: capfirst(str(label)) for value, label in Project.Status.choices}
    roles = {value: str(label) for value, label in ProjectPartner.Role.choices}
    currencies = {code: str(name) for code, name in CURRENCIES.items()}

    def partners(project) -> str:
        return "; ".join(
            f"{partner.organization.name} ({roles.get(partner.role, partner.role)})" for partner in project.partners.all()
        )

    headers = {
        "id": _title(Project, "id"),
        "partners": capfirst(str(ProjectPartner._meta.verbose_name_plural)),
        "call": capfirst(_("call identifier")),
        "territory_code": capfirst(_("territory code")),
        **{name: _title(Project, name) for name in (
            "title", "status", "lead_organization", "funder", "programme", "budget", "co_financing", "currency",
            "start_date", "end_date", "territory", "summary", "results",
        )},
    }
    values = {
        "id": lambda p: p.pk,
        "title": lambda p: p.title,
        "status": lambda p: statuses.get(p.status, p.status),
        "lead_organization": lambda p: p.lead_organization.name,
        "partners": partners,
        "funder": lambda p: p.funder.name if p.funder else "",
        "programme": lambda p: p.programme.name if p.programme else "",
        "call": lambda p: p.call.identifier if p.call else "",
        "budget": lambda p: p.budget,
        "co_financing": lambda p: p.co_financing,
        "currency": lambda p: currencies.get(p.currency, p.currency),
        "start_date": lambda p: p.start_date.isoformat(),
        "end_date": lambda p: p.end_date.isoformat(),
        "territory_code": lambda p: p.territory.code if p.territory else "",
        "territory": lambda p: p.territory.name if p.territory else "",
        "summary": lambda p: p.summary,
        "results": lambda p: p.results,
    }
    return [(headers[key], values[key]) for key in HEADERS]


def csv_chunks(projects: Iterable) -> Iterator[str]:
    """The CSV, in the active language (read now: the chunks are made later)."""
    return exports.csv_chunks(projects, columns())


def xlsx_bytes(projects: Iterable) -> bytes:
    return exports.xlsx_bytes(projects, columns(), sheet=_("Projects")[:31])
