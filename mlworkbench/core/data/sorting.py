"""Sorted and filtered windows of a result session, without waiting for a full sorted copy.

A window that ends within ``topn_rows`` (100k) rows is answered by a top-N query (``ORDER BY
<keys>, <row position> LIMIT n``: DuckDB keeps only n rows in memory) kept as a small table,
the *prefix*, so the next windows of the same sort come from it; a deeper window grows the
prefix (four times as many rows, up to ``topn_rows``). Only a window deeper than that builds the
full sorted/filtered copy (spilled by DuckDB beyond its memory limit). One prefix or copy is kept
per session: the latest sort and filter's.

While the result is still being copied in the background, a prefix is read over the query
itself, like unsorted pages. Ties are broken on the row's position in the result (``rowid`` of
the materialised table, ``row_number() OVER ()`` over the query), so every window of one sort
is a slice of one total order whichever way it is served. A filter's row count is known at once
when the prefix holds every matching row; otherwise it is counted in the background
(``total_rows`` None meanwhile).

A request for another sort or filter interrupts a copy or count still running for the previous
one: only the latest is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from mlworkbench.core.data.identifiers import name_key, quote
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import tokens
from mlworkbench.core.errors import (
    InvalidRequestError,
    NotFoundError,
    QueryCancelledError,
    QueryError,
)
from mlworkbench.schemas import ResultStatus, SortKey

if TYPE_CHECKING:
    from mlworkbench.core.data.session import ResultSession

TOPN_ROWS = 100_000  # windows ending within this many rows come from a top-N query
FIRST_ROWS = 10_000  # a sort's first top-N keeps at least this many rows (a scan costs the same)
GROWTH = 4  # a deeper window grows the prefix at least this many times

ViewKey = tuple[tuple[tuple[str, bool], ...], str | None]


@dataclass
class _Kept:
    """The table kept for the latest sort and filter: the first ``rows`` rows of the view in
    order, or all of them when ``complete``."""

    key: ViewKey
    table: str
    rows: int
    complete: bool


class Views:
    """The sorted and filtered windows of one result session.

    Args:
        session: The session; its ``lock`` guards the kept table and the counts.
        topn_rows: Windows ending within this many rows are served by a top-N query.
        first_rows: Rows a sort's first top-N keeps (at least the window's end).
    """

    def __init__(
        self, session: ResultSession, *, topn_rows: int = TOPN_ROWS, first_rows: int = FIRST_ROWS
    ) -> None:
        self.session = session
        self.topn_rows = topn_rows
        self.first_rows = first_rows
        self._kept: _Kept | None = None
        self._made = 0
        self._latest: ViewKey | None = None
        self._build = threading.Lock()  # one build at a time: a sort spills, two would compete
        self._building: tuple[ViewKey, duckdb.DuckDBPyConnection] | None = None
        self._count: tuple[str, int] | None = None  # (filter, matching rows)
        self._counting: tuple[str, duckdb.DuckDBPyConnection | None] | None = None
        self._count_thread: threading.Thread | None = None

    # -- paging -------------------------------------------------------------------------------

    def page(
        self, offset: int, limit: int, sort: list[SortKey], where: str | None
    ) -> tuple[list, int | None]:
        """A window of the result sorted by ``sort`` and filtered by ``where``.

        Returns:
            (cells, rows after the filter or None while they are being counted).

        Raises:
            InvalidRequestError: A sort column does not exist.
            QueryError: The filter is not a boolean expression over the columns, or the result
                failed to materialise.
            QueryCancelledError: A newer sort or filter replaced this one while it was built.
            NotFoundError: The session was closed meanwhile.
        """
        session = self.session
        if session.status is ResultStatus.failed:
            session.wait()  # raises why
        order = self._order(sort)
        if where:
            check_filter(where)
        if not session.columns:
            return [], 0
        key: ViewKey = (tuple(order), where or None)
        self.claim(key)
        served = self._serve(key, offset, limit)
        if served is not None:
            return served
        if where:
            self._validate(where)
        end = offset + limit
        deep = end > self.topn_rows
        if deep:
            session.wait()  # outside the build lock: a newer sort must not wait for it
        with self._build:
            served = self._serve(key, offset, limit)
            if served is not None:
                return served
            if deep:
                self._make(key, order, where, None)
            else:
                kept = self._kept if self._kept and self._kept.key == key else None
                grown = max(self.first_rows, GROWTH * kept.rows if kept else 0)
                self._make(key, order, where, max(end, min(self.topn_rows, grown)))
            served = self._serve(key, offset, limit)
        if served is None:  # replaced by a newer sort between the build and the read
            raise QueryCancelledError("A newer sort or filter replaced this one.")
        return served

    def claim(self, key: ViewKey | None) -> None:
        """Mark ``key`` as the sort and filter the user looks at now (None: unsorted); a copy or
        count still running for another one is interrupted."""
        with self.session.lock:
            self._latest = key
            building = self._building
            if building is not None and building[0] != key:
                _interrupt(building[1])
            counting = self._counting
            if counting is not None and (key is None or counting[0] != key[1]):
                _interrupt(counting[1])

    def _serve(self, key: ViewKey, offset: int, limit: int) -> tuple[list, int | None] | None:
        with self.session.lock:
            self._check_open()
            kept = self._kept
            if kept is None or kept.key != key:
                return None
            if not kept.complete and offset + limit > kept.rows:
                return None
            return self.session.read(kept.table, offset, limit), self._total(kept)

    def _total(self, kept: _Kept) -> int | None:
        if kept.complete:
            return kept.rows
        where = kept.key[1]
        if where is None:
            return self.session.total_rows
        if self._count is not None and self._count[0] == where:
            return self._count[1]
        self._start_count(where)
        return None

    # -- building -----------------------------------------------------------------------------

    def _order(self, sort: list[SortKey]) -> list[tuple[str, bool]]:
        columns = self.session.columns
        names = {c.name: c.name for c in columns}
        folded = {name_key(c.name): c.name for c in columns}
        order = []
        for k in sort:
            column = names.get(k.column) or folded.get(name_key(k.column))
            if column is None:
                known = ", ".join(repr(c.name) for c in columns[:20])
                raise InvalidRequestError(
                    "sort", f"The result has no column '{k.column}'. Columns: {known}."
                )
            order.append((column, k.descending))
        return order

    def _select(
        self,
        source: str,
        order: list[tuple[str, bool]],
        where: str | None,
        limit: int | None,
        *,
        query: bool = False,
    ) -> tuple[str, int]:
        """The SELECT of a view over ``source`` (a table, or a parenthesised query when
        ``query``), and where the filter starts in it."""
        columns = self.session.columns
        select = ", ".join(quote(c.name) for c in columns)
        position = "rowid"
        taken = {name_key(c.name) for c in columns}
        if order and (query or "rowid" in taken):
            # Over a query (or a result with its own 'rowid' column) the position is counted:
            # row_number() OVER () numbers the rows in the order they come.
            position = "mlwb_pos"
            while name_key(position) in taken:
                position += "_"
            position = quote(position)
            source = f"(SELECT *, row_number() OVER () AS {position} FROM {source})"
        sql = f"SELECT {select} FROM {source} AS mlwb_v"
        start = 0
        if where:
            sql += " WHERE (\n"
            start = len(sql)
            sql += f"{where}\n)"
        if order:
            keys = [f"{quote(c)} {'DESC' if d else 'ASC'}" for c, d in order]
            sql += f" ORDER BY {', '.join(keys)}, {position}"
        if limit is not None:
            sql += f" LIMIT {limit}"
        return sql, start

    def _validate(self, where: str) -> None:
        """Bind the filter over the kept rows at once, so a mistake in it is reported before
        anything runs (or waits for the background copy)."""
        session = self.session
        with session.lock:
            sql, start = self._select(session.table or "", [], where, 0)
            cursor = session.cursor()
            try:
                cursor.execute(sql)
            except duckdb.Error as error:
                raise translate(
                    error, sql=where, executed=sql, prefix=start, length=len(where)
                ) from None
            finally:
                cursor.close()

    def _make(
        self, key: ViewKey, order: list[tuple[str, bool]], where: str | None, limit: int | None
    ) -> None:
        """Build the table of ``key``: its first ``limit`` rows, or all of them (None).
        Called under the build lock."""
        session = self.session
        self._made += 1
        target = session.table_for(f"_v{self._made}")
        create = f"CREATE TABLE {target} AS "
        with session.lock:
            if session.closed or self._latest != key:
                raise self._cancelled()
            ready = session.status is ResultStatus.ready
            if self._kept is not None and self._kept.key != key:
                session.drop(self._kept.table)  # an older sort's rows: free them first
                self._kept = None
        rows = None
        if not ready and limit is not None:
            sql, _ = self._select(f"({session.query})", order, where, limit, query=True)
            try:  # still counting: over the query itself
                rows = self._run(key, create + sql, session.parameters)
            except duckdb.InterruptException:
                raise self._cancelled() from None
            except duckdb.Error:
                pass  # e.g. it reads a TEMP table of the run's cursor: wait for the copy
        if rows is None:
            session.wait()
            with session.lock:
                table = session.table
            sql, start = self._select(table or "", order, where, limit)
            try:
                rows = self._run(key, create + sql, None)
            except Exception as error:
                if isinstance(error, duckdb.InterruptException):
                    raise self._cancelled() from None
                raise translate(
                    error,
                    sql=where or "",
                    executed=create + sql,
                    prefix=len(create) + start,
                    length=len(where or ""),
                ) from None
        complete = limit is None or rows < limit
        with session.lock:
            if session.closed or self._latest != key:
                session.drop(target)
                raise self._cancelled()
            old, self._kept = self._kept, _Kept(key, target, rows, complete)
            if old is not None:
                session.drop(old.table)
            if where and complete:
                self._count = (where, rows)

    def _run(self, key: ViewKey, sql: str, parameters) -> int:
        cursor = self.session.cursor()
        try:
            with self.session.lock:
                if self.session.closed or self._latest != key:
                    raise self._cancelled()
                self._building = (key, cursor)
            return cursor.execute(sql, parameters).fetchone()[0]
        finally:
            with self.session.lock:
                self._building = None
            cursor.close()

    def _cancelled(self) -> Exception:
        self._check_open()
        return QueryCancelledError("A newer sort or filter replaced this one.")

    def _check_open(self) -> None:
        if self.session.closed:
            raise NotFoundError("result", self.session.id, "The result was closed.")

    # -- counting a filter --------------------------------------------------------------------

    def _start_count(self, where: str) -> None:
        """Count the rows matching ``where`` in the background (under the session lock)."""
        if self._counting is not None and self._counting[0] == where:
            return
        self._counting = (where, None)
        name = f"mlwb-{self.session.id}-count"
        thread = threading.Thread(target=self._count_rows, args=(where,), name=name, daemon=True)
        self._count_thread = thread
        thread.start()

    def _count_rows(self, where: str) -> None:
        session = self.session
        session.ready.wait()
        cursor = None
        try:
            with session.lock:
                latest = self._latest
                if (
                    session.closed
                    or session.status is not ResultStatus.ready
                    or latest is None
                    or latest[1] != where
                ):
                    return
                cursor = session.cursor()
                self._counting = (where, cursor)
                table = session.table
            sql, _ = self._select(table or "", [], where, None)
            count = cursor.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            with session.lock:
                if not session.closed:
                    self._count = (where, count)
        except duckdb.Error:
            pass  # interrupted by a newer filter, or failed: the total stays unknown
        finally:
            with session.lock:
                if self._counting is not None and self._counting[0] == where:
                    self._counting = None
            if cursor is not None:
                try:
                    cursor.close()
                except duckdb.Error:
                    pass

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Interrupt a build or count and drop the kept table (under the session lock)."""
        for running in (self._building, self._counting):
            if running is not None:
                _interrupt(running[1])
        if self._kept is not None:
            self.session.drop(self._kept.table)
            self._kept = None

    def join(self, timeout: float) -> None:
        """Wait for a background count to end (after :meth:`close` interrupted it)."""
        thread = self._count_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


def _interrupt(cursor: duckdb.DuckDBPyConnection | None) -> None:
    if cursor is None:
        return
    try:
        cursor.interrupt()
    except duckdb.Error:
        pass  # already closed


def check_filter(where: str) -> None:
    """Refuse a filter that is not one expression (it must not close the WHERE's parenthesis
    or end the statement).

    Raises:
        QueryError: Unbalanced parentheses or a semicolon, outside strings and comments.
    """
    depth = 0
    for start, kind, text in tokens(where):
        if kind != duckdb.token_type.operator:
            continue
        for offset, char in enumerate(text, start):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0 or char == ";":
                line = where[:offset].count("\n") + 1
                column = offset - (where.rfind("\n", 0, offset) + 1) + 1
                raise QueryError(
                    "The filter must be one boolean expression over the result's columns.",
                    sql=where,
                    line=line,
                    column=column,
                )
    if depth:
        raise QueryError("The filter has an unclosed parenthesis.", sql=where)
