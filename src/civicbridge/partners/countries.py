"""Countries a partner can come from: ISO 3166-1 alpha-2 codes with names in the platform languages.

The EU programmes' partner searches (Erasmus+, CERV, the European Solidarity Corps, Interreg)
look among the EU member states, the EEA/EFTA countries, the associated and candidate
countries and the neighbourhood; that is the list. Kosovo is "XK", the code the European
Commission uses. Names are kept here in the three languages (like territories) instead of
as messages to translate: they are data, not interface text.
"""

import re

from django.utils.translation import get_language
from unidecode import unidecode

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
CODE = re.compile(r"^[A-Z]{2}$")


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the active one); the code if unknown."""
    names = COUNTRIES.get(code)
    if names is None:
        return code
    return names[LANGUAGE_INDEX.get((language or get_language() or "en")[:2], 0)]


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the active language, sorted by name."""
    # Folded so that "İsveç" sorts under I and "Łotwa" under L, not after Z.
    return sorted(((code, country_name(code)) for code in COUNTRIES), key=lambda item: unidecode(item[1]).lower())


def all_names(code: str) -> tuple[str, ...]:
    """Every language's name, for the search document ("Niemcy" finds a request naming DE)."""
    return COUNTRIES.get(code, (code,))


def split_codes(value, *, upper: bool = True) -> list[str]:
    """A comma-separated string or a list as a list of codes, without blanks or repeats.

    Country codes are upper-case (ISO); organization kinds are lower-case (``upper=False``).
    """
    items = value.split(",") if isinstance(value, str) else list(value or [])
    seen: dict[str, None] = {}
    for item in items:
        code = str(item).strip()
        code = code.upper() if upper else code.lower()
        if code:
            seen.setdefault(code, None)
    return list(seen)


def is_known(code: str) -> bool:
    return bool(CODE.match(code)) and code in COUNTRIES
