"""Audits as a workbook: an auditor exports hers and emails them; the central database imports them.

Sheets: Audits (one row per audit: its details, one column per criterion holding 0..max or N/A,
then Score and Grade, worked out and never read back), Comments (the N/A reasons and comments
that are not empty), About, and the hidden Base sheet: each audit's fingerprint and last edit
time as exported (`audit_exchange_layout`), which is what lets a returning workbook be compared
three ways. Audits are matched by their id (the hidden first column); rows without one are new.

What the import does with each audit (`audit_exchange_apply.decide`):

- not in the database: added, graded by `apply_grading` like one made in the window;
- the same in the workbook and the database: unchanged;
- the database's copy is still what was exported (its fingerprint matches Base): the workbook's
  changes are applied;
- the database's copy differs from what was exported, and this database changed the audit itself
  since an import last wrote it (its change log says so): a *conflict*, unless the workbook's
  copy is untouched since its export and older than the database's (then the database's copy
  is kept, with a warning);
- the database's copy differs from what was exported, but the database only ever took the audit
  from workbooks (an auditor's audits arriving again after she edited them on her laptop): the
  copies are ordered by their last edit time, which travels with the audit, and the newer is
  kept; a workbook copy edited since its export that is not the newer is a conflict;
- a moderated audit is never changed by a workbook (its scoring is kept as it was): a conflict.

A conflict is listed in the report and in its warnings, and not applied: nothing is lost and
nothing silently overwritten. Audits missing from the workbook are not deleted. A framework
version the database lacks is refused by name: frameworks travel as their own workbook or JSON
(`framework_xlsx`), so a council decides which versions exist, and an import of audits never
adds one behind its back. Every problem in a cell refuses the whole workbook (sheet, row and
column named, nothing changed); a dry run does all the work and rolls it back; a real import
backs the database file up first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.services.audit_edit import PLAN_TYPES, STATUSES
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import audit_exchange_layout as X
from send_desktop.xlsx import layout as L
from send_desktop.xlsx import sheets as S
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.book_reader import refuse


def _selection(auditor: str | None, date_from: dt.date | None, date_to: dt.date | None,
               audit_ids: list[int] | None) -> tuple[str, list]:
    clauses, params = [], []
    if auditor:
        clauses.append("a.auditor = ?")
        params.append(auditor)
    if date_from:
        clauses.append("a.audit_date >= ?")
        params.append(date_from.isoformat())
    if date_to:
        clauses.append("a.audit_date <= ?")
        params.append(date_to.isoformat())
    if audit_ids is not None:
        clauses.append(f"a.id IN ({','.join('?' * len(audit_ids)) or 'NULL'})")
        params += list(audit_ids)
    return (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY a.audit_date, a.id", params


def export_audits(db, path: Path, *, auditor: str | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None,
                  audit_ids: list[int] | None = None) -> Generator[Progress, None, Path]:
    """Write the audits (all, or those of one auditor, a date range or given ids) to `path`."""
    from send_desktop.services.audit_frameworks import load_framework
    from send_desktop.xlsx.audit_exchange_read import stored_audits

    path = W.check_target(path)
    yield Progress(0, 0, "Reading the audits")
    with db.reading() as con:
        audits = stored_audits(con, *_selection(auditor, date_from, date_to, audit_ids))
    frameworks = {}
    for a in audits:
        if a["framework_id"] not in frameworks:
            frameworks[a["framework_id"]] = (a["framework"], load_framework(db, a["framework_id"]))
    criteria: dict[str, int] = {}  # id -> max, in framework order, every version's criteria once
    for _, fw in frameworks.values():
        for s in fw.sections:
            for c in s.criteria:
                criteria[c.id] = max(c.max, criteria.get(c.id, 0))
    layout = L.SheetLayout(X.AUDITS, X.DETAILS + tuple(L.Column(cid, cid, max(6, len(cid) + 2)) for cid in criteria)
                           + X.DERIVED)
    rows, notes, base = [], [], []
    for a in audits:
        ratings = a["ratings"]
        rows.append([a["uid"], a["plan_ref"], a["plan_type"], a["plan_issue_date"], a["team"], a["key_stage"],
                     a["primary_need"], a["setting_type"], a["auditor"], a["agency"], a["audit_date"], a["status"],
                     a["framework"][0], a["framework"][1], ", ".join(a["no_needs"]),
                     "Yes" if a["critical_concern"] else "No", a["notes"],
                     *(X.NA_TEXT if ratings.get(cid) == "na" else ratings.get(cid) for cid in criteria),
                     a["score"], a["grade"]])
        order = [cid for cid in criteria if cid in a["na_reasons"] or cid in a["comments"]]
        notes += [[a["uid"], a["plan_ref"], a["audit_date"], cid, a["na_reasons"].get(cid, ""),
                   a["comments"].get(cid, "")] for cid in order]
        base.append([a["uid"], X.fingerprint(X.canonical(a)), a["updated_at"].isoformat() if a["updated_at"] else ""])
    about = []
    for n, ((name, version), fw) in enumerate(frameworks.values(), 1):
        about += [[f"{X.ABOUT_FRAMEWORK} {n}", name], [f"{X.ABOUT_FRAMEWORK} {n} version", version],
                  [f"{X.ABOUT_FRAMEWORK} {n} check", X.grading_check(fw)]]
    about.append(["Audits", len(audits)])
    total = len(rows) + len(notes) + len(base)
    yield Progress(0, total, "Preparing the workbook")

    wb = S.new_workbook()
    ws = yield from S.add_sheet(wb, layout, rows, done=0, total=total)
    n = len(rows)
    S.list_rule(ws, layout, "plan_type", PLAN_TYPES, n, "Plan type")
    S.list_rule(ws, layout, "status", STATUSES, n, "Status")
    S.list_rule(ws, layout, "critical_concern", B.YES_NO, n, "Critical concern")
    for cid, top in criteria.items():
        S.list_rule(ws, layout, cid, (*range(top + 1), X.NA_TEXT), n, f"Criterion {cid}")
    yield from S.add_sheet(wb, L.SheetLayout(X.COMMENTS, X.COMMENT_COLUMNS), notes, done=n, total=total)
    yield from S.add_sheet(wb, L.ABOUT, S.about_rows(db, [["Layout", X.LAYOUT_NAME], *about], X.NOTES))
    hidden = yield from S.add_sheet(wb, L.SheetLayout(X.BASE, X.BASE_COLUMNS), base, done=n + len(notes),
                                    total=total)
    hidden.sheet_state = "hidden"
    yield Progress(total, total, f"Saving {path.name}")
    return W.save_workbook(wb, path)


def import_audits(db, path: Path, dry_run: bool = False, source: str = "", now: dt.datetime | None = None,
                  strategy: str | None = None, delete_missing: bool = False,
                  decisions: dict | None = None,
                  mapping: dict | None = None) -> Generator[Progress, None, B.ExchangeReport]:
    """Import an audits workbook (see the module notes); returns the report.

    `strategy`: conflicts are kept and listed (None, "mine": the rule above), taken from the
    workbook ("theirs"), or refuse the import ("fail"). Audits the workbook's Base sheet lists and
    its Audits sheet no longer holds are listed as warnings, and deleted with `delete_missing`.

    A workbook the application did not write (an officer's tracker, an audit tool's export), or
    any workbook read with a column `mapping` ({"column header": field}), is read by
    `audit_foreign` instead, which has its own rules (matched by plan reference and audit date)."""
    from send_desktop.xlsx.audit_foreign import import_foreign_audits
    from send_desktop.xlsx.audit_foreign_preview import is_foreign

    if mapping is not None or is_foreign(Path(path)):
        from send_desktop.xlsx.merge_decisions import no_decisions

        no_decisions(decisions, "a workbook the application did not write has no export to conflict with")
        W.check_writable(db, dry_run)
        report = B.ExchangeReport(kind="audits", noun="audit", file=Path(path).name, dry_run=dry_run)
        yield from import_foreign_audits(db, Path(path), report, dry_run=dry_run, source=source, mapping=mapping,
                                         strategy=strategy, now=now)
        if delete_missing:
            report.warnings.append(Problem("deleting audits no longer in the workbook is only for workbooks the "
                                           "application wrote: no audit was deleted"))
        return report
    from send_desktop.services.audit_frameworks import _parse
    from send_desktop.xlsx import merge as M
    from send_desktop.xlsx.audit_exchange_apply import decide, settle, write
    from send_desktop.xlsx.merge_decisions import no_decisions

    if strategy is not None:
        M.check_strategy(strategy)
    no_decisions(decisions, "an audits workbook is compared audit by audit (use the strategy)")
    from send_desktop.xlsx.audit_exchange_read import read_audit_book

    path = Path(path)
    W.check_writable(db, dry_run)
    now = now or dt.datetime.now().replace(microsecond=0)
    yield Progress(0, 0, f"Reading {path.name}")
    book = yield from read_audit_book(db, path)
    if book.problems:
        raise refuse(path.name, book.problems)
    report = B.ExchangeReport(kind="audits", noun="audit", file=path.name, dry_run=dry_run)

    def work(s):
        yield Progress(0, 0, "Comparing with the database")
        d = decide(db, book, now)
        refused = settle(d, strategy)
        if refused:
            raise refuse(path.name, refused)
        gone = _missing(s, book)
        d.warnings += M.missing_warnings(gone, delete_missing)
        W.backup_before_import(db, dry_run, d.create or d.update or (delete_missing and gone))
        with db.reading() as con:
            frameworks = {fid: _parse(text) for fid, text in con.execute("SELECT id, definition FROM audit_framework")}
        if W.may_write(db, dry_run):  # a read-only file cannot take even the writes a dry run rolls back
            yield from write(s, d, frameworks)
            if delete_missing and gone:
                report.deleted = M.delete_records(s, gone)
        report.created, report.updated, report.unchanged = len(d.create), len(d.update), d.unchanged
        report.conflicts, report.warnings = d.conflicts, [*book.warnings, *d.warnings]

    yield from W.in_one_transaction(db, W.import_source(source, path), dry_run, work, batch=W.new_batch(path, report),
                                    report=report)
    yield Progress(1, 1, "Done")
    return report


def _missing(session, book) -> list:
    """Audits the workbook was exported with (its Base sheet) whose rows are gone from it."""
    from sqlalchemy import select

    from send_desktop.storage.models import Audit
    from send_desktop.xlsx.merge import Missing

    kept = {(a.uid or "").lower() for a in book.audits}
    gone = [uid for uid in book.base if uid and uid not in kept]
    out = []
    for start in range(0, len(gone), 500):
        for rid, ref, day in session.execute(select(Audit.id, Audit.plan_ref, Audit.audit_date)
                                             .where(Audit.uid.in_(gone[start:start + 500]))):
            out.append(Missing(Audit, rid, f"{ref} (audit of {day:%d/%m/%Y})" if day else ref, X.AUDITS))
    return out
