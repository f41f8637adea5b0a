"""The alert tasks: instant notices, digests, deadline reminders; one message per person per event, queued once."""

import os
import re
import threading
from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from civicbridge.alerts import tasks
from civicbridge.alerts.models import Delivery, Subscription
from civicbridge.alerts.selectors import delivery_reason, delivery_state
from civicbridge.core.models import OutgoingMail
from civicbridge.funding import alerts, services
from tests.accounts.factories import UserFactory
from tests.alerts.factories import (
    CallFactory,
    ProgrammeFactory,
    SubscriptionFactory,
    in_days,
)
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db

DAILY, WEEKLY, INSTANT = Subscription.Frequency.DAILY, Subscription.Frequency.WEEKLY, Subscription.Frequency.INSTANT


class WorkerDied(BaseException):
    """What the task sees when its process is killed: not an Exception the task may catch."""


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def polish(db):
    return UserFactory(preferred_language="pl")


@pytest.fixture
def turkish(db):
    return UserFactory(preferred_language="tr")


def subscriber(keywords="", language="en", **values):
    return SubscriptionFactory(user=UserFactory(preferred_language=language), keywords=keywords, **values)


def sent_deliveries(call, occasion=tasks.PUBLISHED):
    delivered()
    return Delivery.objects.filter(item_id=call.pk, occasion=occasion, mail__status=OutgoingMail.Status.SENT)


@pytest.fixture
def move_deadlines(coordinator, django_capture_on_commit_callbacks):
    """Change a published call's deadlines as an officer does: through the service, with its after-commit alerts."""

    def move(call, *deadlines):
        with django_capture_on_commit_callbacks(execute=True):
            services.set_deadlines(call=call, by=coordinator, deadlines=list(deadlines))
        call.refresh_from_db()
        return call

    return move


def shown(moment):
    """A moment as the English e-mails show it: in the site's time zone, to the minute."""
    return date_filter(timezone.localtime(moment), "DATETIME_FORMAT")


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def mail_to(subscription):
    return [message for message in delivered() if message.to == [subscription.user.email]]


