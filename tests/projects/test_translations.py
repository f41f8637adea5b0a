"""The project portfolio speaks the page's language with the glossary's terms (the catalogs
themselves: tests/core/test_catalogs.py)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "heading", "status"), [("pl", "Portfel projektów", "w realizacji"), ("tr", "Proje portföyü", "yürütülüyor")])
def test_the_portfolio_speaks_the_pages_language_with_the_glossarys_terms(client, prefix, heading, status):
    from civicbridge.projects.models import Project
    from tests.projects.factories import ProjectFactory

    ProjectFactory(status=Project.Status.RUNNING)
    html = client.get(f"/{prefix}/projects/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert status in html
