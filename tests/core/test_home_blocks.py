"""The home page shows the sections apps register (core.registry.home_blocks), current on every visit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicbridge.core.registry import HomeBlock, home_blocks
from tests.funding.factories import CallFactory, in_days
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db


def test_the_calls_closing_soonest_are_on_the_home_page_soonest_first(client):
    later = CallFactory(title="Later call", deadlines=[in_days(9)])
    sooner = CallFactory(title="Sooner call", deadlines=[in_days(2)])
    CallFactory(title="Far call", deadlines=[in_days(60)])
    CallFactory(title="Draft call", deadlines=[in_days(3)], published_at=None)
    CallFactory(title="Closed call", deadlines=[in_days(-1)])

    html = client.get("/en/").content.decode()
    section = html[html.index('id="home-calls-closing-soon"'):html.index('id="home-calls-newest"')]

    assert section.index(sooner.get_absolute_url()) < section.index(later.get_absolute_url())
    assert "Far call" not in section and "Closed call" not in section
    assert "Draft call" not in html
    assert 'href="/en/calls/closing-soon/"' in html


def test_a_call_published_a_moment_ago_shows_at_once(client):
    assert "Brand new call" not in client.get("/en/").content.decode()

    CallFactory(title="Brand new call", deadlines=[in_days(4)])

    assert "Brand new call" in client.get("/en/").content.decode()


def test_a_section_with_nothing_to_show_is_left_out(client):
    assert 'id="home-calls-closing-soon"' not in client.get("/en/").content.decode()


def test_the_home_page_runs_the_same_queries_for_one_call_or_many(client, django_assert_max_num_queries):
    CallFactory(deadlines=[in_days(3)])
    PartnerRequestFactory()
    # One counter per searchable content (organizations, calls, events...) and one query per
    # section, but two for the calls closing soon (their ids from the deadlines, then their
    # rows: funding.selectors.first_closing): no section reads what it does not show.
    from civicbridge.core.registry import searchables

    with django_assert_max_num_queries(len(searchables.entries) + len(home_blocks.entries) + 1) as one:
        client.get("/en/")
    for day in range(1, 9):
        CallFactory(deadlines=[in_days(day)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/pl/")


def test_sections_come_in_their_order_with_their_headings(client, monkeypatch):
    monkeypatch.setitem(home_blocks.entries, "a-first", HomeBlock(
        title="First section", template="funding/_home_closing_soon.html", context=lambda request: {"calls": []}, order=1))
    monkeypatch.setitem(home_blocks.entries, "z-hidden", HomeBlock(
        title="Hidden section", template="funding/_home_closing_soon.html", context=lambda request: None, order=2))
    CallFactory(deadlines=[in_days(3)])

    html = client.get("/en/").content.decode()

    assert html.index("First section") < html.index("Calls closing soon")
    assert "Hidden section" not in html


def test_the_newest_calls_are_on_the_home_page_newest_first_without_drafts(client):
    older = CallFactory(title="Older call", published_at=in_days(-5), deadlines=[in_days(30)])
    newer = CallFactory(title="Newer call", published_at=in_days(-1), deadlines=[in_days(40)])
    CallFactory(title="Draft call", published_at=None, deadlines=[in_days(30)])

    html = client.get("/en/").content.decode()
    section = html[html.index('id="home-calls-newest"'):]

    assert section.index(newer.get_absolute_url()) < section.index(older.get_absolute_url())
    assert "Draft call" not in html
    assert 'href="/en/calls/?ordering=-published"' in section


def test_open_partner_requests_are_on_the_home_page_and_closed_or_expired_ones_are_not(client):
    PartnerRequestFactory(title="Seeking a school in Bursa")
    PartnerRequestFactory(title="Closed request", status="closed")
    PartnerRequestFactory(title="Expired request", deadline=timezone.localdate() - timedelta(days=1))

    html = client.get("/en/").content.decode()

    section = html[html.index('id="home-partner-requests-open"'):]
    assert "Seeking a school in Bursa" in section
    assert "Closed request" not in html and "Expired request" not in html


def test_the_home_page_shows_the_authoritys_contact(client):
    html = client.get("/en/").content.decode()
    main = html[html.index("<main"):html.index("</main>")]

    assert "biuro.koordynacji@demo.civicbridge.invalid" in main
    assert 'href="/en/contact/"' in main
