"""Background tasks of the call alerts: instant notices, digests, deadline reminders.

At most once, even when a worker dies and the task runs again: every notice first
claims its ``Delivery`` row (unique per subscription, call and occasion) in a
committed transaction, then the e-mail goes, then the row gets ``sent_at``. A rerun
claims nothing that exists already, so it sends nothing twice. The claim's INSERT
returns the rows it inserted, which are the only ones the run sends; until they are
sent they carry the run's mark in ``error`` (``claimed:<run>``), so that a later run
can tell an earlier run's unsent claims from its own: it marks them ``interrupted``,
and they are not sent again (the person may or may not have had that e-mail; a
duplicate is the worse failure for a public office's mailing).

Failures of one message (the server refuses an address) are written to that row's
``error`` and the run goes on; an SMTP server that cannot be reached at all fails the
task before anything is claimed, so running it again later loses nothing.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .alerts import PUBLISHED, deadlines_occasion
from .matching import CallFacts, matching_subscription_ids
from .models import Call, CallDeadline, Delivery, Subscription
from .subscriptions_services import absolute, unsubscribe_path, unsubscribe_token

logger = logging.getLogger(__name__)

CLAIM_PREFIX = "claimed:"
INTERRUPTED = "interrupted"
# A claim older than this whose run never finished is shown as interrupted in the log.
STALE_CLAIM = timedelta(hours=1)
BATCH_SIZE = 500
REMINDER_LEAD = timedelta(days=7)
PERIODS = {Subscription.Frequency.DAILY: timedelta(days=1), Subscription.Frequency.WEEKLY: timedelta(days=7)}
# A digest never reaches further back than this many periods (after an outage, or for a
# subscription switched back on after months: no flood of old calls).
MAX_LOOKBACK_PERIODS = 4


@dataclass(frozen=True, slots=True)
class Recipient:
    subscription_id: int
    name: str
    email: str
    language: str


# --- rendering ------------------------------------------------------------------------

# Stand-ins for what differs between recipients of the same e-mail (private-use characters
# no template or name contains): the e-mail is rendered once and the stand-ins replaced.
NAME_SLOT = "\ue000name\ue001"
UNSUBSCRIBE_SLOT = "\ue000unsubscribe\ue001"
MAX_CACHED_RENDERINGS = 10_000


class Renderer:
    """Renders alert e-mails, once for all recipients who get the same one.

    A digest run writes hundreds of thousands of e-mails, most of them alike: the
    same calls in the same language. Each distinct e-mail (template, language and what
    the caller says it is about) goes through the templates once, with stand-ins for
    the recipient's alert name and unsubscribe link, which are then filled in per
    recipient. A call's block is likewise rendered once per language.
    """

    def __init__(self):
        self._blocks: dict[tuple[int, str], str] = {}
        self._links: dict[str, tuple[str, str]] = {}
        self._renderings: dict[tuple, tuple[str, str]] = {}
        self.site_name = settings.CIVICBRIDGE_SITE_NAME

    def call_block(self, call: Call, language: str) -> str:
        key = (call.pk, language)
        if key not in self._blocks:
            with translation.override(language):
                self._blocks[key] = render_to_string(
                    "funding/email/_call.txt",
                    {"call": call, "deadlines": _deadlines(call), "call_url": absolute(call.get_absolute_url())},
                ).strip()
        return self._blocks[key]

    def links(self, recipient: Recipient) -> tuple[str, str]:
        """(the recipient's unsubscribe link, the link to manage all alerts)."""
        language = recipient.language
        if language not in self._links:
            # One reverse() per language: the token is the only part that changes.
            self._links[language] = (
                absolute(unsubscribe_path("TOKEN", language)),
                absolute(_path_in(language, "funding:subscription_list")),
            )
        unsubscribe_template, manage = self._links[language]
        return unsubscribe_template.replace("TOKEN", unsubscribe_token(recipient.subscription_id)), manage

    def _render(self, template: str, language: str, key, context) -> tuple[str, str]:
        cache_key = (template, language, key)
        rendering = self._renderings.get(cache_key)
        if rendering is None:
            if len(self._renderings) >= MAX_CACHED_RENDERINGS:
                self._renderings.clear()
            context = {
                **context(language), "subscription_name": NAME_SLOT,
                "unsubscribe_url": UNSUBSCRIBE_SLOT, "subscriptions_url": self.links(
                    Recipient(0, "", "", language))[1], "site_name": self.site_name,
            }
            with translation.override(language):
                subject = " ".join(render_to_string(f"funding/email/{template}_subject.txt", context).split())
                body = render_to_string(f"funding/email/{template}.txt", context)
            rendering = self._renderings[cache_key] = (subject, body)
        return rendering

    def message(self, recipient: Recipient, template: str, key, context: Callable[[str], dict]) -> EmailMessage:
        """The e-mail ``template`` for ``recipient``.

        ``key`` names what the e-mail says apart from the recipient (hashable: e.g. the
        call ids); ``context(language)`` makes the templates' context, called only when
        the e-mail for ``key`` in that language is not rendered yet.
        """
        unsubscribe, _manage = self.links(recipient)
        subject, body = self._render(template, recipient.language, key, context)
        name = " ".join(recipient.name.split())
        return EmailMessage(
            subject.replace(NAME_SLOT, name),
            body.replace(NAME_SLOT, name).replace(UNSUBSCRIBE_SLOT, unsubscribe),
            settings.DEFAULT_FROM_EMAIL, [recipient.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
                "Content-Language": recipient.language,
            },
        )


def _path_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _deadlines(call: Call) -> list[CallDeadline]:
    return sorted(call.deadlines.all(), key=lambda deadline: deadline.deadline_at)


# --- claiming and sending ------------------------------------------------------------------

def _new_mark() -> str:
    return CLAIM_PREFIX + uuid.uuid4().hex


def _mark_interrupted(deliveries, mark: str) -> int:
    """Rows an earlier run claimed and never sent: log them, never send them."""
    return (
        deliveries.filter(sent_at__isnull=True, error__startswith=CLAIM_PREFIX)
        .exclude(error=mark)
        .update(error=INTERRUPTED)
    )


def _recipients(subscription_ids: Iterable[int]) -> dict[int, Recipient]:
    rows = (
        Subscription.objects.filter(pk__any=list(subscription_ids), is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("id", "name", "user__email", "user__preferred_language")
    )
    codes = {code for code, _name in settings.LANGUAGES}
    return {
        pk: Recipient(pk, name, email, language if language in codes else settings.LANGUAGE_CODE)
        for pk, name, email, language in rows
    }


Claim = tuple[int, int, str]  # (subscription id, call id, occasion)


def _claim(claims: Sequence[Claim], *, kind: str, mark: str) -> dict[Claim, int]:
    """Claim (subscription, call, occasion) triples; answer {triple: delivery id} of those this run won.

    The claim commits before anything is sent: that is the at-most-once guarantee.
    One statement per thousand triples (the triples as arrays on PostgreSQL, as VALUES on
    SQLite 3.35+): ``ON CONFLICT DO NOTHING`` skips the triples claimed before and ``RETURNING`` names
    those this statement inserted, which ``bulk_create(ignore_conflicts=True)`` cannot
    say; it also spares a model instance per row (a digest claims a million rows).
    The occasion travels with each triple: a digest claims its new calls and the
    changed deadlines of calls it told before (one occasion per revision) together.
    """
    if not claims:
        return {}
    quote = connection.ops.quote_name
    field = Delivery._meta.get_field
    columns = ", ".join(
        quote(field(name).column) for name in ("subscription", "call", "kind", "occasion", "claimed_at", "error")
    )
    returning = ", ".join(quote(field(name).column) for name in ("subscription", "call", "occasion", "id"))
    claimed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "
    won: dict[Claim, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _batches(claims, 1000):
            if connection.vendor == "postgresql":
                # Three arrays, not three thousand placeholders: psycopg caches the statement.
                subscriptions, calls, occasions = (list(column) for column in zip(*chunk, strict=True))
                cursor.execute(
                    insert + "SELECT claims.subscription, claims.call, %s, claims.occasion, %s, %s "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[]) AS claims (subscription, call, occasion) "
                    f"ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, claimed_at, mark, subscriptions, calls, occasions],
                )
            else:
                # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
                cursor.execute(
                    insert + f"SELECT column1, column2, %s, column3, %s, %s "
                    f"FROM (VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))}) "
                    f"AS claims WHERE 1 = 1 ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, claimed_at, mark, *chain.from_iterable(chunk)],
                )
            won.update(
                ((subscription_id, call_id, occasion), pk) for subscription_id, call_id, occasion, pk in cursor.fetchall()
            )
    return won


def _send(mailer, outgoing: list[tuple[list[int], EmailMessage]]) -> tuple[int, int]:
    """Send each message alone (one refusal must not stop the rest); record each outcome.

    Answers (messages sent, messages failed).
    """
    sent: list[int] = []
    failures: dict[str, list[int]] = {}
    failed_messages = 0
    for delivery_ids, message in outgoing:
        try:
            mailer.send_messages([message])
        except Exception as error:  # any mail backend's failure: log it on the rows and go on
            logger.warning("Alert e-mail to %s failed: %s", message.to, error)
            failures.setdefault(f"{type(error).__name__}: {error}"[:300], []).extend(delivery_ids)
            failed_messages += 1
            # A dropped connection is opened again for the next message; closing it may fail too.
            with contextlib.suppress(Exception):
                mailer.close()
        else:
            sent.extend(delivery_ids)
    if sent:
        Delivery.objects.filter(pk__any=sent).update(sent_at=timezone.now(), error="")
    for error, delivery_ids in failures.items():
        Delivery.objects.filter(pk__any=delivery_ids).update(error=error)
    return len(outgoing) - failed_messages, failed_messages


def _open_mailer():
    mailer = mailers.default
    mailer.open()  # fails the task before any claim if the server cannot be reached
    return mailer


def _batches(items: Sequence, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _notify(call: Call, subscription_ids: list[int], *, kind: str, occasion: str, template: str,
            context: dict) -> dict:
    """Claim and send one notice about ``call`` to each of ``subscription_ids``."""
    mark = _new_mark()
    # Only this kind's rows: a digest may be claiming the same "deadlines-<revision>" occasion.
    interrupted = _mark_interrupted(Delivery.objects.filter(call=call, occasion=occasion, kind=kind), mark)
    renderer = Renderer()
    counts = {"matched": len(subscription_ids), "sent": 0, "failed": 0, "interrupted": interrupted}
    if not subscription_ids:
        return counts
    mailer = _open_mailer()
    try:
        for batch in _batches(subscription_ids):
            recipients = _recipients(batch)
            won = _claim([(s, call.pk, occasion) for s in sorted(recipients)], kind=kind, mark=mark)
            outgoing = []
            for (subscription_id, _call_id, _occasion), delivery_id in sorted(won.items()):
                recipient = recipients[subscription_id]
                message = renderer.message(recipient, template, (call.pk, occasion), lambda language: {
                    "call": call, "call_block": renderer.call_block(call, language), **context,
                })
                outgoing.append(([delivery_id], message))
            sent, failed = _send(mailer, outgoing)
            counts["sent"] += sent
            counts["failed"] += failed
    finally:
        mailer.close()
    return counts


# --- instant notices ---------------------------------------------------------------------------

def _published_call(call_id: int) -> Call | None:
    return (
        Call.objects.published().select_related("programme__funder").prefetch_related("deadlines")
        .filter(pk=call_id).first()
    )


@task
def notify_subscribers(call_id: int, occasion: str) -> dict:
    """Tell the instant subscribers a published call matches that it was published or its deadlines changed.

    ``occasion`` is "published" or "deadlines-<revision>"; a deadline change already
    overtaken by a newer one is skipped (the newer task tells the current dates).
    """
    call = _published_call(call_id)
    if call is None:
        return {"skipped": "not published"}
    if occasion != PUBLISHED and occasion != deadlines_occasion(call.deadlines_revision):
        return {"skipped": "stale occasion"}
    facts = CallFacts.from_call(call)
    ids = matching_subscription_ids(call, frequencies=[Subscription.Frequency.INSTANT], facts=facts)
    changed = occasion != PUBLISHED
    return _notify(
        call, ids, kind=Delivery.Kind.INSTANT, occasion=occasion, template="call_notice",
        context={"changed": changed},
    )


# --- deadline reminders ---------------------------------------------------------------------------

def reminder_occasion(deadline_at: datetime) -> str:
    """The occasion of a reminder: the deadline's moment in UTC, to the minute ("reminder-202611301200").

    The moment, not the stage, names the reminder: a deadline moved after its reminder
    is a new occasion, reminded again 7 days before its new date; and replacing a
    call's deadlines numbers the stages afresh, which must not remind the same moment
    twice under a new stage number.
    """
    return f"reminder-{deadline_at.astimezone(UTC):%Y%m%d%H%M}"


@task
def send_deadline_reminders(window_hours: float = 1) -> dict:
    """Remind those who asked of each deadline due 7 days from now (± the run window).

    Run it every ``window_hours`` (the scheduler does, hourly); the windows of two runs
    overlap and the occasion (``reminder_occasion``: the deadline's moment) keeps each
    reminder single, while a deadline moved to a new moment is reminded again.
    """
    now = timezone.now()
    window = timedelta(hours=window_hours)
    target = now + REMINDER_LEAD
    deadlines = (
        CallDeadline.objects.filter(
            deadline_at__gte=target - window, deadline_at__lte=target + window, call__published_at__isnull=False,
        )
        .select_related("call__programme__funder")
        .order_by("deadline_at", "pk")
    )
    totals = {"deadlines": 0, "sent": 0, "failed": 0}
    for deadline in deadlines:
        call = _published_call(deadline.call_id)
        if call is None:
            continue
        totals["deadlines"] += 1
        ids = matching_subscription_ids(call, reminders=True)
        counts = _notify(
            call, ids, kind=Delivery.Kind.REMINDER, occasion=reminder_occasion(deadline.deadline_at),
            template="reminder", context={"deadline": deadline},
        )
        totals["sent"] += counts["sent"]
        totals["failed"] += counts["failed"]
    return totals


# --- digests ------------------------------------------------------------------------------------------

def digest_occasion(now: datetime) -> str:
    return f"digest-{timezone.localdate(now).isoformat()}"


@task
def send_digests(frequency: str, part: int = 0, parts: int = 1) -> dict:
    """Send every active ``frequency`` ("daily" or "weekly") subscription one e-mail of its news.

    The news is the subscription's new calls and, in a section of their own, the calls
    whose deadlines changed; a subscription with only changed calls gets a digest too.
    Both look back to its last digest (or one period), never before ``oldest``:

    - new calls: published since then, matching it, and not had yet (in a digest or an
      instant notice of publication);
    - changed calls: matching it, had already, their deadlines changed since then, and
      their current revision not told yet (occasion "deadlines-<revision>", claimed
      like the new calls, so a rerun never repeats it). A new call's digest shows its
      current deadlines, so it claims that revision too: a change made before the
      subscription had the call is not told as a change.

    The work goes call by call, not subscription by subscription: one fan-out query per
    new or changed call, then the subscriptions are walked in id order, a batch at a
    time, each batch claimed in one statement, sent over one connection and stamped
    with ``last_digest_at``.

    ``part`` of ``parts`` takes only the subscriptions whose id leaves that remainder:
    enqueue ``parts`` tasks to share a large digest among that many workers (building
    and sending e-mails is most of the time, and it is CPU work in each worker).
    """
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}")
    period = PERIODS[Subscription.Frequency(frequency)]
    now = timezone.now()
    occasion = digest_occasion(now)
    mark = _new_mark()
    # Its new calls' and changed deadlines' claims alike: every digest claim another run left unsent.
    interrupted = _mark_interrupted(
        _in_part(Delivery.objects.filter(kind=Delivery.Kind.DIGEST, claimed_at__gte=now - 2 * period),
                 "subscription_id", part, parts),
        mark,
    )
    oldest = now - MAX_LOOKBACK_PERIODS * period
    calls = list(
        Call.objects.published()
        .filter(Q(published_at__gt=oldest, published_at__lte=now)
                | Q(deadlines_changed_at__gt=oldest, deadlines_changed_at__lte=now))
        .select_related("programme__funder").prefetch_related("deadlines")
        .order_by(F("closes_at").asc(nulls_last=True), "pk")
    )
    fan_out: list[tuple[Call, array]] = []
    for call in calls:
        ids = matching_subscription_ids(call, frequencies=[frequency], share=(part, parts))
        if ids:
            fan_out.append((call, array("q", ids)))
    every_id = sorted({pk for _call, ids in fan_out for pk in ids})
    counts = {
        "calls": sum(_between(call.published_at, oldest, now) for call in calls),
        "changed_calls": sum(_between(call.deadlines_changed_at, oldest, now) for call in calls),
        "subscriptions": len(every_id), "sent": 0, "failed": 0, "interrupted": interrupted,
    }
    stamped_up_to = 0
    mailer = _open_mailer() if every_id else None
    renderer = Renderer()
    try:
        for batch in _batches(every_id, 1000):
            sent, failed = _digest_batch(
                batch, fan_out, mailer, renderer, now=now, period=period, occasion=occasion, mark=mark,
                oldest=oldest,
            )
            counts["sent"] += sent
            counts["failed"] += failed
            _stamp(frequency, after=stamped_up_to, up_to=batch[-1], now=now, part=part, parts=parts)
            stamped_up_to = batch[-1]
    finally:
        if mailer is not None:
            mailer.close()
    _stamp(frequency, after=stamped_up_to, up_to=None, now=now, part=part, parts=parts)
    return counts


def _between(moment: datetime | None, since: datetime, now: datetime) -> bool:
    return moment is not None and since < moment <= now


def _in_part(queryset, field: str, part: int, parts: int):
    if parts == 1:
        return queryset
    return queryset.alias(digest_part=Mod(field, parts)).filter(digest_part=part)


def _stamp(frequency: str, *, after: int, up_to: int | None, now: datetime, part: int, parts: int) -> None:
    """Record that the subscriptions with ids in (after, up_to] have had this digest."""
    subscriptions = _in_part(Subscription.objects.filter(
        is_active=True, frequency=frequency, pk__gt=after, created_at__lte=now,
    ), "id", part, parts)
    if up_to is not None:
        subscriptions = subscriptions.filter(pk__lte=up_to)
    subscriptions.update(last_digest_at=now)


class DigestItem(NamedTuple):
    """One call in one subscription's digest, and the claims that tell it (the first decides)."""

    call: Call
    is_new: bool  # else its deadlines changed
    claims: list[Claim]


def _digest_batch(batch: list[int], fan_out, mailer, renderer: Renderer, *, now, period, occasion, mark,
                  oldest) -> tuple[int, int]:
    recipients, news = _batch_news(batch, fan_out, now=now, period=period, oldest=oldest)
    items = {
        pk: [DigestItem(call, is_new, _claims_telling(pk, call, is_new=is_new, occasion=occasion))
             for call, is_new in found]
        for pk, found in news.items()
    }
    won = _claim(
        [claim for found in items.values() for item in found for claim in item.claims],
        kind=Delivery.Kind.DIGEST, mark=mark,
    )
    outgoing = []
    for pk, found in items.items():
        told = [item for item in found if item.claims[0] in won]
        if not told:
            continue
        message = _digest_message(
            renderer, recipients[pk],
            new=[item.call for item in told if item.is_new], changed=[item.call for item in told if not item.is_new],
        )
        outgoing.append(([won[claim] for item in told for claim in item.claims if claim in won], message))
    return _send(mailer, outgoing)


def _batch_news(
    batch: list[int], fan_out, *, now, period, oldest,
) -> tuple[dict[int, Recipient], dict[int, list[tuple[Call, bool]]]]:
    """The batch's recipients, and for each its news: [(call, True) for a new call, (call, False) for changed deadlines]."""
    low, high = batch[0], batch[-1]
    candidates: dict[int, list[Call]] = {}
    for call, ids in fan_out:
        for pk in ids[bisect_left(ids, low):bisect_right(ids, high)]:
            candidates.setdefault(pk, []).append(call)
    windows = dict(
        Subscription.objects.filter(pk__any=batch).values_list("id", "last_digest_at")
    )
    recipients = _recipients(candidates)
    # A call is told once per subscription: not again in a later digest, nor after an instant notice;
    # only a call it had can have changed deadlines to tell.
    had = set(
        Delivery.objects.filter(subscription__pk__any=list(recipients), call__pk__any=[call.pk for call, _ids in fan_out])
        .filter(Q(kind=Delivery.Kind.DIGEST) | Q(occasion=PUBLISHED))
        .values_list("subscription_id", "call_id")
    )
    news: dict[int, list[tuple[Call, bool]]] = {}
    for pk, recipient_calls in candidates.items():
        if pk not in recipients:
            continue
        since = max(windows.get(pk) or now - period, oldest)
        found = []
        for call in recipient_calls:
            if (pk, call.pk) not in had:
                if _between(call.published_at, since, now):
                    found.append((call, True))
            elif _between(call.deadlines_changed_at, since, now):
                found.append((call, False))
        if found:
            news[pk] = found
    return recipients, news


def _claims_telling(pk: int, call: Call, *, is_new: bool, occasion: str) -> list[Claim]:
    """The claims that tell ``call`` to subscription ``pk`` in a digest; the first decides whether it is told.

    A changed call claims its current revision ("deadlines-<revision>"). A new call
    claims the digest's occasion and, once its deadlines have changed at all, their
    current revision as well: the digest shows the current deadlines, so a change
    made before the subscription had the call is never told as a change.
    """
    revision = (pk, call.pk, deadlines_occasion(call.deadlines_revision))
    if not is_new:
        return [revision]
    return [(pk, call.pk, occasion), revision] if call.deadlines_revision else [(pk, call.pk, occasion)]


def _digest_message(renderer: Renderer, recipient: Recipient, *, new: list[Call], changed: list[Call]) -> EmailMessage:
    key = (tuple(call.pk for call in new), tuple(call.pk for call in changed))
    return renderer.message(recipient, "digest", key, lambda language: {
        "call_blocks": [renderer.call_block(call, language) for call in new], "count": len(new),
        "changed_blocks": [renderer.call_block(call, language) for call in changed], "changed_count": len(changed),
    })
