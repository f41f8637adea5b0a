"""Match scores that separate candidates: thematic share, experience with the funder, activity,
and countries as a constraint (a request for partners abroad lists no local organization)."""

import datetime

import pytest
from django.utils import timezone, translation

from civicbridge.core.models import ThematicArea
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import Organization
from civicbridge.partners import matching, selectors
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory
from tests.partners.factories import ExpressionOfInterestFactory, PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth():
    return ThematicArea.objects.get(code="eu-youth")


@pytest.fixture
def culture():
    return ThematicArea.objects.get(code="eu-culture")


@pytest.fixture
def poster(municipality):
    return OrganizationFactory(name="Poster", territory=municipality)


def org(name, territory, areas=(), **fields):
    organization = OrganizationFactory(name=name, territory=territory, **fields)
    organization.thematic_areas.set(areas)
    return organization


def abroad(coordinator, name, country, city, areas=()):
    organization = directory_services.create_organization(
        by=coordinator, data={"name": name, "kind": "ngo", "country": country, "city": city},
    )
    organization.thematic_areas.set(areas)
    return organization


def loaded(partner_request):
    return selectors.request_detail(pk=partner_request.pk)


def scores(matches):
    return {match.item.name: match.score for match in matches}


def age(organization, days):
    Organization.objects.filter(pk=organization.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


def test_the_share_of_the_requests_areas_separates_candidates(poster, municipality, youth, culture):
    org("Both areas", municipality, [youth, culture])
    org("One area", municipality, [youth])
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth, culture])

    result = scores(matching.organizations_for_request(loaded(partner_request)))

    assert result["Both areas"] - result["One area"] == matching.AREA_POINTS // 2


def test_experience_with_the_same_funder_adds_points_with_its_reason(poster, municipality, youth):
    call = CallFactory()
    other_call_same_funder = CallFactory(programme__funder=call.programme.funder)
    experienced = org("Experienced", municipality, [youth])
    org("Newcomer", municipality, [youth])
    ExpressionOfInterestFactory(request=PartnerRequestFactory(call=other_call_same_funder), organization=experienced)
    partner_request = PartnerRequestFactory(organization=poster, call=call, thematic_areas=[youth])

    with translation.override("en"):
        matches = matching.organizations_for_request(loaded(partner_request))

    assert [match.item.name for match in matches] == ["Experienced", "Newcomer"]
    (reason,) = [reason for reason in matches[0].reasons if str(reason.part) == "Experience with the funder"]
    assert reason.points == matching.FUNDER_POINTS
    assert call.programme.funder.name in reason.text
    assert matches[0].score > matches[1].score


def test_posting_a_request_for_the_same_funder_counts_as_experience(poster, municipality, youth):
    call = CallFactory()
    experienced = org("Experienced", municipality, [youth])
    PartnerRequestFactory(organization=experienced, call=CallFactory(programme__funder=call.programme.funder))
    org("Newcomer", municipality, [youth])
    partner_request = PartnerRequestFactory(organization=poster, call=call, thematic_areas=[youth])

    result = scores(matching.organizations_for_request(loaded(partner_request)))

    assert result["Experienced"] == result["Newcomer"] + matching.FUNDER_POINTS


def test_experience_counts_once_per_organization_and_only_with_the_same_funder(poster, municipality, youth):
    call = CallFactory()
    same_funder = CallFactory(programme__funder=call.programme.funder)
    posted = org("Posted twice", municipality, [youth])
    answered = org("Answered twice", municipality, [youth])
    elsewhere = org("Worked with another funder", municipality, [youth])
    for _ in range(2):
        earlier = PartnerRequestFactory(organization=posted, call=same_funder)
        ExpressionOfInterestFactory(request=earlier, organization=answered)
    ExpressionOfInterestFactory(request=PartnerRequestFactory(organization=elsewhere, call=CallFactory()), organization=posted)
    org("Newcomer", municipality, [youth])
    partner_request = PartnerRequestFactory(organization=poster, call=call, thematic_areas=[youth])

    with translation.override("en"):
        matches = matching.organizations_for_request(loaded(partner_request))

    funder_points = {
        match.item.name: [reason.points for reason in match.reasons if str(reason.part) == "Experience with the funder"]
        for match in matches
    }
    assert funder_points == {
        "Posted twice": [matching.FUNDER_POINTS], "Answered twice": [matching.FUNDER_POINTS],
        "Worked with another funder": [], "Newcomer": [],
    }


def test_an_entry_updated_long_ago_scores_below_an_active_one(poster, municipality, youth):
    org("Active", municipality, [youth])
    age(org("Dormant", municipality, [youth]), days=matching.ACTIVE_DAYS + 30)
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth])

    matches = matching.organizations_for_request(loaded(partner_request))

    assert [match.item.name for match in matches] == ["Active", "Dormant"]
    assert matches[0].score == matches[1].score + matching.ACTIVE_ENTRY_POINTS


