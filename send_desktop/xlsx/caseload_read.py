"""Reading a caseload list as councils send it, with the shared tolerant pieces (`xlsx.tolerant`).

The reading half of `caseload_import` (see its notes for the rules). The first visible sheet
with a plan reference column in its first 30 rows is read: its header is found below title rows,
its columns named by the vocabulary (kind "caseload") or by a `ColumnMapping`, given or
remembered for the layout. Values are read as officers write them: dates as "31/07/2025",
"Sept 2025" or a month name (a month without its year is the last one up to today), numbers
typed as text, "TBC" and "N/A" as blank, key stages as 3, "3" or "Key stage 3" ("KS3"). Team and
setting names written several ways are taken as one (`tolerant.names`), and the report says so.
Hidden rows are read and reported, hidden sheets are not read, formulas without a saved value
are read as blank and reported.

Also here, as audits from elsewhere share them: `looks_like_a_name` (the privacy rule: such a
column is never read) and `past_date`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Cancelled, Problem
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import IGNORE, ColumnMapping, Header, cell_text, columns_of, norm, signature
from send_desktop.xlsx.tolerant.names import NameMerger

KIND = "caseload"
HEADER_SEARCH = 30
MAX_REF = 64  # the stored column's width
FIELDS = ("plan_ref", "team", "key_stage", "primary_need", "setting_type", "issue_date")
#: The fields a column may hold, with the words the import assistant shows for them.
CASELOAD_FIELDS = {"plan_ref": "Plan reference", "team": "Team or locality", "key_stage": "Key stage",
                   "primary_need": "Primary need", "setting_type": "Setting type", "issue_date": "Plan issue date"}
_NAME_WORDS = {"name", "names", "forename", "forenames", "surname", "surnames", "firstname", "lastname",
               "given", "dob", "birth", "initials"}
_NAME_HEADERS = {"child", "childs", "child s", "pupil", "student", "learner", "young person", "cyp"}
_MERGED = (("team", "team"), ("setting_type", "setting"))


def _norm(header) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", L.header_key(header)).split())


def looks_like_a_name(header) -> bool:
    """Whether a column header looks like children's names or dates of birth ("Child's name", "DOB")."""
    n = _norm(header)
    words = set(n.split()) | {n.replace(" ", "")}  # "D.O.B." is "d o b" once its dots are gone
    return n in _NAME_HEADERS or bool(_NAME_WORDS & words) or "date of birth" in n


def past_date(value, today: dt.date) -> tuple[dt.date | None, str]:
    """(date, "") for a date that has happened as officers write it; (None, why) when the cell is
    not a date; (None, "") for a blank or a placeholder ("TBC")."""
    if V.is_placeholder(value):
        return None, ""
    why = f"'{cell_text(value)[:40]}' is not a date (write it as 31/07/2025 or 31 Jul 2025)"
    try:
        found = L.date(value) if not isinstance(value, str) or value.strip()[:1].isdigit() else None
        if found is not None:
            return found, ""
    except L.CellError as exc:
        if isinstance(value, str) and value.strip().count("/") == 2:
            return None, str(exc)  # "30/02/2021": not a real date, whatever a month-name reading makes of it
        why = str(exc)
    found = V.to_past_date(value, today)
    return (found, "") if found is not None else (None, why)


def key_stage(value) -> str:
    """A key stage as the caseload keeps them: 3, "3", "Key stage 3" and "ks 3" are "KS3"."""
    text = V.value_text(value)
    n = norm(text).replace("key stage", "ks").replace(" ", "")
    if n.isdigit() and 1 <= int(n) <= 5:
        return f"KS{n}"
    if n.startswith("ks") and n[2:].isdigit():
        return f"KS{n[2:]}"
    return text[:40]


def given_mapping(data, kind: str = KIND) -> ColumnMapping | None:
    if data is None or isinstance(data, ColumnMapping):
        return data
    try:
        return ColumnMapping.from_dict(kind, data)
    except ValueError as exc:
        raise BadInputError(f"the column mapping is not usable: {exc}", [Problem(str(exc))]) from None


