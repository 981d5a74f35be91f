"""%sql / %%sql in a real IPython shell over a temp workspace."""

import json
import subprocess
import sys
import time

import pandas as pd
import pyarrow as pa
import pytest

from mlworkbench.core import Workspace
from mlworkbench.magics.result import MIME_TYPE

from .conftest import fails


def test_a_table_saved_by_another_workspace_is_visible_at_once(ip, tmp_path):
    ip.run_line_magic("sql", "SELECT 1")  # the kernel's workspace is open before the save
    with Workspace.open(tmp_path / "ws") as other:
        other.tables.save_query("orders", "SELECT range AS id FROM range(5)")
    assert ip.run_line_magic("sql", "SELECT count(*) AS n FROM orders").df().n[0] == 5


def test_save_table_creates_a_version_the_core_sees(ip, tmp_path):
    ip.run_cell_magic("sql", "--save-table nums", "SELECT range AS x FROM range(3)")
    ip.run_cell_magic("sql", "--save-table nums --overwrite", "SELECT range AS x FROM range(4)")
    with Workspace.open(tmp_path / "ws") as other:
        assert len(other.tables.describe("nums").versions) == 2
        assert other.query("SELECT count(*) AS n FROM nums").n[0] == 4


def test_dollar_names_are_bound_not_pasted(ip):
    ip.user_ns["who"] = "O'Brien"
    result = ip.run_cell_magic("sql", "-o out", "SELECT $who AS name, length($who) AS n")
    assert ip.user_ns["out"].name[0] == "O'Brien"
    assert result.total_rows == 1
    assert ip.run_line_magic("sql", "SELECT $who AS name").df().name[0] == "O'Brien"


def test_explicit_param_wins(ip):
    ip.user_ns["x"] = 1
    assert ip.run_line_magic("sql", "-p x=abc SELECT $x AS v").df().v[0] == "abc"


def test_dataframes_and_arrow_tables_are_queryable_by_name(ip):
    ip.user_ns["people"] = pd.DataFrame({"name": ["a", "b"], "age": [30, 40]})
    ip.user_ns["scores"] = pa.table({"name": ["a", "b"], "score": [1.5, 2.5]})
    df = ip.run_cell_magic(
        "sql", "", "SELECT p.name, age, score FROM people p JOIN scores USING (name) ORDER BY 1"
    ).df()
    assert list(df.age) == [30, 40] and list(df.score) == [1.5, 2.5]


def test_out_gives_pandas_arrow_and_polars(ip):
    ip.run_line_magic("sql", "-o a SELECT range AS x FROM range(1000)")
    assert isinstance(ip.user_ns["a"], pd.DataFrame) and len(ip.user_ns["a"]) == 1000
    ip.run_line_magic("sql", "-o b --arrow SELECT range AS x FROM range(1000)")
    assert isinstance(ip.user_ns["b"], pa.Table) and ip.user_ns["b"].num_rows == 1000
    pl = pytest.importorskip("polars")
    ip.run_line_magic("sql", "-o c --polars SELECT range AS x FROM range(1000)")
    assert isinstance(ip.user_ns["c"], pl.DataFrame) and ip.user_ns["c"].height == 1000


def test_named_queries_compose(ip):
    ip.run_cell_magic("sql", "--name evens", "SELECT range AS x FROM range(10) WHERE range % 2 = 0")
    ip.run_cell_magic("sql", "--name big_evens", "SELECT x FROM evens WHERE x > 4")
    assert sorted(ip.run_line_magic("sql", "SELECT x FROM big_evens").df().x) == [6, 8]


def test_output_counts_in_every_mime_type(ip):
    result = ip.run_line_magic("sql", "SELECT range AS x FROM range(250)")
    result.wait()
    bundle = result._repr_mimebundle_()
    assert "20 of 250 rows shown" in bundle["text/html"]
    assert "20 of 250 rows shown" in bundle["text/plain"]
    payload = bundle[MIME_TYPE]
    json.dumps(payload)
    assert payload["total_rows"] == 250 and len(payload["rows"]) == 100
    assert payload["session_id"] and payload["columns"][0]["name"] == "x"
    assert payload["elapsed_ms"] > 0


def test_small_result_says_its_row_count(ip):
    bundle = ip.run_line_magic("sql", "SELECT 1 AS a")._repr_mimebundle_()
    assert "1 row" in bundle["text/plain"] and bundle[MIME_TYPE]["total_rows"] == 1


def test_unknown_table_names_near_matches(ip):
    ip.run_cell_magic("sql", "--save-table orders", "SELECT 1 AS id")
    (line,) = fails(ip, "SELECT 1;\nSELECT * FROM ordrs")
    assert line.startswith("QueryError:")
    assert "'orders'" in line and "(line 2, column 15)" in line


def test_missing_variable_is_one_clear_line(ip):
    (line,) = fails(ip, "SELECT $since AS s")
    assert "since" in line and line.startswith("NameError:")


def test_empty_cell_is_a_clear_message(ip):
    (line,) = fails(ip, "   \n  ")
    assert "no SQL" in line


def test_text_on_a_cell_magic_line_is_refused_with_or_without_options(ip):
    for magic_line in ("SELECT 2", "-o out SELECT 2"):
        (line,) = fails(ip, "SELECT 1", line=magic_line)
        assert line.startswith("UsageError") and "unexpected text" in line
        assert "SELECT 2" in line
    assert "out" not in ip.user_ns


def test_dataframe_with_unsupported_dtype_names_it(ip):
    ip.user_ns["waves"] = pd.DataFrame({"z": [1 + 2j]})
    (line,) = fails(ip, "SELECT * FROM waves")
    assert "'waves'" in line and "complex128" in line


def test_two_statements_show_the_last_and_keep_the_first(ip):
    result = ip.run_cell_magic("sql", "", "CREATE TABLE t AS SELECT 41 AS a;\nSELECT a + 1 AS b FROM t")
    assert result.df().b[0] == 42
    assert ip.run_line_magic("sql", "SELECT a FROM t").df().a[0] == 41


def test_mlwb_sql_returns_the_same_result_object(ip):
    import mlworkbench as mlwb
    from mlworkbench.notebook import SqlResult

    limit = 3
    result = mlwb.sql("SELECT range AS x FROM range(10) LIMIT $limit")
    assert isinstance(result, SqlResult) and len(result.df()) == 3


def test_interrupt_cancels_the_query_and_the_kernel_lives_on(ip, monkeypatch):
    import _thread
    import threading

    from mlworkbench.magics import run as magic_run

    # The interrupt comes once the query runs, as a user's would: fired after a fixed delay, it
    # could land before (opening the workspace on a busy machine) and end the test session.
    running = threading.Event()
    execute = magic_run.Runner._execute

    def noted(self, *args, **kwargs):
        running.set()
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(magic_run.Runner, "_execute", noted)

    def interrupt():
        if running.wait(60):
            time.sleep(0.3)
            _thread.interrupt_main()

    threading.Thread(target=interrupt, daemon=True).start()
    (line,) = fails(ip, "SELECT count(*) FROM range(100000000000) a, range(100) b")
    assert line.startswith("QueryCancelledError")
    assert ip.run_line_magic("sql", "SELECT 7 AS x").df().x[0] == 7


def test_load_ext_imports_no_sklearn_or_label_studio():
    code = (
        "import sys; from IPython.testing.globalipapp import start_ipython; "
        "ip = start_ipython(); ip.run_line_magic('load_ext', 'mlworkbench'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'label_studio_sdk')]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
