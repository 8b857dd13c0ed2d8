"""Reading a risk register from an officer's own workbook (not one the application wrote).

`risk_xlsx.import_risks` comes here when the workbook has no Register sheet with hidden risk ids,
or a column mapping is given. The sheet is read by `tolerant.table` and turned into the same
`Book` the application's own layout gives (ids filled in for the risks it matches), which goes
through the same resolution (`risk_xlsx_resolve`) and the same order of work
(`workbook_io.import_workbook`). The rules:

- a risk is matched to the register by its reference and title, else by its reference alone
  when one risk of the register and one row of the workbook have it; a matched risk keeps the
  fields the workbook has no column for. A reference on several rows is kept as several risks,
  each reported, never merged;
- likelihood and impact are numbers ("4", 4.0, "4 - Likely") or the words of the matrix's scale
  ("Likely", "Almost certain", "Major"), in up to three groups: inherent, current (residual) and
  target ("Inherent L", "Residual Impact", "Target score"), a group's title possibly merged above
  its columns. The score is always likelihood x impact: a score cell is only compared with it (a
  difference is a warning naming the cell), a score formula without a saved value is worked out,
  and a score without its likelihood and impact cannot be split (a warning);
- a group the workbook does not give takes the matched risk's, else the current position;
- further mitigations in one cell, one a line, become the risk's mitigations (a matched one keeps
  its owner, due date and status); controls keep one a line;
- "Live", "Active" and the like are open, "Closed" and "Archived" closed, "Escalated" escalated;
- owner and category names written several ways are one name, and the report says so;
- dates that are no date ("31/02/2025") refuse the file with the workbook's sheet, row and column,
  as every problem the resolution finds does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.xlsx import risk_xlsx_layout as R
from send_desktop.xlsx.book_reader import Book, SheetRows
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.headers import ColumnMapping, norm
from send_desktop.xlsx.tolerant.names import NameMerger, name_key
from send_desktop.xlsx.tolerant.table import Preview, preview as _preview, Table, TableRow, is_foreign as _is_foreign, read_table, remap

KIND = "risks"
NEEDED = ("ref", "title", "description")
WHAT = "a reference and a risk (such as 'Ref' and 'Risk description')"
SCORES = ("score", "inherent_score", "target_score")
GROUPS = (("", "current"), ("inherent_", "inherent"), ("target_", "target"))
TITLE_MAX = 300

#: Words of a five-level scale, besides the matrix's own labels.
LIKELIHOOD_WORDS = {"rare": 1, "very unlikely": 1, "remote": 1, "highly unlikely": 1, "unlikely": 2,
                    "possible": 3, "possibly": 3, "likely": 4, "probable": 4, "very likely": 5,
                    "almost certain": 5, "certain": 5, "highly likely": 5}
IMPACT_WORDS = {"negligible": 1, "insignificant": 1, "very low": 1, "minimal": 1, "minor": 2, "low": 2,
                "moderate": 3, "medium": 3, "major": 4, "high": 4, "serious": 4, "significant": 4,
                "catastrophic": 5, "severe": 5, "extreme": 5, "very high": 5, "critical": 5}
STATUS_WORDS = {"open": "open", "live": "open", "active": "open", "current": "open", "ongoing": "open",
                "new": "open", "treat": "open", "tolerate": "open", "monitor": "open", "monitoring": "open",
                "red": "open", "amber": "open", "green": "open", "escalated": "escalated", "escalate": "escalated",
                "closed": "closed", "close": "closed", "archived": "closed", "retired": "closed",
                "terminated": "closed", "complete": "closed", "completed": "closed", "removed": "closed"}

#: Our Register columns (as the resolution names them) -> the officer's field ("title": see `_ours`).
_REGISTER_FIELDS = {"ref": "ref", "title": "title", "category": "category", "owner": "owner", "status": "status",
                    "likelihood": "likelihood", "impact": "impact", "inherent_likelihood": "inherent_likelihood",
                    "inherent_impact": "inherent_impact", "target_likelihood": "target_likelihood",
                    "target_impact": "target_impact", "target_date": "target_date",
                    "review_frequency": "review_frequency", "next_review": "review_date", "cause": "cause",
                    "event": "event", "effect": "effect", "controls": "controls", "assurance": "assurance"}
_TEXT_FIELDS = ("cause", "event", "effect", "assurance")


def is_foreign(path: Path) -> bool:
    """Whether `path` is not a risk register the application wrote."""
    return _is_foreign(path, R.REGISTER.name, "Risk id")


def preview(path: Path, db=None, mapping: ColumnMapping | dict | None = None, rows: int = 10) -> Preview:
    """What the import assistant's Columns page shows (`tolerant.table.preview`)."""
    return _preview(KIND, path, db, mapping, rows, NEEDED)


