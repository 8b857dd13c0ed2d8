"""A workbook's cells and the structure that matters for reading an officer's sheet.

Values come from python-calamine, about seven times faster than openpyxl's read-only mode on
this machine and the hot path of a 100,000-row tracker. Calamine gives merged ranges and which
sheets are hidden, but not hidden rows, fill colours, or whether a blank cell is a formula with
no saved value. Those come from `scan`, one streaming pass of regular expressions over the
sheet's XML (a few tenths of a second for 100,000 rows, memory bounded by the chunk size),
asked only for the columns whose colours are wanted.

A sheet of more than `parted.PARTED_FROM` bytes of XML is read by calamine a part at a time
(`parted.PartedSheet`), so that its values are never all held at once.

A formula that was never calculated (a file written by a script, or saved with calculation
off) has no saved value: calamine reads it as blank, and so do we; its formula text is never
taken as a value. `scan` finds these cells so that the report can say so.
"""

from __future__ import annotations

import colorsys
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from send_desktop.errors import BadInputError, Problem

CHUNK = 1 << 22                 # bytes of sheet XML scanned at a time
CALAMINE_CELLS = 20_000_000     # the most cells a sheet may span from A1 for calamine (about 640 MB)
MAX_COLUMNS = 64                # columns read when openpyxl reads a sheet instead
MAX_SHEET_XML = 2_000_000_000   # decompressed bytes of one sheet beyond which the scan stops


class SheetGrid:
    """One worksheet's values by 0-based (row, column), as Excel lays them out (row 0 is row 1).

    Rows are made Python lists as they are walked (`iter_rows`, `head`): calamine holds the sheet
    compactly, and a 100,000-row sheet as lists of Python values at once would cost five times
    the memory of walking it."""

    def __init__(self, name: str, hidden: bool, sheet):
        self.name, self.hidden, self._sheet = name, hidden, sheet
        self._pad = [""] * ((sheet.start or (0, 0))[1] if sheet.height else 0)
        self.merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]

    def iter_rows(self):
        """Every row from row 1 (calamine gives the rows from the top, the columns from the first used)."""
        if not self._sheet.height:
            return iter(())
        pad = self._pad
        return (pad + r for r in self._sheet.iter_rows()) if pad else iter(self._sheet.iter_rows())

    @property
    def height(self) -> int:
        """How many rows the sheet has from row 1; 0 when not known ahead (read by openpyxl)."""
        sheet = self._sheet
        if isinstance(sheet, _OpenpyxlSheet) or not sheet.height:
            return 0
        return (sheet.start or (0, 0))[0] + sheet.height

    def head(self, n: int) -> list[list]:
        out = []
        for r in self.iter_rows():
            if len(out) >= n:
                break
            out.append(r)
        return out

    @property
    def rows(self) -> list[list]:
        """All rows as lists (for small sheets and tests; readers walk `iter_rows`)."""
        return list(self.iter_rows())


@dataclass
class Scan:
    """What `scan` found on a sheet. Rows and columns are 0-based."""

    hidden_rows: set[int] = field(default_factory=set)
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) -> "#rrggbb"
    percent: set[tuple[int, int]] = field(default_factory=set)       # cells shown as a percentage
    truncated: bool = False


def _fail(path: Path, message: str) -> BadInputError:
    return BadInputError(f"{path.name}: {message}", [Problem(message)])


