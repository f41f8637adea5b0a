"""A former plenipotentiary is a private person again: their contacts are not public."""

import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import PlenipotentiaryFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/plenipotentiaries/"
CONTACTS = ("email", "phone", "office_address")


@pytest.fixture
def body(municipality):
    return PublicBodyFactory(territory=municipality)


@pytest.fixture
def former(body):
    return PlenipotentiaryFactory(
        public_body=body, full_name="Jan Były", is_active=False, email="jan.byly@example.org",
        phone="+48 77 000 00 00", office_address="ul. Rynek 1, pok. 12",
    )


@pytest.fixture
def current(body):
    return PlenipotentiaryFactory(
        public_body=body, full_name="Anna Obecna", email="anna@example.org", phone="+48 77 111 11 11",
        office_address="ul. Rynek 1, pok. 14",
    )


def as_user(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def row(response, full_name) -> dict:
    return next(item for item in response.json()["results"] if item["full_name"] == full_name)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer of another body"])
def test_others_do_not_get_a_former_plenipotentiarys_contacts(who, former, current, municipality):
    viewer = {
        "anonymous": None,
        "citizen": UserFactory(),
        "officer of another body": MembershipFactory(organization=PublicBodyFactory(territory=municipality)).user,
    }[who]
    client = as_user(viewer)

    listed = client.get(URL, {"is_active": "false"})
    one = client.get(f"{URL}{former.pk}/")

    assert listed.status_code == 200
    for data in (row(listed, "Jan Były"), one.json()):
        assert {field: data[field] for field in CONTACTS} == {field: "" for field in CONTACTS}
        assert data["full_name"] == "Jan Były"  # the record of who held the office stays
    assert "jan.byly@example.org" not in listed.content.decode()


def test_a_current_plenipotentiarys_contacts_stay_public(former, current):
    data = row(as_user(None).get(URL), "Anna Obecna")

    assert data["email"] == "anna@example.org"
    assert data["phone"] == "+48 77 111 11 11"
    assert data["office_address"] == "ul. Rynek 1, pok. 14"


@pytest.mark.parametrize("who", ["coordinator", "officer of the body"])
def test_coordinators_and_the_bodys_officers_see_them(who, former, body, coordinator):
    viewer = coordinator if who == "coordinator" else MembershipFactory(organization=body).user

    data = row(as_user(viewer).get(URL, {"is_active": "false"}), "Jan Były")

    assert data["email"] == "jan.byly@example.org"
    assert data["phone"] == "+48 77 000 00 00"
    assert data["office_address"] == "ul. Rynek 1, pok. 12"


def test_the_anonymous_cached_list_does_not_serve_an_officers_view(former, body):
    officer = MembershipFactory(organization=body).user
    as_user(officer).get(URL, {"is_active": "false"})

    data = row(as_user(None).get(URL, {"is_active": "false"}), "Jan Były")

    assert data["email"] == ""


def test_the_list_runs_a_bounded_number_of_queries(body, django_assert_max_num_queries, coordinator):
    PlenipotentiaryFactory.create_batch(15, public_body=body, is_active=False)
    client = as_user(MembershipFactory(organization=body).user)

    with django_assert_max_num_queries(6):
        response = client.get(URL, {"is_active": "false", "page_size": 100})

    assert response.json()["count"] == 15


def test_pages_show_no_former_plenipotentiary(client, former, current, body):
    for url in ("/en/plenipotentiaries/", body.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Anna Obecna" in page
        assert "Jan Były" not in page
        assert "jan.byly@example.org" not in page
