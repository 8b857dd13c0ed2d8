"""Reading KPIs from an officer's own table (not a workbook the application wrote).

`kpi_xlsx.import_kpis` comes here when the workbook has no Definitions sheet with hidden KPI ids,
or a column mapping is given. The table is read by `tolerant.table` and turned into the same
`KpiBook` the application's own layout gives, which goes through the same resolution
(`kpi_xlsx_apply.resolve`: a KPI is matched by its reference) and the same order of work
(`workbook_io.import_workbook`). The rules:

- one row a KPI: reference ("1c", "2b (i)"), measure, owner, frequency, unit, better when, notes;
- a column headed with a period ("2023/24", "Q1 24/25", "Sep-25", "March 2024", or an Excel
  date) holds the KPI's value for that period; "Target 2025/26" its target for that period;
- "Latest" is the value for the row's Period column, or for a period in its header ("Latest
  (Mar 2025)"); a plain "Target" is the target from the row's latest period on;
- statistical neighbours, national and regional columns are comparators, dated by a period in
  their header when there is one;
- every value keeps its text as given ("84.7%", "tbc", "Good 27%"), the number is derived from it
  (`core.kpi_values`); a number Excel shows as a percentage (0.847 as 84.7%) is read as shown;
- a blank cell leaves what the database holds (an officer's table is not an export: a blank is
  not a deletion);
- the unit, when the table has no unit column, is the matched KPI's, else told from the values
  (a % sign: %, "weeks", "days", other numbers: count, words only: text); the frequency likewise
  from the kind of the period columns.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Generator

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import FINANCIAL_YEAR, MONTH, QUARTER, Period, PeriodError, parse_period, try_period
from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.xlsx import kpi_xlsx_layout as K
from send_desktop.xlsx.kpi_xlsx_read import KpiBook, Sheet, value_text
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.headers import ColumnMapping, cell_text
from send_desktop.xlsx.tolerant.table import Preview, preview as _preview, Table, TableRow, TableSheet, is_foreign as _is_foreign, read_table, \
    remap

KIND = "kpis"
NEEDED = ("ref", "measure")
WHAT = "a reference and a measure (such as 'Ref' and 'Measure')"
VALUE_FIELDS = ("latest", "target", "neighbours", "national", "regional")
COMPARATORS = {"neighbours": "Statistical neighbours", "national": "National", "regional": "Regional"}
_TARGET_WORD = re.compile(r"^\s*(?:targets?|tgt)\b\s*[:\-\u2013(]?\s*(.+?)\s*\)?\s*$|^\s*(.+?)\s*[(\-\u2013]?\s*"
                          r"(?:targets?|tgt)\s*\)?\s*$", re.I)
_FREQUENCY_OF = {MONTH: "monthly", QUARTER: "quarterly", FINANCIAL_YEAR: "annual", "academic year": "annual",
                 "year": "annual"}
_DEFINITION_FIELDS = {"ref": "ref", "measure": "measure", "officer": "owner", "frequency": "frequency",
                      "unit": "unit", "direction": "direction", "notes": "notes"}


def is_foreign(path: Path) -> bool:
    """Whether `path` is not a KPI workbook the application wrote."""
    return _is_foreign(path, K.DEFINITIONS.name, "KPI id")


def preview(path: Path, db=None, mapping: ColumnMapping | dict | None = None, rows: int = 10) -> Preview:
    """What the import assistant's Columns page shows (`tolerant.table.preview`)."""
    shown = _preview(KIND, path, db, mapping, rows, NEEDED)
    for sheet in shown.sheets:  # columns headed with a period are read as the values or targets of that period
        for header in list(sheet.unassigned):
            found = _period_header(header)
            if found is not None:
                sheet.unassigned.remove(header)
                sheet.read_as[header] = found
    return shown


