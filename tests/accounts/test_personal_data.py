"""Personal data: the owner downloads it, and erases it."""

import json

import pytest
from django.contrib.auth import get_user_model

from civicbridge.accounts.models import Membership
from civicbridge.directory.models import Organization
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
EXPORT_URL = "/en/accounts/profile/export/"
ERASE_URL = "/en/accounts/profile/erase/"


@pytest.fixture
def person(organization):
    person = UserFactory(first_name="Jadwiga", last_name="Kowalska", email="jadwiga@example.org")
    MembershipFactory(user=person, organization=organization)
    return person


def test_export_is_a_json_download(client, person):
    client.force_login(person)

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]


def test_export_holds_the_users_email_and_memberships(client, person, organization):
    client.force_login(person)

    data = json.loads(client.get(EXPORT_URL).content)

    assert data["username"] == person.username
    assert data["email"] == "jadwiga@example.org"
    assert data["first_name"] == "Jadwiga"
    assert [m["organization"] for m in data["memberships"]] == [organization.name]
    assert data["memberships"][0]["status"] == Membership.Status.APPROVED


def test_export_holds_nothing_of_other_people(client, person, organization):
    other = UserFactory(email="someone-else@example.org")
    MembershipFactory(user=other, organization=organization, status=Membership.Status.PENDING)
    client.force_login(person)

    content = client.get(EXPORT_URL).content.decode()

    assert "someone-else@example.org" not in content
    assert other.username not in content
    assert len(json.loads(content)["memberships"]) == 1


def test_export_of_another_user_cannot_be_chosen_by_parameter(client, person):
    other = UserFactory(email="someone-else@example.org")
    client.force_login(person)

    content = client.get(EXPORT_URL, {"user": other.pk, "username": other.username}).content.decode()

    assert json.loads(content)["email"] == "jadwiga@example.org"
    assert "someone-else@example.org" not in content


def test_anonymous_visitor_gets_no_export(client, person):
    response = client.get(EXPORT_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert b"jadwiga@example.org" not in response.content


def test_erase_page_asks_for_the_username(client, person):
    client.force_login(person)

    response = client.get(ERASE_URL)

    assert response.status_code == 200
    assert 'name="confirm"' in response.content.decode()


def test_erase_without_the_right_username_changes_nothing(client, person):
    client.force_login(person)

    response = client.post(ERASE_URL, {"confirm": "not-my-name"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.email == "jadwiga@example.org"
    assert person.is_active is True
    assert person.memberships.count() == 1
    assert client.session.get("_auth_user_id") == str(person.pk)


def test_erase_by_get_changes_nothing(client, person):
    client.force_login(person)

    client.get(ERASE_URL, {"confirm": person.username})

    person.refresh_from_db()
    assert person.email == "jadwiga@example.org"


def test_erase_with_the_username_logs_out(client, person):
    client.force_login(person)

    response = client.post(ERASE_URL, {"confirm": person.username})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") is None


def test_erased_user_cannot_log_in(client, person):
    username = person.username
    client.force_login(person)
    client.post(ERASE_URL, {"confirm": username})

    client.post("/en/accounts/login/", {"username": username, "password": PASSWORD})

    assert client.session.get("_auth_user_id") is None
    person.refresh_from_db()
    assert person.is_active is False
    assert not person.has_usable_password()


def test_erase_removes_email_and_names(client, person):
    username = person.username
    client.force_login(person)

    client.post(ERASE_URL, {"confirm": username})

    person.refresh_from_db()
    assert "jadwiga" not in person.email
    assert person.first_name == ""
    assert person.last_name == ""
    assert person.username != username
    assert not User.objects.filter(email__iexact="jadwiga@example.org").exists()


def test_erase_deletes_memberships_and_keeps_the_organization(client, person, organization):
    client.force_login(person)

    client.post(ERASE_URL, {"confirm": person.username})

    assert not Membership.objects.filter(user=person).exists()
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_erase_deletes_the_mail_queued_for_the_person_and_keeps_others(client, person):
    from civicbridge.core.models import OutgoingMail
    from civicbridge.core.notifications import queue_mail

    queue_mail(key="test:person", to="jadwiga@example.org", subject="S", body="B", language="pl")
    queue_mail(key="test:other", to="someone@example.org", subject="S", body="B", language="pl")
    client.force_login(person)

    client.post(ERASE_URL, {"confirm": person.username})

    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["someone@example.org"]


def test_erase_deletes_the_api_token(client, person):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=person)
    client.force_login(person)

    client.post(ERASE_URL, {"confirm": person.username})

    assert not Token.objects.filter(key=token.key).exists()


def test_erased_address_can_sign_up_again(client, person, django_capture_on_commit_callbacks):
    client.force_login(person)
    client.post(ERASE_URL, {"confirm": person.username})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/accounts/sign-up/",
            {"username": "jadwiga2", "email": "jadwiga@example.org", "preferred_language": "pl",
             "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on"},
        )

    assert User.objects.filter(username="jadwiga2", email="jadwiga@example.org").exists()


def test_erase_leaves_other_peoples_memberships(client, person, organization, representative):
    client.force_login(person)

    client.post(ERASE_URL, {"confirm": person.username})

    assert Membership.objects.filter(user=representative, organization=organization).exists()
