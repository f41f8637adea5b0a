"""``civicbridge worker`` as a process: it beats, schedules, resumes a dead worker's task, stops on SIGTERM.

The worker runs against an SQLite file of its own (migrated by ``civicbridge migrate``),
read here with the standard library: Django's test database is out of a process's reach.
"""

import json
import shutil
import signal
import sqlite3
from contextlib import closing

import pytest

from tests.faults.harness import Process, app_env, free_port, run_command, run_scenario, wait_until


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated database file for the module; each test works on its own copy."""
    directory = tmp_path_factory.mktemp("migrated")
    database = directory / "civicbridge.sqlite3"
    env = app_env(database_url=f"sqlite:///{database}", smtp_port=free_port(), data_dir=directory)
    run_command(["migrate", "--no-input", "-v", "0"], env=env)
    return database


@pytest.fixture
def deployment(migrated, tmp_path):
    database = tmp_path / "civicbridge.sqlite3"
    shutil.copyfile(migrated, database)
    env = app_env(database_url=f"sqlite:///{database}", smtp_port=free_port(), data_dir=tmp_path)
    return database, env


@pytest.fixture
def start_worker(tmp_path):
    started = []

    def start(env, *argv):
        process = Process(["worker", *argv], env=env, log=tmp_path / f"worker-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def rows(database, sql: str, params=()) -> list[tuple]:
    with closing(sqlite3.connect(database, timeout=10)) as connection:
        return connection.execute(sql, params).fetchall()


def test_a_worker_process_beats_schedules_resumes_a_dead_workers_task_and_stops_on_sigterm(deployment, start_worker):
    database, env = deployment
    orphan = json.loads(run_scenario("orphaned_task", env=env))["task"].replace("-", "")

    worker = start_worker(env)

    beats = wait_until(lambda: rows(database, "SELECT worker_id FROM core_workerheartbeat WHERE worker_id != 'dead-worker'"),
                       timeout=30, what="the worker's heartbeat")
    wait_until(lambda: rows(database, "SELECT status FROM django_tasks_database_dbtaskresult WHERE replace(id, '-', '') = ?",
                            (orphan,)) == [("SUCCESSFUL",)], timeout=30, what="the dead worker's task to run again")
    jobs = {job for (job,) in rows(database, "SELECT job FROM core_periodicjobslot")}
    assert "deliver-due-mail" in jobs  # due every minute: the catch-up window always holds one
    assert "queued again" in worker.output()

    worker.popen.send_signal(signal.SIGTERM)
    assert worker.popen.wait(timeout=30) == 0
    assert rows(database, "SELECT worker_id FROM core_workerheartbeat WHERE worker_id = ?", (beats[0][0],)) == []
    assert "stopped" in worker.output()


def test_two_worker_processes_enqueue_each_periodic_run_once(deployment, start_worker):
    database, env = deployment

    first, second = start_worker(env), start_worker(env)
    wait_until(lambda: len(rows(database, "SELECT worker_id FROM core_workerheartbeat")) == 2, timeout=30,
               what="both workers' heartbeats")
    wait_until(lambda: rows(database, "SELECT 1 FROM core_periodicjobslot WHERE job = 'deliver-due-mail'"),
               timeout=30, what="the mail sweep to be scheduled")

    slots = rows(database, "SELECT job, scheduled_for, COUNT(*) FROM core_periodicjobslot GROUP BY job, scheduled_for")
    assert all(count == 1 for _job, _at, count in slots)
    sweeps = rows(database, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                            "WHERE task_path = 'civicbridge.core.notifications.deliver_due_mail'")[0][0]
    assert sweeps == len([slot for slot in slots if slot[0] == "deliver-due-mail"])
    assert first.alive() and second.alive()


def test_a_worker_whose_schedule_setting_is_wrong_does_not_start_and_says_why(deployment, start_worker):
    _database, env = deployment

    worker = start_worker({**env, "CIVICBRIDGE_DIGEST_DAILY_AT": "seven"})

    assert worker.popen.wait(timeout=30) != 0
    assert "CIVICBRIDGE_DIGEST_DAILY_AT" in worker.output()
