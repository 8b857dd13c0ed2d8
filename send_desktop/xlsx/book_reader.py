"""Reading a plan workbook into plain rows, and refusing files that cannot be one.

Workbooks arrive by email from anywhere, so opening one is defensive: `safe_open.check_package`
looks at the file before any library parses it (an empty file, a text file renamed .xlsx, a
truncated zip, an encrypted or old-format (.xls) file, a zip bomb, XML declaring entities, ...),
and it, or XML that a library cannot parse, ends as one `BadInputError` that names the file and
says what is wrong, never a traceback. Sheets are read with openpyxl in read-only mode (values
only) and a bounded width, and their <dimension> tags are reset (`reset_dimensions`), so a
hostile "dimension" of A1:XFD1048576 over ten used rows costs the time of ten.

Problems inside cells (an impossible date, a malformed id) are collected with their sheet, row
and column rather than raised, so the user sees every problem in one pass.

The plan, risk and action-log workbooks are all read by `read_layout_book` from their layouts;
the KPI workbook, whose value sheets are wide, reads its sheets itself inside `reading`, which
opens the workbook, checks it is the kind expected and turns a sheet that cannot be parsed into
the same one-line refusal.
"""

from __future__ import annotations

import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Generator, Iterator

from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Cancelled, Problem
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.safe_open import Refusal, check_package

MAX_COLUMNS = 64      # our widest sheet has 17; officers may add a few notes columns
MAX_ROWS = 200_000    # far beyond any plan: a sheet larger than this is not one of ours
HEADER_SEARCH = 10    # the header is looked for in this many rows at the top of a sheet


@dataclass
class SheetRows:
    layout: L.SheetLayout
    rows: list[dict]                 # one dict per non-blank row: column key -> value, "_row" -> number
    present: set[str]                # keys of the columns found in the header
    title: str = ""                  # the text above the header, if any


@dataclass
class Book:
    name: str
    sheets: dict[str, SheetRows] = field(default_factory=dict)  # by layout name; absent sheets missing
    about: dict[str, str] = field(default_factory=dict)          # About items by header_key(item)
    problems: list[Problem] = field(default_factory=list)
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)  # (sheet, row, column) with a problem

    def rows(self, layout: L.SheetLayout) -> list[dict] | None:
        sheet = self.sheets.get(layout.name)
        return None if sheet is None else sheet.rows

    def about_item(self, item: str) -> str:
        return self.about.get(L.header_key(item), "")


