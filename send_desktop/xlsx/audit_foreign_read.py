"""Reading an officer's audit tracker (or a commercial audit tool's export) into audit rows.

The reading half of `audit_foreign`; nothing here writes. Per visible sheet: the header row is
found below title rows (the first row naming a plan reference and at least one other detail or
rating column, or a layout with a remembered `ColumnMapping`); its detail columns are named by
the vocabulary (`tolerant.headers`, kind "audits"), its rating columns by the framework
(`audit_foreign_columns`), a banner row above it ("Section A ...", merged or not) naming the
section of columns headed only "Q1", "Q2". Each row below is one audit. Every cell that cannot be
read (a rating out of range, a word that is not a rating, N/A where the section does not allow it,
an impossible date, a row with ratings but no plan reference) is a problem naming the sheet, row
and column as the workbook has them, and refuses the file.

Children's names and dates of birth are never read: a column whose header looks like one
("Child's name", "DOB"; `caseload_import.looks_like_a_name`) is left out with a warning. A
row repeated exactly is read once (warned); two different rows for the same audit (plan,
date and auditor) are a problem. Hidden rows are read and reported, hidden sheets are not read,
and formulas without a saved value are read as blank and reported (`plan_foreign_read`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.audits.framework import Framework
from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Cancelled, Problem
from send_desktop.services.audit_edit import PLAN_TYPES
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.audit_exchange_read import _Criteria
from send_desktop.xlsx.audit_foreign_columns import (KIND, CriteriaIndex, RatingError, Target, code_key,
                                                     find_header, given_mapping, read_rating)
from send_desktop.xlsx.caseload_read import key_stage, looks_like_a_name, past_date
from send_desktop.xlsx.tolerant.table import ROW_BLOCK, refuse_damaged, report_structure, unreadable
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import IGNORE, ColumnMapping, Header, cell_text, norm

MAX_PROBLEMS = 500
_PLAN_TYPES = {"new": "new", "new plan": "new", "initial": "new", "initial plan": "new", "new ehcp": "new",
               "annual review": "annual review", "ar": "annual review", "review": "annual review",
               "reviewed plan": "annual review", "amended": "amended", "amendment": "amended",
               "amended plan": "amended", "phase transfer": "phase transfer", "transfer": "phase transfer",
               "phase transition": "phase transfer"}
_STATUSES = {"draft": "draft", "in progress": "draft", "started": "draft", "incomplete": "draft",
             "submitted": "submitted", "complete": "submitted", "completed": "submitted", "final": "submitted",
             "done": "submitted", "signed off": "submitted", "moderated": "submitted", "qa d": "submitted",
             "quality assured": "submitted"}
_TEXTS = (("auditor", 200), ("team", 100), ("primary_need", 100), ("setting_type", 100), ("agency", 100),
          ("notes", 20_000))
_SUMMARY_ROWS = {"total", "totals", "average", "averages", "mean", "count", "summary", "overall", "median"}


@dataclass
class SheetRead:
    name: str
    header: Header
    targets: dict[int, Target]           # column -> the criterion or section it rates
    present: frozenset[str]              # the detail fields the sheet has


@dataclass
class ForeignAudits:
    file: str
    framework: Framework
    framework_id: int | None             # None: the database has no framework yet (the default is added)
    sheets: list[SheetRead] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    where: dict[int, tuple[str, int]] = field(default_factory=dict)   # internal row -> (sheet, Excel row)

    def problem(self, message: str, sheet: str = "", row: int | None = None, column: str = "") -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, sheet, row, column))


def current_framework(db) -> tuple[int | None, Framework]:
    """The framework new audits are scored under: the database's current one, else the default."""
    from send_desktop.audits.default_framework import default_framework
    from send_desktop.services.audit_frameworks import current_framework_id, load_framework

    fid = current_framework_id(db) if db is not None else None
    return (fid, load_framework(db, fid)) if fid is not None else (None, default_framework())


