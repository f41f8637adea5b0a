"""Import of calls (CSV, XLSX or JSON) on the shared pipeline of ``core.imports``.

Columns take the EU Funding & Tenders portal's (SEDIA) field names, or the template's headers
in any of the site's languages. All rows valid, or nothing is written. A dry run says, row by
row, whether the call would be created, updated or left unchanged, with every error; the real
run repeats the same checks inside one transaction. A call is recognised by its ``identifier``
(the source's reference): importing the same file twice updates, never duplicates.

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
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicbridge.core.imports import Column, Importer, ImportFileError, ParsedRow, run_import
from civicbridge.core.text import capfirst
from civicbridge.core.uploads import json_depth_message, json_too_deep, load_json

from . import services
from .models import Call, Funder, Programme

__all__ = ["CallImporter", "ImportFileError", "import_calls", "stored_status"]

BRUSSELS = ZoneInfo("Europe/Brussels")
DEFAULT_DEADLINE_TIME = time(17, 0)

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


# --- reading ------------------------------------------------------------------------------------


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


# --- the declaration on the pipeline ------------------------------------------------------------------


def _call_label(name: str):
    return capfirst(Call._meta.get_field(name).verbose_name)


def _status_codes():
    return [
        ("31094501", str(Call.Status.FORTHCOMING.label)),
        ("31094502", str(Call.Status.OPEN.label)),
        ("31094503", str(Call.Status.CLOSED.label)),
    ]


def _deadline_models():
    return [(value.replace("_", "-"), str(label)) for value, label in Call.DeadlineModel.choices]


def _programme_codes():
    programmes = Programme.objects.select_related("funder").exclude(code="").order_by("code", "period")
    return [(p.code, f"{p.name} ({p.period}, {p.funder.name})" if p.period else f"{p.name} ({p.funder.name})")
            for p in programmes]


SEE_CODES = gettext_lazy("One of the codes on the Codes sheet.")
SEVERAL = gettext_lazy("Several values are separated by semicolons.")


class CallImporter(Importer):
    """Calls for proposals; ``publish`` publishes the new ones (their alerts go out after commit)."""

    name = "calls"
    permission = "funding.import_calls"
    formats = (".csv", ".xlsx", ".json")
    unknown_columns = "ignore"  # the portal's answer holds many fields this site does not keep
    key_column = "identifier"
    key_label = gettext_lazy("Identifier")
    field_columns = {
        "documents_url": "url", "opens_at": "startDate", "deadline_model": "deadlineModel",
        "programme": "frameworkProgramme", "type_of_action": "typesOfAction",
        "eligible_countries": "eligibleCountries", "deadlines": "deadlineDate", "closes_at": "deadlineDate",
        "total_budget": "budgetOverview", "min_grant": "budgetOverview", "max_grant": "budgetOverview",
        "status_from_source": "status",
    }
    columns = (
        Column("identifier", gettext_lazy("call identifier"),
               gettext_lazy("The source's reference of the call (e.g. ERASMUS-EDU-2027-PI-ALL-INNO): a call "
                            "already registered with it is updated."), required=True),
        Column("callIdentifier", "callIdentifier", in_template=False),
        Column("title", _call_label("title"), required=True),
        Column("callTitle", "callTitle", in_template=False),
        Column("status", _call_label("status_from_source"), SEE_CODES, codes=_status_codes),
        Column("startDate", _call_label("opens_at"),
               gettext_lazy("Date and time, e.g. 2027-01-15T00:00:00+01:00; without a zone, Brussels time.")),
        Column("deadlineDate", gettext_lazy("deadlines"),
               gettext_lazy("Dates as for the opening, separated by semicolons; a day alone means 17:00 Brussels time.")),
        Column("deadlineModel", _call_label("deadline_model"), SEE_CODES, codes=_deadline_models),
        Column("typesOfAction", _call_label("type_of_action"), SEVERAL),
        Column("frameworkProgramme", _call_label("programme"), SEE_CODES, codes=_programme_codes),
        Column("programmePeriod", capfirst(Programme._meta.get_field("period").verbose_name),
               gettext_lazy("Needed only when two programmes share the code, e.g. 2021-2027.")),
        Column("keywords", gettext_lazy("keywords"), SEVERAL),
        Column("budgetOverview", gettext_lazy("budget overview"),
               gettext_lazy("The portal's budgetOverview JSON, as it gives it.")),
        Column("summary", _call_label("summary"), multiline=True),
        Column("url", _call_label("documents_url")),
        Column("currency", _call_label("currency"), gettext_lazy("ISO 4217 code, e.g. EUR; EUR if empty.")),
        Column("eligibleCountries", _call_label("eligible_countries"), gettext_lazy("ISO country codes, separated by semicolons.")),
        Column("languages", _call_label("languages"), gettext_lazy("Language codes, separated by semicolons.")),
    )

    def __init__(self, *, publish: bool = False):
        self.publish = publish

    @property
    def max_rows(self) -> int:
        return settings.CIVICBRIDGE_IMPORT_MAX_CALLS

    def read_records(self, name: str, content: bytes) -> list[tuple[int, dict]]:
        """CSV and XLSX as tables; JSON as a list of objects or the portal's search answer.

        JSON records are numbered from 1, and each string is bounded like a CSV field.
        """
        if not name.lower().endswith(".json"):
            return super().read_records(name, content)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file must be encoded in UTF-8.")) from error
        raw = _json_records(text)
        if len(raw) > self.max_rows:
            raise ImportFileError(_("At most %(count)s calls can be imported at once.") % {"count": self.max_rows})
        known = {header for column in self.columns for header in column.headers()}
        for number, record in enumerate(raw, start=1):
            for key, value in record.items():
                if str(key).strip().casefold() in known:  # fields this site ignores are never read
                    _check_length(_plain(value, as_list=True), number=number, column=str(key))
        return list(enumerate(raw, start=1))

    def clean_value(self, key: str, value):
        return _plain(value, as_list=key in LIST_FIELDS)

    def check_columns(self, present: set[str]) -> None:
        if not present & {"identifier", "callIdentifier"}:
            raise ImportFileError(_("Missing field: identifier."))

    def duplicate_message(self, row: int) -> str:
        return _("Same identifier as row %(row)s.") % {"row": row}

    def forbidden_message(self) -> str:
        return _("You may not change this call.")

    def prepare(self):
        return _Programmes()

    def parse(self, values: dict, context: _Programmes, present: set[str]) -> ParsedRow:
        # An empty cell says nothing (the portal leaves out what it does not know): it keeps the call's value.
        parsed = _parse({k: v for k, v in values.items() if v not in ("", [])}, context, timezone.now())
        return ParsedRow(data=parsed.data, errors=parsed.errors, notes=parsed.notes,
                         extra={"deadlines": parsed.deadlines})

    def natural_key(self, parsed: ParsedRow) -> str:
        return parsed.data.get("identifier", "")

    def find(self, parsed: ParsedRow, context):
        return Call.objects.filter(identifier=parsed.data["identifier"]).prefetch_related("deadlines").first()

    def unchanged(self, call: Call, parsed: ParsedRow) -> bool:
        for name, value in parsed.data.items():
            current = getattr(call, name)
            if isinstance(current, Decimal) and value is not None:
                if current != Decimal(value):
                    return False
            elif (current or "") != (value or ""):
                return False
        if "deadline_model" in parsed.data:
            current = sorted(d.deadline_at for d in call.deadlines.all())
            if current != sorted(parsed.extra["deadlines"]):
                return False
        return True

    def create(self, parsed: ParsedRow, *, by, context):
        deadlines = parsed.extra["deadlines"]
        data = {"currency": "EUR", **parsed.data}
        data.setdefault("deadline_model", _deadline_model("", data["identifier"], len(deadlines)))
        call = services.create_call(by=by, data=data, deadlines=deadlines)
        if self.publish:
            services.publish_call(call=call, by=by)
        return call

    def update(self, call: Call, parsed: ParsedRow, *, by, context):
        deadlines = parsed.extra["deadlines"] if "deadline_model" in parsed.data else None
        return services.update_call(call=call, by=by, data=parsed.data, deadlines=deadlines)


def import_calls(*, by, name: str, content: bytes, dry_run: bool, publish: bool = False):
    """Check every record, then (unless a dry run, and only if none failed) write them all.

    ``publish`` publishes the new calls (the alerts hear of them after commit).
    """
    return run_import(CallImporter(publish=publish), by=by, name=name, content=content, dry_run=dry_run)
