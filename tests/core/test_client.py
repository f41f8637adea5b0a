"""The client address behind a request, as log-in guard, API limits and sign-up limits see it."""

import pytest
from django.test import RequestFactory

from civicbridge.core.client import client_address, client_scope

PROXY = "127.0.0.1"  # nginx on the same host, as docs/operators.md §3.6 sets it up


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.CIVICBRIDGE_PROXY_COUNT = 1
    return settings


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_connection_address_is_the_client(settings):
    settings.BEHIND_PROXY = False

    assert client_address(request_from("203.0.113.7")) == "203.0.113.7"


def test_without_a_proxy_a_forwarded_header_sent_by_the_client_is_ignored(settings):
    settings.BEHIND_PROXY = False

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_the_documented_nginx_the_single_forwarded_value_is_the_client(behind_proxy):
    # proxy_set_header X-Forwarded-For $remote_addr; sends exactly one address.
    assert client_address(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"


def test_two_clients_behind_the_documented_nginx_are_told_apart(behind_proxy):
    first = client_address(request_from(PROXY, "203.0.113.7"))
    second = client_address(request_from(PROXY, "198.51.100.23"))

    assert first != second
    assert PROXY not in (first, second)


def test_a_value_forged_by_the_client_left_of_an_appending_proxy_is_not_believed(behind_proxy):
    # A proxy that appends ($proxy_add_x_forwarded_for) keeps what the client sent on the left.
    request = request_from(PROXY, "10.9.9.9, 203.0.113.7")

    assert client_address(request) == "203.0.113.7"


def test_with_two_proxies_the_client_is_the_second_address_from_the_right(behind_proxy):
    behind_proxy.CIVICBRIDGE_PROXY_COUNT = 2
    # forged by the client, written by the load balancer, written by nginx
    request = request_from(PROXY, "10.9.9.9, 203.0.113.7, 192.0.2.10")

    assert client_address(request) == "203.0.113.7"


def test_behind_a_proxy_a_request_without_the_header_counts_as_the_connection(behind_proxy):
    assert client_address(request_from("192.0.2.10")) == "192.0.2.10"


def test_behind_a_proxy_a_header_that_is_not_an_address_counts_as_the_connection(behind_proxy):
    assert client_address(request_from("192.0.2.10", "<script>, not-an-ip")) == "192.0.2.10"


def test_an_ipv6_client_is_counted_by_its_64_network():
    one = client_scope(request_from("2001:db8:1:2::1"))
    other_host_same_network = client_scope(request_from("2001:db8:1:2:ffff::9"))

    assert one == other_host_same_network == "2001:db8:1:2::/64"
    assert client_scope(request_from("2001:db8:1:3::1")) != one


def test_an_ipv4_client_is_counted_by_its_address():
    assert client_scope(request_from("203.0.113.7")) == "203.0.113.7"


@pytest.mark.django_db
def test_the_access_log_records_the_client_behind_the_proxy(client, behind_proxy, user):
    from axes.models import AccessFailureLog

    client.post(
        "/en/accounts/login/", {"username": user.username, "password": "wrong-password"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_a_request_without_any_address_has_none_and_is_counted_as_unknown():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_address(request) is None
    assert client_scope(request) == "unknown"
