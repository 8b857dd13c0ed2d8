"""Merge, never overwrite; every import one batch that can be undone; the command line's contract.

Each kind is exported, the workbook edited with openpyxl as an officer would, the database changed
through the services meanwhile, and the workbook imported with each `--strategy`: the outcome is
checked field by field. Undo is checked against a dump of every user table taken before the import.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.test_audit_exchange import audit_by_ref, central, laptop, three  # noqa: F401 - fixtures
from tests.test_audit_exchange import comparable
from tests.test_audit_exchange import edit as edit_audits
from tests.test_audit_exchange import export as export_audit_book
from tests.test_audit_exchange import set_cell
from tests.test_kpis import kpi_db  # noqa: F401 - fixture
from tests.test_meetings import _meetings_template  # noqa: F401 - fixture
from tests.test_risks import risk_db  # noqa: F401 - fixture

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, UserError
from send_desktop.services import kpis as K
from send_desktop.services import plan_edit
from send_desktop.services import risks as R
from send_desktop.services.audit_edit import update_audit
from send_desktop.services.audit_read import load_audit
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.services.kpi_read import load_kpis
from send_desktop.services.plan_read import load_plan
from send_desktop.services.risk_read import load_register
from send_desktop.xlsx.audit_exchange import import_audits
from send_desktop.xlsx.detect import detect_kind
from send_desktop.xlsx.kpi_xlsx import export_kpis, import_kpis
from send_desktop.xlsx.plan_export import export_plan
from send_desktop.xlsx.plan_import import import_plan
from send_desktop.xlsx.risk_xlsx import export_risks, import_risks

TODAY = dt.date(2026, 11, 1)
TEXT = "Actions \u2013 what we will do"
BOOKKEEPING = ('"change_log"', '"import_batch"', '"sqlite_sequence"')


def user_tables(path: Path) -> list[str]:
    """Every row of every table but the change log and the import batches, as SQL text."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(line for line in con.iterdump()
                      if line.startswith("INSERT INTO") and not line.startswith(tuple(f"INSERT INTO {t}"
                                                                                       for t in BOOKKEEPING)))
    finally:
        con.close()


def header(ws, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value}


def row_with(ws, header_row: int, column: str, value) -> int:
    col = header(ws, header_row)[column]
    return next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, col).value == value)


def run_cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- the plan -------------------------------------------------------------------------------------

def plan_actions(db) -> dict[str, object]:
    snap = load_plan(db, 1)
    return {a.uid: a for a in snap.actions()}


def three_actions(db):
    acts = sorted(load_plan(db, 1).actions(), key=lambda a: a.id)
    return acts[0], acts[1], acts[2]


def export_plan_book(db, path: Path) -> Path:
    run_steps(export_plan(db, path))
    return path


