"""Result sessions: first page fast, counting in the background, paging, sorting, filtering,
expiry, eviction, saving and exporting."""

from __future__ import annotations

import csv
import threading
import time

import duckdb
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError, QueryError
from mlworkbench.schemas import (
    ExportFormat,
    FetchPageRequest,
    ResultStatus,
    SaveResultRequest,
    SortKey,
)

from .conftest import run


def result_tables(ws) -> list[str]:
    cursor = ws.engine.cursor(refresh=False)
    try:
        rows = cursor.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mlwb_results'"
        ).fetchall()
    finally:
        cursor.close()
    return sorted(r[0] for r in rows)


def page(ws, session_id, **kw):
    return ws.results.page(session_id, FetchPageRequest(**kw))


def test_a_hundred_million_row_result_gives_its_first_page_while_counting(ws):
    result = run(ws, "SELECT * FROM range(100000000)", page_size=50)
    assert result.status is ResultStatus.counting and result.total_rows is None
    assert result.rows == [[i] for i in range(50)]
    # Paging works while the count runs; the total is not known yet.
    later = page(ws, result.session_id, offset=1_000_000, limit=3)
    assert later.rows == [[1_000_000], [1_000_001], [1_000_002]]
    assert ws.results.describe(result.session_id).status in (
        ResultStatus.counting,
        ResultStatus.ready,
    )
    ws.results.close(result.session_id)
    assert result_tables(ws) == []


def test_a_result_bigger_than_the_first_page_is_counted_in_the_background(ws):
    result = run(ws, "SELECT range AS n FROM range(250000)", page_size=10)
    assert result.status is ResultStatus.counting
    ws.results.get(result.session_id).wait()
    described = ws.results.describe(result.session_id)
    assert described.status is ResultStatus.ready and described.total_rows == 250000
    last = page(ws, result.session_id, offset=249998, limit=10)
    assert last.rows == [[249998], [249999]] and last.total_rows == 250000
    assert result_tables(ws) == [f"r_{result.session_id}"]


def test_a_result_that_fits_the_first_page_is_ready_at_once(ws):
    result = run(ws, "SELECT range FROM range(10)", page_size=10)
    assert result.status is ResultStatus.ready and result.total_rows == 10


def test_page_size_zero_gives_columns_only(ws):
    result = run(ws, "SELECT 1 AS a", page_size=0)
    assert result.rows == [] and [c.name for c in result.columns] == ["a"]


def test_the_order_of_an_ordered_query_is_kept_across_pages(ws):
    sql = "SELECT range AS n FROM range(100000) ORDER BY hash(range), range"
    result = run(ws, sql, page_size=100)
    expected = [r[0] for r in duckdb.sql(sql).fetchall()]
    ws.results.get(result.session_id).wait()
    got = page(ws, result.session_id, offset=50000, limit=5).rows
    assert [r[0] for r in got] == expected[50000:50005]


def test_sorting_pages_through_one_sorted_view(ws):
    result = run(ws, "SELECT range AS n, range % 7 AS m FROM range(300000)", page_size=5)
    ws.results.get(result.session_id).wait()  # else the first rows' table is swapped meanwhile
    sort = [SortKey(column="m", descending=True), SortKey(column="n")]
    first = page(ws, result.session_id, offset=0, limit=3, sort=sort)
    assert first.rows == [[6, 6], [13, 6], [20, 6]] and first.total_rows == 300000
    tables = result_tables(ws)
    second = page(ws, result.session_id, offset=3, limit=2, sort=sort)
    assert second.rows == [[27, 6], [34, 6]]
    assert result_tables(ws) == tables  # the same sorted copy served both pages
    page(ws, result.session_id, offset=0, limit=1, sort=[SortKey(column="n", descending=True)])
    assert len(result_tables(ws)) == len(tables)  # the previous copy was replaced, not kept


def test_a_filter_is_a_boolean_expression_over_the_columns(ws):
    result = run(ws, "SELECT range AS n, 'x' || range AS label FROM range(1000)", page_size=5)
    filtered = page(ws, result.session_id, filter="n % 100 = 0 AND label <> 'x0'", limit=3)
    assert filtered.total_rows == 9
    assert filtered.rows == [[100, "x100"], [200, "x200"], [300, "x300"]]
    both = page(ws, result.session_id, filter="n < 10", sort=[SortKey(column="n", descending=True)])
    assert [r[0] for r in both.rows] == list(range(9, -1, -1)) and both.total_rows == 10


def test_a_bad_filter_is_a_query_error_pointing_into_the_filter(ws):
    result = run(ws, "SELECT range AS n FROM range(10)")
    with pytest.raises(QueryError) as caught:
        page(ws, result.session_id, filter="n > 1 AND\n  nope = 2")
    assert caught.value.sql == "n > 1 AND\n  nope = 2"
    assert (caught.value.line, caught.value.column) == (2, 3)


@pytest.mark.parametrize("bad", ["n > 1) UNION ALL (SELECT 1", "true; DROP TABLE x", "(n > 1"])
def test_a_filter_cannot_escape_its_expression(ws, bad):
    result = run(ws, "SELECT range AS n FROM range(10)")
    with pytest.raises(QueryError):
        page(ws, result.session_id, filter=bad)


def test_a_filter_may_hold_parentheses_and_semicolons_inside_strings(ws):
    result = run(ws, "SELECT 'a;)' AS s UNION ALL SELECT 'b'")
    assert page(ws, result.session_id, filter="(s = 'a;)')").rows == [["a;)"]]


