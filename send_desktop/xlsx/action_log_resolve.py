"""Matching a returned action log against the database: what to write, and every problem.

How rows find their records (the rules `action_log_xlsx` states for officers): an action by its
hidden id, else it is new; its meeting by board and meeting date (the hidden meeting id settles
two meetings on one day), and a meeting or board the file does not have yet is created, with a
warning, so an existing spreadsheet log can be brought in. A new or changed text in the Update
cell becomes a new update, dated by the Updated cell when that was changed too, else the day of
the import. Nothing is written here: `resolve_log` returns an `ActionLog` that
`meeting_actions.apply_log` writes inside the import's transaction.
"""

from __future__ import annotations

import datetime as dt
import re

from send_desktop.core.refs import normalise_ref
from send_desktop.errors import Problem, UserError
from send_desktop.services import meeting_read as R
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.action_log_xlsx import ACTIONS, UPDATES
from send_desktop.xlsx.book_reader import Book


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
