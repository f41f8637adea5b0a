"""Import of organizations (CSV or XLSX) on the shared pipeline of ``core.imports``.

The columns are the export's (its file imports as it is) and the template's, whose headers are
in the user's language. An organization is recognised by its register and registry number
(KRS, the Turkish association registry number...; a foreign register's within its country) and
updated; one without a registry number by its tax number within its country; one without
either by its exact name in the same territory (abroad: country and city), among the
organizations without a registry number. An organization abroad is placed by its country and
city instead of a territory, by the same rule as the pages (``services``). All rows valid, or
nothing is written (see ``core.imports``).

A cell may give a choice, a territory, a country or a thematic area by its code or by its name
in any of the site's languages, in any case (``core.text.fold``): the export writes names in the
page's language, and files of codes made before still import.
"""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core import deployment
from civicbridge.core.countries import COUNTRIES, country_choices
from civicbridge.core.imports import Column, Importer, ImportFileError, ParsedRow, run_import
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.text import capfirst, fold

from . import services
from .models import Organization, tax_number_label
from .validators import normalize_tax_number

__all__ = ["ImportFileError", "OrganizationImporter", "import_organizations"]


def _label(model_field: str):
    return capfirst(Organization._meta.get_field(model_field).verbose_name)


def _territory_codes():
    territories = Territory.objects.exclude(code="").order_by("country", "code", "pk")
    return [(t.code, f"{t.name} ({t.get_level_display()}, {t.country})") for t in territories]


def _area_codes():
    return [(area.code, area.name) for area in ThematicArea.objects.order_by("scheme", "position", "code")]


CODES_HELP = gettext_lazy("One of the codes on the Codes sheet, or its meaning as written there.")
# A country by its code or its name in any of the site's languages (folded).
COUNTRY_CODES = {
    **{fold(name): code for code, names in COUNTRIES.items() for name in names},
    **{fold(code): code for code in COUNTRIES},
}
# Between thematic areas in a cell; a Turkish area's name holds a semicolon of its own.
AREA_SEPARATOR = "; "


def area_key(name: str) -> str:
    """A thematic area's code or name as it is looked up: folded, with or without spaces around
    the semicolons it holds."""
    return ";".join(fold(part) for part in name.split(";"))


class _Lookups:
    def __init__(self):
        # Codes are unique per country and level only (Opole region and Bursa province are both 16).
        self.territories_by_code: dict[str, list[Territory]] = {}
        self.territories_by_name: dict[str, list[Territory]] = {}
        for territory in Territory.objects.all():
            if territory.code:
                self.territories_by_code.setdefault(territory.code, []).append(territory)
            for name in {fold(n) for n in (territory.name_en, territory.name_pl, territory.name_tr) if n}:
                self.territories_by_name.setdefault(name, []).append(territory)
        # By code and by name in every language (``area_key``).
        self.areas: dict[str, ThematicArea] = {}
        for area in ThematicArea.objects.all():
            for name in (area.code, area.name_en, area.name_pl, area.name_tr):
                if name:
                    self.areas.setdefault(area_key(name), area)

    def territory(self, code: str, name: str) -> Territory:
        if code:
            matches = self.territories_by_code.get(code, [])
            if not matches:
                raise ValidationError(_("No territory has the code %(code)s.") % {"code": code})
            if len(matches) > 1:
                named = [t for t in matches if name and fold(name) in self._names(t)]
                if len(named) != 1:
                    raise ValidationError(
                        _("Several territories have the code %(code)s; give the territory's exact name too.")
                        % {"code": code}
                    )
                return named[0]
            return matches[0]
        matches = self.territories_by_name.get(fold(name), [])
        if not matches:
            raise ValidationError(_("Unknown territory; give its official code or exact name."))
        if len(matches) > 1:
            raise ValidationError(_("Several territories have this name; give the official code."))
        return matches[0]

    @staticmethod
    def _names(territory: Territory) -> set[str]:
        return {fold(n) for n in (territory.name_en, territory.name_pl, territory.name_tr) if n}

    def thematic_areas(self, cell: str) -> tuple[list[ThematicArea], list[str]]:
        """The areas a cell names, by code or by name, separated by semicolons, and the parts it
        names nothing by. A name that holds a semicolon itself is read whole: at each part the
        longest run of parts that names an area is taken."""
        areas: list[ThematicArea] = []
        unknown: list[str] = []
        parts = [part.strip() for part in cell.split(";")]
        start = 0
        while start < len(parts):
            if not parts[start]:
                start += 1
                continue
            for end in range(len(parts), start, -1):
                area = self.areas.get(area_key(";".join(parts[start:end])))
                if area is not None:
                    break
            if area is None:
                unknown.append(parts[start])
                start += 1
                continue
            if area not in areas:
                areas.append(area)
            start = end
        return areas, unknown


