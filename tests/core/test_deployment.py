"""One authority per deployment: its profile, its overrides, and what follows from it on pages,
in forms, in filters and in e-mails."""

import dataclasses
import os
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import environ
import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from civicbridge.alerts import tasks
from civicbridge.core import deployment
from civicbridge.core.filters import territory_key
from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory.forms import OrganizationForm
from civicbridge.directory.models import Organization
from civicbridge.funding import alerts, selectors
from tests.accounts.factories import UserFactory
from tests.alerts.factories import CallFactory, ProgrammeFactory, SubscriptionFactory
from tests.alerts.outbox import delivered
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import FunderFactory

ISTANBUL = ZoneInfo("Europe/Istanbul")
OPOLE, ORHANGAZI = deployment.PRESETS["opole"], deployment.PRESETS["orhangazi"]


def built(monkeypatch, **variables) -> deployment.Deployment:
    for name in list(os.environ):
        if name.startswith("CIVICBRIDGE_") and name != "CIVICBRIDGE_DATA_DIR":
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return deployment.from_environment(environ.Env())


@pytest.fixture
def turkish_site(settings):
    settings.CIVICBRIDGE_DEPLOYMENT = ORHANGAZI
    settings.TIME_ZONE = ORHANGAZI.time_zone
    return ORHANGAZI


@pytest.fixture
def polish_site(settings):
    settings.CIVICBRIDGE_DEPLOYMENT = OPOLE
    settings.TIME_ZONE = OPOLE.time_zone
    return OPOLE


# --- the profile and its overrides -------------------------------------------------------------


def test_each_profile_brings_its_country_language_zone_and_currency(monkeypatch):
    opole = built(monkeypatch, CIVICBRIDGE_PROFILE="opole")
    orhangazi = built(monkeypatch, CIVICBRIDGE_PROFILE="orhangazi")

    assert (opole.country, opole.default_language, opole.time_zone, opole.currency) == ("PL", "pl", "Europe/Warsaw", "PLN")
    assert (orhangazi.country, orhangazi.default_language, orhangazi.time_zone, orhangazi.currency) == (
        "TR", "tr", "Europe/Istanbul", "TRY",
    )
    assert orhangazi.name_in("tr") == "Orhangazi Kaymakamlığı"
    assert orhangazi.name_in("en") == "Orhangazi District Governorship"
    assert "krs" in opole.registries and "krs" not in orhangazi.registries
    assert "public_benefit" in opole.thematic_schemes and "public_benefit" not in orhangazi.thematic_schemes


def test_the_operator_overrides_any_value_of_the_profile(monkeypatch):
    site = built(
        monkeypatch, CIVICBRIDGE_PROFILE="opole", CIVICBRIDGE_AUTHORITY_NAME_EN="Nysa County Office",
        CIVICBRIDGE_LANGUAGES="en,pl", CIVICBRIDGE_TIME_ZONE="Europe/Berlin", CIVICBRIDGE_CURRENCY="eur",
        CIVICBRIDGE_CONTACT_EMAIL="ngo@nysa.example",
    )

    assert site.name_in("en") == "Nysa County Office"
    assert site.name_in("pl") == OPOLE.name_in("pl")  # the others keep the profile's
    assert (site.languages, site.time_zone, site.currency) == (("en", "pl"), "Europe/Berlin", "EUR")
    assert site.contact_email == "ngo@nysa.example"


def test_one_name_for_every_language_and_the_older_site_name_setting(monkeypatch):
    assert built(monkeypatch, CIVICBRIDGE_AUTHORITY_NAME="Gmina Nysa").name_in("tr") == "Gmina Nysa"
    assert built(monkeypatch, CIVICBRIDGE_SITE_NAME="Współpraca").name_in("en") == "Współpraca"


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("CIVICBRIDGE_PROFILE", "berlin", "is not a profile"),
    ("CIVICBRIDGE_TIME_ZONE", "Europe/Atlantis", "is not a time zone"),
    ("CIVICBRIDGE_LANGUAGES", "en,de", "CIVICBRIDGE_LANGUAGES"),
    ("CIVICBRIDGE_COUNTRY", "Poland", "ISO 3166-1"),
])
def test_a_value_the_platform_cannot_run_with_stops_it_with_a_message(monkeypatch, variable, value, says):
    with pytest.raises(deployment.DeploymentError, match=says):
        built(monkeypatch, **{variable: value})


