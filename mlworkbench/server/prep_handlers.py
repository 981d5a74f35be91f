"""REST handlers of data preparation: profiles, join keys and previews, transform SQL, and the
cost preview of a query. Each verb parses, calls ``workspace.prep`` off the event loop, writes."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas import (
    DescribeProfile,
    EstimateQueryRequest,
    JoinPreview,
    JoinSuggestions,
    PreviewJoinRequest,
    ProfileRequest,
    QueryEstimate,
    SuggestJoinsRequest,
    TransformSql,
    TransformSqlRequest,
)
from mlworkbench.server.base import Endpoint, WorkbenchHandler


class ProfilesHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Profile the columns of a table, a result session or a SELECT (sampled when big)",
            request=ProfileRequest,
            response=DescribeProfile,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(ProfileRequest)
        self.write_model(await self.run_blocking(self.workbench.prep.profile, request))


class SuggestJoinsHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Ranked join key suggestions between tables, with measured match rates",
            request=SuggestJoinsRequest,
            response=JoinSuggestions,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(SuggestJoinsRequest)
        self.write_model(await self.run_blocking(self.workbench.prep.suggest_joins, request))


class PreviewJoinHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "A join's SQL, first rows, estimated and exact row counts, and warnings",
            request=PreviewJoinRequest,
            response=JoinPreview,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(PreviewJoinRequest)
        self.write_model(await self.run_blocking(self.workbench.prep.preview_join, request))


class TransformSqlHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "The SQL of a transform (filter, derive, cast, drop duplicates, fill nulls)",
            request=TransformSqlRequest,
            response=TransformSql,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        # Pure text building: no need to leave the event loop.
        request = self.read_model(TransformSqlRequest)
        self.write_model(self.workbench.prep.transform_sql(request))


class EstimateQueryHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "DuckDB's estimate of a query's rows, with a LIMIT and a sample rewrite when huge",
            request=EstimateQueryRequest,
            response=QueryEstimate,
        )
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(EstimateQueryRequest)
        self.write_model(await self.run_blocking(self.workbench.prep.estimate, request))
