"""The parts of the risk workbook that the plan workbook does not have: rows from the register,
live score formulas, band colours, drop-downs fed from a hidden Lists sheet, and the Key.

Sheets are prepared, filled and styled with `sheets`' helpers (widths, hidden ids, frozen
header, filter, print setup, text that starts with "=" kept as text); this module adds only
what is particular to risks. Score and band cells are formulas on purpose: an officer who
changes a likelihood in Excel sees the score and band change with it. Band colours are
conditional formats on the score and band cells, and the band's name is always written beside
its colour, so the sheet reads in greyscale print.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop.core.risk_matrix import FREQUENCIES, MITIGATION_STATUSES, STATUSES, RiskMatrix, trend_text
from send_desktop.services.risk_read import RiskRegister
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import risk_xlsx_layout as R
from send_desktop.xlsx.risk_xlsx_sheetdata import Formula
from send_desktop.xlsx.sheets import SPARE_ROWS, Styles, export_stamp, put_cell

_CENTRED = {"likelihood", "impact", "inherent_likelihood", "inherent_impact", "target_likelihood",
            "target_impact", "score", "inherent_score", "target_score", "band", "appetite"}


class RiskStyles(Styles):
    """The shared styles, with scores and levels centred."""

    def __init__(self, ws):
        super().__init__(ws)
        self.centre = self.make(ws, alignment=Alignment(horizontal="center", vertical="top"))
        self.score = self.make(ws, alignment=Alignment(horizontal="center", vertical="top"), font=Font(bold=True))
        self.bold = self.make(ws, font=Font(bold=True), alignment=Alignment(vertical="top", wrap_text=True))

    def for_column(self, col: L.Column):
        return self.centre if col.key in _CENTRED else super().for_column(col)


# -- rows -----------------------------------------------------------------------------------------

def _refs(values) -> str:
    return "; ".join(values)


def register_rows(reg: RiskRegister) -> list[list]:
    """One row per risk in REGISTER's column order; score and band cells are left for formulas."""
    uids = {a.id: a.uid for a in reg.actions}
    return [[r.ref, r.title, r.category, r.owner, r.status, r.likelihood, r.impact, None, None,
             trend_text(r.trend), r.inherent_likelihood, r.inherent_impact, None, r.target_likelihood,
             r.target_impact, None, r.target_date, r.review_frequency, r.last_reviewed, r.next_review,
             r.cause, r.event, r.effect, r.controls, r.assurance, r.gaps_in_control, r.gaps_in_assurance,
             _refs(r.priority_refs), _refs(r.action_refs), " ".join(uids.get(i, "") for i in r.action_ids), r.uid]
            for r in reg.risks]


def mitigation_rows(reg: RiskRegister) -> list[list]:
    return [[r.ref, m.text, m.owner, m.due_date, m.status, r.uid, m.uid] for r in reg.risks for m in r.mitigations]


def history_rows(reg: RiskRegister) -> list[list]:
    return [[r.ref, a.date, a.likelihood, a.impact, None, None, a.note, a.assessor, r.uid, a.uid]
            for r in reg.risks for a in r.history]


def category_rows(reg: RiskRegister) -> list[list]:
    return [[c.name, c.appetite, c.uid] for c in reg.categories]


def about_rows(db, reg: RiskRegister, now: dt.datetime) -> list[list]:
    return [[R.ABOUT_LAYOUT, R.LAYOUT_NAME], ["Risks", str(len(reg.risks))], *export_stamp(db, now),
            [R.ABOUT_MATRIX, reg.matrix.to_json()]] + [["Note", note] for note in R.ABOUT_NOTES]


# -- formulas, colours and drop-downs ---------------------------------------------------------------

def _letter(layout: L.SheetLayout, key: str) -> str:
    return get_column_letter(layout.position(key))