def read(path: Path, mapping: ColumnMapping | dict | None = None, db=None) -> Generator[Progress, None, Table]:
    """The officer's register read into rows (`tolerant.table.read_table`)."""
    return (yield from read_table(path, KIND, mapping, db, needed=NEEDED, what=WHAT, quiet=SCORES,
                                  own=(R.REGISTER.name, "a risk register")))


def _key(text) -> str:
    return " ".join(str(text or "").split()).casefold()


_LEADING = re.compile(r"^\s*(\d+)\s*(?:$|[-\u2013\u2014:.)(=]\s*\D|\s+[a-z])", re.I)
_BRACKETED = re.compile(r"\((\d+)\)")


def level_text(raw, words: dict[str, int], labels: tuple[str, ...]) -> str:
    """A likelihood or impact cell as the number's text ("4 - Likely" -> "4", "Almost certain" -> "5"),
    "" for a blank or placeholder, else the text as written (for the resolution to report)."""
    if V.is_placeholder(raw) or V.looks_like_formula(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw)
    text = V.text(raw)
    if text.isdigit():
        return text
    if m := _LEADING.match(text):
        return m[1]
    if m := _BRACKETED.search(text):
        return m[1]
    key = norm(text)
    for i, label in enumerate(labels, 1):
        if norm(label) == key:
            return str(i)
    if len(labels) == 5 and key in words:
        return str(words[key])
    return text


def status_text(raw) -> str:
    text = V.value_text(raw)
    return STATUS_WORDS.get(norm(text), text) if text else ""


