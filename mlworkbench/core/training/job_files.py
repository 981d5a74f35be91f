"""The files through which a training run's server (or kernel) and its training process talk.

One folder per run, ``<workspace>/experiments/jobs/<run id>/`` (outside the experiment store's
artifact folders, which its sweep keeps clean of anything unregistered; removed with the run):

- ``progress.json``: the latest progress, rewritten after each trial;
- ``result.json``: ``TrainResult.to_dict()`` once the search ended;
- ``error.json``: ``{"message", "code", "detail"}`` when training refused or failed;
- ``stop``: present once Stop was asked for;
- ``worker.log``: the training process's stdout and stderr.

Each JSON file is written to a temp name and renamed, so a reader sees the previous version or
the next one, never half a file.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from mlworkbench.core.experiments.experiments import job_folder
from mlworkbench.core.experiments.records import jsonable

PROGRESS, RESULT, ERROR, STOP, LOG = (
    "progress.json", "result.json", "error.json", "stop", "worker.log")


class JobFiles:
    """The job folder of one run.

    Args:
        workspace: The workspace directory.
        run_id: The run.
    """

    def __init__(self, workspace: Path, run_id: int) -> None:
        self.folder = job_folder(workspace, run_id)

    def path(self, name: str) -> Path:
        return self.folder / name

    def write(self, name: str, data: Any, *, durable: bool = False) -> None:
        """Write ``data`` as JSON atomically (temp name, rename); ``durable`` fsyncs it first
        (the result and the error: what a run is remembered by)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
        text = json.dumps(jsonable(data), allow_nan=False)
        try:
            with open(tmp, "w", encoding="utf-8") as file:
                file.write(text)
                if durable:
                    file.flush()
                    os.fsync(file.fileno())
            os.replace(tmp, self.folder / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def read(self, name: str) -> Any:
        """The JSON of ``name``, or None when it is missing (or unreadable)."""
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
            return None

    def request_stop(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / STOP).touch()

    @property
    def stop_requested(self) -> bool:
        return (self.folder / STOP).exists()
