"""A repeated identical submission (same person, same content, within the window) makes one object.

The guard is a unique key in the database (``core.duplicates.SubmissionKey``), so that copies
sent at the same moment by parallel requests also make one object: proven with threads, each
with its own connection, on PostgreSQL.
"""

import datetime
import threading
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, connections, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from civicbridge.core.duplicates import SubmissionKey, is_repeat
from civicbridge.core.models import ThematicArea
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import Organization, Plenipotentiary
from civicbridge.funding import services as funding_services
from civicbridge.funding.models import Call
from civicbridge.partners import phases
from civicbridge.partners import services as partner_services
from civicbridge.partners.models import PartnerRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory
from tests.funding.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def request_data(**overrides):
    values = {
        "direction": PartnerRequest.Direction.SEEKING,
        "title": "Wymiana młodzieży o klimacie",
        "description": "Szukamy partnerów do wymiany młodzieży.",
        "role_sought": "partner",
        "partner_kinds": ["ngo"],
        "countries": ["DE"],
        "deadline": phases.today() + datetime.timedelta(days=14),
    }
    values.update(overrides)
    return values


def age_every_key(seconds: int) -> None:
    SubmissionKey.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


# --- the service -------------------------------------------------------------------------------


def test_the_same_request_posted_twice_makes_one_and_the_repeat_answers_with_it(representative, organization):
    first = partner_services.post_request(by=representative, organization=organization, data=request_data())
    second = partner_services.post_request(by=representative, organization=organization, data=request_data())

    assert second.pk == first.pk
    assert is_repeat(second) and not is_repeat(first)
    assert PartnerRequest.objects.count() == 1


def test_spacing_and_the_order_of_chosen_areas_do_not_make_a_different_submission(representative, organization):
    areas = list(ThematicArea.objects.order_by("code")[:2])
    first = partner_services.post_request(
        by=representative, organization=organization, data=request_data(), thematic_areas=areas
    )
    again = partner_services.post_request(
        by=representative, organization=organization,
        data=request_data(title="  Wymiana  młodzieży o klimacie "), thematic_areas=list(reversed(areas)),
    )

    assert again.pk == first.pk


def test_different_content_makes_a_second_request(representative, organization):
    partner_services.post_request(by=representative, organization=organization, data=request_data())
    partner_services.post_request(by=representative, organization=organization, data=request_data(title="Inny tytuł"))

    assert PartnerRequest.objects.count() == 2


def test_another_person_sending_the_same_content_makes_their_own(representative, organization):
    colleague = MembershipFactory(organization=organization).user

    partner_services.post_request(by=representative, organization=organization, data=request_data())
    partner_services.post_request(by=colleague, organization=organization, data=request_data())

    assert PartnerRequest.objects.count() == 2


def test_the_same_content_after_the_window_is_a_new_submission(representative, organization, settings):
    settings.CIVICBRIDGE_DUPLICATE_WINDOW_SECONDS = 300
    first = partner_services.post_request(by=representative, organization=organization, data=request_data())
    age_every_key(299)
    assert partner_services.post_request(by=representative, organization=organization, data=request_data()).pk == first.pk

    age_every_key(301)
    later = partner_services.post_request(by=representative, organization=organization, data=request_data())

    assert later.pk != first.pk
    assert PartnerRequest.objects.count() == 2


def test_a_refused_submission_leaves_no_key_behind(representative, organization):
    with pytest.raises(ValidationError):
        partner_services.post_request(
            by=representative, organization=organization,
            data=request_data(deadline=phases.today() - datetime.timedelta(days=1)),
        )

    assert not SubmissionKey.objects.exists()


def test_a_deleted_first_object_does_not_swallow_the_repeat(representative, organization, coordinator):
    first = partner_services.post_request(by=representative, organization=organization, data=request_data())
    PartnerRequest.objects.filter(pk=first.pk).delete()

    again = partner_services.post_request(by=representative, organization=organization, data=request_data())

    assert PartnerRequest.objects.filter(pk=again.pk).exists()
    assert not is_repeat(again)


def test_the_key_is_unique_in_the_database_itself():
    SubmissionKey.objects.create(key="a" * 64, kind="partners.request")

    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionKey.objects.create(key="a" * 64, kind="partners.request")


def test_an_organization_registered_twice_is_one_entry_with_one_request(user, municipality):
    data = {"name": "Fundacja Raz", "kind": "ngo", "territory": municipality}

    first = directory_services.create_organization(by=user, data=data)
    second = directory_services.create_organization(by=user, data=dict(data))

    assert second.pk == first.pk
    assert Organization.objects.filter(name="Fundacja Raz").count() == 1
    assert first.memberships.count() == 1


