"""``mlworkbench models export`` and ``models unalias`` as a user runs them, on a workspace with
a real training run; the export loads in MLflow."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlworkbench.cli import main

mlflow = pytest.importorskip("mlflow")


@pytest.fixture(scope="module")
def home(tmp_path_factory, workspace_templates):
    """A workspace with one finished run: (its directory, the run's id)."""
    root = tmp_path_factory.mktemp("cli-export")
    return root / "ws", workspace_templates.copy("churn", root / "ws")["run_id"]


def run(home, *args):
    return CliRunner().invoke(main, ["--workspace", str(home), *args], catch_exceptions=False)


def test_export_then_unalias_from_the_shell(home, tmp_path, monkeypatch):
    path, run_id = home
    assert run(path, "models", "publish", str(run_id), "churn").exit_code == 0
    assert run(path, "models", "promote", "churn", "1", "production").exit_code == 0

    target = tmp_path / "deploy"
    exported = run(path, "models", "export", "churn@production", str(target))
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith(f"Exported churn v1 to {target} (MLmodel, README.md")
    assert f"mlflow models serve -m {target} --env-manager local" in exported.output
    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")
    assert mlflow.pyfunc.load_model(str(target)).metadata.get_input_schema().input_names() == [
        "usage", "tenure", "plan"]

    refused = run(path, "models", "export", "churn@production", str(target))
    assert refused.exit_code == 2 and "--overwrite" not in refused.output
    assert "exists and is not empty" in refused.output
    again = run(path, "models", "export", "churn@1", str(target), "--overwrite", "--json")
    assert again.exit_code == 0 and json.loads(again.output)["version"] == 1
    unknown = run(path, "models", "export", "nope", str(tmp_path / "other"))
    assert unknown.exit_code == 2 and "No model named 'nope'" in unknown.output
    assert not (tmp_path / "other").exists()

    assert run(path, "models", "unalias", "churn", "production").output == (
        "Removed churn@production (it pointed at v1).\n")
    shown = run(path, "models", "show", "churn").output
    assert "production remove v1 -> v1 moved" in shown
    gone = run(path, "models", "unalias", "churn", "production")
    assert gone.exit_code == 2 and "has no alias 'production'" in gone.output
