"""The schema: typed SQLAlchemy models on one declarative base.

Every user-data table carries a `uid`, a stable id that travels in exported workbooks so a
returned sheet finds its rows again even after references are renumbered.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import (
    JSON,
    Boolean,
    LargeBinary,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_uid() -> str:
    """A random (version 4) UUID as 32 hex digits, as `uuid.uuid4().hex` makes it. The random bytes
    are drawn 256 ids at a time: an import that makes 200,000 ids spent half its resolution on
    one system call and one UUID object per id."""
    try:
        return _UIDS.pop()
    except IndexError:
        raw = bytearray(os.urandom(16 * 256))
        raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
        raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # the RFC 4122 variant
        text = raw.hex()
        _UIDS.extend(text[i:i + 32] for i in range(0, len(text), 32))
        return _UIDS.pop()


_UIDS: list[str] = []
if hasattr(os, "register_at_fork"):  # a forked process draws its own
    os.register_at_fork(after_in_child=_UIDS.clear)


def new_uids(n: int) -> list[str]:
    """`n` uids as `new_uid` makes them (random version-4 UUIDs, as hex) from one read of the
    system's randomness: a bulk import's 170,000 values take a tenth of a second, not a third."""
    raw = os.urandom(16 * n).hex()
    return [f"{h[:12]}4{h[13:16]}{'89ab'[int(h[16], 16) & 3]}{h[17:]}"
            for h in (raw[i:i + 32] for i in range(0, 32 * n, 32))]


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the file itself (not user data, so not change-logged)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")


class RatingScale(Base):
    __tablename__ = "rating_scale"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200))
    preset: Mapped[str | None] = mapped_column(String(32), default=None)
    levels: Mapped[list[ScaleLevel]] = relationship(
        back_populates="scale", order_by="ScaleLevel.position", cascade="all, delete-orphan"
    )


class ScaleLevel(Base):
    __tablename__ = "scale_level"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scale.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(100))
    meaning: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(9), default="#9e9e9e")
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    scale: Mapped[RatingScale] = relationship(back_populates="levels")


class Plan(Base):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    title: Mapped[str] = mapped_column(String(300))
    scale_id: Mapped[int] = mapped_column(ForeignKey("rating_scale.id"))
    scale: Mapped[RatingScale] = relationship()


workstream_lead = Table(
    "workstream_lead",
    Base.metadata,
    Column("workstream_id", ForeignKey("workstream.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
)


class Workstream(Base):
    __tablename__ = "workstream"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    areas_of_focus: Mapped[str] = mapped_column(Text, default="")  # one per line
    position: Mapped[int] = mapped_column(Integer, default=0)
    leads: Mapped[list[Person]] = relationship(secondary=workstream_lead, order_by="Person.name")


class Priority(Base):
    __tablename__ = "priority"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40), default="area for priority action")
    statement: Mapped[str] = mapped_column(Text, default="")
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id", ondelete="SET NULL"))
    evidence_of_impact: Mapped[str] = mapped_column(Text, default="")  # one per line
    difference_for_cyp: Mapped[str] = mapped_column(Text, default="")  # one per line
    position: Mapped[int] = mapped_column(Integer, default=0)


class Outcome(Base):
    __tablename__ = "outcome"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priority.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


action_lead = Table(
    "action_lead",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Action(Base):
    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id", ondelete="SET NULL"))
    timescale: Mapped[str] = mapped_column(String(100), default="")  # as written
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)  # derived from timescale
    success_criteria: Mapped[str] = mapped_column(Text, default="")  # one criterion per line
    position: Mapped[int] = mapped_column(Integer, default=0)
    leads: Mapped[list[Person]] = relationship(secondary=action_lead, order_by=action_lead.c.position)


class StatusUpdate(Base):
    __tablename__ = "status_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("scale_level.id", ondelete="SET NULL"))
    narrative: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_status_update_action_date", "action_id", "date", "id"),)


class ChangeLog(Base):
    """Who changed what, when: written by the session hook in `changelog.py`, never by hand."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300), default="")
    op: Mapped[str] = mapped_column(String(8))  # insert / update / delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(60), default="")
    old: Mapped[str | None] = mapped_column(Text, default=None)
    new: Mapped[str | None] = mapped_column(Text, default=None)
    #: the import that made the change (`ImportBatch`), None for any other change
    batch_id: Mapped[int | None] = mapped_column(Integer, default=None, index=False)

    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),
                      Index("ix_change_log_batch", "batch_id"))


