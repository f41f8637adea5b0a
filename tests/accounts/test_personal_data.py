"""A person downloads everything the platform keeps about them, from every app: their alerts,
registrations (signed in or as a guest with their address), support requests and messages,
remarks with every wording they had, seats in working groups and posts; nothing of anyone else."""

import json

import pytest
from django.urls import reverse

from civicbridge.consultations import services as consultations
from civicbridge.events import services as events
from civicbridge.groups import services as groups
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.alerts.factories import SubscriptionFactory
from tests.consultations.factories import ConsultationFactory
from tests.events.factories import EventFactory
from tests.support.factories import MessageFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(organization):
    user = UserFactory(email="anna@example.org")
    MembershipFactory(user=user, organization=organization)
    return user


def test_the_download_holds_what_every_app_keeps_about_the_person_and_nothing_of_others(
    client, person, organization, coordinator
):
    other = UserFactory(email="jan@example.org")
    MembershipFactory(user=other, organization=organization)
    SubscriptionFactory(user=person, name="Granty kultura", keywords="kultura")
    SubscriptionFactory(user=other, name="Cudzy alert")
    event = EventFactory(organizers=[organization], title="Szkolenie z ofert")
    events.register(event=event, by=person)
    events.register(event=EventFactory(organizers=[organization], title="Forum"), name="Anna", email="ANNA@example.org")
    events.register(event=event, by=other)
    request = SupportRequestFactory(organization=organization, created_by=person, subject="Budżet projektu")
    MessageFactory(request=request, author=person, body="Dziękuję za odpowiedź.")
    MessageFactory(request=request, author=coordinator, body="Odpowiedź biura.")
    consultation = ConsultationFactory(title="Projekt programu współpracy")
    section = consultation.sections.order_by("position").first()
    remark = consultations.submit_remark(
        by=person, consultation=consultation, section=section, organization=organization, justification="Pierwsza wersja.",
    )
    consultations.edit_remark(by=person, remark=remark, organization=organization, justification="Druga wersja.")
    group = groups.create_group(by=coordinator, name="Zespół ds. standardów", purpose="Standardy współpracy.")
    groups.appoint_member(by=coordinator, group=group, user=person, organization=organization)
    groups.add_post(by=person, group=group, body="Proponuję termin 21 dni.")
    client.force_login(person)

    response = client.get(reverse("accounts:export_data"))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [alert["name"] for alert in data["alerts"]] == ["Granty kultura"]
    assert sorted(r["event"] for r in data["event_registrations"]) == ["Forum", "Szkolenie z ofert"]
    assert [r["subject"] for r in data["support_requests"]["requests"]] == ["Budżet projektu"]
    assert [m["body"] for m in data["support_requests"]["messages"]] == ["Dziękuję za odpowiedź."]
    (kept,) = data["consultation_remarks"]
    assert kept["justification"] == "Druga wersja." and kept["on_behalf_of"] == organization.name
    assert [v["justification"] for v in kept["versions"]] == ["Pierwsza wersja.", "Druga wersja."]
    assert [m["group"] for m in data["working_groups"]["memberships"]] == ["Zespół ds. standardów"]
    assert [p["body"] for p in data["working_groups"]["posts"]] == ["Proponuję termin 21 dni."]
    assert "Cudzy alert" not in response.content.decode() and "jan@example.org" not in response.content.decode()


def test_the_download_is_for_the_signed_in_person_only(client):
    response = client.get(reverse("accounts:export_data"))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_download_holds_each_alerts_saved_filters_by_the_names_the_person_chose_them_by(
    client, person, county
):
    from decimal import Decimal

    from civicbridge.core.models import ThematicArea
    from tests.alerts.factories import FunderFactory

    area = ThematicArea.objects.order_by("pk").first()
    funder = FunderFactory(name="Narodowy Instytut Wolności")
    SubscriptionFactory(
        user=person, name="Wszystko", keywords="kultura młodzież", funder=funder, applicant_kind="ngo",
        country="DE", territory=county, thematic_area=area, min_amount=Decimal("5000"),
        frequency="weekly", remind_deadlines=False,
    )
    SubscriptionFactory(user=person, name="Bez filtrów")
    client.force_login(person)

    data = json.loads(client.get("/en/accounts/profile/export/").content)

    full, empty = sorted(data["alerts"], key=lambda alert: alert["name"] != "Wszystko")
    assert full["words"] == "kultura młodzież"
    assert full["funder"] == "Narodowy Instytut Wolności"
    assert (full["applicant_kind"], full["applicant_kind_name"]) == ("ngo", "non-governmental organization")
    assert (full["country"], full["country_name"]) == ("DE", "Germany")
    assert (full["territory"], full["territory_code"]) == (county.name_en, "1607")
    assert full["thematic_area"] == area.name_en
    assert full["min_amount"] == "5000.00"
    assert full["frequency"] == "weekly" and full["remind_deadlines"] is False
    assert all(empty[key] is None for key in (
        "funder", "applicant_kind", "country", "territory", "thematic_area", "min_amount"))
