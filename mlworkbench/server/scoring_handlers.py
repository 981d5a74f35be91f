"""REST scoring (issue 7): ``POST /mlworkbench/api/scoring`` scores the rows of one SELECT with
a published model into a new version of a workspace table (``workspace.scoring.score``, off
the event loop). The panel's "Score a query" button calls it."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas.scoring import ScoreQueryRequest, ScoreResponse
from mlworkbench.server.base import Endpoint, WorkbenchHandler


class ScoringHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Score a query: its rows plus the model's prediction column (and class "
            "probabilities when asked) written as a new version of a workspace table, with the "
            "model version and sha256 in the version's lineage. 404 unknown model, 422 columns "
            "that do not fit its signature, 400 a bad query (line and column), 409 a source "
            "or label set name",
            request=ScoreQueryRequest, response=ScoreResponse, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(ScoreQueryRequest)
        scored = await self.run_blocking(self._score, request)
        self.write_model(scored, status=201)

    def _score(self, request: ScoreQueryRequest) -> ScoreResponse:
        options = request.model_dump(exclude={"sql", "model"})
        return self.workbench.scoring.score(request.sql, request.model, **options)