def fail_sending(monkeypatch, error, *, times=1, after=0):
    """Make the in-memory mailer raise ``error`` on sends number after+1 .. after+times."""
    real = LocmemBackend.send_messages
    calls = {"n": 0}

    def send_messages(self, messages):
        calls["n"] += 1
        if after < calls["n"] <= after + times:
            raise error
        return real(self, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", send_messages)


# --- instant notices -------------------------------------------------------------------------------


def test_each_matching_instant_subscriber_gets_one_email_in_their_language(programme, polish, turkish):
    english = subscriber("water")
    in_polish = SubscriptionFactory(user=polish, keywords="woda")
    in_turkish = SubscriptionFactory(user=turkish)
    subscriber("sport")  # does not match
    call = CallFactory(programme=programme, title="Czysta woda – clean water for towns")

    alerts.call_published(call)

    assert sorted(m.to[0] for m in delivered()) == sorted(
        s.user.email for s in (english, in_polish, in_turkish)
    )
    by_address = {m.to[0]: m for m in delivered()}
    polish_mail = by_address[polish.email]
    assert polish_mail.subject.startswith("Nowy nabór")
    assert "/pl/alerts/unsubscribe/" in polish_mail.body
    assert f"https://alerts.example.org/pl/calls/{call.identifier}/" in polish_mail.body
    assert by_address[turkish.email].subject.startswith("Yeni hibe çağrısı")
    assert by_address[english.user.email].subject == f"New call for proposals: {call.title}"
    assert sent_deliveries(call).count() == 3


def test_the_email_carries_a_list_unsubscribe_header_with_the_signed_link(programme):
    subscription = subscriber()
    alerts.call_published(CallFactory(programme=programme))

    (message,) = delivered()
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://alerts.example.org/en/alerts/unsubscribe/")
    assert header.strip("<>") in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subscription.name in message.body


def test_subscriber_is_not_notified_twice_when_task_is_retried(programme):
    subscriber()
    subscriber()
    call = CallFactory(programme=programme)

    tasks.notify_subscribers.call("calls", call.pk, "published")
    tasks.notify_subscribers.call("calls", call.pk, "published")
    alerts.call_published(call)

    assert len(delivered()) == 2
    assert Delivery.objects.filter(item_id=call.pk).count() == 2


def test_a_fan_out_killed_half_way_keeps_whole_batches_and_a_rerun_tells_the_rest_once(programme, monkeypatch):
    people = [subscriber() for _ in range(5)]
    call = CallFactory(programme=programme)
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    real_queue_mails = tasks.queue_mails
    batches = {"n": 0}

    def dies_in_the_second_batch(mails):
        batches["n"] += 1
        queued = real_queue_mails(mails)
        if batches["n"] == 2:
            raise WorkerDied  # after the second batch's rows and e-mails were written, before its commit
        return queued

    monkeypatch.setattr(tasks, "queue_mails", dies_in_the_second_batch)
    with pytest.raises(WorkerDied):
        tasks.notify_subscribers.call("calls", call.pk, "published")

    # The first batch: both its records and its e-mails; the second: neither.
    assert Delivery.objects.filter(item_id=call.pk).count() == 2
    assert OutgoingMail.objects.count() == 2
    assert set(Delivery.objects.values_list("mail_id", flat=True)) == set(OutgoingMail.objects.values_list("key", flat=True))

    monkeypatch.setattr(tasks, "queue_mails", real_queue_mails)
    result = tasks.notify_subscribers.call("calls", call.pk, "published")  # the task runs again

    assert result["queued"] == 3
    assert sorted(m.to[0] for m in delivered()) == sorted(p.user.email for p in people)
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 5


def test_a_message_the_server_refuses_for_good_is_logged_with_the_reason_and_the_others_still_go(
        programme, monkeypatch):
    first, second = subscriber(), subscriber()
    call = CallFactory(programme=programme)
    fail_sending(monkeypatch, SMTPRecipientsRefused({first.user.email: (550, b"5.1.1 no such user")}))

    result = tasks.notify_subscribers.call("calls", call.pk, "published")

    assert result["queued"] == 2
    assert [m.to for m in delivered()] == [[second.user.email]]
    refused = Delivery.objects.select_related("mail").get(item_id=call.pk, recipient=first.user)
    assert delivery_state(refused) == "failed"
    assert "550 5.1.1 no such user" in delivery_reason(refused)
    tasks.notify_subscribers.call("calls", call.pk, "published")
    assert len(delivered()) == 1
    assert {first.pk, second.pk} == set(Delivery.objects.filter(item_id=call.pk).values_list("subscription_id", flat=True))


def test_an_unreachable_mail_server_loses_no_alert(programme, monkeypatch):
    subscription = subscriber()
    call = CallFactory(programme=programme)

    def refuse(self):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(LocmemBackend, "open", refuse, raising=False)
    assert tasks.notify_subscribers.call("calls", call.pk, "published")["queued"] == 1
    assert delivered() == []
    waiting = Delivery.objects.select_related("mail").get(item_id=call.pk)
    assert delivery_state(waiting) == "retrying"
    assert "ConnectionRefusedError" in delivery_reason(waiting)

    monkeypatch.undo()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())  # the retry's time has come
    assert [m.to for m in delivered()] == [[subscription.user.email]]
    waiting.refresh_from_db()
    assert delivery_state(Delivery.objects.select_related("mail").get(pk=waiting.pk)) == "sent"


def test_a_deadline_change_is_a_new_occasion_with_a_new_notice(programme):
    subscriber()
    call = CallFactory(programme=programme, deadlines=[in_days(30)])
    alerts.call_published(call)

    call.deadlines_revision = 1
    call.save(update_fields=["deadlines_revision"])
    alerts.deadlines_changed(call)
    alerts.deadlines_changed(call)

    assert len(delivered()) == 2
    assert delivered()[1].subject.startswith("Deadlines changed")
    assert sent_deliveries(call, "deadlines-1").count() == 1


def test_an_overtaken_deadline_change_is_skipped(programme):
    subscriber()
    call = CallFactory(programme=programme)
    call.deadlines_revision = 2
    call.save(update_fields=["deadlines_revision"])

    assert tasks.notify_subscribers.call("calls", call.pk, "deadlines-1") == {"skipped": "stale occasion"}
    assert delivered() == []


def test_an_unpublished_call_notifies_nobody(programme):
    subscriber()
    call = CallFactory(programme=programme, published_at=None)

    tasks.notify_subscribers.call("calls", call.pk, "published")
    alerts.deadlines_changed(call)

    assert delivered() == []


def test_digest_and_inactive_subscribers_get_no_instant_notice(programme):
    subscriber(frequency=DAILY)
    SubscriptionFactory(is_active=False)
    SubscriptionFactory(user=UserFactory(is_active=False))
    alerts.call_published(CallFactory(programme=programme))

    assert delivered() == []


# --- digests ---------------------------------------------------------------------------------------


