"""The model registry: published model versions (skops copies with signature, lineage, metrics
and card), aliases with their gates, and the history of every alias move.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _model_id(**kw) -> sa.Column:
    return sa.Column(
        "model_id", sa.Integer, sa.ForeignKey("models.id", ondelete="CASCADE"), nullable=False,
        **kw,
    )


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("name_key", sa.String(128), nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        _model_id(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=True),
        sa.Column("artifact", sa.String(128), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("untrusted_types", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("lineage", sa.Text, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("task", sa.String(32), nullable=True),
        sa.Column("target", sa.Text, nullable=True),
        sa.Column("classes", sa.Text, nullable=True),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("model_id", "version", name="uq_model_versions_version"),
    )
    op.create_table(
        "model_aliases",
        _model_id(primary_key=True),
        sa.Column("alias", sa.String(128), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("model_versions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("gates", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "model_alias_moves",
        sa.Column("id", sa.Integer, primary_key=True),
        _model_id(),
        sa.Column("alias", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_version", sa.Integer, nullable=True),
        sa.Column("to_version", sa.Integer, nullable=False),
        sa.Column("moved", sa.Boolean, nullable=False),
        sa.Column("gate_results", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("actor", sa.String(256), nullable=True),
        sa.Column("moved_at", sa.DateTime, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_model_alias_moves_alias", "model_alias_moves", ["model_id", "alias", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_model_alias_moves_alias", "model_alias_moves")
    op.drop_table("model_alias_moves")
    op.drop_table("model_aliases")
    op.drop_table("model_versions")
    op.drop_table("models")
