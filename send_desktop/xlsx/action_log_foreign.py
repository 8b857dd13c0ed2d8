"""Reading meeting actions from an officer's own action log (not one the application wrote).

`action_log_xlsx.import_actions` comes here when the workbook has no Actions sheet with hidden
action ids, or a column mapping is given. The log is read by `tolerant.table` and turned into the
same `Book` the application's own layout gives, which goes through the same resolution
(`action_log_resolve`) and the same order of work (`workbook_io.import_workbook`). The rules:

- a row is an action: number or reference, meeting date, action, owner, due, status, latest update
  (and the board, when the log has a column for it);
- the board is the row's, else the only board the file has, else a board the sheet's title names,
  else (a file with no boards yet) one named by the sheet's title; a meeting or board the file
  does not have is created, as the action log's own import does;
- an action is matched to the file's by its board, meeting date and number, else by its wording
  at that meeting; a matched action keeps what the log has no column for (owner, due date), and a
  blank status keeps its status;
- "A12", "12." and "Action 12" are number 12; a reference that is no number ("3.2a") is reported
  and the action takes the meeting's next number;
- statuses: Open, Not started, Overdue, Red are open; On track, In progress, Ongoing, Amber in
  progress; Closed, Complete, Done, Green closed; Superseded, Withdrawn, No longer required
  superseded; a blank status cell's fill colour is read the same way;
- dates: Excel dates, "31/07/2025", "Sept 2025"; one that is no date refuses the file, naming the
  workbook's sheet, row and column, as every problem the resolution finds does;
- owner and board names written several ways are one name, and the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.xlsx.action_log_xlsx import ACTIONS
from send_desktop.xlsx.book_reader import Book, SheetRows
from send_desktop.xlsx.tolerant import values as V
from send_desktop.xlsx.tolerant.headers import ColumnMapping, norm
from send_desktop.xlsx.tolerant.names import NameMerger, name_key
from send_desktop.xlsx.tolerant.scales import hue_name
from send_desktop.xlsx.tolerant.table import Preview, preview as _preview, Table, TableRow, is_foreign as _is_foreign, read_table, remap

KIND = "actions"
NEEDED = ("text",)
WHAT = "an action (such as 'Action' and 'Owner')"
STATUS_WORDS = {
    "open": ("open", "not started", "overdue", "red", "late", "outstanding", "new", "not yet started",
             "delayed", "behind", "off track", "at risk", "pending", "to do"),
    "in progress": ("in progress", "on track", "ongoing", "amber", "underway", "started", "progressing",
                    "in hand", "partially complete", "part complete", "on going", "wip"),
    "closed": ("closed", "complete", "completed", "done", "green", "achieved", "finished", "actioned", "resolved",
               "blue", "signed off", "met"),
    "superseded": ("superseded", "withdrawn", "no longer required", "merged", "replaced", "cancelled",
                   "canceled", "not required", "n a closed"),
}
_STATUS = {norm(w): s for s, words in STATUS_WORDS.items() for w in words}
_FILL_STATUS = {"red": "open", "amber": "in progress", "yellow": "in progress", "green": "closed", "blue": "closed",
                "grey": "superseded"}
_NUMBER = re.compile(r"^\s*(?:[a-z]+[\s\-_/.#:]*)?0*(\d{1,5})\s*\.?\s*$", re.I)
_LOG_WORDS = re.compile(r"[\s\u2013\u2014:-]*\b(?:action\s+log|action\s+tracker|actions?\s+list|actions?)\b.*$",
                        re.I | re.S)
_OURS = {ACTIONS.name: {"No.": "ref", "Meeting date": "meeting_date", "Action": "text", "Owner": "owner",
                        "Due": "due", "Status": "status", "Update": "update", "Board": "board"}}


def is_foreign(path: Path) -> bool:
    """Whether `path` is not an action log the application wrote."""
    return _is_foreign(path, ACTIONS.name, "Action id")


def preview(path: Path, db=None, mapping: ColumnMapping | dict | None = None, rows: int = 10) -> Preview:
    """What the import assistant's Columns page shows (`tolerant.table.preview`)."""
    return _preview(KIND, path, db, mapping, rows, NEEDED)


