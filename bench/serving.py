"""predict() in SQL beside the pipeline's own predict on the same rows already in memory.

A model is trained (``ws.training``, its own process) on a 20,000-row sample of a generated
table (two numbers, a category), published, and then scores the whole table (1,000,000 rows by
default) two ways in this process:

- in memory: the rows fetched once into a pandas DataFrame (not timed), then
  ``pipeline.predict(frame)`` timed, once with the default threads and once with one OpenMP
  thread; the faster of the two is the baseline;
- SQL: ``SELECT predict('bench@1', *) AS p FROM big`` through ``prepare_predict`` (the model
  loaded once per query, the signature checked per batch), counted per label so every
  prediction is computed and none is sent back to Python; once streamed (``sql_stream``:
  batches of 131,072 rows) and once with the function DuckDB calls per 2,048-row vector.

The issue's target is SQL throughput >= 0.8x the in-memory baseline (the streamed way is the
one ``SELECT *, predict(...) FROM t`` takes); it is reported, never asserted.
``python bench/serving.py --rows 1000000`` runs it on its own; ``bench/run.py`` runs it as part i.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 0.8
TABLE = """
    SELECT i AS id, ['basic', 'plus', 'pro'][i % 3 + 1] AS plan, (i * 7 % 97) AS tenure,
           (hash(i) % 1000) / 100.0 AS usage,
           CASE WHEN (hash(i) % 1000) / 100.0 + (i * 7 % 97) / 10.0 > 10 THEN 'yes'
                ELSE 'no' END AS churned
    FROM range({rows}) t(i)
"""


def part_serving_sql(rows: int, workdir: Path) -> dict:
    """Train, publish, and time both ways of scoring ``rows`` rows; return the numbers."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from mlworkbench.core import Workspace
    from mlworkbench.core.serving.sql_predict import prepare_predict

    ws = Workspace.open(workdir / ".mlworkbench", root_dir=workdir, memory_limit="2GB")
    try:
        ws.tables.save_query("big", TABLE.format(rows=rows))
        run_id = ws.training.start(
            sql="SELECT plan, tenure, usage, churned FROM big USING SAMPLE 20000 ROWS",
            target="churned", budget_s=20, experiment="bench")
        described = ws.training.wait(run_id)
        if described.status != "finished":
            raise SystemExit(f"training failed: {described.error}")
        ws.registry.publish(run_id, "bench")
        model = ws.registry.load("bench@1")

        cursor = ws.engine.cursor()
        frame = cursor.execute("SELECT plan, tenure, usage FROM big").df()
        started = time.perf_counter()
        model.pipeline.predict(frame)
        default_s = time.perf_counter() - started
        with threadpool_limits(1, user_api="openmp"):
            started = time.perf_counter()
            expected = model.pipeline.predict(frame)
            one_thread_s = time.perf_counter() - started
        memory_s = min(default_s, one_thread_s)

        values, numbers = np.unique(expected, return_counts=True)
        want = {str(v): int(n) for v, n in zip(values, numbers, strict=True)}
        timings, loads, same = {}, [], {}

        def load(ref: str):
            loads.append(ref)
            return ws.registry.load(ref)

        for way, stream in (("streamed", True), ("per_vector", False)):
            started = time.perf_counter()
            with prepare_predict(cursor, "SELECT predict('bench@1', *) AS p FROM big", load,
                                 stream=stream) as prepared:
                counts = dict(cursor.execute(
                    f"SELECT p, count(*) FROM ({prepared.sql}) GROUP BY p").fetchall())
            timings[way] = time.perf_counter() - started
            same[way] = counts == want
        cursor.close()
    finally:
        ws.close()
    return {"rows": rows,
            "memory_default_threads_s": round(default_s, 3),
            "memory_one_thread_s": round(one_thread_s, 3),
            "memory_rows_per_s": round(rows / memory_s),
            **{f"sql_{way}_s": round(s, 3) for way, s in timings.items()},
            **{f"sql_{way}_rows_per_s": round(rows / s) for way, s in timings.items()},
            **{f"ratio_{way}": round(memory_s / s, 3) for way, s in timings.items()},
            "ratio": round(memory_s / timings["streamed"], 3), "target": TARGET,
            "met": memory_s / timings["streamed"] >= TARGET, "same_predictions": same,
            "model_loads": len(loads), "load_average": os.getloadavg()}


def render(result: dict) -> str:
    verdict = "met" if result["met"] else "MISSED"
    return "\n".join([
        f"predict() in SQL over {result['rows']:,} rows",
        f"  in memory   {result['memory_rows_per_s']:>12,} rows/s  (default threads "
        f"{result['memory_default_threads_s']} s, one thread {result['memory_one_thread_s']} s)",
        *[f"  SQL {way:<10} {result[f'sql_{way}_rows_per_s']:>9,} rows/s  "
          f"({result[f'sql_{way}_s']} s, {result[f'ratio_{way}']:.2f}x, same predictions: "
          f"{result['same_predictions'][way]})" for way in ("streamed", "per_vector")],
        f"  models loaded {result['model_loads']}x (once per query)",
        f"  ratio       {result['ratio']:.2f}x  (target >= {TARGET}x: {verdict}; load "
        f"{result['load_average'][0]:.1f})"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlwb-bench-serving-") as tmp:
        result = part_serving_sql(args.rows, Path(tmp))
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
