"""Write the benchmark's JSON, its Markdown summary and the scaling plot."""

import json
from pathlib import Path

# The overall verdict (issue 3): the budgets at the default scale, in the modes a deployment
# runs, and query counts constant across scales. "cold" (every cache off, which no deployment
# runs) is the worst case and the other scales draw the curve: measured and shown beside them.
VERDICT_MODES = ("off", "on")
VERDICT_SCALE = 1.0
MODE_LABELS = {
    "cold": "nothing cached (no page cache, every row and API item computed)",
    "off": "anonymous page cache off (rows and API items cached per object version)",
    "on": "anonymous page cache on (as deployed)",
}


def _computed_mode(modes) -> str | None:
    """The mode where every request computes the most: the one to compare across scales."""
    return next((mode for mode in ("cold", "off") if mode in modes), next(iter(modes), None))


def _measurements(runs: list[dict]):
    for run in runs:
        for mode, measured in run["page_cache"].items():
            yield run, mode, measured


def query_counts_constant(runs: list[dict]) -> dict[str, bool]:
    """Per endpoint: does a computed page run the same number of queries at every scale?

    Compared: the typical count (the most frequent) with nothing cached ("cold"), where every
    request computes its page and rows. The maximum is no measure: a request that refills a
    cached menu or the home figures runs one or two queries more, at any scale.
    """
    compared = _computed_mode([mode for _, mode, _ in _measurements(runs)])
    verdicts = {}
    names = set().union(*(measured["endpoints"] for _, _, measured in _measurements(runs)))
    for name in sorted(names):
        typical = {
            queries.get("typical", queries["max"])
            for _, mode, measured in _measurements(runs)
            if mode == compared and name in measured["endpoints"]
            and (queries := measured["endpoints"][name]["queries_per_request"])
        }
        verdicts[name] = len(typical) <= 1
    return verdicts


def summary(runs: list[dict]) -> list[str]:
    """One line per scale and cache mode: how many endpoints meet their budget, and which do not."""
    lines = ["## Summary", ""]
    for run, mode, measured in _measurements(runs):
        endpoints = measured["endpoints"]
        failing = [f"{name} {e['p95_ms']} ms (budget {e['budget_p95_ms']}, {e['errors']} errors)"
                   for name, e in endpoints.items() if not e["pass"]]
        passed = len(endpoints) - len(failing)
        line = f"- scale {run['scale']}, {MODE_LABELS.get(mode, mode)}: {passed} of {len(endpoints)} endpoints within budget"
        lines.append(line + (f"; over: {'; '.join(failing)}" if failing else ""))
    return [*lines, ""]


def markdown(runs: list[dict], constant: dict[str, bool], scenario: str, date: str) -> str:
    lines = [
        f"# Benchmark {date} – {scenario}", "", *summary(runs),
        "The overall verdict is on the budgets at the default scale (1) in the modes a deployment runs "
        "(page cache off and on), and on query counts constant across scales. The cold mode, with "
        "every cache off, is the worst case; the other scales draw the curve. Both are shown with "
        "their own PASS/FAIL per endpoint.", "",
    ]
    for run, mode, measured in _measurements(runs):
        generated = run["generated"]["targets"]
        lines += [
            f"## Scale {run['scale']}, {MODE_LABELS.get(mode, mode)} ({generated['organizations']:,} organizations, "
            f"{generated['users']:,} users, {generated['territories']:,}+ territories)",
            "",
            f"{measured['requests']} requests, {measured['requests_per_second']} req/s, {measured['errors']} errors, "
            f"{run['server_workers']} server workers, cache in {run.get('cache', 'each worker’s own memory')}, "
            f"peak server memory {measured['peak_server_rss_mb']} MB; "
            f"generation took {run['generated']['seconds']} s.",
            "",
            "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | budget p95 | queries | SQL alone ms | page/SQL | verdict |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, e in measured["endpoints"].items():
            queries = e["queries_per_request"]
            query_text = "" if not queries else (
                str(queries["max"]) if queries["min"] == queries["max"]
                else f"{queries.get('typical', '')} ({queries['min']}–{queries['max']})"
            )
            lines.append(
                f"| {name} | {e['requests']} | {e['errors']} | {e['p50_ms']} | {e['p95_ms']} | {e['p99_ms']} | "
                f"{e['budget_p95_ms'] or ''} | {query_text} | {e.get('sql_alone_ms', '')} | "
                f"{e.get('overhead_factor', '') or ''} | {'PASS' if e['pass'] else 'FAIL'} |"
            )
        lines.append("")
    if len(runs) > 1:
        lines += ["## Queries per request as rows grow", "", "| endpoint | constant across scales |", "|---|---|"]
        lines += [f"| {name} | {'PASS' if ok else 'FAIL'} |" for name, ok in constant.items()]
        lines.append("")
    return "\n".join(lines)


def plot(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = [run["scale"] for run in runs]
    figure, axis = plt.subplots(figsize=(9, 5.5))
    mode = _computed_mode(runs[0]["page_cache"])
    names = sorted(set().union(*(run["page_cache"][mode]["endpoints"] for run in runs)))
    colours = plt.get_cmap("tab20").colors
    for index, name in enumerate(names):
        values = [run["page_cache"][mode]["endpoints"].get(name, {}).get("p95_ms") for run in runs]
        axis.plot(
            [s * 200_000 for s in scales], values, marker="os^D"[index % 4], color=colours[index % len(colours)],
            linestyle=("-", "--", ":")[index // len(colours) % 3], label=name,
        )
    axis.set_xscale("log")
    axis.set_xlabel("organizations in the database")
    axis.set_ylabel("p95 latency (ms)")
    axis.axhline(100, color="red", linestyle="--", linewidth=1, label="budget 100 ms")
    axis.axhline(50, color="orange", linestyle=":", linewidth=1, label="search budget 50 ms")
    axis.set_title(f"civicbridge: p95 latency per endpoint as data grows ({mode}: {MODE_LABELS.get(mode, mode)})", fontsize=9)
    axis.legend(fontsize=7, ncol=2)
    axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def write_report(runs: list[dict], *, scenario: str, results_dir: Path, date: str) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    constant = query_counts_constant(runs)
    stem = results_dir / f"{date}-{scenario}"
    all_pass = all(
        e["pass"] for run, mode, measured in _measurements(runs)
        if mode in VERDICT_MODES and run["scale"] == VERDICT_SCALE
        for e in measured["endpoints"].values()
    ) and all(constant.values())
    document = {"date": date, "scenario": scenario, "runs": runs, "queries_constant": constant, "pass": all_pass}
    Path(f"{stem}.json").write_text(json.dumps(document, indent=2))
    Path(f"{stem}.md").write_text(markdown(runs, constant, scenario, date))
    if len(runs) > 1:
        plot(runs, Path(f"{stem}.png"))
    print(Path(f"{stem}.md").read_text())
    print("OVERALL:", "PASS" if all_pass else "FAIL")
