"""Actions raised at meetings (numbered per meeting, owned, dated, updated and linked) and the
forward plan of items asked for at future meetings.

One transaction per call, validated before anything is written. Numbers go after the highest
number the meeting has used, never into a gap: a gap is an action deleted after the minutes
went out, and giving its number to another would make "action 4" mean two things.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Generator

from sqlalchemy import func, select

from send_desktop.core.progress import Progress

from send_desktop.errors import UserError
from send_desktop.services.meeting_read import (
    ACTION_LINK_KINDS, ACTION_STATUSES, FORWARD_KINDS, FORWARD_STATUSES, choice,
)
from send_desktop.services.meetings import apply_changes, check_fields, clean, get, paragraph, sync_links
from send_desktop.storage.models import (
    AgendaItem, Board, ForwardPlanItem, Meeting, MeetingAction, MeetingActionLink, MeetingActionUpdate,
)

ACTION_FIELDS = ("text", "owner", "due_date", "status", "number", "agenda_item_id")
FORWARD_FIELDS = ("title", "kind", "owner", "for_meeting_id", "for_month", "status")
UPDATE_FIELDS = ("date", "text", "author")


def next_number(session, meeting_id: int) -> int:
    top = session.scalar(select(func.max(MeetingAction.number)).where(MeetingAction.meeting_id == meeting_id))
    return (top or 0) + 1


def _due(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise UserError(f"'{value}' is not a due date.")


def _number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(f"'{value}' is not an action number; numbers are whole numbers from 1.")
    return value


def _text(value) -> str:
    text = paragraph(value)
    if not text:
        raise UserError("The action is empty: write what is to be done.")
    return text


def _check_item(session, meeting_id: int, item_id: int | None) -> int | None:
    if item_id is not None and get(session, AgendaItem, item_id).meeting_id != meeting_id:
        raise UserError("An action can only be tied to an item on its own meeting's agenda.")
    return item_id


def add_action(db, meeting_id: int, text: str, *, owner: str = "", due_date: dt.date | None = None,
               status: str = "open", agenda_item_id: int | None = None, number: int | None = None,
               source: str = "window") -> int:
    """A new action of a meeting, numbered next unless `number` is given; returns its id."""
    values = {"text": _text(text), "owner": clean(owner), "due_date": _due(due_date),
              "status": choice(status, ACTION_STATUSES, "action status")}
    with db.session(source) as s:
        get(s, Meeting, meeting_id)
        values["agenda_item_id"] = _check_item(s, meeting_id, agenda_item_id)
        if number is None:
            number = next_number(s, meeting_id)
        elif s.scalar(select(MeetingAction.id).where(MeetingAction.meeting_id == meeting_id,
                                                     MeetingAction.number == _number(number))):
            raise UserError(f"This meeting already has an action {number}.")
        action = MeetingAction(meeting_id=meeting_id, number=number, **values)
        s.add(action)
        s.flush()
        return action.id


def update_action(db, action_id: int, changes: dict, source: str = "window") -> dict:
    """Change an action's fields; returns their old values."""
    check_fields(changes, ACTION_FIELDS)
    convert = {"text": _text, "owner": clean, "due_date": _due, "number": _number,
               "status": lambda v: choice(v, ACTION_STATUSES, "action status")}
    values = {k: convert[k](v) if k in convert else v for k, v in changes.items()}
    with db.session(source) as s:
        action = get(s, MeetingAction, action_id)
        if "agenda_item_id" in values:
            _check_item(s, action.meeting_id, values["agenda_item_id"])
        if "number" in values and values["number"] != action.number and s.scalar(
                select(MeetingAction.id).where(MeetingAction.meeting_id == action.meeting_id,
                                               MeetingAction.number == values["number"])):
            raise UserError(f"This meeting already has an action {values['number']}.")
        return apply_changes(action, values)


def set_status(db, action_id: int, status: str, *, note: str = "", date: dt.date | None = None, author: str = "",
               source: str = "window") -> str:
    """Change the status, with an optional dated note saying why (one transaction); returns the
    old status."""
    status = choice(status, ACTION_STATUSES, "action status")
    with db.session(source) as s:
        action = get(s, MeetingAction, action_id)
        old, action.status = action.status, status
        if paragraph(note):
            s.add(MeetingActionUpdate(action_id=action_id, date=date or dt.date.today(), text=paragraph(note),
                                      author=clean(author or db.user)))
        return old


