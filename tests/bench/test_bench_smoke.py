"""`make bench` works end to end: a quick run against a real server reports every section.

Times are reported, never asserted (they depend on the machine's load)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_quick_benchmark_run_reports_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--no-jupysql",
         "--runs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    report = json.loads(out.read_text())
    queries = report["a"]["queries"]
    assert queries
    assert all(q["rest"]["median_ms"] > 0 and q["duckdb"]["median_ms"] > 0 for q in queries)
    assert report["b"]["rest"]["median_ms"] > 0
    steps = [s["step"] for s in report["b"]["tour"]["steps"]]
    assert "first page" in steps and any(s.startswith("sort") for s in steps)
    assert report["c"]["median_ms"] > 0
    assert "REST/DuckDB" in run.stdout  # the printed table of ratios
