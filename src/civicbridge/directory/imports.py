"""Import of organizations from CSV or XLSX: all rows valid, or nothing is written.

A dry run reports what would be created or updated and every row error (row number,
column, message); the real run repeats the same checks inside one transaction.
An existing organization is matched by its register and registry number and updated.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.uploads import ImportFileError, read_table
from civicbridge.core.validators import row_text_errors

from . import services
from .exports import HEADERS
from .models import Organization

REQUIRED = ("name", "kind")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(name: str, content: bytes) -> list[tuple[int, dict]]:
    """The file's data rows as (row number in the file, {column: value}); blank rows skipped.

    Read as a stream within the bounds of ``core.uploads``; at most
    ``CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS`` rows.
    """
    values_headers, rows = read_table(name, content, max_rows=settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS)
    headers = [h.strip().lower() for h in values_headers]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [h for h in headers if h and h not in HEADERS]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    return [
        (number, {h: _unquote(v.strip()) for h, v in zip(headers, row, strict=False) if h})
        for number, row in rows
    ]


def _unquote(value: str) -> str:
    # Undo the export's protection against formula injection.
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


class _Lookups:
    def __init__(self):
        # Codes are unique per country and level only (Opole region and Bursa province are both 16).
        self.territories_by_code: dict[str, list[Territory]] = {}
        for territory in Territory.objects.exclude(code=""):
            self.territories_by_code.setdefault(territory.code, []).append(territory)
        self.territories_by_name: dict[str, list[Territory]] = {}
        for territory in Territory.objects.all():
            for name in {territory.name_en, territory.name_pl, territory.name_tr} - {""}:
                self.territories_by_name.setdefault(name.casefold(), []).append(territory)
        self.areas = {a.code: a for a in ThematicArea.objects.all()}

    def territory(self, code: str, name: str) -> Territory:
        if code:
            matches = self.territories_by_code.get(code, [])
            if not matches:
                raise ValidationError(_("No territory has the code %(code)s.") % {"code": code})
            if len(matches) > 1:
                named = [t for t in matches if name and name.casefold() in self._names(t)]
                if len(named) != 1:
                    raise ValidationError(
                        _("Several territories have the code %(code)s; give the territory's exact name too.")
                        % {"code": code}
                    )
                return named[0]
            return matches[0]
        matches = self.territories_by_name.get(name.casefold(), [])
        if not matches:
            raise ValidationError(_("Unknown territory; give its official code or exact name."))
        if len(matches) > 1:
            raise ValidationError(_("Several territories have this name; give the official code."))
        return matches[0]

    @staticmethod
    def _names(territory: Territory) -> set[str]:
        return {n.casefold() for n in (territory.name_en, territory.name_pl, territory.name_tr) if n}


def _parse_row(row: dict, lookups: _Lookups) -> tuple[dict, list, dict]:
    errors: dict[str, str] = {}
    data = {k: row.get(k, "") for k in services.ORGANIZATION_FIELDS if k not in ("territory", "latitude", "longitude", "founding_year")}
    for column in REQUIRED:
        if not row.get(column):
            errors[column] = _("This field is required.")
    try:
        data["territory"] = lookups.territory(row.get("territory_code", ""), row.get("territory", ""))
    except ValidationError as error:
        errors["territory"] = error.messages[0]
    for column in ("latitude", "longitude"):
        data[column] = row.get(column) or None
    year = row.get("founding_year", "")
    if year:
        if not year.isdigit():
            errors["founding_year"] = _("Enter a whole number.")
        else:
            data["founding_year"] = int(year)
    areas = []
    for code in filter(None, (c.strip() for c in row.get("thematic_areas", "").split(";"))):
        if code not in lookups.areas:
            errors["thematic_areas"] = _("Unknown thematic area code: %(code)s.") % {"code": code}
        else:
            areas.append(lookups.areas[code])
    return data, areas, errors


def import_organizations(*, by, name: str, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row, then (unless a dry run, and only if no row failed) write them all."""
    if not by.has_perm("directory.import_organizations"):
        raise PermissionDenied
    rows = read_rows(name, content)
    report = ImportReport()
    lookups = _Lookups()
    seen_numbers: dict[tuple[str, str], int] = {}
    with transaction.atomic():
        for number, row in rows:
            _import_row(number, row, by=by, lookups=lookups, seen=seen_numbers, report=report)
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _import_row(number, row, *, by, lookups, seen, report):
    data, areas, errors = _parse_row(row, lookups)
    errors |= row_text_errors(row, multiline={"description"})
    for column, message in errors.items():
        report.errors.append(RowError(number, column, message))
    if errors:
        return
    key = (data.get("registry_type", ""), services.normalize_registry_number(data.get("registry_type", ""), data.get("registry_number", "")))
    if key[1]:
        if key in seen:
            report.errors.append(RowError(number, "registry_number", _("Same registry number as row %(row)s.") % {"row": seen[key]}))
            return
        seen[key] = number
    existing = Organization.objects.filter(registry_type=key[0], registry_number=key[1]).first() if key[1] else None
    try:
        with transaction.atomic():
            if existing:
                services.update_organization(organization=existing, by=by, data=data, thematic_areas=areas)
                report.updated += 1
            else:
                services.create_organization(by=by, data=data, thematic_areas=areas)
                report.created += 1
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            report.errors.append(RowError(number, column, " ".join(messages)))
