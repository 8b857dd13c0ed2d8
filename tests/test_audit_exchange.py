"""Audits exchanged as workbooks: an auditor's laptop database, the central one, real xlsx files between."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import CORPUS, db_contents

from send_desktop.audits.framework import framework_to_json
from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.grading import grade
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, ReadOnlyError
from send_desktop.services.audit_edit import (complete_moderation, create_audit, set_status, start_moderation,
                                              update_audit, update_moderation)
from send_desktop.services.audit_frameworks import ensure_default_framework, save_framework
from send_desktop.services.audit_read import load_audit
from send_desktop.storage.database import open_database
from send_desktop.xlsx.audit_exchange import export_audits, import_audits

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2025, 6, 2)


def make(db, ref: str, day: dt.date = DAY, **values) -> int:
    values.setdefault("ratings", {"A1": 2, "B1": 3, "F1": 0, "F2": 1, "J1": "na"})
    values.setdefault("na_reasons", {"J1": "No personal budget requested"})
    return create_audit(db, {"plan_ref": ref, "audit_date": day, "team": "Harwick South", "auditor": "Imogen Hale",
                             "agency": "SEND casework", "key_stage": "KS2", **values}, source="window")


def export(db, path: Path, **kw) -> Path:
    run_steps(export_audits(db, path, **kw))
    return path


def do_import(db, path: Path, **kw):
    return run_steps(import_audits(db, path, source=f"import {path.name}", **kw))


def edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb["Audits"], wb)
    wb.save(path)


def header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def row_of(ws, plan_ref: str) -> int:
    col = header(ws)["Plan ref"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == plan_ref)


def set_cell(plan_ref: str, column: str, value):
    def change(ws, wb):
        ws.cell(row_of(ws, plan_ref), header(ws)[column]).value = value
    return change


def audit_by_ref(db, plan_ref: str):
    with db.reading() as con:
        (audit_id,), = con.execute("SELECT id FROM audit WHERE plan_ref=?", (plan_ref,)).fetchall()
    return load_audit(db, audit_id)


def comparable(db) -> list[tuple]:
    """What an exchange must carry across: every audit's fields, grading and actions."""
    out = []
    with db.reading() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM audit ORDER BY uid")]
    for audit_id in ids:
        a = load_audit(db, audit_id)
        out.append((a.uid, a.plan_ref, a.plan_type, a.audit_date, a.team, a.auditor, a.status, a.ratings, a.na_reasons,
                    a.comments, a.no_needs, a.critical_concern, a.notes, a.score, a.grade, a.caps, a.section_results,
                    a.unmet, a.reported_grade, [(x.criterion_id, x.text, x.owner_type, x.due_date) for x in a.actions]))
    return out


@pytest.fixture
def laptop(db):
    ensure_default_framework(db)
    return db


@pytest.fixture
def central(tmp_path):
    database = open_database(tmp_path / "central.sqlite", create=True, user="Central officer")
    ensure_default_framework(database)
    yield database
    database.close()


@pytest.fixture
def three(laptop):
    make(laptop, "EHC-0001", notes="=Needs are vague\nand provision unquantified", comments={"F1": "No hours given"})
    make(laptop, "EHC-0002", no_needs=["C", "D"], ratings={"A1": 3, "C1": 2, "G1": "na", "D1": 2})
    make(laptop, "EHC-0003", day=dt.date(2025, 7, 14), critical_concern=True)
    backdate(laptop)
    return laptop


def backdate(db, when=dt.datetime(2025, 7, 20, 9, 30)) -> None:
    """Audits scored days ago, as in life (edits made by the tests then come later in time)."""
    from send_desktop.storage.models import Audit

    with db.session("test setup") as s:
        for audit in s.query(Audit):
            audit.updated_at = when


# -- export ---------------------------------------------------------------------------------------

