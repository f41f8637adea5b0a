"""API lists: exact counts, and following ``next`` reaches the last item."""

import pytest
from rest_framework.test import APIClient

from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _registry_of(size: int, territory) -> list[int]:
    # Built in bulk (the factory's way, one insert): a registry larger than any old count cap.
    organizations = OrganizationFactory.build_batch(size, territory=territory)
    for organization in organizations:
        organization.search_document = ""
    return [organization.pk for organization in Organization.objects.bulk_create(organizations, batch_size=500)]


def _follow_next(client, url, params=None):
    seen, pages, count = [], 0, None
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        count = body["count"] if count is None else count
        assert body["count"] == count  # the same exact count on every page
        seen.extend(item["id"] for item in body["results"])
        pages += 1
        if not body["next"]:
            return seen, pages, count
        response = client.get(body["next"])


def test_following_next_reaches_every_organization_of_a_registry_past_the_old_caps(municipality):
    ids = _registry_of(1_150, municipality)

    seen, pages, count = _follow_next(APIClient(), "/api/v1/organizations/", {"page_size": 100})

    assert count == 1_150
    assert pages == 12
    assert sorted(seen) == sorted(ids)  # every item once, none repeated or lost


def test_a_filtered_list_counts_exactly_and_pages_to_its_end(municipality, other_county):
    elsewhere = other_county.children.order_by("code").first()
    _registry_of(30, elsewhere)
    ids = _registry_of(230, municipality)

    seen, pages, count = _follow_next(
        APIClient(), "/api/v1/organizations/", {"territory": municipality.parent.code, "page_size": 100}
    )

    assert count == 230 and pages == 3
    assert sorted(seen) == sorted(ids)


def test_the_page_parameter_keeps_working_for_existing_clients(municipality):
    _registry_of(45, municipality)

    body = APIClient().get("/api/v1/organizations/", {"page": 3, "page_size": 20}).json()

    assert body["count"] == 45 and len(body["results"]) == 5 and body["next"] is None
    assert body["count_is_exact"] is True


def test_an_api_list_page_runs_a_bounded_number_of_queries_however_deep(
    municipality, django_assert_max_num_queries
):
    _registry_of(250, municipality)
    client = APIClient()

    for page in (1, 3):
        with django_assert_max_num_queries(4):
            assert client.get("/api/v1/organizations/", {"page": page, "page_size": 100}).status_code == 200


def test_the_schema_documents_exact_counts_and_when_a_search_estimates():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    page = schema["components"]["schemas"]["PaginatedOrganizationList"]
    assert page["properties"]["count_is_exact"]["type"] == "boolean"
    assert "count_is_exact" in page["required"]
    assert "exact" in page["properties"]["count"]["description"]
