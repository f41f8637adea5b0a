"""The calls list with no filter counts its passed deadlines as the rest of the count the
database keeps (selectors.CallsInDeadlineOrder, ``unfiltered``): the same calls, pages and
count as counting every call, for a visitor, an officer with drafts and a coordinator."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.funding import selectors
from civicbridge.funding.models import Call
from tests.funding.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(officer, coordinator):
    now = timezone.now()
    ahead = [CallFactory(deadlines=[now + timedelta(days=days)]) for days in (3, 9, 40)]
    permanent = CallFactory(opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[])
    closed_early = CallFactory(deadlines=[now + timedelta(days=5)], status_from_source=Call.Status.CLOSED)
    closed_undated = CallFactory(
        opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[], status_from_source=Call.Status.CLOSED,
    )
    passed = [CallFactory(opens_at=now - timedelta(days=90), deadlines=[now - timedelta(days=days)]) for days in (1, 20, 60)]
    # Drafts: the officer's (one past its deadline, one ahead) and another author's.
    mine = [
        CallFactory(published_at=None, created_by=officer, deadlines=[now - timedelta(days=2)]),
        CallFactory(published_at=None, created_by=officer, deadlines=[now + timedelta(days=4)]),
    ]
    others = CallFactory(published_at=None, created_by=coordinator, deadlines=[now - timedelta(days=7)])
    return {"published": [*ahead, permanent, closed_early, closed_undated, *passed], "mine": mine, "others": [others]}


@pytest.mark.parametrize("viewer", ["visitor", "officer", "coordinator"])
def test_the_whole_list_is_the_same_counted_either_way(calls, viewer, officer, coordinator):
    user = {"visitor": None, "officer": officer, "coordinator": coordinator}[viewer]
    expected_count = len(calls["published"]) + {"visitor": 0, "officer": 2, "coordinator": 3}[viewer]
    now = timezone.now()
    counted = selectors.in_deadline_order(selectors.visible_calls(user), now)
    kept = selectors.in_deadline_order(selectors.visible_calls(user), now, unfiltered=True)
    assert len(kept) == len(counted) == expected_count
    everything = list(counted)
    assert list(kept) == everything
    for start in range(expected_count + 1):
        for stop in range(start, expected_count + 2):
            assert list(selectors.in_deadline_order(
                selectors.visible_calls(user), now, unfiltered=True)[start:stop]) == everything[start:stop], (start, stop)


def test_a_call_published_or_withdrawn_moves_the_count_at_once(calls):
    now = timezone.now()
    before = len(selectors.in_deadline_order(Call.objects.published(), now, unfiltered=True))
    draft = calls["others"][0]
    Call.objects.filter(pk=draft.pk).update(published_at=now)
    ordered = selectors.in_deadline_order(Call.objects.published(), now, unfiltered=True)
    assert len(ordered) == before + 1 == Call.objects.published().count()
    assert draft in list(ordered)
    Call.objects.filter(pk__in=[call.pk for call in calls["published"][:2]]).update(published_at=None)
    ordered = selectors.in_deadline_order(Call.objects.published(), now, unfiltered=True)
    assert len(ordered) == before - 1 == len(list(ordered))


def test_the_list_page_counts_from_the_kept_count_and_a_filtered_one_counts_its_calls(client, calls):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("funding:call_list"))
    assert page.context["page"].paginator.count == len(calls["published"])
    statements = " ".join(q["sql"] for q in queries)
    assert "core_rowcount" in statements and "FILTER (WHERE" not in statements
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("funding:call_list"), {"status": "closed"})
    closed = [call for call in calls["published"] if call.status() == Call.Status.CLOSED]
    assert page.context["page"].paginator.count == len(closed) == 5
    assert "core_rowcount" not in " ".join(q["sql"] for q in queries)


def test_the_api_counts_its_whole_list_from_the_kept_count(client, calls):
    whole = client.get("/api/v1/calls/", {"page": 1}).json()
    assert whole["count"] == len(calls["published"])
    assert [item["identifier"] for item in whole["results"]] == [
        call.identifier for call in selectors.in_deadline_order(Call.objects.published(), timezone.now())
    ]
    assert client.get("/api/v1/calls/", {"status": "closed"}).json()["count"] == 5
