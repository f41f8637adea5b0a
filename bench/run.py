"""The benchmark: national-scale data in PostgreSQL, the production server, traffic shaped like real use.

For each scale (default 1 and 3 times the national default: 200,000 organizations and
500,000 users at 1) it grows the database, then three times: starts `civicbridge serve`
with page and fragment caches off, has Locust (bench/load.py) warm it up, measure the
latency at 2 clients, then step the arrival rate up (25, 50, 100, 200 requests/s) to find
the capacity; replays the SQL the server ran for the measured requests to get each
request's floor. Then one run "as deployed" (caches as configured) reports the page-cache
hit rate. Writes bench/results/<date>-<scenario>.json and .md (bench/report.py).

    make bench                              # BENCH_SCALES=1,3
    BENCH_SCALES=0.05 BENCH_REPETITIONS=1 make bench
"""

import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def settings_from_env() -> dict:
    """Every knob of the bench, from the environment (documented in bench/README.md)."""
    return {
        "scales": [float(s) for s in env_list("BENCH_SCALES", "1,3")],
        "query_scale": float(os.environ.get("BENCH_QUERY_SCALE", "0.1")),
        "repetitions": int(os.environ.get("BENCH_REPETITIONS", "3")),
        "warmup_seconds": int(os.environ.get("BENCH_WARMUP", "20")),
        "latency_seconds": int(os.environ.get("BENCH_DURATION", "60")),
        "clients": int(os.environ.get("BENCH_CLIENTS", "2")),
        "rates": [int(r) for r in env_list("BENCH_RATES", "25,50,100,200")],
        "step_seconds": int(os.environ.get("BENCH_STEP_DURATION", "30")),
        "deployed": os.environ.get("BENCH_AS_DEPLOYED", "1") == "1",
        "workers": int(os.environ.get("CIVICBRIDGE_WORKERS", "3")),
        "floor_samples": int(os.environ.get("BENCH_FLOOR_SAMPLES", "20")),
        "floor_repeats": int(os.environ.get("BENCH_FLOOR_REPEATS", "5")),
        "scenario": os.environ.get("BENCH_SCENARIO", "mixed"),
        "workdir": Path(os.environ.get("BENCH_WORKDIR", "/tmp/civicbridge-bench")),
        "results_dir": Path(os.environ.get("BENCH_RESULTS_DIR", str(RESULTS))),
        "seed": int(os.environ.get("BENCH_SEED", "2026")),
        "accounts": int(os.environ.get("BENCH_ACCOUNTS", "60")),
        "tour": os.environ.get("BENCH_TOUR", "0") == "1",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the server --------------------------------------------------------------------------------

def start_server(port: int, workers: int, *, caches: bool, capture_dir: Path | None) -> subprocess.Popen:
    """`civicbridge serve` as in production; with ``caches`` False the page and fragment caches are off."""
    env = {
        **os.environ, "CIVICBRIDGE_SERVER_TIMING": "true", "LOG_LEVEL": "ERROR",
        # The load generator is many visitors behind one address: per-address limits would turn them into 429s.
        "API_ANON_RATE": "1000000/minute", "API_USER_RATE": "1000000/minute",
        "CIVICBRIDGE_LOGIN_RATE": "1000000/minute",
        "CIVICBRIDGE_BENCH_CAPTURE_DIR": str(capture_dir or ""),
        # The server runs this checkout's code, whatever checkout the environment was installed from.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
    }
    if os.environ.get("REDIS_URL"):
        env.setdefault("CACHE_URL", os.environ["REDIS_URL"])
    if not caches:
        env["CIVICBRIDGE_ANONYMOUS_CACHE_SECONDS"] = "0"
        env["CIVICBRIDGE_PIECE_CACHE_SECONDS"] = "0"
    server = subprocess.Popen(
        [sys.executable, "-m", "civicbridge", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:])


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tree_memory_kb(root_pid: int) -> int:
    """Memory of a process and all its descendants, in kB: proportional set size where /proc has it.

    PSS counts each shared page (PostgreSQL's shared buffers, a forked server's code) once in
    total rather than once per process, as a sum of RSS would.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[-1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        total += _process_memory_kb(pid)
    return total


def _process_memory_kb(pid: int) -> int:
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


# -- one run of the load ---------------------------------------------------------------------

def phases_for(cfg: dict, *, rates: bool, capture: bool = True) -> list[dict]:
    phases = [
        {"name": "warmup", "users": cfg["clients"], "duration": cfg["warmup_seconds"]},
        {"name": "latency", "users": cfg["clients"], "duration": cfg["latency_seconds"], "capture": capture},
    ]
    if rates:
        phases += [{"name": f"rate-{rate}", "rate": rate, "duration": cfg["step_seconds"]} for rate in cfg["rates"]]
    return phases


def run_load(cfg: dict, *, label: str, seed: int, caches: bool, rates: bool) -> dict:
    """Start a server, send the load, stop it; return the samples, the captured SQL and the resources."""
    from django.db import connections

    from bench.plan import build_plan

    workdir = cfg["workdir"] / label
    shutil.rmtree(workdir, ignore_errors=True)
    capture_dir = workdir / "capture"
    capture_dir.mkdir(parents=True)
    port = free_port()
    plan = build_plan(base_url=f"http://127.0.0.1:{port}", seed=seed, phases=phases_for(cfg, rates=rates),
                      max_accounts=cfg["accounts"])
    plan["tour"] = cfg["tour"]
    connections.close_all()
    (workdir / "plan.json").write_text(json.dumps(plan))
    server = start_server(port, cfg["workers"], caches=caches, capture_dir=capture_dir)
    peak_kb = 0
    try:
        # Caches off only: with them on, the reference page's requests would warm the cache for
        # a page the measured sample asks for too.
        reference_before = None if caches else reference_page_ms(port)
        load = subprocess.Popen(
            [sys.executable, "-m", "bench.load", str(workdir / "plan.json"), str(workdir / "samples.jsonl")], cwd=REPO,
        )
        while load.poll() is None:
            peak_kb = max(peak_kb, tree_memory_kb(server.pid))
            time.sleep(0.5)
        if load.returncode:
            raise RuntimeError(f"the load generator failed (exit {load.returncode})")
        reference = None if caches else [reference_before, reference_page_ms(port)]
    finally:
        stop(server)
    samples = [json.loads(line) for line in (workdir / "samples.jsonl").read_text().splitlines()]
    captures = [
        json.loads(line) for path in sorted(capture_dir.glob("capture-*.jsonl"))
        for line in path.read_text().splitlines() if line
    ]
    return {
        "label": label, "caches": caches, "samples": samples, "captures": captures,
        "search_terms": len(plan["data"]["search_terms"]) + len(plan["data"]["call_search_terms"]),
        "accounts": {role: len(accounts) for role, accounts in plan["accounts"].items()},
        "resources": {"peak_server_memory_mb": round(peak_kb / 1024, 1), **database_resources()},
        "reference_ms": reference,
    }


REFERENCE_PATH = "/en/organizations/"  # a list with filter menus and 25 rows, the same at every run


def reference_page_ms(port: int, *, times: int = 30) -> float:
    """The median time of one page requested alone, one request after another, through the
    server: the machine's speed as the measured pages feel it. Two runs of the same commit
    differ by as much as the machine does (a host twice as slow one afternoon); their figures
    compare only where this one is about the same."""
    url = f"http://127.0.0.1:{port}{REFERENCE_PATH}"

    def once() -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        return (time.perf_counter() - started) * 1000

    for _ in range(5):
        once()  # the worker's first requests compile templates and queries
    return round(statistics.median(once() for _ in range(times)), 2)


# -- the SQL floor -----------------------------------------------------------------------------

def _untag(value):
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if not isinstance(value, dict) or "$type" not in value:
        return value
    import decimal
    import uuid

    kind, raw = value["$type"], value["value"]
    if kind == "json":
        from psycopg.types.json import Jsonb

        return Jsonb(raw)
    return {
        "datetime": datetime.datetime.fromisoformat, "date": datetime.date.fromisoformat,
        "time": datetime.time.fromisoformat, "timedelta": lambda s: datetime.timedelta(seconds=s),
        "decimal": decimal.Decimal, "uuid": uuid.UUID, "bytes": bytes.fromhex, "text": str,
    }[kind](raw)


def replay(queries: list[dict], repeats: int) -> float | None:
    """The median time of the request's queries run alone, in order, on one connection (rolled back)."""
    from django.db import DatabaseError, connection, transaction

    statements = [(q["sql"], _untag(q["params"]) if q["params"] is not None else None, q["many"])
                  for q in queries if q.get("alias", "default") == "default"]
    timings = []
    for _ in range(repeats):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    for sql, params, many in statements:
                        if many:
                            cursor.executemany(sql, params)
                        else:
                            cursor.execute(sql, params)
                        if cursor.description:
                            cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        except DatabaseError:
            return None
    return statistics.median(timings)


def sql_floors(captures: list[dict], *, samples: int, repeats: int, seed: int) -> dict:
    """Per endpoint: the floors of up to ``samples`` of its measured requests (median of ``repeats`` each)."""
    import random

    rng = random.Random(seed)
    by_endpoint: dict[str, list[dict]] = {}
    for record in captures:
        if record["request"].startswith("latency-") and record["status"] < 400:
            by_endpoint.setdefault(record["endpoint"], []).append(record)
    floors = {}
    for endpoint, records in sorted(by_endpoint.items()):
        chosen = rng.sample(records, min(samples, len(records)))
        values = [f for f in (replay(r["queries"], repeats) for r in chosen) if f is not None]
        floors[endpoint] = {
            "requests_replayed": len(values), "not_replayable": len(chosen) - len(values),
            "floor_ms": round(statistics.median(values), 2) if values else None,
            "queries": statistics.median([len(r["queries"]) for r in chosen]) if chosen else None,
            "server_app_ms": round(statistics.median([r["app_ms"] for r in records]), 2),
            "server_db_ms": round(statistics.median([r["db_ms"] for r in records]), 2),
        }
    return floors


# -- what the run used -----------------------------------------------------------------------

def database_resources() -> dict:
    """PostgreSQL's durability settings, database size and memory; Redis' memory."""
    from django.db import connection

    info = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_parallel_workers_per_gather"):
                cursor.execute(f"SHOW {name}")
                info[f"pg_{name}"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database()), pg_backend_pid()")
            size, backend = cursor.fetchone()
        info["db_size_mb"] = round(size / 2**20, 1)
        try:
            postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(") ", 1)[-1].split()[1])
            info["pg_memory_mb"] = round(tree_memory_kb(postmaster) / 1024, 1)
        except (OSError, ValueError):
            info["pg_memory_mb"] = None  # a database on another machine
    else:
        info["db_size_mb"] = round(Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1)
    if os.environ.get("REDIS_URL"):
        try:
            import redis

            memory = redis.Redis.from_url(os.environ["REDIS_URL"]).info("memory")
            info["redis_used_mb"] = round(memory["used_memory"] / 2**20, 1)
            info["redis_rss_mb"] = round(memory["used_memory_rss"] / 2**20, 1)
        except Exception as error:  # recorded, not fatal: the figure is missing
            info["redis_error"] = str(error)[:200]
    return info


