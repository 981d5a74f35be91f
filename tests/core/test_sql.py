"""Running SQL: statements, parameters, messages, errors with positions, cancellation."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from mlworkbench.core.errors import (
    ConflictError,
    InvalidRequestError,
    QueryCancelledError,
    QueryError,
    UnsupportedError,
)
from mlworkbench.schemas import ResultStatus

from .conftest import run


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    offset = text.index(needle)
    return text[:offset].count("\n") + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_a_select_gives_columns_rows_and_a_ready_result(ws):
    result = run(ws, "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY a")
    assert [c.name for c in result.columns] == ["a", "b"]
    assert [c.type for c in result.columns] == ["INTEGER", "VARCHAR"]
    assert result.rows == [[1, "x"], [2, "y"]]
    assert result.total_rows == 2 and result.status is ResultStatus.ready
    assert result.statement_count == 1 and result.message is None


def test_column_types_are_spelled_as_duckdb_describes_them(ws):
    # Nested and parameterised types, in both paths: a result that fits the first page and
    # one that goes on counting in the background.
    body = (
        "SELECT 1.5::DECIMAL(18,3) AS d, [1, 2] AS l, {'x': 1, 'y': 'a'} AS s, "
        "map([1], ['a']) AS m, now() AS tz, 'ok'::ENUM('x y', 'ok') AS e, "
        "[1, 2]::INTEGER[2] AS a, NULL AS n, range AS r FROM range(ROWS)"
    )
    cursor = ws.engine.cursor(refresh=False)
    try:
        rows = cursor.execute(f"DESCRIBE {body.replace('ROWS', '1')}").fetchall()
        described = [row[1] for row in rows]
    finally:
        cursor.close()
    assert "DECIMAL(18,3)" in described and "ENUM('x y', 'ok')" in described
    for rows in (1, 5000):
        result = run(ws, body.replace("ROWS", str(rows)), page_size=10)
        assert [c.type for c in result.columns] == described


def test_an_empty_result_keeps_its_columns(ws):
    result = run(ws, "SELECT 1 AS a, 'x' AS b WHERE false")
    assert [c.name for c in result.columns] == ["a", "b"]
    assert result.rows == [] and result.total_rows == 0


def test_the_last_of_several_statements_is_shown_and_earlier_ones_take_effect(ws):
    result = run(ws, "CREATE TABLE t(a INT);\nINSERT INTO t VALUES (1), (2);\nSELECT * FROM t;")
    assert result.statement_count == 3
    assert result.rows == [[1], [2]]


def test_a_temp_table_made_by_an_earlier_statement_is_visible_to_the_last(ws):
    sql = "CREATE TEMP TABLE tt AS SELECT range AS x FROM range(500); SELECT x FROM tt ORDER BY x"
    result = run(ws, sql, page_size=10)
    assert result.rows[:3] == [[0], [1], [2]]
    ws.results.get(result.session_id).wait()
    assert ws.results.describe(result.session_id).total_rows == 500


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("CREATE TABLE made(a INT)", "CREATE TABLE"),
        ("CREATE OR REPLACE VIEW v AS SELECT 1", "CREATE VIEW"),
        ("CREATE TABLE t2 AS SELECT * FROM range(3)", "CREATE TABLE: 3 rows"),
        ("CREATE TABLE t3(a INT); INSERT INTO t3 VALUES (1), (2), (3)", "INSERT: 3 rows changed"),
        ("CREATE TABLE t4 AS SELECT 1 AS a; UPDATE t4 SET a = 2", "UPDATE: 1 row changed"),
        ("CREATE TABLE t5 AS SELECT 1 AS a; -- c\n DELETE FROM t5", "DELETE: 1 row changed"),
        ("SET threads = 2", "SET"),
    ],
)
def test_a_statement_without_rows_gives_a_message(ws, sql, message):
    assert run(ws, sql).message == message


def test_insert_returning_shows_the_returned_rows(ws):
    result = run(ws, "CREATE TABLE r(a INT); INSERT INTO r VALUES (7), (8) RETURNING a * 2 AS b")
    assert result.message is None
    assert [c.name for c in result.columns] == ["b"] and result.rows == [[14], [16]]


@pytest.mark.parametrize(
    ("sql", "column"),
    [
        ("PRAGMA version", "library_version"),
        ("CALL pragma_version()", "library_version"),
        ("EXPLAIN SELECT 1", "explain_key"),
        ("SHOW TABLES", "name"),
        ("DESCRIBE SELECT 1 AS a", "column_name"),
        ("SUMMARIZE SELECT range FROM range(10)", "column_name"),
    ],
)
def test_statements_that_are_not_plain_selects_still_give_a_result(ws, sql, column):
    result = run(ws, sql)
    assert column in [c.name for c in result.columns]
    assert result.status is ResultStatus.ready


def test_named_parameters_are_bound_not_pasted(ws):
    tricky = "x'); DROP TABLE t; --"
    result = run(ws, "SELECT $name AS name, $n + 1 AS n", {"name": tricky, "n": 41})
    assert result.rows == [[tricky, 42]]


def test_positional_parameters_are_bound(ws):
    assert run(ws, "SELECT ? AS a, ? AS b", [1, "two"]).rows == [[1, "two"]]
    assert run(ws, "SELECT $2 AS a, $1 AS b", ["one", "two"]).rows == [["two", "one"]]


def test_each_statement_gets_the_parameters_it_names(ws):
    sql = "CREATE TABLE p AS SELECT $a AS a; SELECT a, $b AS b FROM p"
    assert run(ws, sql, {"a": 1, "b": "z"}).rows == [[1, "z"]]


def test_parameters_reach_the_background_copy_of_a_big_result(ws):
    result = run(ws, "SELECT range + $k AS v FROM range(1000)", {"k": 10}, page_size=5)
    assert result.rows[0] == [10]
    ws.results.get(result.session_id).wait()
    assert ws.results.describe(result.session_id).total_rows == 1000


def test_a_missing_parameter_is_a_query_error(ws):
    with pytest.raises(QueryError):
        run(ws, "SELECT $missing", {"other": 1})


def test_an_error_on_line_three_of_a_multi_statement_text_points_there(ws):
    sql = "SELECT 1;\nCREATE TABLE e(a INT);\nSELECT a,\n  bogus FROM e"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    error = caught.value
    assert (error.line, error.column) == position(sql, "bogus") == (4, 3)
    assert "bogus" in error.message and "LINE" not in error.message
    assert error.sql == sql and error.status == 400
    assert error.detail["line"] == 4


def test_an_error_in_the_middle_statement_points_into_the_whole_text(ws):
    sql = "SELECT 1;\n\n  SELECT * FROM nowhere;\nSELECT 3"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == position(sql, "nowhere")


def test_an_error_in_a_later_statement_on_the_same_line_counts_columns_from_the_line_start(ws):
    sql = "SELECT 1; SELECT nope"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == (1, sql.index("nope") + 1)


def test_a_syntax_error_points_at_the_bad_token(ws):
    sql = "SELECT 1;\nSELECT 2;\nSELEC 3"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == (3, 1)
    assert "syntax error" in caught.value.message


def test_error_columns_count_characters_after_tabs_and_wide_characters(ws):
    sql = "SELECT '日本語',\t'é',\n\t1, missing_col"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == position(sql, "missing_col")


def test_an_error_far_along_a_long_line_is_located(ws):
    sql = "SELECT " + ", ".join(f"{i} AS c{i}" for i in range(80)) + ", far_away"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == position(sql, "far_away")


def test_a_statement_ending_in_a_comment_after_the_semicolon_runs(ws):
    assert run(ws, "SELECT 1 AS a; -- trailing comment").rows == [[1]]
    assert run(ws, "SELECT 2 AS a -- comment, no semicolon").rows == [[2]]


def test_text_without_a_statement_is_an_invalid_request(ws):
    with pytest.raises(InvalidRequestError):
        run(ws, "-- nothing here")


def test_an_extension_that_cannot_be_installed_is_unsupported_with_a_clear_message(ws):
    with pytest.raises(UnsupportedError) as caught:
        run(ws, "SELECT * FROM read_xlsx('book.xlsx')")
    assert "excel" in caught.value.message and "built-in" in caught.value.message


def test_cancel_stops_a_long_query_quickly(ws):
    errors = []
    sql = "SELECT count(*) FROM range(3000000) a, range(3000000) b WHERE a.range + b.range < 0"

    def target():
        try:
            run(ws, sql, query_id="long-one")
        except Exception as error:  # noqa: BLE001 - the test inspects it
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    while ws.sql.running() == 0:
        time.sleep(0.01)
    time.sleep(0.2)
    assert ws.sql.cancel("long-one").cancelled is True
    thread.join(timeout=60)  # a safety net, not a timing assertion
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], QueryCancelledError)
    assert errors[0].status == 409
    assert ws.sql.running() == 0
    assert run(ws, "SELECT 1 AS ok").rows == [[1]]


def test_cancelling_an_unknown_query_says_so(ws):
    response = ws.sql.cancel("no-such-query")
    assert response.query_id == "no-such-query" and response.cancelled is False


def test_a_cancel_that_overtakes_its_query_still_stops_it(ws):
    """Escape right after Shift+Enter: the cancel reaches the server before the run."""
    assert ws.sql.cancel("early").cancelled is False  # nothing was running yet
    with pytest.raises(QueryCancelledError):
        run(ws, "SELECT 1", query_id="early")
    # Remembered once only: the same id runs again afterwards.
    assert run(ws, "SELECT 1", query_id="early").rows == [[1]]



def test_two_running_queries_cannot_share_an_id(ws):
    started = threading.Event()

    def target():
        started.set()
        try:
            run(ws, "SELECT count(*) FROM range(2000000) a, range(2000000) b", query_id="dup")
        except QueryCancelledError:
            pass

    thread = threading.Thread(target=target)
    thread.start()
    while ws.sql.running() == 0:
        time.sleep(0.01)
    with pytest.raises(ConflictError):
        run(ws, "SELECT 1", query_id="dup")
    ws.sql.cancel("dup")
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_queries_run_concurrently_from_threads(ws):
    results = {}

    def target(i):
        results[i] = run(ws, f"SELECT {i} AS i, count(*) AS n FROM range(100000)").rows

    threads = [threading.Thread(target=target, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: [[i, 100000]] for i in range(8)}


def test_query_returns_a_pandas_dataframe(ws):
    sql = "CREATE TABLE q AS SELECT 'a' AS s, 1 AS n; SELECT * FROM q WHERE n = $n"
    frame = ws.query(sql, {"n": 1})
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("records") == [{"s": "a", "n": 1}]
    assert pd.api.types.is_string_dtype(frame["s"])


def test_query_reports_errors_like_run(ws):
    with pytest.raises(QueryError) as caught:
        ws.query("SELECT 1;\nSELECT zzz")
    assert (caught.value.line, caught.value.column) == (2, 8)


def test_an_error_in_a_last_statement_that_is_not_a_select_points_into_the_text(ws):
    sql = "CREATE TABLE w(a INT);\n\nINSERT INTO w\n  SELECT nothing_here"
    with pytest.raises(QueryError) as caught:
        run(ws, sql)
    assert (caught.value.line, caught.value.column) == position(sql, "nothing_here")


def test_a_running_query_reports_its_progress(ws, root):
    """DuckDB's own estimate, read while the query runs in another thread."""
    import duckdb as _duckdb

    data = root / "progress.parquet"
    _duckdb.execute(
        f"COPY (SELECT i, i % 97 AS k FROM range(5000000) t(i)) TO '{data}' (FORMAT parquet)"
    )
    slow = f"SELECT count(*) FROM read_parquet('{data}') a, range(60) r WHERE a.k * r.range > 3"
    thread = threading.Thread(target=lambda: run(ws, slow, query_id="p1"))
    thread.start()
    seen = []
    while thread.is_alive():
        described = ws.sql.progress("p1")
        if described.running and described.progress is not None:
            seen.append(described.progress)
        time.sleep(0.05)
    thread.join()
    assert seen, "no progress was reported while the query ran"
    assert all(0 <= p <= 100 for p in seen) and seen == sorted(seen)
    assert ws.sql.progress("p1").running is False
