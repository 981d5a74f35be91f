"""Write the benchmark's star schema as Parquet files."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from bench.queries import GENERATE, SIZES


def generate(data_dir: Path, *, quick: bool) -> dict[str, Path]:
    """Write ``<table>.parquet`` for every table of ``GENERATE``; return name -> path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    n = {table: sizes[1 if quick else 0] for table, sizes in SIZES.items()}
    paths = {}
    with duckdb.connect() as con:
        for table, sql in GENERATE.items():
            params = {k: v for k, v in {"n": n[table], **n}.items() if f"${k}" in sql}
            path = data_dir / f"{table}.parquet"
            started = time.perf_counter()
            con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)", params)
            seconds = time.perf_counter() - started
            print(f"  generated {table}: {n[table]:,} rows in {seconds:.1f} s", flush=True)
            paths[table] = path
    return paths


def create_views(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
    """Give a bare connection the same table names the workspace sources have."""
    for table, path in paths.items():
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
