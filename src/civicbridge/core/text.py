"""Capital letters, and the alphabet, in the page's language.

Python's ``str.upper`` (and Django's ``capfirst``, which uses it) writes "i" as "I" in every
language; Turkish and Azerbaijani write it "İ", and their dotless "ı" as "I": a Turkish page
said "Işletme" for "işletme". Django templates' ``|capfirst`` (this module's filter replaces
Django's: ``TEMPLATES``' ``builtins``), the Jinja2 templates' ``capfirst`` (``core/rows.py``)
and the Python code that capitalises a label for a reader all use ``capfirst`` here.
"""

import unicodedata
from functools import lru_cache, wraps

from django.utils.functional import keep_lazy_text
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from unidecode import unidecode

# The letters whose capital in these languages differs from Python's.
_DOTTED_I_LANGUAGES = {"tr", "az"}
_DOTTED_I_CAPITALS = str.maketrans({"i": "İ", "ı": "I"})
_DOTTED_I_SMALL = str.maketrans({"I": "ı", "İ": "i"})
# Folding, whatever the language: the four letters i, ı, İ and I count as one.
_ONE_I = str.maketrans({"İ": "i", "ı": "i", "I": "i"})
# The letters a language's alphabet puts after a base letter, as letters of their own, with
# their place there: in Polish "Łódź" comes after every name in L and "ż" after "ź"; in
# Turkish "Çorum" after every name in C, and "ı" between "h" and "i". Any other letter sorts
# as its base letter (unidecode): "é" as "e".
_ALPHABET_AFTER = {
    "pl": {"ą": ("a", 1), "ć": ("c", 1), "ę": ("e", 1), "ł": ("l", 1), "ń": ("n", 1), "ó": ("o", 1),
           "ś": ("s", 1), "ź": ("z", 1), "ż": ("z", 2)},
    "tr": {"ç": ("c", 1), "ğ": ("g", 1), "ı": ("h", 1), "ö": ("o", 1), "ş": ("s", 1), "ü": ("u", 1)},
}


def once_per_language(function):
    """Work ``function`` (of hashable values, answering in the active language) out once per
    language and values: the catalogs and URL patterns are read once per process, so the answer
    cannot go stale. The language is part of the key by construction: a cache keyed by the
    values alone would answer a Polish page in the language of the page before it."""

    @lru_cache(maxsize=1024)
    def answer(language: str | None, *values):
        return function(*values)

    @wraps(function)
    def in_active_language(*values):
        return answer(get_language(), *values)

    in_active_language.cache_clear = answer.cache_clear
    in_active_language.cache_info = answer.cache_info
    return in_active_language


def upper(text: str, language: str | None = None) -> str:
    """``text`` in capitals, as ``language`` (by default the active one) writes them."""
    if _language(language) in _DOTTED_I_LANGUAGES:
        text = text.translate(_DOTTED_I_CAPITALS)
    return text.upper()


def _language(language: str | None) -> str:
    return (language or get_language() or "").split("-")[0].lower()


def lower(text: str, language: str | None = None) -> str:
    """``text`` in small letters, as ``language`` (by default the active one) writes them:
    Turkish "IŞIK" is "ışık", "İzmir" "izmir"."""
    if _language(language) in _DOTTED_I_LANGUAGES:
        text = text.translate(_DOTTED_I_SMALL)
    return text.lower()


def alphabetical_key(text: str, language: str | None = None) -> tuple:
    """What sorts ``text`` in the alphabet of ``language`` (by default the active one), without
    case: Polish "Lubin, Łask", Turkish "Cide, Çorum", where folding every letter to its base
    letter mixed them ("Łask, Lubin")."""
    return _alphabetical_key(str(text), _language(language))


@lru_cache(maxsize=65536)
def _alphabetical_key(text: str, language: str) -> tuple:
    # Menus and SQLite's collation key the same names over and over: each once per language.
    after = _ALPHABET_AFTER.get(language, {})
    small = unicodedata.normalize("NFC", lower(text, language))
    return tuple(after.get(letter) or (unidecode(letter), 0) for letter in small)


@keep_lazy_text
def capfirst(value) -> str:
    """``value`` with its first letter a capital in the active language (Django's ``capfirst``
    otherwise: the rest is left as it is). A lazy text stays lazy: it is capitalised in the
    language active when it is written."""
    if not value:
        return value
    text = str(value)
    capitalised = upper(text[0]) + text[1:]
    # Text already safe for HTML (Django's SafeString, Jinja2's Markup) stays safe: a capital
    # letter escapes nothing.
    return mark_safe(capitalised) if hasattr(value, "__html__") else capitalised


def fold(text) -> str:
    """``text`` made comparable without case in any of the site's languages: what a person
    typed matches a header, a label or a name whichever language's capitals they used.

    Python's ``casefold`` writes Turkish "İ" as "i" and a combining dot, and keeps "ı" apart
    from "i": "İşletme" (the label capitalised in Turkish) did not match "işletme", nor "IŞIK"
    "ışık". Here the dotted and dotless i are one letter (no two labels differ by that alone),
    the text is in one Unicode form, and runs of spaces count as one.
    """
    text = unicodedata.normalize("NFC", str(text)).translate(_ONE_I)
    return " ".join(text.casefold().split())
