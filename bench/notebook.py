"""Part d: SQL in a notebook, in a real IPython shell, beside JupySQL and bare DuckDB.

One ``InteractiveShell`` has both ``%load_ext mlworkbench`` and ``%load_ext sql`` (JupySQL on a
native DuckDB connection). Both name their magic ``sql``, so the one a cell uses is switched in
before the cell runs (two dict assignments, outside the timing). Every engine reads the same
Parquet files: mlworkbench through workspace sources, bare DuckDB and JupySQL through views of
the same names over ``read_parquet``.

A cell "with display" is the magic plus ``shell.display_formatter.format(result)``: what the
kernel's display hook computes for the frontend (our ``_repr_mimebundle_``; JupySQL's HTML and
plain-text reprs).
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import duckdb
import psutil

from bench.data import NOTEBOOK_ROWS, create_views
from bench.rss import RssSampler
from bench.timing import Sampler, interleaved, rounds, summarise

ONE_ROW_QUERIES = {
    "constant": "SELECT 42 AS answer",
    "lookup": "SELECT * FROM one_million WHERE sale_id = 123",
}
SHOWN = 100  # rows of a first page: our grid page, JupySQL's displaylimit here


def _rss() -> int:
    return psutil.Process().memory_info().rss


class Notebook:
    """One IPython shell with both SQL magics, over one workspace and one bare connection.

    Args:
        paths: table name -> Parquet file (the same files for every engine).
        root: The Jupyter root the workspace's source paths are relative to.
        workspace: The workspace directory (created).
        jupysql: Load JupySQL too (ImportError when it is not installed).
    """

    def __init__(self, paths: dict[str, Path], root: Path, workspace: Path, *, jupysql: bool):
        os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")  # no telemetry calls
        from IPython.core.interactiveshell import InteractiveShell

        from mlworkbench.core import Workspace
        from mlworkbench.schemas import RegisterSourceRequest

        with Workspace.open(workspace, root_dir=root) as ws:
            for name, path in paths.items():
                relative = path.relative_to(root).as_posix()
                ws.catalog.register_source(RegisterSourceRequest(path=relative, name=name))
        self.bare = duckdb.connect()
        create_views(self.bare, paths)
        self.shell = InteractiveShell.instance()
        self.magics = self.shell.magics_manager.magics
        self.shell.run_line_magic("load_ext", "mlworkbench")
        self.ours = self._grab()
        self.shell.run_line_magic("sql", f"--workspace {workspace}")
        self.jupysql_version = None
        self.theirs = None
        if jupysql:
            import sql  # noqa: F401  (ImportError here means: pip install jupysql)
            from importlib.metadata import version

            self.jupysql_version = version("jupysql")
            self.jupysql_con = duckdb.connect()
            create_views(self.jupysql_con, paths)
            self.shell.user_ns["jupysql_con"] = self.jupysql_con
            self.shell.run_line_magic("load_ext", "sql")
            self.theirs = self._grab()
            self.shell.run_line_magic("sql", "jupysql_con")
            for setting in ["feedback = 0", "autolimit = 0", f"displaylimit = {SHOWN}"]:
                self.shell.run_line_magic("config", f"SqlMagic.{setting}")
        self.use(self.ours)

    def _grab(self) -> tuple[Any, Any]:
        return self.magics["line"]["sql"], self.magics["cell"]["sql"]

    def use(self, magic: tuple[Any, Any]) -> None:
        """Make ``%sql``/``%%sql`` one engine's magic."""
        self.magics["line"]["sql"], self.magics["cell"]["sql"] = magic

    def jupysql(self, **settings: Any) -> None:
        """Switch to JupySQL with these ``SqlMagic`` settings."""
        self.use(self.theirs)
        for name, value in settings.items():
            self.shell.run_line_magic("config", f"SqlMagic.{name} = {value!r}")

    def cell(self, line: str, sql: str) -> Any:
        return self.shell.run_cell_magic("sql", line, sql)

    def display(self, result: Any) -> dict:
        """What the kernel's display hook sends the frontend for a cell's value."""
        return self.shell.display_formatter.format(result)[0]

    def workspace(self):
        from mlworkbench.notebook import runner

        return runner().ws

    def forget(self, result: Any = None) -> None:
        """Drop what a sample left (outside the timing): its DataFrame, its result session
        (stopping its background copy), then collect garbage."""
        self.shell.user_ns.pop("df", None)
        session_id = getattr(result, "session_id", None)
        if session_id:
            self.workspace().results.close(session_id)
        gc.collect()

    def close(self) -> None:
        if self.theirs is not None:
            from sql.connection import ConnectionManager

            ConnectionManager.close_all(verbose=False)
            self.jupysql_con.close()
        self.use(self.ours)
        ws = self.workspace()
        ws.close()
        self.bare.close()