def test_a_daily_digest_lists_the_matching_calls_published_since_the_last_one(programme):
    subscription = subscriber("water", frequency=DAILY)
    Subscription.objects.filter(pk=subscription.pk).update(last_digest_at=timezone.now() - timedelta(hours=20))
    fresh = CallFactory(programme=programme, title="Clean water", published_at=timezone.now() - timedelta(hours=2))
    also = CallFactory(programme=programme, title="Water for schools", published_at=timezone.now() - timedelta(hours=5))
    CallFactory(programme=programme, title="Water museums", published_at=timezone.now() - timedelta(hours=22))
    CallFactory(programme=programme, title="Sport clubs", published_at=timezone.now() - timedelta(hours=1))
    CallFactory(programme=programme, title="Water soon", published_at=None)

    result = tasks.send_digests.call("daily")

    assert result["queued"] == 1
    (message,) = delivered()
    assert message.subject == f"2 new calls for proposals: {subscription.name}"
    assert "Clean water" in message.body and "Water for schools" in message.body
    assert "Water museums" not in message.body and "Sport" not in message.body
    assert set(Delivery.objects.filter(subscription=subscription).values_list("item_id", flat=True)) == {
        fresh.pk, also.pk
    }
    subscription.refresh_from_db()
    assert subscription.last_digest_at > timezone.now() - timedelta(minutes=1)


def test_a_digest_run_again_sends_nothing_twice(programme):
    subscriber(frequency=DAILY)
    CallFactory(programme=programme, published_at=timezone.now() - timedelta(hours=1))

    tasks.send_digests.call("daily")
    Subscription.objects.update(last_digest_at=None)  # even if the stamp was lost
    tasks.send_digests.call("daily")

    assert len(delivered()) == 1


def test_a_digest_skips_calls_the_subscription_already_had_at_once(programme):
    subscription = subscriber()
    call = CallFactory(programme=programme, published_at=timezone.now() - timedelta(hours=1))
    alerts.call_published(call)
    Subscription.objects.filter(pk=subscription.pk).update(frequency=DAILY)

    tasks.send_digests.call("daily")

    assert len(delivered()) == 1


def test_a_weekly_digest_covers_the_week_and_only_weekly_subscribers(programme):
    weekly = subscriber(frequency=WEEKLY, language="pl")
    subscriber(frequency=DAILY)
    CallFactory(programme=programme, published_at=timezone.now() - timedelta(days=6))

    tasks.send_digests.call("weekly")

    assert len(delivered()) == 1
    assert delivered()[0].to == [weekly.user.email]
    assert delivered()[0].extra_headers["Content-Language"] == "pl"


def test_a_digest_stamps_subscriptions_without_new_calls_too(programme):
    subscription = subscriber("sport", frequency=DAILY)
    CallFactory(programme=programme, title="Water", published_at=timezone.now() - timedelta(hours=1))

    tasks.send_digests.call("daily")

    subscription.refresh_from_db()
    assert delivered() == []
    assert subscription.last_digest_at is not None


# --- digests: changed deadlines ----------------------------------------------------------------------------


def test_a_digest_tells_the_moved_deadline_of_a_call_the_subscription_had(programme, move_deadlines):
    subscription = subscriber("water", frequency=DAILY)
    call = CallFactory(programme=programme, title="Clean water", published_at=hours_ago(3), deadlines=[in_days(30)])
    tasks.send_digests.call("daily")
    new = in_days(44)

    move_deadlines(call, new)
    result = tasks.send_digests.call("daily")

    assert result["queued"] == 1 and result["changed_items"] == 1
    first, second = delivered()
    assert "Deadlines changed" not in first.body
    assert second.subject == f"Deadlines changed in 1 call for proposals: {subscription.name}"
    assert second.body.startswith(
        "Since your last digest, the deadlines of 1 call for proposals that matches your alert "
        f"“{subscription.name}” have changed."
    )
    _before, _heading, changed = second.body.partition("\nDeadlines changed:\n")
    assert "Clean water" in changed and shown(new) in changed
    notice = Delivery.objects.get(item_id=call.pk, occasion="deadlines-1")
    assert (notice.subscription, notice.kind, notice.mail.status) == (subscription, Delivery.Kind.DIGEST, "sent")


def test_a_changed_deadline_is_told_once_however_often_the_digest_runs(programme, move_deadlines):
    subscriber(frequency=DAILY)
    call = CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)])
    tasks.send_digests.call("daily")
    move_deadlines(call, in_days(44))

    tasks.send_digests.call("daily")
    tasks.send_digests.call("daily")
    Subscription.objects.update(last_digest_at=None)  # even if the stamp was lost
    tasks.send_digests.call("daily")

    assert len(delivered()) == 2


