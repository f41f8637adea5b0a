"""The periodic jobs of a deployment and when each is due.

Every ``civicbridge worker`` runs this schedule (``core.workers.Supervisor``); the unique
``PeriodicJobSlot`` (job, scheduled time) makes each run enqueued once, however many
workers on however many machines look at the clock. Daily and weekly times are in the
deployment's time zone (``CIVICBRIDGE_TIME_ZONE``); intervals of an hour or less fall on
whole hours and minutes.

Each app registers its own jobs (``core.registry.periodic_job_sources``, in its
``AppConfig.ready``): ``core`` imports no domain app. Jobs name their task by dotted path,
and a job whose task does not exist stops the worker at start-up with a message that
names it (``check_jobs``), rather than failing silently at 07:00.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday at midnight UTC: intervals count from it


class ScheduleError(ValueError):
    """A schedule setting or a job's task that cannot work; the message says which."""


@dataclass(frozen=True)
class Job:
    """A task enqueued at fixed times: every ``every`` (whole hours/minutes), or daily ``at`` (on ``weekday``)."""

    name: str
    task_path: str
    args: tuple = ()
    every: timedelta | None = None
    at: time | None = None
    weekday: int | None = None  # 0 = Monday; only with ``at``
    # One run enqueues this many tasks, each with ``part, parts`` appended to ``args``.
    parts: int = 1
    description: str = field(default="", compare=False)

    def latest_slot(self, previous: datetime, now: datetime) -> datetime | None:
        """The latest time this job was due in (previous, now], in UTC; None if it was not due."""
        if self.every is not None:
            slot = EPOCH + ((now - EPOCH) // self.every) * self.every
            return slot if previous < slot else None
        zone = timezone.get_default_timezone()
        day: date = now.astimezone(zone).date()
        first: date = previous.astimezone(zone).date()
        while day >= first:
            if self.weekday is None or day.weekday() == self.weekday:
                slot = datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)
                if previous < slot <= now:
                    return slot
                if slot <= previous:
                    return None
            day -= timedelta(days=1)
        return None

    def task(self) -> Task:
        try:
            found = import_string(self.task_path)
        except ImportError as error:
            raise ScheduleError(
                f"periodic job {self.name!r}: no task {self.task_path!r} ({error})"
            ) from error
        if not isinstance(found, Task):
            raise ScheduleError(f"periodic job {self.name!r}: {self.task_path!r} is not a django.tasks task")
        return found

    def runs(self) -> list[tuple]:
        """The argument tuples of the tasks one run enqueues."""
        if self.parts > 1:
            return [(*self.args, part, self.parts) for part in range(self.parts)]
        return [self.args]


def parse_time(value: str, setting: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise ScheduleError(f"{setting}: not a time of day (HH:MM): {value!r}") from error


def parse_weekday(value: str, setting: str) -> int:
    try:
        return WEEKDAYS.index(value.strip().lower())
    except ValueError as error:
        raise ScheduleError(f"{setting}: not a day of the week ({', '.join(WEEKDAYS)}): {value!r}") from error


def periodic_jobs(**overrides) -> list[Job]:
    """Every periodic job of the deployment: core's own and those the apps registered.

    Each app registers a function answering its jobs at the times the settings give
    (``core.registry.periodic_job_sources``, in its ``AppConfig.ready``); ``overrides``
    go to every one of them (``civicbridge scheduler``'s options for the alert digests:
    ``daily_at``, ``weekly_day``, ``weekly_at``, ``digest_parts``).
    """
    from .registry import periodic_job_sources

    sweep = settings.CIVICBRIDGE_MAIL_SWEEP_SECONDS
    if not 1 <= sweep <= 3600:
        raise ScheduleError(f"CIVICBRIDGE_MAIL_SWEEP_SECONDS must be between 1 and 3600: {sweep:g}")
    own = [
        Job("deliver-due-mail", "civicbridge.core.notifications.deliver_due_mail",
            every=timedelta(seconds=sweep), description="mail due for a retry or left by a dead worker"),
        Job("delete-expired-counters", "civicbridge.core.counters.delete_expired_counters",
            every=timedelta(hours=1), description="log-in and rate-limit counters past their window"),
        Job("purge-submission-keys", "civicbridge.core.duplicates.purge_expired_submission_keys",
            every=timedelta(hours=1), description="keys of repeated submissions past their window"),
    ]
    return [*(job for source in periodic_job_sources for job in source(**overrides)), *own]


def check_jobs(jobs: Iterable[Job]) -> None:
    """Raise ScheduleError naming every job whose task cannot be found."""
    problems = []
    for job in jobs:
        try:
            job.task()
        except ScheduleError as error:
            problems.append(str(error))
    if problems:
        raise ScheduleError("; ".join(problems))


def enqueue_due(jobs: Iterable[Job], *, previous: datetime, now: datetime, worker_id: str) -> list:
    """Enqueue each job's latest run due in (previous, now] unless some worker enqueued it already.

    Answers the slots this call enqueued. The slot row and its tasks commit together
    (the database task backend enqueues in the same transaction), so a worker that dies
    between the two leaves neither, and the next worker's look at the clock enqueues it.
    """
    from .models import PeriodicJobSlot

    enqueued = []
    for job in jobs:
        slot = job.latest_slot(previous, now)
        if slot is None:
            continue
        task = job.task()
        try:
            with transaction.atomic():
                row = PeriodicJobSlot.objects.create(job=job.name, scheduled_for=slot, worker_id=worker_id)
                row.task_ids = [str(task.enqueue(*args).id) for args in job.runs()]
                row.save(update_fields=["task_ids"])
        except IntegrityError:
            continue  # another worker was first: the run is queued once
        logger.info("Enqueued %s for %s as %s", job.name, slot.isoformat(), ", ".join(row.task_ids))
        enqueued.append(row)
    return enqueued
