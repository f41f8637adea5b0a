"""What is already stored is cleaned: by the data migrations and by `civicbridge clean_stored_text`."""

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from civicbridge.directory.models import Organization
from civicbridge.funding.models import Call, CallDeadline
from tests.accounts.factories import UserFactory
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db

NUL = "" if connection.vendor == "postgresql" else "\x00"


def _stored(organization_name="Fundacja\x01 Nowa", description=f"Opis{NUL}\x1b[0m\nw dwóch\x7f liniach"):
    organization = OrganizationFactory(name=organization_name, description=description)
    # An old row: written before this release, so not through any check.
    Organization.objects.filter(pk=organization.pk).update(updated_at=organization.updated_at - timedelta(days=30))
    return Organization.objects.get(pk=organization.pk)


def test_the_command_removes_control_characters_and_keeps_the_lines_of_multi_line_text():
    organization = _stored()

    call_command("clean_stored_text", stdout=StringIO())

    organization.refresh_from_db()
    assert organization.name == "Fundacja Nowa"
    assert organization.description == "Opis[0m\nw dwóch liniach"


def test_the_command_joins_the_lines_of_single_line_fields_in_every_app():
    call = CallFactory(title="Granty\r\ndla szkół\x07", summary="Akapit\x02\n\nDrugi")
    CallDeadline.objects.filter(call=call).update(label="Etap\npierwszy")
    request = PartnerRequestFactory(title="Szukamy\tpartnera", description="Opis\x0c projektu\nw liniach")
    person = UserFactory(first_name="Anna\x08", last_name="Nowak\n")

    call_command("clean_stored_text", stdout=StringIO())

    call.refresh_from_db()
    request.refresh_from_db()
    person.refresh_from_db()
    assert (call.title, call.summary) == ("Granty dla szkół", "Akapit\n\nDrugi")
    assert CallDeadline.objects.get(call=call).label == "Etap pierwszy"
    assert (request.title, request.description) == ("Szukamy partnera", "Opis projektu\nw liniach")
    assert (person.first_name, person.last_name) == ("Anna", "Nowak ")


def test_a_cleaned_row_counts_as_changed_so_cached_outputs_are_rebuilt():
    organization = _stored()
    before = organization.updated_at

    call_command("clean_stored_text", stdout=StringIO())

    organization.refresh_from_db()
    assert organization.updated_at > before


def test_clean_rows_are_left_alone():
    organization = _stored(organization_name="Fundacja Czysta", description="Opis\nw liniach\tz tabulatorem")
    before = organization.updated_at

    out = StringIO()
    call_command("clean_stored_text", stdout=out)

    organization.refresh_from_db()
    assert organization.updated_at == before
    assert "0 rows changed." in out.getvalue()


def test_a_dry_run_counts_the_rows_and_changes_nothing():
    organization = _stored()
    CallFactory(title="Tytuł\x01")

    out = StringIO()
    call_command("clean_stored_text", "--dry-run", stdout=out)

    organization.refresh_from_db()
    assert organization.name == "Fundacja\x01 Nowa"
    assert Call.objects.filter(title="Tytuł\x01").exists()
    assert "directory.Organization: 1" in out.getvalue()
    assert "funding.Call: 1" in out.getvalue()
    assert "2 rows would change." in out.getvalue()


@pytest.mark.parametrize(
    "module",
    [
        "civicbridge.directory.migrations.0004_clean_stored_text",
        "civicbridge.funding.migrations.0006_clean_stored_text",
        "civicbridge.partners.migrations.0003_clean_stored_text",
        "civicbridge.accounts.migrations.0006_clean_stored_text",
    ],
)
def test_each_apps_data_migration_cleans_its_own_rows(module):
    organization = _stored()
    call = CallFactory(title="Tytuł\nnaboru")
    request = PartnerRequestFactory(title="Tytuł\x1b")
    person = UserFactory(first_name="Ewa\x01")
    migration = importlib.import_module(module)

    # As migrate runs it: with the models as they were at that migration (funding's then held
    # the subscriptions, which have since moved to the alerts app).
    app, name = module.split(".")[1], module.split(".")[-1]
    migration.clean_stored_text(MigrationLoader(connection).project_state((app, name)).apps, None)

    organization.refresh_from_db()
    call.refresh_from_db()
    request.refresh_from_db()
    person.refresh_from_db()
    assert (organization.name == "Fundacja Nowa") == (app == "directory")
    assert (call.title == "Tytuł naboru") == (app == "funding")
    assert (request.title == "Tytuł") == (app == "partners")
    assert (person.first_name == "Ewa") == (app == "accounts")

