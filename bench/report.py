"""Figures and verdict of a bench run: bench/results/<date>-<scenario>.json and .md.

Budgets (issue 10, 2-core machine, 2 clients): p95 < 100 ms for every page and API list or
detail, < 50 ms for a search, < 150 ms for a write, < 200 ms for the KPI dashboard (issue 12), < 300 ms for a consultation's section and report
(issue 13); the app's own time (p50 minus the SQL
floor of the same requests) < 10 ms for a detail and < 20 ms for a list of 25 rows (and a
search, which is one); the same number of queries per page at every scale; a capacity of
at least 100 requests/s with every p95 in budget. A budget passes only if it passes in
every repetition; the verdict is the one with page and fragment caches off.
"""

import hashlib
import json
import re
import statistics
from collections import Counter
from pathlib import Path

CATEGORIES = {
    "detail": ["org_detail", "call_detail", "partner_detail", "api_org_detail", "api_call_detail", "event_detail"],
    "list": ["org_list", "org_list_filtered", "plenipotentiaries", "api_org_list", "api_territories", "calls_list",
             "api_calls_list", "partner_list", "api_partner_list", "subscriptions", "calls_feed", "funders",
             "twinning_list", "event_list", "api_events", "portfolio", "consultation_list", "consultation_detail",
             # A poster's own request with the 20 organizations ranked for it; the 20 requests
             # ranked for a representative's organization.
             "own_partner_detail", "fitting_requests"],
    # find_suggestions: what a find field (an issuing body, a call) asks as one types.
    "search": ["org_search", "api_org_search", "calls_search", "partner_search", "site_search", "find_suggestions"],
    "page": ["home", "profile", "own_org_edit_form", "org_edit_form", "org_create_form", "partner_create_form",
             "subscribe_form", "call_create_form", "call_edit_form", "event_register_form", "registration_detail",
             "remark_submit_form"],
    # The KPI dashboard (issue 12): a year of events counted at each request.
    "dashboard": ["kpis"],
    # A consultation of 500 sections and 20,000 remarks (issue 13): a section with its remarks, the report.
    "consultation": ["consultation_section", "consultation_report"],
    "write": ["org_edit", "org_create", "org_verify", "call_create", "call_publish", "call_edit", "partner_create",
              "subscribe", "event_register", "remark_submit"],
}
CATEGORY = {name: category for category, names in CATEGORIES.items() for name in names}
P95_BUDGET_MS = {"detail": 100, "list": 100, "search": 50, "page": 100, "write": 150, "dashboard": 200, "consultation": 300}
APP_BUDGET_MS = {"detail": 10, "list": 20, "search": 20}
CAPACITY_BUDGET = 100
SETUP_ENDPOINTS = {"login", "login_form"}
MIN_SIGNED_IN_SHARE = 0.25
MIN_WRITE_SHARE = 0.05


def percentile(values: list[float], fraction: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index], 1)


def _group(pairs) -> dict:
    grouped: dict = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _language_free(shape: str) -> str:
    """A request's shape with its language prefix as a placeholder: the language runs no query."""
    return re.sub(r"/(en|pl|tr)/", "/{language}/", shape, count=1)


_IN_LIST = re.compile(r"IN \((?:%s, )*%s\)")


def statements_signature(queries: list[dict]) -> str:
    """Which statements a request ran, whatever their parameters and how often: its query plan
    in the app's sense. Two requests with the same signature took the same code path; more
    queries under one signature is a statement run again per row, the growth the check looks for.
    An IN list's length is the rows on the page, so it counts as one statement."""
    statements = sorted({_IN_LIST.sub("IN (…)", query["sql"]) for query in queries})
    digest = hashlib.sha1("\n".join(statements).encode()).hexdigest()[:8]
    return f"{len(statements)} statements #{digest}"


