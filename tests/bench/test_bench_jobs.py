"""`make bench` part j (notebook jobs) end to end in its quick form: the overhead beside raw
papermill, one scheduler firing, 10 queued runs. Times are reported, never asserted; what is
checked is that every way ran, every queued run ran once, and the report shows the ratios."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("papermill")


def test_the_jobs_part_reports_overhead_firing_and_queued_runs(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1", "--parts",
         "j", "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    j = json.loads(out.read_text())["j"]
    overhead = j["overhead"]
    for way in ("papermill", "mlworkbench_run", "jobs_run"):
        assert overhead[way]["runs"] == 1 and overhead[way]["median_ms"] > 0
    assert overhead["all_succeeded"]
    assert overhead["jobs_run_ratio"] == pytest.approx(
        overhead["jobs_run"]["median_ms"] / overhead["papermill"]["median_ms"], abs=6e-4)
    firing = j["firing"]
    assert firing["firings"] == 1 and len(firing["late_s"]) == 1
    assert firing["late_s"][0] >= 0  # a run never starts before its cron time
    queued = j["queued"]
    assert queued["due"] == queued["runs"] == queued["distinct_fire_times"] == 10
    assert queued["succeeded"] == 10 and queued["lost"] == queued["duplicated"] == 0
    assert queued["ok"] is True
    printed = run.stdout
    assert "j. Notebook jobs" in printed and "papermill in out -p n" in printed
    assert "scheduler firing: started_at - cron time over 1 firing(s)" in printed
    assert "10 queued runs: 10 runs, 10 distinct fire times, 10 succeeded" in printed
