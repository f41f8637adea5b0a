"""The outbox: every e-mail the platform sends is queued here and delivered by a task.

What is guaranteed
------------------
**At least once, with duplicates suppressed by a per-delivery key.**

- ``queue_mail``/``queue_mails`` insert rows of ``OutgoingMail`` in the caller's
  transaction, skipping keys already present: a write that rolls back queues
  nothing, one that commits queues each key once however often it is retried.
  Nothing is sent in the caller's process; after commit the ``deliver_mail`` task is
  enqueued.
- ``deliver_mail`` (and the periodic ``deliver_due_mail``) claim due rows with a lease
  (a token and an expiry, in one short transaction: ``SELECT ... FOR UPDATE SKIP
  LOCKED`` on PostgreSQL, SQLite's IMMEDIATE transactions serialize the claim), send
  each over SMTP and mark it sent in its own transaction right after the server
  accepted it, only while the lease token still matches.
- A worker that dies leaves its rows claimed until the lease expires; then any worker
  takes them over. Temporary failures (SMTP 4xx, connection refused, reset or timed
  out, server unreachable) go back to the queue with exponential backoff
  (``CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS``, doubling, capped at
  ``CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS``) until ``CIVICBRIDGE_MAIL_MAX_ATTEMPTS``
  attempts, then fail ("gave up after N attempts: ..."). Permanent failures (SMTP 5xx,
  an address refused) fail at once with the server's reason.

The one window for a repeat: a worker killed after the SMTP server accepted a message
and before its "sent" mark committed. That message (at most one per dead worker: a
worker sends one message at a time) is sent again when its lease expires. Its
Message-ID is derived from the key, so the repeat carries the same Message-ID as the
first copy and mail stores that deduplicate on it show it once. Every other repeat
(a rerun of the producing task, a second scheduler, a retried request) is stopped by
the key's unique constraint.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import smtplib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# The periodic sweep's dotted name, for the worker's schedule: run it every minute.
PERIODIC_TASK = "civicbridge.core.notifications.deliver_due_mail"
INSERT_CHUNK = 500
MAX_KEY_LENGTH = OutgoingMail._meta.get_field("key").max_length
MAX_ERROR_LENGTH = OutgoingMail._meta.get_field("last_error").max_length


@dataclass(frozen=True, slots=True)
class Mail:
    """One e-mail to queue; ``key`` names the delivery and makes it unique."""

    key: str
    to: str
    subject: str
    body: str
    language: str
    headers: dict = field(default_factory=dict)


# --- queueing -------------------------------------------------------------------------------

def queue_mail(*, key: str, to: str, subject: str, body: str, language: str, headers: dict | None = None) -> bool:
    """Queue one e-mail in the caller's transaction; answer whether ``key`` was new.

    Any code may call it (it checks no permission: the caller decided that this person
    is to be told). It refuses (``ValueError``) an empty key or recipient, a key longer
    than 200 characters and a header that spans lines. A key already queued, sent or
    failed queues nothing and answers False.
    """
    return queue_mails([Mail(key=key, to=to, subject=subject, body=body, language=language,
                             headers=headers or {})]) == 1


def queue_mails(mails: Iterable[Mail | Mapping]) -> int:
    """Queue many e-mails in the caller's transaction; answer how many keys were new.

    Each item is a ``Mail`` or a mapping with its fields. Keys already present (or
    repeated in ``mails``) are skipped; the refusals are ``queue_mail``'s. One INSERT
    per 500 e-mails; after commit one delivery task is enqueued.
    """
    rows: dict[str, Mail] = {}
    for mail in mails:
        mail = _checked(mail if isinstance(mail, Mail) else Mail(**mail))
        rows.setdefault(mail.key, mail)
    if not rows:
        return 0
    new = 0
    items = list(rows.values())
    # No savepoint of its own: an INSERT that fails fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(items), INSERT_CHUNK):
            new += _insert(items[start:start + INSERT_CHUNK])
        if new:
            _deliver_after_commit()
    return new


def _checked(mail: Mail) -> Mail:
    if not mail.key or len(mail.key) > MAX_KEY_LENGTH:
        raise ValueError(f"a delivery key has 1 to {MAX_KEY_LENGTH} characters: {mail.key!r}")
    to = mail.to.strip()
    if not to or any(c in to for c in "\r\n"):
        raise ValueError(f"not a recipient: {mail.to!r}")
    headers = {str(name): str(value) for name, value in (mail.headers or {}).items()}
    for name, value in headers.items():
        if any(c in name + value for c in "\r\n"):
            raise ValueError(f"a header spans lines: {name!r}")
    # A subject is one line: a title with a line break in it must not fail at send time.
    subject = " ".join(mail.subject.split())
    return Mail(key=mail.key, to=to, subject=subject, body=mail.body, language=mail.language, headers=headers)


def _insert(chunk: list[Mail]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: how many rows were new (bulk_create cannot say)."""
    quote = connection.ops.quote_name
    column = OutgoingMail._meta.get_field
    names = ("key", "to", "subject", "body", "language", "headers", "status", "attempts",
             "next_attempt_at", "lease_token", "last_error", "created_at")
    columns = ", ".join(quote(column(name).column) for name in names)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert = f"INSERT INTO {quote(OutgoingMail._meta.db_table)} ({columns}) "
    constants = [OutgoingMail.Status.QUEUED.value, 0, now, "", "", now]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Six arrays, not six placeholders per row: psycopg prepares one statement.
            arrays = [[m.key for m in chunk], [m.to for m in chunk], [m.subject for m in chunk],
                      [m.body for m in chunk], [m.language for m in chunk],
                      [json.dumps(m.headers) for m in chunk]]
            cursor.execute(
                insert + "SELECT m.key, m.recipient, m.subject, m.body, m.language, m.headers::jsonb, "
                "%s, %s, %s, %s, %s, %s FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], "
                "%s::text[], %s::text[]) AS m (key, recipient, subject, body, language, headers) "
                "ON CONFLICT DO NOTHING RETURNING 1",
                [*constants, *arrays],
            )
        else:
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            parameters = [v for m in chunk for v in (m.key, m.to, m.subject, m.body, m.language,
                                                      json.dumps(m.headers))]
            # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join constraint.
            cursor.execute(
                insert + f"SELECT column1, column2, column3, column4, column5, column6, %s, %s, %s, %s, %s, %s "
                f"FROM (VALUES {values}) WHERE 1 = 1 ON CONFLICT DO NOTHING RETURNING 1",
                [*constants, *parameters],
            )
        return len(cursor.fetchall())


