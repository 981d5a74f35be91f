"""mlwb.publish / models / model / promote / rollback in a real IPython shell, on a real
training run of the kernel's workspace."""

from __future__ import annotations

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import mlworkbench as mlwb
import mlworkbench.notebook as notebook
from mlworkbench.core.errors import InvalidRequestError, NotFoundError
from mlworkbench.core.registry import GateFailedError, SignatureError
from tests.workspaces import ROWS


@pytest.fixture(scope="module")
def run_id(tmp_path_factory, workspace_templates):
    """The kernel's workspace with one finished run (a copy of the 'churn' template, trained
    once per session: tests/workspaces.py)."""
    root = tmp_path_factory.mktemp("publish")
    run_id = workspace_templates.copy("churn", root / "ws")["run_id"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLWORKBENCH_HOME", str(root / "ws"))
        patch.chdir(root)
        start_ipython() or get_ipython()
        notebook._runner = None
        workspace = notebook.runner().ws
        yield run_id
        workspace.close()
        notebook._runner = None


def test_publish_then_load_and_predict_from_the_notebook(run_id):
    shell = get_ipython()
    shell.user_ns.update(mlwb=mlwb, run_id=run_id, rows=ROWS)
    published = shell.run_cell("mlwb.publish(run_id, 'churn')").result
    assert (published.name, published.version, published.ref) == ("churn", 1, "churn@1")
    assert "# churn, version 1" in published._repr_markdown_()
    assert "`usage` float" in published._repr_markdown_()

    predicted = shell.run_cell("mlwb.model('churn').predict(rows)").result
    assert len(predicted) == 2 and set(predicted) <= {"yes", "no"}
    with pytest.raises(SignatureError, match="missing column 'plan'"):
        mlwb.model("churn").predict(ROWS.drop(columns="plan"))


def test_models_promote_and_roll_back(run_id):
    mlwb.publish(run_id, "listed")
    mlwb.publish(run_id, "listed")
    assert mlwb.promote("listed", 1, "production").moved
    move = mlwb.promote("listed", 2, "production", gates=["balanced_accuracy >= 0"])
    assert move.actor and move.gate_results[0].passed
    assert mlwb.model("listed@production").version == 2
    table = mlwb.models()
    assert table.loc["listed", "latest_version"] == 2
    assert table.loc["listed", "aliases"] == {"production": 2}
    with pytest.raises(GateFailedError):
        mlwb.promote("listed", 1, "production", gates=["balanced_accuracy > 2"])
    assert mlwb.rollback("listed", "production").to_version == 1


def test_bad_input_is_a_clear_error(run_id):
    with pytest.raises(InvalidRequestError, match="model name"):
        mlwb.publish(run_id, "churn model")
    with pytest.raises(NotFoundError, match="No model named 'nope'"):
        mlwb.model("nope@production")


def test_score_a_query_from_the_notebook_writes_a_table_version(run_id):
    shell = get_ipython()
    mlwb.publish(run_id, "scorer")
    shell.user_ns.update(mlwb=mlwb)
    done = shell.run_cell(
        "mlwb.score('SELECT * FROM churn', 'scorer@1', into='churn_scored')").result
    assert (done.model, done.version, done.table.name) == ("scorer", 1, "churn_scored")
    scored = notebook.runner().ws.query("SELECT prediction, count(*) AS n FROM churn_scored "
                                        "GROUP BY prediction")
    assert set(scored["prediction"]) <= {"yes", "no"} and scored["n"].sum() == done.rows > 0
    # Scoring again writes the next version; a model that does not exist writes nothing.
    assert mlwb.score("SELECT * FROM churn", "scorer", into="churn_scored").table.version == 2
    with pytest.raises(NotFoundError):
        mlwb.score("SELECT * FROM churn", "nobody@1", into="churn_scored")
