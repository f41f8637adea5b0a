"""Import of organizations (CSV or XLSX) on the shared pipeline of ``core.imports``.

The columns are the export's (its file imports as it is) and the template's, whose headers are
in the user's language. An organization is recognised by its register and registry number
(KRS, the Turkish association registry number...) and updated; one without a registry number by
its exact name in the same territory, among the organizations without a number. All rows valid,
or nothing is written (see ``core.imports``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core.imports import Column, Importer, ImportFileError, ParsedRow, run_import
from civicbridge.core.models import Territory, ThematicArea

from . import services
from .models import Organization

__all__ = ["ImportFileError", "OrganizationImporter", "import_organizations"]


def _label(model_field: str):
    return capfirst(Organization._meta.get_field(model_field).verbose_name)


def _territory_codes():
    territories = Territory.objects.exclude(code="").order_by("country", "code", "pk")
    return [(t.code, f"{t.name} ({t.get_level_display()}, {t.country})") for t in territories]


def _area_codes():
    return [(area.code, area.name) for area in ThematicArea.objects.order_by("scheme", "position", "code")]


CODES_HELP = gettext_lazy("One of the codes on the Codes sheet, or its meaning as written there.")


class _Lookups:
    def __init__(self):
        # Codes are unique per country and level only (Opole region and Bursa province are both 16).
        self.territories_by_code: dict[str, list[Territory]] = {}
        self.territories_by_name: dict[str, list[Territory]] = {}
        for territory in Territory.objects.all():
            if territory.code:
                self.territories_by_code.setdefault(territory.code, []).append(territory)
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


def _unquote(value: str) -> str:
    # Undo the export's protection against formula injection.
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


_PLAIN = ("legal_form", "registry_type", "registry_number", "address", "postal_code", "website", "email", "phone")


class OrganizationImporter(Importer):
    name = "organizations"
    permission = "directory.import_organizations"
    key_column = "registry_number"
    key_label = gettext_lazy("Organization")
    columns = (
        Column("name", _label("name"), required=True),
        Column("kind", _label("kind"), CODES_HELP, required=True, choices=Organization.Kind),
        Column("legal_form", _label("legal_form"), CODES_HELP, choices=Organization.LegalForm),
        Column("registry_type", _label("registry_type"), CODES_HELP, choices=Organization.RegistryType),
        Column(
            "registry_number", _label("registry_number"),
            gettext_lazy("An organization already registered with this register and number is updated, not added again."),
        ),
        Column(
            "territory_code", gettext_lazy("territory code"),
            gettext_lazy("The official code of the administrative unit (TERYT in Poland); see the Codes sheet."),
            codes=_territory_codes,
        ),
        Column(
            "territory", _label("territory"),
            gettext_lazy("The administrative unit's exact name: needed only without a code, or when two units share it."),
        ),
        Column("address", _label("address")),
        Column("postal_code", _label("postal_code")),
        Column("latitude", _label("latitude"), gettext_lazy("Decimal degrees, e.g. 50.671.")),
        Column("longitude", _label("longitude"), gettext_lazy("Decimal degrees, e.g. 17.926.")),
        Column(
            "thematic_areas", _label("thematic_areas"),
            gettext_lazy("Codes from the Codes sheet, separated by semicolons."), codes=_area_codes,
        ),
        Column("website", _label("website")),
        Column("email", _label("email")),
        Column("phone", _label("phone")),
        Column("founding_year", _label("founding_year"), gettext_lazy("A year, e.g. 1998.")),
        Column("description", _label("description"), multiline=True),
        # Written by the export; verification is a coordinator's act on the page, never imported.
        Column("verified", _label("is_verified"), in_template=False),
    )

    @property
    def max_rows(self) -> int:
        return settings.CIVICBRIDGE_IMPORT_MAX_ORGANIZATIONS

    def clean_value(self, key, value):
        return _unquote(super().clean_value(key, value))

    def duplicate_message(self, row: int) -> str:
        return _("Same registry number as row %(row)s.") % {"row": row}

    def prepare(self):
        return _Lookups()

    def parse(self, values: dict, context: _Lookups, present: set[str]) -> ParsedRow:
        parsed = ParsedRow(data={}, extra={"thematic_areas": None})
        data, errors = parsed.data, parsed.errors
        for column in ("name", "kind", *_PLAIN, "description"):
            if column in present:
                data[column] = values.get(column, "")
        if "territory_code" in present or "territory" in present:
            try:
                data["territory"] = context.territory(values.get("territory_code", ""), values.get("territory", ""))
            except ValidationError as error:
                errors["territory_code" if values.get("territory_code") else "territory"] = error.messages[0]
        for column in ("latitude", "longitude"):
            if column in present:
                data[column] = values.get(column) or None
        if "founding_year" in present:
            year = values.get("founding_year", "")
            if year and not year.isdigit():
                errors["founding_year"] = _("Enter a whole number.")
            else:
                data["founding_year"] = int(year) if year else None
        if "thematic_areas" in present:
            areas = []
            for code in filter(None, (c.strip() for c in values.get("thematic_areas", "").split(";"))):
                if code not in context.areas:
                    errors["thematic_areas"] = _("Unknown thematic area code: %(code)s.") % {"code": code}
                else:
                    areas.append(context.areas[code])
            parsed.extra["thematic_areas"] = areas
        return parsed

    def natural_key(self, parsed: ParsedRow) -> str:
        data = parsed.data
        number = services.normalize_registry_number(data.get("registry_type", ""), data.get("registry_number", ""))
        if number:
            data["registry_number"] = number
            parsed.extra["match"] = {"registry_type": data.get("registry_type", ""), "registry_number": number}
            return f"{data.get('registry_type', '')}:{number}"
        if data.get("name") and data.get("territory"):
            # No number to go by: the same name in the same territory, among those without one.
            parsed.extra["match"] = {
                "registry_number": "", "territory": data["territory"], "name__iexact": data["name"],
            }
            return f"{data['name'].casefold()}@{data['territory'].pk}"
        return ""

    def describe(self, parsed: ParsedRow, key: str) -> str:
        data = parsed.data
        number = data.get("registry_number", "")
        if number:
            return f"{data.get('name', '')} ({data.get('registry_type', '').upper()} {number})".replace("( ", "(")
        return data.get("name", "")

    def find(self, parsed: ParsedRow, context):
        return Organization.objects.filter(**parsed.extra["match"]).order_by("pk").first()

    def create(self, parsed: ParsedRow, *, by, context):
        if "territory" not in parsed.data and "territory" not in parsed.errors:
            raise ValidationError({"territory_code": [_("Unknown territory; give its official code or exact name.")]})
        return services.create_organization(by=by, data=parsed.data, thematic_areas=parsed.extra["thematic_areas"] or ())

    def update(self, existing, parsed: ParsedRow, *, by, context):
        return services.update_organization(
            organization=existing, by=by, data=parsed.data, thematic_areas=parsed.extra["thematic_areas"]
        )


def import_organizations(*, by, name: str, content: bytes, dry_run: bool):
    """Check every row, then (unless a dry run, and only if no row failed) write them all."""
    return run_import(OrganizationImporter(), by=by, name=name, content=content, dry_run=dry_run)
