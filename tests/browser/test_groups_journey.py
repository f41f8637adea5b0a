"""Working groups in the browser: a coordinator creates a group and appoints its chair and a
member; the chair adds a document; the member posts in the thread; the library shows a published
standard with its history. axe-core on every page; the group's page at 390 px on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from civicbridge.groups import services
from civicbridge.groups.models import Document, Post, Stage, WorkingGroup
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in_without_the_form
from tests.directory.factories import OrganizationFactory, PublicBodyFactory
from tests.groups.conftest import PDF
from tests.groups.factories import WorkingGroupFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people(municipality):
    body = PublicBodyFactory(
        name="Urząd Marszałkowski Województwa Opolskiego", territory=municipality
    )
    association = OrganizationFactory(name="Stowarzyszenie Aktywni Razem", territory=municipality)
    coordinator = UserFactory(username="koordynator", is_coordinator=True, is_staff=True)
    officer = UserFactory(username="urzednik", first_name="Anna", last_name="Urzędnik")
    activist = UserFactory(username="spolecznik", first_name="Jan", last_name="Społecznik")
    MembershipFactory(user=officer, organization=body)
    MembershipFactory(user=activist, organization=association)
    return coordinator, officer, activist, body


def test_a_group_is_set_up_its_chair_adds_a_document_and_a_member_posts(
    page, new_page, people, screenshot, tmp_path
):
    coordinator, officer, activist, _body = people

    # The coordinator creates the group and appoints the chair, then a member.
    log_in_without_the_form(page, coordinator)
    page.goto("/en/groups/new/")
    check_accessibility(page)
    page.get_by_label("Name").fill("Zespół ds. standardu konsultacji")
    page.get_by_label("Purpose").fill(
        "Projekt **standardu** konsultowania aktów prawa miejscowego."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The working group is created")
    check_accessibility(page)
    page.get_by_label("Person and the organization they sit for").select_option(
        label="Anna Urzędnik – Urząd Marszałkowski Województwa Opolskiego"
    )
    page.get_by_label("Appoint as the chair").check()
    page.get_by_role("button", name="Appoint", exact=True).click()
    expect(page.locator("main")).to_contain_text("Anna Urzędnik is appointed")
    page.get_by_label("Person and the organization they sit for").select_option(
        label="Jan Społecznik – Stowarzyszenie Aktywni Razem"
    )
    page.get_by_role("button", name="Appoint", exact=True).click()
    expect(page.locator("main table")).to_contain_text("appointed the chair")
    check_accessibility(page)
    group = WorkingGroup.objects.get()

    # The chair adds a working document.
    chair_page = new_page()
    log_in_without_the_form(chair_page, officer)
    chair_page.goto(f"/en/groups/{group.pk}/")
    chair_page.get_by_role("link", name="Add a document").click()
    check_accessibility(chair_page)
    upload = tmp_path / "projekt-standardu.pdf"
    upload.write_bytes(PDF)
    chair_page.get_by_label("Title").fill("Projekt standardu – wersja robocza")
    chair_page.get_by_label("File").set_input_files(str(upload))
    chair_page.get_by_role("button", name="Upload").click()
    expect(chair_page.locator("main")).to_contain_text("The document is added")
    expect(chair_page.locator("main")).to_contain_text("Projekt standardu – wersja robocza")
    assert Document.objects.get().versions.count() == 1

    # The chair's other pages: a new meeting, a new standard, taking a draft into consultation.
    chair_page.get_by_role("link", name="New meeting").click()
    expect(chair_page.get_by_role("heading", name="New meeting")).to_be_visible()
    check_accessibility(chair_page)
    chair_page.goto(f"/en/groups/{group.pk}/standards/new/")
    check_accessibility(chair_page)
    chair_page.get_by_label("Title").fill("Standard konsultacji")
    chair_page.get_by_label("Text", exact=True).fill(
        "## § 1\nKonsultacje trwają co najmniej 14 dni."
    )
    chair_page.get_by_role("button", name="Save").click()
    expect(chair_page.locator("main")).to_contain_text("The standard is saved as a draft")
    check_accessibility(chair_page)
    chair_page.get_by_role("link", name="Move to “in consultation”").click()
    check_accessibility(chair_page)
    chair_page.get_by_label("Note").fill("Konsultacje w Biuletynie Informacji Publicznej")
    chair_page.get_by_role("button", name="Record the step").click()
    expect(chair_page.locator("main")).to_contain_text(
        "The standard is now at the stage “in consultation”"
    )

    # A member posts in the thread, by keyboard.
    member_page = new_page()
    log_in_without_the_form(member_page, activist)
    member_page.goto(f"/en/groups/{group.pk}/")
    member_page.get_by_label("Your message").fill("Proponuję **30 dni** na informację zwrotną.")
    member_page.get_by_label("Your message").press("Tab")
    expect(member_page.get_by_role("button", name="Post", exact=True)).to_be_focused()
    member_page.keyboard.press("Enter")
    expect(member_page.locator("#thread + ol")).to_contain_text("Proponuję 30 dni")
    check_accessibility(member_page)
    assert Post.objects.get().member.user == activist

    # A visitor sees the members and the chair, not the thread; on a phone nothing scrolls sideways.
    phone = new_page(has_touch=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"/en/groups/{group.pk}/")
    expect(phone.locator("main")).to_contain_text("Chair: Anna Urzędnik")
    expect(phone.locator("main")).not_to_contain_text("Proponuję")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(phone)
    screenshot(phone, "group-phone")
    phone.goto("/en/groups/")
    expect(phone.locator("main")).to_contain_text("1 member of public administration, 1 of NGOs")
    check_accessibility(phone)


def test_the_library_shows_a_published_standard_with_its_history(page, people):
    coordinator, officer, _activist, body = people
    group = WorkingGroupFactory(name="Zespół ds. partnerstwa")
    services.appoint_member(
        by=coordinator, group=group, user=officer, organization=body, as_chair=True
    )
    standard = services.create_standard(
        by=officer,
        group=group,
        title="Model partnerstwa międzysektorowego",
        summary="Zasady partnerstwa",
        text="## Umowa\nPartnerzy zawierają umowę.",
    )
    services.add_standard_version(
        by=officer,
        standard=standard,
        text="## Umowa\nPartnerzy zawierają **umowę partnerską**.",
        note="Po konsultacjach",
    )
    services.move_standard(
        by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
    )
    services.move_standard(
        by=coordinator,
        standard=standard,
        to_stage=Stage.ADOPTED,
        resolution_number="12/2025 (demo)",
        resolution_date=datetime.date(2025, 3, 1),
        adopting_body=body,
    )
    services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)

    page.goto("/en/standards/")
    check_accessibility(page)
    page.locator("main").get_by_label("Search", exact=True).fill("partnerstwa")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Model partnerstwa międzysektorowego").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Model partnerstwa międzysektorowego")
    expect(main).to_contain_text("resolution 12/2025 (demo)")
    expect(main.locator(".description strong").first).to_have_text("umowę partnerską")
    for stage in ("draft", "in consultation", "adopted", "published"):
        expect(main.locator("table").first).to_contain_text(stage)
    expect(main).to_contain_text("Po konsultacjach")
    check_accessibility(page)
