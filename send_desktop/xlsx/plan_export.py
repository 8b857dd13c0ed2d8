"""Writing the plan to a workbook that officers can read, print, edit and send back.

The sheets and columns come from `layout`, the one definition the import reads with. Cells
are styled by copying a handful of prepared styles rather than assigning fonts and alignments
one by one, which keeps a 500-action plan with 6,000 updates under a second
(bench/bench_plan_xlsx.py). openpyxl's ordinary mode measured about 20% faster than its
write-only mode here (write-only converts every styled cell through an exception), and the
workbook is small enough that memory does not matter. It is saved to a temporary file beside
the target and moved into place at the end, so a failed or cancelled export never leaves half
a workbook where the officer expects one.

Every text cell goes through `_cell`, which stops openpyxl from turning text that begins with
"=" into a formula and drops control characters that XML cannot hold.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Generator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop import __version__
from send_desktop.core.progress import Progress
from send_desktop.core.scales import text_colour_for
from send_desktop.errors import UserError
from send_desktop.services.plan_read import PlanSnapshot, load_plan
from send_desktop.xlsx import layout as L

STEP = 250            # rows between progress reports
SPARE_ROWS = 200      # drop-downs and colours reach this far below the data, for added rows
HEADER_FILL = "D9E1F2"


class _Styles:
    """Prepared cell styles, registered with the workbook once and copied onto each cell."""

    def __init__(self, ws):
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        self.plain = self._make(ws, alignment=top)
        self.wrap = self._make(ws, alignment=wrap)
        self.date = self._make(ws, alignment=top, number_format=L.DATE_FORMAT)
        self.header = self._make(ws, alignment=wrap, font=Font(bold=True),
                                 fill=PatternFill("solid", fgColor=HEADER_FILL),
                                 border=Border(bottom=Side(style="thin")))
        self.title = self._make(ws, font=Font(bold=True, size=14))

    @staticmethod
    def _make(ws, **attrs):
        cell = Cell(ws, row=1, column=1)
        for key, value in attrs.items():
            setattr(cell, key, value)
        return cell._style

    def for_column(self, col: L.Column):
        if col.kind == L.DATE:
            return self.date
        return self.wrap if col.wrap else self.plain


def _cell(ws, row: int, column: int, value, style) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row, column, value)
    cell._style = copy.copy(style)
    if cell.data_type == "f":  # text that starts with "=" stays text, also when edited in Excel
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _put(ws, row: int, values, styles) -> None:
    for column, (value, style) in enumerate(zip(values, styles), 1):
        if value is not None:
            _cell(ws, row, column, value, style)


def _prepare(wb, layout: L.SheetLayout, data_rows: int):
    """A sheet with widths, hidden id columns, frozen header, filter and print setup."""
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


def _write_header(ws, layout: L.SheetLayout, styles: _Styles) -> None:
    _put(ws, layout.header_row, [col.header for col in layout.columns], [styles.header] * len(layout.columns))


def _status_rules(ws, layout: L.SheetLayout, snap: PlanSnapshot, data_rows: int) -> None:
    """Status cells: a drop-down of the scale's labels, coloured by level (the label stays)."""
    letter = get_column_letter(layout.position("status"))
    first = layout.header_row + 1
    area = f"{letter}{first}:{letter}{first + data_rows + SPARE_ROWS}"
    n = len(snap.scale.levels)
    dv = DataValidation(type="list", formula1=f"{quote_sheetname(L.KEY.name)}!$B$2:$B${n + 1}",
                        allow_blank=True, showErrorMessage=True, errorTitle="Status",
                        error="Choose a level of the plan's rating scale (see the Key sheet).")
    dv.add(area)
    ws.data_validations.append(dv)
    for lv in snap.scale.levels:
        fill = lv.colour.lstrip("#")
        label = lv.label.replace('"', '""')
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{label}"'],
            fill=PatternFill("solid", start_color=fill, end_color=fill),
            font=Font(color=text_colour_for(lv.colour).lstrip("#"))))


def _fill(ws, layout: L.SheetLayout, styles: _Styles, rows: list[list], done: int = 0,
          total: int = 0) -> Generator[Progress, None, None]:
    """The header and one row per item, styled by column kind."""
    _write_header(ws, layout, styles)
    column_styles = [styles.for_column(col) for col in layout.columns]
    for i, values in enumerate(rows, 1):
        _put(ws, layout.header_row + i, values, column_styles)
        if i % STEP == 0:
            yield Progress(done + i, total or len(rows), f"Writing sheet '{layout.name}'")


