"""Sign-up: an inactive account, one confirmation e-mail in the person's language, the link activates it."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import override_settings

from civicbridge.accounts.services import SIGNUP_SALT
from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGN_UP_URL = "/en/accounts/sign-up/"
LINK = re.compile(r"https?://\S+/accounts/confirm/\S+/")


def sign_up_data(**overrides):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "preferred_language": "en",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        response = client.post(SIGN_UP_URL, sign_up_data(**overrides))
    deliver_due()  # the worker's part: the request only queued the mail
    return response


def confirmation_path(message) -> str:
    match = LINK.search(message.body)
    assert match, f"no confirmation link in:\n{message.body}"
    return urlsplit(match.group(0)).path


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_up_creates_an_inactive_user(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    user = User.objects.get(username="newcomer")
    assert user.is_active is False
    assert user.email == "newcomer@example.org"
    assert user.check_password(PASSWORD)


def test_sign_up_sends_one_confirmation_email_to_the_new_address(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert LINK.search(mail.outbox[0].body)


def test_sign_up_sends_no_email_before_the_transaction_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(SIGN_UP_URL, sign_up_data())

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_sign_up_stores_the_email_in_lower_case(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, email="NewComer@Example.ORG")

    assert User.objects.get(username="newcomer").email == "newcomer@example.org"


def test_confirmation_link_is_in_the_chosen_language(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, preferred_language="pl")

    assert confirmation_path(mail.outbox[0]).startswith("/pl/accounts/confirm/")
    assert User.objects.get(username="newcomer").preferred_language == "pl"


def english_sign_up_subject(client, capture) -> str:
    sign_up(client, capture, username="english", email="english@example.org", preferred_language="en")
    return mail.outbox.pop().subject


@pytest.mark.parametrize("language", ["pl", "tr"])
def test_confirmation_email_is_written_in_the_chosen_language(client, django_capture_on_commit_callbacks, language):
    english_subject = english_sign_up_subject(client, django_capture_on_commit_callbacks)

    sign_up(client, django_capture_on_commit_callbacks, preferred_language=language)

    message = mail.outbox[0]
    assert message.subject != english_subject
    assert "Open this link to confirm" not in message.body
    assert confirmation_path(message).startswith(f"/{language}/accounts/confirm/")


def test_confirmation_email_language_does_not_follow_the_page_language(client, django_capture_on_commit_callbacks):
    english_subject = english_sign_up_subject(client, django_capture_on_commit_callbacks)

    # Signing up on the Polish page but asking for English e-mails gives English e-mails.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pl/accounts/sign-up/", sign_up_data(preferred_language="en"))
    deliver_due()

    assert mail.outbox[0].subject == english_subject
    assert confirmation_path(mail.outbox[0]).startswith("/en/")


def test_confirmation_link_of_an_english_sign_up_is_english(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, preferred_language="en")

    assert confirmation_path(mail.outbox[0]).startswith("/en/accounts/confirm/")


def test_confirmation_link_activates_the_account(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])

    response = client.get(path)

    assert response.status_code == 302
    assert User.objects.get(username="newcomer").is_active is True


def test_confirmed_user_can_log_in(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    client.get(confirmation_path(mail.outbox[0]))

    client.post("/en/accounts/login/", {"username": "newcomer", "password": PASSWORD})

    assert is_logged_in(client)


def test_tampered_token_is_refused_and_leaves_the_user_inactive(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.get(path.replace(token, tampered))

    assert response.status_code == 400
    assert User.objects.get(username="newcomer").is_active is False


def test_token_signed_for_another_user_id_is_refused(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    victim = UserFactory(is_active=False)
    # A signature made with another salt (e.g. another feature's token) must not activate anybody.
    forged = signing.dumps({"user": victim.pk}, salt=SIGNUP_SALT + ".other")

    response = client.get(f"/en/accounts/confirm/{forged}/")

    assert response.status_code == 400
    victim.refresh_from_db()
    assert victim.is_active is False


def test_token_of_a_deleted_user_gives_400(client):
    token = signing.dumps({"user": 987654321}, salt=SIGNUP_SALT)

    response = client.get(f"/en/accounts/confirm/{token}/")

    assert response.status_code == 400


def test_expired_token_is_refused_and_leaves_the_user_inactive(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])

    with override_settings(CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE=-1):
        response = client.get(path)

    assert response.status_code == 400
    assert User.objects.get(username="newcomer").is_active is False


def test_duplicate_email_is_refused_whatever_its_case(client, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")

    response = sign_up(client, django_capture_on_commit_callbacks, username="second", email="Taken@EXAMPLE.org")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="second").exists()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert mail.outbox == []


def test_duplicate_username_is_refused(client, django_capture_on_commit_callbacks):
    UserFactory(username="newcomer", email="first@example.org")

    response = sign_up(client, django_capture_on_commit_callbacks, email="second@example.org")

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="newcomer").count() == 1
    assert not User.objects.filter(email="second@example.org").exists()
    assert mail.outbox == []


def test_duplicate_username_in_another_case_is_refused(client, django_capture_on_commit_callbacks):
    UserFactory(username="newcomer", email="first@example.org")

    response = sign_up(client, django_capture_on_commit_callbacks, username="NewComer", email="second@example.org")

    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="newcomer").count() == 1


def test_weak_password_is_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, password1="12345678", password2="12345678")

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()
    assert mail.outbox == []


def test_mismatched_passwords_are_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, password2=PASSWORD + "x")

    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


def test_unknown_language_is_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, preferred_language="xx")

    assert "preferred_language" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()


def test_inactive_user_cannot_log_in(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.post("/en/accounts/login/", {"username": "newcomer", "password": PASSWORD})

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert response.context["form"].errors


def test_logged_in_user_is_sent_from_sign_up_to_the_profile(client, user):
    client.force_login(user)

    response = client.get(SIGN_UP_URL)

    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/profile/")