def _unquote(value: str) -> str:
    # Undo the export's protection against formula injection.
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


_PLAIN = (
    "legal_form", "registry_type", "registry_number", "tax_number", "pic", "city", "address", "postal_code",
    "website", "email", "phone",
)


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
            "tax_number", _label("tax_number"),
            gettext_lazy(
                "The NIP in Poland, the tax number (VKN) in Turkey, with or without dashes; abroad, its tax "
                "number as it is written there."
            ),
        ),
        Column("pic", _label("pic"), Organization._meta.get_field("pic").help_text),
        Column(
            "territory_code", gettext_lazy("territory code"),
            gettext_lazy("The official code of the administrative unit (TERYT in Poland); see the Codes sheet."),
            codes=_territory_codes,
        ),
        Column(
            "territory", _label("territory"),
            gettext_lazy("The administrative unit's exact name: needed only without a code, or when two units share it."),
        ),
        Column(
            "country", _label("country"),
            gettext_lazy(
                "For an organization abroad, instead of the territory: its country's code (e.g. DE) or name; "
                "see the Codes sheet."
            ),
            codes=country_choices,
        ),
        Column("city", _label("city"), gettext_lazy("For an organization abroad: the city it is in.")),
        Column("address", _label("address")),
        Column("postal_code", _label("postal_code")),
        Column("latitude", _label("latitude"), gettext_lazy("Decimal degrees, e.g. 50.671.")),
        Column("longitude", _label("longitude"), gettext_lazy("Decimal degrees, e.g. 17.926.")),
        Column(
            "thematic_areas", _label("thematic_areas"),
            gettext_lazy("Codes or names from the Codes sheet, separated by semicolons."), codes=_area_codes,
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
        if "country" in present:
            country = values.get("country", "")
            if country and fold(country) not in COUNTRY_CODES:
                errors["country"] = _("Unknown value %(value)s: use a code from the Codes sheet.") % {"value": country}
            else:
                data["country"] = COUNTRY_CODES.get(fold(country), "")
        if "territory_code" in present or "territory" in present:
            code, name = values.get("territory_code", ""), values.get("territory", "")
            if not code and not name and (data.get("country") or "country" in errors):
                # Abroad: placed by its country and city (the services say what is missing).
                data["territory"] = None
            else:
                try:
                    data["territory"] = context.territory(code, name)
                except ValidationError as error:
                    errors["territory_code" if code else "territory"] = error.messages[0]
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
            areas, unknown = context.thematic_areas(values.get("thematic_areas", ""))
            if unknown:
                errors["thematic_areas"] = _(
                    "Unknown thematic area %(value)s: use a code or a name from the Codes sheet."
                ) % {"value": unknown[0]}
            parsed.extra["thematic_areas"] = areas
        return parsed

    @staticmethod
    def _country(data: dict) -> str:
        territory = data.get("territory")
        return territory.country if territory else (data.get("country") or "")

    @classmethod
    def _abroad(cls, data: dict) -> bool:
        country = cls._country(data)
        return not data.get("territory") and bool(country) and country != deployment.current().country

    def natural_key(self, parsed: ParsedRow) -> str:
        data = parsed.data
        registry_type = data.get("registry_type", "")
        number = services.normalize_registry_number(registry_type, data.get("registry_number", ""))
        country = self._country(data)
        if number:
            data["registry_number"] = number
            if self._abroad(data) and registry_type in ("", Organization.RegistryType.OTHER):
                registry_type = Organization.RegistryType.FOREIGN  # as the services enter it
            match = {"registry_type": registry_type, "registry_number": number}
            parsed.extra["key_column"] = "registry_number"
            if registry_type == Organization.RegistryType.FOREIGN:
                # Each country's registers number their entries on their own.
                parsed.extra["match"] = match | {"country": country}
                return f"{registry_type}:{country}:{number}"
            parsed.extra["match"] = match
            return f"{registry_type}:{number}"
        tax_number = normalize_tax_number(country, data.get("tax_number", ""))
        if tax_number:
            parsed.extra["match"] = {"country": country, "tax_number": tax_number}
            parsed.extra["key_column"] = "tax_number"
            return f"tax:{country}:{tax_number}"
        # No number to go by: the same name in the same place, among those without one.
        parsed.extra["key_column"] = "name"
        if data.get("name") and data.get("territory"):
            parsed.extra["match"] = {
                "registry_number": "", "territory": data["territory"], "name__iexact": data["name"],
            }
            return f"{data['name'].casefold()}@{data['territory'].pk}"
        if data.get("name") and self._abroad(data) and data.get("city"):
            parsed.extra["match"] = {
                "registry_number": "", "territory": None, "country": country, "city__iexact": data["city"],
                "name__iexact": data["name"],
            }
            return f"{data['name'].casefold()}@{country}:{data['city'].casefold()}"
        return ""

    def duplicate_error(self, parsed: ParsedRow, row: int) -> tuple[str, str]:
        column = parsed.extra.get("key_column", self.key_column)
        if column == "tax_number":
            return column, _("Same tax number as row %(row)s.") % {"row": row}
        if column == "name":
            return column, _("Same name and place as row %(row)s.") % {"row": row}
        return column, self.duplicate_message(row)

    def describe(self, parsed: ParsedRow, key: str) -> str:
        data = parsed.data
        number = data.get("registry_number", "")
        if number:
            return f"{data.get('name', '')} ({data.get('registry_type', '').upper()} {number})".replace("( ", "(")
        if key.startswith("tax:"):
            country = self._country(data)
            tax_number = normalize_tax_number(country, data.get("tax_number", ""))
            return f"{data.get('name', '')} ({tax_number_label(country)} {tax_number})"
        return data.get("name", "")

    def find(self, parsed: ParsedRow, context):
        return Organization.objects.filter(**parsed.extra["match"]).order_by("pk").first()

    def unchanged(self, existing: Organization, parsed: ParsedRow) -> bool:
        """Whether the row holds what the entry holds: its values, made as the services make
        them (numbers without spaces, the country of its territory...), are the entry's, and so
        are its thematic areas where the file has them. A re-imported export changes nothing."""
        candidate = copy.copy(existing)
        for name, value in parsed.data.items():
            setattr(candidate, name, value)
        if services.organization_errors(candidate):
            return False  # the update says what is wrong
        for name in services.ORGANIZATION_FIELDS:
            attribute = Organization._meta.get_field(name).attname
            if getattr(candidate, attribute) != getattr(existing, attribute):
                return False
        areas = parsed.extra["thematic_areas"]
        return areas is None or {a.pk for a in areas} == set(existing.thematic_areas.values_list("pk", flat=True))

    def create(self, parsed: ParsedRow, *, by, context):
        # A new entry is placed: in its territory, or abroad by its country (and city).
        if "territory" not in parsed.data and not parsed.data.get("country"):
            raise ValidationError({"territory_code": [_("Unknown territory; give its official code or exact name.")]})
        return services.create_organization(by=by, data=parsed.data, thematic_areas=parsed.extra["thematic_areas"] or ())

    def update(self, existing, parsed: ParsedRow, *, by, context):
        return services.update_organization(
            organization=existing, by=by, data=parsed.data, thematic_areas=parsed.extra["thematic_areas"]
        )


def import_organizations(*, by, name: str, content: bytes, dry_run: bool):
    """Check every row, then (unless a dry run, and only if no row failed) write them all."""
    return run_import(OrganizationImporter(), by=by, name=name, content=content, dry_run=dry_run)