def endpoint_table(samples: list[dict], seconds: float) -> dict:
    table = {}
    for name in sorted({s["endpoint"] for s in samples}):
        mine = [s for s in samples if s["endpoint"] == name]
        ok = [s["ms"] for s in mine if not s["error"]]
        counted = [s["queries"] for s in mine if s["queries"] is not None]
        category = CATEGORY.get(name, "page")
        table[name] = {
            "category": category, "requests": len(mine), "errors": sum(1 for s in mine if s["error"]),
            "error_examples": sorted({s["error"] for s in mine if s["error"]})[:3],
            "p50_ms": percentile(ok, 0.5), "p95_ms": percentile(ok, 0.95), "p99_ms": percentile(ok, 0.99),
            "budget_p95_ms": P95_BUDGET_MS[category],
            "queries": Counter(counted).most_common(1)[0][0] if counted else None,
            "queries_range": [min(counted), max(counted)] if counted else None,
            # The most a request ran, per session and request shape: compared across scales (it
            # must not grow with rows). Per shape, because the samples differ between scales: a
            # thematic-area filter read by one scale's sample and not another's is not growth;
            # and apart when nothing matched (a page without rows reads none) or when the count
            # was estimated (a search too big to count skips the count's query). Where the
            # server captured the request's SQL, per code path too: an officer with drafts, a
            # call with eligible territories or a short list followed by recently closed calls
            # runs one statement more, whatever the scale, and one sample of a few requests may
            # hold no such case.
            "max_queries_by_shape": {
                key: max(counts)
                for key, counts in _group(
                    (f"{'signed in' if s['signed_in'] else 'anonymous'} {_language_free(s.get('shape', ''))}"
                     + (" [no results]" if s.get("empty") else "") + (" [about N]" if s.get("estimated") else "")
                     + (f" [{s['statements']}]" if s.get("statements") else ""),
                     s["queries"])
                    for s in mine if s["queries"] is not None and not s["error"]
                ).items()
            },
            "per_second": round(len(mine) / seconds, 2) if seconds else None,
        }
        entry = table[name]
        entry["p95_pass"] = entry["errors"] == 0 and entry["p95_ms"] is not None and entry["p95_ms"] <= entry["budget_p95_ms"]
    return table


def _worst_p95(endpoints: dict) -> str:
    """The endpoint of a rate step whose p95 is furthest over (or nearest to) its budget, with
    how many requests it had: a step of 30 s sends a rare endpoint a handful, and the "p95" of
    fewer than 20 requests is their slowest one."""
    if not endpoints:
        return "–"
    ratio, name = max(((e["p95_ms"] or 0) / e["budget_p95_ms"], n) for n, e in endpoints.items())
    return f"{name} {ratio:.2f} (n={endpoints[name]['requests']})"


def summarize_run(raw: dict, floors: dict) -> dict:
    """One repetition: latency at 2 clients with floors and app time; each rate step; resources."""
    signatures = {record["request"]: statements_signature(record["queries"]) for record in raw.get("captures", [])}
    samples = [
        {**s, "statements": signatures.get(s.get("request"))} for s in raw["samples"] if s["endpoint"] != "__phase__"
    ]
    phases = {s["phase"]: s for s in raw["samples"] if s["endpoint"] == "__phase__"}
    logins = [s for s in samples if s["endpoint"] in SETUP_ENDPOINTS]
    result = {
        "label": raw["label"], "caches": raw["caches"], "resources": raw["resources"], "accounts": raw["accounts"],
        "search_terms": raw["search_terms"], "machine_speed_s": raw.get("machine_speed_s"),
        "reference_ms": raw.get("reference_ms"),
        "logins": {"attempted": sum(1 for s in logins if s["endpoint"] == "login"),
                   "failed": sum(1 for s in logins if s["error"])},
        "phases": {},
    }
    for name, phase in phases.items():
        mine = [s for s in samples if s["phase"] == name and s["endpoint"] not in SETUP_ENDPOINTS]
        table = endpoint_table(mine, phase["seconds"])
        summary = {
            "seconds": phase["seconds"], "users": phase["users"], "target_rate": phase["target_rate"],
            "requests": len(mine), "throughput": round(len(mine) / phase["seconds"], 1) if phase["seconds"] else None,
            "errors": sum(e["errors"] for e in table.values()),
            "signed_in_share": round(sum(1 for s in mine if s["signed_in"]) / len(mine), 3) if mine else 0,
            "write_share": round(sum(1 for s in mine if s["kind"] == "write") / len(mine), 3) if mine else 0,
            "endpoints": table,
        }
        cached = [s for s in mine if s["cache"] is not None]
        summary["page_cache_hit_rate"] = (
            round(sum(1 for s in cached if s["cache"] == "hit") / len(mine), 3) if mine else None
        )
        if name == "latency":
            for endpoint, entry in table.items():
                floor = floors.get(endpoint)
                if floor:
                    entry["sql_floor"] = floor
                    if floor["floor_ms"] is not None and entry["p50_ms"] is not None:
                        entry["app_ms"] = round(entry["p50_ms"] - floor["floor_ms"], 1)
                budget = APP_BUDGET_MS.get(entry["category"])
                entry["budget_app_ms"] = budget
                entry["app_pass"] = None if budget is None else (entry.get("app_ms") is not None and entry["app_ms"] < budget)
        if phase["target_rate"]:
            summary["achieved"] = summary["throughput"] is not None and summary["throughput"] >= 0.9 * phase["target_rate"]
            summary["pass"] = summary["achieved"] and all(e["p95_pass"] for e in table.values())
        result["phases"][name] = summary
    passing = [p["target_rate"] for p in result["phases"].values() if p["target_rate"] and p["pass"]]
    result["capacity"] = max(passing) if passing else 0
    return result


