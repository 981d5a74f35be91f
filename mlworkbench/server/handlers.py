"""REST handlers: each verb parses, calls core off the event loop, and writes the answer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench import __version__
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.schemas import (
    CancelQueryResponse,
    CompletionNames,
    DescribeCatalog,
    DescribeQuery,
    DescribeResult,
    DescribeSource,
    DescribeStatus,
    DescribeTable,
    DescribeTableVersions,
    ExportFormat,
    FetchPageRequest,
    QueryPage,
    QueryResult,
    RegisterSourceRequest,
    RunQueryRequest,
    SaveResultRequest,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler


class StatusHandler(WorkbenchHandler):
    endpoints = {"get": Endpoint("Server and workspace status", response=DescribeStatus)}

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        import duckdb

        ws = self.workbench
        self.write_model(
            DescribeStatus(
                version=__version__,
                workspace=str(ws.path),
                duckdb_version=duckdb.__version__,
                running_queries=ws.sql.running(),
                counting_results=ws.results.counting(),
                open_results=ws.results.count(),
            )
        )


class CatalogHandler(WorkbenchHandler):
    endpoints = {"get": Endpoint("Sources and workspace tables", response=DescribeCatalog)}

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(await self.run_blocking(self.workbench.catalog.describe))


class CompletionNamesHandler(WorkbenchHandler):
    endpoints = {"get": Endpoint("Table and column names for completion", response=CompletionNames)}

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        names = await self.run_blocking(self.workbench.catalog.names)
        self.write_model(CompletionNames(tables=names))


class SourcesHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Register a file, glob, folder or DuckDB database as a source",
            request=RegisterSourceRequest,
            response=DescribeSource,
            status=201,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(RegisterSourceRequest)
        source = await self.run_blocking(self.workbench.catalog.register_source, request)
        self.write_model(source, status=201)


class SourceHandler(WorkbenchHandler):
    endpoints = {"delete": Endpoint("Forget a source (its files stay)", status=204)}

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.run_blocking(self.workbench.catalog.remove_source, name)
        self.write_no_content()


class QueriesHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Run SQL; the last statement's result becomes a result session",
            request=RunQueryRequest,
            response=QueryResult,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(RunQueryRequest)
        self.write_model(await self.run_blocking(self.workbench.sql.run, request))


class QueryHandler(WorkbenchHandler):
    endpoints = {"get": Endpoint("A running query's progress", response=DescribeQuery)}

    @tornado.web.authenticated
    @authorized
    async def get(self, query_id: str) -> None:
        # Reading DuckDB's progress counter is instant: no need to leave the event loop.
        self.write_model(self.workbench.sql.progress(query_id))


class CancelQueryHandler(WorkbenchHandler):
    endpoints = {"post": Endpoint("Stop a running query", response=CancelQueryResponse)}

    @tornado.web.authenticated
    @authorized
    async def post(self, query_id: str) -> None:
        # Cancelling is instant (an interrupt flag): no need to leave the event loop.
        self.write_model(self.workbench.sql.cancel(query_id))


class ResultHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint("Describe a result session", response=DescribeResult),
        "delete": Endpoint("Close a result session and free its memory", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, session_id: str) -> None:
        self.write_model(await self.run_blocking(self.workbench.results.describe, session_id))

    @tornado.web.authenticated
    @authorized
    async def delete(self, session_id: str) -> None:
        await self.run_blocking(self.workbench.results.close, session_id)
        self.write_no_content()


class ResultPageHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "A page of a result, sorted and filtered server-side",
            request=FetchPageRequest,
            response=QueryPage,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, session_id: str) -> None:
        request = self.read_model(FetchPageRequest)
        page = await self.run_blocking(self.workbench.results.page, session_id, request)
        self.write_model(page)


class SaveResultHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Save a result as a new version of a workspace table",
            request=SaveResultRequest,
            response=DescribeTable,
            status=201,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, session_id: str) -> None:
        request = self.read_model(SaveResultRequest)
        table = await self.run_blocking(self.workbench.results.save, session_id, request)
        self.write_model(table, status=201)


class ExportResultHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint(
            "Download a result as CSV or Parquet",
            query={"format": "csv or parquet"},
            content_type="application/octet-stream",
        )
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, session_id: str) -> None:
        value = self.get_query_argument("format", "csv")
        try:
            fmt = ExportFormat(value)
        except ValueError:
            formats = ", ".join(f.value for f in ExportFormat)
            raise InvalidRequestError("format", f"Unknown format '{value}'; use one of {formats}.")
        tmp_dir = Path(self.workbench.path) / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(suffix=f".{fmt.value}", dir=tmp_dir)
        os.close(fd)
        dest = Path(name)
        try:
            await self.run_blocking(self.workbench.results.export, session_id, fmt, dest)
            media = "text/csv" if fmt is ExportFormat.csv else "application/vnd.apache.parquet"
            self.set_header("Content-Type", media)
            self.set_header(
                "Content-Disposition", f'attachment; filename="result-{session_id}.{fmt.value}"'
            )
            with dest.open("rb") as f:
                while chunk := f.read(1 << 20):
                    self.write(chunk)
                    await self.flush()
            self.finish()
        finally:
            dest.unlink(missing_ok=True)


class TableHandler(WorkbenchHandler):
    endpoints = {
        "get": Endpoint("A workspace table and its versions", response=DescribeTableVersions),
        "delete": Endpoint("Remove a workspace table and all its versions", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(await self.run_blocking(self.workbench.tables.describe, name))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        await self.run_blocking(self.workbench.tables.remove, name)
        self.write_no_content()
