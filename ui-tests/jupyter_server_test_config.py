"""The JupyterLab server the Galata tests drive: a fresh root with small data files and a
fresh workspace on every start. Never use this configuration outside tests."""

import os
from pathlib import Path
from tempfile import mkdtemp

import duckdb
from jupyterlab.galata import configure_jupyter_server

root = Path(mkdtemp(prefix="mlworkbench-ui-"))
data = root / "data"
data.mkdir()
con = duckdb.connect()
con.execute(
    f"""COPY (SELECT i AS cust_id, 'Customer ' || i AS name,
                     ['north', 'south', 'east', 'west'][1 + i % 4] AS region
              FROM range(1, 201) t(i)) TO '{data / "customers.csv"}' (HEADER)"""
)
con.execute(
    f"""COPY (SELECT i AS order_id, 1 + i % 200 AS cust_id, round((i * 37 % 1000) / 7.0, 2) AS amount
              FROM range(1, 2001) t(i)) TO '{data / "orders.parquet"}' (FORMAT parquet)"""
)
con.close()
os.environ["JUPYTERLAB_GALATA_ROOT_DIR"] = str(root)
os.environ["MLWORKBENCH_HOME"] = str(root / ".mlworkbench")

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.port = int(os.environ.get("UI_TEST_PORT", "18931"))  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.root_dir = str(root)  # noqa: F821
c.ServerApp.jpserver_extensions = {"mlworkbench": True}  # noqa: F821