def test_a_digest_with_new_calls_and_changed_deadlines_tells_each_in_its_section(programme, move_deadlines):
    subscription = subscriber(frequency=DAILY)
    moved = CallFactory(programme=programme, title="Moved deadline", published_at=hours_ago(3), deadlines=[in_days(30)])
    tasks.send_digests.call("daily")
    move_deadlines(moved, in_days(44))
    CallFactory(programme=programme, title="Brand new", deadlines=[in_days(20)])

    tasks.send_digests.call("daily")

    message = delivered()[-1]
    assert message.subject == f"1 new call for proposals and changed deadlines: {subscription.name}"
    new_section, changed_section = message.body.split("\nDeadlines changed:\n")
    assert new_section.startswith(
        f"Since your last digest, 1 new call for proposals matches your alert “{subscription.name}”. "
        "The deadlines of 1 call for proposals you had from this alert before have changed."
    )
    assert "Brand new" in new_section and "Moved deadline" not in new_section
    assert "Moved deadline" in changed_section and "Brand new" not in changed_section


def test_a_subscription_that_never_had_the_call_is_not_told_its_deadlines_changed(programme, move_deadlines):
    stranger = subscriber(frequency=DAILY)
    Subscription.objects.filter(pk=stranger.pk).update(last_digest_at=hours_ago(20))
    call = CallFactory(programme=programme, published_at=timezone.now() - timedelta(days=3), deadlines=[in_days(30)])

    move_deadlines(call, in_days(44))
    tasks.send_digests.call("daily")

    assert delivered() == []
    assert not Delivery.objects.filter(subscription=stranger).exists()


def test_a_call_new_to_the_subscription_comes_as_new_not_as_changed(programme, move_deadlines):
    had_it = subscriber(frequency=DAILY)
    call = CallFactory(programme=programme, title="Clean water", published_at=hours_ago(3), deadlines=[in_days(30)])
    tasks.send_digests.call("daily")
    newcomer = subscriber(frequency=DAILY)
    new = in_days(44)

    move_deadlines(call, new)
    tasks.send_digests.call("daily")

    (told_new,) = mail_to(newcomer)
    assert told_new.subject == f"1 new call for proposals: {newcomer.name}"
    assert "Clean water" in told_new.body and shown(new) in told_new.body
    assert "Deadlines changed" not in told_new.body
    assert mail_to(had_it)[-1].subject.startswith("Deadlines changed in 1 call")


def test_a_change_made_before_the_subscription_had_the_call_is_not_told_as_a_change(programme, move_deadlines):
    first, second = subscriber(frequency=DAILY), subscriber(frequency=DAILY)
    call = CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)])
    move_deadlines(call, in_days(44))

    tasks.send_digests.call("daily")
    Subscription.objects.update(last_digest_at=None)  # even if the stamps were lost
    result = tasks.send_digests.call("daily")  # the task runs again

    messages = delivered()
    assert sorted(m.to[0] for m in messages) == sorted([first.user.email, second.user.email])
    assert all(m.subject.startswith("1 new call for proposals") for m in messages)
    assert result["queued"] == 0


def test_two_changes_between_digests_are_told_once_with_the_latest_deadlines(programme, move_deadlines):
    subscription = subscriber(frequency=DAILY)
    call = CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)])
    tasks.send_digests.call("daily")
    first_move, second_move = in_days(44), in_days(51)

    move_deadlines(call, first_move)
    move_deadlines(call, second_move)
    tasks.send_digests.call("daily")

    _new, changed = delivered()
    assert shown(second_move) in changed.body and shown(first_move) not in changed.body
    assert set(Delivery.objects.filter(subscription=subscription).values_list("occasion", flat=True)) == {
        tasks.digest_occasion(timezone.now()), "deadlines-2",
    }


def test_instant_subscribers_hear_of_a_change_at_once_and_digest_subscribers_in_their_digest(
    programme, move_deadlines
):
    instant = subscriber()
    daily = subscriber(frequency=DAILY)
    call = CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)])
    alerts.call_published(call)
    tasks.send_digests.call("daily")

    move_deadlines(call, in_days(44))

    assert mail_to(instant)[-1].subject == f"Deadlines changed: {call.title}"
    assert len(mail_to(daily)) == 1
    tasks.send_digests.call("daily")
    assert len(mail_to(instant)) == 2
    assert len(mail_to(daily)) == 2 and mail_to(daily)[-1].subject.startswith("Deadlines changed in 1 call")
    assert set(sent_deliveries(call, "deadlines-1").values_list("subscription_id", "kind")) == {
        (instant.pk, Delivery.Kind.INSTANT), (daily.pk, Delivery.Kind.DIGEST),
    }


