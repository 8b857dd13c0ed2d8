"""The audit report as a workbook: one sheet per part of the report, for a board paper's annex.

Sheets: Summary, Grades, Sections, Cuts, Monthly, Moderation, Criteria, Actions, About. Every
sheet has a frozen header row with a filter, widths set and A4 landscape printing, through the
shared sheet helpers (`xlsx/sheets.py`), so every workbook looks and prints alike.
Percentages are written as numbers (0.382 shown as 38.2%), so a reader can re-add them; counts
are whole numbers; nothing is written as text that Excel would have to re-read. The file is saved by
`xlsx/workbook_io.save_atomically`, so a failed or cancelled export never leaves half a workbook
where the reader expects one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Generator

from openpyxl.styles import Alignment

from send_desktop.audits.stats import GRADES
from send_desktop.core.progress import Progress
from send_desktop.reports.audit_report import (
    CUT_COLUMNS, METHOD, AuditReport, audit_report, grade_pct, pct_text, period_text, rate_text, value_label,
)
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.sheets import Styles, about_rows, new_workbook, prepare_sheet, put_cell, put_row, write_header

# Column kinds beyond the plan workbook's: each picks a number format.
PCT, INT, DEC1, DEC2 = "pct", "int", "dec1", "dec2"


def _c(key: str, header: str, width: float, kind: str = L.TEXT) -> L.Column:
    return L.Column(key, header, width, kind)


def _share_columns(n_header: str = "Graded audits (n)") -> tuple[L.Column, ...]:
    return (_c("n", n_header, 12, INT), _c("good", "Good or better", 12, INT),
            _c("pct", "% good or better", 12, PCT), _c("low", "95% interval from", 12, PCT),
            _c("high", "95% interval to", 12, PCT))


SUMMARY = L.SheetLayout("Summary", (_c("item", "Figure", 44), _c("value", "Value", 16),
                                    _c("note", "How it is worked out", 90, L.LONG)), title_row=True)
GRADES_SHEET = L.SheetLayout("Grades", (_c("grade", "Grade", 24), _c("audits", "Audits", 10, INT),
                                        _c("pct", "% of graded audits", 16, PCT)))
SECTIONS = L.SheetLayout("Sections", (_c("code", "Section", 12), _c("title", "Title", 44),
                                      _c("weight", "Weight", 9, DEC1), _c("mean", "Mean score", 11, DEC1),
                                      *_share_columns("Audits where it applied")))
CUTS = L.SheetLayout("Cuts", (_c("cut", "Cut", 16), _c("value", "Value", 36), *_share_columns()))
MONTHLY = L.SheetLayout("Monthly", (
    _c("month", "Month", 10), _c("whole", "Whole month", 11), _c("audits", "Audits done", 11, INT),
    _c("target", "Target", 9, INT), _c("of_target", "Done as % of target", 12, PCT), *_share_columns(),
    _c("rolling", "Rolling 3-month %", 13, PCT), _c("framework", "Framework version", 18),
    _c("segment", "Rolling line", 10, INT)))
MODERATION = L.SheetLayout("Moderation", (
    _c("plan_ref", "Plan reference", 16), _c("audit_date", "Audit date", 12, L.DATE), _c("auditor", "Auditor", 22),
    _c("moderator", "Moderator", 22), _c("original", "Auditor's grade", 20), _c("moderated", "Moderated grade", 20),
    _c("bands", "Bands apart", 10, INT), _c("audit_id", "Audit id", 10, INT)), title_row=True)
CRITERIA = L.SheetLayout("Criteria", (
    _c("rank", "Rank", 7, INT), _c("id", "Criterion", 12), _c("section", "Section", 10),
    _c("text", "Criterion text", 70, L.LONG),
    _c("unmet", "Audits below met", 12, INT), _c("rated", "Audits where it applied", 14, INT),
    _c("pct", "% below met", 11, PCT)))
ACTIONS = L.SheetLayout("Actions", (_c("section", "Section", 12), _c("open", "Open", 10, INT),
                                    _c("past_due", "Open and past due", 14, INT), _c("done", "Done", 10, INT),
                                    _c("total", "Total", 10, INT), _c("pct_done", "% done", 10, PCT)))
ABOUT = L.SheetLayout("About", (_c("item", "Item", 24), _c("value", "Value", 100, L.LONG)))
SHEETS = (SUMMARY, GRADES_SHEET, SECTIONS, CUTS, MONTHLY, MODERATION, CRITERIA, ACTIONS, ABOUT)


class _ReportStyles(Styles):
    def __init__(self, ws):
        super().__init__(ws)
        top = Alignment(vertical="top")
        self.kinds = {PCT: self.make(ws, alignment=top, number_format="0.0%"),
                      INT: self.make(ws, alignment=top, number_format="#,##0"),
                      DEC1: self.make(ws, alignment=top, number_format="0.0"),
                      DEC2: self.make(ws, alignment=top, number_format="0.00")}

    def style(self, kind: str, col: L.Column | None = None):
        return self.kinds.get(kind) or (self.for_column(col) if col else self.plain)


def _frac(pct: float | None) -> float | None:
    """A 0-100 figure as the fraction Excel's % format shows (38.2 -> 0.382)."""
    return None if pct is None else pct / 100.0


