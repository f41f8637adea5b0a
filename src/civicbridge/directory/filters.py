import contextlib
import functools
from typing import NamedTuple

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import deployment
from civicbridge.core import search as search_backend
from civicbridge.core.compiled import CompiledQuery
from civicbridge.core.countries import country_choices
from civicbridge.core.filters import (
    CodeChoiceFilter,
    MenuChoiceIterator,
    SlugOrIdFilter,
    StrictFilterSet,
    TerritoryField,
    ThematicAreaFilter,
    resolve_territory,
    territory_key,
)
from civicbridge.core.models import Territory, name_column, path_depth
from civicbridge.core.selectors import territory_subtree_ids
from civicbridge.core.text import alphabetical_key

from .models import Organization, Plenipotentiary

# Django draws a menu option in about a tenth of a millisecond: a menu of a national
# deployment's 380 counties would cost more than the rest of the page (measured: 30-70 ms
# at 2,500 territories, 2,500 municipalities 300-700 ms).
MENU_DETAIL_LIMIT = 150


def territory_menu(*, chosen=(), municipalities: bool = False) -> QuerySet[Territory]:
    """What a territory menu lists, in tree order: countries and regions always; counties
    (and municipalities, for a form that places an entry) where they are few enough to
    choose from, as in a regional deployment. Past ``MENU_DETAIL_LIMIT``, the menu opens
    the tree along each ``chosen`` unit instead: the units beside it and below it at every
    level of its line, so that choosing a region lists its counties the next time.

    Fields accept any territory whatever the menu lists (by its id, or by its code where
    the field takes codes); the menu only spares people a list nobody can read.
    """
    # Each call answers a copy: the menu's query is built once per process and shape, and
    # is never read in place (its rows are read on every page that draws it).
    return _menu_query(*_menu_key(chosen, municipalities)).all()


def territory_menu_rows(columns: tuple[str, ...], *, chosen=(), municipalities: bool = False) -> list[tuple]:
    """These columns of each unit ``territory_menu`` lists, read by its query compiled once
    per process and shape (``core.compiled.CompiledQuery``): a filter menu's plain values."""
    # A union reads each column once: a column asked twice (``name_en`` as the English name
    # and as the page's language's) is read once and given twice.
    unique = tuple(dict.fromkeys(columns))
    rows = _compiled_menu(*_menu_key(chosen, municipalities), unique).rows()
    if unique == columns:
        return rows
    places = [unique.index(column) for column in columns]
    return [tuple(row[place] for place in places) for row in rows]


def _menu_key(chosen, municipalities: bool) -> tuple:
    chosen = tuple(sorted({(unit.pk, unit.path) for unit in chosen if unit is not None}))
    return deployment.current().country, chosen, municipalities, MENU_DETAIL_LIMIT


@functools.lru_cache(maxsize=256)
def _compiled_menu(country: str, chosen: tuple, municipalities: bool, limit: int, columns: tuple[str, ...]):
    return CompiledQuery(_menu_query(country, chosen, municipalities, limit).values_list(*columns))


@functools.lru_cache(maxsize=256)
def _menu_query(country: str, chosen: tuple[tuple[int, str], ...], municipalities: bool, limit: int):
    # Building this query cost more than reading it (0.7 ms of a list page at national scale):
    # it depends only on the arguments, the key of the cache.
    Level = Territory.Level
    # The deployment's own country only: a Polish site lists no Turkish district. A unit of
    # another country that a value names is still listed (chosen), and every field accepts it.
    own_country = Q(country=country)
    detail = own_country & Q(level__in=[Level.COUNTY, Level.MUNICIPALITY] if municipalities else [Level.COUNTY])
    line = {int(part) for _pk, path in chosen for part in path.strip("/").split("/") if part}
    units = Territory.objects.order_by().only("pk", "path", "level", "country", "code", "name_en", "name_pl", "name_tr")
    shown = units.filter((own_country & Q(level__in=[Level.COUNTRY, Level.REGION])) | Q(pk__in=[pk for pk, _path in chosen]))
    # Whether the detail is few enough is asked in the menu's own query (one round trip), and
    # asked alone: a condition on no column of the row, which the database answers once and
    # which spares reading the detail at all where it is too long (a national deployment's
    # 900 counties, read and dropped at every list page: 2 of 2.3 ms). "No unit past the
    # limit" reads at most ``limit + 1`` entries, where counting them read them all.
    few = ~Exists(Territory.objects.filter(detail).order_by().values("pk")[limit:])
    parts = [units.filter(detail & Q(few))]
    if line:
        parts.append(units.filter(detail & Q(parent_id__in=sorted(line))))
    return shown.union(*parts).order_by("path")


