"""The plan's spreadsheet round trip: real workbooks on disk, opened with openpyxl as Excel would.

Export -> (edit like an officer) -> import, checked against the database itself: the dump,
every row of the file, and the change log.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import db_contents

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, Cancelled, UserError
from send_desktop.services import plan_edit
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.database import open_database
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.plan_export import export_plan
from send_desktop.xlsx.plan_import import ImportReport, import_plan

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "import returned.xlsx"


# -- helpers ------------------------------------------------------------------------------------

def export(db, path: Path) -> Path:
    run_steps(export_plan(db, path))
    return path


def do_import(db, path: Path, **kw) -> ImportReport:
    return run_steps(import_plan(db, path, source=kw.pop("source", SOURCE), **kw))


contents = db_contents


def log_since(db, last_id: int) -> list[tuple]:
    with db.reading() as con:
        return con.execute("SELECT op, entity, field, old, new, source, user FROM change_log WHERE id > ? "
                           "ORDER BY id", (last_id,)).fetchall()


def last_log_id(db) -> int:
    with db.reading() as con:
        return con.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]


def columns(ws, header_row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[header_row] if c.value}


def plan_row_of(ws, uid: str) -> int:
    col = columns(ws, 2)["Action id"]
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col).value == uid)


def edit_workbook(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


@pytest.fixture
def workbook(demo_db, tmp_path) -> Path:
    return export(demo_db, tmp_path / "returned.xlsx")


@pytest.fixture
def new_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


# -- export -------------------------------------------------------------------------------------

def test_export_is_laid_out_for_officers(demo_db, workbook):
    snap = load_plan(demo_db)
    actions = snap.actions()
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == [s.name for s in L.SHEETS]

    ws = wb["Plan"]
    assert snap.title in ws["A1"].value and "exported" in ws["A1"].value
    assert [c.value for c in ws[2]] == [c.header for c in L.PLAN.columns]
    assert ws["A2"].font.b and ws["A2"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:Q{len(actions) + 2}"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    cols = columns(ws, 2)
    hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
    assert hidden == {"O", "P", "Q"} and ws.cell(2, cols["Action id"]).column_letter == "O"
    # one row per action, in plan order, with the values a reader expects
    assert [ws.cell(r, cols["Ref"]).value for r in range(3, ws.max_row + 1)] == [a.ref for a in actions]
    first = actions[0]
    row = plan_row_of(ws, first.uid)
    due = ws.cell(row, cols["Due"])
    assert due.value.date() == first.due_date and due.number_format == "dd/mm/yyyy"
    assert ws.cell(row, cols["Status"]).value == first.level.label
    assert ws.cell(row, cols["Lead officers"]).value == "; ".join(first.leads)
    assert ws.cell(row, cols["Success criteria / key results"]).value == "\n".join(first.success_criteria)
    assert ws.cell(row, cols["Success criteria / key results"]).alignment.wrap_text
    assert ws.cell(row, cols["Ref"]).alignment.vertical == "top"
    assert ws.cell(row, cols["Last update"]).value.date() == first.updates[-1].date
    # Status: a drop-down of the Key sheet's labels, coloured by level, text kept
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == "'Key'!$B$2:$B$4" and "K3" in str(dv.sqref)
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert [r.formula[0] for r in rules] == [f'"{lv.label}"' for lv in snap.scale.levels]

    updates = wb["Updates"]
    ucols = columns(updates, 1)
    assert updates.freeze_panes == "A2" and updates.auto_filter.ref
    assert updates.max_row - 1 == sum(len(a.updates) for a in actions)
    dates = [updates.cell(r, ucols["Date"]).value for r in range(2, updates.max_row + 1)
             if updates.cell(r, ucols["Action id"]).value == first.uid]
    assert dates == sorted(dates) and len(dates) == len(first.updates)  # oldest first

    key = wb["Key"]
    assert [[c.value for c in r][:2] for r in key.iter_rows(min_row=2)] == [[lv.code, lv.label]
                                                                            for lv in snap.scale.levels]
    assert key["D2"].fill.fgColor.rgb.lower().endswith(snap.scale.levels[0].colour.lstrip("#"))
    items = list(wb["About"].iter_rows(min_row=2, values_only=True))
    about = dict(items)
    assert about["Plan id"] == snap.uid and about["Database file"] == "demo.sqlite"
    assert about["Schema revision"] and about["send-desktop version"] and about["Exported by"] == "Test Auditor"
    assert any("Do not edit the hidden id columns" in value for item, value in items if item == "Note")


def test_text_starting_with_equals_stays_text(demo_db, new_db, tmp_path):
    first = load_plan(demo_db).actions()[0]
    plan_edit.update_action(demo_db, first.id, {"text": "=SUM(A1:A3) is not a formula"})
    path = export(demo_db, tmp_path / "eq.xlsx")
    ws = openpyxl.load_workbook(path)["Plan"]
    cell = ws.cell(plan_row_of(ws, first.uid), columns(ws, 2)["Actions \u2013 what we will do"])
    assert cell.data_type == "s" and cell.value == "=SUM(A1:A3) is not a formula" and cell.quotePrefix
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert do_import(demo_db, path).updated == 0
    do_import(new_db, path)
    assert dump_plan(new_db) == dump_plan(demo_db)


def test_a_failed_or_cancelled_export_leaves_no_file(demo_db, tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(Cancelled):
        run_steps(export_plan(demo_db, target), cancelled=lambda: True)
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".*")) == []
    with pytest.raises(UserError, match="does not exist"):
        run_steps(export_plan(demo_db, tmp_path / "missing" / "out.xlsx"))


# -- round trips --------------------------------------------------------------------------------

def test_import_into_a_new_database_rebuilds_the_plan(demo_db, new_db, workbook):
    report = do_import(new_db, workbook)
    assert dump_plan(new_db) == dump_plan(demo_db)
    before, after = load_plan(demo_db), load_plan(new_db)
    assert report.created == len(after.actions()) and report.updated == report.unchanged == 0
    assert after.uid == before.uid and after.title == before.title and after.scale.preset == before.scale.preset
    assert [(p.uid, p.kind, p.evidence_of_impact, p.difference_for_cyp) for p in after.priorities] == \
        [(p.uid, p.kind, p.evidence_of_impact, p.difference_for_cyp) for p in before.priorities]
    ws_names = {w.id: w.name for w in before.workstreams}
    ws_names_after = {w.id: w.name for w in after.workstreams}
    assert [ws_names.get(p.workstream_id) for p in before.priorities] == \
        [ws_names_after.get(p.workstream_id) for p in after.priorities]
    assert [(w.uid, w.name, w.areas_of_focus, w.leads) for w in after.workstreams] == \
        [(w.uid, w.name, w.areas_of_focus, w.leads) for w in before.workstreams]
    assert [(p.uid, p.name, p.role, p.organisation) for p in after.people] == \
        [(p.uid, p.name, p.role, p.organisation) for p in before.people]
    assert [(u.uid, u.evidence) for a in after.actions() for u in a.updates] == \
        [(u.uid, u.evidence) for a in before.actions() for u in a.updates]
    # the plan's repeated reference stays two actions, with a warning
    refs = [a.ref for a in after.actions()]
    dupes = {r for r in refs if refs.count(r) > 1}
    (dup,) = dupes
    assert any(dup in str(w) for w in report.warnings)
    # and the rebuilt plan's own export matches the original database row for row
    assert do_import(demo_db, export(new_db, workbook.with_name("back.xlsx"))).updated == 0


def test_reimporting_an_unchanged_export_changes_nothing(demo_db, demo_db_path, workbook):
    before, log_id = contents(demo_db_path), last_log_id(demo_db)
    report = do_import(demo_db, workbook)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(load_plan(demo_db).actions()))
    assert report.errors == [] and report.other == {}
    assert log_since(demo_db, log_id) == []
    assert contents(demo_db_path) == before


def test_officer_edits_become_exactly_those_changes(demo_db, workbook):
    snap = load_plan(demo_db)
    actions = snap.actions()
    worded, timed, rated, led = actions[1], actions[2], actions[3], actions[4]
    new_label = next(lv.label for lv in snap.scale.levels if lv.label != rated.level.label)
    other_person = next(p.name for p in snap.people if p.name not in led.leads)
    outcome = snap.outcomes()[0]
    log_id = last_log_id(demo_db)

    def edit(wb):
        ws = wb["Plan"]
        c = columns(ws, 2)
        ws.cell(plan_row_of(ws, worded.uid), c["Actions \u2013 what we will do"]).value = "Reworded by the officer"
        ws.cell(plan_row_of(ws, timed.uid), c["Timescale"]).value = "March 2027"
        ws.cell(plan_row_of(ws, rated.uid), c["Status"]).value = new_label
        ws.cell(plan_row_of(ws, led.uid), c["Lead officers"]).value = other_person
        new = ws.max_row + 3  # after a couple of blank rows, as officers leave them
        for header, value in (("Priority ref", "1"), ("Outcome ref", outcome.ref), ("Ref", f"{outcome.ref}.9"),
                              ("Actions \u2013 what we will do", "A brand new action"),
                              ("Workstream", snap.workstreams[0].name), ("Lead officers", other_person),
                              ("Timescale", "Sept 2027"), ("Success criteria / key results", "One\nTwo")):
            ws.cell(new, c[header]).value = value

    edit_workbook(workbook, edit)
    report = do_import(demo_db, workbook)
    assert (report.created, report.updated, report.unchanged) == (1, 4, len(actions) - 4)

    rows = log_since(demo_db, log_id)
    assert {r[5] for r in rows} == {SOURCE} and {r[6] for r in rows} == {"Test Auditor"}
    assert sorted((op, entity, field) for op, entity, field, *_ in rows) == sorted([
        ("update", "action", "text"), ("update", "action", "timescale"), ("update", "action", "due_date"),
        ("insert", "status_update", "*"), ("insert", "action", "*"), ("update", "action", "leads")])
    changes = {(entity, field): (old, new) for op, entity, field, old, new, *_ in rows}
    assert changes[("action", "text")] == (worded.text, "Reworded by the officer")
    assert changes[("action", "timescale")] == (timed.timescale, "March 2027")
    old_due = timed.due_date.isoformat() if timed.due_date else None
    assert changes[("action", "due_date")] == (old_due, "2027-03-31")
    old_leads, new_leads = changes[("action", "leads")]
    assert other_person in new_leads and other_person not in (old_leads or "")
    status = json.loads(changes[("status_update", "*")][1])
    assert status["narrative"] == f"Status set to {new_label} in returned.xlsx"
    assert status["author"] == "Test Auditor"

    after = load_plan(demo_db)
    by_uid = {a.uid: a for a in after.actions()}
    assert by_uid[timed.uid].due_date == dt.date(2027, 3, 31)
    assert by_uid[rated.uid].level.label == new_label
    assert by_uid[rated.uid].updates[-1].date == max(dt.date.today(), rated.updates[-1].date)
    assert by_uid[led.uid].leads == (other_person,)
    added = next(a for a in after.actions() if a.text == "A brand new action")
    assert (added.ref, added.outcome_id, added.leads, added.due_date) == \
        (f"{outcome.ref}.9", outcome.id, (other_person,), dt.date(2027, 9, 30))
    assert added.success_criteria == ("One", "Two")
    assert after.outcomes()[0].actions[-1].id == added.id  # after its siblings
    # the same workbook again: everything now matches, nothing more is written
    log_id = last_log_id(demo_db)
    again = do_import(demo_db, workbook)
    assert (again.created, again.updated) == (1, 0)  # the uid-less row is new each time, by design
    assert [r[1] for r in log_since(demo_db, log_id)] == ["action"]


def test_updates_sheet_edits_and_where_wording_is_changed(demo_db, workbook):
    snap = load_plan(demo_db)
    action = snap.actions()[0]
    old_update = action.updates[0]
    outcome = snap.outcomes()[0]

    def edit(wb):
        ws = wb["Updates"]
        c = columns(ws, 1)
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, c["Update id"]).value == old_update.uid)
        ws.cell(row, c["Narrative"]).value = "Corrected narrative"
        new = ws.max_row + 1
        ws.cell(new, c["Action ref"]).value = snap.actions()[5].ref  # no id: found by its ref
        ws.cell(new, c["Date"]).value = "03/11/2026"
        ws.cell(new, c["Status"]).value = "amber"  # labels are matched without case
        ws.cell(new, c["Narrative"]).value = "Added in the spreadsheet"
        # a priority is reworded and renumbered on its own sheet ...
        wb["Priorities"]["A2"].value = "6"
        wb["Priorities"]["C2"].value = "A sharper priority statement"
        # ... while the Plan sheet's copies of priority and outcome wording are for reading
        plan = wb["Plan"]
        plan.cell(plan_row_of(plan, action.uid), columns(plan, 2)["Outcome"]).value = "Edited in the wrong place"

    edit_workbook(workbook, edit)
    log_id = last_log_id(demo_db)
    report = do_import(demo_db, workbook)
    assert report.updated == 2 and report.created == 0
    assert report.other == {"priority": {"created": 0, "updated": 1},
                            "status update": {"created": 1, "updated": 1}}
    assert sorted((r[0], r[1], r[2]) for r in log_since(demo_db, log_id)) == [
        ("insert", "status_update", "*"), ("update", "priority", "ref"), ("update", "priority", "statement"),
        ("update", "status_update", "narrative")]
    row = plan_row_of(openpyxl.load_workbook(workbook)["Plan"], action.uid)
    assert any(w.sheet == "Plan" and w.row == row and w.column == "Outcome" and "sheet 'Outcomes'" in w.message
               for w in report.warnings)
    after = load_plan(demo_db)
    assert (after.priorities[0].ref, after.priorities[0].statement) == ("6", "A sharper priority statement")
    assert after.outcomes()[0].text == outcome.text
    added = after.actions()[5].updates
    assert any(u.narrative == "Added in the spreadsheet" and u.date == dt.date(2026, 11, 3) for u in added)
    # the Plan sheet still shows the old priority number: importing again must not flip it back
    log_id = last_log_id(demo_db)
    again = do_import(demo_db, workbook)
    assert load_plan(demo_db).priorities[0].ref == "6"
    assert "priority" not in again.other
    assert not [r for r in log_since(demo_db, log_id) if r[1] == "priority"]


def test_a_new_update_row_is_not_undone_by_the_untouched_status_cell(demo_db, workbook):
    snap = load_plan(demo_db)
    action = snap.actions()[0]
    other = next(lv.label for lv in snap.scale.levels if lv.label != action.level.label)
    day = action.updates[-1].date + dt.timedelta(days=1)

    def add_update(wb):
        ws = wb["Updates"]
        c = columns(ws, 1)
        row = ws.max_row + 1
        for header, value in (("Action id", action.uid), ("Date", day), ("Status", other),
                              ("Narrative", "Moved on")):
            ws.cell(row, c[header]).value = value

    edit_workbook(workbook, add_update)  # the Plan sheet still shows the old status
    report = do_import(demo_db, workbook)
    assert report.other == {"status update": {"created": 1, "updated": 0}}
    after = load_plan(demo_db).actions()[0]
    assert after.level.label == other and after.updates[-1].narrative == "Moved on"


def test_reading_tolerates_spacing_case_blank_rows_and_text_dates(demo_db, workbook):
    first = load_plan(demo_db).actions()[0]

    def edit(wb):
        ws = wb["Plan"]
        c = columns(ws, 2)
        ws.cell(2, c["Status"]).value = "  STATUS "
        ws.cell(2, c["Actions \u2013 what we will do"]).value = "Actions - what we will do"  # typed dash
        row = plan_row_of(ws, first.uid)
        ws.cell(row, c["Ref"]).value = f"  {first.ref} "
        ws.cell(row, c["Status"]).value = first.level.label.lower()
        ws.cell(row, c["Due"]).value = first.due_date.strftime("%d/%m/%Y")
        ws.cell(row, c["Lead officers"]).value = " ;  ".join(first.leads) + " ; "
        ws.insert_rows(row + 1, 3)  # blank rows in the middle, and more at the end
        ws.cell(ws.max_row + 40, c["Ref"]).value = "   "

    edit_workbook(workbook, edit)
    report = do_import(demo_db, workbook)
    assert (report.created, report.updated) == (0, 0)
    assert not [w for w in report.warnings if "Due" in str(w)]


def test_dry_run_reports_the_same_and_changes_nothing(demo_db, demo_db_path, workbook):
    actions = load_plan(demo_db).actions()

    def edit(wb):
        ws = wb["Plan"]
        c = columns(ws, 2)
        ws.cell(plan_row_of(ws, actions[0].uid), c["Timescale"]).value = "Dec 2027"
        ws.cell(ws.max_row + 1, c["Ref"]).value = "1.1.99"
        ws.cell(ws.max_row, c["Actions \u2013 what we will do"]).value = "New"

    edit_workbook(workbook, edit)
    before = contents(demo_db_path)
    backups = demo_db_path.parent / "backups"
    dry = do_import(demo_db, workbook, dry_run=True)
    assert contents(demo_db_path) == before
    assert not list(backups.glob("*before-import*")) if backups.exists() else True
    assert "dry run" in dry.summary()
    real = do_import(demo_db, workbook)
    assert dry.as_dict() == real.as_dict() and (real.created, real.updated) == (1, 1)
    assert list(backups.glob("*before-import*"))  # the real run backed the file up first


def test_cancelling_an_import_rolls_it_back(demo_db, demo_db_path, workbook):
    edit_workbook(workbook, lambda wb: wb["Plan"].cell(3, 6, "Changed"))
    before = contents(demo_db_path)
    seen = []

    def cancel_when_writing():
        return bool(seen) and seen[-1].startswith("Writing")

    with pytest.raises(Cancelled):
        run_steps(import_plan(demo_db, workbook), lambda p: seen.append(p.message), cancel_when_writing)
    assert contents(demo_db_path) == before


def test_cancel_at_any_step_is_a_cancel_never_a_bad_sheet(demo_db, demo_db_path, workbook):
    """Cancel thrown into the reader while a sheet is read is not "the sheet could not be read"."""
    before = contents(demo_db_path)
    for after in range(200):
        asked = []

        def cancelled():
            asked.append(1)
            return len(asked) > after

        try:
            run_steps(import_plan(demo_db, workbook, dry_run=True), None, cancelled)
        except Cancelled:
            continue
        break  # the whole check ran before the cancel came
    else:
        pytest.fail("the check never finished")
    assert after > 1 and contents(demo_db_path) == before


# -- bad input -----------------------------------------------------------------------------------

def _set_plan_cell(header: str, value, offset: int = 4):
    def change(wb):
        ws = wb["Plan"]
        ws.cell(2 + offset, columns(ws, 2)[header]).value = value
    return change


def _drop_status(wb):
    ws = wb["Plan"]
    ws.delete_cols(columns(ws, 2)["Status"])


BAD_EDITS = {
    "missing Status column": (_drop_status, ("Plan", 2, "Status"), "the column 'Status' is missing"),
    "unknown status": (_set_plan_cell("Status", "Purple"), ("Plan", 6, "Status"),
                       "'Purple' is not a level of the scale (Red, Amber, Green)"),
    "impossible due date": (_set_plan_cell("Due", "31/02/2025"), ("Plan", 6, "Due"),
                            "'31/02/2025' is not a real date"),
    "empty ref": (_set_plan_cell("Ref", None), ("Plan", 6, "Ref"), "an action needs a reference"),
    "malformed id": (_set_plan_cell("Action id", "my own id"), ("Plan", 6, "Action id"), "not an id"),
    "update without a date": (lambda wb: setattr(wb["Updates"]["B2"], "value", None), ("Updates", 2, "Date"),
                              "needs a date"),
}


@pytest.mark.parametrize("case", list(BAD_EDITS))
def test_a_bad_cell_refuses_the_whole_workbook(demo_db, demo_db_path, workbook, case):
    change, (sheet, row, column), needle = BAD_EDITS[case]
    edit_workbook(workbook, change)
    before, dump = contents(demo_db_path), dump_plan(demo_db)
    with pytest.raises(BadInputError) as caught:
        do_import(demo_db, workbook)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)
    assert needle in problem.message
    message = caught.value.message
    assert "\n" not in message and message.startswith("returned.xlsx: ")
    assert f"sheet '{sheet}', row {row}, column '{column}'" in message
    assert contents(demo_db_path) == before and dump_plan(demo_db) == dump
    assert not (demo_db_path.parent / "backups").exists() or \
        not list((demo_db_path.parent / "backups").glob("*before-import*"))


def test_unknown_workstream_is_an_error_naming_the_known_ones(demo_db, workbook):
    edit_workbook(workbook, _set_plan_cell("Workstream", "Spaceships"))
    with pytest.raises(BadInputError) as caught:
        do_import(demo_db, workbook)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Plan", 6, "Workstream")
    assert "'Spaceships' is not a workstream" in problem.message
    assert load_plan(demo_db).workstreams[0].name in problem.message


def test_a_copied_row_becomes_a_new_action_with_a_warning(demo_db, workbook):
    actions = load_plan(demo_db).actions()

    def copy_row(wb):
        ws = wb["Plan"]
        source = plan_row_of(ws, actions[0].uid)
        target = ws.max_row + 1
        for col in range(1, ws.max_column + 1):
            ws.cell(target, col).value = ws.cell(source, col).value
        ws.cell(target, columns(ws, 2)["Ref"]).value = "1.1.50"

    edit_workbook(workbook, copy_row)
    report = do_import(demo_db, workbook)
    assert (report.created, report.updated) == (1, 0)
    assert any(w.column == "Action id" and "copied row" in w.message for w in report.warnings)
    after = load_plan(demo_db).actions()
    assert [a.ref for a in after].count("1.1.50") == 1 and len(after) == len(actions) + 1


def test_key_sheet_typos_only_matter_when_the_key_creates_the_scale(demo_db, new_db, workbook):
    edit_workbook(workbook, lambda wb: setattr(wb["Key"]["D2"], "value", "reddish"))
    report = do_import(demo_db, workbook)  # the plan has its scale: the Key is for reading
    assert report.updated == 0 and any(w.sheet == "Key" for w in report.warnings)
    before = contents(new_db.path)
    with pytest.raises(BadInputError) as caught:
        do_import(new_db, workbook)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Key", 2, "Colour") and "reddish" in problem.message
    assert contents(new_db.path) == before

    edit_workbook(workbook, lambda wb: [setattr(wb["Key"].cell(r, 4), "value", "#123456") or
                                        setattr(wb["Key"].cell(r, 5), "value", "No") for r in (2, 3, 4)])
    with pytest.raises(BadInputError, match="must count as complete"):
        do_import(new_db, workbook)
    assert contents(new_db.path) == before


def _truncated(workbook: Path) -> None:
    data = workbook.read_bytes()
    workbook.write_bytes(data[: len(data) // 2])


def _text_file(workbook: Path) -> None:
    workbook.write_text("Ref,Status\n1.1.1,Red\n")


def _broken_sheet_xml(workbook: Path) -> None:
    """A well-formed package whose Plan sheet XML is cut off: openpyxl reads sheets lazily."""
    with zipfile.ZipFile(workbook) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    workbook.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("damage, needle", [
    (_text_file, "not an Excel .xlsx workbook"),
    (_truncated, "damaged"),
    (_broken_sheet_xml, "could not be read"),
])
def test_a_damaged_file_is_refused_cleanly(demo_db, demo_db_path, workbook, damage, needle):
    damage(workbook)
    before = contents(demo_db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(demo_db, workbook)
    assert needle in caught.value.message and caught.value.problems
    assert caught.value.message.startswith("returned.xlsx: ") and "\n" not in caught.value.message
    assert contents(demo_db_path) == before


# Every file of the corpus, for every kind, is imported or refused in tests/test_hostile_files.py.


# -- command line --------------------------------------------------------------------------------

def run_cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_import_and_json_report(demo_db_path, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    code, stdout, _ = run_cli(capsys, "export", demo_db_path, out)
    assert code == 0 and out.exists() and "plan.xlsx" in stdout
    code, stdout, _ = run_cli(capsys, "import", demo_db_path, out, "--json", "--dry-run")
    report = json.loads(stdout)
    assert code == 0
    assert list(report) == ["kind", "created", "updated", "unchanged", "conflicts", "errors", "warnings"]
    assert report["kind"] == "plan" and report["created"] == report["updated"] == 0 and report["unchanged"] > 0
    assert all(set(w) == {"sheet", "row", "column", "message"} for w in report["warnings"])

    edit_workbook(out, _set_plan_cell("Status", "Purple"))
    code, stdout, err = run_cli(capsys, "import", demo_db_path, out, "--json")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "'Purple' is not a level" in err and "Traceback" not in err
    report = json.loads(stdout)
    assert report["errors"][0] == {"sheet": "Plan", "row": 6, "column": "Status",
                                   "message": "'Purple' is not a level of the scale (Red, Amber, Green)"}


@pytest.mark.slow
def test_cli_in_a_real_process_exits_2_on_a_bad_workbook(demo_db_path, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "send_desktop", "import", str(demo_db_path), str(bad)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "notes.xlsx" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_cleared_action_cell_refuses_the_file_rather_than_wiping_the_wording(demo_db, demo_db_path, workbook):
    """An action's wording emptied by accident (or a new row given a ref and nothing else) is named
    with its sheet, row and column, and nothing is changed: an import never leaves an action that
    says nothing."""
    snap = load_plan(demo_db)
    cleared = snap.actions()[2]
    rows = {}

    def edit(wb):
        ws = wb["Plan"]
        c = columns(ws, 2)
        rows["cleared"] = plan_row_of(ws, cleared.uid)
        ws.cell(rows["cleared"], c["Actions \u2013 what we will do"]).value = "   "
        rows["new"] = ws.max_row + 1
        for header, value in (("Priority ref", "1"), ("Outcome ref", snap.outcomes()[0].ref),
                              ("Ref", f"{snap.outcomes()[0].ref}.9"), ("Timescale", "Sept 2027")):
            ws.cell(rows["new"], c[header]).value = value

    edit_workbook(workbook, edit)
    before = contents(demo_db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(demo_db, workbook)
    found = sorted((p.sheet, p.row, p.column) for p in caught.value.problems if "needs its wording" in p.message)
    assert found == [("Plan", rows["cleared"], "Actions \u2013 what we will do"),
                     ("Plan", rows["new"], "Actions \u2013 what we will do")]
    assert contents(demo_db_path) == before
    assert load_plan(demo_db).actions()[2].text == cleared.text


def test_a_summary_writes_large_counts_with_thousands_separators():
    report = ImportReport(file="tracker.xlsx", created=6000, updated=1200, unchanged=15000,
                          other={"status update": {"created": 6000, "updated": 0}})
    assert report.summary().startswith("tracker.xlsx: 6,000 actions created, 1,200 updated, 15,000 unchanged. "
                                       "Also 6,000 status updates created.")
