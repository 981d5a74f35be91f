"""A jupyter server killed with SIGKILL while it saves a table: the previous version reads back
after a restart. A real server process, not the in-process test server, so it can be killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

TOKEN = "kill-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, workspace: Path):
        self.port = _free_port()
        env = os.environ | {"MLWORKBENCH_HOME": str(workspace), "JUPYTER_PLATFORM_DIRS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
             f"--port={self.port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
             f"--ServerApp.root_dir={root}", "--ServerApp.jpserver_extensions=mlworkbench=True"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}/mlworkbench/api",
            headers={"Authorization": f"token {TOKEN}"},
            timeout=300,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, "the server did not start"
            try:
                if self.client.get("/status").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)

    def query(self, sql: str, **body) -> dict:
        response = self.client.post("/queries", json={"sql": sql, **body})
        assert response.status_code == 200, response.text
        return response.json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.client.close()


@pytest.fixture
def places(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    return root, tmp_path / "workspace"


def test_a_server_killed_during_a_save_keeps_the_previous_version(places):
    root, workspace = places
    server = Server(root, workspace)
    try:
        first = server.query("SELECT 41 + 1 AS answer")
        saved = server.client.post(f"/results/{first['session_id']}/save", json={"name": "t"})
        assert saved.status_code == 201, saved.text

        big = server.query(
            "SELECT i, md5(i::VARCHAR) AS h FROM range(20000000) t(i)", page_size=5
        )
        # The save blocks until written; send it from a thread, then kill the server mid-write.
        outcome: dict = {}

        def save() -> None:
            try:
                outcome["response"] = server.client.post(
                    f"/results/{big['session_id']}/save", json={"name": "t", "overwrite": True}
                )
            except httpx.TransportError as e:
                outcome["error"] = e

        thread = threading.Thread(target=save)
        thread.start()
        folder = next((workspace / "tables").iterdir())
        deadline = time.monotonic() + 180
        while not any(p.name.endswith(".tmp") for p in folder.iterdir()):
            assert "response" not in outcome, "the save finished before the kill"
            assert time.monotonic() < deadline, "no temp file appeared"
            time.sleep(0.01)
        time.sleep(0.2)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        thread.join(30)
        assert "error" in outcome, "the client should have lost its connection"
    finally:
        server.stop()

    restarted = Server(root, workspace)
    try:
        versions = restarted.client.get("/tables/t").json()["versions"]
        assert [v["version"] for v in versions] == [1]
        assert restarted.query("SELECT * FROM t")["rows"] == [[42]]
    finally:
        restarted.stop()
