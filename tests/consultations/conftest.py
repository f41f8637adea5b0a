import pytest

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.directory.factories import PublicBodyFactory


@pytest.fixture
def body(municipality):
    return PublicBodyFactory(territory=municipality)


@pytest.fixture
def officer(body):
    person = UserFactory()
    MembershipFactory(user=person, organization=body)
    return person


@pytest.fixture
def consultation(body):
    return ConsultationFactory(issuing_body=body)


@pytest.fixture
def citizen(db):
    return UserFactory()
