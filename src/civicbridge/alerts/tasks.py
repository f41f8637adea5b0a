"""Background tasks of the alerts: instant notices, digests, reminders, for every alertable content.

They decide who is told what and queue the e-mails in the outbox
(``civicbridge.core.notifications``), which sends them at least once, retries what the
mail server refuses for now and records what it refuses for good.

Each task works on one alertable content (``core.registry.alertables``: "calls"...),
named by its key; the content says which items exist, what matching needs of one
(its facts), how to show one in an e-mail and what to remind of.

**One message per person per event.** A ``Delivery`` row is the alerts' record that a
person was told about an item on an occasion ("published", "deadlines-<revision>",
"digest-<date>", "reminder-<deadline>"); a database constraint keeps it unique per
person, content, item and occasion. A person whose several alerts match an item gets
one notice naming them all, one reminder per deadline, and an item once in their digest.

**Nothing lost, nothing twice.** The recipients are taken a batch at a time; for each
batch the ``Delivery`` rows are inserted (``ON CONFLICT DO NOTHING``: rows told before
are skipped) and the e-mails of the rows just inserted are queued, in one transaction.
A task killed half-way leaves each batch with both or neither; run again, it skips
what was told and queues the rest. Each e-mail's key
(``alert:<content>:<person>:<item>:<occasion>``, ``digest:<content>:<person>:<frequency>:<run>``) is stored on its rows, so the delivery log shows
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
from django.db.models import Q
from django.db.models.functions import Mod
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from civicbridge.core import deployment
from civicbridge.core.notifications import Mail, queue_mails
from civicbridge.core.registry import Alertable, alertables

from .matching import matching_subscriptions
from .models import Delivery, Subscription
from .services import absolute, unsubscribe_path, unsubscribe_token

PUBLISHED = "published"

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


def alert_mail_key(key: str, user_id: int, item_id: int, occasion: str) -> str:
    return f"alert:{key}:{user_id}:{item_id}:{occasion}"


def digest_mail_key(key: str, user_id: int, frequency: str, now: datetime) -> str:
    return f"digest:{key}:{user_id}:{frequency}:{now.astimezone(UTC):%Y%m%dT%H%M%S%f}"


class Listener:
    """What the alerts do when content announces an event (``core.registry.alertables``):
    enqueue the task that finds the subscribers, so that the request stays fast."""

    def published(self, key: str, item_id: int) -> None:
        notify_subscribers.enqueue(key, item_id, PUBLISHED)

    def changed(self, key: str, item_id: int, revision: int) -> None:
        notify_subscribers.enqueue(key, item_id, alertables.get(key).changed_occasion(revision))


# --- rendering ------------------------------------------------------------------------

# Stand-ins for what differs between recipients of the same e-mail (private-use characters
# no template or name contains): the e-mail is rendered once and the stand-ins replaced.
NAME_SLOT = "\ue000name\ue001"
UNSUBSCRIBE_SLOT = "\ue000unsubscribe\ue001"
MAX_CACHED_RENDERINGS = 10_000


class Renderer:
    """Renders alert e-mails, once for all recipients who get the same one.

    A digest run writes hundreds of thousands of e-mails, most of them alike: the
    same items in the same language. Each distinct e-mail (template, language, one
    alert or several, and what the caller says it is about) goes through the
    templates once, with stand-ins for the recipient's alert names and unsubscribe
    links, which are then filled in per recipient. An item's block is likewise
    rendered once per language. The templates are the content's own
    (``Alertable.email_templates``): a call is told in the words of calls.
    """

    def __init__(self, alertable: Alertable):
        self.alertable = alertable
        self._blocks: dict[tuple[int, str], str] = {}
        self._links: dict[str, tuple[str, str, str]] = {}
        self._renderings: dict[tuple, tuple[str, str]] = {}
        self.deployment = deployment.current()

    def item_block(self, item, language: str) -> str:
        key = (item.pk, language)
        if key not in self._blocks:
            with translation.override(language):
                self._blocks[key] = render_to_string(
                    f"{self.alertable.email_templates}_item.txt",
                    {**self.alertable.item_context(item), "item": item,
                     "item_url": absolute(item.get_absolute_url())},
                ).strip()
        return self._blocks[key]

    def _language_links(self, language: str) -> tuple[str, str, str]:
        if language not in self._links:
            # One reverse() per language: the token is the only part that changes.
            with translation.override(language):
                quote = pgettext("quoted name of an alert", "“%(name)s”")
            self._links[language] = (
                absolute(unsubscribe_path("TOKEN", language)),
                absolute(_path_in(language, "alerts:subscription_list")),
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
                "site_name": self.deployment.name_in(language),
            }
            folder = self.alertable.email_templates
            with translation.override(language):
                # The clock the e-mail's moments are written on, named: a reader may be elsewhere.
                context["time_zone"] = deployment.zone_label(timezone.get_current_timezone())
                subject = " ".join(render_to_string(f"{folder}{template}_subject.txt", context).split())
                body = render_to_string(f"{folder}{template}.txt", context)
            rendering = self._renderings[cache_key] = (subject, body)
        return rendering

    def message(self, recipient: Recipient, template: str, key, context: Callable[[str], dict], *,
                mail_key: str) -> Mail:
        """The e-mail ``template`` for ``recipient``, to queue under ``mail_key``.

        ``key`` names what the e-mail says apart from the recipient (hashable: e.g. the
        item ids); ``context(language)`` makes the templates' context, called only when
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
    item: int
    occasion: str
    mail_key: str


