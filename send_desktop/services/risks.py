"""Changing the risk register. Each function is one unit of work in its own transaction.

As in `plan_edit`, functions return what the window needs to undo them (old values, or a
snapshot of what was deleted). Values are checked before anything is set, and a refused value
raises a `UserError` naming the field and the value; the session then rolls back, so bad input
never changes the file.

The current position is the latest assessment's: `reassess` adds a dated assessment and moves
the current likelihood and impact and the next review date with it, in one transaction.
Scores and bands are never written: `risk_read` derives them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from send_desktop.core import risk_matrix as rm
from send_desktop.core.risk_matrix import RiskMatrix, RiskValueError, next_risk_ref
from send_desktop.services.plan_edit import _columns, _get, _lines
from send_desktop.storage.models import (
    Action, Priority, Risk, RiskAssessment, RiskCategory, RiskMatrix as MatrixRecord, RiskMitigation,
)

TEXT_FIELDS = ("ref", "title", "cause", "event", "effect", "owner", "controls", "assurance",
               "gaps_in_control", "gaps_in_assurance")
LEVEL_FIELDS = ("inherent_likelihood", "inherent_impact", "target_likelihood", "target_impact")
DATE_FIELDS = ("target_date", "next_review")
RISK_FIELDS = TEXT_FIELDS + LEVEL_FIELDS + DATE_FIELDS + (
    "category", "review_frequency", "status", "priority_ids", "action_ids")
MITIGATION_FIELDS = ("text", "owner", "due_date", "status")
LINES_FIELDS = ("controls", "assurance")
LABELS = {"gaps_in_control": "gaps in control", "gaps_in_assurance": "gaps in assurance",
          "target_date": "target date", "next_review": "next review date", "due_date": "due date",
          "review_frequency": "review frequency"}


def _label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def as_date(value, field: str = "date") -> dt.date | None:
    """A date given as a date, ISO text or dd/mm/yyyy; a clear message naming the field otherwise."""
    from send_desktop.xlsx.layout import CellError, date as read_date  # the one forgiving date reader

    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return read_date(value)
    except CellError as exc:
        raise RiskValueError(f"{_label(field).capitalize()}: {exc}.") from None


def matrix_of(session) -> RiskMatrix:
    record = session.scalars(select(MatrixRecord).order_by(MatrixRecord.id).limit(1)).first()
    return RiskMatrix.from_dict(record.definition) if record is not None else rm.DEFAULT_MATRIX


def clean_value(matrix: RiskMatrix, field: str, value):
    """One risk field checked and tidied, or `RiskValueError` naming the field and the value."""
    if field in LEVEL_FIELDS:
        kind = "likelihood" if field.endswith("likelihood") else "impact"
        try:
            return matrix.check(kind, value)
        except RiskValueError as exc:
            position = field.split("_")[0]
            raise RiskValueError(exc.message.replace(f"The {kind}", f"The {position} {kind}", 1)) from None
    if field in DATE_FIELDS:
        return as_date(value, field)
    if field == "review_frequency":
        return rm.normalise_frequency(value)
    if field == "status":
        return rm.normalise_status(value)
    if field in ("priority_ids", "action_ids"):
        return sorted({int(v) for v in value or ()})
    if field == "category":
        return " ".join(str(value or "").split())
    if field in LINES_FIELDS:
        return _lines(value)
    text = str(value if value is not None else "").replace("\r\n", "\n").strip()
    if field in ("ref", "title") and not text:
        raise RiskValueError("A risk needs a title." if field == "title" else "A risk needs a reference, such as R07.")
    return " ".join(text.split()) if field in ("ref", "owner") else text


def check_changes(matrix: RiskMatrix, changes: dict) -> dict:
    unknown = set(changes) - set(RISK_FIELDS)
    if unknown:
        raise ValueError(f"unknown risk fields: {sorted(unknown)}")
    return {k: clean_value(matrix, k, v) for k, v in changes.items()}


# -- categories and the matrix ----------------------------------------------------------------

def category_by_name(session, name: str, create: bool = True, appetite: int | None = None) -> RiskCategory | None:
    """The category with this name (ignoring case and spacing), created at the end when new."""
    clean = " ".join(str(name or "").split())
    if not clean:
        return None
    found = session.scalars(select(RiskCategory).where(func.lower(RiskCategory.name) == clean.lower())).first()
    if found is None and create:
        top = session.scalar(select(func.max(RiskCategory.position)))
        found = RiskCategory(name=clean, appetite=appetite, position=(top if top is not None else -1) + 1)
        session.add(found)
        session.flush()
    return found


def add_category(db, name: str, appetite=None, source: str = "window") -> int:
    with db.session(source) as s:
        level = matrix_of(s).check_appetite(appetite)
        if not " ".join(str(name or "").split()):
            raise RiskValueError("A category needs a name.")
        if category_by_name(s, name, create=False) is not None:
            raise RiskValueError(f"There is already a category called '{' '.join(name.split())}'.")
        return category_by_name(s, name, appetite=level).id


def update_category(db, category_id: int, changes: dict, source: str = "window") -> dict:
    unknown = set(changes) - {"name", "appetite"}
    if unknown:
        raise ValueError(f"unknown category fields: {sorted(unknown)}")
    with db.session(source) as s:
        cat = _get(s, RiskCategory, category_id)
        old = {k: getattr(cat, k) for k in changes}
        if "appetite" in changes:
            cat.appetite = matrix_of(s).check_appetite(changes["appetite"])
        if "name" in changes:
            name = " ".join(str(changes["name"] or "").split())
            other = category_by_name(s, name, create=False)
            if not name or (other is not None and other.id != cat.id):
                raise RiskValueError(f"Category names must be given and differ from each other ('{name}').")
            cat.name = name
        return old


def delete_category(db, category_id: int, source: str = "window") -> dict:
    """Delete a category; its risks are left without one (set here, so the change log says so)."""
    with db.session(source) as s:
        cat = _get(s, RiskCategory, category_id)
        risks = list(s.scalars(select(Risk).where(Risk.category_id == category_id)))
        for risk in risks:
            risk.category_id = None
        s.flush()
        snap = {"values": _columns(cat), "risk_ids": [r.id for r in risks]}
        s.delete(cat)
        return snap


def restore_category(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        s.add(RiskCategory(**snap["values"]))
        s.flush()
        for risk_id in snap["risk_ids"]:
            risk = s.get(Risk, risk_id)
            if risk is not None:
                risk.category_id = snap["values"]["id"]


def save_matrix_in(session, definition) -> dict | None:
    """Store the file's matrix inside an open session; returns the old definition (None: the
    default applied). Refused when a risk uses a level the new matrix does not have."""
    matrix = definition if isinstance(definition, RiskMatrix) else RiskMatrix.from_dict(definition)
    for risk in session.scalars(select(Risk)):
        for kind, top in (("likelihood", matrix.max_likelihood), ("impact", matrix.max_impact)):
            used = max(getattr(risk, f"{p}_{kind}") for p in ("inherent", "current", "target"))
            if used > top:
                raise RiskValueError(f"Risk {risk.ref} uses {kind} {used}, beyond the new matrix's {top} levels; "
                                     "re-assess it first.")
    record = session.scalars(select(MatrixRecord).order_by(MatrixRecord.id).limit(1)).first()
    old = dict(record.definition) if record is not None else None
    if record is None:
        session.add(MatrixRecord(definition=matrix.to_dict()))
    elif record.definition != matrix.to_dict():
        record.definition = matrix.to_dict()
    return old


def save_matrix(db, definition, source: str = "window") -> dict | None:
    with db.session(source) as s:
        return save_matrix_in(s, definition)


# -- risks ------------------------------------------------------------------------------------

def _set_links(session, risk: Risk, field: str, ids) -> None:
    model = Priority if field == "priority_ids" else Action
    objs = [_get(session, model, i) for i in ids]
    if field == "priority_ids":
        risk.priorities = objs
    else:
        risk.actions = objs


def risk_values(risk: Risk, session) -> dict:
    cat = session.get(RiskCategory, risk.category_id) if risk.category_id else None
    out = {k: getattr(risk, k) for k in TEXT_FIELDS + LEVEL_FIELDS + DATE_FIELDS + ("review_frequency", "status")}
    out.update(category=cat.name if cat else "", priority_ids=sorted(p.id for p in risk.priorities),
               action_ids=sorted(a.id for a in risk.actions))
    return out


def apply_risk_changes(session, risk: Risk, clean: dict) -> dict:
    """Set already-checked fields on a risk in an open session; returns their old values."""
    old = {k: v for k, v in risk_values(risk, session).items() if k in clean}
    for key, value in clean.items():
        if key == "category":
            cat = category_by_name(session, value)
            risk.category_id = cat.id if cat else None
        elif key in ("priority_ids", "action_ids"):
            _set_links(session, risk, key, value)
        elif getattr(risk, key) != value:
            setattr(risk, key, value)
    return old


def create_risk(db, *, title: str, ref: str | None = None, category: str = "", owner: str = "",
                likelihood=3, impact=3, inherent: tuple | None = None, target: tuple | None = None,
                assessed_on: dt.date | None = None, note: str = "", source: str = "window", **fields) -> int:
    """A new risk at the end of the register, its current position recorded as its first
    assessment (dated `assessed_on`, today by default). Inherent and target default to the
    current position; other fields (cause, controls, target_date, ...) may be given by name."""
    with db.session(source) as s:
        matrix = matrix_of(s)
        lvl = (matrix.check("likelihood", likelihood), matrix.check("impact", impact))
        inherent, target = inherent or lvl, target or lvl
        refs = s.scalars(select(Risk.ref)).all()
        values = {"title": title, "ref": ref or next_risk_ref(refs), "category": category, "owner": owner,
                  "inherent_likelihood": inherent[0], "inherent_impact": inherent[1],
                  "target_likelihood": target[0], "target_impact": target[1], **fields}
        clean = check_changes(matrix, values)
        day = as_date(assessed_on, "assessment date") or dt.date.today()
        frequency = clean.pop("review_frequency", "monthly")
        cat = category_by_name(s, clean.pop("category", ""))
        links = {k: [_get(s, Priority if k == "priority_ids" else Action, i) for i in clean.pop(k, [])]
                 for k in ("priority_ids", "action_ids")}
        top = s.scalar(select(func.max(Risk.position)))
        # Built whole before the first flush, so the change log records one insert, not an
        # insert followed by updates.
        values = {**{k: "" for k in TEXT_FIELDS}, "status": "open", **clean}
        risk = Risk(**values, category_id=cat.id if cat else None, current_likelihood=lvl[0],
                    current_impact=lvl[1], review_frequency=frequency, position=(top if top is not None else -1) + 1,
                    priorities=links["priority_ids"], actions=links["action_ids"])
        if risk.next_review is None:
            risk.next_review = rm.next_review_date(day, frequency)
        risk.assessments.append(RiskAssessment(date=day, likelihood=lvl[0], impact=lvl[1], note=note.strip(),
                                               assessor=db.user))
        s.add(risk)
        s.flush()
        return risk.id


def update_risk(db, risk_id: int, changes: dict, source: str = "window") -> dict:
    """Change a risk's fields (not its current position: use `reassess`); returns the old values."""
    with db.session(source) as s:
        risk = _get(s, Risk, risk_id)
        return apply_risk_changes(s, risk, check_changes(matrix_of(s), changes))


