"""Every catalog of every app speaks Polish and Turkish: no message left untranslated or fuzzy,
and the compiled catalog (what the site reads) holds what the .po file says."""

import gettext
import re
from pathlib import Path

import pytest

import civicbridge

CATALOGS = sorted(Path(civicbridge.__file__).parent.glob("**/locale/*/LC_MESSAGES/django.po"))
ENTRY = re.compile(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', re.M)


def _name(path: Path) -> str:
    return str(path.relative_to(Path(civicbridge.__file__).parent))


def test_every_app_with_messages_has_both_catalogs():
    apps = {path.parents[3] for path in CATALOGS}
    assert {path.parents[1].name for path in CATALOGS} == {"pl", "tr"}
    for app in apps:
        assert {path.parents[1].name for path in CATALOGS if path.parents[3] == app} == {"pl", "tr"}, app
    assert {app.name for app in apps} >= {"civicbridge", "funding", "partners", "projects", "events", "support", "kpis"}


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_every_message_has_a_translation(path):
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")[1:]  # the first block is the header

    untranslated = [
        re.search(r'^msgid "(.*)"', block, re.M).group(1) or block
        for block in blocks
        if not block.lstrip().startswith("#~")
        and (re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M) or "#, fuzzy" in block)
    ]

    assert untranslated == []


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_the_compiled_catalog_holds_every_translated_message(path):
    # File times mean nothing in a fresh clone: compare what the .mo file contains instead.
    with path.with_suffix(".mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    def read(context, msgid):
        return translations.pgettext(context, msgid) if context else translations.gettext(msgid)

    entries = ENTRY.findall(path.read_text(encoding="utf-8"))
    stale = [msgid for context, msgid, text in entries if "\\" not in msgid + text and read(context, msgid) != text]

    assert entries and stale == []


ROW_TEMPLATES = sorted(Path(civicbridge.__file__).parent.glob("*/jinja2/**/*.html"))


@pytest.mark.parametrize("path", ROW_TEMPLATES, ids=_name)
@pytest.mark.parametrize("language", ["pl", "tr"])
def test_every_message_of_a_jinja2_template_is_translated(path, language):
    # Django's own makemessages misses ``_("…", name=…)`` in a Jinja2 template; the project's
    # (core/management/commands/makemessages.py) reads them with Jinja2, and they must be in
    # the catalogs the site reads.
    from django.utils.translation import trans_real

    from civicbridge.core.rows import engine

    catalog = trans_real.translation(language)._catalog
    found = [
        (function, message[0] if isinstance(message, tuple) else message)  # named values follow as None
        for _line, function, message in engine().env.extract_translations(path.read_text("utf-8"))
    ]
    # A plural message is kept under (singular, form) in Django's catalog.
    missing = [
        message for function, message in found
        if catalog.get((message, 0) if function == "ngettext" else message) in (None, "")
    ]

    assert missing == []


def test_makemessages_hands_xgettext_the_messages_with_named_values():
    from civicbridge.core.management.commands.makemessages import jinja2_messages

    source = '<p>\n{{ _("since %(year)s", year=organization.founding_year) }} {{ _("verified") }}\n</p>'

    assert jinja2_messages(source).split("\n") == ["", "gettext('since %(year)s'); gettext('verified')", ""]


# The glossary (one term per idea): the funder is "instytucja finansująca" and "hibe veren kurum";
# words a catalog once used for it instead.
SUPERSEDED_FUNDER_TERMS = {"pl": ["grantodawc", "fundator", "sponsor"], "tr": ["fon sağlayan", "fon veren", "finansör"]}


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_every_catalog_names_the_funder_by_the_glossarys_term(path):
    words = SUPERSEDED_FUNDER_TERMS[path.parents[1].name]
    texts = [text.lower() for _context, _msgid, text in ENTRY.findall(path.read_text(encoding="utf-8"))]

    assert [text for text in texts if any(word in text for word in words)] == []


@pytest.mark.parametrize(("language", "term"), [("pl", "instytucja finansująca"), ("tr", "hibe veren kurum")])
def test_the_funding_institution_kind_of_organization_is_the_glossarys_funder(language, term):
    from django.utils import translation

    from civicbridge.directory.models import Organization
    from civicbridge.funding.models import Funder

    with translation.override(language):
        assert str(Organization.Kind.FUNDER.label) == term
        assert str(Funder._meta.verbose_name) == term


@pytest.mark.parametrize("path", [path for path in CATALOGS if path.parents[1].name == "pl"], ids=_name)
def test_every_polish_catalog_calls_the_digest_zestawienie(path):
    # The frequency an alert offers and the e-mail that comes at it are one thing by one name.
    with path.with_suffix(".mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog
    digests = [text.lower() for key, text in messages.items() if "digest" in (key[0] if isinstance(key, tuple) else key)]

    assert [text for text in digests if "zestawieni" not in text or "podsumowani" in text] == []


POLISH_PLURALS = "nplurals=3; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : 2);"


@pytest.mark.parametrize("path", [path for path in CATALOGS if path.parents[1].name == "pl"], ids=_name)
def test_every_polish_catalog_has_the_three_plural_forms_of_polish(path):
    """One for 1, one for 2-4 (not 12-14), one for the rest: each app's catalog alike, so that
    a count reads the same whichever app's message writes it."""
    with path.with_suffix(".mo").open("rb") as compiled:
        header = gettext.GNUTranslations(compiled).info()
    text = path.read_text(encoding="utf-8")
    forms = [len(re.findall(r"^msgstr\[\d\]", block, re.M)) for block in text.split("\n\n") if "msgid_plural" in block]

    assert header["plural-forms"] == POLISH_PLURALS
    assert set(forms) <= {3}