def test_a_recent_answer_to_any_request_counts_as_activity(poster, municipality, youth):
    answering = org("Answering", municipality, [youth])
    silent = org("Silent", municipality, [youth])
    ExpressionOfInterestFactory(organization=answering)
    for organization in (answering, silent):
        age(organization, days=matching.ACTIVE_DAYS + 30)
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth])

    result = scores(matching.organizations_for_request(loaded(partner_request)))

    assert result["Answering"] == result["Silent"] + matching.RECENT_ANSWER_POINTS


def test_equal_scores_are_ordered_by_the_newest_update_then_by_name(poster, municipality, youth):
    age(org("Aaa older", municipality, [youth]), days=20)
    age(org("Zzz newer", municipality, [youth]), days=10)
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth])

    matches = matching.organizations_for_request(loaded(partner_request))

    assert matches[0].score == matches[1].score
    assert [match.item.name for match in matches] == ["Zzz newer", "Aaa older"]


def test_a_request_limited_to_foreign_countries_lists_no_local_organization(
    poster, municipality, coordinator, youth
):
    org("Local perfect fit", municipality, [youth], is_verified=True)
    abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    abroad(coordinator, "Associazione Roma", "IT", "Roma", [youth])
    partner_request = PartnerRequestFactory(organization=poster, countries="DE", thematic_areas=[youth])

    matches = matching.organizations_for_request(loaded(partner_request))

    assert [match.item.name for match in matches] == ["Verein Dresden"]


def test_a_request_limited_to_some_countries_lists_only_those(poster, municipality, coordinator, youth):
    org("Local", municipality, [youth])
    abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    abroad(coordinator, "Associazione Roma", "IT", "Roma", [youth])
    abroad(coordinator, "Stichting Utrecht", "NL", "Utrecht", [youth])
    partner_request = PartnerRequestFactory(organization=poster, countries="IT,PL", thematic_areas=[youth])

    names = {match.item.name for match in matching.organizations_for_request(loaded(partner_request))}

    assert names == {"Local", "Associazione Roma"}


def test_a_request_without_countries_lists_organizations_from_anywhere(poster, municipality, coordinator, youth):
    org("Local", municipality, [youth])
    abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth])

    names = {match.item.name for match in matching.organizations_for_request(loaded(partner_request))}

    assert names == {"Local", "Verein Dresden"}


def test_requests_fit_an_organization_abroad_only_where_its_country_is_welcome(poster, coordinator, youth):
    dresden = abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    PartnerRequestFactory(title="For Germany", organization=poster, countries="DE", thematic_areas=[youth])
    PartnerRequestFactory(title="For Italy", organization=poster, countries="IT", thematic_areas=[youth])
    PartnerRequestFactory(title="For anyone", organization=poster, thematic_areas=[youth])

    matches = matching.requests_for_organization(selectors.organization_for_matching(slug=dresden.slug))

    assert {match.item.title for match in matches} == {"For Germany", "For anyone"}


def test_the_detail_page_shows_the_parts_of_the_score_in_words(client, poster, representative_of_poster, coordinator, youth):
    abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    partner_request = PartnerRequestFactory(organization=poster, countries="DE", thematic_areas=[youth])
    client.force_login(representative_of_poster)

    page = client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()

    assert "Verein Dresden" in page
    assert "<strong>Thematic fit:</strong>" in page
    assert "badge-foreign" in page
    assert "Equal scores are ordered by thematic fit" in page


def test_a_request_whose_countries_nobody_fits_yet_says_so_instead_of_asking_for_criteria(
    client, poster, municipality, representative_of_poster, youth
):
    org("Local perfect fit", municipality, [youth])
    partner_request = PartnerRequestFactory(organization=poster, countries="ES", thematic_areas=[youth])
    client.force_login(representative_of_poster)

    page = client.get(f"/pl{partner_request.get_absolute_url()[3:]}").content.decode()

    assert "Żadna organizacja z bazy z krajów wskazanych przez Ciebie jeszcze nie pasuje" in page
    assert "Local perfect fit" not in page.split('id="matches-heading"')[1]


def test_a_request_without_criteria_asks_for_them(client, poster, representative_of_poster):
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[], partner_kinds="")
    client.force_login(representative_of_poster)

    page = client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()

    assert "name thematic areas or kinds of partner in the request" in page


@pytest.fixture
def representative_of_poster(poster):
    from tests.accounts.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=poster)
    return person


def test_an_answer_and_a_request_from_abroad_name_their_city_and_country(
    client, poster, representative_of_poster, coordinator, youth
):
    dresden = abroad(coordinator, "Verein Dresden", "DE", "Dresden", [youth])
    partner_request = PartnerRequestFactory(organization=poster, thematic_areas=[youth])
    ExpressionOfInterestFactory(request=partner_request, organization=dresden)
    PartnerRequestFactory(organization=dresden, title="Jugendaustausch", thematic_areas=[youth])
    client.force_login(representative_of_poster)

    detail = client.get(f"/en{partner_request.get_absolute_url()[3:]}").content.decode()
    listing = client.get("/en/partners/").content.decode()

    assert "Dresden, Germany" in detail
    assert "Dresden, Germany" in listing
