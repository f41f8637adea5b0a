"""The consultation's report (as data, as a PDF), the comparison of the adopted text with the
draft, and the remarks' export.

The PDF of a report is drawn by WeasyPrint. A report of a few hundred remarks is drawn when
asked (in the visitor's language); a larger one is drawn by a task (``tasks.build_report_pdf``,
enqueued when the report is published or asked for while stale) in the deployment's language
and stored: a 20,000-remark report takes minutes to draw, no request waits for it. The stored
file is served while nothing shown in it has changed since (``report_changed_at``).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicbridge.core import deployment

from . import selectors
from .models import Consultation, Remark
from .splitting import split_text

INLINE_PDF_REMARKS = 400


# --- PDF -------------------------------------------------------------------------------------------


def pdf_filename(consultation: Consultation) -> str:
    return f"consultation-{consultation.pk}-report.pdf"


def report_pdf_bytes(consultation: Consultation, *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override(language or settings.LANGUAGE_CODE):
        answers_shown = consultation.reported_at is not None
        context = {
            "consultation": consultation,
            "summary": selectors.report_summary(consultation, answers_shown=answers_shown),
            "remarks": selectors.report_remarks(consultation).iterator(chunk_size=1000),
            "answers_shown": answers_shown,
            "authority": deployment.current(),
            "generated_at": timezone.localtime(),
        }
        document = render_to_string("consultations/report_pdf.html", context)
    return HTML(string=document).write_pdf()


def pdf_is_fresh(consultation: Consultation) -> bool:
    if not consultation.report_pdf or consultation.report_pdf_at is None:
        return False
    changed = consultation.report_changed_at
    return changed is None or consultation.report_pdf_at >= changed


def store_report_pdf(consultation_id: int) -> bool:
    """Draw and store the report's PDF unless the stored one is still fresh; answer whether it drew."""
    consultation = Consultation.objects.select_related("issuing_body", "territory").get(
        pk=consultation_id
    )
    if pdf_is_fresh(consultation):
        return False
    started = timezone.now()  # a change while drawing leaves the file stale, to be drawn again
    content = report_pdf_bytes(consultation)
    old = consultation.report_pdf.name if consultation.report_pdf else ""
    consultation.report_pdf.save(pdf_filename(consultation), ContentFile(content), save=False)
    with transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(
            report_pdf=consultation.report_pdf.name, report_pdf_at=started
        )
    if old and old != consultation.report_pdf.name:
        consultation.report_pdf.storage.delete(old)
    return True


# --- data (the API's report) -------------------------------------------------------------------------


def author_label(remark: Remark) -> str:
    return (
        remark.organization.name if remark.organization_id else pgettext("remark author", "citizen")
    )


def remark_data(remark: Remark, *, answers_shown: bool) -> dict:
    section = remark.section
    data = {
        "id": remark.pk,
        "section": {"id": section.pk, "label": section.label, "heading": section.heading}
        if section
        else None,
        "section_version": remark.section_version.number if remark.section_version_id else None,
        "organization": {"id": remark.organization_id, "name": remark.organization.name}
        if remark.organization_id
        else None,
        "as_citizen": remark.organization_id is None,
        "submitted_at": remark.submitted_at,
        "hidden": remark.hidden_at is not None,
    }
    if remark.hidden_at:
        data.update({"hidden_reason": remark.hidden_reason})
    else:
        data.update(
            {
                "proposed_wording": remark.proposed_wording,
                "justification_html": remark.justification_html,
                "section_text": remark.section_version.text if remark.section_version_id else None,
            }
        )
    if answers_shown and not remark.hidden_at:
        data.update(
            {
                "answer": remark.answer or None,
                "answer_justification_html": remark.answer_justification_html or None,
            }
        )
    return data


def summary_data(summary: selectors.ReportSummary) -> dict:
    return {
        "total": summary.total,
        "hidden": summary.hidden,
        "by_answer": {value or "not_answered": count for value, _label, count in summary.by_answer},
        "by_section": [
            {
                "section": row["section"].pk,
                "label": row["section"].label,
                "heading": row["section"].heading,
                "total": row["total"],
                "hidden": row["hidden"],
                **{value: row[value] for value in Remark.Answer.values},
                "not_answered": row[""],
            }
            for row in summary.by_section
        ],
    }


# --- comparison ------------------------------------------------------------------------------------

# A word with the white space after it: white space alone never anchors a match, so a
# rewritten sentence reads as the old one struck through and the new one added.
_TOKEN = re.compile(r"\S+\s*|\s+", re.UNICODE)
# Below this likeness, word-by-word interleaving is harder to read than "all of it replaced".
_MIN_RATIO = 0.35


