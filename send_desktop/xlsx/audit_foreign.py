"""Importing audits from an officer's own tracker or a commercial audit tool's export.

`audit_exchange.import_audits` comes here when the workbook is not the application's own (no
"Framework version" column on an Audits sheet, no About sheet naming the layout), or when a
column mapping is given. Reading is `audit_foreign_read`; this module matches the rows to the
database and writes them, in the order of `workbook_io.import_workbook`: one transaction,
a backup first, the change log's source "import <file>" and one import batch
(`services.import_undo` undoes it). A dry run does it all and rolls it back.

The rules:

- audits are scored under the database's current framework (the default one is added, in the
  same transaction, when the file has none); an existing audit keeps the version it was scored
  under, and its ratings are checked against that version;
- a row is the existing audit of the same plan reference and audit date (and auditor, when the
  workbook names one; a workbook without auditors matches only where one audit fits), else a
  new audit. A field or criterion the workbook has no column for keeps the audit's value; a
  blank rating cell is "not evidenced";
- every audit is graded by the engine (`apply_grading`, as the window grades). A grade the
  workbook gives is never taken as the grade: where it differs from the engine's, the report
  says so, naming the cell;
- a moderated audit is not changed (its scoring is kept as moderated), and the report says so;
- new audits with no status column are "submitted" (a tracker records audits done).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import BadInputError, Problem
from send_desktop.xlsx import audit_exchange_layout as X
from send_desktop.xlsx.audit_exchange_apply import Decisions
from send_desktop.xlsx.audit_exchange_read import Incoming, _Criteria
from send_desktop.xlsx.audit_foreign_columns import grade_named
from send_desktop.xlsx.audit_foreign_read import KIND, ForeignAudits, read_foreign_audits
from send_desktop.xlsx.tolerant.headers import norm

_BLANK = {"plan_type": "annual review", "plan_issue_date": None, "team": "", "key_stage": "", "primary_need": "",
          "setting_type": "", "auditor": "", "agency": "", "notes": "", "status": "submitted", "no_needs": [],
          "critical_concern": False, "na_reasons": {}, "comments": {}}
_READ = ("plan_ref", "audit_date", "auditor", "team", "plan_type", "plan_issue_date", "key_stage", "primary_need",
         "setting_type", "agency", "status", "no_needs", "critical_concern", "notes")


@dataclass
class AuditChanges:
    """What the workbook does to the audits: `import_workbook`'s change set."""

    decisions: Decisions
    frameworks: dict                        # framework id -> Framework, for grading
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    added_framework: bool = False

    @property
    def created(self) -> int:
        return len(self.decisions.create)

    @property
    def updated(self) -> int:
        return len(self.decisions.update)

    @property
    def unchanged(self) -> int:
        return self.decisions.unchanged

    def size(self) -> int:
        return self.created + self.updated + self.added_framework

    def other_counts(self) -> dict[str, dict[str, int]]:
        return {"framework": {"created": 1, "updated": 0}} if self.added_framework else {}


def _framework_id(session, fa: ForeignAudits) -> tuple[int, bool]:
    """The framework's id; the default framework is added (in the import's transaction) to a file with none."""
    if fa.framework_id is not None:
        return fa.framework_id, False
    from send_desktop.audits.framework import framework_to_json
    from send_desktop.storage.models import AuditFramework

    fw = AuditFramework(name=fa.framework.name, version=str(fa.framework.version),
                        definition=framework_to_json(fa.framework), current=True)
    session.add(fw)
    session.flush()
    return fw.id, True


def _candidates(session) -> dict[tuple[str, dt.date], list[tuple[int, str]]]:
    """(plan reference, audit date) -> [(audit id, auditor)] of every audit in the database."""
    from sqlalchemy import select

    from send_desktop.storage.models import Audit

    out: dict = {}
    for aid, ref, day, auditor in session.execute(select(Audit.id, Audit.plan_ref, Audit.audit_date, Audit.auditor)
                                                  .order_by(Audit.id)):
        out.setdefault((norm(ref), day), []).append((aid, norm(auditor)))
    return out


