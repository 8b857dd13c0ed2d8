"""The risk register as a workbook officers can read, print, edit and send back, and its import.

Export (`export_risks`) writes Register, Mitigations, History, Categories, Key, a hidden Lists
sheet that feeds the drop-downs, and About; see `risk_xlsx_write` for formulas and colours,
`risk_xlsx_layout` for the columns and `risk_xlsx_sheetdata` for how the data rows are written
fast. It is saved by `workbook_io.save_atomically`, so a failed or cancelled export never leaves
half a workbook.

Import (`import_risks`) follows every import's order of work (`workbook_io.import_workbook`),
which is what makes it safe on the only copy of a register: read every sheet; inside one write
transaction match the workbook against the register (`risk_xlsx_resolve`) and refuse the whole
file with `BadInputError` on any problem, having written nothing; back the file up; write the
changes (`risk_xlsx_apply`: new records in bulk, edits through the ORM; the change log records
each); commit. A dry run does the same and rolls back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.plan_import import ImportReport

STEP = 500


class RiskImportReport(ImportReport):
    """The plan import's report, counting risks."""

    noun = "risk"
    plurals = {"category": "categories"}
    words = (("created", "added"), ("updated", "changed"))

    def __init__(self, **kwargs):
        super().__init__(kind="risks", **kwargs)


# -- export -------------------------------------------------------------------------------------

def _save(wb, path: Path, sheets) -> Path:
    """Save with openpyxl, add the bulk rows (`risk_xlsx_sheetdata`), and move the result into place."""
    from send_desktop.xlsx.risk_xlsx_sheetdata import inject

    def write(tmp: Path) -> None:
        first = tmp.with_suffix(".base")
        try:
            wb.save(first)
            inject(first, tmp, sheets)
        finally:
            with contextlib.suppress(OSError):
                first.unlink()

    return W.save_atomically(path, write)


def _people(db) -> list[str]:
    with db.reading() as con:
        return [r[0] for r in con.execute("SELECT name FROM person")]


def export_risks(db, path: Path, today: dt.date | None = None) -> Generator[Progress, None, Path]:
    """Write the register of `db` to `path` (.xlsx); yields progress, returns the path."""
    from send_desktop.services.risk_read import load_register
    from send_desktop.xlsx import layout as L
    from send_desktop.xlsx import risk_xlsx_layout as R
    from send_desktop.xlsx import risk_xlsx_write as RW
    from send_desktop.xlsx import sheets as S
    from send_desktop.xlsx.risk_xlsx_sheetdata import SheetData

    path = W.check_target(path, ".xlsx")
    now = dt.datetime.now()
    today = today or now.date()
    reg = load_register(db, today=today)
    rows = {R.REGISTER.name: RW.register_rows(reg), R.MITIGATIONS.name: RW.mitigation_rows(reg),
            R.HISTORY.name: RW.history_rows(reg), R.CATEGORIES.name: RW.category_rows(reg),
            L.ABOUT.name: RW.about_rows(db, reg, now)}
    total = sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")

    wb = S.new_workbook()
    data_layouts = R.SHEETS[:-1]
    sheets = {layout.name: S.prepare_sheet(wb, layout, len(rows[layout.name])) for layout in data_layouts}
    styles = RW.RiskStyles(sheets[R.REGISTER.name])
    register = sheets[R.REGISTER.name]
    register.row_dimensions[1].height = 22
    S.put_cell(register, 1, 1, f"Risk register \u2014 exported {today.day} {today:%b %Y}", styles.title)
    register.freeze_panes = "C3"  # the ref and title stay in view while scrolling right
    band_lookup = RW.write_key(wb, reg.matrix, styles)
    refs = RW.write_lists(wb, reg, _people(db), styles)
    bulk, done = [], 0
    for layout in data_layouts:
        ws, layout_rows = sheets[layout.name], rows[layout.name]
        S.write_header(ws, layout, styles)
        if layout.name in R.SCORES:
            RW.add_score_formulas(layout_rows, layout, band_lookup)
        data = SheetData(ws, layout.header_row + 1)
        col_styles = RW.column_styles(layout, styles)
        for n, values in enumerate(layout_rows, 1):
            data.add_row(values, col_styles)
            if n % STEP == 0:
                yield Progress(done + n, total, f"Writing sheet '{layout.name}'")
        done += len(layout_rows)
        bulk.append(data)
        if layout.name in R.SCORES:
            RW.band_colours(ws, layout, reg.matrix, len(layout_rows))
    for layout in (R.REGISTER, R.MITIGATIONS, R.HISTORY):
        RW.add_dropdowns(sheets[layout.name], layout, refs, len(rows[layout.name]), reg.matrix)
    RW.hide_columns(register, R.REGISTER, ("action_uids",))
    about = S.prepare_sheet(wb, L.ABOUT, len(rows[L.ABOUT.name]))
    yield from S.fill_sheet(about, L.ABOUT, styles, rows[L.ABOUT.name], done, total)
    wb.calculation.fullCalcOnLoad = True  # the scores have no cached values: work them out on opening

    yield Progress(total, total, f"Saving {path.name}")
    return _save(wb, path, bulk)


# -- import -------------------------------------------------------------------------------------

def _apply(session, cs) -> Generator[Progress, None, None]:
    """Write a resolved change set: `risk_xlsx_apply` (new records in bulk, edits through the ORM)."""
    from send_desktop.xlsx.risk_xlsx_apply import apply_changes

    yield from apply_changes(session, cs)


def import_risks(db, path: Path, dry_run: bool = False, source: str = "", today: dt.date | None = None,
                 strategy: str | None = None, delete_missing: bool = False,
                 mapping: dict | None = None,
                 decisions: dict | None = None) -> Generator[Progress, None, RiskImportReport]:
    """Import a workbook written by `export_risks` (and edited since); see the module docstring.
    `strategy`, `decisions` and `delete_missing`: see `workbook_io.import_workbook`.

    An officer's own register (no Register sheet with hidden risk ids), or any workbook given a
    column `mapping` ({"column header": "field"}), is read by `risk_foreign` instead: with no
    export to compare with, it has no conflicts and no deleted rows to decide."""
    from send_desktop.storage.models import Risk
    from send_desktop.services.risk_read import load_register
    from send_desktop.xlsx import risk_foreign
    from send_desktop.xlsx.risk_xlsx_layout import read_risk_book
    from send_desktop.xlsx.risk_xlsx_resolve import resolve

    today = today or dt.date.today()
    if mapping is not None or risk_foreign.is_foreign(Path(path)):
        from send_desktop.xlsx.merge_decisions import no_decisions

        no_decisions(decisions, "an officer's own workbook has no export to conflict with")
        return (yield from risk_foreign.import_foreign_risks(
            db, Path(path), RiskImportReport(file=Path(path).name, dry_run=dry_run), dry_run=dry_run,
            source=source, today=today, mapping=mapping))

    def changes(s, book):
        return resolve(book, load_register(db, today=today), today=today, user=db.user)

    return (yield from W.import_workbook(db, path, RiskImportReport(file=Path(path).name, dry_run=dry_run),
                                         read=read_risk_book, resolve=changes, apply=_apply, source=source,
                                         dry_run=dry_run, checking="Checking the workbook against the register",
                                         strategy=strategy, delete_missing=delete_missing, decisions=decisions,
                                         main=(Risk, "Register")))
