"""Opening workspaces: layout, metadata store, migrations, concurrency, cleanup."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from mlworkbench.core import Workspace
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.workspace.store import Base
from mlworkbench.schemas import RegisterSourceRequest

from .conftest import head_revision, python, run, write_csv


def test_opening_creates_the_layout_and_a_wal_metadata_database(ws):
    assert (ws.path / "workbench.db").is_file()
    assert (ws.path / "tables").is_dir() and ws.engine.temp_directory.is_dir()
    assert ws.engine.temp_directory.parent == ws.path / "tmp" / "duckdb"
    con = sqlite3.connect(ws.path / "workbench.db")
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sources", "workspace_tables", "table_versions", "generation"} <= tables
        assert "query_history" in tables
    finally:
        con.close()


def test_the_models_match_the_migrations(ws):
    with ws.store.write_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_every_catalog_change_bumps_the_generation(ws, root):
    write_csv(root / "data" / "g.csv")
    seen = [ws.store.generation()]
    ws.catalog.register_source(RegisterSourceRequest(path="data/g.csv"))
    seen.append(ws.store.generation())
    ws.tables.save_query("gt", "SELECT 1 AS a")
    seen.append(ws.store.generation())
    ws.tables.remove("gt")
    seen.append(ws.store.generation())
    ws.catalog.remove_source("g")
    seen.append(ws.store.generation())
    assert seen == sorted(set(seen))


def test_the_default_workspace_is_under_the_root_unless_mlworkbench_home_says(root, monkeypatch):
    monkeypatch.delenv("MLWORKBENCH_HOME", raising=False)
    with Workspace.open(root_dir=root) as ws:
        assert ws.path == (root / ".mlworkbench").resolve()
    monkeypatch.setenv("MLWORKBENCH_HOME", str(root / "elsewhere"))
    with Workspace.open(root_dir=root) as ws:
        assert ws.path == (root / "elsewhere").resolve()


def test_the_metadata_can_live_at_another_sqlalchemy_url(root):
    url = f"sqlite:///{root / 'meta.db'}"
    with Workspace.open(root / "ws", root_dir=root, metadata_url=url) as ws:
        ws.tables.save_query("m", "SELECT 1 AS a")
    assert not (root / "ws" / "workbench.db").exists()
    with Workspace.open(root / "ws", root_dir=root, metadata_url=url) as ws:
        assert run(ws, "SELECT a FROM m").rows == [[1]]


def test_a_bad_memory_limit_is_an_invalid_request(root):
    with pytest.raises(InvalidRequestError) as caught:
        Workspace.open(root / "ws", root_dir=root, memory_limit="lots")
    assert caught.value.field == "memory_limit"


def test_closing_twice_is_harmless_and_the_workspace_is_a_context_manager(root):
    with Workspace.open(root / "ws", root_dir=root) as ws:
        run(ws, "SELECT 1")
    ws.close()
    assert not ws.engine.temp_directory.exists()  # its own DuckDB temp folder goes too


def test_closing_stops_a_background_count(root):
    ws = Workspace.open(root / "ws", root_dir=root)
    result = run(ws, "SELECT * FROM range(100000000)", page_size=10)
    assert result.total_rows is None
    ws.close()
    assert ws.engine.closed


def test_several_processes_opening_a_new_workspace_at_once_do_not_race(root):
    path = root / "fresh"
    code = f"""
        import json, os
        from mlworkbench.core import Workspace
        with Workspace.open({str(path)!r}, root_dir={str(root)!r}) as ws:
            ws.tables.save_query(f"t{{os.getpid()}}", "SELECT 1 AS a")
            print(json.dumps(sorted(ws.catalog.names())))
    """
    procs = [python(code, wait=False, stdout=-1, stderr=-1, text=True) for _ in range(4)]
    outputs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    with Workspace.open(path, root_dir=root) as ws:
        assert len(ws.catalog.describe().tables) == 4
    con = sqlite3.connect(path / "workbench.db")
    assert con.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    assert con.execute("SELECT value FROM generation").fetchone() == (4,)
    con.close()


def test_leftover_duckdb_temp_folders_of_dead_processes_are_removed_when_old(root):
    path = root / "ws"
    with Workspace.open(path, root_dir=root):
        pass
    dead_pid = int(python("import os; print(os.getpid())").strip())
    stale = path / "tmp" / "duckdb" / f"{dead_pid}-abcdef01"
    young = path / "tmp" / "duckdb" / f"{dead_pid}-abcdef02"
    for folder in (stale, young):
        folder.mkdir(parents=True)
        (folder / "block.tmp").write_bytes(b"x")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    with Workspace.open(path, root_dir=root) as ws:
        assert not stale.exists() and young.exists()
        assert ws.engine.temp_directory.exists()


def test_importing_the_core_is_light():
    out = python(
        """
        import json, sys
        import mlworkbench.core
        heavy = ["duckdb", "sqlalchemy", "alembic", "pandas", "tornado", "IPython"]
        print(json.dumps([m for m in heavy if m in sys.modules]))
        """
    )
    assert json.loads(out) == []


def test_the_generation_follows_commits_of_this_store_another_store_and_raw_sqlite(tmp_path):
    from mlworkbench.core.workspace.store import Store

    ws = Workspace.open(tmp_path / "ws")
    store = ws.store
    other = Store(store.url)
    try:
        first = store.generation()
        assert store.generation() == first  # nothing committed: the cached value holds
        with store.write():
            pass
        assert store.generation() == first + 1
        with other.write():
            pass
        assert store.generation() == first + 2 == other.generation()
        # A commit by a connection the store knows nothing of (another process, sqlite3).
        database = sqlite3.connect(store.url.removeprefix("sqlite:///"))
        database.execute("UPDATE generation SET value = value + 5 WHERE id = 1")
        database.commit()
        database.close()
        assert store.generation() == first + 7
    finally:
        other.dispose()
        ws.close()
