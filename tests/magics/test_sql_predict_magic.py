"""predict() in %%sql and mlwb.score in a real IPython shell, over a model trained and
published in the kernel's workspace (so papermill jobs, which run the same kernel code, get
it too)."""

import pytest

import mlworkbench

from .conftest import fails

FEATURES = "SELECT (i * 37 % 101) / 10.0 AS usage, (i * 53 % 97) AS tenure FROM range(300) t(i)"


@pytest.fixture
def published(ip, tmp_path):
    ws = mlworkbench.notebook.runner().ws
    ws.tables.save_query("rows", f"SELECT *, usage * 10 + tenure > 100 AS high FROM ({FEATURES})")
    run_id = ws.training.start(sql="SELECT usage, tenure, high FROM rows", target="high",
                               budget_s=1, max_trials=2, experiment="high")
    assert ws.training.wait(run_id).status == "finished"
    ws.registry.publish(run_id, "high")
    ws.registry.set_alias("high", "production", 1)
    return ws


def test_predict_in_a_sql_cell_and_in_mlwb_sql(ip, published):
    want = published.registry.load("high").predict(
        published.query("SELECT usage, tenure FROM rows ORDER BY usage, tenure")).tolist()
    result = ip.run_cell_magic(
        "sql", "-o scored",
        "SELECT usage, tenure, predict('high@production', *) AS p FROM rows "
        "ORDER BY usage, tenure")
    assert ip.user_ns["scored"]["p"].tolist() == want
    assert result.total_rows == 300
    shown = ip.run_cell_magic("sql", "", "CREATE TEMP TABLE few AS SELECT * FROM rows;\n"
                              "SELECT predict('high', tenure, usage) AS p FROM few "
                              "ORDER BY usage, tenure")
    assert shown.df()["p"].tolist() == want
    frame = mlworkbench.sql("SELECT predict('high@1', *) AS p FROM rows ORDER BY usage, tenure",
                            namespace={}).df()
    assert frame["p"].tolist() == want


def test_predict_errors_in_a_cell(ip, published):
    assert "No model named 'nope'" in " ".join(fails(ip, "SELECT predict('nope', *) FROM rows"))
    shown = " ".join(fails(ip, "SELECT predict('high', *) FROM (SELECT usage FROM rows)"))
    assert "tenure" in shown


def test_mlwb_score_writes_a_table_version(ip, published):
    result = mlworkbench.score("SELECT * FROM rows", "high@production", into="scored_rows")
    assert (result.rows, result.version, result.table.version) == (300, 1, 1)
    got = published.query("SELECT count(*) AS n, count(prediction) AS p FROM scored_rows")
    assert got.values.tolist() == [[300, 300]]
