"""What the job processes share: the environment they hand down, the files of a run's folder,
and how a process tree is stopped."""

from __future__ import annotations

import os
import signal

METADATA_URL_ENV = "MLWORKBENCH_METADATA_URL"
RUN_ID_ENV = "MLWORKBENCH_RUN_ID"
RUN_DIR_ENV = "MLWORKBENCH_RUN_DIR"
VALUES = "values.json"
ERROR = "error.json"
LOG = "log.txt"


def kill_tree(pid: int, grace: float = 3.0) -> None:
    """Stop process ``pid`` and every process under it (papermill's kernel runs in a session
    of its own, so its process group alone would leave the kernel behind)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        procs = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def alive(pid: int) -> bool:
    """Whether ``pid`` runs on this machine (a zombie does not)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
