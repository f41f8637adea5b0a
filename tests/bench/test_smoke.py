"""The benchmark at a tiny scale, end to end, so that it never rots.

It runs `python -m bench.run` as `make bench` does (generator, production server, Locust,
SQL capture and replay, report) on a PostgreSQL database of its own, in the PostgreSQL pass
of `make test` (the bench measures PostgreSQL; about a minute). Budgets are not asserted (a loaded test machine
is no benchmark); that the run completes, that every endpoint of the mix was requested and
answered without an error, and that the report was written, are.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bench.report import CATEGORIES

REPO = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL pass runs the bench (DATABASE_URL=postgres://…)"),
]


@pytest.fixture
def bench_database_url():
    """A database for the bench alone: the tests' own databases stay untouched."""
    import psycopg

    url = os.environ["DATABASE_URL"]

    name = f"bench_smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_tiny_bench_run_requests_every_endpoint_without_errors_and_writes_its_report(tmp_path, bench_database_url):
    results = tmp_path / "results"
    env = {
        **os.environ,
        "DATABASE_URL": bench_database_url,
        "SECRET_KEY": "bench-smoke-not-secret",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "BENCH_SCALES": "0.002", "BENCH_QUERY_SCALE": "0", "BENCH_REPETITIONS": "1",
        "BENCH_WARMUP": "2", "BENCH_DURATION": "8", "BENCH_RATES": "10", "BENCH_STEP_DURATION": "4",
        "BENCH_AS_DEPLOYED": "0", "BENCH_TOUR": "1", "BENCH_ACCOUNTS": "6", "BENCH_FLOOR_REPEATS": "2",
        "BENCH_FLOOR_SAMPLES": "3", "CIVICBRIDGE_WORKERS": "1", "BENCH_SCENARIO": "smoke",
        "BENCH_RESULTS_DIR": str(results), "BENCH_WORKDIR": str(tmp_path / "work"),
    }
    env.pop("REDIS_URL", None)  # the bench's server caches in its own memory here
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run"], cwd=REPO, env=env, capture_output=True, text=True, timeout=240,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

    reports = sorted(results.glob("*-smoke.json"))
    assert len(reports) == 1 and reports[0].with_suffix(".md").exists()
    report = json.loads(reports[0].read_text())
    assert report["meta"]["commit"]
    (scale,) = report["scales"]
    (run,) = scale["repetitions"]
    assert run["logins"]["attempted"] > 0 and run["logins"]["failed"] == 0
    phases = run["phases"]
    assert set(phases) == {"warmup", "latency", "rate-10"}
    requested = {name for phase in phases.values() for name in phase["endpoints"]}
    expected = {name for names in CATEGORIES.values() for name in names}
    assert expected <= requested, f"never requested: {sorted(expected - requested)}"
    errors = {
        f"{phase_name} {name}": entry["error_examples"]
        for phase_name, phase in phases.items() for name, entry in phase["endpoints"].items() if entry["errors"]
    }
    assert not errors
    latency = phases["latency"]
    assert latency["requests"] > 0 and latency["signed_in_share"] > 0 and latency["write_share"] > 0
    # The floor comes from the SQL the server ran for the measured requests, replayed.
    org_detail = latency["endpoints"]["org_detail"]
    assert org_detail["queries"] > 0
    assert org_detail["sql_floor"]["requests_replayed"] > 0 and org_detail["sql_floor"]["floor_ms"] > 0
    assert org_detail["app_ms"] == pytest.approx(org_detail["p50_ms"] - org_detail["sql_floor"]["floor_ms"], abs=0.11)
    text = reports[0].with_suffix(".md").read_text()
    assert "Latency at 2 clients" in text
    # The machine's speed before and after the repetition, beside its throughput.
    before, after = run["machine_speed_s"]
    assert before > 0 and after > 0
    # And one fixed page's time through the server, requested alone, before and after the load.
    reference_before, reference_after = run["reference_ms"]
    assert reference_before > 0 and reference_after > 0
    assert f"| {run['label']} | {before}, {after} | {reference_before}, {reference_after} | {latency['throughput']} |" in text