def _claim(claims: Sequence[Claim], *, kind: str, alertable: str) -> dict[tuple[int, int, str], int]:
    """Record the claims; answer {(person, item, occasion): delivery id} of those new (the others were told before).

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
        for name in ("recipient", "subscription", "item_id", "occasion", "mail", "kind", "alertable", "claimed_at")
    )
    returning = ", ".join(quote(field(name).column) for name in ("recipient", "item_id", "occasion", "id"))
    claimed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "
    won: dict[tuple[int, int, str], int] = {}
    with connection.cursor() as cursor:
        for chunk in _batches(claims, 1000):
            if connection.vendor == "postgresql":
                # Five arrays, not five thousand placeholders: psycopg caches the statement.
                recipients, subscriptions, items, occasions, keys = (list(column) for column in zip(*chunk, strict=True))
                cursor.execute(
                    insert + "SELECT c.recipient, c.subscription, c.item, c.occasion, c.mail_key, %s, %s, %s "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[]) "
                    "AS c (recipient, subscription, item, occasion, mail_key) "
                    f"ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, alertable, claimed_at, recipients, subscriptions, items, occasions, keys],
                )
            else:
                # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
                cursor.execute(
                    insert + "SELECT column1, column2, column3, column4, column5, %s, %s, %s "
                    f"FROM (VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(chunk))}) "
                    f"AS claims WHERE 1 = 1 ON CONFLICT DO NOTHING RETURNING {returning}",
                    [kind, alertable, claimed_at, *chain.from_iterable(chunk)],
                )
            won.update(((recipient, item, occasion), pk) for recipient, item, occasion, pk in cursor.fetchall())
    return won


def _batches(items: Sequence, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _by_owner(matched: list[tuple[int, int]]) -> dict[int, list[int]]:
    owners: dict[int, list[int]] = {}
    for subscription_id, owner_id in matched:
        owners.setdefault(owner_id, []).append(subscription_id)
    return owners


def _notify(key: str, alertable: Alertable, item, matched: list[tuple[int, int]], *, kind: str, occasion: str,
            template: str, context: dict) -> dict:
    """Tell each person among ``matched`` (subscription, owner) pairs about ``item``, once per person."""
    renderer = Renderer(alertable)
    owners = _by_owner(matched)
    counts = {"matched": len(matched), "people": len(owners), "queued": 0}
    people = sorted(owners)
    for batch in _batches(people, BATCH_SIZE):
        recipients = _recipients(chain.from_iterable(owners[person] for person in batch))
        claims = [Claim(person, recipient.subscription_id, item.pk, occasion,
                        alert_mail_key(key, person, item.pk, occasion))
                  for person, recipient in sorted(recipients.items())]
        with transaction.atomic():
            won = _claim(claims, kind=kind, alertable=key)
            counts["queued"] += queue_mails(
                renderer.message(recipients[claim.recipient], template, (item.pk, occasion), lambda language: {
                    **alertable.item_context(item), "item": item, "item_block": renderer.item_block(item, language),
                    **context,
                }, mail_key=claim.mail_key)
                for claim in claims if (claim.recipient, claim.item, claim.occasion) in won
            )
    return counts


# --- instant notices ---------------------------------------------------------------------------

def _published_item(alertable: Alertable, item_id: int):
    return alertable.published().filter(pk=item_id).first()


@task
def notify_subscribers(key: str, item_id: int, occasion: str) -> dict:
    """Tell the people whose instant alerts a published item matches that it was published or it changed.

    ``key`` names the content (``core.registry.alertables``); ``occasion`` is
    "published" or "<change>-<revision>" (a call's "deadlines-<revision>"); a change
    already overtaken by a newer one is skipped (the newer task tells the current state).
    """
    if key not in alertables:  # its app was removed since the task was queued
        return {"skipped": "unknown content"}
    alertable = alertables.get(key)
    item = _published_item(alertable, item_id)
    if item is None:
        return {"skipped": "not published"}
    changed = occasion != PUBLISHED
    if changed and (alertable.revision is None or occasion != alertable.changed_occasion(alertable.revision(item))):
        return {"skipped": "stale occasion"}
    facts = alertable.facts(item)
    matched = matching_subscriptions(key, facts, frequencies=[Subscription.Frequency.INSTANT])
    return _notify(
        key, alertable, item, matched, kind=Delivery.Kind.INSTANT, occasion=occasion, template="notice",
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

    Every alertable content with reminders (``Alertable.reminders``: a call's deadlines)
    is asked for those due in the window. Run it every ``window_hours`` (the scheduler
    does, hourly); the windows of two runs overlap and the occasion
    (``reminder_occasion``: the deadline's moment) keeps each reminder single, while a
    deadline moved to a new moment is reminded again.
    """
    now = timezone.now()
    window = timedelta(hours=window_hours)
    target = now + REMINDER_LEAD
    totals = {"deadlines": 0, "people": 0, "queued": 0}
    for key, alertable in list(alertables.entries.items()):
        if alertable.reminders is None:
            continue
        for reminder in alertable.reminders(target - window, target + window):
            item = _published_item(alertable, reminder.item_id)
            if item is None:
                continue
            totals["deadlines"] += 1
            counts = _notify(
                key, alertable, item, matching_subscriptions(key, alertable.facts(item), reminders=True),
                kind=Delivery.Kind.REMINDER, occasion=reminder_occasion(reminder.moment), template="reminder",
                context=reminder.context,
            )
            totals["people"] += counts["people"]
            totals["queued"] += counts["queued"]
    return totals


# --- digests ------------------------------------------------------------------------------------------

def digest_occasion(now: datetime) -> str:
    return f"digest-{timezone.localdate(now).isoformat()}"


class FanOut(NamedTuple):
    """The subscriptions one item matches, as parallel arrays sorted by (owner, subscription)."""

    item: object
    owners: array
    subscriptions: array


@task
def send_digests(frequency: str, part: int = 0, parts: int = 1) -> dict:
    """Send every person with active ``frequency`` ("daily" or "weekly") alerts one e-mail of their news per content.

    For each alertable content, the news is the items their alerts match, new ones and,
    in a section of their own, those that changed (a call's deadlines); a person with
    only changed items gets a digest too. Each alert looks back to its last digest (or
    one period), never before ``oldest``:

    - new items: published since then, matching it, and not told to the person yet (in a
      digest or an instant notice of publication);
    - changed items: matching it, told to the person already, changed since then, and
      their current revision not told yet (occasion "<change>-<revision>", e.g.
      "deadlines-<revision>", claimed like the new items, so a rerun never repeats it).
      A new item's digest shows its current state, so it claims that revision too:
      a change made before the person had the item is not told as a change.

    An item matched by several of a person's alerts appears once; the e-mail names the
    alerts. The work goes item by item: one fan-out query per new or changed item, then
    the people are walked in id order, a batch at a time, each batch claimed, queued
    and its alerts stamped with ``last_digest_at`` in one transaction.

    ``part`` of ``parts`` takes only the people whose id leaves that remainder: enqueue
    ``parts`` tasks to share a large digest among that many workers.
    """
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}")
    period = PERIODS[Subscription.Frequency(frequency)]
    now = timezone.now()
    totals = {"items": 0, "changed_items": 0, "people": 0, "queued": 0}
    for key, alertable in list(alertables.entries.items()):
        counts = _digest(key, alertable, frequency, period=period, now=now, part=part, parts=parts)
        for name in totals:
            totals[name] += counts[name]
    return totals


