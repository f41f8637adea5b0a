"""Events in the browser: a guest registers for the last seat and the next person joins the
waiting list; the organizer takes attendance on a phone; the KPI dashboard shows the result.
axe-core on every page."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from civicbridge.events.models import Event, Registration
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.browser.conftest import check_accessibility
from tests.browser.test_journeys import log_in_without_the_form
from tests.directory.factories import OrganizationFactory
from tests.events.factories import EventFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def training(municipality):
    organizer = OrganizationFactory(name="Stowarzyszenie Nyskie Centrum NGO", territory=municipality)
    officer = UserFactory(username="organizer")
    MembershipFactory(user=officer, organization=organizer)
    event = EventFactory(
        organizers=[organizer], title="Szkolenie: rozliczanie dotacji", capacity=1,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    return event, officer


def register(page, event, name, email):
    page.goto(f"/en/events/{event.pk}/")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your e-mail address").fill(email)
    page.locator("main form button[type=submit]").click()


def test_the_last_seat_then_the_waiting_list_then_attendance_on_a_phone(page, new_page, training, screenshot):
    event, officer = training

    register(page, event, "Zofia Kowalska", "zofia@example.org")
    expect(page.locator("main")).to_contain_text("You are registered")
    expect(page.locator("main")).to_contain_text("registered, with a seat")
    check_accessibility(page)
    first_registration_url = page.url

    register(page, event, "Jan Nowak", "jan@example.org")
    expect(page.locator("main")).to_contain_text("on the waiting list (number 1)")
    check_accessibility(page)

    # Zofia cannot come after all: her seat goes to Jan.
    page.goto(first_registration_url)
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.locator("main")).to_contain_text("Your registration is cancelled")
    jan = Registration.objects.get(email="jan@example.org")
    assert jan.status == Registration.Status.CONFIRMED

    # The training starts; the organizer takes attendance at the door, on a phone.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    phone = new_page(has_touch=True)
    phone.set_viewport_size({"width": 390, "height": 844})
    log_in_without_the_form(phone, officer)
    phone.goto(f"/en/events/{event.pk}/check-in/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    button = phone.get_by_role("button", name="Mark present (Jan Nowak)")
    box = button.bounding_box()
    assert box["height"] >= 44  # a target a thumb can hit
    button.click()
    expect(phone.get_by_role("button", name="Present ✓ (Jan Nowak, select to mark absent)")).to_be_visible()
    check_accessibility(phone)
    screenshot(phone, "check-in")
    jan.refresh_from_db()
    assert jan.attended_at is not None

    # Jan's certificate, from the link of his e-mails.
    response = page.request.get(f"/en/events/registrations/{jan.token}/certificate.pdf")
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Jan Nowak" in text and "Hours of training: 3" in text


def test_the_dashboard_shows_the_years_figures_with_tables_beside_the_charts(page, training, screenshot):
    event, officer = training
    from civicbridge.events import services

    registration = services.register(event=event, name="Ewa", email="ewa@example.org")
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    services.set_attendance(by=officer, registration=registration, attended=True)
    # The event was made and moved past the services (a factory, an update): count it as for an import.
    services.rebuild_attendance_figures()

    page.goto("/pl/kpis/")
    expect(page.locator("h1")).to_contain_text(str(timezone.localdate().year))
    cards = page.locator(".kpi-cards").first
    expect(cards).to_contain_text("Uczestnicy")
    county_table = page.get_by_role("table", name="Wydarzenia według powiatów")
    expect(county_table).to_contain_text("powiat nyski")
    check_accessibility(page)
    screenshot(page, "dashboard")


def test_the_calendar_on_a_phone_draws_no_box_for_a_week_without_events(page, municipality, screenshot):
    organization = OrganizationFactory(territory=municipality)
    starts = timezone.make_aware(datetime.datetime(2027, 3, 17, 10), timezone.get_default_timezone())
    EventFactory(organizers=[organization], title="Marcowe forum", starts_at=starts,
                 ends_at=starts + datetime.timedelta(hours=4))
    page.set_viewport_size({"width": 390, "height": 900})

    page.goto("/pl/events/calendar/?month=2027-03")

    screenshot(page, "phone")
    weeks = page.locator(".month-grid tbody tr")
    shown = [index for index in range(weeks.count()) if weeks.nth(index).is_visible()]
    assert len(shown) == 1, f"{len(shown)} weeks drawn for one with an event"
    assert "Marcowe forum" in weeks.nth(shown[0]).inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboards_bars_show_whole_county_names_and_the_months_by_name(page, region, screenshot, width):
    from civicbridge.events import services

    for code in ("1603", "1605"):  # powiat kędzierzyńsko-kozielski, powiat krapkowicki
        county = region.children.get(code=code)
        EventFactory(organizers=[OrganizationFactory(territory=county)], territory=county,
                     starts_at=timezone.now() - datetime.timedelta(hours=3),
                     ends_at=timezone.now() - datetime.timedelta(hours=1))
    services.rebuild_attendance_figures()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/pl/kpis/")

    labels = page.locator("#county-chart-caption + .bars .bar-label")
    expect(labels).to_have_count(2)
    screenshot(page, f"dashboard-{width}")
    assert sorted(labels.all_inner_texts()) == ["powiat krapkowicki", "powiat kędzierzyńsko-kozielski"]
    for label in labels.all():
        assert label.evaluate("element => element.scrollWidth <= element.clientWidth"), label.inner_text()
    expect(page.locator("svg.timeline text").first).to_have_text("Sty")