def _share(share) -> list:
    return [share.n, share.good, _frac(share.pct), _frac(share.low), _frac(share.high)]


def _summary_rows(r: AuditReport) -> list[tuple]:
    """(figure, value, kind, how it is worked out)."""
    s, m = r.settings, r.moderation
    target = "" if r.vs_target is None else f"Compared with the target: {r.vs_target}."
    rows = [
        ("% good or better", _frac(r.share.pct), PCT, "Good + Outstanding over audits with one of the four grades "
         "(Not graded left out). " + target),
        ("Graded audits (n)", r.share.n, INT, "Submitted or moderated audits dated in the period, with a grade."),
        ("Good or better (audits)", r.share.good, INT, ""),
        ("95% interval from", _frac(r.share.low), PCT, "Wilson score interval."),
        ("95% interval to", _frac(r.share.high), PCT, ""),
        ("Target", _frac(s.target_pct), PCT, "Set in the audit settings."),
        ("Benchmark", _frac(s.benchmark_pct), PCT, "External benchmark, if set."
         + ("" if r.vs_benchmark is None else f" Compared with the benchmark: {r.vs_benchmark}.")),
        ("Audits counted", r.counted, INT, "Submitted or moderated, dated in the period."),
        ("Not graded", r.not_graded, INT, "Too little of the plan applied to grade it; left out of every %."),
        ("Drafts not counted", r.drafts, INT, "Draft audits dated in the period."),
        ("Plans on the caseload list", r.caseload, INT, "None loaded when blank."),
        ("Monthly target (audits)", r.monthly_target, INT,
         f"{rate_text(s.sample_rate)} of the plans on the caseload list, rounded up."),
        ("Moderated audits", m.n, INT, "Audits in the period whose moderation is complete."),
        ("Exact grade agreement", _frac(m.exact_pct), PCT, ""),
        ("Agreement within one band", _frac(m.within_one_pct), PCT, ""),
        ("Quadratic-weighted kappa", m.kappa, DEC2, "1 is perfect agreement, 0 what chance would give."),
        ("Disagreements of more than one band", len(r.moderation_cases), INT, "Listed on the Moderation sheet."),
        ("Improvement actions open", r.actions_open, INT, ""),
        ("of which past due", r.actions_open_past_due, INT, f"Due before {r.as_of:%d/%m/%Y}."),
        ("Improvement actions done", r.actions_done, INT, ""),
    ]
    return rows


