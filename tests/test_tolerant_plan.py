"""Officers' own plan trackers: workbooks laid out as councils lay them out, read into the plan.

Each workbook is built with openpyxl the way a council's tracker looks: a title and a key above
the header, merged banner rows for priorities and outcomes, the header repeated under an
outcome, statuses as synonyms or only as a fill colour, dates typed as text, a repeated
reference, a formula never calculated, a hidden row and a hidden sheet, one workstream spelt
three ways. The outcome is checked in the database and in the report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from tests.helpers import db_contents

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.services.plan_dump import dump_plan
from send_desktop.storage.database import open_database
from send_desktop.xlsx.plan_export import export_plan
from send_desktop.xlsx.plan_foreign import is_foreign, preview_plan
from send_desktop.xlsx.plan_import import import_plan

TODAY = dt.date(2025, 10, 1)
RED = PatternFill("solid", fgColor="FFFF0000")
HEADER = ["Ref.", "Actions \u2013 what we will do", "Workstream and lead officers", "Lead officer", "Timescale",
          "RAG", "Success criteria / Key results", "Progress update"]


def council_tracker(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PAP 2025"
    ws.append(["Harbourside Local Area SEND Priority Action Plan \u2014 progress tracker"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Key: Red = delayed; Amber = on track; Green = completed"])
    ws.append([])
    ws.append(HEADER)                                                                   # row 4
    ws.append(["1. Leaders across the partnership should strengthen joint oversight of SEND services"])
    ws.merge_cells("A5:H5")
    ws.append(["1.1", "Outcome: Partners share one view of performance data"])           # row 6
    ws.append(["1.1.1", "Set up a monthly performance group", "Leadership and partnership", "Sam Okafor",
               "Sept 2025", "On track", "Terms of reference agreed\nFirst meeting held", "Group has met twice"])
    ws.append(["1.1.2", "Publish a shared data dashboard", "Leadership & Partnership", "sam okafor; Dee Patel",
               "Feb 26", None, "<p>Dashboard live</p><p>Used at every board</p>", ""])     # row 8
    ws["F8"].fill = RED
    ws.append(["1.1.3", "Agree a data sharing protocol", "leadership and partnership", "TBC", "31/07/2025",
               "Completed", "Protocol drafted", ""])                                     # row 9, hidden
    ws.row_dimensions[9].hidden = True
    ws.append([None, None, None, None, None, None, "Protocol signed by every partner"])   # row 10
    ws.append(["2. Leaders should make EHC plans timely and good"])                       # row 11
    ws.merge_cells("A11:H11")
    ws.append(["2.1 Outcome: Families receive their plan within 20 weeks"])               # row 12
    ws.merge_cells("A12:H12")
    ws.append(HEADER)                                                                     # row 13 repeated
    ws.append(["2.1.1", "Recruit more caseworkers", "EHCP's / Annual Reviews", "Dee Patel", dt.date(2026, 3, 31),
               "Delayed", "\u2022 Posts filled \u2022 Backlog falls", "Adverts out"])    # row 14
    ws.append(["2.1.2", "Weekly timeliness report", "EHCPs / Annual Reviews", "", "Ongoing", "Amber",
               "Report goes out weekly", ""])                                              # row 15
    ws.append(["2.1.2", "Track requests for advice", "EHCP/Annual Review", "N/A", "March", "Green",
               "Advice returned in 6 weeks", ""])                                          # row 16: same ref
    ws.append(["2.1.3", "Audit a sample of new plans", "EHCPs / Annual Reviews", "Dee Patel", "=DATE(2025,12,31)",
               "Amber", "Audit report", ""])                                               # row 17: formula
    hidden = wb.create_sheet("Lookups")
    hidden.append(["Workstream"])
    hidden.append(["ND Pathway"])
    hidden.sheet_state = "hidden"
    notes = wb.create_sheet("Notes")
    notes.append(["Please send updates to the partnership manager by the 20th of each month."])
    wb.save(path)
    return path


@pytest.fixture
def no_plan_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def do_import(db, path, **kw):
    return run_steps(import_plan(db, path, today=TODAY, source=f"import {Path(path).name}", **kw))


def by_ref(dumped):
    out = {}
    for a in dumped["actions"]:
        out.setdefault(a["ref"], []).append(a)
    return out


def warnings_of(report):
    return report.as_dict()["warnings"]


def find(warnings, text):
    found = [w for w in warnings if text in w["message"]]
    assert found, f"no warning with {text!r} in {[w['message'] for w in warnings]}"
    return found[0]


def test_a_council_tracker_becomes_a_new_plan(no_plan_db, tmp_path):
    path = council_tracker(tmp_path / "tracker.xlsx")
    assert is_foreign(path)
    report = do_import(no_plan_db, path)

    assert report.as_dict()["errors"] == []
    assert report.created == 7 and report.updated == 0
    d = dump_plan(no_plan_db)
    assert d["scale"]["name"] == "Priority Action Plan (3 levels)"
    assert [(p["ref"], p["statement"]) for p in d["priorities"]] == [
        ("1", "Leaders across the partnership should strengthen joint oversight of SEND services"),
        ("2", "Leaders should make EHC plans timely and good")]
    assert [(o["ref"], o["text"]) for o in d["outcomes"]] == [
        ("1.1", "Partners share one view of performance data"),
        ("2.1", "Families receive their plan within 20 weeks")]
    acts = by_ref(d)
    assert list(acts) == ["1.1.1", "1.1.2", "1.1.3", "2.1.1", "2.1.2", "2.1.3"]
    assert len(acts["2.1.2"]) == 2  # the repeated ref is kept, twice
    one = lambda ref: acts[ref][0]  # noqa: E731
    # statuses: a synonym, a fill colour only, "Completed" meaning Green, a label
    assert [one(r)["status"] for r in ("1.1.1", "1.1.2", "1.1.3", "2.1.1")] == ["Amber", "Red", "Green", "Red"]
    assert [a["status"] for a in acts["2.1.2"]] == ["Amber", "Green"]
    # dates typed as text, a real date, a month name, and a formula never calculated
    assert one("1.1.1")["due"] == "2025-09-30" and one("1.1.2")["due"] == "2026-02-28"
    assert one("1.1.3")["due"] == "2025-07-31" and one("2.1.1")["due"] == "2026-03-31"
    assert acts["2.1.2"][0]["due"] is None and acts["2.1.2"][1]["due"] == "2026-03-31"
    assert one("2.1.3")["timescale"] == "" and one("2.1.3")["due"] is None
    # one workstream spelt three ways, one person spelt two ways; TBC and N/A are no lead
    workstreams = {a["workstream"] for a in d["actions"]}
    assert workstreams == {"Leadership and partnership", "EHCPs / Annual Reviews"}
    assert one("1.1.2")["leads"] == ["Sam Okafor", "Dee Patel"]
    assert one("1.1.3")["leads"] == [] and acts["2.1.2"][1]["leads"] == []
    # multi-line cells and a continuation row become lists
    assert one("1.1.1")["success_criteria"] == ["Terms of reference agreed", "First meeting held"]
    assert one("1.1.2")["success_criteria"] == ["Dashboard live", "Used at every board"]
    assert one("1.1.3")["success_criteria"] == ["Protocol drafted", "Protocol signed by every partner"]
    assert one("2.1.1")["success_criteria"] == ["Posts filled", "Backlog falls"]

    w = warnings_of(report)
    merged = find(w, "'EHCP/Annual Review'")
    assert merged["message"].startswith("the workstream names") and "'EHCP's / Annual Reviews'" in merged["message"]
    assert "taken as one workstream: 'EHCPs / Annual Reviews'" in merged["message"]
    assert (merged["sheet"], merged["column"]) == ("PAP 2025", "Workstream and lead officers")
    assert find(w, "person names")["message"].count("'") == 6
    dup = find(w, "the ref 2.1.2 is on 2 rows")
    assert (dup["sheet"], dup["row"], dup["column"]) == ("PAP 2025", 15, "Ref.")
    hidden_row = find(w, "hidden row")
    assert (hidden_row["sheet"], hidden_row["row"]) == ("PAP 2025", 9)
    assert find(w, "the sheet is hidden")["sheet"] == "Lookups"
    formula = find(w, "formula with no saved value")
    assert (formula["sheet"], formula["row"], formula["column"]) == ("PAP 2025", 17, "Timescale")
    assert find(w, "no header row")["sheet"] == "Notes"
    assert "Priority Action Plan (3 levels)" in find(w, "rating scale")["message"]

    with no_plan_db.reading() as con:
        sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM change_log")}
    assert sources == {"import tracker.xlsx"}


def test_a_dry_run_changes_nothing_and_reports_the_same(no_plan_db, tmp_path):
    path = council_tracker(tmp_path / "tracker.xlsx")
    before = no_plan_db.path.read_bytes()
    dry = do_import(no_plan_db, path, dry_run=True)
    assert no_plan_db.path.read_bytes() == before
    with no_plan_db.reading() as con:
        assert con.execute("SELECT count(*) FROM action").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM meta WHERE key LIKE 'column-mapping:%'").fetchone()[0] == 0
    real = do_import(no_plan_db, path)
    assert dry.as_dict() == real.as_dict()


def improvement_plan_tracker(path: Path) -> Path:
    """Codes n/s, R, A, G, C and a key sheet: the five-level Improvement Plan scale."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action Plan"
    ws.append(["SEND Improvement Plan 2019-2021"])
    ws.append(["Action", "Due", "Lead", "Ref", "Status"])
    ws.append(["Priority 1: Plan for and meet the needs of children"])
    ws.append(["Review how specialist teachers are deployed", "September 2020", "Head of Inclusion", "1.1.1", "n/s"])
    ws.append(["Train health champions", "April 2019", "Health Lead", "1.1.2", "C"])
    ws.append(["Map local resources with partners", "May 2019", "Head of Inclusion", "1.1.3", "G"])
    ws.append(["Grow the education skills base", "September 2019", "Head of Inclusion", "1.2.1", "A"])
    ws.append(["Build the workforce programme", "December 2019", "Health Lead", "1.2.2", "R"])
    key = wb.create_sheet("Key")
    for row in (["Rating", "Status"], ["GREY (n/s)", "Not started"], ["RED (R)", "Delayed and at risk"],
                ["AMBER (A)", "Underway"], ["GREEN (G)", "Will meet the deadline"], ["BLUE (C)", "Signed off"]):
        key.append(row)
    wb.save(path)
    return path


