"""Import of calls from CSV or JSON with the EU Funding & Tenders portal's (SEDIA) field names.

All rows valid, or nothing is written. A dry run says, row by row, whether the call
would be created, updated or left unchanged, with every error; the real run repeats
the same checks inside one transaction. A call is recognised by its ``identifier``:
importing the same file twice updates, never duplicates.

Fields (domain-facts.md §4.1): ``identifier`` (or ``callIdentifier``), ``title`` (or
``callTitle``), ``status``, ``startDate``, ``deadlineDate`` (a list in JSON, ``;``-separated
in CSV), ``deadlineModel``, ``typesOfAction``, ``frameworkProgramme``, ``programmePeriod``,
``keywords``, ``budgetOverview`` (the portal's JSON string); and, beyond the portal's,
``summary``, ``url`` (official documents), ``currency``, ``eligibleCountries``, ``languages``.
JSON may be a list of objects or the portal's search answer (``results[].metadata``, every
value wrapped in a list). Other fields are ignored and listed in the report.

Dates: ISO 8601 with an offset, or without one on Brussels time. A bare date, or the
portal's midnight UTC (``2027-03-19T00:00:00.000+0000``, its way of writing a day), means
that day: 00:00 for an opening, 17:00 Brussels time for a deadline (the EU's usual hour,
noted in the report so that it can be checked).

Status codes 31094501/2/3 (forthcoming/open/closed) go to ``status_from_source`` only where
they disagree with the dates: a call closed early stays closed; a passed deadline is not
overruled by a portal status that lags; a status that agrees with the dates is not stored,
so the dates keep deciding as time passes.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core.uploads import (
    ImportFileError,
    json_depth_message,
    json_too_deep,
    load_json,
    read_csv_records,
)
from civicbridge.core.validators import row_text_errors

from . import services
from .models import Call, Funder, Programme

BRUSSELS = ZoneInfo("Europe/Brussels")
DEFAULT_DEADLINE_TIME = time(17, 0)

FIELDS = (
    "identifier", "callIdentifier", "title", "callTitle", "status", "startDate", "deadlineDate",
    "deadlineModel", "typesOfAction", "frameworkProgramme", "programmePeriod", "keywords",
    "budgetOverview", "summary", "url", "currency", "eligibleCountries", "languages",
)
_CANONICAL = {name.lower(): name for name in FIELDS}
LIST_FIELDS = {"deadlineDate", "keywords", "typesOfAction", "eligibleCountries", "languages"}

STATUS_CODES = {
    "31094501": Call.Status.FORTHCOMING, "31094502": Call.Status.OPEN, "31094503": Call.Status.CLOSED,
    "forthcoming": Call.Status.FORTHCOMING, "upcoming": Call.Status.FORTHCOMING,
    "open": Call.Status.OPEN, "closed": Call.Status.CLOSED,
}
DEADLINE_MODELS = {
    "single_stage": Call.DeadlineModel.SINGLE_STAGE, "two_stage": Call.DeadlineModel.TWO_STAGE,
    "multiple_cut_off": Call.DeadlineModel.MULTIPLE_CUT_OFF, "multiple_cutoff": Call.DeadlineModel.MULTIPLE_CUT_OFF,
    "permanent": Call.DeadlineModel.PERMANENT, "continuous": Call.DeadlineModel.PERMANENT,
}
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The portal writes a day as its midnight in UTC.
PORTAL_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)$")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowResult:
    row: int
    identifier: str
    action: str = ""  # "create", "update" or "unchanged"; empty when the row has errors
    notes: list[str] = field(default_factory=list)


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
        return self._count("create")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------------------------


def read_records(name: str, content: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    """The file's records as (row number, {canonical field: value}), and the ignored field names.

    CSV rows are numbered as in the file (the header is row 1); JSON records from 1. Read
    within the bounds of ``core.uploads``: at most ``CIVICBRIDGE_IMPORT_MAX_CALLS`` records,
    JSON nested at most ``CIVICBRIDGE_JSON_MAX_DEPTH`` levels.
    """
    max_calls = settings.CIVICBRIDGE_IMPORT_MAX_CALLS
    if name.lower().endswith(".json"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file must be encoded in UTF-8.")) from error
        raw = _json_records(text)
        if len(raw) > max_calls:
            raise ImportFileError(_("At most %(count)s calls can be imported at once.") % {"count": max_calls})
        numbered = list(enumerate(raw, start=1))
    else:
        _headers, numbered = read_csv_records(content, max_rows=max_calls)
    if not numbered:
        raise ImportFileError(_("The file holds no call."))
    ignored: set[str] = set()
    records = []
    for number, row in numbered:
        record = {}
        for key, value in row.items():
            canonical = _CANONICAL.get(str(key or "").strip().lower())
            if canonical is None:
                if key:
                    ignored.add(str(key))
                continue
            value = _plain(value, as_list=canonical in LIST_FIELDS)
            _check_length(value, number=number, column=canonical)
            if value not in ("", []):
                record[canonical] = value
        if record:
            records.append((number, record))
    if not records:
        raise ImportFileError(_("The file holds no call."))
    if all("identifier" not in r and "callIdentifier" not in r for _, r in records):
        raise ImportFileError(_("Missing field: identifier."))
    return records, sorted(ignored)


def _check_length(value, *, number: int, column: str) -> None:
    # CSV fields are bounded as they are read; JSON strings are bounded here, alike.
    max_chars = settings.CIVICBRIDGE_IMPORT_MAX_FIELD_CHARS
    if any(len(item) > max_chars for item in (value if isinstance(value, list) else [value])):
        raise ImportFileError(
            _("Record %(row)s: %(column)s holds more than %(count)s characters.")
            % {"row": number, "column": column, "count": max_chars}
        )


def _json_records(text: str) -> list[dict]:
    data = load_json(text)
    if isinstance(data, dict):
        data = data.get("results", [data])
    if not isinstance(data, list):
        raise ImportFileError(_("The JSON file must hold a list of calls."))
    records = []
    for item in data:
        if not isinstance(item, dict):
            raise ImportFileError(_("The JSON file must hold a list of calls."))
        if isinstance(item.get("metadata"), dict):
            # The portal's search answer: the fields are under "metadata", the page address beside it.
            record = dict(item["metadata"])
            if item.get("url") and "url" not in record:
                record["url"] = item["url"]
            item = record
        records.append(item)
    return records


def _plain(value, *, as_list: bool):
    """Unwrap the portal's one-element lists; split ';'-separated lists; strip text."""
    if value is None:
        return [] if as_list else ""
    if isinstance(value, list):
        items = [str(v).strip() for v in value if v is not None and str(v).strip()]
        if as_list:
            return items
        return items[0] if len(items) == 1 else "; ".join(items)
    text = str(value).strip()
    if as_list:
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


