"""/api/v1/funders/ and /api/v1/calls/: lists, search, filters, writes through the services, schema."""

from datetime import UTC, datetime

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from civicbridge.core.models import ThematicArea
from civicbridge.funding.models import Call
from tests.accounts.factories import UserFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory, in_days

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/calls/"
FUNDERS = "/api/v1/funders/"
# The anonymous rate's counter, count (of each part of the deadline order, in one query), page
# (with the calls whose stage before their last falls among its deadlines: the order of the
# next deadline), and the areas, territories and deadlines prefetches (nothing cached).
LIST_MAX_QUERIES = 6


@pytest.fixture
def api():
    return APIClient()


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def identifiers(response) -> list[str]:
    return [row["identifier"] for row in response.json()["results"]]


def payload(programme, **overrides):
    data = {
        "identifier": "OPOLSKIE-2027-OKO-SENIORZY", "title": "Seniorzy 2027", "programme": programme.pk,
        "deadline_model": "single_stage", "deadlines": [{"deadline_at": "2027-01-20T15:30:00"}],
        "currency": "PLN", "eligible_kinds": ["ngo"], "thematic_areas": [ThematicArea.objects.get(code="pb-seniors").pk],
    }
    data.update(overrides)
    return data


# --- read ----------------------------------------------------------------------------------------------


def test_the_calls_list_is_paginated_with_the_contracts_keys(api):
    CallFactory.create_batch(3)

    body = api.get(CALLS, {"page_size": 2}).json()

    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_page_size_is_capped_at_100(api):
    CallFactory.create_batch(3)

    assert api.get(CALLS, {"page_size": 1000}).status_code == 200


@pytest.mark.parametrize("count", [3, 20])
def test_the_calls_list_runs_a_bounded_number_of_queries(api, django_assert_max_num_queries, count):
    for _ in range(count):
        CallFactory(areas=list(ThematicArea.objects.all()[:2]))
    api.get(CALLS)

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        assert api.get(CALLS, {"page_size": 50}).status_code == 200


def test_a_call_row_holds_status_deadlines_funder_and_codes_as_lists(api):
    funder = FunderFactory(name="European Commission", time_zone="Europe/Brussels")
    CallFactory(
        identifier="CERV-2027-CITIZENS-TOWN-TT", programme=ProgrammeFactory(funder=funder),
        deadlines=[datetime(2027, 3, 2, 16, 0, tzinfo=UTC)], opens_at=in_days(-1), eligible_kinds="ngo,municipality",
    )

    row = api.get(CALLS).json()["results"][0]

    assert row["status"] == "open"
    assert row["funder"]["name"] == "European Commission" and row["funder"]["time_zone"] == "Europe/Brussels"
    assert row["deadlines"] == [{"stage": 1, "deadline_at": "2027-03-02T17:00:00+01:00", "label": ""}]
    assert row["eligible_kinds"] == ["ngo", "municipality"]
    assert row["url"] == "/en/calls/CERV-2027-CITIZENS-TOWN-TT/"
    assert "search_document" not in row


def test_a_list_item_names_its_areas_and_territories_by_id_as_its_own_page_does(api):
    from civicbridge.core.models import Territory

    areas = list(ThematicArea.objects.order_by("-pk")[:3])
    territories = list(Territory.objects.order_by("-pk")[:2])
    CallFactory(identifier="WITH-BOTH", areas=areas, territories=territories)
    CallFactory(identifier="WITH-NONE")

    rows = {row["identifier"]: row for row in api.get(CALLS).json()["results"]}
    item = api.get(f"{CALLS}WITH-BOTH/").json()

    # In the models' order, read as ids alone by both.
    assert rows["WITH-BOTH"]["thematic_areas"] == item["thematic_areas"] == [
        area.pk for area in ThematicArea.objects.filter(pk__in=[a.pk for a in areas])
    ]
    assert rows["WITH-BOTH"]["eligible_territories"] == item["eligible_territories"] == [
        unit.pk for unit in Territory.objects.filter(pk__in=[t.pk for t in territories])
    ]
    assert rows["WITH-NONE"]["thematic_areas"] == rows["WITH-NONE"]["eligible_territories"] == []


