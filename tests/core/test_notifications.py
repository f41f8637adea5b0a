"""The outbox: queued once per key, delivered at least once over a real SMTP conversation on loopback."""

from __future__ import annotations

import dataclasses
import os
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from civicbridge.core import notifications
from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due, message_id, queue_mail, queue_mails
from tests.core.factories import MailFactory
from tests.core.smtp import SmtpServer, free_port, mailers_for

pytestmark = pytest.mark.django_db

Status = OutgoingMail.Status


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.MAILERS = mailers_for(server.port)
        yield server


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    settings.CIVICBRIDGE_MAIL_RETRY_BASE_SECONDS = 60
    settings.CIVICBRIDGE_MAIL_RETRY_MAX_SECONDS = 3600
    settings.CIVICBRIDGE_MAIL_MAX_ATTEMPTS = 12
    settings.CIVICBRIDGE_MAIL_LEASE_SECONDS = 300
    settings.CIVICBRIDGE_SITE_URL = "https://alerts.example.org"


def queue(**fields) -> OutgoingMail:
    mail = MailFactory(**fields)
    assert queue_mail(**dataclasses.asdict(mail))
    return OutgoingMail.objects.get(key=mail.key)


def time_passes(mail: OutgoingMail, seconds: float) -> None:
    """Move the row's clock back instead of waiting: what is due in ``seconds`` becomes due now."""
    shift = timedelta(seconds=seconds)
    OutgoingMail.objects.filter(pk=mail.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=mail.next_attempt_at - shift if mail.next_attempt_at else None)
    if mail.lease_expires_at:
        OutgoingMail.objects.filter(pk=mail.pk).update(lease_expires_at=mail.lease_expires_at - shift)
    mail.refresh_from_db()


# --- queueing ------------------------------------------------------------------------------

def test_a_key_is_queued_once_however_often_it_is_queued():
    mail = MailFactory()

    first = queue_mail(**dataclasses.asdict(mail))
    second = queue_mail(**{**dataclasses.asdict(mail), "subject": "Something else"})

    assert (first, second) == (True, False)
    (row,) = OutgoingMail.objects.all()
    assert row.subject == "A new call for proposals" and row.status == Status.QUEUED and row.attempts == 0


def test_bulk_queueing_answers_how_many_keys_were_new():
    queue_mail(**dataclasses.asdict(MailFactory(key="known")))

    new = queue_mails([MailFactory(key="known"), MailFactory(key="fresh"), MailFactory(key="fresh"),
                       {**dataclasses.asdict(MailFactory(key="as-a-mapping"))}])

    assert new == 2
    assert sorted(OutgoingMail.objects.values_list("key", flat=True)) == ["as-a-mapping", "fresh", "known"]


def test_queued_rows_keep_the_language_and_headers_and_a_one_line_subject():
    row = queue(subject="Call\nwith a broken\r\ntitle", language="pl", headers={"List-Unsubscribe": "<https://x/u/>"})

    assert row.subject == "Call with a broken title"
    assert row.language == "pl"
    assert row.headers == {"List-Unsubscribe": "<https://x/u/>"}


@pytest.mark.parametrize("fields", [{"key": ""}, {"key": "k" * 201}, {"to": ""}, {"to": "a@b.org\nBcc: c@d.org"},
                                    {"headers": {"X-Note": "one\r\nBcc: c@d.org"}}])
def test_bad_mail_is_refused_and_nothing_is_queued(fields):
    with pytest.raises(ValueError):
        queue_mail(**dataclasses.asdict(MailFactory(**fields)))

    assert not OutgoingMail.objects.exists()


def test_mail_queued_in_a_write_that_rolls_back_is_not_queued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(**dataclasses.asdict(MailFactory()))
        raise RuntimeError("the write failed")

    assert not OutgoingMail.objects.exists()
    assert callbacks == []


def test_mail_is_only_queued_in_the_request_and_sent_by_the_worker(smtp, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue_mails([MailFactory(), MailFactory()])
        queue_mail(**dataclasses.asdict(MailFactory()))

    assert smtp.inbox.envelopes == []
    assert len(callbacks) == 1  # one delivery task per transaction
    (job,) = DBTaskResult.objects.all()
    assert job.task_path == "civicbridge.core.notifications.deliver_mail"

    notifications.deliver_mail.call()

    assert len(smtp.inbox.envelopes) == 3
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}


# --- delivery -------------------------------------------------------------------------------

def test_a_queued_mail_is_sent_and_marked_sent_with_a_message_id_from_its_key(smtp):
    row = queue(to="anna@example.org", language="pl", headers={"Auto-Submitted": "auto-generated"})

    counts = deliver_due()

    assert counts["sent"] == 1
    assert smtp.inbox.recipients() == ["anna@example.org"]
    (message,) = smtp.inbox.messages()
    assert message["Message-ID"] == message_id(row.key)
    assert message["Content-Language"] == "pl" and message["Auto-Submitted"] == "auto-generated"
    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at is not None and row.attempts == 1
    assert row.lease_token == "" and row.lease_expires_at is None

    assert deliver_due()["sent"] == 0  # nothing is sent twice
    assert len(smtp.inbox.envelopes) == 1


