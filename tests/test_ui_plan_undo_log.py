"""Every kind of edit the Plan area makes is in the change log, and Undo puts the plan back.

Each case pushes the same undoable command the window pushes (through `PlanView.push`), then
checks the change log grew with the right entity and field, and that Undo gives back a plan
identical to the one before (compared with `dump_plan`, which covers every field shown).
"""

from __future__ import annotations


import pytest
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.models import ChangeLog
from send_desktop.ui import undo_commands as cmd
from tests.conftest import DEMO_TODAY


def log_rows(db):
    with db.session() as s:
        return list(s.execute(select(ChangeLog.entity, ChangeLog.field, ChangeLog.user)
                              .order_by(ChangeLog.id)))


def plan_parts(db):
    snap = load_plan(db, today=DEMO_TODAY)
    outcome = next(o for o in snap.outcomes() if len(o.actions) >= 2)
    action = outcome.actions[0]
    priority = next(p for p in snap.priorities if outcome in p.outcomes)
    other_ws = next(w for w in snap.workstreams if w.id != action.workstream_id)
    return snap, priority, outcome, action, other_ws


CASES = {
    "action text": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"text": "Reworded"}),
    "action ref": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"ref": "9.9.9"}),
    "workstream": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"workstream_id": w.id}),
    "timescale": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"timescale": "Q1 2027"}),
    "leads": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"leads": ["New Lead", *a.leads]}),
    "criteria": lambda v, s, p, o, a, w: cmd.EditActionCommand(v, a.id, a.ref, {"success_criteria": ["One"]}),
    "outcome text": lambda v, s, p, o, a, w: cmd.EditOutcomeCommand(v, o.id, o.ref, {"text": "Better"}),
    "priority statement": lambda v, s, p, o, a, w: cmd.EditPriorityCommand(v, p.id, p.ref, {"statement": "New"}),
    "add update": lambda v, s, p, o, a, w: cmd.AddUpdateCommand(
        v, a.id, a.ref, {"date": DEMO_TODAY, "level_id": s.scale.levels[0].id, "narrative": "Slipped",
                         "evidence": "Minutes", "author": "Test Auditor"}),
    "add action": lambda v, s, p, o, a, w: cmd.AddActionCommand(v, o.id, f"{o.ref}.99"),
    "add outcome": lambda v, s, p, o, a, w: cmd.AddOutcomeCommand(v, p.id, f"{p.ref}.99"),
    "add priority": lambda v, s, p, o, a, w: cmd.AddPriorityCommand(v, s.plan_id, "6"),
    "delete action": lambda v, s, p, o, a, w: cmd.DeleteActionCommand(v, a.id, a.ref, None),
    "delete outcome": lambda v, s, p, o, a, w: cmd.DeleteOutcomeCommand(v, o.id, o.ref, None),
    "delete priority": lambda v, s, p, o, a, w: cmd.DeletePriorityCommand(v, p.id, p.ref, None),
    "move action": lambda v, s, p, o, a, w: cmd.MoveActionCommand(v, a.id, a.ref, o.id, 1, "down"),
}
EXPECTED_ENTITY = {
    "outcome text": "outcome", "priority statement": "priority", "add update": "status_update",
    "add outcome": "outcome", "add priority": "priority", "delete outcome": "outcome",
    "delete priority": "priority",
}


@pytest.mark.parametrize("case", list(CASES))
def test_window_edit_is_logged_and_undo_restores_the_plan(case, qtbot, demo_db):
    from send_desktop.ui.plan_view import PlanView

    stack = QUndoStack()
    view = PlanView(demo_db, stack)
    qtbot.addWidget(view)
    view.today = DEMO_TODAY
    view.reload()
    before_plan = dump_plan(demo_db)
    before_log = len(log_rows(demo_db))

    assert view.push(CASES[case](view, *plan_parts(demo_db)))

    after_plan = dump_plan(demo_db)
    new_rows = log_rows(demo_db)[before_log:]
    assert after_plan != before_plan
    assert new_rows, "the edit wrote nothing to the change log"
    assert {r.user for r in new_rows} == {"Test Auditor"}
    assert EXPECTED_ENTITY.get(case, "action") in {r.entity for r in new_rows}

    stack.undo()
    assert dump_plan(demo_db) == before_plan
    assert len(log_rows(demo_db)) > before_log + len(new_rows)  # the undo is logged too

    stack.redo()
    assert dump_plan(demo_db) == after_plan
