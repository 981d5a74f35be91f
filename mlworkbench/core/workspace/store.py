"""The metadata store: SQLAlchemy 2 models and the engines that read and write them.

SQLite (the default, ``<workspace>/workbench.db``) runs in WAL mode so readers never block the
writer, with a busy timeout so writers from several processes queue instead of failing. Write
transactions start with ``BEGIN IMMEDIATE``: a deferred transaction that reads then writes can
fail at once with "database is locked" when another process got there first, without waiting.

Every catalog change bumps the single-row ``generation`` counter in the same transaction, so any
process can tell with one cheap SELECT whether its DuckDB views are stale.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    false,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

BUSY_TIMEOUT_MS = 60_000
# Bookkeeping writes (the query history) wait this long for the lock, then give up.
QUICK_BUSY_TIMEOUT_MS = 2_000


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware datetime (SQLite drops the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class SourceRow(Base):
    """A registered external source. ``name_key`` folds case the way DuckDB does, so 'Orders' and
    'orders' cannot both exist (DuckDB would see one name)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    name_key: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TableRow(Base):
    """A workspace table: a name whose data is a series of immutable Parquet versions."""

    __tablename__ = "workspace_tables"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    name_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    versions: Mapped[list[TableVersionRow]] = relationship(
        back_populates="table",
        cascade="all, delete-orphan",
        order_by="TableVersionRow.version.desc()",
        passive_deletes=True,
    )