class _Builder:
    """Turns the table's rows into the Register (and Mitigations) rows of our layout."""

    def __init__(self, table: Table, reg, today: dt.date):
        self.table, self.reg, self.today = table, reg, today
        self.matrix = reg.matrix
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = list(table.warnings)
        self.fields = {f for s in table.sheets for f in s.header.columns.values()}
        self.owners = NameMerger(sorted({r.owner for r in reg.risks if r.owner}))
        self.categories = NameMerger([c.name for c in reg.categories])
        self.taken_from_current: dict[str, list[int]] = defaultdict(list)
        self.banner_of: dict[int, str] = {}        # row key -> the banner above it, as its category
        self.current_banner: dict[str, str] = {}   # sheet -> the latest banner

    def where(self, row: TableRow, fld: str = "") -> tuple[str, int, str]:
        return row.sheet, row.row, self.table.column(row.sheet, fld)

    def has(self, fld: str) -> bool:
        return fld in self.fields

    # -- matching ------------------------------------------------------------------------------

    def match(self, rows: list[TableRow], refs: dict[int, str], titles: dict[int, str]) -> dict[int, object]:
        """Row key -> the register's risk it is: by reference and title, else by a reference one
        row and one risk have."""
        by_both = defaultdict(list)
        by_ref = defaultdict(list)
        for r in self.reg.risks:
            by_both[(_key(r.ref), _key(r.title))].append(r)
            by_ref[_key(r.ref)].append(r)
        rows_with_ref = defaultdict(list)
        for row in rows:
            rows_with_ref[_key(refs[row.key])].append(row)
        out, used = {}, set()
        for row in rows:
            found = [r for r in by_both.get((_key(refs[row.key]), _key(titles[row.key])), []) if r.id not in used]
            if found:
                out[row.key] = found[0]
                used.add(found[0].id)
        for ref, same in rows_with_ref.items():
            left = [r for r in by_ref.get(ref, []) if r.id not in used]
            if len(same) == 1 and same[0].key not in out and len(left) == 1 and len(by_ref[ref]) == 1:
                out[same[0].key] = left[0]
                used.add(left[0].id)
        return out

    # -- cells ---------------------------------------------------------------------------------

    def date(self, row: TableRow, fld: str):
        value, problem = V.read_date(row.values.get(fld), today=self.today)
        if problem:
            self.problems.append(Problem(problem, *self.where(row, fld)))
        return value

    def position(self, row: TableRow, prefix: str) -> tuple[str, str]:
        """(likelihood, impact) of a group as text, with its score checked against them."""
        lk = level_text(row.values.get(prefix + "likelihood"), LIKELIHOOD_WORDS, self.matrix.likelihood)
        im = level_text(row.values.get(prefix + "impact"), IMPACT_WORDS, self.matrix.impact)
        fld = prefix + "score"
        raw = row.values.get(fld)
        if fld in row.values and not V.is_placeholder(raw) and not V.looks_like_formula(raw):
            score = V.to_number(raw)
            if score is not None and lk.isdigit() and im.isdigit() and score != int(lk) * int(im):
                worked = int(lk) * int(im)
                self.warnings.append(Problem(
                    f"the score {V.text(raw)} is not likelihood \u00d7 impact ({lk} \u00d7 {im} = {worked}); the "
                    f"score is always worked out, so {worked} is used", *self.where(row, fld)))
            elif score is not None and not lk and not im:
                self.warnings.append(Problem(
                    f"the score {V.text(raw)} is given without a likelihood and an impact, and cannot be split "
                    "into them; give both to record this position", *self.where(row, fld)))
        return lk, im

    def title(self, row: TableRow) -> tuple[str, str]:
        """(title, the description kept beside it)."""
        title = V.value_text(row.values.get("title"))
        description = V.value_text(row.values.get("description"))
        if title:
            return title, description
        if not description:
            return "", ""
        first = description.split("\n", 1)[0].strip()
        if len(first) > TITLE_MAX:
            first = first[:TITLE_MAX - 1].rstrip() + "\u2026"
        return first, description if first != description else ""

    # -- rows ----------------------------------------------------------------------------------

    def build(self) -> tuple[list[dict], list[dict]]:
        rows = [r for r in self.table.rows() if not self._skipped(r)]
        refs = {r.key: V.value_text(r.values.get("ref")) for r in rows}
        titles = {r.key: self.title(r)[0] for r in rows}
        matched = self.match(rows, refs, titles)
        for row in rows:
            owner = V.value_text(row.values.get("owner"))
            if owner:
                self.owners.add(owner, *self.where(row, "owner"))
            category = V.value_text(row.values.get("category")) or self.banner_of.get(row.key, "")
            if category:
                self.categories.add(category, *self.where(row, "category"))
        register, mitigations = [], []
        for row in rows:
            existing = matched.get(row.key)
            out = self.register_row(row, refs[row.key], existing)
            register.append(out)
            mitigations += self.mitigation_rows(row, out, existing)
        self._report(rows, refs)
        return register, mitigations

    def _skipped(self, row: TableRow) -> bool:
        """Banner rows: a category for the rows below when the sheet has no category column."""
        if row.banner and not self.title(row)[0]:
            if not self.has("category"):
                self.current_banner[row.sheet] = row.banner
                self.warnings.append(Problem(f"the rows below '{row.banner[:60]}' take it as their category",
                                             row.sheet, row.row))
            else:
                self.warnings.append(Problem(f"not part of a risk, so not imported: '{row.banner[:60]}'",
                                             row.sheet, row.row))
            return True
        if row.sheet in self.current_banner:
            self.banner_of[row.key] = self.current_banner[row.sheet]
        return False

    def register_row(self, row: TableRow, ref: str, existing) -> dict:
        title, description = self.title(row)
        out = {c.key: "" for c in R.REGISTER.columns}
        out.update({"_row": row.key, "ref": ref, "title": title, "uid": existing.uid if existing else _new_uid(),
                    "target_date": None, "next_review": None, "last_review": None})
        for fld in _TEXT_FIELDS:
            out[fld] = V.value_text(row.values.get(fld))
        if description:
            out["event"] = "\n".join(x for x in (out["event"], description) if x)
        owner = V.value_text(row.values.get("owner"))
        out["owner"] = self.owners.resolve(owner) if owner else ""
        category = V.value_text(row.values.get("category")) or self.banner_of.get(row.key, "")
        out["category"] = self.categories.resolve(category) if category else ""
        out["status"] = status_text(row.values.get("status"))
        out["review_frequency"] = V.value_text(row.values.get("review_frequency"))
        out["controls"] = "\n".join(V.to_lines(row.values.get("controls")))
        out["target_date"] = self.date(row, "target_date")
        out["next_review"] = self.date(row, "review_date")
        current = self.position(row, "")
        inherent = self.position(row, "inherent_")
        target = self.position(row, "target_")
        if not any(current):
            if existing is not None and not any(inherent):
                current = (str(existing.likelihood), str(existing.impact))
            else:
                current = inherent if any(inherent) else target
        for prefix, given, kept in (("inherent_", inherent, "inherent"), ("target_", target, "target")):
            if not any(given):
                if existing is not None:
                    given = (str(getattr(existing, f"{kept}_likelihood")), str(getattr(existing, f"{kept}_impact")))
                else:
                    given = current
                    self.taken_from_current[kept].append(row.row)
            out[prefix + "likelihood"], out[prefix + "impact"] = given
        out["likelihood"], out["impact"] = current
        return out

    def mitigation_rows(self, row: TableRow, risk: dict, existing) -> list[dict]:
        known = {_key(m.text): m for m in existing.mitigations} if existing is not None else {}
        out = []
        for text in V.to_lines(row.values.get("mitigations")):
            m = known.get(_key(text))
            out.append({"_row": row.key, "risk_ref": risk["ref"], "text": text, "owner": m.owner if m else "",
                        "due": m.due_date if m else None, "status": m.status if m else "planned",
                        "risk_uid": risk["uid"], "uid": None})
        return out

    def _report(self, rows: list[TableRow], refs: dict[int, str]) -> None:
        for what, merger in (("owner", self.owners), ("category", self.categories)):
            for m in merger.merged():
                spelt = ", ".join(f"'{s}'" for s in m.spellings)
                self.warnings.append(Problem(f"the {what} names {spelt} were taken as one {what}: '{m.name}'",
                                             m.sheet, m.row, m.column))
        by_ref = defaultdict(list)
        for row in rows:
            if refs[row.key]:
                by_ref[name_key(refs[row.key]) or _key(refs[row.key])].append(row)
        for same in by_ref.values():
            if len(same) > 1:
                places = "; ".join(f"sheet '{r.sheet}' row {r.row}" for r in same)
                self.warnings.append(Problem(f"the ref {refs[same[0].key]} is on {len(same)} rows ({places}); each "
                                             "is kept as its own risk", *self.where(same[0], "ref")))
        for kept, at in self.taken_from_current.items():
            if at and (self.has(f"{kept}_likelihood") or self.has(f"{kept}_impact")):
                self.warnings.append(Problem(
                    f"{len(at)} new risk{'s have' if len(at) > 1 else ' has'} no {kept} likelihood and impact; "
                    f"the current position is taken as the {kept} one (rows {', '.join(map(str, at[:20]))})",
                    self.table.sheets[0].name))
            elif at:
                self.warnings.append(Problem(f"the workbook has no {kept} likelihood and impact columns; new risks "
                                             f"take their current position as the {kept} one",
                                             self.table.sheets[0].name))
        derived = sum(1 for s in self.table.sheets for r, c in s.formulas
                      if s.header.columns.get(c) in SCORES and r > s.header.row)
        if derived:
            self.warnings.append(Problem(f"{derived} score formula{'s' if derived > 1 else ''} with no saved value "
                                         f"{'were' if derived > 1 else 'was'} worked out as likelihood \u00d7 impact",
                                         self.table.sheets[0].name))


