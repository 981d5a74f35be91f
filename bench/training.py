"""Part h: training. mlworkbench's ``train()`` beside FLAML's ``AutoML.fit`` at the same budget,
and beside a default ``HistGradientBoosting*``, on the same train/test split and metric.

Datasets (``bench.training_data``): scikit-learn's bundled breast_cancer, digits, wine and
diabetes, and generated mixed tables (numbers, categories, free text) of 100,000 and 1,000,000
rows. Each contender runs in a fresh process of its own, one after the other on the same
dataset, and is scored on the same held-out 25 %:

- ours: ``train(train_rows, "target", metric=..., budget_s=B)``, its best pipeline scored on
  the test rows; time to best is when the search first reached its final best score (plus the
  feature report before the search);
- FLAML: ``AutoML().fit(X, y, metric=..., time_budget=B, seed=0)`` with its default estimators,
  in the interpreter that has FLAML (this one, or ``.venv-bench``: FLAML is in the ``bench``
  extra only); time to best is its ``time_to_find_best_model``;
- default boosting: skrub's ``tabular_pipeline(HistGradientBoosting*())`` (native categories,
  ``StringEncoder`` for high-cardinality strings and text: the minimal preprocessing a default
  model needs), fitted with one thread (the same model as with more: a busy machine's spinning
  OpenMP threads only slow it down).

Metrics: ROC AUC (binary), accuracy (multiclass), R² (regression); higher is better for all.
Scores are reported side by side; the target (ours >= FLAML and > boosting on every dataset)
is reported, never asserted. ``python bench/training.py --budget 10 --datasets small`` runs a
quick pass alone; ``python bench/run.py --parts h`` runs it with the other parts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write  # noqa: E402
from bench.training_data import LARGE, SMALL, load  # noqa: E402

BUDGET_S = 60
CONTENDERS = ("ours", "flaml", "hgb")
LABELS = {"ours": "mlworkbench", "flaml": "FLAML", "hgb": "default HGB"}
VERDICTS = {True: "met", False: "MISSED", None: "n/a"}


def part_h(*, budget_s: float = BUDGET_S, datasets: list[str] | None = None,
           contenders: tuple[str, ...] = CONTENDERS, workdir: Path | None = None,
           in_process: bool = False) -> dict:
    """Run every contender on every dataset; return the scores, times and ratios.

    ``in_process`` runs ours and the default boosting in this process (a smoke test's
    shortcut: no interpreter to start); FLAML always gets a process of its own."""
    datasets = datasets or [*SMALL, *LARGE]
    flaml_python = _flaml_python() if "flaml" in contenders else None
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mlworkbench-bench-training-", dir=workdir) as tmp:
        for name in datasets:
            data = load(name)
            folder = Path(tmp) / name
            folder.mkdir()
            data.train.to_parquet(folder / "train.parquet")
            data.test.to_parquet(folder / "test.parquet")
            meta = {"name": name, "task": data.task, "metric": data.metric,
                    "target": data.target}
            (folder / "meta.json").write_text(json.dumps(meta))
            row = {**meta, "train_rows": len(data.train), "test_rows": len(data.test),
                   "columns": data.train.shape[1] - 1, "load_before": os.getloadavg()}
            for who in contenders:
                python = flaml_python if who == "flaml" else sys.executable
                if python is None:
                    row[who] = {"skipped": "FLAML is not installed (make bench installs it in "
                                           ".venv-bench)"}
                    continue
                print(f"  h. {name}: {LABELS[who]} ({budget_s:g} s)", flush=True)
                if in_process and who != "flaml":
                    _worker(who, folder, budget_s, folder / f"{who}.json")
                    row[who] = json.loads((folder / f"{who}.json").read_text())
                else:
                    row[who] = _contender(python, who, folder, budget_s)
            _compare(row)
            rows.append(row)
    scored = [r for r in rows if "met" in r]
    return {"budget_s": budget_s, "datasets": rows, "load_before": load_before,
            "load_after": os.getloadavg(), "flaml_python": flaml_python,
            "target_met": all(r["met"] for r in scored) if scored else None}


def _flaml_python() -> str | None:
    if find_spec("flaml") is not None:
        return sys.executable
    bench_python = ROOT / ".venv-bench" / "bin" / "python"
    if bench_python.exists():
        check = subprocess.run([str(bench_python), "-c", "import flaml"], capture_output=True)
        if check.returncode == 0:
            return str(bench_python)
    return None


def _contender(python: str, who: str, folder: Path, budget_s: float) -> dict:
    out = folder / f"{who}.json"
    started = time.perf_counter()
    run = subprocess.run([python, str(Path(__file__).resolve()), "--worker", who,
                          "--dir", str(folder), "--budget", str(budget_s), "--out", str(out)],
                         capture_output=True, text=True, timeout=budget_s * 10 + 600, cwd=ROOT)
    if run.returncode != 0 or not out.exists():
        return {"error": (run.stderr or run.stdout)[-1500:]}
    return {**json.loads(out.read_text()), "process_s": time.perf_counter() - started}


def _compare(row: dict) -> None:
    ours, flaml, hgb = (row.get(k, {}).get("score") for k in CONTENDERS)
    if ours is None or flaml is None and hgb is None:  # nothing to compare: the target is n/a
        return
    if flaml is not None:
        row["ours_flaml_ratio"] = ours / flaml if flaml else None
        row["ours_minus_flaml"] = ours - flaml
    if hgb is not None:
        row["ours_hgb_ratio"] = ours / hgb if hgb else None
        row["ours_minus_hgb"] = ours - hgb
    # Better than a perfect score is impossible: a tie there counts (wine's 45 test rows).
    row["met"] = (flaml is None or ours >= flaml) and (hgb is None or ours > hgb or ours == 1.0)


def render_h(h: dict) -> str:
    lines = [f"h. Training at a {h['budget_s']:g} s budget: test score (time to best / wall s), "
             f"each in its own process on the same split; load {h['load_before'][0]:.1f} -> "
             f"{h['load_after'][0]:.1f}"]  # fmt: skip
    header = (f"  {'dataset':<15}{'rows':>10}{'metric':>10}{'mlworkbench':>22}{'FLAML':>22}"
              f"{'default HGB':>22}{'ours/FLAML':>12}{'ours/HGB':>10}  target")
    lines += [header, "  " + "-" * (len(header) - 2)]
    for row in h["datasets"]:
        cells = "".join(f"{_cell(row.get(k, {})):>22}" for k in CONTENDERS)
        ratios = "".join(f"{row[k]:>11.4f}x" if row.get(k) else f"{'n/a':>12}"
                         for k in ("ours_flaml_ratio", "ours_hgb_ratio"))
        lines.append(f"  {row['name']:<15}{row['train_rows']:>10,}{row['metric']:>10}{cells}"
                     f"{ratios}  {VERDICTS[row.get('met')]}")
    for row in h["datasets"]:
        for who in CONTENDERS:
            problem = row.get(who, {}).get("error") or row.get(who, {}).get("skipped")
            if problem:
                lines.append(f"  {row['name']} {LABELS[who]}: {problem.strip().splitlines()[-1]}")
    lines.append("  target: mlworkbench >= FLAML and > default HGB on every dataset -> "
                 + VERDICTS[h["target_met"]])
    return "\n".join(lines)


def _cell(result: dict) -> str:
    if "score" not in result:
        return "skipped" if "skipped" in result else "error" if "error" in result else "not run"
    return (f"{result['score']:.4f} ({result['time_to_best_s']:.0f}/"
            f"{result['wall_s']:.0f})")


# -- the workers, one process per contender ---------------------------------------------------
def _worker(who: str, folder: Path, budget_s: float, out: Path) -> None:
    import pandas as pd

    meta = json.loads((folder / "meta.json").read_text())
    train = pd.read_parquet(folder / "train.parquet")
    test = pd.read_parquet(folder / "test.parquet")
    target, task, metric = meta["target"], meta["task"], meta["metric"]
    X_test, y_test = test.drop(columns=[target]), test[target]
    _import(who)  # imports are not part of the search: a kernel or worker has them loaded
    started = time.perf_counter()
    result = {"ours": _ours, "flaml": _flaml, "hgb": _hgb}[who](train, target, task, metric,
                                                               budget_s)
    model = result.pop("model")
    result["wall_s"] = time.perf_counter() - started
    result["score"] = score(metric, model, X_test, y_test)
    out.write_text(json.dumps(result, default=str))


def _import(who: str) -> None:
    import sklearn.ensemble  # noqa: F401
    import skrub  # noqa: F401

    if who == "flaml":
        import flaml  # noqa: F401
    elif who == "ours":
        import mlworkbench.core.training.search  # noqa: F401


def _ours(train, target, task, metric, budget_s) -> dict:
    from mlworkbench.core.training import train as train_model

    seen: list[tuple[float, float | None]] = []
    result = train_model(train, target, task=task, metric=metric, budget_s=budget_s,
                         progress=lambda p: seen.append((p.elapsed_s, p.best_score)))
    best = result.best.score
    found = next((elapsed for elapsed, s in seen if s == best), seen[-1][0] if seen else 0.0)
    return {"model": result.pipeline, "best": result.best.label, "params": result.best.params,
            "cv_score": best, "trials": len(result.search.trials),
            "time_to_best_s": result.timings["features_s"] + found, "timings": result.timings,
            "stopped_by": result.search.stopped_by, "cv_rows": result.search.cv_rows,
            "baseline_s": round(result.search.baseline_s, 3), "message": result.message}


def _flaml(train, target, task, metric, budget_s) -> dict:
    from flaml import AutoML

    automl = AutoML()
    automl.fit(train.drop(columns=[target]), train[target],
               task="regression" if task == "regression" else "classification", metric=metric,
               time_budget=budget_s, seed=0, verbose=0)
    return {"model": automl, "best": automl.best_estimator, "params": automl.best_config,
            "time_to_best_s": automl.time_to_find_best_model,
            "cv_score": 1 - automl.best_loss}


def _hgb(train, target, task, metric, budget_s) -> dict:
    import skrub
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    model = skrub.tabular_pipeline(HistGradientBoostingRegressor() if task == "regression"
                                   else HistGradientBoostingClassifier())
    started = time.perf_counter()
    with threadpool_limits(1):
        model.fit(train.drop(columns=[target]), train[target])
    return {"model": model, "best": "HistGradientBoosting (defaults)",
            "time_to_best_s": time.perf_counter() - started}


def score(metric: str, model, X, y) -> float:
    """The test score of a fitted model (anything with predict / predict_proba and classes_)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        if metric == "roc_auc":
            proba = np.asarray(model.predict_proba(X))
            positive = list(model.classes_)[1]
            return float(roc_auc_score(np.asarray(y) == positive, proba[:, 1]))
        predicted = np.asarray(model.predict(X))
    if metric == "accuracy":
        return float(accuracy_score(np.asarray(y), predicted))
    return float(r2_score(np.asarray(y, dtype=float), predicted.astype(float)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per search")
    parser.add_argument("--datasets", default="all",
                        help="all, small, large, or names separated by commas")
    parser.add_argument("--contenders", default=",".join(CONTENDERS),
                        help="which of ours, flaml, hgb to run (default: all three)")
    parser.add_argument("--out", type=Path, default=None, help="JSON results file")
    parser.add_argument("--in-process", action="store_true",
                        help="run ours and the default boosting in this process (faster start)")
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.dir, args.budget, args.out)
        return 0
    results = part_h(budget_s=args.budget, datasets=dataset_names(args.datasets),
                     contenders=tuple(c for c in args.contenders.split(",") if c),
                     in_process=args.in_process)
    print(render_h(results))
    if args.out:
        write(results, args.out)
    return 0


def dataset_names(spec: str) -> list[str]:
    """``all``, ``small``, ``large`` or comma-separated names, as a list of dataset names."""
    groups = {"all": [*SMALL, *LARGE], "small": list(SMALL), "large": list(LARGE)}
    if spec in groups:
        return groups[spec]
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in SMALL and n not in LARGE]
    if unknown:
        raise SystemExit(f"Unknown datasets {unknown}; pick from {[*SMALL, *LARGE]}")
    return names


if __name__ == "__main__":
    sys.exit(main())
