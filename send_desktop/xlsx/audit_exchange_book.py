"""Workbook reading shared by the audit, framework and caseload exchanges, and their report.

The shared helpers are reused as they are: `book_reader.open_workbook` refuses broken or hostile
files with one clear message, `sheets` lays out, styles and guards cells (text that starts with
"=" stays text), `workbook_io` saves atomically and runs the import's one transaction (backup,
dry run, change-log source), and `plan_import.ImportReport` is the report the command line
prints. What is added here is what those three kinds need and the plan does not:

- `ValueBook` gives a workbook's cell values sheet by sheet, read with python-calamine when it is
  installed (a 10,000-audit workbook: 0.6 s, against 4.1 s for openpyxl read-only, which parses
  every inline string openpyxl itself writes as a rich-text object), else with openpyxl. Every
  file is first opened by `book_reader.open_workbook`, whose checks refuse broken and hostile
  files with the plan's messages, whichever library then reads the values. Two things calamine
  does differently decide when openpyxl reads instead (`calamine_can_read`): it reads an error
  value (#VALUE!) as a blank, and a blank rating is a valid "not evidenced", so a workbook with
  an error cell goes to openpyxl, which shows the error for the importer to report; and it lays a
  sheet out densely from A1 to its last cell, so a hostile far-away cell would exhaust memory.
- `read_table` finds a sheet's header among its first rows and returns the rows as plain tuples.
  The plan reader stops at 64 columns; an audits sheet has one column per criterion (about 80
  for the default framework), so this one reads up to `MAX_COLUMNS`, and it converts nothing, so
  10,000 audits are read in one quick pass and each importer converts only what it uses.
- `ExchangeReport` names what was counted ("3 audits created") and carries conflicts.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Cancelled, Problem, UserError
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import blank, open_workbook, refuse, short_reason
from send_desktop.xlsx.plan_import import ImportReport

MAX_COLUMNS = 512      # criteria columns and a margin; a hostile "dimension" of 16,384 costs nothing
MAX_ROWS = 200_000     # beyond any caseload or a region's audits over years
HEADER_SEARCH = 10     # the header is looked for in this many rows at the top of a sheet
YES_NO = ("Yes", "No")


@dataclass
class ExchangeReport(ImportReport):
    """The plan's import report, counting `noun`s, with conflicts left for a person to settle."""

    noun: str = "record"
    removed: int = 0

    def summary(self) -> str:
        would = "would be " if self.dry_run else ""
        plural = "" if self.created == 1 else "s"
        text = (f"{self.file or 'The file'}: {self.created:,} {self.noun}{plural} {would}created, "
                f"{self.updated:,} {would}updated, {self.unchanged:,} unchanged")
        text += f", {self.removed} {would}removed." if self.removed else "."
        if self.conflicts:
            n = len(self.conflicts)
            text += (f" {n} conflict{'s' if n > 1 else ''} (changed both in the file and in the database since "
                     f"it was exported) {'was' if n == 1 else 'were'} not imported.")
        return text + self.closing()


# -- reading --------------------------------------------------------------------------------------


@dataclass
class Table:
    sheet: str                          # the worksheet's name as the file spells it
    header_row: int                     # 1-based
    headers: list[str]                  # as typed, "" for blank header cells
    columns: dict[str, int]             # header_key -> 0-based index, first occurrence
    rows: list[tuple[int, tuple]]       # (row number, values) for every row that is not blank

    def index(self, header: str) -> int | None:
        return self.columns.get(L.header_key(header))


# Cheap, and on the safe side: a match where there is none only sends the file to openpyxl.
_ROW_REF = re.compile(rb"""row\b[^>]*?r=["']([0-9]{1,9})["']""")
_FAR_REF = re.compile(rb"""r=["']([A-Z]{3,4}[0-9]{1,9}|[A-Z]{1,2}[0-9]{6,9})["']""")  # column AAA+ or row 100,000+
_REF = re.compile(rb"([A-Z]+)([0-9]+)")
CALAMINE_CELLS = 20_000_000  # the most a sheet may span for calamine: about 640 MB, only ever for a hostile file


def _span(ref: bytes) -> tuple[int, int]:
    letters, digits = _REF.fullmatch(ref).groups()
    column = 0
    for ch in letters:
        column = column * 26 + ch - 64
    return int(digits), column