def test_export_is_laid_out_for_auditors(three, tmp_path):
    wb = openpyxl.load_workbook(export(three, tmp_path / "audits.xlsx"))
    assert wb.sheetnames == ["Audits", "Comments", "About", "Base"] and wb["Base"].sheet_state == "hidden"
    ws = wb["Audits"]
    cols = header(ws)
    criteria = [c.id for s in default_framework().sections for c in s.criteria]
    assert list(cols)[:17] == ["Audit id", "Plan ref", "Plan type", "Plan issue date", "Team", "Key stage",
                               "Primary need", "Setting type", "Auditor", "Agency", "Audit date", "Status",
                               "Framework", "Framework version", "No needs identified", "Critical concern", "Notes"]
    assert list(cols)[17:] == [*criteria, "Score", "Grade"]
    assert ws.column_dimensions["A"].hidden and ws.freeze_panes == "A2"
    r = row_of(ws, "EHC-0001")
    assert ws.cell(r, cols["F1"]).value == 0 and ws.cell(r, cols["J1"]).value == "N/A"
    assert ws.cell(r, cols["A2"]).value is None  # not evidenced stays blank
    notes = ws.cell(r, cols["Notes"])
    assert notes.data_type == "s" and notes.value.startswith("=Needs")  # text, never a formula
    assert ws.cell(row_of(ws, "EHC-0002"), cols["No needs identified"]).value == "C, D"
    assert ws.cell(r, cols["Grade"]).value == audit_by_ref(three, "EHC-0001").grade
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"0,1,2,3,N/A"' in lists and '"Yes,No"' in lists
    comments = [[c.value for c in row][3:] for row in wb["Comments"].iter_rows(min_row=2)]
    assert ["F1", None, "No hours given"] in comments and ["J1", "No personal budget requested", None] in comments


def test_export_can_be_filtered(three, tmp_path):
    make(three, "EHC-0099", auditor="Kwame Osei")
    ws = openpyxl.load_workbook(export(three, tmp_path / "k.xlsx", auditor="Kwame Osei"))["Audits"]
    assert [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)] == ["EHC-0099"]
    ws = openpyxl.load_workbook(export(three, tmp_path / "j.xlsx", date_from=dt.date(2025, 7, 1)))["Audits"]
    assert [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)] == ["EHC-0003"]


# -- round trips ----------------------------------------------------------------------------------

def test_the_central_database_gets_exactly_the_auditors_audits(three, central, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    report = do_import(central, path)
    assert report.as_dict() == {"kind": "audits", "created": 3, "updated": 0, "unchanged": 0, "conflicts": 0, "errors": [],
                                "warnings": []}
    assert comparable(central) == comparable(three)
    with central.reading() as con:
        sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM change_log WHERE entity IN "
                                             "('audit', 'audit_action')")}
    assert sources == {"import audits.xlsx"}
    again = do_import(central, path)
    assert (again.created, again.updated, again.unchanged, again.conflicts) == (0, 0, 3, [])


