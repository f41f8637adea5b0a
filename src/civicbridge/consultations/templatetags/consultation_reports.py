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


@register.simple_tag
def section_contents(sections, *, consultation, remarks_shown: bool):
    """The draft's table of contents: each section's link and, when remarks are shown, how many
    it has. One address is reversed and one plural looked up per distinct count, not per section."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    first = reverse("consultations:section_detail", kwargs={"pk": consultation.pk, "section": 0})
    prefix = escape(first[: first.rindex("/0/") + 1])
    plurals: dict[int, str] = {}

    def count(n: int) -> str:
        if n not in plurals:
            plurals[n] = escape(ngettext("%(counter)s remark", "%(counter)s remarks", n) % {"counter": n})
        return plurals[n]

    items = []
    for section in sections:
        counted = f" <span>{count(section.remark_count)}</span>" if remarks_shown else ""
        items.append(f'<li><a href="{prefix}{int(section.pk)}/">{escape(str(section))}</a>{counted}</li>')
    return mark_safe("".join(items))  # every value above is escaped, or an integer
