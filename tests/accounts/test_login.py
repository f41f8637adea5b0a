"""Log-in, log-out, a wait after repeated failures (accounts/guard.py), password reset by e-mail."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail

from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"
LOGOUT_URL = "/en/accounts/logout/"
PROFILE_URL = "/en/accounts/profile/"
RESET_URL = "/en/accounts/password-reset/"
NEW_PASSWORD = "another-long-test-password-77"


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_right_password_logs_the_user_in(client, user):
    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    assert logged_in_user_id(client) == str(user.pk)


def test_wrong_password_is_refused_with_a_form_error(client, user):
    response = log_in(client, user.username, "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_user_id(client) is None


def test_unknown_username_is_refused(client, db):
    response = log_in(client, "nobody-here", PASSWORD)

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_logout_by_post_ends_the_session(client, user):
    log_in(client, user.username, PASSWORD)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get(PROFILE_URL).status_code == 302


def test_logout_by_get_is_not_allowed_and_keeps_the_session(client, user):
    log_in(client, user.username, PASSWORD)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(user.pk)


def test_profile_requires_log_in(client, db):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_failures_below_the_limit_do_not_lock_the_account(client, user):
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"] - 1):
        log_in(client, user.username, "wrong-password")

    log_in(client, user.username, PASSWORD)

    assert logged_in_user_id(client) == str(user.pk)


def test_right_password_is_refused_after_the_failure_limit(client, user):
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"]):
        log_in(client, user.username, "wrong-password")

    response = log_in(client, user.username, PASSWORD)

    assert logged_in_user_id(client) is None
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.context["form"].non_field_errors()[0]


def test_lock_out_of_one_account_does_not_lock_another_from_another_address(client, user):
    other = UserFactory()
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"]):
        log_in(client, user.username, "wrong-password")

    client.post(
        LOGIN_URL, {"username": other.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.44"
    )

    assert logged_in_user_id(client) == str(other.pk)


def request_reset_link(client, email) -> str:
    response = client.post(RESET_URL, {"email": email})
    assert response.status_code == 302
    deliver_due()  # the worker's part: the page only queued the mail
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return urlsplit(match.group(0)).path


def test_password_reset_sends_one_email_to_the_account_address(client, user):
    request_reset_link(client, user.email)

    assert mail.outbox[0].to == [user.email]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(RESET_URL, {"email": "nobody@example.org"})
    deliver_due()

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password_that_logs_in(client, user):
    link = request_reset_link(client, user.email)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    log_in(client, user.username, NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)


def test_old_password_no_longer_logs_in_after_reset(client, user):
    link = request_reset_link(client, user.email)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    log_in(client, user.username, PASSWORD)

    assert logged_in_user_id(client) is None


def test_password_reset_link_works_only_once(client, user):
    link = request_reset_link(client, user.email)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(LOGOUT_URL)

    second = client.get(link, follow=True)

    assert second.context["validlink"] is False


def test_tampered_password_reset_link_is_not_valid(client, user):
    link = request_reset_link(client, user.email)
    tampered = link.rstrip("/")[:-3] + "zzz/"

    response = client.get(tampered, follow=True)

    assert response.context["validlink"] is False
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_mail_does_not_carry_the_user_name(client):
    person = UserFactory(username="www-evil-phish-example")

    request_reset_link(client, person.email)

    assert "www-evil-phish-example" not in mail.outbox[0].body


def test_password_reset_page_only_queues_the_mail(client, user, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1}}}

    response = client.post(RESET_URL, {"email": user.email})

    assert response.status_code == 302
    assert OutgoingMail.objects.get().to == user.email


def test_one_mailbox_gets_a_limited_number_of_reset_links(client, user, settings):
    settings.CIVICBRIDGE_CONFIRMATION_MAILS_RATE = "2/hour"
    for n in range(4):
        assert client.post(RESET_URL, {"email": user.email}, REMOTE_ADDR=f"198.51.100.{n + 1}").status_code == 302
    deliver_due()

    assert len(mail.outbox) == 2


def test_the_email_address_logs_in_like_the_user_name(client, user):
    response = log_in(client, user.email.upper(), PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_failures_with_the_email_address_count_for_the_account(client, user):
    for _ in range(settings.CIVICBRIDGE_LOGIN_FREE_FAILURES["pair"]):
        log_in(client, user.email, "wrong-password")

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