def refuse(file_name: str, problems: list[Problem]) -> BadInputError:
    """The error for a workbook with problems: one line naming the file and the first problem."""
    first = problems[0]
    more = len(problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return BadInputError(f"{file_name}: {first}{tail}", problems)


def _fail(file_name: str, message: str, sheet: str = "") -> BadInputError:
    return refuse(file_name, [Problem(message, sheet=sheet)])


def open_workbook(path: Path):
    """An openpyxl read-only workbook, or a `BadInputError` saying why the file is not one."""
    name = path.name
    try:
        check_package(path)
    except Refusal as exc:
        raise _fail(name, str(exc)) from None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it skips
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise _fail(name, "the file is damaged: its zip archive is incomplete or corrupt") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises a zoo of types for odd packages
        raise _fail(name, f"the file could not be read as an Excel workbook ({short_reason(exc)})") from None
    for ws in wb.worksheets:  # the <dimension> tag is whatever the writer claimed: nothing trusts it
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
    return wb


def short_reason(exc: Exception) -> str:
    """An exception's message on one line of at most 120 characters, for "could not be read (...)"."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


class Reading:
    """The workbook being read (`reading`): its sheet titles by header_key, and the sheet being read."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.by_key = {L.header_key(n): n for n in workbook.sheetnames}
        self.sheet = ""

    def title(self, name: str) -> str | None:
        """The title of the sheet called `name` (compared as headers are), None when absent."""
        return self.by_key.get(L.header_key(name))


@contextmanager
def reading(path: Path, required: tuple[str, ...], what: str) -> Iterator[Reading]:
    """Open `path` with `open_workbook` and check it has the `required` sheets, else refuse it as not
    `what` ("a plan workbook"). Inside, openpyxl's warnings are silenced, and any error but a
    `BadInputError` (read-only sheets are parsed lazily, row by row) refuses the file naming the
    sheet being read (set `Reading.sheet`). The workbook is closed at the end."""
    wb = open_workbook(path)
    opened = Reading(wb)
    try:
        if not wb.sheetnames:
            raise _fail(path.name, "the workbook has no worksheets that can be read (is it saved as "
                                   "'Strict Open XML'? save it as an ordinary Excel workbook)")
        for name in required:
            if L.header_key(name) not in opened.by_key:
                listed = ", ".join(f"'{n}'" for n in wb.sheetnames[:8])
                listed += ", ..." if len(wb.sheetnames) > 8 else ""
                raise _fail(path.name, f"the workbook has no sheet named '{name}', so it is not {what} "
                                       f"(its sheets: {listed})")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it skips
            yield opened
    except (BadInputError, Cancelled):  # Cancel pressed while a sheet was read is not a bad sheet
        raise
    except Exception as exc:  # noqa: BLE001 - read-only sheets are parsed lazily, row by row
        raise _fail(path.name, f"the sheet could not be read ({short_reason(exc)})", sheet=opened.sheet) from None
    finally:
        wb.close()


def about_items(sheet) -> dict[str, str]:
    """An About sheet's items by header_key(item) (a `SheetRows`, or None when there is none)."""
    return {L.header_key(r["item"]): r["value"] for r in sheet.rows if r["item"]} if sheet else {}


def read_layout_book(path: Path, sheets: tuple[L.SheetLayout, ...], what: str) -> Generator[Progress, None, Book]:
    """Every sheet of `sheets` that is present, converted (`read_sheet`); cell problems collected in
    `problems`, the About sheet's items in `about`. A workbook without a required sheet is refused
    as not `what`."""
    path = Path(path)
    book = Book(path.name)
    with reading(path, tuple(layout.name for layout in sheets if layout.required), what) as opened:
        for layout in sheets:
            title = opened.title(layout.name)
            if title is None:
                continue
            opened.sheet = title
            sheet = yield from read_sheet(opened.workbook[title], layout, book)
            if sheet is not None:
                book.sheets[layout.name] = sheet
    book.about = about_items(book.sheets.pop(L.ABOUT.name, None))
    return book


def read_book(path: Path) -> Generator[Progress, None, Book]:
    """The plan workbook's sheets (`layout.SHEETS`) that are present, converted."""
    return (yield from read_layout_book(path, L.SHEETS, "a plan workbook"))


def blank(value) -> bool:
    """An empty cell: None, or text of nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


_EMPTY = {L.NAMES: [], L.DATE: None, L.UID: None}


def find_header(head: list[tuple], layout: L.SheetLayout) -> tuple[int, dict[str, int]] | None:
    """(index of the header row among `head`, column key -> 0-based position) for the row that
    names most of the layout's columns (two at least), or None."""
    wanted = {L.header_key(c.header): c.key for c in layout.columns}
    best = None
    for i, values in enumerate(head):
        found: dict[str, int] = {}
        for j, value in enumerate(values):
            key = wanted.get(L.header_key(value)) if isinstance(value, str) else None
            if key and key not in found:
                found[key] = j
        if len(found) >= min(2, len(wanted)) and (best is None or len(found) > len(best[1])):
            best = (i, found)
    return best


def read_sheet(ws, layout: L.SheetLayout, book: Book) -> Generator[Progress, None, SheetRows | None]:
    """A worksheet's rows below its header, each cell converted by its column's kind (`layout.READERS`).
    Problems (no header, a missing column, a cell that cannot be understood) go to `book`."""
    problems = book.problems
    rows_iter = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    head = list(islice(rows_iter, HEADER_SEARCH))
    found = find_header(head, layout)
    if found is None:
        problems.append(Problem(
            f"no header row found (expected columns such as "
            f"{', '.join(repr(c.header) for c in layout.columns[:3])})", sheet=ws.title))
        return None
    header_index, columns = found
    header_row = header_index + 1
    for col in layout.columns:
        if col.required and col.key not in columns:
            problems.append(Problem(f"the column '{col.header}' is missing", sheet=ws.title,
                                    row=header_row, column=col.header))
    title = next((L.text(v) for values in head[:header_index] for v in values if not blank(v)), "")
    sheet = SheetRows(layout, [], set(columns), title)
    wanted = [(col, columns.get(col.key)) for col in layout.columns]
    for number, values in enumerate(chain(head[header_index + 1:], rows_iter), start=header_row + 1):
        if number > MAX_ROWS:
            problems.append(Problem(f"the sheet has more than {MAX_ROWS:,} rows, far more than a plan holds",
                                    sheet=ws.title))
            break
        if number % 500 == 0:
            yield Progress(0, 0, f"Reading sheet '{ws.title}', row {number}")
        raw = [values[j] if j is not None and j < len(values) else None for _, j in wanted]
        if all(blank(v) for v in raw):
            continue  # blank rows anywhere, including the trailing ones Excel keeps
        row: dict = {"_row": number}
        for (col, _), value in zip(wanted, raw):
            try:
                row[col.key] = L.READERS[col.kind](value)
            except L.CellError as exc:
                problems.append(Problem(str(exc), sheet=ws.title, row=number, column=col.header))
                book.bad_cells.add((layout.name, number, col.header))
                row[col.key] = _EMPTY.get(col.kind, "")
        sheet.rows.append(row)
    return sheet
