"""The first few matches of a search in an order, read whichever way is cheaper, are the same
first matches: few of them (read from the text index, then sorted), many of them (read in the
order's index), or more than expected (the order's index after all)."""

import re

import pytest

from civicbridge.core import search
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ORDER = ("-id",)


@pytest.fixture
def registry(municipality):
    for number in range(12):
        OrganizationFactory(name=f"Stowarzyszenie Sportowe {number}", territory=municipality, description="")
    for number in range(3):
        OrganizationFactory(name=f"Fundacja Kultury {number}", territory=municipality, description="")


def expected(query, limit):
    return list(search.search(Organization.objects.all(), query).order_by(*ORDER)[:limit])


@pytest.mark.parametrize("query", ["stowarzyszenie", "fundacja kult", "kultury", "stow", "nieznane", "dernek"])
@pytest.mark.parametrize(("at_least", "read"), [(2_000, 10_000), (0, 10_000), (2_000, 4)])
def test_the_first_matches_are_the_same_whichever_way_they_are_read(registry, query, at_least, read, monkeypatch):
    monkeypatch.setattr(search, "FEW_MATCHES_AT_LEAST", at_least)  # 0: "many matches": the order's index
    monkeypatch.setattr(search, "FEW_MATCHES_SHARE", 0 if not at_least else search.FEW_MATCHES_SHARE)
    monkeypatch.setattr(search, "FEW_MATCHES_READ", read)  # 4: more than expected

    found = search.first_matches(Organization.objects.all(), query, ORDER, 5)

    assert found == expected(query, 5)
    if query.startswith("stow"):
        assert len(found) == 5 and all(organization.name.startswith("Stowarzyszenie") for organization in found)
    if query in ("nieznane", "dernek"):
        assert found == []


def test_few_matches_in_the_keys_order_read_the_rows_of_the_first_ones_only(registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found = search.first_matches(Organization.objects.all(), "stowarzyszenie", ORDER, 5, table_rows=10**6)

    assert found == expected("stowarzyszenie", 5)
    if connection.vendor == "postgresql":  # elsewhere the order's index is read at once
        rows = [query["sql"] for query in queries.captured_queries if '"directory_organization"."name"' in query["sql"]]
        chosen = re.search(r'"directory_organization"."id" = ANY\(\'\{([^}]*)\}\'::bigint\[\]\)', rows[-1]).group(1)
        assert len(rows) == 1 and sorted(int(pk) for pk in chosen.split(",")) == sorted(o.pk for o in found)


def test_the_matches_are_sorted_from_their_ids_sent_as_one_parameter(registry):
    """In an order other than the key's, every match's id goes with the query for the rows: as
    one array, not a parameter each (thousands of them took longer to send and plan than the
    query took to run)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads the order's index at once")
    sent = []

    def spy(execute, sql, params, many, context):
        if '"directory_organization"."name"' in sql:
            sent.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        found = search.first_matches(Organization.objects.all(), "stowarzyszenie", ("name", "id"), 5, table_rows=10**6)

    assert found == list(search.search(Organization.objects.all(), "stowarzyszenie").order_by("name", "id")[:5])
    ids = [param for param in sent[-1] if isinstance(param, str) and param.startswith("{")]
    assert len(sent[-1]) < 6 and len(ids) == 1 and len(ids[0].strip("{}").split(",")) == 12


def test_the_site_search_lists_the_newest_matching_events_first(client, organization):
    from tests.events.factories import EventFactory

    events = [EventFactory(organizers=[organization], title=f"Warsztaty rękodzieła {n}") for n in range(7)]

    page = client.get("/en/search/", {"q": "rękodzieła"})

    html = page.content.decode()
    shown = [event for event in events if event.title in html]
    assert shown == events[-5:]  # newest first, five of them


def test_the_site_search_reads_every_tables_size_at_once_and_finds_the_same(client, registry, django_assert_max_num_queries):
    from django.db import connection

    from civicbridge.core.registry import searchables

    if connection.vendor == "postgresql":
        sizes = search.table_sizes([entry.model for entry in searchables])
        assert set(sizes) <= {entry.model for entry in searchables}
        assert all(rows >= 0 for rows in sizes.values())
    found = search.first_matches(Organization.objects.all(), "stowarzyszenie", ORDER, 5, table_rows=0)

    assert found == expected("stowarzyszenie", 5)
    assert "Stowarzyszenie Sportowe 11" in client.get("/en/search/", {"q": "stowarzyszenie"}).content.decode()


def test_the_planner_is_asked_once_about_a_last_word_typed_or_whole(registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL is asked for its estimate")
    with CaptureQueriesContext(connection) as queries:
        found = search.first_matches(Organization.objects.all(), "fundacja kult", ORDER, 5, table_rows=15)

    explained = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("EXPLAIN")]
    assert len(explained) == 1 and "kult:* | kult" in str(queries.captured_queries)
    assert found == expected("fundacja kult", 5) and len(found) == 3


@pytest.mark.parametrize(("query", "guessed"), [("nieznane", True), ("stowarzyszenie", False)])
def test_a_word_the_planner_never_saw_is_read_from_the_text_index(registry, query, guessed, monkeypatch):
    """Its statistics know the table's words; of any other it only guesses a share of the rows,
    which may be none: the order's index would walk the whole table for no match at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL is asked for its estimate")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Organization._meta.db_table}")
    monkeypatch.setattr(search, "FEW_MATCHES_AT_LEAST", 0)  # whatever it expects counts as "many"
    monkeypatch.setattr(search, "FEW_MATCHES_SHARE", 0)
    terms = search.query_terms(query)
    planned = search._planned_rows(search._estimated_matches(Organization.objects.all(), terms))

    with CaptureQueriesContext(connection) as queries:
        found = search.first_matches(Organization.objects.all(), query, ORDER, 5)

    assert search._only_guessed(Organization.objects.all(), terms, planned) is guessed
    assert found == expected(query, 5)
    read_in_order = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "ORDER BY" in q["sql"]]
    if guessed:  # the text index had no match: no row is read
        assert found == [] and read_in_order == []
    else:
        assert len(found) == 5 and len(read_in_order) == 1 and " IN (" not in read_in_order[0]


