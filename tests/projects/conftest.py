import pytest

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory


@pytest.fixture
def other_representative(db):
    """A representative of another organization: no right on the first one's projects."""
    person = UserFactory()
    MembershipFactory(user=person, organization=OrganizationFactory())
    return person


@pytest.fixture
def project_data():
    import datetime
    from decimal import Decimal

    return {
        "title": "Akademia lidera",
        "summary": "Szkolenia dla liderów organizacji.",
        "budget": Decimal("200000.00"),
        "co_financing": Decimal("20000.00"),
        "currency": "PLN",
        "start_date": datetime.date(2026, 4, 1),
        "end_date": datetime.date(2027, 3, 31),
    }
