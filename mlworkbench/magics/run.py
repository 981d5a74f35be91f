"""Run a SQL cell in the kernel: bind ``$names``, expose DataFrames, keep named queries.

The cell runs on its own cursor of the workspace's DuckDB (``ws.engine``), so the DataFrames it
names and the kernel's named queries are registered there and nowhere else; the last statement
becomes a core result session (``ws.results``), or, with ``-o``, is fetched straight into
pandas/polars/Arrow by DuckDB itself (as fast as bare ``duckdb.sql(q).df()``).
"""

from __future__ import annotations

import difflib
import queue
import re
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

import duckdb

from mlworkbench.core.data.statements import Statement, split, tokens
from mlworkbench.core.errors import QueryError, WorkbenchError
from mlworkbench.magics.errors import CellError, from_workbench
from mlworkbench.magics.result import SqlResult, arrow_table

if TYPE_CHECKING:
    from mlworkbench.core import Workspace

PAGE_SIZE = 100
_FRAME_TYPES = {
    ("pandas", "DataFrame"),
    ("polars", "DataFrame"),
    ("polars", "LazyFrame"),
    ("pyarrow", "Table"),
    ("pyarrow", "RecordBatchReader"),
    ("pyarrow", "Dataset"),
}
_MISSING_TABLE = re.compile(r"Table with name (\S+) does not exist!")


def is_frame(value: Any) -> bool:
    """A pandas/polars DataFrame or an Arrow table (checked without importing those libraries)."""
    kind = type(value)
    return (kind.__module__.split(".")[0], kind.__name__) in _FRAME_TYPES


def identifiers(sql: str) -> set[str]:
    """Every identifier-like token of ``sql`` (unquoted), the candidates for a DataFrame name."""
    names = set()
    for _, kind, text in tokens(sql):
        if kind in (duckdb.token_type.identifier, duckdb.token_type.keyword):
            names.add(text[1:-1] if text.startswith('"') and text.endswith('"') else text)
    return names


def parameters(statements: list[Statement], explicit: dict, namespace: dict) -> dict[str, Any]:
    """The values of the ``$names`` the statements bind: ``-p`` first, then Python variables.

    Raises:
        CellError: A name has no value, or the SQL uses positional ``?`` parameters.
    """
    needed = set().union(*(s.parameter_names for s in statements))
    values = {}
    for name in sorted(needed):
        if name.isdigit():
            raise CellError("UsageError", "Use $name parameters in a SQL cell, not ? or $1.")
        if name in explicit:
            values[name] = explicit[name]
        elif name in namespace:
            values[name] = namespace[name]
        else:
            raise CellError(
                "NameError", f"${name}: no Python variable '{name}' is defined (or pass -p {name}=...)."
            )
    return values


def suggest(error: QueryError, candidates: list[str]) -> QueryError:
    """Name near matches for an unknown table, from the workspace and the kernel.

    DuckDB's own candidate may be a system view (``pg_namespace``) that means nothing to the
    user, so its guess is replaced by difflib's over the names the user can query.
    """
    match = _MISSING_TABLE.search(error.message)
    if match:
        message = re.sub(r'\s*Did you mean "[^"]*"\?', "", error.message)
        near = difflib.get_close_matches(match.group(1), candidates, n=3, cutoff=0.6)
        if near:
            message += " Did you mean " + " or ".join(f"'{n}'" for n in near) + "?"
        error.message = message
    return error


class _Workers:
    """Daemon threads kept between cells: starting a thread per cell cost more than a small
    query. A busy worker (a query still running after an interrupt) is never reused."""

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue = queue.SimpleQueue()  # inboxes of idle workers

    def run(self, work: Any) -> threading.Event:
        """Run ``work`` (which must not raise) on an idle worker; the event is set after."""
        done = threading.Event()
        try:
            inbox = self._idle.get_nowait()
        except queue.Empty:
            inbox = queue.SimpleQueue()
            threading.Thread(target=self._loop, args=(inbox,), name="mlwb-cell", daemon=True).start()
        inbox.put((work, done))
        return done

    def _loop(self, inbox: queue.SimpleQueue) -> None:
        while True:
            work, done = inbox.get()
            try:
                work()
            finally:
                self._idle.put(inbox)  # idle again before the caller goes on
                done.set()


_WORKERS = _Workers()


