"""The server extension: opens the workspace once per server, mounts the REST routes and runs the
job scheduler (recovering runs lost while the server was down first)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Float, Int, Unicode

from mlworkbench import __version__


class MLWorkbench(ExtensionApp):
    """Configure with ``c.MLWorkbench.<trait>`` in jupyter_server_config.py or on the command
    line (``--MLWorkbench.workspace=/data/ws``)."""

    name = "mlworkbench"
    description = "DuckDB SQL, labeling, training and publishing inside JupyterLab"
    version = __version__
    load_other_extensions = True

    workspace = Unicode(
        "",
        config=True,
        help="Workspace directory. Default: $MLWORKBENCH_HOME, else .mlworkbench under the "
        "Jupyter root directory.",
    )
    allow_paths_outside_root = Bool(
        False,
        config=True,
        help="Let users register files outside the Jupyter root directory.",
    )
    memory_limit = Unicode(
        "768MB",
        config=True,
        help="DuckDB memory limit (its buffer pool: the process holds a little more, so this "
        "keeps growth under 1 GB); larger work spills to the workspace's tmp folder.",
    )
    result_ttl_seconds = Int(1800, config=True, help="Idle result sessions are dropped after this.")
    max_results = Int(32, config=True, help="Result sessions kept at once; the oldest go first.")
    worker_threads = Int(8, config=True, help="Threads for queries and other slow work.")
    max_upload_mb = Int(
        4096, config=True, help="Largest file an upload (POST /imports) may send, in MB."
    )
    predict_max_bytes = Int(
        10 * 1024 * 1024,
        config=True,
        help="Largest request body POST /models/{ref}/predict reads, in bytes (413 over it).",
    )
    label_studio_url = Unicode(
        "",
        config=True,
        help="Label Studio's URL for the labeling bridge (default: $LABEL_STUDIO_URL).",
    )
    label_studio_api_key = Unicode(
        "",
        config=True,
        help="Label Studio API key (Access Token) for the labeling bridge (default: "
        "$LABEL_STUDIO_API_KEY). Never written to notebooks, logs or responses.",
    )

    scheduler = Bool(
        True,
        config=True,
        help="Run the notebook job scheduler in this server (fires scheduled jobs; one "
        "scheduler per workspace fires at a time, so `mlworkbench scheduler` may run too).",
    )
    scheduler_interval = Float(1.0, config=True, help="Seconds between scheduler ticks.")
    scheduler_lease_seconds = Float(
        30.0,
        config=True,
        help="How long the scheduler's lease lasts without renewal: another scheduler takes "
        "over this long after this one stopped renewing it.",
    )

    def initialize_settings(self) -> None:
        from mlworkbench.core import Workspace
        from mlworkbench.core.tasks import Tasks

        root_dir = Path(self.serverapp.root_dir).expanduser().resolve()
        path = self.workspace or os.environ.get("MLWORKBENCH_HOME") or str(root_dir / ".mlworkbench")
        self.log.info("mlworkbench: workspace %s", path)
        self._workspace = Workspace.open(
            path,
            root_dir=root_dir,
            allow_outside_root=self.allow_paths_outside_root,
            memory_limit=self.memory_limit,
            result_ttl_seconds=self.result_ttl_seconds,
            max_results=self.max_results,
        )
        self._executor = ThreadPoolExecutor(self.worker_threads, thread_name_prefix="mlworkbench")
        self._tasks = Tasks()
        self.settings.update(
            {
                "mlworkbench_workspace": self._workspace,
                "mlworkbench_executor": self._executor,
                "mlworkbench_tasks": self._tasks,
                "mlworkbench_max_upload_bytes": self.max_upload_mb << 20,
                "mlworkbench_predict_max_bytes": self.predict_max_bytes,
            }
        )
        self._start_jobs()

    def _start_jobs(self) -> None:
        """Runs whose runner died while the server was down are marked failed (with the
        reason) before anything fires; then the scheduler thread starts, when enabled."""
        from mlworkbench.core.jobs.scheduler import SchedulerThread

        for run in self._workspace.jobs.recover():
            if run.status == "failed":
                self.log.warning("mlworkbench: job run %s (%s) marked failed: %s", run.id,
                                 run.notebook, run.exit_reason)
        self._scheduler = None
        if self.scheduler:
            self._scheduler = SchedulerThread(
                self._workspace, interval=self.scheduler_interval,
                lease_seconds=self.scheduler_lease_seconds).start()
            self.settings["mlworkbench_scheduler"] = self._scheduler
            self.log.info("mlworkbench: job scheduler %s started", self._scheduler.holder)

    def initialize_handlers(self) -> None:
        from mlworkbench.server.routes import ROUTES

        self.handlers.extend((route.pattern, route.handler) for route in ROUTES)

    async def stop_extension(self) -> None:
        # The prediction log writes its queue (up to 2 s of requests) before the workspace goes.
        predictions = self.serverapp.web_app.settings.get("mlworkbench_predictions")
        if predictions is not None and predictions.log is not None:
            predictions.log.close()
        scheduler = getattr(self, "_scheduler", None)
        if scheduler is not None:  # before the workspace closes: it gives the lease up there
            scheduler.stop(timeout=5.0)
        workspace = getattr(self, "_workspace", None)
        if workspace is not None:
            workspace.close()
        tasks = getattr(self, "_tasks", None)
        if tasks is not None:
            tasks.shutdown()
        executor = getattr(self, "_executor", None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