def test_telling_changed_deadlines_takes_no_query_per_subscription(move_deadlines):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = ProgrammeFactory(), ProgrammeFactory()
    for programme, count in ((few, 2), (many, 8)):
        for _ in range(count):
            subscriber(frequency=DAILY, funder=programme.funder)
    calls = [CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)]) for programme in (few, many)]
    tasks.send_digests.call("daily")

    queries = []
    for call in calls:  # the same calls and subscriptions in each run; only who has news differs
        move_deadlines(call, in_days(44))
        with CaptureQueriesContext(connection) as captured:
            result = tasks.send_digests.call("daily")
        queries.append((result["queued"], len(captured)))

    (two, queries_for_two), (eight, queries_for_eight) = queries
    assert (two, eight) == (2, 8)
    assert queries_for_eight == queries_for_two


def test_a_changed_deadlines_digest_is_written_in_the_subscribers_language(programme, move_deadlines):
    in_polish = subscriber(frequency=DAILY, language="pl")
    in_turkish = subscriber(frequency=DAILY, language="tr")
    calls = [CallFactory(programme=programme, published_at=hours_ago(3), deadlines=[in_days(30)]) for _ in range(2)]
    tasks.send_digests.call("daily")

    for call in calls:
        move_deadlines(call, in_days(44))
    tasks.send_digests.call("daily")

    polish, turkish = mail_to(in_polish)[-1], mail_to(in_turkish)[-1]
    assert polish.subject == f"Zmiana terminów w 2 naborach: {in_polish.name}"
    assert polish.body.startswith("Od ostatniego zestawienia zmieniły się terminy 2 naborów pasujących")
    assert "\nZmienione terminy:\n" in polish.body
    assert turkish.subject == f"2 hibe çağrısının son başvuru tarihleri değişti: {in_turkish.name}"
    assert "\nSon başvuru tarihleri değişen hibe çağrıları:\n" in turkish.body


# --- deadline reminders ---------------------------------------------------------------------------------


def test_a_reminder_goes_seven_days_before_a_deadline_to_those_who_asked(programme):
    wants = subscriber(remind_deadlines=True)
    subscriber(remind_deadlines=False)
    weekly = subscriber(frequency=WEEKLY, remind_deadlines=True)
    deadline = in_days(7) + timedelta(minutes=20)
    call = CallFactory(programme=programme, deadlines=[deadline])

    result = tasks.send_deadline_reminders.call()

    assert result["queued"] == 2
    assert sorted(m.to[0] for m in delivered()) == sorted([wants.user.email, weekly.user.email])
    assert delivered()[0].subject == f"Deadline in 7 days: {call.title}"
    assert sent_deliveries(call, tasks.reminder_occasion(deadline)).count() == 2


def test_a_reminder_is_sent_once_even_if_windows_overlap(programme):
    subscriber()
    CallFactory(programme=programme, deadlines=[in_days(7)])

    tasks.send_deadline_reminders.call(window_hours=2)
    tasks.send_deadline_reminders.call(window_hours=2)

    assert len(delivered()) == 1


def test_no_reminder_for_deadlines_not_seven_days_away_or_unpublished_calls(programme):
    subscriber()
    CallFactory(programme=programme, deadlines=[in_days(3)])
    CallFactory(programme=programme, deadlines=[in_days(7.5)])
    CallFactory(programme=programme, deadlines=[in_days(7)], published_at=None)

    tasks.send_deadline_reminders.call()

    assert delivered() == []


def test_each_stage_of_a_two_stage_call_has_its_own_reminder(programme):
    subscriber()
    first, second = in_days(7), in_days(7) + timedelta(minutes=30)
    call = CallFactory(programme=programme, deadlines=[first, second])

    tasks.send_deadline_reminders.call()

    assert len(delivered()) == 2
    assert set(Delivery.objects.filter(item_id=call.pk).values_list("occasion", flat=True)) == {
        tasks.reminder_occasion(first), tasks.reminder_occasion(second),
    }


def test_a_reminder_occasion_names_the_deadline_in_utc_to_the_minute():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    noon_in_warsaw = datetime(2026, 11, 30, 13, 0, 59, tzinfo=ZoneInfo("Europe/Warsaw"))

    occasion = tasks.reminder_occasion(noon_in_warsaw)

    assert occasion == "reminder-202611301200"
    assert len(occasion) <= Delivery._meta.get_field("occasion").max_length


