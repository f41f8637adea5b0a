"""A PostgreSQL restart under a write load: no write the server acknowledged is lost.

``civicbridge serve`` (gunicorn) runs against the tests' own cluster; a client posts
partner requests through the API with a token while the cluster restarts
(``pg_ctl restart -m fast``). Afterwards every request the server answered 201 with an id
is in the database with what was posted; every other answer the client saw was an error
(5xx or a broken connection), never a refusal of valid input; and the same server,
not restarted, accepts writes again. A ``civicbridge worker`` running meanwhile outlives
the restart too and goes on running the periodic jobs.
"""

import datetime
import http.client
import json
import threading
import time
from dataclasses import dataclass

import pytest

from tests.faults.harness import app_env, free_port, run_scenario, wait_until

pytestmark = pytest.mark.faults

PATH = "/api/v1/partner-requests/"


@dataclass
class Attempt:
    number: int
    title: str
    started: float
    status: int | None = None  # None: the connection failed
    id: int | None = None
    error: str = ""


def get_status(port: int, path: str) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None


class Writer(threading.Thread):
    """Posts one new partner request after another and notes what each answer was."""

    def __init__(self, *, port: int, token: str, organization: int):
        super().__init__(daemon=True)
        self.port, self.token, self.organization = port, token, organization
        self.attempts: list[Attempt] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        number = 0
        deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        while not self.stopping.is_set():
            number += 1
            attempt = Attempt(number, f"Youth exchange partner wanted, load {number}", time.monotonic())
            body = json.dumps({
                "organization": self.organization, "direction": "seeking", "title": attempt.title,
                "description": f"Write number {number} of the restart test.", "partner_kinds": ["school"],
                "countries": ["DE"], "deadline": deadline,
            })
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                connection.request("POST", PATH, body=body, headers={
                    "Authorization": f"Token {self.token}", "Content-Type": "application/json",
                    "Accept": "application/json",
                })
                response = connection.getresponse()
                attempt.status = response.status
                payload = response.read()
                if 200 <= response.status < 300:
                    attempt.id = json.loads(payload)["id"]
                else:
                    attempt.error = payload[:200].decode(errors="replace")
            except (OSError, http.client.HTTPException) as error:
                attempt.error = f"{type(error).__name__}: {error}"
            self.attempts.append(attempt)

    def acknowledged(self, *, after: float = 0.0) -> list[Attempt]:
        return [a for a in list(self.attempts) if a.id is not None and a.started >= after]


def test_no_acknowledged_write_is_lost_when_postgresql_restarts_under_load(cluster, database, processes, data_dir):
    name, url = database
    env = app_env(
        database_url=url, smtp_port=free_port(), data_dir=data_dir,
        API_USER_RATE="100000/minute",
        CIVICBRIDGE_MAIL_SWEEP_SECONDS="2", CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS="1",
    )
    writer_account = json.loads(run_scenario("api_writer", env=env))
    port = free_port()
    server = processes(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env=env)
    worker = processes(["worker"], env=env)
    wait_until(lambda: get_status(port, "/readyz") == 200, timeout=30, what="the server to be ready")

    writer = Writer(port=port, token=writer_account["token"], organization=writer_account["organization"])
    writer.start()
    try:
        wait_until(lambda: len(writer.acknowledged()) >= 30, timeout=30, what="writes before the restart")
        restart_began = time.monotonic()
        cluster.restart()
        restarted = time.monotonic()
        restarted_in_database = cluster.query(name, "SELECT now()")[0][0]
        # The same server, not restarted, takes writes again.
        wait_until(lambda: len(writer.acknowledged(after=restarted + 0.5)) >= 30, timeout=30,
                   what="acknowledged writes after the restart")
    finally:
        writer.stopping.set()
        writer.join(timeout=30)

    attempts = writer.attempts
    stored = dict(cluster.query(name, "SELECT id, title FROM partners_partnerrequest"))
    acknowledged = {attempt.id: attempt.title for attempt in attempts if attempt.id is not None}
    lost = {pk: title for pk, title in acknowledged.items() if stored.get(pk) != title}
    refused = [attempt for attempt in attempts if attempt.status is not None and 400 <= attempt.status < 500]
    errors = [attempt for attempt in attempts if attempt.id is None]
    print(
        f"{len(attempts)} writes: {len(acknowledged)} acknowledged, {len(errors)} errors seen by the client "
        f"({sorted({a.status for a in errors}, key=str)}), restart took {restarted - restart_began:.1f} s; "
        f"{len(stored) - len(acknowledged)} stored without the client knowing"
    )

    assert lost == {}
    assert refused == [], [(a.status, a.error) for a in refused]
    assert all(attempt.status is None or attempt.status >= 500 for attempt in errors)
    assert len(acknowledged) == len(set(acknowledged))
    assert any(attempt.started < restart_began for attempt in acknowledged_attempts(attempts))
    assert server.alive(), "the server died instead of reconnecting"
    # The worker reconnected by itself: it still beats and runs what it schedules.
    wait_until(lambda: cluster.query(
        name, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL' "
              "AND enqueued_at > %s", (restarted_in_database,))[0][0] >= 2, timeout=30,
        what="the worker to run tasks enqueued after the restart")
    assert worker.alive(), "the worker died instead of reconnecting"


def acknowledged_attempts(attempts: list[Attempt]) -> list[Attempt]:
    return [attempt for attempt in attempts if attempt.id is not None]


def test_a_worker_outlives_a_database_outage_and_goes_on_with_its_jobs(cluster, database, processes, data_dir):
    name, url = database
    env = app_env(database_url=url, smtp_port=free_port(), data_dir=data_dir,
                  CIVICBRIDGE_MAIL_SWEEP_SECONDS="2", CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS="1")
    worker = processes(["worker"], env=env)
    wait_until(lambda: cluster.query(name, "SELECT COUNT(*) FROM core_workerheartbeat")[0][0] == 1, timeout=30,
               what="the worker's heartbeat")

    cluster.stop()
    try:
        time.sleep(6)
    finally:
        cluster.start()
    back = cluster.query(name, "SELECT now()")[0][0]

    wait_until(lambda: cluster.query(
        name, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL' AND enqueued_at > %s",
        (back,))[0][0] >= 2, timeout=30, what="periodic runs enqueued and run after the outage")
    assert cluster.query(name, "SELECT seen_at > %s FROM core_workerheartbeat", (back,)) == [(True,)]
    assert worker.alive()
    assert "the database is unavailable" in worker.output(400)
