"""The whole registry's count is one row the database keeps (directory.models.LISTED_COUNT):
exact after every kind of write, and what the list and the home page show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.directory import selectors
from civicbridge.directory.models import LISTED_COUNT, Organization
from tests.directory.factories import OrganizationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


def counted() -> tuple[int, int]:
    return LISTED_COUNT.current(), Organization.objects.listed().count()


def test_the_count_follows_every_registration_of_every_kind():
    start = LISTED_COUNT.current()
    assert start == Organization.objects.listed().count()
    ngo, body = OrganizationFactory(), PublicBodyFactory()
    assert counted() == (start + 2, start + 2)
    # Every registration to every other, for an NGO and for a public body (a public body
    # waiting for approval is not listed, an NGO waiting is): the count matches each time,
    # and fails if listed_q changes without a migration that installs the count again.
    for entry in (ngo, body):
        for registration in Organization.Registration.values:
            Organization.objects.filter(pk=entry.pk).update(registration=registration)
            assert counted()[0] == Organization.objects.listed().count(), (entry.kind, registration)
    # A kind changed under a pending registration moves the entry in or out of the list.
    Organization.objects.filter(pk__in=[ngo.pk, body.pk]).update(registration=Organization.Registration.PENDING)
    assert counted()[0] == counted()[1]
    Organization.objects.filter(pk=ngo.pk).update(kind=Organization.Kind.MUNICIPALITY)
    assert counted() == (start, start)
    Organization.objects.filter(pk__in=[ngo.pk, body.pk]).update(registration=Organization.Registration.APPROVED)
    assert counted() == (start + 2, start + 2)
    Organization.objects.filter(pk__in=[ngo.pk, body.pk]).delete()
    assert counted() == (start, start)


def test_entries_written_in_bulk_are_counted():
    start = LISTED_COUNT.current()
    made = OrganizationFactory.build_batch(4)
    made[0].registration = Organization.Registration.REJECTED
    Organization.objects.bulk_create(made)
    assert counted() == (start + 3, start + 3)


def test_the_whole_registry_is_counted_from_the_row_and_a_filter_from_the_tally(client):
    OrganizationFactory.create_batch(3)
    OrganizationFactory(registration=Organization.Registration.REJECTED)
    listed = Organization.objects.listed().count()
    assert selectors.listed_count() == listed
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("directory:organization_list"))
    assert page.context["page"].paginator.count == listed
    counting = " ".join(q["sql"] for q in queries)
    assert "core_rowcount" in counting and "directory_organizationtally" not in counting
    kind = Organization.Kind.NGO
    assert selectors.listed_count(kinds=[kind]) == Organization.objects.listed().filter(kind=kind).count()
    with CaptureQueriesContext(connection) as queries:
        filtered = client.get(reverse("directory:organization_list"), {"kind": kind})
    assert filtered.context["page"].paginator.count == Organization.objects.listed().filter(kind=kind).count()
    assert "directory_organizationtally" in " ".join(q["sql"] for q in queries)
