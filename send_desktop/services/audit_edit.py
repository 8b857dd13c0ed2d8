"""Writing audits: create, change, submit, moderate, delete. One transaction per call.

Whatever changes an audit's ratings goes through `apply_grading`, which grades it against the
framework version it is scored under and stores the result beside the ratings (score, grades,
caps, section results, criteria below "met") and keeps its improvement actions in step:

- a criterion rated below "met" has one action, made from its template (owner type from the
  framework, due 28 days after the audit date); a criterion left unrated is "not evidenced" and
  raises one too, but only once the audit is submitted (a draft is still being scored);
- when the criterion is raised to "met" or better, or becomes N/A, its action is removed unless a
  person has edited it (then it is kept, as someone chose to);
- the audit's `reported_grade` is its own grade, or the moderated grade once a moderation is
  complete (the original scoring is kept as it was).

Ratings arrive as {criterion id: 0..max, "na" or None}; None removes a rating (not evidenced,
which grades as 0). Every bad value raises BadInputError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from send_desktop.audits.actions import DEFAULT_DUE_DAYS, improvement_actions
from send_desktop.audits.grading import GradeResult, grade
from send_desktop.errors import BadInputError, UserError
from send_desktop.services.audit_frameworks import ensure_default_framework, load_framework
from send_desktop.storage.models import Audit, AuditAction

PLAN_TYPES = ("new", "annual review", "amended", "phase transfer")
STATUSES = ("draft", "submitted", "moderated")
ACTION_STATUSES = ("open", "done")
#: Audit fields a person sets directly (the rest are derived or set by the calls below).
DETAIL_FIELDS = ("plan_ref", "plan_type", "plan_issue_date", "team", "key_stage", "primary_need", "setting_type",
                 "auditor", "agency", "audit_date", "notes")
SCORING_FIELDS = ("ratings", "na_reasons", "comments", "no_needs", "critical_concern")


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _check_details(values: Mapping) -> None:
    unknown = [k for k in values if k not in DETAIL_FIELDS and k not in SCORING_FIELDS]
    if unknown:
        raise BadInputError(f"an audit has no field '{unknown[0]}'")
    if "plan_ref" in values and not str(values["plan_ref"] or "").strip():
        raise BadInputError("an audit needs the plan reference (not the child's name)")
    if "plan_type" in values and values["plan_type"] not in PLAN_TYPES:
        raise BadInputError(f"plan type '{values['plan_type']}' is not one of: {', '.join(PLAN_TYPES)}")
    for key in ("audit_date", "plan_issue_date"):
        if key in values and values[key] is not None and not isinstance(values[key], dt.date):
            raise BadInputError(f"{key.replace('_', ' ')} must be a date, not {values[key]!r}")
    if "audit_date" in values and values["audit_date"] is None:
        raise BadInputError("an audit needs its audit date")


def _merged_ratings(current: dict, changes: Mapping) -> dict:
    out = dict(current)
    for cid, value in changes.items():
        if value is None:
            out.pop(cid, None)
        else:
            out[cid] = value
    return out


def _merged_text(current: dict, changes: Mapping) -> dict:
    out = dict(current)
    for cid, text in changes.items():
        text = (text or "").strip()
        if text:
            out[cid] = text
        else:
            out.pop(cid, None)
    return out


def grade_record(fw, ratings: Mapping, no_needs, critical_concern: bool, na_reasons: Mapping) -> GradeResult:
    return grade(fw, ratings, no_needs, critical_concern, na_reasons)


def stored_result(result: GradeResult) -> dict:
    """The columns that hold a grading result."""
    return {
        "score": result.score,
        "banded_grade": result.banded_grade,
        "grade": result.grade,
        "caps": [c.name for c in result.caps],
        "section_results": {code: [s.score, s.grade] for code, s in result.sections.items()},
    }


def apply_grading(session, audit, fw=None, new_actions: list | None = None) -> GradeResult:
    """Grade `audit` (an ORM Audit in `session`, new or stored) and store the result and its actions.

    Works through the audit's `actions` and `moderation` relationships, so a new audit needs no
    flush first. For a batch of new audits (an import, the demo) pass a list as `new_actions`: the
    actions each new audit raises are added to it as plain rows, and `insert_new_actions` writes
    them in one statement once the audits have ids (an action raised by a rating is derived data,
    written without ORM objects; see storage/changelog.py on why it is not logged). An import's
    new audits may be `NewAudit`s, written in bulk by `insert_new_audits`.
    """
    fw = fw or load_framework_cached(session, audit.framework_id)
    result = grade_record(fw, audit.ratings, audit.no_needs, audit.critical_concern, audit.na_reasons)
    for key, value in stored_result(result).items():
        if getattr(audit, key) != value:
            setattr(audit, key, value)
    proposed = {a.criterion_id: a for a in improvement_actions(fw, result, audit.audit_date, DEFAULT_DUE_DAYS)}
    if audit.status == "draft":
        unrated = {c.id for sr in result.sections.values() for c in sr.criteria if c.applicable and not c.rated}
        proposed = {cid: a for cid, a in proposed.items() if cid not in unrated}
    unmet = list(proposed)
    if audit.unmet != unmet:
        audit.unmet = unmet
    if new_actions is not None and audit.id is None:
        new_actions.extend((audit, dict(criterion_id=cid, section_code=p.section, text=p.text,
                                        owner_type=p.owner_type, due_date=p.due, status="open", edited=False))
                           for cid, p in proposed.items())
    else:
        existing = {a.criterion_id: a for a in audit.actions}
        for cid, action in existing.items():
            if cid not in proposed and not action.edited:
                audit.actions.remove(action)
        for cid, p in proposed.items():
            if cid not in existing:
                audit.actions.append(AuditAction(criterion_id=cid, section_code=p.section, text=p.text,
                                                 owner_type=p.owner_type, due_date=p.due))
    moderation = audit.moderation
    reported = moderation.grade if moderation is not None and moderation.status == "complete" else audit.grade
    if audit.reported_grade != reported:
        audit.reported_grade = reported
    return result


def insert_new_actions(session, new_actions: list) -> int:
    """Write the actions `apply_grading` collected for new audits, now written and with ids. They are
    derived rows, so `insert_logged` inserts them without logging (storage/changelog.py)."""
    from send_desktop.storage.changelog import insert_logged
    from send_desktop.storage.models import new_uid

    rows = [{**values, "audit_id": audit.id, "uid": new_uid()} for audit, values in new_actions]
    insert_logged(session, AuditAction, rows)
    new_actions.clear()
    return len(rows)


_AUDIT_COLUMNS = frozenset(Audit.__table__.columns.keys()) - {"id"}


class NewAudit:
    """An audit to be inserted in bulk (`insert_new_audits`): its column values, read and set as
    attributes as on a new ORM `Audit`, so `apply_grading` grades it the same way (a column not
    given yet reads as None). It has no moderation, and its id once it is written."""

    moderation = None

    def __init__(self, **columns):
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "id", None)

    def __getattr__(self, key):
        if key not in _AUDIT_COLUMNS:
            raise AttributeError(f"a new audit has no {key!r} until it is written")
        return self.columns.get(key)

    def __setattr__(self, key, value) -> None:
        if key == "id":
            object.__setattr__(self, key, value)
        elif key in _AUDIT_COLUMNS:
            self.columns[key] = value
        else:
            raise AttributeError(f"an audit has no column {key!r}")


def insert_new_audits(session, audits: list[NewAudit], new_actions: list) -> None:
    """Write graded `NewAudit`s in one statement, each logged as an ORM insert is
    (`changelog.insert_logged`), then the actions `apply_grading` collected for them."""
    from send_desktop.storage.changelog import insert_logged

    for audit, audit_id in zip(audits, insert_logged(session, Audit, [a.columns for a in audits])):
        audit.id = audit_id
    insert_new_actions(session, new_actions)


def load_framework_cached(session, framework_id: int):
    from send_desktop.services.audit_frameworks import _parse
    from send_desktop.storage.models import AuditFramework
    import json

    fw_row = session.get(AuditFramework, framework_id)
    if fw_row is None:
        raise UserError(f"There is no audit framework with id {framework_id} in this file.")
    return _parse(json.dumps(fw_row.definition))


def _existing(session, model, record_id: int, what: str):
    """The record, or a `UserError` saying it has gone (deleted in another window, say)."""
    found = session.get(model, record_id)
    if found is None:
        raise UserError(f"That {what} no longer exists.")
    return found


def _set_scoring(target, values: Mapping) -> None:
    if "ratings" in values:
        target.ratings = _merged_ratings(target.ratings or {}, values["ratings"])
    if "na_reasons" in values:
        target.na_reasons = _merged_text(target.na_reasons or {}, values["na_reasons"])
    if "comments" in values:
        target.comments = _merged_text(target.comments or {}, values["comments"])
    if "no_needs" in values:
        target.no_needs = sorted(set(values["no_needs"]))
    if "critical_concern" in values:
        target.critical_concern = bool(values["critical_concern"])
    # A rating that is no longer N/A keeps no N/A reason.
    stale = [cid for cid in (target.na_reasons or {}) if (target.ratings or {}).get(cid) != "na"]
    if stale:
        target.na_reasons = {k: v for k, v in target.na_reasons.items() if k not in stale}


def create_audit(db, values: Mapping, framework_id: int | None = None, source: str = "window") -> int:
    """A new draft audit; `values` holds detail fields and optionally scoring fields."""
    values = dict(values)
    values.setdefault("audit_date", dt.date.today())
    _check_details(values)
    if not str(values.get("plan_ref") or "").strip():
        raise BadInputError("an audit needs the plan reference (not the child's name)")
    framework_id = framework_id or ensure_default_framework(db)
    fw = load_framework(db, framework_id)
    with db.session(source) as s:
        audit = Audit(framework_id=framework_id, status="draft", ratings={}, na_reasons={}, comments={},
                      no_needs=[], caps=[], section_results={}, unmet=[],
                      **{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k in DETAIL_FIELDS})
        audit.month = month_of(audit.audit_date)
        _set_scoring(audit, values)
        apply_grading(s, audit, fw)
        s.add(audit)
        s.flush()
        return audit.id


def update_audit(db, audit_id: int, values: Mapping, source: str = "window") -> GradeResult:
    """Change an audit's details and/or scoring; returns the new grading result."""
    _check_details(values)
    with db.session(source) as s:
        audit = _existing(s, Audit, audit_id, "audit")
        for key in DETAIL_FIELDS:
            if key in values:
                value = values[key].strip() if isinstance(values[key], str) else values[key]
                if getattr(audit, key) != value:
                    setattr(audit, key, value)
        if audit.month != month_of(audit.audit_date):
            audit.month = month_of(audit.audit_date)
        if any(key in values for key in SCORING_FIELDS) and audit.status != "draft":
            raise UserError("This audit has been moderated; its scoring is kept as it was."
                            if audit.status == "moderated" else
                            "This audit is submitted; return it to draft to change its scoring.")
        _set_scoring(audit, values)
        audit.updated_at = dt.datetime.now().replace(microsecond=0)
        return apply_grading(s, audit)


