"""Part e: mlworkbench's column profile beside DuckDB's own ``SUMMARIZE``, on the same files.

The profile is ``ws.prep.profile`` on a workspace source (what the panel, ``mlwb.profile`` and
the REST route all call), with the default request: sampled above 5M rows, charts included.
The anchor is a bare connection running ``SUMMARIZE SELECT * FROM read_parquet(...)``, which
reads every row. On 100M rows that takes minutes on a small machine, so it runs once there
(no warm-up); the profile gets the usual warm-up and runs.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench.data import PROFILE_ROWS
from bench.timing import interleaved, timed

# Above this many rows SUMMARIZE runs once, without a warm-up.
SUMMARIZE_ONCE_ROWS = 50_000_000


def part_e(paths: dict[str, Path], root: Path, workspace: Path, *, runs: int) -> dict:
    """All of part e; ``paths`` must have every table of ``PROFILE_ROWS``."""
    from bench.report import TARGETS
    from mlworkbench.core import Workspace
    from mlworkbench.schemas import RegisterSourceRequest

    bare = duckdb.connect()
    rows = []
    try:
        with Workspace.open(workspace, root_dir=root) as ws:
            for table in PROFILE_ROWS:
                relative = paths[table].relative_to(root).as_posix()
                ws.catalog.register_source(RegisterSourceRequest(path=relative, name=table))
            for table in PROFILE_ROWS:
                print(f"  e. {table}: profile and SUMMARIZE", flush=True)
                rows.append(_compare(ws, bare, table, paths[table], runs))
    finally:
        bare.close()
    biggest = max(rows, key=lambda r: r["rows"])
    return {
        "tables": rows,
        "target_table": biggest["table"],
        # None on a quick run: the target is about 100M rows.
        "target_met": biggest["profile"]["median_ms"] <= TARGETS["profile_100m_ms"]
        if biggest["rows"] >= 100_000_000
        else None,
    }


def _compare(ws, bare: duckdb.DuckDBPyConnection, table: str, path: Path, runs: int) -> dict:
    """Time the profile of ``table`` and SUMMARIZE of its file; keep what the profile said."""
    from mlworkbench.schemas.prep import ProfileRequest

    request = ProfileRequest(table=table)
    last: list = []
    profile = timed(lambda: last.append(ws.prep.profile(request)))
    summarize = timed(
        lambda: bare.execute(f"SUMMARIZE SELECT * FROM read_parquet('{path}')").fetchall()
    )
    rows = bare.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
    if rows > SUMMARIZE_ONCE_ROWS:
        measured = {**interleaved({"profile": profile}, runs),
                    **interleaved({"summarize": summarize}, 1, warmup=0)}
    else:
        measured = interleaved({"profile": profile, "summarize": summarize}, runs)
    described = last[-1]
    return {
        "table": table,
        "rows": rows,
        "columns": len(described.columns),
        "file_mb": path.stat().st_size / 2**20,
        **measured,
        "sampled": described.sampled,
        "sample_rows": described.sample_rows,
        "profile_elapsed_ms": described.elapsed_ms,  # the profile's own figure, last run
        "ratio": measured["summarize"]["median_ms"] / measured["profile"]["median_ms"],
    }
