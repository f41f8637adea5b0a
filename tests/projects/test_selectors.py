"""What the dashboard reads of the portfolio: projects and budgets by funder, status and currency."""

from decimal import Decimal

import pytest

from civicbridge.projects import selectors
from civicbridge.projects.models import Project
from tests.funding.factories import FunderFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status


def test_projects_and_budgets_by_funder_status_and_currency_in_one_query(django_assert_num_queries):
    bebka = FunderFactory(name="BEBKA")
    ProjectFactory(funder=bebka, status=S.RUNNING, budget=Decimal("100"), co_financing=0)
    ProjectFactory(funder=bebka, status=S.RUNNING, budget=Decimal("50"), co_financing=0)
    ProjectFactory(funder=bebka, status=S.CLOSED, budget=Decimal("10"), co_financing=0, currency="EUR")
    ProjectFactory(funder=None, status=S.IDEA, budget=Decimal("7"), co_financing=0)

    with django_assert_num_queries(1):
        rows = list(selectors.by_funder_and_status(Project.objects.all()))

    assert [(r["funder__name"], r["status"], r["currency"], r["projects"], r["budget"]) for r in rows] == [
        ("BEBKA", "closed", "EUR", 1, Decimal("10")),
        ("BEBKA", "running", "PLN", 2, Decimal("150")),
        (None, "idea", "PLN", 1, Decimal("7")),
    ]
