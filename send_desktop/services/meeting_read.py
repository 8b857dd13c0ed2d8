"""Reading boards, meetings and their actions: plain rows through sqlite3 (`db.reading()`).

No SQLAlchemy and no ORM objects, so the Meetings area, the tracker and the exports read fast:
the tracker over ten years of three boards (5,000 actions) is one query with the latest update
picked by a correlated sub-query on the update table's action index (bench/bench_meetings.py).

Matters arising are never stored. They are read here as every action of the same board's
earlier meetings that is still open or in progress, so closing an action anywhere (the
tracker, a later meeting, an imported action log) closes it everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from send_desktop.errors import UserError

MEETING_STATUSES = ("planned", "held", "minutes approved")
ATTENDANCE_KINDS = ("present", "apologies", "deputising", "in attendance")
ACTION_STATUSES = ("open", "in progress", "closed", "superseded")
#: Statuses that keep an action on the books: carried forward and liable to be overdue.
OUTSTANDING = ("open", "in progress")
FORWARD_KINDS = ("report", "deep dive", "update", "decision")
FORWARD_STATUSES = ("requested", "scheduled", "done", "dropped")
#: Link kinds as people read them, with the column each is stored in.
LINK_KINDS = {"plan action": "plan_action_id", "priority": "priority_id", "risk": "risk_id", "kpi": "kpi_id"}
LINK_LABELS = {"plan action": "Plan action", "priority": "Priority", "risk": "Risk", "kpi": "KPI"}


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A status or kind typed in any case and spacing ("In Progress", "in-progress"), or a
    UserError listing the choices."""
    key = " ".join(str(value or "").replace("-", " ").replace("_", " ").casefold().split())
    if key in allowed:
        return key
    article = "an" if what[:1] in "aeiou" else "a"
    raise UserError(f"'{value}' is not {article} {what}; choose one of: {', '.join(allowed)}.")


def is_overdue(due: dt.date | None, status: str, today: dt.date) -> bool:
    """Due date passed (the due day itself still counts as in time) and still outstanding."""
    return due is not None and due < today and status in OUTSTANDING


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _datetime(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (text or "").split("\n") if line.strip())


class MemberRow(NamedTuple):
    id: int
    uid: str
    board_id: int
    name: str
    role: str
    organisation: str
    position: int


class BoardRow(NamedTuple):
    id: int
    uid: str
    name: str
    position: int
    members: tuple[MemberRow, ...]


class MeetingRow(NamedTuple):
    id: int
    uid: str
    board_id: int
    board: str
    starts_at: dt.datetime
    place: str
    online: bool
    chair: str
    status: str
    actions: int       # raised at this meeting
    outstanding: int   # of those, still open or in progress


class AttendanceRow(NamedTuple):
    id: int
    uid: str
    name: str
    role: str
    organisation: str
    kind: str
    deputising_for: str
    position: int


class LinkRow(NamedTuple):
    id: int
    kind: str       # a key of LINK_KINDS
    target_id: int
    target_uid: str
    ref: str
    title: str

    @property
    def label(self) -> str:
        return f"{LINK_LABELS[self.kind]} {self.ref}"


class ChallengeRow(NamedTuple):
    id: int
    uid: str
    agenda_item_id: int
    position: int
    challenger: str
    challenge: str
    responder: str
    response: str


class AgendaRow(NamedTuple):
    id: int
    uid: str
    position: int
    title: str
    presenter: str
    papers: tuple[str, ...]
    standing: bool
    notes: str
    decisions: tuple[str, ...]
    links: list[LinkRow]
    challenges: list[ChallengeRow]


class UpdateRow(NamedTuple):
    id: int
    uid: str
    action_id: int
    date: dt.date
    text: str
    author: str


class ActionRow(NamedTuple):
    """One meeting action as the tracker and the workspace show it (a flat tuple)."""

    id: int
    uid: str
    meeting_id: int
    meeting_uid: str
    board_id: int
    board: str
    meeting_date: dt.date
    number: int
    agenda_item_id: int | None
    text: str
    owner: str
    due_date: dt.date | None
    status: str
    overdue: bool
    updated_on: dt.date | None   # the latest update's date
    latest_update: str           # and its text


class ForwardRow(NamedTuple):
    id: int
    uid: str
    board_id: int
    title: str
    kind: str
    owner: str
    requested_at_id: int | None
    for_meeting_id: int | None
    for_month: str
    status: str


