"""One import pipeline for every app that takes a table of its objects (CSV, XLSX; JSON where asked).

An app declares an ``Importer``: its columns (with the header people know, in every
language, and the codes each accepts), its natural key, how to read one row and how to
save it through the app's own services. The pipeline does the rest, the same way for all:

- the file is checked before it is believed (type, size and encoding; the streaming bounds
  of ``core.uploads``);
- headers are matched in any of the site's languages (the export's, in the page's language,
  and the template's), or by the column's code name (as older exports wrote them), without
  regard to case, Turkish capitals included (``core.text.fold``); a required column that is
  missing refuses the file;
- every row is checked and every error names the row and the column as the file calls it;
- a dry run (the preview) does all the work, writes included, inside a transaction that is
  rolled back, so what it reports is exactly what the import will do;
- a row whose natural key matches an existing object updates it: importing the same file
  twice never duplicates;
- **all or nothing**: the import writes only when no row has an error, in one transaction.
  A file is never half-imported, so fixing the reported rows and importing again is safe.
  An update changes only the columns the file holds: a column left out of the file keeps
  what users wrote in it. An empty cell is the importer's to read: the organizations' clears
  the field (the export writes every field), the calls' keeps it (the portal leaves out what
  it does not know).
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from .models import PendingImport
from .registry import importers
from .text import capfirst, fold
from .uploads import ImportFileError, read_table
from .validators import row_text_errors

__all__ = ["Column", "ImportFileError", "ImportReport", "Importer", "RowError", "RowResult", "run_import"]


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str  # the code name: what the export writes and what the importer's code reads
    label: Any  # the header as people know it, translated lazily (the template's header)
    help: Any = ""  # what the column accepts, translated lazily (the template explains it)
    required: bool = False  # a file without this column is refused; an empty cell is a row error
    aliases: tuple[str, ...] = ()  # other headers that mean this column (a source's own names)
    codes: Callable[[], Iterable[tuple[str, str]]] | None = None  # (code, meaning) accepted
    in_template: bool = True
    multiline: bool = False  # may hold line breaks
    # A model's TextChoices: the cell holds a code, or its label in any language, in any case
    # (turned into the code).
    choices: type | None = None

    def __post_init__(self):
        if self.choices is not None and self.codes is None:
            object.__setattr__(self, "codes", lambda: [(v, str(label)) for v, label in self.choices.choices if v])

    def choice_lookup(self) -> dict[str, str]:
        """Every code and label of ``choices``, folded (``core.text.fold``), in every language -> the code."""
        lookup: dict[str, str] = {}
        for value, label in self.choices.choices:
            if not value:
                continue
            lookup[fold(value)] = value
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    lookup.setdefault(fold(label), value)
        return lookup

    def title(self) -> str:
        """The header in the current language, as the template writes it."""
        return capfirst(str(self.label))

    def headers(self) -> set[str]:
        """Every header that names this column: its key, aliases and label in each language."""
        names = {self.key, *self.aliases}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(str(self.label))
        return {fold(name) for name in names if name}


@dataclass
class RowError:
    row: int
    column: str  # as the file names it; the column's label where the file lacks it
    message: str


@dataclass
class RowResult:
    row: int
    key: str  # the natural key, as shown to the user
    action: str = ""  # CREATE, UPDATE or UNCHANGED; empty when the row is refused
    notes: list[str] = field(default_factory=list)

    @property
    def identifier(self) -> str:  # the calls' name for their key
        return self.key


CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def refused(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedRow:
    """What an importer's ``parse`` makes of one row."""

    data: dict  # ready for the app's service
    errors: dict[str, str] = field(default_factory=dict)  # {column key or model field: message}
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # anything else the importer's save needs


