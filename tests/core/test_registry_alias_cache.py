"""The prediction service keeps resolved references, and still sees an alias move at once: in
this process, from a second Workspace object, and from another process. Real workspace, real
SQLite, a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.serving.service import PredictionService

BODY = json.dumps({"dataframe_records": [{"usage": 9.5, "tenure": 90, "plan": "pro"}]}).encode()


@pytest.fixture
def published(tmp_path, workspace_templates):
    run_id = workspace_templates.copy("churn", tmp_path / ".mlworkbench")["run_id"]
    workspace = Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path,
                               memory_limit="1GB")
    workspace.registry.publish(run_id, "churn")
    workspace.registry.publish(run_id, "churn")
    workspace.registry.set_alias("churn", "production", 1)
    yield tmp_path, workspace
    workspace.close()


def version(service: PredictionService) -> int:
    return service.predict("churn@production", BODY, "application/json")["version"]


def test_an_alias_moved_here_elsewhere_or_by_another_process_is_seen(published):
    root, workspace = published
    service = PredictionService(workspace)
    assert version(service) == 1 and version(service) == 1  # the second from the cache
    workspace.registry.set_alias("churn", "production", 2)
    assert version(service) == 2
    other = Workspace.open(root / ".mlworkbench", root_dir=root, memory_limit="1GB")
    try:
        other.registry.set_alias("churn", "production", 1)
    finally:
        other.close()
    assert version(service) == 1
    script = ("import sys; from pathlib import Path; from mlworkbench.core import Workspace; "
              "root = Path(sys.argv[1]); "
              "ws = Workspace.open(root / '.mlworkbench', root_dir=root, memory_limit='1GB'); "
              "ws.registry.set_alias('churn', 'production', 2); ws.close()")
    subprocess.run([sys.executable, "-c", script, str(root)], check=True, timeout=120)
    assert version(service) == 2


def test_a_new_version_is_the_newest_at_once(published, workspace_templates):
    root, workspace = published
    service = PredictionService(workspace)
    assert service.predict("churn", BODY, "application/json")["version"] == 2
    run_id = workspace_templates.facts("churn")["run_id"]
    workspace.registry.publish(run_id, "churn")
    assert service.predict("churn", BODY, "application/json")["version"] == 3
