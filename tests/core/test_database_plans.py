"""PostgreSQL plans each statement for its own parameters, prepared or not."""

import pytest
from django.db import connection

from civicbridge.directory.models import Organization

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements and their plans are PostgreSQL's")
def test_a_statement_run_often_is_still_planned_for_its_parameters():
    """After five runs of one prepared statement PostgreSQL may otherwise keep a generic plan,
    made without the parameters: where the data are skewed (a country of few organizations
    among many) it fits none, and a page of milliseconds took seconds."""
    for _ in range(8):  # past the point where a generic plan would be chosen
        list(Organization.objects.filter(country="TR").values_list("pk")[:5])
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        assert cursor.fetchone()[0] == "force_custom_plan"
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE generic_plans > 0")
        assert cursor.fetchone()[0] == 0