class MeetingSnapshot(NamedTuple):
    meeting: MeetingRow
    attendance: list[AttendanceRow]
    agenda: list[AgendaRow]
    actions: list[ActionRow]            # raised at this meeting, by number
    matters_arising: list[ActionRow]    # outstanding from the board's earlier meetings
    members: tuple[MemberRow, ...]
    forward_plan: list[ForwardRow]      # items for this meeting or its month
    today: dt.date


_MEETING_SQL = (
    "SELECT m.id, m.uid, m.board_id, b.name, m.starts_at, m.place, m.online, m.chair, m.status, "
    "(SELECT count(*) FROM meeting_action a WHERE a.meeting_id = m.id), "
    "(SELECT count(*) FROM meeting_action a WHERE a.meeting_id = m.id AND a.status IN ('open', 'in progress')) "
    "FROM meeting m JOIN board b ON b.id = m.board_id ")

# The latest update, by date then id, packed as date (10) + zero-padded id (12) + text so one
# max() per action finds it: a third faster than ORDER BY ... LIMIT 1, which sorts each action's
# updates in a temporary b-tree (bench/bench_meetings.py).
_ACTION_SQL = (
    "SELECT a.id, a.uid, a.meeting_id, m.uid, m.board_id, b.name, m.starts_at, a.number, a.agenda_item_id, "
    "a.text, a.owner, a.due_date, a.status, "
    "(SELECT max(u.date || printf('%012d', u.id) || u.text) FROM meeting_action_update u WHERE u.action_id = a.id) "
    "FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id JOIN board b ON b.id = m.board_id ")


def _meeting(r) -> MeetingRow:
    return MeetingRow(r[0], r[1], r[2], r[3], _datetime(r[4]), r[5], bool(r[6]), r[7], r[8], r[9], r[10])


def _action(r, today: dt.date) -> ActionRow:
    due, latest = _date(r[11]), r[13]
    return ActionRow(r[0], r[1], r[2], r[3], r[4], r[5], _date(r[6]), r[7], r[8], r[9], r[10], due, r[12],
                     is_overdue(due, r[12], today), _date(latest[:10]) if latest else None, latest[22:] if latest else "")


def list_boards(db) -> list[BoardRow]:
    with db.reading() as con:
        members: dict[int, list[MemberRow]] = {}
        for r in con.execute("SELECT id, uid, board_id, name, role, organisation, position FROM board_member "
                             "ORDER BY board_id, position, id"):
            members.setdefault(r[2], []).append(MemberRow(*r))
        return [BoardRow(r[0], r[1], r[2], r[3], tuple(members.get(r[0], ())))
                for r in con.execute("SELECT id, uid, name, position FROM board ORDER BY position, id")]


def list_meetings(db, board_id: int | None = None) -> list[MeetingRow]:
    """Meetings newest first (the next one planned at the top), optionally of one board."""
    where, params = ("WHERE m.board_id = ? ", (board_id,)) if board_id is not None else ("", ())
    with db.reading() as con:
        rows = con.execute(_MEETING_SQL + where + "ORDER BY m.starts_at DESC, b.position, m.id", params).fetchall()
    return [_meeting(r) for r in rows]


def tracker(db, *, owner: str = "", statuses: tuple[str, ...] | None = None, overdue_only: bool = False,
            board_id: int | None = None, meeting_id: int | None = None, today: dt.date | None = None) -> list[ActionRow]:
    """Actions across every meeting, oldest meeting first and by number within it.

    `owner` matches any part of the owner's name, ignoring case; `statuses` keeps those statuses
    (None keeps all); `overdue_only` keeps outstanding actions whose due date has passed.
    """
    today = today or dt.date.today()
    where, params = [], []
    if owner.strip():
        where.append("a.owner LIKE ? ESCAPE '\\'")
        escaped = owner.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if statuses is not None:
        where.append(f"a.status IN ({', '.join('?' * len(statuses))})" if statuses else "0")
        params.extend(statuses)
    if overdue_only:
        where.append("a.status IN ('open', 'in progress') AND a.due_date < ?")
        params.append(today.isoformat())
    if board_id is not None:
        where.append("m.board_id = ?")
        params.append(board_id)
    if meeting_id is not None:
        where.append("a.meeting_id = ?")
        params.append(meeting_id)
    sql = _ACTION_SQL + (f"WHERE {' AND '.join(where)} " if where else "") + "ORDER BY m.starts_at, b.position, a.number"
    with db.reading() as con:
        rows = con.execute(sql, params).fetchall()
    return [_action(r, today) for r in rows]