def read(path: Path, mapping: ColumnMapping | dict | None = None, db=None) -> Generator[Progress, None, Table]:
    """The officer's table read into rows; columns headed with a period are not reported as left out."""
    table = yield from read_table(path, KIND, mapping, db, needed=NEEDED, what=WHAT, percent_fields=VALUE_FIELDS,
                                  other_columns=True, literal=VALUE_FIELDS, own=(K.DEFINITIONS.name, "a KPI workbook"))
    for sheet in table.sheets:
        taken = {sheet.header.texts[c] for c in period_columns(sheet)}
        for i, w in enumerate(table.warnings):
            if w.sheet == sheet.name and w.message.startswith("columns not imported"):
                left = [t for t in sheet.header.unassigned() if t not in taken]
                if left:
                    listed = ", ".join(f"'{t}'" for t in left[:12]) + (", ..." if len(left) > 12 else "")
                    table.warnings[i] = Problem(f"columns not imported (assign them in a column mapping to import "
                                                f"them): {listed}", w.sheet, w.row)
                else:
                    table.warnings[i] = None
        table.warnings = [w for w in table.warnings if w is not None]
    return table


@functools.lru_cache(maxsize=1024)  # asked again for every row under the same header
def _period_in(text: str) -> Period | None:
    """A period named in a header beside words ("Latest (Mar 2025)", "National 2023/24")."""
    words = text.replace("(", " ").replace(")", " ").split()
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            if (i, j) != (0, len(words)) or len(words) == 1:
                found = try_period(" ".join(words[i:j]))
                if found is not None and any(ch.isdigit() for ch in " ".join(words[i:j])):
                    return found
    return None


def _header_period(text: str, raw=None, vocabulary: bool = False) -> tuple[str, Period] | None:
    """("value" or "target", period) for a header naming a period ("2023/24", "Target 2025/26");
    `vocabulary`: the header was taken for a field, so only "Target <period>" counts."""
    m = _TARGET_WORD.match(text)
    if m:
        rest = m[1] or m[2]
        period = try_period(rest) if any(ch.isdigit() for ch in rest) else None
        return ("target", period) if period is not None else None
    if vocabulary:
        return None
    dated = isinstance(raw, (dt.date, dt.datetime))
    if dated or (isinstance(raw, (int, float)) and not isinstance(raw, bool)) or any(ch.isdigit() for ch in text):
        period = try_period(raw if dated else text)
        return ("value", period) if period is not None else None
    return None


def _period_header(text: str) -> str | None:
    """How the Columns page says what a period column holds: "values for 2023/24"."""
    found = _header_period(text)
    if found is None:
        return None
    what, period = found
    return f"{'targets' if what == 'target' else 'values'} for {period.label}"


def period_columns(sheet: TableSheet) -> dict[int, tuple[str, Period, str]]:
    """Column -> ("value" or "target", period, its header as shown) for the columns headed with a
    period (a header Excel holds as a date is shown as its month, "Oct 2025")."""
    out: dict[int, tuple[str, Period, str]] = {}
    h = sheet.header
    for c, raw in enumerate(sheet.header_cells):
        fld = h.columns.get(c)
        text = h.texts[c] if c < len(h.texts) and h.texts[c] else cell_text(raw)
        if not text or (fld is not None and fld != "target"):
            continue
        found = _header_period(text, raw, vocabulary=fld is not None)
        if found is not None:
            dated = isinstance(raw, (dt.date, dt.datetime))
            out[c] = (found[0], found[1], found[1].label if dated else text)
    return out


def _unit(texts: list[str]) -> str:
    joined = " ".join(texts).casefold()
    if "%" in joined:
        return "%"
    if re.search(r"\bweeks?\b|\bwks\b", joined):
        return "weeks"
    if re.search(r"\bdays?\b", joined):
        return "days"
    numbers = [kv.number_in(t) for t in texts]
    if any(n is not None for n in numbers):
        return "count"
    return "text" if any(t and not V.is_placeholder(t) for t in texts) else "%"


