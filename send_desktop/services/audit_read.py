"""Reading audits with plain sqlite3: the list (ids first, rows a page at a time) and one audit whole.

The audit list may hold 100,000 audits, so `audit_ids` returns only the ids in the order and
filter asked for (one indexed query), and `audit_rows` fetches the columns for the few hundred a
view is showing. `load_audit` reads one audit with its moderation and improvement actions.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

LIST_COLUMNS = ("plan_ref", "audit_date", "team", "plan_type", "auditor", "agency", "status", "score",
                "grade", "reported_grade")
#: What the list can be sorted by (a column name), each with a tie-breaker so pages are stable.
SORTABLE = frozenset(LIST_COLUMNS)
FILTERABLE = ("status", "team", "auditor", "agency", "plan_type", "reported_grade", "month", "framework_id")


class AuditListRow(NamedTuple):
    id: int
    plan_ref: str
    audit_date: dt.date
    team: str
    plan_type: str
    auditor: str
    agency: str
    status: str
    score: float | None
    grade: str
    reported_grade: str
    blinded: bool = False  # the viewer is this audit's blind moderator: score and grades withheld


#: Audits whose blind moderation by the viewer (`?`) is not yet complete: until it is, the
#: moderator must not see the first auditor's score or grade, in the list, its sort or its filters.
_BLINDED = ("SELECT audit_id FROM moderation WHERE blind=1 AND status<>'complete' "
            "AND moderator=? COLLATE NOCASE")
#: Columns that would tell a blind moderator the first auditor's result.
GRADED_COLUMNS = frozenset({"score", "grade", "reported_grade"})


class ActionRecord(NamedTuple):
    id: int
    criterion_id: str
    section_code: str
    text: str
    owner_type: str
    due_date: dt.date | None
    status: str
    edited: bool


class ModerationRecord(NamedTuple):
    id: int
    moderator: str
    moderation_date: dt.date
    blind: bool
    status: str
    ratings: dict
    na_reasons: dict
    comments: dict
    no_needs: list
    critical_concern: bool
    notes: str
    score: float | None
    grade: str
    section_results: dict


class AuditRecord(NamedTuple):
    id: int
    uid: str
    framework_id: int
    plan_ref: str
    plan_type: str
    plan_issue_date: dt.date | None
    team: str
    key_stage: str
    primary_need: str
    setting_type: str
    auditor: str
    agency: str
    audit_date: dt.date
    status: str
    ratings: dict
    na_reasons: dict
    comments: dict
    no_needs: list
    critical_concern: bool
    notes: str
    score: float | None
    banded_grade: str
    grade: str
    caps: list
    section_results: dict
    unmet: list
    reported_grade: str
    actions: list[ActionRecord]
    moderation: ModerationRecord | None


def _date(text):
    return dt.date.fromisoformat(text[:10]) if text else None


def _where(filters: dict | None, search: str = "") -> tuple[str, list]:
    clauses, params = [], []
    for key, value in (filters or {}).items():
        if key not in FILTERABLE:
            raise ValueError(f"cannot filter audits by {key!r}")
        if value is None or value == "":
            continue
        clauses.append(f"{key}=?")
        params.append(value)
    if search.strip():
        clauses.append("(plan_ref LIKE ? ESCAPE '\\' OR auditor LIKE ? ESCAPE '\\' OR team LIKE ? ESCAPE '\\')")
        needle = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [needle, needle, needle]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def audit_ids(db, filters: dict | None = None, search: str = "", order_by: str = "audit_date",
              descending: bool = True, date_from: dt.date | None = None, date_to: dt.date | None = None,
              viewer: str | None = None) -> list[int]:
    """Ids of the audits that match, in order (newest first by default).

    `viewer` (the person looking, normally `db.user`): the audits they are blind-moderating and have
    not finished are left out of a filter on the grade and sorted after the others when the order is
    by score or grade, so neither tells them the first auditor's result."""
    if order_by not in SORTABLE:
        raise ValueError(f"cannot sort audits by {order_by!r}")
    where, params = _where(filters, search)
    for op, day in ((">=", date_from), ("<=", date_to)):
        if day is not None:
            where += (" AND " if where else " WHERE ") + f"audit_date {op} ?"
            params.append(day.isoformat())
    direction = "DESC" if descending else "ASC"
    order = f"{order_by} {direction}, id {direction}"
    if viewer and (order_by in GRADED_COLUMNS or (filters or {}).get("reported_grade")):
        if (filters or {}).get("reported_grade"):
            where += (" AND " if where else " WHERE ") + f"id NOT IN ({_BLINDED})"
            params.append(viewer.strip())
        if order_by in GRADED_COLUMNS:
            order = f"id IN ({_BLINDED}), {order}"
            params.append(viewer.strip())
    sql = f"SELECT id FROM audit{where} ORDER BY {order}"
    with db.reading() as con:
        return [r[0] for r in con.execute(sql, params)]


