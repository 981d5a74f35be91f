"""The experiment store on a real workspace: runs, their lineage, pinned data, comparison."""

from __future__ import annotations

import json
import os
import sqlite3

import numpy as np
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    QueryCancelledError,
)
from mlworkbench.schemas import RegisterSourceRequest
from tests.core.conftest import head_revision, write_csv, write_duckdb


@pytest.fixture
def orders(ws):
    ws.tables.save_query("orders", "SELECT i AS id, i * 10 AS amount FROM range(1, 6) t(i)")
    return "orders"


def test_a_new_workspace_has_the_experiment_tables_at_the_newest_revision(ws):
    con = sqlite3.connect(ws.path / "workbench.db")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()
    assert {"experiments", "runs", "run_inputs", "run_artifacts"} <= tables
    assert revision == head_revision()


def test_the_migration_upgrades_an_existing_workspace_and_keeps_its_data(root):
    from alembic import command
    from alembic.config import Config

    from mlworkbench.core.workspace.migrate import MIGRATIONS

    path = root / ".mlworkbench"
    with Workspace.open(path, root_dir=root) as ws:
        ws.tables.save_query("kept", "SELECT 42 AS answer")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with ws.store.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
    con = sqlite3.connect(path / "workbench.db")
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "runs" not in tables
    finally:
        con.close()
    with Workspace.open(path, root_dir=root) as ws:  # an existing workspace at 0004
        assert ws.query("SELECT answer FROM kept").answer.tolist() == [42]
        with ws.experiments.start_run(sql="SELECT * FROM kept") as run:
            run.log_metrics(accuracy=1.0)
        assert ws.experiments.get_run(run.id).inputs[0].name == "kept"


def test_a_run_round_trips_its_params_metrics_and_lineage_as_json(ws, orders, root):
    write_csv(root / "data" / "customers.csv", "id,name\n1,ann\n2,bob\n")
    ws.catalog.register_source(RegisterSourceRequest(path="data/customers.csv"))
    sql = "SELECT o.*, c.name FROM orders o JOIN customers c USING (id) WHERE amount > $min"
    with ws.experiments.start_run(
        "churn", sql=sql, params={"budget": "60s"}, task="binary", target="churned"
    ) as run:
        run.log_params({"model": {"C": np.float64(0.5), "layers": (3, 4)}}, folds=np.int64(5))
        run.log_metrics(roc_auc=np.float32(0.75), log_loss=float("inf"))
        run.log_metrics(roc_auc=0.8)  # a metric logged again is replaced
    record = ws.experiments.get_run(run.id)
    assert (record.experiment, record.status, record.task, record.target, record.sql) == (
        "churn", "finished", "binary", "churned", sql,
    )
    assert record.params == {"budget": "60s", "model": {"C": 0.5, "layers": [3, 4]}, "folds": 5}
    assert record.metrics == {"roc_auc": 0.8, "log_loss": None}
    assert record.duration_s >= 0 and record.ended_at >= record.started_at
    assert record.versions["scikit-learn"] and record.mlworkbench_version
    table, file = record.inputs
    assert (table.kind, table.name, table.version, table.row_count) == ("table", "orders", 1, 5)
    assert table.path == str(ws.tables.path("orders"))
    assert (file.kind, file.name, file.path) == ("file", "customers", str(root / "data" / "customers.csv"))
    assert file.size == os.path.getsize(file.path) and len(file.sha256) == 64
    payload = json.loads(json.dumps(record.to_dict()))
    assert payload["inputs"][1]["sha256"] == file.sha256 and payload["metrics"]["roc_auc"] == 0.8
    assert payload["started_at"].endswith("+00:00")


def test_the_pinned_query_reads_the_version_the_run_started_with(ws, orders):
    sql = """
        WITH big AS (SELECT * FROM orders WHERE amount >= 30)
        SELECT b.id, o.amount FROM big b JOIN "orders" AS o ON o.id = b.id ORDER BY b.id;
    """
    run = ws.experiments.start_run(sql=sql)
    ws.tables.save_query("orders", "SELECT 99 AS id, 990 AS amount", overwrite=True)
    assert ws.query(sql).values.tolist() == [[99, 990]]  # the table moved on
    pinned = run.data_sql
    assert ws.query(pinned).values.tolist() == [[3, 30], [4, 40], [5, 50]]
    commented = ws.experiments.start_run(sql="SELECT count(*) AS n FROM orders -- all of them")
    assert ws.query(f"SELECT n FROM ({commented.data_sql})").n.tolist() == [1]
    assert ws.experiments.data_sql(run.id) == pinned
    assert [(i.name, i.version) for i in run.record().inputs] == [("orders", 1)]
    ws.tables.remove("orders")
    with pytest.raises(NotFoundError, match="read 'orders' at version 1, whose file was removed"):
        run.data_sql


def test_pinning_handles_unicode_names_qualified_names_and_shadowing_ctes(ws, orders):
    ws.tables.save_query("Prïces €", "SELECT 1 AS id, 5 AS price")
    sql = """
        WITH orders AS (SELECT * FROM memory.main.orders WHERE id = 1)  -- shadows the table
        SELECT "Prïces €".price, orders.amount FROM "Prïces €" JOIN orders USING (id)
    """
    run = ws.experiments.start_run(sql=sql)
    assert [(i.name, i.version) for i in run.record().inputs] == [("Prïces €", 1), ("orders", 1)]
    ws.tables.save_query("Prïces €", "SELECT 1 AS id, 6 AS price", overwrite=True)
    ws.tables.save_query("orders", "SELECT 1 AS id, 7 AS amount", overwrite=True)
    assert ws.query(sql).values.tolist() == [[6, 7]]
    assert ws.query(run.data_sql).values.tolist() == [[5, 10]]


def test_a_label_set_is_pinned_with_the_labels_made_up_to_the_start(ws, orders):
    labels = ws.labels.create("order_labels", "SELECT * FROM orders", key="id", choices=["ok", "bad"])
    labels.record(1, "ok", annotator="ann")
    labels.record(2, "bad", annotator="ann")
    sql = "SELECT o.id, l.label FROM orders o JOIN order_labels l ON l.item_key = o.id::VARCHAR"
    run = ws.experiments.start_run(sql=sql)
    labels.record(3, "ok", annotator="ann")
    labels.record(1, "bad", annotator="ann")
    assert len(ws.query(sql)) == 3
    assert ws.query(run.data_sql + " ORDER BY id").values.tolist() == [[1, "ok"], [2, "bad"]]
    pinned = {i.name: i.version for i in run.record().inputs}
    assert pinned == {"order_labels": 2, "orders": 1}  # a snapshot was taken for the run


def test_a_source_files_hash_changes_when_the_file_changes(ws, root):
    csv = write_csv(root / "data" / "events.csv", "id,v\n1,a\n")
    ws.catalog.register_source(RegisterSourceRequest(path="data/events.csv"))
    first = ws.experiments.start_run(sql="SELECT * FROM events")
    again = ws.experiments.start_run(sql="FROM events")
    assert ws.experiments.changed_inputs(first.id) == []
    csv.write_text("id,v\n1,b\n")
    third = ws.experiments.start_run(sql="SELECT * FROM events")
    hashes = [r.record().inputs[0].sha256 for r in (first, again, third)]
    assert hashes[0] == hashes[1] != hashes[2]
    assert ws.experiments.changed_inputs(first.id) == [
        {"path": str(csv), "name": "events", "reason": "changed"}
    ]
    csv.unlink()
    assert ws.experiments.changed_inputs(third.id)[0]["reason"] == "missing"


def test_a_glob_source_and_a_file_the_query_reads_directly_record_every_file(ws, root):
    for day in (1, 2, 3):
        write_csv(root / "data" / "logs" / f"day{day}.csv", f"day,n\n{day},{day * 2}\n")
    ws.catalog.register_source(RegisterSourceRequest(path="data/logs/*.csv", name="logs"))
    direct = write_csv(root / "data" / "extra.csv", "day,n\n9,9\n")
    scanned = write_csv(root / "data" / "scanned.csv", "day,n\n8,8\n")
    run = ws.experiments.start_run(
        sql=f"SELECT * FROM logs UNION ALL SELECT * FROM read_csv('{direct}') UNION ALL "
        f"FROM '{scanned}' UNION ALL SELECT * FROM some_result_of_this_session"
    )
    inputs = run.record().inputs
    files = [(i.name, os.path.basename(i.path)) for i in inputs if i.kind == "file"]
    assert files == [
        ("logs", "day1.csv"), ("logs", "day2.csv"), ("logs", "day3.csv"),
        (None, "extra.csv"), (None, "scanned.csv"),
    ]
    assert all(i.sha256 for i in inputs if i.kind == "file")
    assert [(i.kind, i.name) for i in inputs if i.kind == "other"] == [("other", "some_result_of_this_session")]


def test_a_duckdb_database_source_is_recorded_as_its_file(ws, root):
    write_duckdb(root / "data" / "shop.duckdb")
    ws.catalog.register_source(RegisterSourceRequest(path="data/shop.duckdb"))
    run = ws.experiments.start_run(sql='SELECT * FROM shop.customers, shop.sales."Order Items"')
    [item] = run.record().inputs
    assert (item.kind, item.name, item.path) == ("file", "shop", str(root / "data" / "shop.duckdb"))
    assert item.sha256 and item.size == os.path.getsize(item.path)


def test_a_failing_block_marks_the_run_failed_and_an_interrupt_stopped(ws, orders):
    with pytest.raises(ZeroDivisionError):
        with ws.experiments.start_run(sql="SELECT * FROM orders") as failed:
            failed.log_metrics(step=1)
            1 / 0
    record = failed.record()
    assert record.status == "failed" and record.error.startswith("ZeroDivisionError")
    assert record.metrics == {"step": 1} and record.ended_at is not None
    with pytest.raises(ConflictError, match=f"Run {failed.id} has ended \\(failed\\)"):
        failed.log_metrics(step=2)
    with pytest.raises(KeyboardInterrupt):
        with ws.experiments.start_run() as interrupted:
            raise KeyboardInterrupt
    with pytest.raises(QueryCancelledError):
        with ws.experiments.start_run() as cancelled:
            raise QueryCancelledError("Training was cancelled.")
    assert interrupted.record().status == cancelled.record().status == "stopped"
    assert "cancelled" in cancelled.record().error
    with ws.experiments.start_run() as early:
        early.stop("budget reached")
    assert (early.record().status, early.record().error) == ("stopped", "budget reached")


def test_compare_puts_two_runs_side_by_side(ws, orders):
    with ws.experiments.start_run("cmp", params={"model": "hgb", "lr": 0.1}) as a:
        a.log_metrics(accuracy=0.9, search={"trials": 12})
    with ws.experiments.start_run("cmp", params={"model": "hgb", "lr": 0.3}) as b:
        b.log_metrics(accuracy=0.8, f1=0.7)
    table = ws.experiments.compare([b.id, a.id])
    assert table.columns[-5:] == [
        "params.lr", "params.model", "metrics.accuracy", "metrics.f1", "metrics.search.trials",
    ]
    assert [(r["run"], r["params.lr"], r["metrics.f1"]) for r in table.rows] == [
        (b.id, 0.3, 0.7), (a.id, 0.1, None),
    ]
    assert table.differing == ["params.lr"]
    frame = table.to_pandas()
    assert frame.loc[a.id, "metrics.search.trials"] == 12
    assert json.loads(json.dumps(table.to_dict()))["rows"][0]["run"] == b.id
    with pytest.raises(NotFoundError, match="No runs with ids 999"):
        ws.experiments.compare([a.id, 999])
    with ws.experiments.start_run("cmp", params={"lr": 0.2}):
        pass  # no accuracy: listed last
    ranked = ws.experiments.list_runs("cmp", order_by="-metrics.accuracy")
    assert [r.id for r in ranked] == [a.id, b.id, ranked[2].id]
    assert [r.params["lr"] for r in ws.experiments.list_runs(order_by="params.lr", limit=2)] == [
        0.1, 0.2,
    ]
    with pytest.raises(InvalidRequestError, match="order_by is"):
        ws.experiments.list_runs(order_by="speed")


