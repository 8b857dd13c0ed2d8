"""Changing the plan. Each function is one unit of work in its own transaction.

Functions return what the window needs to undo them (old values, or a snapshot of what was
deleted), so undo is just another call here; the change log records both directions.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from send_desktop.core.refs import next_child_ref
from send_desktop.core.timescale import parse_timescale
from send_desktop.errors import UserError
from send_desktop.storage.models import (
    Action, Outcome, Person, Priority, ScaleLevel, StatusUpdate, Workstream,
)

ACTION_FIELDS = ("ref", "text", "workstream_id", "timescale", "success_criteria", "leads")
OUTCOME_FIELDS = ("ref", "text")
PRIORITY_FIELDS = ("ref", "kind", "statement", "workstream_id", "evidence_of_impact", "difference_for_cyp")
UPDATE_FIELDS = ("date", "level_id", "narrative", "evidence", "author")


def _get(session, model, obj_id):
    obj = session.get(model, obj_id)
    if obj is None:
        raise UserError(f"That {model.__tablename__.replace('_', ' ')} no longer exists (id {obj_id}).")
    return obj


def person_by_name(session, name: str, create: bool = True) -> Person | None:
    """The person with this name (ignoring case and spacing), created when unknown."""
    clean = " ".join(name.split())
    if not clean:
        return None
    person = session.scalars(select(Person).where(func.lower(Person.name) == clean.lower())).first()
    if person is None and create:
        person = Person(name=clean, role="", organisation="")
        session.add(person)
        session.flush()
    return person


def _lines(value) -> str:
    if isinstance(value, str):
        items = value.split("\n")
    else:
        items = list(value or [])
    return "\n".join(str(i).strip() for i in items if str(i).strip())


def _set_leads(session, action: Action, names) -> None:
    from send_desktop.storage.models import action_lead

    people = []
    for name in names or []:
        p = person_by_name(session, name)
        if p is not None and p not in people:
            people.append(p)
    action.leads = people
    session.flush()
    for pos, p in enumerate(people):  # keep the order the user gave
        session.execute(action_lead.update()
                        .where(action_lead.c.action_id == action.id, action_lead.c.person_id == p.id)
                        .values(position=pos))


def _action_values(action: Action) -> dict:
    return {
        "ref": action.ref, "text": action.text, "workstream_id": action.workstream_id,
        "timescale": action.timescale,
        "success_criteria": [x for x in action.success_criteria.split("\n") if x],
        "leads": [p.name for p in action.leads],
    }


def apply_action_changes(session, action: Action, changes: dict) -> dict:
    """Set fields on an action inside an open session; returns the old values of those fields."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown action fields: {sorted(unknown)}")
    old = {k: v for k, v in _action_values(action).items() if k in changes}
    for key, value in changes.items():
        if key == "leads":
            _set_leads(session, action, value)
        elif key == "success_criteria":
            action.success_criteria = _lines(value)
        elif key == "timescale":
            action.timescale = (value or "").strip()
            action.due_date = parse_timescale(action.timescale)
        elif key == "workstream_id":
            if value is not None:
                _get(session, Workstream, value)
            action.workstream_id = value
        elif key == "ref":
            if not str(value).strip():
                raise UserError("An action needs a reference, such as 2.4.1.")
            action.ref = str(value).strip()
        else:
            action.text = value
    return old


def update_action(db, action_id: int, changes: dict, source: str = "window") -> dict:
    with db.session(source) as s:
        return apply_action_changes(s, _get(s, Action, action_id), changes)


def _update_simple(db, model, fields, obj_id, changes, source):
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with db.session(source) as s:
        obj = _get(s, model, obj_id)
        old = {k: getattr(obj, k) for k in changes}
        for k, v in changes.items():
            setattr(obj, k, v)
        return old


def update_outcome(db, outcome_id: int, changes: dict, source: str = "window") -> dict:
    return _update_simple(db, Outcome, OUTCOME_FIELDS, outcome_id, changes, source)