def commit_measured() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    # Read before the first scale: the results the bench writes after each scale are its own
    # output, not a change to the code it measures.
    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def machine_speed() -> float:
    """Seconds one core takes for a fixed piece of pure Python (the median of three), recorded
    beside the results as a rough indicator of the machine: it varies more than the server's
    throughput does (0.26 to 0.55 s in one afternoon, while the mix stayed at 72-78 requests/s)."""
    def once() -> float:
        started = time.perf_counter()
        total = 0
        for number in range(5_000_000):
            total += number
        return time.perf_counter() - started

    return round(statistics.median(once() for _ in range(3)), 3)


# -- a scale ---------------------------------------------------------------------------------

def run_scale(scale: float, cfg: dict, *, queries_only: bool = False) -> dict:
    from bench.generate import ensure_scale
    from bench.report import summarize_run

    print(f"== scale {scale}: generating", flush=True)
    generated = ensure_scale(scale)
    runs = []
    repetitions = 1 if queries_only else cfg["repetitions"]
    for number in range(1, repetitions + 1):
        print(f"== scale {scale}: repetition {number}/{repetitions} (caches off)", flush=True)
        seed = cfg["seed"] + 1000 * number + int(scale * 100)
        # Before and after each repetition: a machine that slows during a run (twice as slow
        # within one afternoon, a shared host) shows in the repetition it slowed.
        speed_before = machine_speed()
        raw = run_load(cfg, label=f"{scale}-{number}", seed=seed, caches=False, rates=not queries_only)
        floors = {} if queries_only else sql_floors(
            raw["captures"], samples=cfg["floor_samples"], repeats=cfg["floor_repeats"], seed=seed,
        )
        raw["machine_speed_s"] = [speed_before, machine_speed()]
        runs.append(summarize_run(raw, floors))
    deployed = None
    if cfg["deployed"] and not queries_only:
        print(f"== scale {scale}: as deployed (caches on)", flush=True)
        raw = run_load(cfg, label=f"{scale}-deployed", seed=cfg["seed"] + 99, caches=True, rates=False)
        deployed = summarize_run(raw, {})
    return {"scale": scale, "generated": generated, "queries_only": queries_only, "repetitions": runs,
            "as_deployed": deployed}


