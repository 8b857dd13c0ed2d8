"""Audits stored in a real database: grading kept in step, actions, moderation, versions, the log."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.framework import framework_to_json
from send_desktop.errors import BadInputError, UserError
from send_desktop.services import audit_edit as edit
from send_desktop.services.audit_frameworks import (
    current_framework_id, ensure_default_framework, framework_versions, load_framework, save_framework,
)
from send_desktop.services.audit_read import audit_ids, audit_rows, load_audit

DAY = dt.date(2026, 6, 12)


def all_met(value=2):
    return {c.id: value for s in default_framework().sections for c in s.criteria}


def new(db, **values):
    values = {"plan_ref": "EHCP-0001", "audit_date": DAY, "auditor": "Sam Okafor", "team": "North", **values}
    return edit.create_audit(db, values, source="test")


def test_a_new_audit_is_graded_and_stored_with_its_result(db):
    audit_id = new(db, ratings=all_met(2))
    a = load_audit(db, audit_id)
    assert a.status == "draft"
    assert sqlite3.connect(db.path).execute("SELECT month FROM audit WHERE id=?", (audit_id,)).fetchone() == ("2026-06",)
    assert a.score == 66.7 and a.grade == "Good" and a.reported_grade == "Good"
    assert a.section_results["F"] == [66.7, "Good"]
    assert a.unmet == [] and a.actions == []
    assert a.framework_id == current_framework_id(db)


def test_rating_below_met_raises_an_action_and_raising_it_again_removes_it(db):
    audit_id = new(db, ratings=all_met(2))
    edit.update_audit(db, audit_id, {"ratings": {"F1": 1}})
    a = load_audit(db, audit_id)
    assert [x.criterion_id for x in a.actions] == ["F1"] and a.unmet == ["F1"]
    action = a.actions[0]
    assert action.due_date == DAY + dt.timedelta(days=28) and action.status == "open" and not action.edited
    edit.update_audit(db, audit_id, {"ratings": {"F1": 3}})
    assert load_audit(db, audit_id).actions == []


def test_an_edited_action_is_kept_when_its_criterion_is_met(db):
    audit_id = new(db, ratings={**all_met(2), "F1": 0})
    action = load_audit(db, audit_id).actions[0]
    edit.update_action(db, action.id, {"text": "Rewrite F with hours and who provides them"})
    edit.update_audit(db, audit_id, {"ratings": {"F1": 2}})
    kept = load_audit(db, audit_id).actions
    assert [(x.criterion_id, x.edited) for x in kept] == [("F1", True)]


def test_no_needs_in_c_makes_g_not_applicable(db):
    audit_id = new(db, ratings=all_met(2), no_needs=["C"])
    a = load_audit(db, audit_id)
    assert a.section_results["G"] == [None, "N/A"]
    assert a.no_needs == ["C"]


def test_bad_values_change_nothing(db):
    audit_id = new(db, ratings=all_met(2))
    before = load_audit(db, audit_id)
    with pytest.raises(BadInputError, match="rating 7"):
        edit.update_audit(db, audit_id, {"ratings": {"F1": 7}})
    with pytest.raises(BadInputError, match="no field"):
        edit.update_audit(db, audit_id, {"child_name": "x"})
    with pytest.raises(BadInputError, match="plan reference"):
        new(db, plan_ref="  ")
    assert load_audit(db, audit_id) == before


def test_every_rating_change_is_in_the_change_log_as_the_criterion_that_changed(db):
    audit_id = new(db, ratings=all_met(2))
    edit.update_audit(db, audit_id, {"ratings": {"B2": 1}}, source="form")
    con = sqlite3.connect(db.path)
    rows = con.execute("SELECT field, old, new, source FROM change_log WHERE entity='audit' AND op='update' "
                       "AND field='ratings'").fetchall()
    assert rows == [("ratings", json.dumps({"B2": 2}), json.dumps({"B2": 1}), "form")]


def test_moderation_becomes_the_reported_grade_and_keeps_the_original(db):
    audit_id = new(db, ratings=all_met(2))
    edit.set_status(db, audit_id, "submitted")
    with pytest.raises(UserError, match="other than the auditor"):
        edit.start_moderation(db, audit_id, "Sam Okafor")
    mid = edit.start_moderation(db, audit_id, "Ruth Adeyemi", blind=True)
    m = load_audit(db, audit_id).moderation
    assert m.ratings == {} and m.blind and m.status == "draft"
    edit.update_moderation(db, mid, {"ratings": all_met(3)})
    edit.complete_moderation(db, mid)
    a = load_audit(db, audit_id)
    assert a.grade == "Good" and a.reported_grade == "Outstanding" and a.status == "moderated"
    with pytest.raises(UserError, match="complete"):
        edit.update_moderation(db, mid, {"ratings": {"F1": 0}})


def test_only_a_submitted_audit_can_be_moderated(db):
    audit_id = new(db)
    with pytest.raises(UserError, match="submitted"):
        edit.start_moderation(db, audit_id, "Ruth Adeyemi")


def test_editing_a_framework_in_use_makes_a_new_version(db):
    first = ensure_default_framework(db)
    audit_id = new(db, ratings=all_met(2))
    definition = framework_to_json(default_framework())
    definition["sections"][0]["weight"] = 12
    second = save_framework(db, definition, source="test")
    assert second != first
    versions = framework_versions(db)
    assert [(v[2], v[3], v[4]) for v in versions] == [("1", False, 1), ("1.1", True, 0)]
    assert load_audit(db, audit_id).framework_id == first  # the audit keeps what it was scored under
    assert load_framework(db, second).sections[0].weight == 12
    assert load_framework(db, first).sections[0].weight == 8


def test_an_unused_framework_is_changed_in_place(db):
    first = ensure_default_framework(db)
    definition = framework_to_json(default_framework())
    definition["sections"][0]["weight"] = 9
    assert save_framework(db, definition) == first
    assert load_framework(db, first).sections[0].weight == 9


def test_the_list_reads_ids_then_rows(db):
    ids = [new(db, plan_ref=f"EHCP-{n:04d}", audit_date=DAY + dt.timedelta(days=n), team="North" if n % 2 else "South")
           for n in range(5)]
    assert audit_ids(db) == ids[::-1]
    assert audit_ids(db, {"team": "South"}, order_by="plan_ref", descending=False) == [ids[0], ids[2], ids[4]]
    assert audit_ids(db, search="0003") == [ids[3]]
    rows = audit_rows(db, ids[:2])
    assert rows[ids[1]].plan_ref == "EHCP-0001" and rows[ids[1]].audit_date == DAY + dt.timedelta(days=1)


def test_a_draft_raises_actions_only_for_what_was_rated_and_submitting_adds_the_not_evidenced(db):
    audit_id = new(db, ratings={"A1": 1, "A2": 3})
    assert [x.criterion_id for x in load_audit(db, audit_id).actions] == ["A1"]
    edit.set_status(db, audit_id, "submitted")
    raised = {x.criterion_id for x in load_audit(db, audit_id).actions}
    applicable = {c.id for s in default_framework().sections for c in s.criteria}
    assert "A1" in raised and "A2" not in raised and "F1" in raised  # F1 was never rated: not evidenced
    assert raised < applicable


def test_scoring_is_changed_only_in_a_draft(db):
    audit_id = new(db, ratings=all_met(2))
    edit.set_status(db, audit_id, "submitted")
    with pytest.raises(UserError, match="return it to draft"):
        edit.update_audit(db, audit_id, {"ratings": {"F1": 0}})
    edit.update_audit(db, audit_id, {"team": "South"})  # details can still be corrected
    edit.set_status(db, audit_id, "draft")
    edit.update_audit(db, audit_id, {"ratings": {"F1": 0}})
    assert load_audit(db, audit_id).ratings["F1"] == 0


def test_an_audit_under_moderation_stays_submitted(db):
    audit_id = new(db, ratings=all_met(2))
    edit.set_status(db, audit_id, "submitted")
    edit.start_moderation(db, audit_id, "Ruth Adeyemi")
    with pytest.raises(UserError, match="moderation of this audit is under way"):
        edit.set_status(db, audit_id, "draft")
