"""What each audit of a workbook does to the database (`decide`), and doing it (`write`).

The rules are in `audit_exchange`'s module notes. `decide` only reads; `write` grades every audit
with `apply_grading`, in the import's one transaction, so derived columns and actions come out
exactly as the window would make them, and the change log records every audit with the import as
its source. Updated audits go through their ORM objects and the change-log hook. New ones, most
of a first import, are `NewAudit`s written in bulk by `insert_new_audits`, which logs each as the
hook logs an ORM insert (`changelog.insert_logged`): 10,000 ORM objects, their unit of work and
their attribute history took half of the import's time.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Problem
from send_desktop.services.audit_edit import NewAudit, apply_grading, insert_new_audits, month_of
from send_desktop.xlsx import audit_exchange_layout as X
from send_desktop.xlsx.audit_exchange_read import AuditBook, Incoming, stored_audits

_STAGE = {"draft": 0, "submitted": 1, "moderated": 2}
CHUNK = 500  # audits per flush: progress to show, and a bounded session
_DETAILS = ("plan_ref", "plan_type", "plan_issue_date", "team", "key_stage", "primary_need", "setting_type",
            "auditor", "agency", "audit_date", "notes", "status", "no_needs", "critical_concern", "ratings",
            "na_reasons", "comments")


@dataclass
class Decisions:
    create: list[Incoming] = field(default_factory=list)
    update: list[tuple[Incoming, int]] = field(default_factory=list)   # (workbook audit, database id)
    unchanged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    conflicted: list[tuple[Incoming, int]] = field(default_factory=list)  # conflicts a workbook may settle
    warnings: list[Problem] = field(default_factory=list)
    stamps: dict[int, dt.datetime] = field(default_factory=dict)         # workbook row -> updated_at to keep


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def changed_here(con, ids: list[int]) -> set[int]:
    """Audits this database changed itself since an import last wrote them (or never imported):
    the newest change-log row of each that is not an import's. Imports' sources begin "import"."""
    out: set[int] = set()
    for chunk in _chunks(ids, 500):
        marks = ",".join("?" * len(chunk))
        for audit_id, imported, local in con.execute(
                "SELECT entity_id, max(CASE WHEN source LIKE 'import%' THEN id END), "
                "max(CASE WHEN source NOT LIKE 'import%' THEN id END) FROM change_log "
                f"WHERE entity='audit' AND entity_id IN ({marks}) GROUP BY entity_id", chunk):
            if local is not None and (imported is None or local > imported):
                out.add(audit_id)
    return out


def decide(db, book: AuditBook, now: dt.datetime) -> Decisions:
    d = Decisions()
    uids = [a.uid for a in book.audits if a.uid]
    with db.reading() as con:
        stored: dict[str, dict] = {}
        for chunk in _chunks(uids, 500):
            for a in stored_audits(con, f"WHERE a.uid IN ({','.join('?' * len(chunk))})", chunk):
                stored[a["uid"]] = a
        pending: list[tuple[Incoming, dict, dict, dict, bool]] = []
        for inc in book.audits:
            wb = X.canonical(inc.fields)
            base = book.base.get(inc.uid or "")
            untouched = base is not None and X.fingerprint(wb) == base[0]
            d.stamps[inc.row] = (base[1] or now) if untouched else now
            old = stored.get(inc.uid or "")
            if old is None:
                d.create.append(inc)
                continue
            here = X.canonical(old)
            if wb == here:
                d.unchanged += 1
            elif old["status"] == "moderated":
                _conflict(d, inc, wb, here, "was moderated in the database, and a moderated audit's scoring is "
                                            "kept as it was")
            elif base is not None and X.fingerprint(here) == base[0]:
                d.update.append((inc, old["id"]))  # only the workbook changed since the export
            else:
                pending.append((inc, wb, here, old, untouched))
        local = changed_here(con, [p[3]["id"] for p in pending])
    for inc, wb, here, old, untouched in pending:
        base = book.base.get(inc.uid or "")
        sent_at, kept_at = (base[1] if base else None), old["updated_at"]
        # Submitting does not move an audit's edit time, so at equal times the later status is the newer copy.
        older = sent_at is None or kept_at is None or (sent_at, _STAGE.get(wb["status"], 0)) < (
            kept_at, _STAGE.get(here["status"], 0))
        if old["id"] in local:
            if untouched and sent_at is not None and kept_at is not None and sent_at <= kept_at:
                _kept(d, inc, here, "the database's copy was changed after this workbook's copy")
            else:
                _conflict(d, inc, wb, here, "was changed both in the workbook and in the database since it was "
                                            "exported", old["id"])
        elif not untouched and older:
            _conflict(d, inc, wb, here, "was changed both in the workbook and in the database since it was exported",
                      old["id"])
        elif untouched and older:
            _kept(d, inc, here, "this workbook holds an older copy than the database")
        else:
            d.update.append((inc, old["id"]))  # the database's copy is an earlier one from a workbook
    return d


def _where(inc: Incoming) -> str:
    f = inc.fields
    return f"audit of plan {f['plan_ref']} dated {f['audit_date']:%d/%m/%Y}"


def _conflict(d: Decisions, inc: Incoming, wb: dict, here: dict, why: str, audit_id: int | None = None) -> None:
    fields = X.differences(wb, here)
    if audit_id is not None:
        d.conflicted.append((inc, audit_id))
    d.conflicts.append({"uid": inc.uid, "row": inc.row, "plan_ref": inc.fields["plan_ref"],
                        "audit_date": inc.fields["audit_date"].isoformat(), "reason": why, "differs_in": fields})
    d.warnings.append(Problem(f"conflict: the {_where(inc)} {why}; the two copies differ in {', '.join(fields)}; "
                              f"it was not imported: settle it in the application", X.AUDITS, inc.row))


def _kept(d: Decisions, inc: Incoming, here: dict, why: str) -> None:
    d.unchanged += 1
    d.warnings.append(Problem(f"the {_where(inc)} was not imported: {why}, so the database's is kept", X.AUDITS,
                              inc.row))


def _status(d: Decisions, inc: Incoming) -> str:
    status = inc.fields["status"]
    if status != "moderated":
        return status
    d.warnings.append(Problem(f"the {_where(inc)} is marked moderated, but moderations do not travel in the "
                              f"workbook; it is imported as submitted", X.AUDITS, inc.row, "Status"))
    return "submitted"


def write(session, d: Decisions, frameworks: dict) -> Generator[Progress, None, None]:
    """Create and update the decided audits, graded by `apply_grading`, written a chunk at a time."""
    total = len(d.create) + len(d.update)
    # Every audit brings dozens of objects (its grading result, its actions; an updated one its ORM
    # objects, full of reference cycles), and the collector's repeated passes over the growing heap
    # cost about a fifth of the CPU time of 10,000 audits (measured: 24-28 s against 31-35 s, when
    # new audits were ORM objects too). So it is paused for the write, and each chunk's young
    # objects are collected after it is written, which keeps memory to about one chunk's worth.
    paused = gc.isenabled()
    gc.disable()
    try:
        yield from _write(session, d, frameworks, total)
    finally:
        if paused:
            gc.enable()


def _write(session, d: Decisions, frameworks: dict, total: int) -> Generator[Progress, None, None]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from send_desktop.storage.models import Audit, new_uid

    done = 0
    pending: list = []  # the improvement actions the new audits raise, written per chunk in one go
    for chunk in _chunks(d.create, CHUNK):
        audits = []
        for inc in chunk:
            values = {k: inc.fields[k] for k in _DETAILS}
            values["status"] = _status(d, inc)
            audit = NewAudit(uid=inc.uid or new_uid(), framework_id=inc.framework_id, month=month_of(inc.fields[
                "audit_date"]), caps=[], section_results={}, unmet=[], updated_at=d.stamps[inc.row], **values)
            _grade(session, audit, frameworks[inc.framework_id], inc, pending)
            audits.append(audit)
        insert_new_audits(session, audits, pending)
        gc.collect(0)
        done += len(chunk)
        yield Progress(done, total, f"Adding audits ({done:,} of {total:,})")
    for chunk in _chunks(d.update, CHUNK):
        found = {a.id: a for a in session.scalars(
            select(Audit).where(Audit.id.in_([i for _, i in chunk]))
            .options(selectinload(Audit.actions), selectinload(Audit.moderation)))}
        for inc, audit_id in chunk:
            audit = found[audit_id]
            values = {k: inc.fields[k] for k in _DETAILS}
            values.update(status=_status(d, inc), framework_id=inc.framework_id,
                          month=month_of(inc.fields["audit_date"]), updated_at=d.stamps[inc.row])
            for key, value in values.items():
                if getattr(audit, key) != value:
                    setattr(audit, key, value)
            _grade(session, audit, frameworks[inc.framework_id], inc)
        session.flush()
        gc.collect(0)
        done += len(chunk)
        yield Progress(done, total, f"Updating audits ({done:,} of {total:,})")


def _grade(session, audit, fw, inc: Incoming, pending: list | None = None) -> None:
    try:
        apply_grading(session, audit, fw, new_actions=pending)
    except BadInputError as exc:  # the read checks what grading checks; this is the backstop
        raise BadInputError(f"{X.AUDITS}, row {inc.row}: {exc.message}", [Problem(exc.message, X.AUDITS, inc.row)]
                            ) from None


def settle(d: Decisions, strategy: str | None) -> list[Problem]:
    """Conflicts decided by a strategy (`xlsx.merge`): None or "mine" keeps the database's copies
    and lists them (the audits exchange's own rule); "theirs" takes the workbook's copy of each one
    a workbook may change (a moderated audit is kept whatever the strategy); "fail" returns the
    conflicts as problems, which refuse the import."""
    if strategy == "theirs":
        taken = {inc.row for inc, _ in d.conflicted}
        d.update += d.conflicted
        d.warnings = [w for w in d.warnings if not (w.row in taken and w.message.startswith("conflict:"))]
        d.warnings += [Problem(f"conflict: the {_where(inc)} was changed on both sides; the workbook's copy was taken "
                               "(--strategy theirs)", X.AUDITS, inc.row) for inc, _ in d.conflicted]
        return []
    if strategy == "fail":
        return [Problem(w.message.replace("it was not imported: settle it in the application",
                                          "choose --strategy theirs or mine"), w.sheet, w.row, w.column)
                for w in d.warnings if w.message.startswith("conflict:")]
    return []