def set_status(db, audit_id: int, status: str, source: str = "window") -> None:
    """Submit (or return to draft) an audit. "moderated" is set by completing a moderation."""
    if status not in ("draft", "submitted"):
        raise BadInputError(f"an audit's status can be set to draft or submitted, not '{status}'")
    with db.session(source) as s:
        audit = _existing(s, Audit, audit_id, "audit")
        if audit.status == "moderated":
            raise UserError("This audit has been moderated; its scoring is kept as it was.")
        if status == "draft" and audit.moderation is not None:
            raise UserError("A moderation of this audit is under way; it stays submitted until that is done.")
        if audit.status != status:
            audit.status = status
            audit.updated_at = dt.datetime.now().replace(microsecond=0)
            apply_grading(s, audit)  # a submitted audit's unrated criteria raise their actions


def delete_audit(db, audit_id: int, source: str = "window") -> None:
    with db.session(source) as s:
        audit = s.get(Audit, audit_id)
        if audit is not None:
            s.delete(audit)


def update_action(db, action_id: int, values: Mapping, source: str = "window") -> None:
    """Edit an improvement action (text, owner type, due date, status); it is then kept as edited."""
    allowed = ("text", "owner_type", "due_date", "status")
    unknown = [k for k in values if k not in allowed]
    if unknown:
        raise BadInputError(f"an improvement action has no field '{unknown[0]}'")
    if "status" in values and values["status"] not in ACTION_STATUSES:
        raise BadInputError(f"an action's status is open or done, not '{values['status']}'")
    with db.session(source) as s:
        action = _existing(s, AuditAction, action_id, "improvement action")
        for key, value in values.items():
            if getattr(action, key) != value:
                setattr(action, key, value)
        if any(k != "status" for k in values):
            action.edited = True


