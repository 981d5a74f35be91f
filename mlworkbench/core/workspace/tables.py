"""Workspace tables: names whose data is a series of immutable, versioned Parquet files.

A new version is written by DuckDB to a temp name in the table's folder, fsynced, renamed to its
final name (the folder fsynced too), and only then made current by committing its metadata row.
A crash at any point leaves the previous version current and readable; a leftover temp file is
ignored, and removed by the next ``Workspace.open`` once it is over a minute old.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import literal, name_key, quote, quote_if_needed
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import Parameters, split
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError
from mlworkbench.core.workspace.names import check_name, owner
from mlworkbench.core.workspace.store import LabelSetRow, Store, TableRow, TableVersionRow
from mlworkbench.schemas import ColumnInfo, DescribeTable, DescribeTableVersions, TableVersionInfo

TEMP_SUFFIX = ".tmp"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def folder_name(name: str) -> str:
    """A file-system-safe folder for a table name; the hash keeps 'a b' and 'a_b' apart."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")[:48] or "table"
    return f"{safe}-{hashlib.sha1(name_key(name).encode()).hexdigest()[:8]}"


class Tables:
    """Save, describe and remove workspace tables.

    Args:
        workspace: The workspace directory.
        store: Its metadata store.
        engine: The DuckDB that writes the Parquet files.
    """

    def __init__(self, workspace: Path, store: Store, engine: Engine) -> None:
        self._workspace = workspace
        self._store = store
        self._engine = engine

    def save_query(
        self, name: str, sql: str, *, parameters: Parameters = None, overwrite: bool = False
    ) -> DescribeTable:
        """Save the result of one SELECT as a new version of the table ``name``.

        Args:
            name: The table's name (any text; quoted wherever it is used).
            sql: One SELECT-like statement (SELECT, FROM, WITH, VALUES, ...).
            parameters: Bound by DuckDB (``$name`` dict or positional list).
            overwrite: When the table exists, write a new version instead of failing.

        Returns:
            The table, at its new version.

        Raises:
            ConflictError: The name exists and ``overwrite`` is false, or a source has it.
            InvalidRequestError: The name is not usable, or ``sql`` is not one SELECT.
            QueryError: DuckDB refused the query; line and column point into ``sql``.
        """
        statements = split(sql)
        if len(statements) != 1 or not statements[0].is_select:
            raise InvalidRequestError("sql", "Save one SELECT statement as a table.")
        statement = statements[0]
        prefix = "SELECT * FROM (\n"
        select_sql = f"{prefix}{statement.body}\n)"
        return self.save_select(
            name,
            select_sql,
            parameters=statement.bind(parameters),
            sql=sql,
            overwrite=overwrite,
            error_offset=(len(prefix), statement.start, len(statement.text)),
        )

    def save_select(
        self,
        name: str,
        select_sql: str | None,
        *,
        parameters: Parameters = None,
        sql: str | None = None,
        overwrite: bool = False,
        error_offset: tuple[int, int, int] | None = None,
    ) -> DescribeTable:
        """Write ``select_sql`` as a new version (the crash-safe sequence in the module doc).

        Args:
            name: The table's name.
            select_sql: A SELECT, ready to run (None: a result without columns).
            parameters: Its parameters.
            sql: The text to record as the version's lineage, and to point errors into.
            overwrite: Write a new version of an existing table.
            error_offset: (wrapper length, start in ``sql``, statement length) for errors.

        Returns:
            The table, at its new version.

        Raises:
            ConflictError, InvalidRequestError, QueryError: As for :meth:`save_query`.
        """
        check_name(name)
        if select_sql is None:
            raise InvalidRequestError("name", "This result has no columns to save as a table.")
        copy_head = "COPY ("

        def write(tmp: Path) -> int:
            executed = f"{copy_head}{select_sql}) TO {literal(str(tmp))} (FORMAT parquet)"
            cursor = self._engine.cursor()
            try:
                return cursor.execute(executed, parameters).fetchone()[0]
            except duckdb.Error as error:
                wrapper, start, length = error_offset or (0, 0, None)
                raise translate(
                    error,
                    sql=sql or select_sql,
                    executed=executed,
                    prefix=len(copy_head) + wrapper,
                    start=start,
                    length=length,
                ) from None
            finally:
                cursor.close()

        return self.save_file(name, write, sql=sql, overwrite=overwrite)

    def save_file(
        self,
        name: str,
        write: Callable[[Path], int],
        *,
        sql: str | None = None,
        overwrite: bool = False,
        label_set: bool = False,
    ) -> DescribeTable:
        """Write a new version with ``write``, through the crash-safe sequence in the module doc.

        Args:
            name: The table's name.
            write: Writes the version's Parquet file to the path it is given and returns its row
                count; whatever it raises leaves no trace (the file is removed).
            sql: The text to record as the version's lineage.
            overwrite: Write a new version of an existing table.
            label_set: The label-set store writes a snapshot of an existing label set (a plain
                write to a label set's table is refused).

        Returns:
            The table, at its new version.

        Raises:
            ConflictError, InvalidRequestError: As for :meth:`save_query`; and what ``write``
                raises.
            NotFoundError: ``label_set`` and no label set has this name (any more).
        """
        check_name(name)
        with self._store.read() as session:
            self._check_free(session, name, overwrite, label_set)
            current = self._current_version(session, name)
        folder = self._workspace / "tables" / folder_name(name)
        folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        tmp = folder / f".v{current + 1}-{token}.parquet{TEMP_SUFFIX}"
        final = folder / f"v{current + 1}-{token}.parquet"
        try:
            rows = write(tmp)
            _fsync(tmp)
            os.replace(tmp, final)
            _fsync(folder)
            final = self._commit(name, final, rows, sql, overwrite, label_set)
        except BaseException:
            tmp.unlink(missing_ok=True)
            final.unlink(missing_ok=True)
            raise
        self._engine.refresh()
        return self.describe(name).table

    def _commit(
        self, name: str, file: Path, rows: int, sql: str | None, overwrite: bool, label_set: bool
    ) -> Path:
        renamed = None
        try:
            with self._store.write() as session:
                self._check_free(session, name, overwrite, label_set)
                table = session.scalar(select(TableRow).where(TableRow.name_key == name_key(name)))
                if table is None:
                    table = TableRow(name=name, name_key=name_key(name))
                    session.add(table)
                    session.flush()
                version = self._current_version(session, name) + 1
                if not file.name.startswith(f"v{version}-"):
                    # Another process saved a version meanwhile: take the next number.
                    renamed = file.with_name(f"v{version}-{file.name.split('-', 1)[1]}")
                    os.replace(file, renamed)
                    _fsync(file.parent)
                session.add(
                    TableVersionRow(
                        table_id=table.id,
                        version=version,
                        path=(renamed or file).relative_to(self._workspace).as_posix(),
                        row_count=rows,
                        sql=sql,
                    )
                )
        except BaseException:
            if renamed is not None:
                renamed.unlink(missing_ok=True)
            raise
        return renamed or file

    def _check_free(
        self, session: Session, name: str, overwrite: bool, label_set: bool = False
    ) -> None:
        taken = owner(session, name)
        if label_set:
            if taken != "label set":  # removed meanwhile (perhaps by another process)
                raise NotFoundError("label set", name)
            return  # a new snapshot of the label set's labels
        if taken == "source":
            raise ConflictError(
                f"'{name}' is already a source; choose another table name.", name=name
            )
        if taken == "label set":
            raise ConflictError(
                f"'{name}' is a label set; its versions come from its labels. "
                "Save this table under another name.",
                name=name,
            )
        if taken == "table" and not overwrite:
            raise ConflictError(
                f"Table '{name}' already exists; pass overwrite=true to save a new version of it.",
                name=name,
            )

    def _current_version(self, session: Session, name: str) -> int:
        value = session.scalar(
            select(func.max(TableVersionRow.version))
            .join(TableRow, TableRow.id == TableVersionRow.table_id)
            .where(TableRow.name_key == name_key(name))
        )
        return int(value or 0)

    def _row(self, session: Session, name: str) -> TableRow:
        table = session.scalar(select(TableRow).where(TableRow.name_key == name_key(name)))
        if table is None or not table.versions:
            raise NotFoundError("table", name)
        return table

    def describe(self, name: str) -> DescribeTableVersions:
        """A table with its current columns and every version, newest first.

        A label set's table counts its rows as SQL sees them: its newest snapshot plus the labels
        made since.

        Raises:
            NotFoundError: No table with this name.
        """
        with self._store.read() as session:
            table = self._row(session, name)
            versions = [
                TableVersionInfo(
                    version=v.version,
                    row_count=v.row_count,
                    created_at=v.created_at,
                    path=str(self._workspace / v.path),
                    sql=v.sql,
                )
                for v in table.versions
            ]
            table_name = table.name
            label_set = session.scalar(
                select(LabelSetRow.id).where(LabelSetRow.table_id == table.id)
            )
        described = self.summary(table_name, versions[0])
        if label_set is not None and described.error is None:
            cursor = self._engine.cursor()
            try:
                query = f"SELECT count(*) FROM {quote(table_name)}"
                described.row_count = cursor.execute(query).fetchone()[0]
            except duckdb.Error:
                pass  # keep the snapshot's count
            finally:
                cursor.close()
        return DescribeTableVersions(table=described, versions=versions)

    def summary(self, name: str, current: TableVersionInfo) -> DescribeTable:
        """The catalog entry of a table at its current version (columns read from Parquet)."""
        columns, error = [], None
        cursor = self._engine.cursor(refresh=False)
        try:
            rows = cursor.execute(
                f"DESCRIBE SELECT * FROM read_parquet({literal(current.path)})"
            ).fetchall()
            columns = [ColumnInfo(name=r[0], type=r[1]) for r in rows]
        except duckdb.Error as exc:
            error = translate(exc, sql="").message
        finally:
            cursor.close()
        return DescribeTable(
            name=quote_if_needed(name),
            kind="workspace_table",
            columns=columns,
            row_count=current.row_count,
            version=current.version,
            error=error,
        )

    def names(self) -> list[str]:
        """Names of every workspace table."""
        with self._store.read() as session:
            return list(session.scalars(select(TableRow.name).order_by(TableRow.name)))

    def path(self, name: str, version: int | None = None) -> Path:
        """The Parquet file of a version.

        Args:
            name: The table.
            version: A version number; None for the current one.

        Returns:
            The absolute path of the file.

        Raises:
            NotFoundError: No such table or version.
        """
        with self._store.read() as session:
            table = self._row(session, name)
            for row in table.versions:
                if version is None or row.version == version:
                    return self._workspace / row.path
        raise NotFoundError("table version", f"{name} v{version}")

    def remove(self, name: str, *, label_set: bool = False) -> None:
        """Remove a table and delete its files.

        Args:
            name: The table.
            label_set: The label-set store removes a label set's table (refused otherwise).

        Raises:
            NotFoundError: No table with this name.
            ConflictError: The table holds a label set.
        """
        with self._store.write() as session:
            if not label_set and owner(session, name) == "label set":
                raise ConflictError(
                    f"'{name}' is a label set; remove it as a label set (ws.labels.remove).",
                    name=name,
                )
            table = self._row(session, name)
            files = [self._workspace / v.path for v in table.versions]
            session.delete(table)
        for file in files:  # after the commit: until then the table must stay readable
            file.unlink(missing_ok=True)
        try:
            files[0].parent.rmdir()
        except OSError:
            pass  # not empty: another process is writing a new table of this name
        self._engine.refresh()
