"""Running SQL over registered files through the REST API, as the panel does."""

import asyncio
import io

import pyarrow.parquet as pq


async def _register(api, path, name=None):
    body = {"path": path} | ({"name": name} if name else {})
    code, source = await api.post("sources", body)
    assert code == 201, source
    return source


async def test_a_join_of_a_csv_and_a_parquet_file_pages_and_sorts(api, data_dir):
    await _register(api, "data/customers.csv")
    await _register(api, "data/orders.parquet")
    code, catalog = await api.get("catalog")
    assert code == 200
    names = {t["name"] for s in catalog["sources"] for t in s["tables"]}
    assert {"customers", "orders"} <= names

    sql = """SELECT c.name, o.order_id, o.amount
             FROM customers c JOIN orders o USING (cust_id)"""
    code, result = await api.post("queries", {"sql": sql, "page_size": 10})
    assert code == 200, result
    assert [c["name"] for c in result["columns"]] == ["name", "order_id", "amount"]
    assert len(result["rows"]) == 10
    session = result["session_id"]

    for _ in range(200):
        code, described = await api.get(f"results/{session}")
        if described["status"] == "ready":
            break
        await asyncio.sleep(0.05)
    assert described["total_rows"] == 5000

    page_body = {"offset": 4990, "limit": 50, "sort": [{"column": "order_id", "descending": True}]}
    code, page = await api.post(f"results/{session}/page", page_body)
    assert code == 200, page
    assert [row[1] for row in page["rows"]] == list(range(10, 0, -1))


async def test_bad_sql_answers_400_with_line_and_column(api):
    code, error = await api.post("queries", {"sql": "SELECT 1;\nSELECT 2;\nSELEC 3"})
    assert code == 400
    assert error["code"] == "query_error"
    assert error["detail"]["line"] == 3
    assert error["detail"]["column"] >= 1
    assert "SELEC" in error["message"] or "syntax" in error["message"].lower()


async def test_an_empty_result_has_columns_and_no_rows(api):
    code, result = await api.post("queries", {"sql": "SELECT 1 AS a, 'x' AS b WHERE false"})
    assert code == 200
    assert [c["name"] for c in result["columns"]] == ["a", "b"]
    assert result["rows"] == []


async def test_a_request_with_an_unknown_field_is_422_naming_it(api):
    code, error = await api.post("queries", {"sql": "SELECT 1", "pagesize": 3})
    assert code == 422
    assert error["detail"]["field"] == "pagesize"


async def test_a_body_that_is_not_json_is_a_4xx(api):
    code, error = await api.post("queries", "{not json")
    assert 400 <= code < 500
    assert "JSON" in error["message"]


async def test_a_long_query_can_be_stopped_while_the_server_keeps_answering(api):
    slow = "SELECT sum(a.i * b.i) FROM range(200000) a(i), range(200000) b(i)"
    task = asyncio.ensure_future(api.post("queries", {"sql": slow, "query_id": "slow-1"}))
    for _ in range(200):
        code, status = await api.get("status")
        assert code == 200
        if status["running_queries"] == 1:
            break
        await asyncio.sleep(0.05)
    assert status["running_queries"] == 1, "the status call must answer while the query runs"
    code, described = await api.get("queries/slow-1")
    assert code == 200 and described["running"] is True and described["elapsed_ms"] >= 0
    code, cancelled = await api.post("queries/slow-1/cancel")
    assert code == 200 and cancelled["cancelled"] is True
    code, error = await task
    assert code == 409 and error["code"] == "cancelled"
    code, cancelled = await api.post("queries/no-such-query/cancel")
    assert cancelled["cancelled"] is False
    code, described = await api.get("queries/slow-1")
    assert described["running"] is False and described["progress"] is None


