"""The result of a SQL cell: first page for display, whole result on demand from DuckDB."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlworkbench.core.data.cells import CellReader
from mlworkbench.schemas import ColumnInfo

if TYPE_CHECKING:
    from mlworkbench.core import Workspace

MIME_TYPE = "application/vnd.mlworkbench.result+json"
SHOWN_ROWS = 20  # rows in the HTML/plain fallbacks; the grid gets the whole first page


@dataclass
class SqlResult:
    """What ``%%sql`` and ``mlwb.sql()`` return.

    Attributes:
        columns: Names and DuckDB types.
        rows: The first page, as JSON-safe cells.
        elapsed_ms: Time from the start of the run to the first page.
        session_id: The core result session (None when the whole result was fetched into
            ``frame`` by ``-o``).
        query_id: The run's id.
        message: What a statement without rows did ('CREATE TABLE').
        frame: The whole result fetched by ``-o`` (pandas, polars or Arrow).
    """

    columns: list[ColumnInfo]
    rows: list[list[Any]]
    elapsed_ms: float
    session_id: str | None = None
    query_id: str | None = None
    message: str | None = None
    frame: Any = None
    _total: int | None = None
    _ws: Workspace | None = field(default=None, repr=False)

    @classmethod
    def from_session(cls, ws: Workspace, session, rows: list, started: float) -> SqlResult:
        """A result kept as a core result session (paged by the grid, fetched on demand)."""
        return cls(
            columns=list(session.columns),
            rows=rows,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            session_id=session.id,
            query_id=session.query_id,
            message=session.message,
            _total=session.total_rows,
            _ws=ws,
        )

    @classmethod
    def from_frame(cls, ws: Workspace, cursor, frame: Any, started: float) -> SqlResult:
        """A result already fetched whole; its first page is read back through DuckDB so the
        cells are the same as a session's."""
        elapsed = (time.perf_counter() - started) * 1000
        columns: list[ColumnInfo] = []
        rows: list = []
        width = frame.num_columns if hasattr(frame, "num_columns") else len(frame.columns)
        if width:
            cursor.register("mlwb_frame", frame)
            described = cursor.execute("DESCRIBE mlwb_frame").fetchall()
            columns = [ColumnInfo(name=r[0], type=r[1]) for r in described]
            reader = CellReader(columns)
            rows = reader.rows(
                cursor.execute(f"SELECT {reader.select_list} FROM mlwb_frame LIMIT {SHOWN_ROWS}")
            )
            cursor.unregister("mlwb_frame")
        total = frame.num_rows if hasattr(frame, "num_rows") else len(frame)
        return cls(columns=columns, rows=rows, elapsed_ms=elapsed, frame=frame, _total=total, _ws=ws)

    @property
    def total_rows(self) -> int | None:
        """All rows of the result; None while the core still counts it in the background."""
        if self._total is None and self.session_id and self._ws is not None:
            self._total = self._ws.results.describe(self.session_id).total_rows
        return self._total

    def wait(self) -> int:
        """Wait until the whole result is kept and counted; returns the row count."""
        if self.session_id and self._total is None:
            self._ws.results.get(self.session_id).wait()
        return self.total_rows or 0

    def _fetch(self, method: str) -> Any:
        if self.frame is not None:
            return self.frame
        session = self._ws.results.get(self.session_id)
        convert = {"arrow": arrow_table, "df": lambda r: r.df(), "pl": lambda r: r.pl()}[method]
        frame = session.fetch_whole(convert)  # one pass, while the background copy waits
        if frame is not None:
            self._total = session.total_rows
            return frame
        session.wait()
        cursor = self._ws.engine.cursor(refresh=False)
        try:
            with session.lock:  # the session must not drop its table under the read
                source = session.table or "(SELECT NULL WHERE false)"
                relation = cursor.sql(f"SELECT * FROM {source}")
                if method == "arrow":
                    return arrow_table(relation)
                return getattr(relation, method)()
        finally:
            cursor.close()

    def df(self):
        """The whole result as a pandas DataFrame, straight from DuckDB."""
        frame = self._fetch("df")
        return frame if type(frame).__module__.startswith("pandas") else _convert(frame, "pandas")

    def pl(self):
        """The whole result as a polars DataFrame (needs polars)."""
        frame = self._fetch("pl")
        return frame if type(frame).__module__.startswith("polars") else _convert(frame, "polars")

    def arrow(self):
        """The whole result as a pyarrow Table."""
        frame = self._fetch("arrow")
        return frame if type(frame).__module__.startswith("pyarrow") else _convert(frame, "arrow")

    # -- display ------------------------------------------------------------------------------

    def _count_line(self) -> str:
        if self.message and not self.columns:
            return self.message
        total, shown = self.total_rows, min(len(self.rows), SHOWN_ROWS)
        if total is None:
            return f"{shown:,} rows shown of more than {len(self.rows):,} (still counting)"
        noun = "row" if total == 1 else "rows"
        if shown < total:
            return f"{shown:,} of {total:,} {noun} shown"
        return f"{total:,} {noun}"

    def _payload(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "query_id": self.query_id,
            "columns": [c.model_dump() for c in self.columns],
            "rows": self.rows,
            "total_rows": self.total_rows,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "message": self.message,
        }

    def _html(self) -> str:
        head = "".join(f"<th>{html.escape(c.name)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell_html(v)}</td>" for v in row) + "</tr>"
            for row in self.rows[:SHOWN_ROWS]
        )
        table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if head else ""
        info = f"{html.escape(self._count_line())} &middot; {self.elapsed_ms:,.0f} ms"
        return f"<div class='mlwb-result'>{table}<p>{info}</p></div>"

    def _plain(self) -> str:
        names = [c.name for c in self.columns]
        lines = []
        if names:
            cells = [names] + [["NULL" if v is None else str(v) for v in r] for r in self.rows[:SHOWN_ROWS]]
            widths = [max(len(r[i]) for r in cells) for i in range(len(names))]
            lines = [" | ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
            lines.insert(1, "-+-".join("-" * w for w in widths))
        lines.append(self._count_line())
        return "\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {MIME_TYPE: self._payload(), "text/html": self._html(), "text/plain": self._plain()}

    def __repr__(self) -> str:
        return self._plain()


def _cell_html(value: Any) -> str:
    return "<i>NULL</i>" if value is None else html.escape(str(value))


def _convert(frame: Any, kind: str) -> Any:
    import duckdb

    relation = duckdb.from_arrow(frame) if kind != "arrow" and hasattr(frame, "num_rows") else None
    if relation is None:
        relation = duckdb.query_df(frame, "f", "SELECT * FROM f") if hasattr(frame, "iloc") else duckdb.from_arrow(frame.to_arrow())
    return {"pandas": relation.df, "polars": relation.pl, "arrow": lambda: arrow_table(relation)}[kind]()


def arrow_table(relation: Any) -> Any:
    """The whole result as a pyarrow Table (DuckDB 2 renamed ``fetch_arrow_table``)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return fetch()
