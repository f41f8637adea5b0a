"""Unsubscribe by the signed link of an e-mail: no log-in, and a GET changes nothing."""

import re

import pytest
from django.core import signing

from civicbridge.alerts.services import (
    UNSUBSCRIBE_SALT,
    unsubscribe_token,
    unsubscribe_url,
)
from civicbridge.funding import alerts
from tests.alerts.factories import CallFactory, SubscriptionFactory
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def subscription(db):
    return SubscriptionFactory()


def test_opening_the_link_asks_to_confirm_and_changes_nothing(client, subscription):
    response = client.get(path_of(unsubscribe_url(subscription.pk, "en")))

    assert response.status_code == 200
    assert b"Stop these e-mails" in response.content
    subscription.refresh_from_db()
    assert subscription.is_active is True


def test_confirming_stops_the_alert_without_logging_in(client, subscription):
    response = client.post(path_of(unsubscribe_url(subscription.pk, "en")))

    assert response.status_code == 200
    assert subscription.name.encode() in response.content
    subscription.refresh_from_db()
    assert subscription.is_active is False


def test_a_mail_programs_one_click_post_without_csrf_token_unsubscribes(subscription):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        path_of(unsubscribe_url(subscription.pk, "pl")), {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active is False


def test_confirming_twice_is_harmless(client, subscription):
    path = path_of(unsubscribe_url(subscription.pk, "en"))
    client.post(path)
    response = client.post(path)

    assert response.status_code == 200


def test_a_forged_token_is_refused_with_400_and_changes_nothing(client, subscription):
    forged = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT, key="not-the-secret-key")

    for method in (client.get, client.post):
        response = method(f"/en/alerts/unsubscribe/{forged}/")
        assert response.status_code == 400
        assert b"not valid" in response.content
    subscription.refresh_from_db()
    assert subscription.is_active is True


def test_a_token_signed_for_another_purpose_is_refused(client, subscription):
    other = signing.dumps(subscription.pk, salt="civicbridge.accounts.signup")

    assert client.post(f"/en/alerts/unsubscribe/{other}/").status_code == 400


def test_a_garbled_token_is_refused(client):
    assert client.get("/en/alerts/unsubscribe/garbage/").status_code == 400


def test_an_expired_token_is_refused(client, subscription, settings):
    token = unsubscribe_token(subscription.pk)
    settings.CIVICBRIDGE_UNSUBSCRIBE_TOKEN_MAX_AGE = -1

    response = client.post(f"/en/alerts/unsubscribe/{token}/")

    assert response.status_code == 400
    assert b"expired" in response.content
    subscription.refresh_from_db()
    assert subscription.is_active is True


def test_a_link_to_a_deleted_subscription_is_refused(client, subscription):
    token = unsubscribe_token(subscription.pk)
    subscription.delete()

    assert client.get(f"/en/alerts/unsubscribe/{token}/").status_code == 400


def test_the_link_in_a_real_notice_stops_later_notices(client, subscription):
    alerts.call_published(CallFactory())
    (message,) = delivered()
    link = re.search(r"https://\S+/alerts/unsubscribe/\S+/", message.body).group(0)

    client.post(path_of(link))
    alerts.call_published(CallFactory())

    assert len(delivered()) == 1
