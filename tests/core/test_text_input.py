"""Control characters are refused at input: on pages, in the API and in import rows.

Each refusal is a message tied to its field (or row and column), in the visitor's language,
and nothing is saved.
"""

import csv
import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from civicbridge.accounts.models import Membership
from civicbridge.core.models import ThematicArea
from civicbridge.core.validators import project_models, text_fields
from civicbridge.directory import imports as directory_imports
from civicbridge.directory.exports import HEADERS
from civicbridge.directory.models import Organization
from civicbridge.funding import imports as funding_imports
from civicbridge.funding.models import Call, Funder
from civicbridge.partners.models import PartnerRequest
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import PublicBodyFactory
from tests.funding.factories import CallFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

CONTROL = "\x1b[31m"  # an ANSI escape, as a copy from a terminal brings it


@pytest.fixture
def officer(municipality):
    person = UserFactory()
    MembershipFactory(user=person, organization=PublicBodyFactory(territory=municipality))
    return person


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _edit_data(organization, **overrides):
    return {
        "name": organization.name, "kind": organization.kind, "legal_form": organization.legal_form,
        "territory": organization.territory_id, "description": organization.description, **overrides,
    }


# --- pages -----------------------------------------------------------------------------------------


def test_a_control_character_in_a_description_is_refused_on_the_edit_page(client, organization, representative):
    client.force_login(representative)
    before = organization.description

    response = client.post(
        reverse("directory:organization_edit", args=[organization.slug]),
        _edit_data(organization, description=f"Nowy opis{CONTROL} działalności"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["description"]
    assert "invisible control character (U+001B) at position 10" in errors["description"][0]
    organization.refresh_from_db()
    assert organization.description == before


def test_a_line_break_in_an_organizations_name_is_refused_but_a_description_may_have_lines(
    client, organization, representative
):
    client.force_login(representative)
    url = reverse("directory:organization_edit", args=[organization.slug])

    refused = client.post(url, _edit_data(organization, name="Fundacja\nNowa"))
    accepted = client.post(url, _edit_data(organization, description="Akapit pierwszy.\r\n\r\nAkapit drugi."))

    assert "name" in refused.context["form"].errors
    assert accepted.status_code == 302
    organization.refresh_from_db()
    assert organization.name != "Fundacja\nNowa"
    assert organization.description == "Akapit pierwszy.\r\n\r\nAkapit drugi."


def test_the_refusal_is_in_the_language_of_the_page(client, organization, representative):
    client.force_login(representative)

    response = client.post(
        f"/pl/organizations/{organization.slug}/edit/", _edit_data(organization, description="Opis\x07"),
    )

    assert "niewidoczny znak sterujący (U+0007)" in response.context["form"].errors["description"][0]
    assert "niewidoczny znak sterujący (U+0007)" in response.content.decode()


def test_a_line_break_in_a_call_title_is_refused_on_the_new_call_page(client, officer):
    programme = ProgrammeFactory()
    client.force_login(officer)

    response = client.post("/en/calls/new/", {
        "identifier": "OPOLSKIE-2027-OKO-KULTURA", "title": "Kultura\n2027", "programme": programme.pk,
        "summary": "Otwarty konkurs ofert.", "deadline_model": "single_stage",
        "deadlines-TOTAL_FORMS": "1", "deadlines-INITIAL_FORMS": "0",
        "deadlines-0-date": "2027-01-15", "deadlines-0-time": "15:30", "currency": "PLN",
    })

    assert response.status_code == 200
    assert "single line" in response.context["form"].errors["title"][0]
    assert not Call.objects.exists()


def test_a_control_character_in_a_claim_message_is_refused_and_no_claim_is_made(client, organization, user):
    client.force_login(user)

    response = client.post(
        reverse("directory:organization_claim", args=[organization.slug]), {"message": "Jestem prezesem\x1b."},
        follow=True,
    )

    # The claim is a button on the organization's page: its refusal comes back there.
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("U+001B" in message for message in shown)
    assert not Membership.objects.filter(user=user).exists()


# --- API -------------------------------------------------------------------------------------------


def test_the_api_refuses_a_control_character_with_a_400_naming_the_field(organization, representative):
    before = organization.description

    response = _api(representative).patch(
        f"/api/v1/organizations/{organization.pk}/", {"description": f"Opis{CONTROL}"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["description"]
    assert "U+001B" in response.json()["description"][0]
    organization.refresh_from_db()
    assert organization.description == before


def test_the_api_refuses_a_line_break_in_a_call_title(officer):
    programme = ProgrammeFactory()

    response = _api(officer).post("/api/v1/calls/", {
        "identifier": "OPOLSKIE-2027-OKO-SENIORZY", "title": "Seniorzy\r\n2027", "programme": programme.pk,
        "deadline_model": "single_stage", "deadlines": [{"deadline_at": "2027-01-20T15:30:00"}], "currency": "PLN",
    }, format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert not Call.objects.exists()


def test_the_api_refuses_a_noncharacter_in_a_partner_request(organization, representative):
    response = _api(representative).post("/api/v1/partner-requests/", {
        "organization": organization.pk, "direction": "offering", "title": "We offer a partner school",
        "description": "Our school\uffff joins KA210 partnerships.", "partner_kinds": ["school"],
        "thematic_areas": [ThematicArea.objects.get(code="eu-education-training").pk],
    }, format="json")

    assert response.status_code == 400
    assert "description" in response.json()
    assert not PartnerRequest.objects.exists()


def test_the_api_answers_in_the_requested_language(organization, representative):
    response = _api(representative).patch(
        f"/api/v1/organizations/{organization.pk}/", {"name": "Fundacja\tNowa"}, format="json",
        HTTP_ACCEPT_LANGUAGE="tr",
    )

    assert response.status_code == 400
    assert "satır sonunu veya sekmeyi kaldırın" in response.json()["name"][0]


# --- imports ---------------------------------------------------------------------------------------


def _organizations_csv(*rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()
    for values in rows:
        writer.writerow({header: "" for header in HEADERS} | {
            "name": "Stowarzyszenie Nowe", "kind": "ngo", "territory_code": "1607053",
        } | values)
    return buffer.getvalue().encode("utf-8")


def test_an_organizations_import_row_with_a_control_character_is_reported_and_nothing_is_written(coordinator):
    content = _organizations_csv(
        {"name": "Stowarzyszenie Pierwsze"},
        {"name": "Stowarzyszenie\x00Drugie", "registry_type": "krs", "registry_number": "0000\x00123456"},
        {"description": "Linia pierwsza\nlinia druga"},
    )

    report = directory_imports.import_organizations(by=coordinator, name="o.csv", content=content, dry_run=False)

    assert {(e.row, e.column) for e in report.errors} == {(3, "name"), (3, "registry_number")}
    assert not report.written
    assert not Organization.objects.exists()


def test_a_calls_import_record_with_a_control_character_is_reported_and_nothing_is_written(coordinator):
    ProgrammeFactory(code="CERV")
    records = [
        {"identifier": "CERV-2027-A", "title": "Town\ntwinning", "frameworkProgramme": "CERV",
         "deadlineDate": "2027-03-02T17:00:00+01:00", "summary": "Two\nlines are fine."},
        {"identifier": "CERV-2027-B\x00", "title": "Networks", "frameworkProgramme": "CERV",
         "deadlineDate": "2027-03-02T17:00:00+01:00", "keywords": ["ok", "bad\x07"]},
    ]

    report = funding_imports.import_calls(
        by=coordinator, name="calls.json", content=json.dumps(records).encode(), dry_run=False
    )

    assert {(e.row, e.column) for e in report.errors} == {(1, "title"), (2, "identifier"), (2, "keywords")}
    assert not report.written
    assert not Call.objects.exists()


def test_an_unchanged_call_imported_again_with_clean_text_still_imports(coordinator):
    call = CallFactory(identifier="CERV-2027-C", title="Clean title")

    report = funding_imports.import_calls(
        by=coordinator, name="calls.json", dry_run=True,
        content=json.dumps([{"identifier": call.identifier, "title": "Clean title, again",
                             "frameworkProgramme": call.programme.code}]).encode(),
    )

    assert report.errors == []


# --- admin and every model ---------------------------------------------------------------------------


def test_the_admin_refuses_a_control_character_too(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, is_coordinator=True))

    response = client.post("/en/admin/funding/funder/add/", {
        "name": "Fundusz\x07 Lokalny", "slug": "fundusz-lokalny", "kind": "other", "time_zone": "Europe/Warsaw",
        "programmes-TOTAL_FORMS": "0", "programmes-INITIAL_FORMS": "0",
    })

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert not Funder.objects.exists()


def test_every_text_field_of_every_model_refuses_control_characters():
    checked = 0
    for model in project_models():
        for field in text_fields(model):
            multiline = field.get_internal_type() == "TextField"
            with pytest.raises(ValidationError):
                field.run_validators("a\x01b")
            if not multiline:
                with pytest.raises(ValidationError):
                    field.run_validators("a\nb")
            checked += 1

    assert checked > 60
