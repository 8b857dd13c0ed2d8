"""Reading a plan workbook back into the database: check everything, then change it in one go.

The order of work is what makes an import safe to run on the only copy of a board's plan:

1. read every sheet (`book_reader`); a file that is not a workbook is refused at once;
2. inside one write transaction, match the workbook against the plan (`plan_resolve`) and
   collect every problem; any problem refuses the whole file with `BadInputError`, and the
   transaction has written nothing;
3. back the database file up, then write the changes through the ORM (`plan_apply`), so the
   change log records each one with the import as its source;
4. commit. A dry run does steps 1-3 without the backup and rolls back, so it reports exactly
   what the real run would. Cancelling (a `Cancelled` thrown in at a yield) rolls back too.

The counting rule for created / updated / unchanged is in `plan_rows`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem, ReadOnlyError
from send_desktop.xlsx.book_reader import read_book, refuse


@dataclass
class ImportReport:
    kind: str = "plan"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem | str] = field(default_factory=list)
    #: records other than actions created or changed, e.g. {"priority": {"created": 1, "updated": 0}}
    other: dict[str, dict[str, int]] = field(default_factory=dict)
    file: str = ""
    dry_run: bool = False

    def as_dict(self) -> dict:
        def plain(p):
            return p.as_dict() if isinstance(p, Problem) else Problem(str(p)).as_dict()

        return {"kind": self.kind, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [plain(p) for p in self.errors], "warnings": [plain(w) for w in self.warnings]}

    def summary(self) -> str:
        def n(count, word, plural=None):
            return f"{count} {word if count == 1 else (plural or word + 's')}"

        would = "would be " if self.dry_run else ""
        text = (f"{self.file or 'The workbook'}: {n(self.created, 'action')} {would}created, "
                f"{self.updated} {would}updated, {self.unchanged} unchanged.")
        plurals = {"person": "people", "priority": "priorities"}
        others = [f"{n(c[key], kind, plurals.get(kind))} {would}{word}" for key, word in (("created", "created"),
                  ("updated", "changed")) for kind, c in self.other.items() if c[key]]
        if others:
            text += f" Also {', '.join(others)}."
        if self.warnings:
            first = self.warnings[0]
            text += f" {n(len(self.warnings), 'warning')}, the first: {first}."
        if self.dry_run:
            text += " This was a dry run: nothing was changed."
        return text


class _DryRun(Exception):
    """Raised at the end of a dry run so the session rolls back everything it wrote."""


def _state(db, session, plan_uid: str):
    from sqlalchemy import select

    from send_desktop.services.plan_read import PersonRow, load_plan
    from send_desktop.storage import models as m
    from send_desktop.xlsx.plan_resolve import DbState

    plan_id = session.scalar(select(m.Plan.id).where(m.Plan.uid == plan_uid)) if plan_uid else None
    plan_id = plan_id or session.scalar(select(m.Plan.id).order_by(m.Plan.id).limit(1))
    # The session holds the write lock (BEGIN IMMEDIATE) and has written nothing, so the plain
    # reader sees exactly what this transaction sees.
    snap = load_plan(db, plan_id) if plan_id else None
    uids = {model.__tablename__: set(session.scalars(select(model.uid)))
            for model in (m.Plan, m.Person, m.Workstream, m.Priority, m.Outcome, m.Action, m.StatusUpdate)}
    action_leads: dict[int, list[int]] = {}
    for action_id, person_id in session.execute(
            select(m.action_lead.c.action_id, m.action_lead.c.person_id)
            .order_by(m.action_lead.c.action_id, m.action_lead.c.position, m.action_lead.c.person_id)):
        action_leads.setdefault(action_id, []).append(person_id)
    ws_leads: dict[int, set[int]] = {}
    for ws_id, person_id in session.execute(select(m.workstream_lead.c.workstream_id,
                                                   m.workstream_lead.c.person_id)):
        ws_leads.setdefault(ws_id, set()).add(person_id)
    people = [PersonRow(*r) for r in session.execute(
        select(m.Person.id, m.Person.uid, m.Person.name, m.Person.role, m.Person.organisation)
        .order_by(m.Person.name, m.Person.id))]
    return DbState(snap, people, uids, action_leads, ws_leads)


def import_plan(db, path: Path, *, dry_run: bool = False, source: str = "import",
                today: dt.date | None = None) -> Generator[Progress, None, ImportReport]:
    """Import a workbook written by `export_plan` (and edited since); see the module docstring."""
    from send_desktop.storage.database import backup_file
    from send_desktop.xlsx.layout import ABOUT_PLAN_UID
    from send_desktop.xlsx.plan_apply import apply_changes
    from send_desktop.xlsx.plan_resolve import resolve

    path = Path(path)
    if db.read_only and not dry_run:
        raise ReadOnlyError(db.read_only_message())
    today = today or dt.date.today()
    yield Progress(0, 0, f"Reading {path.name}")
    book = yield from read_book(path)
    report = ImportReport(file=path.name, dry_run=dry_run)
    try:
        with db.session(source) as s:
            s.connection()  # take the write lock now: nothing else may change the plan under us
            yield Progress(0, 0, "Checking the workbook against the plan")
            state = _state(db, s, book.about_item(ABOUT_PLAN_UID).lower())
            cs = resolve(book, state, today=today, user=db.user)
            if cs.problems:
                raise refuse(path.name, cs.problems)
            report.created, report.updated, report.unchanged = cs.created, cs.updated, cs.unchanged
            report.warnings = list(cs.warnings)
            report.other = cs.other_counts()
            if not dry_run and cs.size():
                backup_file(db.path, "before-import")
            # A dry run writes too (then rolls back), so anything the database would refuse is
            # found; the counts come from the change set either way. A read-only file cannot
            # take even those rolled-back writes, so there the dry run stops at the counts.
            if not (dry_run and db.read_only):
                yield from apply_changes(s, cs)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    yield Progress(1, 1, "Done")
    return report
