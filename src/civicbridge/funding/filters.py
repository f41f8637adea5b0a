"""The calls' filters, shared by the list page, the feeds, the calendar and the API.

The rules agree with the alerts' matching (alerts/matching.py), so that a saved search
finds what the list showed:

- applicant kind: the call is open to every kind (it names none) or names this one;
- applicants from: the call names no eligible countries or names this one (one rule for both,
  ``core.countries.open_to_applicants_from``);
- territory: the call is open anywhere, or one of its eligible territories lies on the
  chosen unit's line (the unit itself, a unit above it, or one below it); a call that
  names eligible countries must name the chosen unit's country;
- amounts: a call that gives no maximum grant is kept (it may fit).
"""

import functools
import itertools
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from civicbridge.core import deployment
from civicbridge.core import search as search_backend
from civicbridge.core.countries import country_choices, filter_open_to_applicants_from
from civicbridge.core.filters import (
    CompiledMenu,
    CountryMenuFilter,
    MenuChoiceIterator,
    SlugOrIdFilter,
    StrictFilterSet,
    ThematicAreaFilter,
)
from civicbridge.core.models import Territory
from civicbridge.directory.filters import StableOrderingFilter, TerritoryFilter, open_territory_menu

from .models import Call, Funder, Programme, home_rank, status_condition

# Days whose midnight exists in every time zone and database (year 1 overflows in UTC+).
DEADLINE_RANGE = [MinValueValidator(date(1000, 1, 1)), MaxValueValidator(date(9998, 12, 31))]


class ProgrammeChoiceField(CompiledMenu, forms.ModelChoiceField):
    """A programme, named with its funder: several funders have a programme of the same name.

    The menu groups the programmes under their funder's name (``<optgroup>``), which
    ``filter_menus.js`` uses to offer only the chosen funder's."""

    iterator = MenuChoiceIterator

    def label_from_instance(self, programme):
        return _programme_label(programme.funder.name, str(programme))

    def menu_options(self, queryset):
        rows = self.menu_rows("pk", "funder__name", "name", "code")
        for funder, programmes in itertools.groupby(rows, key=lambda row: row[1]):
            yield funder, [(pk, Programme.display_name(name, code)) for pk, _funder, name, code in programmes]


def _programme_label(funder: str, programme: str) -> str:
    return f"{funder} – {programme}"


class ProgrammeFilter(django_filters.ModelChoiceFilter):
    field_class = ProgrammeChoiceField


def _funders_menu(request=None):
    return _menus(deployment.current().country)[0]


def _programmes_menu(request=None):
    return _menus(deployment.current().country)[1]


@functools.lru_cache(maxsize=8)
def _menus(country: str) -> tuple[QuerySet[Funder], QuerySet[Programme]]:
    # Built once per process for the deployment's country (home_rank names it): every calls
    # page, feed and API list builds a filter set. A field reads a copy (ModelChoiceField
    # copies the queryset it is given), never this one in place.
    funders = Funder.objects.home_first().only("pk", "name", "slug")
    programmes = Programme.objects.select_related("funder").alias(home=home_rank("funder__country")).order_by(
        "home", "funder__name", "name"
    )
    return funders, programmes


def applicant_kind_choices():
    from civicbridge.directory.models import Organization

    return Organization.Kind.choices


def _delimited(field: str):
    return Concat(Value(","), field, Value(","), output_field=CharField())


def territory_line_condition(territory: Territory) -> Q:
    """Calls open anywhere, or with an eligible territory on ``territory``'s line."""
    through = Call.eligible_territories.through
    above = [int(part) for part in territory.path.strip("/").split("/") if part]
    on_line = through.objects.filter(call_id=OuterRef("pk")).filter(
        Q(territory_id__in=above) | Q(territory__path__startswith=territory.path)
    )
    restricted = through.objects.filter(call_id=OuterRef("pk"))
    return Q(Exists(on_line)) | ~Q(Exists(restricted))


