"""A person registers an organization abroad; the poster of a partner request for partners
in that country finds it among the organizations that fit; axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from civicbridge.accounts.models import Membership
from civicbridge.core.models import ThematicArea
from civicbridge.directory.models import Organization
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in_without_the_form
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_an_organization_abroad_and_find_it_from_a_partner_request(
    page, new_page, user, municipality, mailoutbox, screenshot
):
    youth = ThematicArea.objects.get(code="eu-youth")
    log_in_without_the_form(page, user)

    page.goto("/en/organizations/new/")
    check_accessibility(page)
    page.locator("#id_name").fill("Verein Jugendbrücke Dresden")
    page.locator("#id_kind").select_option("ngo")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_city").fill("Dresden")
    page.locator("#id_registry_number").fill("VR 4711")
    page.locator("#id_pic").fill("912345678")
    page.locator(f"input[name=thematic_areas][value='{youth.pk}']").check()
    screenshot(page, "01-form-filled")
    # (mailoutbox: the coordinator is told of the registration, by e-mail caught in memory.)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/en/organizations/verein-jugendbrucke-dresden/$"))
    expect(page.locator(".badge-foreign")).to_contain_text("Germany")
    expect(page.locator("dl.facts")).to_contain_text("Dresden")
    expect(page.locator("dl.facts")).to_contain_text("912345678")
    check_accessibility(page)
    screenshot(page, "02-detail")
    organization = Organization.objects.get(name="Verein Jugendbrücke Dresden")
    assert (organization.country, organization.territory_id) == ("DE", None)

    # The registry's list, filtered by the country's code: the entry, marked as abroad.
    page.goto("/en/organizations/?country=de")
    expect(page.locator(".org-list")).to_contain_text("Verein Jugendbrücke Dresden")
    expect(page.locator(".org-list .badge-foreign")).to_have_count(1)
    check_accessibility(page)
    screenshot(page, "03-list-by-country")

    # A Polish poster seeks partners in Germany only: the entry fits, local ones do not show.
    poster = OrganizationFactory(name="Stowarzyszenie Nyskie", territory=municipality)
    OrganizationFactory(name="Lokalny Klub Młodzieży", territory=municipality).thematic_areas.add(youth)
    partner_request = PartnerRequestFactory(
        organization=poster, title="Wymiana młodzieży z Niemcami", countries="DE", thematic_areas=[youth],
    )
    representative = UserFactory()
    MembershipFactory(user=representative, organization=poster)
    poster_page = new_page()
    log_in_without_the_form(poster_page, representative)
    poster_page.goto(f"/en/partners/{partner_request.pk}/")
    matches = poster_page.locator("section[aria-labelledby=matches-heading]")
    expect(matches).to_contain_text("Verein Jugendbrücke Dresden")
    expect(matches).not_to_contain_text("Lokalny Klub Młodzieży")
    expect(matches.locator(".badge-foreign")).to_have_count(1)
    expect(matches).to_contain_text("Thematic fit:")
    check_accessibility(poster_page)
    screenshot(poster_page, "04-matches")

    # The poster invites it to answer; its representative (once a coordinator approved them)
    # is told by e-mail, and the row says it is invited.
    Membership.objects.filter(user=user, organization=organization).update(status=Membership.Status.APPROVED)
    matches.locator("form[action$='/invite/'] button").click()
    expect(poster_page.locator(".messages, [role=status]").first).to_contain_text("invitation is sent")
    expect(poster_page.locator("section[aria-labelledby=matches-heading]")).to_contain_text("Invited to answer")
    check_accessibility(poster_page)
    screenshot(poster_page, "04b-invited")

    # The same in Polish: country and the parts of the score in the page's language.
    poster_page.goto(f"/pl/partners/{partner_request.pk}/")
    matches = poster_page.locator("section[aria-labelledby=matches-heading]")
    expect(matches).to_contain_text("Niemcy")
    expect(matches).to_contain_text("Zgodność tematyczna")
    check_accessibility(poster_page)
    screenshot(poster_page, "05-matches-polish")