def matters_arising(db, meeting_id: int, today: dt.date | None = None) -> list[ActionRow]:
    """The outstanding actions of the same board's earlier meetings, oldest first."""
    today = today or dt.date.today()
    with db.reading() as con:
        rows = con.execute(
            _ACTION_SQL + "JOIN meeting this ON this.id = ? "
            "WHERE m.board_id = this.board_id AND m.starts_at < this.starts_at "
            "AND a.status IN ('open', 'in progress') ORDER BY m.starts_at, a.number", (meeting_id,)).fetchall()
    return [_action(r, today) for r in rows]


def action_updates(db, action_id: int) -> list[UpdateRow]:
    with db.reading() as con:
        return [UpdateRow(r[0], r[1], r[2], _date(r[3]), r[4], r[5]) for r in con.execute(
            "SELECT id, uid, action_id, date, text, author FROM meeting_action_update WHERE action_id = ? "
            "ORDER BY date, id", (action_id,))]


def all_updates(con) -> dict[int, list[UpdateRow]]:
    """Every action's updates, oldest first (for exports and dumps, inside one read)."""
    out: dict[int, list[UpdateRow]] = {}
    for r in con.execute("SELECT id, uid, action_id, date, text, author FROM meeting_action_update "
                         "ORDER BY action_id, date, id"):
        out.setdefault(r[2], []).append(UpdateRow(r[0], r[1], r[2], _date(r[3]), r[4], r[5]))
    return out


#: The table and title column of each kind of linked record.
_TARGETS = {"plan action": ("action", "text"), "priority": ("priority", "statement"), "risk": ("risk", "title"),
            "kpi": ("kpi", "measure")}


def _link_sql(table: str, owner_col: str, kinds: tuple[str, ...]) -> str:
    """One row per link, naming the linked record whichever of its columns is set."""
    case = " ".join(f"WHEN l.{LINK_KINDS[k]} IS NOT NULL THEN '{k}'" for k in kinds)
    joins = " ".join(f"LEFT JOIN {_TARGETS[k][0]} t{i} ON t{i}.id = l.{LINK_KINDS[k]}" for i, k in enumerate(kinds))

    def pick(column):
        return "coalesce(" + ", ".join(f"t{i}.{column(k)}" for i, k in enumerate(kinds)) + ")"

    return (f"SELECT l.id, l.{owner_col}, CASE {case} END, {pick(lambda k: 'id')}, {pick(lambda k: 'uid')}, "
            f"{pick(lambda k: 'ref')}, {pick(lambda k: _TARGETS[k][1])} FROM {table} l {joins} ")


ACTION_LINK_KINDS = ("plan action", "risk", "kpi")
AGENDA_LINK_KINDS = ("priority", "risk", "kpi")


def action_links(con, action_ids=None) -> dict[int, list[LinkRow]]:
    """Links of meeting actions (all, or those ids), in the order they were made."""
    sql = _link_sql("meeting_action_link", "action_id", ACTION_LINK_KINDS)
    params: tuple = ()
    if action_ids is not None:
        ids = list(action_ids)
        sql += f"WHERE l.action_id IN ({', '.join('?' * len(ids))}) " if ids else "WHERE 0 "
        params = tuple(ids)
    out: dict[int, list[LinkRow]] = {}
    for r in con.execute(sql + "ORDER BY l.action_id, l.id", params):
        out.setdefault(r[1], []).append(LinkRow(r[0], r[2], r[3], r[4], r[5] or "", r[6] or ""))
    return out


def agenda_links(con, meeting_id: int) -> dict[int, list[LinkRow]]:
    out: dict[int, list[LinkRow]] = {}
    sql = _link_sql("agenda_link", "agenda_item_id", AGENDA_LINK_KINDS) + (
        "JOIN agenda_item ai ON ai.id = l.agenda_item_id WHERE ai.meeting_id = ? ORDER BY l.agenda_item_id, l.id")
    for r in con.execute(sql, (meeting_id,)):
        out.setdefault(r[1], []).append(LinkRow(r[0], r[2], r[3], r[4], r[5] or "", r[6] or ""))
    return out


def link_targets(db) -> dict[str, list[tuple[int, str, str, str]]]:
    """What an action or agenda item can be linked to: kind -> [(id, uid, ref, title)], in
    plan or register order. Risks and KPIs are empty lists in a file without them."""
    with db.reading() as con:
        return {
            "plan action": con.execute("SELECT a.id, a.uid, a.ref, a.text FROM action a JOIN outcome o ON "
                                       "o.id = a.outcome_id JOIN priority p ON p.id = o.priority_id "
                                       "ORDER BY p.position, o.position, a.position, a.id").fetchall(),
            "priority": con.execute("SELECT id, uid, ref, statement FROM priority ORDER BY position, id").fetchall(),
            "risk": con.execute("SELECT id, uid, ref, title FROM risk ORDER BY position, id").fetchall(),
            "kpi": con.execute("SELECT id, uid, ref, measure FROM kpi ORDER BY position, id").fetchall(),
        }


