"""The partner search's pages: list and filters, detail with answers and matches, forms, twinning."""

import datetime
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.models import Organization
from civicbridge.partners import phases
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import (
    ExpressionOfInterestFactory,
    PartnerRequestFactory,
    TwinningFactory,
    make_call,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/en/partners/"
NEW_URL = "/en/partners/new/"
TWINNING_URL = "/en/twinning/"
# Anonymous list: count, page, thematic areas, the menu of thematic areas (nothing cached; the
# call is typed, not chosen from a menu).
LIST_QUERIES = 4
# Anonymous detail: the request, its areas, its territories.
DETAIL_QUERIES_ANONYMOUS = 4
# The poster's detail: + session, user, memberships, permissions, the answers (the person's own among them) and
# the queries of matching (here: the first of those sharing the area in each place and
# verification, how many of the areas they share, their facts, those who answered lately and
# could still reach the best, the best, their areas), and the organizations already invited to
# answer.
DETAIL_QUERIES_POSTER = 22
# The order (narrow rows), the page's rows, their areas, and the filter's menu of areas.
TWINNING_LIST_QUERIES = 4


def detail_url(partner_request):
    return f"/en/partners/{partner_request.pk}/"


def titles_on_page(response):
    return [partner_request.title for partner_request in response.context["page"].object_list]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def youth():
    return ThematicArea.objects.get(code="eu-youth")


@pytest.fixture
def partner_request(organization, youth):
    return PartnerRequestFactory(title="Wymiana młodzieży nad Nysą", organization=organization, thematic_areas=[youth])


@pytest.fixture
def other_organization(municipality):
    return OrganizationFactory(name="Fundacja Sąsiedzka", territory=municipality)


@pytest.fixture
def other_representative(other_organization):
    return MembershipFactory(organization=other_organization).user


def expired(organization, **fields):
    return PartnerRequestFactory(organization=organization, deadline=phases.today() - datetime.timedelta(days=2), **fields)


# --- list -------------------------------------------------------------------------------------------


def test_the_list_shows_requests_that_accept_answers(client, partner_request, organization, youth):
    page = client.get(LIST_URL).content.decode()

    assert partner_request.title in page
    assert partner_request.get_absolute_url() in page
    assert organization.name in page
    assert youth.name_en in page
    assert "1 partner request" in page


def test_the_list_hides_closed_requests_and_by_default_those_past_their_deadline(client, organization):
    PartnerRequestFactory(title="Open one", organization=organization)
    PartnerRequestFactory(title="Closed one", organization=organization, status=PartnerRequest.Status.CLOSED)
    expired(organization, title="Expired one")

    assert titles_on_page(client.get(LIST_URL)) == ["Open one"]
    assert titles_on_page(client.get(LIST_URL, {"status": "expired"})) == ["Expired one"]
    assert sorted(titles_on_page(client.get(LIST_URL, {"status": "any"}))) == ["Expired one", "Open one"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"direction": "offering"}, ["Offer"]),
        ({"partner_kind": "school"}, ["Schools wanted"]),
        ({"country": "TR"}, ["Schools wanted"]),
        ({"q": "szkół"}, ["Schools wanted"]),
    ],
)
def test_the_list_filters(client, organization, params, expected):
    PartnerRequestFactory(
        title="Schools wanted", description="Szukamy szkół partnerskich.", organization=organization,
        partner_kinds="school,ngo", countries="DE,TR",
    )
    PartnerRequestFactory(title="Offer", organization=organization, direction=PartnerRequest.Direction.OFFERING)

    assert titles_on_page(client.get(LIST_URL, params)) == expected


def test_the_list_filters_by_thematic_area_and_call(client, organization, youth):
    call = make_call()
    PartnerRequestFactory(title="With call", organization=organization, call=call)
    PartnerRequestFactory(title="Youth", organization=organization, thematic_areas=[youth])

    assert titles_on_page(client.get(LIST_URL, {"thematic_area": youth.pk})) == ["Youth"]
    response = client.get(LIST_URL, {"call": call.pk})
    assert titles_on_page(response) == ["With call"]
    assert f'value="{call.identifier}"' in response.content.decode()  # the link's number shown as the call's identifier


