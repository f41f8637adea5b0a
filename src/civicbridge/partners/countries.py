"""Countries a partner can come from: ISO 3166-1 alpha-2 codes with names in the platform languages.

The list and its names are ``civicbridge.core.countries`` (shared with the call form); this
module adds what the partners need: every language's name for search, codes from a string.
"""

import re

# The table and the names live in core (the call form chooses countries too); kept importable
# from here for the partners' modules.
from civicbridge.core.countries import COUNTRIES, LANGUAGE_INDEX, country_choices, country_name

__all__ = ["COUNTRIES", "LANGUAGE_INDEX", "all_names", "country_choices", "country_name", "is_known", "split_codes"]

CODE = re.compile(r"^[A-Z]{2}$")


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
