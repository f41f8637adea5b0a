from collections import Counter

import django_filters
from django import forms
from django.core.cache import cache
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import search as search_backend
from civicbridge.core.cache import REFERENCE, content_versions
from civicbridge.core.filters import StrictFilterSet, TerritoryField, territory_key
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.selectors import territory_subtree_ids
from civicbridge.core.widgets import FastCheckboxSelectMultiple, FastSelect

from .models import Organization


class TerritoryChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, territory):
        return self.label_for(territory)

    @staticmethod
    def label_for(territory) -> str:
        return "\u2003" * max(territory.depth - 1, 0) + territory.name


class TerritoryCodeChoiceField(TerritoryField):
    """A filter's territory: by the code people use or the id (core.filters), from a menu of codes."""

    widget = FastSelect


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryCodeChoiceField


CHOICES_SECONDS = 300


def territory_choices() -> list[tuple[int, str]]:
    """Countries, regions and counties as (id, indented name) in the active language, for forms.

    Hundreds of options on every list page: kept in the cache for a few minutes rather
    than read and rendered from model instances each time (territories change yearly).
    """
    language = get_language()

    def compute():
        with override(language):
            rows = Territory.objects.exclude(level=Territory.Level.MUNICIPALITY).order_by("path")
            return [(t.pk, TerritoryChoiceField.label_for(t)) for t in rows.only(
                "pk", "path", "name_en", "name_pl", "name_tr")]

    key = f"civicbridge:territory-choices:{language}:{content_versions([REFERENCE])}"
    return cache.get_or_set(key, compute, CHOICES_SECONDS)


def territory_filter_choices() -> list[tuple[str, str]]:
    """The same units for the filters, each by the code people use (``PL``, ``1607``; a code two
    countries share as ``PL-16``; an id where a unit has no code), so that a filtered list's
    address says ``?territory=1607`` (core.filters resolves it)."""
    language = get_language()

    def compute():
        with override(language):
            rows = Territory.objects.exclude(level=Territory.Level.MUNICIPALITY).order_by("path")
            rows = list(rows.only("pk", "path", "level", "country", "code", "name_en", "name_pl", "name_tr"))
            keys = [territory_key(t) for t in rows]
            shared = {key for key, times in Counter(keys).items() if times > 1}
            return [
                (f"{t.country}-{key}" if key in shared else key, TerritoryChoiceField.label_for(t))
                for t, key in zip(rows, keys, strict=True)
            ]

    key = f"civicbridge:territory-filter-choices:{language}:{content_versions([REFERENCE])}"
    return cache.get_or_set(key, compute, CHOICES_SECONDS)


def all_territory_choices() -> list[tuple[int, str]]:
    """Every territory, municipalities included, for the organization form (cached like the filter's)."""
    language = get_language()

    def compute():
        with override(language):
            rows = Territory.objects.order_by("path").only("pk", "path", "name_en", "name_pl", "name_tr")
            return [(t.pk, TerritoryChoiceField.label_for(t)) for t in rows]

    key = f"civicbridge:all-territory-choices:{language}:{content_versions([REFERENCE])}"
    return cache.get_or_set(key, compute, CHOICES_SECONDS)


def thematic_area_choices() -> list[tuple[int, str]]:
    language = get_language()

    def compute():
        with override(language):
            return [(area.pk, area.name) for area in ThematicArea.objects.all()]

    key = f"civicbridge:thematic-area-choices:{language}:{content_versions([REFERENCE])}"
    return cache.get_or_set(key, compute, CHOICES_SECONDS)


class OrganizationFilter(StrictFilterSet):
    """The registry's filters, shared by the list page, the exports and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Organization.Kind.choices, widget=FastCheckboxSelectMultiple,
        # A plain column: no join can repeat a row, and DISTINCT would sort the whole table.
        distinct=False,
    )
    territory = TerritoryFilter(
        label=_("Territory (with its sub-units)"),
        # Municipalities are accepted but not listed: thousands of options help nobody.
        queryset=Territory.objects.all(),
        method="filter_territory",
    )
    thematic_area = django_filters.ModelChoiceFilter(
        label=_("Thematic area"), queryset=ThematicArea.objects.all(), field_name="thematic_areas",
        widget=FastSelect,
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verification"), choices=[("true", _("verified")), ("false", _("not verified"))],
        empty_label=_("all"), method="filter_verified", widget=FastSelect,
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        # Entries are numbered in the order they were made, so the key orders by creation.
        fields=(("name", "name"), ("id", "created"), ("founding_year", "founding_year")),
        field_labels={
            # Ascending labels are keyed by field, descending ones by parameter.
            "name": _("name"), "-name": _("name, Z to A"), "id": _("oldest entries"),
            "-created": _("newest entries"), "founding_year": _("founding year"),
            "-founding_year": _("founding year, newest first"),
        },
        empty_label=_("default"), widget=FastSelect,
        help_text=_("By default: by name; search results newest first."),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "territory", "thematic_area", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Callables: the menus are read only when a page renders them, never for the API.
        self.form.fields["territory"].widget.choice_source = lambda: [("", _("anywhere")), *territory_filter_choices()]
        self.form.fields["thematic_area"].widget.choice_source = lambda: [("", "---------"), *thematic_area_choices()]

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
        return queryset.filter(territory_id__in=territory_subtree_ids(territory))


class OrganizationApiFilter(OrganizationFilter):
    """The same filters for the API, where the contract names the full-text parameter ?search=."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