def test_the_call_is_typed_by_identifier_or_title_and_suggested_from_those_open_requests_name(client, organization):
    erasmus = make_call(identifier="ERASMUS-2026-KA220-YOU")
    cerv = make_call(identifier="CERV-2026-CITIZENS")
    unnamed = make_call(identifier="ERASMUS-2026-KA210-YOU")
    PartnerRequestFactory(title="Youth exchange", organization=organization, call=erasmus)
    PartnerRequestFactory(title="Citizens", organization=organization, call=cerv)
    PartnerRequestFactory(title="Closed", organization=organization, call=unnamed, status=PartnerRequest.Status.CLOSED)

    page = client.get(LIST_URL).content.decode()
    assert '<select name="call"' not in page and "CERV-2026-CITIZENS" not in page.split('name="call"')[1][:400]
    assert titles_on_page(client.get(LIST_URL, {"call": "erasmus-2026-ka220-you"})) == ["Youth exchange"]
    assert titles_on_page(client.get(LIST_URL, {"call": "2026"})) == ["Citizens", "Youth exchange"]
    refused = client.get(LIST_URL, {"call": "KA210"})  # named by a closed request only
    assert titles_on_page(refused) == []
    assert "No call for proposals of an open request has “KA210” in its identifier or title." in refused.content.decode()

    suggested = client.get(reverse("partners:call_suggestions"), {"call": "erasmus"}).content.decode()
    assert "ERASMUS-2026-KA220-YOU" in suggested and "KA210" not in suggested and "CERV" not in suggested


def test_the_next_page_of_a_list_filtered_by_a_typed_call_keeps_the_call(client, organization, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    erasmus, other = make_call(identifier="ERASMUS-2026-KA220-YOU"), make_call(identifier="CERV-2026-CITIZENS")
    for number in range(3):
        PartnerRequestFactory(title=f"Erasmus {number}", organization=organization, call=erasmus)
    PartnerRequestFactory(title="Citizens", organization=organization, call=other)

    first = client.get(LIST_URL, {"call": "erasmus-2026-ka220"})
    next_url = html.unescape(re.search(r'href="([^"]*)" rel="next"', first.content.decode()).group(1))
    second = client.get(LIST_URL + next_url)

    assert "call=erasmus-2026-ka220" in next_url and "page=2" in next_url
    assert len(titles_on_page(first)) == 2 and titles_on_page(second) == [
        title for title in ["Erasmus 0", "Erasmus 1", "Erasmus 2"] if title not in titles_on_page(first)
    ]


def test_a_draft_calls_number_finds_nothing_and_its_identifier_is_not_shown(client, organization):
    draft = make_call(identifier="DRAFT-2027-SECRET", published=False)

    response = client.get(LIST_URL, {"call": draft.pk})

    assert titles_on_page(response) == []
    assert "DRAFT-2027-SECRET" not in response.content.decode()
    assert f"No call for proposals of an open request has “{draft.pk}” in its identifier or title." in response.content.decode()


def test_the_htmx_request_gets_only_the_results(client, partner_request):
    response = client.get(LIST_URL, headers={"HX-Request": "true", "HX-Target": "results"})

    content = response.content.decode()
    assert partner_request.title in content
    assert "<html" not in content
    assert 'class="filters"' not in content


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_runs_the_same_bounded_number_of_queries_for_few_or_many_requests(
    client, organization, youth, django_assert_max_num_queries, count
):
    call = make_call()
    for _ in range(count):
        PartnerRequestFactory(organization=organization, call=call, thematic_areas=[youth])

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL, {"page": 1})

    assert response.context["page"].paginator.count == count


def test_a_representative_sees_links_to_the_requests_that_fit_each_organization(client, representative, organization):
    client.force_login(representative)

    page = client.get(LIST_URL).content.decode()

    assert reverse("partners:organization_requests", args=[organization.slug]) in page
    assert NEW_URL in page


# --- detail -----------------------------------------------------------------------------------------


def test_the_detail_shows_the_request(client, partner_request, organization):
    partner_request.partner_kinds = "school"
    partner_request.countries = "DE"
    partner_request.expected_contribution = "Grupa 10 osób."
    partner_request.save()

    page = client.get(detail_url(partner_request)).content.decode()

    assert partner_request.title in page
    assert organization.name in page
    assert "Germany" in page
    assert "school" in page
    assert "Grupa 10 osób." in page
    assert "accepting answers" in page
    assert "Log in to answer" in page


