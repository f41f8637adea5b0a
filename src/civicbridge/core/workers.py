"""What a ``civicbridge worker`` does besides running tasks: heartbeats, recovery, the schedule.

django-tasks-db marks a task RUNNING when a worker claims it and has no lease: a worker
killed mid-task (``kill -9``, a lost machine, the OOM killer) leaves it RUNNING for good.
So every worker writes a heartbeat (``WorkerHeartbeat``) every
``CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS``, and every worker puts back in the queue the tasks
RUNNING under a worker whose heartbeat is older than ``CIVICBRIDGE_WORKER_LEASE_SECONDS``.
The task then runs again from its start: tasks are written to be run again (each
delivery has its key, each digest its stamps), so the second run does what the first
did not finish.

The same thread enqueues the periodic jobs (``core.periodic``); a worker started with
``--no-schedule`` and ``civicbridge scheduler`` (which schedules only) are the variants.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time as clock
from datetime import datetime, timedelta

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import PeriodicJobSlot, WorkerHeartbeat
from .periodic import Job, enqueue_due

logger = logging.getLogger(__name__)

# Heartbeats of stopped workers and slots of past runs are kept this long for the admin.
HEARTBEAT_KEPT = timedelta(days=1)
SLOTS_KEPT = timedelta(days=8)
HOUSEKEEPING_EVERY = 3600.0


def new_worker_id() -> str:
    """Unique among all workers ever: host, process and a random part (at most 64 characters)."""
    host = socket.gethostname().split(".")[0][:30]
    return f"{host}-{os.getpid()}-{get_random_string(12)}"


def lease() -> timedelta:
    return timedelta(seconds=settings.CIVICBRIDGE_WORKER_LEASE_SECONDS)


def beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    """Record that ``worker_id`` is alive now."""
    now = timezone.now()
    # One UPDATE every few seconds; the row is created at the first beat (or again, if
    # housekeeping removed it after a very long stall).
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, seen_at=now, started_at=started_at or now, hostname=socket.gethostname()[:255],
            pid=os.getpid(),
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat: it holds no task any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def resume_dead_workers_tasks(*, now: datetime | None = None) -> list[str]:
    """Put back in the queue every task RUNNING under a worker silent for longer than the lease.

    A task is taken back only when it was claimed before the lease too, so that a task
    claimed a moment ago by a worker whose heartbeat row is missing (a plain
    ``db_worker``, which writes none) is not taken from under it at once. Answers the ids
    of the tasks put back; each is logged as a warning.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - lease()
    live = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    resumed = []
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .order_by("started_at")
        )
        for result in stale:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            if owner in live:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            resumed.append(str(result.id))
            logger.warning(
                "Task %s (%s) was running on worker %s, silent for more than %s s: queued again",
                result.id, result.task_path, owner or "(unknown)", int(lease().total_seconds()),
            )
    return resumed


def requeue_own_tasks(worker_id: str) -> list[str]:
    """Put back in the queue the tasks RUNNING under ``worker_id`` while it runs none.

    For a worker whose task loop lost the database: the task it was running may have
    failed without its failure being recorded, and would otherwise stay RUNNING under a
    worker that is alive (and so never resumed).
    """
    from django_tasks_db.models import DBTaskResult

    requeued = []
    with transaction.atomic():
        for result in DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING):
            if result.worker_ids[-1:] == [worker_id]:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued.append(str(result.id))
                logger.warning("Task %s (%s) was interrupted by a database failure: queued again",
                               result.id, result.task_path)
    return requeued


def housekeeping(*, now: datetime | None = None) -> None:
    """Forget heartbeats of long-gone workers, past slots and old successful task results."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_KEPT).delete()
    # Slots are kept far longer than the catch-up window, so no run is enqueued again.
    PeriodicJobSlot.objects.filter(scheduled_for__lt=now - SLOTS_KEPT).delete()
    keep = timedelta(days=settings.CIVICBRIDGE_TASK_RESULTS_KEEP_DAYS)
    DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep).delete()


class Supervisor(threading.Thread):
    """A worker's second thread: heartbeat, recovery of dead workers' tasks, periodic jobs.

    Runs beside the task loop, so a long task does not stop the heartbeat. Every step
    survives a database outage: it logs, reconnects and tries again at the next beat.
    """

    def __init__(self, *, worker_id: str, jobs: list[Job], heartbeat: bool = True, recover: bool = True,
                 interval: float | None = None):
        super().__init__(name="civicbridge-supervisor", daemon=True)
        self.worker_id = worker_id
        self.jobs = jobs
        self.heartbeat = heartbeat
        self.recover = recover
        self.interval = interval or settings.CIVICBRIDGE_WORKER_HEARTBEAT_SECONDS
        self.started_at = timezone.now()
        self.previous = self.started_at - timedelta(seconds=settings.CIVICBRIDGE_SCHEDULE_CATCH_UP_SECONDS)
        self.stopping = threading.Event()
        self._last_housekeeping = 0.0

    def run(self) -> None:
        try:
            while True:
                self.tick()
                if self.stopping.wait(self.interval):
                    break
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()

    def tick(self) -> bool:
        """One round of every duty; answers whether all succeeded."""
        close_old_connections()
        # all() stops at the first failure: with the database away, the next steps would fail alike.
        succeeded = all(self._step(name, enabled, action) for name, enabled, action in (
            ("heartbeat", self.heartbeat, lambda: beat(self.worker_id, started_at=self.started_at)),
            ("recovery", self.recover, resume_dead_workers_tasks),
            ("schedule", bool(self.jobs), self._schedule),
        ))
        housekeeping_due = self.recover and clock.monotonic() - self._last_housekeeping > HOUSEKEEPING_EVERY
        if housekeeping_due and self._step("housekeeping", True, housekeeping):
            self._last_housekeeping = clock.monotonic()
        return succeeded

    def _schedule(self) -> None:
        now = timezone.now()
        enqueue_due(self.jobs, previous=self.previous, now=now, worker_id=self.worker_id)
        # Only after success: a run missed while the database was away is enqueued at the next beat.
        self.previous = now

    def _step(self, name: str, enabled: bool, action) -> bool:
        if not enabled:
            return True
        try:
            action()
        except (OperationalError, InterfaceError) as error:
            # A database restart or failover: one line per beat, not a traceback.
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            logger.warning("Worker %s: %s failed, the database is unavailable (%s); trying again in %s s",
                           self.worker_id, name, reason, self.interval)
        except Exception:
            logger.exception("Worker %s: %s failed; trying again in %s s", self.worker_id, name, self.interval)
        else:
            return True
        # A broken connection (database restarted) is replaced at the next step.
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        return False
