"""The log-in guard: growing delays per account, address and pair; no lock for the whole site.

A clock fixture moves the guard's time forward instead of sleeping; the counters
themselves are the real shared ones in the test database.
"""

import pytest
from rest_framework.test import APIClient

from civicbridge.accounts import guard
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
HOME, OFFICE, ATTACKER = "198.51.100.10", "198.51.100.20", "203.0.113.66"
PROXY = "127.0.0.1"


class Clock:
    def __init__(self):
        import time

        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    from civicbridge.core import counters

    fake = Clock()
    monkeypatch.setattr(guard, "time", fake)
    monkeypatch.setattr(counters, "time", fake)
    return fake


@pytest.fixture
def limits(settings):
    settings.CIVICBRIDGE_LOGIN_FREE_FAILURES = {"pair": 5, "account": 20, "address": 50}
    settings.CIVICBRIDGE_LOGIN_MAX_DELAY = 900
    settings.CIVICBRIDGE_LOGIN_RATE = "1000/minute"
    return settings


def log_in(client, username, password, address=HOME, path=LOGIN_URL):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address=HOME):
    for _ in range(times):
        response = log_in(client, username, "wrong-password", address)
        assert response.status_code == 200, "a failure below the limit must be a plain form error"


def guess(client, username, times, address=ATTACKER):
    """Wrong passwords, whether or not the guard lets them be checked."""
    for _ in range(times):
        log_in(client, username, "wrong-password", address)


def logged_in(client):
    return client.session.get("_auth_user_id")


def test_five_failures_make_the_next_attempt_wait_even_with_the_right_password(client, user, clock, limits):
    fail(client, user.username, 5)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "2"
    assert "Wait 2 seconds" in response.content.decode()
    assert logged_in(client) is None


def test_after_the_wait_the_right_password_logs_in(client, user, clock, limits):
    fail(client, user.username, 5)
    clock.advance(2)

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in(client) == str(user.pk)


def test_each_further_failure_doubles_the_wait(client, user, clock, limits):
    fail(client, user.username, 5)
    waits = []
    for _ in range(4):
        waits.append(int(log_in(client, user.username, "wrong-password")["Retry-After"]))
        clock.advance(waits[-1])
        assert log_in(client, user.username, "wrong-password").status_code == 200

    assert waits == [2, 4, 8, 16]


def test_the_wait_is_capped(client, user, clock, limits):
    limits.CIVICBRIDGE_LOGIN_MAX_DELAY = 60
    fail(client, user.username, 5)
    for _ in range(8):
        clock.advance(60)
        log_in(client, user.username, "wrong-password")

    assert log_in(client, user.username, PASSWORD)["Retry-After"] == "60"


def test_attempts_refused_while_waiting_do_not_prolong_the_wait(client, user, clock, limits):
    fail(client, user.username, 5)
    for _ in range(10):
        assert log_in(client, user.username, "wrong-password").status_code == 429
    clock.advance(2)

    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_wait_is_told_in_the_visitors_language(client, user, clock, limits):
    fail(client, user.username, 5)
    clock.advance(0)

    polish = log_in(client, user.username, PASSWORD, path="/pl/accounts/login/").content.decode()
    turkish = log_in(client, user.username, PASSWORD, path="/tr/accounts/login/").content.decode()

    assert "Odczekaj 2 sekundy" in polish
    assert "2 saniye bekleyin" in turkish


def test_long_waits_are_told_in_whole_minutes_rounded_up():
    assert "Wait 1 second " in guard.wait_message(1)
    assert "Wait 59 seconds" in guard.wait_message(59)
    assert "Wait 1 minute " in guard.wait_message(60)
    assert "Wait 3 minutes" in guard.wait_message(150)


def test_logging_into_ones_own_account_does_not_clear_failures_against_another(client, user, clock, limits):
    # The probe: four guesses at the coordinator, a log-in to one's own account, repeat.
    coordinator = UserFactory(username="coordinator", is_coordinator=True)
    refused = 0
    for _ in range(4):
        for _ in range(4):
            if log_in(client, coordinator.username, "guess", ATTACKER).status_code == 429:
                refused += 1
        own = APIClient()  # a fresh session each round, as the probe did
        own.post(LOGIN_URL, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ATTACKER)

    assert refused > 0
    response = log_in(client, coordinator.username, PASSWORD, ATTACKER)
    assert response.status_code == 429


def test_a_success_clears_that_accounts_failures_from_that_address_only(client, user, clock, limits):
    fail(client, user.username, 4, HOME)
    fail(client, user.username, 4, OFFICE)
    log_in(client, user.username, PASSWORD, HOME)
    client.post("/en/accounts/logout/")

    fail(client, user.username, 4, HOME)  # a fresh count at home: four more are free
    assert log_in(client, user.username, "wrong-password", OFFICE).status_code == 200  # fifth at the office
    assert log_in(client, user.username, PASSWORD, OFFICE).status_code == 429


