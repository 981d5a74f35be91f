"""SQL from Python code in a notebook: ``mlwb.sql("...")``, the same result as ``%%sql``.

The kernel holds one :class:`~mlworkbench.magics.run.Runner` (its workspace, opened on first
use, and its named queries), shared by the magics and :func:`sql`.
"""

from __future__ import annotations

import inspect
from typing import Any

from mlworkbench.magics.result import SqlResult
from mlworkbench.magics.run import Runner

__all__ = ["SqlResult", "runner", "sql"]

_runner: Runner | None = None


def runner() -> Runner:
    """The kernel's SQL state, created on first use."""
    global _runner
    if _runner is None:
        _runner = Runner()
    return _runner


def sql(query: str, params: dict[str, Any] | None = None, *, name: str | None = None,
        namespace: dict[str, Any] | None = None) -> SqlResult:
    """Run SQL over the workspace and return the result object ``%%sql`` shows.

    Args:
        query: One or several statements; ``$name`` binds ``params['name']`` or the caller's
            variable ``name``; DataFrames in the caller's scope are queryable by name.
        params: Explicit ``$name`` values.
        name: Keep the query as a named query later SQL can use like a table.
        namespace: Where to look up variables (default: the caller's globals and locals).

    Returns:
        The result: ``.df()``, ``.pl()``, ``.arrow()``, rich display.

    Raises:
        CellError: A missing variable, a bad DataFrame, a DuckDB error (with its position).
    """
    if namespace is None:
        frame = inspect.currentframe().f_back
        namespace = {**frame.f_globals, **frame.f_locals}
    return runner().run(query, namespace, params=params, name=name)
