"""Exporting a published version as an MLflow model directory, loaded by MLflow itself
(mlflow-skinny, the test extra), and removing an alias. A real training run, real skops files,
real crashes in a separate process. Nothing here asserts a time."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
import yaml

from mlworkbench.core import Workspace
from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.core.registry import ModelTamperedError

from .conftest import python
from .test_registry import ROWS, train_churn

mlflow = pytest.importorskip("mlflow")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A workspace with 'churn' v1 published from a real run, promoted to production."""
    root = tmp_path_factory.mktemp("export")
    (root / "data").mkdir()
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    run_id = train_churn(workspace)
    workspace.registry.publish(run_id, "churn")
    workspace.registry.set_alias("churn", "production", 1)
    yield workspace, run_id
    workspace.close()


@pytest.fixture(autouse=True)
def allow_mlflow_to_load(monkeypatch):
    # MLflow 3 loads no model, skops included, without this (the export's README says so).
    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")


def frame(ws: Workspace) -> pd.DataFrame:
    return ws.query("SELECT plan, usage, tenure, churned FROM churn ORDER BY usage LIMIT 60")


def test_mlflow_loads_the_export_and_predicts_like_the_registry(published):
    ws, _ = published
    exported = ws.registry.export_mlflow("churn@production", input_example=ROWS)

    assert (exported.name, exported.version, exported.path) == ("churn", 1,
                                                                "mlflow-models/churn-v1")
    folder = ws.root_dir / exported.path
    assert exported.files == sorted(p.name for p in folder.iterdir())
    assert exported.files == ["MLmodel", "README.md", "conda.yaml", "input_example.json",
                              "model.skops", "python_env.yaml", "requirements.txt",
                              "serving_input_example.json"]
    assert exported.mlflow_uri_hint == (f"MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true mlflow models "
                                        f"serve -m {folder} --env-manager local")
    skops = (folder / "model.skops").read_bytes()
    assert hashlib.sha256(skops).hexdigest() == exported.sha256
    assert exported.sha256 == ws.registry.describe_version("churn", 1).sha256
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "no temp left"

    mlmodel = yaml.safe_load((folder / "MLmodel").read_text())
    sklearn_flavour = mlmodel["flavors"]["sklearn"]
    assert sklearn_flavour["serialization_format"] == "skops"
    assert sklearn_flavour["pickled_model"] == "model.skops"
    trusted = sklearn_flavour["skops_trusted_types"]
    assert any(t.startswith("mlworkbench.") for t in trusted), trusted  # our own functions
    assert mlmodel["flavors"]["python_function"]["loader_module"] == "mlflow.sklearn"
    assert json.loads(mlmodel["signature"]["inputs"]) == [
        {"type": "double", "name": "usage", "required": True},
        {"type": "long", "name": "tenure", "required": True},
        {"type": "string", "name": "plan", "required": True}]
    assert json.loads(mlmodel["signature"]["outputs"]) == [{"type": "string", "required": True}]
    assert mlmodel["metadata"]["mlworkbench"]["sha256"] == exported.sha256
    requirements = (folder / "requirements.txt").read_text().splitlines()
    for name in ("scikit-learn", "skops", "numpy", "pandas", "skrub", "mlworkbench"):
        assert any(r.startswith(f"{name}==") for r in requirements), (name, requirements)
    assert yaml.safe_load((folder / "conda.yaml").read_text())["name"] == "mlflow-env"
    assert yaml.safe_load((folder / "python_env.yaml").read_text())["dependencies"] == [
        "-r requirements.txt"]
    readme = (folder / "README.md").read_text()
    assert readme.startswith(ws.registry.describe_version("churn", 1).card.rstrip())
    assert "mlworkbench must be importable" in readme

    data = frame(ws)  # with the target: a column the model does not read
    ours = ws.registry.load("churn@production").predict(data)
    pyfunc = mlflow.pyfunc.load_model(str(folder))
    assert list(pyfunc.predict(data)) == list(ours)
    assert list(mlflow.sklearn.load_model(str(folder)).predict(data[["usage", "tenure", "plan"]])
                ) == list(ours)
    example = mlflow.models.Model.load(str(folder)).load_input_example(str(folder))
    pd.testing.assert_frame_equal(example.reset_index(drop=True),
                                  ROWS[["usage", "tenure", "plan"]], check_dtype=False)


def test_mlflow_refuses_a_frame_missing_a_column_by_the_exported_signature(published):
    ws, _ = published
    exported = ws.registry.export_mlflow("churn@1", "exports/strict")
    pyfunc = mlflow.pyfunc.load_model(str(ws.root_dir / exported.path))
    with pytest.raises(mlflow.exceptions.MlflowException, match="plan"):
        pyfunc.predict(frame(ws).drop(columns=["plan"]))


