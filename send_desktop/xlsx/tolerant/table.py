"""An officer's table of one kind (a risk register, a KPI table, an action log) read into rows.

What every kind shares, so each needs only its own turning of rows into records:

- the header row is found below title and key rows by the kind's vocabulary (`headers`), by a
  given `ColumnMapping`, or by a mapping remembered for the layout's header signature
  (`mappings`); a header in two rows ("Inherent risk" merged over "L | I | Score") is read as
  one ("Inherent risk L");
- each data row is given with its sheet and row as Excel counts them, as {field: raw value},
  with the whole row (for columns a kind reads by its own rules, such as KPI periods) and the
  fill colour of the columns whose colour may be the value (a RAG column);
- a row of one text alone (a banner: "Strategic risks") is given as a banner for the kind to use
  or report; blank rows and the header repeated are skipped;
- reported, with sheet, row and column: hidden sheets (not read), hidden rows (read like the
  others), formulas without a saved value (read as blank), placeholders ("TBC", "N/A", "-") read
  as blank, and columns no field was found for.

Nothing is decided about the database here. `preview` is what a column-mapping step shows for
any kind; the plan's own reader (`plan_foreign_read`) uses the same header finding, structure
report and preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Generator

from send_desktop.core.memory import release_freed
from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Cancelled, Problem
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import IGNORE, ColumnMapping, Header, cell_text, columns_of, \
    find_header, signature

ROW_BLOCK = 10_000_000   # rows of the second sheet read are numbered from here internally, and so on
SEARCH = 40              # rows at the top of a sheet looked at for the header
LEGEND_SHEET = re.compile(r"\b(key|legend|rag|rating|ratings|guide|guidance|scale|lists?|lookups?)\b", re.I)
MAX_LISTED = 20          # places listed in one warning


# -- mappings and the header ---------------------------------------------------------------------


def as_mapping(kind: str, mapping: ColumnMapping | dict | None) -> ColumnMapping | None:
    """A given mapping as a `ColumnMapping` of `kind`; one naming an unknown field is refused."""
    if mapping is None or isinstance(mapping, ColumnMapping):
        return mapping
    try:
        return ColumnMapping.from_dict(kind, mapping)
    except ValueError as exc:
        raise BadInputError(f"the column mapping is not usable: {exc}", [Problem(str(exc))]) from None


def saved_for(db, kind: str) -> dict[str, ColumnMapping]:
    from send_desktop.xlsx.tolerant.mappings import saved_mappings

    return saved_mappings(db, kind)


def _texts(values) -> list[str]:
    return [cell_text(v) if isinstance(v, str) else "" for v in values]


def _grouped(head: list[list], merged) -> list[list]:
    """The rows with each one below a merged group title ("Inherent risk" over three columns)
    read with the title before its headers ("Inherent risk L"); other rows as they are."""
    groups: dict[int, list[tuple[int, int, str]]] = {}
    for r0, c0, r1, c1 in merged or ():
        if c1 > c0 and r0 + 1 < len(head) and r0 < SEARCH:
            title = cell_text(head[r0][c0]) if c0 < len(head[r0]) else ""
            if title:
                groups.setdefault(r1 + 1, []).append((c0, c1, title))
    if not groups:
        return head
    out = list(head)
    for r, spans in groups.items():
        if r >= len(out):
            continue
        row = list(out[r])
        for c0, c1, title in spans:
            for c in range(c0, min(c1 + 1, len(row))):
                if isinstance(row[c], str) and row[c].strip():
                    row[c] = f"{title} {row[c].strip()}"
        out[r] = row
    return out


def _by_saved(rows: list[list], kind: str, saved: dict[str, ColumnMapping]) -> Header | None:
    for i, values in enumerate(rows[:SEARCH]):
        texts = _texts(values)
        if sum(1 for t in texts if t) >= 2 and signature(texts) in saved:
            m = saved[signature(texts)]
            cols = columns_of(kind, texts, m)
            used = ColumnMapping(kind, {texts[c]: f for c, f in cols.items()}, "saved")
            used.fields.update({t: IGNORE for t in texts if t and m.knows(t) and m.field_for(t) is None})
            return Header(i, texts, cols, used)
    return None


def header_for(kind: str, head: list[list], mapping: ColumnMapping | None, saved: dict[str, ColumnMapping],
               needed: tuple[str, ...], merged=()) -> Header | None:
    """The header row of a sheet: one whose layout has a remembered mapping, else the row naming
    most fields by the mapping and the vocabulary (a two-row header read as one when that names
    more)."""
    grouped = _grouped(head, merged)
    if mapping is None and saved:
        found = _by_saved(head, kind, saved) or (_by_saved(grouped, kind, saved) if grouped is not head else None)
        if found is not None:
            return found
    plain = find_header(head, kind, mapping, search=SEARCH, needed=needed)
    if grouped is head:
        return plain
    two = find_header(grouped, kind, mapping, search=SEARCH, needed=needed)
    if two is not None and (plain is None or len(two.columns) > len(plain.columns)):
        return two
    return plain


def is_foreign(path: Path, sheet: str, id_header: str) -> bool:
    """Whether `path` is not a workbook the application wrote: it has no sheet `sheet` with an
    `id_header` column ("Register" with "Risk id"), and no About sheet naming one of the
    application's layouts (an export of another kind, which the kind's own reader refuses as
    such). A file that cannot be opened is not foreign either: the kind's reader says why."""
    from send_desktop.xlsx import layout as L

    try:
        book = GridBook(Path(path))
    except BadInputError:
        return False
    try:
        names = {L.header_key(n): n for n in book.sheet_names}
        about = names.get(L.header_key(L.ABOUT.name))
        if about is not None and any(L.header_key(values[0]) == L.header_key(L.ABOUT_LAYOUT) and
                                     str(values[1]).casefold().startswith("send-desktop")
                                     for values in book.grid(about).head(40) if len(values) > 1):
            return False
        title = names.get(L.header_key(sheet))
        if title is None:
            return True
        head = book.grid(title).head(10)
        return not any(L.header_key(v) == L.header_key(id_header) for values in head for v in values
                       if isinstance(v, str))
    except Exception:  # noqa: BLE001 - a sheet calamine cannot read: the kind's reader says why
        return False
    finally:
        book.close()


