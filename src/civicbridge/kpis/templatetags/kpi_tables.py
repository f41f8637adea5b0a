"""The dashboard's two long tables (events by county, organizations by county: a country has
hundreds of counties), drawn in one pass: the template language's lookups and number filters
per cell cost most of the page's time. Numbers are formatted as the filters the short tables
use would (``floatformat:"-1"``, ``intcomma``), in the page's language."""

from decimal import Decimal
from html import escape

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _hours(value: Decimal) -> str:
    """As ``floatformat:"-1"``: whole hours without decimals, else one decimal in the page's language."""
    value = Decimal(value or 0)
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def _grouped(value: int) -> str:
    """As ``intcomma``: thousands grouped as the page's language writes them."""
    value = int(value or 0)
    return str(value) if -1000 < value < 1000 else formats.number_format(value, force_grouping=True)


@register.simple_tag
def county_event_rows(rows):
    labels = [escape(_(text)) for text in ("Events", "Hours of debate", "Hours of training", "Participants",
                                           "Unique participants")]
    lines = []
    for row in rows:
        values = (int(row.events), _hours(row.debate_hours), _hours(row.training_hours), int(row.participants),
                  int(row.unique or 0))
        cells = "".join(f'<td data-label="{label}">{escape(str(value))}</td>' for label, value in zip(labels, values, strict=True))
        lines.append(f'<tr><th scope="row">{escape(row.label) or "–"}</th>{cells}</tr>')
    return mark_safe("".join(lines))  # every value above is escaped


@register.simple_tag
def county_organization_rows(rows):
    registered, verified = escape(_("In the registry")), escape(_("Verified"))
    lines = [
        f'<tr><th scope="row">{escape(row["label"])}</th><td data-label="{registered}">{escape(_grouped(row["registered"]))}</td>'
        f'<td data-label="{verified}">{escape(_grouped(row["verified"]))}</td></tr>'
        for row in rows
    ]
    return mark_safe("".join(lines))  # every value above is escaped
