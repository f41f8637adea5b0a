"""The filters of the groups list, the standards library and their API collections."""

import django_filters
from django.utils.translation import gettext_lazy as _

from civicbridge.core import search as search_backend
from civicbridge.core.filters import StrictFilterSet

from .models import LIBRARY_STAGES, Stage, Standard, WorkingGroup


class GroupFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = WorkingGroup
        fields = ["q"]

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)


class GroupApiFilter(GroupFilter):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta(GroupFilter.Meta):
        fields = ["q", "search"]


class StandardFilter(StrictFilterSet):
    """The library: published standards, by group and stage, and a search of their text."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        queryset=WorkingGroup.objects.only("pk", "name"),
        empty_label=_("any group"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[(stage, Stage(stage).label) for stage in LIBRARY_STAGES],
        empty_label=_("any stage"),
    )

    class Meta:
        model = Standard
        fields = ["q", "group", "stage"]

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)


class StandardApiFilter(StandardFilter):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)

    class Meta(StandardFilter.Meta):
        fields = ["q", "search", "group", "stage"]