def add_score_formulas(rows: list[list], layout: L.SheetLayout, band_lookup: tuple[str, str]) -> None:
    """Fill each row's score cells with Score = likelihood × impact as a live formula, and its Band
    cell with a lookup of the score in the Key's bands (in place)."""
    first = layout.header_row + 1
    starts, names = band_lookup
    for score_key, l_key, i_key, band_key in R.SCORES[layout.name]:
        sc, lc, ic = (_letter(layout, k) for k in (score_key, l_key, i_key))
        s_col = layout.position(score_key) - 1
        b_col = layout.position(band_key) - 1 if band_key else None
        for n, values in enumerate(rows):
            row = first + n
            values[s_col] = Formula(f'=IF(OR({lc}{row}="",{ic}{row}=""),"",{lc}{row}*{ic}{row})')
            if b_col is not None:
                values[b_col] = Formula(f'=IF({sc}{row}="","",LOOKUP({sc}{row},{starts},{names}))')


def column_styles(layout: L.SheetLayout, styles: RiskStyles) -> list:
    """The style of each column's data cells: scores and bands bold and centred."""
    formulas = {k for spec in R.SCORES.get(layout.name, ()) for k in (spec[0], spec[3]) if k}
    return [styles.score if col.key in formulas else styles.for_column(col) for col in layout.columns]


def band_colours(ws, layout: L.SheetLayout, matrix: RiskMatrix, rows: int) -> None:
    """Score cells coloured by the band they fall in, band cells by their name."""
    first = layout.header_row + 1
    last = first + rows + SPARE_ROWS

    def fill(band):
        colour = band.colour.lstrip("#").upper()
        return dict(fill=PatternFill("solid", start_color=colour, end_color=colour),
                    font=Font(bold=True, color=band.text_colour.lstrip("#")))

    for score_key, _, _, band_key in R.SCORES[layout.name]:
        area = f"{_letter(layout, score_key)}{first}:{_letter(layout, score_key)}{last}"
        for band in matrix.bands:
            ws.conditional_formatting.add(area, CellIsRule(operator="between", formula=[str(band.low), str(band.high)],
                                                           **fill(band)))
        if band_key:
            area = f"{_letter(layout, band_key)}{first}:{_letter(layout, band_key)}{last}"
            for band in matrix.bands:
                name = band.name.replace('"', '""')
                ws.conditional_formatting.add(area, CellIsRule(operator="equal", formula=[f'"{name}"'], **fill(band)))


#: The Lists sheet's columns: (header, what the export fills it with).
LIST_COLUMNS = ("Likelihood", "Impact", "Status", "Review frequency", "Mitigation status", "Category", "Owner")


def write_lists(wb, reg: RiskRegister, people: list[str], styles: RiskStyles) -> dict[str, str]:
    """The hidden sheet that drop-downs read; returns each list's range by its header."""
    ws = wb.create_sheet(R.LISTS_SHEET)
    owners = sorted({*people, *(r.owner for r in reg.risks), *(m.owner for r in reg.risks for m in r.mitigations)}
                    - {""}, key=str.casefold)
    values = (list(range(1, reg.matrix.max_likelihood + 1)), list(range(1, reg.matrix.max_impact + 1)),
              list(STATUSES), list(FREQUENCIES), list(MITIGATION_STATUSES), [c.name for c in reg.categories], owners)
    refs = {}
    for col, (header, items) in enumerate(zip(LIST_COLUMNS, values), 1):
        ws.cell(1, col, header).font = Font(bold=True)
        for row, item in enumerate(items, 2):
            put_cell(ws, row, col, item, styles.plain)
        letter = get_column_letter(col)
        refs[header] = f"{quote_sheetname(R.LISTS_SHEET)}!${letter}$2:${letter}${max(2, len(items) + 1)}"
        ws.column_dimensions[letter].width = 24
    ws.sheet_state = "hidden"
    return refs


def _validation(ws, area: str, source: str, title: str, message: str, strict: bool = True) -> None:
    # Owners and categories may be new (a category is created on import), so for those Excel
    # warns and lets the officer go on; a likelihood of 7 or an unknown status is refused.
    dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                        errorStyle="stop" if strict else "warning", errorTitle=title, error=message)
    dv.add(area)
    ws.data_validations.append(dv)