def edit_plan_book(path: Path, changes: dict[str, dict[str, object]], delete: tuple = ()) -> None:
    """Set cells of the Plan sheet's rows found by their hidden action id; delete whole rows."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Plan"]
    for uid, cells in changes.items():
        r = row_with(ws, 2, "Action id", uid)
        for column, value in cells.items():
            ws.cell(r, header(ws, 2)[column]).value = value
    for uid in delete:
        ws.delete_rows(row_with(ws, 2, "Action id", uid))
    wb.save(path)


@pytest.fixture
def plan_case(demo_db, tmp_path):
    """A plan exported, its workbook edited (A only there, B there and in the database, C only in
    the database)."""
    a, b, c = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    edit_plan_book(path, {a.uid: {TEXT: "A in the workbook"}, b.uid: {TEXT: "B in the workbook"}})
    plan_edit.update_action(demo_db, b.id, {"text": "B in the database"})
    plan_edit.update_action(demo_db, c.id, {"text": "C in the database"})
    return demo_db, path, (a, b, c)


@pytest.mark.parametrize("strategy, b_text", [("theirs", "B in the workbook"), ("mine", "B in the database")])
def test_plan_three_way_merge_theirs_and_mine(plan_case, strategy, b_text):
    db, path, (a, b, c) = plan_case
    report = run_steps(import_plan(db, path, strategy=strategy, today=TODAY))
    now = {x.id: x.text for x in load_plan(db, 1).actions()}
    assert now[a.id] == "A in the workbook"                # changed only in the workbook: applied
    assert now[b.id] == b_text                             # changed on both sides: the strategy decides
    assert now[c.id] == "C in the database"                # changed only in the database: kept
    assert report.as_dict()["conflicts"] == 1
    (conflict,) = report.conflicts
    assert (conflict.sheet, conflict.column) == ("Plan", TEXT) and conflict.row > 2
    assert "B in the workbook" in conflict.message and "B in the database" in conflict.message
    assert any("kept as the database has them" in str(w) for w in report.warnings)


@pytest.mark.parametrize("strategy", ["fail", None])
def test_plan_conflicts_refuse_the_import_by_default(plan_case, demo_db_path, strategy):
    db, path, (a, b, c) = plan_case
    before = user_tables(demo_db_path)
    with pytest.raises(BadInputError) as caught:
        run_steps(import_plan(db, path, strategy=strategy, today=TODAY))
    (problem,) = caught.value.problems
    wb = openpyxl.load_workbook(path)
    assert (problem.sheet, problem.row, problem.column) == ("Plan", row_with(wb["Plan"], 2, "Action id", b.uid), TEXT)
    assert problem.message.startswith("conflict:") and "--strategy" in problem.message
    assert user_tables(demo_db_path) == before  # nothing applied, not even A
    assert imports(db) == []


def test_plan_status_changed_only_in_the_database_is_kept(demo_db, tmp_path):
    a, _, _ = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    snap = load_plan(demo_db, 1)
    action = next(x for x in snap.actions() if x.id == a.id)
    other = next(lv for lv in snap.scale.levels if lv.id != (action.level.id if action.level else None))
    plan_edit.add_update(demo_db, a.id, date=TODAY, level_id=other.id, narrative="moved on in the window")
    run_steps(import_plan(demo_db, path, today=TODAY))  # the workbook still shows the old status
    after = next(x for x in load_plan(demo_db, 1).actions() if x.id == a.id)
    assert after.level.id == other.id


def test_plan_import_with_deleted_rows_is_undone_exactly(demo_db, demo_db_path, tmp_path):
    a, b, c = three_actions(demo_db)
    before = user_tables(demo_db_path)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    snap = load_plan(demo_db, 1)
    action = next(x for x in snap.actions() if x.id == a.id)
    other = next(lv for lv in snap.scale.levels if lv.id != (action.level.id if action.level else None))
    edit_plan_book(path, {a.uid: {TEXT: "Rewritten", "Timescale": "March 2027", "Status": other.label},
                          b.uid: {"Lead officers": "Someone New"}}, delete=(c.uid,))

    kept = run_steps(import_plan(demo_db, path, today=TODAY))
    assert f"row for ref {c.ref} is no longer in the workbook; not deleted" in [str(w.message) for w in kept.warnings]
    assert c.id in {x.id for x in load_plan(demo_db, 1).actions()}
    (first,) = imports(demo_db)
    undo_import(demo_db, first["id"])
    assert user_tables(demo_db_path) == before

    report = run_steps(import_plan(demo_db, path, today=TODAY, delete_missing=True))
    assert report.deleted == 1 and c.id not in {x.id for x in load_plan(demo_db, 1).actions()}
    latest = imports(demo_db)[0]
    assert latest["file"] == "plan.xlsx" and latest["kind"] == "plan" and latest["counts"]["updated"] >= 2
    assert latest["undone_at"] is None and latest["changes"] > 0
    undo_import(demo_db, latest["id"])
    assert user_tables(demo_db_path) == before
    with demo_db.reading() as con:
        sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM change_log WHERE source LIKE 'undo%'")}
    assert sources == {"undo import plan.xlsx"}
    with pytest.raises(UserError, match="undone already"):
        undo_import(demo_db, latest["id"])


def test_plan_undo_is_refused_after_a_later_edit(demo_db, demo_db_path, tmp_path):
    a, _, _ = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    edit_plan_book(path, {a.uid: {TEXT: "Rewritten"}})
    run_steps(import_plan(demo_db, path, today=TODAY))
    plan_edit.update_action(demo_db, a.id, {"text": "Rewritten again in the window"})
    after_edit = user_tables(demo_db_path)
    (batch,) = imports(demo_db)
    with pytest.raises(UserError) as caught:
        undo_import(demo_db, batch["id"])
    assert f"action {a.ref}" in caught.value.message and "window" in caught.value.message
    assert user_tables(demo_db_path) == after_edit


# -- risks ----------------------------------------------------------------------------------------

def test_risks_three_way_merge_and_undo(risk_db, demo_db_path, tmp_path):
    path = tmp_path / "risks.xlsx"
    run_steps(export_risks(risk_db, path, today=TODAY))
    before = user_tables(demo_db_path)
    r1, r2, r3 = sorted(load_register(risk_db, today=TODAY).risks, key=lambda r: r.id)[:3]
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    for risk, owner in ((r1, "Owner from the workbook"), (r2, "Owner from the workbook")):
        ws.cell(row_with(ws, 2, "Risk id", risk.uid), header(ws, 2)["Owner"]).value = owner
    wb.save(path)
    R.update_risk(risk_db, r2.id, {"owner": "Owner from the window"})
    R.update_risk(risk_db, r3.id, {"owner": "Third owner from the window"})
    with pytest.raises(BadInputError, match="conflict"):
        run_steps(import_risks(risk_db, path, today=TODAY))
    changed = user_tables(demo_db_path)
    report = run_steps(import_risks(risk_db, path, today=TODAY, strategy="mine"))
    owners = {r.id: r.owner for r in load_register(risk_db, today=TODAY).risks}
    assert (owners[r1.id], owners[r2.id], owners[r3.id]) == (
        "Owner from the workbook", "Owner from the window", "Third owner from the window")
    assert report.as_dict()["conflicts"] == 1
    undo_import(risk_db, imports(risk_db)[0]["id"])
    assert user_tables(demo_db_path) == changed
    run_steps(import_risks(risk_db, path, today=TODAY, strategy="theirs"))
    owners = {r.id: r.owner for r in load_register(risk_db, today=TODAY).risks}
    assert (owners[r1.id], owners[r2.id], owners[r3.id]) == (
        "Owner from the workbook", "Owner from the workbook", "Third owner from the window")
    undo_import(risk_db, imports(risk_db)[0]["id"])
    assert user_tables(demo_db_path) == changed
    assert before != changed


def test_risk_undo_is_refused_after_a_later_edit(risk_db, tmp_path):
    path = tmp_path / "risks.xlsx"
    run_steps(export_risks(risk_db, path, today=TODAY))
    risk = sorted(load_register(risk_db, today=TODAY).risks, key=lambda r: r.id)[0]
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    ws.cell(row_with(ws, 2, "Risk id", risk.uid), header(ws, 2)["Owner"]).value = "Someone else"
    wb.save(path)
    run_steps(import_risks(risk_db, path, today=TODAY))
    R.update_risk(risk_db, risk.id, {"title": "Retitled in the window"})
    with pytest.raises(UserError, match=rf"risk {risk.ref} .*changed \(title\) afterwards"):
        undo_import(risk_db, imports(risk_db)[0]["id"])


# -- KPIs -----------------------------------------------------------------------------------------

def test_kpis_three_way_merge_and_undo(kpi_db, demo_db_path, tmp_path):
    path = tmp_path / "kpis.xlsx"
    run_steps(export_kpis(kpi_db, path))
    k1, k2, k3 = sorted(load_kpis(kpi_db).kpis, key=lambda k: k.id)[:3]
    wb = openpyxl.load_workbook(path)
    ws = wb["Definitions"]
    h = header(ws, 1)
    hr = 1 if "KPI id" in h else 2
    h = header(ws, hr)
    for k in (k1, k2):
        ws.cell(row_with(ws, hr, "KPI id", k.uid), h["Notes"]).value = "Notes from the workbook"
    wb.save(path)
    K.update_kpi(kpi_db, k2.id, {"notes": "Notes from the window"})
    K.update_kpi(kpi_db, k3.id, {"notes": "Third notes from the window"})
    changed = user_tables(demo_db_path)
    for strategy, expected in (("theirs", "Notes from the workbook"), ("mine", "Notes from the window")):
        report = run_steps(import_kpis(kpi_db, path, strategy=strategy))
        notes = {k.id: k.notes for k in load_kpis(kpi_db).kpis}
        assert (notes[k1.id], notes[k2.id], notes[k3.id]) == (
            "Notes from the workbook", expected, "Third notes from the window"), strategy
        assert report.as_dict()["conflicts"] == 1
        undo_import(kpi_db, imports(kpi_db)[0]["id"])
        assert user_tables(demo_db_path) == changed
    with pytest.raises(BadInputError) as caught:
        run_steps(import_kpis(kpi_db, path))
    problem = caught.value.problems[0]
    assert problem.message.startswith("conflict:") and (problem.sheet, problem.column) == ("Definitions", "Notes")
    assert problem.row == row_with(ws, hr, "KPI id", k2.uid)


def test_kpi_undo_is_refused_after_a_later_edit(kpi_db, tmp_path):
    path = tmp_path / "kpis.xlsx"
    run_steps(export_kpis(kpi_db, path))
    k = sorted(load_kpis(kpi_db).kpis, key=lambda k: k.id)[0]
    wb = openpyxl.load_workbook(path)
    ws = wb["Definitions"]
    hr = 1 if "KPI id" in header(ws, 1) else 2
    ws.cell(row_with(ws, hr, "KPI id", k.uid), header(ws, hr)["Notes"]).value = "Changed"
    wb.save(path)
    run_steps(import_kpis(kpi_db, path))
    K.update_kpi(kpi_db, k.id, {"notes": "Changed again"})
    with pytest.raises(UserError, match="afterwards"):
        undo_import(kpi_db, imports(kpi_db)[0]["id"])


# -- audits ---------------------------------------------------------------------------------------

def test_audit_import_into_another_file_is_undone_exactly(three, central, tmp_path):
    path = export_audit_book(three, tmp_path / "audits.xlsx")
    before = user_tables(central.path)
    report = run_steps(import_audits(central, path, source="import audits.xlsx"))
    assert report.created == 3 and comparable(central) == comparable(three)
    with central.reading() as con:
        assert con.execute("SELECT count(*) FROM audit_action").fetchone()[0] > 0
    undo_import(central, imports(central)[0]["id"])
    assert user_tables(central.path) == before  # the derived improvement actions went with their audits


def test_audit_update_undone_and_strategies(three, tmp_path):
    path = export_audit_book(three, tmp_path / "audits.xlsx")
    audit_id = audit_by_ref(three, "EHC-0001").id
    update_audit(three, audit_id, {"ratings": {"B1": 0}})
    before = user_tables(three.path)
    edit_audits(path, set_cell("EHC-0001", "F1", 2))
    with pytest.raises(BadInputError, match="conflict"):
        run_steps(import_audits(three, path, strategy="fail"))
    mine = run_steps(import_audits(three, path, strategy="mine"))
    assert mine.as_dict()["conflicts"] == 1 and load_audit(three, audit_id).ratings["F1"] == 0
    theirs = run_steps(import_audits(three, path, strategy="theirs"))
    assert theirs.updated == 1
    taken = load_audit(three, audit_id)
    assert taken.ratings["F1"] == 2
    undo_import(three, imports(three)[0]["id"])
    assert user_tables(three.path) == before


def test_audit_undo_is_refused_after_a_later_edit(three, central, tmp_path):
    path = export_audit_book(three, tmp_path / "audits.xlsx")
    run_steps(import_audits(central, path))
    update_audit(central, audit_by_ref(central, "EHC-0002").id, {"notes": "Looked at again"})
    with pytest.raises(UserError, match="EHC-0002"):
        undo_import(central, imports(central)[0]["id"])


def test_audits_deleted_from_the_workbook_are_offered_then_deleted_and_undone(three, tmp_path):
    path = export_audit_book(three, tmp_path / "audits.xlsx")
    before = user_tables(three.path)
    edit_audits(path, lambda ws, wb: ws.delete_rows(row_with(ws, 1, "Plan ref", "EHC-0002")))
    kept = run_steps(import_audits(three, path))
    assert any(str(w.message).startswith("row for ref EHC-0002") and "not deleted" in str(w.message)
               for w in kept.warnings)
    gone = run_steps(import_audits(three, path, delete_missing=True))
    assert gone.deleted == 1
    with three.reading() as con:
        assert con.execute("SELECT count(*) FROM audit WHERE plan_ref='EHC-0002'").fetchone() == (0,)
    undo_import(three, imports(three)[0]["id"])
    assert user_tables(three.path) == before


# -- the command line -----------------------------------------------------------------------------

def test_cli_detects_the_kind_strategy_and_undo(demo_db, demo_db_path, tmp_path, capsys):
    a, b, c = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    risks_path = tmp_path / "risks.xlsx"
    run_steps(export_risks(demo_db, risks_path, today=TODAY))
    kpis_path = tmp_path / "kpis.xlsx"
    run_steps(export_kpis(demo_db, kpis_path))
    assert (detect_kind(path), detect_kind(risks_path), detect_kind(kpis_path)) == ("plan", "risks", "kpis")
    edit_plan_book(path, {b.uid: {TEXT: "B in the workbook"}})
    plan_edit.update_action(demo_db, b.id, {"text": "B in the database"})
    demo_db.close()

    code, out, err = run_cli(capsys, "import", demo_db_path, path, "--dry-run", "--json")
    report = json.loads(out)
    assert code == 2 and list(report) == ["kind", "created", "updated", "unchanged", "conflicts", "errors", "warnings",
                                          "conflict_details"]
    assert report["kind"] == "plan" and report["conflicts"] == 1
    (detail,) = report["conflict_details"]
    assert (detail["entity"], detail["uid"], detail["field"]) == ("action", b.uid, "text")
    assert report["errors"][0]["sheet"] == "Plan" and report["errors"][0]["column"] == TEXT
    assert len(err.strip().splitlines()) == 1

    code, out, _ = run_cli(capsys, "import", demo_db_path, path, "--json", "--strategy", "theirs")
    assert code == 0 and json.loads(out)["conflicts"] == 1
    code, out, _ = run_cli(capsys, "imports", demo_db_path, "--json")
    (batch,) = json.loads(out)
    assert batch["file"] == "plan.xlsx" and batch["counts"]["conflicts"] == 1
    code, out, _ = run_cli(capsys, "undo-import", demo_db_path, batch["id"])
    assert code == 0 and "undid import" in out
    code, out, err = run_cli(capsys, "undo-import", demo_db_path, batch["id"])
    assert code == 2 and "undone already" in err and len(err.strip().splitlines()) == 1


def test_cli_foreign_workbooks_by_their_headers(demo_db_path, tmp_path, capsys):
    def book(name, rows):
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    assert detect_kind(book("r.xlsx", [["Risk register 2026"], ["Ref", "Risk", "Likelihood (1-5)", "Impact"]])) == "risks"
    assert detect_kind(book("k.xlsx", [["KPI", "Measure", "Target", "Comparator"]])) == "kpis"
    assert detect_kind(book("c.xlsx", [["Plan ref", "Team", "Primary need"]])) == "caseload"
    assert detect_kind(book("p.xlsx", [["Priority Action Plan"], ["Action No.", "Actions", "Timescale", "RAG"]])) == "plan"
    odd = book("odd.xlsx", [["Shopping"], ["Apples", "Pears"]])
    code, out, err = run_cli(capsys, "import", demo_db_path, odd, "--dry-run")
    assert code == 2
    assert err.strip() == (f"send-desktop: {odd}: cannot tell what kind of workbook this is; give --kind "
                           "plan|audits|framework|caseload|risks|kpis|actions")


# -- the meeting action log -----------------------------------------------------------------------

@pytest.fixture
def meetings_db(_meetings_template, tmp_path):
    import shutil

    from send_desktop.storage.database import open_database

    path = tmp_path / "meetings.sqlite"
    shutil.copyfile(_meetings_template, path)
    database = open_database(path, user="Test Auditor")
    yield database
    database.close()


@pytest.mark.parametrize("strategy, expected", [("theirs", "Owner from the workbook"), ("mine", "Owner from the window")])
def test_action_log_three_way_merge_and_undo(meetings_db, tmp_path, strategy, expected):
    from send_desktop.services import meeting_actions as A
    from send_desktop.xlsx.action_log_xlsx import export_actions, import_actions

    path = tmp_path / "actions.xlsx"
    run_steps(export_actions(meetings_db, path))
    with meetings_db.reading() as con:
        (id1, uid1), (id2, uid2) = con.execute("SELECT id, uid FROM meeting_action ORDER BY id LIMIT 2").fetchall()
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    for uid in (uid1, uid2):
        ws.cell(row_with(ws, 1, "Action id", uid), header(ws, 1)["Owner"]).value = "Owner from the workbook"
    wb.save(path)
    A.update_action(meetings_db, id2, {"owner": "Owner from the window"})
    changed = user_tables(meetings_db.path)
    assert detect_kind(path) == "actions"
    report = run_steps(import_actions(meetings_db, path, today=TODAY, strategy=strategy))
    with meetings_db.reading() as con:
        owners = dict(con.execute("SELECT id, owner FROM meeting_action WHERE id IN (?, ?)", (id1, id2)).fetchall())
    assert (owners[id1], owners[id2]) == ("Owner from the workbook", expected)
    assert report.as_dict()["conflicts"] == 1
    undo_import(meetings_db, imports(meetings_db)[0]["id"])
    assert user_tables(meetings_db.path) == changed


def test_a_kpi_value_entered_in_the_window_after_the_export_is_not_removed(kpi_db, tmp_path):
    path = tmp_path / "kpis.xlsx"
    run_steps(export_kpis(kpi_db, path))
    ws = openpyxl.load_workbook(path)["Values"]
    h = header(ws, 2)
    uid_col = h["KPI id"]
    periods = [(name, col) for name, col in h.items() if col < uid_col and col > 3]
    kpi_uid, period = next((ws.cell(r, uid_col).value, name) for r in range(3, ws.max_row + 1)
                           for name, col in periods if ws.cell(r, uid_col).value and ws.cell(r, col).value is None)
    kpi = next(k for k in load_kpis(kpi_db).kpis if k.uid == kpi_uid)
    value = "12" if kpi.unit != "%" else "12%"
    K.set_value(kpi_db, kpi.id, period, value)
    run_steps(import_kpis(kpi_db, path))  # its cell is blank in the workbook, as it was at the export
    after = next(k for k in load_kpis(kpi_db).kpis if k.uid == kpi_uid)
    assert [v.text for v in after.values if v.text == value]


def test_plan_leads_changed_in_the_database_are_kept_and_on_both_sides_a_conflict(demo_db, tmp_path):
    a, b, _ = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    edit_plan_book(path, {b.uid: {"Lead officers": "Someone From The Workbook"}})
    plan_edit.update_action(demo_db, a.id, {"leads": ["Someone From The Window"]})
    plan_edit.update_action(demo_db, b.id, {"leads": ["Another From The Window"]})
    with pytest.raises(BadInputError) as caught:
        run_steps(import_plan(demo_db, path, today=TODAY))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.column) == ("Plan", "Lead officers") and "leads" in problem.message
    run_steps(import_plan(demo_db, path, today=TODAY, strategy="theirs"))
    leads = {x.id: x.leads for x in load_plan(demo_db, 1).actions()}
    assert leads[a.id] == ("Someone From The Window",) and leads[b.id] == ("Someone From The Workbook",)


def test_undo_is_refused_when_something_was_added_under_a_record_the_import_made(demo_db, demo_db_path, tmp_path):
    a, _, _ = three_actions(demo_db)
    path = export_plan_book(demo_db, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Plan"]
    h = header(ws, 2)
    source = row_with(ws, 2, "Action id", a.uid)
    new = ws.max_row + 1
    for col in range(1, ws.max_column + 1):
        ws.cell(new, col).value = ws.cell(source, col).value
    ws.cell(new, h["Action id"]).value = None
    ws.cell(new, h["Ref"]).value = "9.9.9"
    ws.cell(new, h[TEXT]).value = "A new action from the workbook"
    wb.save(path)
    before = user_tables(demo_db_path)
    assert run_steps(import_plan(demo_db, path, today=TODAY)).created == 1
    made = next(x for x in load_plan(demo_db, 1).actions() if x.ref == "9.9.9")
    plan_edit.add_update(demo_db, made.id, date=TODAY, level_id=None, narrative="added in the window")
    with pytest.raises(UserError, match=rf"status update #\d+ was added afterwards to action #{made.id}"):
        undo_import(demo_db, imports(demo_db)[0]["id"])
    assert any(x.ref == "9.9.9" for x in load_plan(demo_db, 1).actions())
    with demo_db.session() as s:  # take the window's update away again: now it can be undone
        from send_desktop.storage.models import StatusUpdate

        for u in s.query(StatusUpdate).filter_by(action_id=made.id, narrative="added in the window"):
            s.delete(u)
    undo_import(demo_db, imports(demo_db)[0]["id"])  # nothing of the window's is under it now
    assert user_tables(demo_db_path) == before