def _digest(key: str, alertable: Alertable, frequency: str, *, period: timedelta, now: datetime, part: int,
            parts: int) -> dict:
    """``send_digests`` for one alertable content."""
    oldest = now - MAX_LOOKBACK_PERIODS * period
    published, changed = alertable.published_field, alertable.changed_field
    window = Q(**{f"{published}__gt": oldest, f"{published}__lte": now})
    if changed:
        window |= Q(**{f"{changed}__gt": oldest, f"{changed}__lte": now})
    items = list(alertable.published().filter(window).order_by(*alertable.digest_order))
    fan_out: list[FanOut] = []
    people: set[int] = set()
    for item in items:
        pairs = sorted((owner, pk) for pk, owner in matching_subscriptions(
            key, alertable.facts(item), frequencies=[frequency], share=(part, parts)))
        if pairs:
            fan_out.append(FanOut(item, array("q", (owner for owner, _pk in pairs)),
                                  array("q", (pk for _owner, pk in pairs))))
            people.update(owner for owner, _pk in pairs)
    counts = {
        "items": sum(_between(_published_at(alertable, item), oldest, now) for item in items),
        "changed_items": sum(_between(_changed_at(alertable, item), oldest, now) for item in items),
        "people": len(people), "queued": 0,
    }
    run = _DigestRun(key=key, alertable=alertable, frequency=frequency, now=now, period=period, oldest=oldest,
                     occasion=digest_occasion(now), part=part, parts=parts, renderer=Renderer(alertable))
    for batch in _batches(sorted(people), 1000):
        counts["queued"] += run.batch(batch, fan_out)
    _stamp(key, frequency, now=now, part=part, parts=parts)
    return counts