def reminders_to(subscription):
    return [message for message in mail_to(subscription) if message.subject.startswith("Deadline in 7 days")]


def test_a_deadline_moved_after_its_reminder_is_reminded_again_seven_days_before_its_new_date(
    programme, move_deadlines
):
    wants = subscriber()
    refuses = subscriber(remind_deadlines=False)
    old, new = in_days(7) - timedelta(minutes=40), in_days(7) + timedelta(minutes=40)
    call = CallFactory(programme=programme, deadlines=[old])
    tasks.send_deadline_reminders.call()

    move_deadlines(call, new)
    tasks.send_deadline_reminders.call()
    tasks.send_deadline_reminders.call()  # a run whose window overlaps sends nothing more

    first, second = reminders_to(wants)
    assert shown(old) in first.body and shown(new) in second.body
    assert reminders_to(refuses) == []
    assert set(Delivery.objects.filter(kind=Delivery.Kind.REMINDER).values_list("subscription_id", "occasion")) == {
        (wants.pk, tasks.reminder_occasion(old)), (wants.pk, tasks.reminder_occasion(new)),
    }


def test_a_deadline_extended_after_its_reminder_is_not_reminded_before_its_new_date_is_near(
    programme, move_deadlines
):
    wants = subscriber()
    deadline = in_days(7)
    call = CallFactory(programme=programme, deadlines=[deadline])
    tasks.send_deadline_reminders.call()

    move_deadlines(call, deadline + timedelta(days=14))
    tasks.send_deadline_reminders.call(window_hours=2)

    assert len(reminders_to(wants)) == 1


# --- commands -------------------------------------------------------------------------------------------------


def test_the_digest_command_runs_the_digest(programme):
    from django.core.management import call_command

    subscriber(frequency=DAILY)
    CallFactory(programme=programme, published_at=timezone.now() - timedelta(hours=1))

    call_command("send_digests", "--frequency", "daily")
    call_command("send_deadline_reminders")

    assert len(delivered()) == 1


def test_the_scheduler_knows_when_each_job_is_due(settings):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from civicbridge.alerts.management.commands.scheduler import due_jobs

    settings.TIME_ZONE = "Europe/Warsaw"
    warsaw = ZoneInfo("Europe/Warsaw")
    schedule = {"daily_at": time(7), "weekly_day": 0, "weekly_at": time(7)}
    monday_7 = datetime(2026, 11, 23, 7, 0, tzinfo=warsaw)

    assert due_jobs(monday_7 - timedelta(seconds=30), monday_7, **schedule) == [
        ("send_digests", ["daily"]), ("send_digests", ["weekly"]), ("send_deadline_reminders", [1]),
    ]
    tuesday_7 = monday_7 + timedelta(days=1)
    assert due_jobs(tuesday_7 - timedelta(seconds=30), tuesday_7, **schedule) == [
        ("send_digests", ["daily"]), ("send_deadline_reminders", [1]),
    ]
    assert due_jobs(tuesday_7 + timedelta(minutes=5), tuesday_7 + timedelta(minutes=6), **schedule) == []
    assert due_jobs(tuesday_7 + timedelta(minutes=50), tuesday_7 + timedelta(minutes=61), **schedule) == [
        ("send_deadline_reminders", [1]),
    ]


def test_a_digest_shared_among_parts_reaches_each_subscriber_once(programme):
    subscriptions = [subscriber(frequency=DAILY) for _ in range(7)]
    CallFactory(programme=programme, published_at=timezone.now() - timedelta(hours=1))

    results = [tasks.send_digests.call("daily", part, 3) for part in range(3)]
    tasks.send_digests.call("daily", 1, 3)

    assert sum(result["queued"] for result in results) == 7
    assert sorted(m.to[0] for m in delivered()) == sorted(s.user.email for s in subscriptions)
    assert not Subscription.objects.filter(last_digest_at__isnull=True).exists()


def test_a_digest_part_stamps_only_its_own_share(programme):
    subscriptions = [subscriber("sport", frequency=DAILY) for _ in range(4)]

    tasks.send_digests.call("daily", 0, 2)

    stamped = set(Subscription.objects.filter(last_digest_at__isnull=False).values_list("pk", flat=True))
    # Shares go by person: all of one person's alerts are in the same share.
    assert stamped == {s.pk for s in subscriptions if s.user_id % 2 == 0}
    assert 0 < len(stamped) < 4