def _workbook_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The workbook part's name: xl/workbook.xml, or wherever the package's relationships say."""
    if "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    if "_rels/.rels" in names:
        for tag in re.findall(r"<Relationship\b[^>]*>", z.read("_rels/.rels").decode("utf-8", "replace")):
            a = _attrs(tag)
            if a.get("Type", "").endswith("/officeDocument") and a.get("Target", "").lstrip("/") in names:
                return a["Target"].lstrip("/")
    return None


class GridBook:
    """An open workbook: `sheet_names`, `hidden(name)`, `grid(name)` and `scan(name, columns)`."""

    def __init__(self, path: Path):
        import python_calamine

        from send_desktop.xlsx.safe_open import Refusal, check_package

        self.path = Path(path)
        try:  # what every import looks at first: encrypted, not a zip, a zip bomb, entities, ...
            check_package(self.path)
        except Refusal as exc:
            raise _fail(self.path, str(exc)) from None
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
            meta = self._wb.sheets_metadata
        except Exception as exc:  # noqa: BLE001 - calamine raises its own zoo for odd packages
            text = " ".join(str(exc).split())[:120] or type(exc).__name__
            raise _fail(self.path, f"the file could not be read as an Excel workbook ({text})") from None
        self.sheet_names = [m.name for m in meta if "WorkSheet" in str(m.typ)]
        self._hidden = {m.name for m in meta if str(m.visible).split(".")[-1] != "Visible"}
        self._parts: dict[str, str] | None = None
        self._styles: list[str | None] | None = None
        self._percent: list[bool] = []
        self._surveys: dict[str, tuple | None] = {}  # sheet part -> (last row, merged ranges), by `_span`

    def hidden(self, name: str) -> bool:
        return name in self._hidden

    def grid(self, name: str) -> SheetGrid:
        """The sheet's values: by calamine, unless its cells may span more than CALAMINE_CELLS from
        A1 (calamine lays a sheet out densely, so one far cell of a hostile file would exhaust the
        memory and end the process); then by openpyxl's read-only mode, which costs only the rows
        there are, at a seventh of the speed and within MAX_COLUMNS."""
        part = self._sheet_parts().get(name)
        if part and self._span(part) > CALAMINE_CELLS:
            return SheetGrid(name, self.hidden(name), _OpenpyxlSheet(self.path, name))
        parted = self._parted(name, part) if part else None
        if parted is not None:
            return SheetGrid(name, self.hidden(name), parted)
        return SheetGrid(name, self.hidden(name), self._wb.get_sheet_by_name(name))

    def _parted(self, name: str, part: str):
        """The sheet as a `parted.PartedSheet` when its XML is larger than `parted.PARTED_FROM`
        (read a part at a time, so that its values are never all held); else None. What it needs
        of the whole sheet (the last row, the merged ranges) `_span` found on its way."""
        from send_desktop.xlsx.tolerant import parted

        with zipfile.ZipFile(self.path) as z:
            try:
                info = z.getinfo(part)
            except KeyError:
                return None
            if info.file_size <= parted.PARTED_FROM:
                return None
            book_part = _workbook_part(z, set(z.namelist()))
        found = self._surveys.get(part)
        if found is None or book_part is None:
            return None
        return parted.PartedSheet(self.path, name, part, book_part, *found)

    def _span(self, part: str) -> int:
        """An upper bound of the cells a sheet spans from A1: its last row times its widest column,
        bounded by its column letters (one letter: 26; two: 26 more per first letter; else 16,384).
        The same pass keeps what a sheet read a part at a time needs (`_surveys`)."""
        rows, columns = 0, 26
        from send_desktop.xlsx.tolerant.parted import Tail

        with zipfile.ZipFile(self.path) as z:
            if part not in z.namelist():
                return 0
            tail_of = Tail()
            with z.open(part) as fh:
                tail = b""
                while chunk := fh.read(CHUNK):
                    window = tail + chunk
                    tail_of.feed(window, len(tail))
                    last = window.rfind(b"<row ")  # rows are written in order: the last is the furthest
                    found = _ROW_NUMBER.match(window, last) if last >= 0 else None
                    if found:
                        rows = max(rows, int(found.group(1)))
                    if _WIDE_REF.search(window):
                        columns = 16_384
                    else:
                        while columns < 702:  # a two-letter column beyond the widest so far?
                            first = 65 + (columns - 26) // 26
                            m = re.search(rb"""r=["'][%c-Z][A-Z][0-9]""" % first, window)
                            if m is None:
                                break
                            columns = 26 * (window[m.start() + 3] - 64) + 26
                    if rows * columns > CALAMINE_CELLS:
                        return rows * columns
                    tail = window[-64:]
            self._surveys[part] = (rows, tail_of.merged()) if tail_of.shaped else None
        return rows * columns

    def close(self) -> None:
        self._wb.close()

    # -- the XML scan ----------------------------------------------------------------------------

    def _sheet_parts(self) -> dict[str, str]:
        if self._parts is None:
            self._parts = {}
            with zipfile.ZipFile(self.path) as z:
                names = set(z.namelist())
                book_part = _workbook_part(z, names)
                if book_part is None:  # a package laid out oddly: no scan (calamine still reads it)
                    return self._parts
                folder = book_part.rpartition("/")[0]
                rels_part = f"{folder}/_rels/{book_part.rpartition('/')[2]}.rels".lstrip("/")
                wb = z.read(book_part).decode("utf-8", "replace")
                rels = z.read(rels_part).decode("utf-8", "replace") if rels_part in names else ""
            targets = {}
            for tag in re.findall(r"<Relationship\b[^>]*>", rels):
                a = _attrs(tag)
                targets[a.get("Id", "")] = a.get("Target", "")
            for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", wb):
                a = _attrs(tag)
                rid = next((v for k, v in a.items() if k.endswith(":id")), "")
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else (f"{folder}/" if folder else "") + target
                self._parts[html.unescape(a.get("name", ""))] = part
        return self._parts

    def _fill_colours(self, z: zipfile.ZipFile) -> list[str | None]:
        """The solid fill colour of each cell style (cellXfs index), None for no fill."""
        if self._styles is None:
            names = set(z.namelist())
            styles = z.read("xl/styles.xml").decode("utf-8", "replace") if "xl/styles.xml" in names else ""
            theme = z.read("xl/theme/theme1.xml").decode("utf-8", "replace") \
                if "xl/theme/theme1.xml" in names else ""
            themes = _theme_colours(theme)
            fills_block = re.search(r"<fills\b.*?</fills>", styles, re.S)
            fills = []
            for m in re.finditer(r"<fill\b[^>]*?(?:/>|>(.*?)</fill>)", fills_block.group(0) if fills_block else "",
                                 re.S):
                fills.append(_fill_colour(m.group(1) or "", themes))
            xfs_block = re.search(r"<cellXfs\b.*?</cellXfs>", styles, re.S)
            percent_formats = {"9", "10"} | {
                _attrs(tag).get("numFmtId", "") for tag in re.findall(r"<numFmt\b[^>]*>", styles)
                if "%" in html.unescape(_attrs(tag).get("formatCode", "")).replace('\\%', "").replace('"%"', "")}
            self._styles = []
            for tag in re.findall(r"<xf\b[^>]*>", xfs_block.group(0) if xfs_block else ""):
                a = _attrs(tag)
                fid = a.get("fillId", "0")
                i = int(fid) if fid.isdigit() else 0
                self._styles.append(fills[i] if i < len(fills) else None)
                self._percent.append(a.get("numFmtId", "0") in percent_formats)
        return self._styles

    def scan(self, name: str, fill_columns: tuple[int, ...] = (), percent_columns: tuple[int, ...] = (),
             until_row: int | None = None) -> Scan:
        """Hidden rows, formulas without a saved value, the fills of `fill_columns` and which cells of
        `percent_columns` are shown as a percentage (0.847 shown as 84.7%). With `until_row` (0-based),
        the scan may stop after that row (a preview's first rows): what it found below is not complete."""
        out = Scan()
        part = self._sheet_parts().get(name)
        if not part:
            return out
        wanted = sorted(set(fill_columns) | set(percent_columns))
        letters = b"|".join(get_column_letter(c + 1).encode() for c in wanted)
        styled = re.compile(rb'<c r="(' + letters + rb')(\d+)"[^>]*?\bs="(\d+)"') if letters else None
        with zipfile.ZipFile(self.path) as z:
            if part not in z.namelist():
                return out
            colours = self._fill_colours(z) if styled else []
            styled = (styled, set(fill_columns), set(percent_columns), self._percent) if styled else None
            with z.open(part) as fh:
                buf, total = b"", 0
                while True:
                    chunk = fh.read(CHUNK)
                    total += len(chunk)
                    if total > MAX_SHEET_XML:
                        out.truncated = True
                        break
                    buf += chunk
                    if chunk:
                        cut = buf.rfind(b"</row>")
                        if cut < 0:
                            continue
                        cut += 6
                        piece, buf = buf[:cut], buf[cut:]
                    else:
                        piece, buf = buf, b""
                    _scan_piece(piece, out, styled, colours)
                    if not chunk or (until_row is not None and _last_row(piece) > until_row + 1):
                        break
        return out


