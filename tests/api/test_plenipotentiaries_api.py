"""/api/v1/plenipotentiaries/: public bodies' NGO plenipotentiaries, managed by the body's officers."""

import pytest
from rest_framework.test import APIClient

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Plenipotentiary
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import PlenipotentiaryFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/plenipotentiaries/"


def detail_url(plenipotentiary):
    return f"{LIST_URL}{plenipotentiary.pk}/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def public_body(municipality):
    return PublicBodyFactory(name="Urząd Miejski w Nysie", territory=municipality)


@pytest.fixture
def officer(public_body):
    person = UserFactory()
    MembershipFactory(user=person, organization=public_body)
    return person


@pytest.fixture
def plenipotentiary(public_body):
    return PlenipotentiaryFactory(public_body=public_body, full_name="Anna Kowalska")


def payload(public_body, **overrides):
    data = {
        "public_body": public_body.pk,
        "full_name": "Jan Nowak",
        "position": "Pełnomocnik burmistrza ds. organizacji pozarządowych",
        "email": "jan.nowak@example.org",
        "appointed_on": "2024-03-01",
    }
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_list_is_paginated_and_public(api, plenipotentiary):
    response = api.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    row = body["results"][0]
    assert row["full_name"] == "Anna Kowalska"
    assert row["public_body"] == plenipotentiary.public_body_id
    assert row["public_body_name"] == "Urząd Miejski w Nysie"


def test_filter_by_public_body(api, plenipotentiary, other_county):
    PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=other_county))

    body = api.get(LIST_URL, {"public_body": plenipotentiary.public_body_id}).json()

    assert [row["id"] for row in body["results"]] == [plenipotentiary.pk]


def test_filter_by_active(api, plenipotentiary):
    former = PlenipotentiaryFactory(public_body=plenipotentiary.public_body, is_active=False)

    body = api.get(LIST_URL, {"is_active": "false"}).json()

    assert [row["id"] for row in body["results"]] == [former.pk]


def test_search_by_name(api, plenipotentiary):
    PlenipotentiaryFactory(full_name="Piotr Zieliński")

    body = api.get(LIST_URL, {"search": "kowalsk"}).json()

    assert [row["id"] for row in body["results"]] == [plenipotentiary.pk]


def test_search_by_public_body_name(api, plenipotentiary):
    PlenipotentiaryFactory(full_name="Piotr Zieliński")

    body = api.get(LIST_URL, {"search": "Nysie"}).json()

    assert [row["id"] for row in body["results"]] == [plenipotentiary.pk]


def test_search_combined_with_a_filter_stays_within_the_filter(api, plenipotentiary):
    other = PlenipotentiaryFactory(full_name="Anna Zielińska")

    body = api.get(LIST_URL, {"search": "Anna", "public_body": other.public_body_id}).json()

    assert [row["id"] for row in body["results"]] == [other.pk]


@pytest.mark.parametrize("count", [3, 30])
def test_list_runs_a_bounded_number_of_queries(api, municipality, count, django_assert_max_num_queries):
    for _ in range(count):
        PlenipotentiaryFactory(public_body=PublicBodyFactory(territory=municipality))

    with django_assert_max_num_queries(3):
        response = api.get(LIST_URL, {"page_size": 100})

    assert response.json()["count"] == count


# --- create --------------------------------------------------------------------------------------------


def test_officer_of_the_body_creates_a_plenipotentiary(officer, public_body):
    response = as_user(officer).post(LIST_URL, payload(public_body), format="json")

    assert response.status_code == 201
    created = Plenipotentiary.objects.get(pk=response.json()["id"])
    assert created.public_body == public_body
    assert created.full_name == "Jan Nowak"


def test_coordinator_creates_a_plenipotentiary(coordinator, public_body):
    response = as_user(coordinator).post(LIST_URL, payload(public_body), format="json")

    assert response.status_code == 201


def test_stranger_cannot_create_and_nothing_is_written(user, public_body):
    response = as_user(user).post(LIST_URL, payload(public_body), format="json")

    assert response.status_code == 403
    assert not Plenipotentiary.objects.exists()


def test_officer_of_another_body_cannot_create(officer, other_county):
    another_body = PublicBodyFactory(territory=other_county)

    response = as_user(officer).post(LIST_URL, payload(another_body), format="json")

    assert response.status_code == 403
    assert not Plenipotentiary.objects.exists()


