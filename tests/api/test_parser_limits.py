"""The API's JSON parser refuses deep nesting with a 400 and a clear message, never a 500."""

import pytest
from rest_framework.test import APIClient

from civicbridge.directory.models import Organization

pytestmark = pytest.mark.django_db

ORGANIZATIONS_URL = "/api/v1/organizations/"
TOKEN_URL = "/api/v1/auth/token/"


def _deep(levels: int) -> bytes:
    return b'{"name": ' + b"[" * (levels - 1) + b"1" + b"]" * (levels - 1) + b"}"


@pytest.fixture
def signed_in(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_json_nested_ten_thousand_levels_deep_is_a_400_with_a_clear_message(signed_in):
    response = signed_in.post(ORGANIZATIONS_URL, data=_deep(10_000), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON is nested more than 32 levels deep."}
    assert not Organization.objects.exists()


def test_deep_json_on_a_write_of_an_existing_object_is_a_400_and_changes_nothing(representative, organization):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(representative)

    response = client.patch(
        f"{ORGANIZATIONS_URL}{organization.pk}/", data=_deep(10_000), content_type="application/json"
    )

    assert response.status_code == 400
    organization.refresh_from_db()
    assert organization.name != "1"


def test_deep_json_is_a_400_for_an_anonymous_client_too(db):
    client = APIClient(raise_request_exception=False)

    response = client.post(TOKEN_URL, data=b"[" * 50_000 + b"]" * 50_000, content_type="application/json")

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_at_the_depth_limit_is_parsed(signed_in):
    # 32 levels: the object and 31 arrays; the field is then refused as not text, by the serializer.
    response = signed_in.post(ORGANIZATIONS_URL, data=_deep(32), content_type="application/json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_the_depth_limit_is_a_setting(signed_in, settings):
    settings.CIVICBRIDGE_JSON_MAX_DEPTH = 3

    response = signed_in.post(ORGANIZATIONS_URL, data=_deep(4), content_type="application/json")

    assert response.json() == {"detail": "The JSON is nested more than 3 levels deep."}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "JSON ma więcej niż 32 poziomów zagnieżdżenia."), ("tr", "JSON, 32 düzeyden daha derin iç içe geçmiş.")],
)
def test_the_depth_refusal_is_in_the_clients_language(signed_in, language, expected):
    response = signed_in.post(
        ORGANIZATIONS_URL, data=_deep(10_000), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    assert response.json()["detail"] == expected
