"""What the lists' filters share: codes people use, and bad values refused, never ignored.

- A territory is named by its official code (a TERYT code: ``16`` the voivodeship, ``1607``
  the county, ``1607053`` the municipality), by its ISO 3166-2 form (``PL-16``, ``TR-16``:
  needed where two countries use the same code), a country by its ISO 3166-1 code (``PL``),
  or by its id. A value that is some unit's code means that unit, even where a unit has
  that number as its id: codes are what people type and share.
- A bad filter value makes the form invalid: the API answers 400 naming the parameter and
  the value (django-filter's backend), a page shows the error and lists nothing, an export
  exports nothing. Never the whole list as if the filter were not there.
"""

import copy
import re
from typing import ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import deployment
from .compiled import CompiledQuery
from .countries import country_code
from .models import Territory, ThematicArea, name_column

# Django's own message (translated in its catalogs), which names the value refused.
INVALID_CHOICE = _("Select a valid choice. %(value)s is not one of the available choices.")
QUALIFIED_CODE = re.compile(r"^(?P<country>[A-Za-z]{2})-(?P<code>[0-9A-Za-z]+)$")
# A unit with no official code by its id (``territory_key``): a bare number is looked up as a
# code first, and a district's id may be another country's code (id 1607, TERYT 1607).
ID_KEY = re.compile(r"^id-(?P<pk>[0-9]{1,9})$")


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in any text it is asked to compare: no code or slug holds one.
    if "\x00" in value:
        raise ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value.replace("\x00", "\ufffd")})
    return value


def resolve_territory(value: str, queryset=None) -> Territory:
    """The territory that ``value`` names (code, ISO code or id); ValidationError naming it if none."""
    queryset = Territory.objects.all() if queryset is None else queryset
    value = _no_nul(str(value).strip())
    qualified, by_id = QUALIFIED_CODE.match(value), ID_KEY.match(value)
    if by_id:
        candidates = queryset.filter(pk=int(by_id["pk"]))
    elif qualified:
        candidates = queryset.filter(country=qualified["country"].upper(), code=qualified["code"])
    elif len(value) == 2 and value.isalpha():
        candidates = queryset.filter(level=Territory.Level.COUNTRY, country=value.upper())
    elif value.isdigit() and len(value) < 10:
        # A code first, else an id (a number may be either): both read in one query.
        candidates = queryset.filter(Q(code=value) | Q(pk=int(value)))
    else:
        candidates = queryset.filter(code=value) if value else queryset.none()
    matches = list(candidates[:3])
    if value.isdigit():
        matches = [unit for unit in matches if unit.code == value] or [unit for unit in matches if unit.pk == int(value)]
    if len(matches) > 1:
        raise ValidationError(
            _("“%(value)s” is the code of units in several countries: write it with the country, e.g. %(example)s."),
            code="ambiguous", params={"value": value, "example": f"{matches[0].country}-{value}"},
        )
    if not matches:
        raise ValidationError(
            _("No administrative unit has the code or number “%(value)s”."),
            code="invalid_choice", params={"value": value},
        )
    return matches[0]


class MenuChoiceIterator(ModelChoiceIterator):
    """A filter menu's options, read with one plain query.

    Django reads a menu through ``QuerySet.iterator()``: on PostgreSQL a server-side cursor,
    three round trips (declare, fetch, close) for a menu of a few hundred rows, on every list
    page and htmx swap. A menu is small and drawn whole: one query reads it.

    A field with ``menu_options(queryset)`` draws its options from the plain values that
    method reads (value and label pairs, as the labels of its instances would be): building a
    model for each option cost more than the rest of drawing it (every list page draws its
    territory and thematic-area menus).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.all()
        menu_options = getattr(self.field, "menu_options", None)
        if menu_options is not None:
            yield from menu_options(queryset)
            return
        for obj in queryset:
            yield self.choice(obj)


class CompiledMenu:
    """For a ``ModelChoiceField`` whose menu is read as plain values (``menu_options``): its
    query compiled once (``CompiledQuery``), by the field a filter set's form class holds for
    the deployment, and shared by each form's copy of it; a field given another query
    compiles that one."""

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self._menu_queries: dict[tuple[str, ...], CompiledQuery] = {}

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)  # gives the copy a copy of the same query
        copied._menu_queries = self._menu_queries
        return copied

    def menu_rows(self, *columns: str) -> list[tuple]:
        """The menu's rows: these columns of each object the field offers."""
        query = self._menu_queries.get(columns)
        if query is None:
            query = self._menu_queries[columns] = CompiledQuery(self.queryset.values_list(*columns))
        return query.rows()


def territory_key(territory: Territory) -> str:
    """How links and menus name a territory: its country's ISO code, its official code, or
    ``id-`` and its id (``ID_KEY``)."""
    if territory.level == Territory.Level.COUNTRY:
        return territory.country
    if territory.level == Territory.Level.REGION and territory.code:
        # Region codes repeat across countries (Opole's TERYT 16 is Bursa's plate code 16).
        return f"{territory.country}-{territory.code}"
    return territory.code or f"id-{territory.pk}"