def test_the_same_key_always_has_the_same_message_id_and_different_keys_do_not():
    assert message_id("alert:1:2:published") == message_id("alert:1:2:published")
    assert message_id("alert:1:2:published") != message_id("alert:1:3:published")
    assert message_id("x").endswith("@alerts.example.org>")


def test_a_temporary_refusal_is_retried_with_growing_delays_and_then_delivered(smtp):
    row = queue(to="busy@example.org")
    smtp.inbox.answer = lambda address: "451 4.3.0 Try again later"

    before = timezone.now()
    assert deliver_due()["retrying"] == 1
    row.refresh_from_db()
    assert row.status == Status.QUEUED and row.attempts == 1 and "451" in row.last_error
    assert timedelta(seconds=59) < row.next_attempt_at - before < timedelta(seconds=62)

    assert deliver_due()["retrying"] == 0  # not due yet: nobody knocks again at once
    time_passes(row, 60)
    before = timezone.now()
    deliver_due()
    row.refresh_from_db()
    assert row.attempts == 2
    assert timedelta(seconds=119) < row.next_attempt_at - before < timedelta(seconds=122)

    smtp.inbox.answer = lambda address: None
    time_passes(row, 120)
    assert deliver_due()["sent"] == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 3 and row.last_error == ""
    assert smtp.inbox.recipients() == ["busy@example.org"]


def test_the_retry_delay_doubles_up_to_an_hour():
    assert [notifications.retry_delay(n).total_seconds() for n in (1, 2, 3, 6, 7, 12)] == [
        60, 120, 240, 1920, 3600, 3600]


def test_a_mail_refused_for_too_long_fails_naming_the_attempts_and_the_last_error(smtp, settings):
    settings.CIVICBRIDGE_MAIL_MAX_ATTEMPTS = 3
    row = queue()
    smtp.inbox.answer = lambda address: "451 4.3.0 Try again later"

    for _attempt in range(3):
        deliver_due()
        row.refresh_from_db()
        time_passes(row, 3600)

    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 3
    assert row.last_error.startswith("gave up after 3 attempts: address refused:")
    assert "451" in row.last_error
    assert deliver_due() == {"sent": 0, "retrying": 0, "failed": 0, "lost": 0}


def test_a_permanent_refusal_fails_with_the_reason_and_is_never_tried_again(smtp):
    refused = queue(to="nobody@example.org")
    fine = queue(to="reader@example.org")
    smtp.inbox.answer = lambda address: "550 5.1.1 No such user" if address.startswith("nobody") else None

    counts = deliver_due()

    assert (counts["sent"], counts["failed"]) == (1, 1)
    refused.refresh_from_db()
    assert refused.status == Status.FAILED and "550 5.1.1 No such user" in refused.last_error
    time_passes(refused, 10 * 3600)
    deliver_due()
    assert smtp.inbox.refusals == ["nobody@example.org"]
    assert smtp.inbox.recipients() == ["reader@example.org"]
    fine.refresh_from_db()
    assert fine.status == Status.SENT


def test_an_unreachable_server_loses_nothing_and_counts_one_attempt(settings):
    settings.MAILERS = mailers_for(free_port())  # nothing listens there
    first, second, third = queue(), queue(), queue()

    counts = deliver_due()

    assert counts["retrying"] == 1
    rows = {row.pk: row for row in OutgoingMail.objects.all()}
    assert {row.status for row in rows.values()} == {Status.QUEUED}
    assert rows[first.pk].attempts == 1 and "ConnectionRefusedError" in rows[first.pk].last_error
    # The others were not tried: no attempt spent, but they wait as long as the first.
    assert rows[second.pk].attempts == rows[third.pk].attempts == 0
    assert rows[second.pk].next_attempt_at > timezone.now() + timedelta(seconds=50)

    with SmtpServer() as server:
        settings.MAILERS = mailers_for(server.port)
        for row in rows.values():
            time_passes(row, 60)
        assert deliver_due()["sent"] == 3
    assert sorted(server.inbox.recipients()) == sorted([first.to, second.to, third.to])


# --- leases ----------------------------------------------------------------------------------

def test_a_mail_whose_worker_died_is_taken_over_when_its_lease_expires(smtp):
    row = queue()
    assert notifications.claim(token="dead-worker", limit=10) == [row.pk]  # ... and the worker is killed

    assert deliver_due()["sent"] == 0  # the lease is live: nobody else sends it
    assert smtp.inbox.envelopes == []

    row.refresh_from_db()
    time_passes(row, 301)
    assert deliver_due()["sent"] == 1
    assert smtp.inbox.recipients() == [row.to]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2


def test_a_late_worker_cannot_mark_a_mail_another_worker_claimed_again(smtp):
    row = queue()
    notifications.claim(token="slow-worker", limit=10)
    row.refresh_from_db()
    time_passes(row, 301)
    assert notifications.claim(token="second-worker", limit=10) == [row.pk]
    row.refresh_from_db()

    assert notifications.mark_sent(row, token="slow-worker") is False
    assert notifications.mark_failed(row, token="slow-worker", failure=notifications.Failure(False, "550")) == ""

    row.refresh_from_db()
    assert row.status == Status.SENDING and row.lease_token == "second-worker"
    assert notifications.mark_sent(row, token="second-worker") is True