class ImportBatch(Base):
    """One import of a workbook: what it was and what it did, so it can be listed and undone as a
    whole (`services.import_undo`). Its changes are the change-log rows with its `batch_id`.
    Bookkeeping, like the change log, so not itself change-logged."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(200), default="")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    undone_by: Mapped[str] = mapped_column(String(200), default="")


# -- EHCP quality audits ------------------------------------------------------------------------
#
# An audit's ratings, N/A reasons, comments and "no needs" marks are JSON columns on the audit
# row: an audit is scored, moved, exported and imported as a whole, 100,000 of them stay a
# table of 100,000 rows, and the change log records the criteria that changed (it logs the
# changed keys of a JSON object, not the whole object). The grading result is stored beside
# them (score, banded and final grade, caps, section results, criteria below "met"), written by
# the audit services in the same transaction as the ratings, so reports read columns and never
# re-grade. `month` ("2025-06") is a stored column so monthly reports use an index.


class AuditFramework(Base):
    """One version of a framework. An audit keeps the version it was scored under; editing a
    framework that audits use makes a new version instead of changing this one."""

    __tablename__ = "audit_framework"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40))
    definition: Mapped[dict] = mapped_column(JSON)  # the FRAMEWORK.json contract (docs/audit-formats.md)
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # the version new audits use
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: dt.datetime.now().replace(microsecond=0))

    __table_args__ = (UniqueConstraint("name", "version", name="uq_audit_framework_name_version"),)


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    framework_id: Mapped[int] = mapped_column(ForeignKey("audit_framework.id"), index=True)
    plan_ref: Mapped[str] = mapped_column(String(64), index=True)  # pseudonymous: never a child's name
    plan_type: Mapped[str] = mapped_column(String(40), default="annual review")
    plan_issue_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    team: Mapped[str] = mapped_column(String(100), default="")
    key_stage: Mapped[str] = mapped_column(String(40), default="")
    primary_need: Mapped[str] = mapped_column(String(100), default="")
    setting_type: Mapped[str] = mapped_column(String(100), default="")
    auditor: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(100), default="")
    audit_date: Mapped[dt.date] = mapped_column(Date)
    month: Mapped[str] = mapped_column(String(7))  # audit_date as "YYYY-MM"
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, submitted, moderated
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> 0..max or "na"
    na_reasons: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> why N/A
    comments: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> the auditor's note
    no_needs: Mapped[list] = mapped_column(JSON, default=list)  # section codes marked "no needs identified"
    critical_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The grading result, kept in step with the ratings by the audit services.
    score: Mapped[float | None] = mapped_column(Float, default=None)
    banded_grade: Mapped[str] = mapped_column(String(40), default="")
    grade: Mapped[str] = mapped_column(String(40), default="")
    caps: Mapped[list] = mapped_column(JSON, default=list)
    section_results: Mapped[dict] = mapped_column(JSON, default=dict)  # code -> [score or null, grade]
    unmet: Mapped[list] = mapped_column(JSON, default=list)  # criterion ids rated below "met"
    #: The grade reports count: the moderated grade once moderated, else `grade`.
    reported_grade: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: dt.datetime.now().replace(microsecond=0))
    actions: Mapped[list[AuditAction]] = relationship(order_by="AuditAction.id", cascade="all, delete-orphan",
                                                      passive_deletes=True)
    moderation: Mapped[Moderation | None] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (
        Index("ix_audit_date_grade", "audit_date", "reported_grade"),
        Index("ix_audit_month", "month"),
        Index("ix_audit_team", "team"),  # the list's filters and sorts over 100,000 audits
        Index("ix_audit_auditor", "auditor"),
    )


class Moderation(Base):
    """A second auditor's re-scoring of an audit. Once complete its grade is the audit's
    reported grade; the original scoring is kept as it was."""

    __tablename__ = "moderation"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), unique=True)
    moderator: Mapped[str] = mapped_column(String(200), default="")
    moderation_date: Mapped[dt.date] = mapped_column(Date)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, complete
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    na_reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    comments: Mapped[dict] = mapped_column(JSON, default=dict)
    no_needs: Mapped[list] = mapped_column(JSON, default=list)
    critical_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float, default=None)
    grade: Mapped[str] = mapped_column(String(40), default="")
    section_results: Mapped[dict] = mapped_column(JSON, default=dict)


class AuditAction(Base):
    """An improvement action raised by a criterion rated below "met", editable by the auditor."""

    __tablename__ = "audit_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(40))
    section_code: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    owner_type: Mapped[str] = mapped_column(String(60), default="caseworker")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, done
    edited: Mapped[bool] = mapped_column(Boolean, default=False)  # changed by a person: kept as it is

    __table_args__ = (UniqueConstraint("audit_id", "criterion_id", name="uq_audit_action_criterion"),)


class CaseloadPlan(Base):
    """One open EHCP on the caseload list audits are sampled from (a plan reference, no names)."""

    __tablename__ = "caseload_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    plan_ref: Mapped[str] = mapped_column(String(64), unique=True)
    team: Mapped[str] = mapped_column(String(100), default="")
    key_stage: Mapped[str] = mapped_column(String(40), default="")
    primary_need: Mapped[str] = mapped_column(String(100), default="")
    setting_type: Mapped[str] = mapped_column(String(100), default="")
    issue_date: Mapped[dt.date | None] = mapped_column(Date, default=None)


class AuditSample(Base):
    """A month's drawn sample: enough (rate, seed, caseload size) to draw it again identically."""

    __tablename__ = "audit_sample"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    month: Mapped[str] = mapped_column(String(7))
    rate: Mapped[float] = mapped_column(Float, default=0.05)
    seed: Mapped[int] = mapped_column(Integer)
    caseload_size: Mapped[int] = mapped_column(Integer, default=0)
    plan_refs: Mapped[list] = mapped_column(JSON, default=list)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: dt.datetime.now().replace(microsecond=0))


