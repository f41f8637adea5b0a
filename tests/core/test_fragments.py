"""List rows and API items kept per object version (core.fragments): reused by every page
that shows the object, never shown once the object, its language, its status or the names
it shows have changed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicbridge.core.cache import FUNDING, bump_content_version
from civicbridge.core.fragments import cached_pieces
from civicbridge.core.models import ThematicArea
from civicbridge.directory import services as directory_services
from tests.directory.factories import OrganizationFactory
from tests.funding.factories import CallFactory, in_days

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/en/organizations/"
CALLS = "/en/calls/"


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    # Every page is computed: only the pieces are cached.
    settings.CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS = 0
    settings.CIVICBRIDGE_PIECE_CACHE_SECONDS = 300


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run


def _queries_touching(table: str, path: str, client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum(table in query["sql"] for query in captured.captured_queries)


def test_a_row_rendered_for_one_page_is_reused_by_another_without_fetching_its_relations(client, municipality):
    organization = OrganizationFactory(name="Fundacja Zielona Dolina", territory=municipality)
    organization.thematic_areas.set(ThematicArea.objects.all()[:2])
    client.get(ORGANIZATIONS + "?q=nothing-matches-this")  # fills the filters' menus

    assert _queries_touching("core_thematicarea", ORGANIZATIONS, client) == 1
    assert _queries_touching("core_thematicarea", ORGANIZATIONS + "?q=zielona", client) == 0
    page = client.get(ORGANIZATIONS + "?q=zielona").content.decode()
    assert "Fundacja Zielona Dolina" in page
    assert ThematicArea.objects.all()[0].name in page


def test_an_edit_of_an_organization_shows_in_its_row_at_once(client, organization, coordinator, write):
    client.get(ORGANIZATIONS)
    area = ThematicArea.objects.exclude(pk__in=organization.thematic_areas.all()).last()

    write(directory_services.update_organization, organization=organization, by=coordinator,
          data={"name": "Stowarzyszenie Po Zmianie"}, thematic_areas=[area])

    page = client.get(ORGANIZATIONS).content.decode()
    assert "Stowarzyszenie Po Zmianie" in page
    assert area.name in page


def test_a_row_is_kept_per_language(client, organization):
    english = client.get(ORGANIZATIONS).content.decode()
    polish = client.get("/pl/organizations/").content.decode()

    assert f"/en/organizations/{organization.slug}/" in english
    assert f"/pl/organizations/{organization.slug}/" in polish
    assert f"/en/organizations/{organization.slug}/" not in polish


def test_a_thematic_area_renamed_in_the_admin_shows_in_the_rows_and_menus_at_once(
    client, organization, coordinator, django_capture_on_commit_callbacks
):
    area = ThematicArea.objects.first()
    organization.thematic_areas.set([area])
    client.get(ORGANIZATIONS)

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/admin/core/thematicarea/{area.pk}/change/", {
            "code": area.code, "scheme": area.scheme, "name_en": "Renamed area of work",
            "name_pl": area.name_pl, "name_tr": area.name_tr, "position": area.position,
        })
    assert response.status_code == 302
    client.logout()

    page = client.get(ORGANIZATIONS).content.decode()
    assert "<li>Renamed area of work</li>" in page  # the row's tag
    assert f'<option value="{area.pk}">Renamed area of work</option>' in page  # the filter's menu


def test_a_call_row_follows_the_clock(client, monkeypatch):
    call = CallFactory(title="Grants closing within the hour", deadlines=[in_days(1 / 24)])
    assert 'badge-open' in client.get(CALLS).content.decode()

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    page = client.get(CALLS + "?status=closed").content.decode()
    assert call.title in page
    assert "badge-closed" in page and "badge-open" not in page


def test_a_renamed_funder_shows_in_the_call_rows_at_once(client, write):
    call = CallFactory()
    client.get(CALLS)
    funder = call.programme.funder

    funder.name = "Renamed National Agency"
    funder.save()
    write(bump_content_version, FUNDING)  # as the funder admin does

    row_meta = f'<span class="identifier">{call.identifier}</span> · Renamed National Agency'
    assert row_meta in client.get(CALLS).content.decode()


def test_an_api_item_is_serialized_once_and_follows_an_edit(client, organization, coordinator, write):
    first = client.get("/api/v1/organizations/").json()["results"]
    assert _queries_touching("core_thematicarea", "/api/v1/organizations/?kind=" + organization.kind, client) == 0

    write(directory_services.update_organization, organization=organization, by=coordinator,
          data={"description": "A description written after the first read."})

    again = client.get("/api/v1/organizations/").json()["results"]
    assert first[0]["description"] != again[0]["description"]
    assert again[0]["description"] == "A description written after the first read."


def test_an_api_call_item_follows_the_clock(client, monkeypatch):
    CallFactory(deadlines=[in_days(1 / 24)])
    assert client.get("/api/v1/calls/").json()["results"][0]["status"] == "open"

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert client.get("/api/v1/calls/").json()["results"][0]["status"] == "closed"


def test_pieces_keep_the_order_of_the_objects_and_build_only_the_missing(settings):
    built = []

    def build(missing):
        built.append(list(missing))
        return [f"<li>{number}</li>" for number in missing]

    assert cached_pieces([1, 2], kind="test", version=str, build=build) == ["<li>1</li>", "<li>2</li>"]
    assert cached_pieces([3, 2, 1], kind="test", version=str, build=build) == ["<li>3</li>", "<li>2</li>", "<li>1</li>"]
    assert built == [[1, 2], [3]]


def test_with_the_piece_cache_off_every_piece_is_built(settings):
    settings.CIVICBRIDGE_PIECE_CACHE_SECONDS = 0
    built = []

    def build(missing):
        built.extend(missing)
        return [str(number) for number in missing]

    cached_pieces([1], kind="test", version=str, build=build)
    cached_pieces([1], kind="test", version=str, build=build)
    assert built == [1, 1]


def test_a_logged_in_person_is_served_the_rows_too(client, organization, user):
    client.get(ORGANIZATIONS)
    client.force_login(user)

    assert _queries_touching("core_thematicarea", ORGANIZATIONS, client) == 0
    assert organization.name in client.get(ORGANIZATIONS).content.decode()
