"""Import batches: each import's file, kind, counts and who ran it, so the whole import can be undone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("undone_at", sa.DateTime, nullable=True),
        sa.Column("undone_by", sa.String(200), nullable=False),
    )
    op.add_column("change_log", sa.Column("batch_id", sa.Integer, nullable=True))
    op.create_index("ix_change_log_batch", "change_log", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_batch", "change_log")
    op.drop_column("change_log", "batch_id")
    op.drop_table("import_batch")
