"""The jobs demo: seeding into a workspace writes a parameterised notebook over the demo data and
saves a daily job on it; the notebook runs as a real job and records its values."""

import datetime as dt

import pytest

from mlworkbench.core.workspace.workspace import Workspace
from mlworkbench.demo import seed
from mlworkbench.demo.jobs import JOB_NAME, NOTEBOOK

pytest.importorskip("papermill")
SCALE = 0.01
WAIT = 300  # seconds a run may take on a busy machine (not asserted)


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path)
    yield ws
    ws.close()


def test_seeding_saves_a_daily_job_on_a_notebook_with_typed_parameters(workspace, tmp_path):
    done = seed(tmp_path, workspace, scale=SCALE)
    assert NOTEBOOK in done and f"job:{JOB_NAME}" in done
    types = {p.name: p.type for p in workspace.jobs.parameters(NOTEBOOK)}
    assert types == {"since": "date", "channel": "str", "top": "int", "min_revenue": "float",
                     "include_returns": "bool"}
    [job] = workspace.jobs.definitions.list()
    assert (job.name, job.notebook, job.paused, job.timezone) == (JOB_NAME, NOTEBOOK, False,
                                                                 "UTC")
    assert [t.strftime("%H:%M") for t in job.next_fire_times] == ["07:00"] * 5
    # Seeding again keeps the notebook (and the user's edits to it) and the job.
    (tmp_path / NOTEBOOK).write_text((tmp_path / NOTEBOOK).read_text().replace("top = 5",
                                                                               "top = 7"))
    assert seed(tmp_path, workspace, scale=SCALE) == []
    assert "top = 7" in (tmp_path / NOTEBOOK).read_text()
    assert len(workspace.jobs.definitions.list()) == 1


def test_the_demo_notebook_runs_as_a_job_and_records_its_values(workspace, tmp_path):
    seed(tmp_path, workspace, scale=SCALE)
    run_id = workspace.jobs.definitions.run_now(
        JOB_NAME, parameters={"channel": "mobile", "since": "2022-01-01", "min_revenue": "0",
                              "top": "3", "include_returns": "true"})
    run = workspace.jobs.wait(run_id, timeout=WAIT)
    assert run.status == "succeeded", run.log()
    expected = workspace.query(
        "SELECT c.customer_id, sum(i.quantity * i.unit_price * (1 - i.discount)) AS revenue "
        "FROM orders o JOIN order_items i USING (order_id) JOIN customers c USING (customer_id) "
        "WHERE o.channel = 'mobile' AND o.ordered_at >= DATE '2022-01-01' AND "
        "o.status IN ('delivered', 'shipped', 'returned') GROUP BY ALL "
        "ORDER BY revenue DESC LIMIT 3")
    assert run.values["customers"] == len(expected) == 3
    assert run.values["revenue"] == pytest.approx(float(expected.revenue.round(2).sum()))
    assert f"3 mobile customers since {dt.date(2022, 1, 1)}" in run.log()