def test_an_unknown_request_is_404(client):
    assert client.get("/en/partners/999999/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other_representative"])
def test_a_closed_request_is_404_for_others(client, partner_request, other_representative, who):
    partner_request.status = PartnerRequest.Status.CLOSED
    partner_request.save()
    if who != "anonymous":
        client.force_login(other_representative)

    assert client.get(detail_url(partner_request)).status_code == 404


def test_the_poster_still_sees_its_closed_request(client, partner_request, representative):
    partner_request.status = PartnerRequest.Status.CLOSED
    partner_request.save()
    client.force_login(representative)

    response = client.get(detail_url(partner_request))

    assert response.status_code == 200
    assert "request closed" in response.content.decode()
    assert not response.context["can_change"]


def test_a_representative_of_another_organization_gets_the_answer_form(client, partner_request, other_representative, other_organization):
    client.force_login(other_representative)

    response = client.get(detail_url(partner_request))

    assert response.context["interest_form"] is not None
    assert other_organization.name in response.content.decode()
    assert response.context["answers"] is None
    assert response.context["matches"] is None


def test_the_poster_sees_the_answers_with_decision_buttons_and_the_organizations_that_fit(
    client, partner_request, representative, other_organization, youth
):
    other_organization.thematic_areas.add(youth)
    ExpressionOfInterestFactory(request=partner_request, organization=other_organization, message="Chętnie dołączymy!")
    client.force_login(representative)

    response = client.get(detail_url(partner_request))

    page = response.content.decode()
    assert "Chętnie dołączymy!" in page
    assert 'value="accept"' in page and 'value="decline"' in page
    assert "Organizations that fit" in page
    assert [match.item for match in response.context["matches"]] == [other_organization]
    assert "Works in 1 of the request&#x27;s 1 thematic areas: Youth" in page
    assert response.context["interest_form"] is None


def test_a_coordinator_sees_answers_and_matches_but_may_not_decide(client, partner_request, coordinator, other_organization):
    ExpressionOfInterestFactory(request=partner_request, organization=other_organization)
    client.force_login(coordinator)

    response = client.get(detail_url(partner_request))

    assert len(response.context["answers"]) == 1
    assert response.context["matches"] is not None
    assert not response.context["can_decide"]
    assert 'value="accept"' not in response.content.decode()


@pytest.mark.parametrize("count", [5, 30])
def test_the_detail_runs_a_bounded_number_of_queries(
    client, organization, municipality, youth, representative, django_assert_max_num_queries, count
):
    partner_request = PartnerRequestFactory(organization=organization, thematic_areas=[youth], territories=[municipality])
    for _ in range(count):
        answerer = OrganizationFactory(territory=municipality)
        answerer.thematic_areas.add(youth)
        ExpressionOfInterestFactory(request=partner_request, organization=answerer)

    with django_assert_max_num_queries(DETAIL_QUERIES_ANONYMOUS):
        assert client.get(detail_url(partner_request)).status_code == 200
    client.force_login(representative)
    with django_assert_max_num_queries(DETAIL_QUERIES_POSTER):
        response = client.get(detail_url(partner_request))
    assert len(response.context["answers"]) == count


def test_the_posters_page_reads_the_answers_once_and_shows_the_persons_own_among_them(
    client, organization, municipality, youth, representative,
):
    """One who represents the poster and an answering organization sees all the answers and,
    among them, that organization's own: from one read of the answers."""
    partner_request = PartnerRequestFactory(organization=organization, thematic_areas=[youth], territories=[municipality])
    also_represented = OrganizationFactory(territory=municipality)
    MembershipFactory(user=representative, organization=also_represented)
    own = ExpressionOfInterestFactory(request=partner_request, organization=also_represented)
    ExpressionOfInterestFactory(request=partner_request, organization=OrganizationFactory(territory=municipality))
    client.force_login(representative)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(detail_url(partner_request))

    assert [answer.pk for answer in response.context["my_answers"]] == [own.pk]
    assert len(response.context["answers"]) == 2
    reads = [query for query in captured.captured_queries if 'FROM "partners_expressionofinterest"' in query["sql"]]
    assert len(reads) == 1


