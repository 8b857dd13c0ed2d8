"""The risk register (matrix, categories, risks, mitigations, dated assessments, links to the
plan) and the KPI set (KPIs with targets, comparators and values over time).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.Integer, primary_key=True)


def _uid():
    return sa.Column("uid", sa.String(32), nullable=False, unique=True)


def _text(name, length=None):
    return sa.Column(name, sa.String(length) if length else sa.Text, nullable=False)


def _int(name, nullable=False):
    return sa.Column(name, sa.Integer, nullable=nullable)


def _parent(name, table):
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table("risk_matrix", _id(), _uid(), sa.Column("definition", sa.JSON, nullable=False))
    op.create_table("risk_category", _id(), _uid(), sa.Column("name", sa.String(100), nullable=False, unique=True),
                    _int("appetite", nullable=True), _int("position"))
    op.create_table(
        "risk", _id(), _uid(), _text("ref", 32), _text("title", 300), _text("cause"), _text("event"), _text("effect"),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("risk_category.id", ondelete="SET NULL"), nullable=True),
        _text("owner", 200), _text("controls"), _text("assurance"), _text("gaps_in_control"), _text("gaps_in_assurance"),
        _int("inherent_likelihood"), _int("inherent_impact"), _int("current_likelihood"), _int("current_impact"),
        _int("target_likelihood"), _int("target_impact"),
        sa.Column("target_date", sa.Date, nullable=True), _text("review_frequency", 20),
        sa.Column("next_review", sa.Date, nullable=True), _text("status", 20), _int("position"),
    )
    op.create_table("risk_assessment", _id(), _uid(), _parent("risk_id", "risk"),
                    sa.Column("date", sa.Date, nullable=False), _int("likelihood"), _int("impact"), _text("note"),
                    _text("assessor", 200))
    op.create_index("ix_risk_assessment_risk_date", "risk_assessment", ["risk_id", "date", "id"])
    op.create_table("risk_mitigation", _id(), _uid(), _parent("risk_id", "risk"), _text("text"), _text("owner", 200),
                    sa.Column("due_date", sa.Date, nullable=True), _text("status", 20), _int("position"))
    op.create_index("ix_risk_mitigation_risk_id", "risk_mitigation", ["risk_id"])
    op.create_table("risk_priority",
                    sa.Column("risk_id", sa.Integer, sa.ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("priority_id", sa.Integer, sa.ForeignKey("priority.id", ondelete="CASCADE"),
                              primary_key=True))
    op.create_table("risk_action",
                    sa.Column("risk_id", sa.Integer, sa.ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("action_id", sa.Integer, sa.ForeignKey("action.id", ondelete="CASCADE"),
                              primary_key=True))
    op.create_table(
        "kpi", _id(), _uid(), _text("ref", 32), _text("measure"), _text("officer", 200), _text("frequency", 20),
        _text("unit", 10), _text("direction", 10),
        sa.Column("priority_id", sa.Integer, sa.ForeignKey("priority.id", ondelete="SET NULL"), nullable=True),
        sa.Column("tolerance", sa.Float, nullable=True), _text("notes"), _int("position"),
    )
    for table, extra in (("kpi_target", "period"), ("kpi_value", "period")):
        op.create_table(table, _id(), _uid(), _parent("kpi_id", "kpi"), _text(extra, 20),
                        sa.Column("period_end", sa.Date, nullable=True), _text("text", 200),
                        sa.Column("number", sa.Float, nullable=True),
                        sa.UniqueConstraint("kpi_id", "period", name=f"uq_{table}_period"))
    op.create_index("ix_kpi_target_kpi_id", "kpi_target", ["kpi_id"])
    op.create_index("ix_kpi_value_kpi_end", "kpi_value", ["kpi_id", "period_end"])
    op.create_table("kpi_comparator", _id(), _uid(), _parent("kpi_id", "kpi"), _text("name", 100), _text("text", 200),
                    sa.Column("number", sa.Float, nullable=True), sa.Column("as_at", sa.Date, nullable=True),
                    _text("source", 300))
    op.create_index("ix_kpi_comparator_kpi_id", "kpi_comparator", ["kpi_id"])


def downgrade() -> None:
    for table in ("kpi_comparator", "kpi_value", "kpi_target", "kpi", "risk_action", "risk_priority",
                  "risk_mitigation", "risk_assessment", "risk", "risk_category", "risk_matrix"):
        op.drop_table(table)