def test_the_digest_command_enqueues_one_task_per_part(settings):
    from django.core.management import call_command
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    call_command("send_digests", "--frequency", "weekly", "--parts", "3", "--enqueue")

    assert [result.args for result in default_task_backend.results] == [
        ["weekly", 0, 3], ["weekly", 1, 3], ["weekly", 2, 3],
    ]


# --- one message per person per event -------------------------------------------------------------


def test_a_person_whose_several_alerts_match_gets_one_notice_naming_them_all(programme):
    person = UserFactory()
    water = SubscriptionFactory(user=person, name="Water", keywords="water")
    towns = SubscriptionFactory(user=person, name="Towns", keywords="towns")
    SubscriptionFactory(user=person, name="Sport", keywords="sport")  # does not match
    call = CallFactory(programme=programme, title="Clean water for towns")

    result = tasks.notify_subscribers.call("calls", call.pk, "published")

    assert (result["matched"], result["people"], result["queued"]) == (2, 1, 1)
    (message,) = delivered()
    assert message.body.startswith("A new call for proposals matches several of your alerts: “Water”, “Towns”.")
    assert "Sport" not in message.body
    links = re.findall(r"“(\w+)”: (https://alerts\.example\.org/en/alerts/unsubscribe/\S+/)", message.body)
    assert [name for name, _link in links] == ["Water", "Towns"]
    assert message.extra_headers["List-Unsubscribe"] == f"<{links[0][1]}>"
    (delivery,) = Delivery.objects.filter(item_id=call.pk)
    assert (delivery.recipient, delivery.subscription) == (person, water)
    assert towns.pk != water.pk


def test_the_notice_naming_several_alerts_is_written_in_the_persons_language(programme):
    person = UserFactory(preferred_language="pl")
    SubscriptionFactory(user=person, name="Woda", keywords="woda")
    SubscriptionFactory(user=person, name="Gminy")
    alerts.call_published(CallFactory(programme=programme, title="Czysta woda dla gmin"))

    (message,) = delivered()

    assert message.body.startswith("Nowy nabór wniosków pasuje do kilku Twoich powiadomień: „Woda”, „Gminy”.")
    assert "Wyłącz jedno z tych powiadomień (bez logowania):" in message.body


def test_a_person_gets_one_reminder_per_deadline_however_many_alerts_match(programme):
    person = UserFactory()
    SubscriptionFactory(user=person, name="All calls")
    SubscriptionFactory(user=person, name="Weekly news", frequency=WEEKLY)
    call = CallFactory(programme=programme, deadlines=[timezone.now() + tasks.REMINDER_LEAD])

    tasks.send_deadline_reminders.call()
    tasks.send_deadline_reminders.call()

    (message,) = delivered()
    assert message.body.startswith("A deadline of a call for proposals that matches several of your alerts is in 7 days")
    assert "“All calls”, “Weekly news”" in message.body
    assert Delivery.objects.filter(item_id=call.pk, kind=Delivery.Kind.REMINDER).count() == 1


def test_a_call_appears_once_in_a_persons_single_digest_when_several_of_their_alerts_match(programme):
    person = UserFactory()
    SubscriptionFactory(user=person, name="Water", keywords="water", frequency=DAILY)
    SubscriptionFactory(user=person, name="Everything", frequency=DAILY)
    water = CallFactory(programme=programme, title="Clean water", published_at=hours_ago(2))
    CallFactory(programme=programme, title="Sport clubs", published_at=hours_ago(1))

    result = tasks.send_digests.call("daily")

    assert (result["people"], result["queued"]) == (1, 1)
    (message,) = delivered()
    assert message.body.count("Clean water") == 1 and message.body.count("Sport clubs") == 1
    assert message.body.startswith("Since your last digest, 2 new calls for proposals match your alerts “Water”, “Everything”.")
    assert message.subject == "2 new calls for proposals: “Water”, “Everything”"
    assert Delivery.objects.filter(item_id=water.pk).count() == 1
    assert set(Subscription.objects.values_list("last_digest_at", flat=True)) != {None}


def test_a_person_told_at_once_does_not_find_the_call_again_in_the_digest_of_another_alert(programme):
    person = UserFactory()
    SubscriptionFactory(user=person, name="At once")
    SubscriptionFactory(user=person, name="Daily", frequency=DAILY)
    call = CallFactory(programme=programme, published_at=hours_ago(1))
    alerts.call_published(call)

    tasks.send_digests.call("daily")

    (message,) = delivered()
    assert message.subject.startswith("New call for proposals")
    assert Delivery.objects.filter(item_id=call.pk).count() == 1


