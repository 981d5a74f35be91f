"""The per-process DuckDB: one in-memory database per Workspace that sees the catalog as views.

Nothing here opens a shared ``.duckdb`` file for writing, so any number of processes (the server,
kernels, the CLI) can use the same workspace. Each keeps its views in step with the metadata:
before a query it reads the catalog generation (one cheap SELECT) and, when another process has
changed the catalog, rebuilds what changed under a lock (queries come from a thread pool).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlalchemy import func, select

from mlworkbench.core.data.identifiers import literal, name_key, quote
from mlworkbench.core.data.sources import from_stored
from mlworkbench.core.data.sql_errors import translate, without_context
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.labeling.views import LabelViews
from mlworkbench.core.workspace.store import (
    GenerationRow,
    SourceRow,
    Store,
    TableRow,
    TableVersionRow,
)

RESULTS_SCHEMA = "mlwb_results"
RETRY_BROKEN_SECONDS = 5.0
CLOSE_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class _View:
    name: str
    sql: str


@dataclass(frozen=True)
class _Attachment:
    alias: str
    path: str


class Engine:
    """The workspace's DuckDB database in this process.

    Args:
        workspace: The workspace directory.
        store: Its metadata store.
        memory_limit: DuckDB's memory limit (``"1GB"``); bigger work spills to the temp dir.
        threads: DuckDB worker threads (None: one per core).

    Raises:
        InvalidRequestError: ``memory_limit`` or ``threads`` is not a valid DuckDB setting.
    """

    def __init__(
        self,
        workspace: Path,
        store: Store,
        *,
        memory_limit: str = "768MB",
        threads: int | None = None,
    ) -> None:
        self._workspace = workspace
        self._store = store
        #: As given: processes started for this one (training) open their DuckDB with it.
        self.memory_limit = memory_limit
        # One temp dir per process: DuckDB removes its temp dir on close, which must not pull
        # the floor from under another process.
        unique = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.temp_directory = workspace / "tmp" / "duckdb" / unique
        self.temp_directory.mkdir(parents=True, exist_ok=True)
        config = {
            "memory_limit": memory_limit,
            "temp_directory": str(self.temp_directory),
            # Extensions cannot be downloaded here: fail at once rather than after a timeout.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": True,
        }
        if threads:
            config["threads"] = threads
        try:
            self._con = duckdb.connect(":memory:", config=config)
        except duckdb.Error as error:
            raise InvalidRequestError("memory_limit", without_context(str(error))) from None
        self._con.execute(f"CREATE SCHEMA {RESULTS_SCHEMA}")
        self._admin = self._con.cursor()
        # TIMESTAMPTZ cells are rendered in a time zone: this one unless a run SETs another.
        self.time_zone = self._admin.execute("SELECT current_setting('TimeZone')").fetchone()[0]
        self._lock = threading.RLock()
        self._generation: int | None = None
        self._views: dict[str, _View] = {}
        self._attached: dict[str, _Attachment] = {}
        self._broken_at = 0.0
        self.errors: dict[str, str] = {}
        self.label_views = LabelViews()
        self.data_signature = 0
        self.closed = False

    @property
    def duckdb_version(self) -> str:
        return duckdb.__version__

    def cursor(self, *, refresh: bool = True) -> duckdb.DuckDBPyConnection:
        """A new cursor (its own client context) for one query.

        Args:
            refresh: Bring the views up to date with the metadata first.

        Returns:
            A cursor on the shared in-memory database; close it when done.
        """
        if refresh:
            self.refresh()
        return self._con.cursor()

    def refresh(self, *, force: bool = False) -> None:
        """Rebuild the views if the catalog changed since the last look.

        Views that could not be built (a vanished file) are retried every few seconds.

        Args:
            force: Rebuild even when the generation has not moved.
        """
        if self.closed:
            return
        retry = bool(self.errors) and time.monotonic() - self._broken_at > RETRY_BROKEN_SECONDS
        if not force and not retry and self._store.generation() == self._generation:
            return
        with self._lock:
            with self._store.read() as session:
                generation = session.scalar(
                    select(GenerationRow.value).where(GenerationRow.id == 1)
                )
                if not force and not retry and generation == self._generation:
                    return
                sources = session.scalars(select(SourceRow)).all()
                current = (
                    select(TableVersionRow.table_id, func.max(TableVersionRow.version).label("v"))
                    .group_by(TableVersionRow.table_id)
                    .subquery()
                )
                tables = session.execute(
                    select(TableRow.id, TableRow.name, TableVersionRow.path)
                    .join(TableVersionRow, TableVersionRow.table_id == TableRow.id)
                    .join(
                        current,
                        (current.c.table_id == TableVersionRow.table_id)
                        & (current.c.v == TableVersionRow.version),
                    )
                ).all()
                labels = self.label_views.sync(
                    session,
                    self._admin,
                    {table_id: str(self._workspace / path) for table_id, _, path in tables},
                )
            labels_names = {name for table_id, name, _ in tables if table_id in labels}
            views: dict[str, _View] = {}
            attachments: dict[str, _Attachment] = {}
            for row in sources:
                location = from_stored(row.path, row.kind, self._workspace)
                if row.kind == "duckdb":
                    attachments[name_key(row.name)] = _Attachment(row.name, location.path)
                else:
                    views[name_key(row.name)] = _View(row.name, location.reader_sql())
            for table_id, name, path in tables:
                parquet = literal(str(self._workspace / path))
                sql = labels.get(table_id) or f"SELECT * FROM read_parquet({parquet})"
                views[name_key(name)] = _View(name, sql)
            self._apply(views, attachments, retry=retry or force)
            self.label_views.prune(self._admin)
            # What the data (not the labels) looks like: caches of source counts key on it.
            self.data_signature = hash(
                (
                    frozenset((k, v.sql) for k, v in views.items() if v.name not in labels_names),
                    frozenset(attachments.items()),
                )
            )
            self._generation = generation

    def _apply(
        self, views: dict[str, _View], attachments: dict[str, _Attachment], *, retry: bool
    ) -> None:
        errors: dict[str, str] = {}
        for key in set(self._views) - set(views):
            self._run(f"DROP VIEW IF EXISTS {quote(self._views.pop(key).name)}")
        for key, view in views.items():
            if self._views.get(key) == view and not (retry and view.name in self.errors):
                continue
            self._views.pop(key, None)
            try:
                self._run(f"CREATE OR REPLACE VIEW {quote(view.name)} AS {view.sql}")
                self._views[key] = view
            except Exception as error:  # a vanished or broken file must not stop the others
                self._run(f"DROP VIEW IF EXISTS {quote(view.name)}")
                errors[view.name] = translate(error, sql=view.sql).message
        for key in set(self._attached) - set(attachments):
            self._run(f"DETACH DATABASE IF EXISTS {quote(self._attached.pop(key).alias)}")
        for key, attachment in attachments.items():
            if self._attached.get(key) == attachment:
                continue
            if key in self._attached:
                self._run(f"DETACH DATABASE IF EXISTS {quote(self._attached.pop(key).alias)}")
            try:
                self._run(
                    f"ATTACH {literal(attachment.path)} AS {quote(attachment.alias)} (READ_ONLY)"
                )
                self._attached[key] = attachment
            except Exception as error:
                errors[attachment.alias] = translate(error, sql="").message
        self.errors = errors
        if errors:
            self._broken_at = time.monotonic()

    def _run(self, sql: str) -> None:
        try:
            self._admin.execute(sql)
        except duckdb.Error:
            if sql.startswith(("DROP", "DETACH")):
                return  # already gone: nothing to undo
            raise

    def exclusive(self) -> threading.RLock:
        """The lock refreshes take: hold it to read views that must not change meanwhile."""
        return self._lock

    def view_names(self) -> dict[str, str]:
        """Names of the views this process has built, by name key."""
        with self._lock:
            return {key: view.name for key, view in self._views.items()}

    def attached(self) -> dict[str, str]:
        """Aliases of the attached database sources, by name key."""
        with self._lock:
            return {key: a.alias for key, a in self._attached.items()}

    def drop_table(self, table: str | None) -> None:
        """Drop a table (qualified, quoted) quietly: closing a result must always succeed, also
        while the engine is closing."""
        if not table or self.closed:
            return
        cursor = self.cursor(refresh=False)
        try:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        except duckdb.Error:
            pass
        finally:
            cursor.close()

    def close(self) -> None:
        """Close DuckDB (interrupting whatever still runs)."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self._con.interrupt()
            # Cursors still executing (interrupted, unwinding) make close() refuse: retry.
            deadline = time.monotonic() + CLOSE_WAIT_SECONDS
            while True:
                try:
                    self._con.close()
                    shutil.rmtree(self.temp_directory, ignore_errors=True)
                    return
                except duckdb.Error:
                    if time.monotonic() > deadline:
                        raise
                    try:
                        self._con.interrupt()
                    except duckdb.Error:  # a refused close may still have closed it
                        shutil.rmtree(self.temp_directory, ignore_errors=True)
                        return
                    time.sleep(0.05)
