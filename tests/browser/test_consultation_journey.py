"""Consultations in the browser: a representative reads a draft and submits a remark on a
section by keyboard alone; after the end the officer answers it and publishes the report,
which lists it. axe-core on every page; the section's page also at a phone's width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicbridge.consultations.models import Consultation, Remark
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in_without_the_form
from tests.consultations.factories import ConsultationFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def consultation_with_people(municipality):
    body = PublicBodyFactory(name="Urząd Marszałkowski (test)", territory=municipality)
    officer = UserFactory(username="urzednik")
    MembershipFactory(user=officer, organization=body)
    ngo = OrganizationFactory(name="Stowarzyszenie Aktywna Nysa", territory=municipality)
    representative = UserFactory(username="przedstawiciel")
    MembershipFactory(user=representative, organization=ngo)
    consultation = ConsultationFactory(issuing_body=body, title="Projekt standardu konsultacji")
    return consultation, officer, representative, ngo


def test_a_remark_by_keyboard_then_its_answer_in_the_report(
    page, new_page, consultation_with_people, screenshot
):
    consultation, officer, representative, ngo = consultation_with_people
    section = consultation.sections.order_by("position")[1]
    log_in_without_the_form(page, representative)

    page.goto("/en/consultations/")
    expect(page.locator("main")).to_contain_text("Projekt standardu konsultacji")
    check_accessibility(page)
    page.get_by_role("link", name="Projekt standardu konsultacji").click()
    expect(page.locator("main")).to_contain_text("open for remarks")
    check_accessibility(page)
    page.get_by_role("link", name=str(section)).click()
    expect(page.locator("main")).to_contain_text(section.text)
    check_accessibility(page)

    # The form is a named region a screen reader lists; it is reached and filled by keyboard only.
    form = page.get_by_role("region", name=f"Your remark on {section}")
    expect(form).to_be_visible()
    page.get_by_role("link", name="Make a remark on this section").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("You speak for")).to_be_focused()
    expect(page.get_by_label("You speak for")).to_have_value(str(ngo.pk))
    page.keyboard.press("Tab")
    page.keyboard.type("§ 2. Organizacje zgłaszają uwagi w terminie 21 dni.")
    page.keyboard.press("Tab")
    page.keyboard.type("Dwa tygodnie to za mało dla małych stowarzyszeń.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit the remark")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Your remark is submitted")
    expect(page.locator("main")).to_contain_text("Dwa tygodnie to za mało")
    check_accessibility(page)
    remark = Remark.objects.get()
    assert (remark.section_id, remark.organization, remark.author) == (
        section.pk,
        ngo,
        representative,
    )

    # On a phone the remarks sit below the text, and nothing is wider than the screen.
    phone = new_page(has_touch=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    log_in_without_the_form(phone, representative)
    phone.goto(section.get_absolute_url())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    text_box = phone.locator(".act-section").bounding_box()
    remarks_box = phone.get_by_role("heading", name="1 remark on this section").bounding_box()
    assert remarks_box["y"] > text_box["y"] + text_box["height"]
    check_accessibility(phone)
    screenshot(phone, "section-on-a-phone")

    # The consultation ends; the officer answers the remark and publishes the report.
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - datetime.timedelta(days=15), ends_at=now - datetime.timedelta(minutes=1)
    )
    officer_page = new_page()
    log_in_without_the_form(officer_page, officer)
    officer_page.goto(f"/en/consultations/{consultation.pk}/answers/")
    expect(officer_page.locator("main")).to_contain_text("1 remark still has no answer")
    check_accessibility(officer_page)
    officer_page.get_by_label("partly accepted").check()
    officer_page.get_by_label("Justification of the answer").fill(
        "Uwzględniono częściowo: termin wydłużono do 18 dni."
    )
    officer_page.get_by_role("button", name="Save this answer").click()
    expect(officer_page.locator("main")).to_contain_text("The answer is saved.")
    check_accessibility(officer_page)
    officer_page.goto(f"/en/consultations/{consultation.pk}/report/publish/")
    check_accessibility(officer_page)
    officer_page.get_by_label("Summary of the report").fill("Wpłynęła jedna uwaga.")
    officer_page.get_by_role("button", name="Publish the report").click()

    expect(officer_page.locator("main")).to_contain_text("The report is published")
    report = officer_page.locator("main")
    expect(report).to_contain_text("Stowarzyszenie Aktywna Nysa")
    expect(report).to_contain_text("Answer: partly accepted")
    expect(report).to_contain_text("termin wydłużono do 18 dni")
    check_accessibility(officer_page)

    # Anyone reads the published report.
    page.goto(f"/en/consultations/{consultation.pk}/report/")
    expect(page.locator("main")).to_contain_text("Answer: partly accepted")
    check_accessibility(page)


def test_every_consultation_page_passes_axe(page, new_page, consultation_with_people):
    from civicbridge.consultations import services

    consultation, officer, representative, ngo = consultation_with_people
    section = consultation.sections.order_by("position").first()
    remark = services.submit_remark(
        by=representative,
        consultation=consultation,
        section=section,
        organization=ngo,
        proposed_wording="Nowe brzmienie.",
        justification="Uzasadnienie.",
    )
    services.edit_remark(
        by=representative, remark=remark, organization=ngo, justification="Druga wersja."
    )
    log_in_without_the_form(page, representative)
    for address in (
        f"/en/consultations/{consultation.pk}/whole-act/",
        f"/en/consultations/{consultation.pk}/remarks/{remark.pk}/",
        "/en/consultations/my-remarks/",
        "/pl/consultations/",
        f"/tr/consultations/{consultation.pk}/sections/{section.pk}/",
    ):
        page.goto(address)
        expect(page.locator("h1")).to_be_visible()
        check_accessibility(page)

    officer_page = new_page()
    log_in_without_the_form(officer_page, officer)
    for address in (
        "/en/consultations/new/",
        "/en/consultations/minimum-durations/",
        f"/en/consultations/{consultation.pk}/edit/",
        f"/en/consultations/{consultation.pk}/sections/",
        f"/en/consultations/{consultation.pk}/sections/{section.pk}/edit/",
        f"/en/consultations/{consultation.pk}/attachments/",
        f"/en/consultations/{consultation.pk}/remarks/{remark.pk}/hide/",
    ):
        officer_page.goto(address)
        expect(officer_page.locator("h1")).to_be_visible()
        check_accessibility(officer_page)
    officer_page.goto(f"/en/consultations/{consultation.pk}/sections/import/")
    officer_page.get_by_label("Text of the draft").fill("§ 1. Pierwszy.\n§ 2. Drugi.")
    officer_page.get_by_role("button", name="Preview the split").click()
    expect(officer_page.locator("main")).to_contain_text("The text splits into 2 sections")
    check_accessibility(officer_page)

    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - datetime.timedelta(days=15), ends_at=now - datetime.timedelta(minutes=1)
    )
    services.answer_remark(by=officer, remark=remark, answer="accepted", justification="Tak.")
    officer_page.goto(f"/en/consultations/{consultation.pk}/adopted-text/")
    officer_page.get_by_label("Adopted text").fill(f"{section.label} Nowe brzmienie.\n§ 9. Dodany.")
    officer_page.get_by_role("button", name="Save and compare").click()
    expect(officer_page.locator("main")).to_contain_text("Adopted text compared with the draft")
    check_accessibility(officer_page)
    for address in (
        f"/en/consultations/{consultation.pk}/remarks/{remark.pk}/answer/",
        f"/en/consultations/{consultation.pk}/report/",
        f"/en/consultations/{consultation.pk}/",
    ):
        officer_page.goto(address)
        expect(officer_page.locator("h1")).to_be_visible()
        check_accessibility(officer_page)


def test_on_a_phone_the_sections_are_big_targets_and_ones_own_remark_keeps_clear_of_its_frame(
    new_page, consultation_with_people, screenshot
):
    from tests.consultations.factories import remark_on

    consultation, _officer, representative, ngo = consultation_with_people
    section = consultation.sections.order_by("position").first()
    remark = remark_on(section, author=representative, organization=ngo, justification="Za krótki termin.")
    phone = new_page(has_touch=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    log_in_without_the_form(phone, representative)

    phone.goto(consultation.get_absolute_url())
    heights = phone.locator(".toc a").evaluate_all("links => links.map((link) => link.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights

    phone.goto(f"{section.get_absolute_url()}#remark-{remark.pk}")
    article = phone.locator(f"#remark-{remark.pk}")
    padding = article.evaluate("element => ['Top', 'Right', 'Bottom', 'Left'].map((side) => parseFloat(getComputedStyle(element)['padding' + side]))")
    assert min(padding) >= 8, padding
    screenshot(phone, "own-remark")
