"""REST handlers of label sets and the built-in labeler. The annotator is the Jupyter user who
is logged in (never a request field); each verb parses, calls ``workspace.labels`` off the event
loop, and writes the answer."""

from __future__ import annotations

import mimetypes

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider

from mlworkbench.core.labeling.annotators import local_annotator
from mlworkbench.schemas.labeling import (
    CreateLabelSetRequest,
    DescribeLabelSet,
    FetchImageQuery,
    FetchItemsRequest,
    ItemPage,
    LabelProgress,
    ListLabelSets,
    RecordLabelRequest,
    RecordLabelResponse,
    SkipItemRequest,
    UndoLabelResponse,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler

CHUNK_BYTES = 1 << 20
_ANONYMOUS_PROVIDERS = (IdentityProvider, PasswordIdentityProvider)


class LabelingHandler(WorkbenchHandler):
    @property
    def annotator(self) -> str:
        """The logged-in Jupyter user's name (the identity provider's ``username``).

        Jupyter's own identity provider does not know who holds the shared token: it names each
        browser session with a random anonymous id. Then the labels are the local user's, the
        name kernels label under too (:func:`local_annotator`)."""
        # Exactly Jupyter's own providers: a subclass (JupyterHub's, say) names its users.
        if type(self.identity_provider) in _ANONYMOUS_PROVIDERS:
            return local_annotator()
        return self.current_user.username


class LabelSetsHandler(LabelingHandler):
    endpoints = {
        "get": Endpoint("Every label set with its progress", response=ListLabelSets),
        "post": Endpoint(
            "Create a label set over the rows of a query",
            request=CreateLabelSetRequest,
            response=DescribeLabelSet,
            status=201,
        ),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(await self.run_blocking(self.workbench.labels.list_all, self.annotator))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(CreateLabelSetRequest)
        described = await self.run_blocking(
            self.workbench.labels.create_from, request, self.annotator
        )
        self.write_model(described, status=201)


class LabelSetHandler(LabelingHandler):
    endpoints = {
        "get": Endpoint(
            "A label set: its query, choices, progress and links", response=DescribeLabelSet
        ),
        "delete": Endpoint("Remove a label set, its labels and versions", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        labels = self.workbench.labels
        self.write_model(await self.run_blocking(labels.describe, name, self.annotator))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.run_blocking(self.workbench.labels.remove, name)
        self.write_no_content()


class LabelItemsHandler(LabelingHandler):
    endpoints = {
        "post": Endpoint(
            "A page of items in key order (filters: all, unlabeled, disagreements, uncertain)",
            request=FetchItemsRequest,
            response=ItemPage,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(FetchItemsRequest)
        labels = self.workbench.labels
        self.write_model(await self.run_blocking(labels.fetch_items, name, request, self.annotator))


class RecordLabelHandler(LabelingHandler):
    endpoints = {
        "post": Endpoint(
            "Record the logged-in user's label of an item (saved when this answers)",
            request=RecordLabelRequest,
            response=RecordLabelResponse,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(RecordLabelRequest)
        labels = self.workbench.labels
        self.write_model(
            await self.run_blocking(labels.record_label, name, request, self.annotator)
        )


class SkipItemHandler(LabelingHandler):
    endpoints = {
        "post": Endpoint(
            "Skip an item (it leaves the user's unlabeled filter)",
            request=SkipItemRequest,
            response=LabelProgress,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        request = self.read_model(SkipItemRequest)
        labels = self.workbench.labels
        self.write_model(await self.run_blocking(labels.skip_item, name, request, self.annotator))


class UndoLabelHandler(LabelingHandler):
    endpoints = {
        "post": Endpoint(
            "Undo the logged-in user's last label or skip in this label set",
            response=UndoLabelResponse,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        labels = self.workbench.labels
        self.write_model(await self.run_blocking(labels.undo_last, name, self.annotator))


class LabelImageHandler(LabelingHandler):
    endpoints = {
        "get": Endpoint(
            "The local image file of an item's column (only files under the Jupyter root)",
            query_model=FetchImageQuery,
            content_type="image/*",
        )
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        request = self.read_query(FetchImageQuery)
        path = await self.run_blocking(self.workbench.labels.image_file, name, request)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.set_header("Content-Type", media)
        # An SVG is a document: never let one run script on the Jupyter origin.
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "private, max-age=60")
        with path.open("rb") as f:
            while chunk := await self.run_blocking(f.read, CHUNK_BYTES):
                self.write(chunk)
                await self.flush()
        self.finish()
