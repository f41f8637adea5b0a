"""Issue 4's journey: find a call, save the search as an alert, get the e-mail, stop it by its link."""

import re

from playwright.sync_api import expect

from civicbridge.alerts.models import Subscription
from civicbridge.funding import services
from civicbridge.funding.models import Call
from tests.accounts.factories import UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in
from tests.funding.factories import CallFactory, ProgrammeFactory, in_days


def test_find_a_call_subscribe_receive_the_email_and_unsubscribe(page, new_page, mailoutbox, settings, screenshot):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    programme = ProgrammeFactory(name="Erasmus+", code="ERASMUS")
    CallFactory(programme=programme, title="Youth exchanges between twinned towns", identifier="ERASMUS-2027-YOUTH-TT")
    CallFactory(programme=programme, title="Heritage of rural churches", identifier="ERASMUS-2027-HERITAGE")
    citizen = UserFactory(username="lena", email="lena@example.org")
    coordinator = UserFactory(is_coordinator=True, is_staff=True)

    log_in(page, "lena")
    page.goto("/en/calls/")
    filters = page.locator("main form.filters")
    filters.locator("input[name=q]").fill("youth")
    filters.locator("button[type=submit]").first.click()
    results = page.locator("#results")
    expect(results).to_contain_text("Youth exchanges between twinned towns")
    expect(results).not_to_contain_text("Heritage of rural churches")
    check_accessibility(page)
    screenshot(page, "01-found")

    page.get_by_label("at once").check()
    page.get_by_role("button", name="Save this search as an alert").click()
    expect(page.locator(".messages")).to_be_visible()
    subscription = Subscription.objects.get(user=citizen)
    assert subscription.keywords == "youth"
    assert subscription.frequency == Subscription.Frequency.INSTANT
    check_accessibility(page)
    screenshot(page, "02-subscribed")

    draft = services.create_call(
        by=coordinator,
        data={"identifier": "ERASMUS-2027-YOUTH-KA1", "title": "Youth workers' mobility", "programme": programme,
              "deadline_model": Call.DeadlineModel.SINGLE_STAGE, "opens_at": in_days(-1)},
        deadlines=[in_days(40)],
    )
    services.publish_call(call=draft, by=coordinator)

    notices = [m for m in mailoutbox if m.to == ["lena@example.org"]]
    assert len(notices) == 1
    assert "Youth workers' mobility" in notices[0].subject + notices[0].body
    link = re.search(r"https?://\S+/alerts/unsubscribe/\S+/", notices[0].body).group(0)

    stranger = new_page()  # no session: the link works without logging in
    stranger.goto(link)
    expect(stranger.locator("h1")).to_have_text("Stop an alert")
    check_accessibility(stranger)
    subscription.refresh_from_db()
    assert subscription.is_active, "opening the link alone must not unsubscribe (mail scanners follow links)"
    stranger.get_by_role("button", name="Stop these e-mails").click()
    expect(stranger.locator("main")).to_contain_text("stopped")
    screenshot(stranger, "03-unsubscribed")
    subscription.refresh_from_db()
    assert not subscription.is_active
