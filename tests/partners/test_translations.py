"""The partner search speaks Polish and Turkish: its catalogs translate every message."""

import re
from pathlib import Path

import pytest

import civicbridge.partners

LOCALE = Path(civicbridge.partners.__file__).parent / "locale"


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_every_message_has_a_translation(language):
    catalog = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    blocks = catalog.strip().split("\n\n")[1:]  # the first block is the header

    untranslated = [
        re.search(r'^msgid "(.*)"', block, re.M).group(1) or block
        for block in blocks
        if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M) or "#, fuzzy" in block
    ]

    assert untranslated == []


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_the_compiled_catalog_holds_every_translated_message(language):
    # File times mean nothing in a fresh clone: compare what the .mo file contains instead.
    import gettext

    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    catalog = (folder / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', catalog, re.M)
    stale = [msgid for msgid, text in pairs if "\\" not in msgid + text and translations.gettext(msgid) != text]
    assert stale == []
