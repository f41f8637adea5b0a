"""The events' filters, shared by the list page, the calendar, the ICS feed and the API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import search as search_backend
from civicbridge.core.filters import SlugOrIdFilter, StrictFilterSet, ThematicAreaFilter
from civicbridge.core.models import Territory
from civicbridge.core.selectors import territory_subtree_ids
from civicbridge.directory.filters import TerritoryFilter, open_territory_menu
from civicbridge.directory.models import Organization

from .models import Event

UPCOMING = "upcoming"
PAST = "past"
ALL = "all"
WHEN_CHOICES = [(UPCOMING, _("upcoming and under way")), (PAST, _("past")), (ALL, _("all"))]


class EventFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, empty_label=None, method="filter_when",
        help_text=_("Upcoming by default."),
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, widget=forms.CheckboxSelectMultiple, distinct=False,
    )
    territory = TerritoryFilter(
        label=_("Territory (with its sub-units)"), queryset=Territory.objects.all(), empty_label=_("anywhere"),
        method="filter_territory",
    )
    thematic_area = ThematicAreaFilter(
        label=_("Thematic area"), field_name="thematic_areas",
    )
    organizer = SlugOrIdFilter(
        label=_("Organizer"), queryset=Organization.objects.all(), field_name="organizers",
        widget=forms.HiddenInput, help_text=_("By its address name or number."),
    )

    class Meta:
        model = Event
        fields = ["q", "when", "kind", "territory", "thematic_area", "organizer"]

    def __init__(self, data=None, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        if data is not None and not data.get("when"):
            data = data.copy()
            data["when"] = UPCOMING
        super().__init__(data, *args, **kwargs)
        open_territory_menu(self.form, "territory")

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    def filter_when(self, queryset, name, value):
        if value == UPCOMING:
            # The pages read it in two parts (selectors.UpcomingEvents); the API pages it as it is.
            return queryset.filter(ends_at__gte=self.now).order_by("starts_at", "id")
        if value == PAST:
            # An event ends after it starts: saying so lets the start index give the range.
            return queryset.filter(ends_at__lt=self.now, starts_at__lt=self.now).order_by("-starts_at", "-id")
        return queryset.order_by("-starts_at", "-id")

    @extend_schema_field(OpenApiTypes.STR)
    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory__pk__any=territory_subtree_ids(territory))