@pytest.mark.parametrize("query", ["stowarzyszenie sportowe", "sportowe stow", "fundacja kult", "fundacja nieznane"])
@pytest.mark.parametrize("walk_rows", [2_000, 3])
def test_the_first_matches_of_several_words_found_walking_the_keys_are_the_first_matches(
    registry, query, walk_rows, monkeypatch,
):
    """Several words: the first matches are looked for in the first rows in the key's order
    (two words often come together where the planner expects few: thousands of them); found
    there, they are the first matches, and no match's key is read from the text index. Where the
    walk finds fewer than asked (the newest three rows are foundations; fewer match at all), the
    matches are read as before, and are the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads the order's index at once")
    monkeypatch.setattr(search, "WALK_FIRST_AT", 0)  # whatever few it expects, walk first
    monkeypatch.setattr(search, "WALK_ROWS", walk_rows)

    with CaptureQueriesContext(connection) as queries:
        found = search.first_matches(Organization.objects.all(), query, ORDER, 5)

    assert found == expected(query, 5)
    walked = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT walk.key")]
    keys_read = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "directory_organization"."id" AS "pk"')]
    assert len(walked) == 1
    if walk_rows > 15 and query != "fundacja kult" and query != "fundacja nieznane":  # five found walking
        assert len(found) == 5 and keys_read == []
    else:
        assert len(keys_read) == 1


def test_one_word_is_not_looked_for_walking_the_keys(registry, monkeypatch):
    """The planner knows one word's frequency: the text index or the order's, as it says."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(search, "WALK_FIRST_AT", 0)
    with CaptureQueriesContext(connection) as queries:
        found = search.first_matches(Organization.objects.all(), "stowarzyszenie", ORDER, 5, table_rows=10**6)

    assert found == expected("stowarzyszenie", 5)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT walk.key")]
