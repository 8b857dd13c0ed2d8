"""The action log as a workbook officers keep: export, and import of the copy they send back.

The Actions sheet is the layout boards already use (number, meeting date, action, owner, due,
status, the latest update) plus the board, the links and hidden ids; every update is on the
Updates sheet. The import follows the plan import's order of work (`plan_import`): read every
sheet, match it against the database inside one write transaction collecting every problem,
refuse the whole file on any problem, back up, write through the ORM, commit; a dry run writes
and rolls back so it reports exactly what a real run would.

How rows find their records: an action by its hidden id, else it is new; its meeting by board
and meeting date (the hidden meeting id settles two meetings on one day), and a meeting or board
the file does not have yet is created, with a warning, so an existing spreadsheet log can be
brought in. A new or changed text in the Update cell becomes a new update, dated by the Updated
cell when that was changed too, else the day of the import. Rows taken out are not deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import secrets
import warnings
from pathlib import Path
from typing import Generator

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from send_desktop import __version__
from send_desktop.core.progress import Progress
from send_desktop.core.refs import normalise_ref
from send_desktop.errors import BadInputError, Problem, ReadOnlyError, UserError
from send_desktop.services import meeting_read as R
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import Book, _read_sheet, open_workbook, refuse
from send_desktop.xlsx.plan_export import _fill, _prepare, _Styles
from send_desktop.xlsx.plan_import import ImportReport

LAYOUT_NAME = "send-desktop action log"
STATUS_LABELS = {s: s.capitalize() for s in R.ACTION_STATUSES}
STATUS_FILLS = {"in progress": "FFE699", "closed": "C6EFCE", "superseded": "D9D9D9"}
SPARE_ROWS = 200


@dataclasses.dataclass(frozen=True)
class _HiddenList(L.Column):
    """Several stable ids in one hidden cell (an action's links, in the order of its Links cell)."""

    @property
    def hidden(self) -> bool:
        return True


def _uid(key: str, what: str) -> L.Column:
    return L.Column(key, f"{what} id", 34, L.UID)


ACTIONS = L.SheetLayout("Actions", (
    L.Column("number", "No.", 6),
    L.Column("meeting_date", "Meeting date", 13, L.DATE),
    L.Column("text", "Action", 60, L.LONG),
    L.Column("owner", "Owner", 24),
    L.Column("due", "Due", 12, L.DATE),
    L.Column("status", "Status", 13, L.STATUS),
    L.Column("update", "Update", 55, L.LONG, required=False),
    L.Column("updated_on", "Updated", 12, L.DATE, required=False),
    L.Column("board", "Board", 24, required=False),
    L.Column("links", "Links", 26, L.NAMES, required=False),
    _uid("uid", "Action"),
    _uid("meeting_uid", "Meeting"),
    _HiddenList("link_uids", "Link ids", 34, L.NAMES, required=False),
), required=True)

UPDATES = L.SheetLayout("Updates", (
    L.Column("board", "Board", 24, required=False),
    L.Column("meeting_date", "Meeting date", 13, L.DATE),
    L.Column("number", "No.", 6),
    L.Column("date", "Date", 12, L.DATE),
    L.Column("text", "Update", 70, L.LONG),
    L.Column("author", "By", 24),
    _uid("action_uid", "Action"),
    _uid("uid", "Update"),
))

SHEETS = (ACTIONS, UPDATES, L.ABOUT)

NOTES = (
    "One row per action. Edit the owner, due date, status or text, or write the latest news in the "
    "Update column, then import the workbook back into send-desktop.",
    "A new or changed Update becomes a new dated update: dated by the Updated column if you change "
    "it too, otherwise the day of the import. Every update is listed on the Updates sheet.",
    "Status: choose Open, In progress, Closed or Superseded from the drop-down.",
    "New actions: add a row with the meeting date and board, leaving No. blank for the next number "
    "and the hidden id columns empty.",
    "Links name a plan action, risk or KPI by reference, separated by semicolons: "
    "Plan action 2.4.1; Risk R3; KPI K12.",
    "Rows taken out of this workbook are not deleted from the database.",
)


# -- export ---------------------------------------------------------------------------------------

def _link_text(links) -> tuple[str, str]:
    return "; ".join(link.label for link in links), "; ".join(link.target_uid for link in links)


def _rows(db) -> tuple[list[list], list[list]]:
    actions = R.tracker(db)
    with db.reading() as con:
        updates = R.all_updates(con)
        links = R.action_links(con)
    action_rows, update_rows = [], []
    for a in actions:
        labels, uids = _link_text(links.get(a.id, []))
        action_rows.append([a.number, a.meeting_date, a.text, a.owner, a.due_date, STATUS_LABELS[a.status],
                            a.latest_update, a.updated_on, a.board, labels, a.uid, a.meeting_uid, uids])
        update_rows += [[a.board, a.meeting_date, a.number, u.date, u.text, u.author, a.uid, u.uid]
                        for u in updates.get(a.id, [])]
    return action_rows, update_rows


def _about_rows(db, now: dt.datetime) -> list[list]:
    from send_desktop.storage.database import read_revision

    return ([["Layout", LAYOUT_NAME], ["Exported", now.strftime("%d/%m/%Y %H:%M")], ["Exported by", db.user],
             ["Database file", Path(db.path).name], ["send-desktop version", __version__],
             ["Schema revision", read_revision(db.path) or ""]] + [["Note", n] for n in NOTES])


def _status_rules(ws, rows: int) -> None:
    """A status drop-down, status colours, and overdue due dates in red (worked out by Excel
    from TODAY(), so the sheet stays right on the day it is opened)."""
    status, due = (get_column_letter(ACTIONS.position(k)) for k in ("status", "due"))
    last = rows + 1 + SPARE_ROWS
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Status",
                        error="Choose Open, In progress, Closed or Superseded.")
    dv.add(f"{status}2:{status}{last}")
    ws.data_validations.append(dv)
    for key, fill in STATUS_FILLS.items():
        ws.conditional_formatting.add(f"{status}2:{status}{last}", CellIsRule(
            operator="equal", formula=[f'"{STATUS_LABELS[key]}"'], fill=PatternFill("solid", start_color=fill,
                                                                                     end_color=fill)))
    ws.conditional_formatting.add(f"{due}2:{due}{last}", FormulaRule(
        formula=[f'AND({due}2<>"",{due}2<TODAY(),OR({status}2="Open",{status}2="In progress"))'],
        font=Font(color="9C0006", bold=True), fill=PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")))


def export_actions(db, path: Path) -> Generator[Progress, None, Path]:
    """Write every meeting action to `path` (.xlsx), oldest meeting first; returns the path."""
    path = Path(path)
    if path.is_dir() or not path.parent.is_dir():
        raise UserError(f"{path} is a folder or its folder does not exist; give a file name ending .xlsx.")
    action_rows, update_rows = _rows(db)
    rows = {ACTIONS.name: action_rows, UPDATES.name: update_rows, L.ABOUT.name: _about_rows(db, dt.datetime.now())}
    total = sum(len(r) for r in rows.values())
    yield Progress(0, total, "Preparing the workbook")
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {layout.name: _prepare(wb, layout, len(rows[layout.name])) for layout in SHEETS}
    styles = _Styles(sheets[ACTIONS.name])
    done = 0
    for layout in SHEETS:
        yield from _fill(sheets[layout.name], layout, styles, rows[layout.name], done, total)
        done += len(rows[layout.name])
    _status_rules(sheets[ACTIONS.name], len(action_rows))
    yield Progress(total, total, f"Saving {path.name}")
    _save(wb, path)
    return path


def _save(wb, path: Path) -> None:
    """Saved beside the target and moved into place, so a failure never leaves half a workbook."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"Cannot write {path.name}: {exc.strerror or exc}. If it is open in Excel, "
                        "close it and try again.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


# -- reading --------------------------------------------------------------------------------------

def read_log(path: Path) -> Generator[Progress, None, Book]:
    """The workbook's Actions, Updates and About sheets as rows, cell problems collected."""
    wb = open_workbook(path)
    book = Book(path.name)
    current = ""
    try:
        by_key = {L.header_key(n): n for n in wb.sheetnames}
        if L.header_key(ACTIONS.name) not in by_key:
            listed = ", ".join(f"'{n}'" for n in wb.sheetnames[:8]) or "none"
            raise refuse(path.name, [Problem(f"the workbook has no sheet named '{ACTIONS.name}', so it is not an "
                                             f"action log (its sheets: {listed})")])
        for layout in SHEETS:
            current = by_key.get(L.header_key(layout.name), "")
            if current:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    sheet = yield from _read_sheet(wb[current], layout, book)
                if sheet is not None:
                    book.sheets[layout.name] = sheet
    except BadInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only sheets are parsed lazily, row by row
        raise refuse(path.name, [Problem(f"the sheet could not be read ({type(exc).__name__})", sheet=current)]) from None
    finally:
        wb.close()
    about = book.sheets.pop(L.ABOUT.name, None)
    book.about = {L.header_key(r["item"]): r["value"] for r in about.rows if r["item"]} if about else {}
    return book


# -- import ---------------------------------------------------------------------------------------

class _DryRun(Exception):
    """Raised at the end of a dry run so the session rolls back everything it wrote."""


def import_actions(db, path: Path, dry_run: bool = False, source: str = "",
                   today: dt.date | None = None) -> Generator[Progress, None, ImportReport]:
    """Import an action log written by `export_actions` (and edited since); see the module docstring."""
    from send_desktop.services.meeting_actions import apply_log
    from send_desktop.storage.database import backup_file

    path = Path(path)
    if db.read_only and not dry_run:
        raise ReadOnlyError(db.read_only_message())
    yield Progress(0, 0, f"Reading {path.name}")
    book = yield from read_log(path)
    report = ImportReport(kind="actions", file=path.name, dry_run=dry_run)
    try:
        with db.session(source or f"import {path.name}") as s:
            s.connection()  # the write lock now: nothing may change the actions while we match them
            yield Progress(0, 0, "Checking the workbook against the meetings")
            log = resolve_log(s, book, today or dt.date.today(), db.user)
            if log.problems:
                raise refuse(path.name, log.problems)
            report.created, report.updated, report.unchanged = log.created, log.updated, log.unchanged
            report.warnings, report.other = list(log.warnings), log.other_counts()
            if not dry_run and log.size():
                backup_file(db.path, "before-import")
            if not (dry_run and db.read_only):
                yield from apply_log(s, log)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    yield Progress(1, 1, "Done")
    return report


_LINK = re.compile(r"\s*(plan\s+action|action|plan|risk|kpi)\b\s*[:#-]?\s*(.+?)\s*", re.IGNORECASE)
_LINK_KIND = {"plan action": "plan action", "action": "plan action", "plan": "plan action", "risk": "risk",
              "kpi": "kpi"}


def parse_link(text: str) -> tuple[str, str]:
    """ "Plan action 2.4.1" -> ("plan action", "2.4.1"); a CellError for anything else."""
    m = _LINK.fullmatch(text)
    if not m:
        raise L.CellError(f"'{text}' is not a link; write Plan action 2.4.1, Risk R3 or KPI K12")
    return _LINK_KIND[" ".join(m[1].lower().split())], normalise_ref(m[2])


def resolve_log(session, book: Book, today: dt.date, user: str):
    """Match the workbook against the database: an `ActionLog` of what to write and every problem."""
    return _Resolver(session, book, today, user).run()


class _Resolver:
    """One pass over the workbook. Meetings are keyed by their id, or by the `NewMeeting` to be
    made (compared by identity), so both kinds sit in the same dictionaries."""

    def __init__(self, session, book: Book, today: dt.date, user: str):
        from sqlalchemy import select

        from send_desktop.services.meeting_actions import ActionLog
        from send_desktop.storage import models as m

        self.book, self.today, self.user = book, today, user
        self.log = ActionLog(problems=list(book.problems))  # cells the reader could not understand
        run = session.execute
        self.boards = {name.casefold(): (bid, name) for bid, name in run(select(m.Board.id, m.Board.name))}
        self.board_top = max((p for (p,) in run(select(m.Board.position))), default=-1)
        self.meeting_uid, self.meetings_on = {}, {}
        for mid, uid, board_id, starts in run(select(m.Meeting.id, m.Meeting.uid, m.Meeting.board_id,
                                                     m.Meeting.starts_at)):
            self.meeting_uid[uid] = mid
            self.meetings_on.setdefault((board_id, starts.date()), []).append(mid)
        a = m.MeetingAction
        self.actions, self.numbers = {}, {}
        for row in run(select(a.id, a.uid, a.meeting_id, a.number, a.text, a.owner, a.due_date, a.status)):
            self.actions[row.uid] = row
            self.numbers.setdefault(row.meeting_id, {})[row.number] = row
        u = m.MeetingActionUpdate
        self.updates, self.update_uid = {}, {}
        for row in run(select(u.id, u.uid, u.action_id, u.date, u.text, u.author).order_by(u.date, u.id)):
            self.updates.setdefault(row.action_id, []).append(row)
            self.update_uid[row.uid] = row
        self.links = {}
        for link in session.scalars(select(m.MeetingActionLink).order_by(m.MeetingActionLink.id)):
            column = next(c for c in ("plan_action_id", "risk_id", "kpi_id") if getattr(link, c) is not None)
            self.links.setdefault(link.action_id, []).append((column, getattr(link, column)))
        self.targets = {kind: {} for kind in R.ACTION_LINK_KINDS}
        for kind, model in (("plan action", m.Action), ("risk", m.Risk), ("kpi", m.Kpi)):
            for tid, uid, ref in run(select(model.id, model.uid, model.ref)):
                self.targets[kind].setdefault(normalise_ref(ref), []).append((tid, uid))
        self.new_boards, self.new_meetings = {}, {}
        self.taken = set(self.actions) | set(self.update_uid)
        self.row_of, self.old_of = {}, {}  # LogAction -> its Actions row / its database record

    # -- reporting ----------------------------------------------------------------------------------

    def error(self, layout, row: dict | None, column: str, message: str) -> None:
        number = row["_row"] if row else None
        if (layout.name, number, column) not in self.book.bad_cells:  # the reader has said so already
            self.log.problems.append(Problem(message, sheet=layout.name, row=number, column=column))

    def warn(self, layout, row: dict, column: str, message: str) -> None:
        self.log.warnings.append(Problem(message, sheet=layout.name, row=row["_row"], column=column))

    def fresh_uid(self, uid: str | None) -> str:
        from send_desktop.storage.models import new_uid

        uid = uid if uid and uid not in self.taken else new_uid()
        self.taken.add(uid)
        return uid

    # -- cells --------------------------------------------------------------------------------------

    def find_board(self, row: dict):
        """The board a row names (its id, or the NewBoard to be made), or the only board when blank."""
        name = " ".join(row.get("board", "").split()).casefold()
        if name:
            return self.boards[name][0] if name in self.boards else self.new_boards.get(name)
        known = [b for b, _ in self.boards.values()] + list(self.new_boards.values())
        return known[0] if len(known) == 1 else None

    def board(self, row: dict):
        from send_desktop.services.meeting_actions import NewBoard

        name = " ".join(row.get("board", "").split())
        found = self.find_board(row)
        if found is not None or not name:
            if found is None:
                names = [n for _, n in self.boards.values()]
                self.error(ACTIONS, row, "Board", "say which board's meeting raised the action"
                           + (f" (one of: {', '.join(names)})" if names else ""))
            return found
        self.board_top += 1
        board = self.new_boards[name.casefold()] = NewBoard(name, self.board_top)
        self.log.boards.append(board)
        self.warn(ACTIONS, row, "Board", f"there is no board called {name}; it is created")
        return board

    def meeting(self, row: dict):
        from send_desktop.services.meeting_actions import NewMeeting

        day, board = row["meeting_date"], self.board(row)
        if day is None:
            self.error(ACTIONS, row, "Meeting date", "give the date of the meeting that raised the action")
        if day is None or board is None:
            return None
        ids = self.meetings_on.get((board, day), []) if isinstance(board, int) else []
        hinted = self.meeting_uid.get(row["meeting_uid"] or "")
        if hinted in ids or len(ids) == 1:
            return hinted if hinted in ids else ids[0]
        if ids:
            self.error(ACTIONS, row, "Meeting date", f"the board met more than once on {day:%d/%m/%Y}; the hidden "
                                                     "meeting id is needed to tell which meeting")
            return None
        if (board, day) not in self.new_meetings:
            meeting = NewMeeting(board, dt.datetime.combine(day, dt.time(10)), "held" if day <= self.today else "planned")
            self.new_meetings[(board, day)] = meeting
            self.log.meetings.append(meeting)
            self.warn(ACTIONS, row, "Meeting date", f"there is no meeting on {day:%d/%m/%Y}; one is created at "
                                                    "10:00 (change its time in the Meetings area)")
        return self.new_meetings[(board, day)]

    def number(self, layout, row: dict) -> int | None:
        raw = row["number"].strip().rstrip(".")
        if raw.isdigit() and 0 < int(raw) < 100_000:
            return int(raw)
        if raw:
            self.error(layout, row, "No.", f"'{raw}' is not an action number; write a whole number such as 4")
        return None

    def link_list(self, row: dict, action_id: int | None) -> list[tuple[str, int]]:
        hinted, current = set(row["link_uids"]), {t for _, t in self.links.get(action_id, [])}
        out: list[tuple[str, int]] = []
        for text in row["links"]:
            try:
                kind, ref = parse_link(text)
            except L.CellError as exc:
                self.error(ACTIONS, row, "Links", str(exc))
                continue
            found = self.targets[kind].get(ref, [])
            if len(found) > 1:  # a duplicated reference: the hidden ids, else the current link, settle it
                found = [f for f in found if f[1] in hinted] or [f for f in found if f[0] in current] or found
            what = f"{R.LINK_LABELS[kind].lower()} {ref}"
            if not found:
                self.error(ACTIONS, row, "Links", f"there is no {what} in this file")
            elif len(found) > 1:
                self.error(ACTIONS, row, "Links", f"the file has {len(found)} of {what}; cannot tell which is meant")
            elif (R.LINK_KINDS[kind], found[0][0]) not in out:
                out.append((R.LINK_KINDS[kind], found[0][0]))
        return out

    def status(self, row: dict, old) -> str:
        if not row["status"]:
            if old is not None:
                self.error(ACTIONS, row, "Status", "choose a status: Open, In progress, Closed or Superseded")
            return "open"
        try:
            return R.choice(row["status"], R.ACTION_STATUSES, "status")
        except UserError as exc:
            self.error(ACTIONS, row, "Status", exc.message.rstrip("."))
            return "open"

    # -- the sheets ---------------------------------------------------------------------------------

    def run(self):
        from send_desktop.services.meeting_actions import LogAction
        from send_desktop.services.meetings import clean, paragraph

        present = self.book.sheets[ACTIONS.name].present
        actions, seen = [], set()
        for row in self.book.rows(ACTIONS):
            uid = row["uid"]
            if uid and uid in seen:
                self.warn(ACTIONS, row, "Action id", "repeats the id of an earlier row (a copied row?); it is "
                                                     "added as a new action")
                uid = None
            seen.add(uid)
            old = self.actions.get(uid) if uid else None
            values = {"text": paragraph(row["text"]), "owner": clean(row["owner"]), "due_date": row["due"],
                      "status": self.status(row, old)}
            if not values["text"]:
                self.error(ACTIONS, row, "Action", "the action is empty: write what is to be done")
            links = self.link_list(row, old.id if old else None) if "links" in present else None
            a = LogAction(old.id if old else None, old.uid if old else self.fresh_uid(uid), self.meeting(row),
                          self.number(ACTIONS, row), values, links=links)
            self.row_of[a], self.old_of[a] = row, old
            actions.append(a)
        if not self.log.problems:
            self.number_actions(actions)
            self.updates_sheet(actions)
        if not self.log.problems:
            if "update" in present:
                self.update_cells(actions)
            self.finish(actions)
        return self.log

    def number_actions(self, actions: list) -> None:
        """Numbers given are kept (a clash is an error), an action staying at its meeting keeps its
        own, and the rest follow the meeting's highest number."""
        staying = {a.id for a in actions if a.id is not None}
        groups: dict = {}
        for a in actions:
            groups.setdefault(a.meeting, []).append(a)
        for meeting, group in groups.items():
            known = self.numbers.get(meeting, {}) if isinstance(meeting, int) else {}
            used = {n: None for n, old in known.items() if old.id not in staying}
            for a in group:
                old = self.old_of[a]
                if a.number is None and old is not None and old.meeting_id == meeting and old.number not in used:
                    a.number = old.number
                if a.number is None:
                    continue
                if a.number in used:
                    where = f"row {used[a.number]}" if used[a.number] else "an action not in this workbook"
                    self.error(ACTIONS, self.row_of[a], "No.", f"No. {a.number} is already used at that meeting "
                                                               f"({where})")
                used[a.number] = self.row_of[a]["_row"]
            top = max(list(used) + list(known), default=0)
            for a in group:
                if a.number is None:
                    top += 1
                    a.number, used[top] = top, self.row_of[a]["_row"]

    def action_for(self, row: dict, actions: list, by_uid: dict, by_place: dict):
        """The action an Updates row belongs to: by its hidden id, else by board, meeting date and No."""
        from send_desktop.services.meeting_actions import LogAction

        uid, old = row["action_uid"], None
        if uid in by_uid:
            return by_uid[uid]
        if uid in self.actions:
            old = self.actions[uid]
        elif (number := self.number(UPDATES, row)) is not None and row["meeting_date"] is not None:
            board, day = self.find_board(row), row["meeting_date"]
            meetings = self.meetings_on.get((board, day), []) + [m for m in self.log.meetings
                                                                  if m.board is board and m.starts_at.date() == day]
            for meeting in meetings:
                if (meeting, number) in by_place:
                    return by_place[(meeting, number)]
                old = old or self.numbers.get(meeting, {}).get(number)
        if old is None:
            self.error(UPDATES, row, "No.", "no action with this board, meeting date and No. is in the workbook "
                                            "or the file")
            return None
        a = LogAction(old.id, old.uid, old.meeting_id, old.number, {})  # changed only by its updates
        self.old_of[a] = old
        actions.append(a)
        by_uid[a.uid] = by_place[(a.meeting, a.number)] = a
        return a

    def updates_sheet(self, actions: list) -> None:
        from send_desktop.services.meetings import clean, paragraph

        by_uid = {a.uid: a for a in actions}
        by_place = {(a.meeting, a.number): a for a in actions}
        seen = set()
        for row in self.book.rows(UPDATES) or []:
            action = self.action_for(row, actions, by_uid, by_place)
            values = {"date": row["date"], "text": paragraph(row["text"]), "author": clean(row["author"])}
            if values["date"] is None:
                self.error(UPDATES, row, "Date", "an update needs a date")
            elif values["date"] > self.today + dt.timedelta(days=366):
                self.error(UPDATES, row, "Date", f"{values['date']:%d/%m/%Y} is more than a year ahead")
            if not values["text"]:
                self.error(UPDATES, row, "Update", "the update is empty: write what has happened")
            uid = row["uid"] if row["uid"] not in seen else None
            seen.add(uid)
            old = self.update_uid.get(uid or "")
            if action is None or self.log.problems:
                continue
            if old is not None:
                changes = {k: v for k, v in values.items() if getattr(old, k) != v}
                if changes:
                    action.edited_updates.append((old.id, changes))
            else:
                action.new_updates.append({"uid": self.fresh_uid(uid), **values})

    def update_cells(self, actions: list) -> None:
        """A changed Update cell is news: a new update, unless it is the latest update already."""
        from send_desktop.services.meetings import paragraph

        for a in actions:
            row = self.row_of.get(a)
            text = paragraph(row["update"]) if row else ""
            if not text:
                continue
            edited = dict(a.edited_updates)
            history = [(edited.get(u.id, {}).get("date", u.date), i, edited.get(u.id, {}).get("text", u.text))
                       for i, u in enumerate(self.updates.get(a.id, []))]
            history += [(u["date"], len(history) + i, u["text"]) for i, u in enumerate(a.new_updates)]
            latest = max(history) if history else None
            if latest is None or paragraph(latest[2]) != text:
                changed_day = row["updated_on"] and (latest is None or row["updated_on"] != latest[0])
                a.new_updates.append({"uid": self.fresh_uid(None), "date": row["updated_on"] if changed_day
                                      else self.today, "text": text, "author": self.user})

    def finish(self, actions: list) -> None:
        from send_desktop.services.meetings import paragraph

        for a in actions:
            old, on_sheet = self.old_of[a], a in self.row_of
            if old is None:
                self.log.created += 1
                continue
            if on_sheet:
                current = {"text": paragraph(old.text), "owner": old.owner, "due_date": old.due_date,
                           "status": old.status}
                a.values = {k: v for k, v in a.values.items() if current[k] != v}
                a.moved = (old.meeting_id, old.number) != (a.meeting, a.number)
                if a.links == self.links.get(old.id, []):
                    a.links = None
            if a.changed():
                self.log.updated += 1
            elif on_sheet:
                self.log.unchanged += 1
        self.log.actions = [a for a in actions if a.id is None or a.changed()]
