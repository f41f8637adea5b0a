"""The pairs of thematic areas each organization works in, kept by the database (directory.area_pairs)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from civicbridge.core.models import ThematicArea
from civicbridge.directory import services
from civicbridge.directory.models import AreaPair, Organization
from tests.directory.factories import OrganizationFactory

LINKS = Organization.thematic_areas.through


def kept_pairs() -> set:
    return set(AreaPair.objects.values_list("organization_id", "first_area_id", "second_area_id"))


def true_pairs() -> set:
    areas_of: dict[int, list[int]] = {}
    for organization_id, area_id in LINKS.objects.values_list("organization_id", "thematicarea_id"):
        areas_of.setdefault(organization_id, []).append(area_id)
    return {
        (organization_id, first, second)
        for organization_id, areas in areas_of.items() for first in areas for second in areas if first < second
    }


def assert_pairs_exact():
    assert kept_pairs() == true_pairs()


@pytest.fixture
def areas():
    return list(ThematicArea.objects.order_by("id")[:4])


@pytest.mark.django_db
def test_the_pairs_follow_every_kind_of_write(coordinator, municipality, areas):
    first, second = OrganizationFactory.create_batch(2, territory=municipality)
    first.thematic_areas.set(areas[:3])
    second.thematic_areas.set(areas[1:])
    assert_pairs_exact()
    assert len(kept_pairs()) == 6  # three areas make three pairs each
    created = services.create_organization(
        by=coordinator, data={"name": "Fundacja Nowa", "kind": "ngo", "territory": municipality},
        thematic_areas=areas[:2],
    )
    assert_pairs_exact()
    services.update_organization(organization=created, by=coordinator, data={}, thematic_areas=areas[2:])
    assert_pairs_exact()
    created.thematic_areas.add(areas[0], areas[1])
    created.thematic_areas.remove(areas[3])
    assert_pairs_exact()
    created.thematic_areas.clear()
    assert_pairs_exact()
    services.delete_organization(organization=first, by=coordinator)
    assert_pairs_exact()
    # Paths that bypass the services: a bulk insert of links, a queryset delete, plain SQL.
    bulk = Organization.objects.bulk_create([
        Organization(name=f"Masowa {n}", slug=f"masowa-{n}", kind="ngo", territory=municipality) for n in range(3)
    ])
    LINKS.objects.bulk_create([LINKS(organization=organization, thematicarea=area) for organization in bulk for area in areas])
    assert_pairs_exact()
    LINKS.objects.filter(organization=bulk[0], thematicarea__in=areas[:2]).delete()
    assert_pairs_exact()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM directory_organization_thematic_areas WHERE organization_id = %s AND thematicarea_id = %s",
            [bulk[1].pk, areas[0].pk],
        )
        cursor.execute(  # a link moved to another area: its pairs move with it
            "UPDATE directory_organization_thematic_areas SET thematicarea_id = %s WHERE organization_id = %s AND thematicarea_id = %s",
            [areas[0].pk, bulk[1].pk, areas[3].pk],
        )
        cursor.execute("DELETE FROM directory_organization_thematic_areas WHERE organization_id = %s", [bulk[2].pk])
    assert_pairs_exact()
    Organization.objects.filter(slug__startswith="masowa-").delete()
    assert_pairs_exact()
    gone = ThematicArea.objects.create(code="temporary", scheme=ThematicArea.Scheme.values[0], name_en="Temporary")
    second.thematic_areas.add(gone)
    assert_pairs_exact()
    gone.delete()
    assert_pairs_exact()


@pytest.mark.django_db
def test_emptying_the_links_empties_the_pairs(municipality, areas):
    OrganizationFactory(territory=municipality).thematic_areas.set(areas)
    assert kept_pairs()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's links' checks, deferred, would refuse it
            cursor.execute("TRUNCATE directory_organization_thematic_areas")
        else:
            cursor.execute("DELETE FROM directory_organization_thematic_areas")
    assert kept_pairs() == set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_areas_added_at_once_by_two_transactions_make_their_pair(municipality, areas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one at a time")
    organization = OrganizationFactory(territory=municipality)
    organization.thematic_areas.set(areas[:1])
    first_added = threading.Event()
    errors = []

    def add(area, *, first: bool):
        try:
            if not first:
                first_added.wait(5)
            with transaction.atomic():
                LINKS.objects.create(organization_id=organization.pk, thematicarea=area)
                if first:
                    first_added.set()
                    time.sleep(0.3)  # the other adds its area meanwhile, before this commits
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(areas[1],), kwargs={"first": True}),
               threading.Thread(target=add, args=(areas[2],), kwargs={"first": False})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (organization.pk, areas[1].pk, areas[2].pk) in kept_pairs()
    assert_pairs_exact()
