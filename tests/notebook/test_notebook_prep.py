"""mlwb.profile and mlwb.suggest_joins in a kernel-like process, over the shared workspace."""

import json

import duckdb
import pytest
from IPython.core.formatters import DisplayFormatter

import mlworkbench as mlwb
import mlworkbench.notebook as notebook
from mlworkbench.core.errors import NotFoundError
from mlworkbench.schemas import RegisterSourceRequest


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)
    notebook._runner = None
    con = duckdb.connect()
    con.execute("""COPY (SELECT i AS order_id, i % 20 AS customer_id,
                          ['paid', 'open'][1 + i % 2] AS status, NULL::DOUBLE AS refund
                        FROM range(500) t(i)) TO 'orders.parquet' (FORMAT parquet)""")
    con.execute("""COPY (SELECT i AS customer_id, 'c' || i AS name FROM range(20) t(i))
                   TO 'customers.parquet' (FORMAT parquet)""")
    workspace = notebook.runner().ws
    for name in ("orders", "customers"):
        workspace.catalog.register_source(RegisterSourceRequest(path=f"{name}.parquet"))
    yield workspace
    workspace.close()
    notebook._runner = None


def test_a_profile_displays_as_one_vega_lite_chart_with_a_text_summary(ws):
    profile = mlwb.profile("orders")
    data, _metadata = DisplayFormatter().format(profile)
    assert set(data) == {"application/vnd.vegalite.v5+json", "text/plain"}
    chart = data["application/vnd.vegalite.v5+json"]
    assert chart["$schema"].endswith("vega-lite/v5.json")
    titles = [c["title"]["text"] for c in chart["concat"]]
    assert titles == ["order_id", "customer_id", "status"]  # refund is all NULL: no chart
    assert "color" not in json.dumps(chart)
    text = data["text/plain"]
    assert text.startswith("Profile of orders: 500 rows")
    assert "refund" in text and "100.0%" in text


def test_a_profile_of_a_select_or_a_result_and_its_summary_frame(ws):
    profile = mlwb.profile("SELECT status FROM orders WHERE customer_id < 10")
    assert profile.model.total_rows == 250 and profile["status"].distinct == 2
    result = mlwb.sql("SELECT customer_id FROM orders")
    assert mlwb.profile(result).model.total_rows == 500
    frame = mlwb.profile("orders").summary()
    assert list(frame.index) == ["order_id", "customer_id", "status", "refund"]
    assert frame.loc["refund", "null_share"] == 1.0


def test_an_unknown_table_names_its_near_match(ws):
    with pytest.raises(NotFoundError, match="Did you mean 'orders'"):
        mlwb.profile("order")


def test_join_keys_from_a_notebook(ws):
    top = mlwb.suggest_joins("orders", "customers")[0]
    assert top.condition == "orders.customer_id = customers.customer_id"
