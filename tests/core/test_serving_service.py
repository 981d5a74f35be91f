"""The prediction service and its log on a real workspace: a real training run published in the
real registry, real Parquet log parts read back through DuckDB. Nothing here asserts a time."""

from __future__ import annotations

import json
import time

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import BadRequestError, NotFoundError
from mlworkbench.core.registry import ModelTamperedError, SignatureError
from mlworkbench.core.serving.errors import PayloadTooLargeError
from mlworkbench.core.serving.predlog import PredictionLog
from mlworkbench.core.serving.service import PredictionService


ROW = {"usage": 9.5, "tenure": 90, "plan": "pro"}


def body(document) -> bytes:
    return json.dumps(document).encode()


@pytest.fixture(scope="module")
def churn_copy(tmp_path_factory, workspace_templates):
    """The workspace folder of this module (a copy of the 'churn' template: one finished run,
    trained once per session) and its run's id."""
    root = tmp_path_factory.mktemp("serving")
    return root, workspace_templates.copy("churn", root / ".mlworkbench")["run_id"]


@pytest.fixture(scope="module")
def published(churn_copy):
    root, run_id = churn_copy
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    workspace.registry.publish(run_id, "churn")
    workspace.registry.publish(run_id, "churn")
    workspace.registry.set_alias("churn", "production", 1)
    yield workspace
    workspace.close()


@pytest.fixture
def service(published):
    log = PredictionLog(published, flush_seconds=60)
    yield PredictionService(published, log=log, max_bytes=2000)
    log.close()


def test_a_prediction_names_the_version_and_reports_what_it_did_not_use(service):
    answer = service.predict("churn@production", body(
        {"dataframe_records": [{**ROW, "note": "x"}], "params": {"k": 1}}), "application/json",
        probabilities=True, request_id="r1")
    assert (answer["model"], answer["version"], answer["request_id"]) == ("churn", 1, "r1")
    assert answer["predictions"] in (["yes"], ["no"])
    assert set(answer["probabilities"][0]) == {"no", "yes"}
    assert answer["ignored_columns"] == ["note"] and answer["ignored_params"] == ["k"]
    # a bare name is the newest version; a number names one
    assert service.predict("churn", body({"inputs": ROW}), "application/json")["version"] == 2
    assert service.predict("churn@1", b"usage,tenure,plan\n1.0,3,basic\n", "text/csv")[
        "version"] == 1


def test_bad_requests_are_refused_with_what_to_fix(published, service):
    with pytest.raises(SignatureError) as missing:
        service.predict("churn@1", body({"dataframe_records": [{"usage": 1.0}]}),
                        "application/json")
    assert missing.value.status == 422 and "tenure" in missing.value.message
    with pytest.raises(NotFoundError) as unknown:
        service.predict("nope@production", body({"inputs": ROW}), "application/json")
    assert unknown.value.status == 404 and "churn" in unknown.value.message
    with pytest.raises(BadRequestError):
        service.predict("churn", body({"rows": [ROW]}), "application/json")
    with pytest.raises(PayloadTooLargeError) as large:
        service.predict("nope", b"x" * 2001, "application/json")  # refused before the lookup
    assert large.value.status == 413


def test_a_model_file_changed_on_disk_is_refused(published, service, churn_copy):
    version = published.registry.publish(churn_copy[1], "tampered")
    (published.path / version.path).write_bytes(b"not the model")
    with pytest.raises(ModelTamperedError) as refused:
        service.predict("tampered", body({"inputs": ROW}), "application/json")
    assert refused.value.status == 409


def test_the_log_holds_answers_and_refusals_and_is_queryable_after_a_restart(published):
    log = PredictionLog(published, flush_seconds=60)
    service = PredictionService(published, log=log)
    service.predict("churn@production", body({"inputs": [ROW, ROW]}), "application/json",
                    request_id="logged-ok")
    with pytest.raises(SignatureError):
        service.predict("churn@production", body({"inputs": [{"usage": 1}]}),
                        "application/json", request_id="logged-bad")
    assert log.flush()
    log.close()
    parts = list((published.path / "prediction_log").glob("*.parquet"))
    assert parts and not list((published.path / "prediction_log").glob(".*partial"))

    reopened = Workspace.open(published.path, root_dir=published.root_dir, memory_limit="1GB")
    try:
        rows = reopened.query(
            "SELECT request_id, model, version, status, rows, inputs, outputs, error "
            "FROM prediction_log WHERE request_id LIKE 'logged-%' ORDER BY request_id")
    finally:
        reopened.close()
    bad, ok = rows.to_dict("records")
    assert (bad["request_id"], bad["status"]) == ("logged-bad", 422)
    assert not isinstance(bad["outputs"], str)  # no outputs (null, read back as NaN)
    assert "tenure" in bad["error"]
    assert (ok["request_id"], ok["model"], ok["version"], ok["status"], ok["rows"]) == (
        "logged-ok", "churn", 1, 200, 2)
    assert json.loads(ok["inputs"])[0] == ROW
    assert len(json.loads(ok["outputs"])["predictions"]) == 2


def test_the_log_writes_a_part_per_batch_without_a_flush(published):
    log = PredictionLog(published, batch_rows=3, flush_seconds=600)
    before = set((published.path / "prediction_log").glob("*.parquet"))
    service = PredictionService(published, log=log)
    for i in range(3):
        service.predict("churn", body({"inputs": ROW}), "application/json",
                        request_id=f"batch-{i}")
    # the third entry fills the batch: the thread writes it without being asked
    for _ in range(200):
        if set((published.path / "prediction_log").glob("*.parquet")) - before:
            break
        time.sleep(0.05)
    new = set((published.path / "prediction_log").glob("*.parquet")) - before
    log.close()
    assert len(new) == 1