# -- the risk register ------------------------------------------------------------------------------
#
# Likelihood and impact are stored (1-5 each) for the inherent, current and target positions;
# scores and bands are always derived from them, never stored, so they can never disagree. The
# current position is the latest assessment: the services write both in one transaction.


class RiskMatrix(Base):
    """The file's risk matrix: likelihood and impact labels, score bands with labels and colours,
    the escalation threshold (risk_matrix.py documents the definition)."""

    __tablename__ = "risk_matrix"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    definition: Mapped[dict] = mapped_column(JSON)


class RiskCategory(Base):
    __tablename__ = "risk_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    appetite: Mapped[int | None] = mapped_column(Integer, default=None)  # highest acceptable current score
    position: Mapped[int] = mapped_column(Integer, default=0)


risk_priority = Table(
    "risk_priority",
    Base.metadata,
    Column("risk_id", ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True),
    Column("priority_id", ForeignKey("priority.id", ondelete="CASCADE"), primary_key=True),
)

risk_action = Table(
    "risk_action",
    Base.metadata,
    Column("risk_id", ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
)


class Risk(Base):
    __tablename__ = "risk"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    ref: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    cause: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(Text, default="")
    effect: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("risk_category.id", ondelete="SET NULL"))
    owner: Mapped[str] = mapped_column(String(200), default="")
    controls: Mapped[str] = mapped_column(Text, default="")  # existing controls, one per line
    assurance: Mapped[str] = mapped_column(Text, default="")  # sources of assurance, one per line
    gaps_in_control: Mapped[str] = mapped_column(Text, default="")
    gaps_in_assurance: Mapped[str] = mapped_column(Text, default="")
    inherent_likelihood: Mapped[int] = mapped_column(Integer)
    inherent_impact: Mapped[int] = mapped_column(Integer)
    current_likelihood: Mapped[int] = mapped_column(Integer)  # the latest assessment's
    current_impact: Mapped[int] = mapped_column(Integer)
    target_likelihood: Mapped[int] = mapped_column(Integer)
    target_impact: Mapped[int] = mapped_column(Integer)
    target_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    review_frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    next_review: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, escalated, closed
    position: Mapped[int] = mapped_column(Integer, default=0)
    priorities: Mapped[list[Priority]] = relationship(secondary=risk_priority, order_by="Priority.position")
    actions: Mapped[list[Action]] = relationship(secondary=risk_action, order_by="Action.id")
    mitigations: Mapped[list[RiskMitigation]] = relationship(
        order_by="RiskMitigation.position", cascade="all, delete-orphan", passive_deletes=True)
    assessments: Mapped[list[RiskAssessment]] = relationship(
        order_by="(RiskAssessment.date, RiskAssessment.id)", cascade="all, delete-orphan", passive_deletes=True)


