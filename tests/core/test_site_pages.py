"""The authority's own pages (privacy notice, accessibility statement, contact), written by a
coordinator in three languages, and the consent to the privacy notice given at sign-up."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from civicbridge.accounts.models import User
from civicbridge.core import services
from civicbridge.core.models import SitePage

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-42"


def _publish(coordinator, kind="privacy", **texts):
    titles = {code: texts.get(f"title_{code}", "") for code in ("en", "pl", "tr")}
    bodies = {code: texts.get(f"body_{code}", "") for code in ("en", "pl", "tr")}
    return services.publish_site_page(kind=kind, by=coordinator, titles=titles, bodies=bodies)


@pytest.mark.parametrize("name", ["core:privacy", "core:accessibility", "core:contact"])
def test_each_page_reads_the_platforms_text_until_the_authority_writes_its_own(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "Marshal&#x27;s Office of the Opole Voivodeship" in response.content.decode()
    assert "Edit this page" not in response.content.decode()


def test_every_page_links_to_the_three_pages_and_the_contact_address(client):
    body = client.get(reverse("core:home")).content.decode()
    footer = body[body.index("<footer"):]

    for name in ("core:privacy", "core:accessibility", "core:contact"):
        assert f'href="{reverse(name)}"' in footer
    assert "mailto:biuro.koordynacji@demo.civicbridge.invalid" in footer


def test_a_coordinator_publishes_the_page_in_three_languages(client, coordinator):
    client.force_login(coordinator)
    data = {
        "title_en": "Privacy notice", "body_en": "We keep **little**.",
        "title_pl": "Klauzula informacyjna", "body_pl": "Przechowujemy **mało**.",
        "title_tr": "Aydınlatma metni", "body_tr": "**Az** veri saklıyoruz.",
    }

    response = client.post(reverse("core:edit_site_page", args=["privacy"]), data)

    assert response.status_code == 302
    assert "<strong>little</strong>" in client.get("/en/privacy/").content.decode()
    assert "Klauzula informacyjna" in client.get("/pl/privacy/").content.decode()
    assert "<strong>Az</strong> veri" in client.get("/tr/privacy/").content.decode()


def test_a_language_left_empty_shows_the_default_languages_text(client, coordinator):
    _publish(coordinator, kind="contact", title_pl="Kontakt", body_pl="Zapraszamy.")

    assert "Zapraszamy." in client.get("/tr/contact/").content.decode()


def test_a_new_version_keeps_the_earlier_one_on_record(coordinator):
    first = _publish(coordinator, body_en="First text.")
    second = _publish(coordinator, body_en="Second text.")

    assert (first.version, second.version) == (1, 2)
    assert SitePage.objects.get(kind="privacy", version=1).body_en == "First text."


@pytest.mark.parametrize("who", ["anonymous", "user", "representative"])
def test_only_a_coordinator_may_edit(client, who, user, representative):
    person = {"anonymous": None, "user": user, "representative": representative}[who]
    if person:
        client.force_login(person)

    response = client.post(reverse("core:edit_site_page", args=["privacy"]), {"body_en": "Mine now."})

    assert response.status_code in (302, 403)
    assert not SitePage.objects.exists()
    if person:
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            _publish(person, body_en="Mine now.")


def test_an_empty_page_or_a_control_character_is_refused_with_a_message_and_saves_nothing(client, coordinator):
    client.force_login(coordinator)

    empty = client.post(reverse("core:edit_site_page", args=["privacy"]), {"title_en": "Nothing"})
    unsafe = client.post(reverse("core:edit_site_page", args=["privacy"]), {"body_en": "bad\x07text"})

    assert "Write the page in at least one language." in empty.content.decode()
    assert unsafe.status_code == 200 and "error-summary" in unsafe.content.decode()
    assert not SitePage.objects.exists()
    with pytest.raises(ValidationError):
        _publish(coordinator, body_en="bad\x07text")


def test_an_unknown_page_is_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/en/pages/terms/edit/").status_code == 404


@pytest.mark.skipif(connection.vendor == "sqlite", reason="two writers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_publishing_at_once_get_distinct_versions_or_a_message(coordinator):
    from tests.accounts.factories import UserFactory

    other = UserFactory(is_coordinator=True)
    outcomes, barrier = [], threading.Barrier(2)

    def publish(person, text):
        barrier.wait()
        try:
            outcomes.append(_publish(person, body_en=text).version)
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(p, t)) for p, t in ((coordinator, "A"), (other, "B"))]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]

    versions = sorted(v for v in outcomes if isinstance(v, int))
    assert versions in ([1, 2], [1])
    assert SitePage.objects.count() == len(versions)
    assert all("a moment ago" in v for v in outcomes if isinstance(v, str))


# --- consent at sign-up -------------------------------------------------------------------------


def _sign_up(client, **overrides):
    data = {"username": "newcomer", "email": "newcomer@example.org", "preferred_language": "en",
            "password1": PASSWORD, "password2": PASSWORD, "accept_privacy": "on", **overrides}
    return client.post(reverse("accounts:sign_up"), data)


def test_signing_up_records_the_consent_and_the_notices_version(client, coordinator):
    _publish(coordinator, body_en="Version one.")
    _publish(coordinator, body_en="Version two.")

    _sign_up(client)

    person = User.objects.get(username="newcomer")
    assert person.privacy_accepted_at is not None
    assert person.privacy_notice_version == 2


def test_before_the_authority_writes_a_notice_the_consent_names_the_platforms_text(client):
    _sign_up(client)

    assert User.objects.get(username="newcomer").privacy_notice_version == 0


def test_without_the_consent_no_account_is_made_and_the_form_says_why(client):
    response = _sign_up(client, accept_privacy="")

    assert "Read the privacy notice and accept it to sign up." in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_the_sign_up_form_links_to_the_privacy_notice(client):
    body = client.get(reverse("accounts:sign_up")).content.decode()

    assert f'href="{reverse("core:privacy")}"' in body