def test_bad_targets_and_unknown_models_are_refused_saying_what_to_do(published, tmp_path):
    ws, _ = published
    with pytest.raises(NotFoundError) as unknown:
        ws.registry.export_mlflow("nope@production")
    assert unknown.value.status == 404 and "churn" in unknown.value.message
    with pytest.raises(NotFoundError):
        ws.registry.export_mlflow("churn@staging")

    busy = ws.root_dir / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(ConflictError) as taken:
        ws.registry.export_mlflow("churn", "busy")
    assert taken.value.status == 409 and "overwrite" in taken.value.message
    with pytest.raises(ConflictError, match="not an MLflow model directory"):
        ws.registry.export_mlflow("churn", "busy", overwrite=True)
    assert (busy / "notes.txt").read_text() == "mine"

    outside = tmp_path / "elsewhere"
    with pytest.raises(BadRequestError) as escaped:
        ws.registry.export_mlflow("churn", "../elsewhere", within_root=True)
    assert escaped.value.status == 400 and "outside the Jupyter root" in escaped.value.message
    with pytest.raises(BadRequestError):
        ws.registry.export_mlflow("churn", str(outside), within_root=True)
    for holder in (".", ".mlworkbench", ".mlworkbench/models"):
        with pytest.raises(BadRequestError, match="workspace"):
            ws.registry.export_mlflow("churn", holder, overwrite=True)
    # From a notebook or the CLI (no within_root) a path anywhere is the user's choice.
    assert ws.registry.export_mlflow("churn", str(outside)).path == str(outside.resolve())

    # An empty folder is filled; a previous export is replaced with overwrite.
    (ws.root_dir / "empty").mkdir()
    first = ws.registry.export_mlflow("churn", "empty")
    again = ws.registry.export_mlflow("churn", "empty", overwrite=True)
    assert first.files == again.files
    assert not [p for p in ws.root_dir.iterdir() if ".mlflow-export-" in p.name]


def test_a_tampered_model_file_is_not_exported(published):
    ws, run_id = published
    ws.registry.publish(run_id, "fragile")
    stored = ws.path / ws.registry.describe_version("fragile", 1).path
    stored.write_bytes(stored.read_bytes() + b"\0")
    with pytest.raises(ModelTamperedError) as refused:
        ws.registry.export_mlflow("fragile", "tampered/fragile")
    assert refused.value.status == 409 and "sha256" in refused.value.message
    assert not list((ws.root_dir / "tampered").iterdir()), "nothing written, no temp left"


CRASH = """
    import os
    from mlworkbench.core import Workspace
    from mlworkbench.core.registry import export_mlflow as module

    written = []
    def write_then_die(path, text):
        written.append(path)
        if len(written) == 3:
            os._exit(9)  # killed with files half written
        with open(path, "w") as out:
            out.write(text)

    module._write_text = write_then_die
    ws = Workspace.open({workspace!r}, root_dir={root!r})
    ws.registry.export_mlflow("churn", "crash/churn", overwrite=True)
"""


def test_a_crash_mid_export_leaves_the_target_as_it_was(published):
    ws, _ = published
    code = CRASH.format(workspace=str(ws.path), root=str(ws.root_dir))
    target = ws.root_dir / "crash" / "churn"

    crashed = python(code, wait=False)
    assert crashed.wait(timeout=240) == 9
    assert not target.exists(), "no half directory at the target"
    assert [p.name.startswith(".churn.mlflow-export-") for p in target.parent.iterdir()] == [True]

    ws.registry.export_mlflow("churn", "crash/churn")
    before = (target / "MLmodel").read_bytes()
    crashed = python(code, wait=False)
    assert crashed.wait(timeout=240) == 9
    assert (target / "MLmodel").read_bytes() == before, "the previous export is intact"
    model = mlflow.pyfunc.load_model(str(target))
    assert len(model.predict(frame(ws))) == 60


def test_removing_an_alias_keeps_the_move_in_the_history(published):
    ws, run_id = published
    ws.registry.publish(run_id, "aliased")
    ws.registry.publish(run_id, "aliased")
    ws.registry.set_alias("aliased", "staging", 1)
    ws.registry.set_alias("aliased", "staging", 2)

    removed = ws.registry.remove_alias("aliased", "staging", actor="ann")
    assert (removed.action, removed.from_version, removed.to_version, removed.actor) == (
        "remove", 2, 2, "ann")
    described = ws.registry.describe_model("aliased")
    assert described.aliases == []
    assert described.alias_history[0] == removed
    with pytest.raises(NotFoundError, match="does not exist"):
        ws.registry.load("aliased@staging")
    with pytest.raises(NotFoundError) as unknown:
        ws.registry.remove_alias("aliased", "staging")
    assert "Aliases: none" in unknown.value.message

    # Made again, the alias starts afresh: rolling back does not reach before the removal.
    ws.registry.set_alias("aliased", "staging", 1)
    with pytest.raises(ConflictError, match="no earlier version"):
        ws.registry.rollback("aliased", "staging")
    # An alias keeping only gates is removed with nothing recorded.
    ws.registry.set_gates("aliased", "canary", ["balanced_accuracy > 0"])
    assert ws.registry.remove_alias("aliased", "canary") is None
    assert [a.alias for a in ws.registry.describe_model("aliased").aliases] == ["staging"]



def test_a_file_holding_a_type_off_the_trusted_list_is_not_exported(published, tmp_path):
    # A published file always passes (publishing refuses untrusted types); this is the export's
    # own check, on a skops file that names builtins.eval.
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    from mlworkbench.core.experiments.artifacts import UntrustedTypesError
    from mlworkbench.core.registry.export_mlflow import _trusted_types
    from mlworkbench.core.registry.mlflow_format import ExportedVersion

    path = tmp_path / "evil.skops"
    sio.dump(FunctionTransformer(func=eval), path)
    found = ExportedVersion(name="evil", version=1, path=path, sha256="", signature=None,
                            task=None, target=None, classes=None, run_id=None, card="")
    with pytest.raises(UntrustedTypesError) as refused:
        _trusted_types(path, found)
    assert refused.value.types == ["builtins.eval"]
    ws, _ = published
    published_file = ws.path / ws.registry.describe_version("churn", 1).path
    assert all(t.split(".")[0] in ("sklearn", "skrub", "numpy", "scipy", "mlworkbench",
                                   "functools")
               for t in _trusted_types(published_file, found))