def delete_risk(db, risk_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        risk = _get(s, Risk, risk_id)
        snap = {"values": _columns(risk), "priority_ids": [p.id for p in risk.priorities],
                "action_ids": [a.id for a in risk.actions],
                "mitigations": [_columns(m) for m in risk.mitigations],
                "assessments": [_columns(a) for a in risk.assessments]}
        s.delete(risk)
        return snap


def restore_risk(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        risk = Risk(**snap["values"])
        s.add(risk)
        s.flush()
        risk.priorities = [p for p in (s.get(Priority, i) for i in snap["priority_ids"]) if p is not None]
        risk.actions = [a for a in (s.get(Action, i) for i in snap["action_ids"]) if a is not None]
        s.add_all(RiskMitigation(**m) for m in snap["mitigations"])
        s.add_all(RiskAssessment(**a) for a in snap["assessments"])


# -- assessments ------------------------------------------------------------------------------

def _latest(session, risk_id: int) -> RiskAssessment | None:
    return session.scalars(select(RiskAssessment).where(RiskAssessment.risk_id == risk_id)
                           .order_by(RiskAssessment.date.desc(), RiskAssessment.id.desc()).limit(1)).first()


def sync_current(session, risk: Risk) -> None:
    """Make the current position the latest assessment's (kept as it is when there is none)."""
    session.flush()
    latest = _latest(session, risk.id)
    if latest is not None:
        if risk.current_likelihood != latest.likelihood:
            risk.current_likelihood = latest.likelihood
        if risk.current_impact != latest.impact:
            risk.current_impact = latest.impact


def reassess(db, risk_id: int, date, likelihood, impact, note: str = "", assessor: str = "",
             source: str = "window", today: dt.date | None = None) -> dict:
    """Record a dated review. The current position and next review follow the latest review;
    returns {"assessment_id", "old": {current_likelihood, current_impact, next_review}} for undo."""
    day = as_date(date, "assessment date")
    if day is None:
        raise RiskValueError("A re-assessment needs the date it was made.")
    if day > (today or dt.date.today()):
        raise RiskValueError(f"The assessment date {day:%d/%m/%Y} is in the future.")
    with db.session(source) as s:
        matrix = matrix_of(s)
        lvl = (matrix.check("likelihood", likelihood), matrix.check("impact", impact))
        risk = _get(s, Risk, risk_id)
        old = {"current_likelihood": risk.current_likelihood, "current_impact": risk.current_impact,
               "next_review": risk.next_review}
        a = RiskAssessment(risk_id=risk.id, date=day, likelihood=lvl[0], impact=lvl[1], note=(note or "").strip(),
                           assessor=(assessor or db.user).strip())
        s.add(a)
        sync_current(s, risk)
        latest = _latest(s, risk.id)
        if latest.id == a.id:
            risk.next_review = rm.next_review_date(day, risk.review_frequency)
        return {"assessment_id": a.id, "old": old}


def undo_reassess(db, result: dict, source: str = "window") -> None:
    with db.session(source) as s:
        a = _get(s, RiskAssessment, result["assessment_id"])
        risk = _get(s, Risk, a.risk_id)
        s.delete(a)
        for key, value in result["old"].items():
            setattr(risk, key, value)


def delete_assessment(db, assessment_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        a = _get(s, RiskAssessment, assessment_id)
        snap = _columns(a)
        risk = _get(s, Risk, a.risk_id)
        s.delete(a)
        sync_current(s, risk)
        return snap


def restore_assessment(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        s.add(RiskAssessment(**snap))
        sync_current(s, _get(s, Risk, snap["risk_id"]))


# -- mitigations ------------------------------------------------------------------------------

def _mitigation_values(changes: dict) -> dict:
    unknown = set(changes) - set(MITIGATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown mitigation fields: {sorted(unknown)}")
    out = {}
    for key, value in changes.items():
        if key == "due_date":
            out[key] = as_date(value, key)
        elif key == "status":
            out[key] = rm.normalise_mitigation_status(value)
        else:
            out[key] = " ".join(str(value or "").split()) if key == "owner" else str(value or "").strip()
    if "text" in out and not out["text"]:
        raise RiskValueError("A mitigation needs words saying what will be done.")
    return out


def add_mitigation(db, risk_id: int, *, text: str, owner: str = "", due_date=None, status: str = "planned",
                   source: str = "window") -> int:
    values = _mitigation_values({"text": text, "owner": owner, "due_date": due_date, "status": status})
    with db.session(source) as s:
        _get(s, Risk, risk_id)
        top = s.scalar(select(func.max(RiskMitigation.position)).where(RiskMitigation.risk_id == risk_id))
        m = RiskMitigation(risk_id=risk_id, position=(top if top is not None else -1) + 1, **values)
        s.add(m)
        s.flush()
        return m.id


def update_mitigation(db, mitigation_id: int, changes: dict, source: str = "window") -> dict:
    values = _mitigation_values(changes)
    with db.session(source) as s:
        m = _get(s, RiskMitigation, mitigation_id)
        old = {k: getattr(m, k) for k in values}
        for key, value in values.items():
            if getattr(m, key) != value:
                setattr(m, key, value)
        return old


def delete_mitigation(db, mitigation_id: int, source: str = "window") -> dict:
    with db.session(source) as s:
        m = _get(s, RiskMitigation, mitigation_id)
        snap = _columns(m)
        s.delete(m)
        return snap


def restore_mitigation(db, snap: dict, source: str = "window") -> None:
    with db.session(source) as s:
        s.add(RiskMitigation(**snap))
