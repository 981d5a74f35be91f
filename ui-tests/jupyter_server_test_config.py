"""The JupyterLab server the Galata tests drive: a fresh root with small data files and a
fresh workspace on every start. Never use this configuration outside tests.

- ``data/``: customers.csv (200 rows, ``cust_id``) and orders.parquet (2000 rows).
- ``data/labeling/``: reviews.csv (40 short reviews, ``id``) and photos.csv (``id``, ``path``,
  ``caption``: 4 small PNGs under images/ and one path that does not exist) for the labeler.
- label set ``shared_reviews`` (over reviews.csv) that alice and bob labeled before the server
  starts: they disagree on r01 and r02 and agree on r03.
- ``demo/``: the demo star schema (customers and products as CSV, orders and order_items as
  Parquet) at 2% of its size (200 customers, 1,200 orders), written by the demo's own generator.
  Tests register these files under names of their own (``demo_orders``...) so they never clash
  with ``data/``'s ``customers`` and ``orders``.
- a real Label Studio server (labelstudio_service.py) when ``.venv-labelstudio`` exists: its URL
  in ``c.MLWorkbench.label_studio_url`` at once, its token in ``$LABEL_STUDIO_API_KEY`` once it is
  up, both in ``$TMPDIR/mlworkbench-ui-labelstudio-<port>.json`` for labelstudio.spec.ts.
"""

import os
import struct
import zlib
from pathlib import Path
from tempfile import mkdtemp

import duckdb
from jupyterlab.galata import configure_jupyter_server

from mlworkbench.core import Workspace
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


def _png(path: Path, rgb: tuple[int, int, int], size: int = 48) -> None:
    """A plain square PNG of one colour (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


labeling = data / "labeling"
(labeling / "images").mkdir(parents=True)
moods = ["great, would buy again", "broke after a day", "it is a chair", "love the colour",
         "arrived late and scratched"]  # fmt: skip
(labeling / "reviews.csv").write_text(
    "id,text,stars\n"
    + "".join(f'r{i:02d},"Review {i}: {moods[i % 5]}",{1 + i % 5}\n' for i in range(1, 41))
)
colours = {"red": (200, 40, 40), "green": (40, 160, 60), "blue": (40, 80, 200), "grey": (128, 128, 128)}
for colour, rgb in colours.items():
    _png(labeling / "images" / f"{colour}.png", rgb)
(labeling / "photos.csv").write_text(
    "id,path,caption\n"
    + "".join(f"p{i},data/labeling/images/{c}.png,a {c} square\n" for i, c in enumerate(colours, 1))
    + "p5,data/labeling/images/gone.png,a photo whose file is missing\n"
)
star_schema(root / "demo", scale=0.02)
os.environ["JUPYTERLAB_GALATA_ROOT_DIR"] = str(root)
os.environ["MLWORKBENCH_HOME"] = str(root / ".mlworkbench")

ws = Workspace.open(root / ".mlworkbench", root_dir=root)
shared = ws.labels.create(
    "shared_reviews",
    f"SELECT id, text FROM read_csv('{labeling / 'reviews.csv'}')",
    key="id",
    choices=["pos", "neg", "neutral"],
)
for key, alice, bob in [("r01", "pos", "neg"), ("r02", "neutral", "pos"), ("r03", "pos", "pos")]:
    shared.record(key, [alice], annotator="alice")
    shared.record(key, [bob], annotator="bob")
ws.close()

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.port = int(os.environ.get("UI_TEST_PORT", "18931"))  # noqa: F821
c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.root_dir = str(root)  # noqa: F821
c.ServerApp.jpserver_extensions = {"mlworkbench": True}  # noqa: F821

# A real Label Studio server for labelstudio.spec.ts when `make labelstudio` installed it
# (UI_TEST_LABEL_STUDIO=0 skips it); stopped with this server (labelstudio_service.py).
import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labelstudio_service import start as start_label_studio  # noqa: E402

start_label_studio(c, c.ServerApp.port)  # noqa: F821
