"""REST handlers of notebook jobs (issue 8): a notebook's parameters, runs (start, follow, stop,
log, HTML export), named jobs with schedules, the schedule preview and the scheduler's state.
Each verb parses, calls ``workspace.jobs`` off the event loop and writes the answer; the
notebook itself runs in its own process (papermill), so nothing here waits for it."""

from __future__ import annotations

from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.jobs.records import finished_since
from mlworkbench.core.jobs.schedule import fire_times, parse_schedule, zone
from mlworkbench.core.workspace.store import utcnow
from mlworkbench.schemas.jobs import (
    JobCreateRequest,
    JobInfo,
    JobRunInfo,
    JobRunLog,
    JobRunLogQuery,
    JobUpdateRequest,
    ListJobRuns,
    ListJobRunsQuery,
    ListJobs,
    NotebookParameters,
    NotebookParametersQuery,
    RunJobRequest,
    RunNotebookRequest,
    SchedulePreview,
    SchedulePreviewQuery,
    SchedulerStatus,
)
from mlworkbench.server import jobs_views as views
from mlworkbench.server.base import Endpoint, WorkbenchHandler

#: Seconds a stop waits for the runner to record 'cancelled' before answering.
STOP_WAIT_SECONDS = 15.0

_RUN_ERRORS = ("404 no such notebook or kernel, 403 a notebook outside the Jupyter root, 422 "
               "not a notebook, 400 a parameter the notebook does not declare or a value not of "
               "its type (detail.parameter names it), 400 an output folder that cannot be written")


def _run_id(text: str) -> int:
    if not text.isdigit():
        raise NotFoundError("job run", text, f"No job run '{text}': run ids are numbers.")
    return int(text)


class JobsHandler(WorkbenchHandler):
    """The jobs routes: ``self.jobs`` is ``workspace.jobs``."""

    @property
    def jobs(self) -> Any:
        return self.workbench.jobs

    def _run(self, run_id: int) -> JobRunInfo:
        run = self.jobs.describe(run_id)
        return views.runs_info(self.workbench, [run])[0]


class NotebookParametersHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "A notebook's parameters (names, types, defaults, help) and the kernels to run it "
            "on: what a run form needs. 404 no such notebook, 403 outside the root, 422 not a "
            "notebook",
            response=NotebookParameters, query_model=NotebookParametersQuery),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(NotebookParametersQuery)
        self.write_model(await self.run_blocking(
            views.notebook_parameters, self.workbench, request.notebook))


class JobRunsHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "Runs, newest first; with finished_after, only those that ended since (for "
            "notifications)",
            response=ListJobRuns, query_model=ListJobRunsQuery),
        "post": Endpoint(
            "Run a notebook now, in its own process (answers at once with the run, queued or "
            f"running; poll it). {_RUN_ERRORS}",
            request=RunNotebookRequest, response=JobRunInfo, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(ListJobRunsQuery)
        self.write_model(await self.run_blocking(self._list, request))

    def _list(self, request: ListJobRunsQuery) -> ListJobRuns:
        job_id = request.job_id
        if request.job is not None:
            job_id = self.jobs.definitions.describe(request.job, count=0).id
        if request.finished_after is not None:
            runs = finished_since(self.jobs.runs, request.finished_after, job_id=job_id,
                                  limit=request.limit)
        else:
            runs = self.jobs.list_runs(job_id=job_id, limit=request.limit)
        return ListJobRuns(runs=views.runs_info(self.workbench, runs))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(RunNotebookRequest)
        run_id = await self.run_blocking(
            self.jobs.run, request.notebook, request.parameters, kernel=request.kernel,
            timeout=request.timeout_seconds, retries=request.retries,
            retry_backoff=request.retry_backoff_seconds, output_dir=request.output_dir)
        self.write_model(await self.run_blocking(self._run, run_id), status=201)


class JobRunHandler(JobsHandler):
    endpoints = {
        "get": Endpoint("A run as it is now (404 unknown)", response=JobRunInfo),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        self.write_model(await self.run_blocking(self._run, _run_id(run_id)))


class StopJobRunHandler(JobsHandler):
    endpoints = {
        "post": Endpoint(
            "Stop a queued or running run: its notebook process and kernel are killed and it "
            f"ends cancelled (answers once recorded, or after {STOP_WAIT_SECONDS:.0f} s with "
            "the run as it is then); a finished run is returned unchanged",
            response=JobRunInfo),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        number = _run_id(run_id)
        await self.run_blocking(self.jobs.stop, number)
        await self.run_blocking(self.jobs.wait, number, timeout=STOP_WAIT_SECONDS)
        self.write_model(await self.run_blocking(self._run, number))


class JobRunLogHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "The run's stdout/stderr from byte offset on (at most 1 MB; ask again from the "
            "offset answered). finished: nothing more will be written",
            response=JobRunLog, query_model=JobRunLogQuery),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        request = self.read_query(JobRunLogQuery)
        self.write_model(await self.run_blocking(self._log, _run_id(run_id), request.offset))

    def _log(self, run_id: int, offset: int) -> JobRunLog:
        run = self.jobs.describe(run_id)
        # The state is read before the log: a run that ended has written all of it by then.
        text, after = run.log_from(offset)
        return JobRunLog(text=text, offset=after, finished=run.finished)


class JobRunHtmlHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "The executed notebook as HTML (made on the first request, served with a sandbox "
            "CSP); 404 while queued or when the run has no executed notebook, 422 when "
            "nbconvert could not export it",
            content_type="text/html"),
    }

    @property
    def content_security_policy(self) -> str:
        # A notebook's outputs may hold scripts: they run in an opaque origin, away from Jupyter.
        return super().content_security_policy + "; sandbox allow-scripts"

    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        path = await self.run_blocking(self.jobs.html, _run_id(run_id))
        self.finish(await self.run_blocking(path.read_bytes),
                    set_content_type="text/html; charset=UTF-8")