def test_a_returned_workbook_with_an_added_and_an_edited_audit(three, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")

    def change(ws, wb):
        set_cell("EHC-0001", "F1", 3)(ws, wb)
        set_cell("EHC-0001", "Team", "Dales North")(ws, wb)
        new = ws.max_row + 1
        for column, value in (("Plan ref", "EHC-0100"), ("Audit date", dt.date(2025, 8, 1)), ("Framework",
                              default_framework().name), ("Framework version", "1"), ("A1", 2), ("F1", 1)):
            ws.cell(new, header(ws)[column]).value = value
    edit(path, change)
    before = audit_by_ref(three, "EHC-0001")
    report = do_import(three, path)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    after = audit_by_ref(three, "EHC-0001")
    assert after.ratings["F1"] == 3 and after.team == "Dales North" and after.uid == before.uid
    assert "F1" not in after.unmet and "F1" not in [a.criterion_id for a in after.actions]
    added = audit_by_ref(three, "EHC-0100")
    assert added.status == "draft" and added.plan_type == "annual review" and added.ratings == {"A1": 2, "F1": 1}
    expected = grade(default_framework(), {"A1": 2, "F1": 1})
    assert (added.score, added.grade) == (expected.score, expected.grade)
    assert "F1" in [a.criterion_id for a in added.actions] and "A1" not in added.unmet


def test_changes_made_only_in_the_database_are_kept(three, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    audit_id = audit_by_ref(three, "EHC-0002").id
    update_audit(three, audit_id, {"notes": "Checked again"})
    report = do_import(three, path)
    assert (report.created, report.updated, report.unchanged, report.conflicts) == (0, 0, 3, [])
    assert "kept" in str(report.warnings[0]) and report.warnings[0].row == 3
    assert load_audit(three, audit_id).notes == "Checked again"


def test_an_audit_changed_on_both_sides_is_a_conflict_and_nothing_is_lost(three, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    audit_id = audit_by_ref(three, "EHC-0001").id
    update_audit(three, audit_id, {"ratings": {"B1": 0}})
    edit(path, set_cell("EHC-0001", "F1", 2))
    report = do_import(three, path)
    assert (report.updated, report.unchanged) == (0, 2)
    (conflict,) = report.conflicts
    assert conflict["plan_ref"] == "EHC-0001" and conflict["row"] == 2 and conflict["differs_in"] == ["ratings B1, F1"]
    assert "conflict" in str(report.warnings[0]) and "conflict" in report.summary()
    assert report.as_dict()["conflicts"] == 1
    kept = load_audit(three, audit_id)
    assert kept.ratings["B1"] == 0 and kept.ratings["F1"] == 0


def test_an_auditor_resending_edited_audits_updates_them(three, central, tmp_path):
    do_import(central, export(three, tmp_path / "june.xlsx"))
    audit_id = audit_by_ref(three, "EHC-0003").id
    update_audit(three, audit_id, {"ratings": {"F1": 3, "F2": 3}, "critical_concern": False})
    set_status(three, audit_by_ref(three, "EHC-0001").id, "submitted")
    report = do_import(central, export(three, tmp_path / "june-again.xlsx"))
    assert (report.created, report.updated, report.unchanged, report.conflicts) == (0, 2, 1, [])
    assert comparable(central) == comparable(three)
    stale = do_import(central, tmp_path / "june.xlsx")  # the older file arriving late changes nothing
    assert (stale.updated, stale.unchanged, stale.conflicts) == (0, 3, [])
    assert comparable(central) == comparable(three)


def test_a_moderated_audit_is_not_changed_by_a_workbook(three, central, tmp_path):
    do_import(central, export(three, tmp_path / "june.xlsx"))
    central_id = audit_by_ref(central, "EHC-0002").id
    set_status(central, central_id, "submitted")
    m = start_moderation(central, central_id, "Ayesha Rahman")
    update_moderation(central, m, {"ratings": {"A1": 1}})
    complete_moderation(central, m)
    update_audit(three, audit_by_ref(three, "EHC-0002").id, {"ratings": {"A1": 0}})
    report = do_import(central, export(three, tmp_path / "july.xlsx"))
    assert [c["plan_ref"] for c in report.conflicts] == ["EHC-0002"] and "moderated" in report.conflicts[0]["reason"]
    assert load_audit(central, central_id).ratings["A1"] == 3 and load_audit(central, central_id).status == "moderated"


def test_dry_run_reports_the_same_and_changes_nothing(three, central, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    central_path = Path(central.path)
    before = db_contents(central_path)
    dry = do_import(central, path, dry_run=True)
    assert (dry.created, dry.dry_run) == (3, True) and "dry run" in dry.summary()
    assert db_contents(central_path) == before
    assert not list((central_path.parent / "backups").glob("*before-import*")) if (
        central_path.parent / "backups").exists() else True
    real = do_import(central, path)
    assert real.as_dict() == {**dry.as_dict()}


# -- refusing -------------------------------------------------------------------------------------

def test_a_framework_version_the_database_lacks_is_refused_by_name(laptop, central, tmp_path):
    d = framework_to_json(default_framework())
    fid = save_framework(laptop, {**d, "name": "Harwick framework", "version": 4}, source="test", make_current=False)
    make(laptop, "EHC-0200")
    create_audit(laptop, {"plan_ref": "EHC-0201", "audit_date": DAY}, framework_id=fid)
    before = db_contents(Path(central.path))
    with pytest.raises(BadInputError) as caught:
        do_import(central, export(laptop, tmp_path / "audits.xlsx"))
    assert "framework 'Harwick framework' version 4, which this database does not have" in caught.value.message
    assert caught.value.problems[0].column == "Framework version" and caught.value.problems[0].row == 3
    assert db_contents(Path(central.path)) == before


def test_a_version_that_grades_differently_here_is_refused(laptop, central, tmp_path):
    make(laptop, "EHC-0300")
    path = export(laptop, tmp_path / "audits.xlsx")
    d = framework_to_json(default_framework())
    d["sections"][0]["weight"] = 9  # the central copy of version 1 was edited before any audit used it
    save_framework(central, d, source="test")
    with pytest.raises(BadInputError, match="grades differently"):
        do_import(central, path)


@pytest.mark.parametrize("change, column, needle", [
    (set_cell("EHC-0001", "Audit date", "31/02/2025"), "Audit date", "'31/02/2025' is not a real date"),
    (set_cell("EHC-0001", "Plan issue date", "next week"), "Plan issue date", "is not a date"),
    (set_cell("EHC-0002", "B2", 5), "B2", "out of range; use 0 to 3 or N/A"),
    (set_cell("EHC-0002", "B2", "good"), "B2", "'good' is not a rating"),
    (set_cell("EHC-0002", "F3", "N/A"), "F3", "does not allow N/A"),
    (set_cell("EHC-0002", "Plan type", "renewal"), "Plan type", "'renewal' is not a plan type"),
    (set_cell("EHC-0003", "No needs identified", "F"), "No needs identified", "cannot be marked"),
    (set_cell("EHC-0003", "Plan ref", None), "Plan ref", "plan reference is missing"),
    (set_cell("EHC-0003", "Critical concern", "perhaps"), "Critical concern", "is not Yes or No"),
    (lambda ws, wb: ws.cell(1, header(ws)["Team"]).__setattr__("value", "Teem"), "Team", "missing"),
    (lambda ws, wb: ws.cell(1, ws.max_column + 1).__setattr__("value", "Z9"), "Z9", "unknown column 'Z9'"),
    (lambda ws, wb: ws.cell(1, header(ws)["K3"]).__setattr__("value", None), "K3", "no column for criterion 'K3'"),
    (lambda ws, wb: wb["Comments"].cell(2, 4).__setattr__("value", "Q7"), "Criterion", "criterion 'Q7' is not in"),
])
def test_a_bad_cell_refuses_the_workbook_naming_sheet_row_and_column(three, tmp_path, change, column, needle):
    path = export(three, tmp_path / "audits.xlsx")
    edit(path, change)
    before = db_contents(Path(three.path))
    with pytest.raises(BadInputError) as caught:
        do_import(three, path)
    problem = next(p for p in caught.value.problems if p.column == column)
    assert needle in problem.message and problem.sheet in ("Audits", "Comments") and problem.row is not None
    assert caught.value.message.startswith("audits.xlsx: sheet '")
    assert db_contents(Path(three.path)) == before


def test_a_copied_row_is_refused(three, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")

    def copy_row(ws, wb):
        ws.append([c.value for c in ws[2]])
    edit(path, copy_row)
    with pytest.raises(BadInputError) as caught:
        do_import(three, path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (5, "Audit id") and "also on row 2" in problem.message


def test_a_read_only_file_can_take_a_dry_run_only(three, central, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    viewer = open_database(Path(central.path), user="Viewer", read_only=True)
    try:
        before = db_contents(Path(central.path))
        assert do_import(viewer, path, dry_run=True).created == 3
        with pytest.raises(ReadOnlyError):
            do_import(viewer, path)
        assert db_contents(Path(central.path)) == before
    finally:
        viewer.close()


def _plain(rows) -> list[tuple]:
    def value(v):  # blanks, whole numbers and dates as the cell readers take them either way
        if v == "":
            return None
        if isinstance(v, dt.datetime) and v.time() == dt.time():
            return v.date()
        return int(v) if isinstance(v, float) and v.is_integer() else v

    out = [tuple(value(v) for v in row) for row in rows]
    out = [row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in out]
    while out and not out[-1]:
        out.pop()
    return out


def test_calamine_and_openpyxl_read_the_same_values(three, tmp_path):
    pytest.importorskip("python_calamine")
    from send_desktop.xlsx.audit_exchange_book import ValueBook

    path = export(three, tmp_path / "audits.xlsx")
    caseload = CORPUS / "publicsector/nhs-r-community-demos-and-how-tos/RTT_TS_data.xlsx"  # titles, merges
    errors = CORPUS / "publicsector/nhs-r-community-demos-and-how-tos/TestScoresDB.xlsx"  # holds #VALUE! cells
    for p, by_calamine in ((path, True), (caseload, True), (errors, False)):
        if not p.exists():
            continue
        with ValueBook(p, fast=True) as fast, ValueBook(p, fast=False) as plain:
            assert (fast._calamine is not None) == by_calamine and plain._calamine is None
            for title in plain.sheetnames:
                assert _plain(fast.rows(title)) == _plain(plain.rows(title)), title


def test_a_far_away_cell_cannot_exhaust_memory(three, tmp_path):
    """calamine lays a sheet out from A1 to its last cell; one cell at XFD1048576 would need 550 GB."""
    from send_desktop.xlsx.audit_exchange_book import calamine_can_read

    path = export(three, tmp_path / "audits.xlsx")
    edit(path, lambda ws, wb: ws.cell(1_048_576, 16_384).__setattr__("value", "x"))
    assert not calamine_can_read(path)
    started = time.perf_counter()
    with pytest.raises(BadInputError, match="more than 200,000 rows"):
        do_import(three, path)
    assert time.perf_counter() - started < 30


HOSTILE = ["openpyxl/null_file.xlsx", "poi/clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5636439151607808.xlsx",
           "poi/crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx", "poi/poc-xmlbomb.xlsx",
           "exceljs/invalid-xml.xlsx", "python-calamine/password.xlsx", "sheetjs/large_strings.xlsx"]


@pytest.mark.parametrize("name", HOSTILE)
def test_broken_and_hostile_workbooks_are_refused_quickly(three, name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not present")
    before = db_contents(Path(three.path))
    started = time.perf_counter()
    with pytest.raises(BadInputError) as caught:
        do_import(three, path)
    assert time.perf_counter() - started < 10
    assert caught.value.message.startswith(f"{path.name}: ") and "\n" not in caught.value.message
    assert db_contents(Path(three.path)) == before


def test_a_real_import_backs_the_database_up_first(three, central, tmp_path):
    do_import(central, export(three, tmp_path / "audits.xlsx"))
    backups = list((Path(central.path).parent / "backups").glob("central-*-before-import.sqlite"))
    assert len(backups) == 1


# -- command line ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_import_in_a_real_process(three, central, tmp_path):
    path = export(three, tmp_path / "audits.xlsx")
    central_path = Path(central.path)
    central.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "send_desktop", "import", str(central_path), *map(str, args),
                               "--kind", "audits", "--json"], env=env, capture_output=True, text=True, timeout=120)

    proc = run(path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"kind": "audits", "created": 3, "updated": 0, "unchanged": 0, "conflicts": 0, "errors": [],
                                       "warnings": []}
    edit(path, set_cell("EHC-0002", "B2", 7))
    before = db_contents(central_path)
    proc = run(path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    (error,) = json.loads(proc.stdout)["errors"]
    assert error == {"sheet": "Audits", "row": 3, "column": "B2",
                     "message": "criterion 'B2': 7 is out of range; use 0 to 3 or N/A"}
    assert db_contents(central_path) == before