def calamine_can_read(path: Path) -> bool:
    """Whether calamine may read this package's values as openpyxl would.

    Not when a sheet holds an error cell (calamine reads it as a blank), nor when a sheet may span
    more than CALAMINE_CELLS from A1 to its last cell: calamine lays a sheet out densely, so one
    far-away cell would exhaust the memory, which ends the process instead of raising. The span
    is bounded from above without parsing every cell reference (that costs a second on a
    10,000-audit sheet): rows from the row numbers and far cell references, columns as 702 (ZZ)
    unless a cell reference lies further right."""
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                rows, columns = 0, 702
                with z.open(name) as fh:
                    tail = b""
                    while chunk := fh.read(1 << 22):
                        window = tail + chunk
                        if b't="e"' in window or b"t='e'" in window:
                            return False
                        far = [_span(ref) for ref in set(_FAR_REF.findall(window))]
                        rows = max([rows, *map(int, set(_ROW_REF.findall(window))), *(r for r, _ in far)])
                        columns = max([columns, *(c for _, c in far)])
                        if rows * columns > CALAMINE_CELLS:
                            return False
                        tail = window[-512:]
    except Exception:  # noqa: BLE001 - a package zipfile cannot walk: openpyxl's reading says what is wrong
        return False
    return True


class ValueBook:
    """The values of a workbook's sheets as tuples from column A, row 1 on (see the module notes).
    Blank cells may be None (openpyxl) or "" (calamine), and whole numbers floats: every reader
    of cells here takes both."""

    def __init__(self, path: Path, fast: bool = True):
        self.path = Path(path)
        self._wb = open_workbook(self.path)
        self.sheetnames = list(self._wb.sheetnames)
        self._calamine = None
        if fast and calamine_can_read(self.path):
            try:
                from python_calamine import CalamineWorkbook

                self._calamine = CalamineWorkbook.from_path(str(self.path))
            except ImportError:
                pass
            except Exception:  # noqa: BLE001 - a file openpyxl opened but calamine did not: openpyxl reads it
                self._calamine = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._wb.close()

    def is_table(self, title: str) -> bool:
        """A visible worksheet (not a chart sheet, not hidden)."""
        ws = self._wb[title]
        return hasattr(ws, "iter_rows") and getattr(ws, "sheet_state", "visible") == "visible"

    def rows(self, title: str):
        values = None
        if self._calamine is not None:
            try:  # from A1, as openpyxl counts: calamine's iter_rows starts where the data does
                values = self._calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
            except Exception:  # noqa: BLE001 - a sheet calamine cannot read: openpyxl reads it, or says why not
                values = None
        if values is None:
            yield from self._wb[title].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        else:
            for row in values:
                yield tuple(row[:MAX_COLUMNS])


def find_sheet(wb, name: str) -> str | None:
    wanted = L.header_key(name)
    return next((title for title in wb.sheetnames if L.header_key(title) == wanted), None)


def read_table(wb: ValueBook, title: str, is_header: Callable[[dict[str, int]], int], file_name: str,
               search: int = HEADER_SEARCH) -> Generator[Progress, None, Table | None]:
    """The rows of sheet `title` below its header. `is_header(columns)` scores a candidate row
    (header_key -> index); the best-scoring row among the first `search` wins, None if all score 0."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows_iter = wb.rows(title)
            head = list(islice(rows_iter, search))
            best, best_score = None, 0
            for i, values in enumerate(head):
                columns: dict[str, int] = {}
                for j, value in enumerate(values):
                    key = L.header_key(value) if isinstance(value, str) else ""
                    if key and key not in columns:
                        columns[key] = j
                score = is_header(columns)
                if score > best_score:
                    best, best_score = (i, columns), score
            if best is None:
                return None
            index, columns = best
            headers = [L.text(v) if isinstance(v, str) else "" for v in head[index]]
            table = Table(title, index + 1, headers, columns, [])
            number = index + 1
            for values in head[index + 1:]:
                number += 1
                if not all(blank(v) for v in values):
                    table.rows.append((number, values))
            for values in rows_iter:
                number += 1
                if number > MAX_ROWS:
                    raise refuse(file_name, [Problem(f"the sheet has more than {MAX_ROWS:,} rows", sheet=title)])
                if number % 1000 == 0:
                    yield Progress(0, 0, f"Reading sheet '{title}', row {number:,}")
                if not all(blank(v) for v in values):
                    table.rows.append((number, values))
            return table
    except (UserError, Cancelled):  # Cancel pressed while a sheet was read is not a bad sheet
        raise
    except Exception as exc:  # noqa: BLE001 - read-only sheets are parsed lazily, row by row
        raise refuse(file_name, [Problem(f"the sheet could not be read ({short_reason(exc)})", sheet=title)]) from None


def read_about(wb: ValueBook, file_name: str) -> Generator[Progress, None, dict[str, object]]:
    """The About sheet's items by header_key(item), values as read (not converted)."""
    title = find_sheet(wb, L.ABOUT.name)
    if title is None:
        return {}
    table = yield from read_table(wb, title, lambda c: 2 * ("item" in c and "value" in c), file_name)
    if table is None:
        return {}
    item, value = table.index("Item"), table.index("Value")
    out: dict[str, object] = {}
    for _, values in table.rows:
        key = L.header_key(values[item]) if item < len(values) else ""
        if key and key not in out:
            out[key] = values[value] if value < len(values) else None
    return out


def cell(values: tuple, index: int | None):
    return values[index] if index is not None and index < len(values) else None
