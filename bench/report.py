"""Print the results as a table and write them as JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

TARGETS = {
    "rest_ratio": 1.15,  # part a: REST first page / bare DuckDB first 100 rows
    "big_first_page_extra_ms": 50,  # part b
    "rss_growth_mb": 1024,  # part b
    "page_1000x20_ms": 50,  # part c
    "notebook_pandas_ratio": 1.05,  # part d: into pandas / bare DuckDB's .df()
    "notebook_first_page_extra_ms": 200,  # part d: grid bundle after bare DuckDB's first rows
    "profile_100m_ms": 5000,  # part e: "a few seconds" for the profile of a 100M-row table
}


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _ok(met: bool) -> str:
    return "met" if met else "MISSED"


def render(results: dict) -> str:
    """The report of every part that ran, as text."""
    sections = {"a": _render_a, "b": _render_b, "c": _render_c, "d": _render_d,
                "e": _render_e}
    return "\n\n".join(draw(results) for part, draw in sections.items() if part in results)


def _render_a(results: dict) -> str:
    a = results["a"]
    lines = [f"a. Aggregations and joins over {results['sizes']['sales']:,} sales rows: first 100 "
             f"rows, median of {results['runs']} after a warm-up"]  # fmt: skip
    header = f"{'query':<22}{'DuckDB ms':>11}{'REST ms':>10}{'REST/DuckDB':>13}"
    header += f"{'JupySQL ms':>12}{'JupySQL/DuckDB':>16}"
    lines += [header, "-" * len(header)]
    for row in a["queries"]:
        jupysql = row.get("jupysql")
        lines.append(
            f"{row['name']:<22}{row['duckdb']['median_ms']:>11.1f}{row['rest']['median_ms']:>10.1f}"
            f"{row['rest_ratio']:>12.2f}x"
            + (f"{jupysql['median_ms']:>12.1f}{row['jupysql_ratio']:>15.2f}x" if jupysql else
               f"{'n/a':>12}{'n/a':>16}")
        )  # fmt: skip
    lines.append(
        f"{'geometric mean':<43}{a['rest_ratio_geomean']:>12.2f}x"
        + (f"{'':>12}{a['jupysql_ratio_geomean']:>15.2f}x" if a["jupysql_ratio_geomean"] else "")
    )
    lines.append(f"target: REST/DuckDB <= {TARGETS['rest_ratio']}x per query -> "
                 f"{_ok(a['target_met'])} (worst {a['rest_ratio_max']:.2f}x)")  # fmt: skip
    return "\n".join(lines)


def _render_b(results: dict) -> str:
    b = results["b"]
    lines = [f"b. First page of a {b['rows']:,}-row result"]
    lines.append(f"  bare DuckDB (LIMIT 100)   {b['duckdb']['median_ms']:>9.1f} ms")
    lines.append(f"  REST first page           {b['rest']['median_ms']:>9.1f} ms")
    lines.append(f"  difference                {b['extra_ms']:>+9.1f} ms   target <= "
                 f"+{TARGETS['big_first_page_extra_ms']} ms -> {_ok(b['extra_target_met'])}")
    lines.append(f"  paging and sorting through it:{'client ms':>14}{'server ms':>11}"
                 f"{'total_rows':>13}{'RSS peak MB':>13}")  # fmt: skip
    for step in b["tour"]["steps"]:
        server_ms = step.get("server_ms")
        total = step.get("total_rows")
        lines.append(
            f"    {step['step']:<30}{step['ms']:>11.1f}"
            + (f"{server_ms:>11.1f}" if server_ms is not None else f"{'':>11}")
            + (f"{total:>13,}" if total is not None else f"{'counting':>13}")
            + f"{step['peak_mb']:>13.0f}"
        )
    tour = b["tour"]
    lines.append(f"  server RSS (with children): {tour['rss_baseline_mb']:.0f} MB before, "
                 f"{tour['rss_peak_mb']:.0f} MB peak, growth {tour['rss_growth_mb']:.0f} MB; "
                 f"target <= {TARGETS['rss_growth_mb']} MB -> {_ok(b['rss_target_met'])}")
    return "\n".join(lines)


def _render_c(results: dict) -> str:
    c = results["c"]
    lines = [f"c. POST /results/{{id}}/page, 1,000 rows x 20 columns (of {c['rows']:,}), "
              f"{c['runs']} pages"]  # fmt: skip
    lines.append(f"  median {c['median_ms']:.1f} ms (p90 {c['p90_ms']:.1f}, server-side "
                 f"{c['server_median_ms']:.1f}, {c['bytes_per_page'] / 1024:.0f} KiB per page); "
                 f"target < {TARGETS['page_1000x20_ms']} ms -> {_ok(c['target_met'])}")
    return "\n".join(lines)


def _render_d(results: dict) -> str:
    d = results["d"]
    runs = d["pandas"][0]["duckdb"]["runs"]
    lines = [f"d. SQL in a notebook: a real IPython shell, median of {runs} after a warm-up "
             f"(JupySQL {d['jupysql'] or 'not installed'}, native DuckDB connection)"]  # fmt: skip
    engines = [("duckdb", "DuckDB .df()"), ("magic_o", "%%sql -o df"),
               ("mlwb_sql_df", "mlwb.sql().df()"), ("jupysql", "JupySQL df <<")]  # fmt: skip
    header = f"  {'d1. whole result -> pandas':<30}" + "".join(f"{t:>30}" for _, t in engines)
    lines += [header, "  " + "-" * (len(header) - 2)]
    for row in d["pandas"]:
        cells = [f"{row['duckdb']['median_ms']:.0f} ms"]
        for key, _ in engines[1:]:
            cells.append(
                f"{row[key]['median_ms']:.0f} ms ({row[f'{key}_ratio']:.2f}x; "
                f"min {row[f'{key}_min_ratio']:.2f}x)" if key in row else "n/a"
            )  # fmt: skip
        label = f"{row['table']} ({row['rows']:,} rows)"
        lines.append(f"  {label:<30}" + "".join(f"{c:>30}" for c in cells))
    lines.append(f"  target: mlworkbench <= {TARGETS['notebook_pandas_ratio']}x bare DuckDB -> "
                 f"{_ok(d['pandas_target_met'])} (worst {d['pandas_worst_ratio']:.2f}x)")
    header = f"  {'d2. one-row cell + display':<50}{'DuckDB':>10}{'mlworkbench':>22}{'JupySQL':>22}"
    lines += ["", header, "  " + "-" * (len(header) - 2)]
    for row in d["one_row"]:
        ours = f"{row['mlworkbench']['median_ms']:.2f} (+{row['mlworkbench_overhead_ms']:.2f})"
        theirs = (f"{row['jupysql']['median_ms']:.2f} (+{row['jupysql_overhead_ms']:.2f})"
                  if "jupysql" in row else "n/a")  # fmt: skip
        lines.append(f"  {row['sql']:<50}{row['duckdb']['median_ms']:>7.2f} ms{ours:>19} ms"
                     f"{theirs:>19} ms")
        if "rounds" in row:
            paired = "".join(
                f"{row[f'{e}_ratio']:>14.2f}x (+{row[f'{e}_paired_overhead_ms']:.2f})"
                if e in row else f"{'n/a':>22}" for e in ("mlworkbench", "jupysql")
            )
            lines.append(f"  {'  ratio of medians (paired overhead)':<60}{paired}")
            cpu = "".join(
                f"{row['cpu'][e]['median_ms']:>10.2f} (+{row[f'{e}_cpu_overhead_ms']:.2f}) ms"
                if e in row else f"{'n/a':>22}" for e in ("mlworkbench", "jupysql")
            )
            lines.append(f"  {'  CPU time (+ overhead)':<50}{row['cpu']['duckdb']['median_ms']:>7.2f}"
                         f" ms{cpu}")
            lines.append(f"  {'  ':<2}{row['rounds']} interleaved rounds, load "
                         f"{row['load_before'][0]:.2f} -> {row['load_after'][0]:.2f}")
    met = d["one_row_target_met"]
    lines.append("  ms per cell (+ overhead over bare con.sql(q).fetchall()); target: "
                 "mlworkbench's overhead <= JupySQL's (medians, paired rounds and CPU) -> "
                 + (_ok(met) if met is not None else "n/a (no JupySQL)"))
    page = d["first_page"]
    lines += ["", f"  d3. first grid page of {page['sql']} (no -o)"]
    shown = page["checks"][0]["rows_in_bundle"]
    steps = [(f"bare DuckDB, ... LIMIT {shown}", page["duckdb_first_rows"], ""),
             ("bare DuckDB, whole query to Arrow", page["duckdb_whole_query"], "  (reference)"),
             ("mlworkbench, run -> MIME bundle", page["mlworkbench"],
              f"  ({page['extra_ms']:+.1f} ms; target < {TARGETS['notebook_first_page_extra_ms']}"
              f" ms and no full fetch -> {_ok(d['first_page_target_met'])})"),
             (f"JupySQL, run -> its display ({shown} rows)", page.get("jupysql"), "")]  # fmt: skip
    for label, measured, note in steps:
        if measured is not None:
            lines.append(f"    {label:<38}{measured['median_ms']:>9.1f} ms{note}")
    lines.append(f"    at display time: the bundle held the first page and the result was still being "
                 f"counted in {sum(c['total_rows_at_display'] is None for c in page['checks'])} of "
                 f"{len(page['checks'])} runs; process RSS grew at most {page['rss_growth_mb']:.0f} MB")
    return "\n".join(lines)


def _render_e(results: dict) -> str:
    e = results["e"]
    runs = e["tables"][0]["profile"]["runs"]
    lines = [f"e. Column profile (ws.prep.profile, default request) beside DuckDB's SUMMARIZE of "
             f"the same Parquet file: median of {runs} after a warm-up"]  # fmt: skip
    header = (f"  {'table':<18}{'rows':>13}{'columns':>9}{'profile ms':>13}{'sampled (rows)':>20}"
              f"{'SUMMARIZE ms':>15}{'SUMMARIZE/profile':>19}")  # fmt: skip
    lines += [header, "  " + "-" * (len(header) - 2)]
    once = []
    for row in e["tables"]:
        sampled = f"yes ({row['sample_rows']:,})" if row["sampled"] else "no"
        summarize = f"{row['summarize']['median_ms']:.0f}"
        if row["summarize"]["runs"] == 1:
            summarize += "*"
            once.append(row["table"])
        lines.append(f"  {row['table']:<18}{row['rows']:>13,}{row['columns']:>9}"
                     f"{row['profile']['median_ms']:>13.0f}{sampled:>20}{summarize:>15}"
                     f"{row['ratio']:>18.1f}x")  # fmt: skip
    if once:
        lines.append(f"  * SUMMARIZE ran once on {', '.join(once)} (no warm-up): it reads every "
                     "row and takes minutes there")
    target = next(r for r in e["tables"] if r["table"] == e["target_table"])
    lines.append(f"  target: profile of a 100M-row table within a few seconds (<= "
                 f"{TARGETS['profile_100m_ms'] / 1000:.0f} s) -> "
                 f"{'n/a, a quick run' if e['target_met'] is None else _ok(e['target_met'])} "
                 f"({target['profile']['median_ms'] / 1000:.1f} s on {target['rows']:,} rows)")
    return "\n".join(lines)


def write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
