"""Reading the risk register: one snapshot of plain rows with every derived figure worked out.

Like `plan_read`, this uses the standard library's sqlite3 through `db.reading()` (no ORM
objects), so a register of 1,000 risks with 24 reviews each loads in tens of milliseconds.
Scores, bands, trend and the flags (above appetite, for the board, review overdue) are never
stored: they are derived here from likelihood, impact, the matrix, the category's appetite and
the date, so every reader (window, workbook, dump) sees the same answer.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from send_desktop.core import risk_matrix as rm
from send_desktop.core.risk_matrix import Band, RiskMatrix


class AssessmentRow(NamedTuple):
    id: int
    uid: str
    date: dt.date
    likelihood: int
    impact: int
    score: int
    note: str
    assessor: str


class MitigationRow(NamedTuple):
    id: int
    uid: str
    text: str
    owner: str
    due_date: dt.date | None
    status: str
    position: int


class CategoryRow(NamedTuple):
    id: int
    uid: str
    name: str
    appetite: int | None
    position: int


class LinkTarget(NamedTuple):
    """A plan priority or action a risk can be linked to."""

    id: int
    uid: str
    ref: str
    text: str


class RiskRow(NamedTuple):
    id: int
    uid: str
    ref: str
    title: str
    cause: str
    event: str
    effect: str
    category_id: int | None
    category: str
    appetite: int | None
    owner: str
    controls: str
    assurance: str
    gaps_in_control: str
    gaps_in_assurance: str
    inherent_likelihood: int
    inherent_impact: int
    inherent_score: int
    likelihood: int            # the current position (the latest assessment's)
    impact: int
    score: int
    band: Band
    target_likelihood: int
    target_impact: int
    target_score: int
    target_date: dt.date | None
    review_frequency: str
    next_review: dt.date | None
    status: str
    position: int
    priority_ids: tuple[int, ...]
    action_ids: tuple[int, ...]
    priority_refs: tuple[str, ...]
    action_refs: tuple[str, ...]
    mitigations: list[MitigationRow]
    history: list[AssessmentRow]   # oldest first
    trend: str | None              # against the previous assessment
    above_appetite: bool
    for_board: bool                # escalated, or at or above the escalation threshold
    review_overdue: bool

    @property
    def previous(self) -> AssessmentRow | None:
        """The assessment before the latest: where the risk stood at the previous review."""
        return self.history[-2] if len(self.history) >= 2 else None

    @property
    def last_reviewed(self) -> dt.date | None:
        return self.history[-1].date if self.history else None

    def flags(self) -> tuple[str, ...]:
        out = []
        if self.for_board:
            out.append("For the board")
        if self.above_appetite:
            out.append("Above appetite")
        if self.review_overdue:
            out.append("Review overdue")
        return tuple(out)


class RiskRegister(NamedTuple):
    matrix: RiskMatrix
    matrix_stored: bool            # False: the file has none yet and the default applies
    categories: list[CategoryRow]
    risks: list[RiskRow]           # in register order
    priorities: list[LinkTarget]   # of the first plan, in plan order
    actions: list[LinkTarget]
    today: dt.date

    def risk(self, risk_id: int) -> RiskRow | None:
        return next((r for r in self.risks if r.id == risk_id), None)

    def owners(self) -> list[str]:
        return sorted({r.owner for r in self.risks if r.owner}, key=str.casefold)


class RiskFilter(NamedTuple):
    """What the window's filter bar (and the heat map) asks for; every set field must match."""

    text: str = ""
    category_id: int | None = None     # NO_CATEGORY: risks without one
    owner: str = ""
    band: str = ""                     # a band's name
    overdue_only: bool = False
    for_board_only: bool = False
    priority_id: int | None = None
    cell: tuple[int, int] | None = None  # (likelihood, impact) of the current position
    show_closed: bool = True

    def is_active(self) -> bool:
        return bool(self.text.strip() or self.category_id is not None or self.owner or self.band
                    or self.overdue_only or self.for_board_only or self.priority_id is not None
                    or self.cell is not None or not self.show_closed)

    def matches(self, r: RiskRow) -> bool:
        if not self.show_closed and r.status == "closed":
            return False
        if self.category_id is not None and (r.category_id or NO_CATEGORY) != self.category_id:
            return False
        if self.owner and r.owner.casefold() != self.owner.casefold():
            return False
        if self.band and r.band.name.casefold() != self.band.casefold():
            return False
        if self.overdue_only and not r.review_overdue:
            return False
        if self.for_board_only and not r.for_board:
            return False
        if self.priority_id is not None and self.priority_id not in r.priority_ids:
            return False
        if self.cell is not None and (r.likelihood, r.impact) != self.cell:
            return False
        needle = " ".join(self.text.split()).casefold()
        return not needle or needle in risk_words(r)


NO_CATEGORY = 0  # database ids start at 1


def risk_words(r: RiskRow) -> str:
    return "\n".join((r.ref, r.title, r.cause, r.event, r.effect, r.owner, r.category, r.controls,
                      *(m.text for m in r.mitigations))).casefold()


