"""Writing the KPI set to a workbook officers can read, fill in and send back.

The sheets come from `kpi_xlsx_layout`; cells are written with `sheets`' prepared styles and
its `put_cell`, which keeps text that begins with "=" as text. Values, targets and comparator
values are text cells formatted as Text, so what an officer types ("85%", "1,322") stays as
typed instead of Excel turning it into a number. The file is saved by
`workbook_io.save_atomically`, so a failed or cancelled export leaves no half-written workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Generator

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop.core.kpi_values import RAG_COLOURS
from send_desktop.core.periods import ACADEMIC_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, YEAR, parse_period
from send_desktop.core.progress import Progress
from send_desktop.core.scales import text_colour_for
from send_desktop.services.kpi_read import KpiSnapshot, collector_paused, load_kpis
from send_desktop.xlsx import kpi_xlsx_layout as K
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.sheets import (SPARE_ROWS, Styles, about_rows, add_sheet, fill_sheet, new_workbook,
                                      prepare_sheet, put_cell, put_row, write_header)

STEP = 50  # KPI rows between progress reports on the Values sheet (each row holds every period)


#: Period columns come grouped by kind, so each KPI's values sit side by side (a yearly count's
#: years together, a monthly measure's months together) rather than scattered among each other.
KIND_ORDER = (YEAR, FINANCIAL_YEAR, ACADEMIC_YEAR, QUARTER, MONTH)


def _columns(periods) -> list[str]:
    return sorted(set(periods), key=lambda p: (KIND_ORDER.index(parse_period(p).kind), parse_period(p).sort_key))


def _definition_rows(snap: KpiSnapshot) -> list[list]:
    return [[k.ref, k.measure, k.officer, k.frequency, k.unit, k.direction, k.priority_ref, k.tolerance, k.notes,
             k.uid] for k in snap.kpis]


def _comparator_rows(snap: KpiSnapshot) -> list[list]:
    return [[k.ref, k.measure, c.name, c.text, c.as_at, c.source, k.uid, c.uid] for k in snap.kpis
            for c in k.comparators]


def _summary_rows(snap: KpiSnapshot) -> list[list]:
    travel = {"improving": "Improving", "worsening": "Worsening", "no change": "No change"}
    return [[k.ref, k.measure, k.latest.text if k.latest else "", k.latest.label if k.latest else "",
             k.target.text if k.target else "", k.rag.label, "; ".join(p.words for p in k.positions),
             travel.get(k.travel, ""), k.rag.reason] for k in snap.kpis]


def _about_rows(db, snap: KpiSnapshot, now: dt.datetime) -> list[list]:
    return about_rows(db, [[K.ABOUT_LAYOUT, K.LAYOUT_NAME], ["Plan title", snap.title], ["KPIs", len(snap.kpis)]],
                      K.ABOUT_NOTES, now)


def _title(ws, styles: Styles, text: str) -> None:
    ws.row_dimensions[1].height = 22
    put_cell(ws, 1, 1, text, styles.title)


def _write_wide(ws, layout: L.SheetLayout, snap: KpiSnapshot, periods: list[str], points: str, styles: Styles,
                text_style) -> Generator[Progress, None, None]:
    """One row per KPI, one column per period, each value (or target) as its text."""
    write_header(ws, layout, styles)
    row_styles = [styles.plain, styles.wrap, styles.plain] + [text_style] * len(periods) + [styles.plain]
    index = {p: i for i, p in enumerate(periods)}
    total = len(snap.kpis)
    for n, k in enumerate(snap.kpis, 1):
        cells = [None] * len(periods)
        for v in getattr(k, points):
            cells[index[v.period]] = v.text
        put_row(ws, layout.header_row + n, [k.ref, k.measure, k.unit] + cells + [k.uid], row_styles)
        if n % STEP == 0:
            yield Progress(n, total, f"Writing sheet '{layout.name}'")


def _text_columns(ws, layout: L.SheetLayout, keys: tuple[str, ...], rows: int, text_style) -> None:
    """Target and value cells as Text, so typed percentages stay as typed."""
    for key in keys:
        column = layout.position(key)
        for r in range(layout.header_row + 1, layout.header_row + rows + 1):
            ws.cell(r, column)._style = text_style


def _drop_downs(ws, snap: KpiSnapshot, rows: int) -> None:
    lists = [*K.LISTS, ("Priority", tuple(ref for _, ref in snap.priorities))]
    first, last = K.DEFINITIONS.header_row + 1, K.DEFINITIONS.header_row + rows + SPARE_ROWS
    for column, (header, choices) in enumerate(lists, 1):
        if not choices:
            continue
        key = {"Unit": "unit", "Better when": "direction", "Frequency": "frequency", "Priority": "priority"}[header]
        letter = get_column_letter(K.DEFINITIONS.position(key))
        source = f"{quote_sheetname(K.LISTS_NAME)}!${get_column_letter(column)}$2:" \
                 f"${get_column_letter(column)}${len(choices) + 1}"
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                            errorTitle=header, error=f"Choose one of: {', '.join(choices)}.")
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.data_validations.append(dv)


def _write_lists(wb, snap: KpiSnapshot, styles: Styles) -> None:
    ws = wb.create_sheet(K.LISTS_NAME)
    ws.sheet_state = "hidden"
    lists = [*K.LISTS, ("Priority", tuple(ref for _, ref in snap.priorities))]
    for column, (header, choices) in enumerate(lists, 1):
        put_cell(ws, 1, column, header, styles.header)
        for row, choice in enumerate(choices, 2):
            put_cell(ws, row, column, choice, styles.plain)


def _on_colour(cell, status) -> None:
    """A RAG cell on its colour; its label is in the cell too, so print and greyscale still read."""
    colour = RAG_COLOURS[status]
    cell.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
    cell.font = Font(bold=True, color=text_colour_for(colour).lstrip("#"))


def _write_key(wb, styles: Styles) -> None:
    ws = wb.create_sheet(K.KEY_NAME)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    put_row(ws, 1, ["Item", "Meaning"], [styles.header] * 2)
    section = Styles.make(ws, font=Font(bold=True), alignment=Alignment(vertical="top"))
    put_cell(ws, 3, 1, "RAG rating", section)
    row = 4
    for status, label, text in K.RAG_KEY:
        put_row(ws, row, [label, text], [styles.plain, styles.wrap])
        _on_colour(ws.cell(row, 1), status)
        row += 1
    for title, items in K.KEY_SECTIONS:
        put_cell(ws, row + 1, 1, title, section)
        row += 2
        for item, text in items:
            put_row(ws, row, [item, text], [styles.plain, styles.wrap])
            row += 1


def export_kpis(db, path: Path) -> Generator[Progress, None, Path]:
    """Write the file's KPIs to `path` (.xlsx); yields progress, returns the path."""
    path = W.check_target(path, ".xlsx")
    now = dt.datetime.now()
    snap = load_kpis(db)
    periods = _columns(snap.periods)
    target_periods = _columns(t.period for k in snap.kpis for t in k.targets)
    values_layout = K.wide_layout(K.VALUES_NAME, [parse_period(p).label for p in periods])
    targets_layout = K.wide_layout(K.TARGETS_NAME, [parse_period(p).label for p in target_periods])
    rows = {K.SUMMARY.name: _summary_rows(snap), K.DEFINITIONS.name: _definition_rows(snap),
            K.COMPARATORS.name: _comparator_rows(snap), L.ABOUT.name: _about_rows(db, snap, now)}
    total = 2 * len(snap.kpis) + sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")

    wb = new_workbook()
    summary = prepare_sheet(wb, K.SUMMARY, len(snap.kpis))
    styles = Styles(summary)
    text_style = Styles.make(summary, alignment=Alignment(vertical="top"), number_format="@")
    values = prepare_sheet(wb, values_layout, len(snap.kpis))
    definitions = prepare_sheet(wb, K.DEFINITIONS, len(snap.kpis))
    targets = prepare_sheet(wb, targets_layout, len(snap.kpis))
    comparators = prepare_sheet(wb, K.COMPARATORS, len(rows[K.COMPARATORS.name]))
    heading = snap.title or "KPIs"
    stamp = f"exported {now.day} {now:%b %Y}"
    for ws, what in ((summary, "KPI summary"), (values, "KPI values by period"), (definitions, "KPI definitions"),
                     (targets, "KPI targets by period")):
        _title(ws, styles, f"{heading} \u2014 {what}, {stamp}")
    first_period = get_column_letter(len(K.WIDE_LEAD) + 1)
    summary.freeze_panes = definitions.freeze_panes = "C3"
    values.freeze_panes = targets.freeze_panes = f"{first_period}3"

    done = 0
    yield from fill_sheet(summary, K.SUMMARY, styles, rows[K.SUMMARY.name], done, total)
    for r, k in enumerate(snap.kpis, K.SUMMARY.header_row + 1):
        _on_colour(summary.cell(r, K.SUMMARY.position("rag")), k.rag.status)
    done += len(snap.kpis)
    yield from _write_wide(values, values_layout, snap, periods, "values", styles, text_style)
    yield from fill_sheet(definitions, K.DEFINITIONS, styles, rows[K.DEFINITIONS.name], done, total)
    yield from _write_wide(targets, targets_layout, snap, target_periods, "targets", styles, text_style)
    yield from fill_sheet(comparators, K.COMPARATORS, styles, rows[K.COMPARATORS.name], done, total)
    _text_columns(comparators, K.COMPARATORS, ("text",), len(rows[K.COMPARATORS.name]), text_style)
    _drop_downs(definitions, snap, len(snap.kpis))
    _write_key(wb, styles)
    yield from add_sheet(wb, L.ABOUT, rows[L.ABOUT.name], styles, done, total)
    _write_lists(wb, snap, styles)

    yield Progress(total, total, f"Saving {path.name}")
    with collector_paused():  # writing the XML makes hundreds of thousands of short-lived objects
        return W.save_workbook(wb, path)
