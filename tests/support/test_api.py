"""/api/v1/support-requests/: read-only, and only for those who may see each request."""

import pytest
from rest_framework.test import APIClient

from civicbridge.support.models import SupportRequest
from tests.accounts.factories import MembershipFactory
from tests.directory.factories import OrganizationFactory
from tests.support.factories import MessageFactory, SupportRequestFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/support-requests/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def mine(organization, representative, coordinator):
    support_request = SupportRequestFactory(organization=organization, created_by=representative, topic="reporting")
    MessageFactory(request=support_request, author=coordinator, from_office=True, body="Odpowiedź.")
    TimeEntryFactory(request=support_request, coordinator=coordinator, minutes=25)
    return support_request


@pytest.fixture
def theirs(municipality):
    other = OrganizationFactory(territory=municipality)
    return SupportRequestFactory(organization=other, status=SupportRequest.Status.CLOSED)


def test_anonymous_callers_get_401(mine):
    assert APIClient().get(LIST).status_code == 401
    assert APIClient().get(f"{LIST}{mine.pk}/").status_code == 401


def test_a_representative_reads_only_their_organizations_requests(mine, theirs, representative):
    api = as_user(representative)

    listed = api.get(LIST).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk] and listed["count"] == 1
    assert listed["results"][0]["time_spent_minutes"] is None
    assert api.get(f"{LIST}{theirs.pk}/").status_code == 404
    detail = api.get(f"{LIST}{mine.pk}/").json()
    assert [message["body"] for message in detail["messages"]] == ["Odpowiedź."]
    assert detail["history"][0]["kind"] == "created"


def test_a_citizen_reads_nothing(mine, user):
    api = as_user(user)

    assert api.get(LIST).json()["count"] == 0
    assert api.get(f"{LIST}{mine.pk}/").status_code == 404


def test_a_coordinator_reads_every_request_with_the_time_spent_and_filters(mine, theirs, coordinator):
    api = as_user(coordinator)

    assert api.get(LIST).json()["count"] == 2
    closed = api.get(LIST, {"status": "closed"}).json()["results"]
    assert [row["id"] for row in closed] == [theirs.pk]
    reporting = api.get(LIST, {"topic": "reporting"}).json()["results"]
    assert [row["id"] for row in reporting] == [mine.pk] and reporting[0]["time_spent_minutes"] == 25
    assert api.get(LIST, {"status": "archived"}).status_code == 400


def test_the_api_writes_nothing(mine, representative):
    api = as_user(representative)

    assert api.post(LIST, {"subject": "x"}, format="json").status_code == 405
    assert api.patch(f"{LIST}{mine.pk}/", {"status": "closed"}, format="json").status_code == 405


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_and_detail_run_a_bounded_number_of_queries(
    organization, representative, coordinator, django_assert_max_num_queries, count
):
    for _ in range(count):
        request = SupportRequestFactory(organization=organization, created_by=representative)
        TimeEntryFactory(request=request, coordinator=coordinator)
        MessageFactory(request=request, author=representative)
    api = as_user(coordinator)

    with django_assert_max_num_queries(6):
        assert api.get(LIST, {"page_size": 100}).json()["count"] == count
    with django_assert_max_num_queries(6):
        assert api.get(f"{LIST}{request.pk}/").status_code == 200


def test_a_member_of_a_rejected_organization_reads_nothing(organization, mine):
    organization.registration = organization.Registration.REJECTED
    organization.save(update_fields=["registration"])
    member = MembershipFactory(organization=organization).user

    assert as_user(member).get(LIST).json()["count"] == 0
