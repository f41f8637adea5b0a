"""The alert pages: subscribe from the call list, one's own alerts, the coordinators' delivery log."""

from decimal import Decimal
from html import unescape
from smtplib import SMTPRecipientsRefused
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.template.loader import render_to_string
from django.test import RequestFactory

from civicbridge.alerts.models import Subscription
from civicbridge.funding import alerts
from tests.accounts.factories import PASSWORD, UserFactory
from tests.alerts.factories import CallFactory, FunderFactory, ProgrammeFactory, SubscriptionFactory
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db


def _subscribe_login_link(html: str) -> str:
    """The subscribe box's "log in" link (the header's log-in link comes back to the page itself)."""
    return html[html.index("/en/accounts/login/?next=%2Fen%2Falerts%2Fsubscribe"):].split('"', 1)[0]


def test_subscribing_from_the_call_list_saves_its_filters(client, user, county, areas):
    funder = FunderFactory(name="Europe for Citizens")
    client.force_login(user)

    response = client.post("/en/alerts/subscribe/calls/", {
        "q": "water  youth", "funder": funder.pk, "applicant_kind": "ngo", "territory": county.pk,
        "thematic_area": areas[0].pk, "amount_min": "10000", "frequency": "weekly", "remind_deadlines": "on",
    })

    assert response.status_code == 302
    assert response["Location"] == "/en/alerts/"
    subscription = Subscription.objects.get(user=user)
    assert (subscription.keywords, subscription.funder, subscription.applicant_kind) == ("water youth", funder, "ngo")
    assert (subscription.territory, subscription.thematic_area) == (county, areas[0])
    assert subscription.min_amount == Decimal("10000")
    assert subscription.frequency == "weekly" and subscription.remind_deadlines is True
    assert "Europe for Citizens" in subscription.name and "water youth" in subscription.name


def test_subscribing_without_filters_is_an_alert_for_all_calls(client, user):
    client.force_login(user)
    client.post("/en/alerts/subscribe/calls/", {"frequency": "daily"})

    subscription = Subscription.objects.get(user=user)
    assert subscription.name == "All calls"
    assert subscription.remind_deadlines is False  # an unticked box is not sent


def test_the_same_search_twice_is_refused_with_a_message(client, user):
    client.force_login(user)
    client.post("/en/alerts/subscribe/calls/", {"q": "water", "frequency": "daily"})

    response = client.post("/en/alerts/subscribe/calls/", {"q": "Water", "frequency": "instant"})

    assert response.status_code == 400
    assert b"already have an alert" in response.content
    assert Subscription.objects.filter(user=user).count() == 1


def test_bad_filters_are_refused_with_a_message_tied_to_the_field(client, user):
    client.force_login(user)

    response = client.post("/en/alerts/subscribe/calls/", {"funder": "999999", "frequency": "hourly"})

    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert not Subscription.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client):
    response = client.get("/en/alerts/subscribe/calls/?q=water")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post("/en/alerts/subscribe/calls/", {"frequency": "daily"}).status_code == 302
    assert not Subscription.objects.exists()


def test_after_log_in_the_filters_are_shown_to_confirm(client, user):
    client.force_login(user)

    response = client.get("/en/alerts/subscribe/calls/?q=water&applicant_kind=school")

    assert response.status_code == 200
    assert "“water” · school".encode() in response.content
    assert b'name="q" value="water"' in response.content


def test_the_subscribe_box_posts_the_current_filters(user):
    request = RequestFactory().get("/en/calls/", {"q": "water", "territory": "7", "amount_min": "500"})
    request.user = user

    html = render_to_string("funding/_subscribe_box.html", {"user": user, "request": request}, request=request)

    assert 'action="/en/alerts/subscribe/calls/"' in html
    assert 'name="q" value="water"' in html and 'name="territory" value="7"' in html
    assert 'name="amount_min" value="500"' in html
    assert '<label for="subscribe-frequency-daily">' in html


