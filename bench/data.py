"""Write the benchmark's star schema as Parquet files."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from bench.queries import GENERATE, SIZES

# Parts d and e write tables with the columns of ``sales`` (keys drawn from the full dimension
# sizes), as (full, --quick) row counts; part e reuses part d's ten_million.parquet.
NOTEBOOK_ROWS = {"one_million": (1_000_000, 20_000), "ten_million": (10_000_000, 100_000)}
PROFILE_ROWS = {"ten_million": NOTEBOOK_ROWS["ten_million"],
                "hundred_million": (100_000_000, 200_000)}


def generate(data_dir: Path, *, quick: bool) -> dict[str, Path]:
    """Write ``<table>.parquet`` for every table of ``GENERATE``; return name -> path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    n = {table: sizes[1 if quick else 0] for table, sizes in SIZES.items()}
    paths = {}
    with duckdb.connect() as con:
        for table, sql in GENERATE.items():
            paths[table] = data_dir / f"{table}.parquet"
            _copy(con, table, sql, {**n, "n": n[table]}, paths[table])
    return paths


def generate_notebook(data_dir: Path, *, quick: bool) -> dict[str, Path]:
    """Part d's files, ``one_million.parquet`` and ``ten_million.parquet``; name -> path."""
    return generate_sales(data_dir, NOTEBOOK_ROWS, quick=quick)


def generate_profile(data_dir: Path, *, quick: bool) -> dict[str, Path]:
    """Part e's files, ``ten_million.parquet`` and ``hundred_million.parquet``; name -> path."""
    return generate_sales(data_dir, PROFILE_ROWS, quick=quick)


def generate_sales(data_dir: Path, tables: dict[str, tuple[int, int]], *,
                   quick: bool) -> dict[str, Path]:
    """Write ``<name>.parquet`` with the columns of ``sales`` for each (full, quick) row count,
    keeping a file an earlier part of the same run wrote already; return name -> path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    dimensions = {table: SIZES[table][0] for table in ("stores", "products", "customers")}
    paths = {}
    with duckdb.connect() as con:
        for table, sizes in tables.items():
            paths[table] = data_dir / f"{table}.parquet"
            if paths[table].exists():
                print(f"  reusing {paths[table].name}", flush=True)
                continue
            _copy(con, table, GENERATE["sales"], {"n": sizes[1 if quick else 0], **dimensions},
                  paths[table])
    return paths


def _copy(con: duckdb.DuckDBPyConnection, table: str, sql: str, values: dict, path: Path) -> None:
    params = {k: v for k, v in values.items() if f"${k}" in sql}
    started = time.perf_counter()
    con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)", params)
    seconds = time.perf_counter() - started
    print(f"  generated {table}: {values['n']:,} rows in {seconds:.1f} s", flush=True)


def create_views(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
    """Give a bare connection the same table names the workspace sources have."""
    for table, path in paths.items():
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