def _new_uid() -> str:
    from send_desktop.storage.models import new_uid

    return new_uid()


def to_book(table: Table, reg, today: dt.date) -> tuple[Book, list[Problem], list[Problem]]:
    """The officer's register as our layout's `Book` (ids of the risks it matches filled in), with
    the problems (cells that cannot be read) and warnings of reading it."""
    b = _Builder(table, reg, today)
    register, mitigations = b.build()
    present = {"ref", "title", "likelihood", "impact", "inherent_likelihood", "inherent_impact",
               "target_likelihood", "target_impact", "uid"}
    present |= {ours for ours, theirs in _REGISTER_FIELDS.items() if b.has(theirs)}
    if b.has("description"):
        present.add("event")
    book = Book(table.file)
    book.sheets[R.REGISTER.name] = SheetRows(R.REGISTER, register, present, table.sheets[0].title)
    if b.has("mitigations"):
        book.sheets[R.MITIGATIONS.name] = SheetRows(R.MITIGATIONS, mitigations,
                                                    {c.key for c in R.MITIGATIONS.columns})
    return book, b.problems, b.warnings


def _ours(table: Table) -> dict[str, dict[str, str]]:
    titled = any("title" in s.header.columns.values() for s in table.sheets)
    register = {}
    for c in R.REGISTER.columns:
        fld = _REGISTER_FIELDS.get(c.key, "")
        register[c.header] = ("title" if titled else "description") if fld == "title" else fld
    mitigations = {c.header: "mitigations" for c in R.MITIGATIONS.columns}
    mitigations["Risk ref"] = "ref"
    return {R.REGISTER.name: register, R.MITIGATIONS.name: mitigations}


