"""/api/v1/partner-requests/: list, search, filters, pagination, writes and their refusals, OpenAPI."""

import datetime

import pytest
import yaml
from rest_framework.test import APIClient

from civicbridge.core.models import ThematicArea
from civicbridge.partners import phases
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest
from tests.accounts.factories import MembershipFactory
from tests.directory.factories import OrganizationFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/partner-requests/"
# count, page, thematic areas, territories; and the request-rate counter every API
# request adds to, shared by all processes (core.counters).
LIST_MAX_QUERIES = 5


def detail_url(partner_request):
    return f"{LIST_URL}{partner_request.pk}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def youth():
    return ThematicArea.objects.get(code="eu-youth")


@pytest.fixture
def partner_request(organization, youth):
    return PartnerRequestFactory(title="Youth exchange on climate", organization=organization, thematic_areas=[youth])


@pytest.fixture
def other_organization(municipality):
    return OrganizationFactory(territory=municipality)


@pytest.fixture
def other_representative(other_organization):
    return MembershipFactory(organization=other_organization).user


def payload(organization, **overrides):
    data = {
        "organization": organization.pk,
        "direction": "offering",
        "title": "We offer a partner school",
        "description": "Our school joins KA210 partnerships.",
        "partner_kinds": ["school"],
        "countries": ["DE", "TR"],
        "thematic_areas": [ThematicArea.objects.get(code="eu-education-training").pk],
        "deadline": (phases.today() + datetime.timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


# --- reading ----------------------------------------------------------------------------------------


def test_the_list_is_paginated_and_holds_the_public_fields(api, partner_request, organization, youth):
    body = api.get(LIST_URL).json()

    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == 1
    row = body["results"][0]
    assert row["title"] == partner_request.title
    assert row["organization"] == organization.pk
    assert row["organization_name"] == organization.name
    assert row["thematic_areas"] == [youth.pk]
    assert row["accepts_answers"] is True
    assert row["url"] == partner_request.get_absolute_url()
    assert "search_document" not in row


def test_the_list_shows_requests_accepting_answers_unless_asked_otherwise(api, organization):
    PartnerRequestFactory(title="Open", organization=organization)
    PartnerRequestFactory(title="Closed", organization=organization, status=PartnerRequest.Status.CLOSED)
    PartnerRequestFactory(title="Expired", organization=organization, deadline=phases.today() - datetime.timedelta(days=1))

    assert titles(api.get(LIST_URL)) == ["Open"]
    assert titles(api.get(LIST_URL, {"status": "expired"})) == ["Expired"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "klimat"}, ["Klimat"]),
        ({"direction": "offering"}, ["Offer"]),
        ({"country": "TR"}, ["Klimat"]),
        ({"partner_kind": "ngo"}, ["Klimat"]),
    ],
)
def test_the_list_searches_and_filters(api, organization, params, expected):
    PartnerRequestFactory(title="Klimat", organization=organization, countries="TR", partner_kinds="ngo")
    PartnerRequestFactory(title="Offer", description="Oferujemy wolontariuszy.", organization=organization, direction="offering")

    assert titles(api.get(LIST_URL, params)) == expected


def test_page_size_is_capped_at_100(api, organization):
    PartnerRequestFactory.create_batch(3, organization=organization)

    body = api.get(LIST_URL, {"page_size": 2}).json()

    assert len(body["results"]) == 2
    assert body["next"]
    assert len(api.get(LIST_URL, {"page_size": 1000}).json()["results"]) == 3


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_runs_a_bounded_number_of_queries(api, organization, youth, county, django_assert_max_num_queries, count):
    for _ in range(count):
        PartnerRequestFactory(organization=organization, thematic_areas=[youth], territories=[county])

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = api.get(LIST_URL, {"page_size": 100})

    assert response.json()["count"] == count


def test_an_expired_request_is_still_retrieved(api, organization):
    partner_request = PartnerRequestFactory(organization=organization, deadline=phases.today() - datetime.timedelta(days=1))

    response = api.get(detail_url(partner_request))

    assert response.status_code == 200
    assert response.json()["accepts_answers"] is False


def test_a_closed_request_is_404_to_others_but_not_to_its_poster(api, partner_request, representative):
    partner_request.status = PartnerRequest.Status.CLOSED
    partner_request.save()

    assert api.get(detail_url(partner_request)).status_code == 404
    assert as_user(representative).get(detail_url(partner_request)).status_code == 200


# --- writing ------------------------------------------------------------------------------------------


