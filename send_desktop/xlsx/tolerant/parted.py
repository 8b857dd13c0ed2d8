"""A large sheet read by calamine a part at a time, so that its values are never all held at once.

Calamine reads a whole sheet into memory before it gives the first row (about 2 KB a row of a
20-column tracker while it loads, 1.3 KB once loaded: python-calamine cannot hand rows over as
it parses). For a sheet of more than PARTED_FROM bytes of XML, `PartedSheet` streams the sheet's
XML instead and, every PART_BYTES or so, cut at the end of a row, hands those rows to calamine as
a workbook of their own: the same workbook, styles and shared strings, and a sheet of only those
rows (their row and column numbers kept). So every value is read by calamine exactly as a whole
read gives it (a date-formatted number as a date, an error as blank, a formula's saved value) at
about the same speed, and the memory is that of one part (tests/test_parted_sheet.py compares the
two on the corpus and on council-style trackers).

What a part cannot see comes from the streaming pass `grid.GridBook` makes over every sheet
before reading it (its span; `Tail`): the merged ranges, which Excel writes after the rows, and
the last row, for progress. A sheet whose XML has not the usual shape (no <sheetData> near the
start) is read whole, as before.

Each part's workbook carries, of the shared-string table, only the entries that part's cells use
(`SharedStrings`), at their own numbers; a table of an unusual shape is carried whole, and then
a part is made at least twice as large as the table (`part_bytes`), which bounds the time it adds.
"""

from __future__ import annotations

import io
import re
import zipfile
from array import array

#: A sheet with more XML than this is read a part at a time (about 15,000 rows of a 20-column tracker).
PARTED_FROM = 16 << 20
#: Bytes of sheet XML in each part (about 4,000 rows of a 20-column tracker), at the least.
PART_BYTES = 4 << 20
CHUNK = 1 << 22                     # bytes of XML unpacked at a time
HEAD_LIMIT = 1 << 22                # the most XML before <sheetData> (column widths, views)
TAIL_LIMIT = 1 << 26                # the most XML after </sheetData> looked at for merged ranges

_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?(?:/>|>.*?</(?:\w+:)?dimension>)", re.S)
_MERGE = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref=["']([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?""")
_SST_ROOT = re.compile(rb"<(\w+:)?sst\b[^>]*>")
_COUNTS = re.compile(rb"""\s(?:count|uniqueCount)=["'][^"']*["']""")
#: a shared-string cell's number: any t="s" followed by a <v> (text that looks so only adds an entry)
_SHARED_CELL = re.compile(rb"""t=["']s["'][^>]*>\s*<(?:\w+:)?v>\s*([0-9]{1,9})""")
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_KEPT_TYPES = ("/styles", "/sharedStrings", "/theme")


def _column(letters: bytes) -> int:
    n = 0
    for b in letters:
        n = n * 26 + b - 64
    return n - 1


class Tail:
    """What `grid.GridBook._span`'s one pass over a sheet's XML keeps for a parted read: whether the
    XML has the usual shape (a <sheetData> near the start) and, from the XML after </sheetData>,
    the merged ranges (Excel writes them after the rows). `feed(window, overlap)` takes each window
    of the pass, whose first `overlap` bytes the last window ended with."""

    def __init__(self):
        self.shaped, self.ended, self.seen = False, False, 0
        self._tail: list[bytes] = []
        self._size = 0

    def feed(self, window: bytes, overlap: int) -> None:
        start = self.seen - overlap  # where the window starts in the sheet's XML
        self.seen += len(window) - overlap
        if not self.shaped:
            if start > HEAD_LIMIT:
                return  # no <sheetData> near the start: read whole
            m = _SHEET_DATA.search(window)
            if m is None or start + m.start() > HEAD_LIMIT:
                return
            self.shaped = True
        if self.ended:
            new = window[overlap:]
            if self._size + len(new) <= TAIL_LIMIT:
                self._tail.append(new)
                self._size += len(new)
            return
        at = window.find(b"sheetData>", max(overlap - 24, 0))
        while at >= 0:
            lt = window.rfind(b"<", 0, at)
            if lt >= 0 and _DATA_END.match(window, lt):
                self.ended = True
                self._tail.append(window[at:])
                self._size = len(window) - at
                return
            at = window.find(b"sheetData>", at + 1)

    def merged(self) -> list:
        """The merged ranges as calamine gives them: ((row, col), (row, col)), 0-based."""
        out = []
        for m in _MERGE.finditer(b"".join(self._tail)):
            a_col, a_row, b_col, b_row = m.groups()
            r0, c0 = int(a_row) - 1, _column(a_col)
            r1, c1 = (int(b_row) - 1, _column(b_col)) if b_col else (r0, c0)
            out.append(((r0, c0), (r1, c1)))
        return out


def kept_parts(z: zipfile.ZipFile, book_part: str) -> dict[str, bytes]:
    """The package parts every part's workbook carries: content types, relationships, the workbook,
    its styles, shared strings and theme (no sheet, drawing or image)."""
    names = set(z.namelist())
    folder, _, base = book_part.rpartition("/")
    rels_part = f"{folder}/_rels/{base}.rels".lstrip("/")
    kept = [n for n in ("[Content_Types].xml", "_rels/.rels", book_part, rels_part) if n in names]
    rels = z.read(rels_part).decode("utf-8", "replace") if rels_part in names else ""
    for tag in _RELATIONSHIP.findall(rels):
        a = dict(_ATTR.findall(tag))
        if a.get("Type", "").endswith(_KEPT_TYPES):
            target = a.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else (f"{folder}/" if folder else "") + target
            if target in names:
                kept.append(target)
    return {n: z.read(n) for n in dict.fromkeys(kept)}


