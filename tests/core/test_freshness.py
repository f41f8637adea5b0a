"""What a write changes shows on the next request of every page that shows it, whatever wrote it.

Nothing of a page, a feed or an API answer is cached, so no write path (service, API, admin
add/change/delete and actions, import) has to remember to throw anything away. Each test
reads every page that shows the object first (so that a cache, if one came back, would be
warm), writes through one path, and reads the pages again. The cache is the deployment's
default: local memory, and Redis too when REDIS_URL is set (the PostgreSQL pass).
"""

import csv
import io
import os
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory import services as directory_services
from civicbridge.directory.exports import HEADERS as ORGANIZATION_HEADERS
from civicbridge.directory.models import Organization
from civicbridge.funding import services as funding_services
from civicbridge.funding.models import Call, Funder, Programme
from civicbridge.partners import services as partner_services
from civicbridge.partners.models import PartnerRequest
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, FunderFactory, ProgrammeFactory, in_days
from tests.partners.factories import PartnerRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def deployment_cache(request, settings):
    """The cache backends a deployment runs with (CACHE_URL unset, or Redis)."""
    if request.param == "redis":
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("REDIS_URL not set (scripts/test-services.sh run-redis)")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "civicbridge"}
        }
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def staff(client, coordinator):
    """The coordinator's browser, signed in to the admin."""
    from django.test import Client

    browser = Client()
    browser.force_login(coordinator)
    return browser


@pytest.fixture
def api(coordinator):
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


# --- reading ----------------------------------------------------------------------------------------


def text_of(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # iCalendar folds long lines (RFC 5545 §3.1): unfold before looking for a text.
    return body.decode().replace("\r\n ", "")


def status_of(client, url: str) -> int:
    return client.get(url, follow=True).status_code


def everywhere(client, urls, text: str) -> list[str]:
    """The pages of ``urls`` that do not show ``text`` (an empty list when all do)."""
    return [url for url in urls if text not in text_of(client, url)]


def anywhere(client, urls, text: str) -> list[str]:
    """The pages of ``urls`` that still show ``text``."""
    return [url for url in urls if status_of(client, url) == 200 and text in text_of(client, url)]


def organization_pages(organization: Organization, word: str) -> list[str]:
    organization.refresh_from_db()
    return [
        organization.get_absolute_url(),
        "/en/organizations/",
        f"/en/organizations/?q={word}",
        f"/en/search/?q={word}",
        "/api/v1/organizations/?page_size=100",
        f"/api/v1/organizations/?search={word}",
        f"/api/v1/organizations/{organization.pk}/",
    ]


def call_pages(call: Call) -> list[str]:
    call.refresh_from_db()
    return [
        call.get_absolute_url(),
        "/en/calls/",
        "/en/calls/closing-soon/",
        "/en/calls/feed/",
        "/en/calls/deadlines.ics",
        "/api/v1/calls/?page_size=100",
        f"/api/v1/calls/{call.identifier}/",
    ]


def request_pages(partner_request: PartnerRequest) -> list[str]:
    return [
        partner_request.get_absolute_url(),
        "/en/partners/",
        "/api/v1/partner-requests/?page_size=100",
        f"/api/v1/partner-requests/{partner_request.pk}/",
    ]


def home_count(client, label_contains: str) -> int:
    figures = client.get("/en/").context["figures"]
    return next(figure["count"] for figure in figures if label_contains in str(figure["label"]).lower())


# --- the admin, as a coordinator uses it ----------------------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would send for the admin's change form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def admin_save(browser, url: str, **changes) -> None:
    """Submit the admin's add or change form at ``url`` with ``changes``, as a person would."""
    page = browser.get(url)
    assert page.status_code == 200, url
    parser = _FormFields()
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [str(value)]
    data["_save"] = ["Save"]
    response = browser.post(url, data)
    assert response.status_code == 302, list(response.context["errors"]) if response.context else response


def admin_delete(browser, model, pk) -> None:
    meta = model._meta
    response = browser.post(f"/en/admin/{meta.app_label}/{meta.model_name}/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302


def admin_delete_selected(browser, model, pks) -> None:
    meta = model._meta
    response = browser.post(
        f"/en/admin/{meta.app_label}/{meta.model_name}/",
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks], "post": "yes"},
    )
    assert response.status_code == 302