def test_a_call_entered_twice_is_one_call(coordinator):
    programme = ProgrammeFactory()
    data = {
        "identifier": "CERV-2027-TT", "title": "Town-twinning", "summary": "Meetings.", "programme": programme,
        "deadline_model": Call.DeadlineModel.SINGLE_STAGE, "currency": "EUR", "max_grant": Decimal("60000"),
    }
    deadline = datetime.datetime(2027, 3, 19, 16, 0, tzinfo=UTC)

    first = funding_services.create_call(by=coordinator, data=data, deadlines=[deadline])
    second = funding_services.create_call(by=coordinator, data=dict(data), deadlines=[deadline])

    assert second.pk == first.pk
    assert Call.objects.count() == 1


def test_a_plenipotentiary_named_twice_is_one(coordinator, municipality):
    body = PublicBodyFactory(territory=municipality)

    first = directory_services.create_plenipotentiary(public_body=body, by=coordinator, data={"full_name": "Jan Nowak"})
    second = directory_services.create_plenipotentiary(public_body=body, by=coordinator, data={"full_name": "Jan Nowak"})

    assert second.pk == first.pk
    assert Plenipotentiary.objects.count() == 1


# --- pages and API -------------------------------------------------------------------------------


def _form(organization):
    return {
        "organization": organization.pk, "direction": "seeking", "title": "Szukamy partnera do KA210",
        "description": "Małe partnerstwo.", "role_sought": "partner", "partner_kinds": ["ngo"],
        "countries": ["DE"], "deadline": (phases.today() + datetime.timedelta(days=20)).isoformat(),
    }


def test_the_page_redirects_a_repeated_post_to_the_first_request(client, representative, organization):
    client.force_login(representative)

    first = client.post("/en/partners/new/", _form(organization))
    second = client.post("/en/partners/new/", _form(organization))

    partner_request = PartnerRequest.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == partner_request.get_absolute_url()


def test_the_api_answers_201_then_200_with_the_same_request(representative, organization):
    client = APIClient()
    client.force_authenticate(representative)
    body = {k: v for k, v in _form(organization).items()}

    first = client.post("/api/v1/partner-requests/", body, format="json")
    second = client.post("/api/v1/partner-requests/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert PartnerRequest.objects.count() == 1


def test_the_api_answers_201_then_200_for_an_organization(user, municipality):
    client = APIClient()
    client.force_authenticate(user)
    body = {"name": "Fundacja Dwa Razy", "kind": "ngo", "territory": municipality.pk}

    first = client.post("/api/v1/organizations/", body, format="json")
    second = client.post("/api/v1/organizations/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_the_schema_documents_the_200_answer_to_a_repeat(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    for path in ("/api/v1/partner-requests/", "/api/v1/organizations/", "/api/v1/calls/", "/api/v1/plenipotentiaries/"):
        assert {"200", "201"} <= set(schema["paths"][path]["post"]["responses"]), path


# --- at the same moment ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_identical_parallel_posts_make_one_request(municipality):
    if connection.vendor != "postgresql":
        # The in-memory test database's shared cache answers "table is locked" instead of waiting.
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    organization = OrganizationFactory(territory=municipality)
    person = MembershipFactory(organization=organization).user
    copies = 20
    barrier = threading.Barrier(copies, timeout=30)
    answers: list = []

    def post():
        try:
            barrier.wait()
            answers.append(partner_services.post_request(by=person, organization=organization, data=request_data()).pk)
        except Exception as error:  # reported by the assertion below
            answers.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    close_old_connections()
    assert PartnerRequest.objects.count() == 1
    assert answers == [PartnerRequest.objects.get().pk] * copies


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_registrations_of_the_same_organization_by_one_person_make_one(municipality):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's concurrent transactions")
    person = UserFactory()
    copies = 8
    barrier = threading.Barrier(copies, timeout=30)
    answers: list = []

    def register():
        try:
            barrier.wait()
            answers.append(directory_services.create_organization(
                by=person, data={"name": "Fundacja Równoległa", "kind": "ngo", "territory": municipality}
            ).pk)
        except Exception as error:  # reported by the assertion below
            answers.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    close_old_connections()
    assert Organization.objects.filter(name="Fundacja Równoległa").count() == 1
    assert len(set(answers)) == 1, answers


def test_the_periodic_purge_deletes_only_keys_past_the_window(db):
    from datetime import timedelta

    from django.utils import timezone

    from civicbridge.core.duplicates import SubmissionKey, purge_expired_submission_keys

    SubmissionKey.objects.create(key="old", kind="test", created_at=timezone.now() - timedelta(hours=1))
    SubmissionKey.objects.create(key="new", kind="test")

    assert purge_expired_submission_keys.call() == 1
    assert list(SubmissionKey.objects.values_list("key", flat=True)) == ["new"]
