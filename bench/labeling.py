"""Part f: the Label Studio bridge against a real Label Studio server, beside the raw SDK.

f1. push 10,000 tasks: ``Studio.push`` (items read from DuckDB, only new keys, batches, the task
    map written) vs one raw ``projects.import_tasks`` of the same task dicts (built beforehand,
    outside the timing), six rounds into fresh projects in turned order, medians (and each
    round's ratio, to see the spread: on a busy machine one import can take twice another).
    Target: mlworkbench's rate >= 0.9x the raw rate.
f2. pull 10,000 annotations: ``Studio.pull`` (export, parse, one record_many into the label set,
    the task map) vs the raw export (``exports.download_sync`` JSON + ``json.loads``). Target:
    >= 1x the raw rate. The annotations are made by importing tasks with inline annotations
    (one annotation per call would take ~15 minutes).
f3. an incremental pull after 100 new annotations (made with ``annotations.create``). Target:
    under 2 s.
f2 and f3 run once (a 10,000-task import cannot be repeated into the same project); raw and
mlworkbench go into separate fresh projects; times are reported, never asserted.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

TARGETS = {"push_ratio": 0.9, "pull_ratio": 1.0, "incremental_s": 2.0}
PUSH_ROUNDS = 6
QUICK_ITEMS = 500
ITEMS = 10_000


def _items_csv(path: Path, n: int) -> Path:
    with path.open("w") as f:
        f.write("id,body\n")
        for i in range(n):
            f.write(f"it{i:06d},item {i}: a short review of product {i % 97} that was fine\n")
    return path


def _annotated(items: list[dict], label: str) -> list[dict]:
    from mlworkbench.core.labeling.studio_config import choice_result

    return [{"data": data, "annotations": [{"result": choice_result([label])}]} for data in items]


def part_f(quick: bool = False, workdir: Path | None = None, *, url: str | None = None,
           api_key: str | None = None) -> dict:
    """Run f1-f3 against a fresh Label Studio server (or the running one at ``url`` with
    ``api_key``: its projects are left there); return the figures."""
    from mlworkbench.core import Workspace
    from mlworkbench.core.labeling.studio import WATERMARK_OVERLAP, Studio
    from mlworkbench.core.labeling.studio_config import TaskBuilder, choice_result
    from mlworkbench.schemas import RegisterSourceRequest
    from mlworkbench.testing.labelstudio import LabelStudioServer

    n = QUICK_ITEMS if quick else ITEMS
    with tempfile.TemporaryDirectory(prefix="mlworkbench-bench-ls-", dir=workdir) as tmp:
        tmp = Path(tmp)
        server = None
        startup_s = None
        if url is None:
            print("  f. starting Label Studio", flush=True)
            started = time.perf_counter()
            server = LabelStudioServer.start(tmp / "ls", timeout=300)
            startup_s = round(time.perf_counter() - started, 1)
            url, api_key = server.url, server.token
        ws = Workspace.open(tmp / "ws", root_dir=tmp)
        try:
            studio = Studio(ws.labels, tmp, url=url, api_key=api_key)
            _items_csv(tmp / "items.csv", n)
            ws.catalog.register_source(RegisterSourceRequest(path=str(tmp / "items.csv"),
                                                             name="items"))
            rounds = 1 if quick else PUSH_ROUNDS
            push_sets = [f"push_set_{i}" for i in range(rounds)]
            for name in [*push_sets, "pull_set"]:
                ws.labels.create(name, "SELECT * FROM items", key="id", choices=["pos", "neg"],
                                 show=["body"], kind="text")
            sdk = studio.client().sdk
            rows = ws.query("SELECT CAST(id AS VARCHAR) AS item_key, body FROM items "
                            "ORDER BY id").to_dict("records")
            builder = TaskBuilder("text", ["body"], tmp)
            tasks = [builder.data(r["item_key"], r) for r in rows]
            config = sdk.projects.get(studio.connect(push_sets[0]).project_id).label_config

            # f1: push, rounds in turned order (raw first, then mlworkbench first, ...): the
            # server's database grows with every import, so a fixed order would favour one side.
            print(f"  f1. push {n:,} tasks ({rounds} rounds)", flush=True)
            raw_times: list[float] = []
            our_times: list[float] = []
            for i, name in enumerate(push_sets):
                raw_project = sdk.projects.create(title=f"raw push {i}", label_config=config).id
                studio.connect(name)

                def raw_import(project=raw_project):
                    t0 = time.perf_counter()
                    sdk.projects.import_tasks(project, request=tasks, return_task_ids=True)
                    raw_times.append(time.perf_counter() - t0)

                def our_push(name=name):
                    t0 = time.perf_counter()
                    done = studio.push(name)
                    our_times.append(time.perf_counter() - t0)
                    return done

                if i % 2 == 0:
                    raw_import()
                    pushed = our_push()
                else:
                    pushed = our_push()
                    raw_import()
            raw_push, ours_push = statistics.median(raw_times), statistics.median(our_times)
            again = studio.push(push_sets[0])

            # f2: pull (annotations made by importing annotated tasks, not timed)
            print(f"  f2. pull {n:,} annotations", flush=True)
            pull_project = studio.connect("pull_set").project_id
            t0 = time.perf_counter()
            annotated = _annotated(tasks, "pos")
            for start in range(0, n, 5000):
                sdk.projects.import_tasks(pull_project, request=annotated[start:start + 5000])
            setup_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            raw = json.loads(b"".join(sdk.projects.exports.download_sync(
                pull_project, export_type="JSON")))
            raw_pull = time.perf_counter() - t0
            raw_annotations = sum(len(t["annotations"]) for t in raw)
            t0 = time.perf_counter()
            pulled = studio.pull("pull_set")
            ours_pull = time.perf_counter() - t0
            in_table = int(ws.query("SELECT count(*) AS n FROM pull_set")["n"][0])

            # f3: incremental pull of 100 new annotations
            k = 100
            print(f"  f3. incremental pull of {k} new annotations", flush=True)
            task_ids = [t["id"] for t in raw[:k]]
            time.sleep(WATERMARK_OVERLAP.total_seconds() + 0.1)  # changes past the watermark
            for task_id in task_ids:
                sdk.annotations.create(id=task_id, result=choice_result(["neg"]))
            t0 = time.perf_counter()
            incremental = studio.pull("pull_set")
            incremental_s = time.perf_counter() - t0
        finally:
            ws.close()
            if server is not None:
                server.stop()
    push_ratio = raw_push / ours_push
    pull_ratio = raw_pull / ours_pull
    return {
        "items": n,
        "label_studio_startup_s": startup_s,
        "push": {
            "rounds": len(raw_times), "raw_samples_s": raw_times, "mlworkbench_samples_s": our_times,
            "raw_s": raw_push, "mlworkbench_s": ours_push,
            "raw_rate": n / raw_push, "mlworkbench_rate": n / ours_push,
            "ratio": push_ratio, "pushed": pushed.pushed, "pushed_again": again.pushed,
            "round_ratios": [raw / ours for raw, ours in zip(raw_times, our_times)],
            "target_met": push_ratio >= TARGETS["push_ratio"],
        },
        "pull": {
            "setup_s": setup_s, "raw_s": raw_pull, "mlworkbench_s": ours_pull,
            "raw_annotations": raw_annotations, "annotations": pulled.annotations,
            "written": pulled.written, "rows_in_label_set": in_table,
            "raw_rate": raw_annotations / raw_pull, "mlworkbench_rate": pulled.annotations / ours_pull,
            "ratio": pull_ratio, "target_met": pull_ratio >= TARGETS["pull_ratio"],
        },
        "incremental": {
            "new_annotations": k, "seconds": incremental_s, "incremental": incremental.incremental,
            "tasks_read": incremental.tasks_read, "written": incremental.written,
            "target_met": incremental_s < TARGETS["incremental_s"] and incremental.written == k,
        },
        "targets": TARGETS,
    }


def render_f(f: dict) -> str:
    """Part f as text."""
    p, q, i = f["push"], f["pull"], f["incremental"]
    ok = lambda met: "ok" if met else "MISSED"  # noqa: E731
    return "\n".join([
        f"f. Label Studio bridge ({f['items']:,} items; "
        + (f"server start {f['label_studio_startup_s']} s)" if f["label_studio_startup_s"]
           is not None else "a running server)"),
        f"  f1 push:  raw SDK import {p['raw_s']:.2f} s ({p['raw_rate']:,.0f}/s), mlworkbench "
        f"{p['mlworkbench_s']:.2f} s ({p['mlworkbench_rate']:,.0f}/s): {p['ratio']:.2f}x the raw "
        f"rate (target >= {f['targets']['push_ratio']}x) {ok(p['target_met'])}; pushing again "
        f"added {p['pushed_again']} (medians of {p['rounds']} rounds; each round "
        f"{min(p['round_ratios']):.2f}-{max(p['round_ratios']):.2f}x)",
        f"  f2 pull:  raw export {q['raw_s']:.2f} s ({q['raw_rate']:,.0f}/s), mlworkbench "
        f"{q['mlworkbench_s']:.2f} s ({q['mlworkbench_rate']:,.0f}/s): {q['ratio']:.2f}x the raw "
        f"rate (target >= {f['targets']['pull_ratio']}x) {ok(q['target_met'])}; "
        f"{q['rows_in_label_set']:,} labels in the label set",
        f"  f3 incremental pull of {i['new_annotations']} new annotations: {i['seconds']:.2f} s "
        f"(read {i['tasks_read']} tasks, wrote {i['written']}; target < "
        f"{f['targets']['incremental_s']} s) {ok(i['target_met'])}",
    ])


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = part_f(quick="--quick" in sys.argv)
    print(render_f(result))
    print(json.dumps(result, indent=1, default=str))