def audit_rows(db, ids: list[int], viewer: str | None = None) -> dict[int, AuditListRow]:
    """The list columns of these audits, by id. For the audits `viewer` is blind-moderating and has
    not finished, the score and grades are withheld (None and "") and the row says `blinded`."""
    out: dict[int, AuditListRow] = {}
    with db.reading() as con:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            blinded = {r[0] for r in con.execute(f"{_BLINDED} AND audit_id IN ({marks})",
                                                 [viewer.strip(), *chunk])} if viewer else set()
            for r in con.execute(f"SELECT id, {', '.join(LIST_COLUMNS)} FROM audit WHERE id IN ({marks})", chunk):
                if r[0] in blinded:
                    out[r[0]] = AuditListRow(r[0], r[1], _date(r[2]), r[3], r[4], r[5], r[6], r[7], None, "", "", True)
                else:
                    out[r[0]] = AuditListRow(r[0], r[1], _date(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
    return out


def distinct_values(db, column: str) -> list[str]:
    """The values a filter can offer (teams, auditors ...), sorted."""
    if column not in FILTERABLE:
        raise ValueError(f"cannot list audit values of {column!r}")
    with db.reading() as con:
        return [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM audit WHERE {column} != '' "
                                          f"ORDER BY {column} COLLATE NOCASE")]


_AUDIT_COLUMNS = ("id", "uid", "framework_id", "plan_ref", "plan_type", "plan_issue_date", "team", "key_stage",
                  "primary_need", "setting_type", "auditor", "agency", "audit_date", "status", "ratings",
                  "na_reasons", "comments", "no_needs", "critical_concern", "notes", "score", "banded_grade", "grade",
                  "caps", "section_results", "unmet", "reported_grade")
_JSON = {"ratings", "na_reasons", "comments", "no_needs", "caps", "section_results", "unmet"}
_DATES = {"plan_issue_date", "audit_date"}


def load_audit(db, audit_id: int) -> AuditRecord | None:
    with db.reading() as con:
        row = con.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit WHERE id=?", (audit_id,)).fetchone()
        if row is None:
            return None
        values = {}
        for key, value in zip(_AUDIT_COLUMNS, row):
            if key in _JSON:
                value = json.loads(value) if value else ({} if key in ("ratings", "na_reasons", "comments",
                                                                       "section_results") else [])
            elif key in _DATES:
                value = _date(value)
            elif key == "critical_concern":
                value = bool(value)
            values[key] = value
        actions = [ActionRecord(r[0], r[1], r[2], r[3], r[4], _date(r[5]), r[6], bool(r[7])) for r in con.execute(
            "SELECT id, criterion_id, section_code, text, owner_type, due_date, status, edited FROM audit_action "
            "WHERE audit_id=? ORDER BY id", (audit_id,))]
        m = con.execute("SELECT id, moderator, moderation_date, blind, status, ratings, na_reasons, comments, "
                        "no_needs, critical_concern, notes, score, grade, section_results FROM moderation "
                        "WHERE audit_id=?", (audit_id,)).fetchone()
    moderation = None
    if m is not None:
        moderation = ModerationRecord(m[0], m[1], _date(m[2]), bool(m[3]), m[4], json.loads(m[5]), json.loads(m[6]),
                                      json.loads(m[7]), json.loads(m[8]), bool(m[9]), m[10], m[11], m[12],
                                      json.loads(m[13]))
    return AuditRecord(**values, actions=actions, moderation=moderation)
