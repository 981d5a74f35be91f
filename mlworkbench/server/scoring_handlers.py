"""REST scoring (issue 7): ``POST /mlworkbench/api/scoring`` scores the rows of one SELECT with
a published model into a new version of a workspace table (``workspace.scoring.score``, off
the event loop) and answers when it is written. ``POST /scoring/task`` does the same as a
background task: the client polls ``GET /tasks/{task_id}`` (rows done of the planner's
estimate; the ``ScoreResponse`` as its result) and may cancel it with ``POST
/tasks/{task_id}/cancel``, which stops at the next batch and writes no version. The panel's
"Score a query" dialog uses the task."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.core.tasks import Progress
from mlworkbench.schemas.scoring import ScoreQueryRequest, ScoreResponse
from mlworkbench.schemas.studio import StudioTaskStarted
from mlworkbench.server.base import Endpoint, WorkbenchHandler

_ERRORS = ("404 unknown model, 422 columns that do not fit its signature, 400 a bad query "
           "(line and column), 409 a source or label set name")


class ScoringHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Score a query: its rows plus the model's prediction column (and class "
            "probabilities when asked) written as a new version of a workspace table, with the "
            f"model version and sha256 in the version's lineage. {_ERRORS}",
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


class ScoringTaskHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Score a query in the background: poll GET /tasks/{task_id} for rows done of the "
            "estimated total; its result is the ScoreResponse. POST /tasks/{task_id}/cancel "
            "stops it at the next batch and no version is written. Not one SELECT or an "
            "unknown model are refused at once (422, 404); the other errors are the task's "
            f"error, with the same message, code and detail ({_ERRORS})",
            request=ScoreQueryRequest, response=StudioTaskStarted, status=202),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(ScoreQueryRequest)
        await self.run_blocking(self.workbench.scoring.check, request.sql, request.model,
                                column=request.column)
        options = request.model_dump(exclude={"sql", "model"})
        scoring = self.workbench.scoring

        def score(progress: Progress) -> dict:
            progress.update(message=f"Scoring into {request.into}")
            scored = scoring.score(
                request.sql, request.model, **options,
                progress=lambda done, total: progress.update(done, total),
                check=progress.check)
            # The exact count, also when scoring took under a second (no progress calls).
            # Set, not update(): a cancel arriving now must not hide the version written.
            progress.done = progress.total = scored.rows
            return scored.model_dump(mode="json")

        task_id = self.tasks.start("scoring", score)
        self.write_model(StudioTaskStarted(task_id=task_id), status=202)
