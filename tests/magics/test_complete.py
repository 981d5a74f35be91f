"""Completion in %%sql cells: in a real IPython shell and through real kernels."""

import json
import os
import subprocess
import sys
import time
import warnings

import pandas as pd
import pytest
from IPython.core.completer import provisionalcompleter

from mlworkbench.core import Workspace
from mlworkbench.magics.complete import aliases, in_string_or_comment, key, sql_at_cursor

TIMEOUT = 60
ORDERS = "SELECT range AS order_id, range % 3 AS customer_id, 1.5 AS amount FROM range(3)"
CUSTOMERS = "SELECT range AS customer_id, 'x' AS name FROM range(3)"


def completions(ip, cell, cursor=None):
    """What the shell offers at ``cursor`` (default: the end), as {text: type}."""
    cursor = len(cell) if cursor is None else cursor
    with provisionalcompleter(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {c.text: c.type for c in ip.Completer.completions(cell, cursor)}


@pytest.fixture
def shop(ip, tmp_path):
    """A workspace with ``orders`` and ``customers`` tables."""
    with Workspace.open(tmp_path / "ws") as ws:
        ws.tables.save_query("orders", ORDERS)
        ws.tables.save_query("customers", CUSTOMERS)
    return ip


def test_a_column_of_a_table_the_cell_reads_is_offered(shop):
    found = completions(shop, "%%sql\nSELECT cust FROM orders", len("%%sql\nSELECT cust"))
    assert found == {"customer_id": "column", "customers": "table"}
    assert list(found)[0] == "customer_id"  # the columns of what the cell reads come first


def test_columns_after_an_alias_are_that_tables_only(shop):
    cell = "%%sql\nSELECT o. FROM orders o JOIN customers AS c USING (customer_id)"
    found = completions(shop, cell, len("%%sql\nSELECT o."))
    assert found == {"order_id": "column", "customer_id": "column", "amount": "column"}
    cell = "%%sql\nSELECT c.n FROM orders o JOIN customers AS c USING (customer_id)"
    assert completions(shop, cell, len("%%sql\nSELECT c.n")) == {"name": "column"}


def test_tables_named_queries_dataframes_and_keywords_are_offered(shop):
    shop.run_cell_magic("sql", "--name big_orders", "SELECT * FROM orders WHERE amount > 1")
    shop.user_ns["people"] = pd.DataFrame({"person_id": [1]})
    found = completions(shop, "%%sql\nSELECT * FROM ")
    assert {"orders", "customers", "big_orders", "people"} <= set(found)
    assert found["people"] == "table" and found["SELECT"] == "keyword"
    found = completions(shop, "%%sql\nSELECT person FROM people", len("%%sql\nSELECT person"))
    assert found == {"person_id": "column"}
    assert completions(shop, "%%sql\nSELECT * FROM people p WHERE p.per") == {
        "person_id": "column"
    }
    assert completions(shop, "%%sql\nSELECT * FROM big_orders b WHERE b.am") == {
        "amount": "column"
    }


def test_keywords_follow_the_case_typed(shop):
    assert "select" in completions(shop, "%%sql\nsel")
    assert "SELECT" in completions(shop, "%%sql\nSEL")


def test_dollar_offers_python_variables(shop):
    shop.user_ns["since"] = "2024-01-01"
    shop.user_ns["size"] = 3
    found = completions(shop, "%%sql\nSELECT * FROM orders WHERE order_id > $si")
    assert found == {"since": "variable", "size": "variable"}


def test_python_names_stay_out_of_sql(shop):
    shop.user_ns["customer_total"] = 1
    found = completions(shop, "%%sql\nSELECT cust FROM orders", len("%%sql\nSELECT cust"))
    assert "customer_total" not in found
    assert "%%sql" not in completions(shop, "%%sql\nSELECT * FROM orders WHERE order_id %")


def test_a_line_magic_completes_sql_after_sql(shop):
    found = completions(shop, "x = %sql SELECT cust FROM orders", 20)
    assert found == {"customer_id": "column", "customers": "table"}


def test_python_completion_is_untouched_outside_sql(shop):
    shop.user_ns["customer_total"] = 1
    assert "customer_total" in completions(shop, "custom")
    assert "os" in completions(shop, "import o")
    # The magic line itself still completes as IPython does.
    assert "%%sql" in completions(shop, "%%sq")


def test_a_broken_workspace_gives_keywords_not_a_traceback(ip, tmp_path, capsys):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "workbench.db").write_text("not a database")
    found = completions(ip, "%%sql\nSEL")
    assert found == {"SELECT": "keyword"}
    assert "Traceback" not in capsys.readouterr().err


def test_the_catalog_is_read_again_only_when_it_changes(shop, tmp_path, monkeypatch):
    from mlworkbench.notebook import runner

    completions(shop, "%%sql\nSELECT * FROM ")
    calls = []
    original = type(runner().ws.catalog).names
    monkeypatch.setattr(
        type(runner().ws.catalog), "names", lambda self: calls.append(1) or original(self)
    )
    completions(shop, "%%sql\nSELECT * FROM ")
    assert calls == []
    with Workspace.open(tmp_path / "ws") as other:  # another process adds a table
        other.tables.save_query("refunds", "SELECT 1 AS refund_id")
    assert "refunds" in completions(shop, "%%sql\nSELECT * FROM ref")
    assert calls == [1]