def read(path: Path, mapping: ColumnMapping | dict | None = None, db=None) -> Generator[Progress, None, Table]:
    return (yield from read_table(path, KIND, mapping, db, needed=NEEDED, what=WHAT, fill_fields=("status",),
                                  own=(ACTIONS.name, "an action log")))


def status_of(raw, fill: str | None) -> str:
    """One of the action statuses from a word or synonym, else the fill's colour; else the text as
    written (for the resolution to report), "" for a blank."""
    text = V.value_text(raw)
    if text:
        key = norm(text)
        if key in _STATUS:
            return _STATUS[key]
        first = norm(re.split(r"\s*[-:(/]\s*|\s+\u2013\s+", text)[0])
        return _STATUS.get(first, text)
    hue = hue_name(fill) if fill else None
    return _FILL_STATUS.get(hue, "") if hue else ""


def number_of(raw) -> str:
    """The action's number as text ("A12" -> "12"), "" when the reference holds none."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    m = _NUMBER.match(V.value_text(raw))
    return str(int(m[1])) if m else ""


class _Builder:
    def __init__(self, table: Table, session, today: dt.date):
        from sqlalchemy import select

        from send_desktop.storage import models as m

        self.table, self.today = table, today
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = list(table.warnings)
        self.fields = {f for s in table.sheets for f in s.header.columns.values()}
        run = session.execute
        self.boards = {name_key(name): (bid, name) for bid, name in run(select(m.Board.id, m.Board.name))}
        self.meetings: dict[tuple[int, dt.date], list[tuple[int, str]]] = {}
        for mid, uid, board_id, starts in run(select(m.Meeting.id, m.Meeting.uid, m.Meeting.board_id,
                                                     m.Meeting.starts_at)):
            self.meetings.setdefault((board_id, starts.date()), []).append((mid, uid))
        a = m.MeetingAction
        self.actions: dict[int, list] = {}
        for row in run(select(a.uid, a.meeting_id, a.number, a.text, a.owner, a.due_date, a.status)):
            self.actions.setdefault(row.meeting_id, []).append(row)
        self.owners = NameMerger(sorted({r.owner for rows in self.actions.values() for r in rows if r.owner}))
        self.board_names = NameMerger([name for _bid, name in self.boards.values()])
        self.claimed: set[str] = set()

    def where(self, row: TableRow, fld: str = "") -> tuple[str, int, str]:
        return row.sheet, row.row, self.table.column(row.sheet, fld)

    def default_board(self, sheet: str) -> str:
        """The board of a row that names none: blank when the file has one (the resolution takes it)."""
        if len(self.boards) == 1:
            return ""
        title = next((s.title for s in self.table.sheets if s.name == sheet), "")
        for key, (_bid, name) in self.boards.items():
            if key and key in name_key(title):
                return name
        if not self.boards:
            named = _LOG_WORDS.sub("", title).strip(" -:\u2013\u2014")
            return " ".join((named or Path(self.table.file).stem).split())[:120]
        return ""

    def match(self, board: str, day: dt.date | None, number: str, text: str):
        """The file's action this row is (by meeting and number, else by wording), and its meeting's uid."""
        if day is None:
            return None, None
        if board:
            found = self.boards.get(name_key(board))
            board_id = found[0] if found else None
        else:
            board_id = next(iter(self.boards.values()))[0] if len(self.boards) == 1 else None
        meetings = self.meetings.get((board_id, day), []) if board_id is not None else []
        if len(meetings) != 1:
            return None, None
        mid, muid = meetings[0]
        pool = [a for a in self.actions.get(mid, []) if a.uid not in self.claimed]
        key = " ".join(text.split()).casefold()
        found = next((a for a in pool if number and str(a.number) == number), None) or \
            next((a for a in pool if " ".join(a.text.split()).casefold() == key), None)
        if found is not None:
            self.claimed.add(found.uid)
        return found, muid

    def build(self) -> list[dict]:
        rows = []
        for row in self.table.rows():
            text = V.value_text(row.values.get("text"))
            if row.banner and not text:
                self.warnings.append(Problem(f"not an action, so not imported: '{row.banner[:60]}'", row.sheet,
                                             row.row))
                continue
            rows.append(row)
        for row in rows:
            owner = V.value_text(row.values.get("owner"))
            if owner:
                self.owners.add(owner, *self.where(row, "owner"))
            board = V.value_text(row.values.get("board"))
            if board:
                self.board_names.add(board, *self.where(row, "board"))
        out, unnumbered = [], []
        for row in rows:
            out.append(self.action_row(row, unnumbered))
        if unnumbered:
            listed = ", ".join(f"'{r}' (row {n})" for r, n in unnumbered[:10])
            self.warnings.append(Problem(f"references that are not a number were not kept as the action's number, "
                                         f"so each takes its meeting's next number: {listed}",
                                         self.table.sheets[0].name, unnumbered[0][1], self.table.column(
                                             self.table.sheets[0].name, "ref")))
        for what, merger in (("owner", self.owners), ("board", self.board_names)):
            for m in merger.merged():
                spelt = ", ".join(f"'{s}'" for s in m.spellings)
                self.warnings.append(Problem(f"the {what} names {spelt} were taken as one {what}: '{m.name}'",
                                             m.sheet, m.row, m.column))
        return out

    def date(self, row: TableRow, fld: str):
        value, problem = V.read_date(row.values.get(fld), today=self.today)
        if problem:
            self.problems.append(Problem(problem, *self.where(row, fld)))
        return value

    def action_row(self, row: TableRow, unnumbered: list) -> dict:
        ref = V.value_text(row.values.get("ref"))
        number = number_of(row.values.get("ref"))
        if ref and not number:
            unnumbered.append((ref, row.row))
        text = V.text(row.values.get("text"))
        board = V.value_text(row.values.get("board"))
        board = self.board_names.resolve(board) if board else self.default_board(row.sheet)
        day = self.date(row, "meeting_date")
        old, meeting_uid = self.match(board, day, number, text)
        owner = V.value_text(row.values.get("owner"))
        due = self.date(row, "due")
        status = status_of(row.values.get("status"), row.fills.get("status"))
        return {
            "_row": row.key, "number": number or (str(old.number) if old is not None else ""), "meeting_date": day,
            "text": text, "owner": self.owners.resolve(owner) if owner else (
                old.owner if old is not None and "owner" not in self.fields else ""),
            "due": due if "due" in self.fields or old is None else old.due_date,
            "status": status or (old.status if old is not None else "open"),
            "update": V.value_text(row.values.get("update")), "updated_on": None, "board": board, "links": [],
            "uid": old.uid if old is not None else None, "meeting_uid": meeting_uid, "link_uids": [],
        }


def to_book(table: Table, session, today: dt.date) -> tuple[Book, list[Problem], list[Problem]]:
    """The officer's log as our layout's `Book` (ids of the actions it matches filled in), with the
    problems and warnings of reading it."""
    b = _Builder(table, session, today)
    rows = b.build()
    present = {"number", "meeting_date", "text", "owner", "due", "status", "board", "uid", "meeting_uid"}
    if "update" in b.fields:
        present.add("update")
    book = Book(table.file)
    book.sheets[ACTIONS.name] = SheetRows(ACTIONS, rows, present, table.sheets[0].title)
    return book, b.problems, b.warnings


def import_foreign_actions(db, path: Path, report, *, dry_run: bool, source: str, today: dt.date,
                           mapping: dict | ColumnMapping | None) -> Generator[Progress, None, object]:
    """`import_actions` for an officer's own log: the order of `workbook_io.import_workbook`."""
    from send_desktop.services.meeting_actions import apply_log
    from send_desktop.xlsx import workbook_io as W
    from send_desktop.xlsx.action_log_resolve import resolve_log
    from send_desktop.xlsx.tolerant.mappings import remember_mapping

    def reading(p):
        return (yield from read(p, mapping, db))

    def resolve(s, table):
        book, problems, warnings = to_book(table, s, today)
        log = resolve_log(s, book, today, db.user)
        log.problems = problems + remap(log.problems, table, _OURS)
        log.warnings = warnings + remap(log.warnings, table, _OURS)
        log.table = table
        return log

    def apply(s, log):
        for sheet in log.table.sheets:  # offered the next time this layout arrives
            remember_mapping(s, KIND, sheet.header.signature, sheet.header.mapping)
        yield from apply_log(s, log)

    return (yield from W.import_workbook(db, path, report, read=reading, resolve=resolve, apply=apply,
                                         source=source, dry_run=dry_run,
                                         checking="Checking the workbook against the meetings"))
