"""Seeding into a real workspace: registration, idempotence, the welcome query, the CLI."""

import subprocess
import sys
from pathlib import Path

import pytest

from mlworkbench.demo import seed
from mlworkbench.schemas import RegisterSourceRequest

try:
    from mlworkbench.core.workspace.workspace import Workspace
except ImportError:  # the core is written in parallel; these tests wait for it
    pytest.skip("mlworkbench.core.Workspace is not there yet", allow_module_level=True)

SCALE = 0.01
NAMES = {"customers", "products", "orders", "order_items", "breast_cancer", "wine", "diabetes"}


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path)
    yield ws
    ws.close()


def source_names(ws) -> set[str]:
    return {s.name for s in ws.catalog.describe().sources}


def test_seeding_into_a_workspace_registers_every_file_once(workspace, tmp_path):
    done = seed(tmp_path, workspace, scale=SCALE)
    assert {d.removeprefix("source:") for d in done if d.startswith("source:")} == NAMES
    assert source_names(workspace) == NAMES
    assert seed(tmp_path, workspace, scale=SCALE) == []
    assert source_names(workspace) == NAMES


def test_a_source_name_the_user_already_has_is_left_alone(workspace, tmp_path):
    (tmp_path / "mine.csv").write_text("order_id,note\n1,mine\n")
    workspace.catalog.register_source(RegisterSourceRequest(path="mine.csv", name="orders"))
    done = seed(tmp_path, workspace, scale=SCALE)
    assert "source:orders" not in done
    orders = next(s for s in workspace.catalog.describe().sources if s.name == "orders")
    assert orders.path.endswith("mine.csv")


def test_the_welcome_query_joins_csv_customers_with_parquet_orders(workspace, tmp_path):
    seed(tmp_path, workspace, scale=SCALE)
    sql = (tmp_path / "welcome.sql").read_text()
    frame = workspace.query(sql)
    assert len(frame) > 0
    assert {"customer", "city", "orders"} <= set(frame.columns)


def test_the_command_line_seeds_registers_and_then_has_nothing_to_do(tmp_path):
    command = [sys.executable, "-m", "mlworkbench.demo", str(tmp_path), "--scale", str(SCALE)]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "registered source customers" in first.stdout
    assert (tmp_path / ".mlworkbench").is_dir()
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "Nothing to do" in second.stdout
    assert Path(tmp_path / "data" / "orders.parquet").exists()
