"""The portfolio's pages are well-formed HTML: every element closed in order, ids unique, and
every form field labelled (what an accessibility check reads first)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from civicbridge.projects.models import Project, ProjectPartner
from tests.directory.factories import OrganizationFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets one leave out: none of the pages leaves one out, but a
# checker must not call them errors.
OPTIONAL_END = {"p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.fields: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append((tag, attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


def check(html: str) -> None:
    checker = Checker()
    checker.feed(html)
    assert checker.errors == []
    assert [tag for tag in checker.stack if tag not in OPTIONAL_END] == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    unlabelled = [
        attrs.get("name") for tag, attrs in checker.fields
        if attrs.get("id") not in checker.labels and not attrs.get("aria-label")
        and attrs.get("type") not in ("checkbox", "radio")
    ]
    assert unlabelled == []


@pytest.fixture
def project(organization):
    project = ProjectFactory(lead_organization=organization, status=Project.Status.RUNNING)
    ProjectPartner.objects.create(project=project, organization=OrganizationFactory(territory=None, country="DE", city="Berlin"))
    project.milestones.create(title="Start", due_date="2026-04-01")
    return project


@pytest.mark.parametrize("who", ["anonymous", "representative", "coordinator"])
def test_the_portfolio_and_the_project_page_are_well_formed(client, request, who, project):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in (reverse("projects:portfolio"), reverse("projects:portfolio") + "?status=lost",
                project.get_absolute_url(), reverse("projects:organization_portfolio", args=[project.lead_organization.slug])):
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.content.decode())


def test_the_forms_are_well_formed(client, representative, project):
    client.force_login(representative)
    for url in (reverse("projects:project_edit", args=[project.pk]), reverse("projects:document_add", args=[project.pk]),
                reverse("projects:report_create", args=[project.pk, "interim"]),
                reverse("projects:project_create") + f"?organization={project.lead_organization.slug}"):
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.content.decode())