def test_codes_and_a_key_sheet_bring_the_five_level_scale(no_plan_db, tmp_path):
    report = do_import(no_plan_db, improvement_plan_tracker(tmp_path / "ip.xlsx"))
    d = dump_plan(no_plan_db)
    assert [lv["code"] for lv in d["scale"]["levels"]] == ["n/s", "R", "A", "G", "C"]
    assert [a["status"] for a in d["actions"]] == ["Not started", "Completed", "Green", "Amber", "Red"]
    assert len({a["status"] for a in d["actions"]}) == 5  # distinct in the workbook, distinct in the plan
    assert [a["leads"] for a in d["actions"]][0] == ["Head of Inclusion"]
    assert d["priorities"][0]["ref"] == "1" and d["outcomes"][1]["ref"] == "1.2"
    assert report.created == 5


def test_statuses_no_preset_holds_stay_distinct(no_plan_db, tmp_path):
    path = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Progress status"])
    for ref, status in (("1.1.1", "Exploring"), ("1.1.2", "Piloting"), ("1.1.3", "Embedded"), ("1.1.4", "Piloting")):
        ws.append([ref, f"Work item {ref}", status])
    wb.save(path)
    do_import(no_plan_db, path)
    d = dump_plan(no_plan_db)
    assert [lv["label"] for lv in d["scale"]["levels"]] == ["Exploring", "Piloting", "Embedded"]
    assert [a["status"] for a in d["actions"]] == ["Exploring", "Piloting", "Embedded", "Piloting"]


