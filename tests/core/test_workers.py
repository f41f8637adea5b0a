"""The worker's own duties: periodic jobs enqueued once at their times, dead workers' tasks resumed."""

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from civicbridge.alerts import tasks
from civicbridge.core import periodic, workers
from civicbridge.core.models import PeriodicJobSlot, WorkerHeartbeat
from civicbridge.core.periodic import Job, ScheduleError, check_jobs, enqueue_due

pytestmark = pytest.mark.django_db

REMINDERS = "civicbridge.alerts.tasks.send_deadline_reminders"
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.CIVICBRIDGE_WORKER_LEASE_SECONDS = 60


def hourly_job():
    return Job("deadline-reminders", REMINDERS, (1,), every=timedelta(hours=1))


def claimed_task(*, worker_id: str, started: datetime) -> DBTaskResult:
    """A reminder task some worker claimed at ``started`` and was running."""
    result = DBTaskResult.objects.get(pk=tasks.send_deadline_reminders.enqueue(1).id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=started)
    return result


def heartbeat(worker_id: str, *, seen: datetime) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="node-1", pid=4242, started_at=seen, seen_at=seen)


# --- periodic jobs: each run enqueued once -------------------------------------------------------

def test_two_schedulers_looking_at_the_same_hour_enqueue_its_run_once():
    now = datetime(2026, 11, 23, 10, 0, 20, tzinfo=UTC)
    jobs = [hourly_job()]

    first = enqueue_due(jobs, previous=now - timedelta(seconds=30), now=now, worker_id="node-1")
    second = enqueue_due(jobs, previous=now - timedelta(seconds=25), now=now + timedelta(seconds=3), worker_id="node-2")

    assert [(slot.job, slot.scheduled_for) for slot in first] == [
        ("deadline-reminders", datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
    ]
    assert second == []
    assert PeriodicJobSlot.objects.get().worker_id == "node-1"
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_racing_in_parallel_enqueue_each_run_once():
    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL (the SQLite test database is one in-memory connection)")
    now = timezone.now()
    jobs = [hourly_job(), Job("every-minute", REMINDERS, (1,), every=timedelta(minutes=1))]
    start = threading.Barrier(4)
    errors = []

    def scheduler(number: int) -> None:
        try:
            start.wait()
            enqueue_due(jobs, previous=now - timedelta(hours=2), now=now, worker_id=f"node-{number}")
        except Exception as error:  # reported below: an exception in a thread is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(PeriodicJobSlot.objects.values_list("job", flat=True)) == ["deadline-reminders", "every-minute"]
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 2


def test_a_worker_that_starts_late_catches_up_the_latest_missed_run_only():
    daily = Job("daily-digest", "civicbridge.alerts.tasks.send_digests", ("daily",), at=time(7))
    started = datetime(2026, 11, 25, 9, 30, tzinfo=WARSAW)

    enqueue_due([daily], previous=started - timedelta(days=3), now=started, worker_id="node-1")

    slot = PeriodicJobSlot.objects.get()
    assert slot.scheduled_for == datetime(2026, 11, 25, 7, 0, tzinfo=WARSAW)
    assert DBTaskResult.objects.get().args_kwargs == {"args": ["daily"], "kwargs": {}}


def test_a_shared_digest_enqueues_one_task_per_part_in_one_run():
    daily = Job("daily-digest", "civicbridge.alerts.tasks.send_digests", ("daily",), at=time(7), parts=3)
    seven = datetime(2026, 11, 25, 7, 0, tzinfo=WARSAW)

    enqueue_due([daily], previous=seven - timedelta(minutes=1), now=seven, worker_id="node-1")
    enqueue_due([daily], previous=seven - timedelta(minutes=1), now=seven, worker_id="node-2")

    assert sorted(result.args_kwargs["args"] for result in DBTaskResult.objects.all()) == [
        ["daily", 0, 3], ["daily", 1, 3], ["daily", 2, 3],
    ]
    assert len(PeriodicJobSlot.objects.get().task_ids) == 3


# --- periodic jobs: their times in the deployment's time zone ------------------------------------

def test_the_daily_digest_is_due_at_seven_local_time_across_a_change_of_summer_time(settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    daily = Job("daily-digest", "x.y", at=time(7))

    # Summer time ends on 25 October 2026: 07:00 in Warsaw is 05:00 UTC before, 06:00 UTC after.
    before = datetime(2026, 10, 24, 5, 0, tzinfo=UTC)
    after = datetime(2026, 10, 26, 6, 0, tzinfo=UTC)
    assert daily.latest_slot(before - timedelta(seconds=30), before) == before
    assert daily.latest_slot(after - timedelta(hours=1, seconds=30), after - timedelta(hours=1)) is None
    assert daily.latest_slot(after - timedelta(seconds=30), after) == after


def test_the_same_schedule_follows_another_deployments_time_zone(settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    daily = Job("daily-digest", "x.y", at=time(7))
    istanbul_seven = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # UTC+3 all year

    assert daily.latest_slot(istanbul_seven - timedelta(minutes=1), istanbul_seven) == istanbul_seven
    assert daily.latest_slot(istanbul_seven + timedelta(hours=1), istanbul_seven + timedelta(hours=2)) is None


def test_the_weekly_digest_is_due_on_its_day_only(settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    weekly = Job("weekly-digest", "x.y", at=time(7), weekday=0)
    monday_7 = datetime(2026, 11, 23, 7, 0, tzinfo=WARSAW)

    assert weekly.latest_slot(monday_7 - timedelta(seconds=5), monday_7) == monday_7
    tuesday_7 = monday_7 + timedelta(days=1)
    assert weekly.latest_slot(tuesday_7 - timedelta(seconds=5), tuesday_7) is None
    # A worker down all week catches up only the latest Monday, once.
    assert weekly.latest_slot(monday_7 - timedelta(days=8), monday_7 + timedelta(days=3)) == monday_7


def test_interval_jobs_fall_on_whole_hours_and_minutes():
    hourly = hourly_job()
    minutely = Job("deliver-due-mail", "x.y", every=timedelta(minutes=1))
    now = datetime(2026, 11, 23, 10, 0, 7, tzinfo=UTC)

    assert hourly.latest_slot(now - timedelta(seconds=10), now) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert hourly.latest_slot(now, now + timedelta(minutes=59)) is None
    assert minutely.latest_slot(now, now + timedelta(seconds=50)) is None
    assert minutely.latest_slot(now, now + timedelta(seconds=58)) == datetime(2026, 11, 23, 10, 1, tzinfo=UTC)


def test_the_deployments_schedule_has_every_periodic_job_at_its_configured_time(settings):
    settings.CIVICBRIDGE_DIGEST_DAILY_AT = "06:30"
    settings.CIVICBRIDGE_DIGEST_WEEKLY_DAY = "friday"

    jobs = {job.name: job for job in periodic.periodic_jobs()}

    assert jobs["daily-digest"].at == time(6, 30)
    assert (jobs["weekly-digest"].weekday, jobs["weekly-digest"].at) == (4, time(7))
    assert jobs["deadline-reminders"].every == timedelta(hours=1)
    assert jobs["deliver-due-mail"].every == timedelta(minutes=1)
    assert jobs["expire-unconfirmed-accounts"].at == time(3, 30)
    assert jobs["delete-expired-counters"].every == timedelta(hours=1)
    assert jobs["purge-submission-keys"].every == timedelta(hours=1)
    check_jobs(jobs.values())  # every task exists in this code


def test_a_schedule_setting_that_is_not_a_time_is_refused_with_its_name(settings):
    settings.CIVICBRIDGE_DIGEST_DAILY_AT = "7 o'clock"

    with pytest.raises(ScheduleError, match="CIVICBRIDGE_DIGEST_DAILY_AT"):
        periodic.periodic_jobs()


def test_a_job_whose_task_does_not_exist_is_named_at_start_up():
    with pytest.raises(ScheduleError, match=r"'nightly'.*civicbridge\.nowhere\.tasks\.clean"):
        check_jobs([hourly_job(), Job("nightly", "civicbridge.nowhere.tasks.clean", at=time(3))])


def test_the_worker_refuses_to_start_when_a_periodic_job_has_no_task(monkeypatch):
    from civicbridge.core.management.commands import worker

    monkeypatch.setattr(worker, "periodic_jobs", lambda: [Job("nightly", "civicbridge.nowhere.tasks.clean", at=time(3))])

    with pytest.raises(CommandError, match=r"civicbridge\.nowhere\.tasks\.clean"):
        call_command("worker")
    assert not WorkerHeartbeat.objects.exists()


# --- recovery of a dead worker's tasks -----------------------------------------------------------

def test_a_task_running_on_a_worker_silent_past_the_lease_goes_back_to_the_queue(caplog):
    now = timezone.now()
    heartbeat("dead-worker", seen=now - timedelta(minutes=5))
    task = claimed_task(worker_id="dead-worker", started=now - timedelta(minutes=6))

    resumed = workers.resume_dead_workers_tasks(now=now)

    assert resumed == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert "dead-worker" in caplog.text and "queued again" in caplog.text


# Both close connections between steps, as in production: no test transaction around them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_resumed_task_is_run_to_the_end_by_another_worker():
    now = timezone.now()
    heartbeat("dead-worker", seen=now - timedelta(minutes=5))
    task = claimed_task(worker_id="dead-worker", started=now - timedelta(minutes=6))
    workers.resume_dead_workers_tasks(now=now)

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="live-worker", excluded_queue_names=[]).run()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["dead-worker", "live-worker"]


def test_a_task_running_on_a_live_worker_stays_with_it_however_long_it_takes():
    now = timezone.now()
    heartbeat("busy-worker", seen=now - timedelta(seconds=3))
    task = claimed_task(worker_id="busy-worker", started=now - timedelta(hours=2))

    assert workers.resume_dead_workers_tasks(now=now) == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_claimed_a_moment_ago_is_not_taken_even_from_a_worker_without_heartbeat():
    now = timezone.now()
    task = claimed_task(worker_id="plain-db-worker", started=now - timedelta(seconds=10))

    assert workers.resume_dead_workers_tasks(now=now) == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    # Once the lease has passed with no heartbeat at all, it is taken back.
    assert workers.resume_dead_workers_tasks(now=now + timedelta(seconds=61)) == [str(task.pk)]


def test_the_lease_is_the_operators_setting(settings):
    settings.CIVICBRIDGE_WORKER_LEASE_SECONDS = 600
    now = timezone.now()
    heartbeat("slow-worker", seen=now - timedelta(minutes=5))
    claimed_task(worker_id="slow-worker", started=now - timedelta(minutes=6))

    assert workers.resume_dead_workers_tasks(now=now) == []


def test_finished_tasks_are_never_resumed():
    now = timezone.now()
    heartbeat("dead-worker", seen=now - timedelta(minutes=5))
    task = claimed_task(worker_id="dead-worker", started=now - timedelta(minutes=6))
    DBTaskResult.objects.get(pk=task.pk).set_successful(None)

    assert workers.resume_dead_workers_tasks(now=now) == []


def test_a_worker_back_from_a_database_outage_requeues_only_its_own_cut_off_task(caplog):
    now = timezone.now()
    own = claimed_task(worker_id="node-1", started=now - timedelta(seconds=5))
    other = claimed_task(worker_id="node-2", started=now - timedelta(seconds=5))

    assert workers.requeue_own_tasks("node-1") == [str(own.pk)]
    assert DBTaskResult.objects.get(pk=own.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=other.pk).status == TaskResultStatus.RUNNING
    assert "database failure" in caplog.text


# --- heartbeat and housekeeping ---------------------------------------------------------------

# Both close connections between steps, as in production: no test transaction around them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_supervisor_beats_resumes_and_schedules_in_one_tick():
    now = timezone.now()
    heartbeat("dead-worker", seen=now - timedelta(minutes=5))
    orphan = claimed_task(worker_id="dead-worker", started=now - timedelta(minutes=6))
    supervisor = workers.Supervisor(worker_id="node-1", jobs=[hourly_job()])

    supervisor.tick()

    assert WorkerHeartbeat.objects.get(worker_id="node-1").seen_at >= now
    assert DBTaskResult.objects.get(pk=orphan.pk).status == TaskResultStatus.READY
    # The catch-up window (one hour by default) holds the last whole hour.
    assert PeriodicJobSlot.objects.filter(job="deadline-reminders", worker_id="node-1").count() == 1


def test_housekeeping_forgets_old_heartbeats_slots_and_successful_results_but_keeps_failures():
    now = timezone.now()
    heartbeat("gone-worker", seen=now - timedelta(days=2))
    heartbeat("live-worker", seen=now)
    old = PeriodicJobSlot.objects.create(job="deliver-due-mail", scheduled_for=now - timedelta(days=9), worker_id="x")
    recent = PeriodicJobSlot.objects.create(job="deliver-due-mail", scheduled_for=now - timedelta(days=1), worker_id="x")
    succeeded = claimed_task(worker_id="x", started=now - timedelta(days=30))
    failed = claimed_task(worker_id="x", started=now - timedelta(days=30))
    DBTaskResult.objects.get(pk=succeeded.pk).set_successful(None)
    DBTaskResult.objects.get(pk=failed.pk).set_failed(ValueError("bad"))
    DBTaskResult.objects.update(finished_at=now - timedelta(days=20))

    workers.housekeeping(now=now)

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["live-worker"]
    assert list(PeriodicJobSlot.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [failed.pk]


# --- what coordinators see ----------------------------------------------------------------------

def test_coordinators_see_the_workers_and_the_periodic_runs_in_the_admin_in_their_language(client, coordinator):
    heartbeat("node-1-4242-abc", seen=timezone.now())
    PeriodicJobSlot.objects.create(job="daily-digest", scheduled_for=timezone.now(), worker_id="node-1-4242-abc")
    client.force_login(coordinator)

    workers_page = client.get("/pl/admin/core/workerheartbeat/")
    runs_page = client.get("/tr/admin/core/periodicjobslot/")

    assert workers_page.status_code == 200 and "node-1-4242-abc" in workers_page.text
    assert "procesy robocze" in workers_page.text.lower()
    assert runs_page.status_code == 200 and "daily-digest" in runs_page.text
    assert "periyodik iş çalıştırmaları" in runs_page.text.lower()
    assert client.get("/en/admin/core/periodicjobslot/add/").status_code == 403


def test_people_who_are_not_coordinators_do_not_see_the_workers(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)

    assert client.get("/en/admin/core/workerheartbeat/").status_code in (302, 403)


# --- civicbridge scheduler ---------------------------------------------------------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduler_once_from_cron_on_two_machines_enqueues_each_run_once():
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")

    slots = list(PeriodicJobSlot.objects.values_list("job", "scheduled_for"))
    assert len(slots) == len(set(slots))
    assert {"deliver-due-mail", "deadline-reminders"} <= {job for job, _at in slots}
    assert DBTaskResult.objects.count() == sum(len(slot.task_ids) for slot in PeriodicJobSlot.objects.all())
    assert not WorkerHeartbeat.objects.exists()  # it runs no task: nothing to resume after it


def test_scheduler_refuses_a_time_that_is_not_one():
    with pytest.raises(CommandError, match="--daily-at"):
        call_command("scheduler", "--once", "--daily-at", "noon")