def resolve(db, session, fa: ForeignAudits, now: dt.datetime) -> AuditChanges:
    from send_desktop.services.audit_frameworks import load_framework
    from send_desktop.xlsx.audit_exchange_read import stored_audits

    fid, added = _framework_id(session, fa)
    changes = AuditChanges(Decisions(), {fid: fa.framework}, list(fa.problems), list(fa.warnings), added)
    d = changes.decisions
    if changes.problems:
        return changes
    found = _candidates(session)
    matched: dict[int, int] = {}                     # workbook row -> audit id
    for row in fa.rows:
        audit_id = _match(changes, fa, row, found.get((norm(row["plan_ref"]), row["audit_date"]), []))
        if audit_id is not None:
            matched[row["_row"]] = audit_id
    ids = sorted(set(matched.values()))
    stored: dict[int, dict] = {}
    with db.reading() as con:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for a in stored_audits(con, f"WHERE a.id IN ({','.join('?' * len(part))})", part):
                stored[a["id"]] = a
    names = {fid: (fa.framework.name, str(fa.framework.version))}
    for row in fa.rows:
        old = stored.get(matched.get(row["_row"], -1))
        if old is None:
            fields = {**_BLANK, **{k: row[k] for k in _READ if k in row and row[k] is not None},
                      "ratings": {c: v for c, v in row["ratings"].items() if v is not None}}
            fields["framework"] = names[fid]
            inc = Incoming(row["_row"], None, fields, fid)
            d.create.append(inc)
        else:
            fields = {k: old[k] for k in (*_READ, "na_reasons", "comments", "framework")}
            fields.update({k: row[k] for k in _READ if k in row and row[k] is not None})
            ratings = {**old["ratings"], **row["ratings"]}
            fields["ratings"] = {c: v for c, v in ratings.items() if v is not None}
            fields["na_reasons"] = {c: r for c, r in old["na_reasons"].items() if fields["ratings"].get(c) == "na"}
            if old["framework_id"] not in changes.frameworks:
                changes.frameworks[old["framework_id"]] = load_framework(db, old["framework_id"])
            inc = Incoming(row["_row"], old["uid"], fields, old["framework_id"])
            if old["framework_id"] != fid and not _fits(changes, fa, row, inc):
                continue
            if X.canonical(fields) == X.canonical(old):
                d.unchanged += 1
            elif old["status"] == "moderated":
                d.unchanged += 1
                changes.warnings.append(Problem(
                    f"the audit of plan {row['plan_ref']} dated {row['audit_date']:%d/%m/%Y} was moderated in the "
                    f"database, and a moderated audit's scoring is kept as it was; it was not changed",
                    *fa.where[row["_row"]], row["_sheet"].header.header_of("plan_ref")))
                continue
            else:
                d.update.append((inc, old["id"]))
        d.stamps[inc.row] = now
        _check_grade(changes, fa, row, inc)
    return changes


def _match(changes: AuditChanges, fa: ForeignAudits, row: dict, candidates: list) -> int | None:
    if not candidates:
        return None
    auditor = norm(row.get("auditor", ""))
    if auditor:
        return next((aid for aid, who in candidates if who == auditor), None) or \
            next((aid for aid, who in candidates if not who), None)
    if len(candidates) == 1:
        return candidates[0][0]
    changes.problems.append(Problem(
        f"the database has {len(candidates)} audits of plan {row['plan_ref']} dated {row['audit_date']:%d/%m/%Y}, "
        f"by different auditors; add an auditor column so each row finds its audit",
        *fa.where[row["_row"]], row["_sheet"].header.header_of("plan_ref")))
    return None


