"""Reading an audits workbook into checked audit records, every problem with sheet, row and column.

Nothing here writes. Each row is checked against the framework version it names, as the
database holds it: a version the database lacks is refused by name (import that framework
first: frameworks travel as their own workbook or JSON), and so is a version the database holds
under the same name and number but which grades differently (About carries a short check of
each version's weights, bands and rules). Ratings are checked as grading will check them (0 to
the criterion's maximum; N/A only where the section allows it or "no needs" switches it off), so
a workbook that passes here grades without surprises.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.audits.framework import Framework
from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.services.audit_edit import PLAN_TYPES, STATUSES
from send_desktop.xlsx import audit_exchange_book as B
from send_desktop.xlsx import audit_exchange_layout as X
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import refuse

MAX_PROBLEMS = 500  # a workbook that is wrong throughout says so without listing 500,000 cells


@dataclass
class Incoming:
    row: int
    uid: str | None
    fields: dict          # the audit's fields as `X.canonical` takes them
    framework_id: int


@dataclass
class AuditBook:
    file: str
    audits: list[Incoming] = field(default_factory=list)
    base: dict[str, tuple[str, dt.datetime | None]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, message: str, sheet: str = X.AUDITS, row: int | None = None, column: str = "") -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, sheet, row, column))


def known_frameworks(db) -> dict[tuple[str, str], tuple[int, Framework]]:
    from send_desktop.services.audit_frameworks import _parse

    with db.reading() as con:
        rows = con.execute("SELECT id, name, version, definition FROM audit_framework").fetchall()
    return {(name, version): (fid, _parse(text)) for fid, name, version, text in rows}


class _Criteria:
    """One framework's criteria as a row check needs them."""

    def __init__(self, fw: Framework):
        self.fw = fw
        self.info = {}
        pairs = {s.paired_with: s.code for s in fw.sections if s.paired_with}
        for s in fw.sections:
            for c in s.criteria:
                self.info[c.id] = (c.max, s.code, s.na_allowed, c.no_needs_role, pairs.get(s.code))
        self.markable = {s.code for s in fw.sections if s.accepts_no_needs}

    def na_allowed(self, cid: str, no_needs: list[str]) -> bool:
        _, code, allowed, role, needs = self.info[cid]
        return allowed or needs in no_needs or (code in no_needs and role == "needs_dependent")


def _header_score(columns: dict[str, int]) -> int:
    found = sum(L.header_key(c.header) in columns for c in X.DETAILS)
    return found if found >= 3 else 0


def read_audit_book(db, path: Path) -> Generator[Progress, None, AuditBook]:
    path = Path(path)
    book = AuditBook(path.name)
    with B.ValueBook(path) as wb:
        title = B.find_sheet(wb, X.AUDITS)
        if title is None:
            listed = ", ".join(f"'{n}'" for n in wb.sheetnames[:8]) or "none that can be read"
            raise refuse(path.name, [Problem(f"the workbook has no sheet named '{X.AUDITS}', so it is not an audits "
                                             f"workbook (its sheets: {listed})")])
        audits = yield from B.read_table(wb, title, _header_score, path.name)
        if audits is None:
            raise refuse(path.name, [Problem("no header row found (expected columns such as 'Plan ref', 'Audit "
                                             "date', 'Framework')", title)])
        tables = {}
        for name, columns in ((X.COMMENTS, X.COMMENT_COLUMNS), (X.BASE, X.BASE_COLUMNS)):
            found = B.find_sheet(wb, name)
            wanted = {L.header_key(c.header) for c in columns}
            tables[name] = (yield from B.read_table(wb, found, lambda c: 2 * (len(wanted & set(c)) >= 2), path.name)
                            ) if found else None
        about = yield from B.read_about(wb, path.name)
    yield Progress(0, 0, "Checking the audits")
    frameworks = known_frameworks(db)
    used = _frameworks_used(book, audits, frameworks, about)
    columns = _columns(book, audits, used)
    if book.problems:
        return book
    for number, values in audits.rows:
        _row(book, number, values, columns, used)
    by_uid: dict[str, Incoming] = {}
    for a in book.audits:
        if a.uid in by_uid:  # a copied row: two rows cannot both be the same audit
            book.problem(f"this audit id is also on row {by_uid[a.uid].row}; clear the id on rows you add",
                         row=a.row, column="Audit id")
        elif a.uid:
            by_uid[a.uid] = a
    if tables[X.COMMENTS] is not None:
        _comments(book, tables[X.COMMENTS], by_uid, used)
    if tables[X.BASE] is not None:
        t = tables[X.BASE]
        uid, fp, at = (t.index(c.header) for c in X.BASE_COLUMNS)
        book.base = {L.text(B.cell(v, uid)).lower(): (L.text(B.cell(v, fp)), X.stamp(B.cell(v, at))) for _, v in t.rows}
    return book


