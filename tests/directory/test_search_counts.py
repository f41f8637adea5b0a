"""A search with very many matches says "about N" and still pages to its last match."""

import pytest
from bench.forms import count_is_estimated
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicbridge.core import search as search_backend
from civicbridge.directory.models import Organization
from tests.directory.factories import OrganizationFactory

MATCHES = 7


@pytest.fixture
def matches(municipality):
    OrganizationFactory.create_batch(MATCHES, territory=municipality, name="Koło Gospodyń Wiejskich")
    OrganizationFactory(territory=municipality, name="Klub Sportowy Orzeł")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_organization")
    return Organization.objects.filter(name__startswith="Koło")


@pytest.fixture
def few_counted_exactly(monkeypatch):
    # As a common word among 200,000 entries: more matches than are counted one by one.
    monkeypatch.setattr(search_backend, "EXACT_MATCHES", 2)


@pytest.mark.django_db
def test_a_search_with_few_matches_is_counted_exactly(matches, client):
    page = client.get(reverse("directory:organization_list"), {"q": "gospodyń"})
    assert page.context["page"].paginator.count == MATCHES
    assert f"{MATCHES} organizations" in page.content.decode()
    answer = client.get("/api/v1/organizations/", {"search": "gospodyń"}).json()
    assert (answer["count"], answer["count_is_exact"]) == (MATCHES, True)