def _fits(changes: AuditChanges, fa: ForeignAudits, row: dict, inc: Incoming) -> bool:
    """Whether the row's ratings fit the framework version the existing audit was scored under."""
    crit, before = _Criteria(changes.frameworks[inc.framework_id]), len(changes.problems)
    sheet, number = fa.where[row["_row"]]
    label = X.framework_label(*inc.fields["framework"])
    for cid, v in row["ratings"].items():
        info = crit.info.get(cid)
        if info is None:
            if v is not None:
                changes.problems.append(Problem(f"criterion {cid} is not in framework {label}, which this audit was "
                                                "scored under", sheet, number))
        elif (v == "na" and not crit.na_allowed(cid, inc.fields["no_needs"])) or (type(v) is int and v > info[0]):
            changes.problems.append(Problem(f"criterion {cid}: {v} is not a rating under framework {label}, which "
                                            "this audit was scored under", sheet, number))
    return len(changes.problems) == before


def _check_grade(changes: AuditChanges, fa: ForeignAudits, row: dict, inc: Incoming) -> None:
    """A grade the workbook gives, compared with the engine's: a warning naming the cell when they differ."""
    given = row.get("given_grade")
    if not given:
        return
    from send_desktop.audits.grading import grade

    fw = changes.frameworks[inc.framework_id]
    f = inc.fields
    result = grade(fw, f["ratings"], f["no_needs"], f["critical_concern"], f["na_reasons"])
    named = grade_named(given, fw)
    if named == result.grade:
        return
    score = f" ({result.rounded}%)" if result.rounded is not None else ""
    capped = next((c.reason for c in result.caps if c.lowered), "")
    why = f", capped because {capped}" if capped else ""
    said = f"'{given[:40]}'" + ("" if named else ", which is not a grade of the framework")
    sheet, number = fa.where[row["_row"]]
    changes.warnings.append(Problem(f"the workbook gives the grade {said}; graded by the framework the audit is "
                                    f"{result.grade}{score}{why}. The framework's grade is kept", sheet, number,
                                    row["_sheet"].header.header_of("overall_grade")))


def import_foreign_audits(db, path: Path, report, *, dry_run: bool, source: str, mapping=None,
                          strategy: str | None = None, now: dt.datetime | None = None,
                          today: dt.date | None = None) -> Generator[Progress, None, object]:
    """`import_audits` for a workbook from elsewhere (see the module notes); returns `report`."""
    from send_desktop.xlsx import workbook_io as W
    from send_desktop.xlsx.audit_exchange_apply import write
    from send_desktop.xlsx.book_reader import refuse
    from send_desktop.xlsx.tolerant.mappings import remember_mapping

    now = now or dt.datetime.now().replace(microsecond=0)
    fa_box: list[ForeignAudits] = []

    def read(p):
        fa = yield from read_foreign_audits(p, db, mapping, today or now.date())
        if fa.problems:  # refused before the transaction begins: nothing is written, nothing locked
            raise refuse(fa.file, fa.problems)
        fa_box.append(fa)
        return fa

    def apply(s, changes: AuditChanges):
        fa = fa_box[0]
        for sheet in fa.sheets:  # offered the next time this layout arrives
            remember_mapping(s, KIND, sheet.header.signature, sheet.header.mapping)
        try:
            yield from write(s, changes.decisions, changes.frameworks)
        except BadInputError as exc:  # the backstop of grading: name the workbook's own row
            row = next((p.row for p in exc.problems if p.row in fa.where), None)
            sheet, number = fa.where.get(row, ("", None))
            message = exc.problems[0].message if exc.problems else exc.message
            raise BadInputError(f"{fa.file}: sheet '{sheet}', row {number}: {message}",
                                [Problem(message, sheet, number)]) from None

    return (yield from W.import_workbook(db, path, report, read=read,
                                         resolve=lambda s, fa: resolve(db, s, fa, now), apply=apply,
                                         source=source, dry_run=dry_run, strategy=strategy,
                                         checking="Matching the audits with the database"))