class SharedStrings:
    """A workbook's shared-string table, kept as its XML (one bytes object and where each entry
    starts), so that each part's workbook carries only the entries its own cells use, at their own
    numbers (`for_part`): the others are left empty. Excel numbers shared strings in the order it
    first meets them, so a part far down a 100,000-row sheet uses high numbers: its table is then
    mostly empty entries, five bytes each."""

    def __init__(self, xml: bytes):
        self.xml = xml
        self.starts = array("Q")
        root = _SST_ROOT.search(xml, 0, min(len(xml), HEAD_LIMIT))
        self.ok = root is not None
        if not self.ok:
            return
        prefix = root.group(1) or b""
        self.open = _COUNTS.sub(b"", xml[:root.end()])
        self.close, self.empty = b"</%ssst>" % prefix, b"<%ssi/>" % prefix
        # an entry runs from its <si> to the next one's (or to </sst>): no text holds a bare "<si"
        self.starts.extend(m.start() for m in re.compile(re.escape(b"<%ssi" % prefix) + rb"[\s>/]").finditer(
            xml, root.end()))
        end = xml.rfind(self.close)
        self.ok = bool(self.starts) and end > self.starts[-1]
        if self.ok:
            self.starts.append(end)

    def for_part(self, piece: bytes) -> bytes:
        used = sorted({int(n) for n in _SHARED_CELL.findall(piece)})
        out, at = [self.open], 0
        last = len(self.starts) - 1
        for i in used:
            if i >= last:
                break  # a number beyond the table: calamine says what it says of the whole sheet
            if i > at:
                out.append(self.empty * (i - at))
            out.append(self.xml[self.starts[i]:self.starts[i + 1]])
            at = i + 1
        out.append(self.close)
        return b"".join(out)


def shared_strings(kept: dict[str, bytes]) -> tuple[str, SharedStrings] | None:
    """The kept shared-string part's name and table, taken out of `kept`; None when the workbook has
    none, or one whose shape is not the usual (then every part carries the whole table)."""
    name = next((k for k in kept if k.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return None
    table = SharedStrings(kept[name])
    if not table.ok:
        return None
    del kept[name]
    return name, table


def part_bytes(kept: dict[str, bytes]) -> int:
    """How much sheet XML to give each part: PART_BYTES, or more when every part carries a large
    shared-string table whole."""
    strings = max((len(v) for k, v in kept.items() if "sharedstrings" in k.lower()), default=0)
    return max(PART_BYTES, 2 * strings)


class PartedSheet:
    """What `grid.SheetGrid` needs of a calamine sheet (start, height, merged ranges, iter_rows),
    for a sheet read a part at a time (see the module notes). Rows are given from row 1 and from
    column A, each as wide as the widest part so far."""

    start = (0, 0)

    def __init__(self, path, name: str, part: str, book_part: str, last_row: int, merged: list):
        self.path, self.name, self.part, self.book_part = path, name, part, book_part
        self.height = last_row or 1  # rows without numbers: read, and counted as they come
        self.merged_cell_ranges = merged

    def iter_rows(self):
        import python_calamine

        with zipfile.ZipFile(self.path) as z:
            kept = kept_parts(z, self.book_part)
            strings = shared_strings(kept)
            size = part_bytes(kept)
            row, width = 0, 0
            with z.open(self.part) as fh:
                head, close, buf = None, b"", b""
                while True:
                    chunk = fh.read(CHUNK)
                    buf += chunk
                    if head is None:
                        m = _SHEET_DATA.search(buf)
                        if m is None:
                            if not chunk:
                                return
                            continue
                        if m.group(2):  # <sheetData/>
                            return
                        prefix = m.group(1) or b""
                        head = _DIMENSION.sub(b"", buf[:m.end()])
                        root = _ROOT.search(head)  # its own prefix: a root may name its namespace otherwise
                        close = b"</%ssheetData></%sworksheet>" % (prefix, (root.group(1) or b"") if root else prefix)
                        row_end = b"</%srow>" % prefix
                        data_end = b"</%ssheetData>" % prefix
                        buf = buf[m.end():]
                    if chunk and len(buf) < size:
                        continue
                    end = buf.find(data_end)
                    if end >= 0:
                        piece, buf, chunk = buf[:end], b"", b""
                    elif chunk:
                        cut = buf.rfind(row_end)
                        if cut < 0:
                            continue
                        cut += len(row_end)
                        piece, buf = buf[:cut], buf[cut:]
                    else:
                        piece, buf = buf, b""
                    parts = dict(kept)
                    if strings is not None:
                        parts[strings[0]] = strings[1].for_part(piece)
                    rows, first = _read_part(python_calamine, parts, self.part, self.name, head + piece + close)
                    del parts
                    if rows:
                        width = max(width, max(len(r) for r in rows))
                        while row < first:
                            yield [""] * width
                            row += 1
                        for r in rows:
                            yield r + [""] * (width - len(r)) if len(r) < width else r
                        row = first + len(rows)
                    del rows
                    if not chunk:
                        return


def _read_part(calamine, kept: dict[str, bytes], part: str, name: str, xml: bytes) -> tuple[list[list], int]:
    """The rows of one part (from its first row, each from column A) and that row (0-based)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zo:
        for n, data in kept.items():
            zo.writestr(n, data)
        zo.writestr(part, xml)
    del xml
    out.seek(0)
    wb = calamine.CalamineWorkbook.from_filelike(out)
    try:
        sheet = wb.get_sheet_by_name(name)
        if not sheet.height:
            return [], 0
        (r0, c0) = sheet.start
        rows = sheet.to_python(skip_empty_area=True)
    finally:
        wb.close()
    if c0:
        pad = [""] * c0
        rows = [pad + r for r in rows]
    return rows, r0