def find_header(head: list[list], mapping: ColumnMapping | None, saved: dict[str, ColumnMapping]) -> Header | None:
    """The row naming a plan reference and most other fields, among the first HEADER_SEARCH rows."""
    best = None
    for i, values in enumerate(head[:HEADER_SEARCH]):
        texts = [cell_text(v) if isinstance(v, str) else "" for v in values]
        if not any(texts):
            continue
        used = mapping if mapping is not None else saved.get(signature(texts))
        cols = columns_of(KIND, texts, used)
        if "plan_ref" in cols.values() and (best is None or len(cols) > len(best[2])):
            best = (i, texts, cols, used)
    if best is None:
        return None
    i, texts, cols, used = best
    chosen = ColumnMapping(KIND, {texts[c]: f for c, f in cols.items()}, used.source if used else "detected")
    if used is not None:
        chosen.fields.update({t: IGNORE for t in texts if t and used.knows(t) and used.field_for(t) is None})
    for t in texts:  # never offered for import, never read
        if t and not chosen.knows(t) and looks_like_a_name(t):
            chosen.fields[t] = IGNORE
    return Header(i, texts, cols, chosen)


@dataclass
class Caseload:
    """A caseload list read: one row per plan (the first of each reference), problems, warnings."""

    file: str
    sheet: str = ""
    header: Header | None = None
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _known_names(db) -> dict[str, list[str]]:
    if db is None:
        return {}
    with db.reading() as con:
        return {f: [r[0] for r in con.execute(f"SELECT DISTINCT {f} FROM caseload_plan WHERE {f} != ''")]
                for f, _ in _MERGED}