@pytest.mark.django_db
def test_a_search_with_many_matches_says_about_and_pages_to_the_last_match(
    matches, client, few_counted_exactly, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    seen, number = [], 1
    while number:
        page = client.get(reverse("directory:organization_list"), {"q": "gospodyń", "page": number})
        shown = page.context["page"]
        seen += [organization.pk for organization in shown.object_list]
        if shown.has_next():
            assert shown.paginator.count_is_estimate
            assert "about " in page.content.decode()
            assert count_is_estimated(page.content)  # as the bench reads it
            number = shown.next_page_number()
        else:
            # The last page knows: the pages before it and its own rows.
            assert not getattr(shown.paginator, "count_is_estimate", False)
            assert shown.paginator.count == MATCHES
            assert f"{MATCHES} organizations" in page.content.decode()
            assert not count_is_estimated(page.content)
            number = None
    assert sorted(seen) == sorted(matches.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_search_whose_count_would_cost_too_much_is_estimated_unless_it_fits_one_page(
    matches, client, monkeypatch, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    # As a common word narrowed by a rare filter: few matches, but a count that reads many entries.
    monkeypatch.setattr(search_backend, "EXACT_COST", 0)
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    first = client.get(reverse("directory:organization_list"), {"q": "gospodyń"}).context["page"]
    assert first.paginator.count_is_estimate and first.has_next()

    settings.CIVICBRIDGE_PAGE_SIZE = 25
    whole = client.get(reverse("directory:organization_list"), {"q": "gospodyń"})
    assert whole.context["page"].paginator.count == MATCHES
    assert f"{MATCHES} organizations" in whole.content.decode()
    answer = client.get("/api/v1/organizations/", {"search": "gospodyń"}).json()
    assert (answer["count"], answer["count_is_exact"]) == (MATCHES, True)


@pytest.mark.django_db
def test_the_api_follows_next_through_an_estimated_search_to_its_last_match(matches, client, few_counted_exactly):
    url = "/api/v1/organizations/?search=gospody%C5%84&page_size=2"
    seen, pages = [], 0
    while url:
        answer = client.get(url).json()
        pages += 1
        # Estimated on PostgreSQL until the last page, which counts exactly.
        assert answer["count_is_exact"] is (connection.vendor != "postgresql" or answer["next"] is None)
        seen += [item["id"] for item in answer["results"]]
        url = answer["next"]
    assert sorted(seen) == sorted(matches.values_list("pk", flat=True))
    assert pages == 4


@pytest.mark.django_db
def test_a_page_past_the_last_match_gives_the_last_page_or_a_404_in_the_api(matches, client, few_counted_exactly):
    page = client.get(reverse("directory:organization_list"), {"q": "gospodyń", "page": 40})
    assert page.status_code == 200
    assert list(page.context["page"].object_list)  # the last page, counted exactly to find it
    assert client.get("/api/v1/organizations/", {"search": "gospodyń", "page": 40}).status_code == 404


def _page_queries(client, data) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("directory:organization_list"), data)
    return page, [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize(("ordering", "order"), [("", ("-id",)), ("name", ("name", "id")), ("-created", ("-id",))])
def test_a_counted_search_shows_its_matches_in_order_read_by_key(matches, client, settings, ordering, order):
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    expected = list(matches.order_by(*order).values_list("pk", flat=True))
    OrganizationFactory(name="Koło Gospodyń Wiejskich", registration=Organization.Registration.REJECTED)
    data = {"q": "gospodyń", **({"ordering": ordering} if ordering else {})}
    seen = []
    for number in (1, 2, 3):
        page, queries = _page_queries(client, {**data, "page": number})
        shown = page.context["page"]
        assert (shown.paginator.count, getattr(shown.paginator, "count_is_estimate", False)) == (MATCHES, False)
        seen += [organization.pk for organization in shown.object_list]
        if connection.vendor == "postgresql":
            # The text index is read once, for the keys; the rows are read by them.
            assert sum("search_vector @@" in sql for sql in queries if not sql.startswith("EXPLAIN")) == 1
    assert seen == expected
    answer = client.get("/api/v1/organizations/", {"search": "gospodyń", "page_size": 100}).json()
    assert [item["id"] for item in answer["results"]] == sorted(expected, reverse=True)
    assert (answer["count"], answer["count_is_exact"]) == (MATCHES, True)


@pytest.mark.django_db
def test_a_search_matching_more_than_the_planner_expected_is_still_counted_whole(municipality, client, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organization")  # statistics of a registry without them
    OrganizationFactory.create_batch(MATCHES, territory=municipality, name="Koło Gospodyń Wiejskich")
    monkeypatch.setattr(search_backend, "EXACT_MATCHES", MATCHES - 2)
    page = client.get(reverse("directory:organization_list"), {"q": "gospodyń"})
    assert page.context["page"].paginator.count == MATCHES
    assert len(page.context["page"].object_list) == MATCHES


@pytest.mark.django_db
def test_an_estimated_count_is_counted_in_a_sample_of_the_table_not_guessed_from_the_words(
    municipality, client, few_counted_exactly, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    # Two words that always come together: the planner, taking them as independent, expects half.
    OrganizationFactory.create_batch(60, territory=municipality, name="Koło Gospodyń Wiejskich")
    OrganizationFactory.create_batch(60, territory=municipality, name="Klub Sportowy Orzeł")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organization")
    searched = search_backend.search(Organization.objects.all(), "koło gospodyń")
    planned = search_backend._planned_rows(searched.order_by().values("pk"))
    assert abs(planned - 60) > 15, planned  # the guess this replaces
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    page, queries = _page_queries(client, {"q": "koło gospodyń"})
    shown = page.context["page"]
    # A small table is sampled whole: the estimate is the matches, and says "about".
    assert shown.paginator.count_is_estimate and shown.paginator.count == 60
    assert "about 60 organizations" in page.content.decode()
    assert sum("TABLESAMPLE SYSTEM" in sql for sql in queries) == 1
    answer = client.get("/api/v1/organizations/", {"search": "koło gospodyń", "page_size": 3}).json()
    assert (answer["count"], answer["count_is_exact"]) == (60, False)


@pytest.mark.django_db
def test_a_sampled_count_holds_from_one_page_to_the_next(municipality, client, few_counted_exactly, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    OrganizationFactory.create_batch(150, territory=municipality, name="Koło Gospodyń Wiejskich")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_organization")
        cursor.execute("SELECT relpages, reltuples FROM pg_class WHERE relname = 'directory_organization'")
        pages, rows = cursor.fetchone()
    assert pages > 2
    monkeypatch.setattr(search_backend, "SAMPLED_ROWS", rows // 2)  # about half the pages: a true sample
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    counts = []
    for number in (1, 2, 3, 2, 1):
        paginator = client.get(reverse("directory:organization_list"), {"q": "gospodyń", "page": number}).context["page"].paginator
        assert paginator.count_is_estimate
        counts.append(paginator.count)
    assert len(set(counts)) == 1 and counts[0] != 150, counts


@pytest.mark.django_db
def test_a_search_of_which_the_sample_holds_none_is_counted(municipality, client, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts every search exactly")
    monkeypatch.setattr(search_backend, "EXACT_COST", 0)  # the planner expects a costly count
    OrganizationFactory.create_batch(5, territory=municipality, name="Koło Gospodyń Wiejskich")
    monkeypatch.setattr(search_backend, "sampled_count", lambda queryset: search_backend.MatchCount(0, exact=False))
    settings.CIVICBRIDGE_PAGE_SIZE = 3
    shown = client.get(reverse("directory:organization_list"), {"q": "gospodyń"}).context["page"]
    assert (shown.paginator.count, getattr(shown.paginator, "count_is_estimate", False)) == (5, False)


@pytest.mark.parametrize(
    ("estimate", "hits", "shown"),
    [
        (18_485.2, 61, 20_000),  # "uniwersytet trzecie", 16,526 matches: one digit from 61 hits
        (16_526.4, 186, 17_000),  # two digits from a hundred hits
        (172_900.0, 1_729, 170_000),
        (1_212.1, 4, 1_000),
        (60.0, 60, 60),
        (7.0, 7, 7),
        (0.0, 0, 0),
    ],
)
def test_an_estimate_shows_only_the_digits_its_sample_supports(estimate, hits, shown):
    assert search_backend.about(estimate, hits=hits) == shown
