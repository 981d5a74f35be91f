"""``record(name, value)`` from inside a job's notebook: the value is kept with the run.

The runner hands the run's folder to the kernel in ``MLWORKBENCH_RUN_DIR``; values go to its
``values.json`` (rewritten whole, through a temporary file and a rename, so a reader never sees
half of it), which the runner copies into the run's metadata when it ends. Outside a job,
nothing is written.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.jobs.process import RUN_DIR_ENV, VALUES


def record(name: str, value: Any) -> bool:
    """Keep ``value`` under ``name`` for the current job run.

    Returns:
        True when it was kept (the notebook runs as a job), False otherwise.

    Raises:
        InvalidRequestError: An empty name, or a value that is not JSON (numbers, text,
            booleans, lists, dicts).
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequestError("name", "Record a value under a non-empty name.")
    value = _plain(value)
    try:
        json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        raise InvalidRequestError("value", f"'{name}': only numbers, text, booleans, lists and "
                                           f"dicts can be recorded, not {type(value).__name__}."
                                  ) from None
    folder = os.environ.get(RUN_DIR_ENV)
    if not folder:
        return False
    path = Path(folder) / VALUES
    values = json.loads(path.read_text()) if path.exists() else {}
    values[name] = value
    tmp = path.with_name(f".{VALUES}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(values))
    os.replace(tmp, path)
    return True


def _plain(value: Any) -> Any:
    """numpy scalars become Python numbers; NaN becomes None."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
