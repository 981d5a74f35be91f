"""`mlworkbench labels ...` against a real Label Studio server."""

from __future__ import annotations

from click.testing import CliRunner

from mlworkbench.cli import main
from mlworkbench.core.labeling.studio_config import choice_result


def run(tmp_path, *args):
    result = CliRunner().invoke(
        main, ["--workspace", str(tmp_path / ".mlworkbench"), "--root", str(tmp_path), *args],
        catch_exceptions=False)
    return result


def test_labels_connect_push_pull_and_list(tmp_path, ws, reviews, studio_env):
    ws.close()  # the CLI opens the workspace itself
    done = run(tmp_path, "labels", "connect", "reviews")
    assert done.exit_code == 0, done.output
    assert f"{studio_env.url}/projects/" in done.output
    done = run(tmp_path, "labels", "push", "reviews", "--batch-size", "8")
    assert done.exit_code == 0, done.output
    assert "Pushed 30 new tasks" in done.output
    assert "Pushed 0 new tasks" in run(tmp_path, "labels", "push", "reviews").output

    from label_studio_sdk import LabelStudio

    sdk = LabelStudio(base_url=studio_env.url, api_key=studio_env.token)
    project = next(p for p in sdk.projects.list() if p.title == "mlworkbench: reviews")
    task = next(iter(sdk.tasks.list(project=project.id)))
    sdk.annotations.create(id=task.id, result=choice_result(["zzz"]))
    done = run(tmp_path, "labels", "pull", "reviews")
    assert done.exit_code == 0, done.output
    assert "1 annotations, 1 new or changed labels" in done.output
    assert "1 with a label not in the set (kept, flagged)" in done.output
    listed = run(tmp_path, "labels", "list").output
    assert "reviews\t" in listed and f"project {project.id}" in listed


def test_labels_pull_with_a_wrong_key_says_so(tmp_path, ws, reviews, studio_env, monkeypatch):
    ws.close()
    assert run(tmp_path, "labels", "connect", "reviews").exit_code == 0
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "wrong-key-123456")
    done = run(tmp_path, "labels", "pull", "reviews")
    assert done.exit_code == 1
    assert "refused the API key" in done.output and "wrong-key-123456" not in done.output
