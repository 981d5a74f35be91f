"""Running SQL: statements in order on one cursor, the last one kept as a result session.

Blocking by design: the server calls :meth:`Sql.run` from a thread pool, one cursor per
concurrent query, and :meth:`Sql.cancel` from any thread interrupts the cursor.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from mlworkbench.core.data.engine import RESULTS_SCHEMA, Engine
from mlworkbench.core.data.identifiers import name_key, quote
from mlworkbench.core.data.results import Results
from mlworkbench.core.data.sql_errors import line_column, locate, translate
from mlworkbench.core.data.statements import Parameters, Statement, split
from mlworkbench.core.errors import (
    ConflictError,
    NotFoundError,
    QueryCancelledError,
    QueryError,
)
from mlworkbench.schemas import (
    CancelQueryResponse,
    DescribeQuery,
    QueryResult,
    QuerySource,
    ResultStatus,
    RunQueryRequest,
)

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core.serving.sql_predict import PredictModel
    from mlworkbench.core.workspace.history import History

#: Raises the WorkbenchError for a DuckDB error of the text a statement ran as, given that
#: text and how many characters precede the statement's own (a wrapper).
Fail = Callable[[Exception, str, int], Exception]

CANCEL_GRACE_SECONDS = 30.0
PROGRESS_SETTINGS = (
    "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
    "SET progress_bar_time = 500"
)


@dataclass(eq=False)
class _Run:
    cursor: duckdb.DuckDBPyConnection
    cancelled: bool = False
    started: float = field(default_factory=time.monotonic)


class Sql:
    """Run, cancel and count queries.

    Args:
        engine: The workspace's DuckDB.
        results: Where the last statement's result goes.
        history: Where :meth:`run` records each query (None: nowhere).
        load: Loads a published model by reference (``ws.registry.load``), for the
            ``predict('churn@production', *)`` calls of a query (None: predict() is unknown).
    """

    def __init__(self, engine: Engine, results: Results, history: History | None = None,
                 load: Callable[[str], PredictModel] | None = None) -> None:
        self._engine = engine
        self._results = results
        self._history = history
        self.load = load
        self._running: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._early_cancels: dict[str, float] = {}  # query id -> when its cancel arrived

    def run(
        self, request: RunQueryRequest, *, source: QuerySource = QuerySource.panel
    ) -> QueryResult:
        """Run one or several statements; the last one's result becomes a result session.

        Statements before the last run in order on the same cursor, so their settings and
        TEMP objects apply to the last one. Parameters are bound by DuckDB, each statement
        getting the ones it names. The run is recorded in the query history (ok, error or
        cancelled) with ``source``; a history that cannot be written never fails the query.

        Args:
            request: The SQL, its parameters, an optional client-chosen ``query_id`` (to cancel
                it) and the first page's size.
            source: Where the query comes from, for the history.

        Returns:
            The session id, columns, first page, and ``status=counting`` with ``total_rows``
            None when the result is bigger than the first page and still being counted.

        Raises:
            QueryError: DuckDB refused a statement; line and column point into ``request.sql``.
            QueryCancelledError: :meth:`cancel` stopped it.
            UnsupportedError: It needs a DuckDB extension that cannot be installed here.
            ConflictError: A query with the same ``query_id`` is running.
            InvalidRequestError: The text holds no statement.
        """
        query_id = request.query_id or uuid.uuid4().hex
        if self._history is None:
            return self._run(request, query_id)
        with self._history.track(
            request.sql, request.parameters, source=source, query_id=query_id
        ) as tracked:
            result = self._run(request, query_id)
            tracked.rows = result.total_rows
            if result.total_rows is None:
                tracked.rows_later = self._counted(result.session_id)
        return result

    def _counted(self, session_id: str) -> Callable[[], int | None] | None:
        """A function that returns the result's row count once counted (None until then), for
        the history; it reads the session without marking it used, so it expires as before."""
        try:
            session = self._results.get(session_id)
        except NotFoundError:
            return None

        def count() -> int | None:
            if session.closed or session.status is ResultStatus.failed:
                raise LookupError("the result will not be counted")
            return session.total_rows if session.status is ResultStatus.ready else None

        return count

    def _run(self, request: RunQueryRequest, query_id: str) -> QueryResult:
        started = time.perf_counter()
        statements = split(request.sql)
        run = self._start(query_id)
        try:
            for statement in statements[:-1]:
                self._execute(run, statement, request)
            self._check(run)
            with self.predicted(run.cursor, statements[-1], request.sql,
                                request.parameters) as last:
                session, rows = self._results.open(
                    run.cursor,
                    last,
                    sql=request.sql,
                    parameters=request.parameters,
                    page_size=request.page_size,
                    query_id=query_id,
                )
        except QueryError as error:
            run.cursor.close()
            raise self._explain_unreadable(error) from None
        except BaseException:
            run.cursor.close()
            raise
        finally:
            with self._lock:
                self._running.pop(query_id, None)
        if run.cancelled:
            self._results.close(session.id)
            raise QueryCancelledError("The query was cancelled.", query_id=query_id)
        result = QueryResult(
            query_id=query_id,
            session_id=session.id,
            columns=session.columns,
            rows=[],
            total_rows=session.total_rows,
            status=session.status,
            statement_count=len(statements),
            elapsed_ms=(time.perf_counter() - started) * 1000,
            message=session.message,
        )
        result.rows = rows  # JSON-safe by construction; validating every cell is slow
        return result

    def dataframe(self, sql: str, parameters: Parameters = None) -> pandas.DataFrame:
        """Run SQL and hand back the last statement's result as a pandas DataFrame, straight
        from DuckDB (no result session, no detour through Python objects).

        Args:
            sql: One or several statements.
            parameters: ``$name`` values (dict) or positional values (list).

        Returns:
            The last statement's result (empty when it returns nothing).

        Raises:
            QueryError, UnsupportedError: As for :meth:`run`.
        """
        import pandas

        statements = split(sql)
        request = RunQueryRequest(sql=sql, parameters=parameters)
        run = self._start(uuid.uuid4().hex)
        try:
            for statement in statements[:-1]:
                self._execute(run, statement, request)
            last = statements[-1]
            with self.predicting(run.cursor, last, sql, parameters) as (text, bound, fail):
                try:
                    result = run.cursor.execute(text, bound)
                    return result.df() if result.description else pandas.DataFrame()
                except duckdb.Error as error:
                    raise fail(error, text, 0) from None
        finally:
            with self._lock:
                self._running = {k: v for k, v in self._running.items() if v is not run}
            run.cursor.close()

    def cancel(self, query_id: str) -> CancelQueryResponse:
        """Stop a running query (it raises QueryCancelledError in its own thread).

        Args:
            query_id: The id given in ``RunQueryRequest.query_id``.

        Returns:
            ``cancelled=False`` when no query with this id is running.
        """
        with self._lock:
            run = self._running.get(query_id)
            if run is not None:
                run.cancelled = True
                run.cursor.interrupt()
            else:
                # The cancel may overtake its own run (Escape right after Shift+Enter): remember
                # it for a while so that the run stops as soon as it starts.
                now = time.monotonic()
                self._early_cancels = {
                    qid: at for qid, at in self._early_cancels.items()
                    if now - at < CANCEL_GRACE_SECONDS
                }
                self._early_cancels[query_id] = now
        if run is not None:
            # An interrupt reaches only a statement already executing; one that was about to
            # start would run on. Keep interrupting until the run has noticed.
            threading.Thread(target=self._interrupt_until_done, args=(run,), daemon=True).start()
        return CancelQueryResponse(query_id=query_id, cancelled=run is not None)

    def _interrupt_until_done(self, run: _Run) -> None:
        deadline = time.monotonic() + CANCEL_GRACE_SECONDS
        while time.monotonic() < deadline:
            with self._lock:
                if run not in self._running.values():
                    return
                try:
                    run.cursor.interrupt()
                except duckdb.Error:
                    return  # closed meanwhile: nothing left to stop
            time.sleep(0.02)

    def running(self) -> int:
        """How many queries are running now."""
        with self._lock:
            return len(self._running)

    def cancel_all(self) -> None:
        """Interrupt every running query (when the workspace closes)."""
        with self._lock:
            for run in self._running.values():
                run.cancelled = True
                run.cursor.interrupt()

    def progress(self, query_id: str) -> DescribeQuery:
        """How far a running query is, for a progress bar.

        Args:
            query_id: The id given in ``RunQueryRequest.query_id``.

        Returns:
            ``running=False`` when no query with this id runs (finished, failed, cancelled or
            never started); ``progress`` is None while DuckDB cannot estimate it.
        """
        with self._lock:
            run = self._running.get(query_id)
        if run is None:
            return DescribeQuery(query_id=query_id, running=False)
        try:
            done = run.cursor.query_progress()
        except duckdb.Error:  # the run ended meanwhile and closed its cursor
            done = -1.0
        return DescribeQuery(
            query_id=query_id,
            running=True,
            progress=round(done, 1) if done >= 0 else None,
            elapsed_ms=(time.monotonic() - run.started) * 1000,
        )

    def _start(self, query_id: str) -> _Run:
        cursor = self._engine.cursor()
        # Progress is a per-connection setting; estimate it from 0.5 s on, never print it.
        cursor.execute(PROGRESS_SETTINGS)
        with self._lock:
            if query_id in self._running:
                cursor.close()
                raise ConflictError(
                    f"A query with id '{query_id}' is already running; choose another id.",
                    query_id=query_id,
                )
            run = self._running[query_id] = _Run(cursor)
            cancelled_at = self._early_cancels.pop(query_id, None)
            if cancelled_at is not None and time.monotonic() - cancelled_at < CANCEL_GRACE_SECONDS:
                run.cancelled = True
        return run

    def _explain_unreadable(self, error: QueryError) -> QueryError:
        """'Table with name x does not exist' for a source whose view could not be built says
        why it could not (a vanished file, say)."""
        match = re.search(r"Table with name (.+?) does not exist", error.message)
        errors = self._engine.errors
        name = match.group(1) if match else None
        reason = errors.get(name) or next(
            (v for k, v in errors.items() if name and name_key(k) == name_key(name)), None
        )
        if reason:
            error.message = f"{error.message}\nThe source '{name}' cannot be read: {reason}"
            error.args = (error.message,)
        return error

    def _execute(self, run: _Run, statement: Statement, request: RunQueryRequest) -> None:
        self._check(run)
        with self.predicting(run.cursor, statement, request.sql,
                             request.parameters) as (text, bound, fail):
            try:
                run.cursor.execute(text, bound)
            except duckdb.Error as error:
                raise fail(error, text, 0) from None

    @contextmanager
    def predicted(self, cursor: duckdb.DuckDBPyConnection, statement: Statement, sql: str,
                  parameters: Parameters) -> Iterator[Statement]:
        """The last statement, its ``predict()`` calls done, for the block: a SELECT's rows
        with their predictions are written once to a table (a result session would run its
        statement twice, a head then the whole, and a streamed query is read once) and the
        statement becomes a :class:`Scored` scan of it, which a result session adopts as its
        result (the rows are held once) and anything else reads before the table is dropped;
        any other statement is its rewrite, with the models' functions registered until the
        block ends."""
        if self.load is None or not _may_predict(statement.text):
            yield statement
            return
        with self.predicting(cursor, statement, sql, parameters) as (text, bound, fail):
            if text is statement.text:
                yield statement
                return
            if not statement.is_select:
                yield _Rewritten(text, statement.start, statement.kind, bound=bound)
                return
            table = f"{RESULTS_SCHEMA}.{quote(f'scored_{uuid.uuid4().hex[:12]}')}"
            head = f"CREATE TABLE {table} AS "
            try:
                cursor.execute(head + text, bound)
            except duckdb.Error as error:
                raise fail(error, head + text, len(head)) from None
        scored = Scored(f"SELECT * FROM {table}", statement.start, statement.kind, table=table)
        try:
            yield scored
        finally:
            if not scored.adopted:  # read by the block (a fetch), not kept by a result session
                self._engine.drop_table(table)

    @contextmanager
    def predicting(self, cursor: duckdb.DuckDBPyConnection, statement: Statement, sql: str,
                   parameters: Parameters) -> Iterator[tuple[str, Any, Fail]]:
        """(text to run, its parameters, what to raise for its DuckDB errors) for a
        statement: itself when it calls no ``predict()``, else its rewrite by
        :func:`~mlworkbench.core.serving.sql_predict.prepare_predict` (the models' functions
        registered on ``cursor`` until the block ends). Errors point into ``sql``, the whole
        text the user sent (``parameters`` are its parameters)."""
        bound = statement.bind(parameters)

        def plain(error: Exception, executed: str, prefix: int) -> Exception:
            return translate_at(error, sql, executed, prefix, statement)

        if self.load is None or not _may_predict(statement.text):
            yield statement.text, bound, plain
            return
        from mlworkbench.core.serving.sql_predict import prepare_predict

        with prepare_predict(cursor, statement.body, self.load, bound) as prepared:
            if prepared.sql is statement.body:
                yield statement.text, bound, plain
                return

            def fail(error: Exception, executed: str, prefix: int) -> Exception:
                signature = prepared.translate(error)
                if signature is not None:
                    return signature
                translated = translate_at(error, sql, executed, prefix, None)
                if not isinstance(translated, QueryError):
                    return translated
                offset = locate(str(error), executed)
                line = column = None
                if offset is not None and offset >= prefix:
                    at = statement.start + prepared.user_offset(offset - prefix)
                    line, column = line_column(sql, at)
                return QueryError(translated.message, sql=sql, line=line, column=column)

            yield prepared.sql, prepared.parameters, fail

    @staticmethod
    def _check(run: _Run) -> Any:
        if run.cancelled:
            raise QueryCancelledError("The query was cancelled.")


@dataclass
class Scored(Statement):
    """A SELECT with ``predict()`` calls, already run into ``table`` (rows and predictions):
    its text scans the table. A result session adopts the table as its result (``adopted``)
    instead of copying it; otherwise the table is dropped when the block ends."""

    table: str = ""
    adopted: bool = False


@dataclass
class _Rewritten(Statement):
    """A statement's text with its ``predict()`` calls rewritten, and its bound parameters."""

    bound: Parameters = None

    def bind(self, parameters: Parameters) -> Parameters:
        return self.bound


def _may_predict(text: str) -> bool:
    """Whether a statement may call ``predict()`` (cheap; the tokenizer decides)."""
    return "predict" in text.lower()


def translate_at(error: Exception, sql: str, executed: str, prefix: int,
                 statement: Statement | None) -> Exception:
    """DuckDB's error for ``executed`` (a statement behind ``prefix`` characters of wrapper)
    as a WorkbenchError pointing into ``sql``; unpositioned when ``statement`` is None."""
    if statement is None:
        return translate(error, sql=sql, positioned=False)
    return translate(error, sql=sql, executed=executed, prefix=prefix,
                     start=statement.start, length=len(statement.text))
