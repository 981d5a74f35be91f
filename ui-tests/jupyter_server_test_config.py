"""The JupyterLab server the Galata tests drive: a fresh root with small data files and a
fresh workspace on every start. Never use this configuration outside tests.

- ``data/``: customers.csv (200 rows, ``cust_id``) and orders.parquet (2000 rows).
- ``demo/``: the demo star schema (customers and products as CSV, orders and order_items as
  Parquet) at 2% of its size (200 customers, 1,200 orders), written by the demo's own generator.
  Tests register these files under names of their own (``demo_orders``...) so they never clash
  with ``data/``'s ``customers`` and ``orders``.
"""

import os
from pathlib import Path
from tempfile import mkdtemp

import duckdb
from jupyterlab.galata import configure_jupyter_server

from mlworkbench.demo.star_schema import star_schema

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
star_schema(root / "demo", scale=0.02)
os.environ["JUPYTERLAB_GALATA_ROOT_DIR"] = str(root)
os.environ["MLWORKBENCH_HOME"] = str(root / ".mlworkbench")

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.port = int(os.environ.get("UI_TEST_PORT", "18931"))  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.root_dir = str(root)  # noqa: F821
c.ServerApp.jpserver_extensions = {"mlworkbench": True}  # noqa: F821