class TerritoryField(forms.ModelChoiceField):
    """A territory by its code (TERYT, ISO 3166), by ``id-`` and its id (how menus name a unit
    with no code), or by its id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resolved: dict[str, Territory] = {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._resolved = {}  # each form's field resolves its own values
        return copied

    def _resolve(self, value) -> Territory:
        # A value is read when the form is cleaned and again when its menu is drawn: once.
        key = str(value)
        if key not in self._resolved:
            self._resolved[key] = resolve_territory(value, self.queryset)
        return self._resolved[key]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Territory):
            return value
        return self._resolve(value)

    def prepare_value(self, value):
        if isinstance(value, Territory):
            return territory_key(value)
        if isinstance(value, (str, int)) and str(value).strip() and not isinstance(value, bool):
            # A value as sent (an id, a code written another way): the menu names it by its key.
            try:
                return territory_key(self._resolve(value))
            except ValidationError:
                return value
        return super().prepare_value(value)


class TerritoryFilter(django_filters.ModelChoiceFilter):
    field_class = TerritoryField


class SlugOrIdField(CompiledMenu, forms.ModelChoiceField):
    """An object by its address name (slug) or its id: ``?funder=european-commission``.

    Its menu (a funder's, an issuing body's) lists the objects by name, as their ``str`` does,
    read as plain values (``MenuChoiceIterator``): an issuing body's menu is hundreds long."""

    iterator = MenuChoiceIterator

    def menu_options(self, queryset):
        return self.menu_rows("pk", "name")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return value
        value = _no_nul(str(value).strip())
        condition = Q(slug=value)
        if value.isdigit() and len(value) < 10:
            condition |= Q(pk=int(value))
        found = list(self.queryset.filter(condition)[:2])
        # A slug that looks like another's id: the slug wins (it is what the address shows).
        found.sort(key=lambda item: item.slug != value)
        if not found:
            raise ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value})
        return found[0]


class SlugOrIdFilter(django_filters.ModelChoiceFilter):
    field_class = SlugOrIdField


FIND_MAX_LENGTH = 200  # what a find field takes, and what its suggestions are sought for


class FindInput(forms.TextInput):
    """A text field that offers names as one types: the list of suggestions (``<datalist>``)
    is filled from ``suggestions_url`` by htmx. Without scripts it is a plain text field, and
    what is typed finds the same (``FindField``)."""

    template_name = "core/widgets/find.html"

    def __init__(self, attrs=None, *, suggestions_url=""):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.suggestions_url = suggestions_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["list_id"] = list_id = f"{widget['attrs'].get('id', name)}_suggestions"
        widget["attrs"].update({
            "list": list_id,
            "data-hx-get": str(self.suggestions_url),
            "data-hx-trigger": "input changed delay:300ms",
            "data-hx-sync": "this:replace",
            "data-hx-target": f"#{list_id}",
            "data-hx-swap": "innerHTML",
            # The filter form's pushes its results into the history; suggestions are not results.
            "data-hx-push-url": "false",
        })
        return context