def test_the_subscribe_box_asks_anonymous_visitors_to_log_in(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/en/calls/", {"q": "water"})
    request.user = AnonymousUser()

    html = render_to_string("funding/_subscribe_box.html", {"user": request.user, "request": request}, request=request)

    assert "/en/accounts/login/?next=%2Fen%2Falerts%2Fsubscribe%2Fcalls%2F%3Fq%3Dwater" in html
    assert "<form" not in html


def test_log_in_to_subscribe_keeps_every_filter_once_encoded(client):
    response = client.get("/en/calls/", {"q": "water", "territory": "1607", "amount_min": "500"})
    html = response.content.decode()

    link = _subscribe_login_link(html)
    # Encoded once: the login page's next is the subscribe page with all three filters.
    assert "%26amp%3B" not in link and "&amp;" not in link
    target = parse_qs(urlsplit(link).query)["next"][0]
    assert urlsplit(target).path == "/en/alerts/subscribe/calls/"
    assert parse_qs(urlsplit(target).query) == {"q": ["water"], "territory": ["1607"], "amount_min": ["500"]}
    assert client.get(link).status_code == 200


def test_the_list_shows_only_ones_own_alerts(client, user, django_assert_max_num_queries):
    mine = [SubscriptionFactory(user=user, name=f"mine {n}") for n in range(12)]
    SubscriptionFactory(name="someone else's")
    client.force_login(user)

    with django_assert_max_num_queries(8):
        response = client.get("/en/alerts/")

    assert response.status_code == 200
    assert all(s.name.encode() in response.content for s in mine)
    assert b"someone else" not in response.content


def test_changing_the_frequency_of_ones_alert(client, user):
    subscription = SubscriptionFactory(user=user)
    client.force_login(user)

    response = client.post(f"/en/alerts/{subscription.pk}/", {
        f"s{subscription.pk}-name": "Water", f"s{subscription.pk}-frequency": "weekly",
        f"s{subscription.pk}-is_active": "on",
    })

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.frequency, subscription.remind_deadlines) == ("Water", "weekly", False)


def test_another_persons_alert_cannot_be_changed_or_deleted(client, user):
    other = SubscriptionFactory()
    client.force_login(user)

    assert client.post(f"/en/alerts/{other.pk}/", {f"s{other.pk}-frequency": "weekly"}).status_code == 404
    assert client.post(f"/en/alerts/{other.pk}/delete/").status_code == 404
    other.refresh_from_db()
    assert other.frequency == "instant"