def test_one_who_only_answered_sees_its_own_answer_not_the_others(client, organization, municipality, youth):
    partner_request = PartnerRequestFactory(organization=organization, thematic_areas=[youth], territories=[municipality])
    answerer = OrganizationFactory(territory=municipality)
    person = MembershipFactory(organization=answerer).user
    own = ExpressionOfInterestFactory(request=partner_request, organization=answerer)
    ExpressionOfInterestFactory(request=partner_request, organization=OrganizationFactory(territory=municipality))
    client.force_login(person)

    response = client.get(detail_url(partner_request))

    assert [answer.pk for answer in response.context["my_answers"]] == [own.pk]
    assert response.context["answers"] is None


# --- posting ------------------------------------------------------------------------------------------


def form_data(organization, **overrides):
    data = {
        "organization": organization.pk,
        "direction": "seeking",
        "title": "Szukamy partnera do KA210",
        "description": "Małe partnerstwo w edukacji dorosłych.",
        "role_sought": "partner",
        "partner_kinds": ["ngo"],
        "countries": ["DE", "CZ"],
        "thematic_areas": [ThematicArea.objects.get(code="eu-education-training").pk],
        "deadline": (phases.today() + datetime.timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_representative_posts_a_request_through_the_form(client, representative, organization):
    client.force_login(representative)
    assert client.get(NEW_URL).status_code == 200

    response = client.post(NEW_URL, form_data(organization))

    partner_request = PartnerRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partner_request.get_absolute_url()
    assert partner_request.countries == "DE,CZ"
    assert partner_request.created_by == representative


def test_the_territories_are_tick_boxes_chosen_alike_on_any_device(client, representative, organization, county, other_county):
    """A multiple select wants Ctrl held down, which a phone has not: each territory is a tick box."""
    client.force_login(representative)

    page = client.get(NEW_URL.replace("/en/", "/pl/")).content.decode()
    assert f'type="checkbox" name="territories" value="{county.pk}"' in page
    assert "Ctrl" not in page and '<select name="territories"' not in page

    client.post(NEW_URL, {**form_data(organization), "territories": [county.pk, other_county.pk]})

    assert set(PartnerRequest.objects.get().territories.all()) == {county, other_county}


def test_the_form_reports_a_past_deadline_on_its_field(client, representative, organization):
    client.force_login(representative)

    response = client.post(NEW_URL, form_data(organization, deadline="2001-01-01"))

    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not PartnerRequest.objects.exists()


def test_the_call_is_given_by_its_identifier_as_its_page_shows_it(client, representative, organization):
    from tests.funding.factories import CallFactory

    call = CallFactory(identifier="ERASMUS-2027-KA210")
    client.force_login(representative)

    response = client.post(NEW_URL, form_data(organization, call="erasmus-2027-ka210 "))

    assert response.status_code == 302
    assert PartnerRequest.objects.get().call == call
    edit = client.get(reverse("partners:request_edit", args=[PartnerRequest.objects.get().pk]))
    assert 'value="ERASMUS-2027-KA210"' in edit.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_call_typed_by_its_identifier_in_any_case_is_found_by_an_index_not_by_reading_every_call():
    import json

    from civicbridge.partners.forms import PartnerRequestForm
    from tests.funding.factories import CallFactory

    CallFactory.create_batch(300)
    CallFactory(identifier="ERASMUS-2027-KA210")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE funding_call")  # as the migration that made the index does
    field = PartnerRequestForm(organizations=[]).fields["call"]
    lookup = field.queryset.filter(identifier__iexact="erasmus-2027-ka210")[:1]

    plan = json.dumps(json.loads(lookup.explain(format="json")))
    assert "call_identifier_any_case" in plan
    assert field.to_python("erasmus-2027-ka210 ").identifier == "ERASMUS-2027-KA210"


@pytest.mark.parametrize(("language", "message"), [
    ("en", "No call for proposals has the identifier “NO-SUCH-CALL”."),
    ("pl", "Żaden nabór wniosków nie ma identyfikatora „NO-SUCH-CALL”."),
    ("tr", "“NO-SUCH-CALL” kodlu bir hibe çağrısı yok."),
])
def test_an_unknown_call_identifier_is_refused_on_its_field(client, representative, organization, language, message):
    client.force_login(representative)

    response = client.post(f"/{language}/partners/new/", form_data(organization, call="NO-SUCH-CALL"))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnerRequest.objects.exists()


def test_an_unknown_call_and_a_past_deadline_are_both_reported_at_once(client, representative, organization):
    client.force_login(representative)

    response = client.post(NEW_URL, form_data(organization, call="NO-SUCH-CALL", deadline="2001-01-01"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"call", "deadline"}
    page = response.content.decode()
    assert "No call for proposals has the identifier “NO-SUCH-CALL”." in page
    assert "The answer deadline cannot be in the past." in page
    assert 'value="NO-SUCH-CALL"' in page and 'value="2001-01-01"' in page
    assert 'value="Szukamy partnera do KA210"' in page
    assert not PartnerRequest.objects.exists()


def test_a_closed_call_a_past_deadline_and_a_missing_title_are_reported_at_once(client, representative, organization):
    make_call(identifier="ERASMUS-2025-CLOSED", opens_in_days=-90, closes_in_days=-5)
    client.force_login(representative)

    response = client.post(
        "/pl/partners/new/", form_data(organization, title="", call="ERASMUS-2025-CLOSED", deadline="2001-01-01"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "call", "deadline"}
    page = response.content.decode()
    assert "To pole jest wymagane." in page
    assert "Termin odpowiedzi nie może być w przeszłości." in page
    assert "Ogłoszenie o partnerstwie dołącza się do otwartego lub zapowiedzianego naboru; ten nabór nie jest otwarty." in page
    assert 'value="ERASMUS-2025-CLOSED"' in page and 'value="2001-01-01"' in page
    assert not PartnerRequest.objects.exists()


def test_the_form_draws_no_menu_of_calls_however_many_are_open(client, representative, django_assert_max_num_queries):
    from tests.funding.factories import CallFactory

    client.force_login(representative)
    CallFactory()
    with django_assert_max_num_queries(30) as few:
        client.get(NEW_URL)
    for _ in range(20):
        CallFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(NEW_URL)
    html = response.content.decode()
    assert '<input type="text" name="call"' in html
    assert "TESTPROG-2027-CALL" not in html and "Support for local civil society" not in html


def test_a_person_without_an_organization_is_told_how_to_post(client):
    client.force_login(UserFactory())

    response = client.get(NEW_URL)

    assert response.status_code == 403
    assert "Register an organization" in response.content.decode()


def test_posting_for_an_organization_one_does_not_represent_changes_nothing(client, representative, other_organization):
    client.force_login(representative)

    response = client.post(NEW_URL, form_data(other_organization))

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not PartnerRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(NEW_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_coordinator_finds_an_organization_and_posts_for_it(client, coordinator, organization):
    client.force_login(coordinator)

    found = client.get(NEW_URL, {"find": organization.name})
    assert f"?organization={organization.slug}" in found.content.decode()
    response = client.post(f"{NEW_URL}?organization={organization.slug}", form_data(organization))

    assert response.status_code == 302
    assert PartnerRequest.objects.get().organization == organization


# --- changing and closing -----------------------------------------------------------------------------


def test_the_poster_edits_the_request(client, representative, partner_request, organization):
    client.force_login(representative)
    url = reverse("partners:request_edit", args=[partner_request.pk])
    assert client.get(url).status_code == 200

    data = form_data(organization, title="Nowy tytuł")
    del data["organization"]
    response = client.post(url, data)

    assert response.status_code == 302
    partner_request.refresh_from_db()
    assert partner_request.title == "Nowy tytuł"


@pytest.mark.parametrize("action", ["request_edit", "request_close"])
def test_others_may_not_edit_or_close_the_request(client, other_representative, partner_request, action):
    client.force_login(other_representative)

    response = client.post(reverse(f"partners:{action}", args=[partner_request.pk]), {"title": "X"})

    assert response.status_code == 403
    partner_request.refresh_from_db()
    assert partner_request.status == PartnerRequest.Status.OPEN


def test_the_poster_closes_the_request(client, representative, partner_request):
    client.force_login(representative)

    response = client.post(reverse("partners:request_close", args=[partner_request.pk]))

    assert response.status_code == 302
    partner_request.refresh_from_db()
    assert partner_request.status == PartnerRequest.Status.CLOSED


def test_closing_needs_a_post(client, representative, partner_request):
    client.force_login(representative)

    assert client.get(reverse("partners:request_close", args=[partner_request.pk])).status_code == 405


# --- answering and deciding ------------------------------------------------------------------------------


def interest_url(partner_request):
    return reverse("partners:interest_create", args=[partner_request.pk])


def test_a_representative_answers_a_request(client, other_representative, other_organization, partner_request):
    client.force_login(other_representative)

    response = client.post(interest_url(partner_request), {"organization": other_organization.pk, "message": "Chętnie!"})

    assert response.status_code == 302
    assert ExpressionOfInterest.objects.get().organization == other_organization
    assert "Your answer is sent" in " ".join(messages_of(response))


def test_an_expired_deadline_refuses_the_answer_with_a_message(client, other_representative, other_organization, organization):
    partner_request = expired(organization)
    client.force_login(other_representative)

    response = client.post(interest_url(partner_request), {"organization": other_organization.pk, "message": "Za późno?"})

    assert response.status_code == 200
    assert "The deadline for answers" in response.content.decode()
    assert "has passed" in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_a_second_answer_of_the_same_organization_is_refused(client, other_representative, other_organization, partner_request):
    client.force_login(other_representative)
    client.post(interest_url(partner_request), {"organization": other_organization.pk, "message": "1"})

    response = client.post(interest_url(partner_request), {"organization": other_organization.pk, "message": "2"})

    assert response.status_code == 200
    assert "already answered this request" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_the_poster_may_not_answer_its_own_request(client, representative, organization, partner_request):
    client.force_login(representative)

    response = client.post(interest_url(partner_request), {"organization": organization.pk, "message": "Me"})

    assert response.status_code == 403
    assert not ExpressionOfInterest.objects.exists()


def test_a_citizen_may_not_answer(client, partner_request):
    client.force_login(UserFactory())

    assert client.post(interest_url(partner_request), {"message": "Hi"}).status_code == 403


def test_anonymous_answers_are_sent_to_log_in(client, partner_request):
    response = client.post(interest_url(partner_request), {"message": "Hi"})

    assert response.status_code == 302
    assert not ExpressionOfInterest.objects.exists()


@pytest.fixture
def interest(partner_request, other_organization):
    return ExpressionOfInterestFactory(request=partner_request, organization=other_organization)


def decide_url(interest):
    return reverse("partners:interest_decide", args=[interest.pk])


def test_the_poster_accepts_an_answer(client, representative, interest):
    client.force_login(representative)

    response = client.post(decide_url(interest), {"decision": "accept"})

    assert response.status_code == 302
    assert response["Location"].endswith("#answers")
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.ACCEPTED


@pytest.mark.parametrize("who", ["answerer", "coordinator"])
def test_others_may_not_decide(client, interest, other_representative, coordinator, who):
    client.force_login(other_representative if who == "answerer" else coordinator)

    assert client.post(decide_url(interest), {"decision": "accept"}).status_code == 403
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.PENDING


def test_a_decision_must_be_accept_or_decline(client, representative, interest):
    client.force_login(representative)

    assert client.post(decide_url(interest), {"decision": "maybe"}).status_code == 400


def test_a_decided_answer_is_not_decided_again(client, representative, interest):
    client.force_login(representative)
    client.post(decide_url(interest), {"decision": "decline"})

    response = client.post(decide_url(interest), {"decision": "accept"})

    assert "already been decided" in " ".join(messages_of(response))
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.DECLINED


# --- requests that fit an organization ---------------------------------------------------------------


def test_a_representative_sees_the_organizations_requests_and_those_that_fit_it(
    client, other_representative, other_organization, partner_request, youth
):
    other_organization.thematic_areas.add(youth)
    PartnerRequestFactory(title="Nasza prośba", organization=other_organization)
    client.force_login(other_representative)

    response = client.get(reverse("partners:organization_requests", args=[other_organization.slug]))

    page = response.content.decode()
    assert "Nasza prośba" in page
    assert [match.item for match in response.context["matches"]] == [partner_request]
    assert "Shared thematic areas (1): Youth" in page


def test_requests_that_fit_are_not_shown_to_other_organizations(client, other_representative, organization):
    client.force_login(other_representative)

    assert client.get(reverse("partners:organization_requests", args=[organization.slug])).status_code == 403


def test_requests_that_fit_an_unknown_organization_are_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("partners:organization_requests", args=["no-such-organization"])).status_code == 404


# --- twinning --------------------------------------------------------------------------------------------


def test_twinnings_are_listed_under_our_town(client, municipality):
    TwinningFactory(partner_city="Potsdam", since=1973)
    TwinningFactory(partner_city="Mülheim an der Ruhr", since=1989)
    TwinningFactory(territory=municipality, partner_city="Lippstadt")

    response = client.get(TWINNING_URL)

    towns = [town.name for town, _ in response.context["groups"]]
    assert towns == ["Nysa", "Opole"]
    page = response.content.decode()
    assert "Potsdam" in page and "1973" in page and "Germany" in page


def test_the_twinning_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    area = ThematicArea.objects.get(code="pb-european-integration")
    for number in range(12):
        TwinningFactory(partner_city=f"City {number}").thematic_areas.add(area)

    with django_assert_max_num_queries(TWINNING_LIST_QUERIES):
        assert client.get(TWINNING_URL).status_code == 200


def test_a_twinning_has_its_own_page(client):
    twinning = TwinningFactory(partner_city="Potsdam", activities="**Wymiany** szkół", contact="Biuro Współpracy")

    page = client.get(twinning.get_absolute_url()).content.decode()

    assert "Opole – Potsdam" in page
    assert "<strong>Wymiany</strong>" in page
    assert "Biuro Współpracy" in page
    assert "?country=DE" in page


def test_an_unknown_twinning_is_404(client):
    assert client.get("/en/twinning/999999/").status_code == 404


def test_a_coordinator_adds_a_twinning(client, coordinator):
    client.force_login(coordinator)
    opole = Territory.objects.get(country="PL", code="1661011")
    assert client.get("/en/twinning/new/").status_code == 200

    response = client.post("/en/twinning/new/", {
        "territory": opole.pk, "partner_city": "Ingolstadt", "partner_country": "DE", "since": "2005",
    })

    twinning = Twinning.objects.get()
    assert response["Location"] == twinning.get_absolute_url()
    assert twinning.partner_city == "Ingolstadt"


@pytest.mark.parametrize("url_name", ["twinning_create", "twinning_edit", "twinning_delete"])
def test_others_may_not_manage_twinnings(client, representative, url_name):
    twinning = TwinningFactory()
    client.force_login(representative)
    args = [] if url_name == "twinning_create" else [twinning.pk]

    response = client.post(reverse(f"partners:{url_name}", args=args), {"partner_city": "X"})

    assert response.status_code == 403
    assert Twinning.objects.get().partner_city == twinning.partner_city


def test_a_coordinator_edits_and_removes_a_twinning(client, coordinator):
    twinning = TwinningFactory(partner_city="Potsdam")
    client.force_login(coordinator)
    data = {"territory": twinning.territory_id, "partner_city": "Potsdam", "partner_country": "DE", "since": "1973"}

    client.post(reverse("partners:twinning_edit", args=[twinning.pk]), data)
    twinning.refresh_from_db()
    assert twinning.since == 1973

    client.post(reverse("partners:twinning_delete", args=[twinning.pk]))
    assert not Twinning.objects.exists()


def test_pages_are_translated(client, partner_request):
    polish = client.get(f"/pl/partners/{partner_request.pk}/").content.decode()
    turkish = client.get("/tr/twinning/").content.decode()

    assert "Wyszukiwarka partnerów" in polish or "Szukanie partnerów" in polish
    assert "Kardeş şehir" in turkish


def test_organization_kinds_are_shown_by_name(client, organization):
    PartnerRequestFactory(organization=organization, partner_kinds=f"{Organization.Kind.UNIVERSITY}")

    response = client.get(detail_url(PartnerRequest.objects.get()))

    assert "university" in response.content.decode()


def test_the_account_page_lists_the_partner_requests_of_ones_organizations(client, representative, organization):
    from tests.partners.factories import PartnerRequestFactory

    own = PartnerRequestFactory(organization=organization, title="Our own request")
    PartnerRequestFactory(title="Someone else's request")
    client.force_login(representative)

    body = client.get("/en/accounts/profile/").content.decode()

    assert own.get_absolute_url() in body and "Someone else" not in body
    assert f'href="/en/partners/for/{organization.slug}/"' in body