def import_foreign_risks(db, path: Path, report, *, dry_run: bool, source: str, today: dt.date,
                         mapping: dict | ColumnMapping | None) -> Generator[Progress, None, object]:
    """`import_risks` for an officer's own register: the order of `workbook_io.import_workbook`."""
    from send_desktop.services.risk_read import load_register
    from send_desktop.xlsx import workbook_io as W
    from send_desktop.xlsx.risk_xlsx import _apply
    from send_desktop.xlsx.risk_xlsx_resolve import resolve as resolve_book
    from send_desktop.xlsx.tolerant.mappings import remember_mapping

    def reading(p):
        return (yield from read(p, mapping, db))

    def resolve(s, table):
        reg = load_register(db, today=today)
        book, problems, warnings = to_book(table, reg, today)
        cs = resolve_book(book, reg, today=today, user=db.user)
        ours = _ours(table)
        cs.problems[:] = problems + remap(cs.problems, table, ours)
        cs.warnings[:] = warnings + remap(cs.warnings, table, ours)
        cs.table = table
        return cs

    def apply(s, cs):
        for sheet in cs.table.sheets:  # offered the next time this layout arrives
            remember_mapping(s, KIND, sheet.header.signature, sheet.header.mapping)
        yield from _apply(s, cs)

    return (yield from W.import_workbook(db, path, report, read=reading, resolve=resolve, apply=apply,
                                         source=source, dry_run=dry_run,
                                         checking="Checking the workbook against the register"))