def admin_change_url(obj) -> str:
    meta = obj._meta
    return f"/en/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


# --- organizations ----------------------------------------------------------------------------------


def _csv(headers, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow({header: "" for header in headers} | row)
    return out.getvalue().encode()


def rename_by_service(organization, new, *, coordinator, **_):
    directory_services.update_organization(organization=organization, by=coordinator, data={"name": new})


def rename_by_api(organization, new, *, api, **_):
    assert api.patch(f"/api/v1/organizations/{organization.pk}/", {"name": new}, format="json").status_code == 200


def rename_by_admin(organization, new, *, staff, **_):
    admin_save(staff, admin_change_url(organization), name=new)


def rename_by_page(organization, new, *, staff, **_):
    edit = f"{organization.get_absolute_url()}edit/"
    page = staff.get(edit)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = new
    data["thematic_areas"] = [area.pk for area in organization.thematic_areas.all()]
    assert staff.post(edit, data).status_code == 302


def rename_by_import(organization, new, *, staff, **_):
    row = {
        "name": new, "kind": organization.kind, "registry_type": organization.registry_type,
        "registry_number": organization.registry_number, "territory_code": organization.territory.code,
    }
    upload = SimpleUploadedFile("organizations.csv", _csv(ORGANIZATION_HEADERS, [row]), content_type="text/csv")
    response = staff.post("/en/organizations/import/", {"file": upload, "mode": "import"})
    assert response.status_code in (200, 302)
    organization.refresh_from_db()
    assert organization.name == new, "the import did not update the entry by its registry number"


@pytest.mark.parametrize(
    "rename", [rename_by_service, rename_by_api, rename_by_admin, rename_by_page, rename_by_import],
    ids=["service", "api", "admin", "page", "import"],
)
def test_a_renamed_organization_shows_its_new_name_everywhere_at_once(
    client, rename, coordinator, api, staff, municipality
):
    organization = OrganizationFactory(
        name="Stowarzyszenie Kwiatkowo", territory=municipality, registry_type="krs", registry_number="0000123456"
    )
    PartnerRequestFactory(organization=organization, title="Wymiana z Kwiatkowem")
    before = [*organization_pages(organization, "Kwiatkowo"), "/en/partners/"]
    assert everywhere(client, before, "Stowarzyszenie Kwiatkowo") == []

    rename(organization, "Stowarzyszenie Zorzykowo", coordinator=coordinator, api=api, staff=staff)

    after = [*organization_pages(organization, "Zorzykowo"), "/en/partners/"]
    assert everywhere(client, after, "Stowarzyszenie Zorzykowo") == []
    assert anywhere(client, after + before, "Stowarzyszenie Kwiatkowo") == []


def create_by_service(*, coordinator, municipality, **_):
    directory_services.create_organization(
        by=coordinator, data={"name": "Fundacja Brzozowiec", "kind": "ngo", "territory": municipality}
    )


def create_by_api(*, api, municipality, **_):
    body = {"name": "Fundacja Brzozowiec", "kind": "ngo", "territory": municipality.pk}
    assert api.post("/api/v1/organizations/", body, format="json").status_code == 201


def create_by_admin(*, staff, municipality, **_):
    admin_save(
        staff, "/en/admin/directory/organization/add/", name="Fundacja Brzozowiec", kind="ngo",
        territory=municipality.pk,
    )


def create_by_import(*, staff, municipality, **_):
    row = {"name": "Fundacja Brzozowiec", "kind": "ngo", "territory_code": municipality.code}
    upload = SimpleUploadedFile("organizations.csv", _csv(ORGANIZATION_HEADERS, [row]), content_type="text/csv")
    assert staff.post("/en/organizations/import/", {"file": upload, "mode": "import"}).status_code in (200, 302)


@pytest.mark.parametrize(
    "create", [create_by_service, create_by_api, create_by_admin, create_by_import],
    ids=["service", "api", "admin", "import"],
)
def test_a_new_organization_shows_in_every_list_and_count_at_once(client, create, coordinator, api, staff, municipality):
    OrganizationFactory(territory=municipality)
    lists = ["/en/organizations/", "/en/organizations/?q=Brzozowiec", "/en/search/?q=Brzozowiec",
             "/api/v1/organizations/", "/api/v1/organizations/?search=Brzozowiec"]
    assert anywhere(client, lists, "Fundacja Brzozowiec") == []
    counted = home_count(client, "organization")

    create(coordinator=coordinator, api=api, staff=staff, municipality=municipality)

    created = Organization.objects.get(name="Fundacja Brzozowiec")
    assert everywhere(client, [*lists, created.get_absolute_url()], "Fundacja Brzozowiec") == []
    assert home_count(client, "organization") == counted + 1
    assert text_of(client, "/en/organizations/").count("Fundacja Brzozowiec") == 1


def delete_by_service(organization, *, coordinator, **_):
    directory_services.delete_organization(organization=organization, by=coordinator)


def delete_by_api(organization, *, api, **_):
    assert api.delete(f"/api/v1/organizations/{organization.pk}/").status_code == 204


def delete_by_admin(organization, *, staff, **_):
    admin_delete(staff, Organization, organization.pk)


def delete_by_admin_action(organization, *, staff, **_):
    admin_delete_selected(staff, Organization, [organization.pk])


@pytest.mark.parametrize(
    "delete", [delete_by_service, delete_by_api, delete_by_admin, delete_by_admin_action],
    ids=["service", "api", "admin", "admin-action"],
)
def test_a_deleted_organization_is_gone_from_every_page_at_once(client, delete, coordinator, api, staff, municipality):
    organization = OrganizationFactory(name="Stowarzyszenie Wierzbowiec", territory=municipality)
    request = PartnerRequestFactory(organization=organization, title="Prośba znikającego")
    pages = organization_pages(organization, "Wierzbowiec")
    assert everywhere(client, pages, "Stowarzyszenie Wierzbowiec") == []
    assert "Prośba znikającego" in text_of(client, "/en/partners/")
    counted = home_count(client, "organization")

    delete(organization, coordinator=coordinator, api=api, staff=staff)

    assert status_of(client, pages[0]) == 404
    assert status_of(client, pages[-1]) == 404
    assert status_of(client, request.get_absolute_url()) == 404
    assert anywhere(client, [*pages, "/en/partners/", "/api/v1/partner-requests/"], "Stowarzyszenie Wierzbowiec") == []
    assert home_count(client, "organization") == counted - 1


def verify_by_service(organization, *, coordinator, **_):
    directory_services.set_verified(organization=organization, by=coordinator, verified=True)


def verify_by_page(organization, *, staff, **_):
    assert staff.post(f"{organization.get_absolute_url()}verify/", {"verified": "true"}).status_code == 302


def verify_by_admin(organization, *, staff, **_):
    admin_save(staff, admin_change_url(organization), is_verified="on")


@pytest.mark.parametrize(
    "verify", [verify_by_service, verify_by_page, verify_by_admin], ids=["service", "page", "admin"]
)
def test_a_verification_shows_on_the_profile_the_list_and_the_api_at_once(
    client, verify, coordinator, staff, municipality
):
    organization = OrganizationFactory(name="Stowarzyszenie Sprawdzane", territory=municipality)
    detail, api_detail = organization.get_absolute_url(), f"/api/v1/organizations/{organization.pk}/"
    assert "badge-verified" not in text_of(client, detail) + text_of(client, "/en/organizations/")
    assert client.get(api_detail).json()["is_verified"] is False

    verify(organization, coordinator=coordinator, staff=staff)

    assert "badge-verified" in text_of(client, detail)
    assert "badge-verified" in text_of(client, "/en/organizations/")
    assert client.get(api_detail).json()["is_verified"] is True


def test_an_approved_public_body_appears_in_the_lists_at_once(client, user, staff, municipality):
    from civicbridge.accounts.models import Membership

    body = directory_services.create_organization(
        by=user, data={"name": "Urząd Gminy Nowej", "kind": "public_body", "territory": municipality}
    )
    lists = ["/en/organizations/", "/api/v1/organizations/"]
    assert anywhere(client, lists, "Urząd Gminy Nowej") == []

    pending = Membership.objects.get(user=user, organization=body)
    response = staff.post(
        "/en/admin/accounts/membership/", {"action": "approve", "_selected_action": [str(pending.pk)]}
    )
    assert response.status_code == 302

    assert everywhere(client, [*lists, body.get_absolute_url()], "Urząd Gminy Nowej") == []


# --- calls for proposals ----------------------------------------------------------------------------


@pytest.fixture
def call(db):
    funder = FunderFactory(name="Fundusz Świeżości")
    programme = ProgrammeFactory(funder=funder, name="Programme Alpha")
    return CallFactory(
        identifier="FRESH-2027-001", title="Grants for riverside libraries",
        programme=programme, deadlines=[in_days(5)],
    )


def retitle_call_by_service(call, new, *, coordinator, **_):
    funding_services.update_call(call=call, by=coordinator, data={"title": new})


def retitle_call_by_api(call, new, *, api, **_):
    assert api.patch(f"/api/v1/calls/{call.identifier}/", {"title": new}, format="json").status_code == 200


def retitle_call_by_admin(call, new, *, staff, **_):
    admin_save(staff, admin_change_url(call), title=new)


@pytest.mark.parametrize(
    "retitle", [retitle_call_by_service, retitle_call_by_api, retitle_call_by_admin], ids=["service", "api", "admin"]
)
def test_a_changed_call_shows_on_every_page_feed_and_calendar_at_once(client, call, retitle, coordinator, api, staff):
    pages = call_pages(call)
    assert everywhere(client, pages, "Grants for riverside libraries") == []

    retitle(call, "Grants for hilltop museums", coordinator=coordinator, api=api, staff=staff)

    assert everywhere(client, [*pages, "/en/calls/?q=museums", "/api/v1/calls/?search=museums"], "Grants for hilltop museums") == []
    assert anywhere(client, pages, "riverside libraries") == []


def test_a_moved_deadline_shows_in_the_list_and_the_calendar_at_once(client, call, coordinator):
    pages = ["/en/calls/", "/en/calls/deadlines.ics", call.get_absolute_url()]
    old = call.deadlines.get().deadline_at
    for url in pages:
        text_of(client, url)
    new = in_days(12).replace(hour=15, minute=0, second=0, microsecond=0)

    funding_services.update_call(call=call, by=coordinator, data={}, deadlines=[new])

    calendar = text_of(client, "/en/calls/deadlines.ics")
    assert new.strftime("%Y%m%dT%H%M%SZ") in calendar
    assert old.strftime("%Y%m%dT%H%M%SZ") not in calendar
    brussels = ZoneInfo(call.programme.funder.time_zone)
    assert f'datetime="{new.astimezone(brussels).isoformat()}"' in text_of(client, "/en/calls/")


def test_a_published_draft_appears_in_the_lists_feed_and_calendar_at_once(client, coordinator):
    draft = CallFactory(identifier="DRAFT-2027-001", title="Grants for quiet squares", published_at=None)
    public = ["/en/calls/", "/en/calls/feed/", "/en/calls/deadlines.ics", "/api/v1/calls/"]
    assert anywhere(client, public, "Grants for quiet squares") == []

    funding_services.publish_call(call=draft, by=coordinator)

    assert everywhere(client, [*public, draft.get_absolute_url()], "Grants for quiet squares") == []


def test_a_call_imported_again_shows_its_new_title_at_once(client, staff):
    from tests.funding.test_imports import HEADERS, _row

    ProgrammeFactory(funder=FunderFactory(name="European Commission", kind=Funder.Kind.EU), code="CERV", name="CERV")
    first = SimpleUploadedFile("calls.csv", _csv(HEADERS, [_row(title="Town-twinning")]), content_type="text/csv")
    assert staff.post("/en/calls/import/", {"file": first, "mode": "import", "publish": "on"}).status_code in (200, 302)
    call = Call.objects.get(identifier="CERV-2027-CITIZENS-TOWN-TT")
    pages = call_pages(call)
    pages.remove("/en/calls/closing-soon/")  # its deadline is months away
    assert everywhere(client, pages, "Town-twinning") == []

    again = SimpleUploadedFile("calls.csv", _csv(HEADERS, [_row(title="Twinning of towns")]), content_type="text/csv")
    assert staff.post("/en/calls/import/", {"file": again, "mode": "import"}).status_code in (200, 302)

    assert everywhere(client, pages, "Twinning of towns") == []


@pytest.mark.parametrize("how", ["admin", "admin-action"])
def test_a_call_deleted_in_the_admin_is_gone_from_every_page_at_once(client, call, staff, how):
    pages = call_pages(call)
    assert everywhere(client, pages, "Grants for riverside libraries") == []

    if how == "admin":
        admin_delete(staff, Call, call.pk)
    else:
        admin_delete_selected(staff, Call, [call.pk])

    assert status_of(client, pages[0]) == 404
    assert status_of(client, pages[-1]) == 404
    assert anywhere(client, pages[1:-1], "riverside libraries") == []


# --- funders and programmes -------------------------------------------------------------------------


def test_a_funder_renamed_in_the_admin_shows_on_its_calls_at_once(client, call, staff):
    funder = call.programme.funder
    pages = [*call_pages(call), "/en/funders/", "/api/v1/funders/"]
    pages.remove("/en/calls/feed/")  # the feed names the call, not its funder
    assert everywhere(client, pages, "Fundusz Świeżości") == []

    admin_save(staff, admin_change_url(funder), name="Fundusz Jutra")

    assert everywhere(client, pages, "Fundusz Jutra") == []
    assert anywhere(client, pages, "Fundusz Świeżości") == []


def test_a_programme_renamed_in_the_admin_shows_on_its_calls_at_once(client, call, staff):
    pages = [call.get_absolute_url(), "/en/calls/", "/en/calls/deadlines.ics", "/en/funders/",
             f"/api/v1/calls/{call.identifier}/", "/api/v1/funders/"]
    assert everywhere(client, pages, "Programme Alpha") == []

    admin_save(staff, admin_change_url(call.programme), name="Programme Omega")

    assert everywhere(client, pages, "Programme Omega") == []
    assert anywhere(client, pages, "Programme Alpha") == []


def test_a_new_funder_and_programme_show_in_the_lists_and_menus_at_once(client, coordinator):
    pages = ["/en/funders/", "/api/v1/funders/", "/en/calls/"]
    assert anywhere(client, pages, "Fundacja Nowych Szans") == []

    funder = funding_services.create_funder(by=coordinator, data={"name": "Fundacja Nowych Szans", "kind": "foundation"})
    funding_services.create_programme(by=coordinator, funder=funder, data={"name": "Szanse 2030"})

    assert everywhere(client, pages, "Fundacja Nowych Szans") == []
    assert "Szanse 2030" in text_of(client, "/en/calls/")  # the programme menu
    assert "Szanse 2030" in text_of(client, "/en/funders/")


def test_a_funder_added_with_a_programme_in_the_admin_shows_at_once(client, staff):
    assert anywhere(client, ["/en/funders/", "/en/calls/"], "Fundacja Admina") == []

    admin_save(
        staff, "/en/admin/funding/funder/add/", name="Fundacja Admina", slug="fundacja-admina", kind="foundation",
        time_zone="Europe/Warsaw",
        **{"programmes-TOTAL_FORMS": 1, "programmes-0-name": "Program Admina", "programmes-0-code": "ADM",
           "programmes-0-period": "2021-2027"},
    )

    assert everywhere(client, ["/en/funders/", "/api/v1/funders/", "/en/calls/"], "Fundacja Admina") == []
    assert Programme.objects.filter(name="Program Admina").exists()


# --- partner requests -------------------------------------------------------------------------------


@pytest.fixture
def partner_request(municipality, coordinator):
    organization = OrganizationFactory(name="Stowarzyszenie Partnerskie", territory=municipality)
    return PartnerRequestFactory(organization=organization, title="Szukamy partnera z Porto", created_by=coordinator)


def retitle_request_by_service(partner_request, new, *, coordinator, **_):
    partner_services.update_request(partner_request=partner_request, by=coordinator, data={"title": new})


def retitle_request_by_api(partner_request, new, *, api, **_):
    url = f"/api/v1/partner-requests/{partner_request.pk}/"
    assert api.patch(url, {"title": new}, format="json").status_code == 200


def retitle_request_by_admin(partner_request, new, *, staff, **_):
    admin_save(staff, admin_change_url(partner_request), title=new)


@pytest.mark.parametrize(
    "retitle", [retitle_request_by_service, retitle_request_by_api, retitle_request_by_admin],
    ids=["service", "api", "admin"],
)
def test_a_changed_partner_request_shows_on_every_page_at_once(client, partner_request, retitle, coordinator, api, staff):
    pages = request_pages(partner_request)
    assert everywhere(client, pages, "Szukamy partnera z Porto") == []

    retitle(partner_request, "Szukamy partnera z Lizbony", coordinator=coordinator, api=api, staff=staff)

    assert everywhere(client, pages, "Szukamy partnera z Lizbony") == []
    assert anywhere(client, pages, "Porto") == []


def test_a_new_partner_request_shows_in_the_lists_at_once(client, api, municipality):
    organization = OrganizationFactory(name="Stowarzyszenie Partnerskie", territory=municipality)
    lists = ["/en/partners/", "/api/v1/partner-requests/"]
    assert anywhere(client, lists, "Szukamy partnera z Gandawy") == []

    body = {"organization": organization.pk, "direction": "seeking", "title": "Szukamy partnera z Gandawy",
            "description": "Wymiana młodzieży.", "deadline": str(in_days(20).date())}
    assert api.post("/api/v1/partner-requests/", body, format="json").status_code == 201

    assert everywhere(client, lists, "Szukamy partnera z Gandawy") == []


@pytest.mark.parametrize("how", ["service", "admin", "admin-action"])
def test_a_closed_or_deleted_partner_request_leaves_the_lists_at_once(client, partner_request, coordinator, staff, how):
    pages = request_pages(partner_request)
    assert everywhere(client, pages, "Szukamy partnera z Porto") == []

    if how == "service":
        partner_services.close_request(partner_request=partner_request, by=coordinator)
    elif how == "admin":
        admin_delete(staff, PartnerRequest, partner_request.pk)
    else:
        admin_delete_selected(staff, PartnerRequest, [partner_request.pk])

    assert status_of(client, pages[0]) == 404
    assert anywhere(client, pages, "Szukamy partnera z Porto") == []


# --- reference data: territories and thematic areas -------------------------------------------------


def test_a_territory_renamed_in_the_admin_shows_on_the_rows_that_name_it(client, staff, partner_request, municipality):
    organization = partner_request.organization
    pages = [organization.get_absolute_url(), "/en/organizations/", "/en/partners/", partner_request.get_absolute_url()]
    old = municipality.name
    assert everywhere(client, pages, old) == []

    admin_save(staff, admin_change_url(municipality), name_en="Nysa Renamed", name_pl="Nysa Nowa", name_tr="Nysa Yeni")

    assert Territory.objects.get(pk=municipality.pk).name_pl == "Nysa Nowa"
    assert everywhere(client, pages, "Nysa Renamed") == []
    assert everywhere(client, [page.replace("/en/", "/pl/", 1) for page in pages], "Nysa Nowa") == []


def test_a_thematic_area_renamed_in_the_admin_shows_on_rows_and_menus(client, staff, call, partner_request):
    area = ThematicArea.objects.order_by("pk").first()
    call.thematic_areas.set([area])
    partner_request.thematic_areas.set([area])
    partner_request.organization.thematic_areas.set([area])
    pages = ["/en/calls/", call.get_absolute_url(), "/en/partners/", "/en/organizations/",
             partner_request.organization.get_absolute_url()]
    assert everywhere(client, pages, area.name_en) == []

    admin_save(staff, admin_change_url(area), name_en="Riverside culture")

    assert everywhere(client, pages, "Riverside culture") == []


# --- responses keep their headers -------------------------------------------------------------------


def test_the_calendar_keeps_its_file_name_and_type_on_every_request(client, call):
    for _ in range(2):
        response = client.get("/en/calls/deadlines.ics")
        assert response["Content-Type"].startswith("text/calendar")
        assert response["Content-Disposition"] == 'inline; filename="deadlines.ics"'
        one = client.get(f"{call.get_absolute_url()}deadlines.ics")
        assert one["Content-Disposition"] == 'attachment; filename="FRESH-2027-001.ics"'


def test_the_feed_keeps_its_last_modified_and_type_on_every_request(client, call):
    first = client.get("/en/calls/feed/")
    second = client.get("/en/calls/feed/")

    for response in (first, second):
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "Last-Modified" in response
    assert second["Last-Modified"] == first["Last-Modified"]


def test_the_lists_tell_caches_that_the_htmx_partial_differs_from_the_page(client, call, partner_request):
    for url in ("/en/calls/", "/en/organizations/", "/en/partners/"):
        vary = client.get(url)["Vary"]
        assert "HX-Request" in vary and "HX-Target" in vary, url
