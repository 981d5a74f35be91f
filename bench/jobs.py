"""Notebook jobs (issue 8): a run's overhead beside raw papermill, the scheduler's firing accuracy,
and 50 queued runs.

1. Overhead: one small notebook with a parameter, run ``runs`` times in alternating rounds by
   the raw ``papermill in.ipynb out.ipynb -p n N`` command, by ``mlworkbench run ... --wait``
   (what a user types in a shell), and by ``ws.jobs.run`` + ``ws.jobs.wait`` from a process that
   has the workspace open (what the panel does through the server); medians and the ratio of
   each to papermill (target <= 1.1x).
2. Firing accuracy: a job on the every-minute cron ``* * * * *`` and a scheduler thread (the
   server extension's) in this process; for each firing, started_at - scheduled_for (the runner
   process marked the run running that long after the cron time); max and median (target
   within 2 s). Each firing waits for the next minute.
3. Queued runs: a job with overlap 'queue' and catch-up 'all' whose last 50 fire times (a yearly
   cron, so no new one comes during the measure) are due: the scheduler records 50 runs at once,
   runs them one after the other, and every one is checked: 50 runs, 50 distinct fire times,
   all succeeded, the total time.

``python bench/jobs.py [--quick]`` runs it alone; ``bench/run.py`` runs it as part j. Times are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OVERHEAD_TARGET = 1.1
FIRING_TARGET_S = 2.0
PARAMETER = "250000"
WAIT = 600


def _notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("n = 10")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("total = sum(range(n))\nprint(n, total)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def overhead(ws, root: Path, runs: int) -> dict:
    """Part 1: raw papermill, `mlworkbench run --wait` and ws.jobs.run + wait, interleaved."""
    from bench.timing import rounds, summarise

    _notebook(root / "report.ipynb")
    out = root / "papermill-out.ipynb"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}

    def papermill() -> float:
        return _command([_bin("papermill"), "report.ipynb", str(out), "-p", "n", PARAMETER,
                         "-k", "python3"], root, env)

    def cli() -> float:
        return _command([_bin("mlworkbench"), "--workspace", str(ws.path), "--root", str(root),
                         "run", "report.ipynb", "-p", "n", PARAMETER, "--wait"], root, env)

    statuses = []

    def in_process() -> float:
        started = time.perf_counter()
        run = ws.jobs.wait(ws.jobs.run("report.ipynb", {"n": PARAMETER}), timeout=WAIT)
        elapsed = (time.perf_counter() - started) * 1000
        statuses.append(run.status)
        return elapsed

    samples = rounds({"papermill": papermill, "mlworkbench_run": cli,
                      "jobs_run": in_process}, runs)
    result = {name: summarise(values) for name, values in samples.items()}
    base = result["papermill"]["median_ms"]
    for name in ("mlworkbench_run", "jobs_run"):
        result[f"{name}_ratio"] = round(result[name]["median_ms"] / base, 3)
    result["samples_ms"] = {k: [round(v) for v in vs] for k, vs in samples.items()}
    result["all_succeeded"] = all(s == "succeeded" for s in statuses)
    result["target"] = OVERHEAD_TARGET
    result["target_met"] = max(result["mlworkbench_run_ratio"],
                               result["jobs_run_ratio"]) <= OVERHEAD_TARGET
    return result


def _command(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def firing(ws, root: Path, firings: int) -> dict:
    """Part 2: an every-minute job fired by a scheduler thread; lateness of each firing."""
    from mlworkbench.core.jobs.scheduler import SchedulerThread

    _notebook(root / "minutely.ipynb")
    job = ws.jobs.definitions.create("minutely", "minutely.ipynb", schedule="* * * * *",
                                     catch_up="skip")
    thread = SchedulerThread(ws, interval=1.0).start()  # the server extension's default
    try:
        end = time.monotonic() + 75 * firings + WAIT
        while True:
            runs = [r for r in ws.jobs.list_runs(job_id=job.id) if r.started_at]
            if len(runs) >= firings or time.monotonic() > end:
                break
            time.sleep(1.0)
    finally:
        thread.stop()
        ws.jobs.definitions.pause("minutely")
    late = sorted((r.started_at - r.scheduled_for).total_seconds() for r in runs[:firings])
    for run in runs:
        ws.jobs.wait(run.id, timeout=WAIT)
    return {"firings": len(late), "late_s": [round(x, 3) for x in late],
            "max_s": round(max(late), 3) if late else None,
            "median_s": round(statistics.median(late), 3) if late else None,
            "target_s": FIRING_TARGET_S,
            "target_met": bool(late) and max(late) <= FIRING_TARGET_S}


def queued(ws, root: Path, count: int) -> dict:
    """Part 3: ``count`` due fire times of one job with overlap 'queue' and catch-up 'all'."""
    from mlworkbench.core.jobs.rows import JobRow
    from mlworkbench.core.jobs.scheduler import SchedulerThread
    from mlworkbench.core.workspace.store import utcnow

    _notebook(root / "queued.ipynb")
    job = ws.jobs.definitions.create("queued", "queued.ipynb", schedule="0 0 1 1 *",
                                     catch_up="all", overlap="queue", paused=True)
    year = utcnow().year
    with ws.jobs.runs._write() as session:  # the last ``count`` New Years are due, none soon
        row = session.get(JobRow, job.id)
        row.last_fired_for = row.created_at.replace(year=year - count + 1, month=1, day=1, hour=0,
                                                    minute=0, second=0, microsecond=0) \
            - timedelta(seconds=1)
        row.paused = False
    started = time.perf_counter()
    thread = SchedulerThread(ws, interval=1.0).start()
    try:
        end = time.monotonic() + WAIT * 3
        while time.monotonic() < end:
            runs = ws.jobs.list_runs(job_id=job.id, limit=count * 2)
            if len(runs) >= count and all(r.finished for r in runs):
                break
            time.sleep(0.2)
        total_s = time.perf_counter() - started
    finally:
        thread.stop()
    runs = ws.jobs.list_runs(job_id=job.id, limit=count * 2)
    moments = {r.scheduled_for for r in runs}
    took = [r.duration for r in runs if r.duration is not None]
    gaps = sorted(runs, key=lambda r: r.id)
    between = [(b.started_at - a.ended_at).total_seconds() for a, b in zip(gaps, gaps[1:])
               if a.ended_at and b.started_at]
    return {"due": count, "runs": len(runs), "distinct_fire_times": len(moments),
            "succeeded": sum(r.status == "succeeded" for r in runs),
            "lost": count - len(moments), "duplicated": len(runs) - len(moments),
            "total_s": round(total_s, 2),
            "run_median_s": round(statistics.median(took), 3) if took else None,
            "gap_median_s": round(statistics.median(between), 3) if between else None,
            "ok": len(runs) == len(moments) == count and all(
                r.status == "succeeded" for r in runs)}


def part_jobs(*, quick: bool, workdir: Path, runs: int | None = None) -> dict:
    """Parts 1-3 in a fresh workspace under ``workdir``."""
    from mlworkbench.core import Workspace

    root = workdir / "jobs-root"
    root.mkdir(parents=True, exist_ok=True)
    result: dict = {"quick": quick}
    with Workspace.open(root / ".mlworkbench", root_dir=root) as ws:
        print("  j1. run overhead beside raw papermill", flush=True)
        result["overhead"] = overhead(ws, root, runs or (3 if quick else 5))
        print("  j2. scheduler firing accuracy (waits for whole minutes)", flush=True)
        result["firing"] = firing(ws, root, 1 if quick else 3)
        count = 10 if quick else 50
        print(f"  j3. {count} queued runs", flush=True)
        result["queued"] = queued(ws, root, count)
    result["load_average"] = os.getloadavg()
    return result


def render(result: dict) -> str:
    o, f, q = result["overhead"], result["firing"], result["queued"]
    ok = {True: "met", False: "MISSED"}
    lines = [f"j. Notebook jobs: one small notebook, median of {o['papermill']['runs']} "
             "alternating runs",
             f"  {'way':<34}{'median ms':>10}{'ratio':>8}",
             f"  {'papermill in out -p n ...':<34}{o['papermill']['median_ms']:>10.0f}"
             f"{1.0:>8.2f}",
             f"  {'mlworkbench run ... --wait':<34}{o['mlworkbench_run']['median_ms']:>10.0f}"
             f"{o['mlworkbench_run_ratio']:>8.2f}",
             f"  {'ws.jobs.run + wait (the panel)':<34}{o['jobs_run']['median_ms']:>10.0f}"
             f"{o['jobs_run_ratio']:>8.2f}",
             f"  target <= {o['target']}x -> {ok[o['target_met']]}",
             f"  scheduler firing: started_at - cron time over {f['firings']} firing(s): "
             f"max {f['max_s']} s, median {f['median_s']} s (target <= {f['target_s']:g} s -> "
             f"{ok[bool(f['target_met'])]})",
             f"  {q['due']} queued runs: {q['runs']} runs, {q['distinct_fire_times']} distinct "
             f"fire times, {q['succeeded']} succeeded, lost {q['lost']}, duplicated "
             f"{q['duplicated']}, {q['total_s']} s in all (a run {q['run_median_s']} s, gap "
             f"{q['gap_median_s']} s) -> {ok[q['ok']]}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, 1 firing, 10 runs")
    parser.add_argument("--runs", type=int, default=None, help="rounds of part 1")
    parser.add_argument("--out", type=Path, help="also write the numbers here (JSON)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mlwb-bench-jobs-") as tmp:
        result = part_jobs(quick=args.quick, workdir=Path(tmp), runs=args.runs)
    print(render(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
