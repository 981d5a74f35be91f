"""The scheduler's loop: a fire time is taken once even by a scheduler that read the job before
another fired it, the loop wakes at the next fire time, and the thread the server runs gives
the lease up when stopped."""

from datetime import timedelta

import pytest

from mlworkbench.core.jobs.rows import JobRow, SchedulerLeaseRow
from mlworkbench.core.jobs.scheduler import Scheduler, SchedulerThread
from mlworkbench.core.workspace.store import utcnow
from tests.jobs.test_jobs_run import (
    WAIT,
    write_notebook,
    ws,  # noqa: F401 (fixture)
)

pytest.importorskip("cronsim")


@pytest.fixture
def report(ws, tmp_path):  # noqa: F811
    write_notebook(tmp_path / "report.ipynb", "print('report', n)", parameters="n = 1")
    return ws


def _row(ws, name: str) -> JobRow:
    with ws.store.read() as session:
        return session.query(JobRow).filter_by(name=name).one()


def test_a_scheduler_holding_a_stale_read_of_the_job_fires_nothing_twice(report):
    job = report.jobs.definitions.create("hourly", "report.ipynb", schedule="hourly",
                                         catch_up="all", overlap="queue")
    hour = job.created_at.replace(minute=0, second=0, microsecond=0)
    now = hour + timedelta(hours=2, minutes=1)
    stale = _row(report, "hourly")  # read before the other scheduler fires
    fired = Scheduler(report, holder="a")._fire(_row(report, "hourly"), now)
    assert len(fired) == 2  # both due times: one started, one queued behind it
    # A second scheduler that believes it holds the lease (the first stalled past it) and
    # read the job before: the compare-and-set on last_fired_for refuses its firing.
    assert Scheduler(report, holder="b")._fire(stale, now) == []
    assert sorted(r.id for r in report.jobs.list_runs(job_id=job.id)) == sorted(fired)
    assert _row(report, "hourly").last_fired_for == hour + timedelta(hours=2)
    first, second = sorted(fired)
    assert report.jobs.stop(second).status == "cancelled"  # queued: never started
    assert report.jobs.wait(first, timeout=WAIT).status == "succeeded"


def test_the_loop_wakes_at_the_next_fire_time_when_it_is_sooner_than_the_interval(report):
    scheduler = Scheduler(report)
    assert scheduler._until_next_due(120.0) == pytest.approx(120.0, abs=0.1)  # no job yet
    report.jobs.definitions.create("minutely", "report.ipynb", schedule="* * * * *")
    now = utcnow()
    to_minute = 60 - now.second - now.microsecond / 1e6
    wait = scheduler._until_next_due(120.0)
    assert 0 < wait <= to_minute + 0.01 and wait > to_minute - 1.0
    assert scheduler._until_next_due(0.5) <= 0.51  # the interval when it is the sooner
    report.jobs.definitions.pause("minutely")
    assert scheduler._until_next_due(120.0) == pytest.approx(120.0, abs=0.1)
    # A run queued behind another: ticks come often, to start it as soon as that one ended.
    queued = report.jobs.enqueue("report.ipynb", job_id=_row(report, "minutely").id)
    assert scheduler._until_next_due(120.0) <= 0.25
    report.jobs.stop(queued)
    assert scheduler._until_next_due(120.0) == pytest.approx(120.0, abs=0.1)


def test_the_scheduler_thread_holds_the_lease_while_alive_and_gives_it_up_when_stopped(report):
    thread = SchedulerThread(report, interval=0.05, lease_seconds=60).start()
    try:
        assert thread.is_alive()
        for _ in range(200):
            with report.store.read() as session:
                row = session.get(SchedulerLeaseRow, 1)
            if row is not None and row.holder == thread.holder:
                break
            thread._thread.join(0.05)
        assert row.holder == thread.holder and row.expires_at > utcnow()
    finally:
        thread.stop()
    assert not thread.is_alive()
    with report.store.read() as session:
        assert session.get(SchedulerLeaseRow, 1).holder is None
    assert Scheduler(report, holder="next", lease_seconds=60).acquire()  # at once, no expiry


def test_a_queued_run_is_started_once_when_two_schedulers_both_start_it(report):
    run_id = report.jobs.enqueue("report.ipynb")
    assert report.jobs.start(run_id) is True
    assert report.jobs.start(run_id) is False  # claimed: no second runner, pid untouched
    run = report.jobs.wait(run_id, timeout=WAIT)
    assert run.status == "succeeded", run.log()
    assert report.jobs.start(run_id) is False


def test_a_run_claimed_by_a_process_that_died_before_its_runner_started_is_recovered(report):
    from mlworkbench.core.jobs.rows import JobRunRow

    abandoned = report.jobs.enqueue("report.ipynb")
    just_claimed = report.jobs.enqueue("report.ipynb")
    with report.jobs.runs._write() as session:  # as start leaves them before spawning
        session.get(JobRunRow, abandoned).pid = 0
        session.get(JobRunRow, abandoned).created_at = utcnow() - timedelta(minutes=5)
        session.get(JobRunRow, just_claimed).pid = 0
    by_id = {r.id: r for r in report.jobs.recover()}
    assert by_id[abandoned].status == "failed"
    assert by_id[abandoned].exit_reason == ("The process starting it ended before its runner "
                                            "started.")
    assert by_id[just_claimed].status == "queued"  # its runner may be starting right now
    report.jobs.stop(just_claimed)
