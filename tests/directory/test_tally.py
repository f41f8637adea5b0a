"""The registry's counts come from a tally the database keeps: exact after every kind of write."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core.models import Territory, ThematicArea
from civicbridge.directory import selectors, services
from civicbridge.directory.models import Organization, OrganizationAreaTally, OrganizationTally
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

KEY = ("territory_id", "kind", "registration", "is_verified")


def tally_state() -> dict:
    return {
        tuple(getattr(row, name) for name in KEY): row.n
        for row in OrganizationTally.objects.exclude(n=0)
    }


def true_state() -> dict:
    return {
        tuple(row[name] for name in KEY): row["n"]
        for row in Organization.objects.order_by().values(*KEY).annotate(n=Count("id"))
    }


def area_tally_state() -> dict:
    return {
        (row.thematic_area_id, *(getattr(row, name) for name in KEY)): row.n
        for row in OrganizationAreaTally.objects.exclude(n=0)
    }


def true_area_state() -> dict:
    links = Organization.thematic_areas.through.objects.order_by()
    return {
        (row["thematicarea_id"], *(row[f"organization__{name}"] for name in KEY)): row["n"]
        for row in links.values("thematicarea_id", *(f"organization__{name}" for name in KEY)).annotate(n=Count("id"))
    }


def assert_tally_exact():
    assert tally_state() == true_state()
    assert area_tally_state() == true_area_state()


@pytest.fixture
def areas():
    return list(ThematicArea.objects.order_by("id")[:3])


@pytest.fixture
def registry(municipality, other_county, areas):
    other = other_county.children.order_by("code").first()
    for organization in OrganizationFactory.create_batch(3, territory=municipality):
        organization.thematic_areas.set(areas[:2])
    OrganizationFactory(territory=other, kind=Organization.Kind.SCHOOL, is_verified=True).thematic_areas.set(areas)
    OrganizationFactory(territory=other, registration=Organization.Registration.REJECTED).thematic_areas.set(areas[:1])
    PublicBodyFactory(territory=municipality, registration=Organization.Registration.PENDING).thematic_areas.set(areas)
    PublicBodyFactory(territory=other)
    return Organization.objects.all()


@pytest.mark.django_db
def test_the_tally_follows_every_kind_of_write(registry, coordinator, municipality, county, other_county, areas):
    assert_tally_exact()
    created = services.create_organization(
        by=coordinator, data={"name": "Fundacja Nowa", "kind": "ngo", "territory": municipality},
        thematic_areas=areas[1:],
    )
    assert_tally_exact()
    services.update_organization(organization=created, by=coordinator, data={}, thematic_areas=areas[:1])
    assert_tally_exact()
    created.thematic_areas.add(areas[2])
    created.thematic_areas.remove(areas[0])
    assert_tally_exact()
    created.thematic_areas.clear()
    assert_tally_exact()
    first = registry.order_by("id").first()
    services.update_organization(organization=first, by=coordinator, data={"kind": Organization.Kind.UNIVERSITY})
    assert_tally_exact()
    services.update_organization(organization=first, by=coordinator, data={"territory": county})
    assert_tally_exact()
    services.set_verified(organization=first, by=coordinator, verified=True)
    assert_tally_exact()
    services.update_organization(organization=first, by=coordinator, data={"description": "Bez zmian w liczbach."})
    assert_tally_exact()
    services.delete_organization(organization=first, by=coordinator)
    assert_tally_exact()
    # Paths that bypass the services: bulk writes, a queryset update and delete, plain SQL.
    Organization.objects.bulk_create([
        Organization(name=f"Masowa {n}", slug=f"masowa-{n}", kind="ngo", territory=municipality) for n in range(4)
    ])
    assert_tally_exact()
    Organization.objects.filter(slug__startswith="masowa-").update(registration=Organization.Registration.PENDING)
    assert_tally_exact()
    Organization.objects.filter(slug__startswith="masowa-").update(territory=other_county, is_verified=True)
    assert_tally_exact()
    Organization.objects.filter(slug__in=["masowa-0", "masowa-1"]).delete()
    assert_tally_exact()
    Organization.thematic_areas.through.objects.bulk_create([
        Organization.thematic_areas.through(organization=organization, thematicarea=area)
        for organization in Organization.objects.filter(slug__startswith="masowa-") for area in areas
    ])
    assert_tally_exact()
    Organization.objects.filter(slug="masowa-2").update(kind=Organization.Kind.SCHOOL, territory=municipality)
    assert_tally_exact()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_organization SET kind = 'business' WHERE slug = 'masowa-2'")
        cursor.execute(
            "DELETE FROM directory_organization_thematic_areas WHERE organization_id IN "
            "(SELECT id FROM directory_organization WHERE slug = 'masowa-3')"
        )
        cursor.execute("DELETE FROM directory_organization WHERE slug = 'masowa-3'")
    assert_tally_exact()
    Organization.objects.filter(slug__startswith="masowa-").delete()
    assert_tally_exact()


@pytest.mark.django_db
def test_an_update_that_changes_no_counted_column_writes_no_tally_row(registry):
    before = {row.pk: row.n for row in OrganizationTally.objects.all()}
    by_area = {row.pk: row.n for row in OrganizationAreaTally.objects.all()}
    Organization.objects.update(description="Nowy opis dla wszystkich.")
    assert {row.pk: row.n for row in OrganizationTally.objects.all()} == before
    assert {row.pk: row.n for row in OrganizationAreaTally.objects.all()} == by_area


@pytest.mark.django_db
def test_the_triggers_survive_every_migration():
    # A later migration that rebuilds the table (SQLite does, to alter a column) would drop
    # them silently: a new organization and its area must still be counted, and a move.
    territory, elsewhere = Territory.objects.filter(level=Territory.Level.MUNICIPALITY)[:2]
    area = ThematicArea.objects.first()
    counted = Organization.objects.create(name="Policzona", slug="policzona", kind="ngo", territory=territory)
    counted.thematic_areas.add(area)
    assert OrganizationTally.objects.get(territory=territory, kind="ngo").n == 1
    assert OrganizationAreaTally.objects.get(thematic_area=area, territory=territory, kind="ngo").n == 1
    Organization.objects.filter(pk=counted.pk).update(territory=elsewhere)
    assert OrganizationAreaTally.objects.get(thematic_area=area, territory=elsewhere, kind="ngo").n == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {}, {"kind": ["ngo"]}, {"kind": ["ngo", "school", "public_body"]}, {"territory": "PL-16"},
    {"territory": "1607"}, {"verified": "true"}, {"verified": "false"},
    {"kind": ["public_body"], "territory": "1601", "verified": "false"}, {"ordering": "-name"},
    {"thematic_area": "AREA0"}, {"thematic_area": "AREA2", "kind": ["school"]},
    {"thematic_area": "AREA1", "territory": "1607", "verified": "false"},
])
def test_listed_counts_equal_counting_the_list(registry, areas, query):
    query = {name: areas[int(value[-1])].pk if str(value).startswith("AREA") else value for name, value in query.items()}
    filterset = selectors.filter_organizations(query)
    assert selectors.registry_count(filterset) == filterset.qs.count()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"q": "testowe"}, {"thematic_area": "999999"}, {"kind": ["no-such-kind"]}])
def test_a_search_or_a_bad_value_is_counted_by_the_database(registry, query):
    assert selectors.registry_count(selectors.filter_organizations(query)) is None


@pytest.mark.django_db
def test_the_list_page_and_the_api_show_the_exact_count_without_counting_the_registry(registry, client):
    listed = Organization.objects.listed()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("directory:organization_list"), {"kind": "ngo"})
    assert page.context["page"].paginator.count == listed.filter(kind="ngo").count() == 3
    assert not [q for q in queries if 'COUNT(*)' in q["sql"] and '"directory_organization"' in q["sql"]]
    answer = client.get("/api/v1/organizations/", {"territory": "1601"})
    assert answer.json()["count"] == listed.filter(territory__path__startswith=Territory.objects.get(
        country="PL", code="1601").path).count() == 2
    home = client.get("/en/")
    assert {figure["label"]: figure["count"] for figure in home.context["figures"]}["Organizations"] == listed.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_are_all_counted(municipality):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one at a time")
    barrier = threading.Barrier(4)
    errors = []

    def register(number):
        from django.db import connections

        try:
            barrier.wait()
            with transaction.atomic():
                for step in range(5):
                    Organization.objects.create(
                        name=f"Równoległa {number}-{step}", slug=f"rownolegla-{number}-{step}", kind="ngo",
                        territory=municipality,
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OrganizationTally.objects.get(territory=municipality, kind="ngo", registration="approved").n == 20
    assert_tally_exact()


@pytest.mark.django_db
def test_emptying_the_tally_before_the_registry_leaves_no_negative_count(registry, municipality, areas):
    # Django's flush on SQLite deletes table by table, in any order: a tally emptied first
    # must not be left with the departed organizations counted below zero.
    OrganizationTally.objects.all().delete()
    OrganizationAreaTally.objects.all().delete()
    Organization.objects.all().delete()
    assert not OrganizationTally.objects.filter(n__lt=0).exists()
    assert not OrganizationAreaTally.objects.filter(n__lt=0).exists()
    OrganizationFactory(territory=municipality).thematic_areas.set(areas[:1])
    assert_tally_exact()
