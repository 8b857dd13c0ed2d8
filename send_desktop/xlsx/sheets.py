"""Writing sheets: the helpers every workbook send-desktop writes is laid out and styled with.

Sheets are laid out from a `layout.SheetLayout` (widths, hidden id columns, frozen header,
filter, A4 landscape printing), so the plan, risk, KPI, action-log, audit and report workbooks
look and print alike. Cells are styled by copying a handful of prepared styles (`Styles`) rather
than assigning fonts and alignments one by one, which keeps a 500-action plan with 6,000 updates
under a second (bench/bench_plan_xlsx.py). openpyxl's ordinary mode measured about 20% faster
than its write-only mode here (write-only converts every styled cell through an exception).

Every cell goes through `put_cell`, which drops control characters that XML cannot hold and
keeps text as text (`as_text`): openpyxl turns a str that begins with "=" into a formula, and
Excel and LibreOffice read text that begins with "=", "+", "-" or "@" as one when a person edits
the cell (spreadsheet formula injection), so such text is written as a string cell with Excel's
quote prefix: an officer's "= 3 visits" or "-x" stays exactly that text. Writers that do not go
through `put_cell` (the pack workbook, the register's XML rows) use `as_text` or `looks_like_formula`.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Generator

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop import __version__
from send_desktop.core.progress import Progress
from send_desktop.xlsx import layout as L

STEP = 250            # rows between progress reports
SPARE_ROWS = 200      # drop-downs and colours reach this far below the data, for rows officers add
HEADER_FILL = "D9E1F2"


class Styles:
    """Prepared cell styles, registered with the workbook once and copied onto each cell.
    Subclasses add their own with `make`."""

    def __init__(self, ws):
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        self.plain = self.make(ws, alignment=top)
        self.wrap = self.make(ws, alignment=wrap)
        self.date = self.make(ws, alignment=top, number_format=L.DATE_FORMAT)
        self.header = self.make(ws, alignment=wrap, font=Font(bold=True),
                                fill=PatternFill("solid", fgColor=HEADER_FILL),
                                border=Border(bottom=Side(style="thin")))
        self.title = self.make(ws, font=Font(bold=True, size=14))

    @staticmethod
    def make(ws, **attrs):
        """A style with these cell attributes (alignment, font, fill, border, number_format)."""
        cell = Cell(ws, row=1, column=1)
        for key, value in attrs.items():
            setattr(cell, key, value)
        return cell._style

    def for_column(self, col: L.Column):
        """The style of a column's data cells, by its kind."""
        if col.kind == L.DATE:
            return self.date
        return self.wrap if col.wrap else self.plain


#: what a spreadsheet reads as the start of a formula when a person types or edits a cell
FORMULA_STARTS = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """Text that Excel or LibreOffice would take for a formula when the cell is edited."""
    return text.startswith(FORMULA_STARTS)


def as_text(cell: Cell) -> Cell:
    """Keep a cell's str value text: never a formula in the file (openpyxl makes one of "=..."),
    and quote-prefixed, so a spreadsheet does not make one of it either. Call after the value is set
    (and after `_style` is assigned, which would drop the prefix)."""
    value = cell.value
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_cell(ws, row: int, column: int, value, style) -> Cell:
    """Write one cell with a prepared style; text stays text (`as_text`)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row, column, value)
    cell._style = copy.copy(style)
    return as_text(cell)


def put_row(ws, row: int, values, styles) -> None:
    """Write a row from column A, one style per value; None leaves the cell empty."""
    for column, (value, style) in enumerate(zip(values, styles), 1):
        if value is not None:
            put_cell(ws, row, column, value, style)


def prepare_sheet(wb, layout: L.SheetLayout, data_rows: int):
    """A new sheet with the layout's widths, hidden id columns, frozen header, a filter over
    `data_rows` and A4 landscape print setup; returns the worksheet."""
    ws = wb.create_sheet(layout.name)
    for i, col in enumerate(layout.columns, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = col.width
        dim.hidden = col.hidden
    header = layout.header_row
    ws.freeze_panes = f"A{header + 1}"
    last_col = get_column_letter(len(layout.columns))
    ws.auto_filter.ref = f"A{header}:{last_col}{header + max(data_rows, 1)}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def write_header(ws, layout: L.SheetLayout, styles: Styles) -> None:
    """The layout's headers on its header row."""
    put_row(ws, layout.header_row, [col.header for col in layout.columns], [styles.header] * len(layout.columns))


def fill_sheet(ws, layout: L.SheetLayout, styles: Styles, rows: list[list], done: int = 0,
               total: int = 0) -> Generator[Progress, None, None]:
    """The header and one row per item, styled by column kind; progress counts on from `done`."""
    write_header(ws, layout, styles)
    column_styles = [styles.for_column(col) for col in layout.columns]
    for i, values in enumerate(rows, 1):
        put_row(ws, layout.header_row + i, values, column_styles)
        if i % STEP == 0:
            yield Progress(done + i, total or len(rows), f"Writing sheet '{layout.name}'")


def new_workbook():
    """An openpyxl workbook without its default sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb, layout: L.SheetLayout, rows: list[list], styles: Styles | None = None, done: int = 0,
              total: int = 0) -> Generator[Progress, None, object]:
    """`prepare_sheet` and `fill_sheet` in one, with the plain styles unless given; returns the sheet."""
    ws = prepare_sheet(wb, layout, len(rows))
    yield from fill_sheet(ws, layout, styles or Styles(ws), rows, done, total)
    return ws


def list_rule(ws, layout: L.SheetLayout, key: str, choices, rows: int, title: str) -> None:
    """A drop-down on one column, from the first data row to SPARE_ROWS below the last."""
    letter = get_column_letter(layout.position(key))
    first = layout.header_row + 1
    listed = ",".join(str(c) for c in choices)
    dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                        errorTitle=title, error=f"Choose one of: {', '.join(str(c) for c in choices)}.")
    dv.add(f"{letter}{first}:{letter}{first + rows + SPARE_ROWS}")
    ws.data_validations.append(dv)


def export_stamp(db, now: dt.datetime | None = None) -> list[list]:
    """The About sheet's rows saying when, by whom and from which file and version it was written."""
    from send_desktop.storage.database import read_revision

    now = now or dt.datetime.now()
    return [["Exported", now.strftime("%d/%m/%Y %H:%M")],
            ["Exported by", db.user],
            ["Database file", Path(db.path).name],
            ["send-desktop version", __version__],
            ["Schema revision", read_revision(db.path) or ""],
            [CHANGE_LOG_POSITION, str(change_log_position(db))]]


#: The About item holding the change log's last row id when the workbook was written: the base of
#: the three-way merge when it comes back (`xlsx.merge`): a change logged after it was made in the
#: database since the export.
CHANGE_LOG_POSITION = "Change log position"


def change_log_position(db) -> int:
    with db.reading() as con:
        return con.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]


def about_rows(db, items: list[list], notes=(), now: dt.datetime | None = None) -> list[list]:
    """An About sheet's rows: `items` (the layout's name first), the export stamp, a Note row per note."""
    return [*items, *export_stamp(db, now)] + [["Note", note] for note in notes]