def update_priority(db, priority_id: int, changes: dict, source: str = "window") -> dict:
    return _update_simple(db, Priority, PRIORITY_FIELDS, priority_id, changes, source)


def update_status_update(db, update_id: int, changes: dict, source: str = "window") -> dict:
    return _update_simple(db, StatusUpdate, UPDATE_FIELDS, update_id, changes, source)


# -- status updates ---------------------------------------------------------------------------

def add_update(db, action_id: int, *, date: dt.date, level_id: int | None, narrative: str = "",
               evidence: str = "", author: str = "", source: str = "window") -> int:
    if not isinstance(date, dt.date):
        raise UserError("An update needs a date.")
    if date > dt.date.today() + dt.timedelta(days=366):
        raise UserError(f"The update's date {date:%d %b %Y} is more than a year ahead.")
    with db.session(source) as s:
        _get(s, Action, action_id)
        if level_id is not None:
            _get(s, ScaleLevel, level_id)
        upd = StatusUpdate(action_id=action_id, date=date, level_id=level_id, narrative=narrative.strip(),
                           evidence=evidence.strip(), author=(author or db.user).strip())
        s.add(upd)
        s.flush()
        return upd.id


# -- snapshots for delete and undo ------------------------------------------------------------

def _columns(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs}


def _snap_action(action: Action) -> dict:
    return {
        "values": _columns(action),
        "lead_ids": [p.id for p in action.leads],
        "updates": [_columns(u) for u in action_updates(action)],
    }


def action_updates(action: Action) -> list[StatusUpdate]:
    from sqlalchemy.orm import object_session

    return list(object_session(action).scalars(
        select(StatusUpdate).where(StatusUpdate.action_id == action.id).order_by(StatusUpdate.id)))


def _restore_action(session, snap: dict) -> None:
    action = Action(**snap["values"])
    session.add(action)
    session.flush()
    action.leads = [session.get(Person, pid) for pid in snap["lead_ids"] if session.get(Person, pid)]
    for values in snap["updates"]:
        session.add(StatusUpdate(**values))
    session.flush()
    from send_desktop.storage.models import action_lead

    for pos, pid in enumerate(snap["lead_ids"]):
        session.execute(action_lead.update().where(action_lead.c.action_id == action.id,
                                                   action_lead.c.person_id == pid).values(position=pos))


