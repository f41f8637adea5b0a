"""The alerts' addresses: the new ones, and those they had under the calls (links in e-mails, bookmarks)."""

import pytest

from civicbridge.alerts.models import Subscription
from civicbridge.alerts.services import unsubscribe_token
from tests.alerts.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("old", "new"), [
    ("/en/calls/subscriptions/", "/en/alerts/"),
    ("/pl/calls/subscriptions/", "/pl/alerts/"),
    ("/en/calls/deliveries/?state=failed&page=2", "/en/alerts/deliveries/?state=failed&page=2"),
    ("/en/calls/subscribe/?q=water&funder=3", "/en/alerts/subscribe/calls/?q=water&funder=3"),
    ("/en/calls/subscriptions/7/", "/en/alerts/7/"),
    ("/en/calls/subscriptions/7/delete/", "/en/alerts/7/delete/"),
])
def test_the_old_addresses_redirect_permanently_with_their_query(client, old, new):
    response = client.get(old)

    assert response.status_code == 308
    assert response["Location"] == new


def test_a_form_posted_to_an_old_address_is_redirected_keeping_its_method(client, user):
    client.force_login(user)

    response = client.post("/en/calls/subscribe/", {"q": "water", "frequency": "daily"}, follow=True)

    assert response.redirect_chain[0] == ("/en/alerts/subscribe/calls/", 308)
    assert Subscription.objects.get(user=user).keywords == "water"


@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_an_unsubscribe_link_from_an_e_mail_sent_before_the_move_still_stops_the_alert(client, language):
    subscription = SubscriptionFactory()
    old_link = f"/{language}/calls/unsubscribe/{unsubscribe_token(subscription.pk)}/"

    assert client.get(old_link).status_code == 200
    # One-click unsubscribe (RFC 8058) posts to the link itself: answered there, not redirected.
    response = client.post(old_link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active is False


def test_subscribing_to_content_nobody_registered_is_404(client, user):
    client.force_login(user)

    response = client.post("/en/alerts/subscribe/horoscopes/", {"frequency": "daily"})

    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_the_delivery_log_still_takes_the_call_filter_of_old_links(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/en/alerts/deliveries/", {"call": "CALL-XYZ"})

    assert response.status_code == 200
    assert response.context["form"]["identifier"].value() == "CALL-XYZ"
