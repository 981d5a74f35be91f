"""mlwb.schedule / mlwb.jobs / mlwb.job / mlwb.job_parameters in a real IPython shell: a saved
job fires at the times its schedule says, pause/resume/update change what is stored, bad input
raises the core's errors with what to fix and saves nothing; one real papermill run_now."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import mlworkbench as mlwb
from mlworkbench import notebook
from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.core.jobs import JobParameterError, KernelNotFoundError
from mlworkbench.core.jobs.schedule import ScheduleError
from tests.jobs.test_jobs_run import WAIT, write_notebook

pytest.importorskip("papermill")

REPORT = "import mlworkbench as mlwb\nmlwb.record('n_twice', n * 2)"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """A real IPython shell whose ``mlwb`` opens a fresh workspace in ``tmp_path``, which holds
    report.ipynb (parameters ``since: str`` and ``n: int``)."""
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / ".mlworkbench"))
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path / "report.ipynb", REPORT,
                   parameters='since = "2020-01-01"  # first day of the report\nn = 1')
    start_ipython() or get_ipython()
    notebook._runner = None
    ipython = get_ipython()
    ipython.user_ns.update(mlwb=mlwb)
    yield ipython
    if notebook._runner is not None and notebook._runner._ws is not None:
        notebook._runner.ws.close()
    notebook._runner = None


def _cell(shell, code: str):
    result = shell.run_cell(code)
    result.raise_error()
    return result.result


def _html(shell, value) -> str:
    """What a JupyterLab kernel shows (the terminal shell's HTML formatter is off)."""
    formatter = shell.display_formatter.formatters["text/html"]
    enabled, formatter.enabled = formatter.enabled, True
    try:
        return formatter(value)
    finally:
        formatter.enabled = enabled


def test_schedule_saves_a_job_that_fires_at_the_times_its_schedule_says(shell):
    job = _cell(shell, "mlwb.schedule('report.ipynb', 'daily at 06:00', "
                       "timezone='Europe/Paris', n=3)")
    assert job.name == "report"  # the notebook's stem
    assert job.parameters == {"n": 3} and not job.paused
    times = job.next_fire_times
    assert len(times) == 5
    local = [t.astimezone(PARIS) for t in times]
    assert all((t.hour, t.minute) == (6, 0) for t in local)
    assert all(b.date() - a.date() == timedelta(days=1) for a, b in zip(local, local[1:]))
    shown = _html(shell, job)
    assert "At 06:00 every day" in shown and "Europe/Paris" in shown
    assert f"{local[0]:%Y-%m-%d} 06:00" in shown and "none yet" in shown
    assert "<code>n</code> = 3" in shown and "paused" not in shown
    assert "var(--jp-" in shown  # themed by JupyterLab's variables, dark or light

    listed = _cell(shell, "mlwb.jobs()")
    row = listed.loc["report"]
    assert (row["notebook"], row["schedule"], row["timezone"]) == \
        ("report.ipynb", "daily at 06:00", "Europe/Paris")
    assert row["description"] == "At 06:00 every day" and not row["paused"]
    assert row["next_run"] == times[0] and row["last_run_status"] is None


def test_pause_resume_and_update_change_the_stored_job(shell):
    job = mlwb.schedule("report.ipynb", "hourly at :15", name="hourly report")
    assert job.pause() is job and job.paused
    reopened = mlwb.job("hourly report")
    assert reopened.paused and reopened.next_fire_times == []
    assert bool(mlwb.jobs().loc["hourly report", "paused"])
    assert "paused" in _html(shell, reopened) and ".resume()" in _html(shell, reopened)
    job.resume()
    reopened.refresh()
    assert not reopened.paused and all(t.minute == 15 for t in reopened.next_fire_times)

    job.update(schedule="weekly on mon,thu at 18:30", timezone="Europe/Paris", n=5,
               since="2026-01-01", retries=2)
    stored = mlwb.job("hourly report")
    assert stored.schedule == "weekly on mon,thu at 18:30" and stored.retries == 2
    assert stored.parameters == {"n": 5, "since": "2026-01-01"}
    local = [t.astimezone(PARIS) for t in stored.next_fire_times]
    assert {t.strftime("%a %H:%M") for t in local} == {"Mon 18:30", "Thu 18:30"}
    stored.update(n=6)  # a parameter alone: the others stay
    assert mlwb.job("hourly report").parameters == {"n": 6, "since": "2026-01-01"}

    with pytest.raises(BadRequestError, match="Unknown timezone 'Mars/Olympus'"):
        stored.update(timezone="Mars/Olympus", n=7)
    assert mlwb.job("hourly report").timezone == "Europe/Paris"  # nothing changed
    assert mlwb.job("hourly report").parameters["n"] == 6


def test_a_taken_name_says_how_to_change_the_job_instead(shell):
    mlwb.schedule("report.ipynb", "daily")
    with pytest.raises(ConflictError) as taken:
        mlwb.schedule("report.ipynb", "hourly")
    assert "A job named 'report' exists" in taken.value.message
    assert "mlwb.jobs()" in taken.value.message
    assert "mlwb.job('report').update(" in taken.value.message
    assert mlwb.job("report").schedule == "daily"
    assert mlwb.job("report").runs().empty  # saved, never run
    with pytest.raises(NotFoundError, match="No job named 'nightly'"):
        mlwb.job_runs(job="nightly")


def test_bad_input_raises_what_to_fix_and_saves_nothing(shell):
    failed = shell.run_cell("mlwb.schedule('report.ipynb', '0 6 * *')")
    assert isinstance(failed.error_in_exec, ScheduleError)
    assert "read 4 field(s): minute '0', hour '6', day of month '*', month '*'" \
        in failed.error_in_exec.message
    with pytest.raises(ScheduleError, match=r"Could not read cron '61 \* \* \* \*'.*minute '61'"):
        mlwb.schedule("report.ipynb", "61 * * * *")
    with pytest.raises(BadRequestError, match="Unknown timezone 'Mars/Olympus'") as zone:
        mlwb.schedule("report.ipynb", "daily", timezone="Mars/Olympus")
    assert zone.value.field == "timezone"
    with pytest.raises(JobParameterError, match="no parameter 'sinse'.*since, n"):
        mlwb.schedule("report.ipynb", "daily", sinse="2026-01-01")
    with pytest.raises(JobParameterError, match="'n' expects a whole number"):
        mlwb.schedule("report.ipynb", "daily", n="many")
    with pytest.raises(NotFoundError, match="No notebook 'nope.ipynb'"):
        mlwb.schedule("nope.ipynb", "daily")
    with pytest.raises(KernelNotFoundError, match="No Jupyter kernel named 'cobol'"):
        mlwb.schedule("report.ipynb", "daily", kernel="cobol")
    with pytest.raises(BadRequestError, match="overlap must be one of skip, queue"):
        mlwb.schedule("report.ipynb", "daily", overlap="pile up")
    assert mlwb.jobs().empty
    with pytest.raises(NotFoundError, match="No job named 'report'"):
        mlwb.job("report")


def test_job_parameters_lists_what_the_parameter_form_shows(shell):
    declared = _cell(shell, "mlwb.job_parameters('report.ipynb')")
    assert list(declared.columns) == ["name", "type", "default", "help"]
    assert declared.to_dict("records") == [
        {"name": "since", "type": "str", "default": '"2020-01-01"',
         "help": "first day of the report"},
        {"name": "n", "type": "int", "default": "1", "help": ""}]
    with pytest.raises(NotFoundError):
        mlwb.job_parameters("nope.ipynb")


def test_a_job_without_schedule_then_run_now_and_delete(shell):
    job = mlwb.schedule("report.ipynb", None, name="adhoc", n=2)
    assert job.next_fire_times == [] and "runs only when started" in _html(shell, job)
    run = _cell(shell, "mlwb.job('adhoc').run_now(n=7)")  # waits by default
    run = run.wait(timeout=WAIT)
    assert run.status == "succeeded", run.log()
    assert run.parameters == {"n": 7} and run.values == {"n_twice": 14}
    assert run.job_id == job.id
    assert list(job.runs().index) == [run.run_id]
    assert mlwb.jobs().loc["adhoc", "last_run_status"] == "succeeded"
    shown = _html(shell, job.refresh())
    assert f"mlwb.job_run({run.run_id})" in shown and "succeeded" in shown
    assert mlwb.job("adhoc").parameters == {"n": 2}  # the override was for that run only

    job.delete()
    assert "deleted" in repr(job)
    with pytest.raises(NotFoundError, match="No job named 'adhoc'"):
        mlwb.job("adhoc")
    assert mlwb.job_run(run.run_id).status == "succeeded"  # its runs stay
