"""Export of the registry; the columns are also what the import reads."""

from collections.abc import Iterable, Iterator

from civicbridge.core import exports

COLUMNS = [
    ("name", lambda o: o.name),
    ("kind", lambda o: o.kind),
    ("legal_form", lambda o: o.legal_form),
    ("registry_type", lambda o: o.registry_type),
    ("registry_number", lambda o: o.registry_number),
    ("tax_number", lambda o: o.tax_number),
    ("pic", lambda o: o.pic),
    # An entry abroad has no territory (directory.Organization): blank cells, not a failure;
    # its country and city place it instead.
    ("territory_code", lambda o: o.territory.code if o.territory else ""),
    ("territory", lambda o: (o.territory.name_pl or o.territory.name_tr or o.territory.name_en) if o.territory else ""),
    ("country", lambda o: o.country),
    ("city", lambda o: o.city),
    ("address", lambda o: o.address),
    ("postal_code", lambda o: o.postal_code),
    ("latitude", lambda o: o.latitude if o.latitude is not None else ""),
    ("longitude", lambda o: o.longitude if o.longitude is not None else ""),
    ("thematic_areas", lambda o: ";".join(a.code for a in o.thematic_areas.all())),
    ("website", lambda o: o.website),
    ("email", lambda o: o.email),
    ("phone", lambda o: o.phone),
    ("founding_year", lambda o: o.founding_year or ""),
    ("description", lambda o: o.description),
    ("verified", lambda o: "yes" if o.is_verified else "no"),
]
HEADERS = [header for header, _ in COLUMNS]


def csv_chunks(organizations: Iterable) -> Iterator[str]:
    return exports.csv_chunks(organizations, COLUMNS)


def xlsx_bytes(organizations: Iterable) -> bytes:
    return exports.xlsx_bytes(organizations, COLUMNS, sheet="organizations")
