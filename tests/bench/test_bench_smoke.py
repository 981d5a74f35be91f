"""`make bench` works end to end: a quick run against a real server reports every section.

Times are reported, never asserted (they depend on the machine's load)."""

import json
import re
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench(tmp_path, *args):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1",
         "--out", str(out), *args],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return run, json.loads(out.read_text())


def _check_notebook_part(d, *, jupysql):
    assert [row["table"] for row in d["pandas"]] == ["one_million", "ten_million"]
    engines = {"duckdb", "magic_o", "mlwb_sql_df"} | ({"jupysql"} if jupysql else set())
    for row in d["pandas"]:
        assert row["rows"] > 0
        assert all(row[e]["median_ms"] > 0 for e in engines)
        assert ("jupysql" in row) == jupysql
    _check_one_row_cells(d, jupysql=jupysql)
    page = d["first_page"]
    assert page["mlworkbench"]["median_ms"] > 0
    # The grid got one page (whether the count was still running then depends on timing).
    assert all(check["rows_in_bundle"] == 100 for check in page["checks"]), page["checks"]


def _check_one_row_cells(d, *, jupysql):
    """d2: interleaved rounds, wall-clock and CPU medians, the overheads over bare DuckDB (by
    medians, paired rounds and CPU time) and, beside JupySQL, whether ours is at most its."""
    engines = {"duckdb", "mlworkbench"} | ({"jupysql"} if jupysql else set())
    measures = ("overhead_ms", "paired_overhead_ms", "cpu_overhead_ms")
    assert [cell["name"] for cell in d["one_row"]] == ["constant", "lookup"]
    for cell in d["one_row"]:
        assert cell["mlworkbench"]["median_ms"] > 0 and ("jupysql" in cell) == jupysql
        assert cell["rounds"] >= 60
        assert len(cell["load_before"]) == len(cell["load_after"]) == 3
        assert set(cell["cpu"]) == engines
        for engine in engines:
            assert cell[engine]["runs"] == cell["cpu"][engine]["runs"] == cell["rounds"]
            assert cell["cpu"][engine]["median_ms"] > 0
            wall = cell[engine]["median_ms"] - cell["duckdb"]["median_ms"]
            cpu = cell["cpu"][engine]["median_ms"] - cell["cpu"]["duckdb"]["median_ms"]
            assert cell[f"{engine}_overhead_ms"] == pytest.approx(wall)
            assert cell[f"{engine}_cpu_overhead_ms"] == pytest.approx(cpu)
            assert isinstance(cell[f"{engine}_paired_overhead_ms"], float)
            assert cell[f"{engine}_ratio"] == pytest.approx(
                cell[engine]["median_ms"] / cell["duckdb"]["median_ms"])
        # Bare DuckDB against itself: no overhead by any measure.
        assert [cell[f"duckdb_{m}"] for m in measures] == [0, 0, 0]
        if jupysql:
            assert cell["at_most_jupysql"] == {
                m: cell[f"mlworkbench_{m}"] <= cell[f"jupysql_{m}"] for m in measures
            }
        else:
            assert "at_most_jupysql" not in cell
    if jupysql:
        assert d["one_row_target_met"] == all(
            all(cell["at_most_jupysql"].values()) for cell in d["one_row"])
        assert isinstance(d["jupysql"], str)
    else:
        assert d["one_row_target_met"] is None and d["jupysql"] is None


def _check_profile_part(e):
    assert [row["table"] for row in e["tables"]] == ["ten_million", "hundred_million"]
    for row in e["tables"]:
        assert row["rows"] > 0 and row["columns"] == 8
        assert row["profile"]["median_ms"] > 0 and row["summarize"]["median_ms"] > 0
        assert row["ratio"] > 0 and row["profile_elapsed_ms"] > 0
        assert isinstance(row["sampled"], bool)
        # A sample's size is given exactly when the profile sampled.
        assert (row["sample_rows"] is not None) == row["sampled"]
    assert e["target_table"] == "hundred_million"
    assert e["target_met"] is None  # a quick run has no 100M-row table to judge


def test_a_quick_benchmark_run_reports_every_measure(tmp_path):
    # f (Label Studio) and g (a Galata run) have their own checks: below, and the UI tests.
    run, report = _bench(tmp_path, "--no-jupysql", "--parts", "abcde")
    queries = report["a"]["queries"]
    assert queries
    assert all(q["rest"]["median_ms"] > 0 and q["duckdb"]["median_ms"] > 0 for q in queries)
    assert report["b"]["rest"]["median_ms"] > 0
    steps = [s["step"] for s in report["b"]["tour"]["steps"]]
    assert "first page" in steps and any(s.startswith("sort") for s in steps)
    assert report["c"]["median_ms"] > 0
    assert "REST/DuckDB" in run.stdout  # the printed table of ratios
    _check_notebook_part(report["d"], jupysql=False)
    assert "d1. whole result -> pandas" in run.stdout and "n/a" in run.stdout
    _check_profile_part(report["e"])
    assert "SUMMARIZE/profile" in run.stdout and "profile of a 100M-row table" in run.stdout


