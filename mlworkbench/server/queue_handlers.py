"""REST handlers of the active-learning queue: train the quick model on a label set's labels and
rank its unlabeled items by uncertainty (``<label set>_queue``). ``POST .../queue`` answers when
done (off the event loop; a client that goes away cancels it, leaving the previous queue);
``POST .../queue/task`` runs it as a background task whose progress ``GET /tasks/{id}`` reads and
``POST /tasks/{id}/cancel`` stops."""

from __future__ import annotations

import functools
import threading

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas.queue import DescribeQueue, RefreshQueueRequest
from mlworkbench.schemas.studio import StudioTaskStarted
from mlworkbench.server.base import Endpoint, WorkbenchHandler


class LabelQueueHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Train a quick model on the label set's labels and rank its unlabeled items by "
            "uncertainty into the table <name>_queue (a new version)",
            request=RefreshQueueRequest,
            response=DescribeQueue,
        )
    }
    _cancel: threading.Event | None = None

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(RefreshQueueRequest)
        self._cancel = threading.Event()
        label_set = await self.run_blocking(self.workbench.labels.get, name)
        queue = await self.run_blocking(
            label_set.refresh_queue,
            strategy=request.strategy,
            batch_size=request.batch_size,
            cancel=self._cancel,
        )
        self.write_model(queue)

    def on_connection_close(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        super().on_connection_close()


class LabelQueueTaskHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Refresh the label set's queue in the background: poll GET /tasks/{task_id} for "
            "items scored of items to score; its result is the queue's description",
            request=RefreshQueueRequest,
            response=StudioTaskStarted,
            status=202,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        from mlworkbench.core.labeling.active import refresh_queue_task

        request = self.read_model(RefreshQueueRequest)
        label_set = await self.run_blocking(self.workbench.labels.get, name)
        refresh = functools.partial(refresh_queue_task, label_set, strategy=request.strategy,
                                    batch_size=request.batch_size)
        self.write_model(StudioTaskStarted(task_id=self.tasks.start("queue", refresh)),
                         status=202)
