"""mlwb.export_model and mlwb.remove_alias in a real IPython shell, on a real training run of the
kernel's workspace; the export loads in MLflow."""

from __future__ import annotations

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import mlworkbench as mlwb
import mlworkbench.notebook as notebook
from mlworkbench.core.errors import ConflictError, NotFoundError
from tests.workspaces import ROWS

mlflow = pytest.importorskip("mlflow")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory, workspace_templates):
    """The kernel's workspace (a copy of the 'churn' template) with 'churn' v1 in production;
    the shell's current directory is ``root``."""
    root = tmp_path_factory.mktemp("export")
    run_id = workspace_templates.copy("churn", root / "ws")["run_id"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLWORKBENCH_HOME", str(root / "ws"))
        patch.chdir(root)
        start_ipython() or get_ipython()
        notebook._runner = None
        workspace = notebook.runner().ws
        workspace.registry.publish(run_id, "churn")
        workspace.registry.set_alias("churn", "production", 1)
        yield root
        workspace.close()
        notebook._runner = None


def test_export_model_writes_an_mlflow_directory_beside_the_notebook(kernel, monkeypatch):
    shell = get_ipython()
    shell.user_ns.update(mlwb=mlwb, rows=ROWS)
    exported = shell.run_cell(
        "mlwb.export_model('churn@production', 'deploy/churn', input_example=rows)").result
    assert exported is not None, "the cell raised"
    folder = kernel / "deploy" / "churn"
    assert (exported.name, exported.version) == ("churn", 1)
    assert (folder / "MLmodel").is_file() and "input_example.json" in exported.files

    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")
    predicted = mlflow.pyfunc.load_model(str(folder)).predict(ROWS)
    assert list(predicted) == list(mlwb.model("churn@production").predict(ROWS))

    with pytest.raises(ConflictError, match="overwrite"):
        mlwb.export_model("churn", "deploy/churn")
    assert mlwb.export_model("churn", "deploy/churn", overwrite=True).version == 1
    with pytest.raises(NotFoundError):
        mlwb.export_model("churn@staging")


def test_remove_alias_from_the_notebook(kernel):
    removed = mlwb.remove_alias("churn", "production")
    assert (removed.action, removed.from_version) == ("remove", 1) and removed.actor
    with pytest.raises(NotFoundError, match="does not exist"):
        mlwb.model("churn@production")
