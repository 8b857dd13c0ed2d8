"""The change log: `services.change_log.recent_changes` and the Change log area's model."""

from __future__ import annotations

import datetime as dt

from send_desktop.services import plan_edit
from send_desktop.services.change_log import recent_changes
from send_desktop.services.plan_read import load_plan
from send_desktop.ui.change_log_view import COL_CHANGE, COL_NEW, COL_OLD, COL_WHAT, ChangeLogModel, ChangeLogView


def _small_plan(db):
    plan_id = load_plan(db).plan_id
    priority = plan_edit.add_priority(db, plan_id, statement="Leaders should listen.")
    outcome = plan_edit.add_outcome(db, priority, text="Families are heard.")
    action = plan_edit.add_action(db, outcome, text="Hold a forum.", timescale="July 2025")
    return priority, outcome, action


def test_rows_come_newest_first_and_name_what_changed(db):
    _priority, _outcome, action = _small_plan(db)
    plan_edit.update_action(db, action, {"text": "Hold two forums."})

    rows = recent_changes(db)
    top = rows[0]
    assert (top.op, top.what, top.field, top.old, top.new) == (
        "update", "Action 1.1.1", "text", "Hold a forum.", "Hold two forums.")
    assert (top.user, top.source) == ("Test Auditor", "window")
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    created = next(r for r in rows if r.op == "insert" and r.entity == "priority")
    assert (created.what, created.field, created.old, created.new) == (
        "Priority 1", "", "", "Leaders should listen.")


def test_levels_are_named_and_deleted_records_keep_their_names(db):
    _priority, _outcome, action = _small_plan(db)
    levels = {lv.label: lv.id for lv in load_plan(db).scale.levels}
    update = plan_edit.add_update(db, action, date=dt.date(2025, 3, 14), level_id=levels["Red"], narrative="Late.")
    plan_edit.update_status_update(db, update, {"level_id": levels["Amber"]})
    plan_edit.delete_action(db, action)

    rows = recent_changes(db)
    deleted = [r for r in rows if r.op == "delete"]
    assert {r.what for r in deleted} == {"Action 1.1.1", "Update on 1.1.1 (14 Mar 2025)"}
    assert next(r for r in deleted if r.entity == "action").old == "Hold a forum."
    recoloured = next(r for r in rows if r.field == "level_id")
    assert (recoloured.old, recoloured.new) == ("Red", "Amber")


def test_rows_can_be_limited_to_one_record(db):
    priority, _outcome, action = _small_plan(db)
    plan_edit.update_action(db, action, {"timescale": "Sept 2025"})
    rows = recent_changes(db, entity="action", entity_id=action)
    assert {r.entity_id for r in rows} == {action} and len(rows) == 3  # insert, timescale, due date
    assert len(recent_changes(db, limit=2)) == 2
    assert {r.entity for r in recent_changes(db, entity="priority")} == {"priority"}


def test_the_model_passes_the_model_tester_and_filters(qtmodeltester, db):
    _small_plan(db)
    model = ChangeLogModel()
    model.set_rows(recent_changes(db))
    qtmodeltester.check(model)
    total = model.rowCount()
    model.set_filter("FORUM")
    assert 0 < model.rowCount() < total
    assert all("forum" in " ".join(model.index(r, c).data() for c in range(model.columnCount())).lower()
               for r in range(model.rowCount()))
    model.set_filter("")
    assert model.rowCount() == total
    qtmodeltester.check(model)


def test_the_view_shows_words_not_codes(qtbot, db):
    _small_plan(db)
    view = ChangeLogView(db)
    qtbot.addWidget(view)
    model = view.model
    first_insert = next(r for r in range(model.rowCount()) if model.row(r).op == "insert")
    assert model.index(first_insert, COL_CHANGE).data() == "Created"
    assert model.index(first_insert, COL_OLD).data() == ""
    assert model.index(first_insert, COL_WHAT).data().split()[0] in {"Action", "Outcome", "Priority", "Person"}
    assert model.index(first_insert, COL_NEW).data() == model.row(first_insert).new
    assert "changes" in view.count_label.text()
    view.filter_edit.setText("no such words anywhere")
    assert model.rowCount() == 0 and "0 of" in view.count_label.text()