def read_caseload_list(path: Path, mapping=None, db=None,
                       today: dt.date | None = None) -> Generator[Progress, None, Caseload]:
    from send_desktop.xlsx.tolerant.table import refuse_damaged, report_structure, unreadable
    from send_desktop.xlsx.tolerant.mappings import saved_mappings

    path = Path(path)
    mapping = given_mapping(mapping)
    saved = saved_mappings(db, KIND) if mapping is None else {}
    out = Caseload(path.name)
    book = GridBook(path)
    try:
        for name in book.sheet_names:
            if book.hidden(name):
                out.warnings.append(Problem("the sheet is hidden, so it was not read; unhide it in Excel to import "
                                            "its plans", name))
                continue
            grid = book.grid(name)
            header = find_header(grid.head(HEADER_SEARCH), mapping, saved)
            if header is None:
                continue
            if out.header is not None:
                out.warnings.append(Problem(f"this sheet has plan references too, but only the first such sheet "
                                            f"('{out.sheet}') is read as the caseload", name, header.row + 1))
                continue
            yield Progress(0, 0, f"Reading sheet '{name}'")
            out.sheet, out.header = name, header
            content = _read_rows(out, grid, header, _known_names(db), today or dt.date.today())
            report_structure(out.warnings, name, header, book.scan(name), content)
    except (BadInputError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - a package calamine or the XML scan cannot follow
        raise unreadable(path, exc) from None
    finally:
        book.close()
    if out.header is None:
        refuse_damaged(path)  # a file no library can read says so, rather than "no plan reference column"
        variants = ", ".join(f"'{v}'" for v in ("Plan ref", "EHCP ref", "Reference"))
        out.problems.append(Problem(f"no sheet has a plan reference column in its first {HEADER_SEARCH} rows (a "
                                    f"header such as {variants})"))
    return out


def _read_rows(out: Caseload, grid, header: Header, known: dict, today: dt.date) -> set[int]:
    sheet, texts = out.sheet, header.texts
    col = {f: c for c, f in header.columns.items()}
    ref_col = texts[col["plan_ref"]]
    for c, t in enumerate(texts):
        if t and c not in header.columns and looks_like_a_name(t):
            out.warnings.append(Problem(f"the column '{t}' looks like children's names or dates of birth and was "
                                        f"not imported: the caseload holds plan references only", sheet,
                                        header.row + 1, t))
    mergers = {f: NameMerger(known.get(f, [])) for f, _ in _MERGED}
    first_row: dict[str, int] = {}
    seen: dict[tuple, str] = {}
    content: set[int] = set()
    width = len(texts)
    for r0, values in enumerate(islice(grid.iter_rows(), header.row + 1, None), header.row + 1):
        if not any(v != "" and v is not None for v in values[:width]):
            continue
        content.add(r0)
        number = r0 + 1
        get = {f: (values[c] if c < len(values) else None) for f, c in col.items()}
        ref = V.value_text(get["plan_ref"])
        if not ref:
            out.problems.append(Problem("this row has no plan reference; give each plan its reference (or delete "
                                        "the row)", sheet, number, ref_col))
            continue
        if len(ref) > MAX_REF:
            out.problems.append(Problem(f"'{ref[:40]}...' is too long for a plan reference (at most {MAX_REF} "
                                        f"characters)", sheet, number, ref_col))
            continue
        row = {"plan_ref": ref, "team": "", "key_stage": "", "primary_need": "", "setting_type": "",
               "issue_date": None}
        for f in ("team", "primary_need", "setting_type", "key_stage"):
            if f in get:
                raw = get[f]
                found = seen.get((f, raw))  # a list repeats a few dozen teams and needs 100,000 times
                if found is None:
                    found = seen[(f, raw)] = key_stage(raw) if f == "key_stage" else V.value_text(raw)[:100]
                row[f] = found
        if "issue_date" in get:
            row["issue_date"], why = past_date(get["issue_date"], today)
            if why:
                out.problems.append(Problem(why, sheet, number, texts[col["issue_date"]]))
        if ref in first_row:
            out.warnings.append(Problem(f"plan {ref} is listed twice (rows {first_row[ref]} and {number}); the "
                                        f"first row is used", sheet, number, ref_col))
            continue
        first_row[ref] = number
        for f, _ in _MERGED:
            if row[f]:
                mergers[f].add(row[f], sheet, number, texts[col[f]])
        out.rows.append(row)
    for f, what in _MERGED:
        if not any(r[f] for r in out.rows):
            continue
        chosen: dict[str, str] = {}
        for r in out.rows:
            if r[f]:
                r[f] = chosen.get(r[f]) or chosen.setdefault(r[f], mergers[f].resolve(r[f]))
        for m in mergers[f].merged():
            spelt = ", ".join(f"'{s}'" for s in m.spellings)
            out.warnings.append(Problem(f"the {what} names {spelt} were taken as one {what}: '{m.name}'", m.sheet,
                                        m.row, m.column))
    if not out.rows and not out.problems:
        out.problems.append(Problem("no plan references found below the header", sheet, header.row + 1))
    return content


def name_columns(header: Header) -> set[int]:
    """The columns no field was found for whose header looks like children's names or dates of
    birth: a preview shows them as not imported, and never their cells."""
    return {c for c, t in enumerate(header.texts) if t and c not in header.columns and looks_like_a_name(t)}


def preview_caseload(path: Path, db=None, mapping=None, rows: int = 10):
    """What the import assistant's Columns page shows: the sheet read (the first with a header), its
    header, the field of each column (a remembered mapping for this layout when `db` has one) and
    the first `rows` rows, name columns blanked."""
    from send_desktop.xlsx.tolerant.mappings import saved_mappings
    from send_desktop.xlsx.tolerant.table import preview_book

    mapping = given_mapping(mapping)
    saved = saved_mappings(db, KIND) if mapping is None else {}
    return preview_book(path, lambda grid: find_header(grid.head(HEADER_SEARCH), mapping, saved), rows,
                        blank=name_columns, first_only=True)


def is_foreign(path: Path) -> bool:
    """Always True: the application writes no caseload list, every one comes from elsewhere."""
    return True
