"""iCalendar (RFC 5545) of calls' deadlines: one event per deadline.

Each event's UID is stable ("<identifier>-stage-<n>@civicbridge") and its SEQUENCE is the
call's ``deadlines_revision``, so a calendar that subscribed updates a moved deadline in
place instead of adding a second one. Times are written in UTC.

Every text goes through ``_line`` before the iCalendar library escapes it: RFC 5545
allows no control character in a value, and some properties (X-WR-CALNAME) are not
escaped at all, so a line break there would end the property. Old rows, the admin or a
future import must not be able to break a calendar.
"""

import hashlib
from datetime import UTC, timedelta

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from civicbridge.core.validators import clean_text

from .selectors import stage_label, zone_label
from .services import funder_zone

PRODUCT_ID = "-//civicbridge//calls for proposals//EN"
MAX_REMINDER_DAYS = 60
EVENTS_CACHE_SECONDS = 3600
EVENT_BUCKETS = 32


def _line(text) -> str:
    return clean_text(str(text), multiline=False)


def event_uid(call, stage: int) -> str:
    return _line(f"{call.identifier}-stage-{stage}@civicbridge")


def calendar_filename(call) -> str:
    """A file name for the call's calendar that fits in a Content-Disposition header."""
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in call.identifier)
    return f"{stem.strip('-.') or 'call'}.ics"


def deadlines_calendar(calls, *, name: str, absolute_url, reminder_days: int | None = None) -> bytes:
    """The calendar of ``calls``' deadlines (prefetched); ``absolute_url(path)`` makes links absolute.

    ``reminder_days`` adds an alarm that many days before each deadline. Events are kept in
    the cache under a digest of everything they show, read from the database in this request
    (``_shown``): building a thousand events takes the iCalendar library over a second, reading
    them back a few milliseconds, and no write, wherever it happens, can leave an old event.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(name))
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical()
    return head[: -len(end)] + b"".join(_event_blocks(calls, absolute_url, reminder_days)) + end


def _event_blocks(calls, absolute_url, reminder_days) -> list[bytes]:
    """The calls' events, built per bucket of calls and kept in the cache under what they show.

    A few dozen buckets whatever the number of calls (a local-memory cache holds only a few
    hundred entries); the order of events in a calendar means nothing to calendar programs.
    """
    buckets: dict[int, list] = {}
    for call in calls:
        buckets.setdefault(call.pk % EVENT_BUCKETS, []).append(call)
    site = absolute_url("/")
    keys = {}
    for number, members in buckets.items():
        fingerprint = hashlib.sha256(repr([_shown(call) for call in members]).encode()).hexdigest()
        keys[number] = f"civicbridge:ics-events:{fingerprint}:{get_language()}:{reminder_days}:{site}"
    cached = cache.get_many(list(keys.values()))
    missing = {}
    blocks = []
    for number, members in sorted(buckets.items()):
        block = cached.get(keys[number])
        if block is None:
            block = b"".join(
                event.to_ical() for call in members for event in _events(call, absolute_url, reminder_days)
            )
            missing[keys[number]] = block
        blocks.append(block)
    if missing:
        cache.set_many(missing, EVENTS_CACHE_SECONDS)
    return blocks


def _shown(call) -> tuple:
    """Every value of ``call`` and its relations that its events are made of (``_events``)."""
    funder = call.programme.funder
    return (
        call.pk, call.identifier, call.title, call.deadline_model, call.updated_at.timestamp(),
        call.deadlines_revision, funder.name, funder.time_zone, call.programme.name,
        [(deadline.stage, deadline.label, deadline.deadline_at.timestamp()) for deadline in call.deadlines.all()],
    )


def _events(call, absolute_url, reminder_days):
    deadlines = sorted(call.deadlines.all(), key=lambda d: d.deadline_at)
    funder = call.programme.funder
    zone = funder_zone(funder)
    url = absolute_url(call.get_absolute_url())
    for deadline in deadlines:
        label = _line(deadline.label or stage_label(call, deadline.stage, len(deadlines)))
        title = _line(call.title)
        local = deadline.deadline_at.astimezone(zone)
        event = Event()
        event.add("uid", event_uid(call, deadline.stage))
        event.add("dtstamp", call.updated_at.astimezone(UTC))
        event.add("dtstart", deadline.deadline_at.astimezone(UTC))
        event.add("summary", _line(f"{label}: {title} ({call.identifier})"))
        event.add(
            "description",
            _line(
                _("%(funder)s, %(programme)s. Deadline %(time)s (%(zone)s). %(url)s")
                % {
                    "funder": funder.name, "programme": call.programme.name,
                    "time": local.strftime("%Y-%m-%d %H:%M"), "zone": zone_label(zone), "url": url,
                }
            ),
        )
        event.add("url", url)
        event.add("sequence", call.deadlines_revision)
        event.add("transp", "TRANSPARENT")
        if reminder_days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{label}: {title}")
            alarm.add("trigger", timedelta(days=-reminder_days))
            event.add_component(alarm)
        yield event


def reminder_days(value: str | None) -> int | None:
    """``?reminder=7``: days before each deadline, 1 to 60; anything else means no alarm."""
    if value and value.isdigit() and 1 <= int(value) <= MAX_REMINDER_DAYS:
        return int(value)
    return None
