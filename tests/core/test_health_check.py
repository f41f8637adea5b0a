"""A kept PostgreSQL connection is checked before each request without a round trip while its
socket says nothing, and replaced when the server has ended it (core/postgresql/base.py)."""

import select
import time
from unittest import mock

import pytest
from django.db import close_old_connections, connection, connections
from django.db.backends.postgresql import base as django_postgresql

from civicbridge.directory.models import Organization

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # as every transactional test here
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"),
]


def _end_from_another_connection(pid: int) -> None:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def _wait_for_the_server_to_say_so(fd: int) -> None:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    deadline = time.monotonic() + 5
    while not poller.poll(50):
        assert time.monotonic() < deadline, "the server never ended the connection"


def test_the_health_check_is_on():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["ENGINE"] == "civicbridge.core.postgresql"


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_reads():
    Organization.objects.count()
    ended = connection.connection
    _end_from_another_connection(ended.info.backend_pid)
    _wait_for_the_server_to_say_so(ended.fileno())

    close_old_connections()  # what a request's start does
    assert Organization.objects.count() >= 0  # no OperationalError: a new connection read it
    assert connection.connection is not ended
    assert connection.connection.info.backend_pid != ended.info.backend_pid


def test_an_idle_connection_the_server_keeps_is_checked_without_a_round_trip():
    Organization.objects.count()
    kept = connection.connection
    with mock.patch.object(django_postgresql.DatabaseWrapper, "is_usable", return_value=False) as round_trip:
        close_old_connections()
        Organization.objects.count()
    round_trip.assert_not_called()
    assert connection.connection is kept


def test_a_connection_inside_a_transaction_gets_the_full_check():
    Organization.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")  # left open, as an interrupted request might leave it
    with mock.patch.object(django_postgresql.DatabaseWrapper, "is_usable", return_value=True) as round_trip:
        assert connection.is_usable()
    round_trip.assert_called_once()
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK")
