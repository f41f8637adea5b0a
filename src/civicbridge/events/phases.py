"""The phases of an event's registration. Code asks ``accepts_registrations(event)``;
it never compares dates itself.

Registration opens at ``registration_opens_at`` (or at once) and closes at
``registration_closes_at`` (or when the event starts); a cancelled or unpublished event
takes none.
"""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from civicbridge.core.phases import REGISTER, Phase, Timeline

NOT_PUBLISHED = "not-published"
CANCELLED = "cancelled"
BEFORE_REGISTRATION = "before-registration"
REGISTRATION_OPEN = "registration-open"
REGISTRATION_CLOSED = "registration-closed"
UNDER_WAY = "under-way"
OVER = "over"


def timeline(event) -> Timeline:
    if event.cancelled_at is not None:
        return Timeline([Phase(CANCELLED, str(_("event cancelled")))])
    if event.published_at is None:
        return Timeline([Phase(NOT_PUBLISHED, str(_("not published yet")))])
    closes = event.registration_closes_at or event.starts_at
    phases = []
    if event.registration_opens_at:
        phases.append(Phase(BEFORE_REGISTRATION, str(_("registration not open yet")), None, event.registration_opens_at))
    phases.append(
        Phase(REGISTRATION_OPEN, str(_("registration open")), event.registration_opens_at, closes, frozenset({REGISTER}))
    )
    if closes < event.starts_at:
        phases.append(Phase(REGISTRATION_CLOSED, str(_("registration closed")), closes, event.starts_at))
    phases.append(Phase(UNDER_WAY, str(_("under way")), event.starts_at, event.ends_at))
    phases.append(Phase(OVER, str(_("over")), event.ends_at, None))
    return Timeline(phases)


def accepts_registrations(event, now: datetime | None = None) -> bool:
    return timeline(event).allows(REGISTER, now)


def phase_key(event, now: datetime | None = None) -> str:
    phase = timeline(event).current(now)
    return phase.key if phase else OVER
