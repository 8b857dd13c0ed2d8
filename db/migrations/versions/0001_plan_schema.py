"""The first schema: rating scales, people, the plan and its status updates.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _uid():
    return sa.Column("uid", sa.String(32), nullable=False, unique=True)


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "person", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
    )
    op.create_table(
        "rating_scale", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("preset", sa.String(32), nullable=True),
    )
    op.create_table(
        "scale_level", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("scale_id", sa.Integer, sa.ForeignKey("rating_scale.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("meaning", sa.Text, nullable=False),
        sa.Column("colour", sa.String(9), nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
    )
    op.create_index("ix_scale_level_scale_id", "scale_level", ["scale_id"])
    op.create_table(
        "plan", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("scale_id", sa.Integer, sa.ForeignKey("rating_scale.id"), nullable=False),
    )
    op.create_table(
        "workstream", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("areas_of_focus", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_workstream_plan_id", "workstream", ["plan_id"])
    op.create_table(
        "workstream_lead",
        sa.Column("workstream_id", sa.Integer, sa.ForeignKey("workstream.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "priority", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ref", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("workstream_id", sa.Integer, sa.ForeignKey("workstream.id", ondelete="SET NULL"), nullable=True),
        sa.Column("evidence_of_impact", sa.Text, nullable=False),
        sa.Column("difference_for_cyp", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_priority_plan_id", "priority", ["plan_id"])
    op.create_table(
        "outcome", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("priority_id", sa.Integer, sa.ForeignKey("priority.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ref", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_outcome_priority_id", "outcome", ["priority_id"])
    op.create_table(
        "action", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("outcome_id", sa.Integer, sa.ForeignKey("outcome.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ref", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("workstream_id", sa.Integer, sa.ForeignKey("workstream.id", ondelete="SET NULL"), nullable=True),
        sa.Column("timescale", sa.String(100), nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("success_criteria", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_action_outcome_id", "action", ["outcome_id"])
    op.create_table(
        "action_lead",
        sa.Column("action_id", sa.Integer, sa.ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "status_update", sa.Column("id", sa.Integer, primary_key=True), _uid(),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("action.id", ondelete="CASCADE"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("level_id", sa.Integer, sa.ForeignKey("scale_level.id", ondelete="SET NULL"), nullable=True),
        sa.Column("narrative", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("status_update", "action_lead", "action", "outcome", "priority", "workstream_lead",
                  "workstream", "plan", "scale_level", "rating_scale", "person", "meta"):
        op.drop_table(table)
