"""iCalendar (RFC 5545) of one consultation: the time to make remarks, as a calendar entry
with an alarm a day before its end (its UID stable, "consultation-<id>@civicbridge")."""

from datetime import timedelta

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from civicbridge.core.validators import clean_text

PRODUCT_ID = "-//civicbridge//consultations//EN"


def consultation_calendar(consultation, *, absolute_url) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = CalendarEvent()
    item.add("uid", f"consultation-{consultation.pk}@civicbridge")
    item.add("dtstamp", consultation.updated_at)
    item.add("dtstart", consultation.starts_at)
    item.add("dtend", consultation.ends_at)
    item.add(
        "sequence", max(int((consultation.updated_at - consultation.created_at).total_seconds()), 0)
    )
    summary = _("Consultation: %(title)s") % {"title": consultation.title}
    item.add("summary", clean_text(summary, multiline=False))
    item.add(
        "description",
        clean_text(
            f"{consultation.issuing_body.name}\n{consultation.get_kind_display()}", multiline=True
        ),
    )
    item.add("url", absolute_url(consultation.get_absolute_url()))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description",
        clean_text(
            _("The consultation ends in a day: %(title)s") % {"title": consultation.title},
            multiline=False,
        ),
    )
    alarm.add("trigger", timedelta(days=-1), parameters={"RELATED": "END"})
    item.add_component(alarm)
    calendar.add_component(item)
    return calendar.to_ical()
