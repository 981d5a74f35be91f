"""The model registry (ws.registry) on real workspaces: a real training run in its own process,
real skops files, real DuckDB gates. Nothing here asserts a time."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pandas as pd
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError
from mlworkbench.core.registry import GateFailedError, ModelTamperedError, SignatureError

from tests.workspaces import ROWS, train_churn  # noqa: F401 (train_churn: re-exported)

from .conftest import python



@pytest.fixture(scope="module")
def trained(tmp_path_factory, workspace_templates):
    """A workspace with one finished run, shared by the module (tests publish their own
    model names). The run is trained once per session (tests/workspaces.py)."""
    root = tmp_path_factory.mktemp("registry")
    (root / "data").mkdir()
    run_id = workspace_templates.copy("churn", root / ".mlworkbench")["run_id"]
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    yield workspace, run_id
    workspace.close()


def test_publishing_copies_the_model_and_records_signature_lineage_metrics_and_card(trained):
    ws, run_id = trained
    version = ws.registry.publish(run_id, "churn", description="first cut")

    assert (version.name, version.version, version.run_id, version.artifact) == (
        "churn", 1, run_id, "best")
    assert version.path == "models/churn/v1/model.skops"
    copied = ws.path / version.path
    original = Path(ws.experiments.get_run(run_id).artifacts[0].path)
    assert original.exists(), "the run's file is copied, not moved"
    assert hashlib.sha256(copied.read_bytes()).hexdigest() == version.sha256
    assert version.sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    assert [(c.name, c.type) for c in version.signature.columns] == [
        ("usage", "float"), ("tenure", "integer"), ("plan", "string")]
    assert (version.task, version.target, sorted(version.classes)) == (
        "binary", "churned", ["no", "yes"])
    assert "balanced_accuracy" in version.metrics
    lineage = version.lineage
    assert lineage["run_id"] == run_id and lineage["sql"] == "SELECT * FROM churn"
    assert [(i["kind"], i["name"], i["version"]) for i in lineage["inputs"]] == [
        ("table", "churn", 1)]
    card = (copied.parent / "card.md").read_text()
    assert card == version.card
    assert "# churn, version 1" in card and "| churn | table | 1 | 240 |" in card
    assert "| balanced_accuracy |" in card and "## Intended use" in card
    assert "confusion_matrix" in card  # the run's charts are listed


def test_a_loaded_model_checks_its_input_and_predicts(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "loader")
    model = ws.registry.load("loader")
    assert (model.name, model.version, model.task) == ("loader", 1, "binary")
    assert repr(model) == ("LoadedModel('loader', version=1, task='binary', "
                           "input=(usage: float, tenure: integer, plan: string))")

    extra = ROWS.assign(customer="ann")  # reordered, with a column the model does not read
    checked = model.check(extra)
    assert checked.extra_columns == ["customer"]
    assert list(checked.frame.columns) == ["usage", "tenure", "plan"]
    assert list(model.predict(extra)) == list(ws.training.load_pipeline(run_id).predict(
        ROWS[["usage", "tenure", "plan"]]))
    probabilities = model.predict_proba(ROWS)
    assert probabilities.shape == (2, 2) and len(model.classes) == 2
    # Text that parses as numbers is coerced, and reported.
    assert model.check(ROWS.astype({"tenure": str})).coerced == ["tenure"]
    # Loaded again: the same pipeline, from the process's cache.
    assert ws.registry.load("loader@1").pipeline is model.pipeline
    assert ws.registry.load("loader@v1").version == 1


def test_a_bad_input_names_every_missing_and_mistyped_column(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "strict")
    model = ws.registry.load("strict")
    with pytest.raises(SignatureError) as raised:
        model.predict(pd.DataFrame({"usage": ["high", "1.0"], "customer": ["a", "b"]}))
    error = raised.value
    assert error.status == 422
    assert error.missing == ["tenure", "plan"]
    assert error.mistyped == [
        {"column": "usage", "expected": "float", "got": "string", "example": "high"}]
    assert "missing columns 'tenure', 'plan'" in error.message
    assert "column 'usage' should be float but is string (e.g. 'high')" in error.message


def test_a_model_file_changed_on_disk_is_refused(trained):
    ws, run_id = trained
    version = ws.registry.publish(run_id, "tampered")
    ws.registry.load("tampered")  # cached while unchanged
    path = ws.path / version.path
    path.write_bytes(path.read_bytes() + b"\0")

    with pytest.raises(ModelTamperedError) as raised:
        ws.registry.load("tampered")
    found = hashlib.sha256(path.read_bytes()).hexdigest()
    assert raised.value.status == 409
    assert "the model file was changed on disk since it was published" in raised.value.message
    assert f"expected sha256 {version.sha256}, found {found}" in raised.value.message


def test_unknown_models_aliases_and_versions_are_404s_listing_what_exists(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "known")
    with pytest.raises(NotFoundError) as raised:
        ws.registry.load("unknown")
    assert "known" in raised.value.detail["known"] and "known" in raised.value.message
    ws.registry.set_alias("known", "staging", 1)
    with pytest.raises(NotFoundError) as raised:
        ws.registry.load("known@production")
    assert raised.value.detail["known"] == ["staging"]
    assert "Aliases: staging" in raised.value.message
    with pytest.raises(NotFoundError) as raised:
        ws.registry.load("known@7")
    assert raised.value.detail["known"] == [1]


def test_gates_refuse_a_move_record_it_and_leave_the_alias_where_it_was(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "gated")
    ws.registry.publish(run_id, "gated")
    ws.registry.set_alias("gated", "production", 1, actor="ann")
    ws.registry.set_gates("gated", "production", ["balanced_accuracy > 2"])

    with pytest.raises(GateFailedError) as raised:
        ws.registry.set_alias("gated", "production", 2, actor="bob")
    error = raised.value
    assert error.status == 409 and error.failed == ["balanced_accuracy > 2"]
    assert "balanced_accuracy = " in error.message
    assert ws.registry.load("gated@production").version == 1  # nothing moved
    history = ws.registry.describe_model("gated").alias_history
    assert [(m.to_version, m.moved, m.actor) for m in history] == [(2, False, "bob"),
                                                                    (1, True, "ann")]
    assert history[0].gate_results[0].passed is False

    # A move's own gate applies beside the stored ones; passing gates let it move.
    ws.registry.set_gates("gated", "production", ["balanced_accuracy >= 0"])
    with pytest.raises(GateFailedError):
        ws.registry.set_alias("gated", "production", 2, gates=["accuracy < 0"])
    move = ws.registry.set_alias("gated", "production", 2, gates=["accuracy >= 0"])
    assert move.moved and [r.passed for r in move.gate_results] == [True, True]
    assert ws.registry.describe_model("gated").aliases[0].version == 2


def test_a_gate_duckdb_refuses_is_a_422_with_its_message(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "badgate")
    with pytest.raises(InvalidRequestError) as raised:
        ws.registry.set_gates("badgate", "production", ["roc_aucc >= 0.8"])
    assert raised.value.status == 422
    assert "roc_aucc" in raised.value.message and "Candidate bindings" in raised.value.message
    with pytest.raises(InvalidRequestError):
        ws.registry.set_alias("badgate", "production", 1, gates=["1; DROP TABLE x"])


def test_rollback_returns_to_the_previous_versions_without_gates(trained):
    ws, run_id = trained
    for _ in range(3):
        ws.registry.publish(run_id, "rolled")
    for version in (1, 2, 3):
        ws.registry.set_alias("rolled", "production", version)
    ws.registry.set_gates("rolled", "production", ["balanced_accuracy > 2"])  # none passes

    assert ws.registry.rollback("rolled", "production").to_version == 2
    assert ws.registry.rollback("rolled", "production").to_version == 1
    with pytest.raises(ConflictError, match="no earlier version"):
        ws.registry.rollback("rolled", "production")
    assert ws.registry.load("rolled@production").version == 1


def test_a_version_an_alias_points_at_cannot_be_deleted(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "deleted")
    ws.registry.publish(run_id, "deleted")
    ws.registry.set_alias("deleted", "production", 2)
    with pytest.raises(ConflictError, match="production"):
        ws.registry.delete_version("deleted", 2)
    ws.registry.delete_version("deleted", 1)
    assert not (ws.path / "models" / "deleted" / "v1").exists()
    assert [v.version for v in ws.registry.describe_model("deleted").versions] == [2]
    assert ws.registry.publish(run_id, "deleted").version == 3  # numbers are not reused


def test_the_card_can_be_edited(trained):
    ws, run_id = trained
    version = ws.registry.publish(run_id, "carded", card="# Mine\n")
    assert version.card == "# Mine\n"
    edited = ws.registry.update_card("carded", 1, "# Churn\n\nUse for retention offers.\n")
    assert ws.registry.describe_version("carded", "v1").card == edited.card
    assert (ws.path / "models/carded/v1/card.md").read_text() == edited.card


def test_models_are_listed_with_their_newest_version_and_aliases(trained):
    ws, run_id = trained
    ws.registry.publish(run_id, "listed")
    ws.registry.publish(run_id, "listed")
    ws.registry.set_alias("listed", "production", 1)
    listed = {m.name: m for m in ws.registry.list_models().models}["listed"]
    assert (listed.latest_version, listed.versions, listed.aliases) == (2, 2, {"production": 1})
    assert listed.task == "binary"


@pytest.mark.parametrize("name", ["", "1churn", "churn model", "a/b", "x" * 129, "churn@1"])
def test_a_bad_model_name_is_a_422(trained, name):
    ws, run_id = trained
    with pytest.raises(InvalidRequestError) as raised:
        ws.registry.publish(run_id, name)
    assert raised.value.status == 422 and raised.value.field == "name"


def test_a_failed_or_running_run_cannot_be_published(trained):
    ws, _ = trained
    failed = ws.experiments.start_run("scratch")
    failed.fail("out of memory")
    with pytest.raises(ConflictError, match="failed.*out of memory") as raised:
        ws.registry.publish(failed.id, "nope")
    assert raised.value.status == 409
    running = ws.experiments.start_run("scratch")
    with pytest.raises(ConflictError, match="still training"):
        ws.registry.publish(running.id, "nope")
    running.finish()
    with pytest.raises(NotFoundError, match="no model named 'best'"):
        ws.registry.publish(running.id, "nope")


def test_a_failure_while_publishing_registers_nothing(trained, monkeypatch):
    ws, run_id = trained
    ws.registry.publish(run_id, "crashy")
    from mlworkbench.core.registry import registry as module

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(module, "write_card", crash)
    with pytest.raises(OSError, match="disk full"):
        ws.registry.publish(run_id, "crashy")
    folder = ws.path / "models" / "crashy"
    assert sorted(p.name for p in folder.iterdir()) == ["v1"]  # no v2, no staging left
    assert [v.version for v in ws.registry.describe_model("crashy").versions] == [1]
    assert ws.registry.load("crashy").version == 1


def test_two_threads_publishing_one_name_get_two_versions(trained):
    ws, run_id = trained
    versions, errors = [], []

    def publish():
        try:
            versions.append(ws.registry.publish(run_id, "threads").version)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(versions) == [1, 2]
    assert sorted(p.name for p in (ws.path / "models" / "threads").iterdir()) == ["v1", "v2"]


def test_two_processes_publishing_one_name_get_two_versions(trained):
    ws, run_id = trained
    code = f"""
        from mlworkbench.core import Workspace
        with Workspace.open({str(ws.path)!r}, root_dir={str(ws.root_dir)!r}) as ws:
            print(ws.registry.publish({run_id}, "processes").version)
    """
    import subprocess

    children = [python(code, wait=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True) for _ in range(2)]
    outputs = [child.communicate(timeout=240) for child in children]
    assert all(child.returncode == 0 for child in children), [e for _, e in outputs]
    assert sorted(int(out) for out, _ in outputs) == [1, 2]
    described = ws.registry.describe_model("processes")
    assert [v.version for v in described.versions] == [2, 1]
    for version in (1, 2):
        row = ws.registry.describe_version("processes", version)
        assert json.loads(json.dumps(row.lineage))["run_id"] == run_id
        assert ws.registry.load(f"processes@{version}").version == version


def test_a_run_logged_by_hand_is_published_with_its_query_column_types(trained):
    from sklearn.linear_model import LogisticRegression

    ws, _ = trained
    frame = ws.query("SELECT usage, tenure, churned FROM churn")
    model = LogisticRegression().fit(frame[["usage", "tenure"]], frame["churned"])
    with ws.experiments.start_run("by-hand", sql="SELECT usage, tenure, churned FROM churn",
                                  task="binary", target="churned") as run:
        run.log_metrics(accuracy=0.9)
        run.log_artifact(model, "best")
    version = ws.registry.publish(run.id, "by-hand")
    assert [(c.name, c.type) for c in version.signature.columns] == [
        ("usage", "float"), ("tenure", "integer")]
    assert version.metrics == {"accuracy": 0.9} and version.classes is None
    loaded = ws.registry.load("by-hand")
    assert loaded.classes == ["no", "yes"]  # the fitted classifier's
    assert list(loaded.predict(ROWS)) == list(
        model.predict(ROWS[["usage", "tenure"]]))


def test_a_version_number_taken_meanwhile_is_retried_with_the_next(trained, monkeypatch):
    """What a second database server's race looks like: the number read is committed by
    another publish before ours; the unique constraint refuses it and the publish retries."""
    ws, run_id = trained
    ws.registry.publish(run_id, "raced")
    from mlworkbench.core.registry import registry as module

    real, calls = module.next_version, []

    def stale(session, model_id):
        calls.append(model_id)
        return 1 if len(calls) == 1 else real(session, model_id)

    monkeypatch.setattr(module, "next_version", stale)
    assert ws.registry.publish(run_id, "raced").version == 2
    assert len(calls) == 2
    assert ws.registry.load("raced@1").version == 1  # the committed v1 is untouched
    assert sorted(p.name for p in (ws.path / "models" / "raced").iterdir()) == ["v1", "v2"]


def _double(x):
    return x * 2


def test_a_model_holding_untrusted_types_or_altered_since_training_is_not_published(trained):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from mlworkbench.core.experiments import ArtifactAlteredError, UntrustedTypesError

    ws, _ = trained
    frame = ws.query("SELECT usage, tenure, churned FROM churn")
    x, y = frame[["usage", "tenure"]], frame["churned"]
    with ws.experiments.start_run("by-hand", sql="SELECT usage, tenure, churned FROM churn",
                                  target="churned") as run:
        run.log_artifact(make_pipeline(FunctionTransformer(_double), LogisticRegression())
                         .fit(x, y), "best")
        run.log_artifact(LogisticRegression().fit(x, y), "plain")
    with pytest.raises(UntrustedTypesError, match="_double") as raised:
        ws.registry.publish(run.id, "untrusted")
    assert raised.value.status == 422
    plain = Path(next(a.path for a in run.record().artifacts if a.name == "plain"))
    plain.write_bytes(plain.read_bytes() + b"\0")
    with pytest.raises(ArtifactAlteredError, match="altered after training"):
        ws.registry.publish(run.id, "untrusted", artifact="plain")
    with pytest.raises(NotFoundError):
        ws.registry.describe_model("untrusted")  # nothing was registered
    assert not (ws.path / "models" / "untrusted").exists()