def _forward(r) -> ForwardRow:
    return ForwardRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])


_FORWARD_SQL = ("SELECT f.id, f.uid, f.board_id, f.title, f.kind, f.owner, f.requested_at_id, f.for_meeting_id, "
                "f.for_month, f.status FROM forward_plan_item f ")


def forward_plan(db, board_id: int | None = None) -> list[ForwardRow]:
    """Forward plan items in the order they fall due (by their meeting's month or the month
    asked for), those with neither last."""
    where, params = ("WHERE f.board_id = ? ", (board_id,)) if board_id is not None else ("", ())
    sql = (_FORWARD_SQL + "LEFT JOIN meeting m ON m.id = f.for_meeting_id " + where
           + "ORDER BY coalesce(substr(m.starts_at, 1, 7), nullif(f.for_month, ''), '9999'), f.id")
    with db.reading() as con:
        return [_forward(r) for r in con.execute(sql, params)]


def owner_names(db, board_id: int | None = None) -> list[str]:
    """Names to complete an owner or speaker from: the board's members first, then everyone
    who has owned an action, attended, challenged or responded, without repeats."""
    with db.reading() as con:
        members = [r[0] for r in con.execute(
            "SELECT name FROM board_member" + (" WHERE board_id = ?" if board_id is not None else "")
            + " ORDER BY position, id", (board_id,) if board_id is not None else ())]
        others = [r[0] for r in con.execute(
            "SELECT owner FROM meeting_action UNION SELECT name FROM attendance UNION SELECT challenger FROM challenge "
            "UNION SELECT responder FROM challenge")]
    seen, out = set(), []
    for name in members + sorted(others, key=str.casefold):
        key = " ".join((name or "").split()).casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(" ".join(name.split()))
    return out


def load_meeting(db, meeting_id: int, today: dt.date | None = None) -> MeetingSnapshot:
    """One meeting whole: attendance, agenda with minutes, its actions and the matters arising."""
    today = today or dt.date.today()
    with db.reading() as con:
        row = con.execute(_MEETING_SQL + "WHERE m.id = ?", (meeting_id,)).fetchone()
        if row is None:
            raise UserError("That meeting no longer exists.")
        meeting = _meeting(row)
        attendance = [AttendanceRow(*r) for r in con.execute(
            "SELECT id, uid, name, role, organisation, kind, deputising_for, position FROM attendance "
            "WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))]
        challenges: dict[int, list[ChallengeRow]] = {}
        for r in con.execute("SELECT c.id, c.uid, c.agenda_item_id, c.position, c.challenger, c.challenge, "
                             "c.responder, c.response FROM challenge c JOIN agenda_item ai ON ai.id = c.agenda_item_id "
                             "WHERE ai.meeting_id = ? ORDER BY c.position, c.id", (meeting_id,)):
            challenges.setdefault(r[2], []).append(ChallengeRow(*r))
        links = agenda_links(con, meeting_id)
        agenda = [AgendaRow(r[0], r[1], r[2], r[3], r[4], _lines(r[5]), bool(r[6]), r[7], _lines(r[8]),
                            links.get(r[0], []), challenges.get(r[0], []))
                  for r in con.execute("SELECT id, uid, position, title, presenter, papers, standing, notes, decisions "
                                       "FROM agenda_item WHERE meeting_id = ? ORDER BY position, id", (meeting_id,))]
        members = tuple(MemberRow(*r) for r in con.execute(
            "SELECT id, uid, board_id, name, role, organisation, position FROM board_member WHERE board_id = ? "
            "ORDER BY position, id", (meeting.board_id,)))
        month = meeting.starts_at.strftime("%Y-%m")
        forward = [_forward(r) for r in con.execute(
            _FORWARD_SQL + "WHERE f.board_id = ? AND (f.for_meeting_id = ? OR (f.for_meeting_id IS NULL AND "
            "f.for_month = ?)) ORDER BY f.id", (meeting.board_id, meeting_id, month))]
    return MeetingSnapshot(meeting, attendance, agenda, tracker(db, meeting_id=meeting_id, today=today),
                           matters_arising(db, meeting_id, today), members, forward, today)
