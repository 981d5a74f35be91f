"""A jupyter server killed with SIGKILL while it saves a table: the previous version reads back
after a restart. A real server process (bench's JupyterServer), so that it can be killed."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx

from bench.server import JupyterServer


def _query(server: JupyterServer, sql: str, **body) -> dict:
    return server.call("POST", "/queries", json={"sql": sql, **body}).json()


def test_a_server_killed_during_a_save_keeps_the_previous_version(tmp_path):
    root, workspace = tmp_path / "root", tmp_path / "workspace"
    root.mkdir()
    with JupyterServer(root, workspace) as server:
        first = _query(server, "SELECT 41 + 1 AS answer")
        server.call("POST", f"/results/{first['session_id']}/save", json={"name": "t"})
        big = _query(server, "SELECT i, md5(i::VARCHAR) AS h FROM range(20000000) t(i)",
                     page_size=5)
        # The save answers once written: send it from a thread, kill the server mid-write.
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

    with JupyterServer(root, workspace) as restarted:
        versions = restarted.call("GET", "/tables/t").json()["versions"]
        assert [v["version"] for v in versions] == [1]
        assert _query(restarted, "SELECT * FROM t")["rows"] == [[42]]
