"""``/api/v1/subscriptions/``: one's own alerts only."""

import pytest
from rest_framework.test import APIClient

from civicbridge.alerts.models import Subscription
from tests.alerts.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_without_credentials_the_collection_answers_401():
    client = APIClient()
    assert client.get(URL).status_code == 401
    assert client.post(URL, {"frequency": "daily"}, format="json").status_code == 401


def test_the_list_holds_only_ones_own_subscriptions(api, user, django_assert_max_num_queries):
    mine = [SubscriptionFactory(user=user) for _ in range(5)]
    SubscriptionFactory()

    with django_assert_max_num_queries(4):
        response = api.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert [row["id"] for row in response.json()["results"]] == [s.pk for s in mine]


def test_creating_a_subscription_names_it_after_its_filters(api, user, region):
    response = api.post(URL, {"keywords": "kultura", "territory": region.pk, "frequency": "daily"}, format="json")

    assert response.status_code == 201, response.json()
    subscription = Subscription.objects.get(user=user)
    assert response.json()["id"] == subscription.pk
    assert "kultura" in subscription.name and subscription.frequency == "daily"


def test_bad_values_answer_400_per_field(api):
    response = api.post(URL, {"applicant_kind": "dragon", "frequency": "hourly"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) >= {"applicant_kind", "frequency"}


def test_a_duplicate_search_answers_400(api):
    api.post(URL, {"keywords": "water"}, format="json")
    response = api.post(URL, {"keywords": "water"}, format="json")

    assert response.status_code == 400


def test_updating_and_deleting_ones_own(api, user):
    subscription = SubscriptionFactory(user=user)

    response = api.patch(f"{URL}{subscription.pk}/", {"frequency": "weekly", "is_active": False}, format="json")
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.is_active) == ("weekly", False)

    assert api.delete(f"{URL}{subscription.pk}/").status_code == 204
    assert not Subscription.objects.exists()


def test_another_persons_subscription_is_404_for_every_method(api):
    other = SubscriptionFactory()

    assert api.get(f"{URL}{other.pk}/").status_code == 404
    assert api.patch(f"{URL}{other.pk}/", {"frequency": "weekly"}, format="json").status_code == 404
    assert api.delete(f"{URL}{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.frequency == "instant"


def test_the_list_accepts_search_and_field_filters(api, user):
    water = SubscriptionFactory(user=user, name="Water alerts", frequency="daily")
    SubscriptionFactory(user=user, name="Sport", keywords="football")

    assert [row["id"] for row in api.get(URL, {"search": "wat"}).json()["results"]] == [water.pk]
    assert [row["id"] for row in api.get(URL, {"frequency": "daily"}).json()["results"]] == [water.pk]


def test_a_subscription_names_its_content_and_a_client_that_does_not_gets_the_calls(api):
    response = api.post(URL, {"keywords": "kultura", "frequency": "daily"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["alertable"] == "calls"
    assert Subscription.objects.get(pk=response.json()["id"]).alertable == "calls"


def test_unknown_content_answers_400_naming_the_field_and_saves_nothing(api):
    response = api.post(URL, {"alertable": "horoscopes", "frequency": "daily"}, format="json")

    assert response.status_code == 400
    assert "alertable" in response.json()
    assert not Subscription.objects.exists()


def test_an_alert_stays_on_its_content(api, user):
    subscription = SubscriptionFactory(user=user)

    response = api.patch(f"{URL}{subscription.pk}/", {"alertable": "events", "name": "Mine"}, format="json")

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert (subscription.alertable, subscription.name) == ("calls", "Mine")


def test_an_alert_may_be_limited_to_applicants_country_given_in_either_case(api, user):
    response = api.post(URL, {"country": "de", "frequency": "daily"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["country"] == "DE"
    subscription = Subscription.objects.get(user=user)
    assert (subscription.country, subscription.name) == ("DE", "applicants from Germany")
    assert api.get(URL).json()["results"][0]["country"] == "DE"


@pytest.mark.parametrize(("language", "message"), [
    ("pl", "„Germany” nie jest kodem kraju: podaj dwuliterowy kod ISO, np. PL."),
    ("tr", "“Germany” bir ülke kodu değil: iki harfli ISO kodunu girin, örneğin PL."),
])
def test_a_bad_country_answers_400_on_its_field_in_the_callers_language(api, language, message):
    response = api.post(URL, {"country": "Germany", "frequency": "daily"}, format="json",
                        HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["country"] == [message]
    assert not Subscription.objects.exists()


def test_changing_the_country_of_ones_own_alert_and_not_of_anothers(api, user):
    mine = SubscriptionFactory(user=user, country="DE")
    other = SubscriptionFactory(country="DE")

    assert api.patch(f"{URL}{mine.pk}/", {"country": "pl"}, format="json").status_code == 200
    assert api.patch(f"{URL}{other.pk}/", {"country": "pl"}, format="json").status_code == 404
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.country, other.country) == ("PL", "DE")


def test_an_alert_may_name_a_programme_and_the_largest_grant(api, user):
    from decimal import Decimal

    from tests.alerts.factories import ProgrammeFactory

    programme = ProgrammeFactory(name="CERV")
    response = api.post(
        "/api/v1/subscriptions/",
        {"programme": programme.pk, "max_amount": "250000", "frequency": "daily"}, format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["programme"], response.json()["max_amount"]) == (programme.pk, "250000.00")
    saved = Subscription.objects.get(user=user)
    assert (saved.programme, saved.max_amount) == (programme, Decimal("250000"))
    assert "CERV" in saved.name
    assert api.post(
        "/api/v1/subscriptions/", {"programme": 999999, "frequency": "daily"}, format="json",
    ).json().keys() == {"programme"}
