"""A draft act's text split into sections, and the text read from a DOCX or ODT file.

Acts are divided by markers at the start of a line: "§ 1", "Art. 1", "Artykuł 1",
"Article 1", "Madde 1" (Turkish acts often write "MADDE 1 –"), and chapter headings
("Rozdział 1", "Chapter II", "Bölüm 3", "Dział I"). The marker becomes the section's
number, the rest of its line the start of its text (a chapter's: its heading). A text
with no marker is split by its paragraphs (blank lines).

Nothing is lost or moved: the characters of the sections other than white space, read in
order (number, heading, text), are those of the text (a property test holds ``split_text`` to it).

Files are read within bounds: a DOCX or ODT is a zip, whose members may unpack to far more
than the upload; each member read is size-checked first, and the XML parser of an ODT
resolves no entities, loads no DTD and opens no network connection.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from civicbridge.core.validators import clean_text

ARTICLE = re.compile(
    r"^\s*(?P<marker>(?:§|Art\.|Artykuł|Article|Madde)\s*\d+[a-zA-Z]?\.?)(?=\s|$|[-–—:)])",
    re.IGNORECASE,
)
CHAPTER = re.compile(
    r"^\s*(?P<marker>(?:Rozdział|Dział|Chapter|Part|Bölüm|Kısım)\s+(?:[IVXLCDM]+|\d+)\.?)(?=\s|$|[-–—:])",
    re.IGNORECASE,
)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
MAX_HEADING = 300
MAX_LABEL = 60


@dataclass(frozen=True)
class ParsedSection:
    label: str
    heading: str
    text: str

    def words(self) -> list[str]:
        return f"{self.label} {self.heading} {self.text}".split()


class DraftFileError(Exception):
    """The file cannot be read as a draft; the message says why, in the user's language."""


def max_sections() -> int:
    return getattr(settings, "CIVICBRIDGE_CONSULTATION_MAX_SECTIONS", 2000)


def _marker(line: str) -> tuple[str, str, bool] | None:
    """(the marker, the rest of the line, whether it is a chapter) or None."""
    for pattern, chapter in ((CHAPTER, True), (ARTICLE, False)):
        match = pattern.match(line)
        if match:
            return match["marker"].strip(), line[match.end() :].strip(), chapter
    return None


def split_text(text: str) -> list[ParsedSection]:
    """The sections of ``text``, by the markers of acts, or failing those by paragraphs."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not any(_marker(line) for line in lines):
        return [
            ParsedSection("", "", part.strip())
            for part in PARAGRAPH_BREAK.split(text)
            if part.strip()
        ]
    sections: list[ParsedSection] = []
    label, heading, body, chapter = "", "", [], False
    started = False

    def close():
        content = "\n".join(body).strip()
        if started or content:
            sections.append(ParsedSection(label, heading, content))

    for line in lines:
        found = _marker(line)
        if found:
            close()
            started = True
            label, rest, chapter = found
            heading, body = "", []
            if chapter and len(rest) <= MAX_HEADING:
                heading = rest
            elif rest:
                body.append(rest)
            continue
        if (
            chapter
            and started
            and not heading
            and not body
            and line.strip()
            and len(line.strip()) <= MAX_HEADING
        ):
            # "Rozdział 1" alone on its line: the next line is its title.
            heading = line.strip()
            continue
        body.append(line.rstrip())
    close()
    return _without_empty_preamble(sections)


def _without_empty_preamble(sections: list[ParsedSection]) -> list[ParsedSection]:
    return [section for section in sections if section.label or section.heading or section.text]


# --- files ------------------------------------------------------------------------------------


def max_file_bytes() -> int:
    return getattr(settings, "CIVICBRIDGE_CONSULTATION_DRAFT_MAX_BYTES", 10 * 1024 * 1024)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    limit = max_file_bytes() * 5
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise DraftFileError(_("The file is damaged or not a document of this kind.")) from error
    if info.file_size > limit:
        raise DraftFileError(
            _("The document unpacks to more than %(size)s.") % {"size": filesizeformat(limit)}
        )
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise DraftFileError(
            _("The document unpacks to more than %(size)s.") % {"size": filesizeformat(limit)}
        )
    return data


def _archive(content: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as error:
        raise DraftFileError(_("The file is damaged or not a document of this kind.")) from error


def docx_text(content: bytes) -> str:
    """The paragraphs (and table cells) of a DOCX, in the document's order, one per line."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    archive = _archive(content)
    for info in archive.infolist():
        _member(archive, info.filename)  # each member within the bound before python-docx reads any
    try:
        document = Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises many kinds for a file that is not a DOCX
        raise DraftFileError(_("The file is damaged or not a document of this kind.")) from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
            lines.append("")
    return clean_text("\n".join(lines), multiline=True)


ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _odf_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.split("}")[-1] if isinstance(child.tag, str) else ""
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{ODF_TEXT}}}c", "1") or 1))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag in ("note", "annotation"):
            pass
        else:
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def odt_text(content: bytes) -> str:
    """The headings and paragraphs of an ODT's content.xml, in order, one per line."""
    from lxml import etree

    archive = _archive(content)
    xml = _member(archive, "content.xml")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as error:
        raise DraftFileError(_("The file is damaged or not a document of this kind.")) from error
    lines: list[str] = []
    for element in root.iter(f"{{{ODF_TEXT}}}h", f"{{{ODF_TEXT}}}p"):
        # A paragraph inside another (in a frame or a note) is read with its parent's text.
        if element.getparent() is not None and element.getparent().tag in (
            f"{{{ODF_TEXT}}}p",
            f"{{{ODF_TEXT}}}h",
        ):
            continue
        lines += [_odf_text(element), ""]
    return clean_text("\n".join(lines), multiline=True)


def file_text(name: str, content: bytes) -> str:
    """The text of an uploaded draft (DOCX, ODT, or plain text)."""
    if len(content) > max_file_bytes():
        raise DraftFileError(
            _("The file is too large (at most %(size)s).")
            % {"size": filesizeformat(max_file_bytes())}
        )
    lower = (name or "").lower()
    if lower.endswith(".docx"):
        return docx_text(content)
    if lower.endswith(".odt"):
        return odt_text(content)
    if lower.endswith(".txt"):
        try:
            return clean_text(content.decode("utf-8-sig"), multiline=True)
        except UnicodeDecodeError as error:
            raise DraftFileError(_("The text file is not in UTF-8.")) from error
    raise DraftFileError(_("Upload a DOCX, ODT or TXT file."))