def test_sql_at_cursor_knows_where_sql_is():
    assert sql_at_cursor("%%sql -o x\nSELECT 1", 1, 3) == ("SELECT 1", "SEL")
    assert sql_at_cursor("%%sql -o x\nSELECT 1", 0, 5) is None
    assert sql_at_cursor("df = %sql SELECT a", 0, 18) == (" SELECT a", " SELECT a")
    assert sql_at_cursor("print('%sql')", 0, 10) is None
    assert sql_at_cursor("x = 1\n%%sql", 1, 5) is None
    assert sql_at_cursor("%%sqlite\nSELECT 1", 1, 3) is None


def test_aliases_and_keys():
    sql = 'SELECT * FROM orders o JOIN "My Data" AS d ON true, customers c WHERE 1'
    assert aliases(sql) == {"o": "orders", "d": "my data", "c": "customers"}
    assert aliases("SELECT * FROM orders WHERE x") == {}
    assert key('Shop."Customers"') == "shop.customers"
    assert in_string_or_comment("SELECT 'ab") and in_string_or_comment("SELECT 1 -- x")
    assert not in_string_or_comment("SELECT 'a' || b")


COLD_KERNEL = """
import json, sys, time
from IPython.core.completer import provisionalcompleter
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
started = time.perf_counter()
ip.run_line_magic("load_ext", "mlworkbench")
loaded = time.perf_counter()
out = {"load": loaded - started, "imported": "duckdb" in sys.modules or "pandas" in sys.modules}
cell = "%%sql\\nSELECT * FROM ord"
with provisionalcompleter():
    out["first"] = [c.text for c in ip.Completer.completions(cell, len(cell))]
    out["first_seconds"] = time.perf_counter() - loaded
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        out["later"] = [c.text for c in ip.Completer.completions(cell, len(cell))]
        if "orders" in out["later"]:
            break
        time.sleep(0.1)
print(json.dumps(out))
"""


def test_loading_is_cheap_and_the_first_completion_is_quick(shop, tmp_path):
    env = {**os.environ, "MLWORKBENCH_HOME": str(tmp_path / "ws")}
    run = subprocess.run([sys.executable, "-c", COLD_KERNEL], capture_output=True, text=True,
                         check=True, env=env, cwd=tmp_path)
    out = json.loads(run.stdout.splitlines()[-1])
    assert out["load"] < 0.3 and not out["imported"]  # no DuckDB, no pandas at %load_ext
    # JupyterLab drops replies slower than 1 s: a cold kernel answers at once (with keywords
    # only, unless the core's import is done by then)...
    assert out["first_seconds"] < 1.0 and "order by" in out["first"]
    # ... and with the workspace's tables once the core is imported.
    assert out["later"] == ["orders", "order by"]


# Through real kernels: JupyterLab sends the whole cell and the cursor offset.

jupyter_client = pytest.importorskip("jupyter_client")


@pytest.fixture(scope="module", params=["experimental", "line-based"])
def kernel(request, tmp_path_factory):
    """A python3 kernel on a workspace with ``orders``; ipykernel's two completion paths."""
    root = tmp_path_factory.mktemp("complete")
    with Workspace.open(root / "ws") as ws:
        ws.tables.save_query("orders", ORDERS)
        ws.tables.save_query("customers", CUSTOMERS)
    env = {**os.environ, "MLWORKBENCH_HOME": str(root / "ws")}
    extra = [] if request.param == "experimental" else [
        "--IPythonKernel.use_experimental_completions=False"
    ]
    manager = jupyter_client.KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(root), env=env, extra_arguments=extra)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        code = "%load_ext mlworkbench\nimport pandas as pd\npeople = pd.DataFrame({'person_id': [1]})"
        assert client.execute_interactive(code, timeout=TIMEOUT)["content"]["status"] == "ok"
        warm_up(client)
        client.mode = request.param
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def warm_up(client):
    """Tab until the workspace's names come (the first completion starts importing the core)."""
    deadline = time.monotonic() + TIMEOUT
    while "orders" not in complete(client, "%%sql\nSELECT * FROM ord")["matches"]:
        assert time.monotonic() < deadline, "the workspace's names never came"
        time.sleep(0.2)


def complete(client, code, cursor=None):
    """The kernel's complete_reply content."""
    cursor = len(code) if cursor is None else cursor
    reply = client.complete(code, cursor, reply=True, timeout=TIMEOUT)
    assert reply["content"]["status"] == "ok"
    return reply["content"]


def test_the_kernel_offers_the_column_after_select_cust(kernel):
    cell = "%%sql\nSELECT cust\nFROM orders"
    reply = complete(kernel, cell, len("%%sql\nSELECT cust"))
    assert reply["matches"] == ["customer_id", "customers"]
    assert cell[reply["cursor_start"]:reply["cursor_end"]] == "cust"


def test_the_kernel_offers_only_the_aliased_tables_columns(kernel):
    cell = "%%sql\nSELECT o.\nFROM orders o JOIN customers c USING (customer_id)"
    reply = complete(kernel, cell, len("%%sql\nSELECT o."))
    assert reply["matches"] == ["order_id", "customer_id", "amount"]


def test_the_kernel_offers_dataframe_variables(kernel):
    assert "people" in complete(kernel, "%%sql\nSELECT * FROM pe")["matches"]


def test_the_kernel_completes_at_the_very_end_of_a_cell(kernel):
    reply = complete(kernel, "%%sql\nSELECT * FROM orders\nWHERE amo")
    assert reply["matches"] == ["amount"]
    assert reply["cursor_end"] - reply["cursor_start"] == 3


def test_the_kernel_still_completes_python_outside_sql(kernel):
    assert "os" in complete(kernel, "import o")["matches"]
    if kernel.mode == "experimental":  # the line-based path never offers Jedi's names
        assert "people" in complete(kernel, "x = 1\npeo")["matches"]
