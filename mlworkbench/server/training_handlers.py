"""REST handlers of training runs (issue 6). Each verb parses, calls ``workspace.training`` off
the event loop and writes the answer; the training itself runs in its own process."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.core.errors import NotFoundError
from mlworkbench.schemas.training import (
    CompareTrainingRuns,
    CompareTrainingRunsQuery,
    DescribeTrainingPreview,
    DescribeTrainingRun,
    ListTrainingRuns,
    ListTrainingRunsQuery,
    PreviewTrainingRequest,
    TrainModelRequest,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler


def _run_id(text: str) -> int:
    if not text.isdigit():
        raise NotFoundError("run", text, f"No run with id '{text}': run ids are numbers.")
    return int(text)


class TrainingPreviewHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "A query's columns as training would see them: kinds, flags with reasons, the "
            "inferred task and its metrics (on a sample of a big query)",
            request=PreviewTrainingRequest,
            response=DescribeTrainingPreview,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(PreviewTrainingRequest)
        self.write_model(await self.run_blocking(self.workbench.training.preview, request))


class TrainingRunsHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "Training runs, newest first",
            response=ListTrainingRuns,
            query_model=ListTrainingRunsQuery,
        ),
        "post": Endpoint(
            "Start training in its own process (answers 202 at once; poll the run)",
            request=TrainModelRequest,
            response=DescribeTrainingRun,
            status=202,
        ),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(ListTrainingRunsQuery)
        self.write_model(await self.run_blocking(self.workbench.training.list_runs, request))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(TrainModelRequest)
        training = self.workbench.training
        run_id = await self.run_blocking(training.start, request)
        self.write_model(await self.run_blocking(training.describe, run_id), status=202)


class TrainingRunHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "A run: status, live progress, and once ended its result and lineage",
            response=DescribeTrainingRun,
        ),
        "delete": Endpoint("Delete an ended run and its files (409 while it runs)", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        training = self.workbench.training
        self.write_model(await self.run_blocking(training.describe, _run_id(run_id)))

    @tornado.web.authenticated
    @authorized
    async def delete(self, run_id: str) -> None:
        await self.run_blocking(self.workbench.training.delete, _run_id(run_id))
        self.write_no_content()


class StopTrainingRunHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Ask a run to stop: it keeps the best model found and ends 'stopped'",
            response=DescribeTrainingRun,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        training = self.workbench.training
        self.write_model(await self.run_blocking(training.stop, _run_id(run_id)))


class CompareTrainingRunsHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "Runs side by side: parameters, metrics and lineage",
            response=CompareTrainingRuns,
            query_model=CompareTrainingRunsQuery,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(CompareTrainingRunsQuery)
        training = self.workbench.training
        self.write_model(await self.run_blocking(training.compare, request.runs))