class CallFilter(StrictFilterSet):
    """Filters named after the fields; the status is computed from the dates at ``now``."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Call.Status.choices, widget=forms.CheckboxSelectMultiple,
        method="filter_status",
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    funder = SlugOrIdFilter(
        label=_("Funder"), queryset=_funders_menu, field_name="programme__funder",
        empty_label=_("any funder"),
    )
    programme = ProgrammeFilter(
        label=_("Programme"), queryset=_programmes_menu,
        empty_label=_("any programme"),
    )
    applicant_kind = django_filters.ChoiceFilter(
        label=_("Who may apply"), choices=applicant_kind_choices, empty_label=_("anyone"),
        method="filter_applicant_kind",
    )
    territory = TerritoryFilter(
        label=_("Territory (calls open there)"), queryset=Territory.objects.all(),
        empty_label=_("anywhere"), method="filter_territory",
    )
    thematic_area = ThematicAreaFilter(
        label=_("Thematic area"), field_name="thematic_areas",
    )
    country = CountryMenuFilter(
        # Listed by name in the page's language, sent as its ISO code (``?country=PL``, any case);
        # any well-formed code is taken, as links, saved searches and the API give it.
        label=_("Applicants from"), choices=country_choices, empty_label=_("any country"),
        method="filter_country", help_text=_("Calls open to applicants from this country."),
    )
    deadline_from = django_filters.DateFilter(
        label=_("Last deadline from"), method="filter_deadline_from", validators=DEADLINE_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_to = django_filters.DateFilter(
        label=_("Last deadline until"), method="filter_deadline_to", validators=DEADLINE_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount_min = django_filters.NumberFilter(
        label=_("Grants of at least"), method="filter_amount_min", min_value=0,
    )
    amount_max = django_filters.NumberFilter(
        label=_("Grants of at most"), method="filter_amount_max", min_value=0,
    )
    # Ties (calls with one deadline, amount or title) by id, in the chosen direction: each page,
    # the next one and the API list every call once.
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("closes_at", "deadline"), ("published_at", "published"), ("title", "title"), ("max_grant", "amount")),
        # django-filter keys an ascending label by the field, a descending one by the parameter.
        # "deadline" orders by the last deadline; the default order, by the next one.
        field_labels={
            "closes_at": _("last deadline, soonest first"), "-deadline": _("last deadline, latest first"),
            "published_at": _("oldest announcements"), "-published": _("newest announcements"),
            "title": _("title"), "-title": _("title, Z to A"),
            "max_grant": _("maximum grant, smallest first"), "-amount": _("maximum grant, largest first"),
        },
        empty_label=_("next deadline first, closed calls last"),
    )

    class Meta:
        model = Call
        fields = ["status", "q", "funder", "programme", "applicant_kind", "territory", "thematic_area"]

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        open_territory_menu(self.form, "territory")

    def filter_status(self, queryset, name, values):
        if not values or set(values) >= set(Call.Status.values):
            return queryset
        # The source's status, where it gave one, overrides the dates (a call closed early).
        condition = Q()
        for status in values:
            condition |= Q(status_from_source="") & status_condition(status, self.now) | Q(status_from_source=status)
        return queryset.filter(condition)

    def filter_search(self, queryset, name, value):
        return search_backend.search(queryset, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_applicant_kind(self, queryset, name, kind):
        return queryset.alias(kinds_delimited=_delimited("eligible_kinds")).filter(
            Q(eligible_kinds="") | Q(kinds_delimited__contains=f",{kind},")
        )

    @extend_schema_field(OpenApiTypes.STR)
    def filter_territory(self, queryset, name, territory):
        return self.filter_country(queryset, name, territory.country).filter(territory_line_condition(territory))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_country(self, queryset, name, country: str):
        # The rule alerts saved from this list match by (core.countries.open_to_applicants_from).
        return filter_open_to_applicants_from(queryset, "eligible_countries", country)

    def filter_deadline_from(self, queryset, name, day):
        return queryset.filter(closes_at__gte=_start_of(day))

    def filter_deadline_to(self, queryset, name, day):
        return queryset.filter(closes_at__lt=_start_of(day + timedelta(days=1)))

    def filter_amount_min(self, queryset, name, amount):
        return queryset.filter(Q(max_grant__isnull=True) | Q(max_grant__gte=amount))

    def filter_amount_max(self, queryset, name, amount):
        return queryset.filter(Q(max_grant__isnull=True) | Q(max_grant__lte=amount))


def _start_of(day) -> datetime:
    """Midnight starting ``day`` in the deployment's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
