"""Reading a KPI workbook into plain rows, and refusing files that cannot be one.

A broken file (empty, renamed, damaged, encrypted) is refused by `book_reader.open_workbook`.
Cells are read with their number format: a percentage typed into a cell that Excel made a
number (0.85 shown as 85%) is read back as "85%", as the officer typed it, not as 0.85.
Problems inside cells are collected with their sheet, row and column, so the officer sees every
one in a single pass; nothing is decided about the database here (that is `kpi_xlsx_apply`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Generator

from send_desktop.core.kpi_values import clean_text
from send_desktop.core.periods import Period, PeriodError, parse_period
from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.xlsx.tolerant.values import percent_text
from send_desktop.xlsx import kpi_xlsx_layout as K
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import about_items, blank, find_header, reading, refuse

MAX_COLUMNS = 64          # the fixed sheets: ours have at most 10, officers may add notes columns
MAX_VALUE_COLUMNS = 1200  # the Values sheet: a century of months
MAX_ROWS = 20_000         # far beyond any KPI set
HEADER_SEARCH = 10
RAW = ("text",)  # kept as the cell holds it: a value is read by its own rules


@dataclass
class PeriodColumn:
    index: int      # 0-based position in the row
    header: str     # as the sheet shows it, for messages
    period: Period


@dataclass
class Sheet:
    rows: list[dict]  # one per non-blank row: key -> value, "_row" -> row number
    present: set[str]


@dataclass
class KpiBook:
    name: str
    sheets: dict[str, Sheet] = field(default_factory=dict)  # Definitions, Values, Targets, Comparators
    periods: dict[str, list[PeriodColumn]] = field(default_factory=dict)  # the wide sheets' period columns
    about: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def rows(self, name: str) -> list[dict]:
        sheet = self.sheets.get(name)
        return sheet.rows if sheet else []


def cell_raw(cell):
    """A cell's value, with numbers shown as percentages turned back into the text typed."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return percent_text(value)
    return value


def value_text(raw, problems: list[Problem], where: dict) -> str:
    """A value, target or comparator cell as text; a date (Excel's reading of "Jun-25") is refused."""
    if isinstance(raw, (dt.date, dt.datetime)):
        problems.append(Problem("Excel has turned this value into a date; format the cell as Text and type the "
                                "value again", **where))
        return ""
    return clean_text(raw)


def _header(ws, layout: L.SheetLayout, book: KpiBook, width: int):
    """(rows after the header, the header row's cells, its number, column key -> position), or None
    with the problem noted; a missing required column is noted too."""
    rows = ws.iter_rows(max_col=width)
    head = list(islice(rows, HEADER_SEARCH))
    found = find_header([[c.value for c in row] for row in head], layout)
    if found is None:
        book.problems.append(Problem(f"no header row found (expected columns such as "
                                     f"{', '.join(repr(c.header) for c in layout.columns[:3])})", sheet=ws.title))
        return None
    header_index, columns = found
    for col in layout.columns:
        if col.required and col.key not in columns:
            book.problems.append(Problem(f"the column '{col.header}' is missing", sheet=ws.title,
                                         row=header_index + 1, column=col.header))
    return chain(head[header_index + 1:], rows), head[header_index], header_index + 1, columns


def _read_fixed(ws, layout: L.SheetLayout, book: KpiBook) -> Generator[Progress, None, Sheet | None]:
    found = _header(ws, layout, book, MAX_COLUMNS)
    if found is None:
        return None
    rows, _cells, header_row, columns = found
    wanted = [(col, columns.get(col.key)) for col in layout.columns]
    sheet = Sheet([], set(columns))
    for number, cells in enumerate(rows, start=header_row + 1):
        if number > MAX_ROWS:
            book.problems.append(Problem(f"the sheet has more than {MAX_ROWS:,} rows, far more than a KPI set "
                                         "holds", sheet=ws.title))
            break
        if number % 500 == 0:
            yield Progress(0, 0, f"Reading sheet '{ws.title}', row {number}")
        raw = [cell_raw(cells[j]) if j is not None and j < len(cells) else None for _, j in wanted]
        if all(blank(v) for v in raw):
            continue
        row: dict = {"_row": number}
        for (col, _), value in zip(wanted, raw):
            if col.key in RAW:
                row[col.key] = value
                continue
            try:
                row[col.key] = L.READERS[col.kind](value)
            except L.CellError as exc:
                book.problems.append(Problem(str(exc), sheet=ws.title, row=number, column=col.header))
                row[col.key] = None if col.kind in (L.DATE, L.UID) else ""
        sheet.rows.append(row)
    return sheet


