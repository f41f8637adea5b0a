"""Splitting a draft into sections, and reading DOCX and ODT files within bounds."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicbridge.consultations.splitting import (
    DraftFileError,
    docx_text,
    file_text,
    odt_text,
    split_text,
)


def characters(text: str) -> str:
    return "".join(text.split())


MARKERS = [
    "§ 1.",
    "§ 2",
    "Art. 3.",
    "Artykuł 4",
    "Article 5",
    "Madde 6 –",
    "MADDE 7",
    "Rozdział I",
    "Chapter 2",
    "Bölüm 3",
    "Dział II",
    "§3a.",
]
LINES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(MARKERS),
    st.builds(
        lambda marker, rest: f"{marker} {rest}", st.sampled_from(MARKERS), st.text(max_size=40)
    ),
    st.just(""),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40).map("\n".join))
def test_splitting_never_loses_or_reorders_text(text):
    sections = split_text(text)
    assert characters("".join(f"{s.label}{s.heading}{s.text}" for s in sections)) == characters(
        text
    )


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_splits_without_error_and_without_loss(text):
    sections = split_text(text)
    assert characters("".join(f"{s.label}{s.heading}{s.text}" for s in sections)) == characters(
        text.replace("\r", "\n")
    )


def test_paragraph_markers_become_section_numbers():
    sections = split_text(
        "Projekt\n\nRozdział 1\nPrzepisy ogólne\n§ 1. Uchwala się program.\n§ 2.\nWykonanie powierza się Zarządowi."
    )
    assert [(s.label, s.heading, s.text) for s in sections] == [
        ("", "", "Projekt"),
        ("Rozdział 1", "Przepisy ogólne", ""),
        ("§ 1.", "", "Uchwala się program."),
        ("§ 2.", "", "Wykonanie powierza się Zarządowi."),
    ]


def test_turkish_and_english_articles():
    assert [s.label for s in split_text("MADDE 1 – Amaç\nMadde 2- Kapsam\nArticle 3 Scope")] == [
        "MADDE 1",
        "Madde 2",
        "Article 3",
    ]


def test_without_markers_the_text_splits_by_paragraphs():
    assert [s.text for s in split_text("Pierwszy akapit\nciąg dalszy.\n\n\nDrugi akapit.")] == [
        "Pierwszy akapit\nciąg dalszy.",
        "Drugi akapit.",
    ]


def test_a_word_starting_like_a_marker_is_not_one():
    assert [s.label for s in split_text("Artystyczne działania\n\nParagraf")] == ["", ""]


def make_docx(paragraphs) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "komórka A"
    table.rows[0].cells[1].text = "komórka B"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(content_xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content_xml)
    return out.getvalue()


ODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:h>Rozdział 1</text:h><text:p>§ 1. Program<text:s text:c="2"/>określa <text:span>cele</text:span>.</text:p>
<text:p>§ 2. Wykonanie.</text:p></office:text></office:body></office:document-content>"""


def test_a_docx_reads_in_order_tables_included():
    text = docx_text(make_docx(["§ 1. Uchwala się program.", "§ 2. Wchodzi w życie."]))
    assert [s.label for s in split_text(text)] == ["§ 1.", "§ 2."]
    assert "komórka A | komórka B" in text


def test_an_odt_reads_headings_paragraphs_and_spaces():
    text = odt_text(make_odt(ODT))
    sections = split_text(text)
    assert [s.label for s in sections] == ["Rozdział 1", "§ 1.", "§ 2."]
    assert "Program  określa cele." in text


def test_an_odt_with_entities_is_not_expanded():
    evil = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><text:p>&e;&a;</text:p></office:document-content>"""
    text = odt_text(make_odt(evil))
    assert "root:" not in text and "aaaaaaaaaa" not in text


def test_a_zip_bomb_is_refused(settings):
    settings.CIVICBRIDGE_CONSULTATION_DRAFT_MAX_BYTES = 10_000
    with pytest.raises(DraftFileError) as refused:
        odt_text(make_odt("<a>" + " " * 60_000 + "</a>"))
    assert "unpacks to more than" in str(refused.value)


def test_a_file_of_another_kind_or_damaged_is_refused():
    with pytest.raises(DraftFileError):
        file_text("draft.pdf", b"%PDF-1.4")
    with pytest.raises(DraftFileError):
        file_text("draft.docx", b"not a zip")
    with pytest.raises(DraftFileError):
        file_text("draft.odt", make_docx(["x"]))  # a zip without content.xml
