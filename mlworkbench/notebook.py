"""SQL from Python code in a notebook: ``mlwb.sql("...")``, the same result as ``%%sql``.

The kernel holds one :class:`~mlworkbench.magics.run.Runner` (its workspace, opened on first
use, and its named queries), shared by the magics and :func:`sql`.
"""

from __future__ import annotations

import inspect
from typing import Any

from mlworkbench.magics.result import SqlResult
from mlworkbench.magics.run import Runner

__all__ = ["SqlResult", "label", "runner", "sql"]

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


def label(sql: str | None = None, choices: list[str] | None = None, *, into: str,
          key: str | None = None, show: list[str] | None = None, multi: bool = False,
          **options: Any) -> Any:
    """Label the rows of a query in the notebook: ``mlwb.label("SELECT * FROM reviews",
    choices=["pos", "neg"], into="review_labels")``. Creates the label set ``into`` (or reopens
    it: ``mlwb.label(into="review_labels")``) and returns its labeler widget; every label is
    saved in the workspace as it is made. Keys: 1-9 pick, Enter confirms, S skips, U undoes.

    ``options``: ``kind``, ``filter`` (unlabeled, all, disagreements, uncertain), ``annotator``,
    ``overwrite``; see :func:`mlworkbench.widgets.open_labeler`.
    """
    from mlworkbench.widgets import open_labeler

    return open_labeler(runner().ws, sql, choices, into=into, key=key, show=show, multi=multi,
                        **options)
