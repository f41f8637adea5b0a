"""Call alerts in headless Chromium, beside the main journey (test_call_alerts.py): an
anonymous visitor logs in from the call list's alert box and confirms the alert; the
coordinators' delivery log; axe-core on each page."""

import pytest
from playwright.sync_api import expect

from civicbridge.alerts.models import Subscription
from civicbridge.funding import services
from civicbridge.funding.models import Call
from tests.accounts.factories import PASSWORD, UserFactory
from tests.alerts.factories import (
    CallFactory,
    ProgrammeFactory,
    SubscriptionFactory,
    in_days,
)
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in_without_the_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def publish_a_new_call(programme, title: str) -> Call:
    """A coordinator publishes a draft through the calls' service (which tells the alerts)."""
    draft = CallFactory(programme=programme, title=title, published_at=None, deadlines=[in_days(40)])
    return services.publish_call(call=draft, by=UserFactory(is_coordinator=True, is_staff=True))


def test_a_visitor_logs_in_from_the_box_and_confirms_the_alert(page):
    reader = UserFactory(username="box.visitor")
    CallFactory(title="Youth exchanges on the river", deadlines=[in_days(30)])

    page.goto("/en/calls/?q=youth&country=DE")
    page.get_by_role("link", name="Log in to get alerts of new calls that match these filters").click()
    page.locator("#id_username").fill(reader.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("New alert")
    expect(page.locator("main")).to_contain_text("“youth” · applicants from Germany")
    # The list's country, kept through the log-in, chosen by name in a menu.
    expect(page.get_by_label("Applicants from")).to_have_value("DE")
    check_accessibility(page)
    page.get_by_label("weekly digest").check()
    page.get_by_role("button", name="Save the alert").click()

    expect(page.locator("h1")).to_have_text("My alerts")
    saved = Subscription.objects.get(user=reader)
    assert (saved.frequency, saved.keywords, saved.country) == ("weekly", "youth", "DE")


def test_the_delivery_log_for_coordinators(page):
    coordinator = UserFactory(is_coordinator=True, is_staff=True)
    SubscriptionFactory()
    publish_a_new_call(ProgrammeFactory(), "Culture for all")
    log_in_without_the_form(page, coordinator)

    page.goto("/en/alerts/deliveries/")

    expect(page.locator("h1")).to_have_text("Alert delivery log")
    expect(page.locator("tbody")).to_contain_text("sent")
    check_accessibility(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_deadline_reminder_checkbox_sits_beside_its_label(page, screenshot, width):
    log_in_without_the_form(page, UserFactory(username="reminded.reader"))
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/pl/alerts/subscribe/calls/")

    checkbox = page.locator("#id_remind_deadlines").bounding_box()
    label = page.locator("label[for=id_remind_deadlines]").bounding_box()
    screenshot(page, f"reminder-{width}")
    assert abs((checkbox["y"] + checkbox["height"] / 2) - (label["y"] + label["height"] / 2)) <= 4
    assert checkbox["x"] + checkbox["width"] <= label["x"]
