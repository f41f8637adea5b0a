"""Counts the database keeps (core.row_counts): the published events and calls and the public
projects, exact after every kind of write, on SQLite and PostgreSQL."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.core.models import RowCount
from civicbridge.core.row_counts import row_count
from civicbridge.events.models import PUBLISHED_COUNT as EVENTS
from civicbridge.events.models import STARTS_COUNT, Event
from civicbridge.funding.models import PUBLISHED_COUNT as CALLS
from civicbridge.funding.models import Call
from civicbridge.projects.models import PUBLIC_COUNT as PROJECTS
from civicbridge.projects.models import Project
from tests.events.factories import EventFactory
from tests.funding.factories import CallFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def counted(counter, queryset) -> tuple[int, int]:
    return counter.current(), queryset.count()


@pytest.mark.parametrize(
    "counter, factory, model",
    [(EVENTS, EventFactory, Event), (CALLS, CallFactory, Call)],
    ids=["events", "calls"],
)
def test_a_published_count_follows_every_kind_of_write(counter, factory, model):
    published = model.objects.published()
    start = counter.current()
    assert start == published.count()
    first, second = factory(), factory()
    draft = factory(published_at=None)
    assert counted(counter, published) == (start + 2, start + 2)
    model.objects.filter(pk=draft.pk).update(published_at=timezone.now())  # publishing, as a bulk update
    assert counted(counter, published) == (start + 3, start + 3)
    model.objects.filter(pk__in=[first.pk, second.pk]).update(published_at=None)  # two withdrawn in one statement
    assert counted(counter, published) == (start + 1, start + 1)
    model.objects.filter(pk=draft.pk).update(title="A new title")  # a change that is not counted
    assert counted(counter, published) == (start + 1, start + 1)
    draft.refresh_from_db()
    draft.published_at = timezone.now() - timezone.timedelta(days=1)
    draft.save()  # still published: one model save, no change
    assert counted(counter, published) == (start + 1, start + 1)
    model.objects.filter(pk__in=[first.pk, draft.pk]).delete()  # one published, one not
    assert counted(counter, published) == (start, start)


def kept_by_key() -> dict:
    prefix = STARTS_COUNT.name + ":"
    return {
        name.removeprefix(prefix): n
        for name, n in RowCount.objects.filter(name__startswith=prefix).values_list("name", "n") if n
    }


def counted_by_key() -> dict:
    keys = {}
    for starts_at, kind in Event.objects.published().values_list("starts_at", "kind"):
        key = f"{starts_at.astimezone(datetime.UTC).date().isoformat()}:{kind}"
        keys[key] = keys.get(key, 0) + 1
    return keys


def test_a_keyed_count_follows_every_kind_of_write_to_its_key():
    # The published events by the day they start (UTC) and their kind.
    midnight = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day = datetime.timedelta(days=1)
    first = EventFactory(starts_at=midnight + day, ends_at=midnight + day)
    late = EventFactory(starts_at=midnight + 2 * day - datetime.timedelta(seconds=1), ends_at=midnight + 2 * day,
                        kind=Event.Kind.FAIR)
    draft = EventFactory(published_at=None, starts_at=midnight + 3 * day, ends_at=midnight + 3 * day)
    assert kept_by_key() == counted_by_key() and len(counted_by_key()) == 2  # the last second of a day is that day
    Event.objects.filter(pk=first.pk).update(starts_at=midnight + 5 * day, ends_at=midnight + 5 * day)  # moved
    assert kept_by_key() == counted_by_key()
    Event.objects.filter(pk__in=[late.pk, first.pk]).update(kind=Event.Kind.STUDY_VISIT)  # two keys change at once
    assert kept_by_key() == counted_by_key()
    Event.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    Event.objects.filter(pk=late.pk).update(published_at=None)
    assert kept_by_key() == counted_by_key()
    Event.objects.bulk_create(EventFactory.build_batch(3, starts_at=midnight + 9 * day, ends_at=midnight + 9 * day))
    Event.objects.filter(pk=first.pk).delete()
    assert kept_by_key() == counted_by_key()
    total, (drafts,) = STARTS_COUNT.total_with(
        Event.objects.filter(published_at__isnull=True), from_key=(midnight + 4 * day).date().isoformat(),
        endings=[Event.Kind.TRAINING],
    )
    assert (total, drafts) == (3, 1)  # the three of the ninth day; the study visit, the fair and the fourth day's not


def test_the_public_projects_count_follows_each_status():
    public = Project.objects.public()
    projects = [ProjectFactory(status=status) for status in Project.Status.values]
    assert counted(PROJECTS, public) == (public.count(), len([p for p in projects if p.status in (
        Project.Status.APPROVED, Project.Status.RUNNING, Project.Status.FINAL_REPORT, Project.Status.CLOSED)]))
    # Every status to every other, one statement each: the count matches the portfolio each time
    # (and fails if PUBLIC_STATUSES changes without a migration that installs the count again).
    for status in Project.Status.values:
        Project.objects.filter(pk=projects[0].pk).update(status=status)
        assert counted(PROJECTS, public)[0] == public.count()
    Project.objects.all().delete()
    assert counted(PROJECTS, public) == (0, 0)


def test_rows_written_in_bulk_are_counted():
    start = EVENTS.current()
    made = EventFactory.build_batch(5)
    made[0].published_at = None
    Event.objects.bulk_create(made)
    assert EVENTS.current() == start + 4 == Event.objects.published().count()


def test_the_home_page_shows_the_counts_and_counts_no_table(client):
    EventFactory.create_batch(3)
    EventFactory(published_at=None)
    CallFactory.create_batch(2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("core:home"))
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    for table in ("events_event", "funding_call", "projects_project"):
        assert not any(f'FROM "{table}"' in sql for sql in counting), table
    assert row_count("events.published") == 3
    figures = page.context["figures"]
    shown = {str(figure["label"]): figure["count"] for figure in figures}
    assert shown["Events and trainings"] == 3 and shown["Calls for proposals"] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE and concurrent writers: PostgreSQL")
def test_truncate_empties_the_count():
    EventFactory.create_batch(2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check may wait on the rows
        cursor.execute("TRUNCATE events_event CASCADE")
    assert EVENTS.current() == 0 == Event.objects.count()
    assert kept_by_key() == {}
    EventFactory()
    assert EVENTS.current() == 1 and kept_by_key() == counted_by_key()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_writers_at_once_are_both_counted():
    start = EVENTS.current()
    barrier = threading.Barrier(2)
    errors = []

    def publish():
        try:
            barrier.wait(timeout=5)
            with transaction.atomic():
                EventFactory()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert EVENTS.current() == start + 2 == Event.objects.published().count()
