"""The calls' pages: list and filters, closing soon, detail, forms, publishing, funders."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages

from civicbridge.core.filters import territory_key
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.funding.models import Call
from tests.funding.call_form_data import deadline_rows
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory, in_days

pytestmark = pytest.mark.django_db

LIST_URL = "/en/calls/"
# Anonymous list: count (of each part of the deadline order, in one query), page (with the
# calls whose stage before their last falls among its deadlines: the order of the next
# deadline), its thematic areas, and the filter's menus of funders, programmes, territories
# (counted, then read) and thematic areas (nothing is cached).
LIST_QUERIES = 7
# Detail: the call, its deadlines and areas, its attachments and territories where it has some.
DETAIL_QUERIES = 5


def _identifiers(response):
    return [call.identifier for call in response.context["page"].object_list]


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 20])
def test_the_list_runs_the_same_bounded_number_of_queries_for_few_or_many_calls(
    client, django_assert_max_num_queries, count
):
    areas = list(ThematicArea.objects.all()[:2])
    for _ in range(count):
        CallFactory(areas=areas)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL, {"page": "1"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count
    assert f"{count} calls" in response.content.decode()


def test_an_officers_list_asks_once_whether_they_are_an_officer_and_shows_their_buttons(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CallFactory()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST_URL).content.decode()

    # Asked for the list (drafts of their body), "Enter a call" and "Import calls": read once.
    officer_questions = [q["sql"] for q in queries.captured_queries if "accounts_membership" in q["sql"]
                         and "directory_organization" in q["sql"] and "created_by_id" not in q["sql"]]
    assert len(officer_questions) == 1
    assert "/en/calls/new/" in page and "/en/calls/import/" in page


def test_the_list_shows_identifier_funder_next_deadline_on_the_funders_clock_and_amounts(client):
    funder = FunderFactory(name="Türkiye Ulusal Ajansı", time_zone="Europe/Istanbul")
    call = CallFactory(
        identifier="KA220-YOU-2027-R1-TR", programme=ProgrammeFactory(funder=funder),
        deadlines=[datetime(2027, 3, 5, 11, 0, tzinfo=UTC)], opens_at=in_days(-1),
        min_grant=Decimal("60000"), max_grant=Decimal("400000"),
    )

    page = client.get(LIST_URL).content.decode()

    assert call.identifier in page and call.title in page and funder.name in page
    assert "5 March 2027, 14:00" in page and "Istanbul time" in page
    assert "60,000" in page and "400,000 EUR" in page


def test_the_list_hides_drafts_from_visitors(client):
    CallFactory(identifier="PUBLIC-1")
    CallFactory(identifier="DRAFT-1", published_at=None)

    assert _identifiers(client.get(LIST_URL)) == ["PUBLIC-1"]


def test_a_coordinator_sees_drafts_in_the_list(client, coordinator):
    CallFactory(identifier="DRAFT-1", published_at=None)
    client.force_login(coordinator)

    assert _identifiers(client.get(LIST_URL)) == ["DRAFT-1"]


def test_an_officer_sees_the_drafts_of_their_body_and_not_others(client, officer, colleague, other_officer):
    CallFactory(identifier="OURS", published_at=None, created_by=colleague)
    CallFactory(identifier="THEIRS", published_at=None, created_by=other_officer)
    client.force_login(officer)

    assert _identifiers(client.get(LIST_URL)) == ["OURS"]


def test_an_officer_sees_the_published_calls_with_or_without_drafts_of_their_body(client, officer, colleague):
    CallFactory(identifier="PUBLIC")
    client.force_login(officer)
    assert _identifiers(client.get(LIST_URL)) == ["PUBLIC"]

    CallFactory(identifier="OURS", published_at=None, created_by=colleague)

    assert sorted(_identifiers(client.get(LIST_URL))) == ["OURS", "PUBLIC"]


def test_the_search_finds_words_of_the_title_and_the_identifier(client):
    CallFactory(identifier="CERV-2027-CITIZENS-TOWN-TT", title="Town-twinning")
    CallFactory(identifier="LIFE-2027-SAP-ENV", title="Environment and resource efficiency")

    assert _identifiers(client.get(LIST_URL, {"q": "twinning"})) == ["CERV-2027-CITIZENS-TOWN-TT"]
    assert _identifiers(client.get(LIST_URL, {"q": "LIFE-2027-SAP-ENV"})) == ["LIFE-2027-SAP-ENV"]


def test_a_search_of_calls_counts_every_match_on_the_page_and_in_the_api(client, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 2
    for _ in range(5):
        CallFactory(title="Youth participation grants")
    CallFactory(title="Rural roads")

    page = client.get(LIST_URL, {"q": "youth"})
    assert "5 calls" in page.content.decode()
    second = client.get(LIST_URL, {"q": "youth", "page": 2})
    assert _identifiers(second) and set(_identifiers(second)).isdisjoint(_identifiers(page))
    body = client.get("/api/v1/calls/", {"search": "youth", "page_size": 2}).json()
    assert body["count"] == 5 and body["count_is_exact"] is True


def test_the_status_filter(client):
    CallFactory(identifier="OPEN")
    CallFactory(identifier="SOON", opens_at=in_days(5), deadlines=[in_days(50)])
    CallFactory(identifier="OVER", opens_at=in_days(-60), deadlines=[in_days(-5)])

    assert _identifiers(client.get(LIST_URL, {"status": "open"})) == ["OPEN"]
    assert _identifiers(client.get(LIST_URL, {"status": "forthcoming"})) == ["SOON"]
    assert _identifiers(client.get(LIST_URL, {"status": "closed"})) == ["OVER"]
    assert _identifiers(client.get(LIST_URL, {"status": ["open", "forthcoming"]})) == ["OPEN", "SOON"]


def test_the_programme_menu_groups_each_funders_programmes_under_its_name(client):
    commission = FunderFactory(name="European Commission")
    institute = FunderFactory(name="National Freedom Institute")
    ProgrammeFactory(funder=commission, name="Erasmus+", code="ERASMUS")
    ProgrammeFactory(funder=institute, name="Civic Initiatives Fund", code="FIO")
    ProgrammeFactory(funder=commission, name="CERV", code="CERV")

    menu = re.search(r'<select name="programme".*?</select>', client.get(LIST_URL).content.decode(), re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', menu, re.S)

    assert [(name, re.findall(r">([^<]+)</option>", options)) for name, options in groups] == [
        ("European Commission", ["CERV", "Erasmus+ (ERASMUS)"]),
        ("National Freedom Institute", ["Civic Initiatives Fund (FIO)"]),
    ]


def test_the_funder_and_programme_filters(client):
    programme = ProgrammeFactory()
    CallFactory(identifier="MINE", programme=programme)
    CallFactory(identifier="OTHER")

    assert _identifiers(client.get(LIST_URL, {"funder": programme.funder_id})) == ["MINE"]
    assert _identifiers(client.get(LIST_URL, {"programme": programme.pk})) == ["MINE"]


def test_the_applicant_kind_filter_keeps_calls_open_to_every_kind(client):
    CallFactory(identifier="NGOS", eligible_kinds="ngo,informal_group")
    CallFactory(identifier="ANYONE", eligible_kinds="")
    CallFactory(identifier="SCHOOLS", eligible_kinds="school")
    CallFactory(identifier="PREFIX", eligible_kinds="ngox")

    assert sorted(_identifiers(client.get(LIST_URL, {"applicant_kind": "ngo"}))) == ["ANYONE", "NGOS"]


def test_the_territory_filter_follows_the_line_of_units(client, region, county, municipality, other_county):
    CallFactory(identifier="REGION", territories=[region])
    CallFactory(identifier="COUNTY", territories=[county])
    CallFactory(identifier="TOWN", territories=[municipality])
    CallFactory(identifier="ELSEWHERE", territories=[other_county])
    CallFactory(identifier="ANYWHERE")
    CallFactory(identifier="TURKEY-ONLY", eligible_countries="TR")

    in_county = sorted(_identifiers(client.get(LIST_URL, {"territory": county.pk})))

    # The county itself, the region above it, the municipality below it, and unrestricted calls.
    assert in_county == ["ANYWHERE", "COUNTY", "REGION", "TOWN"]


def test_the_territory_filter_knows_a_turkish_district(client):
    bursa = Territory.objects.get(country="TR", level="region", code="16")
    orhangazi = Territory.objects.get(country="TR", level="county", name_en="Orhangazi")
    CallFactory(identifier="BEBKA", territories=[bursa], eligible_countries="TR")
    CallFactory(identifier="POLAND", eligible_countries="PL")

    assert _identifiers(client.get(LIST_URL, {"territory": territory_key(orhangazi)})) == ["BEBKA"]


def test_the_thematic_area_filter(client):
    youth = ThematicArea.objects.get(code="eu-youth")
    CallFactory(identifier="YOUTH", areas=[youth])
    CallFactory(identifier="OTHER")

    assert _identifiers(client.get(LIST_URL, {"thematic_area": youth.pk})) == ["YOUTH"]


def test_the_deadline_range_filter_uses_the_last_deadline_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    # 23:30 Warsaw time on 19 March is still 19 March there (22:30 UTC).
    CallFactory(identifier="MARCH", opens_at=None, deadlines=[datetime(2027, 3, 19, 22, 30, tzinfo=UTC)])
    CallFactory(identifier="APRIL", opens_at=None, deadlines=[datetime(2027, 4, 2, 10, 0, tzinfo=UTC)])

    march = client.get(LIST_URL, {"deadline_from": "2027-03-19", "deadline_to": "2027-03-19"})
    spring = client.get(LIST_URL, {"deadline_from": "2027-03-01", "deadline_to": "2027-04-30"})

    assert _identifiers(march) == ["MARCH"]
    assert sorted(_identifiers(spring)) == ["APRIL", "MARCH"]


def test_the_amount_filters_use_the_maximum_grant_and_keep_calls_without_one(client):
    CallFactory(identifier="SMALL", max_grant=Decimal("10000"))
    CallFactory(identifier="LARGE", max_grant=Decimal("500000"))
    CallFactory(identifier="UNKNOWN", max_grant=None)

    assert sorted(_identifiers(client.get(LIST_URL, {"amount_min": "50000"}))) == ["LARGE", "UNKNOWN"]
    assert sorted(_identifiers(client.get(LIST_URL, {"amount_max": "50000"}))) == ["SMALL", "UNKNOWN"]


def test_ordering_by_maximum_grant(client):
    CallFactory(identifier="SMALL", max_grant=Decimal("10000"))
    CallFactory(identifier="LARGE", max_grant=Decimal("500000"))

    assert _identifiers(client.get(LIST_URL, {"ordering": "-amount"})) == ["LARGE", "SMALL"]


ORDERINGS = ["deadline", "-deadline", "published", "-published", "title", "-title", "amount", "-amount"]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_paging_through_calls_that_share_the_sort_value_shows_each_call_once_ties_in_the_order_they_were_made(
    client, settings, ordering
):
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    deadline, published = in_days(30), in_days(-10)
    calls = [
        CallFactory(title="Same title", max_grant=Decimal("10000"), published_at=published, deadlines=[deadline])
        for _ in range(8)
    ]
    made = [call.identifier for call in sorted(calls, key=lambda call: call.pk)]

    shown = []
    for page in (1, 2, 3):
        shown += _identifiers(client.get(LIST_URL, {"ordering": ordering, "page": page}))
    api = []
    for page in (1, 2, 3):
        answer = client.get("/api/v1/calls/", {"ordering": ordering, "page": page, "page_size": 3}).json()
        api += [row["identifier"] for row in answer["results"]]

    # The ties follow the chosen direction, as in the registry (directory.filters.StableOrderingFilter).
    assert shown == api == (made[::-1] if ordering.startswith("-") else made)


def test_bad_filter_values_are_reported_not_a_server_error(client):
    CallFactory()

    response = client.get(LIST_URL, {"deadline_from": "19/03/2027", "amount_min": "lots", "status": "maybe", "funder": "x"})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_an_htmx_request_for_the_results_gets_only_the_results(client):
    CallFactory()

    response = client.get(LIST_URL, headers={"HX-Request": "true", "HX-Target": "results"})

    body = response.content.decode()
    assert "result-count" in body
    assert "<html" not in body


def test_the_list_offers_the_feed_and_calendar_with_the_same_filters(client):
    response = client.get(LIST_URL, {"status": "open", "page": "1"})

    body = response.content.decode()
    assert "/en/calls/feed/?status=open" in body
    assert "/en/calls/deadlines.ics?status=open" in body


def test_the_alerts_subscription_box_follows_the_filters_also_after_an_htmx_swap(client, user):
    client.force_login(user)

    full = client.get(LIST_URL).content.decode()
    swapped = client.get(LIST_URL, {"q": "twinning"}, headers={"HX-Request": "true", "HX-Target": "results"})

    assert "subscribe-box" in full
    assert 'name="q" value="twinning"' in swapped.content.decode()


# --- closing soon ---------------------------------------------------------------------------------------


def test_closing_soon_lists_open_calls_with_a_deadline_in_14_days_soonest_first(client):
    CallFactory(identifier="IN-10-DAYS", deadlines=[in_days(10)])
    CallFactory(identifier="IN-2-DAYS", deadlines=[in_days(2)])
    CallFactory(identifier="IN-30-DAYS", deadlines=[in_days(30)])
    CallFactory(
        identifier="STAGE-1-SOON", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=[in_days(5), in_days(90)]
    )
    CallFactory(identifier="PASSED", deadlines=[in_days(-1)])
    CallFactory(identifier="DRAFT", published_at=None, deadlines=[in_days(3)])
    CallFactory(identifier="CLOSED-EARLY", deadlines=[in_days(4)], status_from_source="closed")

    response = client.get("/en/calls/closing-soon/")

    assert _identifiers(response) == ["IN-2-DAYS", "STAGE-1-SOON", "IN-10-DAYS"]


# --- detail ---------------------------------------------------------------------------------------------


def test_the_detail_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    call = CallFactory(areas=list(ThematicArea.objects.all()[:3]))

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(call.get_absolute_url())

    assert response.status_code == 200


def test_the_detail_page_shows_each_deadline_on_the_funders_clock_and_the_sites(client, settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    call = CallFactory(
        identifier="ERASMUS-EDU-2027-PI-ALL-INNO", opens_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC),
        deadlines=[datetime(2027, 3, 2, 16, 0, tzinfo=UTC)],
    )

    page = client.get(call.get_absolute_url()).content.decode()

    assert "2 March 2027, 17:00" in page and "Brussels time" in page
    assert "2 March 2027, 19:00" in page and "Istanbul time" in page
    assert 'scope="row"' in page and 'scope="col"' in page


def test_the_detail_page_has_a_countdown_an_add_to_calendar_link_and_the_phases(client):
    call = CallFactory(deadlines=[in_days(3) + timedelta(hours=4, minutes=30)])

    page = client.get(call.get_absolute_url()).content.decode()

    assert "Closes in 3 days 4 hours" in page
    assert "data-countdown-template" in page
    assert f"/en/calls/{call.identifier}/deadlines.ics?reminder=7" in page
    assert 'aria-current="step"' in page
    assert "funding/countdown.js" in page
    assert "<script>" not in page  # no inline script under the content security policy


def test_a_draft_is_not_found_by_visitors_nor_by_officers_of_other_bodies(client, officer, other_officer):
    call = CallFactory(published_at=None, created_by=officer)

    assert client.get(call.get_absolute_url()).status_code == 404
    client.force_login(other_officer)
    assert client.get(call.get_absolute_url()).status_code == 404


def test_a_draft_is_shown_to_its_officer_with_a_publish_button(client, officer):
    call = CallFactory(published_at=None, created_by=officer)
    client.force_login(officer)

    page = client.get(call.get_absolute_url()).content.decode()

    assert "draft, not public" in page
    assert f"/en/calls/{call.identifier}/publish/" in page


def test_an_unknown_identifier_is_not_found(client):
    assert client.get("/en/calls/NO-SUCH-CALL/").status_code == 404


# --- forms ----------------------------------------------------------------------------------------------


def _form_data(programme, **overrides):
    data = {
        "identifier": "OPOLSKIE-2027-OKO-KULTURA", "title": "Kultura 2027", "programme": programme.pk,
        "summary": "Otwarty konkurs ofert.", "deadline_model": "single_stage",
        "opens_on": "2026-11-20", "opens_time": "08:00", **deadline_rows(("2027-01-15", "15:30")),
        "currency": "PLN", "max_grant": "20000", "eligible_kinds": ["ngo"], "eligible_countries": ["PL"],
    }
    data.update(overrides)
    return data


def test_an_officer_enters_a_call_as_a_draft_on_the_funders_clock(client, officer):
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    client.force_login(officer)

    response = client.post("/en/calls/new/", _form_data(programme))

    call = Call.objects.get()
    assert response.status_code == 302 and response.url == call.get_absolute_url()
    assert call.published_at is None and call.created_by == officer
    assert call.closes_at == datetime(2027, 1, 15, 14, 30, tzinfo=UTC)
    assert (call.eligible_kinds, call.eligible_countries) == ("ngo", "PL")


def test_a_citizen_may_not_open_the_call_form(client, user):
    client.force_login(user)

    assert client.get("/en/calls/new/").status_code == 403
    assert client.post("/en/calls/new/", {}).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get("/en/calls/new/")

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_bad_input_is_reported_on_its_field_and_nothing_is_saved(client, officer):
    programme = ProgrammeFactory()
    client.force_login(officer)

    response = client.post(
        "/en/calls/new/", _form_data(programme, identifier="TR41/26/MDP", max_grant="-5", **{"deadlines-0-time": ""})
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "time" in form.deadline_rows.forms[0].errors
    assert "max_grant" in form.errors
    assert "error-summary" in response.content.decode()
    assert not Call.objects.exists()


def test_a_service_refusal_comes_back_on_the_field(client, officer):
    programme = ProgrammeFactory()
    CallFactory(identifier="OPOLSKIE-2027-OKO-KULTURA")
    client.force_login(officer)

    response = client.post("/en/calls/new/", _form_data(programme))

    assert "identifier" in response.context["form"].errors
    assert Call.objects.count() == 1


def test_the_form_explains_the_deadline_models_rule(client, officer):
    programme = ProgrammeFactory()
    client.force_login(officer)

    response = client.post(
        "/en/calls/new/", _form_data(programme, deadline_model="two_stage"),
    )

    assert "exactly two deadlines" in str(response.context["form"].deadline_rows.non_form_errors())
    assert "exactly two deadlines" in response.content.decode()
    assert not Call.objects.exists()


def test_every_mistake_of_a_new_call_is_shown_at_once_and_what_was_typed_is_kept(client, officer):
    # Not one message per submit: the language, the currency, the rate, the amounts and the
    # deadline model's rule come back together, in the page's language.
    programme = ProgrammeFactory()
    client.force_login(officer)

    response = client.post("/pl/calls/new/", _form_data(
        programme, languages="polski", currency="zł", co_financing_rate="150", min_grant="30000",
        max_grant="20000", deadline_model="two_stage",
    ))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"languages", "currency", "co_financing_rate", "max_grant"}
    page = response.content.decode()
    # Languages are chosen from a menu of their names: a value it does not offer is refused.
    assert "Wybierz poprawną wartość. polski nie jest żadną z dostępnych opcji." in page
    assert "Podaj trzyliterowy kod waluty (ISO 4217), np. EUR, PLN lub TRY." in page
    assert "Upewnij się, że ta wartość jest mniejsza lub równa 100." in page
    assert "Maksymalna dotacja nie może być niższa od minimalnej." in page
    assert "Nabór dwuetapowy ma dokładnie dwa terminy, po jednym na etap." in page
    for typed in ('value="zł"', 'value="150"', 'value="30000"', 'value="20000"'):
        assert typed in page
    assert not Call.objects.exists()


def test_a_maximum_grant_above_the_total_budget_is_refused_on_its_field(client, officer):
    programme = ProgrammeFactory()
    client.force_login(officer)

    response = client.post("/pl/calls/new/", _form_data(programme, total_budget="5000", max_grant="50000"))

    assert response.status_code == 200
    assert response.context["form"].errors["max_grant"] == ["Maksymalna dotacja nie może być wyższa niż budżet całkowity."]
    assert not Call.objects.exists()


def test_an_officer_of_another_body_may_not_edit_a_published_call(client, officer, other_officer):
    call = CallFactory(created_by=officer)
    client.force_login(other_officer)

    assert client.get(f"/en/calls/{call.identifier}/edit/").status_code == 403
    assert client.post(f"/en/calls/{call.identifier}/edit/", {"title": "Hacked"}).status_code == 403
    assert Call.objects.get(pk=call.pk).title == call.title


def test_the_officer_edits_the_call_and_the_deadline_moves(client, officer):
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    call = CallFactory(identifier="OPOLSKIE-2027-OKO-KULTURA", programme=programme, created_by=officer)
    client.force_login(officer)
    form = client.get(f"/en/calls/{call.identifier}/edit/").context["form"]
    assert form.deadline_rows.forms[0].initial["date"] == call.closes_at.astimezone(ZoneInfo("Europe/Warsaw")).date()

    response = client.post(
        f"/en/calls/{call.identifier}/edit/", _form_data(programme, **deadline_rows(("2027-02-01", "15:30"), initial=1))
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at == datetime(2027, 2, 1, 14, 30, tzinfo=UTC)
    assert call.deadlines_revision == 1


def test_the_edit_page_keeps_a_published_calls_identifier(client, officer):
    # Its address is in feeds, calendars and alert e-mails: the page refuses the change.
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))
    call = CallFactory(identifier="OPOLSKIE-2027-OKO-KULTURA", programme=programme, created_by=officer)
    client.force_login(officer)

    response = client.post(f"/en/calls/{call.identifier}/edit/", _form_data(programme, identifier="RENAMED-2027"))

    assert response.status_code == 200
    assert "The identifier of a published call cannot change." in response.content.decode()
    call.refresh_from_db()
    assert call.identifier == "OPOLSKIE-2027-OKO-KULTURA"
    assert client.get(f"/en/calls/{call.identifier}/").status_code == 200


def test_publishing_needs_a_post_and_the_right_to_manage(client, officer, other_officer):
    call = CallFactory(published_at=None, created_by=officer)
    url = f"/en/calls/{call.identifier}/publish/"

    client.force_login(other_officer)
    assert client.post(url).status_code == 404  # another body's draft does not exist for them
    client.force_login(officer)
    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).published_at is not None
    assert "The call is published." in _messages(response)


def test_only_officers_and_coordinators_reach_the_import(client, user, officer):
    client.force_login(user)
    assert client.get("/en/calls/import/").status_code == 403
    client.force_login(officer)
    assert client.get("/en/calls/import/").status_code == 200


# --- funders --------------------------------------------------------------------------------------------


def test_the_funders_page_lists_funders_with_programmes_and_open_calls(client):
    programme = ProgrammeFactory(name="Erasmus+", code="ERASMUS")
    CallFactory(programme=programme)
    CallFactory(programme=programme, opens_at=in_days(-90), deadlines=[in_days(-1)])

    page = client.get("/en/funders/").content.decode()

    assert programme.funder.name in page and "Erasmus+ (ERASMUS)" in page
    assert "1 open call" in page


def test_the_funders_page_counts_every_open_call_of_a_programme_with_a_deadline_ahead_or_none(client):
    from civicbridge.funding.selectors import funders_with_programmes

    programme = ProgrammeFactory(name="Horizon Europe", code="HORIZON")
    other = ProgrammeFactory(name="CERV", code="CERV", funder=programme.funder)
    CallFactory(programme=programme)  # a deadline ahead
    CallFactory(programme=programme, deadlines=[])  # permanent: no deadline
    CallFactory(programme=programme, status_from_source=Call.Status.OPEN, deadlines=[])
    CallFactory(programme=other, deadlines=[])
    CallFactory(programme=programme, opens_at=in_days(-90), deadlines=[in_days(-1)])  # passed
    CallFactory(programme=programme, opens_at=in_days(5), deadlines=[in_days(40)])  # forthcoming
    CallFactory(programme=programme, status_from_source=Call.Status.CLOSED)  # closed early
    CallFactory(programme=programme, published_at=None)  # a draft

    counted = {p.name: p.open_calls for f in funders_with_programmes() for p in f.programmes.all()}

    assert (counted["Horizon Europe"], counted["CERV"]) == (3, 1)
    assert '<td data-label="Open calls">4</td>' in client.get("/en/funders/").content.decode()


def test_a_call_without_attachments_or_territories_is_read_in_three_queries(client, django_assert_num_queries):
    # The call (asked whether it has attachments and territories), its deadlines, its areas.
    call = CallFactory(areas=list(ThematicArea.objects.all()[:3]))

    with django_assert_num_queries(3):
        page = client.get(call.get_absolute_url()).content.decode()

    assert "no territorial restriction" in page and "Attachments" not in page


def test_the_detail_page_lists_the_calls_attachments_and_eligible_territories(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.core.models import Territory
    from civicbridge.funding.models import CallAttachment

    settings.MEDIA_ROOT = tmp_path
    units = list(Territory.objects.exclude(name_en="").order_by("path")[:2])
    call = CallFactory(territories=units)
    CallAttachment.objects.create(
        call=call, title="Regulamin konkursu", file=SimpleUploadedFile("regulamin.pdf", b"%PDF-1.4 test")
    )
    other = CallFactory()

    page = client.get(call.get_absolute_url()).content.decode()
    other_page = client.get(other.get_absolute_url()).content.decode()

    assert "Regulamin konkursu" in page and ".pdf" in page
    assert ", ".join(unit.name_en for unit in units) in page
    assert "Regulamin konkursu" not in other_page and "no territorial restriction" in other_page