def test_the_database_refuses_a_second_record_of_one_event_for_one_person(programme):
    subscription = subscriber()
    call = CallFactory(programme=programme)
    Delivery.objects.create(recipient=subscription.user, subscription=subscription, alertable="calls", item_id=call.pk,
                            kind=Delivery.Kind.INSTANT, occasion=tasks.PUBLISHED)
    other = SubscriptionFactory(user=subscription.user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(recipient=subscription.user, subscription=other, alertable="calls", item_id=call.pk,
                                kind=Delivery.Kind.DIGEST, occasion=tasks.PUBLISHED)


def test_deleting_an_alert_keeps_the_record_so_another_alert_does_not_tell_it_again(programme):
    person = UserFactory()
    first = SubscriptionFactory(user=person)
    SubscriptionFactory(user=person)
    call = CallFactory(programme=programme)
    alerts.call_published(call)
    first.delete()

    tasks.notify_subscribers.call("calls", call.pk, "published")

    assert len(delivered()) == 1
    assert Delivery.objects.get(item_id=call.pk).subscription is None


def test_every_queued_alert_e_mail_carries_the_key_of_its_delivery(programme):
    subscription = subscriber()
    call = CallFactory(programme=programme)
    alerts.call_published(call)

    delivery = Delivery.objects.get(item_id=call.pk)

    assert delivery.mail_id == f"alert:calls:{subscription.user_id}:{call.pk}:published"
    assert delivery.mail.to == subscription.user.email and delivery.mail.status == OutgoingMail.Status.QUEUED


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="two fan-outs race on PostgreSQL only (the SQLite test database is in memory)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_fan_outs_of_the_same_call_at_the_same_time_tell_each_person_once():
    people = [UserFactory() for _ in range(60)]
    for person in people:
        SubscriptionFactory(user=person)
        SubscriptionFactory(user=person)
    call = CallFactory(programme=ProgrammeFactory())
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(tasks.notify_subscribers.call("calls", call.pk, tasks.PUBLISHED))
        except Exception as error:  # reported below: a thread cannot raise into the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(result["queued"] for result in results) == 60
    assert sorted(m.to[0] for m in delivered()) == sorted(person.email for person in people)
    assert Delivery.objects.filter(item_id=call.pk).count() == 60


def test_a_notice_queued_for_content_no_longer_registered_is_skipped_not_an_error():
    SubscriptionFactory(alertable="surveys")

    assert tasks.notify_subscribers.call("surveys", 1, "published") == {"skipped": "unknown content"}
    assert not Delivery.objects.exists()


# --- applicants' country ---------------------------------------------------------------------------


def test_an_alert_limited_to_germany_is_told_at_once_of_calls_open_to_german_applicants_only(programme):
    germany = subscriber(country="DE")
    open_to_germans = CallFactory(programme=programme, title="Twinning", eligible_countries="DE,PL")
    from_anywhere = CallFactory(programme=programme, title="Open to all")
    polish_only = CallFactory(programme=programme, title="Polish NGOs", eligible_countries="PL")

    for call in (open_to_germans, from_anywhere, polish_only):
        alerts.call_published(call)

    assert sorted(m.subject for m in mail_to(germany)) == [
        "New call for proposals: Open to all", "New call for proposals: Twinning"]
    assert not sent_deliveries(polish_only).exists()


def test_a_digest_limited_to_germany_lists_calls_open_to_german_applicants_and_not_polish_only_ones(programme):
    germany = subscriber(country="DE", frequency=DAILY)
    CallFactory(programme=programme, title="Twinning", eligible_countries="DE,PL", published_at=hours_ago(2))
    CallFactory(programme=programme, title="Polish NGOs", eligible_countries="PL", published_at=hours_ago(2))

    tasks.send_digests.call("daily")

    (message,) = mail_to(germany)
    assert "Twinning" in message.body and "Polish NGOs" not in message.body


def test_a_deadline_reminder_limited_to_germany_skips_calls_open_to_polish_applicants_only(programme):
    germany = subscriber(country="DE", remind_deadlines=True)
    CallFactory(programme=programme, title="Twinning", eligible_countries="DE", deadlines=[in_days(7)])
    CallFactory(programme=programme, title="Polish NGOs", eligible_countries="PL", deadlines=[in_days(7)])

    tasks.send_deadline_reminders.call()

    assert [m.subject for m in mail_to(germany)] == ["Deadline in 7 days: Twinning"]
