"""Reading the plan: one snapshot of plain rows, in plan order, for the window, exports and dumps.

The snapshot is built with a handful of plain SQL queries through the standard library's
sqlite3 (no SQLAlchemy import, no ORM objects), so the window can show the plan at start-up
before SQLAlchemy has loaded, and a 500-action plan with 6,000 updates loads in tens of ms.
The rows are named tuples, each made whole: their classes are made as the window starts, and
a named tuple class is made ten times faster than a dataclass (no generated source to compile).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from send_desktop.core.refs import duplicate_refs, normalise_ref
from send_desktop.core.timescale import is_overdue
from send_desktop.errors import UserError


class Level(NamedTuple):
    id: int
    code: str
    label: str
    meaning: str
    colour: str
    complete: bool
    position: int


class Scale(NamedTuple):
    id: int
    name: str
    preset: str | None
    levels: list[Level]

    def by_id(self, level_id: int | None) -> Level | None:
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        return None


class UpdateRow(NamedTuple):
    id: int
    uid: str
    action_id: int
    date: dt.date
    level_id: int | None
    narrative: str
    evidence: str
    author: str


class ActionRow(NamedTuple):
    id: int
    uid: str
    outcome_id: int
    ref: str
    text: str
    workstream_id: int | None
    workstream: str
    leads: tuple[str, ...]
    timescale: str
    due_date: dt.date | None
    success_criteria: tuple[str, ...]
    position: int
    updates: list[UpdateRow]  # oldest first
    level: Level | None  # the latest update's
    duplicate_ref: bool
    overdue: bool

    @property
    def last_update(self) -> UpdateRow | None:
        return self.updates[-1] if self.updates else None


class OutcomeRow(NamedTuple):
    id: int
    uid: str
    priority_id: int
    ref: str
    text: str
    position: int
    actions: list[ActionRow]


class PriorityRow(NamedTuple):
    id: int
    uid: str
    ref: str
    kind: str
    statement: str
    workstream_id: int | None
    evidence_of_impact: str
    difference_for_cyp: str
    position: int
    outcomes: list[OutcomeRow]


class WorkstreamRow(NamedTuple):
    id: int
    uid: str
    name: str
    areas_of_focus: str
    position: int
    leads: tuple[str, ...]


class PersonRow(NamedTuple):
    id: int
    uid: str
    name: str
    role: str
    organisation: str


class PlanSnapshot(NamedTuple):
    plan_id: int
    uid: str
    title: str
    scale: Scale
    priorities: list[PriorityRow]
    workstreams: list[WorkstreamRow]
    people: list[PersonRow]
    today: dt.date

    def outcomes(self) -> list[OutcomeRow]:
        return [o for p in self.priorities for o in p.outcomes]

    def actions(self) -> list[ActionRow]:
        return [a for p in self.priorities for o in p.outcomes for a in o.actions]

    def action(self, action_id: int) -> ActionRow | None:
        for a in self.actions():
            if a.id == action_id:
                return a
        return None


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def first_plan_id(con) -> int:
    row = con.execute("SELECT id FROM plan ORDER BY id LIMIT 1").fetchone()
    if row is None:
        raise UserError("This database holds no plan yet.")
    return row[0]


def load_scale(con, scale_id: int) -> Scale:
    sc = con.execute("SELECT id, name, preset FROM rating_scale WHERE id=?", (scale_id,)).fetchone()
    levels = [
        Level(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])
        for r in con.execute("SELECT id, code, label, meaning, colour, complete, position FROM scale_level "
                             "WHERE scale_id=? ORDER BY position, id", (scale_id,))
    ]
    return Scale(sc[0], sc[1], sc[2], levels)


def has_plan(db) -> bool:
    with db.reading() as con:
        return con.execute("SELECT 1 FROM plan LIMIT 1").fetchone() is not None


def load_plan(db, plan_id: int | None = None, today: dt.date | None = None) -> PlanSnapshot:
    today = today or dt.date.today()
    with db.reading() as con:
        plan_id = plan_id or first_plan_id(con)
        plan = con.execute("SELECT id, uid, title, scale_id FROM plan WHERE id=?", (plan_id,)).fetchone()
        if plan is None:
            raise UserError("That plan no longer exists.")
        scale = load_scale(con, plan[3])
        levels = {lv.id: lv for lv in scale.levels}

        people = [PersonRow(*r) for r in con.execute(
            "SELECT id, uid, name, role, organisation FROM person ORDER BY name, id")]
        names = {p.id: p.name for p in people}

        ws_leads: dict[int, list[str]] = {}
        for ws_id, person_id in con.execute("SELECT workstream_id, person_id FROM workstream_lead"):
            ws_leads.setdefault(ws_id, []).append(names[person_id])
        workstreams = [
            WorkstreamRow(r[0], r[1], r[2], r[3], r[4], tuple(sorted(ws_leads.get(r[0], []))))
            for r in con.execute("SELECT id, uid, name, areas_of_focus, position FROM workstream "
                                 "WHERE plan_id=? ORDER BY position, id", (plan_id,))
        ]
        ws_names = {w.id: w.name for w in workstreams}

        priorities = [
            PriorityRow(*r, []) for r in con.execute(
                "SELECT id, uid, ref, kind, statement, workstream_id, evidence_of_impact, difference_for_cyp, "
                "position FROM priority WHERE plan_id=? ORDER BY position, id", (plan_id,))
        ]
        by_priority = {p.id: p for p in priorities}
        outcomes: dict[int, OutcomeRow] = {}
        for r in con.execute(
            "SELECT o.id, o.uid, o.priority_id, o.ref, o.text, o.position FROM outcome o "
            "JOIN priority p ON p.id = o.priority_id WHERE p.plan_id=? ORDER BY o.position, o.id", (plan_id,)
        ):
            row = OutcomeRow(*r, [])
            outcomes[row.id] = row
            by_priority[row.priority_id].outcomes.append(row)

        leads: dict[int, list[str]] = {}
        for action_id, person_id in con.execute(
            "SELECT action_id, person_id FROM action_lead ORDER BY action_id, position, person_id"
        ):
            leads.setdefault(action_id, []).append(names[person_id])

        updates: dict[int, list[UpdateRow]] = {}
        for r in con.execute(
            "SELECT id, uid, action_id, date, level_id, narrative, evidence, author FROM status_update "
            "ORDER BY action_id, date, id"
        ):
            updates.setdefault(r[2], []).append(UpdateRow(r[0], r[1], r[2], _date(r[3]), r[4], r[5], r[6], r[7]))

        action_rows = con.execute(
            "SELECT a.id, a.uid, a.outcome_id, a.ref, a.text, a.workstream_id, a.timescale, a.due_date, "
            "a.success_criteria, a.position FROM action a JOIN outcome o ON o.id = a.outcome_id "
            "JOIN priority p ON p.id = o.priority_id WHERE p.plan_id=? ORDER BY a.position, a.id", (plan_id,)
        ).fetchall()

    dupes = duplicate_refs(r[3] for r in action_rows)
    for r in action_rows:
        history = updates.get(r[0], [])
        level = levels.get(history[-1].level_id) if history else None
        due = _date(r[7])
        outcomes[r[2]].actions.append(ActionRow(
            r[0], r[1], r[2], r[3], r[4], r[5], ws_names.get(r[5], ""), tuple(leads.get(r[0], ())),
            r[6], due, tuple(line for line in r[8].split("\n") if line.strip()), r[9],
            history, level, normalise_ref(r[3]) in dupes, is_overdue(due, bool(level and level.complete), today),
        ))
    return PlanSnapshot(plan[0], plan[1], plan[2], scale, priorities, workstreams, people, today)