# --- understanding one record ----------------------------------------------------------------------


class _Programmes:
    def __init__(self):
        self.rows = list(Programme.objects.select_related("funder"))

    @staticmethod
    def key(text: str) -> str:
        return re.sub(r"[^A-Z0-9]", "", text.upper())

    def resolve(self, code: str, period: str, identifier: str) -> Programme:
        """By the frameworkProgramme code or name; failing that, by the identifier's prefix."""
        for candidate in (code, identifier.split("-", 1)[0] if identifier else ""):
            if not candidate:
                continue
            key = self.key(candidate)
            matches = [p for p in self.rows if key and key in (self.key(p.code), self.key(p.name))]
            if len(matches) > 1 and period:
                in_period = [p for p in matches if self.key(p.period) == self.key(period)]
                matches = in_period or matches
            if len(matches) > 1:
                # The EU's own programme before a national agency's programme of the same name.
                eu = [p for p in matches if p.funder.kind == Funder.Kind.EU]
                matches = eu if len(eu) == 1 else matches
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValidationError(
                    _("Several programmes have the code %(code)s; give programmePeriod too.") % {"code": candidate}
                )
        raise ValidationError(
            _("No programme has the code %(code)s; a coordinator adds it first.")
            % {"code": code or (identifier.split("-", 1)[0] if identifier else "")}
        )


def _moment(value: str, *, deadline: bool, notes: list[str]) -> datetime:
    value = value.strip()
    day = None
    if DATE_ONLY.match(value):
        day = date.fromisoformat(value)
    elif match := PORTAL_DAY.match(value):
        day = date.fromisoformat(match.group(1))
    if day is not None:
        if deadline:
            notes.append(
                _("%(day)s has no time: 17:00 Brussels time assumed.") % {"day": day.isoformat()}
            )
        return services.aware_in_zone(
            datetime.combine(day, DEFAULT_DEADLINE_TIME if deadline else time.min), BRUSSELS,
            field="deadlineDate" if deadline else "startDate",
        )
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError as error:
        raise ValidationError(
            _("%(value)s is not a date and time (write 2027-03-19T17:00:00+01:00).") % {"value": value}
        ) from error
    if timezone.is_naive(moment):
        return services.aware_in_zone(moment, BRUSSELS, field="deadlineDate" if deadline else "startDate")
    return moment


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValidationError(_("%(value)s is not an amount.") % {"value": value})
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValidationError(_("%(value)s is not an amount.") % {"value": value}) from error
    if not amount.is_finite():
        raise ValidationError(_("%(value)s is not an amount.") % {"value": value})
    return amount


