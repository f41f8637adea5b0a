"""Each deadline knows whether it is its call's last (``CallDeadline.is_last``): the calls list
finds the calls whose next deadline comes before their last among the others alone. Every
writer of deadlines keeps the mark (the services, the admin's inline, the demo, the
benchmark's generator), and the list's order follows it."""

import io
import random
from datetime import timedelta

import pytest
from bench.generate_calls import ensure_calls
from django.utils import timezone

from civicbridge.funding import demo, selectors, services
from civicbridge.funding.models import Call, CallDeadline
from tests.core.test_freshness import admin_change_url, admin_save
from tests.funding.factories import CallFactory

pytestmark = pytest.mark.django_db


def assert_every_last_deadline_marked():
    marks = CallDeadline.objects.values_list("deadline_at", "call__closes_at", "is_last")
    assert marks, "no deadline to check"
    assert [(last_at == closes_at) for last_at, closes_at, _mark in marks] == [mark for *_at, mark in marks]


def _identifiers_in_order(now):
    return [call.identifier for call in selectors.in_deadline_order(Call.objects.all(), now)]


def test_the_services_mark_the_last_deadline_when_the_call_is_entered_and_changed(coordinator, programme):
    now = timezone.now()
    data = {"identifier": "TWO-2027", "title": "Two stages", "programme": programme,
            "deadline_model": Call.DeadlineModel.TWO_STAGE, "currency": "EUR"}
    call = services.create_call(by=coordinator, data=data, deadlines=[now + timedelta(days=5), now + timedelta(days=40)])
    assert list(call.deadlines.order_by("stage").values_list("is_last", flat=True)) == [False, True]

    services.update_call(call=call, by=coordinator, data={},
                         deadlines=[now + timedelta(days=60), now + timedelta(days=90)])

    assert_every_last_deadline_marked()
    assert list(call.deadlines.order_by("stage").values_list("is_last", flat=True)) == [False, True]


def test_a_deadline_moved_in_the_admin_after_the_last_changes_the_mark_and_the_order(admin_client):
    # The deadlines' inline is the superuser's (coordinators edit deadlines on the call's form).
    client = admin_client
    now = timezone.now()
    CallFactory(identifier="IN-100-DAYS", deadlines=[now + timedelta(days=100)])
    CallFactory(identifier="IN-220-DAYS", deadlines=[now + timedelta(days=220)])
    call = CallFactory(identifier="TWO-STAGE", deadline_model=Call.DeadlineModel.TWO_STAGE,
                       deadlines=[now + timedelta(days=3), now + timedelta(days=200)])
    assert _identifiers_in_order(now) == ["TWO-STAGE", "IN-100-DAYS", "IN-220-DAYS"]

    # The first stage moves after the second: the call's next deadline is now its stage at 200 days.
    moved = timezone.localtime(now + timedelta(days=250))
    admin_save(client, admin_change_url(call), **{
        "deadlines-0-deadline_at_0": moved.strftime("%Y-%m-%d"), "deadlines-0-deadline_at_1": moved.strftime("%H:%M:%S"),
    })

    call.refresh_from_db()
    # On the deployment's clock, as entered: the UTC date differs for two hours before midnight.
    assert timezone.localtime(call.closes_at).date() == moved.date()
    assert_every_last_deadline_marked()
    assert _identifiers_in_order(now) == ["IN-100-DAYS", "TWO-STAGE", "IN-220-DAYS"]
    page = client.get("/en/calls/").content.decode()
    assert page.index("IN-100-DAYS") < page.index("TWO-STAGE") < page.index("IN-220-DAYS")


@pytest.mark.parametrize("profile", ["opole", "orhangazi"])
def test_the_demo_marks_its_calls_last_deadlines(profile):
    demo.load(profile=profile, stdout=io.StringIO())

    assert CallDeadline.objects.filter(is_last=False).exists()  # its two-stage calls
    assert_every_last_deadline_marked()


def test_the_benchmarks_calls_have_their_last_deadlines_marked():
    ensure_calls(40, random.Random(11))

    assert CallDeadline.objects.filter(is_last=False).exists()
    assert_every_last_deadline_marked()