def test_sorting_by_an_unknown_column_names_the_columns(ws):
    result = run(ws, "SELECT 1 AS cust_id")
    with pytest.raises(InvalidRequestError) as caught:
        page(ws, result.session_id, sort=[SortKey(column="custid")])
    assert caught.value.field == "sort" and "cust_id" in caught.value.message


def test_an_unknown_session_is_not_found(ws):
    with pytest.raises(NotFoundError) as caught:
        ws.results.describe("nope")
    assert caught.value.kind == "result" and caught.value.status == 404
    with pytest.raises(NotFoundError):
        page(ws, "nope")


def test_closing_a_result_drops_its_tables(ws):
    result = run(ws, "SELECT range FROM range(1000)", page_size=10)
    page(ws, result.session_id, sort=[SortKey(column="range", descending=True)])
    assert result_tables(ws)
    ws.results.close(result.session_id)
    assert result_tables(ws) == [] and ws.results.count() == 0
    with pytest.raises(NotFoundError):
        ws.results.describe(result.session_id)


def test_idle_results_expire(root):
    ws = Workspace.open(root / "ws", root_dir=root, result_ttl_seconds=0.2)
    try:
        result = run(ws, "SELECT 1 AS a")
        assert ws.results.count() == 1
        time.sleep(0.3)
        with pytest.raises(NotFoundError):
            ws.results.describe(result.session_id)
        assert ws.results.count() == 0 and result_tables(ws) == []
    finally:
        ws.close()


def test_the_least_recently_used_result_is_evicted_beyond_max_results(root):
    threads_before = set(threading.enumerate())
    ws = Workspace.open(root / "ws", root_dir=root, max_results=2)
    try:
        first, second = run(ws, "SELECT 1 AS a"), run(ws, "SELECT 2 AS a")
        ws.results.describe(first.session_id)  # used: now the second is the oldest
        third = run(ws, "SELECT 3 AS a")
        assert ws.results.count() == 2
        with pytest.raises(NotFoundError):
            ws.results.describe(second.session_id)
        assert page(ws, first.session_id).rows == [[1]]
        assert page(ws, third.session_id).rows == [[3]]
        ws.results.settle()  # the evicted result's table is dropped off the run's path
        assert result_tables(ws) == sorted(f"r_{r.session_id}_head" for r in (first, third))
    finally:
        ws.close()
    # The thread that closed the evicted result stops with the workspace.
    new_threads = set(threading.enumerate()) - threads_before
    assert [t for t in new_threads if t.name == "mlwb-results-closer"] == []


def test_a_result_is_saved_as_a_table_and_a_second_save_needs_overwrite(ws):
    result = run(ws, "SELECT range AS n FROM range(5000)", page_size=10)
    table = ws.results.save(result.session_id, SaveResultRequest(name="numbers"))
    assert table.version == 1 and table.row_count == 5000 and table.kind == "workspace_table"
    with pytest.raises(ConflictError) as caught:
        ws.results.save(result.session_id, SaveResultRequest(name="numbers"))
    assert "overwrite" in caught.value.message and caught.value.status == 409
    again = ws.results.save(result.session_id, SaveResultRequest(name="numbers", overwrite=True))
    assert again.version == 2
    assert run(ws, "SELECT count(*) AS c FROM numbers").rows == [[5000]]


def test_a_result_exports_to_csv_and_parquet(ws, tmp_path):
    tmp_path = tmp_path / "exports"
    result = run(ws, "SELECT range AS n, 'é' || range AS s FROM range(3000)", page_size=10)
    out = ws.results.export(result.session_id, ExportFormat.csv, tmp_path / "out.csv")
    with out.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["n", "s"] and rows[1] == ["0", "é0"] and len(rows) == 3001
    parquet = ws.results.export(result.session_id, ExportFormat.parquet, tmp_path / "o.parquet")
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchall() == [(3000,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.parquet", "out.csv"]


def test_fetching_the_whole_result_first_takes_one_pass_and_puts_off_the_copy(ws, monkeypatch):
    # Hold the copy back so the fetch surely comes first.
    monkeypatch.setattr("mlworkbench.core.data.session.COPY_DELAY_SECONDS", 30)
    result = run(ws, "SELECT range AS n, range * 2 AS m FROM range(300000)", page_size=10)
    session = ws.results.get(result.session_id)
    frame = session.fetch_whole(lambda relation: relation.df())
    assert len(frame) == 300000 and frame["m"].sum() == 2 * frame["n"].sum()
    assert ws.results.describe(result.session_id).total_rows == 300000
    # No copy was made for it: only the head table exists.
    assert result_tables(ws) == [f"r_{result.session_id}_head"]
    # Paging past the head still works, and a caller that needs the table gets it.
    assert page(ws, result.session_id, offset=299998, limit=5).rows == [
        [299998, 599996],
        [299999, 599998],
    ]
    session.wait()
    assert result_tables(ws) == [f"r_{result.session_id}"]
    assert ws.results.describe(result.session_id).status is ResultStatus.ready
    # Once the copy exists, a whole fetch reads the table instead.
    assert session.fetch_whole(lambda relation: relation.df()) is None


def test_a_small_result_is_fetched_from_its_head_table(ws):
    result = run(ws, "SELECT range AS n FROM range(7)", page_size=10)
    session = ws.results.get(result.session_id)
    assert result.rows == [[i] for i in range(7)]
    assert session.fetch_whole(lambda relation: relation.df()) is None