class _Builder:
    def __init__(self, table: Table, snap):
        self.table, self.snap = table, snap
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = list(table.warnings)
        self.fields = {f for s in table.sheets for f in s.header.columns.values()}
        self.by_ref = {kv.ref_key(k.ref): k for k in snap.kpis}
        self.columns: dict[int, str] = {}   # comparator row keys -> the officer's column
        self.next_key = -1

    def cell(self, sheet: TableSheet, row: TableRow, c: int, header: str) -> str:
        raw = row.cells[c] if c < len(row.cells) else None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and (row.row - 1, c) in sheet.percent:
            raw = V.percent_text(raw)
        if V.looks_like_formula(raw):
            return ""
        return value_text(raw, self.problems, {"sheet": sheet.name, "row": row.row, "column": header})

    def extra_key(self, row: TableRow, column: str) -> int:
        key, self.next_key = self.next_key, self.next_key - 1
        self.table.where[key] = (row.sheet, row.row)
        self.columns[key] = column
        return key

    def build(self) -> KpiBook:
        book = KpiBook(self.table.file)
        definitions, values, targets, comparators = [], [], [], []
        for sheet in self.table.sheets:
            h = sheet.header
            cols = {f: c for c, f in h.columns.items()}
            periods = period_columns(sheet)
            latest_period = _period_in(h.header_of("latest")) if "latest" in cols else None
            target_period = _period_in(h.header_of("target")) if "target" in cols and cols["target"] not in periods \
                else None
            unplaced = []
            for row in sheet.rows:
                ref = V.value_text(row.values.get("ref"))
                measure = V.value_text(row.values.get("measure"))
                if row.banner and not (ref and measure):
                    self.warnings.append(Problem(f"not a KPI, so not imported: '{row.banner[:60]}'", row.sheet,
                                                 row.row))
                    continue
                cells, tcells = {}, {}
                for c, (what, period, shown) in periods.items():
                    text = self.cell(sheet, row, c, shown)
                    if text:
                        (cells if what == "value" else tcells)[period.text] = (text, shown)
                period = latest_period
                if "period" in cols and not V.is_placeholder(row.values.get("period")):
                    try:
                        period = parse_period(row.values["period"])
                    except PeriodError as exc:
                        self.problems.append(Problem(exc.message, row.sheet, row.row, h.header_of("period")))
                if "latest" in cols:
                    text = self.cell(sheet, row, cols["latest"], h.header_of("latest"))
                    if text and period is not None:
                        cells.setdefault(period.text, (text, h.header_of("latest")))
                    elif text and not V.is_placeholder(text) and not any(cells.get(p.text, ("",))[0] == text for _w, p, _s in periods.values()):
                        unplaced.append(row.row)
                known = [parse_period(p) for p in cells]
                row_period = period or (max(known, key=lambda p: p.sort_key) if known else None)
                if "target" in cols and cols["target"] not in periods:
                    text = self.cell(sheet, row, cols["target"], h.header_of("target"))
                    at = target_period or row_period
                    if text and at is not None:
                        tcells.setdefault(at.text, (text, h.header_of("target")))
                    elif text and not V.is_placeholder(text):
                        unplaced.append(row.row)
                existing = self.by_ref.get(kv.ref_key(ref))
                texts = [t for t, _h in list(cells.values()) + list(tcells.values())]
                kinds = [parse_period(p).kind for p in cells] or [p.kind for _w, p, _s in periods.values()]
                definitions.append(self.definition(row, ref, measure, existing, texts, kinds))
                if cells:
                    values.append({"_row": row.key, "ref": ref, "uid": None, "cells": cells})
                if tcells:
                    targets.append({"_row": row.key, "ref": ref, "uid": None, "cells": tcells})
                for fld, name in COMPARATORS.items():
                    if fld not in cols:
                        continue
                    header = h.header_of(fld)
                    text = self.cell(sheet, row, cols[fld], header)
                    if text:
                        when = _period_in(header)
                        comparators.append({"_row": self.extra_key(row, header), "ref": ref, "measure": measure,
                                            "name": name, "text": text, "as_at": when.end if when else None,
                                            "source": header, "uid": None, "comparator_uid": None})
            if unplaced:
                self.warnings.append(Problem(
                    f"{len(unplaced)} latest value{'s' if len(unplaced) > 1 else ''} or target{'s' if len(unplaced) > 1 else ''}"
                    f" with no period {'were' if len(unplaced) > 1 else 'was'} not imported (rows "
                    f"{', '.join(map(str, unplaced[:20]))}): add a Period column, or name the period in the header "
                    "such as 'Latest (Mar 2025)'", sheet.name, unplaced[0]))
        # unit, frequency and direction are always given: the table's, else the matched KPI's, else told
        present = {"ref", "measure", "unit", "frequency", "direction", "uid"} | {
            ours for ours, theirs in _DEFINITION_FIELDS.items() if theirs in self.fields}
        book.sheets[K.DEFINITIONS.name] = Sheet(definitions, present)
        book.sheets[K.VALUES_NAME] = Sheet(values, {"ref"})
        book.sheets[K.TARGETS_NAME] = Sheet(targets, {"ref"})
        book.sheets[K.COMPARATORS.name] = Sheet(comparators, {"ref", "name", "text", "as_at", "source"})
        return book

    def definition(self, row: TableRow, ref: str, measure: str, existing, texts, kinds) -> dict:
        out = {"_row": row.key, "ref": ref, "measure": measure, "officer": V.value_text(row.values.get("owner")),
               "notes": V.value_text(row.values.get("notes")), "priority": "", "tolerance": "", "uid": None}
        unit = V.value_text(row.values.get("unit"))
        out["unit"] = unit or (existing.unit if existing else _unit(texts))
        frequency = V.value_text(row.values.get("frequency"))
        told = _FREQUENCY_OF.get(max(set(kinds), key=kinds.count)) if kinds else None
        out["frequency"] = frequency or (existing.frequency if existing else told or "monthly")
        direction = V.value_text(row.values.get("direction"))
        out["direction"] = direction or (existing.direction if existing else "higher")
        return out


