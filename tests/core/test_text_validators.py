"""The one rule for typed text: what a single-line and a multi-line field may hold."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civicbridge.core.validators import (
    clean_text,
    first_unsafe_character,
    row_text_errors,
    validate_multiline_text,
    validate_single_line_text,
)

REFUSED_EVERYWHERE = [
    "\x00", "\x01", "\x02", "\x03", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f",  # C0
    "\x7f",  # DEL
    "\x80", "\x85", "\x9b", "\x9f",  # C1
    "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff",  # noncharacters
    "\ud800", "\udfff",  # surrogates
]
LINE_BREAKS = ["\n", "\r", "\r\n", "\t", "\u2028", "\u2029"]
ORDINARY = [
    "Stowarzyszenie „Nasza Gmina” – Łódź",
    "Türkiye Cumhuriyeti Orhangazi Kaymakamlığı",
    "جمعية الخير",  # right-to-left
    "e\u0301cole",  # combining mark
    "👩‍👩‍👧 family",  # zero-width joiner (Cf) inside an emoji
    "a\u200fb\u202ec",  # directional marks (Cf)
    "\ue000 private use",  # Co
    "a\u00a0b",  # no-break space
]


@pytest.mark.parametrize("character", REFUSED_EVERYWHERE)
def test_control_characters_surrogates_and_noncharacters_are_refused_in_any_field(character):
    for validator in (validate_single_line_text, validate_multiline_text):
        with pytest.raises(ValidationError) as raised:
            validator(f"Fundacja{character}Nowa")
        assert raised.value.code == "unsafe_character"


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_single_line_field_refuses_a_line_break_or_tab(line_break):
    with pytest.raises(ValidationError) as raised:
        validate_single_line_text(f"Grants{line_break}for schools")

    assert raised.value.code == "line_break"


@pytest.mark.parametrize("line_break", LINE_BREAKS)
def test_a_multi_line_field_keeps_line_breaks_and_tabs(line_break):
    validate_multiline_text(f"First paragraph.{line_break}Second paragraph.")


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_of_every_script_passes_both_validators(text):
    validate_single_line_text(text)
    validate_multiline_text(text)


def test_the_message_names_the_character_and_its_position():
    with pytest.raises(ValidationError) as raised:
        validate_multiline_text("abc\x07def")

    assert raised.value.messages == [
        "This text contains an invisible control character (U+0007) at position 4. Remove it and try again."
    ]


@pytest.mark.parametrize(
    ("language", "control", "line_break"),
    [
        ("pl", "niewidoczny znak sterujący (U+0007) na pozycji 2", "Usuń znak nowej linii lub tabulator na pozycji 2"),
        ("tr", "görünmeyen bir kontrol karakteri (U+0007) var", "2. konumdaki satır sonunu veya sekmeyi kaldırın"),
    ],
)
def test_the_messages_are_translated(language, control, line_break):
    with translation.override(language):
        with pytest.raises(ValidationError) as first:
            validate_multiline_text("a\x07")
        with pytest.raises(ValidationError) as second:
            validate_single_line_text("a\nb")

        assert control in first.value.messages[0]
        assert line_break in second.value.messages[0]


def test_first_unsafe_character_answers_none_for_clean_text():
    assert first_unsafe_character("Nysa\n", multiline=True) is None
    assert first_unsafe_character("Nysa\n", multiline=False) == (5, "\n")


def test_cleaning_removes_control_characters_and_joins_the_lines_of_single_line_text():
    assert clean_text("Gra\x00nty\x1b dla\x85 szkół\uffff", multiline=True) == "Granty dla szkół"
    assert clean_text("Granty\r\n\tdla\nszkół", multiline=False) == "Granty dla szkół"
    assert clean_text("Akapit\r\n\nDrugi\tz tabulatorem", multiline=True) == "Akapit\r\n\nDrugi\tz tabulatorem"


@pytest.mark.parametrize("text", ORDINARY)
def test_cleaning_leaves_ordinary_text_as_it_is(text):
    assert clean_text(text, multiline=False) == text


def test_an_import_row_gets_a_message_per_column_that_holds_a_refused_character():
    errors = row_text_errors(
        {"name": "Fundacja\nNowa", "description": "Line one\nline two", "keywords": ["ok", "bad\x00"], "phone": "77"},
        multiline={"description"},
    )

    assert set(errors) == {"name", "keywords"}
