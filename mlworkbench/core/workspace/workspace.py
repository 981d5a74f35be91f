"""The Workspace: one directory that every process (server, kernels, jobs, CLI) opens at once."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.data.catalog import Catalog
from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.imports import Imports
from mlworkbench.core.data.prep import Prep
from mlworkbench.core.data.results import Results
from mlworkbench.core.data.sql import Sql
from mlworkbench.core.data.statements import Parameters
from mlworkbench.core.jobs import rows as _job_rows  # noqa: F401 (job tables in Base.metadata)
from mlworkbench.core.labeling.label_sets import LabelSets
from mlworkbench.core.workspace.cleanup import cleanup
from mlworkbench.core.workspace.history import History
from mlworkbench.core.workspace.migrate import migrate
from mlworkbench.core.workspace.saved_queries import SavedQueries
from mlworkbench.core.workspace.store import Store
from mlworkbench.core.workspace.tables import Tables

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core.experiments import Experiments
    from mlworkbench.core.jobs import Jobs
    from mlworkbench.core.registry import Registry
    from mlworkbench.core.serving.scoring import Scoring
    from mlworkbench.core.training.jobs import TrainingJobs

DEFAULT_DIRNAME = ".mlworkbench"


class Workspace:
    """An open workspace. Create it with :meth:`open`; close it with :meth:`close` (or use it as
    a context manager).

    Attributes:
        path: The workspace directory.
        root_dir: Relative source paths resolve against it.
        allow_outside_root: Whether sources may live outside ``root_dir``.
        catalog: Sources and tables (:class:`~mlworkbench.core.data.catalog.Catalog`).
        sql: Running and cancelling queries (:class:`~mlworkbench.core.data.sql.Sql`).
        results: Result sessions (:class:`~mlworkbench.core.data.results.Results`).
        tables: Workspace tables (:class:`~mlworkbench.core.workspace.tables.Tables`).
        prep: Profiles, join keys, transforms, cost previews
            (:class:`~mlworkbench.core.data.prep.Prep`).
        labels: Label sets (:class:`~mlworkbench.core.labeling.label_sets.LabelSets`).
        experiments: Training runs, their lineage and fitted pipelines
            (:class:`~mlworkbench.core.experiments.Experiments`), made on first use.
        training: Training runs in their own processes: preview, start, progress, stop
            (:class:`~mlworkbench.core.training.jobs.TrainingJobs`), made on first use.
    """

    def __init__(self, path: Path, root_dir: Path, store: Store, engine: Engine, **kw: Any):
        self.path = path
        self.root_dir = root_dir
        self.allow_outside_root: bool = kw["allow_outside_root"]
        self.store = store
        self.engine = engine
        self.tables = Tables(path, store, engine)
        self.results = Results(
            engine, self.tables, ttl_seconds=kw["result_ttl_seconds"], max_results=kw["max_results"]
        )
        self.history = History(store)
        # predict('churn@production', *) in SQL loads published models from the registry.
        self.sql = Sql(engine, self.results, self.history, load=lambda ref: self.registry.load(ref))
        self.catalog = Catalog(path, root_dir, kw["allow_outside_root"], store, engine, self.tables)
        self.saved_queries = SavedQueries(path)
        self.imports = Imports(path, store, engine, self.tables, self.catalog)
        self.prep = Prep(engine, self.catalog, self.results)
        self.labels = LabelSets(store, engine, self.tables, root_dir)
        self._closed = False

    @classmethod
    def open(
        cls,
        path: str | os.PathLike | None = None,
        *,
        root_dir: str | os.PathLike | None = None,
        allow_outside_root: bool = False,
        memory_limit: str = "768MB",
        result_ttl_seconds: float = 1800,
        max_results: int = 32,
        metadata_url: str | None = None,
        threads: int | None = None,
    ) -> Workspace:
        """Open (creating if needed) a workspace; safe to call from many processes at once.

        Args:
            path: The workspace directory. Default: ``$MLWORKBENCH_HOME``, else
                ``<root_dir or cwd>/.mlworkbench``.
            root_dir: Relative source paths resolve against it (default: the current directory).
            allow_outside_root: Let sources live outside ``root_dir``.
            memory_limit: DuckDB's memory limit; bigger work spills to ``<path>/tmp/duckdb``.
            result_ttl_seconds: Idle result sessions are dropped after this.
            max_results: Result sessions kept at once; the least recently used goes first.
            metadata_url: A SQLAlchemy URL for the metadata (default: SQLite in the workspace).
            threads: DuckDB worker threads (default: one per core).

        Returns:
            The open workspace.

        Raises:
            InvalidRequestError: ``memory_limit`` is not a size DuckDB understands.
        """
        root = Path(root_dir if root_dir is not None else os.getcwd()).expanduser().resolve()
        if path is None:
            path = os.environ.get("MLWORKBENCH_HOME") or root / DEFAULT_DIRNAME
        workspace = Path(path).expanduser().resolve()
        (workspace / "tables").mkdir(parents=True, exist_ok=True)
        (workspace / "tmp" / "duckdb").mkdir(parents=True, exist_ok=True)
        store = Store(metadata_url or f"sqlite:///{workspace / 'workbench.db'}")
        try:
            migrate(store, workspace / ".migrate.lock")
            cleanup(workspace)
            engine = Engine(workspace, store, memory_limit=memory_limit, threads=threads)
        except BaseException:
            store.dispose()
            raise
        return cls(
            workspace,
            root,
            store,
            engine,
            allow_outside_root=allow_outside_root,
            result_ttl_seconds=result_ttl_seconds,
            max_results=max_results,
        )

    @cached_property
    def experiments(self) -> Experiments:
        from mlworkbench.core.experiments import Experiments

        return Experiments(self.path, self.store, self.engine, self.labels)

    @cached_property
    def registry(self) -> Registry:
        """Published models: versions, aliases, cards, loading (made on first use)."""
        from mlworkbench.core.registry import Registry

        return Registry(self)

    @cached_property
    def scoring(self) -> Scoring:
        """Score a query with a published model into a new version of a table."""
        from mlworkbench.core.serving.scoring import Scoring

        return Scoring(self)

    @cached_property
    def training(self) -> TrainingJobs:
        from mlworkbench.core.training.jobs import TrainingJobs

        return TrainingJobs(self)

    @cached_property
    def jobs(self) -> Jobs:
        """Notebook jobs: parameters, runs in their own processes, stop (made on first use)."""
        from mlworkbench.core.jobs import Jobs

        return Jobs(self)

    def query(self, sql: str, parameters: Parameters = None) -> pandas.DataFrame:
        """Run SQL and return the last statement's result as a pandas DataFrame.

        Args:
            sql: One or several statements over sources and workspace tables.
            parameters: ``$name`` values (dict) or positional values (list).

        Returns:
            The result, straight from DuckDB.

        Raises:
            QueryError: DuckDB refused a statement (line and column point into ``sql``).
        """
        return self.sql.dataframe(sql, parameters)

    def close(self) -> None:
        """Stop running queries, drop result sessions, write the queued history, close DuckDB
        and the metadata pool."""
        if self._closed:
            return
        self._closed = True
        self.sql.cancel_all()
        self.labels.close()
        self.results.close_all()
        self.history.close()
        self.engine.close()
        self.store.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"