class RiskMitigation(Base):
    """A further mitigation planned or under way."""

    __tablename__ = "risk_mitigation"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned, in progress, done
    position: Mapped[int] = mapped_column(Integer, default=0)


class RiskAssessment(Base):
    """One dated review of a risk's current likelihood and impact: the register's history."""

    __tablename__ = "risk_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    assessor: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_risk_assessment_risk_date", "risk_id", "date", "id"),)


# -- KPIs -----------------------------------------------------------------------------------------
#
# Values, targets and comparators keep the text as given ("Good 27%", "tbc") and the number
# derived from it where there is one. A period is stored as written in the project's own form
# ("2025-06", "Q3 2025/26", "2025/26", "AY 2024/25", "2024") with the date it ends, for order.


class Kpi(Base):
    __tablename__ = "kpi"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    ref: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(200), default="")
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    unit: Mapped[str] = mapped_column(String(10), default="%")  # %, count, weeks, days, text
    direction: Mapped[str] = mapped_column(String(10), default="higher")  # higher or lower is better
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))
    tolerance: Mapped[float | None] = mapped_column(Float, default=None)  # amber band width; None: the default
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    targets: Mapped[list[KpiTarget]] = relationship(order_by="KpiTarget.period_end", cascade="all, delete-orphan",
                                                    passive_deletes=True)
    comparators: Mapped[list[KpiComparator]] = relationship(order_by="KpiComparator.id", cascade="all, delete-orphan",
                                                            passive_deletes=True)
    values: Mapped[list[KpiValue]] = relationship(order_by="KpiValue.period_end", cascade="all, delete-orphan",
                                                  passive_deletes=True)


class KpiTarget(Base):
    __tablename__ = "kpi_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    period_end: Mapped[dt.date | None] = mapped_column(Date, default=None)
    text: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[float | None] = mapped_column(Float, default=None)

    __table_args__ = (UniqueConstraint("kpi_id", "period", name="uq_kpi_target_period"),)


class KpiComparator(Base):
    __tablename__ = "kpi_comparator"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # statistical neighbours, national, regional
    text: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[float | None] = mapped_column(Float, default=None)
    as_at: Mapped[dt.date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(300), default="")


class KpiValue(Base):
    __tablename__ = "kpi_value"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))
    period_end: Mapped[dt.date | None] = mapped_column(Date, default=None)
    text: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[float | None] = mapped_column(Float, default=None)

    __table_args__ = (UniqueConstraint("kpi_id", "period", name="uq_kpi_value_period"),
                      Index("ix_kpi_value_kpi_end", "kpi_id", "period_end"))


# -- board meetings ------------------------------------------------------------------------------
#
# A meeting's open actions are not copied forward: "matters arising" at the next meeting of the
# same board is every action of its earlier meetings still open or in progress, read when needed,
# so an action closed anywhere is closed everywhere.


class Board(Base):
    __tablename__ = "board"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[list[BoardMember]] = relationship(order_by="BoardMember.position", cascade="all, delete-orphan",
                                                      passive_deletes=True)


class BoardMember(Base):
    __tablename__ = "board_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Meeting(Base):
    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    chair: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned, held, minutes approved
    attendance: Mapped[list[Attendance]] = relationship(order_by="Attendance.position", cascade="all, delete-orphan",
                                                        passive_deletes=True)
    agenda: Mapped[list[AgendaItem]] = relationship(order_by="AgendaItem.position", cascade="all, delete-orphan",
                                                    passive_deletes=True)
    actions: Mapped[list[MeetingAction]] = relationship(order_by="MeetingAction.number", cascade="all, delete-orphan",
                                                        passive_deletes=True)

    __table_args__ = (Index("ix_meeting_board_starts", "board_id", "starts_at"),)