def word_diff(before: str, after: str) -> SafeString:
    """``after`` against ``before``, word by word: removed words in <del>, added in <ins>, escaped."""
    a, b = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if a and b and matcher.ratio() < _MIN_RATIO:
        opcodes = [("replace", 0, len(a), 0, len(b))]
    else:
        opcodes = matcher.get_opcodes()
    removed, added = _("removed:"), _("added:")
    out = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        # Screen readers announce no <del>/<ins> by default: a hidden word says which it is.
        if tag in ("delete", "replace"):
            out.append(
                f'<del><span class="visually-hidden">{html.escape(removed)} </span>{html.escape("".join(a[i1:i2]))}</del>'
            )
        if tag in ("insert", "replace"):
            out.append(
                f'<ins><span class="visually-hidden">{html.escape(added)} </span>{html.escape("".join(b[j1:j2]))}</ins>'
            )
    return mark_safe("".join(out))


@dataclass
class ComparedSection:
    label: str
    heading: str
    draft: str | None
    adopted: str | None
    diff: SafeString
    status: str  # "same", "changed", "added", "removed"
    section_id: int | None = None


def _key(label: str) -> str:
    return re.sub(r"[\s.]", "", (label or "").lower())


def compare(consultation: Consultation) -> list[ComparedSection]:
    """The draft's sections against the adopted text's (split the same way), matched by their
    numbers in order; a section without a number is matched by its place."""
    draft = list(
        selectors.current_sections(consultation).only("pk", "label", "heading", "text", "position")
    )
    adopted = split_text(consultation.adopted_text)
    draft_keys = [_key(s.label) or f"#{i}" for i, s in enumerate(draft)]
    adopted_keys = [_key(s.label) or f"#{i}" for i, s in enumerate(adopted)]
    rows: list[ComparedSection] = []
    matcher = difflib.SequenceMatcher(None, draft_keys, adopted_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old, new in zip(draft[i1:i2], adopted[j1:j2], strict=True):
                rows.append(_pair(old, new))
            continue
        olds, news = draft[i1:i2], adopted[j1:j2]
        for old in olds:
            rows.append(
                ComparedSection(
                    old.label,
                    old.heading,
                    old.text,
                    None,
                    word_diff(old.text, ""),
                    "removed",
                    old.pk,
                )
            )
        for new in news:
            rows.append(
                ComparedSection(
                    new.label, new.heading, None, new.text, word_diff("", new.text), "added"
                )
            )
    return rows


def _pair(old, new) -> ComparedSection:
    before = f"{old.heading}\n{old.text}".strip()
    after = f"{new.heading}\n{new.text}".strip()
    status = "same" if before == after else "changed"
    return ComparedSection(
        new.label or old.label,
        new.heading or old.heading,
        before,
        after,
        word_diff(before, after),
        status,
        old.pk,
    )


# --- export ----------------------------------------------------------------------------------------


def export_columns():
    """The remarks' columns for the body's records (CSV, XLSX): every remark, hidden ones with their text."""

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        (_("Number"), lambda r: r.pk),
        (_("Section"), lambda r: str(r.section) if r.section_id else _("whole act")),
        (
            _("Section text remarked on"),
            lambda r: r.section_version.text if r.section_version_id else "",
        ),
        (_("Submitted"), lambda r: when(r.submitted_at)),
        (
            _("Organization"),
            lambda r: (
                r.organization.name if r.organization_id else pgettext("remark author", "citizen")
            ),
        ),
        (_("Author"), lambda r: r.author.get_full_name() or r.author.username),
        (_("Proposed wording"), lambda r: r.proposed_wording),
        (_("Justification or comment"), lambda r: r.justification),
        (_("Versions"), lambda r: r.version),
        (_("Hidden"), lambda r: _("yes") if r.hidden_at else ""),
        (_("Reason for hiding"), lambda r: r.hidden_reason),
        (_("Answer"), lambda r: r.get_answer_display() if r.answer else ""),
        (_("Justification of the answer"), lambda r: r.answer_justification),
        (_("Answered"), lambda r: when(r.answered_at)),
    ]


def export_remarks(consultation: Consultation):
    return (
        Remark.objects.filter(consultation=consultation)
        .select_related("organization", "section", "section_version", "author")
        .only(
            "pk",
            "section__label",
            "section__heading",
            "section__position",
            "section__consultation_id",
            "section_version__text",
            "submitted_at",
            "organization__name",
            "author__first_name",
            "author__last_name",
            "author__username",
            "proposed_wording",
            "justification",
            "version",
            "hidden_at",
            "hidden_reason",
            "answer",
            "answer_justification",
            "answered_at",
            "consultation_id",
            "section_id",
            "section_version_id",
            "organization_id",
            "author_id",
            "section__position",
        )
        .order_by("section__position", "submitted_at", "id")
    )
