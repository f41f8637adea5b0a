"""/api/v1/projects/: the portfolio read with the pages' filters and visibility."""

import pytest

from civicbridge.projects.models import Project
from tests.funding.factories import FunderFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
S = Project.Status
URL = "/api/v1/projects/"


def test_the_list_holds_the_public_portfolio_with_the_filters(client, county):
    funder = FunderFactory(slug="bebka")
    running = ProjectFactory(status=S.RUNNING, funder=funder, territory=county)
    ProjectFactory(status=S.CLOSED)
    ProjectFactory(status=S.IDEA, funder=funder)

    body = client.get(URL).json()
    assert body["count"] == 2
    filtered = client.get(URL, {"funder": "bebka", "territory": "1607", "year": 2026}).json()
    assert [item["id"] for item in filtered["results"]] == [running.pk]
    assert filtered["results"][0]["funder_name"] == funder.name


def test_an_unknown_filter_value_is_a_400_naming_it(client):
    response = client.get(URL, {"funder": "nobody"})
    assert response.status_code == 400
    assert "funder" in response.json()


def test_a_proposal_is_not_found_for_others_and_found_for_its_representative(client, representative, organization):
    project = ProjectFactory(status=S.SUBMITTED, lead_organization=organization)
    assert client.get(f"{URL}{project.pk}/").status_code == 404
    client.force_login(representative)
    body = client.get(f"{URL}{project.pk}/").json()
    assert body["status"] == "submitted"
    assert [step["to_status"] for step in body["history"]] == ["submitted"]


def test_the_list_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(25):
        ProjectFactory(status=S.RUNNING, funder=FunderFactory())
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"page_size": 100}).status_code == 200


def test_the_api_is_read_only(client, coordinator):
    client.force_login(coordinator)
    assert client.post(URL, {"title": "x"}, content_type="application/json").status_code == 405