def in_tree_order[U](units: list[U]) -> list[U]:
    """``units`` (territories or ``MenuUnit``) each under its parent, and brothers by name as
    the page's language spells it: the menu's query orders by the tree's path, whose numbers
    put "powiat brzeski" after "powiat krapkowicki" and Büyükorhan after Yıldırım."""
    language = get_language()
    name_of = {unit.path.rstrip("/").rpartition("/")[2]: alphabetical_key(unit.name, language) for unit in units}

    def line(unit) -> tuple:
        return tuple((name_of.get(part, ()), int(part)) for part in unit.path.strip("/").split("/"))

    return sorted(units, key=line)


def chosen_territories(form, name: str) -> list[Territory]:
    """The territories the bound field ``name`` of ``form`` holds (chosen, or sent back with errors)."""
    cleaned = getattr(form, "cleaned_data", {})
    if name in cleaned:
        value = cleaned[name]
    elif form.is_bound and hasattr(form.data, "getlist"):
        value = form.data.getlist(form.add_prefix(name))
    else:
        value = form[name].value()
    if isinstance(value, QuerySet):  # a multiple choice, cleaned
        value = list(value)
    values = value if isinstance(value, (list, tuple)) else [value]
    # Read as the field reads it: a code (or an id) where the field takes codes (core.filters),
    # else an id only; an entry's territory number 16 is not the code "16" of two regions.
    takes_codes = isinstance(form.fields[name], TerritoryField)
    chosen = []
    for value in values:
        if isinstance(value, Territory):
            chosen.append(value)
        elif value not in (None, ""):
            with contextlib.suppress(ValidationError, ValueError, TypeError, Territory.DoesNotExist):
                chosen.append(resolve_territory(value) if takes_codes else Territory.objects.get(pk=int(value)))
    return chosen


def open_territory_menu(form, name: str, *, municipalities: bool = False) -> None:
    """Give the territory field ``name`` of ``form`` its menu, opened along what it holds."""
    field = form.fields[name]
    field.menu = lambda: territory_menu(chosen=chosen_territories(form, name), municipalities=municipalities)
    field.menu_rows = lambda *columns: territory_menu_rows(
        columns, chosen=chosen_territories(form, name), municipalities=municipalities
    )


class _MenuIterator(MenuChoiceIterator):
    """The options drawn: the field's ``menu`` (or what a callable ``menu`` answers) where it
    has one, else every value it accepts. Read when the menu is drawn, never for the API."""

    def _menu(self):
        # Once per drawing: Django peeks at the first option before drawing them all.
        if getattr(self, "_menu_queryset", None) is None:
            menu = self.field.menu() if callable(self.field.menu) else self.field.menu
            self._menu_queryset = self.field.queryset if menu is None else menu
        return self._menu_queryset.all()

    def __iter__(self):
        if getattr(self.field, "menu_rows", None) is not None and getattr(self.field, "menu_options", None) is not None:
            # The options come in tree order from the rows of the menu's compiled query
            # (``open_territory_menu``): its queryset, a union copied at each step, is not built.
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            yield from self.field.menu_options(None)
            return
        self.queryset = self._menu()
        if getattr(self.field, "menu_options", None) is not None:
            yield from super().__iter__()  # the options come in tree order from there
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for territory in in_tree_order(list(self.queryset)):
            yield self.choice(territory)

    def __len__(self):
        self.queryset = self._menu()
        return super().__len__()


class _TerritoryLabels:
    iterator = _MenuIterator

    def __init__(self, *args, menu=None, **kwargs):
        self.menu = menu
        super().__init__(*args, **kwargs)

    def label_from_instance(self, territory):
        return self.label_for(territory)

    @staticmethod
    def label_for(territory) -> str:
        return "\u2003" * max(territory.depth - 1, 0) + territory.name


class TerritoryChoiceField(_TerritoryLabels, forms.ModelChoiceField):
    """One territory, shown indented under its parent; ``menu``: the ones the menu lists."""


class TerritoryMultipleChoiceField(_TerritoryLabels, forms.ModelMultipleChoiceField):
    """Several territories, as ``TerritoryChoiceField``."""


class MenuUnit(NamedTuple):
    """What a filter's territory menu shows of a unit, read as plain values (its label and key)."""

    pk: int
    path: str
    level: str
    country: str
    code: str
    name: str

    @property
    def depth(self) -> int:
        return path_depth(self.path)


class TerritoryCodeChoiceField(_TerritoryLabels, TerritoryField):
    """A filter's territory: by the code people use or the id (core.filters); its menu's
    options carry the codes, so that a filtered list's address says ``?territory=1607``."""

    def menu_options(self, queryset):
        # core.filters.MenuChoiceIterator: every list page draws this menu.
        columns = ("pk", "path", "level", "country", "code", "name_en", name_column())
        # The menu's plain values, by its query compiled once where the form opened it
        # (``open_territory_menu``), else those of the queryset it lists.
        menu_rows = getattr(self, "menu_rows", None)
        rows = menu_rows(*columns) if menu_rows is not None else queryset.values_list(*columns)
        units = [
            MenuUnit(pk, path, level, country, code, translated or english)
            for pk, path, level, country, code, english, translated in rows
        ]
        for unit in in_tree_order(units):
            yield territory_key(unit), self.label_for(unit)


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryCodeChoiceField


