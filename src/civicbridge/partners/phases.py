"""The phases of a partner request: answers are accepted until the end of its deadline day.

The deadline is a date in the deployment's time zone (settings.TIME_ZONE): a request with
the deadline 30 June accepts answers until 30 June 23:59:59 there, whatever the time zone
of the person answering. Code asks ``accepts_answers(request)``; it never compares dates.
"""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.phases import SUBMIT, Phase, Timeline

ANSWERS_OPEN = "answers-open"
ANSWERS_CLOSED = "answers-closed"
CLOSED = "closed"


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in the deployment's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.max), timezone.get_default_timezone())


def today() -> date:
    """Today in the deployment's time zone (lists filter on it in SQL)."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def timeline(partner_request) -> Timeline:
    if partner_request.status == partner_request.Status.CLOSED:
        return Timeline([Phase(CLOSED, str(_("request closed")))])
    if partner_request.deadline is None:
        return Timeline([Phase(ANSWERS_OPEN, str(_("accepting answers")), allows=frozenset({SUBMIT}))])
    end = end_of_day(partner_request.deadline)
    return Timeline(
        [
            Phase(ANSWERS_OPEN, str(_("accepting answers")), None, end, frozenset({SUBMIT})),
            Phase(ANSWERS_CLOSED, str(_("answer deadline passed")), end, None),
        ]
    )


def accepts_answers(partner_request, now: datetime | None = None) -> bool:
    return timeline(partner_request).allows(SUBMIT, now)
