"""Conflicts decided one by one: keep mine, take theirs, or a value typed in, checked like a cell.

An action log (and a plan, a register, a KPI set) is exported, the workbook edited with openpyxl
as an officer would (a title and a due date, one typed as text the way people type dates), the
same fields changed in the database meanwhile, and the workbook imported with a decision for each
conflict: the outcome is read back field by field, and from the change log.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from tests.test_audit_exchange import central, laptop, three  # noqa: F401 - fixtures
from tests.test_audit_exchange import export as export_audit_book
from tests.test_import_merge_undo import (  # noqa: F401 - fixtures
    TEXT, TODAY, _meetings_template, export_plan_book, edit_plan_book, header, meetings_db, row_with, run_cli,
    three_actions, user_tables,
)
from tests.test_kpis import kpi_db  # noqa: F401 - fixture
from tests.test_risks import risk_db  # noqa: F401 - fixture

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, UserError
from send_desktop.services import kpis as K
from send_desktop.services import meeting_actions as A
from send_desktop.services import plan_edit
from send_desktop.services import risks as R
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.services.kpi_read import load_kpis
from send_desktop.services.plan_read import load_plan
from send_desktop.services.risk_read import load_register
from send_desktop.xlsx.action_log_xlsx import export_actions, import_actions
from send_desktop.xlsx.audit_exchange import import_audits
from send_desktop.xlsx.kpi_xlsx import export_kpis, import_kpis
from send_desktop.xlsx.merge_decisions import decisions_from_list
from send_desktop.xlsx.plan_import import import_plan
from send_desktop.xlsx.risk_xlsx import export_risks, import_risks

D_WINDOW = dt.date(2027, 1, 15)


def two_actions(db):
    with db.reading() as con:
        return con.execute("SELECT id, uid FROM meeting_action ORDER BY id LIMIT 2").fetchall()


def action_row(db, action_id: int):
    with db.reading() as con:
        return con.execute("SELECT text, due_date FROM meeting_action WHERE id=?", (action_id,)).fetchone()


@pytest.fixture
def log_case(meetings_db, tmp_path):
    """An action log exported; two actions' titles and due dates changed in the workbook (one date
    typed as text) and, to other values, in the database."""
    path = tmp_path / "actions.xlsx"
    run_steps(export_actions(meetings_db, path))
    (id1, uid1), (id2, uid2) = two_actions(meetings_db)
    base = {id1: action_row(meetings_db, id1), id2: action_row(meetings_db, id2)}
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    h = header(ws, 1)
    for uid, title, due in ((uid1, "First, as the workbook has it", dt.datetime(2027, 2, 1)),
                            (uid2, "Second, as the workbook has it", "1 Mar 2027")):
        r = row_with(ws, 1, "Action id", uid)
        ws.cell(r, h["Action"]).value = title
        ws.cell(r, h["Due"]).value = due
    wb.save(path)
    for action_id, title in ((id1, "First, as the window has it"), (id2, "Second, as the window has it")):
        A.update_action(meetings_db, action_id, {"text": title, "due_date": D_WINDOW})
    return meetings_db, path, (id1, uid1), (id2, uid2), base


def test_a_refusal_names_each_conflict_with_its_parts(log_case):
    db, path, (id1, uid1), (id2, uid2), base = log_case
    with pytest.raises(BadInputError) as caught:
        run_steps(import_actions(db, path, dry_run=True, today=TODAY))
    by_key = {c.key: c for c in caught.value.conflicts}
    assert set(by_key) == {("meeting_action", u, f) for u in (uid1, uid2) for f in ("text", "due_date")}
    due = by_key[("meeting_action", uid2, "due_date")]
    assert (due.label, due.sheet, due.column, due.editable) == ("Due", "Actions", "Due", True)
    assert (due.mine, due.theirs) == ("15/01/2027", "01/03/2027")
    assert due.base == (base[id2][1] and dt.date.fromisoformat(base[id2][1]).strftime("%d/%m/%Y"))
    title = by_key[("meeting_action", uid1, "text")]
    assert (title.mine, title.theirs, title.base) == ("First, as the window has it", "First, as the workbook has it",
                                                      base[id1][0])
    assert title.row == row_with(openpyxl.load_workbook(path)["Actions"], 1, "Action id", uid1)
    assert title.record.startswith("meeting action ")


def test_each_conflict_gets_exactly_the_value_chosen_and_is_change_logged(log_case):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    before = user_tables(db.path)
    decisions = {("meeting_action", uid1, "text"): "theirs", ("meeting_action", uid1, "due_date"): "mine",
                 ("meeting_action", uid2, "text"): ("edit", "Second, as agreed on the phone"),
                 ("meeting_action", uid2, "due_date"): ("edit", "30/04/2027")}
    dry = run_steps(import_actions(db, path, dry_run=True, today=TODAY, decisions=decisions))
    assert dry.as_dict()["conflicts"] == 4 and user_tables(db.path) == before
    report = run_steps(import_actions(db, path, today=TODAY, decisions=decisions))
    assert report.as_dict()["conflicts"] == 4
    shown = {c.key: c for c in report.conflict_details}
    typed = shown[("meeting_action", uid2, "due_date")]
    assert (typed.theirs, typed.mine) == ("01/03/2027", "15/01/2027")  # the workbook's, not the value typed over it
    assert typed.record == "meeting action Second, as the window has it"  # named as the database has it
    assert action_row(db, id1) == ("First, as the workbook has it", "2027-01-15")
    assert action_row(db, id2) == ("Second, as agreed on the phone", "2027-04-30")
    (batch,) = imports(db)
    with db.reading() as con:
        logged = {(r[0], r[1]): r[2] for r in con.execute(
            "SELECT entity_id, field, new FROM change_log WHERE batch_id=? AND entity='meeting_action'",
            (batch["id"],))}
    assert logged == {(id1, "text"): "First, as the workbook has it", (id2, "text"): "Second, as agreed on the phone",
                      (id2, "due_date"): "2027-04-30"}  # the kept due date is not a change
    undo_import(db, batch["id"])
    assert user_tables(db.path) == before


def test_an_edited_value_is_checked_like_a_cell_and_a_bad_one_changes_nothing(log_case):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    before = user_tables(db.path)
    decisions = {("meeting_action", uid1, "text"): "theirs", ("meeting_action", uid1, "due_date"): "mine",
                 ("meeting_action", uid2, "text"): "mine", ("meeting_action", uid2, "due_date"): ("edit", "31/02/2027")}
    with pytest.raises(BadInputError) as caught:
        run_steps(import_actions(db, path, today=TODAY, decisions=decisions))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.column) == ("Actions", "Due")
    assert problem.row == row_with(openpyxl.load_workbook(path)["Actions"], 1, "Action id", uid2)
    assert problem.message == "the value typed for Due cannot be used: '31/02/2027' is not a real date"
    assert "\n" not in caught.value.message and caught.value.message.startswith("actions.xlsx: ")
    decisions[("meeting_action", uid2, "due_date")] = ("edit", "next Tuesday")
    with pytest.raises(BadInputError, match="not a date; write it as dd/mm/yyyy"):
        run_steps(import_actions(db, path, today=TODAY, decisions=decisions))
    decisions[("meeting_action", uid2, "due_date")] = "theirs"
    decisions[("meeting_action", uid2, "text")] = ("edit", "  ")  # the resolver's own rule: an action needs words
    with pytest.raises(BadInputError) as caught:
        run_steps(import_actions(db, path, today=TODAY, decisions=decisions))
    assert caught.value.problems[0].column == "Action"
    assert user_tables(db.path) == before and imports(db) == []


def test_undecided_conflicts_are_left_to_the_strategy(log_case):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    decided = {("meeting_action", uid1, "text"): "theirs", ("meeting_action", uid1, "due_date"): "theirs"}
    with pytest.raises(BadInputError) as caught:
        run_steps(import_actions(db, path, today=TODAY, decisions=decided))
    assert len(caught.value.problems) == 2 and all(f"--decisions" in p.message for p in caught.value.problems)
    assert {c.key for c in caught.value.conflicts} >= set(decided)
    run_steps(import_actions(db, path, today=TODAY, decisions=decided, strategy="mine"))
    assert action_row(db, id1) == ("First, as the workbook has it", "2027-02-01")
    assert action_row(db, id2) == ("Second, as the window has it", "2027-01-15")


def test_decisions_that_are_not_decisions_are_refused(log_case):
    db, path, (id1, uid1), _, _ = log_case
    with pytest.raises(UserError, match="'maybe' is not a decision"):
        run_steps(import_actions(db, path, today=TODAY, decisions={("meeting_action", uid1, "text"): "maybe"}))
    with pytest.raises(UserError, match="item 1: 'both' is not a choice"):
        decisions_from_list([{"entity": "action", "uid": "ab", "field": "text", "choice": "both"}])
    with pytest.raises(UserError, match='item 2: "edit" needs a "value"'):
        decisions_from_list([{"entity": "action", "uid": "ab", "field": "text", "choice": "mine"},
                             {"entity": "action", "uid": "ab", "field": "ref", "choice": "edit"}])


def test_a_field_with_no_cell_cannot_be_edited(log_case):
    db, path, (id1, uid1), _, _ = log_case
    with pytest.raises(BadInputError, match="cannot be typed in here; keep mine or take theirs"):
        run_steps(import_actions(db, path, today=TODAY, decisions={("meeting_action", uid1, "uid"): ("edit", "x")}))


# -- the plan: an edit back to the exported value, a status typed in ------------------------------

def test_plan_edit_to_the_exported_value_and_a_status_typed_in(demo_db, tmp_path):
    a, b, _ = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    snap = load_plan(demo_db, 1)
    level = next(x for x in snap.actions() if x.id == a.id).level
    others = [lv for lv in snap.scale.levels if lv.id != (level.id if level else None)]
    edit_plan_book(path, {a.uid: {TEXT: "A in the workbook", "Status": others[0].label},
                          b.uid: {TEXT: "B in the workbook"}})
    plan_edit.update_action(demo_db, a.id, {"text": "A in the database"})
    plan_edit.add_update(demo_db, a.id, date=TODAY, level_id=others[1].id, narrative="moved on in the window")
    plan_edit.update_action(demo_db, b.id, {"text": "B in the database"})
    with pytest.raises(BadInputError) as caught:
        run_steps(import_plan(demo_db, path, today=TODAY))
    keys = {c.key: c for c in caught.value.conflicts}
    assert set(keys) == {("action", a.uid, "text"), ("action", a.uid, "status"), ("action", b.uid, "text")}
    assert keys[("action", a.uid, "status")].editable and keys[("action", a.uid, "status")].column == "Status"
    bad = {("action", a.uid, "text"): ("edit", a.text), ("action", a.uid, "status"): ("edit", "Purple"),
           ("action", b.uid, "text"): "mine"}
    with pytest.raises(BadInputError) as caught:
        run_steps(import_plan(demo_db, path, today=TODAY, decisions=bad))
    assert caught.value.problems[0].column == "Status" and "Purple" in caught.value.problems[0].message
    good = {**bad, ("action", a.uid, "status"): ("edit", level.label if level else others[0].label)}
    run_steps(import_plan(demo_db, path, today=TODAY, decisions=good))
    after = {x.id: x for x in load_plan(demo_db, 1).actions()}
    assert after[a.id].text == a.text  # typed back to what was exported: kept, though it is the base
    assert after[b.id].text == "B in the database"
    assert after[a.id].level.label == (level.label if level else others[0].label)


# -- risks and KPIs: the same keys and choices ------------------------------------------------------

def test_risk_titles_and_mitigation_due_dates_decided_one_by_one(risk_db, tmp_path):
    path = tmp_path / "risks.xlsx"
    run_steps(export_risks(risk_db, path, today=TODAY))
    reg = load_register(risk_db, today=TODAY)
    r1, r2 = sorted(reg.risks, key=lambda r: r.id)[:2]
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    for risk in (r1, r2):
        ws.cell(row_with(ws, 2, "Risk id", risk.uid), header(ws, 2)["Risk"]).value = f"{risk.ref} from the workbook"
    wb.save(path)
    for risk in (r1, r2):
        R.update_risk(risk_db, risk.id, {"title": f"{risk.ref} from the window"})
    decisions = {("risk", r1.uid, "title"): "theirs", ("risk", r2.uid, "title"): ("edit", "Agreed wording")}
    report = run_steps(import_risks(risk_db, path, today=TODAY, decisions=decisions))
    titles = {r.id: r.title for r in load_register(risk_db, today=TODAY).risks}
    assert (titles[r1.id], titles[r2.id]) == (f"{r1.ref} from the workbook", "Agreed wording")
    assert {c.key for c in report.conflict_details} == set(decisions)


def test_kpi_notes_decided_one_by_one(kpi_db, tmp_path):
    path = tmp_path / "kpis.xlsx"
    run_steps(export_kpis(kpi_db, path))
    k1, k2 = sorted(load_kpis(kpi_db).kpis, key=lambda k: k.id)[:2]
    wb = openpyxl.load_workbook(path)
    ws = wb["Definitions"]
    hr = 1 if "KPI id" in header(ws, 1) else 2
    for k in (k1, k2):
        ws.cell(row_with(ws, hr, "KPI id", k.uid), header(ws, hr)["Notes"]).value = "Notes from the workbook"
    wb.save(path)
    for k in (k1, k2):
        K.update_kpi(kpi_db, k.id, {"notes": "Notes from the window"})
    decisions = {("kpi", k1.uid, "notes"): "mine", ("kpi", k2.uid, "notes"): ("edit", "Notes agreed")}
    run_steps(import_kpis(kpi_db, path, decisions=decisions))
    notes = {k.id: k.notes for k in load_kpis(kpi_db).kpis}
    assert (notes[k1.id], notes[k2.id]) == ("Notes from the window", "Notes agreed")


def test_audits_refuse_decisions_on_fields(three, tmp_path):
    path = export_audit_book(three, tmp_path / "audits.xlsx")
    with pytest.raises(UserError, match="audit by audit"):
        run_steps(import_audits(three, path, decisions={("audit", "ab", "notes"): "mine"}))


# -- the command line -------------------------------------------------------------------------------

def test_cli_decisions_file_from_the_dry_runs_conflict_details(log_case, capsys, tmp_path):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    db.close()
    code, out, err = run_cli(capsys, "import", db.path, path, "--dry-run", "--json")
    report = json.loads(out)
    assert code == 2 and report["conflicts"] == 4 and len(err.strip().splitlines()) == 1
    details = report["conflict_details"]
    assert {(d["entity"], d["uid"], d["field"]) for d in details} == {
        ("meeting_action", u, f) for u in (uid1, uid2) for f in ("text", "due_date")}
    chosen = {(uid1, "text"): ("theirs", None), (uid1, "due_date"): ("edit", "2027-05-31"),
              (uid2, "text"): ("mine", None), (uid2, "due_date"): ("theirs", None)}
    for d in details:
        d["choice"], d["value"] = chosen[(d["uid"], d["field"])]
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps(details), encoding="utf-8")
    code, out, err = run_cli(capsys, "import", db.path, path, "--json", "--decisions", decisions)
    assert code == 0, err
    assert json.loads(out)["conflicts"] == 4
    from send_desktop.storage.database import open_database

    again = open_database(db.path, user="Test Auditor")
    try:
        assert action_row(again, id1) == ("First, as the workbook has it", "2027-05-31")
        assert action_row(again, id2) == ("Second, as the window has it", "2027-03-01")
    finally:
        again.close()
    decisions.write_text('{"not": "a list"}', encoding="utf-8")
    code, out, err = run_cli(capsys, "import", db.path, path, "--decisions", decisions)
    assert code == 2 and "give a list of" in err and len(err.strip().splitlines()) == 1
