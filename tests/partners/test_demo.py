"""The partner search's demo data: each profile's requests and answers on its registry's demo, in
its language, and its towns' real twinnings."""

import io

import pytest
from django.db.models import F

from civicbridge.accounts.models import Membership
from civicbridge.directory import demo as directory_demo
from civicbridge.partners import demo, phases
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("profile", "country", "language"), [("opole", "PL", "pl"), ("orhangazi", "TR", "tr")])
def test_the_demo_posts_its_requests_with_answers_and_lists_real_twinnings_once(profile, country, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    counts = (PartnerRequest.objects.count(), ExpressionOfInterest.objects.count(), Twinning.objects.count())
    demo.load(profile=profile, stdout=out)

    assert counts == (PartnerRequest.objects.count(), ExpressionOfInterest.objects.count(), Twinning.objects.count())
    # Every request of the profile found its poster in the registry.
    assert counts[0] == len(demo.SPECS[profile]) >= 8
    assert "skipped" not in out.getvalue()
    assert counts[1] >= 7
    # Every request is marked as an example in the profile's language; the open ones can be found by search.
    descriptions = PartnerRequest.objects.values_list("description", flat=True)
    assert all(description.endswith(demo.DEMO_NOTE[language]) for description in descriptions)
    assert not PartnerRequest.objects.filter(status=PartnerRequest.Status.OPEN, search_document="").exists()
    # Some accept answers, one is past its deadline, one is closed: every state can be tried.
    states = {phases.accepts_answers(r) for r in PartnerRequest.objects.filter(status=PartnerRequest.Status.OPEN)}
    assert states == {True, False}
    assert PartnerRequest.objects.filter(status=PartnerRequest.Status.CLOSED).count() == 1
    # The demo "ngo" account's organization posted a request with answers waiting for it.
    home = Membership.objects.approved().get(user__username="ngo").organization
    assert ExpressionOfInterest.objects.filter(
        request__organization=home, status=ExpressionOfInterest.Status.PENDING
    ).exists()
    # No organization answers its own request; every one is of the profile's country.
    assert not ExpressionOfInterest.objects.filter(request__organization=F("organization")).exists()
    assert not ExpressionOfInterest.objects.exclude(organization__territory__country=country).exists()
    assert not PartnerRequest.objects.exclude(organization__territory__country=country).exists()
    # Twinnings are real, each names its public source, and are the profile's own towns'.
    assert Twinning.objects.count() == len([t for t in demo.TWINNINGS if t[0][0] == country]) > 0
    assert not Twinning.objects.filter(website="").exists()
    assert not Twinning.objects.exclude(territory__country=country).exists()


def test_the_turkish_demo_uses_the_eu_themes_only():
    out = io.StringIO()
    directory_demo.load(profile="orhangazi", stdout=out)
    demo.load(profile="orhangazi", stdout=out)

    # The Turkish deployment has no Polish statutory areas of public benefit.
    assert not PartnerRequest.objects.filter(thematic_areas__code__startswith="pb-").exists()
    assert not Twinning.objects.filter(thematic_areas__code__startswith="pb-").exists()
