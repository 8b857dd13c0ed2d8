"""Reading the change log for people: newest first, each row saying what was changed in words.

The log itself stores ids and JSON (see `storage/changelog.py`); this turns them into what a
reader recognises: "Action 2.4.1", a level's label instead of its id, one line instead of a
whole record. Rows for records that no longer exist are labelled from the logged record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from send_desktop.storage.models import (
    Action, ChangeLog, Outcome, Person, Plan, Priority, RatingScale, ScaleLevel, StatusUpdate, Workstream,
)

ENTITY_NAMES = {
    "person": "Person", "rating_scale": "Rating scale", "scale_level": "Scale level", "plan": "Plan",
    "workstream": "Workstream", "priority": "Priority", "outcome": "Outcome", "action": "Action",
    "status_update": "Update",
}

#: For each logged table, the column that names a record for a reader.
_LABEL_COLUMNS = {
    "priority": (Priority, Priority.ref), "outcome": (Outcome, Outcome.ref), "action": (Action, Action.ref),
    "person": (Person, Person.name), "workstream": (Workstream, Workstream.name),
    "rating_scale": (RatingScale, RatingScale.name), "scale_level": (ScaleLevel, ScaleLevel.label),
    "plan": (Plan, Plan.title),
}
#: Keys of a logged record that name it, in order of preference.
_LABEL_KEYS = ("ref", "name", "label", "title")
#: Keys of a logged record that say most about it, for one-line summaries of inserts and deletes.
_SUMMARY_KEYS = ("text", "statement", "narrative", "name", "label", "title", "meaning")
#: Foreign keys shown as the thing they point to rather than a number.
_REFERENCES = {"level_id": "scale_level", "workstream_id": "workstream", "outcome_id": "outcome",
               "priority_id": "priority", "action_id": "action", "scale_id": "rating_scale"}
SUMMARY_LENGTH = 200


@dataclass(frozen=True)
class ChangeRow:
    id: int
    at: dt.datetime
    user: str
    source: str
    op: str  # insert / update / delete
    entity: str  # table name, e.g. "action"
    entity_id: int
    what: str  # "Action 2.4.1", "Update on 2.4.1 (12 Mar 2025)", "Person #7"
    field: str  # the changed field for updates; "" for inserts and deletes
    old: str
    new: str


def _record(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Names:
    """Names for records, read in bulk: from the tables for records that exist, else from the
    last copy of the record the log kept (its insert or delete row)."""

    def __init__(self, session):
        self.session = session
        self.names: dict[tuple[str, int], str] = {}
        self.records: dict[tuple[str, int], dict] = {}
        self.tried: set[tuple[str, int]] = set()

    def fetch(self, wanted: dict[str, set[int]]) -> None:
        for entity, ids in wanted.items():
            ids = {i for i in ids if (entity, i) not in self.tried}
            self.tried.update((entity, i) for i in ids)
            if entity == "status_update" and ids:
                rows = self.session.execute(
                    select(StatusUpdate.id, Action.ref, StatusUpdate.date)
                    .join(Action, Action.id == StatusUpdate.action_id).where(StatusUpdate.id.in_(ids)))
                for rid, ref, date in rows:
                    self.names[(entity, rid)] = f"on {ref} ({date:%d %b %Y})"
            elif entity in _LABEL_COLUMNS and ids:
                model, column = _LABEL_COLUMNS[entity]
                for rid, label in self.session.execute(select(model.id, column).where(model.id.in_(ids))):
                    self.names[(entity, rid)] = str(label)
            gone = [i for i in ids if (entity, i) not in self.names]
            if gone:
                rows = self.session.execute(
                    select(ChangeLog.entity_id, ChangeLog.op, ChangeLog.old, ChangeLog.new)
                    .where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(gone),
                           ChangeLog.op.in_(("insert", "delete"))).order_by(ChangeLog.id))
                for rid, op, old, new in rows:  # the latest copy wins
                    self.records[(entity, rid)] = _record(new if op == "insert" else old)
        parents = {r["action_id"] for (e, _i), r in self.records.items()
                   if e == "status_update" and isinstance(r.get("action_id"), int)}
        parents -= {i for (e, i) in self.tried if e == "action"}
        if parents:
            self.fetch({"action": parents})

    def name(self, entity: str, rid: int) -> str:
        if (entity, rid) in self.names:
            return self.names[(entity, rid)]
        record = self.records.get((entity, rid), {})
        if entity == "status_update" and record.get("action_id") is not None:
            ref = self.name("action", record["action_id"])
            if ref:
                return f"on {ref} ({_date_text(record['date'])})" if record.get("date") else f"on {ref}"
        return next((str(record[k]) for k in _LABEL_KEYS if record.get(k)), "")


def _short(value: str | None) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _summary(record: dict) -> str:
    for key in _SUMMARY_KEYS:
        if record.get(key):
            return _short(record[key])
    return ""


def _date_text(value) -> str:
    try:
        return f"{dt.date.fromisoformat(str(value)):%d %b %Y}"
    except ValueError:
        return str(value)


def recent_changes(db, limit: int = 2000, entity: str | None = None,
                   entity_id: int | None = None) -> list[ChangeRow]:
    """The most recent change-log rows, newest first, optionally for one table or one record."""
    with db.session() as s:
        query = select(ChangeLog).order_by(ChangeLog.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(ChangeLog.entity == entity)
            if entity_id is not None:
                query = query.where(ChangeLog.entity_id == entity_id)
        logged = [
            (r.id, r.at, r.user, r.source, r.op, r.entity, r.entity_id, r.field, r.old, r.new)
            for r in s.scalars(query)
        ]
        wanted: dict[str, set[int]] = {}
        for _id, _at, _user, _source, op, ent, ent_id, field, old, new in logged:
            wanted.setdefault(ent, set()).add(ent_id)
            target = _REFERENCES.get(field) if op == "update" else None
            if target:
                for value in (old, new):
                    if value and str(value).isdigit():
                        wanted.setdefault(target, set()).add(int(value))
        names = _Names(s)
        names.fetch(wanted)

    rows = []
    for rid, at, user, source, op, ent, ent_id, field, old, new in logged:
        record = _record(new if op == "insert" else old) if op in ("insert", "delete") else {}
        label = names.name(ent, ent_id)
        name = ENTITY_NAMES.get(ent, ent.replace("_", " ").capitalize())
        what = f"{name} {label}" if label else f"{name} #{ent_id}"
        if op == "update":
            target = _REFERENCES.get(field)
            if target:
                old = (names.name(target, int(old)) or old) if old and str(old).isdigit() else old
                new = (names.name(target, int(new)) or new) if new and str(new).isdigit() else new
            rows.append(ChangeRow(rid, at, user, source, op, ent, ent_id, what, field, _short(old), _short(new)))
        else:
            summary = _summary(record)
            rows.append(ChangeRow(rid, at, user, source, op, ent, ent_id, what, "",
                                  summary if op == "delete" else "", summary if op == "insert" else ""))
    return rows