def _period_columns(ws, header: list, lead: dict[str, int], header_row: int, book: KpiBook) -> list[PeriodColumn]:
    """Every heading that is not one of the fixed columns is a period; one that is plainly words
    (no digit, not a date) is a notes column and is left alone, with a warning."""
    taken = set(lead.values())
    out: list[PeriodColumn] = []
    seen: dict[str, str] = {}
    for j, value in enumerate(header):
        if j in taken or blank(value):
            continue
        shown = L.text(value)
        if not isinstance(value, (dt.date, dt.datetime, int, float)) and not any(ch.isdigit() for ch in shown):
            book.warnings.append(Problem(f"the column '{shown}' is not a period, so it was not read", sheet=ws.title,
                                         row=header_row, column=shown))
            continue
        try:
            period = parse_period(value)
        except PeriodError as exc:
            book.problems.append(Problem(exc.message, sheet=ws.title, row=header_row, column=shown))
            continue
        if period.text in seen:
            book.problems.append(Problem(f"the period {period.label} has two columns ('{seen[period.text]}' and "
                                         f"'{shown}'); keep one", sheet=ws.title, row=header_row, column=shown))
            continue
        seen[period.text] = shown
        out.append(PeriodColumn(j, shown, period))
    return out


def _read_wide(ws, name: str, book: KpiBook) -> Generator[Progress, None, Sheet | None]:
    """The Values or Targets sheet: a row per KPI, a column per period."""
    found = _header(ws, L.SheetLayout(name, K.WIDE_LEAD + (K.WIDE_UID,)), book, MAX_VALUE_COLUMNS)
    if found is None:
        return None
    rows, header_cells, header_row, columns = found
    periods = book.periods[name] = _period_columns(ws, [c.value for c in header_cells], columns, header_row, book)
    sheet = Sheet([], set(columns))
    ref_at, uid_at = columns.get("ref"), columns.get("uid")
    for number, cells in enumerate(rows, start=header_row + 1):
        if number > MAX_ROWS:
            book.problems.append(Problem(f"the sheet has more than {MAX_ROWS:,} rows", sheet=ws.title))
            break
        if number % 100 == 0:
            yield Progress(0, 0, f"Reading sheet '{ws.title}', row {number}")

        def at(j):
            return cell_raw(cells[j]) if j is not None and j < len(cells) else None

        raw_cells = [(pc, at(pc.index)) for pc in periods]
        ref, uid = at(ref_at), at(uid_at)
        if blank(ref) and blank(uid) and all(blank(v) for _, v in raw_cells):
            continue
        row: dict = {"_row": number, "ref": L.text(ref), "uid": None, "cells": {}}
        try:
            row["uid"] = L.uid(uid)
        except L.CellError as exc:
            book.problems.append(Problem(str(exc), sheet=ws.title, row=number, column=K.WIDE_UID.header))
        for pc, value in raw_cells:
            where = {"sheet": ws.title, "row": number, "column": pc.header}
            row["cells"][pc.period.text] = (value_text(value, book.problems, where), pc.header)
        sheet.rows.append(row)
    return sheet


def read_kpi_book(path: Path) -> Generator[Progress, None, KpiBook]:
    """Every KPI sheet that is present, converted; cell problems collected in `problems`."""
    path = Path(path)
    book = KpiBook(path.name)
    with reading(path, (K.DEFINITIONS.name,), "a KPI workbook") as opened:
        for layout in (K.DEFINITIONS, K.COMPARATORS, L.ABOUT):
            title = opened.title(layout.name)
            if title is not None:
                opened.sheet = title
                sheet = yield from _read_fixed(opened.workbook[title], layout, book)
                if sheet is not None:
                    book.sheets[layout.name] = sheet
        for name in (K.VALUES_NAME, K.TARGETS_NAME):
            title = opened.title(name)
            if title is not None:
                opened.sheet = title
                sheet = yield from _read_wide(opened.workbook[title], name, book)
                if sheet is not None:
                    book.sheets[name] = sheet
        book.about = about_items(book.sheets.pop(L.ABOUT.name, None))
        layout_name = book.about.get(L.header_key(K.ABOUT_LAYOUT), "")
        if layout_name and layout_name != K.LAYOUT_NAME:
            raise refuse(path.name, [Problem(f"the About sheet says this is a {layout_name}, not a KPI workbook",
                                             sheet=L.ABOUT.name)])
    return book
