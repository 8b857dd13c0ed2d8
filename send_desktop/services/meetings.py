"""Changing boards, meetings, attendance, the agenda and the minutes. One transaction per call.

Each function validates first and raises `UserError` with a message for people, so a bad value
changes nothing; updates return the old values, which is what an undo or a test needs. What a
meeting asks for next (its actions, and forward plan items) is in `meeting_actions`; reads are
in `meeting_read`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from send_desktop.errors import UserError
from send_desktop.services.meeting_read import (
    AGENDA_LINK_KINDS, ATTENDANCE_KINDS, LINK_KINDS, MEETING_STATUSES, choice,
)
from send_desktop.storage.models import (
    AgendaItem, AgendaLink, Attendance, Board, BoardMember, Challenge, ForwardPlanItem, Kpi, Meeting, MeetingPack,
    Priority, Risk,
)

#: The standing agenda every new meeting starts from: (title, papers expected). The shape of an
#: improvement board's minutes (DOMAIN.md, "Meetings"), in this application's own words.
STANDING_AGENDA = (
    ("Welcome, introductions and apologies", ""),
    ("Minutes of the last meeting and the action tracker", "Draft minutes\nAction tracker"),
    ("The voice of children and young people", ""),
    ("Update from the parent carer forum", "Forum report"),
    ("Progress against the priority action plan", "Highlight report\nPlan tracker"),
    ("Performance and data", "Performance dashboard"),
    ("Quality assurance", "EHCP audit report"),
    ("Risk register and governance", "Risk register"),
    ("Any other business", ""),
    ("Date and time of the next meeting", ""),
)

MEETING_FIELDS = ("starts_at", "place", "online", "chair", "status")
MEMBER_FIELDS = ("name", "role", "organisation")
ATTENDANCE_FIELDS = ("name", "role", "organisation", "kind", "deputising_for")
AGENDA_FIELDS = ("title", "presenter", "papers", "notes", "decisions")
CHALLENGE_FIELDS = ("challenger", "challenge", "responder", "response")


def get(session, model, obj_id):
    obj = session.get(model, obj_id) if obj_id is not None else None
    if obj is None:
        raise UserError(f"That {model.__tablename__.replace('_', ' ')} no longer exists (id {obj_id}).")
    return obj


def clean(value) -> str:
    """A one-line value as stored: spacing tidied."""
    return " ".join(str(value or "").split())


def paragraph(value) -> str:
    """Several lines as stored: each trimmed, Windows line ends made plain, no trailing blanks."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def line_list(value) -> str:
    """One item per line (papers, decisions) from text or a list, blanks dropped."""
    items = value.split("\n") if isinstance(value, str) else list(value or [])
    return "\n".join(clean(i) for i in items if clean(i))


def end_position(session, column, parent_col, parent_id) -> int:
    top = session.scalar(select(func.max(column)).where(parent_col == parent_id))
    return (top if top is not None else -1) + 1