def test_a_representative_posts_a_request(representative, organization):
    response = as_user(representative).post(LIST_URL, payload(organization), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["countries"] == ["DE", "TR"]
    assert body["partner_kinds"] == ["school"]
    assert PartnerRequest.objects.get().created_by == representative


def test_posting_needs_credentials(api, organization):
    assert api.post(LIST_URL, payload(organization), format="json").status_code == 401


def test_posting_for_another_organization_is_403(other_representative, organization):
    response = as_user(other_representative).post(LIST_URL, payload(organization), format="json")

    assert response.status_code == 403
    assert not PartnerRequest.objects.exists()


def test_bad_values_are_400_with_a_message_per_field(representative, organization):
    response = as_user(representative).post(
        LIST_URL, payload(organization, countries=["ZZ"], deadline="2001-01-01", title=""), format="json"
    )

    assert response.status_code == 400
    assert {"countries", "title"} <= set(response.json())


def test_a_past_deadline_is_400_on_its_field(representative, organization):
    response = as_user(representative).post(LIST_URL, payload(organization, deadline="2001-01-01"), format="json")

    assert response.status_code == 400
    assert "deadline" in response.json()


def test_the_poster_updates_the_request(representative, partner_request):
    response = as_user(representative).patch(detail_url(partner_request), {"title": "New title"}, format="json")

    assert response.status_code == 200
    partner_request.refresh_from_db()
    assert partner_request.title == "New title"


def test_the_organization_of_a_request_cannot_change(representative, partner_request, other_organization):
    response = as_user(representative).patch(
        detail_url(partner_request), {"organization": other_organization.pk}, format="json"
    )

    assert response.status_code == 400
    assert "organization" in response.json()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_others_may_not_update(other_representative, partner_request, organization, method):
    response = getattr(as_user(other_representative), method)(
        detail_url(partner_request), payload(organization, title="Hijacked"), format="json"
    )

    assert response.status_code == 403
    partner_request.refresh_from_db()
    assert partner_request.title != "Hijacked"


def test_updating_needs_credentials(api, partner_request):
    assert api.patch(detail_url(partner_request), {"title": "X"}, format="json").status_code == 401


def test_the_poster_closes_the_request(representative, partner_request):
    response = as_user(representative).post(f"{detail_url(partner_request)}close/")

    assert response.status_code == 200
    assert response.json()["status"] == "closed"


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("other", 403)])
def test_others_may_not_close(api, other_representative, partner_request, who, status):
    client = api if who == "anonymous" else as_user(other_representative)

    assert client.post(f"{detail_url(partner_request)}close/").status_code == status


def test_deleting_is_not_offered(representative, partner_request):
    assert as_user(representative).delete(detail_url(partner_request)).status_code == 405


# --- expressions of interest ------------------------------------------------------------------------


def interest_url(partner_request):
    return f"{detail_url(partner_request)}interest/"


def test_a_representative_expresses_interest(other_representative, other_organization, partner_request):
    response = as_user(other_representative).post(
        interest_url(partner_request), {"organization": other_organization.pk, "message": "Count us in."}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert response.json()["request"] == partner_request.pk
    assert ExpressionOfInterest.objects.get().organization == other_organization


def test_interest_needs_credentials(api, partner_request, other_organization):
    response = api.post(interest_url(partner_request), {"organization": other_organization.pk, "message": "Hi"}, format="json")

    assert response.status_code == 401


def test_interest_for_an_organization_one_does_not_represent_is_403(other_representative, partner_request, municipality):
    stranger = OrganizationFactory(territory=municipality)

    response = as_user(other_representative).post(
        interest_url(partner_request), {"organization": stranger.pk, "message": "Hi"}, format="json"
    )

    assert response.status_code == 403


def test_a_second_interest_and_an_expired_deadline_are_400_with_a_message(other_representative, other_organization, organization):
    client = as_user(other_representative)
    open_request = PartnerRequestFactory(organization=organization)
    expired = PartnerRequestFactory(organization=organization, deadline=phases.today() - datetime.timedelta(days=1))
    body = {"organization": other_organization.pk, "message": "Hi"}

    assert client.post(interest_url(open_request), body, format="json").status_code == 201
    second = client.post(interest_url(open_request), body, format="json")
    late = client.post(interest_url(expired), body, format="json")

    assert second.status_code == 400 and "organization" in second.json()
    assert late.status_code == 400 and "deadline" in str(late.json())
    assert ExpressionOfInterest.objects.count() == 1


# --- OpenAPI --------------------------------------------------------------------------------------


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/v1/schema/").content)


def test_the_schema_describes_the_partner_requests(schema):
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/partner-requests/"])
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/v1/partner-requests/{id}/"])
    assert "delete" not in schema["paths"]["/api/v1/partner-requests/{id}/"]
    assert "post" in schema["paths"]["/api/v1/partner-requests/{id}/interest/"]
    assert "post" in schema["paths"]["/api/v1/partner-requests/{id}/close/"]


def test_the_schema_documents_the_list_filters(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/partner-requests/"]["get"]["parameters"]}

    assert {"page", "page_size", "search", "direction", "status", "thematic_area", "country", "partner_kind", "call"} <= names


def test_the_schema_validates(schema):
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)
