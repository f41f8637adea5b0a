import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicbridge.groups import services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

from .factories import WorkingGroupFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="standard.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def group(db):
    return WorkingGroupFactory(name="Zespół ds. standardu konsultacji")


@pytest.fixture
def public_body(municipality):
    return PublicBodyFactory(
        name="Urząd Marszałkowski Województwa Opolskiego", territory=municipality
    )


@pytest.fixture
def officer(public_body):
    person = UserFactory(username="officer1", first_name="Anna", last_name="Urzędnik")
    MembershipFactory(user=person, organization=public_body)
    return person


@pytest.fixture
def ngo(municipality):
    return OrganizationFactory(name="Stowarzyszenie Aktywni Razem", territory=municipality)


@pytest.fixture
def activist(ngo):
    person = UserFactory(username="activist1", first_name="Jan", last_name="Społecznik")
    MembershipFactory(user=person, organization=ngo)
    return person


@pytest.fixture
def chair(group, coordinator, officer, public_body):
    """``officer`` appointed and made chair, sitting for the public body."""
    return services.appoint_member(
        by=coordinator, group=group, user=officer, organization=public_body, as_chair=True
    )


@pytest.fixture
def member(group, coordinator, activist, ngo):
    return services.appoint_member(by=coordinator, group=group, user=activist, organization=ngo)


@pytest.fixture
def pdf_upload():
    return pdf()
