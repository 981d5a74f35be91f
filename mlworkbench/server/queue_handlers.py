"""REST handler of the active-learning queue: train the quick model on a label set's labels and
rank its unlabeled items by uncertainty (``<label set>_queue``). The work runs off the event loop;
a client that goes away (the panel's request aborted) cancels it, leaving the previous queue."""

from __future__ import annotations

import threading

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas.queue import DescribeQueue, RefreshQueueRequest
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