class FindField(forms.CharField):
    """One or more objects of a long list, found by what a person types, where a menu of them
    all would be hundreds long (an issuing body, a call): the id or address name a link carries,
    else a name or part of one. ``find(text)`` answers the ids found and, where the text named
    one object by its id or address name, the name to show in its place. Cleaned to the ids; a
    text that finds nothing is refused, naming it (``not_found``)."""

    widget = FindInput

    def __init__(self, *, find, not_found, suggestions_url="", **kwargs):
        kwargs.setdefault("max_length", FIND_MAX_LENGTH)
        super().__init__(**kwargs)
        self.find, self.not_found = find, not_found
        self.widget.suggestions_url = suggestions_url
        self._found: dict[str, tuple[list, str | None]] = {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._found = {}  # each form's field finds its own values
        return copied

    def _find(self, text: str) -> tuple[list, str | None]:
        # Cleaned, then drawn: found once.
        if text not in self._found:
            self._found[text] = self.find(_no_nul(text))
        return self._found[text]

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        ids, _shown = self._find(text)
        if not ids:
            raise ValidationError(self.not_found, code="not_found", params={"value": text})
        return ids

    def prepare_value(self, value):
        if isinstance(value, str) and value.strip() and len(value) <= (self.max_length or FIND_MAX_LENGTH):
            try:
                return self._find(value.strip())[1] or value
            except ValidationError:
                return value
        return value


@extend_schema_field(OpenApiTypes.STR)  # a text, not the id its model field would suggest
class FindFilter(django_filters.Filter):
    """Rows whose ``field_name`` is one of the objects a ``FindField`` found."""

    field_class = FindField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__pk__any": value})


class CodeChoiceField(django_filters.fields.ChoiceField):
    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CodeChoiceFilter(django_filters.ChoiceFilter):
    """A choice among upper-case codes (ISO country codes) that also takes them lower-case."""

    field_class = CodeChoiceField


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code, in either case (``pl`` is ``PL``)."""

    def to_python(self, value):
        return country_code(super().to_python(value))


class _CountrySelect(forms.Select):
    def optgroups(self, name, value, attrs=None):
        # A code the menu does not list (a country outside the programmes' list) is drawn as
        # chosen, under its code, rather than shown as "any country".
        known = {str(code) for code, _label in self.choices}
        extra = [item for item in value if item and item not in known]
        if extra:
            self.choices = [*self.choices, *((item, item) for item in extra)]
        return super().optgroups(name, value, attrs)


class CountryMenuField(django_filters.fields.ChoiceField):
    """A country chosen by name from a menu whose values are ISO codes (``?country=PL``), that
    takes any well-formed code in either case, listed or not, as ``CountryCodeField`` does: a
    link or an API call that names a country outside the menu still filters by it."""

    widget = _CountrySelect

    def to_python(self, value):
        return CountryCodeField(required=False).to_python(value)

    def valid_value(self, value):
        return True  # the form of the code is checked by to_python

    def bound_data(self, data, initial):
        return data.strip().upper() if isinstance(data, str) else data


class CountryMenuFilter(django_filters.ChoiceFilter):
    field_class = CountryMenuField


def offered_thematic_areas(request=None):
    """A filter's thematic areas: the lists this deployment offers (django-filter calls it per
    filter set, so a changed deployment applies at once)."""
    return ThematicArea.objects.offered()




class ThematicAreaChoiceField(CompiledMenu, forms.ModelChoiceField):
    """A thematic area by its id, listed by its name in the page's language."""

    iterator = MenuChoiceIterator

    def menu_options(self, queryset):
        for pk, english, translated in self.menu_rows("pk", "name_en", name_column()):
            yield pk, translated or english  # str(area), without the area


class ThematicAreaFilter(django_filters.ModelChoiceFilter):
    """A list's thematic-area filter, offered from this deployment's lists (``offered_thematic_areas``)."""

    field_class = ThematicAreaChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", offered_thematic_areas)
        kwargs.setdefault("empty_label", _("any area"))  # as every other menu of a filter says, not "---------"
        super().__init__(*args, **kwargs)


class _FiltersCopiedOneByOne(dict):
    """A filter set class's filters, of which each filter set takes a copy of each filter (it
    sets the copy's model and parent) rather than django-filter's deep copy of all a filter
    holds: its queryset, choices and field arguments, which nothing changes once the class is
    made (0.35 ms of every calls page, feed and API list). A copy builds its own form field,
    and a filter by a method of the filter set calls its own set's (django-filter's
    ``FilterMethod`` holds the filter it was made for)."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            copies[name] = copied = copy.copy(filter_)
            copied.__dict__.pop("_field", None)
            if copied.method is not None:
                copied.method = copied.method  # a FilterMethod of the copy, which knows its parent
        return copies


class StrictFilterSet(django_filters.FilterSet):
    """A filter set whose bad values are refused (see the module's docstring)."""

    # django-filter makes a form class, and a field for each filter, for every filter set it
    # builds (0.4 ms of each calls page, feed and API list). No filter here takes the request,
    # so the class is the same for every filter set of a kind in a deployment: made once.
    _form_classes: ClassVar[dict[type, tuple[object, type]]] = {}

    def get_form_class(self):
        current = deployment.current()
        made = StrictFilterSet._form_classes.get(type(self))
        if made is None or made[0] is not current:
            made = StrictFilterSet._form_classes[type(self)] = (current, super().get_form_class())
        return made[1]

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_filters"), _FiltersCopiedOneByOne):
            cls.base_filters = _FiltersCopiedOneByOne(cls.base_filters)
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if "invalid_choice" in field.error_messages and not isinstance(field, TerritoryField):
                field.error_messages["invalid_choice"] = INVALID_CHOICE
            if isinstance(field, forms.ModelChoiceField) and not issubclass(field.iterator, MenuChoiceIterator):
                # No filter here offers a "none" option (django-filter's null_label).
                field.iterator = MenuChoiceIterator
                field.widget.choices = field.choices  # the widget keeps the iterator it was given

    def chosen(self) -> set[str] | None:
        """The names of the filters given a value; None when a value is not valid."""
        if not self.is_bound:
            return set()
        if not self.is_valid():
            return None
        return {name for name, value in self.form.cleaned_data.items() if value not in (None, "", [], ())}

    def chooses_nothing(self) -> bool:
        """No filter has a value (valid): ``qs`` lists the whole queryset the set was given."""
        return self.chosen() == set()

    @property
    def qs(self):
        if not hasattr(self, "_qs") and self.is_bound and not self.is_valid():
            self._qs = self.queryset.none()
        return super().qs
