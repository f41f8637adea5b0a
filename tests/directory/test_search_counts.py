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
