"""Data preparation from a notebook: ``mlwb.profile("orders")`` and ``mlwb.suggest_joins(...)``,
over the kernel's workspace (the one ``%%sql`` and ``mlwb.sql`` use).

A profile displays as one Vega-Lite v5 chart (every column's histogram or top values, each
titled with its type, null share and distinct count) with a plain-text summary beside it. It
carries no ``text/html`` on purpose: JupyterLab prefers HTML (rank 50) to Vega-Lite (rank 57),
so an HTML summary would hide the charts. ``.summary()`` gives the numbers as a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlworkbench.core.data.charts import profile_chart
from mlworkbench.core.data.profile_text import profile_text
from mlworkbench.core.data.statements import split
from mlworkbench.core.errors import WorkbenchError
from mlworkbench.notebook import runner
from mlworkbench.schemas.prep import (
    ColumnProfile,
    DescribeProfile,
    JoinSuggestion,
    ProfileRequest,
    SuggestJoinsRequest,
)

if TYPE_CHECKING:
    import pandas

VEGALITE = "application/vnd.vegalite.v5+json"
_STATS = ["type", "null_share", "distinct", "min", "max", "mean", "std"]


@dataclass
class Profile:
    """A profile in a notebook: displays as charts; ``.model`` is the core's answer."""

    model: DescribeProfile

    @property
    def columns(self) -> list[ColumnProfile]:
        return self.model.columns

    def __getitem__(self, name: str) -> ColumnProfile:
        for column in self.model.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def summary(self) -> pandas.DataFrame:
        """One row per column: type, null share, distinct count, min, max, mean, std."""
        import pandas

        rows = {c.name: [getattr(c, s) for s in _STATS] for c in self.model.columns}
        return pandas.DataFrame.from_dict(rows, orient="index", columns=_STATS)

    def chart(self) -> dict[str, Any] | None:
        """Every column's chart as one Vega-Lite v5 spec (None when nothing can be drawn)."""
        return profile_chart(self.model)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/plain": str(self)}
        chart = self.chart()
        if chart is not None:
            bundle[VEGALITE] = chart
        return bundle

    def __str__(self) -> str:
        return profile_text(self.model)


def profile(target: Any, *, columns: list[str] | None = None, **options: Any) -> Profile:
    """Profile a table, a SELECT, or a result of ``mlwb.sql`` / ``%%sql``.

    Args:
        target: A table or source name, a SELECT text, or a result object.
        columns: Only these columns.
        **options: :class:`~mlworkbench.schemas.ProfileRequest` options (``sample_threshold``,
            ``sample_rows``, ``top_k``, ``bins``, ...).

    Returns:
        The profile; it displays as charts, ``.summary()`` gives a DataFrame.

    Raises:
        NotFoundError: No such table (near matches named) or column.
        QueryError: The SELECT does not bind.
    """
    session_id = getattr(target, "session_id", None)
    if session_id is not None:
        request = ProfileRequest(session_id=session_id, columns=columns, **options)
    elif isinstance(target, str) and is_query(target):
        request = ProfileRequest(sql=target, columns=columns, **options)
    elif isinstance(target, str):
        request = ProfileRequest(table=target, columns=columns, **options)
    else:
        raise TypeError("profile() takes a table name, a SELECT, or a result of mlwb.sql().")
    return Profile(runner().ws.prep.profile(request))


def suggest_joins(*tables: str, limit: int = 10) -> list[JoinSuggestion]:
    """Ranked join keys between two or more tables, best first (``.condition`` is the SQL).

    Raises:
        NotFoundError: A table does not exist.
    """
    request = SuggestJoinsRequest(tables=list(tables), limit=limit)
    return runner().ws.prep.suggest_joins(request).suggestions


def is_query(text: str) -> bool:
    """Whether ``text`` is one SELECT-like statement rather than a table name (which may hold
    spaces): how ``mlwb.profile`` and ``mlwb.label`` tell the two apart.

    Args:
        text: What the user passed.

    Returns:
        True for a single SELECT (or WITH ... SELECT), False for anything else.

    >>> is_query("SELECT * FROM reviews WHERE stars > 3")
    True
    >>> is_query("reviews"), is_query("my reviews")
    (False, False)
    >>> is_query("SELECT 1; SELECT 2")
    False
    """
    if not any(ch.isspace() for ch in text.strip()):
        return False
    try:
        statements = split(text)
    except WorkbenchError:  # a name that does not parse is a name
        return False
    return len(statements) == 1 and statements[0].is_select
