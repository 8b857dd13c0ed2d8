"""Writing the plan to a workbook that officers can read, print, edit and send back.

The sheets and columns come from `layout`, the one definition the import reads with; they are
laid out, styled and guarded (text that begins with "=" stays text) by `sheets`, and saved with
`workbook_io.save_atomically`, so a failed or cancelled export never leaves half a workbook
where the officer expects one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Generator

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop.core.gc_pace import fewer_collections
from send_desktop.core.progress import Progress
from send_desktop.core.scales import text_colour_for
from send_desktop.services.plan_read import PlanSnapshot, load_plan
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.fast_rows import DeferredRows


def _status_rules(ws, layout: L.SheetLayout, snap: PlanSnapshot, data_rows: int) -> None:
    """Status cells: a drop-down of the scale's labels, coloured by level (the label stays)."""
    letter = get_column_letter(layout.position("status"))
    first = layout.header_row + 1
    area = f"{letter}{first}:{letter}{first + data_rows + S.SPARE_ROWS}"
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
    return S.about_rows(db, [[L.ABOUT_LAYOUT, L.LAYOUT_NAME], [L.ABOUT_TITLE, snap.title], [L.ABOUT_PLAN_UID, snap.uid],
                             [L.ABOUT_SCALE, snap.scale.name], [L.ABOUT_PRESET, snap.scale.preset or ""]],
                        L.ABOUT_NOTES, now)


def export_plan(db, path: Path, today: dt.date | None = None) -> Generator[Progress, None, Path]:
    """Write the first plan of `db` to `path` (.xlsx); yields progress, returns the path."""
    with fewer_collections(500_000):  # some 60,000 cells: the default pace cost 40% (core.gc_pace)
        return (yield from _export_plan(db, path, today))


def _export_plan(db, path: Path, today: dt.date | None) -> Generator[Progress, None, Path]:
    path = W.check_target(path, ".xlsx")
    now = dt.datetime.now()
    today = today or now.date()
    snap = load_plan(db, today=today)
    rows = {L.PLAN.name: _plan_rows(snap), L.UPDATES.name: _update_rows(snap), **_other_rows(snap),
            L.KEY.name: _key_rows(snap), L.ABOUT.name: _about_rows(db, snap, now)}
    total = sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")

    wb = S.new_workbook()
    sheets = {layout.name: S.prepare_sheet(wb, layout, len(rows[layout.name])) for layout in L.SHEETS}
    styles = S.Styles(sheets[L.PLAN.name])

    plan = sheets[L.PLAN.name]
    plan.row_dimensions[1].height = 22
    S.put_cell(plan, 1, 1, f"{snap.title} \u2014 exported {today.day} {today:%b %Y}", styles.title)
    done = 0
    big = DeferredRows(wb)  # the Plan and Updates rows go into the saved file as text (fast_rows)
    for layout in L.SHEETS:
        if layout in (L.PLAN, L.UPDATES):
            big.add(sheets[layout.name], layout, styles, rows[layout.name])
        else:
            yield from S.fill_sheet(sheets[layout.name], layout, styles, rows[layout.name], done, total)
        done += len(rows[layout.name])
        yield Progress(done, total, f"Writing sheet '{layout.name}'")
    for layout in (L.PLAN, L.UPDATES):
        _status_rules(sheets[layout.name], layout, snap, len(rows[layout.name]))
    _colour_key(sheets[L.KEY.name], snap)

    yield Progress(total, total, f"Saving {path.name}")
    return big.save(path)
