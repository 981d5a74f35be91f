"""What the experiment store hands out: plain records whose ``to_dict()`` is JSON-ready (the
REST payloads are built from them), and the conversion of logged values to JSON."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import platform
import socket
from collections.abc import Mapping
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from mlworkbench.core.experiments.artifacts import trusted_by_default
from mlworkbench.core.experiments.lineage import Input
from mlworkbench.core.workspace.cleanup import _alive
from mlworkbench.core.workspace.store import RunArtifactRow, RunRow

LIBRARIES = ("scikit-learn", "skops", "skrub", "numpy", "scipy", "pandas", "duckdb")
#: How the error of a run whose process died without ending it begins.
DIED = "The process that ran it"


def jsonable(value: Any) -> Any:
    """A logged value as JSON can hold it.

    NumPy scalars become numbers, NaN and infinities None (JSON has no such numbers), dates ISO
    text, mappings and sequences recurse, anything else its ``repr`` (an estimator given as a
    parameter, say).

    >>> import numpy as np
    >>> jsonable({"C": np.float64(0.5), "loss": float("nan"), "layers": (3, 4)})
    {'C': 0.5, 'loss': None, 'layers': [3, 4]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):  # np.float64 too: a float subclass
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    item = getattr(value, "item", None)  # NumPy and pandas scalars
    if callable(item) and getattr(value, "ndim", None) == 0:
        return jsonable(item())
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return repr(value)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else {}


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), allow_nan=False)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values (datetimes as ISO 8601 text in UTC)."""
        return {f.name: _plain(_as_data(getattr(self, f.name))) for f in dataclasses.fields(self)}


def _as_data(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_as_data(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class RunInput(_Record):
    """One thing a run read; see :class:`~mlworkbench.core.experiments.lineage.Input`.
    ``path`` is absolute here (a table version's file included); ``mtime`` is the file's
    modification time."""

    kind: str
    name: str | None
    table_version_id: int | None
    version: int | None
    path: str
    row_count: int | None
    size: int | None
    mtime: datetime | None
    sha256: str | None

    @classmethod
    def of(cls, item: Input, workspace: Path) -> RunInput:
        path = str(workspace / item.path) if item.kind == "table" else item.path
        mtime = (
            datetime.fromtimestamp(item.mtime_ns / 1e9, tz=timezone.utc)
            if item.mtime_ns is not None
            else None
        )
        return cls(
            item.kind, item.name, item.table_version_id, item.version, path, item.row_count,
            item.size, mtime, item.sha256,
        )


@dataclasses.dataclass(frozen=True)
class RunArtifact(_Record):
    """A file a run produced (a fitted pipeline as a skops file).

    Attributes:
        untrusted_types: The types skops does not trust by itself in the file.
        needs_trust: Those of them loading refuses unless named in ``trusted``.
    """

    id: int
    run_id: int
    name: str
    kind: str
    path: str
    sha256: str
    size: int
    rank: int | None
    score: float | None
    untrusted_types: list[str]
    needs_trust: list[str]
    created_at: datetime

    @classmethod
    def of(cls, row: RunArtifactRow, workspace: Path) -> RunArtifact:
        untrusted = json.loads(row.untrusted_types)
        return cls(
            id=row.id,
            run_id=row.run_id,
            name=row.name,
            kind=row.kind,
            path=str(workspace / row.path),
            sha256=row.sha256,
            size=row.size,
            rank=row.rank,
            score=row.score,
            untrusted_types=untrusted,
            needs_trust=[t for t in untrusted if not trusted_by_default(t)],
            created_at=row.created_at,
        )


@dataclasses.dataclass(frozen=True)
class RunRecord(_Record):
    """A training run as stored.

    Attributes:
        id: The run's id.
        experiment: Its experiment's name.
        status: 'running', 'finished', 'failed' or 'stopped'. A run whose process on this host
            died without ending it reads as 'failed'.
        duration_s: Seconds from start to end (None while running).
        params: What it was given (JSON object).
        metrics: What it measured (JSON object).
        sql: The query it read (None: it was given data directly).
        mlworkbench_version: The code version that ran it.
        versions: Versions of Python and the libraries that matter to its models.
        error: Why it failed or stopped.
        inputs: Its lineage (None when listed without details).
        artifacts: Its files, best rank first.
    """

    id: int
    experiment: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: float | None
    params: dict[str, Any]
    metrics: dict[str, Any]
    task: str | None
    target: str | None
    sql: str | None
    mlworkbench_version: str
    versions: dict[str, str]
    error: str | None
    pid: int | None
    host: str | None
    inputs: list[RunInput] | None
    artifacts: list[RunArtifact]

    @classmethod
    def of(
        cls,
        row: RunRow,
        experiment: str,
        inputs: list[RunInput] | None,
        artifacts: list[RunArtifact],
    ) -> RunRecord:
        status, error = row.status, row.error
        here = row.host == socket.gethostname()
        if status == "running" and row.pid and here and not _alive(row.pid):
            status = "failed"
            error = f"{DIED} (pid {row.pid}) ended without finishing it."
        return cls(
            id=row.id,
            experiment=experiment,
            status=status,
            started_at=row.started_at,
            ended_at=row.ended_at,
            duration_s=row.duration_s,
            params=loads(row.params),
            metrics=loads(row.metrics),
            task=row.task,
            target=row.target,
            sql=row.sql,
            mlworkbench_version=row.mlworkbench_version,
            versions=loads(row.versions),
            error=error,
            pid=row.pid,
            host=row.host,
            inputs=inputs,
            artifacts=artifacts,
        )


def died(record: RunRecord) -> bool:
    """Whether ``record`` reads as failed because its process is gone while the row still says
    'running' (read again to be sure: the process may have ended the run just before it
    exited, after the row was read)."""
    return record.status == "failed" and (record.error or "").startswith(DIED)


@dataclasses.dataclass(frozen=True)
class ExperimentRecord(_Record):
    """An experiment with its number of runs and the start of its newest run."""

    name: str
    created_at: datetime
    runs: int
    last_run_at: datetime | None


@dataclasses.dataclass(frozen=True)
class RunComparison(_Record):
    """Runs side by side: one row per run; ``columns`` are the run's fields, then
    ``params.<name>`` and ``metrics.<name>`` (nested objects flattened with dots).

    Attributes:
        columns: Column names in order.
        rows: One mapping per run, in the order asked.
        differing: The ``params.*`` columns whose values are not the same in every run.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    differing: list[str]

    def to_pandas(self):
        """The table as a pandas DataFrame indexed by run id."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns).set_index("run")


@functools.cache
def library_versions() -> dict[str, str]:
    """Python's version, those of the libraries a fitted model depends on, and the commit of
    mlworkbench when it runs from a git checkout (``+`` when it has uncommitted changes)."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    commit = _checkout_commit()
    if commit:
        versions["mlworkbench_commit"] = commit
    return versions


def _checkout_commit() -> str | None:
    import subprocess

    import mlworkbench

    source = Path(mlworkbench.__file__).resolve().parent.parent
    if not (source / ".git").exists():
        return None
    try:
        git = ["git", "-C", str(source)]
        head = subprocess.run(
            [*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no", "--", "mlworkbench"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")
