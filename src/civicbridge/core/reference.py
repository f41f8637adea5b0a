"""Reference data: administrative units (TERYT and Bursa) and the thematic taxonomy.

The data lives in ``core/data/*.json``. The loaders upsert it idempotently, so the same
functions serve the data migration (with historical models from ``apps.get_model``) and
the ``load_reference_data`` command that operators run after a TERYT update.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TERRITORIES_FILE = DATA_DIR / "territories.json"
THEMATIC_AREAS_FILE = DATA_DIR / "thematic_areas.json"

# The fields copied verbatim from a JSON node to a Territory row.
TERRITORY_FIELDS = ("name_en", "name_pl", "name_tr", "level", "kind", "country", "code", "source")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _default_model(app_label: str, model_name: str):
    # Imported lazily: a migration must never import the current models module.
    from django.apps import apps

    return apps.get_model(app_label, model_name)


def _copied_text_changed(instance, changed: list[str]) -> None:
    """Renamed units and areas: the search documents that carry their names follow (core.indexing).

    Only for the live models: a data migration's historical models have no search to keep.
    """
    from django.apps import apps

    if type(instance) is apps.get_model(instance._meta.app_label, instance._meta.model_name):
        from .indexing import copied_text_changed

        copied_text_changed(instance, changed)


def _coordinate(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


def _territory_values(node: dict, country: str) -> dict:
    values = {field: node.get(field, "") for field in TERRITORY_FIELDS}
    values["country"] = node.get("country") or country
    valid_from = node.get("valid_from")
    values["valid_from"] = date.fromisoformat(valid_from) if valid_from else None
    values["latitude"] = _coordinate(node.get("latitude"))
    values["longitude"] = _coordinate(node.get("longitude"))
    return values


class _TerritoryIndex:
    """Existing rows by their natural key, so the upsert needs no query per node."""

    def __init__(self, model):
        self.by_code = {}
        self.by_name = {}
        for territory in model.objects.all():
            self.add(territory)

    def add(self, territory) -> None:
        if territory.code:
            self.by_code[(territory.country, territory.level, territory.code)] = territory
        else:
            self.by_name[(territory.parent_id, territory.name_en)] = territory

    def find(self, values: dict, parent):
        if values["code"]:
            return self.by_code.get((values["country"], values["level"], values["code"]))
        return self.by_name.get((parent.pk if parent else None, values["name_en"]))


def _upsert_territory(model, index: _TerritoryIndex, values: dict, parent, result: LoadResult):
    territory = index.find(values, parent)
    if territory is None:
        # The path holds the row's own pk, so the row is saved once to get it, then again.
        territory = model.objects.create(parent=parent, path="", **values)
        territory.path = _path(territory, parent)
        territory.save(update_fields=["path"])
        index.add(territory)
        result.created += 1
        return territory
    values = {
        **values, "parent_id": parent.pk if parent else None, "path": _path(territory, parent),
    }
    changed = [field for field, value in values.items() if getattr(territory, field) != value]
    if changed:
        for field in changed:
            setattr(territory, field, values[field])
        territory.save(update_fields=changed)
        _copied_text_changed(territory, changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return territory


def _path(territory, parent) -> str:
    return f"{parent.path}{territory.pk}/" if parent else f"/{territory.pk}/"


def load_territories(territory_model=None, *, path: Path = TERRITORIES_FILE) -> LoadResult:
    """Create or update every unit of ``territories.json``; rows not in the file are left alone."""
    model = territory_model or _default_model("core", "Territory")
    index = _TerritoryIndex(model)
    result = LoadResult()

    def visit(node: dict, parent, country: str) -> None:
        values = _territory_values(node, country)
        territory = _upsert_territory(model, index, values, parent, result)
        for child in node.get("children", []):
            visit(child, territory, values["country"])

    for root in _read(path)["territories"]:
        visit(root, None, "")
    return result


def load_thematic_areas(area_model=None, *, path: Path = THEMATIC_AREAS_FILE) -> LoadResult:
    """Create or update every area of ``thematic_areas.json``, matched on its code."""
    model = area_model or _default_model("core", "ThematicArea")
    existing = {area.code: area for area in model.objects.all()}
    result = LoadResult()
    position = 0
    for scheme, entries in _read(path)["schemes"].items():
        for entry in entries:
            position += 1
            values = {
                "scheme": scheme, "position": position,
                "name_en": entry["name_en"], "name_pl": entry["name_pl"],
                "name_tr": entry["name_tr"],
            }
            area = existing.get(entry["code"])
            if area is None:
                model.objects.create(code=entry["code"], **values)
                result.created += 1
                continue
            changed = [field for field, value in values.items() if getattr(area, field) != value]
            if changed:
                for field in changed:
                    setattr(area, field, values[field])
                area.save(update_fields=changed)
                _copied_text_changed(area, changed)
                result.updated += 1
            else:
                result.unchanged += 1
    return result
