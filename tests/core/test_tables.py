"""Workspace tables: immutable Parquet versions that survive a crash at any point."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import duckdb
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError, QueryError

from .conftest import python, run


def parquet_rows(path: Path) -> int:
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]


def test_saving_a_query_writes_version_one_and_makes_it_queryable(ws):
    table = ws.tables.save_query("sales summary", "SELECT range AS id FROM range(42)")
    assert table.name == '"sales summary"' and table.version == 1 and table.row_count == 42
    path = ws.tables.path("sales summary")
    assert path.parent.parent == ws.path / "tables" and path.name.startswith("v1-")
    assert parquet_rows(path) == 42
    assert run(ws, 'SELECT count(*) AS n FROM "sales summary"').rows == [[42]]


def test_an_existing_name_needs_overwrite_and_then_gets_a_new_version(ws):
    ws.tables.save_query("t", "SELECT 1 AS a")
    with pytest.raises(ConflictError) as caught:
        ws.tables.save_query("t", "SELECT 2 AS a")
    assert "overwrite" in caught.value.message and caught.value.status == 409
    with pytest.raises(ConflictError):
        ws.tables.save_query("T", "SELECT 2 AS a")  # the same name to DuckDB
    ws.tables.save_query("t", "SELECT 2 AS a UNION ALL SELECT 3", overwrite=True)
    described = ws.tables.describe("t")
    assert [v.version for v in described.versions] == [2, 1]
    assert [v.row_count for v in described.versions] == [2, 1]
    assert described.versions[1].sql == "SELECT 1 AS a"
    assert run(ws, "SELECT a FROM t ORDER BY a").rows == [[2], [3]]
    # The old version stays readable, for lineage.
    assert parquet_rows(ws.tables.path("t", 1)) == 1


def test_a_source_name_cannot_become_a_table(ws, root):
    from mlworkbench.schemas import RegisterSourceRequest

    (root / "data" / "src.csv").write_text("a\n1\n")
    ws.catalog.register_source(RegisterSourceRequest(path="data/src.csv"))
    with pytest.raises(ConflictError):
        ws.tables.save_query("src", "SELECT 1", overwrite=True)


def test_parameters_are_bound_when_saving(ws):
    table = ws.tables.save_query("p", "SELECT $word AS w", parameters={"word": "it's"})
    assert table.row_count == 1
    assert run(ws, "SELECT w FROM p").rows == [["it's"]]


def test_only_one_select_can_be_saved(ws):
    with pytest.raises(InvalidRequestError):
        ws.tables.save_query("x", "SELECT 1; SELECT 2")
    with pytest.raises(InvalidRequestError):
        ws.tables.save_query("x", "CREATE TABLE y(a INT)")


def test_a_failing_save_leaves_no_files_and_points_into_the_sql(ws):
    with pytest.raises(QueryError) as caught:
        ws.tables.save_query("broken", "SELECT 1 AS a,\n  missing_column")
    assert (caught.value.line, caught.value.column) == (2, 3)
    folders = list((ws.path / "tables").iterdir())
    assert all(not any(folder.iterdir()) for folder in folders)
    with pytest.raises(NotFoundError):
        ws.tables.describe("broken")


def test_removing_a_table_deletes_its_versions(ws):
    ws.tables.save_query("old", "SELECT 1 AS a")
    ws.tables.save_query("old", "SELECT 2 AS a", overwrite=True)
    files = [ws.tables.path("old", v) for v in (1, 2)]
    ws.tables.remove("old")
    assert not any(f.exists() for f in files)
    with pytest.raises(NotFoundError):
        ws.tables.path("old")
    with pytest.raises(NotFoundError):
        ws.tables.remove("old")
    with pytest.raises(QueryError):
        run(ws, "SELECT * FROM old")


def test_an_unknown_version_is_not_found(ws):
    ws.tables.save_query("one", "SELECT 1 AS a")
    with pytest.raises(NotFoundError):
        ws.tables.path("one", 7)


def test_saving_a_result_keeps_the_previous_version_after_a_kill(root):
    """SIGKILL a process in the middle of writing a big new version: the previous version
    stays current and readable, the catalog stays consistent, the temp file is ignored and is
    cleaned at a later open once it is old."""
    path = root / ".mlworkbench"
    with Workspace.open(path, root_dir=root) as ws:
        ws.tables.save_query("big", "SELECT range AS id FROM range(1000)")
        folder = ws.tables.path("big").parent
    writer = python(
        f"""
        from mlworkbench.core import Workspace
        ws = Workspace.open({str(path)!r}, root_dir={str(root)!r})
        ws.tables.save_query(
            "big",
            "SELECT range AS id, md5(range::VARCHAR) AS h FROM range(50000000)",
            overwrite=True,
        )
        print("finished")
        """,
        wait=False,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.endswith(".tmp") for p in folder.iterdir()):
            assert writer.poll() is None, "the writer ended before it started writing"
            assert time.monotonic() < deadline, "no temp file appeared"
            time.sleep(0.01)
        time.sleep(0.3)  # well into the write
        assert writer.poll() is None, "the writer finished before it could be killed"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert leftovers
    with Workspace.open(path, root_dir=root) as ws:
        described = ws.tables.describe("big")
        assert [v.version for v in described.versions] == [1]
        assert described.table.row_count == 1000 and described.table.error is None
        assert run(ws, "SELECT count(*) AS n FROM big").rows == [[1000]]
        assert parquet_rows(ws.tables.path("big")) == 1000
        assert all(p.exists() for p in leftovers)  # young: another writer might own it
        # The next version after the crash is numbered on from the last committed one.
        assert ws.tables.save_query("big", "SELECT 1 AS id", overwrite=True).version == 2
    old = time.time() - 3600
    for p in leftovers:
        os.utime(p, (old, old))
    with Workspace.open(path, root_dir=root) as ws:
        assert not any(p.exists() for p in leftovers)
        assert run(ws, "SELECT count(*) AS n FROM big").rows == [[1]]


def test_concurrent_saves_from_two_workspaces_get_distinct_versions(root):
    path = root / ".mlworkbench"
    errors = []
    first = Workspace.open(path, root_dir=root)
    second = Workspace.open(path, root_dir=root)
    with first, second:

        def save(ws, i):
            try:
                ws.tables.save_query("shared", f"SELECT {i} AS a", overwrite=True)
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)

        threads = [
            threading.Thread(target=save, args=(ws, i)) for i, ws in enumerate([first, second] * 4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        versions = first.tables.describe("shared").versions
        assert sorted(v.version for v in versions) == list(range(1, 9))
        assert all(Path(v.path).name.startswith(f"v{v.version}-") for v in versions)
        assert all(Path(v.path).exists() for v in versions)
        current = run(second, "SELECT a FROM shared").rows
        assert current == [[int(versions[0].sql.split()[1])]]
