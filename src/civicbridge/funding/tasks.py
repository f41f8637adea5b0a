"""Background tasks of the call alerts: instant notices, digests, deadline reminders.

They decide who is told what and queue the e-mails in the outbox
(``civicbridge.core.notifications``), which sends them at least once, retries what the
mail server refuses for now and records what it refuses for good.

**One message per person per event.** A ``Delivery`` row is the alerts' record that a
person was told about a call on an occasion ("published", "deadlines-<revision>",
"digest-<date>", "reminder-<deadline>"); a database constraint keeps it unique per
person, call and occasion. A person whose several alerts match a call gets one notice
naming them all, one reminder per deadline, and a call once in their digest.

**Nothing lost, nothing twice.** The recipients are taken a batch at a time; for each
batch the ``Delivery`` rows are inserted (``ON CONFLICT DO NOTHING``: rows told before
are skipped) and the e-mails of the rows just inserted are queued, in one transaction.
A task killed half-way leaves each batch with both or neither; run again, it skips
what was told and queues the rest. Each e-mail's key (``alert:<person>:<call>:<occasion>``,
``digest:<person>:<frequency>:<run>``) is stored on its rows, so the delivery log shows
the e-mail's state: queued, retrying (and why), sent or failed (and why).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from civicbridge.core.notifications import Mail, queue_mails

from .alerts import PUBLISHED, deadlines_occasion
from .matching import CallFacts, matching_subscriptions
from .models import Call, CallDeadline, Delivery, Subscription
from .subscriptions_services import absolute, unsubscribe_path, unsubscribe_token

BATCH_SIZE = 500
REMINDER_LEAD = timedelta(days=7)
PERIODS = {Subscription.Frequency.DAILY: timedelta(days=1), Subscription.Frequency.WEEKLY: timedelta(days=7)}
# A digest never reaches further back than this many periods (after an outage, or for a
# subscription switched back on after months: no flood of old calls).
MAX_LOOKBACK_PERIODS = 4


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person to tell, with the alerts of theirs that matched (by id: the first names the e-mail's links)."""

    user_id: int
    email: str
    language: str
    alerts: tuple[tuple[int, str], ...]  # (subscription id, name)

    @property
    def subscription_id(self) -> int:
        return self.alerts[0][0]


def alert_mail_key(user_id: int, call_id: int, occasion: str) -> str:
    return f"alert:{user_id}:{call_id}:{occasion}"


def digest_mail_key(user_id: int, frequency: str, now: datetime) -> str:
    return f"digest:{user_id}:{frequency}:{now.astimezone(UTC):%Y%m%dT%H%M%S%f}"


# --- rendering ------------------------------------------------------------------------

# Stand-ins for what differs between recipients of the same e-mail (private-use characters
# no template or name contains): the e-mail is rendered once and the stand-ins replaced.
NAME_SLOT = "\ue000name\ue001"
UNSUBSCRIBE_SLOT = "\ue000unsubscribe\ue001"
MAX_CACHED_RENDERINGS = 10_000


