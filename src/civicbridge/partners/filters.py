import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from civicbridge.core import search as search_backend
from civicbridge.core.filters import (
    CodeChoiceFilter,
    FindFilter,
    StrictFilterSet,
    ThematicAreaFilter,
)
from civicbridge.directory.filters import CountryFilter
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call

from . import phases
from .countries import COUNTRIES, country_choices
from .models import PartnerRequest, Twinning

ACCEPTING = "open"
EXPIRED = "expired"
ANY = "any"
STATUS_CHOICES = [
    (ACCEPTING, _("accepting answers")),
    (EXPIRED, _("answer deadline passed")),
    (ANY, _("all open requests")),
]


def delimited(field: str, code: str) -> Q:
    """``code`` is one of the comma-separated codes stored in ``field`` (works on any database)."""
    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code},"})
        | Q(**{f"{field}__endswith": f",{code}"})
        | Q(**{f"{field}__contains": f",{code},"})
    )


def _named_calls():
    """The calls that open requests name: some hundreds, not the whole call archive."""
    return Call.objects.filter(
        pk__in=PartnerRequest.objects.filter(status=PartnerRequest.Status.OPEN, call__isnull=False).values("call_id")
    )


def _named_calls_holding(text: str):
    return _named_calls().filter(Q(identifier__icontains=text) | Q(title__icontains=text))


def find_calls(text: str) -> tuple[list[int], str | None]:
    """The published calls ``text`` names: by its number (what links carry; then its identifier
    is shown) or its identifier, in any case; else those, of the calls open requests name, whose
    identifier or title holds it."""
    # Published calls only: the field shows the identifier of the call a number names, and a
    # draft's is its author's to publish.
    calls = Call.objects.published()
    if text.isdigit() and len(text) < 10:
        numbered = list(calls.filter(pk=int(text)).values_list("pk", "identifier")[:1])
        if numbered:
            return [numbered[0][0]], numbered[0][1]
    identified = list(calls.filter(identifier__iexact=text).values_list("pk", flat=True))
    if identified:
        return identified, None
    return list(_named_calls_holding(text).values_list("pk", flat=True)), None


def call_suggestions(text: str, *, limit: int) -> list[tuple[str, str]]:
    """The first ``limit`` calls that open requests name whose identifier or title holds
    ``text``: their identifier, with their title beside it."""
    calls = _named_calls_holding(text).order_by("identifier").values_list("identifier", "title")[:limit]
    return [(identifier, f"{identifier} – {title}") for identifier, title in calls]


def accepting_answers(queryset, *, today=None):
    """The SQL twin of phases.accepts_answers: open, and its deadline day (not ``today``, by
    default the deployment's today) not over yet."""
    return queryset.filter(status=PartnerRequest.Status.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today or phases.today())
    )


def deadline_passed(queryset):
    return queryset.filter(status=PartnerRequest.Status.OPEN, deadline__lt=phases.today())


class PartnerRequestFilter(StrictFilterSet):
    """The partner search's filters, shared by the list page and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    direction = django_filters.ChoiceFilter(
        label=_("Seeking or offering"), choices=PartnerRequest.Direction.choices,
        empty_label=_("both"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Answers"), choices=STATUS_CHOICES, empty_label=None, method="filter_status",
        help_text=_("Open requests whose deadline has passed stay listed under “answer deadline passed”."),
    )
    thematic_area = ThematicAreaFilter(
        label=_("Thematic area"), field_name="thematic_areas",
    )
    country = CodeChoiceFilter(
        label=_("Partner country"), choices=country_choices, method="filter_country",
        empty_label=_("any country"),
    )
    partner_kind = django_filters.ChoiceFilter(
        label=_("Kind of partner"), choices=Organization.Kind.choices, method="filter_partner_kind",
        empty_label=_("any kind"),
    )
    # Typed, not chosen from a menu: open requests name hundreds of calls.
    call = FindFilter(
        label=_("Call for proposals"),
        find=lambda text: find_calls(text),
        not_found=_("No call for proposals of an open request has “%(value)s” in its identifier or title."),
        suggestions_url=reverse_lazy("partners:call_suggestions"),
        help_text=_("Type part of its identifier or title and choose it from the suggestions."),
    )

    class Meta:
        model = PartnerRequest
        fields = ["q", "direction", "status", "thematic_area", "country", "partner_kind", "call"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].widget = forms.Select(choices=STATUS_CHOICES)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = self.filter_status(queryset, "status", ACCEPTING)
        if self.form.cleaned_data.get("q") or self.form.cleaned_data.get("search"):
            queryset = queryset.order_by("-id")
        return queryset

    def filter_search(self, queryset, name, value: str):
        return search_backend.search(queryset, value)

    def filter_status(self, queryset, name, value: str):
        if value == EXPIRED:
            return deadline_passed(queryset)
        if value == ANY:
            return queryset.filter(status=PartnerRequest.Status.OPEN)
        return accepting_answers(queryset)

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(delimited("countries", value))

    def filter_partner_kind(self, queryset, name, value: str):
        return queryset.filter(delimited("partner_kinds", value))


def countries_named(text: str) -> list[str]:
    """The codes of the countries whose name in any language holds ``text`` ("niem" finds DE)."""
    folded = unidecode(text).lower().strip()
    if not folded:
        return []
    return [code for code, names in COUNTRIES.items() if any(folded in unidecode(name).lower() for name in names)]


class TwinningFilter(StrictFilterSet):
    """The twin cities' filters: a search over the cities, our towns and the countries' names
    (in every language), the partner's country by its ISO code, an area of cooperation."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        help_text=_("A partner city, one of our towns or a country, in any language."),
    )
    country = CountryFilter(
        label=_("Partner country"), choices=country_choices, field_name="partner_country",
        empty_label=_("any country"),
    )
    thematic_area = ThematicAreaFilter(
        label=_("Area of cooperation"), field_name="thematic_areas",
    )

    class Meta:
        model = Twinning
        fields = ["q", "country", "thematic_area"]

    def filter_search(self, queryset, name, value: str):
        condition = Q()
        for word in value.split():
            condition &= (
                Q(partner_city__icontains=word)
                | Q(territory__name_en__icontains=word)
                | Q(territory__name_pl__icontains=word)
                | Q(territory__name_tr__icontains=word)
                | Q(partner_country__in=countries_named(word))
            )
        return queryset.filter(condition)