def _rows(r: AuditReport) -> dict[str, list[list]]:
    versions = {f.id: f"{f.name} {f.version}" for f in r.frameworks}
    order = [*reversed(GRADES), *(g for g in r.grades if g not in GRADES)]
    return {
        GRADES_SHEET.name: [[g, r.grades[g], _frac(grade_pct(r, g))] for g in order],
        SECTIONS.name: [[x.code, x.title, x.weight, x.mean_score, *_share(x.share)] for x in r.sections],
        CUTS.name: [[label, value_label(c.value), *_share(c.share)]
                    for column, label in CUT_COLUMNS.items() for c in r.cuts[column]],
        MONTHLY.name: [[m.month, "Yes" if m.whole_month else "No", m.audits, m.target,
                        m.audits / m.target if m.target else None, *_share(m.share), _frac(m.rolling_pct),
                        " + ".join(versions.get(f, str(f)) for f in m.frameworks), m.segment + 1] for m in r.monthly],
        MODERATION.name: [[c.plan_ref, dt.date.fromisoformat(c.audit_date[:10]), c.auditor, c.moderator, c.original,
                           c.moderated, c.bands, c.audit_id] for c in r.moderation_cases],
        CRITERIA.name: [[i, c.criterion_id, c.section, c.text, c.unmet, c.rated, _frac(c.pct)]
                        for i, c in enumerate(r.criteria, 1)],
        ACTIONS.name: [[a.section, a.open, a.open_past_due, a.done, a.open + a.done,
                        a.done / (a.open + a.done) if a.open + a.done else None] for a in r.actions]
        + [["All sections", r.actions_open, r.actions_open_past_due, r.actions_done, r.actions_open + r.actions_done,
            r.actions_done / (r.actions_open + r.actions_done) if r.actions_open + r.actions_done else None]],
    }


def _about_rows(db, r: AuditReport, now: dt.datetime) -> list[list]:
    return about_rows(db, [["Report", "EHCP quality audits"], ["Period", period_text(r)]], r.notes, now) + [
        [heading, text] for heading, text in METHOD]


def export_audit_report(db, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
                        as_of: dt.date | None = None) -> Generator[Progress, None, Path]:
    """Write the audit report for the period to `path` (.xlsx); yields progress, returns the path."""
    path = W.check_target(path, ".xlsx")
    total = len(SHEETS) + 1
    yield Progress(0, total, "Reading the audits")
    report = audit_report(db, date_from, date_to, as_of=as_of)
    now = dt.datetime.now()
    rows = {**_rows(report), SUMMARY.name: _summary_rows(report), ABOUT.name: _about_rows(db, report, now)}

    wb = new_workbook()
    styles = None
    for done, layout in enumerate(SHEETS, 1):
        yield Progress(done, total, f"Writing sheet '{layout.name}'")
        ws = prepare_sheet(wb, layout, len(rows[layout.name]))
        styles = styles or _ReportStyles(ws)
        write_header(ws, layout, styles)
        first = layout.header_row + 1
        if layout is SUMMARY:
            put_cell(ws, 1, 1, f"EHCP quality audits: {period_text(report)}", styles.title)
            for i, (item, value, kind, note) in enumerate(rows[layout.name]):
                put_cell(ws, first + i, 1, item, styles.plain)
                if value is not None:
                    put_cell(ws, first + i, 2, value, styles.style(kind))
                if note:
                    put_cell(ws, first + i, 3, note, styles.wrap)
            continue
        if layout is MODERATION:
            m = report.moderation
            put_cell(ws, 1, 1, f"Disagreements of more than one band: {len(report.moderation_cases):,} of {m.n:,} "
                               f"moderated audits (exact agreement {pct_text(m.exact_pct)}, within one band "
                               f"{pct_text(m.within_one_pct)})", styles.title)
        column_styles = [styles.style(col.kind, col) for col in layout.columns]
        for i, values in enumerate(rows[layout.name]):
            put_row(ws, first + i, values, column_styles)

    yield Progress(total, total, f"Saving {path.name}")
    return W.save_workbook(wb, path)