def _plan_rows(snap: PlanSnapshot) -> list[list]:
    rows = []
    for p in snap.priorities:
        for o in p.outcomes:
            for a in o.actions:
                last = a.last_update
                rows.append([p.ref, p.statement, o.ref, o.text, a.ref, a.text, a.workstream,
                             "; ".join(a.leads), a.timescale, a.due_date, a.level.label if a.level else "",
                             last.date if last else None, last.narrative if last else "",
                             "\n".join(a.success_criteria), a.uid, o.uid, p.uid])
    return rows


def _update_rows(snap: PlanSnapshot) -> list[list]:
    labels = {lv.id: lv.label for lv in snap.scale.levels}
    return [[a.ref, u.date, labels.get(u.level_id, ""), u.narrative, u.evidence, u.author, a.uid, u.uid]
            for a in snap.actions() for u in a.updates]


def _other_rows(snap: PlanSnapshot) -> dict[str, list[list]]:
    ws_names = {w.id: w.name for w in snap.workstreams}
    return {
        L.PRIORITIES.name: [[p.ref, p.kind, p.statement, ws_names.get(p.workstream_id, ""),
                             p.evidence_of_impact, p.difference_for_cyp, p.uid] for p in snap.priorities],
        L.OUTCOMES.name: [[p.ref, o.ref, o.text, p.uid, o.uid] for p in snap.priorities for o in p.outcomes],
        L.WORKSTREAMS.name: [[w.name, "; ".join(w.leads), w.areas_of_focus, w.uid] for w in snap.workstreams],
        L.PEOPLE.name: [[p.name, p.role, p.organisation, p.uid] for p in snap.people],
    }


def _key_rows(snap: PlanSnapshot) -> list[list]:
    return [[lv.code, lv.label, lv.meaning, lv.colour, "Yes" if lv.complete else "No"] for lv in snap.scale.levels]


def _colour_key(ws, snap: PlanSnapshot) -> None:
    """Each level's colour cell filled with its colour, the code written in it as well."""
    for row, lv in enumerate(snap.scale.levels, 2):
        swatch = ws.cell(row, L.KEY.position("colour"))
        swatch.fill = PatternFill("solid", fgColor=lv.colour.lstrip("#"))
        swatch.font = Font(color=text_colour_for(lv.colour).lstrip("#"))


def _about_rows(db, snap: PlanSnapshot, now: dt.datetime) -> list[list]:
    from send_desktop.storage.database import read_revision

    return [
        [L.ABOUT_LAYOUT, L.LAYOUT_NAME],
        [L.ABOUT_TITLE, snap.title],
        [L.ABOUT_PLAN_UID, snap.uid],
        [L.ABOUT_SCALE, snap.scale.name],
        [L.ABOUT_PRESET, snap.scale.preset or ""],
        ["Exported", now.strftime("%d/%m/%Y %H:%M")],
        ["Exported by", db.user],
        ["Database file", Path(db.path).name],
        ["send-desktop version", __version__],
        ["Schema revision", read_revision(db.path) or ""],
    ] + [["Note", note] for note in L.ABOUT_NOTES]


def export_plan(db, path: Path, today: dt.date | None = None) -> Generator[Progress, None, Path]:
    """Write the first plan of `db` to `path` (.xlsx); yields progress, returns the path."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name ending .xlsx.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    now = dt.datetime.now()
    today = today or now.date()
    snap = load_plan(db, today=today)
    rows = {L.PLAN.name: _plan_rows(snap), L.UPDATES.name: _update_rows(snap), **_other_rows(snap),
            L.KEY.name: _key_rows(snap), L.ABOUT.name: _about_rows(db, snap, now)}
    total = sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {layout.name: _prepare(wb, layout, len(rows[layout.name])) for layout in L.SHEETS}
    styles = _Styles(sheets[L.PLAN.name])

    plan = sheets[L.PLAN.name]
    plan.row_dimensions[1].height = 22
    _cell(plan, 1, 1, f"{snap.title} \u2014 exported {today.day} {today:%b %Y}", styles.title)
    done = 0
    for layout in L.SHEETS:
        yield from _fill(sheets[layout.name], layout, styles, rows[layout.name], done, total)
        done += len(rows[layout.name])
    for layout in (L.PLAN, L.UPDATES):
        _status_rules(sheets[layout.name], layout, snap, len(rows[layout.name]))
    _colour_key(sheets[L.KEY.name], snap)

    yield Progress(total, total, f"Saving {path.name}")
    # A plain new file (not mkstemp's owner-only one) so the workbook gets the usual permissions.
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"Cannot write {path.name}: {exc.strerror or exc}. If it is open in Excel, "
                        "close it and try again.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path
