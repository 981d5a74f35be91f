"""Fitted pipelines of runs as skops files: saved crash-safe, loaded only when unaltered and
trusted; runs written by several processes at once."""

from __future__ import annotations

import io
import json
import os
import subprocess

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from mlworkbench.core.errors import ConflictError, NotFoundError
from mlworkbench.core.experiments import ArtifactAlteredError, UntrustedTypesError
from tests.core.conftest import python


def double(x):
    """A function of this test module: not a type loading trusts by default."""
    return x * 2


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def files_of(ws, run_id):
    folder = ws.experiments.run_folder(run_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_artifact_saves_loads_and_predicts_identically(ws, data):
    X, y = data
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    with ws.experiments.start_run() as run:
        second = run.log_artifact(make_pipeline(LogisticRegression(C=0.1)).fit(X, y), "lr", rank=2)
        best = run.log_artifact(model, "best model", rank=1, score=np.float64(0.93))
    assert (best.kind, best.rank, best.score, best.needs_trust) == ("pipeline", 1, 0.93, [])
    assert os.path.basename(best.path).startswith("best_model-") and best.path.endswith(".skops")
    assert [a.name for a in run.record().artifacts] == ["best model", "lr"]  # best rank first
    loaded = ws.experiments.load_artifact(run.id)  # the best ranked by default
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert type(run.load_artifact("lr")[-1]) is LogisticRegression
    assert json.loads(json.dumps(second.to_dict()))["size"] == os.path.getsize(second.path)
    with pytest.raises(NotFoundError, match="no artifact named 'nope' \\(its artifacts: best model, lr\\)"):
        run.load_artifact("nope")


def test_a_skrub_pipeline_loads_without_naming_any_type(ws):
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from skrub import TableVectorizer

    frame = pd.DataFrame({"n": [1.0, 2.0, None, 4.0] * 5, "city": ["a", "b", "c", "a"] * 5})
    target = [0, 1] * 10
    model = make_pipeline(TableVectorizer(), HistGradientBoostingClassifier(max_iter=3))
    model.fit(frame, target)
    with ws.experiments.start_run() as run:
        saved = run.log_artifact(model, "hgb")
    assert saved.untrusted_types and saved.needs_trust == []  # skrub's types, trusted by default
    assert np.array_equal(run.load_artifact().predict_proba(frame), model.predict_proba(frame))


def test_a_pipeline_from_the_training_engine_loads_without_naming_any_type(ws):
    import pandas as pd

    from mlworkbench.core.training import train

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "n": rng.normal(size=120), "city": rng.choice(["a", "b", "c"], 120),
        "note": [f"item {i} was {'good' if i % 2 else 'bad'}" for i in range(120)],
    })
    frame["y"] = (frame["n"] > 0).astype(int)
    result = train(frame, "y", budget_s=0, n_jobs=1)
    with ws.experiments.start_run() as run:
        saved = run.log_artifact(result.pipeline, "model", rank=1)
    assert saved.needs_trust == []  # the engine's own converters are trusted as it lists them
    features = frame.drop(columns="y")
    assert np.array_equal(run.load_artifact().predict(features), result.pipeline.predict(features))


def test_an_altered_file_and_untrusted_types_are_refused(ws, data):
    X, y = data
    custom = make_pipeline(FunctionTransformer(double), LogisticRegression()).fit(X, y)
    with ws.experiments.start_run() as run:
        plain = run.log_artifact(LogisticRegression().fit(X, y), "plain")
        odd = run.log_artifact(custom, "custom")
        with pytest.raises(ConflictError, match="already has an artifact named 'plain'"):
            run.log_artifact(LogisticRegression().fit(X, y), "plain")
    name = f"{__name__}.double"
    assert odd.needs_trust == [name]
    with pytest.raises(UntrustedTypesError) as refused:
        run.load_artifact("custom")
    assert refused.value.types == [name] and name in refused.value.message
    assert refused.value.status == 422
    loaded = run.load_artifact("custom", trusted=[name])
    assert np.array_equal(loaded.predict(X), custom.predict(X))
    with open(plain.path, "r+b") as file:  # flip one byte
        file.seek(40)
        byte = file.read(1)
        file.seek(40)
        file.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ArtifactAlteredError, match="altered after it was written") as altered:
        run.load_artifact("plain")
    assert altered.value.status == 409
    os.unlink(plain.path)
    with pytest.raises(NotFoundError, match="is missing"):
        run.load_artifact("plain")


