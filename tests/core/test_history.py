"""The query history: what the core records, how it is searched and pruned, and how a 0001
workspace upgrades to hold it."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from alembic import command
from alembic.config import Config

from mlworkbench.core import Workspace
from mlworkbench.core.errors import NotFoundError, QueryCancelledError, QueryError
from mlworkbench.core.workspace.migrate import MIGRATIONS
from mlworkbench.core.workspace.store import Store, utcnow
from mlworkbench.schemas import (
    ListHistoryRequest,
    QuerySource,
    QueryStatus,
    RecordQueryRequest,
    RegisterSourceRequest,
    RunQueryRequest,
)

from .conftest import head_revision, python, run, write_csv


def test_a_run_is_recorded_with_its_text_parameters_rows_duration_and_source(ws):
    result = run(ws, "SELECT * FROM range(5) WHERE range < $n", {"n": 3}, query_id="q-1")
    page = ws.history.list()
    assert page.total == 1
    entry = page.entries[0]
    assert entry.sql == "SELECT * FROM range(5) WHERE range < $n"
    assert entry.parameters == {"n": 3}
    assert entry.status is QueryStatus.ok and entry.error is None
    assert entry.rows == result.total_rows == 3
    assert entry.source is QuerySource.panel and entry.query_id == "q-1"
    assert 0 < entry.duration_ms < 60_000
    assert entry.started_at.tzinfo is not None
    assert ws.history.get(entry.id) == entry


def test_a_failed_query_is_recorded_with_its_message_line_and_column(ws):
    with pytest.raises(QueryError) as raised:
        run(ws, "SELECT 1;\nSELEC 2")
    entry = ws.history.list().entries[0]
    assert entry.status is QueryStatus.error
    assert entry.error == raised.value.message
    assert (entry.error_line, entry.error_column) == (2, 1)
    assert entry.rows is None


def test_a_cancelled_query_is_recorded_as_cancelled(ws):
    slow = "SELECT sum(a.i * b.i) FROM range(200000) a(i), range(200000) b(i)"
    errors: list[BaseException] = []

    def work():
        try:
            run(ws, slow, query_id="slow")
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            errors.append(e)

    thread = threading.Thread(target=work)
    thread.start()
    deadline = time.monotonic() + 30
    while ws.sql.running() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    ws.sql.cancel("slow")
    thread.join(60)
    assert isinstance(errors[0], QueryCancelledError)
    entry = ws.history.list().entries[0]
    assert entry.status is QueryStatus.cancelled and entry.query_id == "slow"


def test_the_source_is_kept_and_a_magic_can_record_through_track(ws):
    ws.sql.run(RunQueryRequest(sql="SELECT 1"), source=QuerySource.cli)
    with ws.history.track("SELECT 2", {"x": 1}, source=QuerySource.notebook) as tracked:
        tracked.rows = 1
    failing = ws.history.track("SELECT 3", source=QuerySource.notebook)
    with pytest.raises(ZeroDivisionError), failing:
        1 / 0  # noqa: B018 - any failure inside the block is recorded as an error
    entries = ws.history.list().entries
    assert [(e.sql, e.source, e.status) for e in entries] == [
        ("SELECT 3", QuerySource.notebook, QueryStatus.error),
        ("SELECT 2", QuerySource.notebook, QueryStatus.ok),
        ("SELECT 1", QuerySource.cli, QueryStatus.ok),
    ]
    assert entries[1].rows == 1 and entries[0].error == "division by zero"


def test_the_history_is_searched_filtered_and_paged_newest_first(ws):
    for i in range(7):
        run(ws, f"SELECT {i} AS value_{i}")
    with pytest.raises(QueryError):
        run(ws, "SELECT nope_100%")
    page = ws.history.list(ListHistoryRequest(limit=3, offset=2))
    assert page.total == 8 and [e.sql for e in page.entries] == [
        "SELECT 5 AS value_5", "SELECT 4 AS value_4", "SELECT 3 AS value_3"
    ]
    found = ws.history.list(ListHistoryRequest(q="VALUE_6"))
    assert [e.sql for e in found.entries] == ["SELECT 6 AS value_6"]
    # LIKE's wildcards in the search text are plain characters.
    assert [e.sql for e in ws.history.list(ListHistoryRequest(q="%")).entries] == [
        "SELECT nope_100%"
    ]
    assert ws.history.list(ListHistoryRequest(q="S_L")).total == 0
    errors = ws.history.list(ListHistoryRequest(status=QueryStatus.error))
    assert errors.total == 1 and errors.entries[0].sql == "SELECT nope_100%"


def test_entries_can_be_deleted_one_by_one_or_all_at_once(ws):
    for i in range(3):
        run(ws, f"SELECT {i}")
    first, second, third = reversed(ws.history.list().entries)
    ws.history.delete(second.id)
    assert [e.id for e in ws.history.list().entries] == [third.id, first.id]
    with pytest.raises(NotFoundError):
        ws.history.delete(second.id)
    with pytest.raises(NotFoundError):
        ws.history.get(second.id)
    assert ws.history.clear().deleted == 2
    assert ws.history.list().total == 0
    run(ws, "SELECT 'after'")
    assert ws.history.list().entries[0].id > third.id  # ids are never reused


def test_the_history_keeps_only_the_newest_entries(ws):
    ws.history.max_entries = 5
    for i in range(12):
        run(ws, f"SELECT {i}")
    page = ws.history.list()
    assert page.total == 5
    assert [e.sql for e in page.entries] == [f"SELECT {i}" for i in range(11, 6, -1)]


def test_recording_leaves_the_catalog_generation_alone(ws):
    before = ws.store.generation()
    run(ws, "SELECT 1")
    assert ws.store.generation() == before


def test_a_locked_database_does_not_fail_or_hold_up_the_query(ws):
    run(ws, "SELECT 0")  # DuckDB warmed up, so the timing below is the query's alone
    ws.history.clear()
    locker = sqlite3.connect(ws.path / "workbench.db", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = run(ws, "SELECT 42 AS answer")
        took = time.monotonic() - started
        ws.history.flush()  # the writer thread waits two seconds for the lock, then gives up
        waited = time.monotonic() - started
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert result.rows == [[42]]
    assert took < 1.0  # the answer did not wait for the history
    assert 1.5 < waited < 30  # the catalog's writers would have waited a minute
    assert ws.history.list().total == 0  # dropped, not retried
    run(ws, "SELECT 43")
    assert ws.history.list().total == 1


def test_recording_hands_the_write_to_a_thread_and_batches_a_burst(ws):
    entry = RecordQueryRequest(sql="SELECT 1", started_at=utcnow(), duration_ms=1, status="ok")
    started = time.perf_counter()
    for _ in range(300):
        ws.history.record(entry)
    per_call = (time.perf_counter() - started) / 300
    assert per_call < 0.002  # a queue put, not a database commit
    assert ws.history.list().total == 300


def _workspace_at_0001(root):
    """A workspace as the first release left it: schema 0001, one source registered."""
    path = root / ".mlworkbench"
    path.mkdir()
    store = Store(f"sqlite:///{path / 'workbench.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with store.write_engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sources (name, name_key, kind, path, created_at) VALUES "
            "('people', 'people', 'csv', '../data/people.csv', '2026-11-01 00:00:00')"
        )
    store.dispose()
    write_csv(root / "data" / "people.csv")
    return path


def _revision(path):
    con = sqlite3.connect(path / "workbench.db")
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        con.close()


def test_a_0001_workspace_upgrades_in_place_and_keeps_its_sources(root):
    path = _workspace_at_0001(root)
    assert _revision(path) == [("0001",)]
    with Workspace.open(path, root_dir=root) as ws:
        assert _revision(path) == [(head_revision(),)]
        assert [s.name for s in ws.catalog.describe().sources] == ["people"]
        run(ws, "SELECT count(*) FROM people")
        assert ws.history.list().entries[0].rows == 1


def test_processes_opening_a_0001_workspace_at_once_upgrade_it_once(root):
    path = _workspace_at_0001(root)
    code = f"""
        from mlworkbench.core import Workspace
        from mlworkbench.schemas import RunQueryRequest
        with Workspace.open({str(path)!r}, root_dir={str(root)!r}) as ws:
            ws.sql.run(RunQueryRequest(sql="SELECT count(*) FROM people"))
    """
    procs = [python(code, wait=False, cwd=root) for _ in range(4)]
    assert [p.wait(240) for p in procs] == [0, 0, 0, 0]
    assert _revision(path) == [(head_revision(),)]
    with Workspace.open(path, root_dir=root) as ws:
        assert ws.history.list().total == 4


def test_registering_a_source_still_works_after_the_upgrade(root):
    path = _workspace_at_0001(root)
    write_csv(root / "data" / "more.csv")
    with Workspace.open(path, root_dir=root) as ws:
        ws.catalog.register_source(RegisterSourceRequest(path="data/more.csv"))
        assert {s.name for s in ws.catalog.describe().sources} == {"people", "more"}


def test_the_row_count_of_a_result_still_being_counted_is_filled_in_when_known(ws):
    result = run(ws, "SELECT range AS i FROM range(3000000)", page_size=10)
    assert result.total_rows is None  # counted in the background
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        entry = ws.history.list().entries[0]
        if entry.rows is not None:
            break
        time.sleep(0.1)
    assert entry.rows == 3_000_000