@pytest.mark.skipif(find_spec("sql") is None, reason="JupySQL is in the bench extra only")
def test_the_notebook_part_runs_beside_jupysql(tmp_path):
    run, report = _bench(tmp_path, "--parts", "d")
    assert set(report) >= {"d", "environment"} and "a" not in report
    _check_notebook_part(report["d"], jupysql=True)
    assert "JupySQL df <<" in run.stdout


@pytest.mark.skipif(
    not (ROOT / ".venv-labelstudio" / "bin" / "label-studio").exists(),
    reason="make labelstudio installs the Label Studio server",
)
def test_the_label_studio_part_pushes_and_pulls_every_item_beside_the_raw_sdk(tmp_path,
                                                                             label_studio):
    run, report = _bench(tmp_path, "--parts", "f", "--label-studio-url", label_studio.url,
                         "--label-studio-key", label_studio.token)
    f = report["f"]
    n = f["items"]
    assert f["push"]["pushed"] == n and f["push"]["pushed_again"] == 0  # a second push adds none
    assert f["push"]["raw_s"] > 0 and f["push"]["ratio"] > 0
    assert f["push"]["rounds"] == len(f["push"]["raw_samples_s"]) == 1  # one round when quick
    assert f["pull"]["annotations"] == f["pull"]["raw_annotations"] == n
    assert f["pull"]["rows_in_label_set"] == n
    inc = f["incremental"]
    assert inc["incremental"] and inc["written"] == inc["new_annotations"] > 0
    assert "f1 push:" in run.stdout and "f3 incremental pull" in run.stdout


def test_the_training_part_scores_ours_beside_default_boosting(tmp_path):
    # FLAML is left out (it is in the bench extra only); a 1 s budget on wine keeps this short.
    out = tmp_path / "training.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "training.py"), "--budget", "1", "--datasets",
         "wine", "--contenders", "ours,hgb", "--in-process", "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    h = json.loads(out.read_text())
    [row] = h["datasets"]
    assert row["name"] == "wine" and row["metric"] == "accuracy" and row["task"] == "multiclass"
    for who in ("ours", "hgb"):
        assert 0 <= row[who]["score"] <= 1 and row[who]["time_to_best_s"] >= 0
    assert "flaml" not in row and isinstance(row["met"], bool)
    assert row["ours_hgb_ratio"] == pytest.approx(row["ours"]["score"] / row["hgb"]["score"])
    assert "mlworkbench" in run.stdout and "not run" in run.stdout and "wine" in run.stdout


def test_run_py_part_h_without_flaml_says_so_and_prints_the_ratio_table(tmp_path, monkeypatch,
                                                                        capsys):
    # bench/run.py's own wiring of part h (its options, part_h, render_h, the JSON), in this
    # process with FLAML hidden: ours and the default boosting each run in a process of theirs.
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import run as bench_run
    from bench import training

    monkeypatch.setattr(training, "_flaml_python", lambda: None)
    out = tmp_path / "bench.json"
    assert bench_run.main(["--quick", "--parts", "h", "--training-budget", "1",
                           "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    h = json.loads(out.read_text())["h"]
    [row] = h["datasets"]
    assert row["name"] == "wine" and h["budget_s"] == 1 and h["flaml_python"] is None
    assert row["flaml"] == {"skipped": "FLAML is not installed (make bench installs it in "
                                       ".venv-bench)"}
    assert "ours_flaml_ratio" not in row
    assert row["ours_hgb_ratio"] == pytest.approx(row["ours"]["score"] / row["hgb"]["score"])
    assert h["target_met"] is row["met"]

    lines = printed.splitlines()
    [header] = [i for i, line in enumerate(lines) if line.lstrip().startswith("dataset")]
    assert lines[header].split() == ["dataset", "rows", "metric", "mlworkbench", "FLAML",
                                     "default", "HGB", "ours/FLAML", "ours/HGB", "target"]
    table = lines[header + 2:header + 3]  # under the rule: one row, wine
    cell = r"(\d\.\d{4}) \(\d+/\d+\)"
    match = re.fullmatch(rf"  wine\s+[\d,]+\s+accuracy\s+{cell}\s+skipped\s+{cell}\s+n/a\s+"
                         r"(\d+\.\d{4})x  (met|MISSED)", table[0])
    assert match, table
    assert float(match.group(1)) == pytest.approx(row["ours"]["score"], abs=1e-4)
    assert float(match.group(2)) == pytest.approx(row["hgb"]["score"], abs=1e-4)
    assert float(match.group(3)) == pytest.approx(row["ours_hgb_ratio"], abs=1e-4)
    assert match.group(4) == ("met" if row["met"] else "MISSED")
    assert "  wine FLAML: FLAML is not installed" in printed
    assert f"on every dataset -> {'met' if row['met'] else 'MISSED'}" in printed
