"""Capital letters as the page's language writes them: Turkish "i" is "İ" and "ı" is "I", in
Django templates, Jinja2 templates and labels capitalised in Python (core/text.py)."""

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy

from civicbridge.core.rows import engine as jinja2_engine
from civicbridge.core.text import capfirst
from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, in_days


@pytest.mark.parametrize(("language", "text", "capitalised"), [
    ("tr", "işletme", "İşletme"),
    ("tr", "ılık", "Ilık"),
    ("az", "iş", "İş"),
    ("pl", "instytucja", "Instytucja"),
    ("en", "ılık", "Ilık"),
    ("en", "iPhone case", "IPhone case"),
])
def test_the_first_letter_is_the_capital_of_the_active_language(language, text, capitalised):
    with translation.override(language):
        assert capfirst(text) == capitalised


def test_a_lazy_label_is_capitalised_in_the_language_active_when_it_is_written():
    label = capfirst(gettext_lazy("business"))

    with translation.override("tr"):
        assert str(label) == "İşletme"
    with translation.override("pl"):
        assert str(label) == "Przedsiębiorstwo"


@pytest.mark.parametrize("draw", [
    lambda value: engines["django"].from_string("{{ value|capfirst }}").render({"value": value}),
    lambda value: jinja2_engine().from_string("{{ value|capfirst }}").render({"value": value}),
], ids=["django", "jinja2"])
def test_both_template_languages_capitalise_in_turkish_and_escape_once(draw):
    with translation.override("tr"):
        assert draw("iki aşamalı <b>") == "İki aşamalı &lt;b&gt;"
    with translation.override("en"):
        assert draw("iki") == "Iki"


@pytest.mark.django_db
def test_a_turkish_business_is_an_isletme_on_the_list_and_its_page(client, municipality):
    business = OrganizationFactory(territory=municipality, kind=Organization.Kind.BUSINESS)

    for url in ("/tr/organizations/", f"/tr/organizations/{business.slug}/"):
        page = client.get(url).content.decode()
        assert "İşletme" in page, url
        assert "Işletme" not in page, url


@pytest.mark.django_db
def test_a_polish_business_keeps_its_capital(client, municipality):
    business = OrganizationFactory(territory=municipality, kind=Organization.Kind.BUSINESS)

    assert "Przedsiębiorstwo" in client.get(f"/pl/organizations/{business.slug}/").content.decode()


@pytest.mark.django_db
def test_a_turkish_call_page_writes_its_two_stage_deadline_model_with_a_dotted_capital(client):
    call = CallFactory(deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=[in_days(10), in_days(40)])

    with translation.override("tr"):
        page = client.get(call.get_absolute_url()).content.decode()
    with translation.override("en"):
        english = client.get(call.get_absolute_url()).content.decode()

    assert "<dd>İki aşamalı</dd>" in page
    assert "<dd>Two-stage</dd>" in english


@pytest.mark.parametrize(("typed", "label"), [
    ("İŞLETME", "işletme"),
    ("İşletme", "işletme"),
    ("IŞIK", "ışık"),
    ("HUKUKİ YAPI", "Hukuki yapı"),
    ("ORGANIZACJA  POZARZĄDOWA ", "organizacja pozarządowa"),
    ("I\u0307ZNIK", "İznik"),  # the dot written as a combining character
])
def test_folded_text_matches_whichever_languages_capitals_were_typed(typed, label):
    from civicbridge.core.text import fold

    for language in ("en", "pl", "tr"):
        with translation.override(language):
            assert fold(typed) == fold(label)


def test_folding_keeps_different_words_apart():
    from civicbridge.core.text import fold

    assert fold("dernek") != fold("derneği")
    assert fold("Łąka") != fold("Laka")
