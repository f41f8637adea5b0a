"""The calls' alert entry points: the calls services call these after commit.

``call_published(call)`` and ``deadlines_changed(call)`` only enqueue the
background task that finds the matching subscribers and notifies them; they do
no matching and send nothing themselves, so a publish request stays fast.
Call them inside ``transaction.on_commit`` (the task reads the committed call).
"""

from __future__ import annotations

PUBLISHED = "published"


def deadlines_occasion(revision: int) -> str:
    return f"deadlines-{revision}"


def call_published(call) -> None:
    """A call has just been published: notify the instant subscribers it matches."""
    from civicbridge.funding.tasks import notify_subscribers

    notify_subscribers.enqueue(call.pk, PUBLISHED)


def deadlines_changed(call) -> None:
    """A published call's deadlines changed (``deadlines_revision`` was bumped)."""
    if call.published_at is None:
        return
    from civicbridge.funding.tasks import notify_subscribers

    notify_subscribers.enqueue(call.pk, deadlines_occasion(call.deadlines_revision))
