"""A search of the calls too broad to count says "about N" and pages through its matches in the
deadline order without counting the order's parts (selectors.CallsInDeadlineOrder, ``sized``
false): the same calls on every page as the counted order, to the last match."""

import re
from datetime import timedelta

import pytest
from bench.forms import count_is_estimated
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.core import search as search_backend
from civicbridge.funding import selectors
from civicbridge.funding.models import Call
from tests.funding.factories import CallFactory

pytestmark = pytest.mark.django_db

TITLE = "Youth exchanges"


@pytest.fixture
def calls(officer):
    """Matches in each part of the order (ahead, a later stage ahead, undated, closed early
    before a deadline ahead, passed, closed early undated), a draft of the officer's, and
    calls the search does not match."""
    now = timezone.now()
    days = [now + timedelta(days=day) for day in (3, 9, 9, 40)]
    matches = [CallFactory(title=TITLE, deadlines=[moment]) for moment in days]
    matches.append(CallFactory(
        title=TITLE, deadline_model=Call.DeadlineModel.TWO_STAGE, deadlines=[now + timedelta(days=1), now + timedelta(days=90)],
    ))
    matches += [CallFactory(title=TITLE, opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[]) for _ in range(2)]
    matches.append(CallFactory(title=TITLE, deadlines=[now + timedelta(days=5)], status_from_source=Call.Status.CLOSED))
    matches += [
        CallFactory(title=TITLE, opens_at=now - timedelta(days=90), deadlines=[now - timedelta(days=day)]) for day in (1, 20, 20, 60)
    ]
    matches.append(CallFactory(
        title=TITLE, opens_at=None, deadline_model=Call.DeadlineModel.PERMANENT, deadlines=[], status_from_source=Call.Status.CLOSED,
    ))
    draft = CallFactory(title=TITLE, published_at=None, created_by=officer, deadlines=[now + timedelta(days=4)])
    CallFactory.create_batch(3, title="Rural roads", deadlines=[now + timedelta(days=2)])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE funding_call")
    return {"published": matches, "draft": draft}


@pytest.fixture
def few_counted_exactly(monkeypatch):
    # As a common word among 60,000 calls: more matches than are counted one by one, at a cost
    # the planner sees (on a table this small it expects a prefix to match one row).
    monkeypatch.setattr(search_backend, "EXACT_MATCHES", 2)
    monkeypatch.setattr(search_backend, "EXACT_COST", 0)


@pytest.mark.parametrize("viewer", ["visitor", "officer"])
def test_every_slice_read_without_the_parts_sizes_is_that_slice_of_the_counted_order(calls, viewer, officer):
    user = officer if viewer == "officer" else None
    now = timezone.now()
    searched = search_backend.search(selectors.calls_for_rows(user, now=now), "youth")
    counted = list(selectors.in_deadline_order(searched, now))
    assert len(counted) == len(calls["published"]) + (viewer == "officer")
    for start in range(len(counted) + 2):
        for stop in range(start, len(counted) + 3):
            unsized = selectors.in_deadline_order(searched, now, sized=False)
            assert [call.pk for call in unsized[start:stop]] == [call.pk for call in counted[start:stop]], (start, stop)
            assert unsized._sizes is None  # no part counted whole


def test_a_broad_search_says_about_n_and_pages_to_its_last_match(calls, client, few_counted_exactly, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    expected = [call.pk for call in selectors.in_deadline_order(Call.objects.published().filter(title=TITLE), timezone.now())]
    seen, number, pages = [], 1, 0
    while number:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("funding:call_list"), {"q": "youth", "page": number})
        pages += 1
        shown = page.context["page"]
        seen += [call.pk for call in shown.object_list]
        # The parts are never counted whole, in one pass over every match.
        assert not any("FILTER (WHERE" in query["sql"] for query in queries.captured_queries)
        if shown.has_next():
            assert shown.paginator.count_is_estimate
            assert f"about {shown.paginator.count} calls" in page.content.decode()
            assert count_is_estimated(page.content)  # as the bench reads it
            number = shown.next_page_number()
        else:
            # The last page knows: the pages before it and its own rows.
            assert not getattr(shown.paginator, "count_is_estimate", False)
            assert f"{len(expected)} calls" in page.content.decode() and "about" not in page.content.decode().split("result-count")[1][:200]
            number = None
    assert seen == expected
    assert pages == -(-len(expected) // 3)


def test_a_broad_search_says_about_in_polish_and_turkish(calls, client, few_counted_exactly, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    assert re.search(r"około \d+ naborów", client.get("/pl/calls/", {"q": "youth"}).content.decode())
    assert re.search(r"yaklaşık \d+ çağrı", client.get("/tr/calls/", {"q": "youth"}).content.decode())


def test_a_page_past_the_last_match_of_a_broad_search_is_the_last_page(calls, client, few_counted_exactly, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    page = client.get(reverse("funding:call_list"), {"q": "youth", "page": 40})
    shown = page.context["page"]
    assert page.status_code == 200
    assert shown.number == -(-len(calls["published"]) // 3) and list(shown.object_list)
    assert shown.paginator.count == len(calls["published"])


def test_a_search_with_few_matches_is_counted_exactly_and_a_list_without_search_is_never_estimated(calls, client, settings):
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("funding:call_list"), {"q": "youth"})
    assert page.context["page"].paginator.count == len(calls["published"])
    assert not getattr(page.context["page"].paginator, "count_is_estimate", False)
    assert f"{len(calls['published'])} calls" in page.content.decode()
    assert not any("TABLESAMPLE" in query["sql"] for query in queries.captured_queries)
    whole = client.get(reverse("funding:call_list")).context["page"].paginator
    assert (whole.count, getattr(whole, "count_is_estimate", False)) == (len(calls["published"]) + 3, False)


@pytest.mark.parametrize("ordering", ["", "-published"])
def test_a_counted_search_pages_its_matches_in_order(calls, client, settings, ordering):
    settings.CIVICBRIDGE_PAGE_SIZE = 4
    published = Call.objects.published().filter(title=TITLE)
    if ordering:
        expected = [call.pk for call in published.order_by("-published_at", "-id")]
    else:
        expected = [call.pk for call in selectors.in_deadline_order(published, timezone.now())]
    seen = []
    for number in range(1, -(-len(expected) // 4) + 1):
        page = client.get(reverse("funding:call_list"), {"q": "youth", "page": number, **({"ordering": ordering} if ordering else {})})
        shown = page.context["page"]
        assert (shown.paginator.count, getattr(shown.paginator, "count_is_estimate", False)) == (len(expected), False)
        seen += [call.pk for call in shown.object_list]
    assert seen == expected
