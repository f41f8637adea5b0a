"""Sign-up that cannot be turned against anyone: safe user names, renewable and expiring
unconfirmed sign-ups, a resend page, limits per client address and per mailbox."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from civicbridge.accounts import services
from civicbridge.accounts.tasks import expire_unconfirmed_accounts
from civicbridge.core.models import OutgoingMail
from civicbridge.core.notifications import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGN_UP_URL = "/en/accounts/sign-up/"
RESEND_URL = "/en/accounts/confirm/resend/"
LINK = re.compile(r"https?://\S+/accounts/confirm/\S+/")
OTHER_PASSWORD = "quite-another-password-93"


def post_sign_up(client, address="203.0.113.7", path=SIGN_UP_URL, **overrides):
    data = {"username": "newcomer", "email": "newcomer@example.org", "preferred_language": "en",
            "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on", **overrides}
    response = client.post(path, data, REMOTE_ADDR=address)
    deliver_due()
    return response


def links_to(address):
    return [urlsplit(LINK.search(m.body).group(0)).path for m in mail.outbox if address in m.to]


# --- user names ----------------------------------------------------------------------------

@pytest.mark.parametrize("username", [
    "www.evil-phish.example", "someone@example.org", "ab", "x" * 31, "two words", "admin\u0430",  # Cyrillic a
    "name/../x", "<b>",
])
def test_unsafe_user_names_are_refused_with_a_message_and_nothing_is_created(client, username):
    response = post_sign_up(client, username=username)

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.exists()
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize("username", ["anna_k", "Jan-Kowalski", "abc", "x" * 30, "ngo2026"])
def test_safe_user_names_are_accepted(client, username):
    post_sign_up(client, username=username)

    assert User.objects.filter(username=username).exists()


def test_the_service_refuses_an_unsafe_user_name_too():
    with pytest.raises(services.ValidationError) as error:
        services.sign_up(username="www.evil.example", email="x@example.org", password=PASSWORD,
                         preferred_language="en", accepted_privacy=True)

    assert "username" in error.value.message_dict


def test_the_user_name_message_is_translated(client):
    response = post_sign_up(client, path="/pl/accounts/sign-up/", username="www.evil.example")

    assert "litery a–z" in response.context["form"].errors["username"][0]


def test_an_existing_user_keeps_a_user_name_with_a_dot_and_can_log_in(client):
    old = UserFactory(username="old.name@example")

    response = client.post("/en/accounts/login/", {"username": "old.name@example", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(old.pk)


# --- the mail ------------------------------------------------------------------------------

def test_the_confirmation_mail_greets_without_the_user_name(client):
    post_sign_up(client, username="evil-phish-example")

    body = mail.outbox[0].body
    assert "evil-phish-example" not in body
    assert body.startswith("Hello,")


def test_the_confirmation_mail_is_queued_in_the_request_and_sent_by_the_worker(client):
    client.post(SIGN_UP_URL, {"username": "newcomer", "email": "newcomer@example.org", "preferred_language": "en",
                              "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on"})

    assert mail.outbox == []
    assert OutgoingMail.objects.get().to == "newcomer@example.org"
    deliver_due()
    assert len(mail.outbox) == 1


# --- signing up again with the address of an unconfirmed sign-up ---------------------------

def test_signing_up_again_with_an_unconfirmed_address_sends_a_new_link_instead_of_refusing(client):
    post_sign_up(client)

    response = post_sign_up(client, username="renamed", password1=OTHER_PASSWORD, password2=OTHER_PASSWORD)

    assert response.status_code == 200
    assert "accounts/sign_up_done.html" in [t.name for t in response.templates]
    assert User.objects.filter(email="newcomer@example.org").count() == 1
    assert len(links_to("newcomer@example.org")) == 2


def test_the_newest_link_confirms_the_newest_sign_up_and_older_links_stop_working(client):
    post_sign_up(client)  # someone else, with a password the owner does not know
    post_sign_up(client, username="owner", password1=OTHER_PASSWORD, password2=OTHER_PASSWORD)
    old_link, new_link = links_to("newcomer@example.org")

    assert client.get(old_link).status_code == 400
    assert User.objects.get(email="newcomer@example.org").is_active is False
    assert client.get(new_link).status_code == 302

    user = User.objects.get(email="newcomer@example.org")
    assert (user.username, user.is_active) == ("owner", True)
    assert user.check_password(OTHER_PASSWORD) and not user.check_password(PASSWORD)
    assert user.email_confirmed_at is not None


def test_signing_up_again_with_the_same_user_name_renews_the_sign_up(client):
    post_sign_up(client)

    response = post_sign_up(client)

    assert "accounts/sign_up_done.html" in [t.name for t in response.templates]
    assert User.objects.count() == 1


def test_renewing_cannot_take_the_user_name_of_another_account(client):
    UserFactory(username="taken")
    post_sign_up(client)

    response = post_sign_up(client, username="Taken")

    assert "username" in response.context["form"].errors
    assert User.objects.get(email="newcomer@example.org").username == "newcomer"


def test_the_address_of_a_confirmed_account_is_still_refused(client):
    UserFactory(email="newcomer@example.org", email_confirmed_at=timezone.now())

    response = post_sign_up(client, username="intruder")

    assert "email" in response.context["form"].errors
    assert mail.outbox == []


def test_the_address_of_a_deactivated_account_is_not_taken_over(client):
    UserFactory(email="newcomer@example.org", is_active=False, email_confirmed_at=timezone.now())

    response = post_sign_up(client, username="intruder")

    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="intruder").exists()


def test_a_confirmation_link_opened_twice_is_harmless(client):
    post_sign_up(client)
    link = links_to("newcomer@example.org")[0]
    client.get(link)

    assert client.get(link).status_code == 302


# --- resending -----------------------------------------------------------------------------

def test_the_resend_page_sends_a_new_link_to_an_unconfirmed_sign_up(client):
    post_sign_up(client)

    response = client.post(RESEND_URL, {"email": "NewComer@example.org"}, REMOTE_ADDR="198.51.100.1")
    deliver_due()

    assert response.status_code == 200
    assert len(links_to("newcomer@example.org")) == 2
    assert client.get(links_to("newcomer@example.org")[1]).status_code == 302


def test_the_resend_page_answers_the_same_for_unknown_and_confirmed_addresses_and_sends_nothing(client, user):
    unknown = client.post(RESEND_URL, {"email": "nobody@example.org"})
    confirmed = client.post(RESEND_URL, {"email": user.email})
    deliver_due()

    assert unknown.status_code == confirmed.status_code == 200
    assert unknown.content.decode().replace("nobody@example.org", "X") == \
        confirmed.content.decode().replace(user.email, "X")
    assert mail.outbox == []


def test_the_resend_page_refuses_a_bad_address_with_a_message(client):
    response = client.post(RESEND_URL, {"email": "not-an-address"})

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_resending_is_limited_per_client_address(client, settings):
    settings.CIVICBRIDGE_RESEND_RATE = "2/hour"
    for _ in range(2):
        client.post(RESEND_URL, {"email": "nobody@example.org"}, REMOTE_ADDR="203.0.113.7")

    refused = client.post(RESEND_URL, {"email": "nobody@example.org"}, REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests from your address. Wait" in refused.content.decode()
    assert client.post(RESEND_URL, {"email": "nobody@example.org"}, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_one_mailbox_gets_a_limited_number_of_links_however_many_addresses_ask(client, settings):
    settings.CIVICBRIDGE_CONFIRMATION_MAILS_RATE = "3/hour"
    post_sign_up(client)
    for n in range(5):
        client.post(RESEND_URL, {"email": "newcomer@example.org"}, REMOTE_ADDR=f"198.51.100.{n + 1}")
    deliver_due()

    assert len(links_to("newcomer@example.org")) == 3


# --- sign-up limit per client address ------------------------------------------------------

def test_sign_ups_are_limited_per_client_address_with_a_message(client, settings):
    settings.CIVICBRIDGE_SIGN_UP_RATE = "2/hour"
    for n in range(2):
        post_sign_up(client, username=f"person-{n}", email=f"person{n}@example.org")

    refused = post_sign_up(client, username="third", email="third@example.org")

    assert refused.status_code == 429
    assert "Too many requests from your address" in refused.context["form"].non_field_errors()[0]
    assert not User.objects.filter(username="third").exists()
    assert post_sign_up(client, username="third", email="third@example.org", address="198.51.100.1").status_code == 200


def test_the_sign_up_limit_counts_the_client_behind_the_documented_proxy(client, settings):
    settings.CIVICBRIDGE_SIGN_UP_RATE = "1/hour"
    settings.BEHIND_PROXY = True
    settings.CIVICBRIDGE_PROXY_COUNT = 1

    def through_proxy(client_address, n):
        return client.post(SIGN_UP_URL, {
            "username": f"person-{n}", "email": f"person{n}@example.org", "preferred_language": "en",
            "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on",
        }, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    assert through_proxy("203.0.113.7", 1).status_code == 200
    assert through_proxy("198.51.100.1", 2).status_code == 200  # another client, same proxy
    assert through_proxy("203.0.113.7", 3).status_code == 429


def test_the_limit_is_told_in_the_visitors_language(client, settings):
    settings.CIVICBRIDGE_SIGN_UP_RATE = "0/hour"

    response = post_sign_up(client, path="/tr/accounts/sign-up/")

    assert "Adresinizden çok fazla istek" in response.content.decode()


# --- expiry --------------------------------------------------------------------------------

def age(user, days):
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))


def test_unconfirmed_sign_ups_older_than_the_link_expire_and_free_their_address(client, settings):
    settings.CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE = 3 * 24 * 3600
    post_sign_up(client)
    age(User.objects.get(username="newcomer"), 4)

    assert expire_unconfirmed_accounts.call() == 1

    assert not User.objects.filter(username="newcomer").exists()
    response = post_sign_up(client, username="owner")
    assert "accounts/sign_up_done.html" in [t.name for t in response.templates]


def test_expiry_keeps_young_sign_ups_and_every_confirmed_or_used_account(settings):
    settings.CIVICBRIDGE_SIGNUP_TOKEN_MAX_AGE = 3 * 24 * 3600
    young = UserFactory(is_active=False)
    active = UserFactory()
    deactivated = UserFactory(is_active=False, email_confirmed_at=timezone.now())
    used_once = UserFactory(is_active=False, last_login=timezone.now())
    for person in (active, deactivated, used_once):
        age(person, 400)

    assert services.delete_expired_sign_ups() == 0

    assert User.objects.filter(pk__in=[young.pk, active.pk, deactivated.pk, used_once.pk]).count() == 4


def test_past_the_mailbox_limit_signing_up_again_changes_nothing_and_the_last_link_still_works(client, settings):
    settings.CIVICBRIDGE_CONFIRMATION_MAILS_RATE = "2/hour"
    post_sign_up(client, username="owner", password1=OTHER_PASSWORD, password2=OTHER_PASSWORD)
    post_sign_up(client, username="owner", password1=OTHER_PASSWORD, password2=OTHER_PASSWORD)
    last_link = links_to("newcomer@example.org")[-1]

    for n in range(3):  # someone else keeps signing up with the owner's address
        post_sign_up(client, username=f"intruder-{n}", address=f"192.0.2.{n + 1}")

    assert len(links_to("newcomer@example.org")) == 2
    assert client.get(last_link).status_code == 302
    owner = User.objects.get(email="newcomer@example.org")
    assert owner.username == "owner"
    assert owner.check_password(OTHER_PASSWORD)
