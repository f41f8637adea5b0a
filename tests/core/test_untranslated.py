"""No English on Polish or Turkish pages: a page in either language shows no sentence of the
catalogs in its English original where the catalog has a translation (a template that forgot
``translate``, a message built outside the active language)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.funding.factories import CallFactory, in_days
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

TAG = re.compile(r"<[^>]+>")
# Short texts ("E-mail", "API") are the same in several languages; sentences are not.
SHORTEST = 16


def _english_sentences(language: str) -> set[str]:
    catalog = trans_real.translation(language)._catalog
    return {
        msgid for msgid, msgstr in catalog.items()
        if isinstance(msgid, str) and len(msgid) >= SHORTEST and msgstr and msgstr != msgid
        and "%" not in msgid and "{" not in msgid and "\n" not in msgid
    }


def _visible_text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(TAG.sub(" ", body)).split())


@pytest.fixture
def site(municipality, representative, organization):
    from tests.events.factories import EventFactory

    call = CallFactory(deadlines=[in_days(10)])
    request = PartnerRequestFactory(organization=organization)
    event = EventFactory(organizers=[organization], capacity=1)
    return {"organization": organization, "call": call, "request": request, "representative": representative,
            "event": event}


def _pages(site):
    yield "core:home", {}
    yield "core:search", {"q": "stowarzyszenie"}
    yield "core:privacy", {}
    yield "core:accessibility", {}
    yield "core:contact", {}
    yield "directory:organization_list", {}
    yield "directory:plenipotentiary_list", {}
    yield "funding:call_list", {}
    yield "funding:closing_soon", {}
    yield "funding:funder_list", {}
    yield "partners:request_list", {}
    yield "partners:twinning_list", {}
    yield "accounts:login", {}
    yield "accounts:sign_up", {}
    yield "events:event_list", {}
    yield "events:event_calendar", {}
    yield "projects:portfolio", {}
    yield "kpis:dashboard", {}


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_no_page_shows_an_english_sentence_the_catalog_translates(client, site, language):
    sentences = _english_sentences(language)
    found = {}
    with translation.override(language):
        urls = [reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
                for name, query in _pages(site)]
        urls += [site["organization"].get_absolute_url(), site["call"].get_absolute_url(),
                 site["request"].get_absolute_url(), site["event"].get_absolute_url()]
    for url in urls:
        text = _visible_text(client.get(url).content.decode())
        english = sorted(sentence for sentence in sentences if sentence in text)
        if english:
            found[url] = english
    assert not found


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_a_representatives_own_pages_show_no_english_either(client, site, language):
    client.force_login(site["representative"])
    sentences = _english_sentences(language)
    with translation.override(language):
        urls = [reverse("accounts:profile"), reverse("alerts:subscription_list"),
                reverse("directory:organization_edit", kwargs={"slug": site["organization"].slug}),
                reverse("events:event_create"), reverse("support:request_create"), reverse("support:request_list"),
                reverse("events:event_checkin", kwargs={"pk": site["event"].pk}),
                reverse("events:event_registrations", kwargs={"pk": site["event"].pk})]
    found = {}
    for url in urls:
        text = _visible_text(client.get(url).content.decode())
        english = sorted(sentence for sentence in sentences if sentence in text)
        if english:
            found[url] = english
    assert not found


def test_a_menu_with_nothing_chosen_yet_says_so_in_polish(client, site):
    # Django 6.1's own Polish catalog lacks the empty choice's label; the platform's supplies it.
    client.force_login(site["representative"])
    with translation.override("pl"):
        url = reverse("directory:organization_edit", kwargs={"slug": site["organization"].slug})

    text = client.get(url).content.decode()

    assert "- Wybierz opcję -" in text and "Select an option" not in text
