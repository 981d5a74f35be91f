"""The query history: every query run from the panel, a notebook or the CLI.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "query_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sql", sa.Text, nullable=False),
        sa.Column("parameters", sa.Text, nullable=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("duration_ms", sa.Float, nullable=False),
        sa.Column("rows", sa.BigInteger, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("error_line", sa.Integer, nullable=True),
        sa.Column("error_column", sa.Integer, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("query_id", sa.String(64), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_query_history_status", "query_history", ["status"])


def downgrade() -> None:
    op.drop_index("ix_query_history_status", "query_history")
    op.drop_table("query_history")