# -- moderation ------------------------------------------------------------------------------------


def start_moderation(db, audit_id: int, moderator: str, blind: bool = True, day: dt.date | None = None,
                     source: str = "window") -> int:
    """Open a moderation of a submitted audit. Blind: it starts with no ratings; otherwise with a
    copy of the original's, for the moderator to change."""
    from send_desktop.storage.models import Moderation

    if not moderator.strip():
        raise BadInputError("a moderation needs the moderator's name")
    with db.session(source) as s:
        audit = _existing(s, Audit, audit_id, "audit")
        if audit.status == "draft":
            raise UserError("Only a submitted audit can be moderated.")
        if audit.moderation is not None:
            raise UserError("This audit already has a moderation.")
        if moderator.strip().casefold() == (audit.auditor or "").strip().casefold():
            raise UserError("A moderation is a second auditor's scoring; choose someone other than the auditor.")
        copy = not blind
        m = Moderation(moderator=moderator.strip(), moderation_date=day or dt.date.today(),
                       blind=blind, status="draft",
                       ratings=dict(audit.ratings) if copy else {}, na_reasons=dict(audit.na_reasons) if copy else {},
                       comments={}, no_needs=list(audit.no_needs) if copy else [],
                       critical_concern=audit.critical_concern if copy else False, section_results={})
        audit.moderation = m
        _grade_moderation(s, m, audit)
        s.flush()
        return m.id