def _budget(raw: str, identifier: str) -> dict:
    """Total budget and min/max grant of this topic's actions in the portal's budgetOverview."""
    max_depth = settings.CIVICBRIDGE_JSON_MAX_DEPTH
    if json_too_deep(raw, max_depth):
        raise ValidationError(json_depth_message(max_depth))
    try:
        overview = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise ValidationError(_("budgetOverview is not valid JSON.")) from error
    # The portal's shape: {"budgetTopicActionMap": {topic: [{"action", "budgetYearMap", ...}]}};
    # anything else is said to be so, not tripped over.
    malformed = ValidationError(_("budgetOverview does not have the portal's structure."))
    if not isinstance(overview, dict):
        raise malformed
    topics = overview.get("budgetTopicActionMap") or {}
    if not isinstance(topics, dict) or not all(isinstance(group, list | None) for group in topics.values()):
        raise malformed
    actions = [a for group in topics.values() for a in group or ()]
    if not all(isinstance(a, dict) and isinstance(a.get("budgetYearMap") or {}, dict) for a in actions):
        raise malformed
    mine = [a for a in actions if str(a.get("action", "")).upper().startswith(identifier.upper())]
    mine = mine or (actions if len(actions) == 1 else [])
    if not mine:
        return {}
    total = sum(
        (_amount(v) or Decimal(0) for a in mine for v in (a.get("budgetYearMap") or {}).values()), Decimal(0)
    )
    minimums = [m for a in mine if (m := _amount(a.get("minContribution"))) is not None]
    maximums = [m for a in mine if (m := _amount(a.get("maxContribution"))) is not None]
    budget = {}
    if total:
        budget["total_budget"] = total
    if minimums:
        budget["min_grant"] = min(minimums)
    if maximums:
        budget["max_grant"] = max(maximums)
    return budget


def _deadline_model(value: str, identifier: str, count: int) -> str:
    if value:
        key = re.sub(r"[\s-]+", "_", value.strip().lower())
        if key not in DEADLINE_MODELS:
            raise ValidationError(
                _("Unknown deadline model %(value)s (single-stage, two-stage, multiple cut-off or permanent).")
                % {"value": value}
            )
        return DEADLINE_MODELS[key]
    if count == 0:
        return Call.DeadlineModel.PERMANENT
    if count == 1:
        return Call.DeadlineModel.SINGLE_STAGE
    if count == 2 and identifier.lower().endswith("two-stage"):
        return Call.DeadlineModel.TWO_STAGE
    return Call.DeadlineModel.MULTIPLE_CUT_OFF


def stored_status(source: str, *, opens_at, closes_at, now) -> str:
    """What goes to ``status_from_source``: only a disagreement the dates cannot settle."""
    by_dates = Call(opens_at=opens_at, closes_at=closes_at).status(now)
    if source == by_dates:
        return ""
    if source == Call.Status.CLOSED:
        return source
    if by_dates == Call.Status.CLOSED:
        return ""
    return source


@dataclass
class _Parsed:
    data: dict
    deadlines: list
    notes: list
    errors: dict


