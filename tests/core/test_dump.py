"""``civicbridge dumpdata`` leaves out what the database keeps by its triggers, and a load of the
dump makes it anew (docs/operators.md §5.5, moving from SQLite to PostgreSQL)."""

import io
import json

import pytest
from django.core.management import call_command

from civicbridge.core.management.commands.dumpdata import kept_model_labels
from civicbridge.core.models import RowCount, ThematicArea
from civicbridge.directory.models import (
    LISTED_COUNT,
    AreaPair,
    Organization,
    OrganizationAreaTally,
    OrganizationTally,
)
from tests.directory.factories import OrganizationFactory
from tests.directory.test_area_pairs import assert_pairs_exact
from tests.directory.test_tally import assert_tally_exact

pytestmark = pytest.mark.django_db

KEPT = {"core.rowcount", "directory.organizationtally", "directory.organizationareatally", "directory.areapair"}


@pytest.fixture
def registry(municipality):
    areas = list(ThematicArea.objects.order_by("id")[:3])
    for organization in OrganizationFactory.create_batch(4, territory=municipality):
        organization.thematic_areas.set(areas)
    OrganizationFactory(territory=municipality, kind=Organization.Kind.SCHOOL).thematic_areas.set(areas[:2])


def dumped_models(*labels) -> set[str]:
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out)
    return {row["model"] for row in json.loads(out.getvalue())}


def test_the_kept_tables_are_the_ones_the_triggers_write():
    assert set(kept_model_labels()) == KEPT


def test_a_dump_of_the_apps_leaves_out_the_kept_tables_unless_named(registry):
    dumped = dumped_models("core", "directory")
    assert "directory.organization" in dumped
    assert not dumped & KEPT
    assert dumped_models("directory.areapair") == {"directory.areapair"}  # named: dumped


def test_a_load_of_the_dump_makes_the_kept_tables_anew_counted_once(registry, tmp_path):
    dump = tmp_path / "registry.json"
    call_command("dumpdata", "directory", output=str(dump))  # the app, its kept tables with it
    listed = Organization.objects.listed().count()
    Organization.objects.all().delete()
    assert RowCount.objects.get(name=LISTED_COUNT.name).n == 0
    # As in the database an installation moves to: none of the kept rows yet.
    for model in (OrganizationTally, OrganizationAreaTally, AreaPair):
        model.objects.all().delete()

    call_command("loaddata", str(dump), verbosity=0)

    assert Organization.objects.listed().count() == listed == 5
    assert RowCount.objects.get(name=LISTED_COUNT.name).n == listed
    assert_tally_exact()
    assert_pairs_exact()