def test_an_officers_tracker_updates_the_plan_matched_by_reference(demo_db, tmp_path):
    before = by_ref(dump_plan(demo_db))
    path = tmp_path / "returned.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Board tracker, October"])
    ws.append(["Action No.", "Action", "RAG status", "Deadline"])
    a111, a112 = before["1.1.1"][0], before["1.1.2"][0]
    ws.append(["1.1.1", a111["action"], a111["status"], a111["timescale"]])                 # unchanged
    ws.append(["1.1.2", a112["action"], "Delayed" if a112["status"] != "Red" else "On track", "Dec 2026"])
    ws.append(["9.9.9", "A brand new action for a new priority", "Amber", "June 2026"])
    wb.save(path)

    report = do_import(demo_db, path)
    assert report.as_dict()["errors"] == []
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    after = by_ref(dump_plan(demo_db))
    assert after["1.1.2"][0]["status"] == ("Red" if a112["status"] != "Red" else "Amber")
    assert after["1.1.2"][0]["timescale"] == "Dec 2026" and after["1.1.2"][0]["due"] == "2026-12-31"
    # what the tracker has no column for keeps the plan's value
    for ref in ("1.1.1", "1.1.2"):
        assert after[ref][0]["leads"] == before[ref][0]["leads"]
        assert after[ref][0]["workstream"] == before[ref][0]["workstream"]
        assert after[ref][0]["success_criteria"] == before[ref][0]["success_criteria"]
    assert after["9.9.9"][0]["status"] == "Amber"
    assert after["1.1.1"][0]["updates"] == before["1.1.1"][0]["updates"]