def _frameworks_used(book: AuditBook, audits: B.Table, frameworks: dict, about: dict) -> dict:
    """(name, version) -> (id, _Criteria) for each version the rows name; problems for the rest."""
    name_i, version_i = audits.index("Framework"), audits.index("Framework version")
    checks = {}
    for n in range(1, 100):
        name = about.get(L.header_key(f"{X.ABOUT_FRAMEWORK} {n}"))
        if name is None:
            break
        version = L.text(about.get(L.header_key(f"{X.ABOUT_FRAMEWORK} {n} version")))
        checks[(L.text(name), version)] = L.text(about.get(L.header_key(f"{X.ABOUT_FRAMEWORK} {n} check")))
    used: dict = {}
    for number, values in audits.rows:
        key = (L.text(B.cell(values, name_i)), L.text(B.cell(values, version_i)))
        if key in used or not key[0]:
            continue
        if key not in frameworks:
            have = ", ".join(X.framework_label(*k) for k in sorted(frameworks)) or "none"
            book.problem(f"the audits are scored under framework {X.framework_label(*key)}, which this database "
                         f"does not have (it has {have}); import that framework first (File > Import framework, or "
                         f"send-desktop import DB FILE --kind framework)", row=number, column="Framework version")
            used[key] = None
            continue
        fid, fw = frameworks[key]
        if checks.get(key) and checks[key] != X.grading_check(fw):
            book.problem(f"this database's framework {X.framework_label(*key)} grades differently from the one these "
                         f"audits were scored under (weights, criteria, bands or rules differ); import the sender's "
                         f"framework as a new version first", row=number, column="Framework version")
        used[key] = (fid, _Criteria(fw))
    return used


def _columns(book: AuditBook, audits: B.Table, used: dict) -> dict:
    columns = {c.key: audits.index(c.header) for c in X.DETAILS}
    for c in X.DETAILS:
        if c.required and columns[c.key] is None:
            book.problem(f"the column '{c.header}' is missing", row=audits.header_row, column=c.header)
    criteria = {cid for entry in used.values() if entry for cid in entry[1].info}
    known = {L.header_key(c.header) for c in X.DETAILS + X.DERIVED}
    rating_columns = {}
    for j, header in enumerate(audits.headers):
        if not header or L.header_key(header) in known:
            continue
        cid = next((c for c in criteria if L.header_key(c) == L.header_key(header)), None)
        if cid is None:
            book.problem(f"unknown column '{header}': it is neither an audit detail nor a criterion of the "
                         f"framework versions the audits name", row=audits.header_row, column=header)
        elif cid not in rating_columns:
            rating_columns[cid] = j
    for key, entry in used.items():
        for cid in (entry[1].info if entry else ()):
            if cid not in rating_columns:
                book.problem(f"there is no column for criterion '{cid}' of framework {X.framework_label(*key)}",
                             row=audits.header_row, column=cid)
    columns["_ratings"] = rating_columns
    return columns


def _row(book: AuditBook, number: int, values: tuple, columns: dict, used: dict) -> None:
    def get(key):
        return B.cell(values, columns[key])

    def convert(key, reader, *args):
        try:
            return reader(get(key), *args)
        except L.CellError as exc:
            book.problem(str(exc), row=number, column=next(c.header for c in X.DETAILS if c.key == key))
            return None

    before = len(book.problems)
    fields = {k: L.text(get(k)) for k in ("team", "key_stage", "primary_need", "setting_type", "auditor", "agency",
                                          "notes")}
    fields["plan_ref"] = L.text(get("plan_ref"))
    if not fields["plan_ref"]:
        book.problem("the plan reference is missing (a pseudonymous reference, never a child's name)", row=number,
                     column="Plan ref")
    fields["plan_type"] = convert("plan_type", X.choice, PLAN_TYPES, "plan type", "annual review")
    fields["status"] = convert("status", X.choice, STATUSES, "status", "draft")
    fields["plan_issue_date"] = convert("plan_issue_date", L.date)
    fields["audit_date"] = convert("audit_date", L.date)
    if fields["audit_date"] is None and not L.text(get("audit_date")):
        book.problem("the audit date is missing", row=number, column="Audit date")
    fields["critical_concern"] = convert("critical_concern", L.boolean)
    uid = convert("uid", L.uid)
    key = (L.text(get("framework")), L.text(get("framework_version")))
    entry = used.get(key)
    if entry is None:
        if not key[0]:
            book.problem("the framework is missing", row=number, column="Framework")
        return
    framework_id, crit = entry
    fields["framework"] = key
    fields["no_needs"] = X.codes(get("no_needs"))
    for code in fields["no_needs"]:
        if code not in crit.markable:
            book.problem(f"section '{code}' cannot be marked \"no needs identified\" (it can be one of: "
                         f"{', '.join(sorted(crit.markable))})", row=number, column="No needs identified")
    ratings = {}
    for cid, j in columns["_ratings"].items():
        value = values[j] if j < len(values) else None
        info = crit.info.get(cid)
        if info is None:
            if value is not None and L.text(value):
                book.problem(f"criterion '{cid}' is not in framework {X.framework_label(*key)}", row=number,
                             column=cid)
            continue
        if type(value) is int and 0 <= value <= info[0]:  # the common case, checked without a call
            ratings[cid] = value
            continue
        try:
            v = X.rating(value, info[0])
        except L.CellError as exc:
            book.problem(f"criterion '{cid}': {exc}", row=number, column=cid)
            continue
        if v == "na" and not crit.na_allowed(cid, fields["no_needs"]):
            book.problem(f"criterion '{cid}': section '{info[1]}' does not allow N/A (not evidenced is 0)",
                         row=number, column=cid)
        elif v is not None:
            ratings[cid] = v
    fields.update(ratings=ratings, na_reasons={}, comments={})
    if len(book.problems) == before:
        book.audits.append(Incoming(number, uid, fields, framework_id))


