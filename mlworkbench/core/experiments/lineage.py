"""Lineage: which workspace tables (at which version) and which files a run's query reads, and
the query rewritten to read exactly those table versions again.

Workspace tables are immutable Parquet versions, so a run pins each table it reads to the
version current when it starts; :func:`pinned_sql` reads those versions whatever was saved
since. A label set is snapshotted first when labels were made since its newest snapshot, so the
pinned version holds every label made up to the run's start. Sources are referenced, never
copied: each of their files is recorded with its size, mtime and sha256, so a later read can
tell whether the data is still the same (:func:`changed_files`).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import duckdb
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mlworkbench.core.data.identifiers import literal, name_key, quote
from mlworkbench.core.data.sources import EXTENSIONS, from_stored
from mlworkbench.core.errors import ConflictError, NotFoundError
from mlworkbench.core.experiments.file_hash import FileState, hash_file, stat_file
from mlworkbench.core.experiments.references import TableReference, parse
from mlworkbench.core.workspace.store import (
    LabelSetRow,
    RunInputRow,
    SourceRow,
    Store,
    TableRow,
    TableVersionRow,
)

_MAIN = ("", "main")
_LOOKUP_BATCH = 500


@dataclass(frozen=True)
class Input:
    """One thing a run read (the fields of a ``run_inputs`` row).

    Attributes:
        kind: 'table' (a workspace table version), 'file' (a source's file, or one the query
            names), or 'other' (a name the workspace does not keep: a result, a temp table).
        name: The table's or source's name (None for a file the query names directly).
        table_version_id: The pinned version's row id ('table').
        version: The pinned version number ('table').
        path: The version's Parquet file relative to the workspace ('table'); the absolute
            file path ('file'); '' ('other').
        row_count: Rows of the pinned version ('table').
        size: Bytes ('file').
        mtime_ns: Modification time in ns ('file').
        sha256: Content hash ('file'; None for a remote URL).
    """

    kind: str
    name: str | None = None
    table_version_id: int | None = None
    version: int | None = None
    path: str = ""
    row_count: int | None = None
    size: int | None = None
    mtime_ns: int | None = None
    sha256: str | None = None


def read_inputs(
    cursor: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    workspace: Path,
    store: Store,
    snapshot_label_set: Callable[[str], None],
) -> list[Input]:
    """Pin what ``sql`` reads: each workspace table at its current version, each source file
    with its content hash.

    Args:
        cursor: A DuckDB cursor (only the parser runs).
        sql: One SELECT.
        workspace: The workspace directory.
        store: Its metadata store.
        snapshot_label_set: Called with a label set's name before it is pinned; writes a
            snapshot version when labels were made since the newest one.

    Returns:
        The inputs, tables first, then files, then names the workspace does not keep.

    Raises:
        InvalidRequestError: Not one SELECT.
        QueryError: It does not parse.
    """
    statement = parse(cursor, sql)
    with store.read() as session:
        tables = {row.name_key: row for row in session.scalars(select(TableRow))}
        label_sets = set(session.scalars(select(LabelSetRow.name_key)))
        sources = {row.name_key: row for row in session.scalars(select(SourceRow))}
    wanted_tables: dict[str, TableRow] = {}
    wanted_sources: dict[str, SourceRow] = {}
    others: list[str] = []
    direct = list(statement.files)  # files the query names itself
    for reference in statement.tables:
        key, is_table = _target(reference, tables, sources)
        if is_table:
            wanted_tables[key] = tables[key]
        elif key is not None:
            wanted_sources[key] = sources[key]
        elif _is_file(reference):  # FROM 'data/x.csv': DuckDB reads the file
            direct.append(reference.table)
        else:
            others.append(".".join(p for p in reference.parts if p))
    for key, table in wanted_tables.items():
        if key in label_sets:
            snapshot_label_set(table.name)
    inputs = _pin_tables(store, wanted_tables.values())
    files: list[tuple[str | None, str]] = []
    for source in wanted_sources.values():
        location = from_stored(source.path, source.kind, workspace)
        files += [(source.name, f) for f in (location.files() or [location.pattern])]
    for text in direct:
        files += [(None, f) for f in _expand(text)]
    inputs += _hash_files(store, files)
    inputs += [Input("other", name=name) for name in dict.fromkeys(others)]
    return inputs


def _target(
    reference: TableReference, tables: dict[str, TableRow], sources: dict[str, SourceRow]
) -> tuple[str | None, bool]:
    """(name key, is a workspace table) of what a reference names; (None, False): unknown."""
    catalog, schema, table = reference.parts
    if (not catalog or name_key(catalog) == "memory") and name_key(schema) in _MAIN:
        key = name_key(table)
        if key in tables:
            return key, True
        if key in sources and sources[key].kind != "duckdb":
            return key, False
        return None, False
    database = name_key(catalog or schema)
    if database in sources and sources[database].kind == "duckdb":
        return database, False
    return None, False


def _is_file(reference: TableReference) -> bool:
    name = reference.table.lower()
    return not any(reference.parts[:2]) and (
        any(name.endswith(suffix) for suffix in EXTENSIONS) or bool(set("/*?") & set(name))
    )


def _pin_tables(store: Store, tables: Iterable[TableRow]) -> list[Input]:
    ids = [t.id for t in tables]
    if not ids:
        return []
    with store.read() as session:
        current = (
            select(TableVersionRow.table_id, func.max(TableVersionRow.version).label("v"))
            .where(TableVersionRow.table_id.in_(ids))
            .group_by(TableVersionRow.table_id)
            .subquery()
        )
        rows = session.execute(
            select(TableRow.name, TableVersionRow)
            .join(TableVersionRow, TableVersionRow.table_id == TableRow.id)
            .join(
                current,
                (current.c.table_id == TableVersionRow.table_id)
                & (current.c.v == TableVersionRow.version),
            )
            .order_by(TableRow.name)
        ).all()
    return [
        Input(
            "table",
            name=name,
            table_version_id=version.id,
            version=version.version,
            path=version.path,
            row_count=version.row_count,
        )
        for name, version in rows
    ]


def _expand(text: str) -> list[str]:
    """The files a reader function's path names (relative to this process's directory, as
    DuckDB resolves it); a URL as it is."""
    if "://" in text:
        return [text]
    path = os.path.abspath(os.path.expanduser(text))
    if set("*?[") & set(path):
        return sorted(glob.glob(path, recursive=True))
    return [path]


def _hash_files(store: Store, files: list[tuple[str | None, str]]) -> list[Input]:
    states: list[tuple[str | None, FileState | str]] = []
    for name, path in dict.fromkeys(files):
        if "://" in path:
            states.append((name, path))
            continue
        try:
            states.append((name, stat_file(path)))
        except OSError:
            states.append((name, path))  # gone: the query will say so; recorded unhashed
    known = _known_hashes(store, [s for _, s in states if isinstance(s, FileState)])
    inputs = []
    for name, state in states:
        if isinstance(state, FileState):
            try:
                state = hash_file(state.path, known)
            except OSError:
                state = state.path
        if isinstance(state, str):
            inputs.append(Input("file", name=name, path=state))
        else:  # path, size, mtime_ns, sha256
            inputs.append(Input("file", name=name, **asdict(state)))
    return inputs


def _known_hashes(store: Store, states: list[FileState]) -> dict[tuple[str, int, int], str]:
    """Hashes earlier runs recorded for files with the same path, size and mtime: a file
    read by many runs is hashed once."""
    known: dict[tuple[str, int, int], str] = {}
    wanted = {s.signature for s in states}
    paths = sorted({s.path for s in states})
    with store.read() as session:
        for i in range(0, len(paths), _LOOKUP_BATCH):
            rows = session.execute(
                select(RunInputRow.path, RunInputRow.size, RunInputRow.mtime_ns, RunInputRow.sha256)
                .where(RunInputRow.path.in_(paths[i : i + _LOOKUP_BATCH]))
                .where(RunInputRow.sha256.is_not(None))
            ).all()
            for path, size, mtime_ns, digest in rows:
                if (path, size, mtime_ns) in wanted:
                    known[(path, size, mtime_ns)] = digest
    return known


def pinned_sql(
    cursor: duckdb.DuckDBPyConnection, sql: str, inputs: Iterable[Input], workspace: Path
) -> str:
    """``sql`` with every workspace table it names replaced by the version the run pinned.

    Args:
        cursor: A DuckDB cursor (only the parser runs).
        sql: The run's query.
        inputs: The run's inputs.
        workspace: The workspace directory.

    Returns:
        One SELECT; sources and other names are left as they are. It ends with a newline, so
        it can go inside parentheses even when it ends with a ``--`` comment.

    Raises:
        NotFoundError: A pinned version's file was removed (with its table).
    """
    pinned = {name_key(i.name): i for i in inputs if i.kind == "table" and i.name}
    statement = parse(cursor, sql)
    data = statement.body.encode()
    for reference in sorted(statement.tables, key=lambda r: r.start, reverse=True):
        catalog, schema, table = reference.parts
        pin = pinned.get(name_key(table))
        if pin is None or reference.start < 0 or name_key(schema) not in _MAIN:
            continue
        if catalog and name_key(catalog) != "memory":
            continue
        path = workspace / pin.path
        if not path.is_file():
            raise NotFoundError(
                "table version",
                f"{pin.name} v{pin.version}",
                f"The run read '{pin.name}' at version {pin.version}, whose file was removed "
                "(the table was removed or its old versions pruned).",
            )
        replacement = f"(SELECT * FROM read_parquet({literal(str(path))}))"
        if not reference.aliased:
            replacement += f" AS {quote(table)}"
        data = data[: reference.start] + replacement.encode() + data[reference.end :]
    text = data.decode()
    return text if text.endswith("\n") else text + "\n"


def changed_files(inputs: Iterable[Input]) -> list[dict]:
    """The recorded files whose content is no longer what the run read.

    Args:
        inputs: A run's inputs.

    Returns:
        ``{"path", "name", "reason"}`` per changed or vanished file ('missing', 'changed').
    """
    changed = []
    for item in inputs:
        if item.kind != "file" or item.sha256 is None:
            continue
        try:
            state = stat_file(item.path)
        except OSError:
            changed.append({"path": item.path, "name": item.name, "reason": "missing"})
            continue
        if state.signature == (item.path, item.size, item.mtime_ns):
            continue
        now = hash_file(item.path, {})
        if now.sha256 != item.sha256:
            changed.append({"path": item.path, "name": item.name, "reason": "changed"})
    return changed


def input_from_row(row: RunInputRow) -> Input:
    return Input(**{f.name: getattr(row, f.name) for f in fields(Input)})


def add_inputs(session: Session, run_id: int, inputs: list[Input]) -> None:
    """Write a run's inputs (in the transaction that writes the run).

    Raises:
        ConflictError: A pinned table was removed since it was pinned.
    """
    pinned = {i.table_version_id: i.name for i in inputs if i.table_version_id is not None}
    if pinned:
        present = set(
            session.scalars(select(TableVersionRow.id).where(TableVersionRow.id.in_(pinned)))
        )
        gone = [name for version_id, name in pinned.items() if version_id not in present]
        if gone:
            raise ConflictError(
                f"The table {', '.join(map(repr, gone))} was removed while the run started; "
                "start it again.",
                tables=gone,
            )
    session.add_all(RunInputRow(run_id=run_id, **vars(i)) for i in inputs)