# --- the authority's name on every page -------------------------------------------------------------


def test_the_pages_carry_the_authoritys_name_also_where_django_would_put_the_host(client, turkish_site, db):
    for name in ("core:home", "accounts:login", "accounts:password_reset"):
        body = client.get(reverse(name)).content.decode()
        assert "Orhangazi District Governorship" in body, name
        assert "testserver" not in body.split("<main")[0], name  # not the host, in header or title


# --- what a form and a filter offer ---------------------------------------------------------------


def test_an_entry_form_offers_the_registers_and_areas_of_the_deployments_country(turkish_site, db):
    form = OrganizationForm()

    registers = {value for value, _label in form.fields["registry_type"].choices}
    assert "tr_association" in registers
    assert not registers & {"krs", "regon"}
    schemes = set(form.fields["thematic_areas"].queryset.values_list("scheme", flat=True))
    assert schemes == {ThematicArea.Scheme.EU_THEME}


def test_the_polish_site_offers_krs_and_the_acts_areas_and_no_turkish_register(polish_site, db):
    form = OrganizationForm()

    registers = {value for value, _label in form.fields["registry_type"].choices}
    assert {"krs", "regon"} <= registers and "tr_association" not in registers
    assert form.fields["thematic_areas"].queryset.filter(scheme=ThematicArea.Scheme.PUBLIC_BENEFIT).exists()


def test_editing_an_entry_keeps_a_register_and_areas_the_deployment_does_not_offer(turkish_site, municipality):
    public_benefit = ThematicArea.objects.filter(scheme=ThematicArea.Scheme.PUBLIC_BENEFIT).first()
    entry = OrganizationFactory(territory=municipality, registry_type="krs", registry_number="0000123456")
    entry.thematic_areas.add(public_benefit)

    form = OrganizationForm(instance=entry)

    assert "krs" in {value for value, _label in form.fields["registry_type"].choices}
    assert public_benefit in form.fields["thematic_areas"].queryset


