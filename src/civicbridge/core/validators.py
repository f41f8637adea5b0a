"""Text a person types: what it may hold, and how to clean what is already stored.

One rule for every page, API call and import row (and for every output format as a last
line of defence): no C0 or C1 control character (tab, line feed and carriage return only in
multi-line text), no line break in a single-line field (titles, names, codes), no surrogate
and no Unicode noncharacter. These are the characters that XML (Atom, XLSX), iCalendar,
spreadsheets and PostgreSQL (NUL) refuse, and that Markdown uses for its own placeholders
(STX, ETX); none of them is ever typed on purpose.

A model's ``CharField`` is single-line and its ``TextField`` multi-line: ``attach_to_models``
gives every editable text field of the project's models the matching validator, so model
forms (pages and the admin), model serializers (API) and services' ``full_clean`` (imports)
all refuse such text, each message tied to its field.
"""

import re

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Never allowed: C0 but tab/LF/CR, DEL and C1, surrogates, noncharacters of the first plane.
_ALWAYS_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
# Breaks a line, or (tab) a cell or a calendar property: allowed in multi-line text only.
_LINE_BREAKS = "\t\n\r\u2028\u2029"

_UNSAFE_MULTILINE = re.compile(f"[{_ALWAYS_UNSAFE}]")
_UNSAFE_SINGLE_LINE = re.compile(f"[{_ALWAYS_UNSAFE}{_LINE_BREAKS}]")
_LINE_BREAK_RUNS = re.compile(f"[{_LINE_BREAKS}]+")
# The noncharacters of the other planes (U+1FFFE, U+1FFFF ... U+10FFFF) are looked for
# only in text that has a character beyond the first plane: a class of scattered characters
# that far up is checked one by one, ten times slower, and exports check every cell.
_BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010ffff]")
_OTHER_PLANES_NONCHARACTERS = re.compile(
    "[" + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17)) + "]"
)

# Text the project's people type lives in the project's own apps; Django's and third
# parties' models (sessions, tokens, tasks) hold machine-written values.
PROJECT_PREFIX = "civicbridge."


def first_unsafe_character(text: str, *, multiline: bool) -> tuple[int, str] | None:
    """The position (from 1) and the character of the first one ``text`` may not hold, or None."""
    match = (_UNSAFE_MULTILINE if multiline else _UNSAFE_SINGLE_LINE).search(text)
    if _BEYOND_FIRST_PLANE.search(text):
        far = _OTHER_PLANES_NONCHARACTERS.search(text)
        if far and (match is None or far.start() < match.start()):
            match = far
    return (match.start() + 1, match.group()) if match else None


def clean_text(text: str, *, multiline: bool) -> str:
    """``text`` without the characters it may not hold; line breaks in single-line text become one space."""
    if not multiline:
        text = _LINE_BREAK_RUNS.sub(" ", text)
    text = _UNSAFE_MULTILINE.sub("", text)
    if _BEYOND_FIRST_PLANE.search(text):
        text = _OTHER_PLANES_NONCHARACTERS.sub("", text)
    return text


def is_clean(text: str, *, multiline: bool) -> bool:
    return first_unsafe_character(text, multiline=multiline) is None


@deconstructible(path="civicbridge.core.validators.TextValidator")
class TextValidator:
    """Refuses control characters (and, unless ``multiline``, line breaks and tabs)."""

    code = "unsafe_character"

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = first_unsafe_character(value, multiline=self.multiline)
        if found is None:
            return
        position, character = found
        if character in _LINE_BREAKS:
            raise ValidationError(
                _("This field must be a single line: remove the line break or tab at position %(position)s."),
                code="line_break", params={"position": position},
            )
        raise ValidationError(
            _(
                "This text contains an invisible control character (%(code)s) at position "
                "%(position)s. Remove it and try again."
            ),
            code=self.code, params={"position": position, "code": f"U+{ord(character):04X}"},
        )

    @property
    def pattern(self) -> str:
        """The rule as a regular expression for the OpenAPI document (ECMA escapes).

        Without the noncharacters beyond the first plane, which a character class cannot
        name portably: the document says slightly less than the validator refuses.
        """
        refused = _ALWAYS_UNSAFE if self.multiline else _ALWAYS_UNSAFE + _LINE_BREAKS
        escaped = "".join(char if char == "-" else f"\\u{ord(char):04x}" for char in refused)
        return f"^[^{escaped}]*$"

    def __eq__(self, other):
        return isinstance(other, TextValidator) and other.multiline == self.multiline

    def __hash__(self):
        return hash((TextValidator, self.multiline))