def add_dropdowns(ws, layout: L.SheetLayout, refs: dict[str, str], rows: int, matrix: RiskMatrix) -> None:
    first = layout.header_row + 1
    last = first + rows + SPARE_ROWS

    def area(key):
        letter = _letter(layout, key)
        return f"{letter}{first}:{letter}{last}"

    for key in R.LEVEL_COLUMNS.get(layout.name, ()):
        kind = "Likelihood" if key.endswith("likelihood") else "Impact"
        top = matrix.max_likelihood if kind == "Likelihood" else matrix.max_impact
        _validation(ws, area(key), refs[kind], kind, f"Choose a whole number from 1 to {top} (see the Key sheet).")
    names = {c.key for c in layout.columns}
    if layout is R.MITIGATIONS:
        _validation(ws, area("status"), refs["Mitigation status"], "Status", "Choose planned, in progress or done.")
    elif "status" in names:
        _validation(ws, area("status"), refs["Status"], "Status", "Choose open, escalated or closed.")
    if "review_frequency" in names:
        _validation(ws, area("review_frequency"), refs["Review frequency"], "Review frequency",
                    "Choose monthly, bi-monthly, quarterly, 6-monthly or annual.")
    if "category" in names:
        _validation(ws, area("category"), refs["Category"], "Category",
                    "That category is new: the import will create it.", strict=False)
    if "owner" in names:
        _validation(ws, area("owner"), refs["Owner"], "Owner", "That name is not on the list yet.", strict=False)


def hide_columns(ws, layout: L.SheetLayout, keys) -> None:
    for key in keys:
        ws.column_dimensions[_letter(layout, key)].hidden = True


# -- the Key -----------------------------------------------------------------------------------

def write_key(wb, matrix: RiskMatrix, styles: RiskStyles) -> tuple[str, str]:
    """Bands, the escalation threshold and the coloured matrix; returns the ranges of the bands'
    lowest scores and names, which the Band formulas look scores up in."""
    ws = wb.create_sheet(R.KEY_SHEET)
    put_cell(ws, 1, 1, "Risk matrix: score = likelihood \u00d7 impact", styles.title)
    for col, header in enumerate(("Band", "From score", "To score", "Colour"), 1):
        put_cell(ws, 2, col, header, styles.header)
    for row, band in enumerate(matrix.bands, 3):
        swatch = dict(fill=PatternFill("solid", fgColor=band.colour.lstrip("#").upper()),
                      font=Font(bold=True, color=band.text_colour.lstrip("#")))
        for col, value in enumerate((band.name, band.low, band.high, band.colour), 1):
            cell = put_cell(ws, row, col, value, styles.centre if col > 1 else styles.plain)
            if col in (1, 4):
                cell.fill, cell.font = swatch["fill"], swatch["font"]
    last_band = 2 + len(matrix.bands)
    row = last_band + 2
    put_cell(ws, row, 1, "Escalation threshold", styles.bold)
    put_cell(ws, row, 2, matrix.escalation_threshold, styles.score)
    put_cell(ws, row, 3, "Risks scoring this or more are marked for the board.", styles.plain)

    top = row + 2
    put_cell(ws, top, 1, "Likelihood \u2193 / Impact \u2192", styles.header)
    for i, label in enumerate(matrix.impact, 1):
        put_cell(ws, top, 1 + i, f"{i} {label}", styles.header)
    for n, lk in enumerate(range(matrix.max_likelihood, 0, -1), 1):
        put_cell(ws, top + n, 1, f"{lk} {matrix.likelihood_label(lk)}", styles.bold)
        for im in range(1, matrix.max_impact + 1):
            band = matrix.band_of(lk, im)
            cell = put_cell(ws, top + n, 1 + im, f"{lk * im}\n{band.name}", styles.score)
            cell.fill = PatternFill("solid", fgColor=band.colour.lstrip("#").upper())
            cell.font = Font(bold=True, color=band.text_colour.lstrip("#"))
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[top + n].height = 32
    ws.column_dimensions["A"].width = 26
    for col in range(2, matrix.max_impact + 2):
        ws.column_dimensions[get_column_letter(col)].width = 14
    key = quote_sheetname(R.KEY_SHEET)
    return f"{key}!$B$3:$B${last_band}", f"{key}!$A$3:$A${last_band}"