def _sample(before: Callable[[], None], run: Callable[[], Any],
            after: Callable[[Any], None]) -> Sampler:
    """Time ``run`` alone; ``before`` and ``after`` (switching magics, freeing memory) not."""

    def sample() -> float:
        before()
        started = time.perf_counter()
        value = run()
        elapsed = (time.perf_counter() - started) * 1000
        after(value)
        return elapsed

    return sample


def into_pandas(nb: Notebook, table: str, runs: int) -> dict:
    """d1: a whole result into a pandas DataFrame, by every engine."""
    import mlworkbench as mlwb

    sql = f"SELECT * FROM {table}"
    ours = lambda: nb.use(nb.ours)  # noqa: E731
    samplers = {
        "duckdb": _sample(nb.forget, lambda: nb.bare.sql(sql).df(), lambda _: nb.forget()),
        "magic_o": _sample(ours, lambda: nb.cell("-o df", sql), nb.forget),
        "mlwb_sql_df": _sample(ours, lambda: mlwb.sql(sql).df(), lambda _: nb.forget()),
    }
    if nb.theirs is not None:
        samplers["jupysql"] = _sample(
            lambda: nb.jupysql(autopandas=True), lambda: nb.cell("df <<", sql),
            lambda _: nb.forget(),
        )
    row = {"table": table, "sql": sql, **interleaved(samplers, runs)}
    frame = nb.bare.sql(sql).df()
    row["rows"], row["frame_mb"] = len(frame), frame.memory_usage(deep=True).sum() / 2**20
    del frame
    gc.collect()
    for name in samplers:  # medians, and the fastest runs (less exposed to a busy machine)
        row[f"{name}_ratio"] = row[name]["median_ms"] / row["duckdb"]["median_ms"]
        row[f"{name}_min_ratio"] = row[name]["min_ms"] / row["duckdb"]["min_ms"]
    return row


def _sample_cpu(before: Callable[[], None], run: Callable[[], Any],
                after: Callable[[Any], None]) -> Callable[[], tuple[float, float]]:
    """Like :func:`_sample`, timing ``run`` both on the wall clock and in CPU time of the
    whole process (every thread, DuckDB's included), in milliseconds."""

    def sample() -> tuple[float, float]:
        before()
        started, cpu = time.perf_counter(), time.process_time()
        value = run()
        elapsed = (time.perf_counter() - started) * 1000
        used = (time.process_time() - cpu) * 1000
        after(value)
        return elapsed, used

    return sample


def one_row(nb: Notebook, name: str, sql: str, count: int) -> dict:
    """d2: the per-cell time of a one-row query with its display, and the overhead over bare.

    Bare DuckDB, mlworkbench and JupySQL run in interleaved rounds (see :func:`timing.rounds`). An
    engine's overhead is its median minus bare DuckDB's median, on the wall clock
    (``<engine>_overhead_ms``) and in CPU time (``<engine>_cpu_overhead_ms``: the process's
    CPU time hardly moves with other processes' load, the wall clock does); the median of the
    per-round wall-clock differences and the ratio of wall-clock medians are given beside them.
    After each mlworkbench cell, the sessions it evicted are closed before the next sample
    (untimed): that work comes after the cell has returned, and must not slow down the engine
    measured next.
    """
    ours = lambda: nb.use(nb.ours)  # noqa: E731
    settle = lambda _: nb.workspace().results.settle()  # noqa: E731
    samplers = {
        "duckdb": _sample_cpu(lambda: None, lambda: nb.bare.sql(sql).fetchall(), lambda _: None),
        "mlworkbench": _sample_cpu(ours, lambda: nb.display(nb.cell("", sql)), settle),
    }
    if nb.theirs is not None:
        samplers["jupysql"] = _sample_cpu(
            lambda: nb.jupysql(autopandas=False),
            lambda: nb.display(nb.cell("", sql)), lambda _: None,
        )
    load_before = os.getloadavg()
    measured = rounds(samplers, count, warmup=10)
    row: dict[str, Any] = {"name": name, "sql": sql, "rounds": count,
                           "load_before": load_before, "load_after": os.getloadavg()}
    wall = {engine: [w for w, _ in pairs] for engine, pairs in measured.items()}
    cpu = {engine: [c for _, c in pairs] for engine, pairs in measured.items()}
    row.update({engine: summarise(values) for engine, values in wall.items()})
    row["cpu"] = {engine: summarise(values) for engine, values in cpu.items()}
    for engine in samplers:
        row[f"{engine}_overhead_ms"] = row[engine]["median_ms"] - row["duckdb"]["median_ms"]
        row[f"{engine}_ratio"] = row[engine]["median_ms"] / row["duckdb"]["median_ms"]
        row[f"{engine}_paired_overhead_ms"] = statistics.median(
            a - b for a, b in zip(wall[engine], wall["duckdb"])
        )
        row[f"{engine}_cpu_overhead_ms"] = (
            row["cpu"][engine]["median_ms"] - row["cpu"]["duckdb"]["median_ms"]
        )
    nb.use(nb.ours)
    return row