def test_search_and_filters_named_after_fields(api):
    programme = ProgrammeFactory()
    CallFactory(identifier="TWIN", title="Town-twinning", programme=programme)
    CallFactory(identifier="LIFE", title="Nature and biodiversity")
    CallFactory(identifier="OVER", title="Town-twinning 2025", opens_at=in_days(-90), deadlines=[in_days(-10)])

    assert sorted(identifiers(api.get(CALLS, {"search": "twinning"}))) == ["OVER", "TWIN"]
    assert identifiers(api.get(CALLS, {"search": "twinning", "status": "open"})) == ["TWIN"]
    assert identifiers(api.get(CALLS, {"programme": programme.pk})) == ["TWIN"]
    assert identifiers(api.get(CALLS, {"funder": programme.funder_id})) == ["TWIN"]


def test_a_bad_filter_value_is_a_400_with_a_message_per_field(api):
    response = api.get(CALLS, {"amount_min": "lots"})

    assert response.status_code == 400
    assert "amount_min" in response.json()


def test_one_call_by_its_identifier_and_drafts_hidden(api):
    CallFactory(identifier="PUBLIC-1")
    CallFactory(identifier="DRAFT-1", published_at=None)

    assert api.get(f"{CALLS}PUBLIC-1/").json()["identifier"] == "PUBLIC-1"
    assert api.get(f"{CALLS}DRAFT-1/").status_code == 404
    assert identifiers(api.get(CALLS)) == ["PUBLIC-1"]


def test_a_calls_address_answers_whatever_list_filters_its_query_string_holds(api, django_assert_max_num_queries):
    CallFactory(identifier="OPEN-1")  # open: a list of closed calls leaves it out

    assert identifiers(api.get(CALLS, {"status": "closed"})) == []
    with django_assert_max_num_queries(5):
        item = api.get(f"{CALLS}OPEN-1/", {"status": "closed", "amount_min": "lots"})
    assert item.status_code == 200 and item.json()["identifier"] == "OPEN-1"
    assert api.get(f"{CALLS}DRAFT-9/", {"status": "open"}).status_code == 404


def test_funders_come_with_their_programmes_and_can_be_searched(api):
    funder = FunderFactory(name="Bursa Eskişehir Bilecik Kalkınma Ajansı", kind="development_agency")
    ProgrammeFactory(funder=funder, name="Mali Destek Programı", code="MDP")
    FunderFactory(name="World Bank", kind="international")

    body = api.get(FUNDERS, {"search": "Bilecik"}).json()

    assert body["count"] == 1
    assert body["results"][0]["programmes"][0]["code"] == "MDP"
    assert api.get(FUNDERS, {"kind": "international"}).json()["results"][0]["name"] == "World Bank"


def test_funders_are_read_only(api, coordinator):
    assert as_user(coordinator).post(FUNDERS, {"name": "X"}, format="json").status_code == 405


# --- write ---------------------------------------------------------------------------------------------


def test_writing_without_credentials_is_401(api):
    programme = ProgrammeFactory()

    assert api.post(CALLS, payload(programme), format="json").status_code == 401


def test_a_citizen_may_not_create_a_call(user):
    programme = ProgrammeFactory()

    assert as_user(user).post(CALLS, payload(programme), format="json").status_code == 403
    assert not Call.objects.exists()


def test_a_citizen_is_refused_before_the_content_is_judged(user):
    response = as_user(user).post(CALLS, {"identifier": "FAKE-1", "title": "x"}, format="json")

    assert response.status_code == 403
    assert not Call.objects.exists()


def test_a_registrant_of_a_public_body_waiting_for_approval_may_not_create_a_call():
    from civicbridge.core.models import Territory
    from civicbridge.directory import services as directory_services

    registrant = UserFactory()
    directory_services.create_organization(by=registrant, data={
        "name": "Gmina Fikcyjna", "kind": "municipality",
        "territory": Territory.objects.get(country="PL", code="1607053"),
    })
    programme = ProgrammeFactory()

    assert as_user(registrant).post(CALLS, payload(programme), format="json").status_code == 403
    assert not Call.objects.exists()


def test_an_officer_creates_a_draft_with_a_naive_deadline_on_the_funders_clock(officer):
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))

    response = as_user(officer).post(CALLS, payload(programme), format="json")

    assert response.status_code == 201, response.json()
    call = Call.objects.get()
    assert call.closes_at == datetime(2027, 1, 20, 14, 30, tzinfo=UTC)
    assert call.published_at is None and call.eligible_kinds == "ngo"
    assert response.json()["status"] in ("open", "closed", "forthcoming")


