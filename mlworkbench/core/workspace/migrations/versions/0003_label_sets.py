"""Label sets: their definitions, the label journal, the current state, skips and bridge links.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _parent(table: str) -> sa.Column:
    return sa.Column(
        "label_set_id",
        sa.Integer,
        sa.ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "label_sets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("name_key", sa.String(128), nullable=False, unique=True),
        sa.Column(
            "table_id",
            sa.Integer,
            sa.ForeignKey("workspace_tables.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sql", sa.Text, nullable=False),
        sa.Column("key", sa.String(256), nullable=False),
        sa.Column("choices", sa.Text, nullable=False),
        sa.Column("multi", sa.Boolean, nullable=False),
        sa.Column("show", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "label_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "label_set_id",
            sa.Integer,
            sa.ForeignKey("label_sets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("labels", sa.Text, nullable=True),
        sa.Column("annotator", sa.String(256), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("model_version", sa.String(256), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("external_id", sa.String(256), nullable=True),
        sa.Column("labeled_at", sa.DateTime, nullable=False),
        sa.Column("undone", sa.Boolean, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_label_events_annotator", "label_events", ["label_set_id", "annotator", "id"]
    )
    op.create_index(
        "ix_label_events_external", "label_events", ["label_set_id", "source", "external_id"]
    )
    op.create_index(
        "ix_label_events_item",
        "label_events",
        ["label_set_id", "item_key", "annotator", "source"],
    )
    op.create_table(
        "label_state",
        _parent("label_sets"),
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("annotator", sa.String(256), primary_key=True),
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("labels", sa.Text, nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("model_version", sa.String(256), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("external_id", sa.String(256), nullable=True),
        sa.Column("labeled_at", sa.DateTime, nullable=True),
        sa.Column("event_id", sa.Integer, nullable=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_label_state_seq", "label_state", ["label_set_id", "seq"])
    op.create_index(
        "ix_label_state_external", "label_state", ["label_set_id", "source", "external_id"]
    )
    op.create_table(
        "label_skips",
        _parent("label_sets"),
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("annotator", sa.String(256), primary_key=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_label_skips_seq", "label_skips", ["label_set_id", "seq"])
    op.create_table(
        "label_links",
        _parent("label_sets"),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("label_links", "label_skips", "label_state", "label_events", "label_sets"):
        op.drop_table(table)