def to_book(table: Table, snap) -> tuple[KpiBook, list[Problem], list[Problem], dict[int, str]]:
    """The officer's table as our layout's `KpiBook`, with the problems and warnings of reading it
    and the officer's column of each comparator row (by its row key, for the resolution's problems)."""
    b = _Builder(table, snap)
    book = b.build()
    return book, b.problems, b.warnings, b.columns


def _ours() -> dict[str, dict[str, str]]:
    definitions = {c.header: _DEFINITION_FIELDS.get(c.key, "") for c in K.DEFINITIONS.columns}
    return {K.DEFINITIONS.name: definitions, K.VALUES_NAME: {"Ref": "ref"}, K.TARGETS_NAME: {"Ref": "ref"},
            K.COMPARATORS.name: {"Ref": "ref"}}


def import_foreign_kpis(db, path: Path, report, *, dry_run: bool, source: str,
                        mapping: dict | ColumnMapping | None) -> Generator[Progress, None, object]:
    """`import_kpis` for an officer's own table: the order of `workbook_io.import_workbook`."""
    from send_desktop.services.kpi_read import load_kpis
    from send_desktop.xlsx import workbook_io as W
    from send_desktop.xlsx.kpi_xlsx_apply import apply as apply_changes
    from send_desktop.xlsx.kpi_xlsx_apply import resolve as resolve_book
    from send_desktop.xlsx.tolerant.mappings import remember_mapping

    def reading(p):
        return (yield from read(p, mapping, db))

    def resolve(s, table):
        snap = load_kpis(db)
        book, problems, warnings, columns = to_book(table, snap)
        cs = resolve_book(book, snap)
        ours = _ours()
        cs.problems = problems + remap(cs.problems, table, ours, columns)
        cs.warnings = warnings + remap(cs.warnings[len(book.warnings):], table, ours, columns)
        cs.table = table
        return cs

    def apply(s, cs):
        for sheet in cs.table.sheets:  # offered the next time this layout arrives
            remember_mapping(s, KIND, sheet.header.signature, sheet.header.mapping)
        yield from apply_changes(s, cs)

    return (yield from W.import_workbook(db, path, report, read=reading, resolve=resolve, apply=apply,
                                         source=source, dry_run=dry_run,
                                         checking="Checking the workbook against the KPIs"))
