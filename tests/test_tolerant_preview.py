"""The Columns page's first values (`tolerant.table.preview_book`): a number Excel shows as a
percentage is shown as it is shown there ("84.7%", not 0.847).

Workbooks are real files written with openpyxl, cells given the number format '0.0%' as Excel
gives a cell formatted as a percentage.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from send_desktop.xlsx.kpi_foreign import preview as preview_kpis
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.table import guess_preview, preview
from tests.test_tolerant_kpis import scorecard


def _column(shown, header: str) -> list[str]:
    sheet = shown.sheets[0]
    c = sheet.headers.index(header)
    return [row[c] if c < len(row) else "" for row in sheet.rows]


def test_a_kpi_tables_percentage_cells_are_shown_as_percentages(tmp_path):
    path = scorecard(tmp_path / "scorecard.xlsx")  # Q1 24/25 holds 0.512 and Oct 2025 0.6, both as '0.0%'
    shown = preview_kpis(path)
    assert _column(shown, "Q1 24/25") == ["51.2%", "340", "6 weeks", ""]
    assert shown.sheets[0].rows[0][7] == "60%"  # under the header Excel holds as a date (October 2025)
    assert _column(shown, "2023/24") == ["48.2%", "312", "6.5 weeks", "14"]  # typed as text: as typed
    assert _column(shown, "Stat neighbours") == ["55.1%", "380", "", ""]  # a plain number stays a number


def _tracker(path: Path, rows: int = 6, formats: dict[int, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Local area SEND action plan"])
    ws.append(["Ref", "Action", "Lead", "Status", "Complete", "Budget spent"])
    for i in range(1, rows + 1):
        ws.append([f"1.1.{i}", f"Action number {i} for the board", "Head of SEND", "Amber", 0.847, 0.25])
        ws.cell(ws.max_row, 5).number_format = (formats or {}).get(i, "0.0%")
        ws.cell(ws.max_row, 6).number_format = "0.00"
    wb.save(path)
    return path


def test_a_percentage_in_a_trackers_column_is_shown_as_in_excel(tmp_path):
    path = _tracker(tmp_path / "tracker.xlsx", formats={2: "General", 3: "0%"})
    shown = preview("plan", path, rows=10)
    assert _column(shown, "Complete") == ["84.7%", "0.847", "84.7%", "84.7%", "84.7%", "84.7%"]
    assert _column(shown, "Budget spent") == ["0.25"] * 6  # a number format without % is not a percentage
    assert _column(shown, "Ref")[0] == "1.1.1" and _column(shown, "Status")[0] == "Amber"


def test_the_guessed_header_shows_percentages_too(tmp_path):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Item", "What", "Done so far"])
    ws.append(["3.1.1", "Run parent workshops", 0.5])
    ws["C2"].number_format = "0.0%"
    wb.save(path)
    shown = guess_preview(path, "plan", {"Item": "ref"})
    sheet = shown.sheets[0]
    assert sheet.header_row == 1 and sheet.mapping.field_for("Item") == "ref"
    assert sheet.mapping.field_for("What") is None and sheet.unassigned == []
    assert sheet.rows == [["3.1.1", "Run parent workshops", "50%"]]


def test_the_preview_scans_a_long_sheet_only_as_far_as_its_first_rows(tmp_path, monkeypatch):
    from send_desktop.xlsx.tolerant import grid

    path = _tracker(tmp_path / "long.xlsx", rows=3000)
    monkeypatch.setattr(grid, "CHUNK", 1 << 14)  # read in small pieces, as a 100,000-row sheet is in 4 MB ones
    book = GridBook(path)
    try:
        whole = book.scan("Tracker", percent_columns=(4,))
        first = book.scan("Tracker", percent_columns=(4,), until_row=12)
    finally:
        book.close()
    assert len(whole.percent) == 3000
    assert {(r, 4) for r in range(2, 13)} <= first.percent  # every row asked for
    assert len(first.percent) < 1000  # and not the whole sheet
    shown = preview("plan", path, rows=10)
    assert _column(shown, "Complete") == ["84.7%"] * 10