class JobsListHandler(JobsHandler):
    endpoints = {
        "get": Endpoint("Saved jobs by name, each with its next fire times and latest run",
                        response=ListJobs),
        "post": Endpoint(
            "Save a named job (checked as a run would be: notebook, kernel, parameters, output "
            "folder; and the schedule and timezone). 409 the name is taken, 400 a bad schedule "
            f"(the message shows what was understood) or timezone; {_RUN_ERRORS}",
            request=JobCreateRequest, response=JobInfo, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(await self.run_blocking(self._list))

    def _list(self) -> ListJobs:
        return ListJobs(jobs=[views.job_info(self.workbench, job)
                              for job in self.jobs.definitions.list()])

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(JobCreateRequest)
        fields = request.model_dump(exclude={"name", "notebook"})
        self.write_model(await self.run_blocking(self._create, request.name, request.notebook,
                                                 fields), status=201)

    def _create(self, name: str, notebook: str, fields: dict[str, Any]) -> JobInfo:
        return views.job_info(self.workbench,
                              self.jobs.definitions.create(name, notebook, **fields))


class JobHandler(JobsHandler):
    endpoints = {
        "get": Endpoint("A saved job (404 unknown)", response=JobInfo),
        "patch": Endpoint(
            "Change some fields of a job (checked as when it was saved)",
            request=JobUpdateRequest, response=JobInfo),
        "delete": Endpoint("Delete a job; its runs stay (with no job)", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(await self.run_blocking(self._describe, name))

    def _describe(self, name: str) -> JobInfo:
        return views.job_info(self.workbench, self.jobs.definitions.describe(name))

    @tornado.web.authenticated
    @authorized
    async def patch(self, name: str) -> None:
        fields = self.read_model(JobUpdateRequest).model_dump(exclude_unset=True)
        self.write_model(await self.run_blocking(self._update, name, fields))

    def _update(self, name: str, fields: dict[str, Any]) -> JobInfo:
        return views.job_info(self.workbench, self.jobs.definitions.update(name, **fields))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.run_blocking(self.jobs.definitions.delete, name)
        self.write_no_content()


class _JobActionHandler(JobsHandler):
    """POST /jobs/{name}/<action>: one call of ``ws.jobs.definitions`` answering the job."""

    action = ""

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        self.write_model(await self.run_blocking(self._act, name))

    def _act(self, name: str) -> JobInfo:
        job = getattr(self.jobs.definitions, self.action)(name)
        return views.job_info(self.workbench, job)


class PauseJobHandler(_JobActionHandler):
    action = "pause"
    endpoints = {"post": Endpoint("Pause a job: it stops firing", response=JobInfo)}


class ResumeJobHandler(_JobActionHandler):
    action = "resume"
    endpoints = {
        "post": Endpoint("Resume a job: it fires from now on (times missed while paused are "
                         "not caught up)", response=JobInfo),
    }


class RunJobHandler(JobsHandler):
    endpoints = {
        "post": Endpoint(
            "Run a job now (its parameters, with those sent merged over them for this run)",
            request=RunJobRequest, response=JobRunInfo, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(RunJobRequest)
        run_id = await self.run_blocking(self.jobs.definitions.run_now, name,
                                         parameters=request.parameters)
        self.write_model(await self.run_blocking(self._run, run_id), status=201)


class SchedulePreviewHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "How a schedule is read (cron, in words) and its next 5 fire times; 400 a schedule "
            "that cannot be read (the message shows what was understood) or an unknown timezone",
            response=SchedulePreview, query_model=SchedulePreviewQuery),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(SchedulePreviewQuery)
        schedule = parse_schedule(request.schedule)
        zone(request.timezone)
        self.write_model(SchedulePreview(
            schedule=request.schedule, cron=schedule.cron, description=schedule.description,
            timezone=request.timezone,
            next_fire_times=fire_times(schedule.cron, request.timezone, utcnow(), count=5)))


class SchedulerStatusHandler(JobsHandler):
    endpoints = {
        "get": Endpoint(
            "Whether scheduled jobs fire: this server's scheduler and who holds the "
            "workspace's lease (another server or `mlworkbench scheduler`)",
            response=SchedulerStatus),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        holder, expires = await self.run_blocking(self.jobs.runs.lease)
        here = self.settings.get("mlworkbench_scheduler")
        self.write_model(SchedulerStatus(
            running_here=bool(here is not None and here.is_alive()),
            this_holder=None if here is None else here.holder,
            holder=holder, lease_expires_at=expires,
            lease_active=bool(holder and expires and expires > utcnow())))
