"""The prediction service answers the same with its compiled fast path as without it, on a real
workspace with a real published training run; irregular bodies keep their 4xx. Nothing here
asserts a time."""

from __future__ import annotations

import json

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.serving import service as service_module
from mlworkbench.core.serving.service import PredictionService

ROW = {"usage": 9.5, "tenure": 90, "plan": "pro"}


class Entries(list):
    """Collects the log entries the service appends."""


@pytest.fixture(scope="module")
def published(tmp_path_factory, workspace_templates):
    root = tmp_path_factory.mktemp("fastpath")
    run_id = workspace_templates.copy("churn", root / ".mlworkbench")["run_id"]
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    workspace.registry.publish(run_id, "churn")
    workspace.registry.set_alias("churn", "production", 1)
    yield workspace
    workspace.close()


def services(workspace):
    fast, slow = (PredictionService(workspace, log=Entries(), fast=f) for f in (True, False))
    assert fast.prepare("churn@production") is None  # it has a verified fast path
    return fast, slow


REGULAR = [
    {"dataframe_records": [ROW]},
    {"dataframe_records": [ROW, {"usage": None, "tenure": None, "plan": None},
                           {"usage": 0, "tenure": 0, "plan": "never-seen"}]},
    {"dataframe_split": {"columns": ["plan", "usage", "tenure"], "data": [["basic", 1.25, 3]],
                         "index": [7]}},
    {"instances": [ROW]},
    {"inputs": {"usage": [1.0, 2.0], "tenure": [1, 2], "plan": ["plus", "pro"]}},
]


@pytest.mark.parametrize("document", REGULAR)
@pytest.mark.parametrize("probabilities", [False, True])
def test_fast_and_full_paths_answer_alike(published, document, probabilities, monkeypatch):
    fast, slow = services(published)
    body = json.dumps(document).encode()
    expected = slow.predict("churn@production", body, "application/json",
                            probabilities=probabilities, request_id="r")

    def no_pandas(*args, **kwargs):
        raise AssertionError("the fast path read the body with pandas")

    monkeypatch.setattr(service_module, "read_payload", no_pandas)
    got = fast.predict("churn@production", body, "application/json",
                       probabilities=probabilities, request_id="r")
    assert got == expected
    mine, theirs = fast.log[-1], slow.log[-1]
    for field in ("model", "version", "ref", "status", "rows", "outputs", "error"):
        assert getattr(mine, field) == getattr(theirs, field), field
    assert json.loads(mine.inputs) == json.loads(theirs.inputs)  # the same rows


IRREGULAR = [
    ({"dataframe_records": [{"usage": 1.0}]}, "application/json"),  # missing columns: 422
    ({"dataframe_records": [{**ROW, "usage": "lots"}]}, "application/json"),  # mistyped: 422
    ({"dataframe_records": [{**ROW, "note": "x"}]}, "application/json"),  # extra: ignored
    ({"dataframe_records": [ROW], "params": {"k": 1}}, "application/json"),  # params: ignored
    ({"dataframe_records": []}, "application/json"),  # no rows: 400
    ({"rows": [ROW]}, "application/json"),  # no form: 400
    ({"dataframe_records": [ROW]}, "text/plain"),  # 415
    ({"dataframe_records": [{**ROW, "tenure": 2.5}]}, "application/json"),  # 422
    ({"dataframe_records": [{**ROW, "plan": 3}]}, "application/json"),  # 422
]


@pytest.mark.parametrize("document, content_type", IRREGULAR)
def test_irregular_bodies_get_the_same_answer_or_error(published, document, content_type):
    fast, slow = services(published)
    body = json.dumps(document).encode()
    outcomes = []
    for service in (fast, slow):
        try:
            answer = service.predict("churn@production", body, content_type, request_id="r")
            outcomes.append(("ok", answer))
        except WorkbenchError as error:
            outcomes.append((error.status, error.code, error.message))
    assert outcomes[0] == outcomes[1]


def test_csv_and_bad_json_take_the_full_path(published):
    fast, slow = services(published)
    csv = b"usage,tenure,plan\n1.0,3,basic\n"
    assert fast.predict("churn@1", csv, "text/csv", request_id="r") == \
        slow.predict("churn@1", csv, "text/csv", request_id="r")
    for service in (fast, slow):
        with pytest.raises(WorkbenchError) as bad:
            service.predict("churn@1", b"{not json", "application/json")
        assert bad.value.status == 400