class TableVersionRow(Base):
    """One version; ``path`` is relative to the workspace directory."""

    __tablename__ = "table_versions"
    __table_args__ = (UniqueConstraint("table_id", "version", name="uq_table_versions_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_id: Mapped[int] = mapped_column(
        ForeignKey("workspace_tables.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    row_count: Mapped[int] = mapped_column(Integer)
    sql: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    table: Mapped[TableRow] = relationship(back_populates="versions")


class GenerationRow(Base):
    """The single row (id 1) whose value grows with every catalog change."""

    __tablename__ = "generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class HistoryRow(Base):
    """One query run from the panel, a notebook or the CLI (see ``workspace/history.py``).

    ``sqlite_autoincrement`` so that an id is never reused after pruning: the panel may hold it.
    """

    __tablename__ = "query_history"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sql: Mapped[str] = mapped_column(Text)
    parameters: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[float] = mapped_column(Float)
    rows: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_line: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_column: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(16))
    query_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LabelSetRow(Base):
    """A label set: its source query and choices. Its SQL table is the workspace table
    ``table_id`` (Parquet snapshots) plus the label state committed since the newest snapshot.
    ``seq`` counts its changes: every label, skip, undo or flag takes the next number."""

    __tablename__ = "label_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    name_key: Mapped[str] = mapped_column(String(128), unique=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("workspace_tables.id", ondelete="CASCADE"))
    sql: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(256))
    choices: Mapped[str] = mapped_column(Text)  # JSON list
    multi: Mapped[bool] = mapped_column(Boolean, default=False)
    show: Mapped[str] = mapped_column(Text)  # JSON list
    kind: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabelEventRow(Base):
    """The journal: every label and skip as it was made (kept for undo and history)."""

    __tablename__ = "label_events"
    __table_args__ = (
        Index("ix_label_events_annotator", "label_set_id", "annotator", "id"),
        Index("ix_label_events_external", "label_set_id", "source", "external_id"),
        Index("ix_label_events_item", "label_set_id", "item_key", "annotator", "source"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_set_id: Mapped[int] = mapped_column(ForeignKey("label_sets.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(8))  # 'label' | 'skip'
    item_key: Mapped[str] = mapped_column(Text)
    labels: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list
    annotator: Mapped[str] = mapped_column(String(256))
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default="ok")
    model_version: Mapped[str | None] = mapped_column(String(256), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    labeled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class LabelStateRow(Base):
    """The current label of one item by one annotator from one source (``labels`` None: none,
    after an undo). ``seq`` is the label set's change number that last touched the row, so a
    process brings its DuckDB copy up to date with the rows past the number it last saw."""

    __tablename__ = "label_state"
    __table_args__ = (
        Index("ix_label_state_seq", "label_set_id", "seq"),
        Index("ix_label_state_external", "label_set_id", "source", "external_id"),
    )

    label_set_id: Mapped[int] = mapped_column(
        ForeignKey("label_sets.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(Text, primary_key=True)
    annotator: Mapped[str] = mapped_column(String(256), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    labels: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list
    status: Mapped[str] = mapped_column(String(24), default="ok")
    model_version: Mapped[str | None] = mapped_column(String(256), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    labeled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class LabelSkipRow(Base):
    """An item an annotator skipped (``active`` false once undone or labeled)."""

    __tablename__ = "label_skips"
    __table_args__ = (Index("ix_label_skips_seq", "label_set_id", "seq"),)

    label_set_id: Mapped[int] = mapped_column(
        ForeignKey("label_sets.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(Text, primary_key=True)
    annotator: Mapped[str] = mapped_column(String(256), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class LabelLinkRow(Base):
    """A bridge's state for one label set (``kind`` 'labelstudio': URL, project, last pull)."""

    __tablename__ = "label_links"

    label_set_id: Mapped[int] = mapped_column(
        ForeignKey("label_sets.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(Text)  # JSON object
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The Label Studio bridge's task map (migration 0004): item key -> task id per label set and
# project, with the annotation ids pulled from each task. A Core table: written in bulk by
# ``core/labeling/studio_tasks.py`` without the ORM.
LABELSTUDIO_TASKS = Table(
    "labelstudio_tasks",
    Base.metadata,
    Column(
        "label_set_id", Integer, ForeignKey("label_sets.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("project_id", Integer, primary_key=True),
    Column("task_id", BigInteger, primary_key=True),
    Column("item_key", Text, nullable=False),
    Column("annotation_ids", Text, nullable=False, server_default="[]"),
    Column("deleted", Boolean, nullable=False, server_default=false()),
    Index("ix_labelstudio_tasks_key", "label_set_id", "project_id", "item_key"),
)



class ExperimentRow(Base):
    """A named group of training runs (``ws.experiments``, see ``core/experiments``)."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RunRow(Base):
    """One training run: what it was given (``params``, ``sql``), what it measured
    (``metrics``), how it ended. ``params``/``metrics``/``versions`` are JSON objects.
    ``sqlite_autoincrement``: a run's id names its artifact folder, so it is never reused."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_experiment", "experiment_id", "started_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    params: Mapped[str] = mapped_column(Text, default="{}")
    metrics: Mapped[str] = mapped_column(Text, default="{}")
    task: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target: Mapped[str | None] = mapped_column(Text, nullable=True)
    sql: Mapped[str | None] = mapped_column(Text, nullable=True)
    mlworkbench_version: Mapped[str] = mapped_column(String(64))
    versions: Mapped[str] = mapped_column(Text, default="{}")  # library versions
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(256), nullable=True)


class RunInputRow(Base):
    """What a run read (its lineage). ``kind`` 'table': a workspace table at one version
    (``table_version_id`` is None once that version is removed; ``path`` still names its
    Parquet file, relative to the workspace). ``kind`` 'file': one file of a source (or one a
    query read directly), absolute ``path``, with its size, mtime and sha256 when read."""

    __tablename__ = "run_inputs"
    __table_args__ = (Index("ix_run_inputs_file", "path", "size", "mtime_ns"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    table_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("table_versions.id", ondelete="SET NULL"), nullable=True
    )
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    path: Mapped[str] = mapped_column(Text)
    row_count: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    mtime_ns: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RunArtifactRow(Base):
    """A file a run produced: a fitted pipeline as a skops file (``path`` relative to the
    workspace), its sha256 and the types skops does not trust by itself (JSON list, as
    written), its leaderboard ``rank`` and ``score``."""

    __tablename__ = "run_artifacts"
    __table_args__ = (UniqueConstraint("run_id", "name", name="uq_run_artifacts_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    untrusted_types: Mapped[str] = mapped_column(Text, default="[]")
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModelRow(Base):
    """A published model's name (``ws.registry``, see ``core/registry``). ``name_key`` folds
    case: 'Churn' and 'churn' would share a folder on a case-insensitive file system."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    name_key: Mapped[str] = mapped_column(String(128), unique=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModelVersionRow(Base):
    """One published version: a copy of a run's skops file (``path`` relative to the
    workspace) with its sha256, the types skops does not trust by itself, the input
    ``signature``, ``lineage`` (the run, its query and inputs), ``metrics`` and ``classes``
    (JSON), and the model card (markdown, also ``card.md`` beside the file)."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("model_id", "version", name="uq_model_versions_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # lineage keeps it
    artifact: Mapped[str] = mapped_column(String(128))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    untrusted_types: Mapped[str] = mapped_column(Text, default="[]")
    signature: Mapped[str] = mapped_column(Text)
    lineage: Mapped[str] = mapped_column(Text, default="{}")
    metrics: Mapped[str] = mapped_column(Text, default="{}")
    task: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target: Mapped[str | None] = mapped_column(Text, nullable=True)
    classes: Mapped[str | None] = mapped_column(Text, nullable=True)
    card: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModelAliasRow(Base):
    """An alias of a model ('production'): the version it points at (None until first moved)
    and the gates (JSON list of SQL checks on metrics) every move must pass."""

    __tablename__ = "model_aliases"

    model_id: Mapped[int] = mapped_column(
        ForeignKey("models.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(String(128), primary_key=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_versions.id", ondelete="SET NULL"), nullable=True
    )
    gates: Mapped[str] = mapped_column(Text, default="[]")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AliasMoveRow(Base):
    """Every move of an alias, and every refused one: ``action`` 'promote' or 'rollback',
    the versions from and to, ``moved`` false when a gate refused it, the gate results
    (JSON) and who asked."""

    __tablename__ = "model_alias_moves"
    __table_args__ = (
        Index("ix_model_alias_moves_alias", "model_id", "alias", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(16))
    from_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_version: Mapped[int] = mapped_column(Integer)
    moved: Mapped[bool] = mapped_column(Boolean)
    gate_results: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(256), nullable=True)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Store:
    """Sessions over the metadata database.

    Args:
        url: A SQLAlchemy URL (``sqlite:///.../workbench.db`` by default).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._probe = None  # the connection generation() asks for SQLite's data_version
        self._probe_lock = threading.Lock()
        self._seen: tuple[int | None, int] = (None, 0)  # (data_version, generation) last read
        self._write_engine = self._create_engine(immediate=True)
        self._quick_engine = (
            self._create_engine(immediate=True, busy_ms=QUICK_BUSY_TIMEOUT_MS, durable=False)
            if self.is_sqlite
            else self._write_engine
        )
        # Reads take no write lock; for other databases one engine serves both.
        self._read_engine = (
            self._create_engine(immediate=False) if self.is_sqlite else self._write_engine
        )

    def _create_engine(
        self, *, immediate: bool, busy_ms: int = BUSY_TIMEOUT_MS, durable: bool = True
    ) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True)
        engine = create_engine(
            self.url,
            connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            # Take over BEGIN from pysqlite so that we can say IMMEDIATE.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not durable:
                # WAL stays consistent; a power cut may lose the last commits (of bookkeeping).
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @property
    def write_engine(self) -> Engine:
        """The engine migrations run on."""
        return self._write_engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot under WAL).

        Yields:
            A session; nothing it changes is committed.
        """
        # Closing (not rolling back) ends the transaction without expiring loaded objects,
        # so rows read here stay usable after the block.
        with Session(self._read_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction that bumps the generation and commits on success.

        Yields:
            A session holding the database's write lock (SQLite) for its duration.
        """
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session
                session.execute(
                    update(GenerationRow)
                    .where(GenerationRow.id == 1)
                    .values(value=GenerationRow.value + 1)
                )

    @contextmanager
    def write_quick(self) -> Iterator[Session]:
        """A write transaction for bookkeeping: it waits at most ``QUICK_BUSY_TIMEOUT_MS`` for
        the lock (then raises ``OperationalError``), does not fsync its commit (SQLite), and
        leaves the catalog generation alone, so no process refreshes its views for it.

        Yields:
            A session; committed on success.
        """
        with Session(self._quick_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def generation(self) -> int:
        """The current catalog generation: one cheap SELECT.

        Returns:
            A number that grows with every catalog change by any process.
        """
        version = self.data_version()
        if version is not None and version == self._seen[0]:
            return self._seen[1]  # nothing was committed since: the counter cannot have moved
        with self._read_engine.connect() as conn:
            value = conn.execute(select(GenerationRow.value).where(GenerationRow.id == 1)).scalar()
            conn.rollback()
        value = int(value or 0)
        if version is not None:
            # Read after the version: a commit in between only makes the next call look again.
            self._seen = (version, value)
        return value

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on a connection kept for it: it changes whenever
        another connection (of any process) commits, and costs microseconds instead of the
        SELECT's half millisecond, which every SQL cell pays. None for other databases."""
        if not self.is_sqlite:
            return None
        with self._probe_lock:
            try:
                if self._probe is None:
                    self._probe = self._read_engine.raw_connection()
                return self._probe.cursor().execute("PRAGMA data_version").fetchone()[0]
            except Exception:  # a broken probe only costs the fast path
                self._close_probe()
                return None

    def _close_probe(self) -> None:
        probe, self._probe, self._seen = self._probe, None, (None, 0)
        if probe is not None:
            try:
                probe.close()
            except Exception:
                pass

    def dispose(self) -> None:
        """Close pooled connections."""
        with self._probe_lock:
            self._close_probe()
        self._write_engine.dispose()
        for engine in (self._read_engine, self._quick_engine):
            if engine is not self._write_engine:
                engine.dispose()
