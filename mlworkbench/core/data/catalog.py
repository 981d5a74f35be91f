"""The catalog: registering external sources and describing everything a query can read."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import duckdb
from sqlalchemy import select

from mlworkbench.core.data import sources
from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import literal, name_key, quote, quote_if_needed
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError
from mlworkbench.core.workspace.names import check_name, owner
from mlworkbench.core.workspace.store import SourceRow, Store
from mlworkbench.core.workspace.tables import Tables
from mlworkbench.schemas import (
    ColumnInfo,
    DescribeCatalog,
    DescribeSource,
    DescribeTable,
    RegisterSourceRequest,
    SourceKind,
)


class Catalog:
    """Sources and workspace tables as one list of names.

    Args:
        workspace: The workspace directory.
        root_dir: Relative source paths resolve against it.
        allow_outside_root: Whether sources may live outside ``root_dir``.
        store: The metadata store.
        engine: The workspace's DuckDB.
        tables: The workspace tables.
    """

    def __init__(
        self,
        workspace: Path,
        root_dir: Path,
        allow_outside_root: bool,
        store: Store,
        engine: Engine,
        tables: Tables,
    ) -> None:
        self._workspace = workspace
        self._root = root_dir
        self._allow_outside_root = allow_outside_root
        self._store = store
        self._engine = engine
        self._tables = tables
        # Row counts of CSV/JSON sources cost a scan: keep them per file signature.
        self._counts: dict[tuple, int] = {}
        self._counts_lock = threading.Lock()

    def register_source(self, request: RegisterSourceRequest) -> DescribeSource:
        """Register a file, glob, folder of Parquet files or DuckDB database; nothing is copied.

        Args:
            request: The path (relative to the Jupyter root), an optional name (default: the
                file stem made SQL-safe) and an optional kind (default: from the extension).

        Returns:
            The source with its tables and columns.

        Raises:
            ForbiddenPathError: The path is outside the root and that is not allowed.
            NotFoundError: No such file (or no file matches).
            UnsupportedError: Unsupported file type, or it needs a DuckDB extension.
            InvalidRequestError: DuckDB cannot read the file (its message says why).
            ConflictError: A source or table already has the name.
        """
        location = sources.resolve(
            request.path, request.kind, self._root, allow_outside_root=self._allow_outside_root
        )
        name = request.name if request.name is not None else sources.default_name(location)
        return self.register_location(location, name, request.path)

    def register_location(
        self, location: sources.SourceLocation, name: str, text: str
    ) -> DescribeSource:
        """Register an already resolved location (an upload in the workspace, say).

        Args:
            location: Where the source is; trusted as it is (no root check).
            name: The source's name.
            text: The path as the user knows it, for messages.

        Returns:
            The source with its tables and columns.

        Raises:
            InvalidRequestError, ConflictError, UnsupportedError: As for
                :meth:`register_source`.
        """
        check_name(name)
        with self._store.read() as session:
            self._check_free(session, name)
        self._probe(location, text)
        with self._store.write() as session:
            self._check_free(session, name)
            session.add(
                SourceRow(
                    name=name,
                    name_key=name_key(name),
                    kind=location.kind.value,
                    path=sources.to_stored(location, self._workspace),
                )
            )
        self._engine.refresh()
        return self.describe_source(name)

    def _check_free(self, session, name: str) -> None:
        taken = owner(session, name)
        if taken:
            raise ConflictError(
                f"A {taken} named '{name}' already exists; choose another name"
                + (" or remove the source first." if taken == "source" else "."),
                name=name,
            )

    def _probe(self, location: sources.SourceLocation, text: str) -> None:
        """Read the source's schema now, so a broken file fails at registration."""
        cursor = self._engine.cursor(refresh=False)
        alias = f"mlwb_probe_{uuid.uuid4().hex[:8]}"
        try:
            if location.kind is SourceKind.duckdb:
                cursor.execute(f"ATTACH {literal(location.path)} AS {alias} (READ_ONLY)")
                cursor.execute(f"DETACH {alias}")
            else:
                cursor.execute(f"DESCRIBE {location.reader_sql()}")
        except duckdb.Error as error:
            translated = translate(error, sql="")
            if translated.code != "query_error":
                raise translated from None
            raise InvalidRequestError(
                "path",
                f"Cannot read '{text}' as {location.kind.value}: {translated.message}",
                path=text,
            ) from None
        finally:
            cursor.close()

    def remove_source(self, name: str) -> None:
        """Forget a source (its files are left alone).

        Raises:
            NotFoundError: No source with this name.
        """
        with self._store.write() as session:
            row = session.scalar(select(SourceRow).where(SourceRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError("source", name)
            session.delete(row)
        self._engine.refresh()

    def describe_source(self, name: str) -> DescribeSource:
        """One source with its tables, columns and row counts.

        Raises:
            NotFoundError: No source with this name.
        """
        self._engine.refresh()
        with self._store.read() as session:
            row = session.scalar(select(SourceRow).where(SourceRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError("source", name)
        return self._describe_source(row, self._columns())

    def describe(self) -> DescribeCatalog:
        """Every source (with its tables, columns and row counts) and workspace table.

        A source whose files have vanished is listed with ``error`` set.

        Returns:
            The catalog, sources and tables sorted by name.
        """
        self._engine.refresh()
        with self._store.read() as session:
            rows = session.scalars(select(SourceRow).order_by(SourceRow.name)).all()
        columns = self._columns()
        described = [self._describe_source(row, columns) for row in rows]
        tables = []
        for name in self._tables.names():
            try:
                tables.append(self._tables.describe(name).table)
            except NotFoundError:
                continue  # removed by another process meanwhile
        return DescribeCatalog(sources=described, tables=tables)

    def names(self) -> dict[str, list[str]]:
        """Every readable table name (as written in SQL) and its columns, for completion.

        Returns:
            ``{"orders": ["id", ...], "shop.customers": [...], '"my data"': [...]}``.
        """
        self._engine.refresh()
        out: dict[str, list[str]] = {}
        for (database, schema, table), cols in self._columns().items():
            if database == "memory" and schema == "main":
                key = quote_if_needed(table)
            elif name_key(database) in self._engine.attached():
                key = self._database_table_name(database, schema, table)
            else:
                continue
            out[key] = [c.name for c in cols]
        return dict(sorted(out.items()))

    def _columns(self) -> dict[tuple[str, str, str], list[ColumnInfo]]:
        """Columns of every view and attached table, by (database, schema, table)."""
        views = set(self._engine.view_names().values())
        attached = set(self._engine.attached().values())
        cursor = self._engine.cursor(refresh=False)
        try:
            rows = cursor.execute(
                "SELECT database_name, schema_name, table_name, column_name, data_type "
                "FROM duckdb_columns() ORDER BY database_name, schema_name, table_name, "
                "column_index"
            ).fetchall()
        finally:
            cursor.close()
        out: dict[tuple[str, str, str], list[ColumnInfo]] = {}
        for database, schema, table, column, type_ in rows:
            if (database == "memory" and schema == "main" and table in views) or (
                database in attached
            ):
                out.setdefault((database, schema, table), []).append(
                    ColumnInfo(name=column, type=type_)
                )
        return out

    @staticmethod
    def _database_table_name(database: str, schema: str, table: str) -> str:
        parts = [database] + ([] if schema == "main" else [schema]) + [table]
        return ".".join(quote_if_needed(p) for p in parts)

    def _describe_source(self, row: SourceRow, columns: dict) -> DescribeSource:
        location = sources.from_stored(row.path, row.kind, self._workspace)
        error = self._engine.errors.get(row.name)
        if not location.files():
            error = f"File not found: {location.pattern}. Was it moved or deleted?"
        tables: list[DescribeTable] = []
        if location.kind is SourceKind.duckdb:
            for (database, schema, table), cols in columns.items():
                if database != row.name or error:
                    continue
                full = f"{quote(database)}.{quote(schema)}.{quote(table)}"
                count, count_error = self._count(location, f"SELECT count(*) FROM {full}")
                tables.append(
                    DescribeTable(
                        name=self._database_table_name(database, schema, table),
                        kind="database_table",
                        source=row.name,
                        columns=cols,
                        row_count=count,
                        error=count_error,
                    )
                )
            if error:
                tables.append(
                    DescribeTable(
                        name=quote_if_needed(row.name),
                        kind="database_table",
                        source=row.name,
                        error=error,
                    )
                )
        else:
            cols = columns.get(("memory", "main", row.name), [])
            count = None
            if not error:
                if location.kind is SourceKind.parquet:
                    counter = (
                        "SELECT sum(num_rows)::BIGINT FROM parquet_file_metadata("
                        f"{literal(location.pattern)})"
                    )
                else:
                    counter = f"SELECT count(*) FROM {quote(row.name)}"
                count, error = self._count(location, counter)
            tables.append(
                DescribeTable(
                    name=quote_if_needed(row.name),
                    kind="source",
                    source=row.name,
                    columns=[] if error else cols,
                    row_count=count,
                    error=error,
                )
            )
        return DescribeSource(
            name=row.name,
            kind=SourceKind(row.kind),
            path=self._display_path(location),
            created_at=row.created_at,
            tables=tables,
        )

    def _count(self, location: sources.SourceLocation, sql: str) -> tuple[int | None, str | None]:
        key = (sql, location.signature())
        with self._counts_lock:
            if key in self._counts:
                return self._counts[key], None
        cursor = self._engine.cursor(refresh=False)
        try:
            count = int(cursor.execute(sql).fetchone()[0] or 0)
        except duckdb.Error as error:
            return None, translate(error, sql=sql).message
        finally:
            cursor.close()
        with self._counts_lock:
            self._counts[key] = count
        return count, None

    def _display_path(self, location: sources.SourceLocation) -> str:
        """Relative to this process's root when inside it, else absolute."""
        path = Path(location.path)
        try:
            shown = path.relative_to(Path(self._root).resolve()).as_posix()
        except ValueError:
            shown = str(path)
        return shown + "/" if location.is_folder else shown