def _deliver_after_commit() -> None:
    # One task per transaction, however many times it queued.
    if any(getattr(callback, "__name__", "") == "_enqueue_delivery"
           for _ids, callback, *_rest in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery, robust=True)


def _enqueue_delivery() -> None:
    # A queue that cannot be reached loses nothing: the periodic sweep finds the rows.
    deliver_mail.enqueue()


# --- Message-ID -------------------------------------------------------------------------------

def message_id(key: str) -> str:
    """The Message-ID of the e-mail with this key: the same on every attempt and every worker."""
    domain = urlsplit(settings.CIVICBRIDGE_SITE_URL).hostname or "civicbridge.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def _message(mail: OutgoingMail) -> EmailMessage:
    headers = {"Content-Language": mail.language, **mail.headers, "Message-ID": message_id(mail.key)}
    return EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=headers)


# --- failures ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Failure:
    temporary: bool
    reason: str
    connection_lost: bool = False  # the next messages would fail the same way: stop this run


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def classify(error: BaseException) -> Failure:
    """Is this failure worth another attempt later, and what did the server say?"""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        temporary = bool(answers) and all(400 <= code < 500 for code, _message in answers)
        reason = "; ".join(f"{address}: {code} {_text(message)}"
                           for address, (code, message) in error.recipients.items())
        return Failure(temporary, f"address refused: {reason}")
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        temporary = not 500 <= code < 600
        connection_lost = isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPHeloError
                                     | smtplib.SMTPAuthenticationError)
        return Failure(temporary or connection_lost, f"{code} {_text(error.smtp_error)}", connection_lost)
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        # Refused, reset, timed out, unreachable: the server may be back in a minute.
        return Failure(True, f"{type(error).__name__}: {error}", True)
    if isinstance(error, smtplib.SMTPException):
        return Failure(True, f"{type(error).__name__}: {error}", True)
    return Failure(False, f"{type(error).__name__}: {error}")


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubling, capped."""
    base = settings.CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS))


# --- delivery ---------------------------------------------------------------------------------

def claim(*, token: str, limit: int, now: datetime | None = None) -> list[int]:
    """Lease up to ``limit`` due e-mails (queued and due, or leased by a worker whose lease expired)."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.CIVICBRIDGE_MAIL_LEASE_SECONDS)
    with transaction.atomic():
        # Two questions, each answered from its small partial index in order (one ORDER BY over
        # both would sort every due row at each claim): dead workers' e-mails first, then the queue.
        lockable = OutgoingMail.objects.select_for_update(skip_locked=True)
        ids = list(lockable.filter(status=OutgoingMail.Status.SENDING, lease_expires_at__lte=now)
                   .order_by("lease_expires_at").values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            ids += lockable.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now).order_by(
                "next_attempt_at").values_list("pk", flat=True)[:limit - len(ids)]
        if ids:
            OutgoingMail.objects.filter(pk__in=ids).update(
                status=OutgoingMail.Status.SENDING, lease_token=token, lease_expires_at=now + lease,
                attempts=F("attempts") + 1,
            )
    return ids


