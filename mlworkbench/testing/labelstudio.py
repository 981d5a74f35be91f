"""Start and stop a real Label Studio server for tests and benchmarks.

The server lives in its own virtual environment (``make labelstudio`` creates
``.venv-labelstudio``: label-studio pins packages that conflict with the project's). It runs on
127.0.0.1 on a free port, with a fresh data directory, a preset user and legacy API token, and
telemetry and version checks off, so no connection leaves the machine. It is stopped by pid.

Example::

    with LabelStudioServer.start(tmp_path) as ls:
        client = LabelStudio(base_url=ls.url, api_key=ls.token)
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_VENV = REPO / ".venv-labelstudio"
USERNAME = "tests@mlworkbench.local"


def executable(venv: Path | None = None) -> Path:
    """The ``label-studio`` command of the server's venv (``$LABEL_STUDIO_VENV`` overrides).

    Raises:
        FileNotFoundError: the venv is missing; the message says to run ``make labelstudio``.
    """
    root = Path(venv or os.environ.get("LABEL_STUDIO_VENV") or DEFAULT_VENV)
    exe = root / "bin" / "label-studio"
    if not exe.exists():
        raise FileNotFoundError(
            f"No Label Studio server at {exe}: run 'make labelstudio' to install it in {root}."
        )
    return exe


def free_port() -> int:
    """A TCP port nobody listens on now (Label Studio silently moves to the next port when its
    port is busy, so the caller must pick a free one itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(data_dir: Path, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            "LABEL_STUDIO_USERNAME": USERNAME,
            "LABEL_STUDIO_PASSWORD": secrets.token_urlsafe(16),
            "LABEL_STUDIO_USER_TOKEN": token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "LATEST_VERSION_CHECK": "false",
            "COLLECT_ANALYTICS": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "SECRET_KEY": secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class LabelStudioServer:
    """A running Label Studio server started by :meth:`start`; :meth:`stop` ends it by pid."""

    url: str
    token: str
    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    @classmethod
    def start(
        cls, workdir: str | os.PathLike, *, port: int | None = None, timeout: float = 120.0,
        venv: Path | None = None,
    ) -> LabelStudioServer:
        """Start a server with a fresh data directory under ``workdir``; return once
        ``/health`` answers UP.

        Raises:
            FileNotFoundError: the server's venv is missing.
            RuntimeError: it did not come up within ``timeout`` (the log's tail is in the
                message); the process is stopped first.
        """
        exe = executable(venv)
        workdir = Path(workdir)
        data_dir = workdir / "label-studio-data"
        data_dir.mkdir(parents=True, exist_ok=False)
        port = port or free_port()
        token = secrets.token_hex(20)
        log_path = workdir / "label-studio.log"
        log = open(log_path, "wb")  # noqa: SIM115 - the child writes to it until stop()
        process = subprocess.Popen(
            [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1",
             "--port", str(port), "--data-dir", str(data_dir)],
            env=_environment(data_dir, token), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True,
        )
        log.close()
        server = cls(f"http://127.0.0.1:{port}", token, port, data_dir, log_path, process)
        try:
            server._wait_healthy(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Label Studio exited with code {self.process.returncode} before it was "
                    f"ready:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if b'"UP"' in response.read():
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"Label Studio was not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the server's process group (the server and any worker it forked), then
        SIGKILL what is left after ``timeout``."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def __enter__(self) -> LabelStudioServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":  # a quick manual check: python -m mlworkbench.testing.labelstudio DIR
    import tempfile

    with LabelStudioServer.start(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()) as s:
        print(s.url, "up; log", s.log_path)
