import pytest

from tests.events.factories import EventFactory


@pytest.fixture
def event(organization):
    return EventFactory(organizers=[organization])


@pytest.fixture
def last_seat(organization):
    return EventFactory(organizers=[organization], capacity=1)
