"""Caseload lists as councils keep them, read with the shared tolerant pieces.

The list is built with openpyxl: a title and a merged banner above the header, a child's name
and a date of birth column (never imported), dates typed as text ("Sept 2025", "31/07/2025", a
month name), key stages and references typed as numbers, "TBC" and "N/A", a hidden row, a
repeated plan, a formula never calculated, a hidden sheet, and teams and settings spelt two ways.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from tests.helpers import db_contents

from send_desktop.audits.sampling import CaseloadRow
from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.caseload import caseload_rows
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.xlsx.caseload_import import CASELOAD_FIELDS, import_caseload, is_foreign, preview_caseload

TODAY = dt.date(2025, 10, 1)
HEADER = ["EHCP No.", "Pupil name", "D.O.B.", "Area team", "Key Stage (KS)", "Primary SEN need", "Setting",
          "Date issued"]
ROWS = [
    ["HB-1001", "Ada Example", dt.date(2016, 1, 2), "North Team", 3, "SEMH", "Mainstream primary", "31/07/2025"],
    ["HB-1002", "Ben Example", "02/02/2013", "north team", "Key stage 4", "ASD", "mainstream primary", "Sept 2025"],
    [1003, "Cat Example", None, "South Team", "KS2", "N/A", "Special school", "March"],             # hidden
    ["HB-1004", "Dan Example", None, "TBC", "2", "SLCN", "TBC", None],
    ["HB-1002", "Ben Example", None, "South Team", "KS4", "ASD", "Special school", "01/01/2020"],  # repeated
    ["HB-1005", "Eve Example", None, "South Team", "KS1", "MLD", "Special school", "=DATE(2025,1,1)"],
]


def caseload_list(path: Path, rows=ROWS, header=HEADER) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Open EHCPs"
    ws.append(["Harbourside open EHC plans at 1 October 2025"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Source: case management system - OFFICIAL SENSITIVE"])
    ws.merge_cells("A2:H2")
    ws.append([])
    ws.append(header)                                                   # row 4
    for row in rows:
        ws.append(list(row))
    if rows is ROWS:
        ws.row_dimensions[7].hidden = True
    hidden = wb.create_sheet("Old list")
    hidden.append(["Plan ref", "Team"])
    hidden.append(["OLD-1", "Gone"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def do_import(db, path, **kw):
    return run_steps(import_caseload(db, path, source=f"import {Path(path).name}", today=TODAY, **kw))


def find(report, text):
    found = [w for w in report.warnings if text in str(getattr(w, "message", w))]
    assert found, f"no warning with {text!r} in {[str(w) for w in report.warnings]}"
    return found[0]


def test_a_council_list_read_with_the_tolerant_pieces(db, db_path, tmp_path):
    path = caseload_list(tmp_path / "caseload.xlsx")
    before = db_contents(db_path)
    dry = do_import(db, path, dry_run=True)
    assert dry.created == 5 and db_contents(db_path) == before
    report = do_import(db, path)
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    rows = {r.plan_ref: r for r in caseload_rows(db)}
    assert rows["HB-1001"] == CaseloadRow("HB-1001", "North Team", "KS3", "SEMH", "Mainstream primary",
                                          dt.date(2025, 7, 31))
    assert rows["HB-1002"] == CaseloadRow("HB-1002", "North Team", "KS4", "ASD", "Mainstream primary",
                                          dt.date(2025, 9, 30))
    assert rows["1003"] == CaseloadRow("1003", "South Team", "KS2", None, "Special school", dt.date(2025, 3, 31))
    assert rows["HB-1004"] == CaseloadRow("HB-1004", None, "KS2", "SLCN", None, None)
    assert rows["HB-1005"].issue_date is None                    # the formula with no saved value

    sheet = "Open EHCPs"
    names = [w for w in report.warnings if "children's names" in w.message]
    assert [(w.sheet, w.row, w.column) for w in names] == [(sheet, 4, "Pupil name"), (sheet, 4, "D.O.B.")]
    assert "'North Team', 'north team'" in find(report, "taken as one team").message
    assert "'Mainstream primary', 'mainstream primary'" in find(report, "taken as one setting").message
    assert find(report, "listed twice").row == 9
    assert find(report, "hidden row").row == 7
    formula = find(report, "formula with no saved value")
    assert (formula.row, formula.column) == (10, "Date issued")
    assert find(report, "the sheet is hidden").sheet == "Old list"
    dump = "\n".join(db_contents(db_path))
    assert "Ada Example" not in dump and "2016-01-02" not in dump and "OLD-1" not in dump

    again = db_contents(db_path)
    same = do_import(db, path)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 5)
    assert db_contents(db_path) == again


def test_a_new_spelling_of_a_known_team_takes_the_databases(db, tmp_path):
    do_import(db, caseload_list(tmp_path / "a.xlsx", ROWS[:1]))
    row = list(ROWS[3])
    row[3] = "NORTH TEAM"
    report = do_import(db, caseload_list(tmp_path / "b.xlsx", [ROWS[0], row]))
    assert {r.team for r in caseload_rows(db)} == {"North Team"}
    assert "'NORTH TEAM'" in find(report, "taken as one team").message


@pytest.mark.parametrize("cell, value, column, needle", [
    (0, None, "EHCP No.", "no plan reference"),
    (0, "TBC", "EHCP No.", "no plan reference"),
    (7, "30/02/2021", "Date issued", "'30/02/2021' is not a real date"),
    (7, "soon", "Date issued", "'soon' is not a date"),
])
def test_bad_rows_refuse_the_file_naming_sheet_row_and_column(db, db_path, tmp_path, cell, value, column, needle):
    do_import(db, caseload_list(tmp_path / "good.xlsx", ROWS[:2]))
    before = db_contents(db_path)
    bad = [list(r) for r in ROWS[:2]]
    bad[1][cell] = value
    with pytest.raises(BadInputError) as caught:
        do_import(db, caseload_list(tmp_path / "bad.xlsx", bad))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Open EHCPs", 6, column)
    assert needle in problem.message
    assert db_contents(db_path) == before


def test_a_mapping_names_unknown_columns_and_is_remembered(db, tmp_path):
    header = ["Case", "Patch", "Phase", "Need", "Provision", "Finalised"]
    path = caseload_list(tmp_path / "odd.xlsx", [["C-1", "East", "KS5", "HI", "FE college", "Feb 24"]], header)
    with pytest.raises(BadInputError):
        do_import(db, path)
    mapping = {"Case": "plan_ref", "Patch": "team", "Phase": "key_stage", "Need": "primary_need",
               "Provision": "setting_type", "Finalised": "issue_date"}
    shown = preview_caseload(path, db, mapping=mapping)
    assert shown.sheets[0].header_row == 4 and shown.sheets[0].rows == [["C-1", "East", "KS5", "HI", "FE college",
                                                                         "Feb 24"]]
    report = do_import(db, path, mapping=mapping)
    assert report.created == 1 and not [w for w in report.warnings if "not imported" in w.message]
    assert caseload_rows(db)[0] == CaseloadRow("C-1", "East", "KS5", "HI", "FE college", dt.date(2024, 2, 29))
    again = preview_caseload(path, db)
    assert again.sheets[0].remembered and again.sheets[0].mapping.fields == mapping
    assert do_import(db, path).unchanged == 1
    assert set(CASELOAD_FIELDS) == set(mapping.values()) and is_foreign(path)


def test_the_preview_never_shows_childrens_names(db, tmp_path):
    shown = preview_caseload(caseload_list(tmp_path / "c.xlsx"), db).sheets[0]
    assert shown.mapping.fields["Pupil name"] == "ignore" and shown.mapping.fields["D.O.B."] == "ignore"
    assert all(r[1] == "" and r[2] == "" for r in shown.rows) and shown.rows[0][0] == "HB-1001"


def test_an_import_is_undone_as_a_whole(db, tmp_path):
    do_import(db, caseload_list(tmp_path / "c.xlsx"))
    (batch,) = imports(db)
    undo_import(db, batch["id"])
    assert caseload_rows(db) == []


def test_cli_import_with_a_mapping_and_a_dry_run(db, db_path, tmp_path, capsys):
    path = caseload_list(tmp_path / "odd.xlsx", [["C-1", "East"], ["C-2", "West"]], ["Case", "Patch"])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Case": "plan_ref", "Patch": "team"}))
    db.close()
    assert main(["import", str(db_path), str(path), "--kind", "caseload", "--mapping", str(mapping), "--dry-run",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["created"], out["errors"]) == ("caseload", 2, [])
