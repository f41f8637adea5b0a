"""Countries by name in the page's language, and groups that choose several at once.

Names are kept here in the three languages (like territories) instead of as messages to
translate: they are data, not interface text. The list is the countries the EU programmes'
partner searches and calls look among (Erasmus+, CERV, the European Solidarity Corps,
Interreg): the EU member states, the EEA/EFTA countries, the associated and candidate
countries and the neighbourhood. Kosovo is "XK", the code the European Commission uses.

A form's countries are stored as comma-separated ISO 3166-1 alpha-2 codes ("PL,TR"); people
choose them by name (``CountryMultipleChoiceField``), a whole group with one tick box.
"""

from collections.abc import Collection

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.forms.boundfield import BoundField
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import alphabetical_key, once_per_language

# code: (English, Polish, Turkish)
COUNTRIES: dict[str, tuple[str, str, str]] = {
    "AL": ("Albania", "Albania", "Arnavutluk"),
    "AM": ("Armenia", "Armenia", "Ermenistan"),
    "AT": ("Austria", "Austria", "Avusturya"),
    "AZ": ("Azerbaijan", "Azerbejdżan", "Azerbaycan"),
    "BA": ("Bosnia and Herzegovina", "Bośnia i Hercegowina", "Bosna-Hersek"),
    "BE": ("Belgium", "Belgia", "Belçika"),
    "BG": ("Bulgaria", "Bułgaria", "Bulgaristan"),
    "CH": ("Switzerland", "Szwajcaria", "İsviçre"),
    "CY": ("Cyprus", "Cypr", "Kıbrıs"),
    "CZ": ("Czechia", "Czechy", "Çekya"),
    "DE": ("Germany", "Niemcy", "Almanya"),
    "DK": ("Denmark", "Dania", "Danimarka"),
    "EE": ("Estonia", "Estonia", "Estonya"),
    "ES": ("Spain", "Hiszpania", "İspanya"),
    "FI": ("Finland", "Finlandia", "Finlandiya"),
    "FR": ("France", "Francja", "Fransa"),
    "GB": ("United Kingdom", "Wielka Brytania", "Birleşik Krallık"),
    "GE": ("Georgia", "Gruzja", "Gürcistan"),
    "GR": ("Greece", "Grecja", "Yunanistan"),
    "HR": ("Croatia", "Chorwacja", "Hırvatistan"),
    "HU": ("Hungary", "Węgry", "Macaristan"),
    "IE": ("Ireland", "Irlandia", "İrlanda"),
    "IS": ("Iceland", "Islandia", "İzlanda"),
    "IT": ("Italy", "Włochy", "İtalya"),
    "LI": ("Liechtenstein", "Liechtenstein", "Lihtenştayn"),
    "LT": ("Lithuania", "Litwa", "Litvanya"),
    "LU": ("Luxembourg", "Luksemburg", "Lüksemburg"),
    "LV": ("Latvia", "Łotwa", "Letonya"),
    "MD": ("Moldova", "Mołdawia", "Moldova"),
    "ME": ("Montenegro", "Czarnogóra", "Karadağ"),
    "MK": ("North Macedonia", "Macedonia Północna", "Kuzey Makedonya"),
    "MT": ("Malta", "Malta", "Malta"),
    "NL": ("Netherlands", "Holandia", "Hollanda"),
    "NO": ("Norway", "Norwegia", "Norveç"),
    "PL": ("Poland", "Polska", "Polonya"),
    "PT": ("Portugal", "Portugalia", "Portekiz"),
    "RO": ("Romania", "Rumunia", "Romanya"),
    "RS": ("Serbia", "Serbia", "Sırbistan"),
    "SE": ("Sweden", "Szwecja", "İsveç"),
    "SI": ("Slovenia", "Słowenia", "Slovenya"),
    "SK": ("Slovakia", "Słowacja", "Slovakya"),
    "TR": ("Türkiye", "Turcja", "Türkiye"),
    "UA": ("Ukraine", "Ukraina", "Ukrayna"),
    "XK": ("Kosovo", "Kosowo", "Kosova"),
}
LANGUAGE_INDEX = {"en": 0, "pl": 1, "tr": 2}

