"""The alerts' periodic jobs, registered with core's schedule (``core.periodic``).

Their names are those the jobs had under funding: the runs already recorded
(``PeriodicJobSlot``) keep counting as runs of the same jobs.
"""

from datetime import time, timedelta

from django.conf import settings

from civicbridge.core.periodic import Job, ScheduleError, parse_time, parse_weekday


def alert_jobs(*, daily_at: time, weekly_day: int, weekly_at: time, digest_parts: int = 1) -> list[Job]:
    """The alerts' jobs: daily and weekly digests, hourly reminders (deadlines of calls...)."""
    return [
        Job("daily-digest", "civicbridge.alerts.tasks.send_digests", ("daily",), at=daily_at,
            parts=digest_parts, description="daily alert digests"),
        Job("weekly-digest", "civicbridge.alerts.tasks.send_digests", ("weekly",), at=weekly_at,
            weekday=weekly_day, parts=digest_parts, description="weekly alert digests"),
        Job("deadline-reminders", "civicbridge.alerts.tasks.send_deadline_reminders", (1,),
            every=timedelta(hours=1), description="reminders of deadlines 7 days ahead"),
    ]


def configured_alert_jobs(**overrides) -> list[Job]:
    """The alert jobs at the times the settings give; ``overrides`` are the scheduler's options."""
    times = {
        "daily_at": parse_time(settings.CIVICBRIDGE_DIGEST_DAILY_AT, "CIVICBRIDGE_DIGEST_DAILY_AT"),
        "weekly_day": parse_weekday(settings.CIVICBRIDGE_DIGEST_WEEKLY_DAY, "CIVICBRIDGE_DIGEST_WEEKLY_DAY"),
        "weekly_at": parse_time(settings.CIVICBRIDGE_DIGEST_WEEKLY_AT, "CIVICBRIDGE_DIGEST_WEEKLY_AT"),
        "digest_parts": settings.CIVICBRIDGE_DIGEST_PARTS,
        **overrides,
    }
    if times["digest_parts"] < 1:
        raise ScheduleError(f"CIVICBRIDGE_DIGEST_PARTS must be 1 or more: {times['digest_parts']}")
    return alert_jobs(**times)
