import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import search as search_backend
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.core.widgets import FastSelect

from .models import Organization


class TerritoryChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, territory):
        return "\u2003" * max(territory.depth - 1, 0) + territory.name


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryChoiceField


class OrganizationFilter(django_filters.FilterSet):
    """The registry's filters, shared by the list page, the exports and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Organization.Kind.choices, widget=forms.CheckboxSelectMultiple
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
        empty_label=_("all"), method="filter_verified",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created"), ("founding_year", "founding_year")),
        field_labels={
            "name": _("name"), "-name": _("name, Z to A"), "created_at": _("oldest entries"),
            "-created_at": _("newest entries"), "founding_year": _("founding year"),
            "-founding_year": _("founding year, newest first"),
        },
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "territory", "thematic_area", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["territory"].queryset = Territory.objects.all()
        self.form.fields["territory"].widget.choices = self._territory_choices()

    @staticmethod
    def _territory_choices():
        field = TerritoryChoiceField(
            queryset=Territory.objects.exclude(level=Territory.Level.MUNICIPALITY), empty_label=_("anywhere")
        )
        return field.choices

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    def filter_verified(self, queryset, name, value):
        return queryset.filter(is_verified=value == "true")

    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory__path__startswith=territory.path)
