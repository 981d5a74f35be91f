"""What the job processes share: the environment they hand down, the files of a run's folder,
and how a process tree is stopped."""

from __future__ import annotations

METADATA_URL_ENV = "MLWORKBENCH_METADATA_URL"
RUN_ID_ENV = "MLWORKBENCH_RUN_ID"
RUN_DIR_ENV = "MLWORKBENCH_RUN_DIR"
VALUES = "values.json"
LOG = "log.txt"


def kill_children(pid: int, grace: float = 3.0) -> None:
    """Stop every process under ``pid`` (papermill's kernel and whatever it started; the
    kernel runs in a session of its own, so a process group would not reach it), not ``pid``:
    SIGTERM, then SIGKILL to those still there after ``grace`` seconds."""
    import psutil

    try:
        procs = psutil.Process(pid).children(recursive=True)
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


def alive(pid: int) -> bool:
    """Whether ``pid`` runs on this machine (a zombie does not)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing its optional ``rfc3987_syntax`` in a job process.

    nbformat (which papermill and the parameter reader use) imports jsonschema, whose 'iri'
    format checker imports rfc3987_syntax when installed (jupyter-events pulls it in), and that
    builds a Lark grammar at import: 1 to 1.5 s of every run and every ``mlworkbench run``, for
    a check no notebook schema uses. Without the module, jsonschema leaves the 'iri' checker
    out. Only for processes that have not imported jsonschema yet (the runner, the CLI).
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