def test_pending_officer_cannot_create(public_body):
    claimant = UserFactory()
    MembershipFactory(user=claimant, organization=public_body, status=Membership.Status.PENDING)

    response = as_user(claimant).post(LIST_URL, payload(public_body), format="json")

    assert response.status_code == 403


def test_anonymous_create_gives_401(api, public_body):
    response = api.post(LIST_URL, payload(public_body), format="json")

    assert response.status_code == 401
    assert not Plenipotentiary.objects.exists()


def test_plenipotentiary_of_an_ngo_is_refused_with_400(representative, organization):
    response = as_user(representative).post(LIST_URL, payload(organization), format="json")

    assert response.status_code == 400
    assert response.json()["public_body"]
    assert not Plenipotentiary.objects.exists()


def test_create_without_a_name_gives_400_for_that_field(officer, public_body):
    response = as_user(officer).post(LIST_URL, payload(public_body, full_name=""), format="json")

    assert response.status_code == 400
    assert response.json()["full_name"]


def test_create_with_an_invalid_email_gives_400_for_that_field(officer, public_body):
    response = as_user(officer).post(LIST_URL, payload(public_body, email="not-an-address"), format="json")

    assert response.status_code == 400
    assert response.json()["email"]
    assert not Plenipotentiary.objects.exists()


# --- update and delete ------------------------------------------------------------------------------------


def test_officer_updates_their_bodys_plenipotentiary(officer, plenipotentiary):
    response = as_user(officer).patch(detail_url(plenipotentiary), {"phone": "+48 77 448 00 00"}, format="json")

    assert response.status_code == 200
    plenipotentiary.refresh_from_db()
    assert plenipotentiary.phone == "+48 77 448 00 00"


def test_coordinator_updates_any_plenipotentiary(coordinator, plenipotentiary):
    response = as_user(coordinator).patch(detail_url(plenipotentiary), {"is_active": False}, format="json")

    assert response.status_code == 200
    plenipotentiary.refresh_from_db()
    assert plenipotentiary.is_active is False


def test_stranger_cannot_update_and_nothing_changes(user, plenipotentiary):
    response = as_user(user).patch(detail_url(plenipotentiary), {"full_name": "Ktoś Inny"}, format="json")

    assert response.status_code == 403
    plenipotentiary.refresh_from_db()
    assert plenipotentiary.full_name == "Anna Kowalska"


def test_representative_of_an_ngo_cannot_update(representative, plenipotentiary):
    response = as_user(representative).patch(detail_url(plenipotentiary), {"full_name": "Ktoś Inny"}, format="json")

    assert response.status_code == 403


def test_anonymous_update_gives_401(api, plenipotentiary):
    assert api.patch(detail_url(plenipotentiary), {"full_name": "Ktoś Inny"}, format="json").status_code == 401


def test_officer_cannot_move_a_plenipotentiary_to_another_body(officer, plenipotentiary, other_county):
    another_body = PublicBodyFactory(territory=other_county)

    as_user(officer).patch(detail_url(plenipotentiary), {"public_body": another_body.pk}, format="json")

    plenipotentiary.refresh_from_db()
    assert plenipotentiary.public_body != another_body


def test_officer_deletes_their_bodys_plenipotentiary(officer, plenipotentiary):
    response = as_user(officer).delete(detail_url(plenipotentiary))

    assert response.status_code == 204
    assert not Plenipotentiary.objects.filter(pk=plenipotentiary.pk).exists()


def test_coordinator_deletes_a_plenipotentiary(coordinator, plenipotentiary):
    assert as_user(coordinator).delete(detail_url(plenipotentiary)).status_code == 204
    assert not Plenipotentiary.objects.filter(pk=plenipotentiary.pk).exists()


def test_stranger_cannot_delete(user, plenipotentiary):
    assert as_user(user).delete(detail_url(plenipotentiary)).status_code == 403
    assert Plenipotentiary.objects.filter(pk=plenipotentiary.pk).exists()


def test_officer_of_another_body_cannot_delete(plenipotentiary, other_county):
    other_officer = UserFactory()
    MembershipFactory(user=other_officer, organization=PublicBodyFactory(territory=other_county))

    assert as_user(other_officer).delete(detail_url(plenipotentiary)).status_code == 403
    assert Plenipotentiary.objects.filter(pk=plenipotentiary.pk).exists()


def test_anonymous_delete_gives_401(api, plenipotentiary):
    assert api.delete(detail_url(plenipotentiary)).status_code == 401
    assert Plenipotentiary.objects.filter(pk=plenipotentiary.pk).exists()
