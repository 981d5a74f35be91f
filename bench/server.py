"""Start and stop a real ``jupyter server`` with the mlworkbench extension, and talk to it."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

API = "/mlworkbench/api"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """``with JupyterServer(root) as server: server.client.post(...)``; killed on exit."""

    def __init__(self, root_dir: Path, workspace: Path, *, extra_args: list[str] = ()) -> None:
        self.root_dir = root_dir
        self.workspace = workspace
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = root_dir.parent / "jupyter-server.log"
        self.extra_args = list(extra_args)
        self.process: subprocess.Popen | None = None
        self.client: httpx.Client | None = None

    def __enter__(self) -> JupyterServer:
        try:
            self.start()
        except BaseException:
            self.stop()  # __exit__ does not run when __enter__ raises
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> None:
        jupyter = Path(sys.executable).with_name("jupyter")
        runtime = self.root_dir.parent / "jupyter-runtime"
        env = {
            **os.environ,
            "MLWORKBENCH_HOME": str(self.workspace),
            "JUPYTER_RUNTIME_DIR": str(runtime),
        }
        command = [
            str(jupyter), "server", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root_dir}",
            *self.extra_args,
        ]  # fmt: skip
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}{API}",
            headers={"Authorization": f"token {self.token}"},
            timeout=httpx.Timeout(900, connect=5),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter server exited early:\n{self.log_tail()}")
            try:
                response = self.client.get("/status")
                if response.status_code == 200:
                    return
                if response.status_code == 404:
                    raise RuntimeError(
                        "jupyter server runs but has no mlworkbench routes: is the extension "
                        "installed and enabled? (pip install -e . ; "
                        "jupyter server extension list)\n" + self.log_tail()
                    )
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"jupyter server did not answer in {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.process is None or self.process.poll() is not None:
            return
        children = self.tree()[1:]
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        for child in children:  # kernels or workers the server started, if any survived it
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass

    def tree(self) -> list[psutil.Process]:
        """The server process and all its descendants."""
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def rss(self) -> int:
        """Resident memory of the server and its children, in bytes."""
        total = 0
        for process in self.tree():
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.tree():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def wait_quiet(self, cores: float = 0.1, window: float = 0.1, timeout: float = 30) -> bool:
        """Wait until the server uses under ``cores`` CPUs over a ``window``; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(window)
            if self.cpu_seconds() - before < cores * window:
                return True
        return False

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def call(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        """One request; a non-2xx answer raises with the server's error message."""
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:2000]}")
        return response
