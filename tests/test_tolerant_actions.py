"""Officers' own action logs: a board's log built with openpyxl, read into meetings and actions.

The log has a title naming the board and a note above the header, meeting dates as Excel dates
and as text, due dates as "31/07/2025", "Sept 2025" and Excel dates, numbers written "A2" and
"2.1", statuses as synonyms ("Complete", "On track", "Overdue", "Not started") or only as a green
fill, a merged banner between two meetings, a hidden row, an owner spelt two ways.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.meeting_dump import dump_actions, dump_meetings
from send_desktop.storage.database import open_database
from send_desktop.xlsx.action_log_foreign import is_foreign, number_of, status_of
from send_desktop.xlsx.action_log_xlsx import export_actions, import_actions
from send_desktop.xlsx.detect import detect_kind
from tests.helpers import db_contents

TODAY = dt.date(2025, 10, 1)
SHEET = "Actions 2025"
GREEN = PatternFill("solid", fgColor="FF92D050")
HEADER = ["No.", "Date raised", "Action", "Action owner", "Due date", "Status", "Latest update"]


def action_log(path: Path, change=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["SEND Partnership Board \u2014 action log"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Open actions are reviewed at the start of each meeting"])
    ws.append([])
    ws.append(HEADER)                                                                                  # row 4
    ws.append([1, dt.datetime(2025, 6, 12), "Circulate the draft SEND strategy to partners", "Sam Okafor",
               "31/07/2025", "Complete", "Sent to partners on 20 June"])                              # row 5
    ws.append(["A2", "12/06/2025", "Report EHCP timeliness at each meeting", "sam okafor", "Sept 2025",
               "On track", ""])                                                                        # row 6
    ws.append([3, dt.datetime(2025, 6, 12), "Agree the Local Offer refresh", "Dee Patel", dt.datetime(2025, 9, 30),
               None, "TBC"])                                                                           # row 7
    ws["F7"].fill = GREEN
    ws.append(["Actions from the meeting on 10 July 2025"])                                            # row 8
    ws.merge_cells("A8:G8")
    ws.append([1, "10/07/2025", "Invite the parent carer forum to present", "Dee Patel", "Oct 2025", "Overdue",
               "Date being arranged"])                                                                 # row 9
    ws.append([2, "10/07/2025", "Check the transport appeals backlog", "Finance Lead", "", "Open", ""])  # row 10
    ws.row_dimensions[10].hidden = True
    ws.append(["2.1", "10/07/2025", "Write to schools about the graduated approach", "Head of Inclusion", "",
               "Not started", ""])                                                                     # row 11
    if change:
        change(ws)
    wb.save(path)
    return path


@pytest.fixture
def log_db(tmp_path):
    database = open_database(tmp_path / "log.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def do_import(db, path, **kw):
    return run_steps(import_actions(db, path, today=TODAY, source=f"import {Path(path).name}", **kw))


def find(warnings, text):
    found = [w for w in warnings if text in w["message"]]
    assert found, f"no warning with {text!r} in {[w['message'] for w in warnings]}"
    return found[0]


def test_statuses_and_numbers_as_officers_write_them():
    assert [status_of(s, None) for s in ("Complete", "On track", "Overdue", "Not started", "Closed - done",
                                         "Withdrawn", "", "Sleeping")] == [
        "closed", "in progress", "open", "open", "closed", "superseded", "", "Sleeping"]
    assert status_of(None, "#92d050") == "closed" and status_of("", "#ffc000") == "in progress"
    assert [number_of(v) for v in (1, 2.0, "A2", "12.", "Action 12", "2.1", "", None)] == [
        "1", "2", "2", "12", "12", "", "", ""]


def test_a_boards_action_log_is_read_dry_run_then_imported(log_db, tmp_path):
    path = action_log(tmp_path / "log.xlsx")
    assert is_foreign(path) and detect_kind(path) == "actions"
    before = db_contents(log_db.path)
    dry = do_import(log_db, path, dry_run=True)
    assert dry.created == 6 and dry.as_dict()["errors"] == []
    assert db_contents(log_db.path) == before

    report = do_import(log_db, path)
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    meetings = dump_meetings(log_db)
    assert [(m["board"], m["starts_at"][:10]) for m in meetings] == [
        ("SEND Partnership Board", "2025-06-12"), ("SEND Partnership Board", "2025-07-10")]
    actions = dump_actions(log_db)
    assert [(a["meeting_date"], a["number"], a["owner"], a["due"], a["status"]) for a in actions] == [
        ("2025-06-12", 1, "Sam Okafor", "2025-07-31", "closed"),
        ("2025-06-12", 2, "Sam Okafor", "2025-09-30", "in progress"),
        ("2025-06-12", 3, "Dee Patel", "2025-09-30", "closed"),      # the green fill
        ("2025-07-10", 1, "Dee Patel", "2025-10-31", "open"),
        ("2025-07-10", 2, "Finance Lead", None, "open"),
        ("2025-07-10", 3, "Head of Inclusion", None, "open")]        # "2.1": the meeting's next number
    assert [u["text"] for u in actions[0]["updates"]] == ["Sent to partners on 20 June"]
    assert actions[2]["updates"] == []  # "TBC" is no update

    w = report.as_dict()["warnings"]
    assert find(w, "there is no board called SEND Partnership Board")
    assert find(w, "not an action, so not imported: 'Actions from the meeting on 10 July 2025'")["row"] == 8
    assert find(w, "the owner names 'Sam Okafor', 'sam okafor'")["column"] == "Action owner"
    unnumbered = find(w, "references that are not a number")
    assert "'2.1' (row 11)" in unnumbered["message"] and unnumbered["column"] == "No."
    assert find(w, "hidden row")["row"] == 10

    again = do_import(log_db, path)  # the same file again changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert dump_actions(log_db) == actions


def test_a_later_copy_of_the_log_updates_the_actions_it_matches(log_db, tmp_path):
    do_import(log_db, action_log(tmp_path / "log.xlsx"))

    def later(ws):
        ws["F6"] = "Completed"
        ws["G9"] = "Forum presenting in November"
        ws.append([4, "10/07/2025", "Publish the annual SEND report", "Sam Okafor", "31/12/2025", "Open", ""])

    report = do_import(log_db, action_log(tmp_path / "later.xlsx", later))
    assert (report.created, report.updated, report.unchanged) == (1, 2, 4)
    actions = {(a["meeting_date"], a["number"]): a for a in dump_actions(log_db)}
    assert actions[("2025-06-12", 2)]["status"] == "closed"
    assert [u["text"] for u in actions[("2025-07-10", 1)]["updates"]] == [
        "Date being arranged", "Forum presenting in November"]
    assert actions[("2025-07-10", 4)]["text"] == "Publish the annual SEND report"


@pytest.mark.parametrize("change, row, column, needle", [
    (lambda ws: ws.__setitem__("E6", "31/02/2025"), 6, "Due date", "'31/02/2025' is not a real date"),
    (lambda ws: ws.__setitem__("F9", "Sleeping"), 9, "Status", "'Sleeping' is not a status"),
    (lambda ws: ws.__setitem__("B10", "someday"), 10, "Date raised", "'someday' is not a date"),
])
def test_a_wrong_value_refuses_the_file_naming_the_cell(log_db, tmp_path, change, row, column, needle):
    do_import(log_db, action_log(tmp_path / "log.xlsx"))
    before = db_contents(log_db.path)
    with pytest.raises(BadInputError) as caught:
        do_import(log_db, action_log(tmp_path / "bad.xlsx", change))
    found = [p for p in caught.value.problems if needle in p.message]
    assert found, [p.message for p in caught.value.problems]
    assert (found[0].sheet, found[0].row, found[0].column) == (SHEET, row, column)
    assert db_contents(log_db.path) == before


def test_our_own_export_still_goes_through_the_exact_layout(log_db, tmp_path):
    do_import(log_db, action_log(tmp_path / "log.xlsx"))
    out = run_steps(export_actions(log_db, tmp_path / "export.xlsx"))
    assert not is_foreign(out)
    report = do_import(log_db, out)
    assert (report.created, report.updated) == (0, 0)


def test_the_command_line_takes_a_mapping_for_these_kinds_and_refuses_it_for_others(log_db, tmp_path, capsys):
    import json

    from send_desktop.cli import main

    path = action_log(tmp_path / "log.xlsx")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Date raised": "meeting_date", "Latest update": "update"}))
    log_db.close()
    db = str(tmp_path / "log.sqlite")
    assert main(["import", db, str(path), "--mapping", str(mapping), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["created"], out["errors"]) == ("actions", 6, [])
    assert main(["import", db, str(path), "--kind", "framework", "--mapping", str(mapping)]) != 0
    assert "--mapping is not read for --kind framework, only for plan, risks, kpis, actions, audits, caseload" \
        in capsys.readouterr().err