def _published_at(alertable: Alertable, item) -> datetime | None:
    return getattr(item, alertable.published_field)


def _changed_at(alertable: Alertable, item) -> datetime | None:
    return getattr(item, alertable.changed_field) if alertable.changed_field else None


def _between(moment: datetime | None, since: datetime, now: datetime) -> bool:
    return moment is not None and since < moment <= now


def _in_part(queryset, field: str, part: int, parts: int):
    if parts == 1:
        return queryset
    return queryset.alias(digest_part=Mod(field, parts)).filter(digest_part=part)


def _stamp(key: str, frequency: str, *, now: datetime, part: int, parts: int, people: list[int] | None = None) -> None:
    """Record that the ``key`` alerts of ``people`` (or of everyone in the part) have had this digest."""
    subscriptions = _in_part(Subscription.objects.filter(
        alertable=key, is_active=True, frequency=frequency, created_at__lte=now,
    ), "user_id", part, parts)
    if people is not None:
        subscriptions = subscriptions.filter(user__pk__any=people)
    subscriptions.update(last_digest_at=now)


class DigestItem(NamedTuple):
    """One item in one person's digest, and the claims that tell it (the first decides)."""

    item: object
    is_new: bool  # else it changed
    claims: list[Claim]


@dataclass
class _DigestRun:
    key: str
    alertable: Alertable
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
        candidates: dict[int, list[tuple[int, object]]] = {}
        for item, owners, subscriptions in fan_out:
            for index in range(bisect_left(owners, low), bisect_right(owners, high)):
                candidates.setdefault(owners[index], []).append((subscriptions[index], item))
        every_subscription = [pk for found in candidates.values() for pk, _item in found]
        windows = dict(Subscription.objects.filter(pk__any=every_subscription).values_list("id", "last_digest_at"))
        recipients = _recipients(every_subscription)
        # An item is told once per person: not again in a later digest, nor after an instant notice;
        # only an item they had can have changed to tell.
        had = set(
            Delivery.objects.filter(
                recipient__pk__any=list(recipients), alertable=self.key, item_id__any=[f.item.pk for f in fan_out],
            )
            .filter(Q(kind=Delivery.Kind.DIGEST) | Q(occasion=PUBLISHED))
            .values_list("recipient_id", "item_id")
        )
        digests: dict[int, tuple[Recipient, list[DigestItem]]] = {}
        for person, found in candidates.items():
            recipient = recipients.get(person)
            if recipient is None:
                continue
            alive = {pk for pk, _name in recipient.alerts}
            items: dict[int, DigestItem] = {}
            told_by: set[int] = set()
            key = digest_mail_key(self.key, person, self.frequency, self.now)
            for pk, item in found:
                if pk not in alive:
                    continue
                since = max(windows.get(pk) or self.now - self.period, self.oldest)
                if (person, item.pk) not in had:
                    if not _between(_published_at(self.alertable, item), since, self.now):
                        continue
                    is_new = True
                elif _between(_changed_at(self.alertable, item), since, self.now):
                    is_new = False
                else:
                    continue
                told_by.add(pk)
                if item.pk not in items or (is_new and not items[item.pk].is_new):
                    items[item.pk] = DigestItem(item, is_new, self._claims_telling(
                        person, pk, item, is_new=is_new, mail_key=key))
            if items:
                named = tuple(alert for alert in recipient.alerts if alert[0] in told_by)
                digests[person] = (Recipient(person, recipient.email, recipient.language, named), list(items.values()))
        with transaction.atomic():
            won = _claim([claim for _recipient, items in digests.values() for item in items for claim in item.claims],
                         kind=Delivery.Kind.DIGEST, alertable=self.key)
            mails, idle = [], []
            for recipient, items in digests.values():
                told = [item for item in items if _told(item.claims[0], won)]
                idle.extend(won[_won_key(claim)] for item in items if item not in told
                            for claim in item.claims if _told(claim, won))
                if told:
                    mails.append(_digest_message(
                        self.renderer, recipient, key=told[0].claims[0].mail_key,
                        new=[item.item for item in told if item.is_new],
                        changed=[item.item for item in told if not item.is_new],
                    ))
            if idle:
                # Claimed along with an item told before: no e-mail tells them, so no record either.
                Delivery.objects.filter(pk__any=idle).delete()
            queued = queue_mails(mails)
            _stamp(self.key, self.frequency, now=self.now, part=self.part, parts=self.parts, people=people)
        return queued

    def _claims_telling(self, person: int, subscription: int, item, *, is_new: bool, mail_key: str) -> list[Claim]:
        """The claims that tell ``item`` to ``person`` in a digest; the first decides whether it is told.

        A changed item claims its current revision ("<change>-<revision>"). A new item
        claims the digest's occasion and, once it has changed at all, its current
        revision as well: the digest shows the current state, so a change made before
        the person had the item is never told as a change.
        """
        revision = self.alertable.revision(item) if self.alertable.revision else 0
        changed = Claim(person, subscription, item.pk, self.alertable.changed_occasion(revision), mail_key)
        if not is_new:
            return [changed]
        first = Claim(person, subscription, item.pk, self.occasion, mail_key)
        return [first, changed] if revision else [first]


def _won_key(claim: Claim) -> tuple[int, int, str]:
    return claim.recipient, claim.item, claim.occasion


def _told(claim: Claim, won) -> bool:
    return _won_key(claim) in won


def _digest_message(renderer: Renderer, recipient: Recipient, *, key: str, new: list, changed: list) -> Mail:
    content = (tuple(item.pk for item in new), tuple(item.pk for item in changed))
    return renderer.message(recipient, "digest", content, lambda language: {
        "item_blocks": [renderer.item_block(item, language) for item in new], "count": len(new),
        "changed_blocks": [renderer.item_block(item, language) for item in changed], "changed_count": len(changed),
    }, mail_key=key)
