import pytest
from rest_framework.test import APIClient

from civicbridge.events.models import Registration
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_api_lists_published_events_with_their_seats(event, organization):
    EventFactory(organizers=[organization], published_at=None, title="Szkic")
    client = APIClient()

    response = client.get("/api/v1/events/")

    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["results"]]
    assert titles == [event.title]
    item = response.json()["results"][0]
    assert item["capacity"] == 10 and item["seats_taken"] == 0 and item["territory_code"] == "1607"
    assert item["accepts_registrations"] is True


def test_the_api_filters_by_territory_code_and_refuses_unknown_values(event):
    client = APIClient()

    assert client.get("/api/v1/events/", {"territory": "1607"}).json()["count"] == 1
    assert client.get("/api/v1/events/", {"territory": "1601"}).json()["count"] == 0
    assert client.get("/api/v1/events/", {"kind": "party"}).status_code == 400


def test_registering_through_the_api_needs_credentials(event, user):
    client = APIClient()

    assert client.post(f"/api/v1/events/{event.pk}/register/", {}).status_code in (401, 403)
    client.force_authenticate(user)
    response = client.post(f"/api/v1/events/{event.pk}/register/", {"organization_name": "KGW Nysa"})

    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert Registration.objects.get().user == user
    again = client.post(f"/api/v1/events/{event.pk}/register/", {})
    assert again.status_code == 400
    assert Registration.objects.count() == 1
