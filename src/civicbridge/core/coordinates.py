"""A place's coordinates as people read them in the page's language, and as machines read them.

Written as two numbers in the page's format joined by a comma, Polish and Turkish coordinates
read "40,183928, 29,071551": the decimal commas and the separator are the same mark. Each
number here ends with a degree sign and its hemisphere in the page's language ("40,183928° N,
29,071551° E"; Turkish "40,183928° K, 29,071551° D", as Turkish maps and atlases write them),
so the separator cannot be taken for a decimal comma. What a program reads (an attribute, a
link) keeps the one form maps take in every language: "40.183928,29.071551".
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import pgettext

# Between a number's degree sign and its hemisphere: a line never breaks there.
NO_BREAK_SPACE = "\u00a0"


def _degrees(value: Decimal, positive: str, negative: str) -> str:
    return f"{number_format(abs(value))}°{NO_BREAK_SPACE}{positive if value >= 0 else negative}"


def coordinates_text(latitude: Decimal, longitude: Decimal) -> str:
    """Latitude and longitude in the active language: "50,671000° N, 17,926000° E" (Polish)."""
    return ", ".join((
        _degrees(latitude, pgettext("hemisphere after a latitude", "N"),
                 pgettext("hemisphere after a latitude", "S")),
        _degrees(longitude, pgettext("hemisphere after a longitude", "E"),
                 pgettext("hemisphere after a longitude", "W")),
    ))


def machine_coordinates(latitude: Decimal, longitude: Decimal) -> str:
    """"latitude,longitude" with decimal points in every language, as maps and geo: links take them."""
    return f"{latitude:f},{longitude:f}"
