"""Profiles, join keys and previews, transform SQL and cost previews through the REST API."""

import duckdb
import pytest


@pytest.fixture
def files(data_dir):
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT i AS k, NULL::DOUBLE AS nothing FROM range(0) t(i))
                    TO '{data_dir / "empty.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT i::VARCHAR AS cust_id FROM range(5) t(i))
                    TO '{data_dir / "codes.parquet"}' (FORMAT parquet)""")
    con.close()


async def register(api):
    for name in ("customers.csv", "orders.parquet", "empty.parquet", "codes.parquet"):
        code, body = await api.post("sources", {"path": f"data/{name}"})
        assert code == 201, body


async def test_a_profile_of_a_table(api, files):
    await register(api)
    code, profile = await api.post("profiles", {"table": "orders"})
    assert code == 200, profile
    assert profile["total_rows"] == 5000 and profile["sampled"] is False
    amount = next(c for c in profile["columns"] if c["name"] == "amount")
    assert amount["kind"] == "numeric" and amount["null_share"] == 0
    assert amount["histogram"] and amount["chart"]["$schema"].endswith("v5.json")


async def test_a_sampled_profile_says_so(api, files):
    await register(api)
    body = {"table": "orders", "sample_threshold": 1000, "sample_rows": 1000, "charts": False}
    code, profile = await api.post("profiles", body)
    assert code == 200, profile
    assert profile["sampled"] is True and profile["total_rows"] == 5000
    assert 0 < profile["sample_rows"] < 5000
    assert all(c["chart"] is None for c in profile["columns"])


async def test_an_empty_table_and_an_all_null_column(api, files):
    await register(api)
    code, profile = await api.post("profiles", {"table": "empty"})
    assert code == 200, profile
    assert profile["total_rows"] == 0 and [c["name"] for c in profile["columns"]] == ["k", "nothing"]
    code, profile = await api.post("profiles", {"sql": "SELECT NULL::INTEGER AS x FROM range(3)"})
    assert code == 200 and profile["columns"][0]["null_share"] == 1.0


async def test_a_profile_of_a_result_session(api, files):
    await register(api)
    code, result = await api.post("queries", {"sql": "SELECT * FROM orders", "page_size": 5})
    assert code == 200
    code, profile = await api.post("profiles", {"session_id": result["session_id"]})
    assert code == 200, profile
    assert profile["total_rows"] == 5000


async def test_bad_profile_requests(api, files):
    await register(api)
    code, error = await api.post("profiles", {"table": "ordrs"})
    assert code == 404 and error["code"] == "not_found"
    assert "Did you mean 'orders'" in error["message"] and error["detail"]["near"][0] == "orders"
    code, error = await api.post("profiles", {"table": "orders", "sql": "SELECT 1"})
    assert code == 422 and "exactly one" in error["message"]
    code, error = await api.post("profiles", {"session_id": "nope"})
    assert code == 404
    code, error = await api.post("profiles", {"sql": "SELECT 1; SELECT 2"})
    assert code == 422


async def test_join_suggestions_and_a_preview(api, files):
    await register(api)
    code, found = await api.post("joins/suggest", {"tables": ["orders", "customers"]})
    assert code == 200, found
    top = found["suggestions"][0]
    assert top["condition"] == "orders.cust_id = customers.cust_id"
    assert top["match_rate"] == 1.0 and top["cardinality"] == "many-to-one"

    spec = {"base": "orders", "joins": [{"table": "customers", "how": "left", "on": [
        {"left_table": "orders", "left_column": "cust_id", "right_column": "cust_id"}]}]}
    code, preview = await api.post("joins/preview", {"spec": spec, "limit": 3})
    assert code == 200, preview
    assert len(preview["rows"]) == 3 and preview["exact_rows"] == 5000
    assert preview["estimated_rows"] > 0 and preview["warnings"] == []
    assert preview["sql"].startswith("SELECT ")


async def test_a_join_on_keys_of_incompatible_types_is_a_422_with_a_cast(api, files):
    await register(api)
    spec = {"base": "codes", "joins": [{"table": "customers", "on": [
        {"left_table": "codes", "left_column": "cust_id", "right_column": "cust_id"}]}]}
    code, error = await api.post("joins/preview", {"spec": spec})
    assert code == 422 and error["code"] == "incompatible_types"
    assert "VARCHAR" in error["message"] and "CAST" in error["detail"]["suggestion"]


async def test_a_many_to_many_join_is_a_warning_not_an_error(api, files):
    await register(api)
    spec = {"base": "orders", "joins": [{"table": "customers", "on": [
        {"left_table": "orders", "left_column": "cust_id", "right_column": "region"}]}]}
    code, preview = await api.post("joins/preview", {"spec": spec})
    assert code == 200, preview
    assert preview["warnings"] and "Many-to-many" in preview["warnings"][0]


async def test_transform_sql(api):
    body = {"table": "orders", "transform": {"kind": "filter", "column": "amount", "op": ">",
                                             "value": 10}}
    code, answer = await api.post("transforms/sql", body)
    assert code == 200 and answer["sql"] == 'SELECT *\nFROM orders\nWHERE "amount" > 10'
    code, error = await api.post("transforms/sql", {"table": "t", "transform": {"kind": "nope"}})
    assert code == 422


async def test_a_query_estimate_warns_on_huge_results(api, files):
    await register(api)
    code, estimate = await api.post("queries/estimate", {"sql": "SELECT * FROM orders"})
    assert code == 200, estimate
    assert estimate["estimated_rows"] == 5000 and estimate["large"] is False
    sql = "SELECT * FROM orders a, orders b"
    code, estimate = await api.post("queries/estimate", {"sql": sql, "threshold_rows": 1000})
    assert code == 200 and estimate["large"] is True
    assert estimate["limit_sql"] and estimate["sample_sql"] and "25,000,000" in estimate["warning"]
    code, error = await api.post("queries/estimate", {"sql": "SELEC 1"})
    assert code == 400 and error["code"] == "query_error"
