"""One result session: a query's result kept as tables in DuckDB's in-memory database.

A result never sits whole in Python. Opening a SELECT runs it once with a LIMIT into a small
table (``r_<id>_head``, one row more than the first page), so the first page comes back as fast
as DuckDB can produce it even for 100 million rows. If that table holds the whole result the
session is ready at once; otherwise a background thread materialises the whole result into
``r_<id>`` (``status=counting`` meanwhile) and counts it. The tables live in a schema of the
shared in-memory database, not as TEMP tables, which DuckDB keeps per cursor.

Sorted and filtered windows come from :class:`~mlworkbench.core.data.sorting.Views`: a top-N
query for the first 100k rows of a sort, a sorted copy only for deeper windows.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from mlworkbench.core.data.cells import CellReader
from mlworkbench.core.data.engine import RESULTS_SCHEMA, Engine
from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.data.sorting import FIRST_ROWS, TOPN_ROWS, Views
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import Parameters, Statement, tokens
from mlworkbench.core.errors import QueryError
from mlworkbench.schemas import ColumnInfo, ResultStatus, SortKey

CLOSE_WAIT_SECONDS = 10.0
# The background copy starts this long after the first page (or at once when it is needed).
COPY_DELAY_SECONDS = 0.3
_CHANGED_ROWS = {"INSERT", "UPDATE", "DELETE", "MERGE_INTO"}
_VERB = re.compile(
    r"(CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:(?:TEMP|TEMPORARY|PERSISTENT)\s+)?"
    r"(?:UNIQUE\s+)?(?:IF\s+NOT\s+EXISTS\s+)?([A-Z_]+)|([A-Z_]+)",
    re.IGNORECASE,
)


def table_name(session_id: str, suffix: str = "") -> str:
    """Qualified name of one of a session's tables."""
    return f"{RESULTS_SCHEMA}.{quote(f'r_{session_id}{suffix}')}"


def statement_message(statement: Statement, columns: list[str], count: int | None) -> str | None:
    """What a statement that returns no rows of its own did: 'CREATE TABLE', 'INSERT: 3 rows
    changed'. None for a statement that returns rows (RETURNING, EXPLAIN, PRAGMA)."""
    kind = statement.kind.name
    if columns not in (["Count"], ["Success"]) or re.search(r"\bRETURNING\b", statement.text, re.I):
        return None
    first = [p for p, t, _ in tokens(statement.text) if t != duckdb.token_type.comment]
    match = _VERB.match(statement.text, first[0] if first else 0)
    verb = " ".join(g.upper() for g in match.groups() if g) if match else kind
    if count is None:
        return verb
    plural = "" if count == 1 else "s"
    if kind in _CHANGED_ROWS:
        return f"{verb}: {count:,} row{plural} changed"
    return f"{verb}: {count:,} row{plural}"


