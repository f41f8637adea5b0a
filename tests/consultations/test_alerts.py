"""New consultations reach the people who subscribed to their territory or thematic area."""

import datetime

import pytest
from django.utils import timezone

from civicbridge.alerts.models import Subscription
from civicbridge.consultations import services
from civicbridge.consultations.models import Consultation
from tests.accounts.factories import UserFactory
from tests.alerts.outbox import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def subscribe(territory=None, language="en", **values):
    return Subscription.objects.create(
        user=UserFactory(preferred_language=language),
        alertable="consultations",
        name="Konsultacje w regionie",
        territory=territory,
        frequency=Subscription.Frequency.INSTANT,
        **values,
    )


def open_and_publish(officer, body, territory, capture):
    starts = timezone.now() + datetime.timedelta(hours=1)
    consultation = services.create_consultation(
        by=officer,
        data={
            "title": "Projekt programu współpracy",
            "kind": Consultation.Kind.COOPERATION_PROGRAMME,
            "issuing_body": body,
            "territory": territory,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(days=14),
        },
    )
    services.add_section(by=officer, consultation=consultation, label="§ 1", text="Treść.")
    with capture(execute=True):
        services.publish_consultation(by=officer, consultation=consultation)
    return consultation


def test_subscribers_of_the_region_hear_of_a_new_consultation(
    officer, body, region, county, other_county, django_capture_on_commit_callbacks
):
    in_region = subscribe(territory=region)
    in_polish = subscribe(territory=county, language="pl")
    elsewhere = subscribe(territory=other_county)

    consultation = open_and_publish(officer, body, county, django_capture_on_commit_callbacks)

    by_address = {mail.to[0]: mail for mail in delivered()}
    assert set(by_address) == {in_region.user.email, in_polish.user.email}
    assert elsewhere.user.email not in by_address
    assert by_address[in_region.user.email].subject == f"New consultation: {consultation.title}"
    assert f"/pl/consultations/{consultation.pk}/" in by_address[in_polish.user.email].body


def test_a_draft_tells_nobody(officer, body, county, django_capture_on_commit_callbacks):
    subscribe()
    starts = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_consultation(
            by=officer,
            data={
                "title": "Szkic",
                "kind": Consultation.Kind.OTHER,
                "issuing_body": body,
                "territory": county,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(days=14),
            },
        )
    assert delivered() == []