def delete_action(db, action_id: int, source: str = "window") -> None:
    """Delete an action raised by mistake (an action that no longer applies is better marked
    superseded, which keeps its history)."""
    with db.session(source) as s:
        action = get(s, MeetingAction, action_id)
        action.updates, action.links  # noqa: B018 - loaded so the ORM deletes (and logs) each
        s.delete(action)


# -- updates --------------------------------------------------------------------------------------

def _update_values(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key == "date":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise UserError("An update needs a date.")
            if value > dt.date.today() + dt.timedelta(days=366):
                raise UserError(f"The update's date {value:%d %b %Y} is more than a year ahead.")
            out[key] = value
        elif key == "text":
            out[key] = paragraph(value)
            if not out[key]:
                raise UserError("The update is empty: write what has happened.")
        else:
            out[key] = clean(value)
    return out


def add_update(db, action_id: int, text: str, *, date: dt.date | None = None, author: str = "",
               status: str | None = None, source: str = "window") -> int:
    """A dated note of progress, with the action's new status when it changed as well."""
    values = _update_values({"date": date or dt.date.today(), "text": text, "author": author or db.user})
    new_status = choice(status, ACTION_STATUSES, "action status") if status else None
    with db.session(source) as s:
        action = get(s, MeetingAction, action_id)
        if new_status and new_status != action.status:
            action.status = new_status
        update = MeetingActionUpdate(action_id=action_id, **values)
        s.add(update)
        s.flush()
        return update.id


def update_update(db, update_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, UPDATE_FIELDS)
    values = _update_values(changes)
    with db.session(source) as s:
        return apply_changes(get(s, MeetingActionUpdate, update_id), values)


def delete_update(db, update_id: int, source: str = "window") -> None:
    with db.session(source) as s:
        s.delete(get(s, MeetingActionUpdate, update_id))


# -- links ----------------------------------------------------------------------------------------

def set_links(db, action_id: int, targets, source: str = "window") -> None:
    """Link an action to exactly these plan actions, risks and KPIs ([(kind, id)])."""
    with db.session(source) as s:
        action = get(s, MeetingAction, action_id)  # held: a collection alone does not keep its owner alive
        sync_links(s, action.links, targets, ACTION_LINK_KINDS, MeetingActionLink)


# -- the forward plan -----------------------------------------------------------------------------

def _month(value) -> str:
    text = clean(value)
    try:
        return dt.date.fromisoformat(f"{text}-01").strftime("%Y-%m") if text else ""
    except ValueError:
        raise UserError(f"'{text}' is not a month; write it as YYYY-MM, such as 2026-03.") from None


def _forward_value(key: str, value):
    if key == "kind":
        return choice(value, FORWARD_KINDS, "kind of forward plan item")
    if key == "status":
        return choice(value, FORWARD_STATUSES, "forward plan status")
    if key == "for_month":
        return _month(value)
    if key == "for_meeting_id":
        return value
    if key == "title" and not clean(value):
        raise UserError("A forward plan item needs a title, such as 'Deep dive: waiting times'.")
    return clean(value)


def add_forward_item(db, board_id: int, title: str, *, kind: str = "report", owner: str = "",
                     requested_at_id: int | None = None, for_meeting_id: int | None = None, for_month: str = "",
                     source: str = "window") -> int:
    values = {k: _forward_value(k, v) for k, v in (("title", title), ("kind", kind), ("owner", owner),
                                                   ("for_month", for_month))}
    with db.session(source) as s:
        get(s, Board, board_id)
        for meeting_id in (requested_at_id, for_meeting_id):
            if meeting_id is not None and get(s, Meeting, meeting_id).board_id != board_id:
                raise UserError("A forward plan item belongs to meetings of its own board.")
        item = ForwardPlanItem(board_id=board_id, **values, requested_at_id=requested_at_id,
                               for_meeting_id=for_meeting_id, status="scheduled" if for_meeting_id else "requested")
        s.add(item)
        s.flush()
        return item.id


def update_forward_item(db, item_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, FORWARD_FIELDS)
    values = {k: _forward_value(k, v) for k, v in changes.items()}
    with db.session(source) as s:
        item = get(s, ForwardPlanItem, item_id)
        if values.get("for_meeting_id") is not None and get(s, Meeting, values["for_meeting_id"]).board_id != item.board_id:
            raise UserError("A forward plan item belongs to meetings of its own board.")
        return apply_changes(item, values)


# -- an action log's changes, written in one go (the workbook import) ----------------------------

@dataclasses.dataclass(eq=False)
class NewBoard:
    name: str
    position: int
    obj: Board | None = None


@dataclasses.dataclass(eq=False)
class NewMeeting:
    board: int | NewBoard
    starts_at: dt.datetime
    status: str
    obj: Meeting | None = None


@dataclasses.dataclass(eq=False)
class LogAction:
    """One action as the log wants it: `id` None for a new one; `values` the fields to set
    (all of them for a new action); `links` the whole new list of (column, target id), or None
    when unchanged; updates to add (column values) and to change (id, changed values)."""

    id: int | None
    uid: str
    meeting: int | NewMeeting
    number: int
    values: dict
    moved: bool = False
    links: list[tuple[str, int]] | None = None
    new_updates: list[dict] = dataclasses.field(default_factory=list)
    edited_updates: list[tuple[int, dict]] = dataclasses.field(default_factory=list)
    obj: MeetingAction | None = None

    def changed(self) -> bool:
        return bool(self.values or self.moved or self.links is not None or self.new_updates or self.edited_updates)


@dataclasses.dataclass
class ActionLog:
    boards: list[NewBoard] = dataclasses.field(default_factory=list)
    meetings: list[NewMeeting] = dataclasses.field(default_factory=list)
    actions: list[LogAction] = dataclasses.field(default_factory=list)  # only those to create or change
    problems: list = dataclasses.field(default_factory=list)
    warnings: list = dataclasses.field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def size(self) -> int:
        return len(self.boards) + len(self.meetings) + len(self.actions)

    def other_counts(self) -> dict[str, dict[str, int]]:
        new = sum(len(a.new_updates) for a in self.actions)
        edited = sum(len(a.edited_updates) for a in self.actions)
        out = {name: {"created": n, "updated": 0} for name, n in (("board", len(self.boards)),
                                                                 ("meeting", len(self.meetings))) if n}
        if new or edited:
            out["action update"] = {"created": new, "updated": edited}
        return out


def _ident(ref) -> int:
    return ref.obj.id if isinstance(ref, (NewBoard, NewMeeting)) else ref


def apply_log(session, log: ActionLog) -> Generator[Progress, None, None]:
    """Write an action log's changes through the ORM inside the caller's transaction.

    Actions that change meeting or number and land on a place another of them leaves are first
    parked on a negative number, so swapping two numbers never trips the one-number-per-meeting
    rule half-way; the log shows the parking as one more change of those actions."""
    total = max(log.size(), 1)
    for board in log.boards:
        board.obj = Board(name=board.name, position=board.position)
        session.add(board.obj)
    session.flush()
    for meeting in log.meetings:
        meeting.obj = Meeting(board_id=_ident(meeting.board), starts_at=meeting.starts_at, status=meeting.status,
                              place="", online=False, chair="")
        session.add(meeting.obj)
    session.flush()
    existing = [a for a in log.actions if a.id is not None]
    for start in range(0, len(existing), 500):  # one query for the records about to change
        ids = [a.id for a in existing[start:start + 500]]
        list(session.scalars(select(MeetingAction).where(MeetingAction.id.in_(ids))))
    moving = [a for a in existing if a.moved]
    leaving = {(session.get(MeetingAction, a.id).meeting_id, session.get(MeetingAction, a.id).number) for a in moving}
    for a in moving:
        if (_ident(a.meeting), a.number) in leaving:
            session.get(MeetingAction, a.id).number = -a.id
    session.flush()
    for done, a in enumerate(log.actions, 1):
        if a.id is None:
            a.obj = MeetingAction(uid=a.uid, meeting_id=_ident(a.meeting), number=a.number, **a.values)
            session.add(a.obj)
        else:
            a.obj = session.get(MeetingAction, a.id)
            for key, value in a.values.items():
                setattr(a.obj, key, value)
            if a.moved:
                a.obj.meeting_id, a.obj.number = _ident(a.meeting), a.number
        if done % 250 == 0:
            yield Progress(done, total, "Writing actions")
    session.flush()
    for a in log.actions:
        if a.links is not None:
            for link in list(a.obj.links):
                a.obj.links.remove(link)  # delete-orphan: each removal is a logged delete
            a.obj.links.extend(MeetingActionLink(**{column: target}) for column, target in a.links)
        for values in a.new_updates:
            session.add(MeetingActionUpdate(action_id=a.obj.id, **values))
        for update_id, values in a.edited_updates:
            update = session.get(MeetingActionUpdate, update_id)
            for key, value in values.items():
                setattr(update, key, value)
    session.flush()
    yield Progress(total, total, "Actions written")
