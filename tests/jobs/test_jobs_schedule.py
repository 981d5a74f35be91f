"""Schedules: cron and shortcuts, job definitions, the scheduler's lease and firing policies."""

from datetime import timedelta

import pytest

from mlworkbench.core.errors import BadRequestError, ConflictError
from mlworkbench.core.jobs import JobParameterError
from mlworkbench.core.jobs.schedule import ScheduleError, parse_schedule
from mlworkbench.core.jobs.scheduler import Scheduler
from tests.jobs.test_jobs_run import (
    WAIT,
    write_notebook,
    ws,  # noqa: F401 (fixture)
)

pytest.importorskip("cronsim")


@pytest.mark.parametrize(("text", "cron"), [
    ("hourly", "0 * * * *"),
    ("hourly at :15", "15 * * * *"),
    ("daily at 06:00", "0 6 * * *"),
    ("Daily at 6", "0 6 * * *"),
    ("weekly on mon at 06:00", "0 6 * * MON"),
    ("weekly on monday, thu at 18:30", "30 18 * * MON,THU"),
    ("monthly on 1 at 06:00", "0 6 1 * *"),
    ("*/5 * * * *", "*/5 * * * *"),
])
def test_shortcuts_and_cron_are_read(text, cron):
    assert parse_schedule(text).cron == cron


@pytest.mark.parametrize(("text", "shown"), [
    ("daily at 25:00", "Understood a daily schedule, but '25:00' is not a time"),
    ("weekly on funday at 06:00", "Understood 'weekly at 06:00', but not the day(s) funday"),
    ("61 * * * *", "Could not read cron '61 * * * *': Bad minute (read minute '61', hour '*'"),
    ("0 6 * *", "read 4 field(s): minute '0', hour '6', day of month '*', month '*'"),
    ("every day", "read 2 field(s): minute 'every', hour 'day'"),
])
def test_a_bad_schedule_is_a_400_showing_what_was_understood(text, shown):
    with pytest.raises(ScheduleError) as raised:
        parse_schedule(text)
    assert shown in raised.value.message
    assert raised.value.status == 400 and raised.value.detail["field"] == "schedule"


@pytest.fixture
def report(ws, tmp_path):  # noqa: F811
    write_notebook(tmp_path / "report.ipynb", "print('report', n)", parameters="n = 1")
    return ws


def test_a_job_is_checked_when_saved_and_shows_its_next_fire_times(report):
    jobs = report.jobs.definitions
    job = jobs.create("nightly", "report.ipynb", parameters={"n": "2"},
                      schedule="daily at 06:00", timezone="Europe/Paris")
    assert job.parameters == {"n": 2} and job.schedule_description == "At 06:00 every day"
    assert len(job.next_fire_times) == 5
    assert all(t.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris")).hour == 6
               for t in job.next_fire_times)
    with pytest.raises(ConflictError):
        jobs.create("nightly", "report.ipynb")
    with pytest.raises(ScheduleError):
        jobs.create("bad", "report.ipynb", schedule="daily at 6pm")
    with pytest.raises(BadRequestError, match="Unknown timezone 'Mars/Base'"):
        jobs.create("bad", "report.ipynb", timezone="Mars/Base")
    with pytest.raises(JobParameterError):
        jobs.create("bad", "report.ipynb", parameters={"n": "many"})
    with pytest.raises(BadRequestError, match="overlap must be one of skip, queue"):
        jobs.create("bad", "report.ipynb", overlap="parallel")
    assert jobs.pause("nightly").next_fire_times == []
    assert len(jobs.resume("nightly").next_fire_times) == 5
    assert [j.name for j in jobs.list()] == ["nightly"]


def test_only_the_lease_holder_fires_until_the_lease_expires(report):
    first = Scheduler(report, holder="a", lease_seconds=30)
    second = Scheduler(report, holder="b", lease_seconds=30)
    from mlworkbench.core.workspace.store import utcnow

    now = utcnow()
    assert first.acquire(now) and not second.acquire(now)
    assert first.acquire(now + timedelta(seconds=20))  # renewed
    assert not second.acquire(now + timedelta(seconds=40))
    assert second.acquire(now + timedelta(seconds=51)) and not first.acquire(now)
    second.release()
    assert first.acquire(now)


def test_catch_up_skip_fires_nothing_late_and_once_fires_the_latest(report):
    jobs = report.jobs.definitions
    late = jobs.create("late", "report.ipynb", schedule="hourly", catch_up="skip")
    hour = late.created_at.replace(minute=0, second=0, microsecond=0)
    scheduler = Scheduler(report)
    assert scheduler.tick(hour + timedelta(hours=3, minutes=30)) == []
    jobs.update("late", catch_up="once")
    run_ids = scheduler.tick(hour + timedelta(hours=5, minutes=30))  # 4h, 5h missed: one run
    assert len(run_ids) == 1
    run = report.jobs.describe(run_ids[0])
    assert run.scheduled_for == hour + timedelta(hours=5) and run.job_id == late.id
    assert report.jobs.wait(run.id, timeout=WAIT).status == "succeeded"


def test_catch_up_all_with_overlap_queue_runs_each_missed_time_one_after_the_other(report):
    job = report.jobs.definitions.create("each", "report.ipynb", schedule="hourly",
                                         catch_up="all", overlap="queue")
    hour = job.created_at.replace(minute=0, second=0, microsecond=0)
    scheduler = Scheduler(report)
    first, second = scheduler.tick(hour + timedelta(hours=2, minutes=1))
    assert report.jobs.describe(second).status == "queued"
    assert report.jobs.wait(first, timeout=WAIT).status == "succeeded"
    assert scheduler.tick(hour + timedelta(hours=2, minutes=2)) == []  # starts the queued one
    done = report.jobs.wait(second, timeout=WAIT)
    assert done.status == "succeeded"
    assert done.scheduled_for - report.jobs.describe(first).scheduled_for == timedelta(hours=1)


def test_overlap_skip_fires_nothing_while_a_run_is_active(report):
    job = report.jobs.definitions.create("one", "report.ipynb", schedule="hourly",
                                         catch_up="all")
    hour = job.created_at.replace(minute=0, second=0, microsecond=0)
    fired = Scheduler(report).tick(hour + timedelta(hours=3, minutes=1))
    assert len(fired) == 1
    report.jobs.stop(fired[0])
