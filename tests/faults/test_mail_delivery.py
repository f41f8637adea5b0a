"""Alerts reach everyone through faults: a worker killed mid fan-out, an SMTP server refusing for a minute.

Real processes: ``civicbridge worker`` against the tests' own PostgreSQL cluster, an SMTP
server (aiosmtpd) on loopback in this process that records each message's recipient and
Message-ID. The leases and retry delays are shortened through the environment, as an
operator could; the refusal lasts the full minute.

The guarantee under test (docs/operators.md, "Delivery guarantee"): at least once; the
per-delivery key suppresses every repeat except the one message in flight when a worker
dies, which is sent again under the same Message-ID.
"""

import time
from collections import Counter, defaultdict

import pytest

from tests.faults.harness import app_env, run_scenario, wait_until

pytestmark = pytest.mark.faults

FAST = {
    # A dead worker is noticed within seconds, its leased mail taken over within seconds.
    "CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS": "1",
    "CIVICBRIDGE_WORKER_LEASE_SECONDS": "3",
    "CIVICBRIDGE_MAIL_LEASE_SECONDS": "5",
    "CIVICBRIDGE_MAIL_SWEEP_SECONDS": "2",
    "CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS": "2",
    "CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS": "10",
}


def expected_addresses(count: int) -> set[str]:
    return {f"recipient{number:05d}@example.org" for number in range(count)}


def outbox_statuses(cluster, database: str) -> dict[str, int]:
    return dict(cluster.query(database, "SELECT status, COUNT(*) FROM core_outgoingmail GROUP BY status"))


def all_delivered(cluster, database: str, sink, count: int):
    """True once every address had its message and the outbox holds nothing unsent."""
    if len({message.to for message in sink.snapshot()}) < count:
        return False
    statuses = outbox_statuses(cluster, database)
    return set(statuses) == {"sent"}


def tasks_running_on(cluster, database: str, worker_id: str) -> list[str]:
    rows = cluster.query(database, "SELECT task_path, worker_ids FROM django_tasks_database_dbtaskresult "
                                   "WHERE status = 'RUNNING'")
    return [path for path, worker_ids in rows if worker_ids[-1:] == [worker_id]]


def worker_id(process) -> str:
    """The id a worker announced in its first line ("worker <id>: queues ...")."""
    line = wait_until(lambda: next((line for line in process.output().splitlines() if line.startswith("worker ")), ""),
                      timeout=30, what="the worker to start")
    return line.split()[1].rstrip(":")


def test_every_recipient_gets_the_notice_once_when_workers_are_killed_mid_fan_out(
        cluster, database, processes, smtp_server, data_dir):
    name, url = database
    recipients = 2000
    sink = smtp_server.sink
    env = app_env(database_url=url, smtp_port=smtp_server.port, data_dir=data_dir, **FAST)
    run_scenario("fan_out", recipients, env=env)

    with cluster.connect(name) as watch:
        def queued() -> int:
            return watch.execute("SELECT COUNT(*) FROM core_outgoingmail").fetchone()[0]

        # Killed while it writes the notices of the fan-out (500 a batch, a batch every ~0.1 s)...
        first = processes(["worker"], env=env, name="first-worker")
        killed = [worker_id(first)]
        wait_until(lambda: 0 < queued() < recipients, timeout=60, every=0.01, what="the fan-out to be half-way")
        first.kill9()
        queued_at_first_kill = queued()
        # What the dead worker left RUNNING (frozen until another worker takes it back).
        left_running = [tasks_running_on(cluster, name, killed[0])]
        # ... and the next one while it sends them.
        second = processes(["worker"], env=env, name="second-worker")
        killed.append(worker_id(second))
        wait_until(lambda: len(sink.snapshot()) >= recipients // 4, timeout=60, what="a quarter of the notices")
        second.kill9()
        sent_at_second_kill = len(sink.snapshot())
        left_running.append(tasks_running_on(cluster, name, killed[1]))
    third = processes(["worker"], env=env, name="third-worker")
    wait_until(lambda: all_delivered(cluster, name, sink, recipients), timeout=90, every=0.5,
               what="every notice to be delivered and marked sent")

    received = sink.snapshot()
    per_address = Counter(message.to for message in received)
    ids_per_address = defaultdict(set)
    for message in received:
        ids_per_address[message.to].add(message.message_id)
    repeats = sum(count - 1 for count in per_address.values())
    print(f"first worker killed with {queued_at_first_kill} notices queued, the second with {sent_at_second_kill} "
          f"sent; {len(received)} messages for {len(per_address)} people; {repeats} repeated")

    assert 0 < queued_at_first_kill < recipients
    assert sent_at_second_kill < recipients, "the second worker finished before it was killed"
    assert set(per_address) == expected_addresses(recipients)
    # At most the one message in flight per killed worker is sent twice, under the same Message-ID.
    assert repeats <= len(killed)
    assert all(len(ids) == 1 for ids in ids_per_address.values())
    assert len({message.message_id for message in received}) == recipients
    # The tasks the killed workers were running were taken back and finished by the others.
    for dead in killed:
        assert tasks_running_on(cluster, name, dead) == []
    # A worker killed between two tasks leaves none to take back.
    assert left_running[0], "the first worker was killed inside the fan-out task"
    assert f"running on worker {killed[0]}" in second.output() + third.output()
    if left_running[1]:
        assert f"running on worker {killed[1]}" in third.output()


def test_mail_refused_with_451_for_a_minute_is_all_delivered_each_once_afterwards(
        cluster, database, processes, smtp_server, data_dir):
    name, url = database
    recipients = 1200
    sink = smtp_server.sink
    refusal_ends = time.monotonic() + 60
    sink.refusing = lambda: time.monotonic() < refusal_ends
    env = app_env(database_url=url, smtp_port=smtp_server.port, data_dir=data_dir, **FAST)
    run_scenario("fan_out", recipients, env=env)

    processes(["worker"], env=env)
    wait_until(lambda: sink.refusals >= recipients, timeout=60, what="the first refusals")
    assert sink.snapshot() == []  # refused so far, and nothing given up
    assert "failed" not in outbox_statuses(cluster, name)
    wait_until(lambda: all_delivered(cluster, name, sink, recipients), timeout=max(refusal_ends - time.monotonic(), 0) + 40,
               every=0.5, what="every notice delivered after the refusals ended")

    received = sink.snapshot()
    per_address = Counter(message.to for message in received)
    attempts = cluster.query(name, "SELECT MIN(attempts), MAX(attempts) FROM core_outgoingmail")[0]
    print(f"{sink.refusals} refusals; {len(received)} messages for {len(per_address)} people; attempts {attempts}")

    assert set(per_address) == expected_addresses(recipients)
    assert set(per_address.values()) == {1}
    assert min(message.at for message in received) >= refusal_ends
    assert sink.refusals >= 2 * recipients  # tried again, and again, while the server refused
