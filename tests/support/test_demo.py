"""The support requests' demo: each profile's requests at every stage, in its language."""

import io

import pytest

from civicbridge.accounts.models import Membership
from civicbridge.directory import demo as directory_demo
from civicbridge.support import demo, services
from civicbridge.support.models import HistoryEntry, Message, SupportRequest, TimeEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("profile", "country", "language"), [("opole", "PL", "pl"), ("orhangazi", "TR", "tr")])
def test_the_demo_files_requests_at_every_stage_once(profile, country, language):
    out = io.StringIO()
    directory_demo.load(profile=profile, stdout=out)

    demo.load(profile=profile, stdout=out)
    counts = (SupportRequest.objects.count(), Message.objects.count(), TimeEntry.objects.count())
    demo.load(profile=profile, stdout=out)

    assert counts == (SupportRequest.objects.count(), Message.objects.count(), TimeEntry.objects.count())
    assert counts[0] == len(demo.SPECS[profile]) >= 4 and counts[1] >= 4 and counts[2] >= 3
    assert "skipped" not in out.getvalue()
    # Every stage of the workflow can be tried, by the demo accounts.
    statuses = set(SupportRequest.objects.values_list("status", flat=True))
    assert {SupportRequest.Status.NEW, SupportRequest.Status.WAITING, SupportRequest.Status.CLOSED} <= statuses
    home = Membership.objects.approved().get(user__username="ngo").organization
    assert home.territory.country == country
    assert not SupportRequest.objects.exclude(organization=home).exists()
    assert all(d.endswith(demo.DEMO_NOTE[language]) for d in SupportRequest.objects.values_list("description", flat=True))
    # The history tells how each request reached its status, through allowed moves only.
    for support_request in SupportRequest.objects.all():
        moves = list(support_request.history.filter(kind=HistoryEntry.Kind.STATUS).order_by("at", "pk")
                     .values_list("old_status", "new_status"))
        current = SupportRequest.Status.NEW
        for old, new in moves:
            assert old == current and new in services.TRANSITIONS[old]
            current = new
        assert current == support_request.status
    assert not Message.objects.filter(from_office=True).exclude(author__username="coordinator").exists()
