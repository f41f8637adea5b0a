"""The portfolio in the IATI activity standard 2.03: valid against the schema IATI publishes,
with identifiers built only from registry numbers that are known."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

import civicbridge.projects
from civicbridge.core import deployment
from civicbridge.directory.models import Organization
from civicbridge.projects import iati
from civicbridge.projects.models import Project, ProjectPartner
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import FunderFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status
SCHEMA_DIR = Path(civicbridge.projects.__file__).parent / "data" / "iati"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def krs_organization(number="0000123456", **kwargs):
    return OrganizationFactory(registry_type=Organization.RegistryType.KRS, registry_number=number, **kwargs)


def fetch(client, **query):
    response = client.get(reverse("projects:export_iati"), query)
    assert response.status_code == 200
    return response, etree.fromstring(response.content)


def test_the_export_is_valid_iati_2_03(client, schema, county):
    lead = krs_organization()
    project = ProjectFactory(lead_organization=lead, status=S.RUNNING, funder=FunderFactory(name="Komisja Europejska"),
                             territory=county, title="Akademia <lidera> & \"spółka\"")
    ProjectPartner.objects.create(project=project, organization=OrganizationFactory(territory=None, country="DE", city="Berlin"))
    ProjectPartner.objects.create(project=project, organization=krs_organization("0000654321"))
    ProjectFactory(lead_organization=lead, status=S.CLOSED)

    response, document = fetch(client)

    schema.assertValid(document)
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == 2
    first = next(a for a in activities if a.findtext("iati-identifier").endswith(f"-{project.pk}"))
    assert first.findtext("iati-identifier") == f"PL-KRS-0000123456-{project.pk}"
    assert first.find("reporting-org").get("ref") == "PL-KRS-0000123456"
    assert first.find("title/narrative").text == "Akademia <lidera> & \"spółka\""
    assert first.find("activity-status").get("code") == "2"
    assert first.find("budget/value").text == "100000.00"
    assert first.find("budget/value").get("currency") == "PLN"
    assert first.get("{http://www.w3.org/XML/1998/namespace}lang") == deployment.current().default_language
    roles = [(org.get("role"), org.get("ref")) for org in first.findall("participating-org")]
    assert roles == [("1", None), ("4", "PL-KRS-0000123456"), ("4", None), ("4", "PL-KRS-0000654321")]
    assert response["X-IATI-Left-Out"] == "0"


def test_a_project_whose_lead_has_no_known_identifier_is_left_out_never_given_an_invented_one(client, schema):
    ProjectFactory(lead_organization=OrganizationFactory(), status=S.RUNNING)  # no register
    ProjectFactory(lead_organization=OrganizationFactory(registry_type="other", registry_number="X-1"), status=S.RUNNING)
    kept = ProjectFactory(lead_organization=OrganizationFactory(registry_type="tr_association", registry_number="16-001-002"),
                          status=S.APPROVED)

    response, document = fetch(client)

    schema.assertValid(document)
    assert [a.findtext("iati-identifier") for a in document.findall("iati-activity")] == [f"TR-MOI-16-001-002-{kept.pk}"]
    assert response["X-IATI-Left-Out"] == "2"


def test_proposals_stay_out_of_the_export_even_for_a_coordinator(client, coordinator):
    lead = krs_organization()
    for status in (S.IDEA, S.IN_PREPARATION, S.SUBMITTED, S.REJECTED):
        ProjectFactory(lead_organization=lead, status=status)
    client.force_login(coordinator)
    response = client.get(reverse("projects:export_iati"))
    # An IATI file holds at least one activity: the page says why there is none.
    assert response.status_code == 404
    assert "No project of these filters can be published in the IATI standard" in response.content.decode()


def test_the_export_follows_the_filters(client):
    lead = krs_organization()
    ProjectFactory(lead_organization=lead, status=S.RUNNING, title="Running")
    ProjectFactory(lead_organization=lead, status=S.CLOSED, title="Closed")
    _, document = fetch(client, status="closed")
    assert [a.findtext("title/narrative") for a in document.findall("iati-activity")] == ["Closed"]


def test_an_invalid_document_would_be_caught_by_the_schema(schema):
    # The schema is really applied: an activity without its identifier is refused.
    document = etree.fromstring(iati.build([], language="en").xml)
    etree.SubElement(document, "iati-activity")
    assert not schema.validate(document)


def _iati_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]*/iati\.xml[^"]*)"', html)]


@pytest.mark.parametrize("projects", ["none", "exportable", "lead_without_identifier", "proposal_only"])
def test_the_iati_link_an_organizations_portfolio_shows_gives_the_file(client, projects):
    """An IATI file holds at least one activity: where the page's filters leave none, it says so
    instead of offering a link that could only answer 404."""
    organization = krs_organization(kind=Organization.Kind.BUSINESS)
    if projects == "exportable":
        ProjectFactory(lead_organization=organization, status=S.RUNNING)
    elif projects == "lead_without_identifier":
        lead = OrganizationFactory(registry_type=Organization.RegistryType.OTHER, registry_number="")
        project = ProjectFactory(lead_organization=lead, status=S.RUNNING)
        ProjectPartner.objects.create(project=project, organization=organization)
    elif projects == "proposal_only":
        ProjectFactory(lead_organization=organization, status=S.SUBMITTED)

    page = client.get(reverse("projects:organization_portfolio", args=[organization.slug])).content.decode()
    links = _iati_links(page)

    if projects == "exportable":
        assert len(links) == 1
    else:
        assert links == []
        assert "No project of these filters can be published in the IATI standard." in page
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        assert etree.fromstring(response.content).findall("iati-activity")


def test_the_portfolios_question_agrees_with_the_export_on_every_lead():
    numbers = iter(range(1000, 2000))
    for kind in Organization.Kind.values:
        for legal_form in (Organization.LegalForm.ASSOCIATION, Organization.LegalForm.FOUNDATION):
            for registry_type in Organization.RegistryType.values:
                number = str(next(numbers)) if registry_type else ""
                abroad = {"territory": None, "country": "DE", "city": "Berlin"} if registry_type == "foreign" else {}
                lead = OrganizationFactory(
                    kind=kind, legal_form=legal_form, registry_type=registry_type, registry_number=number, **abroad
                )
                for status in S.values:
                    ProjectFactory(lead_organization=lead, status=status)
    projects = list(Project.objects.select_related("lead_organization"))

    exported = {project for project in projects if iati.exportable(project)}
    assert exported
    assert set(Project.objects.filter(iati.exportable_filter())) == exported
