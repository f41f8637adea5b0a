import pytest


@pytest.fixture
def public_body(municipality):
    from tests.directory.factories import PublicBodyFactory

    return PublicBodyFactory(territory=municipality)


@pytest.fixture
def officer(public_body):
    """An approved member of a public body."""
    from tests.accounts.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=public_body)
    return person


@pytest.fixture
def colleague(public_body):
    """Another officer of the same public body."""
    from tests.accounts.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=public_body)
    return person


@pytest.fixture
def other_officer(municipality):
    """An officer of another public body."""
    from tests.accounts.factories import MembershipFactory, UserFactory
    from tests.directory.factories import PublicBodyFactory

    person = UserFactory()
    MembershipFactory(user=person, organization=PublicBodyFactory(territory=municipality))
    return person


@pytest.fixture
def programme(db):
    from tests.funding.factories import ProgrammeFactory

    return ProgrammeFactory()


@pytest.fixture
def alerts_heard(monkeypatch):
    """What the alerts were told, as ("published" | "deadlines", identifier, revision)."""
    from civicbridge.funding import alerts

    heard = []
    monkeypatch.setattr(alerts, "call_published", lambda call: heard.append(("published", call.identifier, call.deadlines_revision)))
    monkeypatch.setattr(alerts, "deadlines_changed", lambda call: heard.append(("deadlines", call.identifier, call.deadlines_revision)))
    return heard
