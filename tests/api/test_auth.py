"""API authentication: tokens for scripts, the session for the pages' own scripts, /me/."""

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory
from tests.directory.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


@pytest.fixture
def api():
    return APIClient()


def obtain_token(api, username, password):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_right_credentials_give_a_token(api, user):
    response = obtain_token(api, user.username, PASSWORD)

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_is_the_same_on_a_second_request(api, user):
    first = obtain_token(api, user.username, PASSWORD).json()["token"]

    second = obtain_token(api, user.username, PASSWORD).json()["token"]

    assert first == second


def test_wrong_password_gives_400_with_a_json_message(api, user):
    response = obtain_token(api, user.username, "not-the-password")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "token" not in body
    assert body.get("non_field_errors")
    assert not Token.objects.filter(user=user).exists()


def test_missing_fields_give_a_message_per_field(api, db):
    response = api.post(TOKEN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) >= {"username", "password"}


def test_inactive_user_gets_no_token(api):
    inactive = UserFactory(is_active=False)

    response = obtain_token(api, inactive.username, PASSWORD)

    assert response.status_code == 400
    assert not Token.objects.filter(user=inactive).exists()


def test_token_endpoint_refuses_a_locked_out_user_even_with_the_right_password(api, user):
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"]):
        obtain_token(api, user.username, "wrong-password")

    response = obtain_token(api, user.username, PASSWORD)

    assert response.status_code == 429
    assert not Token.objects.filter(user=user).exists()


def test_locked_out_token_request_is_answered_429_in_json(api, user):
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"]):
        obtain_token(api, user.username, "wrong-password")

    response = obtain_token(api, user.username, PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_token_authenticates_me(api, user):
    token = obtain_token(api, user.username, PASSWORD).json()["token"]

    response = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json() == {"username": user.username, "roles": ["citizen"], "organizations": []}


def test_me_lists_roles_and_represented_organizations(api, representative, organization):
    body = PublicBodyFactory()
    MembershipFactory(user=representative, organization=body)
    token = Token.objects.create(user=representative)

    response = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.json() == {
        "username": representative.username,
        "roles": ["citizen", "representative", "officer"],
        "organizations": sorted([organization.pk, body.pk]),
    }


def test_me_leaves_out_pending_memberships(api, user, organization):
    from civicbridge.accounts.models import Membership

    MembershipFactory(user=user, organization=organization, status=Membership.Status.PENDING)
    token = Token.objects.create(user=user)

    response = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.json()["organizations"] == []
    assert response.json()["roles"] == ["citizen"]


def test_me_shows_the_coordinator_role(api, coordinator):
    token = Token.objects.create(user=coordinator)

    response = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.json()["roles"] == ["citizen", "coordinator"]


def test_me_without_credentials_gives_401(api, db):
    response = api.get(ME_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["detail"]


def test_me_with_an_unknown_token_gives_401(api, db):
    response = api.get(ME_URL, HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    assert response.status_code == 401


def test_token_of_a_deactivated_user_no_longer_works(api, user):
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401


def test_session_authenticates_me_for_reading(api, user):
    api.force_login(user)

    response = api.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_session_write_without_csrf_token_is_refused(user, organization):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(user)

    response = api.post("/api/v1/organizations/", {"name": "Bez CSRF"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_token_write_needs_no_csrf_token(user, municipality):
    api = APIClient(enforce_csrf_checks=True)
    token = Token.objects.create(user=user)

    response = api.post(
        "/api/v1/organizations/",
        {"name": "Fundacja Tokenowa", "kind": "ngo", "territory": municipality.pk},
        format="json", HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    assert response.status_code == 201


def test_a_user_name_longer_than_any_account_can_have_is_a_wrong_log_in_not_a_server_error(api, db):
    from axes.models import AccessFailureLog

    response = obtain_token(api, "x" * 300 + "@example.org", "whatever")

    assert response.status_code == 400
    assert response.json().get("non_field_errors")
    # The record coordinators read keeps the attempt, cut to what its column holds.
    (failure,) = AccessFailureLog.objects.all()
    assert failure.username == "x" * 255


def test_a_user_name_with_a_nul_character_is_refused_by_its_field(api, db):
    response = obtain_token(api, "name\x00with a NUL", "whatever")

    assert response.status_code == 400
    assert response.json().get("username")
