"""Alert e-mails over a real SMTP conversation on loopback (aiosmtpd), not the in-memory outbox."""

import email
import email.policy
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from civicbridge.alerts import tasks
from civicbridge.alerts.models import Delivery, Subscription
from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due, message_id
from civicbridge.funding import alerts
from tests.accounts.factories import UserFactory
from tests.alerts.factories import CallFactory, SubscriptionFactory, in_days

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def test_an_instant_notice_arrives_over_smtp_with_its_unsubscribe_link(
        inbox, client, django_capture_on_commit_callbacks):
    subscription = SubscriptionFactory(user=UserFactory(email="anna@example.org", preferred_language="pl"))
    call = CallFactory(title="Aktywni obywatele – fundusz regionalny")

    # The task queues the e-mail; after its commit the delivery task sends it.
    with django_capture_on_commit_callbacks(execute=True):
        alerts.call_published(call)

    assert [e.rcpt_tos for e in inbox.envelopes] == [["anna@example.org"]]
    (message,) = inbox.messages()
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https://alerts\.example\.org/pl/alerts/unsubscribe/\S+/", body).group(0)
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert "Aktywni obywatele" in message["Subject"]
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.mail.status == "sent"
    assert message["Message-ID"] == message_id(delivery.mail_id)

    client.post(link.removeprefix("https://alerts.example.org"))
    subscription.refresh_from_db()
    assert subscription.is_active is False


def test_a_digest_run_sends_every_digest_over_one_smtp_server(inbox):
    for n in range(5):
        SubscriptionFactory(user=UserFactory(email=f"reader{n}@example.org"), frequency=Subscription.Frequency.DAILY)
    CallFactory(title="First", published_at=timezone.now() - timedelta(hours=3))
    CallFactory(title="Second", published_at=timezone.now() - timedelta(hours=2))

    result = tasks.send_digests.call("daily")
    deliver_due()

    assert result["queued"] == 5
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == [f"reader{n}@example.org" for n in range(5)]
    assert all("First" in m.get_content() and "Second" in m.get_content() for m in inbox.messages())


def test_an_address_the_server_refuses_is_logged_and_not_retried(settings):
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("bounce"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox = Refusing()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10}}}
    try:
        SubscriptionFactory(user=UserFactory(email="bounce@example.org"))
        SubscriptionFactory(user=UserFactory(email="reader@example.org"))
        call = CallFactory()

        tasks.notify_subscribers.call("calls", call.pk, "published")
        deliver_due()
        OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(days=1))
        tasks.notify_subscribers.call("calls", call.pk, "published")
        deliver_due()
    finally:
        controller.stop()

    assert [e.rcpt_tos for e in inbox.envelopes] == [["reader@example.org"]]
    refused = Delivery.objects.select_related("mail").get(recipient__email="bounce@example.org")
    assert refused.mail.status == "failed" and refused.mail.attempts == 1
    assert refused.mail.last_error == "address refused: bounce@example.org: 550 no such user"


def test_publishing_a_call_sends_nothing_in_the_request_and_the_worker_then_tells_each_person_once(
        inbox, client, coordinator, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    person = UserFactory(email="twice-matched@example.org")
    SubscriptionFactory(user=person, name="All calls")
    SubscriptionFactory(user=person, name="Same again")
    SubscriptionFactory(user=UserFactory(email="other@example.org"))
    call = CallFactory(published_at=None, deadlines=[in_days(30)])
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/calls/{call.identifier}/publish/")

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.published_at is not None
    assert inbox.envelopes == []  # the request only enqueued the fan-out
    assert not OutgoingMail.objects.exists()
    (job,) = DBTaskResult.objects.all()

    # What the worker does: run the fan-out, whose commit enqueues the delivery, then the delivery.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_subscribers.call(*job.args_kwargs["args"])
    assert inbox.envelopes == []
    assert DBTaskResult.objects.filter(task_path="civicbridge.core.notifications.deliver_mail").count() == 1
    deliver_due()

    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == ["other@example.org", "twice-matched@example.org"]
    (theirs,) = [m for m in inbox.messages() if m["To"] == "twice-matched@example.org"]
    assert "“All calls”, “Same again”" in theirs.get_body(preferencelist=("plain",)).get_content()