@dataclass
class ResultSession:
    """State of one result; every table change happens under ``lock``."""

    id: str
    query_id: str
    sql: str
    engine: Engine
    columns: list[ColumnInfo] = field(default_factory=list)
    table: str | None = None
    query: str | None = None
    parameters: Parameters = None
    head_rows: int = 0
    status: ResultStatus = ResultStatus.ready
    total_rows: int | None = 0
    error: str | None = None
    message: str | None = None
    time_zone: str | None = None
    last_used: float = field(default_factory=time.monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock)
    ready: threading.Event = field(default_factory=threading.Event)
    closed: bool = False
    topn_rows: int = TOPN_ROWS
    first_rows: int = FIRST_ROWS
    views: Views = field(init=False, repr=False)
    _cursor: duckdb.DuckDBPyConnection | None = None
    _thread: threading.Thread | None = None
    _start_copy: threading.Event = field(default_factory=threading.Event)
    # Held while the run's cursor works (the copy, or a direct fetch of the whole result).
    _cursor_lock: threading.Lock = field(default_factory=threading.Lock)
    # A direct fetch answered the whole result: copy only when someone needs the table.
    _deferred: bool = False

    def __post_init__(self) -> None:
        self.views = Views(self, topn_rows=self.topn_rows, first_rows=self.first_rows)

    @property
    def reader(self) -> CellReader:
        return CellReader(self.columns)

    def table_for(self, suffix: str) -> str:
        """Qualified name of one of this session's tables."""
        return table_name(self.id, suffix)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor that renders TIMESTAMPTZ in the result's time zone; close it."""
        cursor = self.engine.cursor(refresh=False)
        if self.time_zone:
            cursor.execute(f"SET TimeZone = {literal(self.time_zone)}")
        return cursor

    # -- opening ------------------------------------------------------------------------------

    def open_select(
        self, cursor: duckdb.DuckDBPyConnection, statement: Statement, page_size: int
    ) -> list[list[Any]]:
        """Run a SELECT-like statement: first page now, the rest in the background.

        Args:
            cursor: The run's cursor; the session owns it from now on (TEMP objects and
                settings the earlier statements made stay visible to the materialisation).
            statement: The last statement of the run.
            page_size: Rows wanted in the first page.

        Returns:
            The first page's cells.
        """
        if getattr(statement, "table", None):
            return self._adopt(cursor, statement, page_size)
        head = table_name(self.id, "_head")
        prefix = "SELECT * FROM (\n"
        create = f"CREATE TABLE {head} AS "
        executed = f"{create}{prefix}{statement.body}\n) LIMIT {page_size + 1}"
        try:
            self.head_rows = cursor.execute(executed, statement.bind(self.parameters)).fetchone()[0]
            self.columns = self._describe(cursor, head)
            self._keep_time_zone(cursor)
            self.table = head
            # The first page is read on the run's cursor: it renders TIMESTAMPTZ in the run's
            # time zone already, and a new cursor would cost more than the read of a small page.
            limit = None if self.head_rows <= page_size else page_size
            rows = self._read_on(cursor, head, 0, limit)
        except Exception as error:
            cursor.close()
            raise translate(
                error,
                sql=self.sql,
                executed=executed,
                prefix=len(create) + len(prefix),
                start=statement.start,
                length=len(statement.text),
            ) from None
        aliases = ", ".join(quote(c.name) for c in self.columns)
        self.query = f"{prefix}{statement.body}\n) AS mlwb_q({aliases})"
        self.parameters = statement.bind(self.parameters)
        if limit is None:  # the head is the whole result
            self.total_rows = self.head_rows
            self.ready.set()
            cursor.close()
        else:
            self.status, self.total_rows, self._cursor = ResultStatus.counting, None, cursor
            self._thread = threading.Thread(
                target=self._materialize, name=f"mlwb-{self.id}", daemon=True
            )
            self._thread.start()
        return rows

    def _adopt(self, cursor: duckdb.DuckDBPyConnection, statement: Any,
                page_size: int) -> list[list[Any]]:
        """Keep a table the run already wrote (``Scored``: rows with their predictions) as the
        whole result, without a copy: the session owns it and drops it on close."""
        try:
            self.table = statement.table
            statement.adopted = True
            count = cursor.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]
            self.columns = self._describe(cursor, self.table)
            self._keep_time_zone(cursor)
            rows = self._read_on(cursor, self.table, 0, page_size)
        except Exception as error:
            raise translate(error, sql=self.sql) from None
        finally:
            cursor.close()
        self.query = f"SELECT * FROM {self.table}"
        self.parameters = None
        self.total_rows = self.head_rows = count
        self.ready.set()
        return rows

    def open_direct(self, cursor: duckdb.DuckDBPyConnection, statement: Statement) -> list:
        """Run a statement that cannot be a subquery (PRAGMA, EXPLAIN, CALL, INSERT, SET, ...)
        and keep its (small) result as is.

        Returns:
            The first page's cells (all of them).
        """
        try:
            relation = cursor.sql(statement.text, params=statement.bind(self.parameters))
            if relation is not None:
                self.table = table_name(self.id)
                relation.create(self.table)
                self.columns = self._describe(cursor, self.table)
                self._keep_time_zone(cursor)
                count = cursor.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]
            else:
                count = 0
        except Exception as error:
            raise self._direct_error(cursor, statement, error) from None
        finally:
            cursor.close()
        self.total_rows = self.head_rows = count
        names = [c.name for c in self.columns]
        # INSERT, UPDATE, CREATE TABLE AS answer one row: the number of rows they wrote.
        written = self.read(self.table, 0, 1)[0][0] if names == ["Count"] and count == 1 else None
        self.message = statement_message(statement, names, written)
        self.ready.set()
        return self.read(self.table, 0, 10_000) if self.table else []

    def _direct_error(self, cursor, statement: Statement, error: Exception) -> Exception:
        """DuckDB's relation API drops or shifts an error's position; EXPLAIN binds the
        statement again without running it and reports the position faithfully."""
        if isinstance(error, duckdb.Error) and not isinstance(error, duckdb.InterruptException):
            probe_sql = "EXPLAIN " + statement.text
            try:
                cursor.execute(probe_sql, statement.bind(self.parameters))
            except duckdb.Error as probe:
                if str(probe).split("\n")[0] == str(error).split("\n")[0]:
                    return translate(
                        probe,
                        sql=self.sql,
                        executed=probe_sql,
                        prefix=len("EXPLAIN "),
                        start=statement.start,
                        length=len(statement.text),
                    )
        return translate(error, sql=self.sql, positioned=False)

    def _keep_time_zone(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Remember a TimeZone the run SET, so every page renders TIMESTAMPTZ the same way."""
        if not re.search(r"zone", self.sql, re.IGNORECASE):
            return  # no SET TimeZone / SET TIME ZONE in the text: the engine's zone holds
        zone = cursor.execute("SELECT current_setting('TimeZone')").fetchone()[0]
        self.time_zone = zone if zone != self.engine.time_zone else None

    def _describe(self, cursor: duckdb.DuckDBPyConnection, table: str) -> list[ColumnInfo]:
        # The relation's types are DESCRIBE's column types, without running a query (a bad
        # statement has failed before this, with its position).
        relation = cursor.table(table)
        return [ColumnInfo(name=n, type=str(t)) for n, t in zip(relation.columns, relation.types)]

    def _materialize(self) -> None:
        cursor, full = self._cursor, table_name(self.id)
        try:
            # Let the first page reach the user before the copy takes every core; anyone who
            # needs the copy (wait(), a sort, a save) ends the delay at once.
            self._start_copy.wait(COPY_DELAY_SECONDS)
            while True:
                with self._cursor_lock:
                    with self.lock:
                        if self.closed:
                            return
                    if not self._deferred:
                        count = cursor.execute(
                            f"CREATE TABLE {full} AS {self.query}", self.parameters
                        ).fetchone()[0]
                        break
                # A direct fetch gave the user the whole result: copy once something needs
                # the table (a page past the head, a sort, a save), or never.
                self._start_copy.wait()
                self._deferred = False
            with self.lock:
                if self.closed:
                    self.drop(full)
                    return
                old, self.table = self.table, full
                self.total_rows, self.status = count, ResultStatus.ready
                self.drop(old)
        except Exception as error:
            with self.lock:
                if not self.closed:
                    self.status = ResultStatus.failed
                    self.error = translate(error, sql=self.sql).message
        finally:
            self._cursor = None
            try:
                cursor.close()
            except duckdb.Error:
                pass  # the engine closed under it
            self.ready.set()

    # -- reading ------------------------------------------------------------------------------

    def read(
        self, source: str | None, offset: int, limit: int | None, params: Parameters = None
    ) -> list:
        """Cells of ``limit`` rows (None: all) from ``offset`` of a table or subquery."""
        if not source or not self.columns or limit == 0:
            return []  # no cursor for nothing
        cursor = self.cursor()
        try:
            return self._read_on(cursor, source, offset, limit, params)
        finally:
            cursor.close()

    def _read_on(self, cursor: duckdb.DuckDBPyConnection, source: str, offset: int,
                 limit: int | None, params: Parameters = None) -> list:
        """:meth:`read` on a given cursor."""
        if not self.columns or limit == 0:
            return []
        reader = self.reader
        sql = f"SELECT {reader.select_list} FROM {source}"
        if limit is not None:
            sql += f" LIMIT {limit} OFFSET {offset}"
        return reader.rows(cursor.execute(sql, params))

    def page(
        self, offset: int, limit: int, sort: list[SortKey], where: str | None
    ) -> tuple[list, int | None]:
        """A window of the result, sorted and filtered server-side.

        Returns:
            (cells, total rows after the filter or None while counting).

        Raises:
            QueryError: The filter is not a valid boolean expression over the columns, or the
                result failed to materialise.
            InvalidRequestError: A sort column does not exist.
            QueryCancelledError: A newer sort or filter replaced this one while it was built.
        """
        if sort or where:
            return self.views.page(offset, limit, sort, where)
        self.views.claim(None)
        with self.lock:
            if self.status is ResultStatus.ready or offset + limit <= self.head_rows:
                return self.read(self.table, offset, limit), self.total_rows
            try:  # still counting: page over the query itself
                return self.read(f"({self.query})", offset, limit, self.parameters), None
            except duckdb.Error:
                pass  # e.g. it reads a TEMP table of the run's cursor: wait for the copy
        self.wait()
        with self.lock:
            return self.read(self.table, offset, limit), self.total_rows

    def fetch_whole(self, convert: Any) -> Any:
        """The whole result in one pass straight from DuckDB, before the background copy.

        ``mlwb.sql(q).df()`` would otherwise wait for the copy and read it back: two passes
        over the data. While the copy has not started, the query runs once more on the run's
        own cursor (its TEMP objects and registered frames still resolve) straight into
        ``convert``'s format, and the copy is put off until something needs the table. The
        head and the copy already run the query twice, so this adds no new inconsistency.

        Args:
            convert: Turns a DuckDB relation into the wanted frame (``relation.df`` ...).

        Returns:
            The frame, or None when the copy has started or finished (read the table then).
        """
        if not self._cursor_lock.acquire(blocking=False):
            return None  # the copy is running
        try:
            with self.lock:
                if (
                    self.closed
                    or self.status is not ResultStatus.counting
                    or self._cursor is None
                    or self._start_copy.is_set()
                ):
                    return None
                self._deferred = True
            try:
                frame = convert(self._cursor.sql(self.query, params=self.parameters))
            except Exception:
                self._deferred = False  # let the copy run as usual
                raise
            rows = getattr(frame, "num_rows", None)
            self.total_rows = rows if rows is not None else len(frame)
            return frame
        finally:
            self._cursor_lock.release()

    def wait(self) -> None:
        """Block until the result is materialised.

        Raises:
            QueryError: Materialising failed.
        """
        self._deferred = False
        self._start_copy.set()
        self.ready.wait()
        if self.status is ResultStatus.failed:
            raise QueryError(f"The result could not be kept: {self.error}", sql=self.sql)

    # -- closing ------------------------------------------------------------------------------

    def drop(self, table: str | None) -> None:
        """Drop one of the session's tables (quietly: closing must always succeed)."""
        self.engine.drop_table(table)

    def join(self, timeout: float) -> None:
        """Wait for the background copy to end (after :meth:`close` interrupted it)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def close(self) -> None:
        """Stop the background copy, if any, and drop every table of the session."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self._start_copy.set()
            cursor = self._cursor
            if cursor is not None:
                try:
                    cursor.interrupt()
                except duckdb.Error:
                    pass  # already closed
            self.views.close()
            self.drop(self.table)
        # Interrupted, the copy ends at once; waiting means no table outlives the close.
        self.join(timeout=CLOSE_WAIT_SECONDS)
        self.views.join(timeout=CLOSE_WAIT_SECONDS)
