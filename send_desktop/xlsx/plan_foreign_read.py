"""Reading an officer's own plan workbook into action rows, and the preview a mapping step shows.

The reading half of `plan_foreign` (which matches the rows to the plan and imports them); see
its notes for the rules. Per visible sheet: the header row is found below title and key rows
(`tolerant.headers`, or a remembered or given `ColumnMapping`); each row below it is a banner
(a priority or outcome, merged or not), a repeat of the header, an action, a continuation of
the action above (success criteria or an update split over rows), or text that is reported and
left out. Structure calamine does not give (hidden rows, formulas without a saved value, status
fills) comes from one scan of the sheet (`tolerant.grid`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.memory import release_freed
from send_desktop.core.progress import Progress
from send_desktop.core.refs import forget_spellings, normalise_ref, parent_ref, split_ref
from send_desktop.errors import BadInputError, Cancelled, Problem, UserError
from send_desktop.xlsx.row_spill import SpilledRows
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.grid import GridBook
from send_desktop.xlsx.tolerant.headers import ColumnMapping, Header, cell_text, norm
from send_desktop.xlsx.tolerant.table import LEGEND_SHEET, Preview, SheetPreview, as_mapping, header_for, preview, \
    refuse_damaged, report_structure, saved_for, unreadable

KIND = "plan"
ROW_BLOCK = 10_000_000   # rows of the second data sheet are numbered from here internally, and so on
PROGRESS_ROWS = 5_000    # rows read between progress reports (each a point where a cancel is taken)
_ACTION_FIELDS = ("workstream", "leads", "timescale", "due", "status", "success_criteria", "narrative")

# -- reading -------------------------------------------------------------------------------------


@dataclass
class SheetRead:
    name: str
    header: Header
    title: str
    #: the action rows, all but the newest few thousand kept on disk until they are checked (`row_spill`)
    actions: SpilledRows = field(default_factory=SpilledRows)


class RowPlaces:
    """Internal row number -> (sheet, row as Excel counts), for the action rows read: what a dict
    of them gives (`in`, `[]`), kept as one bit per row of each sheet rather than an entry and a
    tuple per row (an internal number is its sheet's block, `ROW_BLOCK`, plus its Excel row)."""

    def __init__(self):
        self._sheets: list[tuple[str, bytearray]] = []

    def __setitem__(self, internal: int, place: tuple[str, int]) -> None:
        block, row = divmod(internal, ROW_BLOCK)
        while len(self._sheets) <= block:
            self._sheets.append(("", bytearray()))
        name, bits = self._sheets[block]
        if name != place[0]:
            self._sheets[block] = name, bits = place[0], bytearray()
        if (row >> 3) >= len(bits):
            bits.extend(bytes((row >> 3) + 1 - len(bits) + (len(bits) >> 1)))  # grow by half: amortised
        bits[row >> 3] |= 1 << (row & 7)

    def __contains__(self, internal) -> bool:
        if type(internal) is not int or internal < 0:
            return False
        block, row = divmod(internal, ROW_BLOCK)
        if block >= len(self._sheets):
            return False
        bits = self._sheets[block][1]
        return (row >> 3) < len(bits) and bool(bits[row >> 3] & (1 << (row & 7)))

    def __getitem__(self, internal: int) -> tuple[str, int]:
        if internal not in self:
            raise KeyError(internal)
        block, row = divmod(internal, ROW_BLOCK)
        return self._sheets[block][0], row

    def __len__(self) -> int:
        return sum(bin(b).count("1") for _, bits in self._sheets for b in bits)


@dataclass
class ForeignPlan:
    file: str
    title: str = ""
    legend: str = ""
    sheets: list[SheetRead] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: internal row number -> (sheet, row as Excel counts)
    where: RowPlaces = field(default_factory=RowPlaces)

    def rows(self):
        """Every sheet's action rows, in order (read back from disk as they are reached)."""
        for sheet in self.sheets:
            yield from sheet.actions

    def close(self) -> None:
        """Let go of the rows and their temporary file."""
        for sheet in self.sheets:
            sheet.actions.close()


def _header(rows: list[list], mapping: ColumnMapping | None, saved: dict[str, ColumnMapping]) -> Header | None:
    """The header row: one whose layout has a remembered mapping, else the best by vocabulary."""
    return header_for(KIND, rows, mapping, saved, ("ref", "text"))


_PRIORITY = re.compile(r"^(?:priority|area for priority action|area for improvement|aim)\s*(\d+)"
                       r"\s*[:.\-\u2013)]?\s*(.*)$", re.I | re.S)
_OUTCOME_WORD = re.compile(r"^(?:outcomes?)\s*(\d+\.\d+)\s*[:.\-\u2013)]?\s*(.*)$", re.I | re.S)
_OUTCOME = re.compile(r"^(\d+\.\d+)\.?\s+(.+)$", re.S)
_NUMBERED = re.compile(r"^(\d+)\s*[.):]\s*(\D.{6,})$", re.S)
_OUTCOME_PREFIX = re.compile(r"^\s*outcomes?\s*[:\-\u2013]\s*", re.I)


def parse_banner(text: str) -> tuple[str, str, str] | None:
    """("priority" | "outcome", ref, text) for a banner's text, None when it is neither."""
    t = text.strip()
    if m := _OUTCOME_WORD.match(t):
        return "outcome", m[1], _OUTCOME_PREFIX.sub("", m[2]).strip()
    if m := _PRIORITY.match(t):
        return "priority", m[1], m[2].strip()
    if m := _OUTCOME.match(t):
        return "outcome", m[1], _OUTCOME_PREFIX.sub("", m[2]).strip()
    if m := _NUMBERED.match(t):
        return "priority", m[1], m[2].strip()
    return None


# Refs repeat on every row (an action's outcome and priority): parse each spelling once
# (`normalise_ref` remembers its own, `core.refs`).
parent_ref = functools.lru_cache(maxsize=1 << 16)(parent_ref)
split_ref = functools.lru_cache(maxsize=1 << 16)(split_ref)


def forget_refs() -> None:
    """Let go of the refs the reading and the resolution remembered (see `core.refs.forget_spellings`)."""
    parent_ref.cache_clear()
    split_ref.cache_clear()
    _PARENTS.clear()
    forget_spellings()


_DOTTED = re.compile(r"\d+(?:\.\d+)*")


_PARENTS: dict[str, str] = {}  # each parent once: every action row of an outcome names the same one


def _parent_of(ref: str) -> str:
    """The parent of a normalised ref ("2.4.1" -> "2.4"), "" at the top."""
    head, dot, _ = ref.rpartition(".")
    if not (dot and head):
        return ""
    if len(_PARENTS) >= 1 << 14:
        _PARENTS.clear()
    return _PARENTS.setdefault(head, head)


def _depth_of(ref: str) -> int:
    """How many parts a normalised, dotted-number ref has; 0 for any other ref."""
    return ref.count(".") + 1 if _DOTTED.fullmatch(ref) else 0


def _looks_like_ref(text: str) -> bool:
    return bool(split_ref(text)) or (len(text) <= 15 and len(text.split()) <= 2)


def _depth(ref: str) -> int:
    parts = split_ref(ref)
    return len(parts) if parts else 0


class _SheetReader:
    def __init__(self, fp: ForeignPlan, sheet_no: int, name: str, grid, header: Header, scan):
        self.fp, self.name, self.grid, self.header, self.scan = fp, name, grid, header, scan
        self.offset = sheet_no * ROW_BLOCK
        self.col = {f: c for c, f in header.columns.items()}
        self.flat = "outcome_ref" in self.col or "outcome" in self.col
        self.banner_rows = {r0 for r0, c0, r1, c1 in grid.merged if c1 - c0 >= 2}
        hdr = header.header_of("workstream")
        self.combined = "leads" not in self.col and "lead" in norm(hdr)
        self.ctx = {"priority_ref": "", "priority": "", "outcome_ref": "", "outcome": ""}
        self.present = frozenset(self.col)
        self.content_rows: set[int] = set()
        self.worded: set[tuple[str, str]] = set()
        self.action_cols = [self.col[f] for f in _ACTION_FIELDS if f in self.col]
        self.seen_cells: dict[tuple, tuple] = {}

    def warn(self, message: str, row: int | None = None, fld: str = "") -> None:
        self.fp.warnings.append(Problem(message, self.name, row, self.header.header_of(fld) if fld else ""))

    def get(self, values: list, fld: str):
        c = self.col.get(fld)
        return values[c] if c is not None and c < len(values) else None

    def read(self) -> Generator[Progress, None, SheetRead]:
        sheet = SheetRead(self.name, self.header, "")
        h = self.header
        rows = self.grid.iter_rows()
        top = [values for _, values in zip(range(h.row + 1), rows)][:h.row]  # the header row read too
        above = [cell_text(v) for values in top for v in values if not V.is_placeholder(cell_text(v))]
        sheet.title = above[0] if above else ""
        self.fp.legend += "\n".join(above) + "\n"
        head_norm = [norm(t) for t in h.texts]
        first_words = [t.split()[0] if t else "" for t in h.texts]  # in a cell that repeats the header text
        fills, status_col = self.scan.fills, self.col.get("status")
        prev = None
        total, message = self.grid.height, f"Reading sheet '{self.name}'"
        for r0, values in enumerate(rows, h.row + 1):
            if not r0 % PROGRESS_ROWS:
                yield Progress(r0, total, message)
            nonblank = [(c, v) for c, v in enumerate(values) if v != "" and v is not None]
            fill = fills.get((r0, status_col)) if fills else None
            if not nonblank and not fill:
                continue
            self.content_rows.add(r0)
            if len(nonblank) <= 3:
                nonblank = [(c, t) for c, t in ((c, cell_text(v)) for c, v in nonblank) if t]
                if not nonblank and not fill:
                    continue
            if any(c < len(h.texts) and (type(v) is not str or first_words[c] in v) and cell_text(v) == h.texts[c]
                   for c, v in nonblank[:3]) and \
                    sum(1 for c, v in nonblank if c < len(head_norm) and norm(cell_text(v)) == head_norm[c]) >= 2:
                continue  # the header repeated under each outcome
            excel_row = r0 + 1
            ref = V.text(self.get(values, "ref"))
            act = V.text(self.get(values, "text"))
            others = bool(fill) or any(not V.is_placeholder(values[c]) for c in self.action_cols if c < len(values))
            if not self.flat and (r0 in self.banner_rows or (len(nonblank) <= 2 and not others)):
                if self.banner(" ".join(cell_text(v) for _, v in nonblank), excel_row, ref, act, nonblank):
                    continue
                if not (ref and act and _looks_like_ref(ref)):
                    self.warn(f"not part of an action, so not imported: '{cell_text(nonblank[0][1])[:60]}'",
                              excel_row)
                    continue
            if not ref and act:
                self.warn("this row has no reference, so it was not imported as an action; give it a "
                          "reference such as 2.4.1 to import it", excel_row, "ref")
                continue
            if not ref and not act:
                if others and prev is not None:
                    self.continue_action(prev, values)
                elif others:
                    self.warn("this row has no reference and no action, and no action above it to continue; "
                              "it was not imported", excel_row)
                else:
                    self.warn(f"not part of an action, so not imported: '{cell_text(nonblank[0][1])[:60]}'",
                              excel_row)
                continue
            prev = self.action(values, excel_row, ref, act, fill)
            sheet.actions.append(prev)
        return sheet

    def banner(self, text: str, excel_row: int, ref: str, act: str, nonblank) -> bool:
        if ref and _depth(ref) >= 3:
            return False  # an action with only its wording filled in
        found = None
        if ref and act and _depth(ref) in (1, 2):
            found = ("priority" if _depth(ref) == 1 else "outcome", ref, _OUTCOME_PREFIX.sub("", act).strip())
        found = found or parse_banner(text)
        if found is None:
            return False
        kind, bref, btext = found
        if kind == "priority":
            self.ctx = {"priority_ref": normalise_ref(bref), "priority": btext, "outcome_ref": "", "outcome": ""}
        else:
            pref = parent_ref(bref) or self.ctx["priority_ref"]
            if pref != self.ctx["priority_ref"]:
                self.ctx["priority_ref"], self.ctx["priority"] = pref, ""
            self.ctx["outcome_ref"], self.ctx["outcome"] = normalise_ref(bref), btext
        return True

    def repeated(self, values) -> tuple:
        """A row's workstream, leads, timescale, due date and status: a tracker repeats the same few
        on thousands of rows, so each combination of text cells is worked out once."""
        raw = (self.get(values, "workstream"), self.get(values, "leads"), self.get(values, "timescale"),
               self.get(values, "due"), self.get(values, "status"))
        memo = all(v is None or type(v) is str for v in raw)  # not 1 and True: equal keys, other texts
        found = self.seen_cells.get(raw) if memo else None
        if found is None:
            found = self._repeated(*raw)
            if memo:
                if len(self.seen_cells) >= 1 << 14:
                    self.seen_cells.clear()
                self.seen_cells[raw] = found
        return found

    def _repeated(self, ws_raw, leads_raw, timescale_raw, due_raw, status_raw) -> tuple:
        leads = V.split_names(leads_raw)
        ws = V.value_text(ws_raw)
        if self.combined and ws:
            first, *rest = re.split(r"\n|\s+[\u2013\u2014-]\s+", ws, maxsplit=1)
            ws, leads = first.strip(), leads + (V.split_names(rest[0]) if rest else [])
        timescale = V.text(timescale_raw) if not V.looks_like_formula(timescale_raw) else ""
        if not timescale and not V.is_placeholder(due_raw):
            timescale = V.text(due_raw)
        due = V.to_date(due_raw, today=self.fp_today) if not V.is_placeholder(due_raw) else None
        due = due or (V.to_date(timescale_raw, today=self.fp_today) if timescale else None)
        return ws, tuple(leads), timescale, due, V.value_text(status_raw)

    def action(self, values, excel_row: int, ref: str, act: str, fill) -> dict:
        internal = self.offset + excel_row
        self.fp.where[internal] = (self.name, excel_row)
        ws, leads, timescale, due, status = self.repeated(values)
        row = {
            "_row": internal, "ref": normalise_ref(ref) if ref else "", "text": act,
            "priority_ref": "", "priority": "", "outcome_ref": "", "outcome": "",
            "workstream": ws, "leads": list(leads), "timescale": timescale, "due": due,
            "status_raw": status, "status_fill": fill, "status": "",
            "last_update": None, "narrative": V.value_text(self.get(values, "narrative")),
            "success_criteria": "\n".join(V.to_lines(self.get(values, "success_criteria"))),
            "action_uid": None, "outcome_uid": None, "priority_uid": None,
        }
        if self.flat:
            row["priority_ref"] = normalise_ref(V.text(self.get(values, "priority_ref"))) or ""
            row["priority"] = V.value_text(self.get(values, "priority"))
            row["outcome_ref"] = normalise_ref(V.text(self.get(values, "outcome_ref"))) or ""
            row["outcome"] = _OUTCOME_PREFIX.sub("", V.value_text(self.get(values, "outcome")))
            if not row["priority_ref"] and row["outcome_ref"]:
                row["priority_ref"] = parent_ref(row["outcome_ref"]) or ""
        else:
            depth = _depth_of(row["ref"])
            own_parent = _parent_of(row["ref"]) if depth >= 3 else ""
            row["outcome_ref"] = own_parent or self.ctx["outcome_ref"] or ""
            if own_parent and own_parent != self.ctx["outcome_ref"]:
                row["outcome"] = ""
            else:
                row["outcome"] = self.ctx["outcome"]
            row["priority_ref"] = _parent_of(row["outcome_ref"]) or self.ctx["priority_ref"] or ""
            row["priority"] = self.ctx["priority"] if row["priority_ref"] == self.ctx["priority_ref"] else ""
        if not row["outcome_ref"] and _depth_of(row["ref"]) >= 2:
            row["outcome_ref"] = _parent_of(row["ref"])
        # A banner's wording is given once, on its first action: the resolution reads every copy
        for key, text in (("priority_ref", "priority"), ("outcome_ref", "outcome")):
            if row[text]:
                if (row[key], row[text]) in self.worded:
                    row[text] = ""
                else:
                    self.worded.add((row[key], row[text]))
        row["_present"] = self.present
        return row

    def continue_action(self, prev: dict, values) -> None:
        more = V.to_lines(self.get(values, "success_criteria"))
        if more:
            prev["success_criteria"] = "\n".join([x for x in [prev["success_criteria"]] if x] + more)
        note = V.value_text(self.get(values, "narrative"))
        if note:
            prev["narrative"] = "\n".join(x for x in (prev["narrative"], note) if x)


def read_foreign(path: Path, mapping: ColumnMapping | dict | None = None, db=None,
                 today: dt.date | None = None) -> Generator[Progress, None, ForeignPlan]:
    """Every visible sheet of `path` with a plan header, read into action rows (see the module notes)."""
    path = Path(path)
    mapping = as_mapping(KIND, mapping)
    fp = ForeignPlan(path.name)
    saved = saved_for(db, KIND) if mapping is None else {}
    book = GridBook(path)
    try:
        yield from _read_sheets(book, fp, mapping, saved, today)
    except (UserError, Cancelled):  # a BadInputError, or no room for the rows (row_spill)
        raise
    except Exception as exc:  # noqa: BLE001 - a package calamine or the XML scan cannot follow
        raise unreadable(path, exc) from None
    finally:
        book.close()
        release_freed()  # the sheets' cells are gone: their memory goes back (core.memory)
    if not fp.sheets:
        refuse_damaged(path)  # a file no library can read says so, rather than "no header"
        raise BadInputError(f"{path.name}: no sheet has a header row naming a reference and an action "
                            f"(such as 'Ref' and 'Actions'); supply a column mapping", [Problem(
                                "no sheet has a header row naming a reference and an action")])
    return fp


def _read_sheets(book: GridBook, fp: ForeignPlan, mapping, saved, today) -> Generator[Progress, None, None]:
    for name in book.sheet_names:
        yield Progress(0, 0, f"Reading sheet '{name}'")
        if book.hidden(name):
            fp.warnings.append(Problem("the sheet is hidden, so it was not read; unhide it in Excel to "
                                       "import its rows", name))
            continue
        grid = book.grid(name)
        head = grid.head(200)
        header = _header(head, mapping, saved)
        if header is None:
            texts = [cell_text(v) for values in head for v in values if cell_text(v)]
            fp.legend += "\n".join(texts) + "\n"
            if texts and not LEGEND_SHEET.search(name):
                fp.warnings.append(Problem("no header row with columns such as 'Ref' and 'Actions' was "
                                           "found, so the sheet was not read", name))
            continue
        status_col = next((c for c, f in header.columns.items() if f == "status"), None)
        scan = book.scan(name, (status_col,) if status_col is not None else ())
        reader = _SheetReader(fp, len(fp.sheets), name, grid, header, scan)
        reader.fp_today = today
        sheet = yield from reader.read()
        _report_structure(fp, sheet, header, scan, reader.content_rows)
        fp.sheets.append(sheet)
        fp.title = fp.title or sheet.title


def _report_structure(fp: ForeignPlan, sheet: SheetRead, header: Header, scan, content_rows: set[int]) -> None:
    report_structure(fp.warnings, sheet.name, header, scan, content_rows)


# -- preview -------------------------------------------------------------------------------------


def preview_plan(path: Path, db=None, mapping: ColumnMapping | dict | None = None, rows: int = 10,
                 scale: bool = False) -> Preview:
    """What a column-mapping step shows for a plan tracker (`tolerant.table.preview`); with `scale`,
    the rating scale detected for a new plan and why (`plan_scale.scale_choice`; this reads every row)."""
    shown = preview(KIND, path, db, mapping, rows, ("ref", "text"), grouped=False)
    if scale and shown.sheets:
        from send_desktop.xlsx.plan_scale import scale_choice

        shown.scale = scale_choice(Path(path), db, as_mapping(KIND, mapping))
    return shown
