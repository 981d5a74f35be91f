"""Scoring from a notebook: ``mlwb.score("SELECT * FROM customers", "churn@production",
into="scored")`` writes the query's rows with the model's predictions as a new version of a
workspace table (``ws.scoring``, the same call the REST route and the CLI make). A run over a
second shows a progress bar in the cell.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from mlworkbench.notebook import runner

if TYPE_CHECKING:
    from mlworkbench.schemas import ScoreResponse

__all__ = ["score"]


def score(sql: str, model: str, *, into: str, column: str = "prediction",
          probabilities: bool = False, params: dict[str, Any] | list[Any] | None = None,
          show_progress: bool = True) -> ScoreResponse:
    """Score the rows of one SELECT with a published model into a new version of ``into``.

    Args:
        sql: One SELECT whose columns include the model's input columns.
        model: ``name@alias``, ``name@<version>`` or ``name`` (its newest version).
        into: The workspace table to write (created, or given a new version).
        column: The prediction column's name.
        probabilities: Also write ``<column>_<class>`` probability columns.
        params: The query's ``$name`` (dict) or positional (list) values.
        show_progress: Show a progress bar in the cell once scoring takes over a second.

    Returns:
        The table at its new version, the model version and sha256, the rows scored.

    Raises:
        NotFoundError, SignatureError, InvalidRequestError, QueryError: As ``ws.scoring.score``.
    """
    bar = _ProgressBar() if show_progress else None
    result = runner().ws.scoring.score(sql, model, into=into, column=column,
                                       probabilities=probabilities, parameters=params,
                                       progress=bar.update if bar else None)
    if bar is not None:
        bar.finish(result)
    return result


class _ProgressBar:
    """One display in the cell, updated in place (only once scoring has taken 1 s)."""

    def __init__(self) -> None:
        self._handle: Any = None

    def update(self, done: int, total: int) -> None:
        from IPython.display import HTML, display

        fraction = done / total if total else 1.0
        content = HTML(f'<progress max="1000" value="{round(fraction * 1000)}" '
                       f'style="width:320px;vertical-align:middle"></progress> '
                       f"Scoring: {done:,} of {total:,} rows")
        if self._handle is None:
            self._handle = display(content, display_id=True)
        else:
            self._handle.update(content)

    def finish(self, result: ScoreResponse) -> None:
        if self._handle is None:
            return
        from IPython.display import HTML

        self._handle.update(HTML(
            f"Scored {result.rows:,} rows with model {html.escape(result.model)} version "
            f"{result.version} into {html.escape(result.table.name)} "
            f"(version {result.table.version})."))
