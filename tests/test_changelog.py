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


# -- the bulk path: new records inserted in one statement, logged exactly as the hook logs them ----------------


@pytest.fixture
def two_databases(tmp_path):
    """Two new files with the default framework: one written through the ORM, one in bulk."""
    from send_desktop.services.audit_frameworks import ensure_default_framework
    from send_desktop.storage.database import open_database

    out = []
    for name in ("orm", "bulk"):
        database = open_database(tmp_path / f"{name}.sqlite", create=True, user="Test Auditor")
        ensure_default_framework(database, source="test")
        out.append(database)
    yield out
    for database in out:
        database.close()


def _contents(database) -> tuple[list, list]:
    with database.reading() as con:
        tables = {t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("audit", "audit_action")}
        log = con.execute("SELECT user, source, op, entity, entity_id, field, old, new FROM change_log "
                          "WHERE entity IN ('audit', 'audit_action') ORDER BY id").fetchall()
    return tables, log


def _records(framework_id: int) -> list[dict]:
    day = dt.date(2025, 3, 4)
    full = dict(uid="a" * 32, framework_id=framework_id, plan_ref="EHC-1", plan_type="new", plan_issue_date=day,
                team="North", key_stage="KS2", primary_need="SLCN", setting_type="Mainstream", auditor="Ann Lee",
                agency="SEND", audit_date=day, month="2025-03", status="submitted",
                ratings={"A1": 2, "B1": "na", "F1": 0}, na_reasons={"B1": "not yet — ‘due’"},
                comments={"F1": "é"}, no_needs=["C"], critical_concern=True, notes="Line one\nline two", score=66.7,
                banded_grade="Good", grade="Requires improvement", caps=["f_inadequate"],
                section_results={"A": [66.7, "Good"], "G": [None, "N/A"]}, unmet=["F1"],
                reported_grade="Requires improvement", updated_at=dt.datetime(2025, 3, 4, 9, 30))
    sparse = dict(uid="b" * 32, framework_id=framework_id, plan_ref="EHC-2", audit_date=day, month="2025-03",
                  plan_issue_date=None, score=None, ratings={}, updated_at=dt.datetime(2025, 3, 5))
    nones = {**full, "uid": "c" * 32, "team": None, "status": None, "ratings": None, "caps": None}
    return [full, sparse, nones]


def test_a_bulk_insert_stores_and_logs_exactly_what_the_orm_and_its_hook_do(two_databases):
    from send_desktop.storage.changelog import insert_logged
    from send_desktop.storage.models import Audit, AuditAction

    orm, bulk = two_databases
    records = _records(1)
    actions = [dict(criterion_id="F1", section_code="F", text="Quantify", owner_type="caseworker",
                    due_date=dt.date(2025, 4, 1), status="open", edited=False, uid="d" * 32),
               dict(criterion_id="A1", section_code="A", text="Edited", due_date=None, edited=True, uid="e" * 32),
               dict(criterion_id="B1", section_code="B", uid="f" * 32)]
    with orm.session("import a.xlsx") as s:
        audits = [Audit(**r) for r in records]
        s.add_all(audits)
        s.flush()
        s.add_all([AuditAction(audit_id=audits[0].id, **a) for a in actions])
    with bulk.session("import a.xlsx") as s:
        ids = insert_logged(s, Audit, records)
        assert insert_logged(s, AuditAction, [{"audit_id": ids[0], **a} for a in actions]) == [1, 2, 3]
    assert ids == [1, 2, 3]
    assert _contents(bulk) == _contents(orm)
    tables, log = _contents(bulk)
    assert [(op, entity, entity_id) for _, _, op, entity, entity_id, *_ in log] == [
        ("insert", "audit", 1), ("insert", "audit", 2), ("insert", "audit", 3), ("insert", "audit_action", 2)]
    assert {(user, source) for user, source, *_ in log} == {("Test Auditor", "import a.xlsx")}
    sparse, nones = json.loads(log[1][-1]), json.loads(log[2][-1])
    assert (sparse["status"], sparse["team"], sparse["score"], sparse["caps"]) == ("draft", "", None, [])
    # None is the default where the ORM stores no None, and JSON null (as the ORM stores it) in a JSON column
    assert (nones["status"], nones["team"], nones["ratings"], nones["caps"]) == ("draft", "", None, None)


def test_bulk_ids_follow_the_highest_and_bad_records_are_refused(two_databases):
    from send_desktop.storage.changelog import insert_logged
    from send_desktop.storage.models import Audit

    _, bulk = two_databases
    records = _records(1)
    with bulk.session("import") as s:
        s.add(Audit(**records[0]))
        s.flush()
        assert insert_logged(s, Audit, records[1:]) == [2, 3]
        assert insert_logged(s, Audit, []) == []
        with pytest.raises(ValueError, match="takes no column 'colour'"):
            insert_logged(s, Audit, [{**records[1], "uid": "9" * 32, "colour": "red"}])
        with pytest.raises(ValueError, match="takes no column 'id'"):
            insert_logged(s, Audit, [{**records[1], "uid": "9" * 32, "id": 7}])


def test_new_audits_written_in_bulk_equal_orm_audits_graded_the_same_way(two_databases, monkeypatch):
    """What the import does with new audits (NewAudit, insert_new_audits) against what it did before
    (ORM Audits added and flushed): the same audits, actions and change log."""
    import itertools

    from send_desktop.services import audit_edit
    from send_desktop.services.audit_frameworks import load_framework
    from send_desktop.storage import models
    from send_desktop.storage.models import Audit

    orm, bulk = two_databases
    fw = load_framework(orm, 1)
    ids = [c.id for s in fw.sections for c in s.criteria]
    inputs = []
    for n in range(30):
        ratings = {cid: (n * 7 + i) % 4 for i, cid in enumerate(ids) if (n + i) % 9}
        inputs.append(dict(uid=f"{n:032x}", framework_id=1, plan_ref=f"EHC-{n}", plan_type="annual review",
                           plan_issue_date=None if n % 3 else dt.date(2024, 1, n + 1), team="East", key_stage="KS3",
                           primary_need="ASD", setting_type="Special", auditor="Bo", agency="SEND",
                           audit_date=dt.date(2025, 5, n % 28 + 1), notes="", status="draft" if n % 5 == 0 else
                           "submitted", no_needs=["C"] if n % 4 == 0 else [], critical_concern=n % 11 == 0,
                           ratings=ratings, na_reasons={}, comments={}, month="2025-05", caps=[],
                           section_results={}, unmet=[], updated_at=dt.datetime(2025, 6, 1, 12)))
    for database, bulk_path in ((orm, False), (bulk, True)):
        counter = itertools.count()
        monkeypatch.setattr(models, "new_uid", lambda: f"{next(counter):032x}")
        with database.session("import audits.xlsx") as s:
            pending: list = []
            made = [(audit_edit.NewAudit if bulk_path else Audit)(**values) for values in inputs]
            for audit in made:
                audit_edit.apply_grading(s, audit, fw, new_actions=pending)
            if bulk_path:
                audit_edit.insert_new_audits(s, made, pending)
            else:
                s.add_all(made)
                s.flush()
                audit_edit.insert_new_actions(s, pending)
    tables, log = _contents(bulk)
    assert len(tables["audit"]) == 30 and len(tables["audit_action"]) > 100 and len(log) == 30
    assert (tables, log) == _contents(orm)
