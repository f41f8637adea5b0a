"""The printable project sheet: a PDF read back with pypdf."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from civicbridge.projects.models import Project, ProjectPartner
from tests.directory.factories import OrganizationFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_sheet_is_a_pdf_with_the_projects_facts(client):
    project = ProjectFactory(title="Akademia aktywnego obywatela", status=Project.Status.RUNNING)
    ProjectPartner.objects.create(project=project, organization=OrganizationFactory(name="Verein Nieder-Olm", territory=None,
                                                                                   country="DE", city="Nieder-Olm"))
    project.milestones.create(title="Rekrutacja uczestników", due_date="2026-05-01")

    response = client.get(reverse("projects:project_sheet", args=[project.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Akademia aktywnego obywatela" in text
    assert project.lead_organization.name in text
    assert "Verein Nieder-Olm" in text and "Germany" in text
    assert "Rekrutacja uczestników" in text
    assert "100,000.00" in text


def test_the_sheet_is_in_the_pages_language(client):
    project = ProjectFactory(status=Project.Status.RUNNING)
    response = client.get(reverse("projects:project_sheet", args=[project.pk]).replace("/en/", "/pl/", 1))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Organizacja wiodąca" in " ".join(text.split())