def _parse(record: dict, programmes: _Programmes, now) -> _Parsed:
    errors: dict[str, str] = {}
    notes: list[str] = []
    data: dict = {}
    identifier = record.get("identifier") or record.get("callIdentifier") or ""
    title = record.get("title") or record.get("callTitle") or ""
    if not identifier:
        errors["identifier"] = _("This field is required.")
    if not title:
        errors["title"] = _("This field is required.")
    data.update(identifier=identifier, title=title)

    def attempt(column, parse):
        try:
            return parse()
        except ValidationError as error:
            errors[column] = " ".join(error.messages)
            return None

    data["programme"] = attempt(
        "frameworkProgramme",
        lambda: programmes.resolve(record.get("frameworkProgramme", ""), record.get("programmePeriod", ""), identifier),
    )
    opens_at = None
    if "startDate" in record:
        opens_at = attempt("startDate", lambda: _moment(record["startDate"], deadline=False, notes=notes))
        data["opens_at"] = opens_at
    deadlines = []
    for value in record.get("deadlineDate", []):
        moment = attempt("deadlineDate", lambda v=value: _moment(v, deadline=True, notes=notes))
        if moment is not None:
            deadlines.append(moment)
    if "deadlineModel" in record or "deadlineDate" in record:
        data["deadline_model"] = attempt(
            "deadlineModel", lambda: _deadline_model(record.get("deadlineModel", ""), identifier, len(deadlines))
        )
    if "typesOfAction" in record:
        data["type_of_action"] = ", ".join(record["typesOfAction"])[:200]
    if "budgetOverview" in record:
        data.update(attempt("budgetOverview", lambda: _budget(record["budgetOverview"], identifier)) or {})
    summary = record.get("summary", "")
    if record.get("keywords"):
        # Part of the call's text (and so of its search document), in the source's words.
        summary = (summary + "\n\n" if summary else "") + "*Keywords:* " + ", ".join(record["keywords"])
    if summary:
        data["summary"] = summary
    for column, name in (("url", "documents_url"), ("currency", "currency")):
        if column in record:
            data[name] = record[column]
    for column, name in (("eligibleCountries", "eligible_countries"), ("languages", "languages")):
        if column in record:
            data[name] = ",".join(record[column])
    if "status" in record:
        source = STATUS_CODES.get(record["status"].strip().lower())
        if source is None:
            errors["status"] = _("Unknown status %(value)s (31094501, 31094502 or 31094503).") % {
                "value": record["status"]
            }
        elif "status" not in errors:
            closes_at = max(deadlines) if deadlines else None
            data["status_from_source"] = stored_status(source, opens_at=opens_at, closes_at=closes_at, now=now)
            if data["status_from_source"]:
                notes.append(_("The source's status (%(status)s) overrides the dates.") % {"status": source.label})
    return _Parsed(data=data, deadlines=deadlines, notes=notes, errors=errors)


# --- writing -----------------------------------------------------------------------------------------


def import_calls(*, by, name: str, content: bytes, dry_run: bool, publish: bool = False) -> ImportReport:
    """Check every record, then (unless a dry run, and only if none failed) write them all.

    ``publish`` publishes the new calls (the alerts hear of them after commit).
    """
    if not by.has_perm("funding.import_calls"):
        raise PermissionDenied
    records, ignored = read_records(name, content)
    report = ImportReport(ignored_columns=ignored)
    programmes = _Programmes()
    now = timezone.now()
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, record in records:
            _import_record(number, record, by=by, programmes=programmes, now=now, seen=seen, report=report, publish=publish)
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _import_record(number, record, *, by, programmes, now, seen, report, publish):
    parsed = _parse(record, programmes, now)
    parsed.errors |= row_text_errors(record, multiline={"summary", "budgetOverview"})
    identifier = parsed.data.get("identifier", "")
    result = RowResult(row=number, identifier=identifier, notes=parsed.notes)
    report.rows.append(result)
    for column, message in parsed.errors.items():
        report.errors.append(RowError(number, column, message))
    if parsed.errors:
        return
    if identifier in seen:
        report.errors.append(
            RowError(number, "identifier", _("Same identifier as row %(row)s.") % {"row": seen[identifier]})
        )
        return
    seen[identifier] = number
    existing = Call.objects.filter(identifier=identifier).prefetch_related("deadlines").first()
    try:
        with transaction.atomic():
            if existing is None:
                data = {"currency": "EUR", **parsed.data}
                data.setdefault("deadline_model", _deadline_model("", identifier, len(parsed.deadlines)))
                call = services.create_call(by=by, data=data, deadlines=parsed.deadlines)
                if publish:
                    services.publish_call(call=call, by=by)
                result.action = "create"
            elif _unchanged(existing, parsed):
                result.action = "unchanged"
            else:
                deadlines = parsed.deadlines if "deadline_model" in parsed.data else None
                services.update_call(call=existing, by=by, data=parsed.data, deadlines=deadlines)
                result.action = "update"
    except PermissionDenied:
        report.errors.append(RowError(number, "identifier", _("You may not change this call.")))
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"identifier": error.messages}
        for column, texts in messages.items():
            report.errors.append(RowError(number, column, " ".join(texts)))


def _unchanged(call: Call, parsed: _Parsed) -> bool:
    for name, value in parsed.data.items():
        current = getattr(call, name)
        if isinstance(current, Decimal) and value is not None:
            if current != Decimal(value):
                return False
        elif (current or "") != (value or ""):
            return False
    if "deadline_model" in parsed.data:
        current = sorted(d.deadline_at for d in call.deadlines.all())
        if current != sorted(parsed.deadlines):
            return False
    return True
