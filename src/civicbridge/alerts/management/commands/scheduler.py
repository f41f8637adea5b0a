"""``civicbridge scheduler``: enqueue the periodic jobs at their times, and nothing else.

``civicbridge worker`` already does this (every worker schedules; each run is enqueued
once, guarded by a unique (job, time) row, whatever the number of workers). This command
is for a deployment whose workers run with ``--no-schedule``, or whose tasks run
elsewhere. The jobs and their default times (deployment time zone,
``CIVICBRIDGE_TIME_ZONE``; see docs/operators.md):

- the daily digest every day at 07:00 (``CIVICBRIDGE_DIGEST_DAILY_AT``),
- the weekly digest on Mondays at 07:00 (``CIVICBRIDGE_DIGEST_WEEKLY_DAY``/``_AT``),
- deadline reminders every hour, on the hour,
- the mail sweep (retries due, mail left by a dead worker) every minute,
- the deletion of unconfirmed sign-ups every day at 03:30 (``CIVICBRIDGE_ACCOUNTS_EXPIRY_AT``),
- the deletion of expired log-in and rate-limit counters every hour.

A run missed while no worker or scheduler ran is enqueued when one starts, if it fell
within ``CIVICBRIDGE_SCHEDULE_CATCH_UP_SECONDS`` (default one hour).

A digest for hundreds of thousands of subscribers can be shared among several workers:
``--digest-parts N`` (or ``CIVICBRIDGE_DIGEST_PARTS``) enqueues N tasks per digest.

The alternative is cron, without this process: ``--once`` enqueues what is due and exits
(each run still once, however many machines run the line)::

    * * * * *  civicbridge scheduler --once

or, for the alerts alone, the management commands (which run the job in the cron process)::

    0 7 * * *  civicbridge send_digests --frequency daily
    0 7 * * 1  civicbridge send_digests --frequency weekly
    5 * * * *  civicbridge send_deadline_reminders
"""

import signal
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError

from civicbridge.alerts.periodic import alert_jobs
from civicbridge.core.periodic import (
    WEEKDAYS,
    ScheduleError,
    check_jobs,
    parse_time,
    parse_weekday,
    periodic_jobs,
)
from civicbridge.core.workers import Supervisor, new_worker_id


def due_jobs(previous: datetime, now: datetime, *, daily_at: time, weekly_day: int, weekly_at: time) -> list:
    """The alert jobs whose time fell within (previous, now], each once however many times it fell.

    Answers (task name, args) pairs: ("send_digests", ["daily"]), ("send_digests",
    ["weekly"]), ("send_deadline_reminders", [1]).
    """
    return [
        (job.task_path.rsplit(".", 1)[1], list(job.args))
        for job in alert_jobs(daily_at=daily_at, weekly_day=weekly_day, weekly_at=weekly_at)
        if job.latest_slot(previous, now) is not None
    ]


class Command(BaseCommand):
    help = "Enqueue the periodic jobs at their times, without running tasks (civicbridge worker does both)."

    def add_arguments(self, parser):
        parser.add_argument("--daily-at", default=None, help="Time of the daily digest (default 07:00).")
        parser.add_argument("--weekly-day", default=None, choices=WEEKDAYS)
        parser.add_argument("--weekly-at", default=None, help="Time of the weekly digest (default 07:00).")
        parser.add_argument("--interval", type=float, default=None, help="Seconds between two looks at the clock.")
        parser.add_argument(
            "--digest-parts", type=int, default=None,
            help="Share each digest among this many tasks, for as many workers (default 1).",
        )
        parser.add_argument("--once", action="store_true",
                            help="Enqueue the runs due now (or missed within the catch-up window) and exit: for cron.")

    def handle(self, *args, daily_at, weekly_day, weekly_at, interval, digest_parts, once, verbosity, **options):
        from civicbridge.core.management.commands.worker import configure_logging

        configure_logging(self.stdout, verbosity)
        overrides = {}
        try:
            if daily_at is not None:
                overrides["daily_at"] = parse_time(daily_at, "--daily-at")
            if weekly_day is not None:
                overrides["weekly_day"] = parse_weekday(weekly_day, "--weekly-day")
            if weekly_at is not None:
                overrides["weekly_at"] = parse_time(weekly_at, "--weekly-at")
            if digest_parts is not None:
                overrides["digest_parts"] = digest_parts
            jobs = periodic_jobs(**overrides)
            check_jobs(jobs)
        except ScheduleError as error:
            raise CommandError(str(error)) from error

        supervisor = Supervisor(
            worker_id=new_worker_id(), jobs=jobs, heartbeat=False, recover=False, interval=interval,
        )
        if once:
            if not supervisor.tick():
                raise CommandError("The periodic jobs could not be enqueued: see the log above.")
            return

        def stop(signum, frame):
            supervisor.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("scheduler: " + "; ".join(_describe(job) for job in jobs))
        self.stdout.flush()
        supervisor.run()  # in this thread: returns once a signal stops it
        self.stdout.write("scheduler: stopped")


def _describe(job) -> str:
    if job.every is not None:
        seconds = job.every.total_seconds()
        return f"{job.name} every " + (f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s")
    day = f"{WEEKDAYS[job.weekday]}s " if job.weekday is not None else "daily "
    return f"{job.name} {day}at {job.at:%H:%M}"
