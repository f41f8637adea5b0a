"""Each profile's demo consultations: one open, one finished with every remark answered."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from civicbridge.consultations import demo, phases
from civicbridge.consultations.models import Consultation, Remark
from civicbridge.directory import demo as directory_demo
from civicbridge.events import demo as events_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("profile", "country", "language"), [("opole", "PL", "pl"), ("orhangazi", "TR", "tr")]
)
def test_the_demo_loads_its_profiles_consultations_once(profile, country, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)
    events_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    demo.load(profile=profile, stdout=out)

    assert "skipped" not in out.getvalue()
    consultations = list(Consultation.objects.order_by("starts_at"))
    assert len(consultations) == 2
    finished, opened = consultations
    assert phases.phase_key(opened) == phases.OPEN
    assert phases.phase_key(finished) == phases.REPORTED
    assert {
        c.issuing_body.memberships.filter(user__username="officer").exists() for c in consultations
    } == {True}
    assert {c.territory.country for c in consultations} == {country}
    assert all(c.description.endswith(demo.DEMO_NOTE[language]) for c in consultations)
    assert opened.remarks.filter(author__username="ngo").exists()
    assert not opened.remarks.exclude(answer="").exists()  # answers only after the end
    assert finished.remarks.exists() and not finished.remarks.filter(answer="").exists()
    assert demo.loaded_profiles() == {profile}
    assert (demo.standard_consultation() == opened) == (profile == "opole")
    for remark in Remark.objects.all():
        assert remark.organization.memberships.filter(
            user=remark.author, status="approved"
        ).exists()


def test_the_demo_pages_show_the_report_and_the_comparison():
    out = io.StringIO()
    directory_demo.load(profile="opole", stdout=out)
    demo.load(profile="opole", stdout=out)
    finished = Consultation.objects.get(kind=Consultation.Kind.COOPERATION_PROGRAMME)
    assert finished.sections.count() == 11
    client = Client()
    report = client.get(
        reverse("consultations:report", kwargs={"pk": finished.pk})
    ).content.decode()
    assert "Uwzględniono: ochronę zdrowia" in report
    comparison = client.get(
        reverse("consultations:comparison", kwargs={"pk": finished.pk})
    ).content.decode()
    assert "ochrony zdrowia" in comparison and "<ins>" in comparison