class Runner:
    """The kernel's SQL state: the workspace (opened on first use) and the named queries.

    Args:
        workspace: The workspace directory; None for ``Workspace.open``'s default.
    """

    def __init__(self, workspace: str | None = None) -> None:
        self.path = workspace
        self.named: dict[str, str] = {}  # name -> SELECT text, in definition order
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        """The open workspace (opened now if it was not)."""
        if self._ws is None:
            from mlworkbench.core import Workspace

            self._ws = Workspace.open(self.path)
        return self._ws

    def use(self, path: str) -> None:
        """Switch to another workspace directory (closing the open one)."""
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        self.path = path

    def run(self, sql: str, namespace: dict, *, out: str | None = None, output: str = "pandas",
            save_table: str | None = None, overwrite: bool = False, name: str | None = None,
            params: dict | None = None) -> SqlResult:
        """Run a cell's SQL; a kernel interrupt cancels it and leaves the kernel usable.

        Args:
            sql: One or several statements; the last one's result is returned.
            namespace: The user's variables: ``$names`` and DataFrames are looked up here.
            out: Fetch the whole result into this kind of frame at once (see ``output``).
            output: ``pandas``, ``polars`` or ``arrow``.
            save_table: Save the result as a new version of this workspace table.
            overwrite: Allow a new version of an existing table.
            name: Keep the last statement as a named query.
            params: Explicit ``$name`` values.

        Returns:
            The result.

        Raises:
            CellError: Empty SQL, a missing variable, a bad DataFrame, a DuckDB error, a cancel.
        """
        if not sql.strip():
            raise CellError("UsageError", "The cell has no SQL: write a query under %%sql.")
        try:
            statements = split(sql)
            values = parameters(statements, params or {}, namespace)
            if name and statements[-1].parameter_names:
                raise CellError("UsageError", f"--name {name}: a named query cannot use $parameters.")
            frames = self._frames(sql, namespace)
            return self._interruptible(
                statements, sql, values, frames, out and output, save_table, overwrite, name
            )
        except WorkbenchError as error:
            if isinstance(error, QueryError):
                error = suggest(error, self._names(namespace))
            raise from_workbench(error) from None

    def _frames(self, sql: str, namespace: dict) -> dict[str, Any]:
        wanted = identifiers(sql + "\n".join(self.named.values()))
        return {n: namespace[n] for n in wanted if n in namespace and is_frame(namespace[n])}

    def _names(self, namespace: dict) -> list[str]:
        names = list(self.ws.catalog.names()) + list(self.named)
        return names + [n for n, v in namespace.items() if not n.startswith("_") and is_frame(v)]

    def _interruptible(self, *args: Any) -> SqlResult:
        # The query runs in a worker thread so that the main thread can take KeyboardInterrupt
        # and interrupt DuckDB; DuckDB itself never sees the signal.
        box: dict[str, Any] = {}
        query_id = uuid.uuid4().hex
        cursor = self.ws.engine.cursor()

        def work() -> None:
            try:
                box["result"] = self._execute(cursor, query_id, *args)
            except BaseException as error:  # handed to the main thread
                box["error"] = error

        done = _WORKERS.run(work)
        try:
            while not done.wait(0.05):
                pass
        except KeyboardInterrupt:
            while not done.is_set():  # an interrupt reaches only a statement already running
                try:
                    cursor.interrupt()
                except duckdb.Error:
                    break
                done.wait(0.02)
            raise CellError("QueryCancelledError", "The query was cancelled.") from None
        if "error" in box:
            raise box["error"]
        return box["result"]

    def _execute(self, cursor, query_id, statements, sql, values, frames, output, save_table,
                 overwrite, name) -> SqlResult:
        started = time.perf_counter()
        owned = True
        try:
            for frame_name, frame in frames.items():
                try:
                    cursor.register(frame_name, frame)
                except duckdb.Error as error:
                    raise CellError(
                        "UnsupportedError",
                        f"The DataFrame '{frame_name}' cannot be queried: {error}. "
                        "Convert those columns (e.g. .astype(str)) first.",
                    ) from None
            for view, text in self.named.items():
                try:
                    cursor.execute(f'CREATE OR REPLACE TEMP VIEW "{view}" AS {text}')
                except duckdb.Error:
                    pass  # it names something gone: the cell using it gets DuckDB's own error
            for statement in statements[:-1]:
                # predict('churn@production', *) runs the published model (ws.sql's way).
                with self.ws.sql.predicting(cursor, statement, sql, values) as (
                        text, bound, fail):
                    try:
                        cursor.execute(text, bound)
                    except duckdb.Error as error:
                        raise fail(error, text, 0) from None
            with self.ws.sql.predicted(cursor, statements[-1], sql, values) as last:
                if output and not save_table:
                    result = self._fetch(cursor, last, sql, values, output, started)
                else:
                    owned = False  # the session owns the cursor from here
                    session, rows = self.ws.results.open(
                        cursor, last, sql=sql, parameters=values, page_size=PAGE_SIZE,
                        query_id=query_id,
                    )
                    if save_table:
                        from mlworkbench.schemas import SaveResultRequest

                        self.ws.results.save(
                            session.id, SaveResultRequest(name=save_table, overwrite=overwrite))
                    result = SqlResult.from_session(self.ws, session, rows, started)
            if name:
                last = statements[-1]
                if not last.is_select:
                    raise CellError("UsageError", f"--name {name}: only a SELECT can be named.")
                self.named.pop(name, None)
                self.named[name] = last.body
            return result
        finally:
            if owned:
                cursor.close()

    def _fetch(self, cursor, last: Statement, sql: str, values: dict, output: str,
               started: float) -> SqlResult:
        try:
            # A relation, not execute(): DuckDB converts it to Arrow without an extra copy.
            relation = cursor.sql(last.text, params=last.bind(values))
            if relation is None:  # CREATE, SET, ...: nothing to fetch
                import pandas

                frame = pandas.DataFrame()
            elif output == "pandas":
                frame = relation.df()
            elif output == "polars":
                frame = relation.pl()
            else:
                frame = arrow_table(relation)
        except duckdb.Error as error:
            raise last.error(error, sql) from None
        return SqlResult.from_frame(self.ws, cursor, frame, started)
