"""The engines the REST API is compared with: bare in-process DuckDB and JupySQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import duckdb

from bench.data import create_views


class BareDuckDB:
    """One in-process connection with views named like the workspace sources."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.con = duckdb.connect()
        create_views(self.con, paths)

    def first_rows(self, sql: str, n: int = 100) -> Callable[[], list]:
        return lambda: self.con.execute(sql).fetchmany(n)

    def settings(self) -> dict[str, str]:
        """The settings that matter for a fair comparison (the server's DuckDB has its own)."""
        names = ["threads", "memory_limit"]
        query = "SELECT current_setting($name)"
        return {n: str(self.con.execute(query, {"name": n}).fetchone()[0]) for n in names}

    def close(self) -> None:
        self.con.close()


class JupySQL:
    """``%sql`` in a real IPython shell on a native DuckDB connection, showing 100 rows.

    The shell is what a notebook runs; the timed step is the cell magic plus the HTML repr a
    notebook renders (which fetches the rows shown). A native connection is used rather than
    ``duckdb://``, which would need the duckdb-engine SQLAlchemy dialect as well.
    """

    def __init__(self, paths: dict[str, Path]) -> None:
        os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")  # no telemetry calls
        from IPython.core.interactiveshell import InteractiveShell

        import sql  # noqa: F401  (ImportError here means: pip install jupysql)

        self.version = _version("jupysql")
        self.con = duckdb.connect()
        create_views(self.con, paths)
        self.shell = InteractiveShell.instance()
        self.shell.user_ns["bench_con"] = self.con
        self.shell.run_line_magic("load_ext", "sql")
        for setting in ["displaylimit = 100", "autolimit = 100", "feedback = 0"]:
            self.shell.run_line_magic("config", f"SqlMagic.{setting}")
        self.shell.run_line_magic("sql", "bench_con")

    def first_rows(self, sql: str) -> Callable[[], str]:
        def run() -> str:
            result = self.shell.run_cell_magic("sql", "", sql)
            return result._repr_html_()

        return run

    def close(self) -> None:
        from sql.connection import ConnectionManager

        # Now, quietly: at exit JupySQL would announce it through a shell already torn down.
        ConnectionManager.close_all(verbose=False)
        self.con.close()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)
