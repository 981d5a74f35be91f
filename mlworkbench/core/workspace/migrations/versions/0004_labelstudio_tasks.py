"""The Label Studio bridge's task map: which item of a label set became which task of which
project, and which annotations were pulled from it (so a push adds only new items and a task
deleted upstream flags exactly its labels).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "labelstudio_tasks",
        sa.Column(
            "label_set_id",
            sa.Integer,
            sa.ForeignKey("label_sets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("project_id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.BigInteger, primary_key=True),
        sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("annotation_ids", sa.Text, nullable=False, server_default="[]"),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_labelstudio_tasks_key",
        "labelstudio_tasks",
        ["label_set_id", "project_id", "item_key"],
    )


def downgrade() -> None:
    op.drop_index("ix_labelstudio_tasks_key", "labelstudio_tasks")
    op.drop_table("labelstudio_tasks")