def test_a_failing_write_marks_the_run_failed_and_leaves_no_file(ws, data):
    X, y = data
    unsaveable = FunctionTransformer(kw_args={"buffer": io.BytesIO(b"x")}).fit(X)
    with pytest.raises(TypeError):
        with ws.experiments.start_run() as run:
            run.log_artifact(LogisticRegression().fit(X, y), "good")
            run.log_artifact(unsaveable, "bad")
    record = run.record()
    assert record.status == "failed" and "TypeError" in record.error
    assert [a.name for a in record.artifacts] == ["good"]
    assert files_of(ws, run.id) == [os.path.basename(record.artifacts[0].path)]  # no temp file
    with pytest.raises(ConflictError, match="has ended"):
        run.log_artifact(LogisticRegression().fit(X, y), "late")
    ws.experiments.delete_run(run.id)
    assert not ws.experiments.run_folder(run.id).exists()


def test_a_process_killed_mid_write_registers_no_half_file(ws, root):
    run = ws.experiments.start_run()
    dying = python(
        f"""
        import os
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from mlworkbench.core import Workspace
        ws = Workspace.open({str(root / '.mlworkbench')!r}, root_dir={str(root)!r})
        killed = ws.experiments.start_run("killed")
        print(killed.id, flush=True)
        model = LogisticRegression().fit(np.eye(4), [0, 1, 0, 1])
        ws.experiments.run({run.id}, adopt=True).log_artifact(model, "mine")
        os.replace = lambda *a, **k: os._exit(9)  # dies between writing the file and renaming it
        killed.log_artifact(model, "half")
        """,
        wait=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = dying.communicate(timeout=240)
    assert dying.returncode == 9, stderr
    killed = int(stdout.split()[0])
    adopted = ws.experiments.get_run(run.id)  # the dead process had taken it over
    assert [a.name for a in adopted.artifacts] == ["mine"] and adopted.status == "failed"
    record = ws.experiments.get_run(killed)
    assert record.status == "failed" and "ended without finishing it" in record.error
    assert record.artifacts == []
    left = files_of(ws, killed)
    assert len(left) == 1 and left[0].startswith(".half-") and left[0].endswith(".skops.tmp")
    # a process dying after the rename, before the commit, leaves a final name no row holds
    orphan = ws.experiments.run_folder(killed) / "half-0123456789ab.skops"
    orphan.write_bytes(b"not registered")
    assert ws.experiments.sweep() == []  # young: perhaps still being written
    assert sorted(p.name for p in ws.experiments.sweep(older_than=0)) == sorted([*left, orphan.name])
    assert files_of(ws, killed) == [] and len(files_of(ws, run.id)) == 1
    ws.experiments.delete_run(killed)
    assert not ws.experiments.run_folder(killed).exists()


def test_two_processes_logging_runs_at_once_both_succeed(ws, root):
    ws.tables.save_query("points", "SELECT range AS x FROM range(10)")
    code = f"""
        import sys
        from mlworkbench.core import Workspace
        ws = Workspace.open({str(root / '.mlworkbench')!r}, root_dir={str(root)!r})
        ws.experiments
        print("ready", flush=True)
        sys.stdin.readline()
        for i in range(3):
            with ws.experiments.start_run("race", sql="SELECT * FROM points") as run:
                for step in range(5):
                    run.log_metrics({{f"step{{step}}": step}})
        print("done", flush=True)
    """
    workers = [
        python(code, wait=False, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # released together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            assert worker.stdout.readline().strip() == "done"
            assert worker.wait(60) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    runs = ws.experiments.list_runs("race", details=True)
    assert len(runs) == 6 and {r.status for r in runs} == {"finished"}
    assert all(r.metrics == {f"step{s}": s for s in range(5)} for r in runs)
    assert all([(i.name, i.version) for i in r.inputs] == [("points", 1)] for r in runs)
    assert len({r.pid for r in runs}) == 2
