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
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").stat().st_mtime >= (
        LOCALE / language / "LC_MESSAGES" / "django.po"
    ).stat().st_mtime - 1
