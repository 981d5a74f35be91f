"""Notebook jobs: job definitions (a notebook, its kernel and parameters, limits and an optional
cron schedule), their runs (queued to finished, with the process, the outcome and the recorded
values), and the one-row scheduler lease that lets a single scheduler fire at a time.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _limits() -> list[sa.Column]:
    """What a run needs to start, on the job and again on each run (ad-hoc runs have no job)."""
    return [
        sa.Column("notebook", sa.Text, nullable=False),
        sa.Column("kernel", sa.String(128), nullable=True),
        sa.Column("parameters", sa.Text, nullable=False),
        sa.Column("output_dir", sa.Text, nullable=True),
        sa.Column("timeout_seconds", sa.Float, nullable=True),
        sa.Column("retries", sa.Integer, nullable=False),
        sa.Column("retry_backoff_seconds", sa.Float, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        *_limits(),
        sa.Column("schedule", sa.String(256), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("overlap", sa.String(16), nullable=False),
        sa.Column("catch_up", sa.String(16), nullable=False),
        sa.Column("last_fired_for", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id", ondelete="SET NULL"),
                  nullable=True),
        *_limits(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("scheduled_for", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=True),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("pid", sa.Integer, nullable=True),
        sa.Column("host", sa.String(256), nullable=True),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("exit_reason", sa.Text, nullable=True),
        sa.Column("failed_cell", sa.Integer, nullable=True),
        sa.Column("traceback", sa.Text, nullable=True),
        sa.Column("output_path", sa.Text, nullable=True),
        sa.Column("html_path", sa.Text, nullable=True),
        sa.Column("log_path", sa.Text, nullable=True),
        sa.Column("recorded", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_job_runs_job", "job_runs", ["job_id", "id"])
    op.create_index("ix_job_runs_status", "job_runs", ["status"])
    op.create_table(
        "scheduler_lease",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("holder", sa.String(256), nullable=True),
        sa.Column("expires_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("scheduler_lease")
    op.drop_index("ix_job_runs_status", "job_runs")
    op.drop_index("ix_job_runs_job", "job_runs")
    op.drop_table("job_runs")
    op.drop_table("jobs")