class Importer:
    """The declaration an app makes; override ``parse``, ``natural_key``, ``find``, ``create``, ``update``."""

    name: str = ""  # file name of the template: "<name>-template.xlsx"
    permission: str = ""  # who may import (the app's rules)
    columns: tuple[Column, ...] = ()
    formats: tuple[str, ...] = (".csv", ".xlsx")
    max_rows: int = 1000
    unknown_columns: str = "refuse"  # or "ignore" (listed in the report)
    key_column: str = ""  # the column a duplicate natural key is reported in
    key_label: Any = ""  # heads the preview's column of natural keys
    field_columns: dict[str, str] = {}  # a service's error field -> the column that holds it

    # --- reading -------------------------------------------------------------------------------

    def read_records(self, name: str, content: bytes) -> list[tuple[int, dict]]:
        """(row number, {header as written: value}); CSV and XLSX here, importers may add formats."""
        headers, rows = read_table(name, content, max_rows=self.max_rows)
        return [
            (number, {header: value for header, value in zip(headers, cells, strict=False) if header.strip()})
            for number, cells in rows
        ]

    def clean_value(self, key: str, value):
        """A raw cell made plain: text stripped (importers may split lists here)."""
        return "" if value is None else str(value).strip()

    # --- understanding and saving ----------------------------------------------------------------

    def prepare(self) -> Any:
        """Look-ups shared by every row (territories, programmes), built once per import."""
        return None

    def parse(self, values: dict, context, present: set[str]) -> ParsedRow:
        """One row's values ({column key: value}; only the ``present`` columns) made ready."""
        raise NotImplementedError

    def natural_key(self, parsed: ParsedRow) -> str:
        """What says two rows are the same object; empty: the row always creates."""
        return ""

    def describe(self, parsed: ParsedRow, key: str) -> str:
        """How the preview names the row's object (its natural key unless said otherwise)."""
        return key

    def find(self, parsed: ParsedRow, context):
        """The object this row's natural key names, or None (called only when there is a key)."""
        return None

    def unchanged(self, existing, parsed: ParsedRow) -> bool:
        return False

    def create(self, parsed: ParsedRow, *, by, context):
        raise NotImplementedError

    def update(self, existing, parsed: ParsedRow, *, by, context):
        raise NotImplementedError

    def check_columns(self, present: set[str]) -> None:
        """Refuse a file that lacks a required column (ImportFileError), naming it as people know it."""
        missing = [c.title() for c in self.columns if c.required and c.key not in present]
        if missing:
            raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})

    def duplicate_message(self, row: int) -> str:
        return _("Same key as row %(row)s.") % {"row": row}

    def duplicate_error(self, parsed: ParsedRow, row: int) -> tuple[str, str]:
        """(column, message) for a row whose natural key an earlier ``row`` of the file has;
        an importer with several kinds of key names the one the row has."""
        return self.key_column, self.duplicate_message(row)

    def forbidden_message(self) -> str:
        """Said of a row whose object the person may not change (its service refused)."""
        return _("You may not change this entry.")

    # --- the template -------------------------------------------------------------------------------

    def template_columns(self) -> list[Column]:
        return [column for column in self.columns if column.in_template]


def _header_map(importer: Importer) -> dict[str, Column]:
    mapping: dict[str, Column] = {}
    for column in importer.columns:
        for header in column.headers():
            mapping.setdefault(header, column)
    return mapping


def _read(importer: Importer, name: str, content: bytes):
    """The records keyed by column key, which header named each column, and the ignored headers."""
    if not name.lower().endswith(importer.formats):
        raise ImportFileError(
            _("Upload a file of one of these types: %(types)s.") % {"types": ", ".join(importer.formats)}
        )
    raw = importer.read_records(name, content)
    mapping = _header_map(importer)
    written_as: dict[str, str] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    records = []
    for number, row in raw:
        values = {}
        for header, value in row.items():
            column = mapping.get(fold(header or ""))
            if column is None:
                if str(header or "").strip() and header not in unknown:
                    unknown.append(str(header))
                continue
            written_as.setdefault(column.key, str(header).strip())
            value = importer.clean_value(column.key, value)
            if value not in ("", [], None) or column.key not in values:
                values[column.key] = value
        if any(value not in ("", []) for value in values.values()):
            records.append((number, values))
    if not records:
        # Before the columns: a blank template's headers are read with its rows.
        raise ImportFileError(_("The file holds no rows below the headers."))
    refused_unknown = _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)} if unknown else ""
    try:
        importer.check_columns(set(written_as))
    except ImportFileError as error:
        # The unknown header is often the missing column misspelt: say both.
        if refused_unknown and importer.unknown_columns == "refuse":
            raise ImportFileError(f"{error} {refused_unknown}") from None
        raise
    if unknown:
        if importer.unknown_columns == "refuse":
            raise ImportFileError(refused_unknown)
        ignored = sorted(unknown)
    return records, written_as, ignored