def measured_code_is_this_checkout() -> None:
    """Refuse to measure code from elsewhere: an editable install made from another checkout
    would have the results name this commit while the server runs the other one's code."""
    import civicbridge

    source = Path(civicbridge.__file__).resolve()
    if not source.is_relative_to(REPO / "src"):
        raise SystemExit(f"bench: civicbridge is imported from {source.parent}, not from {REPO / 'src'}: "
                         "run `make install` in this checkout (or set PYTHONPATH=src)")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    measured_code_is_this_checkout()
    django.setup()
    from django.core.management import call_command

    from bench.report import write_report

    cfg = settings_from_env()
    cfg["workdir"].mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    started = datetime.datetime.now(datetime.UTC)
    measured = commit_measured()
    speed = machine_speed()
    scales = []
    if cfg["query_scale"] and cfg["query_scale"] < min(cfg["scales"]):
        scales.append(run_scale(cfg["query_scale"], cfg, queries_only=True))
    paths = []
    for scale in cfg["scales"]:
        scales.append(run_scale(scale, cfg))
        # Written after every scale: a long run cut short keeps the scales it finished.
        meta = {
            **measured, "started": started.isoformat(timespec="seconds"),
            "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine_cores": os.cpu_count(), "machine_speed_s": speed, "server_workers": cfg["workers"],
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in cfg.items()},
            "scales_finished": [entry["scale"] for entry in scales if not entry.get("queries_only")],
        }
        paths = write_report(scales, meta, results_dir=cfg["results_dir"], scenario=cfg["scenario"],
                             date=started.date().isoformat())
    print("results: " + ", ".join(str(p) for p in paths), flush=True)


if __name__ == "__main__":
    main()