def first_page(nb: Notebook, table: str, runs: int) -> dict:
    """d3: run start -> the MIME bundle of the first page of a big result, without ``-o``.

    The result is still counting when the bundle is made (``total_rows`` None) and the
    process grew by far less than the result: the first page did not fetch the rest.
    """
    sql = f"SELECT * FROM {table}"
    checks: list[dict] = []

    def ours() -> float:
        nb.use(nb.ours)
        gc.collect()
        with RssSampler(_rss, interval=0.005) as rss:
            started = time.perf_counter()
            result = nb.cell("", sql)
            bundle = nb.display(result)
            elapsed = (time.perf_counter() - started) * 1000
            payload = bundle["application/vnd.mlworkbench.result+json"]
            grown = rss.mark() - rss.baseline
        checks.append({"rows_in_bundle": len(payload["rows"]),
                       "total_rows_at_display": payload["total_rows"],
                       "rss_growth_mb": grown / 2**20})
        nb.forget(result)
        return elapsed

    samplers = {
        "duckdb_first_rows": _sample(
            gc.collect, lambda: nb.bare.execute(f"{sql} LIMIT {SHOWN}").fetchall(), lambda _: None
        ),
        # to_arrow_table: DuckDB 2's .arrow() is a lazy RecordBatchReader.
        "duckdb_whole_query": _sample(gc.collect, lambda: nb.bare.sql(sql).to_arrow_table(),
                                      lambda _: gc.collect()),
        "mlworkbench": ours,
    }
    if nb.theirs is not None:
        samplers["jupysql"] = _sample(
            lambda: (nb.jupysql(autopandas=False), gc.collect()),
            lambda: nb.display(nb.cell("", sql)), lambda _: gc.collect(),
        )
    row = {"table": table, "sql": sql, **interleaved(samplers, runs)}
    nb.use(nb.ours)
    row["checks"] = checks
    row["extra_ms"] = row["mlworkbench"]["median_ms"] - row["duckdb_first_rows"]["median_ms"]
    row["rss_growth_mb"] = max(c["rss_growth_mb"] for c in checks)
    row["no_full_fetch"] = all(
        c["rows_in_bundle"] == SHOWN and c["total_rows_at_display"] is None for c in checks
    )
    return row


def part_d(paths: dict[str, Path], root: Path, workspace: Path, *, runs: int,
           jupysql: bool) -> dict:
    """All of part d; ``paths`` must have ``one_million`` and ``ten_million``."""
    from bench.report import TARGETS

    nb = Notebook(paths, root, workspace, jupysql=jupysql)
    try:
        pandas_rows = []
        for table in NOTEBOOK_ROWS:
            print(f"  d. {table} into pandas", flush=True)
            pandas_rows.append(into_pandas(nb, table, runs))
        print("  d. one-row cells", flush=True)
        cells = [one_row(nb, n, q, max(runs * 60, 60)) for n, q in ONE_ROW_QUERIES.items()]
        print("  d. first grid page of ten_million", flush=True)
        page = first_page(nb, "ten_million", runs)
        version = nb.jupysql_version
    finally:
        nb.close()
    worst = max(max(r["magic_o_ratio"], r["mlwb_sql_df_ratio"]) for r in pandas_rows)
    # Met only when mlworkbench's overhead is at most JupySQL's by every measure, for both
    # statements: the wall-clock medians, the paired rounds and the CPU time.
    for cell in cells:
        if "jupysql" in cell:
            cell["at_most_jupysql"] = {
                measure: cell[f"mlworkbench_{measure}"] <= cell[f"jupysql_{measure}"]
                for measure in ("overhead_ms", "paired_overhead_ms", "cpu_overhead_ms")
            }
    overheads_met = all(all(c["at_most_jupysql"].values()) for c in cells if "jupysql" in c)
    return {
        "pandas": pandas_rows,
        "pandas_worst_ratio": worst,
        "pandas_target_met": worst <= TARGETS["notebook_pandas_ratio"],
        "one_row": cells,
        "one_row_target_met": overheads_met if version else None,
        "first_page": page,
        "first_page_target_met": page["extra_ms"] < TARGETS["notebook_first_page_extra_ms"]
        and page["no_full_fetch"],
        "jupysql": version,
    }

