"""The project portfolio speaks Polish and Turkish: its catalogs translate every message."""

import re
from pathlib import Path

import pytest

import civicbridge.projects

LOCALE = Path(civicbridge.projects.__file__).parent / "locale"


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
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', catalog, re.M)
    stale = [
        msgid for context, msgid, text in entries
        if "\\" not in msgid + text
        and (translations.pgettext(context, msgid) if context else translations.gettext(msgid)) != text
    ]
    assert stale == []
    # The statuses (a message context of their own) are in it too.
    assert any(context == "project status" for context, _, _ in entries)


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "heading", "status"), [("pl", "Portfel projektów", "w realizacji"), ("tr", "Proje portföyü", "yürütülüyor")])
def test_the_portfolio_speaks_the_pages_language_with_the_glossarys_terms(client, prefix, heading, status):
    from civicbridge.projects.models import Project
    from tests.projects.factories import ProjectFactory

    ProjectFactory(status=Project.Status.RUNNING)
    html = client.get(f"/{prefix}/projects/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert status in html