def run_import(importer: Importer, *, by, name: str, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row and, unless a dry run and only if no row failed, write them all at once.

    Refuses (PermissionDenied) a person without the importer's permission; a file that cannot be
    read raises ImportFileError with the reason in the user's language.
    """
    if not by.has_perm(importer.permission):
        raise PermissionDenied
    records, written_as, ignored = _read(importer, name, content)
    columns = {column.key: column for column in importer.columns}

    def column_name(key: str) -> str:
        key = importer.field_columns.get(key, key)
        if key in written_as:
            return written_as[key]
        if key in columns:
            return columns[key].title()
        return "" if key == NON_FIELD_ERRORS else key

    report = ImportReport(ignored_columns=ignored)
    context = importer.prepare()
    multiline = {column.key for column in importer.columns if column.multiline}
    choices = {column.key: column.choice_lookup() for column in importer.columns if column.choices is not None}
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, values in records:
            result = RowResult(row=number, key="")
            report.rows.append(result)
            errors = row_text_errors(values, multiline=multiline)
            if errors:
                # Nothing else is read from a row that holds refused characters.
                report.errors += [RowError(number, column_name(k), m) for k, m in errors.items()]
                continue
            unknown_choices = {}
            for key, lookup in choices.items():
                value = values.get(key)
                if isinstance(value, str) and value:
                    if fold(value) in lookup:
                        values[key] = lookup[fold(value)]
                    else:
                        unknown_choices[key] = _("Unknown value %(value)s: use a code from the Codes sheet.") % {
                            "value": value
                        }
            parsed = importer.parse(values, context, set(written_as))
            parsed.errors |= unknown_choices
            for column in importer.columns:
                if column.required and column.key in written_as and values.get(column.key) in ("", [], None):
                    parsed.errors.setdefault(column.key, _("This field is required."))
            result.notes = parsed.notes
            key = importer.natural_key(parsed)
            result.key = importer.describe(parsed, key)
            if parsed.errors:
                report.errors += [RowError(number, column_name(k), m) for k, m in parsed.errors.items()]
                continue
            if key:
                if key.casefold() in seen:
                    column, message = importer.duplicate_error(parsed, seen[key.casefold()])
                    report.errors.append(RowError(number, column_name(column), message))
                    continue
                seen[key.casefold()] = number
            _save(importer, parsed, key=key, by=by, context=context, result=result, report=report, name=column_name)
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _save(importer, parsed, *, key, by, context, result, report, name):
    existing = importer.find(parsed, context) if key else None
    try:
        with transaction.atomic():
            if existing is None:
                importer.create(parsed, by=by, context=context)
                result.action = CREATE
            elif importer.unchanged(existing, parsed):
                result.action = UNCHANGED
            else:
                importer.update(existing, parsed, by=by, context=context)
                result.action = UPDATE
    except PermissionDenied:
        report.errors.append(RowError(result.row, name(importer.key_column), importer.forbidden_message()))
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {importer.key_column: error.messages}
        for column, texts in messages.items():
            report.errors.append(RowError(result.row, name(column), " ".join(texts)))


# --- the template -------------------------------------------------------------------------------------


def template_csv(importer: Importer) -> str:
    """The header row in the user's language (the codes are in the XLSX template and on the page)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.title() for column in importer.template_columns()])
    return "\ufeff" + buffer.getvalue()  # a BOM, so that spreadsheet programs read UTF-8


def codes_csv(importer: Importer) -> str:
    """Every column's accepted codes, one a line: column, code, meaning."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Column"), _("Code"), _("Meaning")])
    for column in importer.template_columns():
        for code, meaning in column.codes() if column.codes else ():
            writer.writerow([column.title(), _safe(code), _safe(meaning)])
    return "\ufeff" + buffer.getvalue()


def _safe(value) -> str:
    value = str(value)
    # A code list is opened in a spreadsheet: nothing in it may run as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def template_xlsx(importer: Importer) -> bytes:
    """First sheet: the headers (each with a comment saying what it accepts); second: the codes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")[:31]
    bold = Font(bold=True)
    for index, column in enumerate(importer.template_columns(), start=1):
        cell = sheet.cell(row=1, column=index, value=column.title())
        cell.font = bold
        note = str(column.help or "")
        if column.required:
            note = (_("Required.") + " " + note).strip()
        if note:
            cell.comment = Comment(note, "civicbridge")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.title()) + 2)
    codes = workbook.create_sheet(_("Codes")[:31])
    codes.append([_("Column"), _("What it accepts"), _("Code"), _("Meaning")])
    for cell in codes[1]:
        cell.font = bold
    for column in importer.template_columns():
        codes.append([column.title(), _safe(column.help or ""), "", ""])
        for code, meaning in column.codes() if column.codes else ():
            codes.append(["", "", _safe(code), _safe(meaning)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- preview, then confirm --------------------------------------------------------------------------

PENDING_FOR = timedelta(days=1)


def keep_for_confirmation(importer: Importer, *, by, name: str, content: bytes, options: dict) -> PendingImport:
    """Keep a previewed file until its confirmation, so that it is not sent twice.

    One file per person and importer is kept; files older than a day go whenever one is kept.
    """
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    PendingImport.objects.filter(user=by, importer=importer.name).delete()
    return PendingImport.objects.create(user=by, importer=importer.name, file_name=name, content=content, options=options)


def confirm_pending(make_importer: Callable[[dict], Importer], *, by, pending_id) -> ImportReport | None:
    """Import the person's previewed file for real; None when there is none (expired, already done).

    The file is locked and removed in the import's transaction: a double click imports once.
    """
    name = make_importer({}).name
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .filter(pk=pending_id if str(pending_id).isdigit() else None, user=by, importer=name,
                    created_at__gte=timezone.now() - PENDING_FOR)
            .first()
        )
        if pending is None:
            return None
        report = run_import(
            make_importer(pending.options), by=by, name=pending.file_name, content=bytes(pending.content),
            dry_run=False,
        )
        if report.written:
            pending.delete()
    return report


def done_message(report: ImportReport) -> str:
    return _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
    }


