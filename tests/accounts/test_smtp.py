"""E-mail through a real SMTP conversation on loopback (aiosmtpd), not the in-memory outbox."""

import email
import email.policy
import re
import socket
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Inbox:
    """aiosmtpd handler that keeps every message it is given."""

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
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(smtp_server):
    controller, _inbox = smtp_server
    if hasattr(settings, "MAILERS"):  # Django 6.1's MAILERS: the settings module uses them
        overrides = {
            "MAILERS": {
                "default": {
                    "BACKEND": SMTP_BACKEND,
                    "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 10},
                }
            }
        }
    else:
        overrides = {
            "EMAIL_BACKEND": SMTP_BACKEND, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": controller.port,
            "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 10,
        }
    with override_settings(**overrides):
        yield


def sign_up(client, capture):
    with capture(execute=True):
        response = client.post(
            "/en/accounts/sign-up/",
            {"username": "smtp-newcomer", "email": "smtp-newcomer@example.org", "preferred_language": "pl",
             "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on"},
        )
    assert response.status_code == 200
    deliver_due()  # the worker's part: the request only queued the mail
    return response


def confirmation_link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+/accounts/confirm/\S+/", body)
    assert match, body
    return match.group(0)


def test_sign_up_delivers_one_message_over_smtp_to_the_new_address(
    client, smtp_server, smtp_settings, django_capture_on_commit_callbacks
):
    _controller, inbox = smtp_server

    sign_up(client, django_capture_on_commit_callbacks)

    assert len(inbox.envelopes) == 1
    assert inbox.envelopes[0].rcpt_tos == ["smtp-newcomer@example.org"]
    assert inbox.messages()[0]["To"] == "smtp-newcomer@example.org"


def test_delivered_message_holds_the_confirmation_link_in_the_chosen_language(
    client, smtp_server, smtp_settings, django_capture_on_commit_callbacks
):
    _controller, inbox = smtp_server

    sign_up(client, django_capture_on_commit_callbacks)

    link = confirmation_link(inbox.messages()[0])
    assert urlsplit(link).path.startswith("/pl/accounts/confirm/")


def test_link_delivered_over_smtp_activates_the_account(
    client, smtp_server, smtp_settings, django_capture_on_commit_callbacks
):
    _controller, inbox = smtp_server
    sign_up(client, django_capture_on_commit_callbacks)
    assert User.objects.get(username="smtp-newcomer").is_active is False

    response = client.get(urlsplit(confirmation_link(inbox.messages()[0])).path)

    assert response.status_code == 302
    assert User.objects.get(username="smtp-newcomer").is_active is True


def test_nothing_reaches_the_smtp_server_when_sign_up_is_refused(
    client, smtp_server, smtp_settings, django_capture_on_commit_callbacks
):
    _controller, inbox = smtp_server

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/accounts/sign-up/",
            {"username": "smtp-newcomer", "email": "not-an-address", "preferred_language": "en",
             "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on"},
        )

    assert inbox.envelopes == []


def test_sign_up_succeeds_and_keeps_the_mail_for_later_when_the_smtp_server_is_unreachable(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": SMTP_BACKEND, "OPTIONS": {
        "host": "127.0.0.1", "port": free_port(), "use_tls": False, "timeout": 2}}}

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "accounts/sign_up_done.html" in [t.name for t in response.templates]
    assert User.objects.get(username="smtp-newcomer").is_active is False
    waiting = OutgoingMail.objects.get(to="smtp-newcomer@example.org")
    assert waiting.status != OutgoingMail.Status.SENT
    assert waiting.status != OutgoingMail.Status.FAILED
