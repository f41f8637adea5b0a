"""Subscribers of standards hear of each standard put in the library, in their language."""

import datetime

import pytest

from civicbridge.alerts.models import Subscription
from civicbridge.groups import services
from civicbridge.groups.models import Stage
from tests.accounts.factories import UserFactory
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def subscribe(language="en", **values):
    return Subscription.objects.create(
        user=UserFactory(preferred_language=language),
        alertable="standards",
        name="Standardy współpracy",
        frequency=Subscription.Frequency.INSTANT,
        **values,
    )


def test_subscribers_hear_of_a_published_standard_and_not_before(
    group, chair, coordinator, public_body, django_capture_on_commit_callbacks
):
    everything = subscribe()
    in_polish = subscribe(language="pl", keywords="partnerstwo")
    other_words = subscribe(keywords="sport")
    standard = services.create_standard(
        by=chair.user,
        group=group,
        title="Model partnerstwa",
        text="Partnerstwo samorządu i organizacji.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move_standard(
            by=coordinator, standard=standard, to_stage=Stage.IN_CONSULTATION, note="BIP"
        )
        services.move_standard(
            by=coordinator,
            standard=standard,
            to_stage=Stage.ADOPTED,
            resolution_number="3/2025",
            resolution_date=datetime.date(2025, 1, 10),
            adopting_body=public_body,
        )
    assert delivered() == []

    with django_capture_on_commit_callbacks(execute=True):
        services.move_standard(by=coordinator, standard=standard, to_stage=Stage.PUBLISHED)

    by_address = {mail.to[0]: mail for mail in delivered()}
    assert set(by_address) == {everything.user.email, in_polish.user.email}
    assert other_words.user.email not in by_address
    assert by_address[everything.user.email].subject == "New standard published: Model partnerstwa"
    assert "resolution 3/2025" in by_address[everything.user.email].body
    assert by_address[in_polish.user.email].subject.startswith("Opublikowano nowy standard")
    assert f"/pl/standards/{standard.pk}/" in by_address[in_polish.user.email].body


def test_the_library_offers_an_alert_of_its_search(client, user):
    client.force_login(user)
    page = client.get("/en/standards/", {"q": "partnerstwo"}).content.decode()
    assert 'href="/en/alerts/subscribe/standards/?q=partnerstwo"' in page
    form = client.get("/en/alerts/subscribe/standards/", {"q": "partnerstwo"})
    assert form.status_code == 200 and "partnerstwo" in form.content.decode()
