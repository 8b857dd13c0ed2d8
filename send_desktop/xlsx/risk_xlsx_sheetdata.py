"""The data rows of the register's large sheets, written as XML text into the saved workbook.

Why: without lxml, openpyxl serialises every cell through a pure-Python element tree, about
10 µs a cell, and a register of 1,000 risks with 24 reviews each has 280,000 cells: 5 s to save
(bench/bench_risks.py), where the target is 2 s. openpyxl still writes the workbook (styles,
headers, widths, drop-downs, band colours, the Key, Lists and About sheets); this module then
puts the data rows of the Register, Mitigations, History and Categories sheets into the saved
package, written as openpyxl writes cells (inline strings, the same style ids, dates as serial
numbers), so the file is the one openpyxl would have made, in a tenth of the time.

Text that begins with "=", "+", "-" or "@" stays text (with Excel's quote prefix, as
`sheets.as_text` does); only values given as `Formula` become formulas.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from send_desktop.xlsx.sheets import looks_like_formula

_EPOCH = dt.date(1899, 12, 30)
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


class Formula(str):
    """A cell formula such as "=F3*G3", as against text that happens to begin with "="."""


class SheetData:
    """Rows of (value, style) for one sheet, starting at `first_row`, kept as XML text."""

    def __init__(self, ws, first_row: int):
        self.ws, self.first_row = ws, first_row
        self.next_row = first_row
        self.width = 0
        self._parts: list[str] = []
        self._ids: dict[int, int] = {}
        self._quoted: dict[int, int] = {}
        self._letters: list[str] = []
        self._texts: dict[str, tuple[str, bool]] = {}
        self._styles, self._sids = None, []

    def _style_id(self, style, quoted: bool = False) -> int:
        """The index openpyxl gives this style in the workbook's cell formats (registered now)."""
        cache = self._quoted if quoted else self._ids
        key = id(style)
        if key not in cache:
            array = copy.copy(style)
            if quoted:
                array.quotePrefix = 1
            cache[key] = self.ws.parent._cell_styles.add(array)
        return cache[key]

    def _text(self, value: str) -> tuple[str, bool]:
        """The escaped inline-string body of a text, and whether it needs the quote prefix.
        Registers repeat themselves (assessors, notes, refs), so each text is escaped once."""
        found = self._texts.get(value)
        if found is None:
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            space = ' xml:space="preserve"' if text.strip() and text != text.strip() else ""
            found = self._texts[value] = (f"<is><t{space}>{text.translate(_ESCAPE)}</t></is>",
                                          looks_like_formula(text))
        return found

    def add_row(self, values, styles) -> None:
        row = self.next_row
        self.next_row += 1
        if len(values) > len(self._letters):
            self._letters = [get_column_letter(i) for i in range(1, len(values) + 1)]
        self.width = max(self.width, len(values))
        if styles is not self._styles:  # the same column styles come with every row: look them up once
            self._styles, self._sids = styles, [self._style_id(st) for st in styles]
        cells = []
        for letter, value, style, sid in zip(self._letters, values, styles, self._sids):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is str:
                body, quoted = self._text(value)
                sid = self._style_id(style, True) if quoted else sid
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="inlineStr">{body}</c>')
            elif kind is Formula:
                cells.append(f'<c r="{letter}{row}" s="{sid}"><f>{value[1:].translate(_ESCAPE)}</f></c>')
            elif kind is int or kind is float:
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="n"><v>{value}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="n"><v>{(day - _EPOCH).days}</v></c>')
            elif isinstance(value, str):  # a str subclass other than Formula: text
                body, quoted = self._text(str(value))
                sid = self._style_id(style, True) if quoted else sid
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="inlineStr">{body}</c>')
            else:
                cells.append(f'<c r="{letter}{row}" s="{sid}" t="n"><v>{value}</v></c>')
        self._parts.append(f'<row r="{row}">{"".join(cells)}</row>')

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def xml(self) -> bytes:
        return "".join(self._parts).encode("utf-8")


def inject(saved: Path, target: Path, sheets: list[SheetData]) -> None:
    """Copy the package at `saved` to `target`, adding each sheet's rows at the end of its
    sheetData and widening its dimension to match. `saved` must have been written by openpyxl
    just now, so each worksheet knows its part name."""
    parts = {ws_data.ws.path.lstrip("/"): ws_data for ws_data in sheets}
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            extra = parts.get(info.filename)
            if extra is not None and extra._parts:
                if b"</sheetData>" in data:
                    data = data.replace(b"</sheetData>", extra.xml() + b"</sheetData>", 1)
                else:  # an empty sheet is written <sheetData />
                    data = data.replace(b"<sheetData />", b"<sheetData>" + extra.xml() + b"</sheetData>", 1)
                top = max(extra.ws.max_column, extra.width)
                ref = f'<dimension ref="A1:{get_column_letter(top)}{max(extra.last_row, extra.ws.max_row)}"/>'
                data = _DIMENSION.sub(ref.encode(), data, count=1)
            # level 1: a third of the default's time for a few per cent more bytes
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
