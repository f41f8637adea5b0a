"""The calls list's default order is by each call's *next* deadline, the one its row shows:
a two-stage call whose first stage is due soon comes before a call due sooner than its second
stage (selectors.CallsInDeadlineOrder). Every page is the same slice of that order, on the
list, in the API and whatever the filters."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from civicbridge.funding import selectors
from civicbridge.funding.models import Call
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _days(now, *days):
    return [now + timedelta(days=day) for day in days]


def test_a_call_with_a_stage_due_soon_comes_before_calls_due_before_its_last_stage(client):
    now = timezone.now()
    in_a_month = CallFactory(identifier="SINGLE-MONTH", deadlines=_days(now, 30))
    in_a_week = CallFactory(identifier="SINGLE-WEEK", deadlines=_days(now, 7))
    two_stage = CallFactory(
        identifier="TWO-STAGE", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=_days(now, 3, 200),
    )
    # Its first stage is over: its next deadline is its last.
    second_stage_only = CallFactory(
        identifier="SECOND-STAGE-LEFT", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=_days(now, -5, 20),
    )

    ordered = selectors.in_deadline_order(Call.objects.all(), now)

    assert [call.identifier for call in ordered] == [
        two_stage.identifier, in_a_week.identifier, second_stage_only.identifier, in_a_month.identifier,
    ]
    page = client.get("/en/calls/").content.decode()
    positions = [page.index(identifier) for identifier in ("TWO-STAGE", "SINGLE-WEEK", "SECOND-STAGE-LEFT", "SINGLE-MONTH")]
    assert positions == sorted(positions)
    api = client.get("/api/v1/calls/").json()["results"]
    assert [row["identifier"] for row in api] == [
        "TWO-STAGE", "SINGLE-WEEK", "SECOND-STAGE-LEFT", "SINGLE-MONTH",
    ]


def _expected(calls, now):
    """The order by hand: deadlines ahead by the next one, then no deadline (newest first), then
    closed (latest last deadline first)."""
    def next_deadline(call):
        return min(d.deadline_at for d in call.deadlines.all() if d.deadline_at >= now)

    ahead = [call for call in calls if call.closes_at is not None and call.closes_at >= now]
    undated = [call for call in calls if call.closes_at is None]
    passed = [call for call in calls if call.closes_at is not None and call.closes_at < now]
    return (
        sorted(ahead, key=lambda call: (next_deadline(call), call.pk))
        + sorted(undated, key=lambda call: -call.pk)
        + sorted(passed, key=lambda call: (-call.closes_at.timestamp(), -call.pk))
    )


@pytest.mark.parametrize(
    ("unfiltered", "searched"), [(True, False), (False, False), (False, True)], ids=["every-call", "filtered", "searched"],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_slice_of_many_calls_of_one_two_and_three_stages_is_that_slice_of_the_order(seed, unfiltered, searched):
    """Every call, calls as a filter leaves them, and a search's, each read another way
    (``_candidates``: a search's first keys are listed as they are counted, where the database can)."""
    rng = random.Random(seed)
    now = timezone.now()
    for _ in range(24):
        stages = rng.choice([1, 1, 2, 3])
        # Whole days from a few chosen ones: several calls share a deadline, so ties by id count.
        days = sorted(rng.sample([-9, -2, 1, 2, 4, 6, 8, 15, 30, 60], stages))
        CallFactory(deadline_model=Call.DeadlineModel.SINGLE_STAGE if stages == 1 else Call.DeadlineModel.TWO_STAGE,
                    deadlines=_days(now, *days))
    CallFactory(opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[])
    calls = list(Call.objects.prefetch_related("deadlines"))
    expected = [call.pk for call in _expected(calls, now)]

    ordered = selectors.in_deadline_order(Call.objects.all(), now, unfiltered=unfiltered, searched=searched)

    assert [call.pk for call in ordered] == expected
    for start in range(len(expected)):
        for stop in (start + 1, start + 3, start + 7, len(expected) + 1):
            assert [call.pk for call in ordered[start:stop]] == expected[start:stop], (start, stop)


def test_a_filtered_list_orders_its_own_calls_by_the_next_deadline(client):
    now = timezone.now()
    funder = FunderFactory(slug="this-funder")
    programme = ProgrammeFactory(funder=funder)
    late_single = CallFactory(identifier="OURS-SINGLE", programme=programme, deadlines=_days(now, 10))
    ours_two_stage = CallFactory(
        identifier="OURS-TWO-STAGE", programme=programme, deadline_model=Call.DeadlineModel.TWO_STAGE,
        deadlines=_days(now, 2, 90),
    )
    # Another funder's two-stage call, due sooner still, is not on the filtered list.
    CallFactory(identifier="THEIRS-TWO-STAGE", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=_days(now, 1, 50))

    response = client.get("/en/calls/", {"funder": "this-funder"})

    assert [call.identifier for call in response.context["page"].object_list] == [
        ours_two_stage.identifier, late_single.identifier,
    ]


def test_a_call_closed_early_by_its_source_stays_among_the_closed_whatever_its_stages():
    now = timezone.now()
    open_call = CallFactory(deadlines=_days(now, 20))
    closed_early = CallFactory(
        deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=_days(now, 1, 40), status_from_source=Call.Status.CLOSED,
    )

    assert list(selectors.in_deadline_order(Call.objects.all(), now)) == [open_call, closed_early]


@pytest.mark.parametrize("page", ["1", "2"])
def test_a_page_with_a_later_calls_first_stage_runs_the_lists_bounded_queries(client, django_assert_max_num_queries, page):
    from tests.funding.test_views import LIST_QUERIES

    now = timezone.now()
    for day in range(1, 60):
        CallFactory(deadlines=_days(now, day))
    # Its first stage falls among the first page's deadlines; its last, far beyond the page.
    CallFactory(identifier="FAR-TWO-STAGE", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=_days(now, 3.5, 300))

    with django_assert_max_num_queries(LIST_QUERIES + (1 if page == "2" else 0)):
        response = client.get("/en/calls/", {"page": page})

    shown = [call.identifier for call in response.context["page"].object_list]
    assert ("FAR-TWO-STAGE" in shown) == (page == "1")
    if page == "1":
        assert shown.index("FAR-TWO-STAGE") == 3  # after the calls due in 1, 2 and 3 days


def test_a_search_with_more_matches_than_a_page_lists_them_in_the_order_of_their_next_deadline(client):
    now = timezone.now()
    for day in range(1, 31):
        CallFactory(identifier=f"YOUTH-{day:02d}", title="Youth exchanges", deadlines=_days(now, day))
        CallFactory(identifier=f"OTHER-{day:02d}", title="Rural roads", deadlines=_days(now, day - 0.5))
    CallFactory(identifier="YOUTH-TWO-STAGE", title="Youth exchanges", deadline_model=Call.DeadlineModel.TWO_STAGE,
                deadlines=_days(now, 2.5, 300))

    first = client.get("/en/calls/", {"q": "youth"}).context["page"]
    second = client.get("/en/calls/", {"q": "youth", "page": 2}).context["page"]

    assert first.paginator.count == 31
    shown = [call.identifier for call in [*first.object_list, *second.object_list]]
    assert shown == ["YOUTH-01", "YOUTH-02", "YOUTH-TWO-STAGE", *(f"YOUTH-{day:02d}" for day in range(3, 31))]


@pytest.mark.parametrize("page", ["1", "2"])
def test_a_call_whose_deadlines_were_deleted_behind_its_back_still_lists_by_its_last(client, page):
    now = timezone.now()
    for day in range(1, 30):
        CallFactory(identifier=f"DUE-{day:02d}", deadlines=_days(now, day))
    lost = CallFactory(identifier="LOST-DEADLINES", deadlines=_days(now, 2.5) if page == "1" else _days(now, 27.5))
    lost.deadlines.all().delete()  # as a database console might: closes_at stays

    response = client.get("/en/calls/", {"page": page})

    assert response.status_code == 200
    shown = [call.identifier for call in response.context["page"].object_list]
    # Page 1: after the calls due in 1 and 2 days; page 2: after those due in 26 and 27.
    assert shown.index("LOST-DEADLINES") == 2