def one_sheet(path: Path, title: str, rows: list) -> Path:
    """A workbook of one sheet named `title` holding `rows`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_mapping_assigns_unknown_columns_and_is_offered_next_time(db, tmp_path):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Item", "What", "Whose", "Colour"])
    ws.append(["3.1.1", "Run parent workshops", "Forum chair", "Green"])
    ws.append(["3.1.2", "Publish the local offer", "Comms lead", "Amber"])
    wb.save(path)

    first = preview_plan(path, db)
    assert first.sheets == []  # nothing the vocabulary knows: the user must map the columns
    with pytest.raises(BadInputError):
        do_import(db, path, dry_run=True)
    ws["E1"] = "Internal code"
    ws["E2"] = "X1"
    wb.save(path)
    mapping = {"Item": "ref", "What": "text", "Whose": "leads", "Colour": "status", "Internal code": "ignore"}
    given = preview_plan(path, db, mapping=mapping)
    sheet = given.sheets[0]
    assert sheet.header_row == 1 and sheet.mapping.source == "given"
    assert sheet.rows[0] == ["3.1.1", "Run parent workshops", "Forum chair", "Green", "X1"]
    report = do_import(db, path, mapping=mapping)
    assert report.created == 2
    assert not [w for w in warnings_of(report) if "columns not imported" in w["message"]]

    again = preview_plan(path, db)
    assert again.sheets[0].remembered
    assert again.sheets[0].mapping.fields == mapping
    # and the remembered mapping is used without being given
    path2 = tmp_path / "odd2.xlsx"
    ws["A3"] = "3.1.3"
    ws["B3"] = "Hold a transitions fair"  # a new action (the same wording under a new ref is a renumbering)
    wb.save(path2)
    second = do_import(db, path2)
    assert second.created == 1
    assert not [w for w in warnings_of(second) if "columns not imported" in w["message"]]
    acts = by_ref(dump_plan(db))
    assert acts["3.1.3"][0]["leads"] == ["Comms lead"] and acts["3.1.3"][0]["status"] == "Amber"


def test_cli_import_with_a_mapping_file(db_path, db, tmp_path, capsys):
    path = tmp_path / "cli.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Item", "What", "Colour"])
    ws.append(["4.1.1", "Hold a transitions fair", "Red"])
    wb.save(path)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Item": "ref", "What": "text", "Colour": "status"}))
    db.close()
    assert main(["import", str(db_path), str(path), "--kind", "plan", "--dry-run", "--json",
                 "--mapping", str(mapping)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "plan" and out["created"] == 1 and out["errors"] == []


def test_the_apps_own_export_still_round_trips(demo_db, tmp_path):
    path = tmp_path / "own.xlsx"
    run_steps(export_plan(demo_db, path))
    assert not is_foreign(path)
    report = do_import(demo_db, path)
    assert report.created == 0 and report.updated == 0


def test_bulk_inserts_log_what_the_orm_logs(tmp_path, monkeypatch):
    """New actions and updates past `plan_apply.BULK` go in one statement each; the database and
    the change log must be as the ORM path leaves them."""
    from send_desktop.xlsx import plan_apply

    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Action", "Lead", "RAG", "Timescale"])
    for i in range(1, 301):
        ws.append([f"1.{i % 3 + 1}.{i}", f"Step {i}", "Ann Lee; Bo Chan" if i % 2 else "Bo Chan",
                   ("Red", "Amber", "Green")[i % 3], "Sept 2025"])
    wb.save(path)

    def run(bulk: int, name: str, keep: bool = False):
        monkeypatch.setattr(plan_apply, "BULK", bulk)
        monkeypatch.setattr(plan_apply, "CHUNK", 7)  # many statements of a few records each
        database = open_database(tmp_path / name, create=True, user="Test Auditor")
        do_import(database, path)
        dumped = dump_plan(database)
        with database.reading() as con:
            log = con.execute("SELECT op, entity, entity_id, field, old, new, source, batch_id IS NOT NULL, "
                              "at IS NOT NULL, user FROM change_log ORDER BY entity, entity_id, field").fetchall()
            leads = con.execute("SELECT * FROM action_lead ORDER BY action_id, position").fetchall()
        if not keep:
            database.close()
        uid = re.compile(r'"uid": "[0-9a-f]{32}"')
        return dumped, [tuple(uid.sub('"uid": "*"', v) if isinstance(v, str) else v for v in r) for r in log], \
            leads, database

    orm = run(10**9, "orm.sqlite")
    bulk = run(10, "bulk.sqlite", keep=True)
    assert bulk[0] == orm[0] and bulk[2] == orm[2]
    assert [r for r in bulk[1] if r[1] != "change_log"] == [r for r in orm[1] if r[1] != "change_log"]
    assert any(r[1] == "action" and '"leads": ["Ann Lee", "Bo Chan"]' in r[5] for r in bulk[1])
    assert {r[-3:] for r in bulk[1]} == {(1, 1, "Test Auditor")}  # every row: the import's batch, when, who
    # the import, written in bulk, is undone as a whole like any other
    database = bulk[3]
    (batch,) = imports(database)
    assert batch["counts"]["created"] == 300
    undo_import(database, batch["id"])
    with database.reading() as con:  # the plan, its scale, actions, leads and updates: all gone again
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
            "plan", "rating_scale", "action", "action_lead", "status_update", "person")] == [0] * 6
    database.close()


def test_a_long_import_reports_progress_in_every_phase_and_a_cancel_in_any_changes_nothing(tmp_path,
                                                                                          monkeypatch):
    """Progress while the rows are read, checked and written (every few rows here, every 5,000 in
    use), each a point where a cancel is taken: it rolls back everything."""
    from send_desktop.errors import Cancelled
    from send_desktop.xlsx import plan_apply, plan_foreign_read, plan_rows

    monkeypatch.setattr(plan_foreign_read, "PROGRESS_ROWS", 50)
    monkeypatch.setattr(plan_rows, "PROGRESS_ROWS", 50)
    monkeypatch.setattr(plan_apply, "BULK", 10)
    monkeypatch.setattr(plan_apply, "CHUNK", 60)
    path = tmp_path / "long.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Council tracker"])
    ws.append(["Ref", "Action", "Lead", "RAG", "Timescale"])
    for i in range(1, 401):
        ws.append([f"1.{i % 4 + 1}.{i}", f"Step {i}", "Ann Lee", ("Red", "Amber", "Green")[i % 3], "Sept 2025"])
    wb.save(path)
    database = open_database(tmp_path / "long.sqlite", create=True, user="Test Auditor")
    before = db_contents(database.path)
    seen = []
    report = run_steps(import_plan(database, path, today=TODAY, dry_run=True), seen.append)
    assert report.created == 400
    for phase in ("Reading sheet 'Sheet'", "Checking the workbook against the plan", "Writing actions",
                  "Writing status changes"):
        counts = [p.done for p in seen if p.message == phase]
        assert len(counts) >= 3 and counts == sorted(counts) and counts[-1] > 0, (phase, counts)
        assert all(p.total >= p.done for p in seen if p.message == phase)
    for phase in ("Reading sheet 'Sheet'", "Checking the workbook against the plan", "Writing status changes"):
        calls = []

        def cancel(phase=phase, calls=calls):
            calls.append(1)
            return bool(seen_now) and seen_now[-1].message == phase and seen_now[-1].done > 0

        seen_now: list = []
        with pytest.raises(Cancelled):
            run_steps(import_plan(database, path, today=TODAY), seen_now.append, cancel)
        assert seen_now[-1].message == phase
        assert db_contents(database.path) == before
    database.close()


def test_a_status_the_scale_lacks_refuses_the_file_naming_the_workbooks_cell(demo_db, tmp_path):
    path = tmp_path / "odd-status.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "October"
    ws.append(["Board tracker"])
    ws.append(["Ref", "Action", "RAG status"])
    ws.append(["1.1.1", "Keep going", "Sideways"])
    wb.save(path)
    before = dump_plan(demo_db)
    with pytest.raises(BadInputError) as caught:
        do_import(demo_db, path, dry_run=True)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("October", 3, "RAG status")
    assert "'Sideways' is not a level" in problem.message
    assert dump_plan(demo_db) == before


def test_a_flat_tracker_with_priority_and_outcome_columns(no_plan_db, tmp_path):
    path = tmp_path / "flat.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Priority", "Outcome ref", "Outcome", "Action ref", "Action", "Owner", "Due date", "Status"])
    ws.append(["Improve transitions", "5.1", "Young people plan their next step early", "5.1.1",
               "Start transition reviews at 14", "Kim Hale", "31/01/2026", "not started"])
    ws.append(["Improve transitions", "5.1", "Young people plan their next step early", "5.1.2",
               "Publish a preparing-for-adulthood guide", "Kim Hale", "Summer term 2026", "C"])
    wb.save(path)
    report = do_import(no_plan_db, path)
    assert report.created == 2
    d = dump_plan(no_plan_db)
    assert [p["ref"] for p in d["priorities"]] == ["5"]
    assert [(o["ref"], o["text"]) for o in d["outcomes"]] == [("5.1", "Young people plan their next step early")]
    assert [(a["ref"], a["leads"], a["due"], a["status"]) for a in d["actions"]] == [
        ("5.1.1", ["Kim Hale"], "2026-01-31", "Not started"), ("5.1.2", ["Kim Hale"], "2026-07-31", "Completed")]


def test_a_tracker_row_with_a_ref_and_no_action_is_left_out_and_reported(no_plan_db, tmp_path):
    path = one_sheet(tmp_path / "gaps.xlsx", "Tracker", [
        ["Ref", "Action", "RAG", "Timescale"],
        ["1.1.1", "Hold the first review", "Green", "Sept 2025"],
        ["1.1.2", None, "Amber", "Feb 26"],                 # a ref and a status, no action
        ["1.1.3", "Publish the results", "Red", "March 2026"]])
    report = do_import(no_plan_db, path)
    assert report.created == 2
    assert sorted(a["ref"] for a in dump_plan(no_plan_db)["actions"]) == ["1.1.1", "1.1.3"]
    w = find(warnings_of(report), "a reference but no action")
    assert (w["sheet"], w["row"], w["column"]) == ("Tracker", 3, "Action")
