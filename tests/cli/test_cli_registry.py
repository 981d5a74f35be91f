"""``mlworkbench models`` as a user runs it, on a workspace with a real training run."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlworkbench.cli import main


@pytest.fixture(scope="module")
def home(tmp_path_factory, workspace_templates):
    """A workspace with one finished run: (its directory, the run's id)."""
    root = tmp_path_factory.mktemp("cli-registry")
    return root / "ws", workspace_templates.copy("churn", root / "ws")["run_id"]


def run(home, *args):
    return CliRunner().invoke(main, ["--workspace", str(home), *args], catch_exceptions=False)


def test_publish_promote_show_and_roll_back_from_the_shell(home, tmp_path):
    path, run_id = home
    assert "No models yet" in run(path, "models").output
    published = run(path, "models", "publish", str(run_id), "churn", "--description", "first")
    assert published.exit_code == 0, published.output
    assert published.output.startswith(f"Published churn v1 from run {run_id}")
    card = tmp_path / "card.md"
    card.write_text("# My churn model\n")
    assert run(path, "models", "publish", str(run_id), "churn", "--card",
               str(card)).exit_code == 0

    assert run(path, "models", "promote", "churn", "1", "production").output == (
        "churn@production -> v1\n")
    moved = run(path, "models", "promote", "churn", "v2", "production", "--gate",
                "balanced_accuracy >= 0")
    assert moved.output == "churn@production -> v2 (was v1)\n"
    refused = run(path, "models", "promote", "churn", "1", "production", "--gate",
                  "balanced_accuracy > 2")
    assert refused.exit_code == 2 and "'balanced_accuracy > 2' failed" in refused.output
    assert run(path, "models", "rollback", "churn", "production").output == (
        "churn@production -> v1 (rolled back from v2)\n")

    listed = run(path, "models", "list")
    assert [c.strip() for c in listed.output.splitlines()[2].split("|")][:4] == [
        "churn", "2", "2", "production=v1"]
    shown = run(path, "models", "show", "churn").output
    assert "alias history (newest first):" in shown and "REFUSED" in shown
    version = run(path, "models", "show", "churn", "--version", "2").output
    assert "input: usage (float), tenure (integer), plan (string)" in version
    assert "# My churn model" in version
    as_json = json.loads(run(path, "models", "show", "churn", "--json").output)
    assert [a["version"] for a in as_json["aliases"]] == [1]


def test_bad_input_exits_2_with_the_message(home):
    path, run_id = home
    bad = run(path, "models", "publish", str(run_id), "churn model")
    assert bad.exit_code == 2 and "A model name starts with a letter" in bad.output
    missing = run(path, "models", "show", "nothing")
    assert missing.exit_code == 2 and "No model named 'nothing'" in missing.output
    alias = run(path, "models", "rollback", "nothing", "production")
    assert alias.exit_code == 2
