"""The alert pages: subscribe from the call list, one's own alerts, the coordinators' delivery log."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from civicbridge.funding import alerts
from civicbridge.funding.models import Delivery, Subscription
from tests.accounts.factories import UserFactory
from tests.funding_alerts.factories import CallFactory, FunderFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_subscribing_from_the_call_list_saves_its_filters(client, user, county, areas):
    funder = FunderFactory(name="Europe for Citizens")
    client.force_login(user)

    response = client.post("/en/calls/subscribe/", {
        "q": "water  youth", "funder": funder.pk, "applicant_kind": "ngo", "territory": county.pk,
        "thematic_area": areas[0].pk, "amount_min": "10000", "frequency": "weekly", "remind_deadlines": "on",
    })

    assert response.status_code == 302
    assert response["Location"] == "/en/calls/subscriptions/"
    subscription = Subscription.objects.get(user=user)
    assert (subscription.keywords, subscription.funder, subscription.applicant_kind) == ("water youth", funder, "ngo")
    assert (subscription.territory, subscription.thematic_area) == (county, areas[0])
    assert subscription.min_amount == Decimal("10000")
    assert subscription.frequency == "weekly" and subscription.remind_deadlines is True
    assert "Europe for Citizens" in subscription.name and "water youth" in subscription.name


def test_subscribing_without_filters_is_an_alert_for_all_calls(client, user):
    client.force_login(user)
    client.post("/en/calls/subscribe/", {"frequency": "daily"})

    subscription = Subscription.objects.get(user=user)
    assert subscription.name == "All calls"
    assert subscription.remind_deadlines is False  # an unticked box is not sent


def test_the_same_search_twice_is_refused_with_a_message(client, user):
    client.force_login(user)
    client.post("/en/calls/subscribe/", {"q": "water", "frequency": "daily"})

    response = client.post("/en/calls/subscribe/", {"q": "Water", "frequency": "instant"})

    assert response.status_code == 400
    assert b"already have an alert" in response.content
    assert Subscription.objects.filter(user=user).count() == 1


def test_bad_filters_are_refused_with_a_message_tied_to_the_field(client, user):
    client.force_login(user)

    response = client.post("/en/calls/subscribe/", {"funder": "999999", "frequency": "hourly"})

    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert not Subscription.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client):
    response = client.get("/en/calls/subscribe/?q=water")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post("/en/calls/subscribe/", {"frequency": "daily"}).status_code == 302
    assert not Subscription.objects.exists()


def test_after_log_in_the_filters_are_shown_to_confirm(client, user):
    client.force_login(user)

    response = client.get("/en/calls/subscribe/?q=water&applicant_kind=school")

    assert response.status_code == 200
    assert "“water” · school".encode() in response.content
    assert b'name="q" value="water"' in response.content


def test_the_subscribe_box_posts_the_current_filters(user):
    request = RequestFactory().get("/en/calls/", {"q": "water", "territory": "7", "amount_min": "500"})
    request.user = user

    html = render_to_string("funding/_subscribe_box.html", {"user": user, "request": request}, request=request)

    assert 'action="/en/calls/subscribe/"' in html
    assert 'name="q" value="water"' in html and 'name="territory" value="7"' in html
    assert 'name="amount_min" value="500"' in html
    assert '<label for="subscribe-frequency-daily">' in html


def test_the_subscribe_box_asks_anonymous_visitors_to_log_in(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/en/calls/", {"q": "water"})
    request.user = AnonymousUser()

    html = render_to_string("funding/_subscribe_box.html", {"user": request.user, "request": request}, request=request)

    assert "/en/accounts/login/?next=%2Fen%2Fcalls%2Fsubscribe%2F%3Fq%3Dwater" in html
    assert "<form" not in html


def test_the_list_shows_only_ones_own_alerts(client, user, django_assert_max_num_queries):
    mine = [SubscriptionFactory(user=user, name=f"mine {n}") for n in range(12)]
    SubscriptionFactory(name="someone else's")
    client.force_login(user)

    with django_assert_max_num_queries(8):
        response = client.get("/en/calls/subscriptions/")

    assert response.status_code == 200
    assert all(s.name.encode() in response.content for s in mine)
    assert b"someone else" not in response.content


def test_changing_the_frequency_of_ones_alert(client, user):
    subscription = SubscriptionFactory(user=user)
    client.force_login(user)

    response = client.post(f"/en/calls/subscriptions/{subscription.pk}/", {
        f"s{subscription.pk}-name": "Water", f"s{subscription.pk}-frequency": "weekly",
        f"s{subscription.pk}-is_active": "on",
    })

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.frequency, subscription.remind_deadlines) == ("Water", "weekly", False)


def test_another_persons_alert_cannot_be_changed_or_deleted(client, user):
    other = SubscriptionFactory()
    client.force_login(user)

    assert client.post(f"/en/calls/subscriptions/{other.pk}/", {f"s{other.pk}-frequency": "weekly"}).status_code == 404
    assert client.post(f"/en/calls/subscriptions/{other.pk}/delete/").status_code == 404
    other.refresh_from_db()
    assert other.frequency == "instant"


def test_deleting_ones_alert(client, user):
    subscription = SubscriptionFactory(user=user)
    client.force_login(user)

    assert client.get(f"/en/calls/subscriptions/{subscription.pk}/delete/").status_code == 405
    assert client.post(f"/en/calls/subscriptions/{subscription.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


def test_the_delivery_log_is_for_coordinators_only(client, user):
    client.force_login(user)
    assert client.get("/en/calls/deliveries/").status_code == 403
    client.logout()
    assert client.get("/en/calls/deliveries/").status_code == 302


def test_the_delivery_log_shows_deliveries_with_bounded_queries(client, coordinator, django_assert_max_num_queries):
    for _ in range(15):
        SubscriptionFactory(user=UserFactory())
    call = CallFactory(identifier="CERV-2026-CITIZENS")
    alerts.call_published(call)
    alerts.call_published(CallFactory())
    client.force_login(coordinator)

    with django_assert_max_num_queries(8):
        response = client.get("/en/calls/deliveries/")
    assert response.status_code == 200
    assert b"CERV-2026-CITIZENS" in response.content

    with django_assert_max_num_queries(8):
        response = client.get("/en/calls/deliveries/", {"call": "CERV-2026-CITIZENS", "state": "sent"})
    assert response.content.count(b"CERV-2026-CITIZENS</a>") == 15


def test_the_delivery_log_filters_interrupted_and_failed_deliveries(client, coordinator):
    subscription = SubscriptionFactory()
    call = CallFactory(identifier="LOG-1")
    Delivery.objects.create(subscription=subscription, call=call, kind="instant", occasion="published", error="interrupted")
    Delivery.objects.create(subscription=subscription, call=call, kind="instant", occasion="deadlines-1",
                            error="SMTPRecipientsRefused: nope")
    client.force_login(coordinator)

    interrupted = client.get("/en/calls/deliveries/", {"state": "interrupted"}).content.decode()
    failed = client.get("/en/calls/deliveries/", {"state": "failed"}).content.decode()

    assert "published" in interrupted and "deadlines-1" not in interrupted
    assert "SMTPRecipientsRefused" in failed and "published" not in failed.split("<tbody>")[1]
