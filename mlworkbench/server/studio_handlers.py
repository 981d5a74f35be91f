"""REST handlers of the Label Studio bridge and of background tasks. Push and pull start a
background task and answer its id at once; the client polls ``GET /tasks/{task_id}`` and may
cancel it. The Label Studio URL and key come from the server config (``c.MLWorkbench.
label_studio_url`` / ``label_studio_api_key``) or the environment, never from a request."""

from __future__ import annotations

import functools

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas.studio import (
    CancelTaskResponse,
    ConnectStudioRequest,
    DescribeStudioLink,
    DescribeTask,
    PushStudioRequest,
    StudioTaskStarted,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler


class StudioBase(WorkbenchHandler):
    @property
    def studio(self):
        """The bridge, made once per server from its config."""
        studio = self.settings.get("mlworkbench_studio")
        if studio is None:
            from mlworkbench.core.labeling.studio import Studio

            app = self.extensionapp
            studio = Studio(
                self.workbench.labels, self.workbench.root_dir,
                url=app.label_studio_url or None, api_key=app.label_studio_api_key or None,
            )
            self.settings["mlworkbench_studio"] = studio
        return studio


class StudioLinkHandler(StudioBase):
    endpoints = {
        "get": Endpoint("A label set's Label Studio link: project, sync state and counts",
                        response=DescribeStudioLink),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(await self.run_blocking(self.studio.describe, name))


class StudioConnectHandler(StudioBase):
    endpoints = {
        "post": Endpoint("Link a label set to a Label Studio project (created with a generated "
                         "label config unless project_id is given)",
                         request=ConnectStudioRequest, response=DescribeStudioLink),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(ConnectStudioRequest)
        self.write_model(await self.run_blocking(
            self.studio.connect, name, url=request.url, project_id=request.project_id,
            title=request.title))


class StudioPushHandler(StudioBase):
    endpoints = {
        "post": Endpoint("Push the items not pushed before as tasks, in the background",
                         request=PushStudioRequest, response=StudioTaskStarted, status=202),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(PushStudioRequest)
        await self.run_blocking(self.studio.check_linked, name)
        push = functools.partial(self.studio.push, name, sql=request.sql,
                                 batch_size=request.batch_size,
                                 predictions_from=request.predictions_from)
        task_id = self.tasks.start("push", lambda p: push(progress=p).model_dump(mode="json"))
        self.write_model(StudioTaskStarted(task_id=task_id), status=202)


class StudioPullHandler(StudioBase):
    endpoints = {
        "post": Endpoint("Pull the annotations changed since the last pull, in the background",
                         response=StudioTaskStarted, status=202),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        await self.run_blocking(self.studio.check_linked, name)
        pull = functools.partial(self.studio.pull, name)
        task_id = self.tasks.start("pull", lambda p: pull(progress=p).model_dump(mode="json"))
        self.write_model(StudioTaskStarted(task_id=task_id), status=202)


class TaskHandler(StudioBase):
    endpoints = {"get": Endpoint("A background task's progress and outcome",
                                 response=DescribeTask)}

    @tornado.web.authenticated
    @authorized
    async def get(self, task_id: str) -> None:
        # Reading a task's counters is instant: no need to leave the event loop.
        self.write_model(self.tasks.describe(task_id))


class CancelTaskHandler(StudioBase):
    endpoints = {"post": Endpoint("Stop a background task at its next batch",
                                  response=CancelTaskResponse)}

    @tornado.web.authenticated
    @authorized
    async def post(self, task_id: str) -> None:
        self.write_model(CancelTaskResponse(cancelled=self.tasks.cancel(task_id)))
