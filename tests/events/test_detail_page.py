"""An event's page: its body is a Jinja2 template (events/jinja2/events/event_detail_body.html) drawn
inside the Django page; what it shows in the cases the other tests do not reach."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from civicbridge.events import services
from tests.accounts.factories import UserFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def page(client, event, language="en"):
    with translation.override(language):
        return client.get(reverse("events:event_detail", kwargs={"pk": event.pk}))


def test_a_full_event_counts_its_waiting_list_and_a_waiting_person_sees_their_place(client, organization):
    event = EventFactory(organizers=[organization], capacity=1)
    person = UserFactory(email="marta@example.org")
    services.register(event=event, name="Anna", email="anna@example.org")
    services.register(event=event, name="Jan", email="jan@example.org")
    services.register(event=event, by=person)
    client.force_login(person)

    body = page(client, event).content.decode()

    assert "1 of 1 taken · 2 people on the waiting list" in body
    assert "You are on the waiting list (number 2)." in body


def test_the_registration_window_and_a_cancellation_are_dated_on_the_sites_clock(client, organization):
    moment = datetime.datetime(2027, 3, 9, 23, 30, tzinfo=datetime.UTC)  # 10 March, 00:30 in Warsaw
    event = EventFactory(organizers=[organization], registration_opens_at=moment, cancelled_at=moment,
                         registration_closes_at=moment + datetime.timedelta(days=2))

    body = page(client, event).content.decode()

    assert "from 10 March 2027, 00:30 until 12 March 2027, 00:30" in body
    assert "This event was cancelled on 10 March 2027." in body


def test_a_refused_registration_is_drawn_again_with_its_errors_linked_to_their_fields(client, event):
    with translation.override("en"):
        response = client.post(reverse("events:event_register", kwargs={"pk": event.pk}), {"name": "", "email": "x"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    assert 'href="#id_name"' in body and 'href="#id_email"' in body


def test_the_organizers_representative_may_publish_a_draft_and_its_text_is_escaped(client, organization, representative):
    event = EventFactory(organizers=[organization], published_at=None, title="<b>Tom & Jerry</b>")
    client.force_login(representative)

    body = page(client, event).content.decode()

    assert f'action="{reverse("events:event_publish", kwargs={"pk": event.pk})}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "<h1>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</h1>" in body
