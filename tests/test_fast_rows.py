"""The export's big sheets are written as text (xlsx/fast_rows.py): the same workbook, read back,
as openpyxl writing every cell through `sheets.put_cell`, for the values officers actually type."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import python_calamine
import pytest

from send_desktop.core.progress import run_steps
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx.fast_rows import DeferredRows

ODD = ["=SUM(A1:A3)", "-minus", "+plus", "@at", "=", "#N/A", "#REF!", "  padded  ", "a\rb\r\nc",
       "<b>&amp; x > y</b>", "ctl\x01\x02chars", "\x01", "", "x" * 40_000, "tab\there", "line1\nline2",
       "é ü — “quotes” ' \"", "emoji 😀", " lead", "trail ", "plain words"]
VALUES = [None, 0, 7, -3, 2.5, 1e-7, 123456789012, True, False, dt.date(2025, 9, 30), dt.date(1900, 1, 15),
          dt.date(1900, 3, 1), dt.datetime(2025, 10, 1, 13, 45, 30), dt.date(2099, 12, 31)]


def _rows(layout: L.SheetLayout) -> list[list]:
    """Every odd text and value, in every column of the layout, and short rows and a blank row."""
    width = len(layout.columns)
    cells = ODD + VALUES
    rows = [[cells[(r * 7 + c) % len(cells)] for c in range(width)] for r in range(len(cells) * 2)]
    return rows + [[], [None] * width, ["only the first"]]


def _book(tmp_path, name: str, deferred: bool):
    wb = S.new_workbook()
    out = {}
    defer = DeferredRows(wb)
    for layout in (L.PLAN, L.UPDATES):
        rows = _rows(layout)
        ws = S.prepare_sheet(wb, layout, len(rows))
        styles = S.Styles(ws)
        if deferred:
            defer.add(ws, layout, styles, rows)
        else:
            run_steps(S.fill_sheet(ws, layout, styles, rows))
        out[layout.name] = rows
    path = tmp_path / name
    if deferred:
        defer.save(path)
    else:
        wb.save(path)
    return path


def _cells(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[(c.value, c.data_type, c.number_format, c.quotePrefix, c.alignment.wrap_text,
                           c.alignment.vertical, c.font.b, c.fill.fgColor.rgb, c.has_style) for c in row]
                         for row in ws.iter_rows()]
    return out


def _calamine(path) -> list:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]
    finally:
        book.close()


def test_rows_written_as_text_read_back_as_openpyxl_cells(tmp_path):
    ours, theirs = _book(tmp_path, "fast.xlsx", True), _book(tmp_path, "openpyxl.xlsx", False)
    assert _cells(ours) == _cells(theirs)
    assert _calamine(ours) == _calamine(theirs)  # the importer's reader sees the same values too
    sheet = _cells(ours)[L.PLAN.name]
    first = L.PLAN.header_row  # 0-based index of the first data row
    assert sheet[first][0][:2] == ("=SUM(A1:A3)", "s") and sheet[first][0][3] is True  # text, quote-prefixed
    texts = {v for row in sheet for v, *_ in row if isinstance(v, str)}
    assert "x" * 32_767 in texts and "ctlchars" in texts and "a\rb\r\nc" in texts and "  padded  " in texts


def test_the_dimension_covers_the_rows_and_nothing_is_left_behind(tmp_path):
    path = _book(tmp_path, "fast.xlsx", True)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    rows = len(_rows(L.PLAN))
    last = L.PLAN.header_row + rows
    assert f'<dimension ref="A1:{openpyxl.utils.get_column_letter(len(L.PLAN.columns))}{last}"/>' in xml
    assert f'<row r="{last}">' in xml and xml.count("</sheetData>") == 1
    assert not [n for n in names if n.endswith(".base")] and not list(tmp_path.glob("*.base"))


def test_a_value_excel_cannot_hold_is_refused_and_no_file_is_left(tmp_path):
    wb = S.new_workbook()
    ws = S.prepare_sheet(wb, L.PLAN, 1)
    defer = DeferredRows(wb)
    defer.add(ws, L.PLAN, S.Styles(ws), [[object()]])
    with pytest.raises(ValueError, match="Cannot convert"):
        defer.save(tmp_path / "bad.xlsx")
    assert list(tmp_path.iterdir()) == []
