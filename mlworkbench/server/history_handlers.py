"""REST handlers for the query history, saved queries and file imports (issue 4)."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import ensure_async

from mlworkbench.core.data.imports import Upload
from mlworkbench.core.errors import NotFoundError
from mlworkbench.schemas import (
    ClearHistoryResponse,
    DescribeHistoryEntry,
    HistoryPage,
    ImportFileRequest,
    ImportFileResponse,
    ListHistoryRequest,
    ListSavedQueriesResponse,
    ReadSavedQueryResponse,
    RenameSavedQueryRequest,
    SaveQueryRequest,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler

DEFAULT_MAX_UPLOAD_BYTES = 4 << 30


def _entry_id(text: str) -> int:
    if not text.isdigit():
        raise NotFoundError("history entry", text)
    return int(text)


class HistoryHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "The query history, newest first (paged, searchable, filtered by status)",
            response=HistoryPage,
            query_model=ListHistoryRequest,
        ),
        "delete": Endpoint("Clear the whole history", response=ClearHistoryResponse),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        request = self.read_query(ListHistoryRequest)
        self.write_model(await self.run_blocking(self.workbench.history.list, request))

    @tornado.web.authenticated
    @authorized
    async def delete(self) -> None:
        self.write_model(await self.run_blocking(self.workbench.history.clear))


class HistoryEntryHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint("One history entry", response=DescribeHistoryEntry),
        "delete": Endpoint("Forget one history entry", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, entry_id: str) -> None:
        entry = await self.run_blocking(self.workbench.history.get, _entry_id(entry_id))
        self.write_model(entry)

    @tornado.web.authenticated
    @authorized
    async def delete(self, entry_id: str) -> None:
        await self.run_blocking(self.workbench.history.delete, _entry_id(entry_id))
        self.write_no_content()


class SavedQueriesHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "Saved queries (.sql files in the workspace)", response=ListSavedQueriesResponse
        )
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(await self.run_blocking(self.workbench.saved_queries.list))


class SavedQueryHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint("A saved query with its text", response=ReadSavedQueryResponse),
        "put": Endpoint(
            "Save a query (atomic; 409 when it exists and overwrite is false)",
            request=SaveQueryRequest,
            response=ReadSavedQueryResponse,
        ),
        "delete": Endpoint("Delete a saved query", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(await self.run_blocking(self.workbench.saved_queries.read, name))

    @tornado.web.authenticated
    @authorized
    async def put(self, name: str) -> None:
        request = self.read_model(SaveQueryRequest)
        self.write_model(await self.run_blocking(self.workbench.saved_queries.save, name, request))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.run_blocking(self.workbench.saved_queries.delete, name)
        self.write_no_content()


class RenameSavedQueryHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Rename a saved query", request=RenameSavedQueryRequest, response=ReadSavedQueryResponse
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(RenameSavedQueryRequest)
        renamed = await self.run_blocking(self.workbench.saved_queries.rename, name, request)
        self.write_model(renamed)


@tornado.web.stream_request_body
class ImportsHandler(WorkbenchHandler):
    """The file is the raw request body (what a drag-and-drop's ``fetch(url, {body: file})``
    sends), streamed to a temp file in the workspace chunk by chunk: never held in memory,
    and bounded by ``MLWorkbench.max_upload_mb`` instead of tornado's 100 MB body limit.
    The options are query parameters (:class:`ImportFileRequest`), checked before the first
    byte is read, so a name that is taken answers 409 at once rather than after the upload."""

    endpoints = {
        "post": Endpoint(
            "Upload a CSV, Parquet, JSON or Excel file and import it as a table or source",
            response=ImportFileResponse,
            status=201,
            query_model=ImportFileRequest,
            upload=True,
        )
    }
    _upload: Upload | None = None

    async def prepare(self) -> None:
        # Authentication (403 without the token) happens here, before any byte is read.
        await super().prepare()
        if self._finished or self.request.method != "POST":
            return
        # The body arrives before post() runs, so authorize now rather than in @authorized.
        user = self.current_user
        allowed = user and await ensure_async(
            self.authorizer.is_authorized(self, user, "write", self.auth_resource)
        )
        if not allowed:
            raise tornado.web.HTTPError(403, log_message="Not authorized to upload files.")
        limit = self.settings.get("mlworkbench_max_upload_bytes", DEFAULT_MAX_UPLOAD_BYTES)
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise tornado.web.HTTPError(
                413,
                log_message=f"The file is {int(length) / 2**20:.0f} MB; uploads are limited to "
                f"{limit / 2**20:.0f} MB (MLWorkbench.max_upload_mb). Register a large file as "
                "a source from its place instead.",
            )
        self.request.connection.set_max_body_size(limit)
        request = self.read_query(ImportFileRequest)
        self._upload = await self.run_blocking(self.workbench.imports.stage, request)

    def data_received(self, chunk: bytes) -> None:
        if self._upload is not None:
            self._upload.write(chunk)

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        upload, self._upload = self._upload, None
        if upload is None:  # pragma: no cover - prepare() always stages one for a POST
            raise tornado.web.HTTPError(400, log_message="No file was received.")
        response = await self.run_blocking(self.workbench.imports.import_upload, upload)
        self.write_model(response, status=201)

    def on_finish(self) -> None:
        self._discard()

    def on_connection_close(self) -> None:
        # The client went away mid-upload: drop what was received.
        self._discard()
        super().on_connection_close()

    def _discard(self) -> None:
        upload, self._upload = self._upload, None
        if upload is not None:
            upload.discard()
