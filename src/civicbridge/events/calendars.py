"""iCalendar (RFC 5545) of events: /events/calendar.ics (the list's filters apply) and one event's file.

Each event's UID is stable ("event-<id>@civicbridge") and its SEQUENCE grows with each
change (seconds since its creation at the last change), so a subscribed calendar updates
a moved event in place. A cancelled event stays in the feed with STATUS:CANCELLED: a
calendar that has it learns that it is off. Times are written in UTC.
"""

from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from civicbridge.core.validators import clean_text

PRODUCT_ID = "-//civicbridge//events//EN"


def _line(text) -> str:
    return clean_text(str(text), multiline=False)


def _text(text) -> str:
    return clean_text(str(text), multiline=True)


def event_uid(event) -> str:
    return f"event-{event.pk}@civicbridge"


def events_calendar(events, *, name: str, absolute_url) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(name))
    for event in events:
        calendar.add_component(_component(event, absolute_url))
    return calendar.to_ical()


def _component(event, absolute_url) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("sequence", max(int((event.updated_at - event.created_at).total_seconds()), 0))
    item.add("summary", _line(event.title))
    item.add("location", _line(f"{event.venue}, {event.territory.name}" if event.territory_id else event.venue))
    organizers = ", ".join(organization.name for organization in event.organizers.all())
    item.add("description", _text(f"{event.get_kind_display()} · {organizers}\n{_('Hours')}: {event.hours}"))
    item.add("url", absolute_url(event.get_absolute_url()))
    item.add("categories", [_line(event.get_kind_display())])
    item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return item