class Attendance(Base):
    __tablename__ = "attendance"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="present")  # present, apologies, deputising, in attendance
    deputising_for: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    papers: Mapped[str] = mapped_column(Text, default="")  # one paper per line
    standing: Mapped[bool] = mapped_column(Boolean, default=False)  # from the standing agenda
    notes: Mapped[str] = mapped_column(Text, default="")  # the minutes of the item
    decisions: Mapped[str] = mapped_column(Text, default="")  # one decision per line
    links: Mapped[list[AgendaLink]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    challenges: Mapped[list[Challenge]] = relationship(order_by="Challenge.position", cascade="all, delete-orphan",
                                                       passive_deletes=True)


class AgendaLink(Base):
    """An agenda item's link to a plan priority, a risk or a KPI (exactly one of the three)."""

    __tablename__ = "agenda_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="CASCADE"), default=None)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), default=None)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), default=None)


class Challenge(Base):
    """One challenge put in the meeting and the response to it."""

    __tablename__ = "challenge"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    challenger: Mapped[str] = mapped_column(String(200), default="")
    challenge: Mapped[str] = mapped_column(Text, default="")
    responder: Mapped[str] = mapped_column(String(200), default="")
    response: Mapped[str] = mapped_column(Text, default="")


class MeetingAction(Base):
    """An action from a meeting, numbered within it, carried forward until closed or superseded."""

    __tablename__ = "meeting_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, in progress, closed, superseded
    updates: Mapped[list[MeetingActionUpdate]] = relationship(
        order_by="(MeetingActionUpdate.date, MeetingActionUpdate.id)", cascade="all, delete-orphan",
        passive_deletes=True)
    links: Mapped[list[MeetingActionLink]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_meeting_action_number"),
                      Index("ix_meeting_action_status", "status", "due_date"))


class MeetingActionUpdate(Base):
    __tablename__ = "meeting_action_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("meeting_action.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")


class MeetingActionLink(Base):
    """A meeting action's link to a plan action, a risk or a KPI (exactly one of the three)."""

    __tablename__ = "meeting_action_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    action_id: Mapped[int] = mapped_column(ForeignKey("meeting_action.id", ondelete="CASCADE"), index=True)
    plan_action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), default=None)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), default=None)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), default=None)


class ForwardPlanItem(Base):
    """An item requested for a future meeting of a board (a deep dive, a report)."""

    __tablename__ = "forward_plan_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default="report")  # report, deep dive, update, decision
    owner: Mapped[str] = mapped_column(String(200), default="")
    requested_at_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), default=None)
    for_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), default=None)
    for_month: Mapped[str] = mapped_column(String(7), default="")  # "2026-03" when no meeting is set yet
    status: Mapped[str] = mapped_column(String(20), default="requested")  # requested, scheduled, done, dropped


# -- meeting packs -----------------------------------------------------------------------------


class MeetingPack(Base):
    """A pack produced for a meeting. An issued pack is frozen: its PDF, the snapshot of the data
    it showed and the PDF's SHA-256 are kept, and the next pack's changes are worked out from it."""

    __tablename__ = "meeting_pack"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), default=None)
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="issued")  # issued (drafts are not kept)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=lambda: dt.datetime.now().replace(microsecond=0))
    issued_by: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_meeting_pack_date", "meeting_date", "version"),)


#: Tables whose rows are the user's own data and so are recorded in the change log.
LOGGED_MODELS = (Person, RatingScale, ScaleLevel, Plan, Workstream, Priority, Outcome, Action, StatusUpdate,
                 AuditFramework, Audit, Moderation, AuditAction, CaseloadPlan, AuditSample,
                 RiskMatrix, RiskCategory, Risk, RiskMitigation, RiskAssessment, Kpi, KpiTarget, KpiComparator, KpiValue,
                 Board, BoardMember, Meeting, Attendance, AgendaItem, AgendaLink, Challenge, MeetingAction,
                 MeetingActionUpdate, MeetingActionLink, ForwardPlanItem, MeetingPack)
