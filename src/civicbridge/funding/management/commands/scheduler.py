"""``civicbridge scheduler``: enqueue the periodic alert tasks at their times.

- the daily digest every day at 07:00 (deployment time zone, ``CIVICBRIDGE_TIME_ZONE``),
- the weekly digest on Mondays at 07:00,
- deadline reminders every hour, on the hour.

It only enqueues: the workers (``civicbridge worker``) run the tasks. Run one scheduler
per deployment; a second one would enqueue every job twice, which sends nothing twice
(the tasks claim each delivery once) but does the work twice. A job whose time passed
while the scheduler was down is not caught up, except within the first minute.

A digest for hundreds of thousands of subscribers can be shared among several workers:
``--digest-parts N`` enqueues N tasks per digest.

The alternative is cron and the management commands, without this process::

    0 7 * * *  civicbridge send_digests --frequency daily
    0 7 * * 1  civicbridge send_digests --frequency weekly
    5 * * * *  civicbridge send_deadline_reminders
"""

import signal
import time as clock
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _local_days(previous: datetime, now: datetime):
    zone = timezone.get_default_timezone()
    day: date = previous.astimezone(zone).date()
    while day <= now.astimezone(zone).date():
        yield day, zone
        day += timedelta(days=1)


def due_jobs(previous: datetime, now: datetime, *, daily_at: time, weekly_day: int, weekly_at: time) -> list:
    """The jobs whose time fell within (previous, now], each once however many times it fell.

    Answers (task name, args) pairs: ("send_digests", ["daily"]), ("send_digests",
    ["weekly"]), ("send_deadline_reminders", [1]).
    """
    jobs = []
    daily = weekly = False
    for day, zone in _local_days(previous, now):
        if previous < datetime.combine(day, daily_at, tzinfo=zone) <= now:
            daily = True
        if day.weekday() == weekly_day and previous < datetime.combine(day, weekly_at, tzinfo=zone) <= now:
            weekly = True
    if daily:
        jobs.append(("send_digests", ["daily"]))
    if weekly:
        jobs.append(("send_digests", ["weekly"]))
    hour = now.replace(minute=0, second=0, microsecond=0)
    if previous < hour <= now:
        jobs.append(("send_deadline_reminders", [1]))
    return jobs


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a time of day (HH:MM): {value!r}") from error


class Command(BaseCommand):
    help = "Enqueue the alert digests and deadline reminders at their times (see also: cron)."

    def add_arguments(self, parser):
        parser.add_argument("--daily-at", default="07:00", help="Time of the daily digest (default 07:00).")
        parser.add_argument("--weekly-day", default="monday", choices=WEEKDAYS)
        parser.add_argument("--weekly-at", default="07:00", help="Time of the weekly digest (default 07:00).")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between two looks at the clock.")
        parser.add_argument(
            "--digest-parts", type=int, default=1,
            help="Share each digest among this many tasks, for as many workers (default 1).",
        )

    def handle(self, *args, daily_at, weekly_day, weekly_at, interval, digest_parts, **options):
        from civicbridge.funding import tasks

        schedule = {"daily_at": _time(daily_at), "weekly_day": WEEKDAYS.index(weekly_day), "weekly_at": _time(weekly_at)}
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"scheduler: daily at {daily_at}, weekly on {weekly_day} at {weekly_at}, reminders hourly")
        previous = timezone.now() - timedelta(minutes=1)
        while running:
            now = timezone.now()
            for name, task_args in due_jobs(previous, now, **schedule):
                shares = [[*task_args, part, digest_parts] for part in range(digest_parts)] if (
                    name == "send_digests" and digest_parts > 1) else [task_args]
                for share_args in shares:
                    result = getattr(tasks, name).enqueue(*share_args)
                    self.stdout.write(f"{now.isoformat()} enqueued {name}{tuple(share_args)} as {result.id}")
            previous = now
            slept = 0.0
            while running and slept < interval:
                clock.sleep(min(1.0, interval - slept))
                slept += 1.0
        self.stdout.write("scheduler: stopped")