class Renderer:
    """Renders alert e-mails, once for all recipients who get the same one.

    A digest run writes hundreds of thousands of e-mails, most of them alike: the
    same calls in the same language. Each distinct e-mail (template, language, one
    alert or several, and what the caller says it is about) goes through the
    templates once, with stand-ins for the recipient's alert names and unsubscribe
    links, which are then filled in per recipient. A call's block is likewise
    rendered once per language.
    """

    def __init__(self):
        self._blocks: dict[tuple[int, str], str] = {}
        self._links: dict[str, tuple[str, str, str]] = {}
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

    def _language_links(self, language: str) -> tuple[str, str, str]:
        if language not in self._links:
            # One reverse() per language: the token is the only part that changes.
            with translation.override(language):
                quote = pgettext("quoted name of an alert", "“%(name)s”")
            self._links[language] = (
                absolute(unsubscribe_path("TOKEN", language)),
                absolute(_path_in(language, "funding:subscription_list")),
                quote,
            )
        return self._links[language]

    def unsubscribe_link(self, language: str, subscription_id: int) -> str:
        template, _manage, _quote = self._language_links(language)
        return template.replace("TOKEN", unsubscribe_token(subscription_id))

    def _render(self, template: str, language: str, key, several: bool, context) -> tuple[str, str]:
        cache_key = (template, language, key, several)
        rendering = self._renderings.get(cache_key)
        if rendering is None:
            if len(self._renderings) >= MAX_CACHED_RENDERINGS:
                self._renderings.clear()
            context = {
                **context(language), "subscription_name": NAME_SLOT, "several_alerts": several,
                "unsubscribe_url": UNSUBSCRIBE_SLOT, "subscriptions_url": self._language_links(language)[1],
                "site_name": self.site_name,
            }
            with translation.override(language):
                subject = " ".join(render_to_string(f"funding/email/{template}_subject.txt", context).split())
                body = render_to_string(f"funding/email/{template}.txt", context)
            rendering = self._renderings[cache_key] = (subject, body)
        return rendering

    def message(self, recipient: Recipient, template: str, key, context: Callable[[str], dict], *,
                mail_key: str) -> Mail:
        """The e-mail ``template`` for ``recipient``, to queue under ``mail_key``.

        ``key`` names what the e-mail says apart from the recipient (hashable: e.g. the
        call ids); ``context(language)`` makes the templates' context, called only when
        the e-mail for ``key`` in that language is not rendered yet.
        """
        language = recipient.language
        _template, _manage, quote = self._language_links(language)
        several = len(recipient.alerts) > 1
        subject, body = self._render(template, language, key, several, context)
        names = [" ".join(name.split()) for _pk, name in recipient.alerts]
        links = [self.unsubscribe_link(language, pk) for pk, _name in recipient.alerts]
        if several:
            name = ", ".join(quote % {"name": each} for each in names)
            unsubscribe = "\n".join(f"  {quote % {'name': each}}: {link}" for each, link in zip(names, links,
                                                                                                    strict=True))
        else:
            name, unsubscribe = names[0], links[0]
        return Mail(
            key=mail_key, to=recipient.email, language=language,
            subject=subject.replace(NAME_SLOT, name),
            body=body.replace(NAME_SLOT, name).replace(UNSUBSCRIBE_SLOT, unsubscribe),
            headers={
                "List-Unsubscribe": f"<{links[0]}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )


def _path_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _deadlines(call: Call) -> list[CallDeadline]:
    return sorted(call.deadlines.all(), key=lambda deadline: deadline.deadline_at)


# --- recipients and claims ----------------------------------------------------------------------

def _recipients(subscriptions: Iterable[int]) -> dict[int, Recipient]:
    """The people to tell, by user id, each with their active alerts among ``subscriptions``."""
    rows = (
        Subscription.objects.filter(pk__any=list(subscriptions), is_active=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("id", "name", "user_id", "user__email", "user__preferred_language")
    )
    codes = {code for code, _name in settings.LANGUAGES}
    people: dict[int, tuple[str, str, list]] = {}
    for pk, name, user_id, email, language in rows:
        person = people.setdefault(user_id, (email, language if language in codes else settings.LANGUAGE_CODE, []))
        person[2].append((pk, name))
    return {user_id: Recipient(user_id, email, language, tuple(alerts))
            for user_id, (email, language, alerts) in people.items()}


class Claim(NamedTuple):
    recipient: int
    subscription: int
    call: int
    occasion: str
    mail_key: str


def _claim(claims: Sequence[Claim], *, kind: str) -> dict[tuple[int, int, str], int]:
    """Record the claims; answer {(person, call, occasion): delivery id} of those new (the others were told before).

    Run it in the transaction that queues the e-mails of the claims it answers. One
    statement per thousand claims (as arrays on PostgreSQL, as VALUES on SQLite 3.35+):
    ``ON CONFLICT DO NOTHING`` skips what was told before and ``RETURNING`` names what
    this statement inserted, which ``bulk_create(ignore_conflicts=True)`` cannot say;
    it also spares a model instance per row (a digest writes a million rows).
    """
    if not claims:
        return {}
    quote = connection.ops.quote_name
    field = Delivery._meta.get_field
    columns = ", ".join(
        quote(field(name).column)
        for name in ("recipient", "subscription", "call", "occasion", "mail", "kind", "claimed_at")
    )
    returning = ", ".join(quote(field(name).column) for name in ("recipient", "call", "occasion", "id"))
    claimed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "
    won: dict[tuple[int, int, str], int] = {}
    with connection.cursor() as cursor:
        for chunk in _batches(claims, 1000):
            if connection.vendor == "postgresql":
                # Five arrays, not five thousand placeholders: psycopg caches the statement.
                recipients, subscriptions, calls, occasions, keys = (list(column) for column in zip(*chunk, strict=True))
                cursor.execute(
                    insert + "SELECT c.recipient, c.subscription, c.call, c.occasion, c.mail_key, %s, %s "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[]) "
                    "AS c (recipient, subscription, call, occasion, mail_key) "
                    f"ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, claimed_at, recipients, subscriptions, calls, occasions, keys],
                )
            else:
                # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
                cursor.execute(
                    insert + "SELECT column1, column2, column3, column4, column5, %s, %s "
                    f"FROM (VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(chunk))}) "
                    f"AS claims WHERE 1 = 1 ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, claimed_at, *chain.from_iterable(chunk)],
                )
            won.update(((recipient, call, occasion), pk) for recipient, call, occasion, pk in cursor.fetchall())
    return won


def _batches(items: Sequence, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _by_owner(matched: list[tuple[int, int]]) -> dict[int, list[int]]:
    owners: dict[int, list[int]] = {}
    for subscription_id, owner_id in matched:
        owners.setdefault(owner_id, []).append(subscription_id)
    return owners


def _notify(call: Call, matched: list[tuple[int, int]], *, kind: str, occasion: str, template: str,
            context: dict) -> dict:
    """Tell each person among ``matched`` (subscription, owner) pairs about ``call``, once per person."""
    renderer = Renderer()
    owners = _by_owner(matched)
    counts = {"matched": len(matched), "people": len(owners), "queued": 0}
    people = sorted(owners)
    for batch in _batches(people, BATCH_SIZE):
        recipients = _recipients(chain.from_iterable(owners[person] for person in batch))
        claims = [Claim(person, recipient.subscription_id, call.pk, occasion, alert_mail_key(person, call.pk, occasion))
                  for person, recipient in sorted(recipients.items())]
        with transaction.atomic():
            won = _claim(claims, kind=kind)
            counts["queued"] += queue_mails(
                renderer.message(recipients[claim.recipient], template, (call.pk, occasion), lambda language: {
                    "call": call, "call_block": renderer.call_block(call, language), **context,
                }, mail_key=claim.mail_key)
                for claim in claims if (claim.recipient, claim.call, claim.occasion) in won
            )
    return counts


# --- instant notices ---------------------------------------------------------------------------

def _published_call(call_id: int) -> Call | None:
    return (
        Call.objects.published().select_related("programme__funder").prefetch_related("deadlines")
        .filter(pk=call_id).first()
    )


@task
def notify_subscribers(call_id: int, occasion: str) -> dict:
    """Tell the people whose instant alerts a published call matches that it was published or its deadlines changed.

    ``occasion`` is "published" or "deadlines-<revision>"; a deadline change already
    overtaken by a newer one is skipped (the newer task tells the current dates).
    """
    call = _published_call(call_id)
    if call is None:
        return {"skipped": "not published"}
    if occasion != PUBLISHED and occasion != deadlines_occasion(call.deadlines_revision):
        return {"skipped": "stale occasion"}
    facts = CallFacts.from_call(call)
    matched = matching_subscriptions(call, frequencies=[Subscription.Frequency.INSTANT], facts=facts)
    changed = occasion != PUBLISHED
    return _notify(
        call, matched, kind=Delivery.Kind.INSTANT, occasion=occasion, template="call_notice",
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
    """Remind those who asked of each deadline due 7 days from now (± the run window), once per person.

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
    totals = {"deadlines": 0, "people": 0, "queued": 0}
    for deadline in deadlines:
        call = _published_call(deadline.call_id)
        if call is None:
            continue
        totals["deadlines"] += 1
        counts = _notify(
            call, matching_subscriptions(call, reminders=True), kind=Delivery.Kind.REMINDER,
            occasion=reminder_occasion(deadline.deadline_at), template="reminder", context={"deadline": deadline},
        )
        totals["people"] += counts["people"]
        totals["queued"] += counts["queued"]
    return totals


# --- digests ------------------------------------------------------------------------------------------

def digest_occasion(now: datetime) -> str:
    return f"digest-{timezone.localdate(now).isoformat()}"


class FanOut(NamedTuple):
    """The subscriptions one call matches, as parallel arrays sorted by (owner, subscription)."""

    call: Call
    owners: array
    subscriptions: array


@task
def send_digests(frequency: str, part: int = 0, parts: int = 1) -> dict:
    """Send every person with active ``frequency`` ("daily" or "weekly") alerts one e-mail of their news.

    The news is the calls their alerts match, new ones and, in a section of their own,
    those whose deadlines changed; a person with only changed calls gets a digest too.
    Each alert looks back to its last digest (or one period), never before ``oldest``:

    - new calls: published since then, matching it, and not told to the person yet (in a
      digest or an instant notice of publication);
    - changed calls: matching it, told to the person already, their deadlines changed
      since then, and their current revision not told yet (occasion
      "deadlines-<revision>", claimed like the new calls, so a rerun never repeats it).
      A new call's digest shows its current deadlines, so it claims that revision too:
      a change made before the person had the call is not told as a change.

    A call matched by several of a person's alerts appears once; the e-mail names the
    alerts. The work goes call by call: one fan-out query per new or changed call, then
    the people are walked in id order, a batch at a time, each batch claimed, queued
    and its alerts stamped with ``last_digest_at`` in one transaction.

    ``part`` of ``parts`` takes only the people whose id leaves that remainder: enqueue
    ``parts`` tasks to share a large digest among that many workers.
    """
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}")
    period = PERIODS[Subscription.Frequency(frequency)]
    now = timezone.now()
    oldest = now - MAX_LOOKBACK_PERIODS * period
    calls = list(
        Call.objects.published()
        .filter(Q(published_at__gt=oldest, published_at__lte=now)
                | Q(deadlines_changed_at__gt=oldest, deadlines_changed_at__lte=now))
        .select_related("programme__funder").prefetch_related("deadlines")
        .order_by(F("closes_at").asc(nulls_last=True), "pk")
    )
    fan_out: list[FanOut] = []
    people: set[int] = set()
    matched_subscriptions = 0
    for call in calls:
        pairs = sorted((owner, pk) for pk, owner in matching_subscriptions(call, frequencies=[frequency],
                                                                           share=(part, parts)))
        if pairs:
            fan_out.append(FanOut(call, array("q", (owner for owner, _pk in pairs)),
                                  array("q", (pk for _owner, pk in pairs))))
            people.update(owner for owner, _pk in pairs)
            matched_subscriptions += len(pairs)
    counts = {
        "calls": sum(_between(call.published_at, oldest, now) for call in calls),
        "changed_calls": sum(_between(call.deadlines_changed_at, oldest, now) for call in calls),
        "people": len(people), "queued": 0,
    }
    renderer = Renderer()
    run = _DigestRun(frequency=frequency, now=now, period=period, oldest=oldest, occasion=digest_occasion(now),
                     part=part, parts=parts, renderer=renderer)
    for batch in _batches(sorted(people), 1000):
        counts["queued"] += run.batch(batch, fan_out)
    _stamp(frequency, now=now, part=part, parts=parts)
    return counts


def _between(moment: datetime | None, since: datetime, now: datetime) -> bool:
    return moment is not None and since < moment <= now


def _in_part(queryset, field: str, part: int, parts: int):
    if parts == 1:
        return queryset
    return queryset.alias(digest_part=Mod(field, parts)).filter(digest_part=part)


def _stamp(frequency: str, *, now: datetime, part: int, parts: int, people: list[int] | None = None) -> None:
    """Record that the alerts of ``people`` (or of everyone in the part) have had this digest."""
    subscriptions = _in_part(Subscription.objects.filter(
        is_active=True, frequency=frequency, created_at__lte=now,
    ), "user_id", part, parts)
    if people is not None:
        subscriptions = subscriptions.filter(user__pk__any=people)
    subscriptions.update(last_digest_at=now)


class DigestItem(NamedTuple):
    """One call in one person's digest, and the claims that tell it (the first decides)."""

    call: Call
    is_new: bool  # else its deadlines changed
    claims: list[Claim]


@dataclass
class _DigestRun:
    frequency: str
    now: datetime
    period: timedelta
    oldest: datetime
    occasion: str
    part: int
    parts: int
    renderer: Renderer

    def batch(self, people: list[int], fan_out: list[FanOut]) -> int:
        """Claim, queue and stamp one batch of people (ascending ids) in one transaction."""
        low, high = people[0], people[-1]
        candidates: dict[int, list[tuple[int, Call]]] = {}
        for call, owners, subscriptions in fan_out:
            for index in range(bisect_left(owners, low), bisect_right(owners, high)):
                candidates.setdefault(owners[index], []).append((subscriptions[index], call))
        every_subscription = [pk for found in candidates.values() for pk, _call in found]
        windows = dict(Subscription.objects.filter(pk__any=every_subscription).values_list("id", "last_digest_at"))
        recipients = _recipients(every_subscription)
        # A call is told once per person: not again in a later digest, nor after an instant notice;
        # only a call they had can have changed deadlines to tell.
        had = set(
            Delivery.objects.filter(recipient__pk__any=list(recipients), call__pk__any=[f.call.pk for f in fan_out])
            .filter(Q(kind=Delivery.Kind.DIGEST) | Q(occasion=PUBLISHED))
            .values_list("recipient_id", "call_id")
        )
        digests: dict[int, tuple[Recipient, list[DigestItem]]] = {}
        for person, found in candidates.items():
            recipient = recipients.get(person)
            if recipient is None:
                continue
            alive = {pk for pk, _name in recipient.alerts}
            items: dict[int, DigestItem] = {}
            told_by: set[int] = set()
            key = digest_mail_key(person, self.frequency, self.now)
            for pk, call in found:
                if pk not in alive:
                    continue
                since = max(windows.get(pk) or self.now - self.period, self.oldest)
                if (person, call.pk) not in had:
                    if not _between(call.published_at, since, self.now):
                        continue
                    is_new = True
                elif _between(call.deadlines_changed_at, since, self.now):
                    is_new = False
                else:
                    continue
                told_by.add(pk)
                if call.pk not in items or (is_new and not items[call.pk].is_new):
                    items[call.pk] = DigestItem(call, is_new, _claims_telling(
                        person, pk, call, is_new=is_new, occasion=self.occasion, mail_key=key))
            if items:
                named = tuple(alert for alert in recipient.alerts if alert[0] in told_by)
                digests[person] = (Recipient(person, recipient.email, recipient.language, named), list(items.values()))
        with transaction.atomic():
            won = _claim([claim for _recipient, items in digests.values() for item in items for claim in item.claims],
                         kind=Delivery.Kind.DIGEST)
            mails, idle = [], []
            for recipient, items in digests.values():
                told = [item for item in items if _told(item.claims[0], won)]
                idle.extend(won[_won_key(claim)] for item in items if item not in told
                            for claim in item.claims if _told(claim, won))
                if told:
                    mails.append(_digest_message(
                        self.renderer, recipient, key=told[0].claims[0].mail_key,
                        new=[item.call for item in told if item.is_new],
                        changed=[item.call for item in told if not item.is_new],
                    ))
            if idle:
                # Claimed along with a call told before: no e-mail tells them, so no record either.
                Delivery.objects.filter(pk__any=idle).delete()
            queued = queue_mails(mails)
            _stamp(self.frequency, now=self.now, part=self.part, parts=self.parts, people=people)
        return queued


def _won_key(claim: Claim) -> tuple[int, int, str]:
    return claim.recipient, claim.call, claim.occasion


def _told(claim: Claim, won) -> bool:
    return _won_key(claim) in won


def _claims_telling(person: int, subscription: int, call: Call, *, is_new: bool, occasion: str,
                    mail_key: str) -> list[Claim]:
    """The claims that tell ``call`` to ``person`` in a digest; the first decides whether it is told.

    A changed call claims its current revision ("deadlines-<revision>"). A new call
    claims the digest's occasion and, once its deadlines have changed at all, their
    current revision as well: the digest shows the current deadlines, so a change
    made before the person had the call is never told as a change.
    """
    revision = Claim(person, subscription, call.pk, deadlines_occasion(call.deadlines_revision), mail_key)
    if not is_new:
        return [revision]
    first = Claim(person, subscription, call.pk, occasion, mail_key)
    return [first, revision] if call.deadlines_revision else [first]


def _digest_message(renderer: Renderer, recipient: Recipient, *, key: str, new: list[Call],
                    changed: list[Call]) -> Mail:
    content = (tuple(call.pk for call in new), tuple(call.pk for call in changed))
    return renderer.message(recipient, "digest", content, lambda language: {
        "call_blocks": [renderer.call_block(call, language) for call in new], "count": len(new),
        "changed_blocks": [renderer.call_block(call, language) for call in changed], "changed_count": len(changed),
    }, mail_key=key)
