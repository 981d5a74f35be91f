"""Experiments: training runs with their parameters, metrics, lineage (the table versions and
source files they read) and artifacts (fitted pipelines as skops files).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _run_id(**kw) -> sa.Column:
    return sa.Column(
        "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, **kw
    )


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "experiment_id",
            sa.Integer,
            sa.ForeignKey("experiments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("duration_s", sa.Float, nullable=True),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("task", sa.String(32), nullable=True),
        sa.Column("target", sa.Text, nullable=True),
        sa.Column("sql", sa.Text, nullable=True),
        sa.Column("mlworkbench_version", sa.String(64), nullable=False),
        sa.Column("versions", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("pid", sa.Integer, nullable=True),
        sa.Column("host", sa.String(256), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_runs_status", "runs", ["status"])
    op.create_index("ix_runs_experiment", "runs", ["experiment_id", "started_at"])
    op.create_table(
        "run_inputs",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_id(index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(256), nullable=True),
        sa.Column(
            "table_version_id",
            sa.Integer,
            sa.ForeignKey("table_versions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("row_count", sa.BigInteger, nullable=True),
        sa.Column("size", sa.BigInteger, nullable=True),
        sa.Column("mtime_ns", sa.BigInteger, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
    )
    op.create_index("ix_run_inputs_file", "run_inputs", ["path", "size", "mtime_ns"])
    op.create_table(
        "run_artifacts",
        sa.Column("id", sa.Integer, primary_key=True),
        _run_id(),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("untrusted_types", sa.Text, nullable=False),
        sa.Column("rank", sa.Integer, nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("run_id", "name", name="uq_run_artifacts_name"),
    )


def downgrade() -> None:
    op.drop_table("run_artifacts")
    op.drop_index("ix_run_inputs_file", "run_inputs")
    op.drop_table("run_inputs")
    op.drop_index("ix_runs_experiment", "runs")
    op.drop_index("ix_runs_status", "runs")
    op.drop_table("runs")
    op.drop_table("experiments")
