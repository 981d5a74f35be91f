"""The route table: one place that lists every REST route, read by the server and by the
OpenAPI generator and the auth check."""

from __future__ import annotations

from dataclasses import dataclass

from mlworkbench.server import handlers as h
from mlworkbench.server import history_handlers as hh
from mlworkbench.server import jobs_handlers as jh
from mlworkbench.server import labeling_handlers as lh
from mlworkbench.server import predict_handlers as ph
from mlworkbench.server import prep_handlers as p
from mlworkbench.server import queue_handlers as qh
from mlworkbench.server import registry_handlers as rh
from mlworkbench.server import scoring_handlers as sc
from mlworkbench.server import studio_handlers as sh
from mlworkbench.server import training_handlers as th
from mlworkbench.server.base import WorkbenchHandler

API = "/mlworkbench/api"
_ID = r"(?P<{}>[^/]+)"


@dataclass(frozen=True)
class Route:
    path: str  # OpenAPI style: /results/{session_id}
    handler: type[WorkbenchHandler]

    @property
    def pattern(self) -> str:
        """The tornado pattern: each {name} becomes a named group."""
        pattern = self.path
        for part in pattern.split("/"):
            if part.startswith("{") and part.endswith("}"):
                pattern = pattern.replace(part, _ID.format(part[1:-1]))
        return API + pattern


ROUTES = [
    Route("/status", h.StatusHandler),
    Route("/catalog", h.CatalogHandler),
    Route("/catalog/names", h.CompletionNamesHandler),
    Route("/sources", h.SourcesHandler),
    Route("/sources/{name}", h.SourceHandler),
    Route("/queries", h.QueriesHandler),
    # Before /queries/{query_id}: the first pattern that matches wins.
    Route("/queries/estimate", p.EstimateQueryHandler),
    Route("/queries/{query_id}", h.QueryHandler),
    Route("/queries/{query_id}/cancel", h.CancelQueryHandler),
    Route("/results/{session_id}", h.ResultHandler),
    Route("/results/{session_id}/page", h.ResultPageHandler),
    Route("/results/{session_id}/save", h.SaveResultHandler),
    Route("/results/{session_id}/export", h.ExportResultHandler),
    Route("/tables/{name}", h.TableHandler),
    Route("/history", hh.HistoryHandler),
    Route("/history/{entry_id}", hh.HistoryEntryHandler),
    Route("/saved-queries", hh.SavedQueriesHandler),
    Route("/saved-queries/{name}", hh.SavedQueryHandler),
    Route("/saved-queries/{name}/rename", hh.RenameSavedQueryHandler),
    Route("/imports", hh.ImportsHandler),
    Route("/profiles", p.ProfilesHandler),
    Route("/joins/suggest", p.SuggestJoinsHandler),
    Route("/joins/preview", p.PreviewJoinHandler),
    Route("/transforms/sql", p.TransformSqlHandler),
    Route("/labelsets", lh.LabelSetsHandler),
    Route("/labelsets/{name}", lh.LabelSetHandler),
    Route("/labelsets/{name}/items", lh.LabelItemsHandler),
    Route("/labelsets/{name}/labels", lh.RecordLabelHandler),
    Route("/labelsets/{name}/skip", lh.SkipItemHandler),
    Route("/labelsets/{name}/undo", lh.UndoLabelHandler),
    Route("/labelsets/{name}/image", lh.LabelImageHandler),
    Route("/labelsets/{name}/queue", qh.LabelQueueHandler),
    Route("/labelsets/{name}/queue/task", qh.LabelQueueTaskHandler),
    Route("/labelsets/{name}/studio", sh.StudioLinkHandler),
    Route("/labelsets/{name}/studio/connect", sh.StudioConnectHandler),
    Route("/labelsets/{name}/studio/push", sh.StudioPushHandler),
    Route("/labelsets/{name}/studio/pull", sh.StudioPullHandler),
    Route("/tasks/{task_id}", sh.TaskHandler),
    Route("/tasks/{task_id}/cancel", sh.CancelTaskHandler),
    Route("/training/preview", th.TrainingPreviewHandler),
    Route("/training/runs", th.TrainingRunsHandler),
    Route("/training/runs/{run_id}", th.TrainingRunHandler),
    Route("/training/runs/{run_id}/stop", th.StopTrainingRunHandler),
    Route("/training/compare", th.CompareTrainingRunsHandler),
    Route("/models", rh.ModelsHandler),
    Route("/models/{name}", rh.ModelHandler),
    Route("/models/{name}/versions/{version}", rh.ModelVersionHandler),
    Route("/models/{name}/versions/{version}/card", rh.ModelCardHandler),
    Route("/models/{name}/versions/{version}/export", rh.ExportModelHandler),
    Route("/models/{name}/aliases/{alias}", rh.ModelAliasHandler),
    Route("/models/{name}/aliases/{alias}/gates", rh.ModelAliasGatesHandler),
    Route("/models/{name}/aliases/{alias}/rollback", rh.RollbackAliasHandler),
    Route("/models/{ref}/predict", ph.PredictHandler),
    Route("/scoring", sc.ScoringHandler),
    Route("/scoring/task", sc.ScoringTaskHandler),
    # Notebook jobs. The fixed paths come before /jobs/{name}, which would match them too.
    Route("/jobs/parameters", jh.NotebookParametersHandler),
    Route("/jobs/runs", jh.JobRunsHandler),
    Route("/jobs/runs/{run_id}", jh.JobRunHandler),
    Route("/jobs/runs/{run_id}/stop", jh.StopJobRunHandler),
    Route("/jobs/runs/{run_id}/log", jh.JobRunLogHandler),
    Route("/jobs/runs/{run_id}/html", jh.JobRunHtmlHandler),
    Route("/jobs/schedule/preview", jh.SchedulePreviewHandler),
    Route("/jobs/scheduler", jh.SchedulerStatusHandler),
    Route("/jobs", jh.JobsListHandler),
    Route("/jobs/{name}", jh.JobHandler),
    Route("/jobs/{name}/pause", jh.PauseJobHandler),
    Route("/jobs/{name}/resume", jh.ResumeJobHandler),
    Route("/jobs/{name}/run", jh.RunJobHandler),
]
