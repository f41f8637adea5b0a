"""Phases of anything time-boxed: a call's stages, a consultation, an award, a competition.

Each phase has a start and an end (aware datetimes; None means open-ended) and says
what it allows ("submit", "comment", "vote", "score", "register"). Apps build a
Timeline from their own rows and ask it, instead of comparing dates themselves:

    if call.timeline.allows("submit"): ...
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

SUBMIT = "submit"
COMMENT = "comment"
VOTE = "vote"
SCORE = "score"
REGISTER = "register"


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    allows: frozenset[str] = field(default_factory=frozenset)

    def contains(self, moment: datetime) -> bool:
        after_start = self.starts_at is None or moment >= self.starts_at
        before_end = self.ends_at is None or moment <= self.ends_at
        return after_start and before_end

    def permits(self, action: str) -> bool:
        return action in self.allows


class Timeline:
    """Consecutive phases; the first one containing a moment is current at that moment."""

    def __init__(self, phases: Iterable[Phase]):
        self.phases = list(phases)

    def current(self, now: datetime | None = None) -> Phase | None:
        moment = now or timezone.now()
        return next((phase for phase in self.phases if phase.contains(moment)), None)

    def allows(self, action: str, now: datetime | None = None) -> bool:
        phase = self.current(now)
        return phase is not None and phase.permits(action)

    def next_end(self, now: datetime | None = None) -> datetime | None:
        """When the current phase ends (a countdown's target), or None if it never does."""
        phase = self.current(now)
        return phase.ends_at if phase else None

    def __iter__(self):
        return iter(self.phases)
