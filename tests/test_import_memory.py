"""What keeps a large tracker import's memory down must not change what it reports.

An officer's tracker import lets its rows go as they are resolved, keeps each row's place
(sheet, Excel row) as a bit per row (`plan_foreign_read.RowPlaces`), lets go of written records
chunk by chunk, and gives back its caches when it ends. These tests read real workbooks (written
with openpyxl) into a real SQLite file and check the places, the warnings and the records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from send_desktop.core import refs
from send_desktop.core.progress import run_steps
from send_desktop.services.plan_dump import dump_plan
from send_desktop.storage.database import open_database
from send_desktop.xlsx.plan_foreign_read import ROW_BLOCK, RowPlaces, read_foreign
from send_desktop.xlsx.plan_import import import_plan

TODAY = dt.date(2025, 10, 1)
HEADER = ["Ref", "Action", "Lead officer", "RAG", "Success criteria", "Progress update"]


def test_row_places_give_what_a_dict_of_them_gave():
    places = RowPlaces()
    places[7] = ("PAP", 7)
    places[2_000] = ("PAP", 2_000)
    places[ROW_BLOCK + 5] = ("Second", 5)
    assert places[7] == ("PAP", 7) and places[2_000] == ("PAP", 2_000)
    assert places[ROW_BLOCK + 5] == ("Second", 5)
    assert 7 in places and ROW_BLOCK + 5 in places and len(places) == 3
    for absent in (8, 1_999, ROW_BLOCK + 7, 3 * ROW_BLOCK + 1, -1, None, "7"):
        assert absent not in places
    with pytest.raises(KeyError):
        places[8]


def two_sheet_tracker(path: Path) -> Path:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "North"
    first.append(["North locality tracker"])
    first.append(HEADER)                                                                   # row 2
    first.append(["1. Leaders share one view of performance"])                             # row 3
    first.merge_cells("A3:F3")
    first.append(["1.1", "Outcome: partners see the same data"])                           # row 4
    first.append(["1.1.1", "Set up a performance group", "Sam Okafor", "Green", "Group meets", "Met twice"])
    first.append(["1.1.2", "Publish a dashboard", "Dee Patel", "Amber", "Dashboard live", ""])  # row 6
    second = wb.create_sheet("South")
    second.append(HEADER)                                                                  # row 1
    second.append(["1. Leaders share one view of performance"])
    second.append(["1.1", "Outcome: partners see the same data"])
    second.append(["1.1.2", "Agree a data protocol", "Dee Patel", "Red", "Protocol signed", "Drafted"])  # row 4
    second.append([None, "Ask each school for its data", "Dee Patel"])                     # row 5: no ref
    wb.save(path)
    return path


@pytest.fixture
def empty_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Officer")
    yield database
    database.close()


def test_rows_on_two_sheets_keep_their_places_through_the_import(empty_db, tmp_path):
    path = two_sheet_tracker(tmp_path / "localities.xlsx")
    fp = run_steps(read_foreign(path, today=TODAY))
    assert [fp.where[r["_row"]] for s in fp.sheets for r in s.actions] == [
        ("North", 5), ("North", 6), ("South", 4)]

    dry = run_steps(import_plan(empty_db, path, dry_run=True, today=TODAY))
    real = run_steps(import_plan(empty_db, path, today=TODAY))
    assert refs._NORMALISED == {}  # the refs remembered for the import are let go of when it ends
    assert dry.as_dict() == real.as_dict()
    assert real.created == 3
    warnings = real.as_dict()["warnings"]
    dup = next(w for w in warnings if w["message"].startswith("the ref 1.1.2 is on 2 rows"))
    assert "sheet 'North' row 6; sheet 'South' row 4" in dup["message"]
    assert (dup["sheet"], dup["row"], dup["column"]) == ("North", 6, "Ref")
    no_ref = next(w for w in warnings if "has no reference" in w["message"])
    assert (no_ref["sheet"], no_ref["row"], no_ref["column"]) == ("South", 5, "Ref")

    d = dump_plan(empty_db)
    assert [(a["ref"], a["action"], a["status"]) for a in d["actions"]] == [
        ("1.1.1", "Set up a performance group", "Green"), ("1.1.2", "Publish a dashboard", "Amber"),
        ("1.1.2", "Agree a data protocol", "Red")]
    with empty_db.reading() as con:
        notes = [r[0] for r in con.execute("SELECT narrative FROM status_update ORDER BY id")]
        logged = con.execute("SELECT entity, count(*) FROM change_log WHERE op = 'insert' GROUP BY entity").fetchall()
    # each row's progress update goes with the status its RAG cell set, and nothing else does
    assert notes == ["Met twice\n(Status set in localities.xlsx)", "Status set to Amber in localities.xlsx",
                     "Drafted\n(Status set in localities.xlsx)"]
    assert dict(logged)["action"] == 3 and dict(logged)["status_update"] == 3