def _held(token: str, ids=None):
    mails = OutgoingMail.objects.filter(lease_token=token, status=OutgoingMail.Status.SENDING)
    return mails if ids is None else mails.filter(pk__in=ids)


def mark_sent(mail: OutgoingMail, *, token: str) -> bool:
    """Record that the server accepted ``mail``; False if another worker holds it now.

    One statement, committed at once (autocommit), written out rather than built by the
    ORM: a digest marks hundreds of thousands of e-mails one by one.
    """
    quote = connection.ops.quote_name
    column = OutgoingMail._meta.get_field
    status, sent_at, token_column, lease, error = (
        quote(column(name).column) for name in ("status", "sent_at", "lease_token", "lease_expires_at", "last_error"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(OutgoingMail._meta.db_table)} SET {status} = %s, {sent_at} = %s, {token_column} = '', "
            f"{lease} = NULL, {error} = '' WHERE {quote('id')} = %s AND {token_column} = %s AND {status} = %s",
            [OutgoingMail.Status.SENT.value, connection.ops.adapt_datetimefield_value(timezone.now()), mail.pk, token,
             OutgoingMail.Status.SENDING.value],
        )
        return cursor.rowcount == 1


def mark_failed(mail: OutgoingMail, *, token: str, failure: Failure, attempts: int | None = None) -> str:
    """Put ``mail`` back in the queue for later, or fail it; answer its new status (or "" if not held)."""
    attempts = mail.attempts if attempts is None else attempts
    if failure.temporary and attempts < settings.CIVICBRIDGE_MAIL_MAX_ATTEMPTS:
        status, changes = OutgoingMail.Status.QUEUED, {
            "next_attempt_at": timezone.now() + retry_delay(attempts), "last_error": failure.reason[:MAX_ERROR_LENGTH],
        }
    else:
        reason = failure.reason if not failure.temporary else f"gave up after {attempts} attempts: {failure.reason}"
        status, changes = OutgoingMail.Status.FAILED, {"last_error": reason[:MAX_ERROR_LENGTH]}
    held = _held(token, [mail.pk]).update(
        status=status, attempts=attempts, lease_token="", lease_expires_at=None, **changes,
    )
    return status if held else ""


def _release(ids: list[int], *, token: str, failure: Failure, until: datetime) -> None:
    """Give back e-mails not tried because the server went away: not an attempt of theirs."""
    _held(token, ids).update(
        status=OutgoingMail.Status.QUEUED, attempts=F("attempts") - 1, next_attempt_at=until,
        lease_token="", lease_expires_at=None, last_error=failure.reason[:MAX_ERROR_LENGTH],
    )


def deliver_due(*, limit: int | None = None) -> dict:
    """Send what is due, batch after batch, until nothing is due (or ``limit`` e-mails were tried).

    Answers counts: sent, retrying, failed, lost (another worker took the lease over).
    """
    counts = {"sent": 0, "retrying": 0, "failed": 0, "lost": 0}
    batch_size = settings.CIVICBRIDGE_MAIL_BATCH_SIZE
    tried = 0
    while limit is None or tried < limit:
        token = uuid.uuid4().hex
        size = batch_size if limit is None else min(batch_size, limit - tried)
        ids = claim(token=token, limit=size)
        if not ids:
            break
        tried += len(ids)
        if not _send_batch(ids, token=token, counts=counts):
            break  # the server went away: the sweep tries again later
    return counts


