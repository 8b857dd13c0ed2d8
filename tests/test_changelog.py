"""One mechanism records every insert, update and delete of user data, with who and where."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from send_desktop.services import plan_edit
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.models import ChangeLog, Person


def log_rows(db, **where):
    with db.session() as s:
        q = select(ChangeLog).order_by(ChangeLog.id)
        for key, value in where.items():
            q = q.where(getattr(ChangeLog, key) == value)
        return list(s.scalars(q))


@pytest.fixture
def action_id(db):
    plan_id = load_plan(db).plan_id
    priority = plan_edit.add_priority(db, plan_id, statement="Leaders should act")
    outcome = plan_edit.add_outcome(db, priority, text="Things get better")
    return plan_edit.add_action(db, outcome, text="Write the strategy", timescale="July 2025", leads=["Ann Lee"])


def test_insert_is_recorded_with_the_whole_record(db, action_id):
    (row,) = log_rows(db, entity="action", op="insert")
    assert row.entity_id == action_id
    assert row.user == "Test Auditor" and row.source == "window"
    record = json.loads(row.new)
    assert record["text"] == "Write the strategy" and record["due_date"] == "2025-07-31"
    assert abs((dt.datetime.now() - row.at).total_seconds()) < 60


def test_update_records_each_changed_field_old_and_new(db, action_id):
    plan_edit.update_action(db, action_id, {"timescale": "Feb 26", "text": "Write the strategy"},
                            source="detail pane")
    rows = log_rows(db, entity="action", op="update")
    assert [(r.field, r.old, r.new, r.source) for r in rows if r.field != "leads"] == [
        ("timescale", "July 2025", "Feb 26", "detail pane"),
        ("due_date", "2025-07-31", "2026-02-28", "detail pane"),
    ]  # the unchanged text is not recorded


def test_changes_to_lead_officers_are_recorded_as_names(db, action_id):
    plan_edit.update_action(db, action_id, {"leads": ["Ann Lee", "Raj Patel"]})
    row = log_rows(db, entity="action", field="leads")[-1]
    assert (row.old, row.new) == ("Ann Lee", "Ann Lee; Raj Patel")


def test_delete_records_the_old_record(db, action_id):
    plan_edit.delete_action(db, action_id)
    (row,) = log_rows(db, entity="action", op="delete")
    assert json.loads(row.old)["text"] == "Write the strategy"
    assert row.new is None


def test_a_rolled_back_unit_of_work_leaves_no_log(db, action_id):
    count = len(log_rows(db))
    with pytest.raises(RuntimeError):
        with db.session() as s:
            s.add(Person(name="Ghost", role="", organisation=""))
            s.flush()
            raise RuntimeError("abandoned")
    assert len(log_rows(db)) == count


def test_status_updates_are_recorded(db, action_id):
    level = load_plan(db).scale.levels[1]
    update_id = plan_edit.add_update(db, action_id, date=dt.date(2025, 6, 1), level_id=level.id,
                                     narrative="On track", author="Ann Lee")
    (row,) = log_rows(db, entity="status_update", op="insert")
    assert row.entity_id == update_id
    assert json.loads(row.new)["narrative"] == "On track"
