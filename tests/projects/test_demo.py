"""The portfolio's demo: each profile's projects on its own registry and funders, in its language."""

import io

import pytest

from civicbridge.directory import demo as directory_demo
from civicbridge.funding import demo as funding_demo
from civicbridge.projects import demo
from civicbridge.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("profile", "country", "language"), [("opole", "PL", "pl"), ("orhangazi", "TR", "tr")])
def test_the_demo_loads_the_profiles_projects_once(profile, country, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)
    funding_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    count = Project.objects.count()
    demo.load(profile=profile, stdout=out)

    assert count == Project.objects.count() == len(demo.SPECS[profile])
    assert "skipped" not in out.getvalue()
    assert not Project.objects.exclude(lead_organization__territory__country=country).exists()
    assert all(summary.endswith(demo.DEMO_NOTE[language]) for summary in Project.objects.values_list("summary", flat=True))
    assert not Project.objects.filter(funder__isnull=True).exists()
    # Every status has its history from "idea", one step at a time.
    for project in Project.objects.all():
        history = list(project.status_changes.order_by("at", "id").values_list("to_status", flat=True))
        assert history[0] == Project.Status.IDEA and history[-1] == project.status
    assert demo.loaded_profiles() == {profile}
    # Partners abroad are the registry's demo organizations abroad.
    assert Project.objects.filter(partners__organization__territory__isnull=True).exists()