_ROW_NUMBER = re.compile(rb"""<row\b[^>]*?\br=["']([0-9]{1,9})["']""")
_WIDE_REF = re.compile(rb"""r=["'][A-Z]{3}""")  # any such attribute counts: only ever too careful


def _last_row(piece: bytes) -> int:
    """The number (as Excel counts) of the last row that starts in `piece`; 0 when none does."""
    last = piece.rfind(b"<row ")
    found = _ROW_NUMBER.match(piece, last) if last >= 0 else None
    return int(found.group(1)) if found else 0


class _OpenpyxlSheet:
    """What `SheetGrid` needs of a calamine sheet, read by openpyxl's read-only mode instead."""

    merged_cell_ranges: list = []
    start = (0, 0)
    height = 1

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name

    def iter_rows(self):
        import warnings

        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            try:
                for row in wb[self.name].iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    yield ["" if v is None else v for v in row]
            finally:
                wb.close()


_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_R = re.compile(rb'\br="(\d+)"')
_NO_VALUE = re.compile(rb'<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_CELL_R = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _attrs(tag: str) -> dict[str, str]:
    return {k: v for k, v in _ATTR.findall(tag)}


def _scan_piece(piece: bytes, out: Scan, styled, colours) -> None:
    if b"hidden=" in piece:
        for m in _ROW_HIDDEN.finditer(piece):
            r = _ROW_R.search(m.group(0))
            if r:
                out.hidden_rows.add(int(r.group(1)) - 1)
    if b"<f" in piece:
        for m in _NO_VALUE.finditer(piece):
            r = _CELL_R.search(m.group(1))
            if r:
                out.formulas_without_value.append((int(r.group(2)) - 1,
                                                   column_index_from_string(r.group(1).decode()) - 1))
    if styled is not None:
        pattern, fill_cols, percent_cols, percent = styled
        for m in pattern.finditer(piece):
            s = int(m.group(3))
            c = column_index_from_string(m.group(1).decode()) - 1
            colour = colours[s] if s < len(colours) and c in fill_cols else None
            if colour:
                out.fills[(int(m.group(2)) - 1, c)] = colour
            if c in percent_cols and s < len(percent) and percent[s]:
                out.percent.add((int(m.group(2)) - 1, c))


# -- colours --------------------------------------------------------------------------------------

_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")


def _theme_colours(theme: str) -> list[str]:
    scheme = re.search(r"<a:clrScheme\b.*?</a:clrScheme>", theme, re.S)
    found = {}
    for m in re.finditer(r"<a:(\w+)>\s*<a:(?:srgbClr val|sysClr[^>]*?lastClr)=\"([0-9A-Fa-f]{6})\"",
                         scheme.group(0) if scheme else ""):
        found[m.group(1)] = "#" + m.group(2).lower()
    return [found.get(k, "#000000") for k in _THEME_ORDER]


def _tinted(colour: str, tint: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lum)), s)
    return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))


def _fill_colour(body: str, themes: list[str]) -> str | None:
    pattern = re.search(r'<patternFill\b([^>]*)', body)
    if pattern is None or _attrs(pattern.group(1)).get("patternType", "none") in ("none", "gray125"):
        return None
    fg = re.search(r"<fgColor\b([^>]*)/?>", body)
    if fg is None:
        return None
    a = _attrs(fg.group(1))
    if "rgb" in a and len(a["rgb"]) >= 6:
        return "#" + a["rgb"][-6:].lower()
    if a.get("theme", "").isdigit():
        i = int(a["theme"])
        colour = themes[i] if i < len(themes) else None
        if colour and a.get("tint"):
            try:
                colour = _tinted(colour, float(a["tint"]))
            except ValueError:
                pass
        return colour
    if a.get("indexed", "").isdigit():
        from openpyxl.styles.colors import COLOR_INDEX

        i = int(a["indexed"])
        return "#" + COLOR_INDEX[i][-6:].lower() if i < 64 else None
    return None