def test_a_mail_taken_over_too_often_fails_instead_of_stopping_workers_forever(smtp, settings):
    settings.CIVICBRIDGE_MAIL_MAX_ATTEMPTS = 2
    row = queue()
    for worker in ("first", "second"):
        notifications.claim(token=worker, limit=10)
        row.refresh_from_db()
        time_passes(row, 301)

    assert deliver_due()["failed"] == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.last_error == "gave up after 2 attempts: the worker sending it stopped"
    assert smtp.inbox.envelopes == []


def test_a_slow_worker_renews_its_lease_and_skips_what_another_worker_took_over(smtp, monkeypatch):
    first, second, third = queue(), queue(), queue()
    clock = iter(range(0, 10_000, 200))  # each look at the clock: 200 s later, past half of the 300 s lease
    monkeypatch.setattr(notifications, "monotonic", lambda: next(clock))
    real_message = notifications._message

    def message(mail):
        if mail.pk == first.pk:  # while the first is sent, a second worker takes the third over
            OutgoingMail.objects.filter(pk=third.pk).update(lease_token="other")
        return real_message(mail)

    monkeypatch.setattr(notifications, "_message", message)

    counts = deliver_due()

    assert smtp.inbox.recipients() == [first.to, second.to]
    assert (counts["sent"], counts["lost"]) == (2, 1)
    second.refresh_from_db()
    third.refresh_from_db()
    assert third.status == Status.SENDING and third.lease_token == "other"
    assert second.status == Status.SENT


def test_two_workers_claim_disjoint_mails():
    rows = [queue() for _ in range(5)]

    first = notifications.claim(token="a", limit=3)
    second = notifications.claim(token="b", limit=3)

    assert len(first) == 3 and len(second) == 2
    assert set(first) | set(second) == {row.pk for row in rows}
    assert notifications.claim(token="c", limit=3) == []


# Decided before the database is set up: the SQLite test database is in memory and serializes
# threads anyway; the claim's race is PostgreSQL's (FOR UPDATE SKIP LOCKED).
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="threads race for the claim on PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_sending_at_the_same_time_send_every_mail_exactly_once(settings):
    settings.CIVICBRIDGE_MAIL_BATCH_SIZE = 7
    mails = [MailFactory() for _ in range(150)]
    queue_mails(mails)
    start = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(deliver_due())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    with SmtpServer() as server:
        settings.MAILERS = mailers_for(server.port)
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert sorted(server.inbox.recipients()) == sorted(mail.to for mail in mails)  # each once, none twice
    assert sum(result["sent"] for result in results) == 150
    assert sum(result["sent"] > 0 for result in results) > 1  # the work was shared
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_coordinators_read_the_outbox_in_the_admin_and_nobody_changes_it(client, coordinator):
    row = queue(to="anna@example.org", subject="Outbox row")
    client.force_login(coordinator)

    listing = client.get("/en/admin/core/outgoingmail/")
    detail = client.get(f"/en/admin/core/outgoingmail/{row.pk}/change/")
    added = client.get("/en/admin/core/outgoingmail/add/")
    changed = client.post(f"/en/admin/core/outgoingmail/{row.pk}/change/", {"status": "sent"})

    assert listing.status_code == 200 and b"Outbox row" in listing.content
    assert detail.status_code == 200 and b"anna@example.org" in detail.content
    assert added.status_code == 403 and changed.status_code == 403
    row.refresh_from_db()
    assert row.status == Status.QUEUED


def test_the_outbox_is_not_shown_to_people_who_are_not_coordinators(client, user):
    queue()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    assert client.get("/en/admin/core/outgoingmail/").status_code == 403


# --- personal data ------------------------------------------------------------------------------

def test_sent_and_failed_mail_past_its_retention_is_pruned_and_queued_mail_never(smtp, settings):
    settings.CIVICBRIDGE_MAIL_RETENTION_DAYS = 30
    sent, failed, recent = queue(), queue(to="nobody@example.org"), queue()
    smtp.inbox.answer = lambda address: "550 no such user" if address.startswith("nobody") else None
    deliver_due()
    waiting = queue(to="busy@example.org")
    smtp.inbox.answer = lambda address: "451 try later"
    deliver_due()  # waiting goes back to the queue for a later attempt
    OutgoingMail.objects.exclude(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=31))

    counts = notifications.deliver_due_mail.call()

    assert counts["pruned"] == 2
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert not OutgoingMail.objects.filter(pk__in=[sent.pk, failed.pk]).exists()


def test_forgetting_a_person_removes_every_mail_to_them_from_the_outbox():
    theirs = [queue(to="anna@example.org"), queue(to="Anna@Example.org")]
    other = queue(to="ben@example.org")

    assert notifications.forget_recipient(address="anna@example.org") == 2

    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [other.pk]
    assert len(theirs) == 2
