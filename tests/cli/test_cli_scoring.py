"""``mlworkbench score`` as a user runs it, with a model trained and published for real."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlworkbench.cli import main
from mlworkbench.core import Workspace


@pytest.fixture(scope="module")
def home(tmp_path_factory, workspace_templates):
    """A workspace with 'churn' published (v1, aliased production): its directory."""
    root = tmp_path_factory.mktemp("cli-scoring")
    run_id = workspace_templates.copy("churn", root / "ws")["run_id"]
    with Workspace.open(root / "ws", root_dir=root) as ws:
        ws.registry.publish(run_id, "churn")
        ws.registry.set_alias("churn", "production", 1)
    return root / "ws"


def run(home, *args):
    return CliRunner().invoke(main, ["--workspace", str(home), *args], catch_exceptions=False)


def test_score_writes_a_new_table_version_each_run(home, tmp_path):
    done = run(home, "score", "SELECT * FROM churn", "churn@production", "--into", "scored")
    assert done.exit_code == 0, done.output
    assert done.stdout == "Scored 240 rows with churn v1 into scored (version 1).\n"
    query = tmp_path / "q.sql"
    query.write_text("SELECT * FROM churn WHERE tenure < $t")
    again = run(home, "score", "-f", str(query), "churn@1", "--into", "scored", "-p", "t=50",
                "--column", "guess", "--probabilities", "--json")
    assert again.exit_code == 0, again.output
    answer = json.loads(again.stdout)
    assert answer["table"]["version"] == 2 and answer["column"] == "guess"
    assert "sha256" in answer["lineage"]
    with Workspace.open(home) as ws:
        got = ws.query("SELECT count(*) AS n, max(tenure) AS t, count(guess_yes) AS p "
                       "FROM scored")
        assert got.values.tolist() == [[answer["rows"], 49, answer["rows"]]]


def test_score_bad_input_prints_the_message_and_exits_2(home):
    unknown = run(home, "score", "SELECT * FROM churn", "nope", "--into", "x")
    assert unknown.exit_code == 2 and "No model named 'nope'" in unknown.output
    missing = run(home, "score", "SELECT plan FROM churn", "churn", "--into", "x")
    assert missing.exit_code == 2 and "tenure" in missing.output
