import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from civicbridge.core import search as search_backend
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.selectors import territory_subtree_ids

from .models import Organization


def territory_menu() -> QuerySet[Territory]:
    """What a territory menu lists: countries, regions and counties, in tree order.

    Fields accept any territory (a municipality too, by its id or code), but a menu of
    thousands of municipalities helps nobody and costs tens of milliseconds to draw.
    """
    return Territory.objects.exclude(level=Territory.Level.MUNICIPALITY).order_by("path").only(
        "pk", "path", "name_en", "name_pl", "name_tr"
    )


class _MenuIterator(ModelChoiceIterator):
    """The options drawn: the field's ``menu`` where it has one, else every value it accepts."""

    def __init__(self, field):
        super().__init__(field)
        if field.menu is not None:
            self.queryset = field.menu.all()


class _TerritoryLabels:
    iterator = _MenuIterator

    def __init__(self, *args, menu: QuerySet | None = None, **kwargs):
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


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryChoiceField


class OrganizationFilter(django_filters.FilterSet):
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
        queryset=Territory.objects.all(), menu=territory_menu(), empty_label=_("anywhere"),
        method="filter_territory",
    )
    thematic_area = django_filters.ModelChoiceFilter(
        label=_("Thematic area"), queryset=ThematicArea.objects.all(), field_name="thematic_areas",
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verification"), choices=[("true", _("verified")), ("false", _("not verified"))],
        empty_label=_("all"), method="filter_verified",
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
        empty_label=_("default"),
        help_text=_("By default: by name; search results newest first."),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "territory", "thematic_area", "verified"]

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

    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory_id__in=territory_subtree_ids(territory))


class OrganizationApiFilter(OrganizationFilter):
    """The same filters for the API, where the contract names the full-text parameter ?search=."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
