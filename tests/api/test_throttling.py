"""API request limits: counted once for all processes, per client behind the documented proxy."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from civicbridge.core.throttling import RequestRateThrottle, ScopedRateThrottle
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LIST_URL = "/api/v1/thematic-areas/"
PROXY = "127.0.0.1"


@pytest.fixture
def rates(monkeypatch):
    rates = {"anon": "3/minute", "user": "5/minute", "token": "4/minute"}
    monkeypatch.setattr(RequestRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_anonymous_requests_past_the_rate_get_429_with_retry_after(rates):
    api = APIClient()
    for _ in range(3):
        assert api.get(LIST_URL, REMOTE_ADDR="203.0.113.7").status_code == 200

    response = api.get(LIST_URL, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"]


def test_the_count_survives_an_empty_per_process_cache(rates):
    # A second gunicorn worker has its own empty local cache: it must still see the count.
    api = APIClient()
    for _ in range(3):
        api.get(LIST_URL, REMOTE_ADDR="203.0.113.7")
    cache.clear()

    assert api.get(LIST_URL, REMOTE_ADDR="203.0.113.7").status_code == 429


def test_another_address_has_its_own_count(rates):
    api = APIClient()
    for _ in range(4):
        api.get(LIST_URL, REMOTE_ADDR="203.0.113.7")

    assert api.get(LIST_URL, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_a_signed_in_client_is_counted_by_account_at_the_user_rate(rates, user):
    token = Token.objects.create(user=user)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    for n in range(5):
        assert api.get(LIST_URL, REMOTE_ADDR=f"203.0.113.{n + 1}").status_code == 200

    assert api.get(LIST_URL, REMOTE_ADDR="203.0.113.99").status_code == 429


def test_behind_the_documented_proxy_each_client_has_its_own_count(rates, settings):
    settings.BEHIND_PROXY = True
    settings.CIVICBRIDGE_PROXY_COUNT = 1
    api = APIClient()
    for _ in range(4):
        api.get(LIST_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert api.get(LIST_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert api.get(LIST_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429


def test_token_endpoint_allows_its_rate_and_no_more_across_an_empty_cache(rates, user):
    api = APIClient()
    for _ in range(2):
        assert api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json").status_code == 200
    cache.clear()
    for _ in range(2):
        assert api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json").status_code == 200

    response = api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response["Retry-After"]
