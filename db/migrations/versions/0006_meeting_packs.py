"""Issued meeting packs: the PDF, the snapshot of what it showed, and its hash.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_pack", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True),
        sa.Column("meeting_date", sa.Date, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("issued_by", sa.String(200), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_meeting_pack_date", "meeting_pack", ["meeting_date", "version"])


def downgrade() -> None:
    op.drop_table("meeting_pack")