# -- refusing what cannot be read ----------------------------------------------------------------


def unreadable(path: Path, exc: BaseException) -> BadInputError:
    text = " ".join(str(exc).split())[:120] or type(exc).__name__
    message = f"the file could not be read as an Excel workbook ({text})"
    return BadInputError(f"{Path(path).name}: {message}", [Problem(message)])


def refuse_damaged(path: Path) -> None:
    """Raise the plain reader's refusal when openpyxl cannot open the file either."""
    from send_desktop.xlsx.book_reader import open_workbook

    wb = open_workbook(Path(path))  # raises BadInputError for a damaged file
    wb.close()


def _listed(rows: list[int]) -> str:
    more = len(rows) - MAX_LISTED
    return ", ".join(str(r) for r in rows[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def report_structure(warnings: list, sheet: str, header: Header, scan, content_rows: set[int],
                     quiet: tuple[str, ...] = (), other_columns: bool = False) -> None:
    """Hidden rows read, formulas without a saved value (outside the `quiet` fields, which the kind
    works out itself; in headed columns no field was found for too with `other_columns`), a scan
    cut short, and columns not imported, as warnings."""
    hidden = sorted(r for r in scan.hidden_rows if r > header.row and r in content_rows)
    if hidden:
        many = len(hidden) > 1
        warnings.append(Problem(f"{len(hidden)} hidden row{'s' if many else ''} ({_listed([r + 1 for r in hidden])}) "
                                f"{'were' if many else 'was'} imported like the others", sheet, hidden[0] + 1))
    shown = 0
    for r, c in scan.formulas_without_value:
        known = c in header.columns or (other_columns and c < len(header.texts) and header.texts[c])
        if r <= header.row or not known or header.columns.get(c) in quiet:
            continue
        shown += 1
        if shown <= MAX_LISTED:
            warnings.append(Problem("a formula with no saved value was read as blank (open the file in "
                                    "Excel and save it to store its values)", sheet, r + 1, header.texts[c]))
    if shown > MAX_LISTED:
        warnings.append(Problem(f"{shown - MAX_LISTED} more formulas with no saved value were read as blank", sheet))
    if scan.truncated:
        warnings.append(Problem("the sheet is too large to check for hidden rows and colours in full", sheet))
    unassigned = header.unassigned()
    if unassigned:
        listed = ", ".join(f"'{t}'" for t in unassigned[:12]) + (", ..." if len(unassigned) > 12 else "")
        warnings.append(Problem(f"columns not imported (assign them in a column mapping to import them): "
                                f"{listed}", sheet, header.row + 1))


# -- reading -------------------------------------------------------------------------------------


@dataclass
class TableRow:
    sheet: str
    row: int                                   # as Excel counts
    key: int                                   # unique in the table: sheet number * ROW_BLOCK + row
    values: dict[str, object]                  # field -> the raw cell value
    cells: list                                # the whole row, raw
    fills: dict[str, str] = field(default_factory=dict)   # field -> "#rrggbb", for the fill fields
    banner: str = ""                           # the text of a row holding one text alone


@dataclass
class TableSheet:
    name: str
    header: Header
    header_cells: list                         # the header row's raw values (dates, numbers as given)
    title: str
    rows: list[TableRow] = field(default_factory=list)
    percent: set[tuple[int, int]] = field(default_factory=set)   # (row, col), 0-based, shown as %
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based: no saved value


@dataclass
class Table:
    file: str
    kind: str
    sheets: list[TableSheet] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    legend: str = ""
    where: dict[int, tuple[str, int]] = field(default_factory=dict)   # row key -> (sheet, row)

    def header(self, sheet: str) -> Header | None:
        return next((s.header for s in self.sheets if s.name == sheet), None)

    def column(self, sheet: str, fld: str) -> str:
        """The workbook's own header of `fld` on `sheet` ("" when the sheet has no such column)."""
        h = self.header(sheet)
        return h.header_of(fld) if h is not None and fld else ""

    def rows(self):
        for s in self.sheets:
            yield from s.rows


def read_table(path: Path, kind: str, mapping: ColumnMapping | dict | None = None, db=None, *,
               needed: tuple[str, ...], what: str, fill_fields: tuple[str, ...] = (),
               percent_fields: tuple[str, ...] = (), other_columns: bool = False,
               literal: tuple[str, ...] = (), quiet: tuple[str, ...] = (),
               own: tuple[str, str] = ("", "")) -> Generator[Progress, None, Table]:
    """Every visible sheet of `path` with a header of `kind`, read into rows (see the module notes).

    `needed`: fields one of which the header must name; `what`: the columns such a header has, for
    the refusal ("'Ref' and 'Risk'"); `fill_fields`: fields whose cells' fill colour is given;
    `percent_fields` (and every column no field was found for, with `other_columns`, for a kind that
    reads such columns by its own rules): columns whose cells shown as a percentage are noted; `literal`: fields whose placeholders are values ("tbc"
    as a KPI value), not reported as read blank; `quiet`: fields whose formulas without a saved value
    the kind reports itself (a risk's score, which is worked out); `own`: the sheet the application's
    own export of the kind has and what the kind is called ("Register", "a risk register"), for the
    refusal of a workbook that is neither."""
    path = Path(path)
    mapping = as_mapping(kind, mapping)
    table = Table(path.name, kind)
    saved = saved_for(db, kind) if mapping is None else {}
    book = GridBook(path)
    try:
        yield from _read_sheets(book, table, mapping, saved, needed, fill_fields, percent_fields, other_columns,
                                literal, quiet)
    except (BadInputError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - a package calamine or the XML scan cannot follow
        raise unreadable(path, exc) from None
    finally:
        book.close()
        release_freed()
    if not table.sheets:
        refuse_damaged(path)  # a file no library can read says so, rather than "no header"
        message = f"no sheet has a header row naming {what}; supply a column mapping"
        if own[0]:
            message = (f"the workbook has no sheet named '{own[0]}', so it is not {own[1]} written by this "
                       f"application, and {message}")
        raise BadInputError(f"{path.name}: {message}", [Problem(message)])
    return table


def _read_sheets(book: GridBook, table: Table, mapping, saved, needed, fill_fields, percent_fields,
                 other_columns, literal, quiet) -> Generator[Progress, None, None]:
    for name in book.sheet_names:
        yield Progress(0, 0, f"Reading sheet '{name}'")
        if book.hidden(name):
            table.warnings.append(Problem("the sheet is hidden, so it was not read; unhide it in Excel to "
                                          "import its rows", name))
            continue
        grid = book.grid(name)
        head = grid.head(200)
        header = header_for(table.kind, head, mapping, saved, needed, grid.merged)
        if header is None:
            texts = [cell_text(v) for values in head for v in values if cell_text(v)]
            table.legend += "\n".join(texts) + "\n"
            if texts and not LEGEND_SHEET.search(name):
                table.warnings.append(Problem("no header row with the columns this kind needs was found, so the "
                                              "sheet was not read", name))
            continue
        fills = tuple(c for c, f in header.columns.items() if f in fill_fields)
        percent = tuple(c for c, t in enumerate(header.texts) if header.columns.get(c) in percent_fields
                        or (other_columns and c not in header.columns))
        scan = book.scan(name, fills, percent)
        sheet = TableSheet(name, header, list(head[header.row]), "", percent=scan.percent,
                           formulas=set(scan.formulas_without_value))
        content = yield from _read_rows(table, sheet, grid, scan, len(table.sheets), literal)
        report_structure(table.warnings, name, header, scan, content, quiet, other_columns)
        table.sheets.append(sheet)


def _read_rows(table: Table, sheet: TableSheet, grid, scan, number: int, literal) -> Generator[Progress, None, set]:
    h = sheet.header
    rows = grid.iter_rows()
    top = [values for _, values in zip(range(h.row + 1), rows)][:h.row]  # the header row is read too
    above = [cell_text(v) for values in top for v in values if not V.is_placeholder(cell_text(v))]
    sheet.title = above[0] if above else ""
    table.legend += "\n".join(above) + "\n"
    cols = sorted(h.columns.items())
    fill_cols = {c for _r, c in scan.fills}
    fills_of = [(c, f) for c, f in cols if c in fill_cols]
    header_texts = h.texts
    offset = number * ROW_BLOCK
    content: set[int] = set()
    placeholders: list[tuple[int, str]] = []
    for r0, values in enumerate(rows, h.row + 1):
        if r0 % 2000 == 0:
            yield Progress(0, 0, f"Reading sheet '{sheet.name}', row {r0 + 1}")
        filled = {f: scan.fills[(r0, c)] for c, f in fills_of if (r0, c) in scan.fills}
        nonblank = [(c, v) for c, v in enumerate(values) if v != "" and v is not None]
        if not nonblank and not filled:
            continue
        texts = [(c, cell_text(v)) for c, v in nonblank[:4]]
        if sum(1 for c, t in texts if c < len(header_texts) and t and t == header_texts[c]) >= 2:
            continue  # the header repeated (under each group of rows)
        content.add(r0)
        excel_row = r0 + 1
        key = offset + excel_row
        table.where[key] = (sheet.name, excel_row)
        got = {f: values[c] if c < len(values) else None for c, f in cols}
        row = TableRow(sheet.name, excel_row, key, got, values, filled)
        if len(nonblank) == 1 and isinstance(nonblank[0][1], str) and not filled:
            row.banner = V.text(nonblank[0][1])
        for c, f in cols:
            v = got[f]
            if f not in literal and isinstance(v, str) and v.strip() and V.is_placeholder(v):
                placeholders.append((excel_row, header_texts[c]))
        sheet.rows.append(row)
    if placeholders:
        first_row, first_col = placeholders[0]
        many = len(placeholders) > 1
        table.warnings.append(Problem(
            f"{len(placeholders)} cell{'s' if many else ''} held a placeholder such as TBC, N/A or '-' and "
            f"{'were' if many else 'was'} read as blank (the first is here)", sheet.name, first_row, first_col))
    return content


# -- remapping problems ----------------------------------------------------------------------------


def remap(problems: list, table: Table, ours: dict[str, dict[str, str]], columns: dict[int, str] | None = None) -> list:
    """Problems naming our layout's sheets and columns (`ours`: our sheet -> {our column header: the
    kind's field}) as the workbook's own sheet, row and column; others as they are. `columns`: the
    workbook's column for row keys that stand for one cell (a KPI's comparator)."""
    out = []
    first = table.sheets[0].name if table.sheets else ""
    for p in problems:
        if not isinstance(p, Problem) or p.sheet not in ours:
            out.append(p)
            continue
        sheet, row = table.where.get(p.row, (first, None)) if p.row is not None else (first, None)
        fld = ours[p.sheet].get(p.column, "")
        column = table.column(sheet, fld) or (p.column if not fld else "")
        if columns and p.row in columns:
            column = columns[p.row]
        out.append(Problem(p.message, sheet, row, column))
    return out


# -- preview -------------------------------------------------------------------------------------


@dataclass
class SheetPreview:
    sheet: str
    header_row: int                 # as Excel counts
    headers: list[str]
    mapping: ColumnMapping          # header -> field; source "detected", "saved" or "given"
    unassigned: list[str]           # headers no field was found for
    signature: str
    rows: list[list[str]]           # the first rows below the header, as text
    #: headers the kind reads by its own rules, and how ("values for 2023/24"), not in `unassigned`
    read_as: dict[str, str] = field(default_factory=dict)

    @property
    def remembered(self) -> bool:
        return self.mapping.source == "saved"


@dataclass
class Preview:
    file: str
    sheets: list[SheetPreview]
    warnings: list[Problem]
    #: a plan tracker's, asked for: the scale a new plan would get, and why (`plan_scale.scale_choice`);
    #: None when not asked, or when the database has a plan (whose scale is kept)
    scale: dict | None = None


def preview(kind: str, path: Path, db=None, mapping: ColumnMapping | dict | None = None, rows: int = 10,
            needed: tuple[str, ...] = ("ref", "text"), grouped: bool = True) -> Preview:
    """What a column-mapping step shows: per sheet, the header found, the field of each column (a
    remembered mapping for this layout when `db` has one) and the first `rows` rows. `needed` and
    `grouped` (a two-row header read as one) as the kind's reader has them."""
    mapping = as_mapping(kind, mapping)
    saved = saved_for(db, kind) if mapping is None else {}

    def find(grid):
        return header_for(kind, grid.head(200), mapping, saved, needed, grid.merged if grouped else ())

    return preview_book(path, find, rows)


def preview_book(path: Path, find, rows: int = 10, blank=None, first_only: bool = False) -> Preview:
    """The preview of every visible sheet whose header `find(grid) -> Header | None` finds (the
    first only, with `first_only`): its header, fields and first `rows` rows as text, a number Excel
    shows as a percentage as it is shown (0.847 as "84.7%"). `blank(header)
    -> set of columns` names columns whose cells are never shown (children's names); they are shown
    as not imported. A row with one cell filled in a table of three or more columns is a banner
    (a priority, a category) and is not shown among the first values. A hidden sheet is a warning;
    a file no library can follow, one refusal."""
    path = Path(path)
    book = GridBook(path)
    out, warnings = [], []
    grid = None
    try:
        for name in book.sheet_names:
            if book.hidden(name):
                warnings.append(Problem("the sheet is hidden, so it is not read", name))
                continue
            grid = book.grid(name)
            header = find(grid)
            if header is None:
                continue
            hidden = blank(header) if blank is not None else set()
            for c in hidden:
                header.mapping.fields[header.texts[c]] = IGNORE
            first = []  # (0-based row, its values, their texts)
            for r0, values in enumerate(islice(grid.iter_rows(), header.row + 1, None), header.row + 1):
                if len(first) >= rows:
                    break
                texts = [cell_text(v) for v in values]
                filled = sum(1 for t in texts if t)
                if filled and (filled > 1 or len(header.columns) < 3):  # one cell of a wide table: a banner
                    first.append((r0, values, texts))
            percent = _shown_as_percent(book, name, first)
            body = [["" if c in hidden else V.percent_text(values[c]) if (r0, c) in percent else t
                     for c, t in enumerate(texts)] for r0, values, texts in first]
            out.append(SheetPreview(name, header.row + 1, header.texts, header.mapping, header.unassigned(),
                                    header.signature, body))
            if first_only:
                break
    except BadInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - as in read_table
        raise unreadable(path, exc) from None
    finally:
        book.close()
        grid = None
        release_freed()  # the sheet's cells are gone: their memory goes back (core.memory)
    return Preview(path.name, out, warnings)


def _shown_as_percent(book: GridBook, sheet: str, first: list[tuple[int, list, list[str]]]) -> set[tuple[int, int]]:
    """The (row, column) of the number cells among a preview's `first` rows that Excel shows as a
    percentage (0.847 as 84.7%), scanning the sheet only as far as those rows."""
    numbers = {c for _r0, values, _texts in first for c, v in enumerate(values)
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if not numbers:
        return set()
    return book.scan(sheet, percent_columns=tuple(sorted(numbers)), until_row=first[-1][0]).percent


def guess_preview(path: Path, kind: str, mapping: dict[str, str] | None = None, rows: int = 10) -> Preview:
    """For a workbook whose header no row names by the fields the vocabulary knows: the first row of
    the first visible sheet with two or more headers (in its first SEARCH rows) taken as the
    header, read with the fields chosen so far (`mapping`, header -> field; any other header not
    imported), and the first `rows` rows below it, as `preview_book` gives them."""
    chosen = mapping or {}

    def find(grid) -> Header | None:
        for i, values in enumerate(grid.head(SEARCH)):
            texts = _texts(values)
            if sum(1 for t in texts if t) >= 2:
                fields = {t: chosen.get(t, IGNORE) for t in texts if t}
                return Header(i, texts, {c: fields[t] for c, t in enumerate(texts) if t},
                              ColumnMapping(kind, fields, "given"))
        return None

    return preview_book(path, find, rows, first_only=True)