def test_an_attacker_cannot_lock_the_owner_out_at_an_address_the_owner_used(client, user, clock, limits):
    log_in(client, user.username, PASSWORD, HOME)
    client.post("/en/accounts/logout/")
    # Many addresses, five free guesses each: the account as a whole goes past its limit.
    for n in range(8):
        guess(client, user.username, 5, f"203.0.113.{n + 1}")
    assert log_in(client, user.username, PASSWORD, "192.0.2.99").status_code == 429  # unknown address waits

    response = log_in(client, user.username, PASSWORD, HOME)

    assert response.status_code == 302
    assert logged_in(client) == str(user.pk)


def test_failures_against_one_account_do_not_delay_another_account(client, user, clock, limits):
    other = UserFactory()
    guess(client, user.username, 10, ATTACKER)

    assert log_in(client, other.username, PASSWORD, HOME).status_code == 302


def test_one_address_trying_many_accounts_is_delayed_for_every_account(client, clock, limits):
    victims = UserFactory.create_batch(11)
    for victim in victims[:10]:
        fail(client, victim.username, 5, ATTACKER)  # 50 failures in all, no pair past its limit

    assert log_in(client, victims[10].username, PASSWORD, ATTACKER).status_code == 429
    assert log_in(client, victims[10].username, PASSWORD, HOME).status_code == 302


def test_unknown_user_names_are_delayed_like_real_ones(client, clock, limits, db):
    fail(client, "nobody-here", 5)

    assert log_in(client, "nobody-here", "another-guess").status_code == 429


def test_the_user_name_is_counted_whatever_its_case(client, user, clock, limits):
    fail(client, user.username.upper(), 5)

    assert log_in(client, user.username, PASSWORD).status_code == 429


def test_parallel_attempts_past_the_limit_take_turns(user, clock, limits):
    for _ in range(5):
        guard.record_failure(user.username, ATTACKER)
    clock.advance(2)

    guard.check(user.username, ATTACKER)  # the first of two parallel attempts claims the turn
    with pytest.raises(guard.LoginRefused):
        guard.check(user.username, ATTACKER)


def test_too_many_attempts_from_one_address_in_a_minute_are_refused(client, user, clock, limits):
    limits.CIVICBRIDGE_LOGIN_RATE = "3/minute"
    for _ in range(3):
        log_in(client, user.username, PASSWORD)
        client.post("/en/accounts/logout/")

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert 50 < int(response["Retry-After"]) <= 60


# --- behind the documented proxy -------------------------------------------------------

@pytest.fixture
def behind_proxy(limits):
    limits.BEHIND_PROXY = True
    limits.CIVICBRIDGE_PROXY_COUNT = 1
    return limits


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_everybody(client, user, clock, behind_proxy):
    coordinator = UserFactory(is_coordinator=True)
    for _ in range(10):
        client.post(LOGIN_URL, {"username": coordinator.username, "password": "guess"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 302


def test_behind_the_proxy_the_attacker_is_delayed_by_the_forwarded_address(client, user, clock, behind_proxy):
    for _ in range(5):
        client.post(LOGIN_URL, {"username": user.username, "password": "guess"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    assert response.status_code == 429


# --- the token endpoint ------------------------------------------------------------------

def obtain_token(api, username, password, address=HOME):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)


def test_token_endpoint_makes_the_next_attempt_wait_with_429_and_retry_after(user, clock, limits):
    api = APIClient()
    for _ in range(5):
        assert obtain_token(api, user.username, "wrong-password").status_code == 400

    response = obtain_token(api, user.username, PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "2"
    assert "Wait 2 seconds" in response.json()["detail"]
    assert "token" not in response.json()


def test_token_endpoint_and_log_in_page_share_the_failures(client, user, clock, limits):
    fail(client, user.username, 5)

    assert obtain_token(APIClient(), user.username, PASSWORD).status_code == 429


def test_token_endpoint_behind_the_proxy_does_not_lock_out_other_clients(user, clock, behind_proxy):
    api = APIClient()
    for _ in range(6):
        api.post(TOKEN_URL, {"username": user.username, "password": "guess"}, format="json",
                 REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    other = UserFactory()

    response = api.post(TOKEN_URL, {"username": other.username, "password": PASSWORD}, format="json",
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 200


def test_the_admin_log_in_is_guarded_and_says_how_long_to_wait(client, clock, limits):
    staff = UserFactory(is_staff=True, is_coordinator=True)
    for _ in range(5):
        client.post("/en/admin/login/", {"username": staff.username, "password": "guess"}, REMOTE_ADDR=ATTACKER)

    response = client.post("/en/admin/login/", {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR=ATTACKER)

    assert "Wait 2 seconds" in response.content.decode()
    assert "_auth_user_id" not in client.session
