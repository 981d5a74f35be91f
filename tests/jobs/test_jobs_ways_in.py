"""The notebook and shell ways in: mlwb.run / mlwb.job_runs in a real IPython shell, and
``mlworkbench run`` / ``mlworkbench jobs`` through the click command."""

import json

import pytest
from click.testing import CliRunner
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

import mlworkbench as mlwb
from mlworkbench import notebook
from mlworkbench.cli import main
from mlworkbench.core.jobs import JobParameterError
from tests.jobs.test_jobs_run import WAIT, write_notebook

pytest.importorskip("papermill")

REPORT = ("import mlworkbench as mlwb\nprint('report since', since, 'n', n)\n"
          "mlwb.record('n_twice', n * 2)")


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWORKBENCH_HOME", str(tmp_path / ".mlworkbench"))
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path / "report.ipynb", REPORT, parameters='since = "2020-01-01"\nn = 1')
    return tmp_path


def _cli(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_run_from_the_shell_with_unquoted_text_then_list_show_and_params(root):
    done = _cli("run", "report.ipynb", "-p", "since", "2026-01-01", "-p", "n", "4", "--wait",
                "--json")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["status"] == "succeeded"
    assert run["parameters"] == {"since": "2026-01-01", "n": 4}
    assert run["values"] == {"n_twice": 8}
    listed = _cli("jobs", "runs").stdout
    assert f"{run['id']}\tsucceeded\t" in listed
    shown = _cli("jobs", "show", str(run["id"]), "--log").stdout
    assert "value\tn_twice = 8" in shown and "report since 2026-01-01 n 4" in shown
    params = _cli("jobs", "params", "report.ipynb").stdout
    assert 'since\tstr\t"2020-01-01"' in params and "n\tint\t1" in params


def test_bad_input_from_the_shell_exits_2_with_the_message(root):
    bad = _cli("run", "report.ipynb", "-p", "n", "many", code=2)
    assert "Parameter 'n' expects a whole number" in bad.stderr
    missing = _cli("run", "nope.ipynb", code=2)
    assert "No notebook 'nope.ipynb'" in missing.stderr
    assert "No job run 99" in _cli("jobs", "show", "99", code=2).stderr


def test_mlwb_run_in_a_notebook_waits_and_shows_the_run(root):
    start_ipython() or get_ipython()
    notebook._runner = None
    shell = get_ipython()
    shell.user_ns.update(mlwb=mlwb)
    try:
        started = shell.run_cell("mlwb.run('report.ipynb', since='2026-03-01', n=2)")
        started.raise_error()
        run = started.result.wait(timeout=WAIT)  # finished already: wait=True is the default
        assert run.status == "succeeded", run.log()
        assert run.values == {"n_twice": 4}
        shown = run._repr_html_()
        assert "succeeded" in shown and "n_twice" in shown
        assert "href='.mlworkbench/jobs/runs/" in shown and "report.ipynb'" in shown
        listed = shell.run_cell("mlwb.job_runs()").result
        assert listed.loc[run.run_id, "status"] == "succeeded"
        assert listed.loc[run.run_id, "values.n_twice"] == 4
        assert mlwb.job_run(run.run_id).parameters == {"since": "2026-03-01", "n": 2}
        assert mlwb.record("outside", 1) == 1  # outside a job: nothing kept, the value shown
        with pytest.raises(JobParameterError, match="no parameter 'sinse'"):
            mlwb.run("report.ipynb", sinse="2026-01-01")
    finally:
        if notebook._runner is not None and notebook._runner._ws is not None:
            notebook._runner.ws.close()
        notebook._runner = None


def test_jobs_are_saved_paused_resumed_and_deleted_from_the_shell(root):
    bad = _cli("jobs", "create", "nightly", "report.ipynb", "--schedule", "daily at 25:00",
               code=2)
    assert "'25:00' is not a time" in bad.stderr
    made = _cli("jobs", "create", "nightly", "report.ipynb", "-p", "n", "3", "--schedule",
                "daily at 06:00", "--timezone", "Europe/Paris").stdout
    assert "nightly\treport.ipynb\tdaily at 06:00 (At 06:00 every day, Europe/Paris)\tnext " \
        in made and made.count("  then ") == 4
    assert "\tpaused" in _cli("jobs", "pause", "nightly").stdout
    assert "next " in _cli("jobs", "resume", "nightly").stdout
    assert _cli("jobs", "list").stdout.startswith("nightly\treport.ipynb\t")
    _cli("jobs", "delete", "nightly")
    assert _cli("jobs", "list").stdout == ""
    assert "No job named 'nightly'" in _cli("jobs", "pause", "nightly", code=2).stderr
