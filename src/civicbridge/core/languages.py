"""Languages by name in the page's language, from Django's own list (``LANG_INFO``).

A call's documents are in languages stored as ISO 639 codes ("pl,en"); people read their
names. Django's catalogs translate the names of the languages it knows; a name they leave
in English on a page in another language is shown as the language names itself
(``name_local``), never as the code.
"""

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language, gettext

from .countries import CodeMultipleChoiceField, sort_key

# Official EU languages that Django's list lacks: code -> (English, its own name).
EXTRA_LANGUAGES: dict[str, tuple[str, str]] = {"mt": ("Maltese", "Malti")}


def language_name(code: str) -> str:
    """The language's name in the active language; its own name where no translation is
    known; the code only for a language nobody listed."""
    code = code.strip().lower()
    info = LANG_INFO.get(code)
    if info is not None and "fallback" in info:
        info = LANG_INFO[info["fallback"][0]]
    if info is not None:
        english, local = info["name"], info["name_local"]
    elif code in EXTRA_LANGUAGES:
        english, local = EXTRA_LANGUAGES[code]
    else:
        return code
    translated = gettext(english)
    if translated == english and not (get_language() or "en").startswith("en"):
        return local
    return translated


def language_choices(codes=()) -> list[tuple[str, str]]:
    """(code, name) of ``codes`` (default: every language known), by name in the active language."""
    # Codes as calls store them (two or three small letters): no regional variants.
    codes = codes or [*(code for code, info in LANG_INFO.items() if "fallback" not in info and code.isalpha()),
                      *EXTRA_LANGUAGES]
    return sorted(((code, language_name(code)) for code in codes), key=lambda item: sort_key(item[1]))


class LanguageMultipleChoiceField(CodeMultipleChoiceField):
    """Languages chosen by name from a menu; cleaned to a list of codes."""

    widget = forms.SelectMultiple(attrs={"size": 8})
    default_choices = staticmethod(language_choices)
