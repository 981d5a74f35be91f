"""`mlworkbench serve` as a real subprocess on a free port: the token, health and version, and a
prediction logged to the workspace that outlives the server."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mlworkbench.core import Workspace

ROW = {"usage": 9.5, "tenure": 90, "plan": "pro"}


@pytest.fixture
def workspace_path(tmp_path: Path, workspace_templates) -> Path:
    path = tmp_path / ".mlworkbench"
    run_id = workspace_templates.copy("churn", path)["run_id"]
    ws = Workspace.open(path, root_dir=tmp_path, memory_limit="1GB")
    try:
        ws.registry.publish(run_id, "churn")
        ws.registry.set_alias("churn", "production", 1)
    finally:
        ws.close()
    return path


def start(workspace: Path, *args: str) -> tuple[subprocess.Popen, int, str]:
    """Start the server on a free port (--port 0); read the port and token it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "--workspace", str(workspace), "serve",
         "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=workspace.parent,
        env={**os.environ, "MLWORKBENCH_SERVE_TOKEN": ""})
    url = process.stdout.readline()
    token_line = process.stdout.readline()
    assert url.startswith("mlworkbench serve: http://127.0.0.1:"), url + process.stderr.read()
    port = int(url.split("http://127.0.0.1:")[1].split("/")[0])
    return process, port, token_line.split()[1]


def call(port: int, method: str, path: str, body=None, token: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"token {token}"
    connection.request(method, path, body=None if body is None else json.dumps(body),
                       headers=headers)
    response = connection.getresponse()
    data = json.loads(response.read())
    connection.close()
    return response.status, data


def test_serve_answers_with_its_token_only_and_logs_what_it_answered(workspace_path):
    process, port, token = start(workspace_path)
    try:
        assert token and "generated" not in token
        assert call(port, "GET", "/health") == (200, {"status": "ok"})  # probes need no token
        assert call(port, "GET", "/ping")[0] == 200
        code, version = call(port, "GET", "/version", token=token)
        assert code == 200 and [m["name"] for m in version["models"]] == ["churn"]

        path = "/mlworkbench/api/models/churn@production/predict"
        assert call(port, "POST", path, {"inputs": ROW})[0] == 401
        assert call(port, "POST", path, {"inputs": ROW}, token="wrong")[0] == 403
        assert call(port, "GET", "/version")[0] == 401
        code, answer = call(port, "POST", path, {"dataframe_records": [ROW, ROW]}, token=token)
        assert code == 200 and (answer["model"], answer["version"]) == ("churn", 1)
        assert len(answer["predictions"]) == 2
        code, answer = call(port, "POST", "/models/churn/predict", {"inputs": ROW}, token=token)
        assert code == 200 and answer["version"] == 1
        code, error = call(port, "POST", "/models/gone/predict", {"inputs": ROW}, token=token)
        assert code == 404 and "churn" in error["message"]
        code, error = call(port, "POST", path, {"inputs": {"usage": 1}}, token=token)
        assert code == 422 and "tenure" in error["message"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0, process.stderr.read()

    ws = Workspace.open(workspace_path, root_dir=workspace_path.parent, memory_limit="1GB")
    try:  # written at shutdown, read by another process
        logged = ws.query("SELECT status, rows FROM prediction_log ORDER BY time")
    finally:
        ws.close()
    assert list(logged["status"]) == [200, 200, 404, 422]
    assert list(logged["rows"]) == [2, 1, 0, 1]


def test_a_given_token_is_used(workspace_path):
    process, port, token = start(workspace_path, "--token", "s3cret")
    try:
        assert token == "s3cret"
        assert call(port, "GET", "/version", token="s3cret")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