def read_foreign_audits(path: Path, db=None, mapping: ColumnMapping | dict | None = None,
                        today: dt.date | None = None) -> Generator[Progress, None, ForeignAudits]:
    """Every visible sheet of `path` with an audit header, read into audit rows (see the module notes)."""
    from send_desktop.xlsx.tolerant.mappings import saved_mappings

    path = Path(path)
    fid, fw = current_framework(db)
    index = CriteriaIndex(fw)
    mapping = given_mapping(mapping, index)
    fa = ForeignAudits(path.name, fw, fid)
    saved = saved_mappings(db, KIND) if mapping is None else {}
    book = GridBook(path)
    try:
        for name in book.sheet_names:
            yield Progress(0, 0, f"Reading sheet '{name}'")
            if book.hidden(name):
                fa.warnings.append(Problem("the sheet is hidden, so it was not read; unhide it in Excel to import "
                                           "its audits", name))
                continue
            grid = book.grid(name)
            head = grid.head(200)
            found = find_header(grid, head, index, mapping, saved)
            if found is None:
                continue
            _read_sheet(fa, book, grid, name, *found, index, today or dt.date.today())
    except (BadInputError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - a package calamine or the XML scan cannot follow
        raise unreadable(path, exc) from None
    finally:
        book.close()
    if not fa.sheets:
        refuse_damaged(path)  # a file no library can read says so, rather than "no header"
        raise BadInputError(f"{path.name}: no sheet has a header row naming a plan reference and an audit date or "
                            f"criterion ratings (such as 'EHCP ref', 'Audit date', 'A1'); supply a column mapping",
                            [Problem("no sheet has a header row naming a plan reference and audit columns")])
    _duplicates(fa)
    _merge_teams(fa, db)
    return fa


def _merge_teams(fa: ForeignAudits, db) -> None:
    """Team names written several ways ("North Locality", "north locality") are taken as one: the
    database's spelling, else the one used most; the report says which were merged."""
    from send_desktop.xlsx.tolerant.names import NameMerger

    known = []
    if db is not None:
        with db.reading() as con:
            known = [r[0] for r in con.execute("SELECT DISTINCT team FROM audit WHERE team != ''")]
    merger = NameMerger(known)
    for row in fa.rows:
        if row.get("team"):
            merger.add(row["team"], *fa.where[row["_row"]], row["_sheet"].header.header_of("team"))
    for row in fa.rows:
        if row.get("team"):
            row["team"] = merger.resolve(row["team"])
    for m in merger.merged():
        spelt = ", ".join(f"'{s}'" for s in m.spellings)
        fa.warnings.append(Problem(f"the team names {spelt} were taken as one team: '{m.name}'", m.sheet, m.row,
                                   m.column))


def _read_sheet(fa: ForeignAudits, book, grid, name: str, header: Header, targets: dict[int, Target],
                index: CriteriaIndex, today: dt.date) -> None:
    sheet = SheetRead(name, header, targets, frozenset(f for f in header.columns.values() if not Target.of(f)))
    _check_columns(fa, sheet, index)
    scan = book.scan(name)
    offset = len(fa.sheets) * ROW_BLOCK
    fa.sheets.append(sheet)
    content: set[int] = set()
    reader = _RowReader(fa, sheet, index, today)
    for r0, values in enumerate(grid.iter_rows()):
        if r0 <= header.row:
            continue
        if not any(v != "" and v is not None for v in values):
            continue
        content.add(r0)
        reader.read(values, r0 + 1, offset + r0 + 1)
    report_structure(fa.warnings, sheet.name, header, scan, content)


def _check_columns(fa: ForeignAudits, sheet: SheetRead, index: CriteriaIndex) -> None:
    h, by_target = sheet.header, {}
    if "audit_date" not in sheet.present:
        fa.problem("no column gives the audit date (a header such as 'Audit date'); assign one in a column mapping",
                   sheet.name, h.row + 1)
    for c, t in sorted(sheet.targets.items()):
        if t in by_target:
            fa.problem(f"the columns '{h.texts[by_target[t]]}' and '{h.texts[c]}' both rate {t.kind} {t.code}; "
                       f"mark one of them 'ignore' in a column mapping", sheet.name, h.row + 1, h.texts[c])
        by_target.setdefault(t, c)
    names = []
    for c, text in enumerate(h.texts):
        if not text or c in h.columns:
            continue
        if looks_like_a_name(text):
            names.append(text)
            h.mapping.fields[text] = IGNORE  # never offered for import, never read
        elif index.unknown_code(text) and not h.mapping.knows(text):
            fa.problem(f"the column '{text}' looks like a criterion, but framework '{index.fw.name}' has no such "
                       f"criterion; assign it in a column mapping (or mark it 'ignore')", sheet.name, h.row + 1, text)
    for text in names:
        fa.warnings.append(Problem(f"the column '{text}' looks like children's names or dates of birth and was not "
                                   f"imported: audits hold plan references only", sheet.name, h.row + 1, text))


class _RowReader:
    """One sheet's rows into audit rows (dicts of the detail fields present, ratings, the given grade)."""

    def __init__(self, fa: ForeignAudits, sheet: SheetRead, index: CriteriaIndex, today: dt.date):
        self.fa, self.sheet, self.index, self.today = fa, sheet, index, today
        self.col = {f: c for c, f in sheet.header.columns.items() if not Target.of(f)}
        self.criteria = [(c, t.code) for c, t in sheet.targets.items() if t.kind == "criterion"]
        self.sections = [(c, t.code) for c, t in sheet.targets.items() if t.kind == "section"]
        self.check = _Criteria(index.fw)
        self.head_norm = [norm(t) for t in sheet.header.texts]

    def get(self, values, fld: str):
        c = self.col.get(fld)
        return values[c] if c is not None and c < len(values) else None

    def problem(self, message: str, row: int, fld_or_col) -> None:
        column = self.sheet.header.texts[fld_or_col] if isinstance(fld_or_col, int) else \
            self.sheet.header.header_of(fld_or_col) if fld_or_col else ""
        self.fa.problem(message, self.sheet.name, row, column)

    def read(self, values, excel_row: int, internal: int) -> None:
        ref = V.value_text(self.get(values, "plan_ref"))
        if ref and norm(ref) == self.head_norm[self.col["plan_ref"]] and sum(
                1 for c, v in enumerate(values) if c < len(self.head_norm) and self.head_norm[c]
                and norm(cell_text(v)) == self.head_norm[c]) >= 2:
            return  # the header repeated (under each team or month)
        if norm(ref) in _SUMMARY_ROWS:
            self.fa.warnings.append(Problem(f"a '{ref}' row is not an audit and was not imported", self.sheet.name,
                                            excel_row, self.sheet.header.header_of("plan_ref")))
            return
        filled = [c for c, v in enumerate(values) if c in self.sheet.header.columns and not V.is_placeholder(v)]
        if not ref:
            if len(filled) <= 1 and not any(c in self.sheet.targets for c in filled):
                text = next(cell_text(v) for v in values if v not in ("", None))
                self.fa.warnings.append(Problem(f"not an audit, so not imported: '{text[:60]}'", self.sheet.name,
                                                excel_row))
                return
            self.problem("this row has audit details but no plan reference; give each audit its plan reference "
                         "(never a child's name), or delete the row", excel_row, "plan_ref")
            return
        before = len(self.fa.problems)
        row = {"_row": internal, "_sheet": self.sheet, "plan_ref": ref[:64]}
        if len(ref) > 64:
            self.problem(f"'{ref[:40]}...' is too long for a plan reference (at most 64 characters)", excel_row,
                         "plan_ref")
        self._details(row, values, excel_row)
        row["ratings"] = self._ratings(values, excel_row, row.get("no_needs", []))
        given = self.get(values, "overall_grade")
        row["given_grade"] = V.value_text(given)
        if len(self.fa.problems) == before:
            self.fa.where[internal] = (self.sheet.name, excel_row)
            self.fa.rows.append(row)

    def _details(self, row: dict, values, excel_row: int) -> None:
        for fld, width in _TEXTS:
            if fld in self.col:
                row[fld] = V.value_text(self.get(values, fld))[:width]
        if "key_stage" in self.col:
            row["key_stage"] = key_stage(self.get(values, "key_stage"))
        for fld in ("audit_date", "plan_issue_date"):
            raw = self.get(values, fld)
            if fld not in self.col:
                continue
            day, why = past_date(raw, self.today)
            row[fld] = day
            if why:
                self.problem(why, excel_row, fld)
            elif day is None and fld == "audit_date" and "audit_date" in self.col:
                self.problem("the audit date is missing", excel_row, fld)
        for fld, words, default in (("plan_type", _PLAN_TYPES, None), ("status", _STATUSES, "submitted")):
            raw = V.value_text(self.get(values, fld))
            if fld not in self.col or not raw:
                if default:
                    row[fld] = default
                continue
            found = words.get(norm(raw))
            if found is None:
                allowed = PLAN_TYPES if fld == "plan_type" else ("draft", "submitted")
                self.problem(f"'{raw[:40]}' is not a {fld.replace('_', ' ')}; use one of: {', '.join(allowed)}",
                             excel_row, fld)
            row[fld] = found
        if "no_needs" in self.col:
            from send_desktop.xlsx.audit_exchange_layout import codes

            given = codes(V.value_text(self.get(values, "no_needs")))
            known = {code_key(s): s for s in self.check.markable}
            row["no_needs"] = []
            for code in given:
                if code_key(code) not in known:
                    self.problem(f"section '{code}' cannot be marked \"no needs identified\" (it can be one of: "
                                 f"{', '.join(sorted(self.check.markable))})", excel_row, "no_needs")
                else:
                    row["no_needs"].append(known[code_key(code)])
        if "critical_concern" in self.col:
            raw = self.get(values, "critical_concern")
            try:
                row["critical_concern"] = False if V.is_placeholder(raw) else L.boolean(raw)
            except L.CellError as exc:
                self.problem(str(exc), excel_row, "critical_concern")

    def _ratings(self, values, excel_row: int, no_needs: list[str]) -> dict:
        ratings: dict = {}
        own = set()
        for c, cid in self.criteria:
            v = self._rating(values, c, cid, excel_row, no_needs)
            if v is not False:
                ratings[cid] = v
                own.add(cid)
        for c, code in self.sections:
            for cid in self.index.members[code]:
                if cid not in own:
                    v = self._rating(values, c, cid, excel_row, no_needs)
                    if v is not False:
                        ratings[cid] = v
        return ratings

    def _rating(self, values, c: int, cid: str, excel_row: int, no_needs: list[str]):
        """The rating, or False after reporting a problem."""
        value = values[c] if c < len(values) else None
        if type(value) is float and value.is_integer() and 0 <= value <= self.index.max[cid]:
            return int(value)  # the common case
        try:
            v = read_rating(value, self.index.max[cid])
        except RatingError as exc:
            self.problem(f"criterion {cid}: {exc}", excel_row, c)
            return False
        if v == "na" and not self.check.na_allowed(cid, no_needs):
            self.problem(f"criterion {cid}: section {self.index.section_of[cid]} does not allow N/A (a criterion "
                         f"that is not evidenced is rated 0)", excel_row, c)
            return False
        return v


def _duplicates(fa: ForeignAudits) -> None:
    """A row repeated exactly is read once; two different rows for one audit refuse the file."""
    seen: dict[tuple, dict] = {}
    kept = []
    for row in fa.rows:
        key = (norm(row["plan_ref"]), row.get("audit_date"), norm(row.get("auditor", "")))
        first = seen.get(key)
        if first is None:
            seen[key] = row
            kept.append(row)
            continue
        sheet, number = fa.where[row["_row"]]
        at = "row {1}".format(*fa.where[first["_row"]]) if fa.where[first["_row"]][0] == sheet else \
            "sheet '{0}' row {1}".format(*fa.where[first["_row"]])
        same = {k: v for k, v in row.items() if k not in ("_row", "_sheet")} == \
            {k: v for k, v in first.items() if k not in ("_row", "_sheet")}
        message = f"the audit of plan {row['plan_ref']} dated {row['audit_date']:%d/%m/%Y} is also on {at}"
        column = row["_sheet"].header.header_of("plan_ref")
        if same:
            fa.warnings.append(Problem(f"{message}, the same; it is imported once", sheet, number, column))
        else:
            fa.problem(f"{message}, with different details or ratings; keep one of the two rows", sheet, number,
                       column)
    fa.rows = kept