validate_single_line_text = TextValidator(multiline=False)
validate_multiline_text = TextValidator(multiline=True)


def text_validator_for(field) -> TextValidator:
    """The validator for a model field: ``TextField`` is multi-line, every ``CharField`` single-line."""
    return validate_multiline_text if isinstance(field, models.TextField) else validate_single_line_text


def text_fields(model) -> list:
    """The editable text fields of ``model`` (also of a migration's historical model)."""
    return [
        field for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and field.editable
    ]


def project_models(apps=global_apps) -> list:
    return [model for model in apps.get_models() if model.__module__.startswith(PROJECT_PREFIX)]


def attach_to_models() -> None:
    """Give every editable text field of the project's models its text validator (at start-up).

    Added to the field's validators list, as Django adds a ``CharField``'s maximum length,
    rather than declared field by field: no field can be forgotten, and no migration follows
    (validators that are not declared are not part of a field's definition).
    """
    for model in project_models():
        for field in text_fields(model):
            validator = text_validator_for(field)
            if validator not in field.validators:
                field.validators.append(validator)


def row_text_errors(row: dict[str, str], *, multiline: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """For an import row: ``{column: message}`` for every value that holds a refused character.

    Columns in ``multiline`` may hold line breaks. Checked before a row's values reach a
    query: PostgreSQL refuses a NUL even in a lookup.
    """
    errors = {}
    for column, value in row.items():
        validator = TextValidator(multiline=column in multiline)
        # A column may hold a list of texts (a JSON import's keywords, deadlines).
        for text in value if isinstance(value, list | tuple) else [value]:
            try:
                validator(text)
            except ValidationError as error:
                errors[str(column)] = error.messages[0]
                break
    return errors


def clean_stored_rows(model, *, fields=None, batch_size: int = 1000, dry_run: bool = False) -> int:
    """Remove refused characters from ``model``'s stored text; answer how many rows changed.

    For data migrations (with the historical model) and ``civicbridge clean_stored_text``.
    ``updated_at``, where the model has one, moves with the change so that pages and feeds
    cached per version of an object are rebuilt.
    """
    from django.utils import timezone

    fields = list(fields or text_fields(model))
    if not fields:
        return 0
    names = [field.name for field in fields]
    multiline = {field.name: isinstance(field, models.TextField) for field in fields}
    has_updated_at = any(field.name == "updated_at" for field in model._meta.concrete_fields)
    changed = []
    count = 0
    for row in model._base_manager.only("pk", *names).iterator(chunk_size=batch_size):
        dirty = False
        for name in names:
            value = getattr(row, name)
            if isinstance(value, str):
                cleaned = clean_text(value, multiline=multiline[name])
                if cleaned != value:
                    setattr(row, name, cleaned)
                    dirty = True
        if dirty:
            count += 1
            if not dry_run:
                changed.append(row)
        if len(changed) >= batch_size:
            _save(model, changed, names, has_updated_at, timezone.now())
            changed = []
    if changed:
        _save(model, changed, names, has_updated_at, timezone.now())
    return count


def _save(model, rows, names, has_updated_at, now):
    if has_updated_at:
        for row in rows:
            row.updated_at = now
        names = [*names, "updated_at"]
    model._base_manager.bulk_update(rows, names)


def add_model_errors(errors: dict[str, list], instance: models.Model, **options) -> dict[str, list]:
    """``errors`` with the messages of ``instance``'s own checks (``full_clean(**options)``)
    added by field: a service's checks report the model's beside their own, all at once."""
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors
