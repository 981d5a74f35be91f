"""The prediction log alone (no model): entries written by its thread as Parquet parts, read in
SQL through the prediction_log source by this and a reopened workspace."""

from __future__ import annotations

from datetime import datetime, timezone

from mlworkbench.core import Workspace
from mlworkbench.core.serving.predlog import LogEntry, PredictionLog


def entry(i: int, **kw) -> LogEntry:
    values = dict(request_id=f"r{i}", model="churn", version=1, ref="churn@production",
                  time=datetime.now(timezone.utc), latency_ms=1.5, status=200, rows=1,
                  inputs='[{"a":1}]', outputs='{"predictions":["yes"]}')
    return LogEntry(**{**values, **kw})


def test_entries_are_queryable_after_a_flush_and_after_a_restart(ws):
    log = PredictionLog(ws, flush_seconds=600)
    for i in range(3):
        log.append(entry(i))
    log.append(entry(3, status=422, outputs=None, error="no column 'tenure'"))
    assert log.flush()
    assert ws.query("SELECT count(*) AS n FROM prediction_log")["n"][0] == 4
    log.append(entry(4))
    log.close()  # what is queued at shutdown is written too

    reopened = Workspace.open(ws.path, root_dir=ws.root_dir, memory_limit="1GB")
    try:
        rows = reopened.query("SELECT request_id, status, error FROM prediction_log "
                              "ORDER BY request_id")
    finally:
        reopened.close()
    assert list(rows["request_id"]) == ["r0", "r1", "r2", "r3", "r4"]
    assert list(rows["status"]) == [200, 200, 200, 422, 200]
    assert rows["error"][3] == "no column 'tenure'"


def test_a_part_left_half_written_by_a_crash_is_not_read(ws):
    log = PredictionLog(ws, flush_seconds=600)
    log.append(entry(0))
    assert log.flush()
    (log.folder / ".part-crashed.parquet.partial").write_bytes(b"PAR1 half a file")
    log.append(entry(1))
    assert log.flush()
    log.close()
    assert ws.query("SELECT count(*) AS n FROM prediction_log")["n"][0] == 2
