"""The rows of a large sheet written as XML text into the workbook openpyxl saved, not as cells.

openpyxl keeps an object per cell and writes an element per cell: a plan of 100,000 actions and
as many updates is 3.4 million of each, half a minute and more than a gigabyte. So the export
lays every sheet out with openpyxl (widths, frozen header, filter, drop-downs, colour rules, the
header and title rows), but hands the data rows of its big sheets to `DeferredRows`; `save`
has openpyxl write the workbook, then copies the package, writing those rows into their sheets
as text on the way, a few thousand at a time.

The text is what openpyxl writes for the same `put_cell` (sheets.py), cell for cell: strings
inline (`xml:space="preserve"` when padded; &, <, > and a carriage return escaped as lxml does;
cut at Excel's 32,767 characters; control characters XML cannot hold dropped, and a cell left
with no text kept as an empty styled cell), the column's prepared style on every cell, text that
a spreadsheet would take for a formula kept text with the quote prefix (`sheets.as_text`), error
words ("#N/A") as errors, numbers as "%.16g", booleans as 1/0, dates as serial numbers. The
round-trip tests read these workbooks back, so any difference shows there.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import os
import re
import zipfile
from pathlib import Path

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx import workbook_io as W

CHUNK_ROWS = 2_000                  # rows turned into text between writes
_EPOCH = dt.datetime(1899, 12, 30)  # Excel's (Windows) day 0, as openpyxl counts
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # no XML document can hold these
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


class DeferredRows:
    """Data rows waiting to be written into their sheets when the workbook is saved."""

    def __init__(self, wb):
        self.wb = wb
        self.sheets: list[tuple[object, int, list[list], list[tuple[str, str]]]] = []

    def add(self, ws, layout: L.SheetLayout, styles: S.Styles, rows: list[list]) -> None:
        """Write `rows` below `layout`'s header of `ws` at save time (the header itself now)."""
        S.write_header(ws, layout, styles)
        ids = []
        for col in layout.columns:
            style = styles.for_column(col)
            quoted = copy.copy(style)
            quoted.quotePrefix = 1
            ids.append((self._style_id(style), self._style_id(quoted)))  # registered now: saved in styles.xml
        self.sheets.append((ws, layout.header_row + 1, rows, ids))

    def _style_id(self, style) -> str:
        return str(self.wb._cell_styles.add(style)) if any(style) else ""

    def save(self, path: Path) -> Path:
        """Save the workbook to `path` (atomically, as `workbook_io.save_workbook`), the rows written in."""
        return W.save_atomically(path, self._write)

    def _write(self, target: Path) -> None:
        base = target.with_name(target.name + ".base")
        try:
            self.wb.save(base)
            parts = {ws.path.lstrip("/"): (first, rows, ids) for ws, first, rows, ids in self.sheets}
            with zipfile.ZipFile(base) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    if info.filename in parts:
                        self._write_sheet(zin.read(info).decode("utf-8"), zout, info, *parts[info.filename])
                    else:
                        zout.writestr(info, zin.read(info))
        finally:
            if base.exists():
                os.unlink(base)

    @staticmethod
    def _write_sheet(xml: str, zout: zipfile.ZipFile, info: zipfile.ZipInfo, first: int, rows: list[list],
                     ids: list[tuple[str, str]]) -> None:
        if "</sheetData>" not in xml:  # openpyxl wrote the header, so it is never <sheetData/>
            raise ValueError(f"{info.filename}: no sheet data to write the rows into")
        width = max([len(ids)] + [len(r) for r in rows])
        last = first + len(rows) - 1
        if rows:
            xml = _DIMENSION.sub(f'<dimension ref="A1:{get_column_letter(width)}{last}"/>', xml, count=1)
        head, tail = xml.split("</sheetData>", 1)
        entry = zipfile.ZipInfo(info.filename, info.date_time)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(entry, "w", force_zip64=True) as out:
            out.write(head.encode("utf-8"))
            letters = [get_column_letter(c) for c in range(1, width + 1)]
            for start in range(0, len(rows), CHUNK_ROWS):
                text = "".join(_row(first + start + i, values, letters, ids)
                               for i, values in enumerate(rows[start:start + CHUNK_ROWS]))
                out.write(text.encode("utf-8"))
            out.write(("</sheetData>" + tail).encode("utf-8"))


def _row(number: int, values: list, letters: list[str], ids: list[tuple[str, str]]) -> str:
    cells = []
    for c, value in enumerate(values):
        if value is None:
            continue
        plain, quoted = ids[c] if c < len(ids) else ("", "")
        ref = f"{letters[c]}{number}"
        if type(value) is str or isinstance(value, str):
            cells.append(_text_cell(ref, value, plain, quoted))
        else:
            cells.append(_value_cell(ref, value, plain))
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text_cell(ref: str, value: str, plain: str, quoted: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value:
        return _empty(ref, plain)
    value = value[:32767]
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("", value)
    kind = "inlineStr"
    style = plain
    if S.looks_like_formula(value):
        style = quoted
    elif value in ERROR_CODES:
        kind = "e"
    s = f' s="{style}"' if style else ""
    text = value
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if kind == "e":
        return f'<c r="{ref}"{s} t="e"><v>{text}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _empty(ref: str, style: str) -> str:
    return f'<c r="{ref}" s="{style}" t="n"/>' if style else ""


def _value_cell(ref: str, value, style: str) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, decimal.Decimal)):
        if value != value or value in (float("inf"), float("-inf")):
            return f'<c r="{ref}"{s} t="n"><v></v></c>'
        return f'<c r="{ref}"{s} t="n"><v>{"%.16g" % value}</v></c>'
    if isinstance(value, (dt.date, dt.datetime)):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        if moment.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes")
        delta = moment - _EPOCH
        days = delta.days
        if 0 < days <= 60:  # openpyxl's adjustment for Excel's 29 February 1900
            days -= 1
        serial = days + (moment.hour * 3600 + moment.minute * 60 + moment.second
                         + moment.microsecond / 10**6) / 86400
        return f'<c r="{ref}"{s} t="n"><v>{"%.16g" % serial}</v></c>'
    raise ValueError(f"Cannot convert {value!r} to Excel")
