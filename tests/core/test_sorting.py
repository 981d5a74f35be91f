"""Sorted and filtered windows: top-N for shallow windows, a sorted copy for deep ones, one total
order either way, filters counted in the background, paging while the result is counted."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from mlworkbench.core.data.session import ResultSession
from mlworkbench.core.errors import QueryCancelledError, QueryError
from mlworkbench.schemas import FetchPageRequest, ResultStatus, SortKey

from .conftest import run
from .test_results import result_tables

TIES = "SELECT range % 7 AS m, range AS n, hash(range) % 1000 AS h FROM range(1000)"


def page(ws, session_id, **kw):
    return ws.results.page(session_id, FetchPageRequest(**kw))


def expected(sql: str, order: str, where: str = "true") -> list[list]:
    """The rows of ``sql`` in ``order``, ties in the order the query gives them."""
    numbered = f"SELECT *, row_number() OVER () AS pos FROM ({sql})"
    rows = duckdb.sql(f"SELECT * FROM ({numbered}) WHERE {where} ORDER BY {order}, pos").fetchall()
    return [list(r[:-1]) for r in rows]


def walk(ws, session_id, offsets, limit, **kw) -> list[list]:
    rows = []
    for offset in offsets:
        rows += page(ws, session_id, offset=offset, limit=limit, **kw).rows
    return rows


@pytest.fixture
def small(ws):
    """Top-N up to 50 rows, the first one keeping 10."""
    ws.results.topn_rows, ws.results.first_rows = 50, 10
    return ws


@pytest.fixture
def gate(monkeypatch):
    """Hold every background copy until the test sets the event: results stay 'counting'."""
    event = threading.Event()
    original = ResultSession._materialize

    def held(self):
        while not event.wait(0.01):
            if self.closed:  # as if interrupted
                self._cursor.close()
                self._cursor = None
                self.ready.set()
                return
        original(self)

    monkeypatch.setattr(ResultSession, "_materialize", held)
    yield event
    event.set()


def test_top_n_pages_and_sorted_copy_pages_are_one_order(small):
    sort = [SortKey(column="m", descending=True), SortKey(column="h")]
    want = expected(TIES, "m DESC, h")
    result = run(small, TIES, page_size=5)
    small.results.get(result.session_id).wait()
    # Windows ending within 50 rows come from top-N prefixes (10, then 40, then 50 rows).
    shallow = walk(small, result.session_id, range(0, 50, 5), 5, sort=sort)
    assert shallow == want[:50]
    # Deeper ones build the sorted copy, which then serves every window of this sort.
    deep = walk(small, result.session_id, range(50, 1000, 50), 50, sort=sort)
    assert shallow + deep == want
    assert walk(small, result.session_id, range(0, 49, 7), 7, sort=sort) == want[:49]
    last = page(small, result.session_id, offset=995, limit=10, sort=sort)
    assert last.rows == want[995:] and last.total_rows == 1000


def test_a_deep_window_first_then_shallow_ones_agree_with_top_n(small):
    sort = [SortKey(column="m")]
    want = expected(TIES, "m")
    first = run(small, TIES, page_size=5)
    assert page(small, first.session_id, offset=600, limit=20, sort=sort).rows == want[600:620]
    second = run(small, TIES, page_size=5)
    assert page(small, second.session_id, offset=0, limit=20, sort=sort).rows == want[:20]
    assert page(small, first.session_id, offset=0, limit=20, sort=sort).rows == want[:20]


def test_ties_keep_the_results_own_order_ascending_or_descending(small):
    sql = "SELECT 1 AS k, hash(range) % 1000 AS h FROM range(300)"
    result = run(small, sql, page_size=5)
    unsorted = walk(small, result.session_id, range(0, 300, 100), 100)
    for descending in (False, True):
        sort = [SortKey(column="k", descending=descending)]
        assert walk(small, result.session_id, range(0, 40, 10), 10, sort=sort) == unsorted[:40]
        assert page(small, result.session_id, offset=200, limit=100, sort=sort).rows == unsorted[
            200:
        ]


def test_filter_and_sort_together(small):
    where = "m = 3 AND n < 600"
    sort = [SortKey(column="h", descending=True)]
    want = expected(TIES, "h DESC", where)
    result = run(small, TIES, page_size=5)
    rows = walk(small, result.session_id, range(0, 90, 10), 10, sort=sort, filter=where)
    assert rows == want and len(want) == 86
    done = page(small, result.session_id, offset=80, limit=10, sort=sort, filter=where)
    assert done.total_rows == 86


def test_a_filter_whose_rows_fit_the_top_n_is_counted_at_once(small):
    result = run(small, TIES, page_size=5)
    filtered = page(small, result.session_id, filter="n < 8", limit=5)
    assert filtered.rows == [[n % 7, n, r[2]] for n, r in zip(range(5), filtered.rows)]
    assert filtered.total_rows == 8


def test_a_filter_with_more_rows_is_counted_in_the_background(small):
    result = run(small, TIES, page_size=5)
    session = small.results.get(result.session_id)
    session.wait()
    first = page(small, result.session_id, filter="m = 2", limit=5)
    assert first.rows == [r for r in expected(TIES, "n", "m = 2")[:5]]
    assert first.total_rows in (None, 143)  # None while it is being counted
    session.views.join(timeout=30)
    assert page(small, result.session_id, filter="m = 2", offset=5, limit=5).total_rows == 143


def test_sorting_and_filtering_while_the_result_is_counted(small, gate):
    sort = [SortKey(column="h"), SortKey(column="n", descending=True)]
    want = expected(TIES, "h, n DESC")
    result = run(small, TIES, page_size=5)
    assert result.status is ResultStatus.counting
    early = page(small, result.session_id, offset=0, limit=10, sort=sort)
    assert early.rows == want[:10] and early.total_rows is None
    assert page(small, result.session_id, offset=10, limit=30, sort=sort).rows == want[10:40]
    filtered = page(small, result.session_id, filter="m = 1", limit=5)
    assert filtered.rows == expected(TIES, "n", "m = 1")[:5] and filtered.total_rows is None
    with pytest.raises(QueryError) as caught:  # a bad filter does not wait for the copy
        page(small, result.session_id, filter="nope = 1")
    assert caught.value.sql == "nope = 1" and caught.value.column == 1
    gate.set()
    small.results.get(result.session_id).wait()
    later = page(small, result.session_id, offset=40, limit=960, sort=sort)
    assert later.rows == want[40:] and later.total_rows == 1000
    assert page(small, result.session_id, offset=0, limit=10, sort=sort).rows == want[:10]


def test_a_query_over_a_temp_table_sorts_once_its_copy_is_kept(small):
    sql = "CREATE TEMP TABLE t AS SELECT range AS n FROM range(1000); SELECT n, n % 3 AS m FROM t"
    result = run(small, sql, page_size=5)
    got = page(small, result.session_id, limit=4, sort=[SortKey(column="m"), SortKey(column="n")])
    assert got.rows == [[0, 0], [3, 0], [6, 0], [9, 0]]


def test_a_result_with_a_rowid_column_still_breaks_ties_by_position(small):
    sql = "SELECT 5 - range % 5 AS rowid, range AS n FROM range(100)"
    result = run(small, sql, page_size=5)
    small.results.get(result.session_id).wait()
    sort = [SortKey(column="rowid")]
    want = expected(sql, "rowid")
    assert walk(small, result.session_id, range(0, 30, 10), 10, sort=sort) == want[:30]
    assert page(small, result.session_id, offset=60, limit=40, sort=sort).rows == want[60:]


def test_only_the_latest_sort_is_kept(small):
    result = run(small, TIES, page_size=5)
    small.results.get(result.session_id).wait()
    for column in ("m", "n", "h"):
        page(small, result.session_id, offset=900, limit=10, sort=[SortKey(column=column)])
        page(small, result.session_id, limit=10, sort=[SortKey(column=column, descending=True)])
    assert len(result_tables(small)) == 2  # the result and one view
    small.results.close(result.session_id)
    assert result_tables(small) == []


def test_closing_while_counting_drops_the_views_too(small, gate):
    result = run(small, TIES, page_size=5)
    page(small, result.session_id, limit=10, sort=[SortKey(column="h")])
    page(small, result.session_id, limit=10, filter="m = 1")
    assert len(result_tables(small)) == 2  # the first rows and one view
    small.results.close(result.session_id)
    assert result_tables(small) == []


def test_a_newer_sort_cancels_an_older_one_still_waiting_for_its_copy(small, gate):
    result = run(small, TIES, page_size=5)
    session = small.results.get(result.session_id)
    outcome = {}

    def deep():
        try:
            page(small, result.session_id, offset=500, limit=10, sort=[SortKey(column="m")])
        except QueryCancelledError as error:
            outcome["error"] = error

    thread = threading.Thread(target=deep)
    thread.start()
    deadline = time.monotonic() + 30
    while session.views._latest != ((("m", False),), None) and time.monotonic() < deadline:
        time.sleep(0.01)
    newer = page(small, result.session_id, limit=5, sort=[SortKey(column="h", descending=True)])
    assert newer.rows == expected(TIES, "h DESC")[:5]
    gate.set()
    thread.join(30)
    assert "error" in outcome
    # The cancelled request left the newer sort's rows alone.
    session.wait()
    newest = [SortKey(column="h", descending=True)]
    again = page(small, result.session_id, offset=5, limit=5, sort=newest)
    assert again.rows == expected(TIES, "h DESC")[5:10]
    assert len(result_tables(small)) == 2