def import_page(request, *, make_importer: Callable[[dict], Importer], form_class, template: str,
                options: Callable[[dict], dict] = lambda cleaned: {}, extra_context: dict | None = None):
    """The import page every importer shares: upload and preview (a dry run), then confirm.

    ``make_importer(options)`` builds the importer for the form's options (e.g. publish the
    new calls); the options travel with the kept file to the confirmation. A file sent with
    ``mode=import`` is imported at once (scripts and people who checked it before).
    """
    importer = make_importer({})
    if not request.user.has_perm(importer.permission):
        raise PermissionDenied
    mode = request.POST.get("mode", "check")
    report = pending = None
    form = form_class()
    if request.method == "POST" and mode == "confirm":
        try:
            report = confirm_pending(make_importer, by=request.user, pending_id=request.POST.get("pending", ""))
        except ImportFileError as error:  # the bounds changed since the preview
            messages.error(request, str(error))
            return redirect(request.path)
        if report is None:
            messages.error(request, _("This preview has expired or was already imported; upload the file again."))
            return redirect(request.path)
        if report.written:
            messages.success(request, done_message(report))
            return redirect(request.path)
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            chosen = options(form.cleaned_data)
            content = upload.read()
            try:
                report = run_import(
                    make_importer(chosen), by=request.user, name=upload.name, content=content,
                    dry_run=mode != "import",
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                if report.written:
                    messages.success(request, done_message(report))
                elif report.ok:
                    pending = keep_for_confirmation(
                        importer, by=request.user, name=upload.name, content=content, options=chosen
                    )
    context = {"form": form, "report": report, "pending": pending, "importer": importer,
               "columns": importer.template_columns(), **(extra_context or {})}
    return render(request, template, context)


@login_required
def template_view(request, importer: str, kind: str) -> HttpResponse:
    """The template of any registered importer (``core.registry.importers``)."""
    if importer not in importers:
        raise Http404
    return template_download(request, importers.get(importer)(), kind)


def template_download(request, importer: Importer, kind: str) -> HttpResponse:
    """The template (``csv``, ``xlsx``) or the accepted codes (``codes``), for those who may import."""
    if not request.user.has_perm(importer.permission):
        raise PermissionDenied
    if kind not in ("csv", "xlsx", "codes"):
        raise Http404
    if kind == "xlsx":
        response = HttpResponse(
            template_xlsx(importer), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"{importer.name}-template.xlsx"
    elif kind == "codes":
        response = HttpResponse(codes_csv(importer), content_type="text/csv; charset=utf-8")
        filename = f"{importer.name}-codes.csv"
    else:
        response = HttpResponse(template_csv(importer), content_type="text/csv; charset=utf-8")
        filename = f"{importer.name}-template.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
