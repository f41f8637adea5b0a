"""A call's page: what it shows in the cases the other tests do not reach."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest

from civicbridge.funding.models import Call, CallAttachment
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 11, 0, tzinfo=UTC)


def page(client, call, language="en"):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        return client.get(f"/{language}/calls/{call.identifier}/").content.decode()


def test_its_texts_are_escaped_as_django_escapes_them(client):
    funder = FunderFactory(name='O\'Hara & "Sons" Fund', website="https://example.org/?a=1&b=2")
    call = CallFactory(
        title="<b>Children's rights</b>", programme=ProgrammeFactory(funder=funder, name="Citizens' Europe"),
        type_of_action='"Lump sum" grants', summary="", deadlines=[NOW + timedelta(days=30)],
    )
    call.deadlines.update(label="Stage 'A'")
    CallAttachment.objects.create(call=call, title="Guide & annex 'B'", file="calls/guide.pdf")

    body = page(client, call)

    assert "<h1>&lt;b&gt;Children&#x27;s rights&lt;/b&gt;</h1>" in body
    assert 'href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">O&#x27;Hara &amp; &quot;Sons&quot; Fund</a>' in body
    assert "Citizens&#x27; Europe" in body and "<dd>&quot;Lump sum&quot; grants</dd>" in body
    assert '<th scope="row">Stage &#x27;A&#x27;</th>' in body
    assert '<a href="/media/calls/guide.pdf">Guide &amp; annex &#x27;B&#x27;</a>' in body
    assert "&#39;" not in body and "&#34;" not in body


def test_the_publication_and_last_change_are_on_the_sites_clock_the_opening_on_both(client):
    moment = datetime(2027, 2, 9, 23, 30, tzinfo=UTC)  # 10 February, 00:30 in Warsaw; 9 February in London
    call = CallFactory(
        programme=ProgrammeFactory(funder=FunderFactory(time_zone="Europe/London")),
        opens_at=moment, published_at=moment, deadlines=[NOW + timedelta(days=30)],
    )
    Call.objects.filter(pk=call.pk).update(updated_at=moment)

    body = page(client, call)

    assert (
        '<dt>Opening date</dt><dd>10 February 2027, 00:30 <span class="zone">(Warsaw time)</span>'
        ' · 9 February 2027, 23:30 <span class="zone">(London time)</span></dd>'
    ) in body
    assert "<dt>Published</dt><dd>10 February 2027</dd>" in body
    assert "<dt>Last updated</dt><dd>10 February 2027, 00:30</dd>" in body


def test_amounts_are_written_as_the_language_writes_numbers(client):
    call = CallFactory(
        total_budget=Decimal("1234567.50"), min_grant=Decimal("10000"), max_grant=Decimal("250000"),
        co_financing_rate=Decimal("85.50"), currency="PLN",
    )

    english, polish = page(client, call), page(client, call, "pl")

    assert "<dd>1,234,568 PLN</dd>" in english and "<dd>from 10,000 up to 250,000 PLN</dd>" in english
    assert "<dd>85.50 %</dd>" in english
    assert "<dd>1\xa0234\xa0568 PLN</dd>" in polish and "<dd>85,50 %</dd>" in polish


def test_a_multiple_cut_off_call_lists_each_cut_off_with_its_status_and_counts_down_to_the_next(client):
    call = CallFactory(
        deadline_model=Call.DeadlineModel.MULTIPLE_CUT_OFF, opens_at=NOW - timedelta(days=60),
        deadlines=[NOW - timedelta(days=5), NOW + timedelta(days=3, hours=4), NOW + timedelta(days=90)],
    )

    body = page(client, call)

    assert "Cut-off 2 closes in 3 days 4 hours" in body
    assert body.count('<th scope="row">Cut-off') == 3
    assert ">passed</td>" in body and "<strong>next</strong>" in body and ">ahead</td>" in body
    assert "Submissions: cut-off 2" in body


def test_a_call_its_funder_closed_early_says_so_and_its_summary_is_markdown(client):
    call = CallFactory(
        status_from_source=Call.Status.CLOSED, summary="Support **local** groups.\n\n<script>alert(1)</script>",
    )

    body = page(client, call)

    assert '<span class="badge badge-closed">closed</span>' in body
    assert "The funder reports this call as closed, whatever the dates below say." in body
    assert "This call is closed." in body
    assert '<div class="description"><p>Support <strong>local</strong> groups.</p>' in body
    assert "alert(1)" not in body


def _timeline(body: str) -> str:
    return body.split('<ol class="phases">', 1)[1].split("</ol>", 1)[0]


def test_the_timeline_reads_on_the_sites_clock_and_names_it(client, settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    call = CallFactory(  # a Brussels funder: 17:00 there is 19:00 in Istanbul, 10:00 is 12:00
        opens_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC), deadlines=[datetime(2027, 3, 2, 16, 0, tzinfo=UTC)],
    )

    body = page(client, call)

    timeline = _timeline(body)
    assert "11 November 2026, 12:00" in timeline and "2 March 2027, 19:00" in timeline
    assert "(Istanbul time)" in timeline
    assert "17:00" not in timeline and "10:00" not in timeline
    assert (
        '<dt>Opening date</dt><dd>11 November 2026, 12:00 <span class="zone">(Istanbul time)</span>'
        ' · 11 November 2026, 10:00 <span class="zone">(Brussels time)</span></dd>'
    ) in body


def test_where_the_funders_clock_reads_as_the_sites_the_opening_is_given_once(client, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    call = CallFactory(opens_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC), deadlines=[NOW + timedelta(days=30)])

    body = page(client, call)

    assert '<dt>Opening date</dt><dd>11 November 2026, 10:00 <span class="zone">(Warsaw time)</span></dd>' in body


def test_each_deadline_tells_the_script_which_clocks_the_page_already_shows(client, settings):
    settings.TIME_ZONE = "Europe/Istanbul"
    winter, summer = datetime(2027, 3, 2, 16, 0, tzinfo=UTC), datetime(2027, 6, 2, 15, 0, tzinfo=UTC)
    call = CallFactory(deadline_model=Call.DeadlineModel.MULTIPLE_CUT_OFF, deadlines=[winter, summer])

    body = page(client, call)

    # Brussels is an hour ahead of UTC in winter, two in summer; Istanbul three all year.
    assert 'data-shown-offsets="60 180"' in body and 'data-shown-offsets="120 180"' in body