def _send_batch(ids: list[int], *, token: str, counts: dict) -> bool:
    """Send the leased e-mails one by one; False when the server went away."""
    lease = settings.CIVICBRIDGE_MAIL_LEASE_SECONDS
    renew_at = monotonic() + lease / 2
    pending = list(_held(token, ids).order_by("pk"))
    mailer = None
    try:
        while pending:
            if monotonic() >= renew_at:
                # A slow server must not let the lease run out under a live worker; what another
                # worker took over meanwhile (this one was stalled past its lease) is theirs to send.
                still = set(_held(token, [m.pk for m in pending]).values_list("pk", flat=True))
                _held(token, still).update(lease_expires_at=timezone.now() + timedelta(seconds=lease))
                counts["lost"] += sum(m.pk not in still for m in pending)
                pending = [m for m in pending if m.pk in still]
                renew_at = monotonic() + lease / 2
                if not pending:
                    break
            mail = pending.pop(0)
            if mail.attempts > settings.CIVICBRIDGE_MAIL_MAX_ATTEMPTS:
                # Taken over after its worker died each time: never try it forever.
                mark_failed(mail, token=token, attempts=mail.attempts - 1, failure=Failure(
                    True, "the worker sending it stopped"))
                counts["failed"] += 1
                continue
            try:
                if mailer is None:
                    mailer = mailers.default
                    mailer.open()
                mailer.send_messages([_message(mail)])
            except Exception as error:  # every backend's failure is classified, none stops the others
                failure = classify(error)
                logger.warning("E-mail %s to %s failed: %s", mail.key, mail.to, failure.reason)
                status = mark_failed(mail, token=token, failure=failure)
                counts[{"queued": "retrying", "failed": "failed", "": "lost"}[status]] += 1
                # After a refusal the server still talks (smtplib sent RSET); anything else, reconnect.
                if failure.connection_lost or not isinstance(
                        error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                    with contextlib.suppress(Exception):
                        mailer.close()
                    mailer = None
                if failure.connection_lost:
                    _release([m.pk for m in pending], token=token, failure=failure,
                             until=timezone.now() + retry_delay(mail.attempts))
                    return False
                continue
            if mark_sent(mail, token=token):
                counts["sent"] += 1
            else:
                counts["lost"] += 1
                logger.warning("E-mail %s was sent after its lease passed to another worker", mail.key)
    finally:
        if mailer is not None:
            with contextlib.suppress(Exception):
                mailer.close()
    return True


# --- personal data ------------------------------------------------------------------------------

def forget_recipient(*, address: str) -> int:
    """Delete every e-mail to ``address`` from the outbox, whatever its state; answer how many.

    For the erasure of a person's account (the caller has checked who may erase it); an
    e-mail a worker is sending at this very moment may still go out once.
    """
    return OutgoingMail.objects.filter(to__iexact=address.strip()).delete()[0]


def prune_outbox(*, now: datetime | None = None, limit: int = 5_000) -> int:
    """Delete up to ``limit`` sent or failed e-mails older than ``CIVICBRIDGE_MAIL_RETENTION_DAYS``.

    The outbox holds addresses and texts: they are kept as long as a coordinator needs
    them to answer "did the mail go out?", not for ever. Queued e-mails are never pruned.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.CIVICBRIDGE_MAIL_RETENTION_DAYS)
    old = (OutgoingMail.objects.filter(created_at__lt=cutoff,
                                       status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED])
           .order_by("created_at").values_list("pk", flat=True)[:limit])
    return OutgoingMail.objects.filter(pk__in=list(old)).delete()[0]


@task
def deliver_mail() -> dict:
    """Send the queued e-mails that are due (enqueued after each commit that queued some)."""
    return deliver_due()


@task
def deliver_due_mail() -> dict:
    """The periodic sweep (every minute): retries whose time came, leases of dead workers, old e-mails pruned."""
    counts = deliver_due()
    counts["pruned"] = prune_outbox()
    return counts