def delete_update(db, update_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        upd = _get(s, StatusUpdate, update_id)
        snap = _columns(upd)
        s.delete(upd)
        return snap


def restore_update(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        s.add(StatusUpdate(**snap))


def _end_position(session, model, parent_col, parent_id) -> int:
    top = session.scalar(select(func.max(model.position)).where(parent_col == parent_id))
    return (top if top is not None else -1) + 1


def _renumber(session, model, parent_col, parent_id, moving=None, index=None) -> None:
    rows = list(session.scalars(select(model).where(parent_col == parent_id)
                                .order_by(model.position, model.id)))
    if moving is not None:
        rows = [r for r in rows if r.id != moving.id]
        rows.insert(len(rows) if index is None else max(0, min(index, len(rows))), moving)
    for pos, row in enumerate(rows):
        if row.position != pos:
            row.position = pos


def add_action(db, outcome_id: int, *, ref: str | None = None, text: str = "", workstream_id=None,
               timescale: str = "", success_criteria=(), leads=(), source: str = "window") -> int:
    with db.session(source) as s:
        outcome = _get(s, Outcome, outcome_id)
        siblings = s.scalars(select(Action.ref).where(Action.outcome_id == outcome_id)).all()
        priority = s.get(Priority, outcome.priority_id)
        action = Action(outcome_id=outcome_id, ref=ref or next_child_ref(outcome.ref, siblings),
                        text=text, workstream_id=workstream_id if workstream_id is not None else priority.workstream_id,
                        timescale=timescale.strip(), due_date=parse_timescale(timescale),
                        success_criteria=_lines(success_criteria),
                        position=_end_position(s, Action, Action.outcome_id, outcome_id))
        s.add(action)
        s.flush()
        if leads:
            _set_leads(s, action, leads)
        return action.id


def _delete_action_tree(s, action: Action) -> dict:
    """Delete an action and its updates inside an open session; returns the snapshot for undo."""
    snap = _snap_action(action)
    for upd in action_updates(action):
        s.delete(upd)
    s.flush()  # children first: no mapped relationship orders these deletes, and FKs cascade
    s.delete(action)
    return snap


def _delete_outcome_tree(s, outcome: Outcome) -> dict:
    actions = list(s.scalars(select(Action).where(Action.outcome_id == outcome.id)
                             .order_by(Action.position, Action.id)))
    snap = {"values": _columns(outcome), "actions": [_delete_action_tree(s, a) for a in actions]}
    s.flush()
    s.delete(outcome)
    return snap


def _restore_outcome_tree(s, snap: dict) -> None:
    s.add(Outcome(**snap["values"]))
    s.flush()
    for a in snap["actions"]:
        _restore_action(s, a)


def delete_action(db, action_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        return _delete_action_tree(s, _get(s, Action, action_id))


def restore_action(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        _restore_action(s, snap)


def move_action(db, action_id: int, outcome_id: int, index: int | None = None, source: str = "window"):
    """Put an action under an outcome at a position; returns (old outcome id, old index) for undo."""
    with db.session(source) as s:
        action = _get(s, Action, action_id)
        _get(s, Outcome, outcome_id)
        old_outcome = action.outcome_id
        order = list(s.scalars(select(Action.id).where(Action.outcome_id == old_outcome)
                               .order_by(Action.position, Action.id)))
        old_index = order.index(action.id)
        action.outcome_id = outcome_id
        s.flush()
        _renumber(s, Action, Action.outcome_id, outcome_id, moving=action, index=index)
        if old_outcome != outcome_id:
            _renumber(s, Action, Action.outcome_id, old_outcome)
        return old_outcome, old_index


def add_outcome(db, priority_id: int, *, ref: str | None = None, text: str = "", source: str = "window") -> int:
    with db.session(source) as s:
        priority = _get(s, Priority, priority_id)
        siblings = s.scalars(select(Outcome.ref).where(Outcome.priority_id == priority_id)).all()
        outcome = Outcome(priority_id=priority_id, ref=ref or next_child_ref(priority.ref, siblings), text=text,
                          position=_end_position(s, Outcome, Outcome.priority_id, priority_id))
        s.add(outcome)
        s.flush()
        return outcome.id


def delete_outcome(db, outcome_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        return _delete_outcome_tree(s, _get(s, Outcome, outcome_id))


def restore_outcome(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        _restore_outcome_tree(s, snap)


def add_priority(db, plan_id: int, *, ref: str | None = None, statement: str = "",
                 kind: str = "area for priority action", source: str = "window") -> int:
    with db.session(source) as s:
        refs = s.scalars(select(Priority.ref).where(Priority.plan_id == plan_id)).all()
        numbers = [int(r) for r in refs if str(r).strip().isdigit()]
        priority = Priority(plan_id=plan_id, ref=ref or str(max(numbers, default=0) + 1), kind=kind,
                            statement=statement, evidence_of_impact="", difference_for_cyp="",
                            position=_end_position(s, Priority, Priority.plan_id, plan_id))
        s.add(priority)
        s.flush()
        return priority.id


def delete_priority(db, priority_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        priority = _get(s, Priority, priority_id)
        outcomes = list(s.scalars(select(Outcome).where(Outcome.priority_id == priority_id)
                                  .order_by(Outcome.position, Outcome.id)))
        snap = {"values": _columns(priority), "outcomes": [_delete_outcome_tree(s, o) for o in outcomes]}
        s.flush()
        s.delete(priority)
        return snap


def restore_priority(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        s.add(Priority(**snap["values"]))
        s.flush()
        for o in snap["outcomes"]:
            _restore_outcome_tree(s, o)
