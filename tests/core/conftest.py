"""Real workspaces on temp dirs, real DuckDB, real files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from mlworkbench.core import Workspace
from mlworkbench.schemas import RunQueryRequest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A Jupyter root with a data folder."""
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.fixture
def ws(root: Path):
    workspace = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    yield workspace
    workspace.close()


def write_csv(path: Path, text: str = "id,name\n1,ann\n2,bob\n3,cy\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def write_parquet(path: Path, sql: str = "SELECT range AS id FROM range(5)") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.connect().execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    return path


def write_duckdb(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE customers AS SELECT range AS id FROM range(4)")
    con.execute("CREATE SCHEMA sales")
    con.execute('CREATE TABLE sales."Order Items" AS SELECT 1 AS qty')
    con.close()
    return path


def run(ws: Workspace, sql: str, parameters=None, **kw):
    return ws.sql.run(RunQueryRequest(sql=sql, parameters=parameters, **kw))


def python(code: str, *, cwd: Path | None = None, wait: bool = True, **popen):
    """Run Python code in a fresh process that imports mlworkbench from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = [sys.executable, "-c", textwrap.dedent(code)]
    if not wait:
        return subprocess.Popen(args, cwd=cwd, env=env, **popen)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return done.stdout


def head_revision() -> str:
    """The newest Alembic revision: the one an opened workspace must be at."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from mlworkbench.core.workspace.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
