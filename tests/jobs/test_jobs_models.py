"""Models inside notebook jobs: a scheduled notebook scores with predict() in a %%sql cell and
publishes a model it trains, on the workspace the job shares with the server (real papermill
kernels, a real training run copied from the session's template)."""

from __future__ import annotations

import pytest

from mlworkbench.core import Workspace

from .test_jobs_run import WAIT, write_notebook

pytest.importorskip("papermill")


def test_a_job_scores_with_predict_in_sql_and_trains_and_publishes(tmp_path, workspace_templates):
    run_id = workspace_templates.copy("churn", tmp_path / ".mlworkbench")["run_id"]
    with Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path) as ws:
        ws.registry.publish(run_id, "churn")
        ws.registry.set_alias("churn", "production", 1)
        want = ws.registry.load("churn@production").predict(
            ws.query("SELECT * FROM churn WHERE tenure > $least", {"least": 50})).tolist()
        write_notebook(
            tmp_path / "nightly.ipynb", "%load_ext mlworkbench",
            "%%sql -o scored\nSELECT predict('churn@production', *) AS p FROM churn\n"
            "WHERE tenure > $least",
            "import mlworkbench as mlwb\n"
            "mlwb.record('predicted', scored.p.tolist())\n"
            "run = mlwb.train('SELECT usage, tenure, churned FROM churn', target='churned',\n"
            "                 budget='2s')\n"
            "mlwb.record('published', mlwb.publish(run, 'nightly').ref)",
            parameters="least = 0",
        )
        job = ws.jobs.wait(ws.jobs.run("nightly.ipynb", {"least": "50"}), timeout=WAIT)
        assert job.status == "succeeded", job.log()
        assert job.values["predicted"] == want and len(want) > 10
        assert job.values["published"] == "nightly@1"
        # Published by the job's kernel, seen by this process: one workspace, many processes.
        assert ws.registry.load("nightly@1").signature.names == ["usage", "tenure"]