def _comments(book: AuditBook, table: B.Table, by_uid: dict[str, Incoming], used: dict) -> None:
    index = {c.key: table.index(c.header) for c in X.COMMENT_COLUMNS}
    for c in X.COMMENT_COLUMNS:
        if c.required and index[c.key] is None:
            book.problem(f"the column '{c.header}' is missing", X.COMMENTS, table.header_row, c.header)
            return
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        try:
            uid = L.uid(B.cell(values, index["uid"]))
        except L.CellError as exc:
            book.problem(str(exc), X.COMMENTS, number, "Audit id")
            continue
        cid = L.text(B.cell(values, index["criterion"]))
        reason, comment = (X.clean(B.cell(values, index[k])) for k in ("na_reason", "comment"))
        audit = by_uid.get(uid or "")
        if audit is None:
            book.problem("no audit on the Audits sheet has this id (comments belong to an audit exported with "
                         "it)", X.COMMENTS, number, "Audit id")
            continue
        if cid not in used[audit.fields["framework"]][1].info:
            book.problem(f"criterion '{cid}' is not in framework {X.framework_label(*audit.fields['framework'])}",
                         X.COMMENTS, number, "Criterion")
            continue
        if (uid, cid) in seen:
            book.problem(f"criterion '{cid}' of this audit is listed twice (row {seen[uid, cid]})", X.COMMENTS,
                         number, "Criterion")
            continue
        seen[uid, cid] = number
        if reason and audit.fields["ratings"].get(cid) != "na":
            book.warnings.append(Problem(f"an N/A reason is given for criterion '{cid}', which is not rated N/A; "
                                         f"the reason was not imported", X.COMMENTS, number, "N/A reason"))
        elif reason:
            audit.fields["na_reasons"][cid] = reason
        if comment:
            audit.fields["comments"][cid] = comment


def stored_audits(con, where: str = "", params: tuple | list = ()) -> list[dict]:
    """Audits as the exchange compares them (plain sqlite3, so 10,000 are read in a blink)."""
    rows = con.execute(
        "SELECT a.id, a.uid, a.framework_id, f.name, f.version, a.plan_ref, a.plan_type, a.plan_issue_date, a.team, "
        "a.key_stage, a.primary_need, a.setting_type, a.auditor, a.agency, a.audit_date, a.status, a.no_needs, "
        "a.critical_concern, a.notes, a.ratings, a.na_reasons, a.comments, a.score, a.grade, a.updated_at "
        f"FROM audit a JOIN audit_framework f ON f.id = a.framework_id {where}", params)
    out = []
    for r in rows:
        out.append({
            "id": r[0], "uid": r[1], "framework_id": r[2], "framework": (r[3], r[4]), "plan_ref": r[5],
            "plan_type": r[6], "plan_issue_date": dt.date.fromisoformat(r[7][:10]) if r[7] else None, "team": r[8],
            "key_stage": r[9], "primary_need": r[10], "setting_type": r[11], "auditor": r[12], "agency": r[13],
            "audit_date": dt.date.fromisoformat(r[14][:10]), "status": r[15], "no_needs": json.loads(r[16] or "[]"),
            "critical_concern": bool(r[17]), "notes": r[18] or "", "ratings": json.loads(r[19] or "{}"),
            "na_reasons": json.loads(r[20] or "{}"), "comments": json.loads(r[21] or "{}"), "score": r[22],
            "grade": r[23], "updated_at": dt.datetime.fromisoformat(r[24]) if r[24] else None})
    return out
