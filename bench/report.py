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
}


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _ok(met: bool) -> str:
    return "met" if met else "MISSED"


def render(results: dict) -> str:
    a, b, c = results["a"], results["b"], results["c"]
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
    lines += ["", f"b. First page of a {b['rows']:,}-row result"]
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
    lines += ["", f"c. POST /results/{{id}}/page, 1,000 rows x 20 columns (of {c['rows']:,}), "
              f"{c['runs']} pages"]  # fmt: skip
    lines.append(f"  median {c['median_ms']:.1f} ms (p90 {c['p90_ms']:.1f}, server-side "
                 f"{c['server_median_ms']:.1f}, {c['bytes_per_page'] / 1024:.0f} KiB per page); "
                 f"target < {TARGETS['page_1000x20_ms']} ms -> {_ok(c['target_met'])}")
    return "\n".join(lines)


def write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