def _menu_countries(client, url, field):
    values = []

    class Options(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "select":
                self.inside = attrs.get("name") == field
            elif tag == "option" and self.inside and attrs.get("value"):
                values.append(attrs["value"])

    Options().feed(client.get(url).content.decode())
    keys = set(values)
    countries = set()
    for unit in Territory.objects.all():
        if territory_key(unit) in keys or str(unit.pk) in keys:
            countries.add(unit.country)
    return countries, values


@pytest.mark.parametrize(("site", "country"), [("polish_site", "PL"), ("turkish_site", "TR")])
@pytest.mark.parametrize(("url_name", "field"), [
    ("directory:organization_list", "territory"), ("funding:call_list", "territory"),
    ("directory:plenipotentiary_list", "county"),
])
def test_territory_menus_list_the_deployments_country_only(client, request, site, country, url_name, field, db):
    request.getfixturevalue(site)

    countries, values = _menu_countries(client, reverse(url_name), field)

    assert countries == {country}, values


def test_a_foreign_unit_named_in_the_address_is_still_accepted_and_listed(client, polish_site, db):
    bursa = Territory.objects.get(country="TR", level=Territory.Level.REGION, code="16")
    OrganizationFactory(territory=bursa.children.first(), name="Orhangazi Gençlik Derneği")

    response = client.get(reverse("directory:organization_list"), {"territory": "TR-16"})

    assert response.status_code == 200
    assert "Orhangazi Gençlik Derneği" in response.content.decode()
    assert 'value="TR-16" selected' in response.content.decode()


def test_the_funders_menu_lists_the_countrys_own_funders_first_then_international_then_foreign(
    client, turkish_site, db
):
    embassy = FunderFactory(name="Aaa Embassy of Poland", country="PL", kind="embassy")
    eu = FunderFactory(name="European Commission", country="")
    agency = FunderFactory(name="Zzz Bursa Eskişehir Bilecik Kalkınma Ajansı", country="TR")

    body = client.get(reverse("funding:call_list")).content.decode()
    menu = body[body.index('name="funder"'):]

    assert menu.index(agency.name) < menu.index(eu.name) < menu.index(embassy.name)


# --- time that cannot be misread ------------------------------------------------------------------


def _istanbul_call(**values):
    funder = FunderFactory(time_zone="Europe/Istanbul", country="TR", kind="national_agency")
    deadline = (timezone.now() + timedelta(days=20)).astimezone(ISTANBUL).replace(hour=23, minute=59, second=0, microsecond=0)
    return CallFactory(programme=ProgrammeFactory(funder=funder), deadlines=[deadline], **values), deadline


def test_a_2359_istanbul_deadline_reads_2359_on_the_turkish_site_naming_its_zone(client, turkish_site, db):
    call, _deadline = _istanbul_call()

    body = client.get(reverse("funding:call_list")).content.decode()

    row = body[body.index(call.title):]
    row = row[: row.index("</li>")]
    assert "23:59</time> (Istanbul time)" in row
    assert "Warsaw" not in row


def test_the_polish_site_shows_it_on_its_own_clock_with_the_funders_beside(client, polish_site, db):
    call, deadline = _istanbul_call()

    body = client.get(reverse("funding:call_list")).content.decode()

    row = body[body.index(call.title):]
    row = row[: row.index("</li>")]
    in_warsaw = deadline.astimezone(ZoneInfo("Europe/Warsaw"))
    assert in_warsaw.hour != 23  # two clocks, two readings
    assert f"{in_warsaw:%H:%M}</time> (Warsaw time; " in row
    assert "23:59 Istanbul time)" in row


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_alert_email_of_the_turkish_site_reads_2359_and_names_the_zone(turkish_site, immediate_tasks, db):
    subscriber = SubscriptionFactory(user=UserFactory(preferred_language="tr"))
    call, _deadline = _istanbul_call()

    alerts.call_published(call)

    (message,) = [m for m in delivered() if m.to == [subscriber.user.email]]
    deadlines = message.body[message.body.index(call.title):]
    assert "23:59 (İstanbul saati)" in deadlines  # the city in the reader's language
    assert "20:59" not in deadlines and "21:59" not in deadlines


def test_the_reminder_names_the_zone_of_its_moment(turkish_site, immediate_tasks, db):
    subscriber = SubscriptionFactory(user=UserFactory(preferred_language="en"), remind_deadlines=True)
    funder = FunderFactory(time_zone="Europe/Istanbul", country="TR")
    deadline = timezone.now().astimezone(ISTANBUL) + timedelta(days=7, minutes=20)
    CallFactory(programme=ProgrammeFactory(funder=funder), deadlines=[deadline])

    tasks.send_deadline_reminders.call()

    (message,) = [m for m in delivered() if m.to == [subscriber.user.email]]
    assert f"is in 7 days: {date_filter(deadline, 'DATETIME_FORMAT')} (Istanbul time)." in message.body


def test_the_organization_registry_type_of_the_model_is_unchanged():
    # The deployment narrows what forms offer; the stored values stay valid everywhere.
    assert {"krs", "regon", "tr_association", "other"} <= set(Organization.RegistryType.values)


def test_a_deadline_today_on_a_clock_ahead_keeps_its_own_date(polish_site, db):
    # 00:30 in Istanbul is still the day before in Warsaw: each clock shows its own date.
    funder = FunderFactory(time_zone="Europe/Istanbul", country="TR")
    moment = datetime(2027, 5, 4, 0, 30, tzinfo=ISTANBUL)
    call = CallFactory(programme=ProgrammeFactory(funder=funder), deadlines=[moment], opens_at=moment - timedelta(days=90))

    with timezone.override(ZoneInfo(polish_site.time_zone)):
        (row,) = selectors.decorate(
            selectors.calls_for_rows(None, now=moment - timedelta(days=1)).filter(pk=call.pk),
            moment - timedelta(days=1),
        )

    assert (row.upcoming_deadline.day, row.upcoming_deadline.hour) == (3, 23)
    assert (row.upcoming_deadline_at_funder.day, row.upcoming_deadline_at_funder.hour) == (4, 0)



def test_a_funders_clock_that_reads_as_the_sites_is_not_shown_twice(polish_site, client, db):
    # Brussels and Warsaw keep one time: the row names Warsaw's and adds no equal Brussels time.
    funder = FunderFactory(time_zone="Europe/Brussels", country="BE")
    moment = datetime(2027, 5, 4, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    call = CallFactory(programme=ProgrammeFactory(funder=funder), deadlines=[moment], opens_at=moment - timedelta(days=90))

    with timezone.override(ZoneInfo(polish_site.time_zone)):
        (row,) = selectors.decorate(
            selectors.calls_for_rows(None, now=moment - timedelta(days=1)).filter(pk=call.pk),
            moment - timedelta(days=1),
        )

    assert (row.upcoming_deadline.hour, row.upcoming_deadline_at_funder) == (17, None)


# --- the brand ----------------------------------------------------------------------------------


def test_every_page_takes_the_authoritys_accent_and_its_stylesheet_serves_it(client, settings, db):
    settings.CIVICBRIDGE_DEPLOYMENT = dataclasses.replace(OPOLE, accent="#12355b", logo="core/favicon.svg")
    body = client.get(reverse("core:home")).content.decode()

    assert '<meta name="theme-color" content="#12355b">' in body
    assert 'class="brand-logo"' in body and 'alt=""' in body  # the name beside it says who it is
    href = body.split('rel="stylesheet" href="')[2].split('"')[0]
    css = client.get(href)
    assert css["Content-Type"].startswith("text/css")
    assert css.content.decode().strip() == ":root { --brand: #12355b; }"


@pytest.mark.parametrize(("accent", "says"), [("red", "#rrggbb"), ("#ffdd00", "contrast of 1.3:1")])
def test_an_accent_that_is_no_colour_or_too_light_for_white_text_is_refused(monkeypatch, accent, says):
    with pytest.raises(deployment.DeploymentError, match=says):
        built(monkeypatch, CIVICBRIDGE_ACCENT=accent)


def test_the_profiles_accents_read_well_under_white_text():
    for preset in deployment.PRESETS.values():
        assert deployment.contrast_with_white(preset.accent) >= 4.5


# --- the authority's language first ----------------------------------------------------------------


@pytest.mark.parametrize(("profile", "language"), [(OPOLE, "pl"), (ORHANGAZI, "tr")])
def test_the_bare_address_opens_in_the_deployments_language_whatever_the_browser_prefers(
    client, settings, profile, language, db
):
    settings.CIVICBRIDGE_DEPLOYMENT = profile
    settings.LANGUAGE_CODE = profile.default_language
    settings.LANGUAGES = [(code, code) for code in profile.languages]

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 302 and response["Location"] == f"/{language}/"
    # A language the visitor chose before (the cookie) wins; an address with a language is kept.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/")["Location"] == "/en/"
    assert client.get("/tr/", HTTP_ACCEPT_LANGUAGE="pl").status_code == 200


def test_the_api_still_answers_in_the_clients_language(client, settings, db):
    settings.CIVICBRIDGE_DEPLOYMENT = ORHANGAZI
    settings.LANGUAGE_CODE = "tr"
    settings.LANGUAGES = [("tr", "tr"), ("en", "en"), ("pl", "pl")]

    response = client.get("/api/v1/organizations/", {"territory": "no-such-unit"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "no-such-unit" in response.content.decode()
    assert "No administrative unit" in response.content.decode()


@pytest.mark.parametrize(("language", "date", "moment"), [
    ("en", "7 January 2027", "7 January 2027, 09:05"),
    ("pl", "7 stycznia 2027", "7 stycznia 2027, 09:05"),
    ("tr", "7 Ocak 2027", "7 Ocak 2027, 09:05"),
])
def test_one_date_format_per_language(language, date, moment):
    from django.utils import formats, translation

    when = datetime(2027, 1, 7, 9, 5)
    with translation.override(language):
        assert formats.date_format(when.date(), "DATE_FORMAT") == date
        assert formats.date_format(when, "DATETIME_FORMAT") == moment


def test_a_zone_is_named_in_the_language_of_each_page_whatever_was_named_before():
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from civicbridge.core.deployment import zone_label

    brussels = ZoneInfo("Europe/Brussels")
    with translation.override("pl"):
        polish = zone_label(brussels)
    with translation.override("tr"):
        turkish = zone_label(brussels)
    with translation.override("en"):
        english = zone_label(brussels)
    with translation.override("pl"):
        assert zone_label(brussels) == polish

    assert english == "Brussels time"
    assert len({english, polish, turkish}) == 3
    assert "Brukseli" in polish or "Bruksela" in polish