def test_deleting_ones_alert(client, user):
    subscription = SubscriptionFactory(user=user)
    client.force_login(user)

    assert client.get(f"/en/alerts/{subscription.pk}/delete/").status_code == 405
    assert client.post(f"/en/alerts/{subscription.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


def test_the_delivery_log_is_for_coordinators_only(client, user):
    client.force_login(user)
    assert client.get("/en/alerts/deliveries/").status_code == 403
    client.logout()
    assert client.get("/en/alerts/deliveries/").status_code == 302


def test_the_delivery_log_shows_deliveries_with_bounded_queries(client, coordinator, django_assert_max_num_queries):
    for _ in range(15):
        SubscriptionFactory(user=UserFactory())
    call = CallFactory(identifier="CERV-2026-CITIZENS")
    alerts.call_published(call)
    alerts.call_published(CallFactory())
    delivered()
    client.force_login(coordinator)

    with django_assert_max_num_queries(8):
        response = client.get("/en/alerts/deliveries/")
    assert response.status_code == 200
    assert b"CERV-2026-CITIZENS" in response.content

    with django_assert_max_num_queries(8):
        response = client.get("/en/alerts/deliveries/", {"call": "CERV-2026-CITIZENS", "state": "sent"})
    assert response.content.count(b"CERV-2026-CITIZENS</a>") == 15


def test_the_delivery_log_shows_each_e_mail_queued_retrying_sent_or_failed_with_the_reason(
        client, coordinator, monkeypatch):
    answers = {"refused@example.org": SMTPRecipientsRefused({"refused@example.org": (550, b"5.1.1 no such user")}),
               "busy@example.org": SMTPRecipientsRefused({"busy@example.org": (451, b"4.3.0 try again later")})}
    for address in ("refused@example.org", "busy@example.org", "reader@example.org"):
        SubscriptionFactory(user=UserFactory(email=address, username=address.split("@")[0]))
    real_send = LocmemBackend.send_messages

    def send_messages(self, messages):
        if messages[0].to[0] in answers:
            raise answers[messages[0].to[0]]
        return real_send(self, messages)

    monkeypatch.setattr(LocmemBackend, "send_messages", send_messages)
    alerts.call_published(CallFactory(identifier="LOG-1"))
    delivered()
    alerts.call_published(CallFactory(identifier="LOG-2"))  # queued, the worker has not come yet
    client.force_login(coordinator)

    def rows(state):
        response = client.get("/en/alerts/deliveries/", {"state": state})
        assert response.status_code == 200
        return response.content.decode().split("<tbody>")[1]

    failed, retrying, sent, queued = rows("failed"), rows("retrying"), rows("sent"), rows("queued")
    assert "refused" in failed and "550 5.1.1 no such user" in failed and "busy" not in failed
    assert "busy" in retrying and "451 4.3.0 try again later" in retrying and "next attempt" in retrying
    assert "reader" in sent and "LOG-1" in sent and "refused" not in sent
    assert queued.count("LOG-2</a>") == 3 and "LOG-1" not in queued
    polish = client.get("/pl/alerts/deliveries/", {"state": "retrying"}).content.decode()
    assert "czeka na ponowną próbę" in polish and "Serwer poczty nie mógł go teraz przyjąć (próba 1)" in polish


def test_an_unknown_state_in_the_log_filter_is_a_message_not_an_error(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/en/alerts/deliveries/", {"state": "interrupted"})

    assert response.status_code == 200
    assert b"error-summary" in response.content


def test_the_delivery_log_names_each_occasion_in_words(client, coordinator, settings):
    from civicbridge.alerts.selectors import occasion_label

    settings.TIME_ZONE = "Europe/Warsaw"
    assert occasion_label("published") == "newly published"
    assert occasion_label("digest-2026-12-01") == "digest of 1 December 2026"
    assert occasion_label("reminder-202612091100") == "reminder of the deadline 9 December 2026, 12:00"
    assert occasion_label("deadlines-3") == "change number 3"
    assert occasion_label("something-new") == "something-new"  # never hidden, only not explained

    SubscriptionFactory(user=UserFactory())
    alerts.call_published(CallFactory())
    delivered()
    client.force_login(coordinator)
    body = client.get("/en/alerts/deliveries/").content.decode()
    assert "newly published" in body and ">published<" not in body


def test_the_account_page_leads_to_ones_alerts_and_a_coordinator_to_the_delivery_log(client, user, coordinator):
    SubscriptionFactory(user=user)
    client.force_login(user)

    body = client.get("/en/accounts/profile/").content.decode()

    assert "Alerts you keep: 1." in body and 'href="/en/alerts/"' in body
    assert 'href="/en/alerts/deliveries/"' not in body
    client.force_login(coordinator)
    assert 'href="/en/alerts/deliveries/"' in client.get("/en/accounts/profile/").content.decode()


def test_an_alert_saved_from_a_list_filtered_by_a_territory_code_keeps_the_territory(client, user, county):
    """The lists' addresses name a territory by its code (?territory=1607): the alert must keep it."""
    from civicbridge.alerts.models import Subscription

    client.force_login(user)
    page = client.get("/en/alerts/subscribe/events/?territory=1607")
    client.post("/en/alerts/subscribe/events/", {"territory": "1607", "frequency": "daily"})

    assert county.name in page.content.decode()
    assert Subscription.objects.get(user=user).territory == county


def test_only_content_with_deadlines_offers_deadline_reminders(client, user):
    client.force_login(user)

    assert "Remind me 7 days before deadlines" in client.get("/en/alerts/subscribe/calls/").content.decode()
    assert "Remind me 7 days before deadlines" not in client.get("/en/alerts/subscribe/events/").content.decode()


def test_an_alert_saved_from_a_list_filtered_by_a_district_without_a_code_keeps_the_district(client, user):
    """A unit with no official code is named id-<id> in the lists' addresses (core.filters.territory_key)."""
    from civicbridge.alerts.models import Subscription
    from civicbridge.core.models import Territory

    orhangazi = Territory.objects.get(country="TR", level=Territory.Level.COUNTY, name_en="Orhangazi")
    client.force_login(user)
    page = client.get(f"/en/alerts/subscribe/calls/?territory=id-{orhangazi.pk}")
    client.post("/en/alerts/subscribe/calls/", {"territory": f"id-{orhangazi.pk}", "frequency": "daily"})

    assert "Orhangazi" in page.content.decode()
    assert Subscription.objects.get(user=user).territory == orhangazi


# --- applicants' country ("Applicants from") --------------------------------------------------------


def test_an_alert_saved_from_a_list_filtered_by_country_keeps_the_country_through_log_in(client):
    reader = UserFactory()
    page = client.get("/en/calls/", {"country": "DE", "q": "water"}).content.decode()
    link = _subscribe_login_link(page)
    target = parse_qs(urlsplit(link).query)["next"][0]
    assert parse_qs(urlsplit(target).query) == {"country": ["DE"], "q": ["water"]}

    logged_in = client.post(link, {"username": reader.username, "password": PASSWORD, "next": target})
    assert logged_in.status_code == 302 and logged_in["Location"] == target
    confirm = client.get(target).content.decode()
    # Shown as a menu of countries by name, Germany chosen, and named in the summary.
    assert '<option value="DE" selected>Germany</option>' in confirm
    assert "“water” · applicants from Germany" in confirm
    query = {name: values[0] for name, values in parse_qs(urlsplit(target).query).items()}
    response = client.post("/en/alerts/subscribe/calls/", {**query, "frequency": "daily"})

    assert response.status_code == 302
    subscription = Subscription.objects.get(user=reader)
    assert (subscription.country, subscription.keywords) == ("DE", "water")
    assert subscription.name == "“water” · applicants from Germany"


def test_a_country_code_in_small_letters_chooses_the_country(client, user):
    client.force_login(user)

    page = client.get("/en/alerts/subscribe/calls/?country=de").content.decode()
    client.post("/en/alerts/subscribe/calls/", {"country": "de", "frequency": "daily"})

    assert '<option value="DE" selected>Germany</option>' in page
    assert Subscription.objects.get(user=user).country == "DE"


def test_the_subscribe_box_posts_the_country_filter(user):
    request = RequestFactory().get("/en/calls/", {"country": "DE"})
    request.user = user

    html = render_to_string("funding/_subscribe_box.html", {"user": user, "request": request}, request=request)

    assert 'name="country" value="DE"' in html


@pytest.mark.parametrize(("language", "message"), [
    ("pl", "„Niemcy” nie jest kodem kraju: podaj dwuliterowy kod ISO, np. PL."),
    ("tr", "“Niemcy” bir ülke kodu değil: iki harfli ISO kodunu girin, örneğin PL."),
    ("en", "“Niemcy” is not a country code: give its two-letter ISO code, e.g. PL."),
])
def test_a_bad_country_code_is_refused_in_the_users_language_and_saves_nothing(client, user, language, message):
    client.force_login(user)

    response = client.post(f"/{language}/alerts/subscribe/calls/", {"country": "Niemcy", "frequency": "daily"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body
    assert message in body
    assert 'aria-describedby="id_country_helptext id_country_error"' in body  # tied to its field
    assert not Subscription.objects.exists()


def test_my_alerts_name_the_country_in_the_pages_language(client, user):
    SubscriptionFactory(user=user, country="DE", name="Water")
    client.force_login(user)

    assert "<dd>Niemcy</dd>" in client.get("/pl/alerts/").content.decode()
    assert "<dd>Almanya</dd>" in client.get("/tr/alerts/").content.decode()


@pytest.mark.parametrize(("language", "name"), [
    ("en", "applicants from Germany"), ("pl", "wnioskodawcy z kraju: Niemcy"), ("tr", "başvuru sahiplerinin ülkesi: Almanya"),
])
def test_the_alerts_name_says_the_applicants_country_in_the_users_language(client, user, language, name):
    client.force_login(user)

    client.post(f"/{language}/alerts/subscribe/calls/", {"country": "DE", "frequency": "daily"})

    assert Subscription.objects.get(user=user).name == name


def test_content_whose_items_name_no_applicants_country_offers_no_country_and_keeps_none(client, user):
    client.force_login(user)

    page = client.get("/en/alerts/subscribe/events/?country=DE").content.decode()
    client.post("/en/alerts/subscribe/events/", {"country": "DE", "frequency": "daily"})

    assert 'name="country"' not in page and "Applicants from" not in page
    assert Subscription.objects.get(user=user).country == ""


# --- every filter of the calls list is kept, or named as not kept -----------------------------------


def test_an_alert_saved_from_a_list_filtered_by_programme_and_largest_grant_keeps_both(client, user):
    funder = FunderFactory(name="European Commission")
    cerv, life = ProgrammeFactory(funder=funder, name="CERV"), ProgrammeFactory(funder=funder, name="LIFE")
    client.force_login(user)
    list_page = client.get("/en/calls/", {"funder": funder.pk, "programme": cerv.pk, "amount_max": "500000"})
    box = list_page.content.decode()
    assert f'name="programme" value="{cerv.pk}"' in box and 'name="amount_max" value="500000"' in box

    response = client.post("/en/alerts/subscribe/calls/", {
        "funder": funder.pk, "programme": cerv.pk, "amount_max": "500000", "frequency": "daily",
    })

    assert response.status_code == 302
    saved = Subscription.objects.get(user=user)
    assert (saved.funder, saved.programme, saved.max_amount) == (funder, cerv, Decimal("500000"))
    assert "CERV" in saved.name and "at most 500,000" in saved.name
    # Another programme's search is another alert, not "the same search twice".
    other = client.post("/en/alerts/subscribe/calls/", {"funder": funder.pk, "programme": life.pk, "frequency": "daily"})
    assert other.status_code == 302
    assert set(Subscription.objects.filter(user=user).values_list("programme", flat=True)) == {cerv.pk, life.pk}


def test_the_alert_tells_only_of_calls_of_its_programme_within_its_largest_grant(user):
    funder = FunderFactory()
    cerv, life = ProgrammeFactory(funder=funder), ProgrammeFactory(funder=funder)
    wanted = SubscriptionFactory(user=user, funder=funder, programme=cerv, max_amount=Decimal("100000"))

    from civicbridge.alerts.matching import matching_subscription_ids

    def told(**call):
        return matching_subscription_ids("calls", alerts.call_facts(CallFactory(**call))) == [wanted.pk]

    assert told(programme=cerv, max_grant=Decimal("90000"))
    assert told(programme=cerv, max_grant=None)
    assert not told(programme=life, max_grant=Decimal("90000"))
    assert not told(programme=cerv, max_grant=Decimal("100000.01"))


def test_the_subscribe_page_names_the_lists_filters_it_does_not_keep_and_leads_back_with_them(client, user):
    client.force_login(user)

    response = client.get("/pl/alerts/subscribe/calls/", {
        "q": "woda", "status": ["open", "forthcoming"], "deadline_from": "2027-01-01", "page": "2",
    })

    page = response.content.decode()
    from django.utils import translation

    with translation.override("pl"):
        status = translation.gettext("Status")
    assert f"nie zachowuje tych filtrów listy: {status}, Ostatni termin składania od." in page
    back_link = page.split("Wróć do listy")[0].rsplit('href="', 1)[1].split('"')[0]
    back = parse_qs(urlsplit(unescape(back_link)).query)
    assert back == {"q": ["woda"], "status": ["open", "forthcoming"], "deadline_from": ["2027-01-01"]}


def test_the_calls_box_says_which_filters_the_alert_will_not_keep(client, user):
    client.force_login(user)

    plain = client.get("/en/calls/", {"q": "water"}).content.decode()
    filtered = client.get("/en/calls/", {"q": "water", "status": "open", "deadline_to": "2027-06-30"}).content.decode()

    assert "does not keep these filters" not in plain
    assert "does not keep these filters of the list: Status, Last deadline until." in filtered


def test_words_typed_under_the_lists_other_name_are_kept(client, user):
    client.force_login(user)

    page = client.get("/en/calls/", {"search": "water"}).content.decode()
    confirm = client.get("/en/alerts/subscribe/calls/", {"search": "water"}).content.decode()

    assert 'name="q" value="water"' in page
    assert "“water”" in confirm
