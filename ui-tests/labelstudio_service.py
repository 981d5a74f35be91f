"""A real Label Studio server beside the Galata test server (for labelstudio.spec.ts).

``start(c, port)`` is called from jupyter_server_test_config.py. When ``make labelstudio`` has
made ``.venv-labelstudio`` (and ``UI_TEST_LABEL_STUDIO`` is not ``0``), it starts Label Studio
on a free port with a fresh data directory outside the Jupyter root, in a background thread:
a first start migrates a new database (20 s to minutes on a loaded machine) and the Jupyter
server must not wait for it (Playwright gives the web server 120 s). The URL is set at once in
``c.MLWorkbench.label_studio_url``; the API key (a fresh token) reaches the extension through
``$LABEL_STUDIO_API_KEY`` once the server is up, the other documented place it reads.

:func:`info_path` is a JSON file the spec reads: ``{"state": "starting" | "ready" | "failed",
"url", "token", "error"}`` (the spec calls Label Studio's REST itself to annotate a task).

Label Studio is stopped by pid when the Jupyter server exits (atexit), and by a small watchdog
process when the Jupyter server is killed (Playwright SIGKILLs its web server's process group;
Label Studio runs in a session of its own). The watchdog finds it by its data directory, so a
server still starting is stopped too.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from mlworkbench.testing.labelstudio import LabelStudioServer, executable, free_port

WATCHDOG = """
import os, signal, sys, time
parent, marker, info = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False

def servers():
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f'/proc/{entry}/cmdline', 'rb') as f:
                    if marker.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found

while alive(parent):
    time.sleep(1)
for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
    pids = servers()
    for pid in pids:
        try:
            os.killpg(os.getpgid(pid), sig)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + wait
    while pids and time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.25)
try:
    os.remove(info)
except OSError:
    pass
"""


def info_path(port: int | str) -> Path:
    """Where the spec finds the Label Studio URL and token of the test server on ``port``."""
    return Path(tempfile.gettempdir()) / f"mlworkbench-ui-labelstudio-{port}.json"


def _write(info: Path, **state: object) -> None:
    partial = info.with_suffix(".tmp")
    partial.write_text(json.dumps(state))
    partial.replace(info)


def start(c, port: int | str) -> threading.Thread | None:  # noqa: ANN001 - traitlets Config
    """Start Label Studio in the background and point the MLWorkbench extension at it; None
    when it is not installed or turned off (the spec then skips, saying why)."""
    info = info_path(port)
    info.unlink(missing_ok=True)
    if os.environ.get("UI_TEST_LABEL_STUDIO", "1") == "0":
        return None
    try:
        executable()
    except FileNotFoundError as e:
        print(f"[ui-tests] no Label Studio for labelstudio.spec.ts: {e}", file=sys.stderr)
        return None
    workdir = Path(tempfile.mkdtemp(prefix="mlworkbench-ui-labelstudio-"))
    ls_port = free_port()
    url = f"http://127.0.0.1:{ls_port}"
    c.MLWorkbench.label_studio_url = url
    _write(info, state="starting", url=url, workdir=str(workdir))
    atexit.register(info.unlink, missing_ok=True)
    subprocess.Popen(
        [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(workdir / "label-studio-data"),
         str(info)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def run() -> None:
        try:
            server = LabelStudioServer.start(workdir, port=ls_port, timeout=600)
        except Exception as e:  # noqa: BLE001 - reported to the spec, which fails with it
            _write(info, state="failed", url=url, error=str(e))
            print(f"[ui-tests] Label Studio did not start: {e}", file=sys.stderr)
            return
        atexit.register(server.stop)
        os.environ["LABEL_STUDIO_API_KEY"] = server.token
        _write(info, state="ready", url=server.url, token=server.token,
               log=str(server.log_path))
        print(f"[ui-tests] Label Studio at {server.url} (log {server.log_path})",
              file=sys.stderr)

    thread = threading.Thread(target=run, name="ui-tests-labelstudio", daemon=True)
    thread.start()
    return thread