def check_fields(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")


def apply_changes(obj, changes: dict, convert=lambda key, value: value) -> dict:
    """Set converted values on a record; returns the old values (what an undo needs)."""
    old = {k: getattr(obj, k) for k in changes}
    for key, value in changes.items():
        setattr(obj, key, convert(key, value))
    return old


# -- boards and members ---------------------------------------------------------------------------

def _board_name(session, name: str, board_id: int | None = None) -> str:
    name = clean(name)
    if not name:
        raise UserError("A board needs a name, such as Improvement Board.")
    clash = session.scalar(select(Board.id).where(func.lower(Board.name) == name.lower(), Board.id != (board_id or 0)))
    if clash:
        raise UserError(f"There is already a board called {name}.")
    return name


def add_board(db, name: str, source: str = "window") -> int:
    with db.session(source) as s:
        top = s.scalar(select(func.max(Board.position)))
        board = Board(name=_board_name(s, name), position=(top if top is not None else -1) + 1)
        s.add(board)
        s.flush()
        return board.id


def rename_board(db, board_id: int, name: str, source: str = "window") -> str:
    with db.session(source) as s:
        board = get(s, Board, board_id)
        old, board.name = board.name, _board_name(s, name, board_id)
        return old


def add_member(db, board_id: int, name: str, role: str = "", organisation: str = "", source: str = "window") -> int:
    if not clean(name):
        raise UserError("A member needs a name.")
    with db.session(source) as s:
        get(s, Board, board_id)
        member = BoardMember(board_id=board_id, name=clean(name), role=clean(role), organisation=clean(organisation),
                             position=end_position(s, BoardMember.position, BoardMember.board_id, board_id))
        s.add(member)
        s.flush()
        return member.id


def update_member(db, member_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, MEMBER_FIELDS)
    if "name" in changes and not clean(changes["name"]):
        raise UserError("A member needs a name.")
    with db.session(source) as s:
        return apply_changes(get(s, BoardMember, member_id), changes, lambda k, v: clean(v))


def remove_member(db, member_id: int, source: str = "window") -> None:
    with db.session(source) as s:
        s.delete(get(s, BoardMember, member_id))


# -- meetings -------------------------------------------------------------------------------------

def _meeting_value(key: str, value):
    if key == "starts_at":
        if not isinstance(value, dt.datetime):
            raise UserError("A meeting needs a date and a start time.")
        return value.replace(second=0, microsecond=0)
    if key == "status":
        return choice(value, MEETING_STATUSES, "meeting status")
    if key == "online":
        return bool(value)
    return clean(value)


def create_meeting(db, board_id: int, starts_at: dt.datetime, *, place: str | None = None, online: bool | None = None,
                   chair: str | None = None, status: str = "planned", agenda=STANDING_AGENDA,
                   with_members: bool = True, source: str = "window") -> int:
    """A meeting with the standing agenda and (with `with_members`) every member of the board
    listed as present, so the minute-taker marks only the apologies and deputies. Place, online
    and chair not given are taken from the board's latest earlier meeting."""
    values = {"starts_at": _meeting_value("starts_at", starts_at), "status": _meeting_value("status", status)}
    with db.session(source) as s:
        board = get(s, Board, board_id)
        last = s.scalars(select(Meeting).where(Meeting.board_id == board_id, Meeting.starts_at < values["starts_at"])
                         .order_by(Meeting.starts_at.desc()).limit(1)).first()
        meeting = Meeting(board_id=board_id, **values,
                          place=clean(place if place is not None else (last.place if last else "")),
                          online=bool(online if online is not None else (last.online if last else False)),
                          chair=clean(chair if chair is not None else (last.chair if last else "")))
        meeting.agenda = [AgendaItem(position=i, title=clean(title), presenter="", papers=line_list(papers),
                                     standing=True, notes="", decisions="") for i, (title, papers) in enumerate(agenda)]
        if with_members:
            meeting.attendance = [Attendance(name=m.name, role=m.role, organisation=m.organisation, kind="present",
                                             deputising_for="", position=i) for i, m in enumerate(board.members)]
        s.add(meeting)
        s.flush()
        return meeting.id


def update_meeting(db, meeting_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, MEETING_FIELDS)
    converted = {k: _meeting_value(k, v) for k, v in changes.items()}
    with db.session(source) as s:
        return apply_changes(get(s, Meeting, meeting_id), converted)


def delete_meeting(db, meeting_id: int, source: str = "window") -> None:
    """Delete a meeting with its minutes and the actions raised at it (the window asks first).

    Every child is loaded first so the ORM deletes each one and the change log records it; left
    to the database's ON DELETE CASCADE they would vanish unrecorded."""
    with db.session(source) as s:
        meeting = get(s, Meeting, meeting_id)
        for item in meeting.agenda:
            item.challenges, item.links  # noqa: B018 - loading is the point
        for action in meeting.actions:
            action.updates, action.links  # noqa: B018
        meeting.attendance  # noqa: B018
        for pack in s.scalars(select(MeetingPack).where(MeetingPack.meeting_id == meeting_id)):
            pack.meeting_id = None  # an issued pack is kept; it only stops pointing at the meeting
        for item in s.scalars(select(ForwardPlanItem).where(
                (ForwardPlanItem.requested_at_id == meeting_id) | (ForwardPlanItem.for_meeting_id == meeting_id))):
            if item.requested_at_id == meeting_id:
                item.requested_at_id = None
            if item.for_meeting_id == meeting_id:
                item.for_meeting_id = None
        s.delete(meeting)


# -- attendance -----------------------------------------------------------------------------------

def _attendance_values(values: dict) -> dict:
    out = {k: (choice(v, ATTENDANCE_KINDS, "kind of attendance") if k == "kind" else clean(v))
           for k, v in values.items()}
    if "name" in out and not out["name"]:
        raise UserError("Say who attended: the name is empty.")
    return out


def add_attendee(db, meeting_id: int, name: str, kind: str = "present", *, role: str = "", organisation: str = "",
                 deputising_for: str = "", source: str = "window") -> int:
    """Someone at (or sending apologies to) a meeting; a board member's role and organisation
    fill in when not given."""
    values = _attendance_values({"name": name, "kind": kind, "role": role, "organisation": organisation,
                                 "deputising_for": deputising_for})
    if values["kind"] == "deputising" and not values["deputising_for"]:
        raise UserError(f"Say whom {values['name']} is deputising for.")
    with db.session(source) as s:
        meeting = get(s, Meeting, meeting_id)
        member = s.scalars(select(BoardMember).where(BoardMember.board_id == meeting.board_id,
                                                     func.lower(BoardMember.name) == values["name"].lower())).first()
        if member is not None:
            values["role"] = values["role"] or member.role
            values["organisation"] = values["organisation"] or member.organisation
        row = Attendance(meeting_id=meeting_id, **values,
                         position=end_position(s, Attendance.position, Attendance.meeting_id, meeting_id))
        s.add(row)
        s.flush()
        return row.id


def update_attendance(db, attendance_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, ATTENDANCE_FIELDS)
    values = _attendance_values(changes)
    with db.session(source) as s:
        row = get(s, Attendance, attendance_id)
        old = apply_changes(row, values)
        if row.kind == "deputising" and not row.deputising_for:
            raise UserError(f"Say whom {row.name} is deputising for.")
        if row.kind != "deputising" and "kind" in values and row.deputising_for:
            old.setdefault("deputising_for", row.deputising_for)
            row.deputising_for = ""
        return old


def remove_attendance(db, attendance_id: int, source: str = "window") -> None:
    with db.session(source) as s:
        s.delete(get(s, Attendance, attendance_id))


# -- the agenda and its minutes -------------------------------------------------------------------

def _agenda_value(key: str, value):
    if key == "title":
        if not clean(value):
            raise UserError("An agenda item needs a title.")
        return clean(value)
    if key in ("papers", "decisions"):
        return line_list(value)
    return paragraph(value) if key == "notes" else clean(value)


def add_agenda_item(db, meeting_id: int, title: str, *, presenter: str = "", papers=(), index: int | None = None,
                    source: str = "window") -> int:
    """A new item, at the end or before the item now at `index`."""
    values = {"title": _agenda_value("title", title), "presenter": clean(presenter), "papers": line_list(papers)}
    with db.session(source) as s:
        meeting = get(s, Meeting, meeting_id)
        item = AgendaItem(**values, standing=False, notes="", decisions="", position=len(meeting.agenda))
        meeting.agenda.append(item)
        s.flush()
        if index is not None:
            _place(meeting, item, index)
        return item.id


def _place(meeting: Meeting, item: AgendaItem, index: int) -> int:
    items = sorted(meeting.agenda, key=lambda i: (i.position, i.id))
    old = items.index(item)
    items.remove(item)
    items.insert(max(0, min(index, len(items))), item)
    for pos, it in enumerate(items):
        if it.position != pos:
            it.position = pos
    return old


def move_agenda_item(db, item_id: int, index: int, source: str = "window") -> int:
    """Put an item at a place in its meeting's agenda; returns where it was (for undo)."""
    with db.session(source) as s:
        item = get(s, AgendaItem, item_id)
        return _place(get(s, Meeting, item.meeting_id), item, index)


def update_agenda_item(db, item_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, AGENDA_FIELDS)
    values = {k: _agenda_value(k, v) for k, v in changes.items()}
    with db.session(source) as s:
        return apply_changes(get(s, AgendaItem, item_id), values)


def add_decision(db, item_id: int, text: str, source: str = "window") -> None:
    """Record one more decision against an item (decisions are kept one a line)."""
    if not clean(text):
        raise UserError("The decision is empty.")
    with db.session(source) as s:
        item = get(s, AgendaItem, item_id)
        item.decisions = line_list(item.decisions.split("\n") + [text])


def delete_agenda_item(db, item_id: int, source: str = "window") -> None:
    """Delete an item with its minutes; actions raised under it stay, no longer tied to it."""
    from send_desktop.storage.models import MeetingAction

    with db.session(source) as s:
        item = get(s, AgendaItem, item_id)
        meeting = get(s, Meeting, item.meeting_id)
        for action in s.scalars(select(MeetingAction).where(MeetingAction.agenda_item_id == item_id)):
            action.agenda_item_id = None  # through the ORM, so the log records it (not ON DELETE SET NULL)
        item.challenges, item.links  # noqa: B018 - loaded so each is deleted (and logged) by the ORM
        s.delete(item)
        s.flush()
        s.expire(meeting, ["agenda"])
        for pos, it in enumerate(sorted(meeting.agenda, key=lambda i: (i.position, i.id))):
            if it.position != pos:
                it.position = pos


_LINK_MODELS = {"plan action": None, "priority": Priority, "risk": Risk, "kpi": Kpi}


def link_values(session, kind: str, target_id: int, allowed: tuple[str, ...]) -> dict:
    """The column values of a link to one record, checked to exist (shared with action links)."""
    if kind not in allowed:
        raise UserError(f"Cannot link to a {kind} here; choose one of: {', '.join(allowed)}.")
    from send_desktop.storage.models import Action

    get(session, _LINK_MODELS[kind] or Action, target_id)
    return {LINK_KINDS[kind]: target_id}


def sync_links(session, links: list, targets, allowed: tuple[str, ...], model) -> None:
    """Make a collection of links exactly `targets` ([(kind, id)]), keeping those already there:
    removed ones are deleted by the ORM (logged), new ones added."""
    wanted = [link_values(session, kind, target, allowed) for kind, target in dict.fromkeys(targets)]
    for link in list(links):
        if _link_columns(link) not in wanted:
            links.remove(link)
    have = [_link_columns(link) for link in links]
    links.extend(model(**values) for values in wanted if values not in have)


def _link_columns(link) -> dict:
    return {c: getattr(link, c) for c in LINK_KINDS.values() if getattr(link, c, None) is not None}


def set_agenda_links(db, item_id: int, targets, source: str = "window") -> None:
    """Link an agenda item to exactly these plan priorities, risks and KPIs ([(kind, id)])."""
    with db.session(source) as s:
        item = get(s, AgendaItem, item_id)  # held: a collection alone does not keep its owner alive
        sync_links(s, item.links, targets, AGENDA_LINK_KINDS, AgendaLink)


# -- challenge and response -----------------------------------------------------------------------

def add_challenge(db, item_id: int, challenger: str, challenge: str, *, responder: str = "", response: str = "",
                  source: str = "window") -> int:
    if not paragraph(challenge):
        raise UserError("The challenge is empty: write what was asked.")
    with db.session(source) as s:
        get(s, AgendaItem, item_id)
        row = Challenge(agenda_item_id=item_id, challenger=clean(challenger), challenge=paragraph(challenge),
                        responder=clean(responder), response=paragraph(response),
                        position=end_position(s, Challenge.position, Challenge.agenda_item_id, item_id))
        s.add(row)
        s.flush()
        return row.id


def record_response(db, challenge_id: int, responder: str, response: str, source: str = "window") -> dict:
    """The answer given to a challenge; returns the old responder and response."""
    if not paragraph(response):
        raise UserError("The response is empty: write what was answered.")
    return update_challenge(db, challenge_id, {"responder": responder, "response": response}, source)


def update_challenge(db, challenge_id: int, changes: dict, source: str = "window") -> dict:
    check_fields(changes, CHALLENGE_FIELDS)
    if "challenge" in changes and not paragraph(changes["challenge"]):
        raise UserError("The challenge is empty: write what was asked.")
    with db.session(source) as s:
        return apply_changes(get(s, Challenge, challenge_id), changes,
                      lambda k, v: paragraph(v) if k in ("challenge", "response") else clean(v))


def delete_challenge(db, challenge_id: int, source: str = "window") -> None:
    with db.session(source) as s:
        s.delete(get(s, Challenge, challenge_id))
