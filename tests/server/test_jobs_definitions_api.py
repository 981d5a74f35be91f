"""REST API of saved jobs on a real jupyter-server (auth on): create, list, describe, change,
pause, resume, run now (a real papermill run), delete; the schedule preview; the scheduler's
state; and the bad input each refuses."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.jobs.test_jobs_run import WAIT, write_notebook

pytest.importorskip("papermill")

REPORT = "import mlworkbench as mlwb\nmlwb.record('doubled', n * 2)\nprint('label', label)"


@pytest.fixture
def notebook(jp_root_dir):
    write_notebook(jp_root_dir / "report.ipynb", REPORT, parameters='label = "x"\nn = 1')
    return "report.ipynb"


@pytest.fixture
def ws(jp_serverapp):
    return jp_serverapp.web_app.settings["mlworkbench_workspace"]


def _job(name: str, **fields) -> dict:
    return {"name": name, "notebook": "report.ipynb", "parameters": {"n": "5"}, **fields}


async def test_a_job_is_created_listed_changed_paused_resumed_and_deleted(api, notebook):
    code, job = await api.post("jobs", _job("nightly", schedule="daily at 07:30",
                                            timezone="Europe/Paris", retries=2))
    assert code == 201, job
    assert (job["name"], job["notebook"], job["parameters"]) == ("nightly", "report.ipynb",
                                                                 {"n": 5})
    assert (job["schedule"], job["timezone"], job["paused"], job["retries"]) == (
        "daily at 07:30", "Europe/Paris", False, 2)
    assert (job["overlap"], job["catch_up"], job["last_run"]) == ("skip", "once", None)
    times = [dt.datetime.fromisoformat(t) for t in job["next_fire_times"]]
    assert len(times) == 5 and times == sorted(times)
    assert {t.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") for t in times} == {"07:30"}
    assert "7:30" in job["schedule_description"] or "07:30" in job["schedule_description"]

    code, listed = await api.get("jobs")
    assert code == 200 and [j["name"] for j in listed["jobs"]] == ["nightly"]
    code, shown = await api.get("jobs/nightly")
    assert code == 200 and shown["id"] == job["id"]

    code, changed = await api.call("PATCH", "jobs/nightly",
                                   {"schedule": "weekly on mon at 09:00", "overlap": "queue",
                                    "timeout_seconds": 120})
    assert code == 200, changed
    assert (changed["schedule"], changed["overlap"], changed["timeout_seconds"]) == (
        "weekly on mon at 09:00", "queue", 120)
    assert changed["parameters"] == {"n": 5} and changed["retries"] == 2  # kept
    assert {dt.datetime.fromisoformat(t).astimezone(ZoneInfo("Europe/Paris")).weekday()
            for t in changed["next_fire_times"]} == {0}
    code, cleared = await api.call("PATCH", "jobs/nightly", {"timeout_seconds": None})
    assert code == 200 and cleared["timeout_seconds"] is None

    code, paused = await api.post("jobs/nightly/pause")
    assert code == 200 and paused["paused"] and paused["next_fire_times"] == []
    code, resumed = await api.post("jobs/nightly/resume")
    assert code == 200 and not resumed["paused"] and len(resumed["next_fire_times"]) == 5

    code, _ = await api.delete("jobs/nightly")
    assert code == 204
    code, error = await api.get("jobs/nightly")
    assert code == 404 and "nightly" in error["message"]
    code, listed = await api.get("jobs")
    assert listed["jobs"] == []


async def test_run_now_starts_a_real_run_of_the_job_with_overrides(api, notebook):
    code, _ = await api.post("jobs", _job("on demand", paused=True))
    assert code == 201
    code, started = await api.post("jobs/on demand/run", {"parameters": {"label": "now"}})
    assert code == 201, started
    assert started["job_name"] == "on demand" and started["parameters"] == {"n": 5,
                                                                            "label": "now"}
    loop = asyncio.get_running_loop()
    end = loop.time() + WAIT
    run = started
    while not run["finished"] and loop.time() < end:
        await asyncio.sleep(0.2)
        run = (await api.get(f"jobs/runs/{started['id']}"))[1]
    assert run["status"] == "succeeded", run
    assert run["values"] == {"doubled": 10}
    code, job = await api.get("jobs/on demand")
    assert job["last_run"]["id"] == started["id"] and job["last_run"]["job_name"] == "on demand"
    code, runs = await api.get("jobs/runs", job="on demand")
    assert [r["id"] for r in runs["runs"]] == [started["id"]]
    code, runs = await api.get("jobs/runs", job_id=str(job["id"]))
    assert [r["id"] for r in runs["runs"]] == [started["id"]]
    # A deleted job's runs stay, with no job.
    await api.delete("jobs/on demand")
    code, kept = await api.get(f"jobs/runs/{started['id']}")
    assert code == 200 and (kept["job_id"], kept["job_name"]) == (None, None)


async def test_bad_jobs_are_refused_with_what_to_fix_and_nothing_saved(api, notebook, ws):
    code, error = await api.post("jobs", _job("cron", schedule="0 25 * * *"))
    assert code == 400 and error["code"] == "bad_schedule"
    assert "hour '25'" in error["message"] and error["detail"]["schedule"] == "0 25 * * *"
    code, error = await api.post("jobs", _job("cron", schedule="daily at 7pm"))
    assert code == 400 and "Understood a daily schedule" in error["message"]
    code, error = await api.post("jobs", _job("tz", schedule="hourly", timezone="Mars/Olympus"))
    assert code == 400 and error["detail"]["field"] == "timezone"
    assert "Mars/Olympus" in error["message"]
    code, error = await api.post("jobs", _job("params", parameters={"n": "five"}))
    assert code == 400 and error["detail"]["parameter"] == "n"
    code, error = await api.post("jobs", _job("params", parameters={"colour": "red"}))
    assert code == 400 and error["detail"]["parameter"] == "colour"
    code, error = await api.post("jobs", {**_job("missing"), "notebook": "gone.ipynb"})
    assert code == 404
    code, error = await api.post("jobs", {**_job("outside"), "notebook": "../x.ipynb"})
    assert code == 403
    code, error = await api.post("jobs", _job("policy", overlap="sometimes"))
    assert code == 422 and error["detail"]["field"] == "overlap"
    for reserved in ("runs", "scheduler", "a/b", " padded"):
        code, error = await api.post("jobs", _job(reserved))
        assert code == 400 and error["detail"]["field"] == "name", reserved
    assert ws.jobs.definitions.list() == []

    code, _ = await api.post("jobs", _job("taken"))
    assert code == 201
    code, error = await api.post("jobs", _job("taken", schedule="hourly"))
    assert code == 409 and "taken" in error["message"]
    code, error = await api.call("PATCH", "jobs/taken", {"schedule": "every tuesday"})
    assert code == 400 and error["code"] == "bad_schedule"
    code, error = await api.call("PATCH", "jobs/taken", {"notebook": None})
    assert code == 422 and "cannot be null" in error["message"]
    code, error = await api.call("PATCH", "jobs/taken", {"name": "renamed"})
    assert code == 422 and error["detail"]["field"] == "name"
    code, job = await api.get("jobs/taken")
    assert (job["schedule"], job["notebook"]) == (None, "report.ipynb")  # unchanged

    for method, path in (("GET", "jobs/nope"), ("PATCH", "jobs/nope"), ("DELETE", "jobs/nope"),
                         ("POST", "jobs/nope/pause"), ("POST", "jobs/nope/resume"),
                         ("POST", "jobs/nope/run")):
        code, error = await api.call(method, path)
        assert code == 404, (method, path, error)


async def test_the_schedule_preview_shows_the_cron_and_the_next_times(api):
    code, preview = await api.get("jobs/schedule/preview", schedule="weekly on mon,thu at 18:30",
                                  timezone="America/New_York")
    assert code == 200, preview
    assert preview["cron"] == "30 18 * * MON,THU" and preview["description"]
    local = [dt.datetime.fromisoformat(t).astimezone(ZoneInfo("America/New_York"))
             for t in preview["next_fire_times"]]
    assert len(local) == 5 and {t.strftime("%a %H:%M") for t in local} <= {"Mon 18:30",
                                                                           "Thu 18:30"}
    code, preview = await api.get("jobs/schedule/preview", schedule="*/15 * * * *")
    assert code == 200 and preview["timezone"] == "UTC"
    assert {dt.datetime.fromisoformat(t).minute % 15 for t in preview["next_fire_times"]} == {0}
    code, error = await api.get("jobs/schedule/preview", schedule="* * *")
    assert code == 400 and "read 3 field(s)" in error["message"]
    assert "minute '*', hour '*', day of month '*'" in error["message"]
    code, error = await api.get("jobs/schedule/preview", schedule="hourly",
                                timezone="Nowhere/Land")
    assert code == 400 and error["detail"]["field"] == "timezone"


async def test_the_scheduler_state_names_this_server_and_the_lease_holder(api, jp_serverapp, ws):
    from mlworkbench.core.jobs.scheduler import Scheduler

    settings = jp_serverapp.web_app.settings
    own = settings.get("mlworkbench_scheduler")
    if own is not None:  # this server runs one: the lease is not free to take
        own.stop(timeout=10)
    other = Scheduler(ws, holder="elsewhere:1", lease_seconds=60)
    assert other.acquire()

    class Thread:
        holder = "here:2"

        def __init__(self, alive):
            self.alive = alive

        def is_alive(self):
            return self.alive

    settings["mlworkbench_scheduler"] = Thread(alive=True)
    code, state = await api.get("jobs/scheduler")
    assert code == 200, state
    assert (state["running_here"], state["this_holder"], state["holder"]) == (
        True, "here:2", "elsewhere:1")
    assert state["lease_active"] and dt.datetime.fromisoformat(state["lease_expires_at"]) > \
        dt.datetime.now(dt.timezone.utc)
    settings["mlworkbench_scheduler"] = Thread(alive=False)
    code, state = await api.get("jobs/scheduler")
    assert (state["running_here"], state["this_holder"]) == (False, "here:2")
    other.release()
    del settings["mlworkbench_scheduler"]
    code, state = await api.get("jobs/scheduler")
    assert code == 200
    assert (state["running_here"], state["this_holder"], state["holder"],
            state["lease_active"]) == (False, None, None, False)
