"""The benchmark: national-scale data in PostgreSQL, the production server, mixed load.

For each scale (default 0.1, 1 and 3 times the national default) it grows the
database, measures each endpoint's SQL alone (the floor), starts `civicbridge
serve` with several worker processes, sends mixed traffic from a separate process,
and writes bench/results/<date>-<scenario>.json and .md, plus a scaling plot.

    make bench                       # all scales
    BENCH_SCALES=1 make bench        # one scale
"""

import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import django

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
# p95 budgets in milliseconds (issue 3): pages and API lists 100 ms, search 50 ms.
BUDGETS = {
    "home": 100, "org_list": 100, "org_list_filtered": 100, "org_search": 50, "org_detail": 100,
    "plenipotentiaries": 100, "api_org_list": 100, "api_org_search": 50, "api_territories": 100,
    "org_edit_form": 100, "org_edit_save": 100,
    "calls_list": 100, "calls_search": 50, "call_detail": 100, "api_calls_list": 100,
    "partner_list": 100, "partner_detail": 100, "api_partner_list": 100,
}
WEIGHTS = {
    "home": 5, "org_list": 15, "org_list_filtered": 10, "org_search": 20, "org_detail": 25,
    "plenipotentiaries": 3, "api_org_list": 8, "api_org_search": 6, "api_territories": 3, "org_edit": 5,
    "calls_list": 8, "calls_search": 6, "call_detail": 8, "api_calls_list": 3,
    "partner_list": 4, "partner_detail": 4, "api_partner_list": 2,
}
# Many words, as many visitors search for many things: the page cache helps a repeated search
# only, while every search still counts its matches and fetches its page.
CALL_SEARCH_WORDS = [
    "youth", "seniorów", "gençlik", "heritage", "twinning", "kultura", "volunteering", "digital skills",
    "migrants", "rural", "sport", "democracy", "kadın", "environmental", "capacity building", "dziedzictwo",
]
SEARCH_WORDS = [
    "stowarzyszenia", "fundacja", "sportowy", "seniorów", "młodzieży", "derneği", "kultury", "ochotnicza straż",
    "ekologii", "gminy", "koło gospodyń", "uniwersytet trzeciego wieku", "harcerstwa", "turystyki", "zdrowia",
    "historii", "dzieci", "niepełnosprawnych", "przyjaciół doliny", "miłośników", "spółdzielnia socjalna",
    "gençlik", "kadın girişimciler", "tarım", "vakfı", "kooperatifi", "sağlık", "çevre koruma", "eğitim",
    "powiatu", "fund", "stow", "klub",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_plan(port: int, *, duration: int, max_requests: int, concurrency: int) -> dict:
    from civicbridge.accounts.models import Membership, User
    from civicbridge.core.models import Territory
    from civicbridge.directory.models import Organization

    slugs = list(Organization.objects.order_by("?").values_list("slug", flat=True)[:300])
    counties = list(Territory.objects.filter(level="county").values_list("pk", flat=True)[:50])
    urls = {
        "home": ["/en/"],
        "org_list": ["/en/organizations/", "/en/organizations/?page=2", "/pl/organizations/?ordering=-created_at"],
        "org_list_filtered": [f"/en/organizations/?territory={c}&kind=ngo&verified=true" for c in counties],
        "org_search": [f"/en/organizations/?{urlencode({'q': w})}" for w in SEARCH_WORDS],
        "org_detail": [f"/en/organizations/{s}/" for s in slugs],
        "plenipotentiaries": ["/en/plenipotentiaries/"] + [f"/en/plenipotentiaries/?county={c}" for c in counties[:10]],
        "api_org_list": ["/api/v1/organizations/", "/api/v1/organizations/?page_size=100&kind=ngo"],
        "api_org_search": [f"/api/v1/organizations/?{urlencode({'search': w})}" for w in SEARCH_WORDS],
        "api_territories": ["/api/v1/territories/?level=county", "/api/v1/territories/?page=3"],
    }
    from civicbridge.core.models import ThematicArea
    from civicbridge.funding.models import Call
    from civicbridge.partners.models import PartnerRequest

    call_ids = list(Call.objects.published().order_by("?").values_list("identifier", flat=True)[:300])
    areas = list(ThematicArea.objects.values_list("pk", flat=True)[:20])
    partner_ids = list(PartnerRequest.objects.filter(status="open").order_by("?").values_list("pk", flat=True)[:100])
    urls.update({
        "calls_list": ["/en/calls/", "/en/calls/?page=2", "/pl/calls/?status=open", "/en/calls/?status=open&applicant_kind=ngo"]
        + [f"/en/calls/?status=open&thematic_area={a}" for a in areas],
        "calls_search": [f"/en/calls/?{urlencode({'q': w})}" for w in CALL_SEARCH_WORDS],
        "call_detail": [f"/en/calls/{i}/" for i in call_ids],
        "api_calls_list": ["/api/v1/calls/", "/api/v1/calls/?page_size=100&status=open", "/api/v1/calls/?search=youth"],
        "partner_list": ["/en/partners/", "/pl/partners/?status=any", "/en/partners/?country=DE&partner_kind=ngo",
                         f"/en/partners/?{urlencode({'q': 'erasmus'})}"],
        "partner_detail": [f"/en/partners/{pk}/" for pk in partner_ids],
        "api_partner_list": ["/api/v1/partner-requests/", "/api/v1/partner-requests/?page_size=100&status=any"],
    })
    editors = []
    # The first representatives by key: the same organizations are edited at every scale, so
    # that their query counts compare (a registry number, a change of areas, add a query).
    first = Membership.objects.approved().select_related("user", "organization").order_by("pk")
    for membership in first[:concurrency]:
        User.objects.filter(pk=membership.user_id).update(is_active=True)
        editors.append({"username": membership.user.username, "password": "bench-password", "slug": membership.organization.slug})
    endpoints = {name: {"weight": WEIGHTS[name], "urls": urls.get(name, [])} for name in WEIGHTS}
    return {
        "host": "127.0.0.1", "port": port, "duration_seconds": duration, "max_requests": max_requests,
        "concurrency": concurrency, "endpoints": endpoints, "editors": editors, "seed": 7,
    }


def measure_floor(plan: dict) -> dict:
    """For one URL of each read endpoint: its SQL run alone (median of repeats), and its query count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    floor = {}
    for name, endpoint in plan["endpoints"].items():
        if not endpoint["urls"]:
            continue
        url = endpoint["urls"][0]
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = [plain for q in captured.captured_queries if (plain := _plain_statement(q["sql"]))]
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
        floor[name] = {"url": url, "queries": len(statements), "sql_ms": round(statistics.median(timings), 2)}
    return floor


def _plain_statement(sql: str) -> str | None:
    """The statement to time alone: server-side cursors (iterator()) become their SELECT."""
    if sql.startswith("DECLARE "):
        return sql.split(" CURSOR WITH HOLD FOR ", 1)[-1].split(" CURSOR FOR ", 1)[-1]
    if sql.startswith(("FETCH ", "CLOSE ")):
        return None
    return sql


def start_server(port: int, workers: int, *, mode: str) -> subprocess.Popen:
    """``mode``: "on" as deployed; "off" without the anonymous page cache; "cold" without it and
    without the rows and API items kept per object version (every piece computed)."""
    # The load generator stands for many visitors from one address: the API's per-address
    # rate limits (DRF's user limit applies to anonymous clients by address too) would turn
    # its traffic into 429s.
    env = {
        **os.environ, "CIVICBRIDGE_SERVER_TIMING": "true", "LOG_LEVEL": "ERROR",
        "API_ANON_RATE": "1000000/minute", "API_USER_RATE": "1000000/minute",
    }
    if os.environ.get("REDIS_URL"):
        # As deployed for a whole country: the workers share one cache.
        env.setdefault("CACHE_URL", os.environ["REDIS_URL"])
    if mode in ("off", "cold"):
        env["CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS"] = "0"
    if mode == "cold":
        env["CIVICBRIDGE_PIECE_CACHE_SECONDS"] = "0"
    server = subprocess.Popen(
        [sys.executable, "-m", "civicbridge", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:])


def process_tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and its children, in kB (from /proc)."""
    total = 0
    pids = [root_pid]
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().split(") ")[-1].split()
            if int(fields[1]) == root_pid:
                pids.append(int(path.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_load(plan: dict, server: subprocess.Popen, workdir: Path) -> tuple[list[dict], int]:
    plan_file, samples_file = workdir / "plan.json", workdir / "samples.jsonl"
    plan_file.write_text(json.dumps(plan))
    # Warm-up: let each worker import everything and fill its caches before measuring.
    warm = {**plan, "max_requests": 100, "duration_seconds": 20}
    (workdir / "warm.json").write_text(json.dumps(warm))
    subprocess.run([sys.executable, "-m", "bench.load", str(workdir / "warm.json"), str(workdir / "warm.jsonl")], check=True, cwd=REPO)
    load = subprocess.Popen([sys.executable, "-m", "bench.load", str(plan_file), str(samples_file)], cwd=REPO)
    peak = 0
    while load.poll() is None:
        peak = max(peak, process_tree_rss_kb(server.pid))
        time.sleep(0.5)
    if load.returncode:
        raise RuntimeError("the load generator failed")
    samples = [json.loads(line) for line in samples_file.read_text().splitlines()]
    return samples, peak


def summarize(samples: list[dict], floor: dict, elapsed: float) -> dict:
    endpoints = {}
    for name in sorted({s["endpoint"] for s in samples}):
        mine = [s for s in samples if s["endpoint"] == name]
        ok = [s["ms"] for s in mine if s["status"] < 400]
        counted = [s["queries"] for s in mine if s["queries"] is not None]
        queries = sorted(set(counted))
        p50 = percentile(ok, 0.5)
        entry = {
            "requests": len(mine), "errors": sum(1 for s in mine if s["status"] >= 400),
            "p50_ms": round(p50, 1), "p95_ms": round(percentile(ok, 0.95), 1), "p99_ms": round(percentile(ok, 0.99), 1),
            # "typical": the most frequent count, with the menus and figures cached as they
            # are most of the time; the maximum also counts a request that refilled them.
            "queries_per_request": (
                {"min": queries[0], "max": queries[-1], "typical": statistics.mode(counted)} if queries else None
            ),
            "budget_p95_ms": BUDGETS.get(name),
        }
        if name in floor:
            entry["sql_alone_ms"] = floor[name]["sql_ms"]
            entry["overhead_factor"] = round(p50 / floor[name]["sql_ms"], 1) if floor[name]["sql_ms"] else None
        entry["pass"] = entry["errors"] == 0 and (entry["budget_p95_ms"] is None or entry["p95_ms"] <= entry["budget_p95_ms"])
        endpoints[name] = entry
    return {"requests": len(samples), "requests_per_second": round(len(samples) / elapsed, 1), "errors": sum(e["errors"] for e in endpoints.values()), "endpoints": endpoints}


def run_scale(scale: float, args, workdir: Path) -> dict:
    from bench.generate import ensure_scale

    print(f"== scale {scale}: generating", flush=True)
    generated = ensure_scale(scale)
    port = free_port()
    plan = build_plan(port, duration=args.duration, max_requests=args.max_requests, concurrency=args.concurrency)
    from django.db import connections
    from django.test import override_settings

    with override_settings(CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS=0, CIVICBRIDGE_PIECE_CACHE_SECONDS=0):
        floor = measure_floor(plan)
    connections.close_all()
    modes = {}
    for mode in args.page_cache.split(","):
        server = start_server(port, args.workers, mode=mode)
        try:
            started = time.perf_counter()
            samples, peak_kb = run_load(plan, server, workdir)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        modes[mode] = {"peak_server_rss_mb": round(peak_kb / 1024, 1), **summarize(samples, floor, elapsed)}
    cache = "Redis, shared by the workers" if os.environ.get("REDIS_URL") else "each worker's own memory"
    return {"scale": scale, "generated": generated, "server_workers": args.workers, "cache": cache, "page_cache": modes}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "0.1,1,3"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "60")))
    parser.add_argument("--max-requests", type=int, default=int(os.environ.get("BENCH_MAX_REQUESTS", "20000")))
    # As many clients as the machine has cores: more only queues requests behind each other
    # on the same two cores that also run PostgreSQL and the load generator itself.
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CONCURRENCY", os.cpu_count() or 2)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CIVICBRIDGE_WORKERS", "3")))
    parser.add_argument("--scenario", default="registry")
    parser.add_argument(
        "--page-cache", default=os.environ.get("BENCH_PAGE_CACHE", "cold,off,on"),
        help="cache modes to run: cold (no page cache, no cached rows: every piece computed), "
        "off (no page cache; rows and API items cached per object version) and on (as deployed)",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    workdir = Path(os.environ.get("BENCH_WORKDIR", "/tmp/civicbridge-bench"))
    workdir.mkdir(parents=True, exist_ok=True)
    runs = [run_scale(float(s), args, workdir) for s in args.scales.split(",")]
    from bench.report import write_report

    write_report(runs, scenario=args.scenario, results_dir=RESULTS, date=datetime.date.today().isoformat())


if __name__ == "__main__":
    main()
