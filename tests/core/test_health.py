"""The health endpoints that load balancers and the operator's monitoring poll."""

import pytest


def test_healthz_answers_status_ok_as_json(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_status_ok_when_database_and_task_queue_are_reachable(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["tasks"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.django_db
def test_health_endpoints_refuse_writes(client, path):
    response = client.post(path)

    assert response.status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.django_db
def test_health_endpoints_live_outside_the_language_prefix(client, path):
    # Probes are configured once, with a fixed path: no redirect to /en/healthz.
    response = client.get(path)

    assert response.status_code == 200
