"""Plan rules: current status, overdue, duplicates, numbering, moves, deletes and their undo."""

from __future__ import annotations

import datetime as dt

import pytest

from send_desktop.errors import UserError
from send_desktop.services import plan_edit
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan

TODAY = dt.date(2025, 10, 15)


@pytest.fixture
def plan(db):
    plan_id = load_plan(db).plan_id
    p1 = plan_edit.add_priority(db, plan_id, statement="Leaders should improve governance")
    o11 = plan_edit.add_outcome(db, p1, text="Board in place")
    o12 = plan_edit.add_outcome(db, p1, text="Data shared")
    a1 = plan_edit.add_action(db, o11, text="Set up the board", timescale="March 2025")
    a2 = plan_edit.add_action(db, o11, text="Agree terms of reference", timescale="Ongoing")
    a3 = plan_edit.add_action(db, o12, text="Build the dashboard", timescale="Dec 2025")
    return {"plan": plan_id, "p1": p1, "o11": o11, "o12": o12, "a1": a1, "a2": a2, "a3": a3}


def levels(db):
    return {lv.code: lv for lv in load_plan(db).scale.levels}


def test_refs_are_numbered_p_o_a(db, plan):
    assert [a.ref for a in load_plan(db).actions()] == ["1.1.1", "1.1.2", "1.2.1"]
    assert [o.ref for o in load_plan(db).outcomes()] == ["1.1", "1.2"]


def test_current_status_is_the_latest_update_by_date(db, plan):
    lv = levels(db)
    plan_edit.add_update(db, plan["a1"], date=dt.date(2025, 5, 1), level_id=lv["G"].id, narrative="done")
    plan_edit.add_update(db, plan["a1"], date=dt.date(2025, 3, 1), level_id=lv["R"].id, narrative="late entry")
    action = load_plan(db, today=TODAY).action(plan["a1"])
    assert action.level.label == "Green"
    assert [u.narrative for u in action.updates] == ["late entry", "done"]  # history, oldest first


def test_overdue_means_due_passed_and_not_complete(db, plan):
    lv = levels(db)
    snap = load_plan(db, today=TODAY)
    assert snap.action(plan["a1"]).overdue  # March 2025, no status
    assert not snap.action(plan["a2"]).overdue  # Ongoing: no date
    assert not snap.action(plan["a3"]).overdue  # December 2025 still ahead
    plan_edit.add_update(db, plan["a1"], date=dt.date(2025, 4, 1), level_id=lv["G"].id, narrative="done")
    assert not load_plan(db, today=TODAY).action(plan["a1"]).overdue


def test_duplicate_references_are_kept_and_flagged(db, plan):
    plan_edit.update_action(db, plan["a2"], {"ref": "1.1.1"})
    actions = load_plan(db).actions()
    assert [a.ref for a in actions] == ["1.1.1", "1.1.1", "1.2.1"]
    assert [a.duplicate_ref for a in actions] == [True, True, False]


def test_timescale_keeps_the_text_and_derives_the_due_date(db, plan):
    plan_edit.update_action(db, plan["a3"], {"timescale": "Q3 2025"})
    action = load_plan(db).action(plan["a3"])
    assert (action.timescale, action.due_date) == ("Q3 2025", dt.date(2025, 9, 30))
    plan_edit.update_action(db, plan["a3"], {"timescale": "TBC"})
    assert load_plan(db).action(plan["a3"]).due_date is None


def test_move_action_across_outcomes_and_back(db, plan):
    old = plan_edit.move_action(db, plan["a1"], plan["o12"], 1)
    snap = load_plan(db)
    assert [a.id for a in snap.outcomes()[1].actions] == [plan["a3"], plan["a1"]]
    assert [a.id for a in snap.outcomes()[0].actions] == [plan["a2"]]
    plan_edit.move_action(db, plan["a1"], *old)
    assert [a.id for a in load_plan(db).outcomes()[0].actions] == [plan["a1"], plan["a2"]]


def test_delete_and_restore_an_action_with_its_history(db, plan):
    lv = levels(db)
    plan_edit.update_action(db, plan["a1"], {"leads": ["Ann Lee", "Raj Patel"], "success_criteria": ["A", "B"]})
    plan_edit.add_update(db, plan["a1"], date=dt.date(2025, 5, 1), level_id=lv["A"].id, narrative="going")
    before = dump_plan(db)
    snap = plan_edit.delete_action(db, plan["a1"])
    assert len(dump_plan(db)["actions"]) == 2
    plan_edit.restore_action(db, snap)
    assert dump_plan(db) == before


def test_delete_and_restore_a_priority_with_everything_under_it(db, plan):
    before = dump_plan(db)
    snap = plan_edit.delete_priority(db, plan["p1"])
    assert dump_plan(db)["actions"] == []
    plan_edit.restore_priority(db, snap)
    assert dump_plan(db) == before


def test_editing_something_deleted_meanwhile_is_a_clear_error(db, plan):
    plan_edit.delete_action(db, plan["a3"])
    with pytest.raises(UserError, match="no longer exists"):
        plan_edit.update_action(db, plan["a3"], {"text": "x"})


def test_update_with_an_impossible_date_is_refused(db, plan):
    with pytest.raises(UserError):
        plan_edit.add_update(db, plan["a1"], date=dt.date.today() + dt.timedelta(days=800), level_id=None)


def test_people_resolve_ignoring_case_and_spaces(db, plan):
    plan_edit.update_action(db, plan["a1"], {"leads": ["Ann  Lee"]})
    plan_edit.update_action(db, plan["a2"], {"leads": ["ann lee"]})
    snap = load_plan(db)
    assert [p.name for p in snap.people] == ["Ann Lee"]
    assert snap.action(plan["a2"]).leads == ("Ann Lee",)
