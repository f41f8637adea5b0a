"""Status computed from the dates at any moment; time zones and daylight-saving changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicbridge.funding import selectors, services
from civicbridge.funding.filters import CallFilter
from civicbridge.funding.forms import CallForm
from civicbridge.funding.models import Call
from tests.funding.call_form_data import deadline_rows
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
BRUSSELS = ZoneInfo("Europe/Brussels")
ISTANBUL = ZoneInfo("Europe/Istanbul")
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
STAGE_1 = datetime(2027, 2, 10, 16, 0, tzinfo=UTC)
STAGE_2 = datetime(2027, 9, 15, 15, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.fixture
def two_stage():
    return CallFactory(
        deadline_model=Call.DeadlineModel.TWO_STAGE, opens_at=OPENS, deadlines=[STAGE_1, STAGE_2],
    )


# --- status at any moment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (OPENS - TICK, "forthcoming"),
        (OPENS, "open"),
        (STAGE_1, "open"),
        (STAGE_2, "open"),
        (STAGE_2 + TICK, "closed"),
    ],
)
def test_status_is_computed_from_the_dates_at_any_moment(two_stage, moment, status):
    assert two_stage.status(moment) == status


@pytest.mark.parametrize(
    ("moment", "status"),
    [(OPENS - TICK, "forthcoming"), (OPENS, "open"), (STAGE_2, "open"), (STAGE_2 + TICK, "closed")],
)
def test_the_status_filter_agrees_with_the_computed_status_at_the_boundaries(two_stage, moment, status):
    for candidate in ("forthcoming", "open", "closed"):
        found = CallFilter({"status": [candidate]}, queryset=Call.objects.all(), now=moment).qs
        assert (two_stage in found) is (candidate == status), (candidate, moment)


def test_a_call_without_an_opening_date_is_open_until_its_deadline():
    call = CallFactory(opens_at=None, deadlines=[STAGE_1])

    assert call.status(OPENS) == "open"
    assert call.status(STAGE_1 + TICK) == "closed"


def test_the_sources_status_overrides_the_dates_in_the_page_and_in_the_filter():
    call = CallFactory(opens_at=OPENS, deadlines=[STAGE_1], status_from_source=Call.Status.CLOSED)
    moment = OPENS + timedelta(days=3)

    closed = CallFilter({"status": ["closed"]}, queryset=Call.objects.all(), now=moment).qs
    open_ = CallFilter({"status": ["open"]}, queryset=Call.objects.all(), now=moment).qs

    assert call.status(moment) == "closed"
    assert list(closed) == [call]
    assert list(open_) == []


def test_two_statuses_together_keep_both(two_stage):
    closed = CallFactory(opens_at=OPENS - timedelta(days=90), deadlines=[OPENS - timedelta(days=30)])

    both = CallFilter({"status": ["open", "closed"]}, queryset=Call.objects.all(), now=OPENS + TICK).qs

    assert set(both) == {two_stage, closed}


def test_default_order_is_by_deadline_ahead_then_permanent_then_closed_latest_first():
    now = timezone.now()
    later = CallFactory(opens_at=now - timedelta(days=1), deadlines=[now + timedelta(days=20)])
    sooner = CallFactory(opens_at=now - timedelta(days=1), deadlines=[now + timedelta(days=2)])
    permanent = CallFactory(opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[])
    forthcoming = CallFactory(opens_at=now + timedelta(days=5), deadlines=[now + timedelta(days=60)])
    closed_long_ago = CallFactory(opens_at=now - timedelta(days=90), deadlines=[now - timedelta(days=60)])
    closed_recently = CallFactory(opens_at=now - timedelta(days=90), deadlines=[now - timedelta(days=1)])
    closed_early = CallFactory(deadlines=[now + timedelta(days=3)], status_from_source=Call.Status.CLOSED)
    closed_earlier = CallFactory(deadlines=[now + timedelta(days=30)], status_from_source=Call.Status.CLOSED)
    closed_undated = CallFactory(
        opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[], status_from_source=Call.Status.CLOSED
    )

    ordered = selectors.in_deadline_order(Call.objects.all(), now)

    expected = [
        sooner, later, forthcoming, permanent,
        closed_earlier, closed_early,  # closed early by the source, before deadlines still ahead: latest first
        closed_recently, closed_long_ago, closed_undated,
    ]
    assert list(ordered) == expected
    assert ordered.count() == len(expected)
    # Any page, wherever it starts and ends among the parts, is the same slice of that order.
    for start in range(len(expected)):
        for stop in range(start, len(expected) + 2):
            assert list(ordered[start:stop]) == expected[start:stop], (start, stop)
    assert ordered[3] == permanent


# --- phases ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "phase", "submit"),
    [
        (OPENS - TICK, "forthcoming", False),
        (OPENS + TICK, "stage-1", True),
        (STAGE_1 + TICK, "stage-2", True),
        (STAGE_2 + TICK, "closed", False),
    ],
)
def test_the_timeline_knows_the_current_stage_and_whether_submissions_are_allowed(two_stage, moment, phase, submit):
    timeline = two_stage.timeline

    assert timeline.current(moment).key == phase
    assert timeline.allows("submit", moment) is submit


def test_the_countdown_counts_to_the_next_stage():
    now = datetime(2027, 2, 7, 12, 0, tzinfo=UTC)
    call = CallFactory(
        deadline_model=Call.DeadlineModel.TWO_STAGE, opens_at=OPENS,
        deadlines=[now + timedelta(days=3, hours=4, minutes=20), STAGE_2],
    )

    countdown = selectors.countdown(call, now)

    assert countdown.text == "First stage closes in 3 days 4 hours"
    assert countdown.template == "First stage closes in {remaining}"
    assert countdown.target == now + timedelta(days=3, hours=4, minutes=20)


def test_the_countdown_of_a_single_stage_call():
    now = datetime(2027, 2, 7, 12, 0, tzinfo=UTC)
    call = CallFactory(opens_at=OPENS, deadlines=[now + timedelta(hours=5, minutes=7)])

    assert selectors.countdown(call, now).text == "closes in 5 hours 7 minutes"


def test_the_countdown_of_a_forthcoming_and_of_a_closed_call():
    call = CallFactory(opens_at=OPENS, deadlines=[STAGE_1])

    assert selectors.countdown(call, OPENS - timedelta(days=1)).text == "opens in 1 day"
    assert selectors.countdown(call, STAGE_1 + TICK).target is None


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=3, hours=4, minutes=59), "3 days 4 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (timedelta(seconds=30), "0 minutes"),
    ],
)
def test_remaining_time_names_the_two_largest_units(delta, text):
    assert selectors.remaining_text(delta) == text


# --- time zones and daylight saving ---------------------------------------------------------------------


def _form(programme, deadline=None, **fields):
    data = {
        "identifier": "OPOLSKIE-2026-OKO-TEST", "title": "Test", "programme": programme.pk,
        "deadline_model": Call.DeadlineModel.SINGLE_STAGE, "currency": "PLN", **deadline_rows(deadline or ("", "")),
    }
    data.update(fields)
    return CallForm(data)


@pytest.fixture
def warsaw_programme():
    return ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Warsaw"))


def test_a_deadline_on_the_day_winter_time_starts_is_read_on_the_funders_clock(warsaw_programme):
    form = _form(warsaw_programme, deadline=("2026-10-25", "12:00"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadlines"] == [datetime(2026, 10, 25, 11, 0, tzinfo=UTC)]


def test_a_deadline_after_the_clock_change_shows_as_12_00_local_and_11_00_utc(warsaw_programme, settings):
    deadline = datetime(2026, 10, 25, 12, 0, tzinfo=WARSAW)
    call = CallFactory(programme=warsaw_programme, opens_at=OPENS - timedelta(days=30), deadlines=[deadline])

    with timezone.override("UTC"):
        shown = selectors.shown_deadlines(call, OPENS - timedelta(days=60))[0]

    assert (shown.at_funder.hour, shown.at_funder.minute) == (12, 0)
    assert shown.funder_zone_label == "Warsaw time"
    assert (shown.at_site.hour, shown.site_zone_label) == (11, "UTC time")


def test_a_time_the_clocks_skip_is_refused_with_a_message(warsaw_programme):
    form = _form(warsaw_programme, deadline=("2027-03-28", "02:30"))

    assert not form.is_valid()
    assert "does not exist" in str(form.deadline_rows.forms[0].errors["time"])


def test_a_time_that_happens_twice_is_taken_at_its_first_occurrence(warsaw_programme):
    form = _form(warsaw_programme, deadline=("2026-10-25", "02:30"))

    assert form.is_valid(), form.errors
    # 02:30 still on summer time (UTC+2), not an hour later on winter time.
    assert form.cleaned_data["deadlines"] == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


def test_the_hour_after_the_spring_gap_exists():
    moment = services.aware_in_zone(datetime(2027, 3, 28, 3, 0), WARSAW)

    assert moment.astimezone(UTC) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def test_the_skipped_hour_is_refused_by_the_service_too():
    with pytest.raises(ValidationError):
        services.aware_in_zone(datetime(2027, 3, 28, 2, 30), WARSAW)


def test_a_brussels_deadline_is_shown_on_brussels_time_and_on_istanbul_time():
    deadline = datetime(2027, 3, 19, 17, 0, tzinfo=BRUSSELS)
    call = CallFactory(opens_at=OPENS, deadlines=[deadline])

    with timezone.override(ISTANBUL):
        shown = selectors.shown_deadlines(call, OPENS)[0]

    assert (shown.at_funder.hour, shown.funder_zone_label) == (17, "Brussels time")
    assert (shown.at_site.hour, shown.site_zone_label) == (19, "Istanbul time")
    assert not shown.same_zone


def test_a_brussels_deadline_in_summer_is_18_00_in_istanbul():
    # Brussels moves to UTC+2 in summer, Istanbul stays on UTC+3 all year.
    deadline = datetime(2027, 9, 16, 17, 0, tzinfo=BRUSSELS)
    call = CallFactory(opens_at=OPENS, deadlines=[deadline])

    with timezone.override(ISTANBUL):
        shown = selectors.shown_deadlines(call, OPENS)[0]

    assert shown.at_site.hour == 18


def test_the_form_reads_an_istanbul_funders_deadline_on_istanbul_time():
    programme = ProgrammeFactory(funder=FunderFactory(time_zone="Europe/Istanbul"))

    form = _form(programme, deadline=("2027-03-05", "17:00"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadlines"] == [datetime(2027, 3, 5, 14, 0, tzinfo=UTC)]


def test_the_edit_form_shows_deadlines_on_the_funders_clock(warsaw_programme):
    call = CallFactory(programme=warsaw_programme, opens_at=OPENS, deadlines=[datetime(2026, 10, 25, 11, 0, tzinfo=UTC)])

    form = CallForm(instance=call)

    assert str(form.deadline_rows.forms[0].initial["time"]) == "12:00:00"
