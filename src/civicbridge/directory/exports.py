"""Export of the registry, in the language of the page it is exported from; the file is also
the import's template: it imports back as it is (``imports.OrganizationImporter``).

The headers are the import template's, in that language; what a person reads is written by its
name in that language (kind, legal form, register, territory, country, thematic areas, yes/no),
what identifies is written as it is (registry and tax numbers, PIC, territory code, e-mail,
website). The import reads those names in any of the site's languages, and the code names
(``HEADERS``) and codes that files exported before were written with.
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from civicbridge.core import exports
from civicbridge.core.countries import country_name
from civicbridge.core.text import capfirst

from .imports import AREA_SEPARATOR, OrganizationImporter
from .models import Organization

# The columns' code names, in the file's order: the headers of the files exported before, which
# the import still reads.
HEADERS = [
    "name", "kind", "legal_form", "registry_type", "registry_number", "tax_number", "pic", "territory_code",
    "territory", "country", "city", "address", "postal_code", "latitude", "longitude", "thematic_areas",
    "website", "email", "phone", "founding_year", "description", "verified",
]


def _labels(choices) -> dict[str, str]:
    """Each code's label in the active language, capitalised as the list page writes it."""
    return {value: capfirst(str(label)) for value, label in choices.choices if value}


def columns() -> exports.Columns:
    """(header, value of one organization) in the active language; the values that name a
    territory, a country or an area name it in the language active when they are read."""
    kinds = _labels(Organization.Kind)
    legal_forms = _labels(Organization.LegalForm)
    registers = _labels(Organization.RegistryType)
    yes, no = capfirst(_("yes")), capfirst(_("no"))
    values = {
        "name": lambda o: o.name,
        "kind": lambda o: kinds.get(o.kind, o.kind),
        "legal_form": lambda o: legal_forms.get(o.legal_form, o.legal_form),
        "registry_type": lambda o: registers.get(o.registry_type, o.registry_type),
        "registry_number": lambda o: o.registry_number,
        "tax_number": lambda o: o.tax_number,
        "pic": lambda o: o.pic,
        # An entry abroad has no territory (directory.Organization): blank cells, not a failure;
        # its country and city place it instead.
        "territory_code": lambda o: o.territory.code if o.territory else "",
        "territory": lambda o: o.territory.name if o.territory else "",
        "country": lambda o: country_name(o.country) if o.country else "",
        "city": lambda o: o.city,
        "address": lambda o: o.address,
        "postal_code": lambda o: o.postal_code,
        "latitude": lambda o: o.latitude if o.latitude is not None else "",
        "longitude": lambda o: o.longitude if o.longitude is not None else "",
        "thematic_areas": lambda o: AREA_SEPARATOR.join(area.name for area in o.thematic_areas.all()),
        "website": lambda o: o.website,
        "email": lambda o: o.email,
        "phone": lambda o: o.phone,
        "founding_year": lambda o: o.founding_year or "",
        "description": lambda o: o.description,
        "verified": lambda o: yes if o.is_verified else no,
    }
    titles = {column.key: column.title() for column in OrganizationImporter.columns}
    return [(titles[key], values[key]) for key in HEADERS]


def csv_chunks(organizations: Iterable) -> Iterator[str]:
    """The CSV, in the active language (read now: the chunks are made later)."""
    return exports.csv_chunks(organizations, columns())


def xlsx_bytes(organizations: Iterable) -> bytes:
    return exports.xlsx_bytes(organizations, columns(), sheet=_("Organizations")[:31])
