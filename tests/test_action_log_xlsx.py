"""The action log's spreadsheet round trip: real workbooks on disk, re-opened with openpyxl as
Excel would, and the command line in a real process."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.helpers import db_contents
from tests.test_meetings import _meetings_template  # noqa: F401 - a fixture: the demo year, built once

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services import meeting_actions as A
from send_desktop.services import meetings as M
from send_desktop.services import meeting_read as R
from send_desktop.services.meeting_dump import dump_actions
from send_desktop.storage.database import open_database
from send_desktop.storage.models import MeetingAction
from send_desktop.xlsx.action_log_xlsx import export_actions, import_actions

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 1)
SOURCE = "import returned.xlsx"


@pytest.fixture
def demo_path(_meetings_template, tmp_path) -> Path:
    path = tmp_path / "meetings.sqlite"
    shutil.copyfile(_meetings_template, path)
    return path


@pytest.fixture
def demo(demo_path):
    database = open_database(demo_path, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture
def workbook(demo, tmp_path) -> Path:
    return export(demo, tmp_path / "returned.xlsx")


def export(db, path: Path) -> Path:
    run_steps(export_actions(db, path))
    return path


def do_import(db, path: Path, **kw):
    return run_steps(import_actions(db, path, source=kw.pop("source", SOURCE), today=TODAY, **kw))


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def set_cells(sheet: str, row: int, values: dict):
    def change(wb):
        ws = wb[sheet]
        c = columns(ws)
        for header, value in values.items():
            ws.cell(row, c[header]).value = value
    return change


def row_of(path: Path, uid: str) -> int:
    ws = openpyxl.load_workbook(path)["Actions"]
    col = columns(ws)["Action id"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == uid)


# -- export ---------------------------------------------------------------------------------------

def test_the_export_is_the_log_officers_keep(demo, workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == ["Actions", "Updates", "About"]
    ws = wb["Actions"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["No.", "Meeting date", "Action", "Owner", "Due", "Status", "Update", "Updated"]
    assert headers[8:] == ["Board", "Links", "Action id", "Meeting id", "Link ids"]
    assert ws.freeze_panes == "A2"
    hidden = [h for i, h in enumerate(headers, 1) if ws.column_dimensions[openpyxl.utils.get_column_letter(i)].hidden]
    assert hidden == ["Action id", "Meeting id", "Link ids"]
    rows = R.tracker(demo, today=TODAY)
    assert ws.max_row == len(rows) + 1
    first = rows[0]
    values = [c.value for c in ws[2]]
    assert values[:6] == [first.number, dt.datetime.combine(first.meeting_date, dt.time()), first.text, first.owner,
                          dt.datetime.combine(first.due_date, dt.time()), first.status.capitalize()]
    assert values[10] == first.uid and ws.cell(2, 2).number_format == "dd/mm/yyyy"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and '"Open,In progress,Closed,Superseded"' == lists[0].formula1
    assert "F2" in str(lists[0].sqref)
    updates = wb["Updates"]
    assert [c.value for c in updates[1]] == ["Board", "Meeting date", "No.", "Date", "Update", "By", "Action id",
                                             "Update id"]
    assert updates.max_row - 1 == sum(len(R.action_updates(demo, a.id)) for a in rows)
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2)}
    assert about["Layout"] == "send-desktop action log" and about["Exported by"] == "Test Auditor"


# -- round trips ----------------------------------------------------------------------------------

def test_the_round_trip_into_a_database_of_the_same_meetings_is_exact(demo, demo_path, workbook, tmp_path):
    fresh_path = tmp_path / "fresh.sqlite"
    shutil.copyfile(demo_path, fresh_path)
    fresh = open_database(fresh_path, user="Test Auditor")
    try:
        with fresh.session("clearing the log") as s:
            for action in s.scalars(select(MeetingAction)):
                action.updates, action.links  # noqa: B018 - loaded so each is deleted
                s.delete(action)
        assert dump_actions(fresh) == []
        report = do_import(fresh, workbook)
        assert (report.created, report.updated, report.unchanged) == (len(dump_actions(demo)), 0, 0)
        assert report.warnings == []
        assert dump_actions(fresh) == dump_actions(demo)
        again = export(fresh, tmp_path / "again.xlsx")
        first, second = (openpyxl.load_workbook(p)["Actions"] for p in (workbook, again))
        assert [[c.value for c in r] for r in first.iter_rows()] == [[c.value for c in r] for r in second.iter_rows()]
    finally:
        fresh.close()


def test_reimporting_an_unchanged_export_changes_nothing(demo, demo_path, workbook):
    before = db_contents(demo_path)
    report = do_import(demo, workbook)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(dump_actions(demo)))
    assert report.as_dict()["errors"] == [] and db_contents(demo_path) == before
    assert not list(demo_path.parent.glob("backups/*before-import*"))  # nothing to change, nothing backed up


def test_a_returned_workbook_with_an_edited_status_and_a_new_update(demo, workbook):
    action = next(a for a in R.tracker(demo, today=TODAY) if a.status == "in progress")
    other = next(a for a in R.tracker(demo, today=TODAY) if a.status == "open")
    row = row_of(workbook, action.uid)
    edit(workbook, set_cells("Actions", row, {"Status": "Closed", "Update": "Reported to the board in full.",
                                              "Updated": dt.datetime(2026, 10, 30)}))

    def add_update(wb):
        ws = wb["Updates"]
        c = columns(ws)
        new = ws.max_row + 1
        for header, value in (("Board", other.board), ("Meeting date", other.meeting_date), ("No.", other.number),
                              ("Date", dt.datetime(2026, 10, 29)), ("Update", "Draft shared with the forum"),
                              ("By", "Naomi Whitlock")):
            ws.cell(new, c[header]).value = value

    edit(workbook, add_update)
    report = do_import(demo, workbook)
    assert (report.created, report.updated) == (0, 2)
    assert report.as_dict()["kind"] == "actions" and "2 updated" in report.summary()
    assert report.other == {"action update": {"created": 2, "updated": 0}}
    closed = next(a for a in R.tracker(demo, today=TODAY) if a.id == action.id)
    assert (closed.status, closed.updated_on, closed.latest_update) == ("closed", dt.date(2026, 10, 30),
                                                                        "Reported to the board in full.")
    last = R.action_updates(demo, other.id)[-1]
    assert (last.date, last.text, last.author) == (dt.date(2026, 10, 29), "Draft shared with the forum", "Naomi Whitlock")
    with demo.reading() as con:
        logged = con.execute("SELECT entity, field, new FROM change_log WHERE source = ? ORDER BY id", (SOURCE,)).fetchall()
    assert ("meeting_action", "status", "closed") in logged
    assert sum(e == "meeting_action_update" for e, _, _ in logged) == 2
    assert list(demo.path.parent.glob("backups/*before-import*"))


def test_a_new_row_gets_the_meetings_next_number_and_a_copied_row_becomes_new(demo, workbook):
    action = R.tracker(demo, today=TODAY)[-1]
    numbers = [a.number for a in R.tracker(demo, meeting_id=action.meeting_id)]

    def add_rows(wb):
        ws = wb["Actions"]
        c = columns(ws)
        source = row_of(workbook, action.uid)
        copy = ws.max_row + 1
        for header in c:
            ws.cell(copy, c[header]).value = ws.cell(source, c[header]).value
        ws.cell(copy, c["No."]).value = None
        new = copy + 1
        for header, value in (("Meeting date", action.meeting_date), ("Board", action.board),
                              ("Action", "Write to every school about the survey"), ("Owner", "Kevin Drury"),
                              ("Status", "open")):
            ws.cell(new, c[header]).value = value

    edit(workbook, add_rows)
    report = do_import(demo, workbook)
    assert report.created == 2 and [w.column for w in report.warnings] == ["Action id"]
    after = R.tracker(demo, meeting_id=action.meeting_id)
    assert [a.number for a in after] == numbers + [max(numbers) + 1, max(numbers) + 2]
    assert after[-1].text == "Write to every school about the survey" and after[-1].owner == "Kevin Drury"


def test_an_empty_file_gets_its_boards_and_meetings_from_the_log(db, tmp_path):
    board = M.add_board(db, "Improvement Board")
    meeting = M.create_meeting(db, board, dt.datetime(2026, 6, 2, 10))
    A.add_update(db, A.add_action(db, meeting, "Dashboard", owner="Kevin Drury"), "Started", date=dt.date(2026, 6, 9))
    path = export(db, tmp_path / "log.xlsx")
    empty = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    try:
        report = do_import(empty, path)
        assert report.created == 1 and report.other["board"] == {"created": 1, "updated": 0}
        assert {w.column for w in report.warnings} == {"Board", "Meeting date"}
        assert dump_actions(empty) == dump_actions(db)
        assert [(m.board, m.starts_at, m.status) for m in R.list_meetings(empty)] == [
            ("Improvement Board", dt.datetime(2026, 6, 2, 10), "held")]
    finally:
        empty.close()


# -- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sheet, header, value, needle", [
    ("Actions", "Status", "Done-ish", "'Done-ish' is not a status"),
    ("Actions", "Due", "31/02/2026", "'31/02/2026' is not a real date"),
    ("Actions", "No.", "4a", "'4a' is not an action number"),
    ("Actions", "Action", None, "the action is empty"),
    ("Actions", "Links", "Plan action 99.9", "there is no plan action 99.9"),
    ("Actions", "Board", "", "say which board"),
    ("Updates", "Date", None, "an update needs a date"),
])
def test_a_bad_cell_is_named_and_refuses_the_whole_workbook(demo, demo_path, workbook, sheet, header, value, needle):
    edit(workbook, set_cells(sheet, 3, {header: value}))
    before = db_contents(demo_path)
    with pytest.raises(BadInputError) as caught:
        do_import(demo, workbook)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, 3, header)
    assert needle in problem.message and "returned.xlsx" in caught.value.message
    assert db_contents(demo_path) == before


def test_two_rows_with_one_number_at_one_meeting_are_refused(demo, workbook):
    ws = openpyxl.load_workbook(workbook)["Actions"]
    c = columns(ws)
    second = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, c["Meeting id"]).value == ws.cell(2, c["Meeting id"]).value)
    edit(workbook, set_cells("Actions", second, {"No.": ws.cell(2, c["No."]).value}))
    with pytest.raises(BadInputError, match="already used at that meeting"):
        do_import(demo, workbook)


def test_a_dry_run_reports_the_same_and_changes_nothing(demo, demo_path, workbook):
    action = R.tracker(demo, today=TODAY)[0]
    edit(workbook, set_cells("Actions", row_of(workbook, action.uid), {"Owner": "Someone New"}))
    before = db_contents(demo_path)
    dry = do_import(demo, workbook, dry_run=True)
    assert db_contents(demo_path) == before and "dry run" in dry.summary()
    real = do_import(demo, workbook)
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged) == (
        0, 1, len(dump_actions(demo)) - 1)


@pytest.mark.parametrize("content, needle", [
    (b"", "empty"), (b"owner,status\nKevin,open\n", "not an Excel .xlsx workbook"),
    (b"PK\x03\x04broken", "damaged"),
])
def test_a_file_that_is_not_a_workbook_is_refused(demo, tmp_path, content, needle):
    bad = tmp_path / "log.xlsx"
    bad.write_bytes(content)
    with pytest.raises(BadInputError, match=needle):
        do_import(demo, bad)


def test_a_workbook_without_an_actions_sheet_is_refused(demo, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Plan"
    wb.save(tmp_path / "plan.xlsx")
    with pytest.raises(BadInputError, match="no sheet named 'Actions'"):
        do_import(demo, tmp_path / "plan.xlsx")


# -- the command line, in a real process ----------------------------------------------------------

def cli(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "send_desktop", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=180)


@pytest.mark.slow
def test_the_command_line_exports_imports_and_dumps(demo, demo_path, tmp_path):
    expected = dump_actions(demo)
    meetings_count = len(R.list_meetings(demo))
    demo.close()  # the processes below open the file themselves
    out = tmp_path / "actions.xlsx"
    done = cli("export", demo_path, out, "--kind", "actions")
    assert done.returncode == 0 and out.exists() and "actions.xlsx" in done.stdout
    done = cli("import", demo_path, out, "--kind", "actions", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert list(report) == ["kind", "created", "updated", "unchanged", "conflicts", "errors", "warnings"]
    assert (report["kind"], report["created"], report["updated"], report["unchanged"]) == ("actions", 0, 0,
                                                                                          len(expected))
    done = cli("dump", demo_path, "--kind", "actions")
    assert done.returncode == 0 and json.loads(done.stdout) == expected
    done = cli("dump", demo_path, "--kind", "meetings")
    meetings = json.loads(done.stdout)
    assert done.returncode == 0 and len(meetings) == meetings_count and "attendance" in meetings[0]

    edit(out, set_cells("Actions", 2, {"Status": "Finished"}))
    done = cli("import", demo_path, out, "--kind", "actions")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "sheet 'Actions', row 2, column 'Status'" in done.stderr and "'Finished'" in done.stderr
