"""EHCP quality audits: framework versions, audits with their grading, moderation, improvement
actions, the caseload list and drawn samples.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.Integer, primary_key=True)


def _uid():
    return sa.Column("uid", sa.String(32), nullable=False, unique=True)


def _text(name, length=None, nullable=False):
    return sa.Column(name, sa.String(length) if length else sa.Text, nullable=nullable)


def _json(name):
    return sa.Column(name, sa.JSON, nullable=False)


def upgrade() -> None:
    op.create_table(
        "audit_framework", _id(), _uid(), _text("name", 200), _text("version", 40), _json("definition"),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_audit_framework_name_version"),
    )
    op.create_table(
        "audit_sample", _id(), _uid(), _text("month", 7),
        sa.Column("rate", sa.Float, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("caseload_size", sa.Integer, nullable=False),
        _json("plan_refs"),
        sa.Column("drawn_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "caseload_plan", _id(), _uid(), sa.Column("plan_ref", sa.String(64), nullable=False, unique=True),
        _text("team", 100), _text("key_stage", 40), _text("primary_need", 100), _text("setting_type", 100),
        sa.Column("issue_date", sa.Date, nullable=True),
    )
    op.create_table(
        "audit", _id(), _uid(),
        sa.Column("framework_id", sa.Integer, sa.ForeignKey("audit_framework.id"), nullable=False),
        _text("plan_ref", 64), _text("plan_type", 40),
        sa.Column("plan_issue_date", sa.Date, nullable=True),
        _text("team", 100), _text("key_stage", 40), _text("primary_need", 100), _text("setting_type", 100),
        _text("auditor", 200), _text("agency", 100),
        sa.Column("audit_date", sa.Date, nullable=False),
        _text("month", 7), _text("status", 20),
        _json("ratings"), _json("na_reasons"), _json("comments"), _json("no_needs"),
        sa.Column("critical_concern", sa.Boolean, nullable=False),
        _text("notes"),
        sa.Column("score", sa.Float, nullable=True),
        _text("banded_grade", 40), _text("grade", 40), _json("caps"), _json("section_results"), _json("unmet"),
        _text("reported_grade", 40),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_audit_date_grade", "audit", ["audit_date", "reported_grade"])
    op.create_index("ix_audit_framework_id", "audit", ["framework_id"])
    op.create_index("ix_audit_month", "audit", ["month"])
    op.create_index("ix_audit_plan_ref", "audit", ["plan_ref"])
    op.create_index("ix_audit_team", "audit", ["team"])
    op.create_index("ix_audit_auditor", "audit", ["auditor"])
    op.create_table(
        "audit_action", _id(), _uid(),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audit.id", ondelete="CASCADE"), nullable=False),
        _text("criterion_id", 40), _text("section_code", 16), _text("text"), _text("owner_type", 60),
        sa.Column("due_date", sa.Date, nullable=True),
        _text("status", 20),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.UniqueConstraint("audit_id", "criterion_id", name="uq_audit_action_criterion"),
    )
    op.create_index("ix_audit_action_audit_id", "audit_action", ["audit_id"])
    op.create_table(
        "moderation", _id(), _uid(),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audit.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        _text("moderator", 200),
        sa.Column("moderation_date", sa.Date, nullable=False),
        sa.Column("blind", sa.Boolean, nullable=False),
        _text("status", 20),
        _json("ratings"), _json("na_reasons"), _json("comments"), _json("no_needs"),
        sa.Column("critical_concern", sa.Boolean, nullable=False),
        _text("notes"),
        sa.Column("score", sa.Float, nullable=True),
        _text("grade", 40), _json("section_results"),
    )


def downgrade() -> None:
    for table in ("moderation", "audit_action", "audit", "caseload_plan", "audit_sample", "audit_framework"):
        op.drop_table(table)