class CountryCodeChoiceField(CodeChoiceFilter.field_class):
    """A country's ISO code in any case, drawn as chosen: the menu shows Germany for ``?country=de``."""

    def bound_data(self, data, initial):
        return data.strip().upper() if isinstance(data, str) else data


class CountryFilter(CodeChoiceFilter):
    field_class = CountryCodeChoiceField


class StableOrderingFilter(django_filters.OrderingFilter):
    """An order chosen on the page, its ties (a name or a founding year that several entries
    share) in the order the entries were made, the same way as the first key: the list's pages
    never show one entry twice, and the export lists them as the page does."""

    def filter(self, qs, value):
        ordered = super().filter(qs, value)
        keys = [str(key) for key in ordered.query.order_by]  # field names: get_ordering_value
        if ordered is qs or not keys or any(key.lstrip("-") in ("id", "pk") for key in keys):
            return ordered
        return ordered.order_by(*keys, "-id" if keys[0].startswith("-") else "id")


class OrganizationFilter(StrictFilterSet):
    """The registry's filters, shared by the list page, the exports and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Organization.Kind.choices, widget=forms.CheckboxSelectMultiple,
        # A plain column: no join can repeat a row, and DISTINCT would sort the whole table.
        distinct=False,
    )
    territory = TerritoryFilter(
        label=_("Territory (with its sub-units)"),
        # Municipalities are accepted but not listed: thousands of options help nobody.
        queryset=Territory.objects.all(), empty_label=_("anywhere"),
        method="filter_territory",
    )
    country = CountryFilter(
        # By its ISO code (``?country=DE``, any case), listed by name in the page's language: a
        # plain column of the entry (every entry has one), no join.
        label=_("Country"), choices=country_choices, empty_label=_("any country"),
        help_text=_("Organizations abroad are listed under their country."),
    )
    thematic_area = ThematicAreaFilter(
        label=_("Thematic area"), field_name="thematic_areas",
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verification"), choices=[("true", _("verified")), ("false", _("not verified"))],
        empty_label=_("all"), method="filter_verified",
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        # Entries are numbered in the order they were made, so the key orders by creation.
        fields=(("name", "name"), ("id", "created"), ("founding_year", "founding_year")),
        field_labels={
            # Ascending labels are keyed by field, descending ones by parameter.
            "name": _("name"), "-name": _("name, Z to A"), "id": _("oldest entries"),
            "-created": _("newest entries"), "founding_year": _("founding year"),
            "-founding_year": _("founding year, newest first"),
        },
        empty_label=_("default"),
        help_text=_("By default: by name; search results newest first."),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "territory", "country", "thematic_area", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self.form, "territory")

    @staticmethod
    def searches_newest_first(data) -> bool:
        """A search without a chosen order lists the newest matches first."""
        return search_backend.is_search(data) and not data.get("ordering")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.searches_newest_first(self.form.cleaned_data):
            # A common word matches tens of thousands of entries; newest first lets the
            # database stop at the first page of matches instead of sorting them all by name.
            queryset = queryset.order_by("-id")
        return queryset

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    def filter_verified(self, queryset, name, value):
        return queryset.filter(is_verified=value == "true")

    @extend_schema_field(OpenApiTypes.STR)
    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory__pk__any=territory_subtree_ids(territory))


class OrganizationApiFilter(OrganizationFilter):
    """The same filters for the API, where the contract names the full-text parameter ?search=."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search")


class PlenipotentiaryFilter(StrictFilterSet):
    """The plenipotentiaries' filters, shared by the list page and the API.

    ``county`` keeps its name from the days it took counties only: it takes any unit, by its
    code or id, with everything below it, and its menu is the registry's (countries and
    regions, with counties where they are few enough to read, else along the chosen line),
    so that a national deployment's menu is not a thousand districts long.
    """

    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    public_body = SlugOrIdFilter(
        label=_("Public body"), queryset=Organization.objects.public_bodies(),
        help_text=_("The public body, by its address name or number."),
    )
    county = TerritoryFilter(
        label=_("Territory (with its sub-units)"), queryset=Territory.objects.all(), empty_label=_("all counties"),
        method="filter_county", widget=forms.Select(attrs={"data-autosubmit": True}),
    )

    class Meta:
        model = Plenipotentiary
        fields = ["public_body", "county", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self.form, "county")

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(public_body__name__icontains=value))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_county(self, queryset, name, territory):
        return queryset.filter(public_body__territory__path__startswith=territory.path)