def verdict(scales: list[dict]) -> dict:
    """Every budget over the scales and repetitions measured with caches off."""
    failures, checks = [], 0
    query_counts: dict[str, dict[float, set]] = {}
    for scale in scales:
        for run in scale["repetitions"]:
            latency = run["phases"].get("latency", {})
            for name, entry in latency.get("endpoints", {}).items():
                for shape, count in entry["max_queries_by_shape"].items():
                    if entry["category"] != "write":
                        by_scale = query_counts.setdefault(f"{name} ({shape})", {})
                        by_scale[scale["scale"]] = max(by_scale.get(scale["scale"], 0), count)
            if scale["queries_only"]:
                continue
            where = f"scale {scale['scale']} {run['label']}"
            for name, entry in latency.get("endpoints", {}).items():
                checks += 2
                if not entry["p95_pass"]:
                    failures.append(f"{where}: {name} p95 {entry['p95_ms']} ms > {entry['budget_p95_ms']} ms"
                                    + (f" ({entry['errors']} errors)" if entry["errors"] else ""))
                if entry.get("app_pass") is False:
                    failures.append(f"{where}: {name} app time {entry.get('app_ms')} ms >= {entry['budget_app_ms']} ms")
            checks += 5
            resources = run["resources"]
            if resources.get("pg_fsync") != "on" or resources.get("pg_synchronous_commit") != "on":
                failures.append(f"{where}: PostgreSQL not durable (fsync {resources.get('pg_fsync')}, "
                                f"synchronous_commit {resources.get('pg_synchronous_commit')})")
            if run["logins"]["failed"] or not run["logins"]["attempted"]:
                failures.append(f"{where}: {run['logins']['failed']} of {run['logins']['attempted']} log-ins failed")
            if run["capacity"] < CAPACITY_BUDGET:
                failures.append(f"{where}: capacity {run['capacity']} req/s < {CAPACITY_BUDGET}")
            if latency.get("signed_in_share", 0) < MIN_SIGNED_IN_SHARE:
                failures.append(f"{where}: signed-in share {latency.get('signed_in_share')} < {MIN_SIGNED_IN_SHARE}")
            if latency.get("write_share", 0) < MIN_WRITE_SHARE:
                failures.append(f"{where}: write share {latency.get('write_share')} < {MIN_WRITE_SHARE}")
    warnings = sorted({
        f"{name} ran no query in the caches-off runs (scale {scale['scale']}): a cache the bench does not "
        "turn off answered it, so its figures are not of the uncached path"
        for scale in scales for run in scale["repetitions"]
        for name, entry in run["phases"].get("latency", {}).get("endpoints", {}).items()
        if entry["queries"] == 0
    })
    # Queries per page must not grow with rows: the most any request of an endpoint and shape
    # ran at a larger scale may not exceed the most at the smallest scale that sent that shape.
    varying = {}
    for name, by_scale in query_counts.items():
        ordered = [by_scale[k] for k in sorted(by_scale)]
        if len(ordered) > 1 and max(ordered[1:]) > ordered[0]:
            varying[name] = {str(k): v for k, v in sorted(by_scale.items())}
    for name, by_scale in sorted(varying.items()):
        failures.append(f"queries per request grow with scale (most per request): {name} {by_scale}")
    return {"pass": not failures, "checks": checks, "failures": failures, "warnings": warnings,
            "queries_vary": varying}