async def test_two_queries_at_once_both_complete(api):
    a = api.post("queries", {"sql": "SELECT count(*) AS n FROM range(3000000)"})
    b = api.post("queries", {"sql": "SELECT sum(i) AS s FROM range(2000000) t(i)"})
    (ca, ra), (cb, rb) = await asyncio.gather(a, b)
    assert (ca, cb) == (200, 200)
    assert ra["rows"] == [[3000000]]
    assert rb["rows"] == [[1999999000000]]


async def test_saving_a_result_versions_the_table_and_the_catalog_shows_it(api):
    code, result = await api.post("queries", {"sql": "SELECT 1 AS x"})
    session = result["session_id"]
    code, table = await api.post(f"results/{session}/save", {"name": "my table"})
    assert code == 201, table
    assert table["version"] == 1

    code, error = await api.post(f"results/{session}/save", {"name": "my table"})
    assert code == 409 and error["code"] == "conflict"
    assert "overwrite" in error["message"]

    code, result = await api.post("queries", {"sql": "SELECT 2 AS x UNION ALL SELECT 3"})
    code, table = await api.post(
        f"results/{result['session_id']}/save", {"name": "my table", "overwrite": True}
    )
    assert code == 201 and table["version"] == 2

    code, catalog = await api.get("catalog")
    assert [t["name"] for t in catalog["tables"]] == ['"my table"']  # SQL-quoted
    code, versions = await api.get("tables/my table")
    assert [v["version"] for v in versions["versions"]] == [2, 1]
    code, result = await api.post("queries", {"sql": 'SELECT sum(x) FROM "my table"'})
    assert result["rows"] == [[5]]


async def test_a_result_exports_as_csv_and_parquet(api):
    code, result = await api.post("queries", {"sql": "SELECT i, i * 2 AS j FROM range(5) t(i)"})
    session = result["session_id"]
    code, text = await api.call("GET", f"results/{session}/export", format="csv")
    assert code == 200
    assert text.splitlines()[0] == "i,j" and len(text.splitlines()) == 6

    response = await api._fetch(
        "mlworkbench", "api", "results", session, "export", params={"format": "parquet"}
    )
    table = pq.read_table(io.BytesIO(response.body))
    assert table.column("j").to_pylist() == [0, 2, 4, 6, 8]

    code, error = await api.call("GET", f"results/{session}/export", format="xlsx")
    assert code == 422 and error["detail"]["field"] == "format"


async def test_an_unknown_result_is_404(api):
    code, error = await api.post("results/nope/page", {"offset": 0, "limit": 5})
    assert code == 404 and error["code"] == "not_found"


async def test_status_counts_a_result_still_being_counted_in_the_background(api):
    code, result = await api.post(
        "queries", {"sql": "SELECT i, hash(i) AS h FROM range(30000000) t(i)", "page_size": 5}
    )
    assert code == 200 and len(result["rows"]) == 5
    # The background copy of 30M rows starts 0.3 s after the first page and takes seconds.
    assert result["status"] == "counting"
    code, status = await api.get("status")
    assert status["counting_results"] == 1
    code, _ = await api.delete(f"results/{result['session_id']}")
    assert code == 204
    code, status = await api.get("status")
    assert status["counting_results"] == 0 and status["open_results"] == 0


async def test_a_page_carries_faithful_cells(api):
    sql = """SELECT 12345678901234567890.0123456789::DECIMAL(38,10) AS d,
                    170141183460469231731687303715884105727::HUGEINT AS h,
                    'nan'::DOUBLE AS n, [1, 2] AS l, {'a': 1} AS s, 1.5::DOUBLE AS f"""
    code, result = await api.post("queries", {"sql": sql})
    assert code == 200
    d, h, n, lst, s, f = result["rows"][0]
    assert d == "12345678901234567890.0123456789"
    assert h == "170141183460469231731687303715884105727"
    assert isinstance(n, str) and n.lower() == "nan"
    assert lst == "[1, 2]" and s == "{'a': 1}" and f == 1.5