# The 27 member states of the European Union (since 1 February 2020).
EU_MEMBER_STATES: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)
# The countries that take part in Erasmus+ in full (2021-2027): the EU member states and the
# third countries associated to the programme. UNVERIFIED: taken from the Erasmus+ Programme
# Guide (Part A, "Eligible countries"), not from the project's domain facts; the association
# agreements change (a country joins or leaves), so check the Guide of the year.
ERASMUS_ASSOCIATED_COUNTRIES: tuple[str, ...] = ("IS", "LI", "NO", "MK", "RS", "TR")
ERASMUS_PROGRAMME_COUNTRIES: tuple[str, ...] = (*EU_MEMBER_STATES, *ERASMUS_ASSOCIATED_COUNTRIES)
# Groups offered in the forms: key -> (label, codes).
COUNTRY_GROUPS: dict[str, tuple] = {
    "eu": (_("All EU member states"), EU_MEMBER_STATES),
    "erasmus": (_("All Erasmus+ programme countries"), ERASMUS_PROGRAMME_COUNTRIES),
}


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active one); the code if unknown."""
    names = COUNTRIES.get(code)
    if names is None:
        return code
    return names[LANGUAGE_INDEX.get((language or get_language() or "en")[:2], 0)]


NOT_A_COUNTRY_CODE = _("“%(value)s” is not a country code: give its two-letter ISO code, e.g. PL.")


def country_code(value: str) -> str:
    """``value`` as a country is stored: its ISO 3166-1 alpha-2 code in capitals, given in either
    case (``pl`` is ``PL``); empty stays empty. Anything else is a ValidationError naming it."""
    value = (value or "").strip()
    if value and not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise ValidationError(NOT_A_COUNTRY_CODE, code="invalid", params={"value": value})
    return value.upper()


def validate_country_code(value: str) -> None:
    """A model field's check: the value is a country as stored ("PL", not "pl" nor "Poland")."""
    if country_code(value) != value:
        raise ValidationError(NOT_A_COUNTRY_CODE, code="invalid", params={"value": value})


# --- "Applicants from": one rule for the calls list's filter and the alerts that save it ---------

def open_to_applicants_from(eligible: Collection[str], country: str) -> bool:
    """Whether what is open to applicants from the ``eligible`` countries (codes; none named:
    from anywhere) is open to applicants from ``country``. ``filter_open_to_applicants_from``
    is the same rule in SQL; the alerts' matching (alerts/matching.py) calls this one."""
    return not eligible or country in eligible


def filter_open_to_applicants_from(queryset: QuerySet, field: str, country: str) -> QuerySet:
    """The rows of ``queryset`` whose ``field`` (codes separated by commas, "DE,PL"; empty: from
    anywhere) is open to applicants from ``country``: ``open_to_applicants_from`` in SQL."""
    delimited = f"{field}_delimited"
    return queryset.alias(**{delimited: Concat(Value(","), field, Value(","), output_field=CharField())}).filter(
        Q(**{field: ""}) | Q(**{f"{delimited}__contains": f",{country},"})
    )


def sort_key(name: str) -> tuple:
    # In the page's alphabet: "İsveç" under I, not after Z; Polish "Łotwa" after "Luksemburg".
    return alphabetical_key(name)


@once_per_language  # a fixed list: sorted once per language, not at each menu a page draws
def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) in the active language, sorted by name."""
    return tuple(sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda item: sort_key(item[1])))


class CountryCheckboxes(forms.CheckboxSelectMultiple):
    """Tick boxes of countries by name, after one tick box per group.

    A group's tick box is sent as ``<name>_group``: without JavaScript the server adds the
    group's countries (``value_from_datadict``); with it, the page's script ticks them at once.
    """

    template_name = "core/widgets/country_checkboxes.html"

    def value_from_datadict(self, data, files, name):
        codes = list(super().value_from_datadict(data, files, name) or [])
        getlist = getattr(data, "getlist", None)
        chosen_groups = getlist(f"{name}_group") if getlist else data.get(f"{name}_group") or []
        for key in chosen_groups:
            codes.extend(COUNTRY_GROUPS.get(key, ("", ()))[1])
        return list(dict.fromkeys(code for code in codes if code))

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(value or [])
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        context["widget"]["groups"] = [
            {
                "key": key, "label": label, "codes": ",".join(codes), "id": f"{base_id}_group_{key}",
                "name": f"{name}_group", "checked": bool(codes) and chosen.issuperset(codes),
            }
            for key, (label, codes) in COUNTRY_GROUPS.items()
        ]
        return context

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-country"] = ""
        return option


class _CountriesBoundField(BoundField):
    @property
    def widget_type(self):
        # Laid out like any group of tick boxes: a fieldset with a legend (core/jinja2/core/field.html).
        return "checkboxselectmultiple"


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    """Things chosen by name (``default_choices``: code and name pairs); cleaned to a list of
    codes. Codes outside the list that an object already holds stay offered (under their
    code, ``keep``) so that saving a form keeps them."""

    default_choices = None  # a callable answering the (code, name) pairs in the active language

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", self.default_choices)
        super().__init__(**kwargs)

    def keep(self, codes) -> None:
        known = {code for code, _name in self.choices}
        extra = [(code, code) for code in codes if code and code not in known]
        if extra:
            self.choices = [*self.choices, *extra]


class CountryMultipleChoiceField(CodeMultipleChoiceField):
    """Countries chosen by name, as tick boxes grouped (EU member states...); cleaned to codes."""

    widget = CountryCheckboxes
    bound_field_class = _CountriesBoundField
    default_choices = staticmethod(country_choices)