def test_runs_are_listed_filtered_and_deleted(ws, orders):
    with ws.experiments.start_run("a", task="binary"):
        pass
    with ws.experiments.start_run("b", task="regression"):
        pass
    running = ws.experiments.start_run("b", task="regression")
    assert [r.experiment for r in ws.experiments.list_runs()] == ["b", "b", "a"]
    assert [r.id for r in ws.experiments.list_runs("b", status="running")] == [running.id]
    assert len(ws.experiments.list_runs(task="regression", limit=1)) == 1
    assert ws.experiments.list_runs()[0].inputs is None  # details on request
    assert {e.name: e.runs for e in ws.experiments.list_experiments()} == {"a": 1, "b": 2}
    with pytest.raises(InvalidRequestError, match="status is one of"):
        ws.experiments.list_runs(status="done")
    with pytest.raises(NotFoundError):
        ws.experiments.list_runs("nope")
    with pytest.raises(ConflictError, match="still running"):
        ws.experiments.delete_run(running.id)
    ws.experiments.delete_run(running.id, force=True)
    with pytest.raises(NotFoundError, match=f"No run with id {running.id}"):
        ws.experiments.get_run(running.id)
    with pytest.raises(InvalidRequestError, match="one SELECT"):
        ws.experiments.start_run(sql="SELECT 1; SELECT 2")


def test_a_table_removed_while_a_run_starts_is_a_conflict_and_no_run_is_written(
    ws, orders, monkeypatch
):
    from mlworkbench.core.experiments import experiments as module

    real = module.read_inputs

    def pin_then_remove(*args, **kw):
        inputs = real(*args, **kw)
        ws.tables.remove("orders")  # another process, between the pin and the run's commit
        return inputs

    monkeypatch.setattr(module, "read_inputs", pin_then_remove)
    with pytest.raises(ConflictError, match="'orders' was removed while the run started"):
        ws.experiments.start_run("gone", sql="SELECT * FROM orders")
    assert ws.experiments.list_runs() == []


def test_a_run_its_process_ends_while_it_is_read_reads_as_ended_not_dead(ws, monkeypatch):
    """The process commits the run's end and exits between the read of the row ('running')
    and the check of its pid: every read (one run, a list, a comparison) reads it again and
    sees the ending, so no caller has to wait and read again. The pid check is where the race
    is, so it is where the test steps in: it ends the run, as the exiting process would."""
    from mlworkbench.core.experiments import records

    alive = records._alive

    def ends_then_dies(pid):
        if pid == os.getpid() and not ended:
            ended.append(True)
            ws.experiments.run(run.id).finish()
            return False
        return alive(pid)

    monkeypatch.setattr(records, "_alive", ends_then_dies)
    for read in (
        lambda: ws.experiments.get_run(run_id).status,
        lambda: [r.status for r in ws.experiments.list_runs("race")],
        lambda: [r["status"] for r in ws.experiments.compare([run_id]).rows],
    ):
        run, ended = ws.experiments.start_run("race"), []
        run_id = run.id
        assert read() in ("finished", ["finished"])
        assert ended  # the race did happen
        ws.experiments.delete_run(run_id)
