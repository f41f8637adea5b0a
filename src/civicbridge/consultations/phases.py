"""The phases of a consultation. Code asks ``allows(consultation, COMMENT)`` or
``allows(consultation, ANSWER)``; it never compares dates itself.

A draft (not published) has one phase that allows nothing. A published consultation is
"not started" until ``starts_at``, "open" (remarks may be made and edited) until
``ends_at``, then "closed" (the body answers the remarks) until its report is published,
and "reported" from then on.
"""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from civicbridge.core.phases import COMMENT, Phase, Timeline

ANSWER = "answer"

DRAFT = "draft"
BEFORE = "before"
OPEN = "open"
CLOSED = "closed"
REPORTED = "reported"


def timeline(consultation) -> Timeline:
    if consultation.published_at is None:
        return Timeline([Phase(DRAFT, str(_("draft, not published")))])
    phases = [
        Phase(BEFORE, str(_("not started yet")), None, consultation.starts_at),
        Phase(
            OPEN,
            str(_("open for remarks")),
            consultation.starts_at,
            consultation.ends_at,
            frozenset({COMMENT}),
        ),
    ]
    if consultation.reported_at is None:
        phases.append(
            Phase(
                CLOSED,
                str(_("closed, remarks being answered")),
                consultation.ends_at,
                None,
                frozenset({ANSWER}),
            )
        )
    else:
        reported = max(consultation.reported_at, consultation.ends_at)
        phases.append(
            Phase(
                CLOSED,
                str(_("closed, remarks being answered")),
                consultation.ends_at,
                reported,
                frozenset({ANSWER}),
            )
        )
        phases.append(Phase(REPORTED, str(_("report published")), reported, None))
    return Timeline(phases)


def phase_key(consultation, now: datetime | None = None) -> str:
    phase = timeline(consultation).current(now)
    return phase.key if phase else DRAFT


def allows(consultation, action: str, now: datetime | None = None) -> bool:
    return timeline(consultation).allows(action, now)


def accepts_remarks(consultation, now: datetime | None = None) -> bool:
    return allows(consultation, COMMENT, now)


def accepts_answers(consultation, now: datetime | None = None) -> bool:
    return allows(consultation, ANSWER, now)
