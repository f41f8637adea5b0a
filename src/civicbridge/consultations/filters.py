"""The consultations' filters, shared by the list page and the API."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import search as search_backend
from civicbridge.core.filters import FindFilter, StrictFilterSet, ThematicAreaFilter
from civicbridge.core.models import Territory
from civicbridge.core.selectors import territory_subtree_ids
from civicbridge.directory.filters import TerritoryFilter, open_territory_menu
from civicbridge.directory.models import Organization

from .models import ActKind, Consultation

OPEN = "open"
UPCOMING = "upcoming"
ENDED = "ended"
STATUS_CHOICES = [
    (OPEN, pgettext_lazy("consultation status", "open for remarks")),
    (UPCOMING, pgettext_lazy("consultation status", "not started yet")),
    (ENDED, pgettext_lazy("consultation status", "ended")),
]


class ConsultationFilter(StrictFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        empty_label=_("any"),
        method="filter_status",
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of act"),
        choices=ActKind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    territory = TerritoryFilter(
        label=_("Territory (with its sub-units)"),
        queryset=Territory.objects.all(),
        empty_label=_("anywhere"),
        method="filter_territory",
    )
    thematic_area = ThematicAreaFilter(
        label=_("Thematic area"),
        field_name="thematic_areas",
    )
    # Typed, not chosen from a menu: the bodies that published a consultation are hundreds in a
    # region (a thousand at national scale), a menu no one reads on a phone.
    body = FindFilter(
        label=_("Issuing body"),
        field_name="issuing_body",
        find=lambda text: find_issuing_bodies(text),
        not_found=_("No body that published a consultation has “%(value)s” in its name."),
        suggestions_url=reverse_lazy("consultations:body_suggestions"),
        help_text=_("Type part of its name and choose it from the suggestions."),
    )

    class Meta:
        model = Consultation
        fields = ["q", "status", "kind", "territory", "thematic_area", "body"]

    def __init__(self, data=None, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, *args, **kwargs)
        open_territory_menu(self.form, "territory")

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(starts_at__lte=self.now, ends_at__gte=self.now)
        if value == UPCOMING:
            return queryset.filter(starts_at__gt=self.now)
        return queryset.filter(ends_at__lt=self.now)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_territory(self, queryset, name, territory):
        return queryset.filter(territory__pk__any=territory_subtree_ids(territory))

    @property
    def qs(self):
        return open_first(super().qs, self.now)


def issuing_bodies():
    """The bodies with a published consultation: the menu offers those (a few, not the registry)."""
    return (
        Organization.objects.filter(pk__in=Consultation.objects.published().values("issuing_body"))
        .only("pk", "name", "slug")
        .order_by("name")
    )


def _bodies_named(text: str):
    """The issuing bodies whose name holds ``text``, in any case."""
    return issuing_bodies().filter(name__icontains=text)


def find_issuing_bodies(text: str) -> tuple[list[int], str | None]:
    """The issuing bodies ``text`` names: by its address name or number (what links carry; then
    its name is shown), else those named so, in any case, else those whose name holds it."""
    by_key = Q(slug=text) | (Q(pk=int(text)) if text.isdigit() and len(text) < 10 else Q(pk__in=[]))
    keyed = list(issuing_bodies().filter(by_key).values_list("pk", "name", "slug")[:2])
    if keyed:
        pk, name, _slug = min(keyed, key=lambda row: row[2] != text)  # a slug that looks like an id wins
        return [pk], name
    named = list(_bodies_named(text).values_list("pk", "name"))
    exact = [pk for pk, name in named if name.casefold() == text.casefold()]
    return exact or [pk for pk, _name in named], None


def issuing_body_suggestions(text: str, *, limit: int) -> list[tuple[str, str]]:
    """The names of the first ``limit`` issuing bodies holding ``text``, as (value, label)."""
    names = _bodies_named(text).values_list("name", flat=True).distinct()[:limit]
    return [(name, name) for name in names]


def open_first(queryset, now):
    """Open consultations first (ending soonest first), then those not started, then the ended (newest first)."""
    rank = Case(
        When(Q(starts_at__lte=now, ends_at__gte=now), then=Value(0)),
        When(starts_at__gt=now, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.alias(rank=rank).order_by(
        "rank", Case(When(ends_at__gte=now, then="ends_at")), "-ends_at", "-id"
    )
