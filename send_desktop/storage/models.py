"""The schema: typed SQLAlchemy models on one declarative base.

Every user-data table carries a `uid`, a stable id that travels in exported workbooks so a
returned sheet finds its rows again even after references are renumbered.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_uid() -> str:
    return uuid.uuid4().hex


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

    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)


#: Tables whose rows are the user's own data and so are recorded in the change log.
LOGGED_MODELS = (Person, RatingScale, ScaleLevel, Plan, Workstream, Priority, Outcome, Action, StatusUpdate)
