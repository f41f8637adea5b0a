"""The portfolio's filters, shared by its pages, its exports (CSV, XLSX, IATI) and the API."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import search as search_backend
from civicbridge.core.filters import SlugOrIdFilter, StrictFilterSet
from civicbridge.core.models import Territory
from civicbridge.core.selectors import territory_subtree_ids
from civicbridge.directory.filters import TerritoryFilter, open_territory_menu
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Funder

from .models import Project, ProjectPartner

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", EARLIEST_YEAR)
        kwargs.setdefault("max_value", LATEST_YEAR)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class ProjectFilter(StrictFilterSet):
    """Status, funder (by its address name or id), year (the projects running in it) and
    territory (by its official code or id, with its sub-units)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("any status"),
    )
    funder = SlugOrIdFilter(
        label=_("Funder"), queryset=Funder.objects.home_first(), empty_label=_("any funder"),
        help_text=_("The funder, by its address name or number."),
    )
    year = YearFilter(
        label=_("Year"), method="filter_year",
        help_text=_("The projects running in that year."),
    )
    territory = TerritoryFilter(
        label=_("Territory (with its sub-units)"), queryset=Territory.objects.all(), empty_label=_("anywhere"),
        method="filter_territory",
    )

    class Meta:
        model = Project
        fields = ["q", "status", "funder", "year", "territory"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        open_territory_menu(self.form, "territory")

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__lte=datetime.date(year, 12, 31), end_date__gte=datetime.date(year, 1, 1))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory__pk__any=territory_subtree_ids(territory))


class ProjectApiFilter(ProjectFilter):
    """The same filters for the API (``?search=`` as the contract names it), and the projects
    of one organization, as lead or partner."""

    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    organization = SlugOrIdFilter(
        label=_("Organization"), queryset=Organization.objects.all(), method="filter_organization",
        help_text=_("The projects an organization leads or is a partner of, by its address name or number."),
    )

    class Meta(ProjectFilter.Meta):
        fields = [*ProjectFilter.Meta.fields, "organization"]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_organization(self, queryset, name, organization):
        return of_organization(queryset, organization)


def of_organization(queryset, organization):
    """The projects ``organization`` leads or is a partner of."""
    return queryset.filter(
        Q(lead_organization=organization)
        | Q(pk__in=ProjectPartner.objects.filter(organization=organization).values("project_id"))
    )
