"""The home page's calls closing soonest are the first of the "closing soon" list, in its order,
found by walking the deadlines in time order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicbridge.funding import selectors
from civicbridge.funding.models import Call
from tests.funding.factories import CallFactory, in_days

pytestmark = pytest.mark.django_db


def _shown(calls):
    return [call.title for call in calls]


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 8])
def test_the_first_calls_closing_are_those_of_the_closing_soon_list_in_its_order(limit):
    now = timezone.now()
    same_moment = now + timedelta(days=4)
    CallFactory(title="Later", deadlines=[in_days(9)])
    CallFactory(title="Sooner", deadlines=[in_days(2)])
    # Two stages in the window: listed once, at its next deadline.
    CallFactory(title="Two stages", deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=[in_days(1), in_days(6)])
    CallFactory(title="Same moment A", deadlines=[same_moment])
    CallFactory(title="Same moment B", deadlines=[same_moment])
    CallFactory(title="Far", deadlines=[in_days(60)])
    CallFactory(title="Draft", deadlines=[in_days(3)], published_at=None)
    CallFactory(title="Not yet open", deadlines=[in_days(3)], opens_at=in_days(1))
    CallFactory(title="Closed early", deadlines=[in_days(3)], status_from_source=Call.Status.CLOSED)
    CallFactory(title="Passed", deadlines=[in_days(-1)])

    first = selectors.first_closing(now=now, limit=limit)

    assert _shown(first) == _shown(selectors.closing_soon(now=now)[:limit])
    assert _shown(selectors.first_closing(now=now, limit=8)) == [
        "Two stages", "Sooner", "Same moment A", "Same moment B", "Later",
    ]
    assert all(call.next_deadline_at is not None for call in first)


def test_calls_with_many_deadlines_in_the_window_do_not_hide_the_next_ones():
    now = timezone.now()
    for number in range(3):
        CallFactory(
            title=f"Many stages {number}", deadline_model=Call.DeadlineModel.TWO_STAGE,
            deadlines=[in_days(1 + number / 10), in_days(2 + number / 10)],
        )
    CallFactory(title="One deadline", deadlines=[in_days(5)])

    # The four deadlines read first are two calls': the walk reads on as the list would.
    assert _shown(selectors.first_closing(now=now, limit=2)) == ["Many stages 0", "Many stages 1"]
    assert _shown(selectors.first_closing(now=now, limit=4)) == [
        "Many stages 0", "Many stages 1", "Many stages 2", "One deadline",
    ]
