"""The bench's verdict on queries per request: they may not grow with the data, request shape by shape."""

import pytest
from bench.report import endpoint_table, verdict


def _sample(path: str, queries: int, *, signed_in: bool = False) -> dict:
    return {"endpoint": "org_search", "shape": f"GET {path}", "ms": 10.0, "error": None, "queries": queries,
            "signed_in": signed_in, "kind": "read", "cache": None}


def _scale(scale: float, samples: list[dict]) -> dict:
    run = {"label": f"{scale}-1", "phases": {"latency": {"endpoints": endpoint_table(samples, 60)}}}
    return {"scale": scale, "queries_only": True, "repetitions": [run]}


def _growth(result: dict) -> list[str]:
    return [failure for failure in result["failures"] if "grow with scale" in failure]


def test_more_queries_for_the_same_request_shape_at_a_larger_scale_fail():
    small = _scale(0.1, [_sample("/en/organizations/?q", 5)])
    large = _scale(1.0, [_sample("/pl/organizations/?q", 6)])  # another language, the same shape

    assert _growth(verdict([small, large])) == [
        "queries per request grow with scale (most per request): org_search (anonymous GET /{language}/organizations/?q) "
        "{'0.1': 5, '1.0': 6}"
    ]


def test_a_shape_only_one_scale_sent_is_not_growth():
    small = _scale(0.1, [_sample("/en/organizations/?q", 5)])
    large = _scale(1.0, [_sample("/en/organizations/?q", 5), _sample("/en/organizations/?q,thematic_area", 6)])

    assert _growth(verdict([small, large])) == []


def test_signed_in_requests_are_compared_with_signed_in_ones():
    small = _scale(0.1, [_sample("/en/organizations/?q", 5), _sample("/en/organizations/?q", 7, signed_in=True)])
    large = _scale(1.0, [_sample("/en/organizations/?q", 7, signed_in=True), _sample("/en/organizations/?q", 6)])

    assert len(_growth(verdict([small, large]))) == 1


def test_a_refused_write_says_why_also_when_the_whole_form_is_refused():
    from types import SimpleNamespace

    from bench.forms import form_errors

    page = ('<div class="error-summary" role="alert" tabindex="-1">\n  <h2>There is a problem</h2>\n  <ul>\n'
            '    <li>You already have an alert for this search: “Calls”.</li>\n  </ul>\n</div>')
    assert "You already have an alert for this search" in form_errors(SimpleNamespace(status_code=400, text=page))
    assert form_errors(SimpleNamespace(status_code=500, text=page)) == ""


def test_a_search_that_found_nothing_is_compared_with_searches_that_found_nothing():
    small = _scale(0.1, [{**_sample("/en/organizations/?q", 5), "empty": True}])
    large = _scale(1.0, [_sample("/en/organizations/?q", 7), {**_sample("/en/organizations/?q", 5), "empty": True}])

    assert _growth(verdict([small, large])) == []
    large = _scale(1.0, [{**_sample("/en/organizations/?q", 6), "empty": True}])
    assert len(_growth(verdict([small, large]))) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "pl", "tr"])
def test_the_bench_reads_an_empty_result_from_the_pages_and_the_api(client, language, municipality):
    from bench.forms import lists_nothing

    from tests.directory.factories import OrganizationFactory

    nothing = client.get(f"/{language}/organizations/", {"q": "nothingmatchesthis"}).content
    assert lists_nothing(nothing)
    assert lists_nothing(client.get("/api/v1/organizations/", {"search": "nothingmatchesthis"}).content)
    OrganizationFactory(territory=municipality)
    assert not lists_nothing(client.get(f"/{language}/organizations/").content)
    assert not lists_nothing(client.get("/api/v1/organizations/").content)
    assert not lists_nothing(b'<h2 class="result-count">about 1\xc2\xa0200 organizations</h2>')


def test_the_bench_reads_an_estimated_count_from_the_api_and_the_page():
    from bench.forms import count_is_estimated

    assert count_is_estimated(b'{"count":1000,"count_is_exact":false,"next":null}')
    assert not count_is_estimated(b'{"count":1000,"count_is_exact":true,"next":null}')
    assert count_is_estimated(b'<h2 class="result-count" data-estimated tabindex="-1">about 1,200</h2>')
    assert not count_is_estimated(b'<h2 class="result-count" tabindex="-1">1,200 organizations</h2>')


def _run(scale: float, requests: list[tuple[int, list[str]]]) -> dict:
    """A latency phase whose requests the server captured: (queries counted, statements run)."""
    from bench.report import summarize_run

    samples = [{**_sample("/en/organizations/?q", len(sql)), "request": f"latency-{n}", "phase": "latency", "t": n}
               for n, sql in enumerate(requests)]
    captures = [{"request": f"latency-{n}", "queries": [{"sql": text} for text in sql]} for n, sql in enumerate(requests)]
    phase = {"endpoint": "__phase__", "phase": "latency", "seconds": 60, "users": 2, "target_rate": None}
    raw = {"label": f"{scale}-1", "caches": False, "resources": {}, "accounts": {}, "search_terms": 0,
           "samples": [*samples, phase], "captures": captures}
    return {"scale": scale, "queries_only": True, "repetitions": [summarize_run(raw, {})]}


PAGE = ["SELECT session", "SELECT org WHERE id IN (%s, %s, %s)", "SELECT count"]


def test_a_statement_run_once_per_row_fails_when_the_rows_grow():
    small = _run(0.1, [PAGE + ["SELECT territory WHERE id = %s"] * 2])
    large = _run(1.0, [PAGE + ["SELECT territory WHERE id = %s"] * 5])

    assert len(_growth(verdict([small, large]))) == 1


def test_a_code_path_one_scale_sampled_and_the_other_did_not_is_not_growth():
    """An officer with drafts runs one statement more at every scale: a sample without one is no baseline."""
    small = _run(0.1, [PAGE])
    large = _run(1.0, [PAGE, [*PAGE, "SELECT drafts WHERE created_by_id = %s"]])

    assert _growth(verdict([small, large])) == []


def test_rows_read_through_an_in_list_are_one_statement_however_many():
    small = _run(0.1, [["SELECT org WHERE id IN (%s, %s)", "SELECT territory WHERE id = %s"]])
    large = _run(1.0, [["SELECT org WHERE id IN (%s, %s, %s, %s)"] + ["SELECT territory WHERE id = %s"] * 3])

    assert len(_growth(verdict([small, large]))) == 1


def test_a_rate_steps_worst_endpoint_is_shown_with_how_many_requests_it_had():
    """A p95 of a handful of requests is their slowest: the reader must see on how many the step was judged."""
    from bench.report import _worst_p95

    endpoints = {
        "org_detail": {"p95_ms": 40.0, "budget_p95_ms": 100, "requests": 210},
        "own_partner_detail": {"p95_ms": 140.0, "budget_p95_ms": 100, "requests": 6},
    }
    assert _worst_p95(endpoints) == "own_partner_detail 1.40 (n=6)"
    assert _worst_p95({}) == "–"