def _grade_moderation(session, m, audit, fw=None) -> GradeResult:
    fw = fw or load_framework_cached(session, audit.framework_id)
    result = grade_record(fw, m.ratings, m.no_needs, m.critical_concern, m.na_reasons)
    stored = stored_result(result)
    m.score, m.grade, m.section_results = stored["score"], stored["grade"], stored["section_results"]
    return result


def update_moderation(db, moderation_id: int, values: Mapping, source: str = "window") -> GradeResult:
    from send_desktop.storage.models import Moderation

    unknown = [k for k in values if k not in SCORING_FIELDS and k not in ("notes", "moderation_date")]
    if unknown:
        raise BadInputError(f"a moderation has no field '{unknown[0]}'")
    with db.session(source) as s:
        m = _existing(s, Moderation, moderation_id, "moderation")
        if m.status == "complete":
            raise UserError("This moderation is complete; its scoring is kept as it was.")
        _set_scoring(m, values)
        for key in ("notes", "moderation_date"):
            if key in values and getattr(m, key) != values[key]:
                setattr(m, key, values[key])
        return _grade_moderation(s, m, s.get(Audit, m.audit_id))


def complete_moderation(db, moderation_id: int, source: str = "window") -> None:
    """The moderated grade becomes the audit's reported grade; the audit's own scoring is kept."""
    from send_desktop.storage.models import Moderation

    with db.session(source) as s:
        m = _existing(s, Moderation, moderation_id, "moderation")
        audit = s.get(Audit, m.audit_id)
        m.status = "complete"
        audit.status = "moderated"
        audit.updated_at = dt.datetime.now().replace(microsecond=0)
        s.flush()
        apply_grading(s, audit)
