from collections import defaultdict
from functools import lru_cache

from django.db import connection
from django.db.models import IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from . import search as search_backend
from .compiled import CompiledQuery
from .models import SitePage, name_column
from .registry import home_blocks, profile_blocks, searchables

SITE_SEARCH_LIMIT = 5


def total_per_row(related: QuerySet, key: str, aggregate) -> Coalesce:
    """An expression for each row read: ``aggregate`` over the rows of ``related`` (filtered on
    an ``OuterRef``) grouped by ``key``, the column that ties them to it; 0 where none."""
    total = related.order_by().values(key).annotate(total=aggregate).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def site_search(query: str) -> list[dict]:
    """Top matches of every searchable model, for the site-wide search page."""
    if not search_backend.query_terms(query):
        return []
    groups = []
    sizes = search_backend.table_sizes([entry.model for entry in searchables]) if connection.vendor == "postgresql" else {}
    for entry in searchables:
        visible = entry.visible()
        ordering = entry.search_ordering or visible.query.order_by or visible.model._meta.ordering or ("pk",)
        results = search_backend.first_matches(
            visible, query, tuple(ordering), SITE_SEARCH_LIMIT, table_rows=sizes.get(visible.model),
        )
        if results:
            groups.append(
                {"label": entry.label, "results": results, "more_url": reverse(entry.url_name) + "?" + urlencode({"q": query})}
            )
    return groups


def home_figures() -> list[dict]:
    """How many of each searchable thing the platform holds, counted now: a new entry counts at once."""
    return [
        {"label": entry.label, "count": entry.visible_count(), "url": reverse(entry.url_name)}
        for entry in searchables.entries.values()
    ]


def home_sections(request) -> list[dict]:
    """The home page's sections the apps registered, in order, each with what it shows now."""
    return _sections(home_blocks, request)


def profile_sections(request) -> list[dict]:
    """The sections of the signed-in person's account page the apps registered."""
    return _sections(profile_blocks, request)


def _sections(registry, request) -> list[dict]:
    sections = []
    for key, block in sorted(registry.entries.items(), key=lambda item: (item[1].order, item[0])):
        context = block.context(request)
        if context:
            sections.append({"key": key, "title": block.title, "template": block.template, "context": context})
    return sections


def territory_subtree_ids(territory) -> list[int]:
    """Ids of ``territory`` and of every unit below it.

    Filter rows with ``territory__pk__any=`` these ids rather than by a join on the path:
    given the ids, PostgreSQL estimates how many rows a county holds and reads them by
    the territory index; given the join, it walks the whole table in name order hoping
    to meet a county's rows early (55 ms instead of 2 at 200,000 organizations). As one
    array (``core.lookups.AnyOf``), not a parameter per id: a region has hundreds.
    """
    return territory.subtree_ids


def site_page(kind: str) -> SitePage | None:
    """The page's current version, or None while the authority has not written it."""
    return SitePage.objects.filter(kind=kind).order_by("-version").first()


def _related_values(model, ids: list[int], relation: str, *columns: str):
    """(row id, *columns) of each object that the many-to-many ``relation`` of ``model``'s rows
    ``ids`` holds, in the related model's order; a column is named from the related object
    (``"name_en"``, ``"id"``)."""
    field = model._meta.get_field(relation)
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{key[1:]}" if key.startswith("-") else f"{target}__{key}"
        for key in field.related_model._meta.ordering
    ]
    return (
        field.remote_field.through.objects.filter(**{f"{owner}_id__in": ids})
        .order_by(*ordering)
        .values_list(f"{owner}_id", *(f"{target}__{column}" for column in columns))
    )


# Ids no row has, that the query for a page's related names is compiled with.
_PLACEHOLDER_IDS = range(-(10**15), -(10**15) - 1000, -1)


@lru_cache(maxsize=512)
def _compiled_related_values(model, relation: str, columns: tuple[str, ...], how_many: int):
    """The query of ``_related_values`` for ``how_many`` rows, compiled once (``CompiledQuery``):
    Django compiled it at every page, 0.36 ms for a query the database answers in 0.2."""
    placeholders = list(_PLACEHOLDER_IDS[:how_many])
    return CompiledQuery(_related_values(model, placeholders, relation, *columns)), placeholders


def with_related(rows, relation: str, attribute: str, columns: tuple[str, ...], value) -> list:
    """``rows`` as a list, each given ``attribute``: ``value(*columns)`` of each object its
    many-to-many ``relation`` holds, in the related model's order, read in one query without a
    model for each (a prefetch builds a model and a manager per row and per object)."""
    rows = list(rows)
    if not rows:
        return rows
    ids = [row.pk for row in rows]
    if len(ids) > len(_PLACEHOLDER_IDS):
        read = _related_values(type(rows[0]), ids, relation, *columns)
    else:
        query, placeholders = _compiled_related_values(type(rows[0]), relation, columns, len(ids))
        read = query.rows(dict(zip(placeholders, ids, strict=True)))
    values = defaultdict(list)
    for owner_id, *named in read:
        values[owner_id].append(value(*named))
    for row in rows:
        setattr(row, attribute, values.get(row.pk, []))
    return rows


def with_names(rows, relation: str, attribute: str) -> list:
    """``rows`` (model instances) as a list, each given ``attribute``: the names of the objects
    its many-to-many ``relation`` holds, in their model's order: in the active language for
    models with ``TranslatedNameMixin`` (thematic areas, territories), else their ``name``
    (organizations).

    A page that shows only the names reads them in one query, where a prefetch built a model
    for each (measured: 2.2 against 1.0 ms for the areas of 25 organizations, the most of any
    part of reading a page of them).
    """
    rows = list(rows)
    if not rows:
        return rows
    return with_related(rows, relation, attribute, _name_columns(rows, relation), lambda english, translated: translated or english)


def with_keyed_names(rows, relation: str, attribute: str, key: str = "id") -> list:
    """As ``with_names``, each name with the related object's ``key`` (its id, a territory's
    path): for rows that tell some of the related objects apart (the areas shared)."""
    rows = list(rows)
    if not rows:
        return rows
    columns = (key, *_name_columns(rows, relation))
    return with_related(rows, relation, attribute, columns, lambda keyed, english, translated: (keyed, translated or english))


def _name_columns(rows, relation: str) -> tuple[str, str]:
    related_model = type(rows[0])._meta.get_field(relation).related_model
    return ("name_en", name_column()) if hasattr(related_model, "name_en") else ("name", "name")


def with_ids(rows, relation: str, attribute: str) -> list:
    """``rows`` as a list, each given ``attribute``: the ids of the objects its many-to-many
    ``relation`` holds, in their model's order (what an API item shows of them), read in one
    query without a model for each."""
    return with_related(rows, relation, attribute, ("id",), lambda related_id: related_id)


def with_area_names(rows) -> list:
    """``rows`` each with ``area_names``: its thematic areas' names (``with_names``), as a list row shows them."""
    return with_names(rows, "thematic_areas", "area_names")