def filter_risks(register: RiskRegister, flt: RiskFilter) -> list[RiskRow]:
    return [r for r in register.risks if flt.matches(r)]


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def load_matrix_from(con) -> tuple[RiskMatrix, bool]:
    """The file's matrix and whether one is stored (the default when none is)."""
    row = con.execute("SELECT definition FROM risk_matrix ORDER BY id LIMIT 1").fetchone()
    if row is None:
        return rm.DEFAULT_MATRIX, False
    data = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return RiskMatrix.from_dict(data), True


def load_matrix(db) -> RiskMatrix:
    with db.reading() as con:
        return load_matrix_from(con)[0]


def _links(con):
    priorities = [LinkTarget(*r) for r in con.execute(
        "SELECT p.id, p.uid, p.ref, p.statement FROM priority p WHERE p.plan_id = "
        "(SELECT id FROM plan ORDER BY id LIMIT 1) ORDER BY p.position, p.id")]
    actions = [LinkTarget(*r) for r in con.execute(
        "SELECT a.id, a.uid, a.ref, a.text FROM action a JOIN outcome o ON o.id = a.outcome_id "
        "JOIN priority p ON p.id = o.priority_id ORDER BY p.position, o.position, a.position, a.id")]
    return priorities, actions


def load_register(db, today: dt.date | None = None) -> RiskRegister:
    """Every risk with its derived figures, mitigations and history; see the module docstring."""
    today = today or dt.date.today()
    with db.reading() as con:
        matrix, stored = load_matrix_from(con)
        categories = [CategoryRow(*r) for r in con.execute(
            "SELECT id, uid, name, appetite, position FROM risk_category ORDER BY position, name, id")]
        priorities, actions = _links(con)
        history: dict[int, list[AssessmentRow]] = {}
        days: dict[str, dt.date] = {}  # reviews fall on a few dates a month: parse each once
        for r in con.execute("SELECT id, uid, risk_id, date, likelihood, impact, note, assessor "
                             "FROM risk_assessment ORDER BY risk_id, date, id"):
            day = days.get(r[3])
            if day is None:
                day = days[r[3]] = _date(r[3])
            history.setdefault(r[2], []).append(AssessmentRow(r[0], r[1], day, r[4], r[5], r[4] * r[5], r[6], r[7]))
        mitigations: dict[int, list[MitigationRow]] = {}
        for r in con.execute("SELECT id, uid, risk_id, text, owner, due_date, status, position "
                             "FROM risk_mitigation ORDER BY risk_id, position, id"):
            mitigations.setdefault(r[2], []).append(MitigationRow(r[0], r[1], r[3], r[4], _date(r[5]), r[6], r[7]))
        risk_priorities: dict[int, list[int]] = {}
        for risk_id, priority_id in con.execute("SELECT risk_id, priority_id FROM risk_priority"):
            risk_priorities.setdefault(risk_id, []).append(priority_id)
        risk_actions: dict[int, list[int]] = {}
        for risk_id, action_id in con.execute("SELECT risk_id, action_id FROM risk_action"):
            risk_actions.setdefault(risk_id, []).append(action_id)
        rows = con.execute(
            "SELECT id, uid, ref, title, cause, event, effect, category_id, owner, controls, assurance, "
            "gaps_in_control, gaps_in_assurance, inherent_likelihood, inherent_impact, current_likelihood, "
            "current_impact, target_likelihood, target_impact, target_date, review_frequency, next_review, "
            "status, position FROM risk ORDER BY position, id").fetchall()

    cats = {c.id: c for c in categories}
    p_order = {p.id: i for i, p in enumerate(priorities)}
    a_order = {a.id: i for i, a in enumerate(actions)}
    p_ref = {p.id: p.ref for p in priorities}
    a_ref = {a.id: a.ref for a in actions}
    bands = {}  # score -> band: 25 lookups instead of one per risk and position
    for s in range(1, matrix.max_score + 1):
        try:
            bands[s] = matrix.band_for(s)
        except rm.RiskValueError:
            pass  # a score this matrix cannot produce
    risks = []
    for r in rows:
        cat = cats.get(r[7])
        appetite = cat.appetite if cat else None
        score = r[15] * r[16]
        hist = history.get(r[0], [])
        status = r[22]
        next_review = _date(r[21])
        pids = tuple(sorted(risk_priorities.get(r[0], ()), key=lambda i: p_order.get(i, 1 << 30)))
        aids = tuple(sorted(risk_actions.get(r[0], ()), key=lambda i: a_order.get(i, 1 << 30)))
        risks.append(RiskRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], cat.name if cat else "", appetite, r[8], r[9], r[10],
            r[11], r[12], r[13], r[14], r[13] * r[14], r[15], r[16], score, bands.get(score) or matrix.band_for(score),
            r[17], r[18], r[17] * r[18], _date(r[19]), r[20], next_review, status, r[23],
            pids, aids, tuple(p_ref.get(i, "") for i in pids), tuple(a_ref.get(i, "") for i in aids),
            mitigations.get(r[0], []), hist,
            rm.trend(hist[-2].score, hist[-1].score) if len(hist) >= 2 else None,
            rm.above_appetite(score, appetite, status), rm.for_board(score, status, matrix),
            rm.review_overdue(next_review, status, today),
        ))
    return RiskRegister(matrix, stored, categories, risks, priorities, actions, today)
