"""Run the benchmarks side by side and report them: ``python bench/run.py [--quick]``.

a. aggregation/join queries: bare DuckDB vs the REST API (vs JupySQL);
b. the first page of a 100M-row result, then paging and sorting it while sampling the server RSS;
c. the latency of a 1,000 x 20 page;
d. SQL in a notebook (a real IPython shell): results into pandas, one-row cells and the first
   grid page of 10M rows, beside bare DuckDB and JupySQL (see bench/notebook.py);
e. the column profile of the 10M- and 100M-row tables beside DuckDB's own SUMMARIZE
   (see bench/profiles.py);
f. the Label Studio bridge against a real Label Studio server: push 10,000 tasks, pull 10,000
   annotations and an incremental pull of 100, beside the raw SDK (see bench/labeling.py);
g. the built-in labeler in Chromium: key press -> next item shown over a million items,
   measured by the Galata test (see bench/labeler.py);
h. training: mlworkbench's train() beside FLAML at the same budget and a default
   HistGradientBoosting, on bundled and generated datasets (see bench/training.py);
i. publishing: predict() in SQL over 1M rows beside the pipeline's predict in memory
   (bench/serving.py), and `mlworkbench serve` beside `mlflow models serve` on one model:
   single-row latency and throughput (bench/serving_rest.py);
j. notebook jobs: a run through mlworkbench (the CLI and ws.jobs.run) beside the raw papermill
   command, the scheduler's firing accuracy on an every-minute cron, and 50 queued runs
   (see bench/jobs.py).
Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import psutil  # noqa: E402

from bench import rest  # noqa: E402
from bench.anchors import BareDuckDB, JupySQL, _version  # noqa: E402
from bench.data import generate, generate_notebook, generate_profile  # noqa: E402
from bench.jobs import part_jobs  # noqa: E402
from bench.jobs import render as render_j  # noqa: E402
from bench.labeler import part_g, render_g  # noqa: E402
from bench.labeling import part_f, render_f  # noqa: E402
from bench.notebook import part_d  # noqa: E402
from bench.profiles import part_e  # noqa: E402
from bench.queries import BIG_ROWS, QUERIES, SIZES, WIDE_ROWS, big_result, wide_result  # noqa: E402
from bench.report import TARGETS, geomean, render, write  # noqa: E402
from bench.server import JupyterServer  # noqa: E402
from bench.serving import part_serving_sql  # noqa: E402
from bench.serving import render as render_sql_predict  # noqa: E402
from bench.timing import interleaved, timed  # noqa: E402
from bench.training import BUDGET_S, dataset_names, part_h, render_h  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


def part_a(bare: BareDuckDB, jupysql: JupySQL | None, server: JupyterServer, runs: int) -> dict:
    rows = []
    for name, sql in QUERIES.items():
        print(f"  a. {name}", flush=True)
        samplers = {"duckdb": timed(bare.first_rows(sql)), "rest": rest.first_page(server, sql)}
        if jupysql is not None:
            samplers["jupysql"] = timed(jupysql.first_rows(sql))
        row = {"name": name, "sql": " ".join(sql.split()), **interleaved(samplers, runs)}
        row["rest_ratio"] = row["rest"]["median_ms"] / row["duckdb"]["median_ms"]
        if jupysql is not None:
            row["jupysql_ratio"] = row["jupysql"]["median_ms"] / row["duckdb"]["median_ms"]
        rows.append(row)
    ratios = [r["rest_ratio"] for r in rows]
    return {
        "queries": rows,
        "rest_ratio_geomean": geomean(ratios),
        "rest_ratio_max": max(ratios),
        "jupysql_ratio_geomean": geomean([r["jupysql_ratio"] for r in rows if "jupysql" in r])
        if jupysql is not None
        else None,
        "target_met": max(ratios) <= TARGETS["rest_ratio"],
    }


def part_b(bare: BareDuckDB, server: JupyterServer, rows: int, runs: int) -> dict:
    sql = big_result(rows)
    print(f"  b. first page of {rows:,} rows", flush=True)
    samplers = {
        "duckdb": timed(bare.first_rows(f"{sql} LIMIT 100")),
        "rest": rest.first_page(server, sql),
    }
    measured = interleaved(samplers, runs)
    duck, first = measured["duckdb"], measured["rest"]
    print("  b. paging and sorting", flush=True)
    tour = rest.tour(server, sql, rows)
    extra = first["median_ms"] - duck["median_ms"]
    return {
        "rows": rows,
        "sql": sql,
        "duckdb": duck,
        "rest": first,
        "extra_ms": extra,
        "extra_target_met": extra <= TARGETS["big_first_page_extra_ms"],
        "tour": tour,
        "rss_target_met": tour["rss_growth_mb"] <= TARGETS["rss_growth_mb"],
    }


def part_c(server: JupyterServer, rows: int) -> dict:
    print("  c. 1,000 x 20 pages", flush=True)
    result = rest.page_latency(server, wide_result(rows), rows, runs=30)
    return {"rows": rows, **result, "target_met": result["median_ms"] < TARGETS["page_1000x20_ms"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--runs", type=int, default=None, help="measured runs per query")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--no-jupysql", action="store_true", help="skip the JupySQL anchor")
    parser.add_argument("--parts", default="abcdefghij",
                        help="which parts to run (default: abcdefghij)")
    parser.add_argument("--training-budget", type=float, default=None,
                        help=f"part h: seconds per search (default {BUDGET_S:g}, 5 with --quick)")
    parser.add_argument("--training-datasets", default=None,
                        help="part h: all, small, large or names (default all; "
                             "wine only with --quick)")
    parser.add_argument("--label-studio-url", default=None,
                        help="part f: a running Label Studio to use (default: start a fresh one)")
    parser.add_argument("--label-studio-key", default=None,
                        help="part f: that server's API key (with --label-studio-url)")
    args = parser.parse_args(argv)
    parts = set(args.parts.lower())
    if bool(args.label_studio_url) != bool(args.label_studio_key):
        parser.error("--label-studio-url and --label-studio-key go together")
    if not parts or parts - set("abcdefghij"):
        parser.error("--parts takes letters among a, b, c, d, e, f, g, h, i and j")
    size = 1 if args.quick else 0
    runs = args.runs or (3 if args.quick else 5)
    started = time.perf_counter()
    load_before = os.getloadavg()
    if load_before[0] > (os.cpu_count() or 1) / 2:
        print(f"Note: this machine is busy (load {load_before[0]:.1f} on {os.cpu_count()} CPUs); "
              "times will be noisy.", flush=True)
    use_jupysql = not args.no_jupysql and find_spec("sql") is not None
    if not args.no_jupysql and not use_jupysql:
        print("  JupySQL anchor skipped (not installed); pip install jupysql", flush=True)

    results: dict = {
        "quick": args.quick,
        "runs": runs,
        "parts": "".join(sorted(parts)),
        "sizes": {t: s[size] for t, s in SIZES.items()},
        "targets": TARGETS,
    }
    with tempfile.TemporaryDirectory(prefix="mlworkbench-bench-") as tmp:
        root = Path(tmp) / "root"
        if parts & set("abc"):
            print(f"Generating data in {root / 'data'}", flush=True)
            paths = generate(root / "data", quick=args.quick)
            results.update(server_parts(paths, root, Path(tmp) / "workspace", parts, size, runs,
                                        use_jupysql))
        if "d" in parts:
            print(f"Generating part d's data in {root / 'data'}", flush=True)
            paths = generate_notebook(root / "data", quick=args.quick)
            results["d"] = part_d(paths, root, Path(tmp) / "notebook-workspace", runs=runs,
                                  jupysql=use_jupysql)
        if "e" in parts:
            print(f"Generating part e's data in {root / 'data'}", flush=True)
            paths = generate_profile(root / "data", quick=args.quick)
            results["e"] = part_e(paths, root, Path(tmp) / "profile-workspace", runs=runs)
        if "f" in parts:
            results["f"] = part_f(quick=args.quick, workdir=Path(tmp),
                                  url=args.label_studio_url, api_key=args.label_studio_key)
        if "g" in parts:
            results["g"] = part_g(workdir=Path(tmp))
        if "h" in parts:
            budget = args.training_budget or (5 if args.quick else BUDGET_S)
            names = dataset_names(args.training_datasets or ("wine" if args.quick else "all"))
            results["h"] = part_h(budget_s=budget, datasets=names, workdir=Path(tmp))
        if "i" in parts:
            results["i"] = part_i(quick=args.quick, workdir=Path(tmp))
        if "j" in parts:
            results["j"] = part_jobs(quick=args.quick, workdir=Path(tmp), runs=args.runs)
    results["environment"] = environment(load_before, results)
    results["elapsed_s"] = time.perf_counter() - started
    print()
    print(render(results))
    if "f" in results:
        print(render_f(results["f"]))
    if "g" in results:
        print(render_g(results["g"]))
    if "h" in results:
        print(render_h(results["h"]))
    if "i" in results:
        print(render_i(results["i"]))
    if "j" in results:
        print(render_j(results["j"]))
    write(results, args.out)
    print(f"\nWrote {args.out} ({results['elapsed_s']:.0f} s in all)")
    return 0


def part_i(*, quick: bool, workdir: Path) -> dict:
    """Publishing: predict() in SQL beside the pipeline's own predict (bench/serving.py), and
    `mlworkbench serve` beside `mlflow models serve` on one model (bench/serving_rest.py, in its
    own process: it starts both servers and MLflow lives in this venv only)."""
    print("  i. predict() in SQL", flush=True)
    result = {"sql": part_serving_sql(20_000 if quick else 1_000_000, workdir)}
    print("  i. mlworkbench serve vs mlflow models serve", flush=True)
    out = workdir / "serving_rest.json"
    command = [sys.executable, str(Path(__file__).with_name("serving_rest.py")), "--out", str(out)]
    if quick:
        command += ["--quick", "--rows", "2000", "--budget", "2"]
    done = subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, check=False)
    result["rest"] = (json.loads(out.read_text()) if out.exists() else
                      {"error": f"bench/serving_rest.py exited with {done.returncode}"})
    return result


def render_i(result: dict) -> str:
    lines = [render_sql_predict(result["sql"]), "mlworkbench serve vs mlflow models serve"]
    rest = result["rest"]
    for name in ("mlworkbench", "mlflow"):
        if name in rest:
            m = rest[name]
            lines.append(f"  {name:<12} p50 {m['p50_ms']} ms  p99 {m['p99_ms']} ms  "
                         f"{m['throughput_rps']} req/s")
    if "ratios" in rest:
        r = rest["ratios"]
        met = r["p50"] <= 1 / 3 and r["p99"] <= 1 / 3 and r["throughput"] >= 3
        lines.append(f"  ours/MLflow  p50 {r['p50']}x  p99 {r['p99']}x (target <= 0.33x)  "
                     f"throughput {r['throughput']}x (target >= 3x): {'met' if met else 'NOT met'}")
    else:
        lines.append(f"  MLflow not measured: {rest.get('mlflow_error') or rest.get('error')}")
    return "\n".join(lines)


def server_parts(paths: dict[str, Path], root: Path, workspace: Path, parts: set[str],
                 size: int, runs: int, use_jupysql: bool) -> dict:
    """Parts a, b and c, against a real Jupyter server on ``root``."""
    bare = BareDuckDB(paths)
    jupysql = JupySQL(paths) if use_jupysql and "a" in parts else None
    results: dict = {}
    try:
        with JupyterServer(root, workspace) as server:
            print(f"Server on port {server.port} (log {server.log_path})", flush=True)
            results["server_status"] = server.call("GET", "/status").json()
            rest.register(server, paths)
            if "a" in parts:
                results["a"] = part_a(bare, jupysql, server, runs)
            if "b" in parts:
                results["b"] = part_b(bare, server, BIG_ROWS[size], min(runs, 3))
            if "c" in parts:
                results["c"] = part_c(server, WIDE_ROWS[size])
    finally:
        bare.close()
        if jupysql is not None:
            jupysql.close()
    return results


def environment(load_before: tuple[float, ...], results: dict) -> dict:
    bare = BareDuckDB({})
    settings = bare.settings()
    bare.close()
    return {
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "server_status": results.pop("server_status", None),
        "jupysql": _version("jupysql") if find_spec("sql") else None,
        "duckdb_settings": settings,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "machine": platform.platform(),
    }


if __name__ == "__main__":
    sys.exit(main())
