"""The partner search's demo data: requests and answers on the registry's demo, real twinnings."""

import io

import pytest
from django.db.models import F

from civicbridge.accounts.models import Membership
from civicbridge.directory import demo as directory_demo
from civicbridge.partners import demo, phases
from civicbridge.partners.models import ExpressionOfInterest, PartnerRequest, Twinning

pytestmark = pytest.mark.django_db


def test_the_demo_posts_a_dozen_requests_with_answers_and_lists_real_twinnings_once():
    out = io.StringIO()
    directory_demo.load(profile="orhangazi", stdout=out)

    demo.load(profile="orhangazi", stdout=out)
    counts = (PartnerRequest.objects.count(), ExpressionOfInterest.objects.count(), Twinning.objects.count())
    demo.load(profile="orhangazi", stdout=out)

    assert counts == (PartnerRequest.objects.count(), ExpressionOfInterest.objects.count(), Twinning.objects.count())
    assert counts[0] == len(demo.SPECS) == 12
    assert counts[1] >= 10
    # Every request is marked as an example; the open ones can be found by search.
    assert all("demo" in description for description in PartnerRequest.objects.values_list("description", flat=True))
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
    # No organization answers its own request.
    assert not ExpressionOfInterest.objects.filter(request__organization=F("organization")).exists()
    # Twinnings are real: each names its public source.
    assert Twinning.objects.count() == len(demo.TWINNINGS)
    assert not Twinning.objects.filter(website="").exists()
