"""The report's table of remarks by section: up to a draft's hundreds of rows on every page of
the report, drawn in one pass (the template language's per-cell lookups and translations, or
``format_html`` per cell, cost tens of milliseconds for 500 sections)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def section_summary_rows(summary, *, answers_shown: bool, link_prefix: str = ""):
    """The rows of ``summary.by_section``: each section (a link to its remarks when
    ``link_prefix`` is given), its remarks, their answers when shown, the hidden ones.
    Every text is escaped here; the numbers are counts."""
    columns = [(escape(_("Remarks")), "total")]
    if answers_shown:
        columns += [(escape(_("accepted")), "accepted"), (escape(_("partly accepted")), "partly"),
                    (escape(_("not accepted")), "rejected")]
    columns.append((escape(_("hidden")), "hidden"))
    prefix = escape(link_prefix)
    rows = []
    for row in summary.by_section:
        section = row["section"]
        name = escape(str(section))
        if link_prefix:
            name = f'<a href="{prefix}{int(section.pk)}">{name}</a>'
        cells = "".join(f'<td data-label="{label}">{int(row[key])}</td>' for label, key in columns)
        rows.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # every value above is escaped, or an integer