def test_bad_input_is_a_400_with_a_message_per_field(officer):
    programme = ProgrammeFactory()

    response = as_user(officer).post(
        CALLS, payload(programme, identifier="A/B", deadline_model="two_stage"), format="json"
    )

    assert response.status_code == 400
    assert "identifier" in response.json()
    assert not Call.objects.exists()


def test_a_deadline_in_the_spring_gap_is_a_400(officer):
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))

    response = as_user(officer).post(
        CALLS, payload(programme, deadlines=[{"deadline_at": "2027-03-28T02:30:00"}]), format="json"
    )

    assert response.status_code == 400
    assert "deadlines" in response.json()


def test_an_officer_of_another_body_gets_403_on_a_published_call(officer, other_officer):
    call = CallFactory(created_by=officer)

    response = as_user(other_officer).patch(f"{CALLS}{call.identifier}/", {"title": "Hacked"}, format="json")

    assert response.status_code == 403
    assert Call.objects.get(pk=call.pk).title == call.title


def test_the_officer_moves_a_deadline_and_publishes(officer):
    call = CallFactory(created_by=officer, published_at=None)
    client = as_user(officer)

    moved = client.patch(
        f"{CALLS}{call.identifier}/", {"deadlines": [{"deadline_at": "2027-05-04T12:00:00Z"}]}, format="json"
    )
    published = client.post(f"{CALLS}{call.identifier}/publish/")

    assert moved.status_code == 200, moved.json()
    assert moved.json()["closes_at"].startswith("2027-05-04T14:00:00")
    assert published.status_code == 200 and published.json()["published_at"]
    assert client.post(f"{CALLS}{call.identifier}/publish/").status_code == 400


def test_a_change_answers_with_the_areas_it_wrote_and_the_item_shows_them_after(officer):
    seniors, youth = ThematicArea.objects.get(code="pb-seniors"), ThematicArea.objects.get(code="eu-youth")
    call = CallFactory(created_by=officer, published_at=None, areas=[seniors])
    client = as_user(officer)
    assert client.get(f"{CALLS}{call.identifier}/").json()["thematic_areas"] == [seniors.pk]

    changed = client.patch(f"{CALLS}{call.identifier}/", {"thematic_areas": [youth.pk]}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["thematic_areas"] == [youth.pk]  # what was written, not what was read before
    assert client.get(f"{CALLS}{call.identifier}/").json()["thematic_areas"] == [youth.pk]


def test_a_partial_change_with_a_deadline_without_its_moment_is_a_400(officer):
    # PATCH makes the nested fields optional: this was a 500 (KeyError) before.
    call = CallFactory(created_by=officer, published_at=None)

    response = as_user(officer).patch(f"{CALLS}{call.identifier}/", {"deadlines": [{}]}, format="json")

    assert response.status_code == 400
    assert "deadlines" in response.json()


def test_the_schema_says_what_a_call_accepts(api):
    fields = yaml.safe_load(api.get("/api/v1/schema/").content)["components"]["schemas"]["CallRequest"]["properties"]

    assert fields["identifier"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    assert fields["eligible_kinds"]["items"] == {"$ref": "#/components/schemas/OrganizationKindEnum"}
    assert fields["eligible_countries"]["items"]["pattern"] == "^[A-Za-z]{2}$"
    assert fields["total_budget"]["pattern"] == r"^\d{1,12}(?:\.\d{0,2})?$"  # no sign: not negative
    assert "\\u0000" in fields["title"]["pattern"]  # the text rule: no control character


def test_calls_cannot_be_deleted_through_the_api(coordinator):
    call = CallFactory()

    assert as_user(coordinator).delete(f"{CALLS}{call.identifier}/").status_code == 405


# --- schema ---------------------------------------------------------------------------------------------


def test_the_openapi_schema_describes_funders_and_calls(api):
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)

    validate_schema(schema)
    for path in ("/api/v1/funders/", "/api/v1/funders/{id}/", "/api/v1/calls/", "/api/v1/calls/{identifier}/",
                 "/api/v1/calls/{identifier}/publish/"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/calls/"]["get"]["parameters"]}
    assert {"search", "status", "funder", "applicant_kind", "territory", "amount_min", "page_size"} <= parameters
