"""Write a table to a CSV or Parquet file with DuckDB's COPY, atomically."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

from mlworkbench.core.data.identifiers import literal
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.schemas import ExportFormat

_OPTIONS = {ExportFormat.csv: "FORMAT csv, HEADER true", ExportFormat.parquet: "FORMAT parquet"}


def export(cursor: duckdb.DuckDBPyConnection, source: str, fmt: ExportFormat, dest: Path) -> Path:
    """Copy ``source`` to ``dest``: written under a temp name in the same folder, then renamed,
    so a reader never sees half a file and a failed export leaves nothing behind.

    Args:
        cursor: A DuckDB cursor.
        source: A table name or a parenthesised query, ready for SQL.
        fmt: CSV (with a header) or Parquet.
        dest: The file to write (replaced if it exists).

    Returns:
        ``dest``.

    Raises:
        QueryError: DuckDB could not write the file.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    sql = f"COPY {source} TO {literal(str(tmp))} ({_OPTIONS[ExportFormat(fmt)]})"
    try:
        cursor.execute(sql)
        os.replace(tmp, dest)
    except Exception as error:
        tmp.unlink(missing_ok=True)
        raise translate(error, sql=sql) from None
    return dest
