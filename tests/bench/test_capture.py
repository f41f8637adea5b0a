"""core/middleware.py's SQL capture for the benchmark, and the bench's replay of what it captured."""

import datetime
import decimal
import json
import uuid

import pytest
from bench.run import _untag, replay
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from civicbridge.core.middleware import ServerTimingMiddleware, _tagged
from civicbridge.directory.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connections_outlive_a_closed_response():
    # Closing a response (which writes the capture) signals the request's end, whose handler
    # would close the test's connection and its transaction: Django's test client disconnects
    # it the same way.
    request_finished.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)


def view(request):
    since = timezone.now() - datetime.timedelta(days=1)
    names = list(Organization.objects.filter(created_at__gt=since).values_list("name", flat=True)[:3])
    return HttpResponse(str(len(names)))


def capture_middleware(tmp_path, settings):
    settings.CIVICBRIDGE_BENCH_CAPTURE_DIR = str(tmp_path)
    return ServerTimingMiddleware(view)


def test_a_request_with_a_bench_id_has_its_sql_and_parameters_captured_under_its_endpoint(tmp_path, settings):
    middleware = capture_middleware(tmp_path, settings)

    response = middleware(RequestFactory().get("/x/", HTTP_X_BENCH_REQUEST="latency-7", HTTP_X_BENCH_ENDPOINT="org_list"))

    assert response["X-Query-Count"] == "1"
    assert not list(tmp_path.iterdir())  # written once the response is sent, outside the bench's clock
    response.close()  # what the WSGI server does after sending it
    (capture,) = tmp_path.glob("capture-*.jsonl")
    (record,) = [json.loads(line) for line in capture.read_text().splitlines()]
    assert record["request"] == "latency-7" and record["endpoint"] == "org_list" and record["status"] == 200
    (query,) = record["queries"]
    assert "directory_organization" in query["sql"].lower()
    assert len(query["params"]) == 1  # the moment, as the driver got it


def test_parameters_are_written_with_their_types_and_read_back_as_they_were():
    values = [
        datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC), datetime.date(2026, 12, 2), datetime.time(17, 0),
        decimal.Decimal("12.50"), uuid.UUID(int=5), b"\x00\x01", "text", 3, None, [1, 2],
    ]

    restored = _untag(json.loads(json.dumps(values, default=_tagged)))

    assert restored == [*values[:5], b"\x00\x01", "text", 3, None, [1, 2]]


def test_requests_without_a_bench_id_and_servers_without_a_capture_dir_write_nothing(tmp_path, settings):
    capture_middleware(tmp_path, settings)(RequestFactory().get("/x/", HTTP_X_BENCH_ENDPOINT="org_list")).close()
    settings.CIVICBRIDGE_BENCH_CAPTURE_DIR = ""
    response = ServerTimingMiddleware(view)(RequestFactory().get("/x/", HTTP_X_BENCH_REQUEST="latency-8"))

    assert response["X-Query-Count"] == "1"
    assert not list(tmp_path.iterdir())


def test_the_captured_queries_replay_alone_with_their_parameters_restored(tmp_path, settings):
    middleware = capture_middleware(tmp_path, settings)
    middleware(RequestFactory().get("/x/", HTTP_X_BENCH_REQUEST="latency-9", HTTP_X_BENCH_ENDPOINT="org_list")).close()
    (capture,) = tmp_path.glob("capture-*.jsonl")
    record = json.loads(capture.read_text())

    floor = replay(record["queries"], 3)

    assert floor is not None and floor > 0
    assert replay([{"sql": "SELECT * FROM no_such_table", "params": None, "many": False}], 1) is None