def spread(values: list[float | None]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "–"
    if len(present) == 1:
        return f"{present[0]:g}"
    return f"{statistics.median(present):g} ({min(present):g}–{max(present):g})"


def _before_after(figures: list | None) -> str:
    """A figure measured before and after a repetition, as the traffic table shows it."""
    return ", ".join(str(figure) for figure in figures or []) or "–"


def markdown(scales: list[dict], meta: dict, overall: dict) -> str:
    lines = [
        f"# Benchmark {meta['started']}: {'PASS' if overall['pass'] else 'FAIL'} (caches off)",
        "",
        f"Commit `{meta['commit']}`{' (dirty working tree)' if meta['dirty'] else ''}; {meta['machine_cores']} cores, "
        f"machine speed {meta.get('machine_speed_s', '?')} s (5,000,000 Python additions on one core; lower is faster), "
        f"server {meta['server_workers']} workers; load: Locust, keep-alive; "
        f"settings {json.dumps({k: v for k, v in meta['settings'].items() if k not in ('workdir', 'results_dir')})}.",
        "",
        "Budgets: p95 < 100 ms pages and API, < 50 ms search, < 150 ms writes, < 200 ms the KPI dashboard, < 300 ms a large consultation's section and report; app time (p50 − SQL floor) "
        "< 10 ms detail, < 20 ms list/search; capacity >= 100 req/s; queries per page constant across scales. "
        "Each passes only if it passes in every repetition. Figures: median (min–max) over repetitions.",
        "",
    ]
    if overall["failures"]:
        lines += ["## Failures", ""] + [f"- {f}" for f in overall["failures"][:80]]
        if len(overall["failures"]) > 80:
            lines.append(f"- … and {len(overall['failures']) - 80} more (see the JSON)")
        lines.append("")
    if overall["warnings"]:
        lines += ["## Warnings", ""] + [f"- {w}" for w in overall["warnings"]] + [""]
    for scale in scales:
        runs = scale["repetitions"]
        lines += [f"## Scale {scale['scale']}" + (" (query counts only)" if scale["queries_only"] else ""), "",
                  f"Rows: {json.dumps(scale['generated']['targets'])}; generated in {scale['generated']['seconds']} s.", ""]
        names = sorted({n for r in runs for n in r["phases"].get("latency", {}).get("endpoints", {})},
                       key=lambda n: (list(CATEGORIES).index(CATEGORY.get(n, "page")), n))

        def figures(name, key, runs=runs):
            return [r["phases"]["latency"]["endpoints"].get(name, {}).get(key) for r in runs if "latency" in r["phases"]]

        lines += ["### Latency at 2 clients, caches off", "",
                  "| endpoint | kind | requests | errors | p50 ms | p95 ms | p99 ms | budget p95 | queries | SQL floor ms | app ms | budget app | verdict |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for name in names:
            floors = [(r["phases"]["latency"]["endpoints"].get(name, {}).get("sql_floor") or {}).get("floor_ms") for r in runs]
            p95_ok = all(v is True for v in figures(name, "p95_pass"))
            app = figures(name, "app_pass")
            app_ok = all(v is not False for v in app)
            first = next(r["phases"]["latency"]["endpoints"][name] for r in runs if name in r["phases"]["latency"]["endpoints"])
            lines.append(
                f"| {name} | {first['category']} | {sum(v or 0 for v in figures(name, 'requests'))} | "
                f"{sum(v or 0 for v in figures(name, 'errors'))} | {spread(figures(name, 'p50_ms'))} | "
                f"{spread(figures(name, 'p95_ms'))} | {spread(figures(name, 'p99_ms'))} | {first['budget_p95_ms']} | "
                f"{first['queries']} | {spread(floors)} | {spread(figures(name, 'app_ms'))} | "
                f"{first.get('budget_app_ms') or '–'} | {'PASS' if p95_ok and app_ok else 'FAIL'} |"
            )
        if not scale["queries_only"]:
            lines += ["", "### Traffic and capacity", "",
                      "| repetition | machine speed s (before, after) | reference page ms (before, after) | latency req/s | signed in | writes | search terms | accounts | capacity req/s |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for r in runs:
                latency = r["phases"].get("latency", {})
                speeds, reference = _before_after(r.get("machine_speed_s")), _before_after(r.get("reference_ms"))
                lines.append(f"| {r['label']} | {speeds} | {reference} | {latency.get('throughput')} | {latency.get('signed_in_share')} | "
                             f"{latency.get('write_share')} | {r['search_terms']} | {json.dumps(r['accounts'])} | {r['capacity']} |")
            lines += ["", "| repetition | " + " | ".join(f"{rate} req/s: achieved, errors, worst p95/budget (its requests)" for rate in
                                                          sorted({p['target_rate'] for r in runs for p in r['phases'].values() if p['target_rate']})) + " |",
                      "|---|" + "---|" * len({p['target_rate'] for r in runs for p in r['phases'].values() if p['target_rate']})]
            for r in runs:
                cells = []
                for phase in sorted((p for p in r["phases"].values() if p["target_rate"]), key=lambda p: p["target_rate"]):
                    cells.append(f"{phase['throughput']}, {phase['errors']}, {_worst_p95(phase['endpoints'])} {'PASS' if phase['pass'] else 'FAIL'}")
                lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
            lines += ["", "### Resources", "", "| repetition | server peak MB (PSS) | PostgreSQL MB (PSS, after) | DB size MB | Redis used MB | fsync | synchronous_commit |",
                      "|---|---|---|---|---|---|---|"]
            for r in runs + ([scale["as_deployed"]] if scale["as_deployed"] else []):
                res = r["resources"]
                lines.append(f"| {r['label']} | {res.get('peak_server_memory_mb')} | {res.get('pg_memory_mb')} | {res.get('db_size_mb')} | "
                             f"{res.get('redis_used_mb')} | {res.get('pg_fsync')} | {res.get('pg_synchronous_commit')} |")
        deployed = scale.get("as_deployed")
        if deployed:
            latency = deployed["phases"].get("latency", {})
            lines += ["", f"### As deployed (caches on): page-cache hit rate {latency.get('page_cache_hit_rate')}, "
                      f"{latency.get('throughput')} req/s at 2 clients, {latency.get('errors')} errors", "",
                      "| endpoint | requests | p50 ms | p95 ms | queries |", "|---|---|---|---|---|"]
            for name, e in sorted(latency.get("endpoints", {}).items()):
                lines.append(f"| {name} | {e['requests']} | {e['p50_ms']} | {e['p95_ms']} | {e['queries']} |")
        lines.append("")
    if overall["queries_vary"]:
        lines += ["## Queries per request that grow with scale (the most a request ran, per scale)", ""] + [
            f"- {name}: {by_scale}" for name, by_scale in sorted(overall["queries_vary"].items())] + [""]
    return "\n".join(lines)


def write_report(scales: list[dict], meta: dict, *, results_dir: Path, scenario: str, date: str) -> list[Path]:
    overall = verdict(scales)
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path = results_dir / f"{date}-{scenario}.json"
    md_path = results_dir / f"{date}-{scenario}.md"
    json_path.write_text(json.dumps({"meta": meta, "verdict": overall, "scales": scales}, indent=1, default=str))
    md_path.write_text(markdown(scales, meta, overall))
    return [json_path, md_path]
