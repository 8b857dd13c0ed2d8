"""Reading a plan workbook back into the database: check everything, then change it in one go.

The order of work, which is what makes an import safe to run on the only copy of a board's plan,
is `workbook_io.import_workbook`'s: read every sheet (`book_reader`); inside one write
transaction match the workbook against the plan (`plan_resolve`), refusing the whole file on any
problem; back the file up; write through the ORM (`plan_apply`), so the change log records each
change with the import as its source; commit. A dry run does the same and rolls back, so it
reports exactly what the real run would.

The counting rule for created / updated / unchanged is in `plan_rows`. `ImportReport` is the
report every workbook import returns (its kind's noun and words set by subclasses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.errors import Problem
from send_desktop.xlsx import workbook_io as W
from send_desktop.xlsx.book_reader import read_book


def counted(count: int, word: str, plural: str | None = None) -> str:
    """ "1 action", "3 actions", "2 people", "6,000 actions"."""
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


@dataclass
class ImportReport:
    """What an import did (or a dry run would do), for the command line's JSON and for people."""

    #: what `created` counts, the plural of each kind in `other`, and the word for each count
    noun = "action"
    plurals = {"person": "people", "priority": "priorities"}
    words = (("created", "created"), ("updated", "changed"))

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
    #: fields changed both in the workbook and in the database since the export (`xlsx.merge`), as
    #: problems with sheet, row and column (the audits exchange lists whole audits, as dicts)
    conflicts: list = field(default_factory=list)
    #: records deleted because their rows were deleted from the workbook (`delete_missing`)
    deleted: int = 0
    #: each conflict's parts and key (`merge_decisions.Conflict`), in the order of `conflicts`
    conflict_details: list = field(default_factory=list)
    #: an officer's own plan workbook only (`plan_foreign`): the rows matched to actions by their
    #: wording (`plan_match.TextMatch.as_dict`), and the scale its statuses were read with
    #: (`plan_scale.ScaleChoice.info`); None for every other import
    matches: list[dict] | None = None
    scale: dict | None = None

    def as_dict(self) -> dict:
        """The command line's contract: these keys, in this order, and no others; an officer's own
        plan workbook adds "matches" and "scale" at the end."""
        def plain(p):
            return p.as_dict() if isinstance(p, Problem) else Problem(str(p)).as_dict()

        out = {"kind": self.kind, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
               "conflicts": len(self.conflicts),
               "errors": [plain(p) for p in self.errors], "warnings": [plain(w) for w in self.warnings]}
        if self.matches is not None:
            out["matches"] = self.matches
        if self.scale is not None:
            out["scale"] = self.scale
        return out

    def summary(self) -> str:
        would = "would be " if self.dry_run else ""
        text = (f"{self.file or 'The workbook'}: {counted(self.created, self.noun)} {would}created, "
                f"{self.updated:,} {would}updated, {self.unchanged:,} unchanged.")
        others = [f"{counted(c[key], kind, self.plurals.get(kind))} {would}{word}" for key, word in self.words
                  for kind, c in self.other.items() if c[key]]
        if others:
            text += f" Also {', '.join(others)}."
        return text + self.merge_text() + self.closing()

    def merge_text(self) -> str:
        """The sentences on conflicts and deleted rows."""
        would = "would be " if self.dry_run else ""
        text = ""
        if self.conflicts and not isinstance(self.conflicts[0], dict):
            text += f" {counted(len(self.conflicts), 'conflict')} (changed both in the workbook and in the database)."
        if self.deleted:
            text += f" {counted(self.deleted, 'record')} {would}deleted (no longer in the workbook)."
        return text

    def closing(self) -> str:
        """The sentences that end every summary: the warnings, and whether this was a dry run."""
        text = ""
        if self.warnings:
            text += f" {counted(len(self.warnings), 'warning')}, the first: {self.warnings[0]}."
        if self.dry_run:
            text += " This was a dry run: nothing was changed."
        return text


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
                today: dt.date | None = None, strategy: str | None = None,
                delete_missing: bool = False, mapping: dict | None = None, decisions: dict | None = None,
                scale: str | None = None, matches: dict | str | list | None = None
                ) -> Generator[Progress, None, ImportReport]:
    """Import a workbook written by `export_plan` (and edited since); see the module docstring.
    `decisions` and `strategy` decide conflicts (`xlsx.merge`); `delete_missing` deletes actions whose rows were
    deleted from the workbook (else they are listed as warnings).

    A workbook the application did not write (an officer's own tracker), or any workbook given a
    column `mapping` ({"column header": "field"}), is read by `plan_foreign` instead: it has no
    export to compare with, so there are no conflicts and no deleted rows to decide. There,
    `scale` chooses the scale of a plan the import creates (`plan_scale`) and `matches` decides
    the rows matched to actions only doubtfully by their wording (`plan_match`); a workbook this
    application wrote has its ids and its Key sheet, so both are left unused (and say so)."""
    from send_desktop.storage import models as m
    from send_desktop.xlsx import layout as L
    from send_desktop.xlsx import plan_foreign
    from send_desktop.xlsx.layout import ABOUT_PLAN_UID
    from send_desktop.xlsx.merge_decisions import no_decisions
    from send_desktop.xlsx.plan_apply import apply_changes
    from send_desktop.xlsx.plan_resolve import resolve
    from send_desktop.xlsx.plan_scale import scale_key

    today = today or dt.date.today()
    scale_key(scale)  # a name that is no scale is refused before the file is read
    if mapping is not None or plan_foreign.is_foreign(Path(path)):
        no_decisions(decisions, "an officer's own workbook has no export to conflict with")
        return (yield from plan_foreign.import_foreign_plan(
            db, Path(path), ImportReport(file=Path(path).name, dry_run=dry_run), dry_run=dry_run, source=source,
            today=today, mapping=mapping, scale=scale, matches=matches))

    def changes(s, book):
        state = _state(db, s, book.about_item(ABOUT_PLAN_UID).lower())
        cs = resolve(book, state, today=today, user=db.user)
        cs.warnings += _unused_choices(scale, matches)
        return cs

    return (yield from W.import_workbook(db, path, ImportReport(file=Path(path).name, dry_run=dry_run),
                                         read=read_book, resolve=changes, apply=apply_changes, source=source,
                                         dry_run=dry_run, checking="Checking the workbook against the plan",
                                         strategy=strategy, delete_missing=delete_missing, decisions=decisions,
                                         main=(m.Action, L.PLAN.name, _plan_scope(m), "action_uid")))


def _unused_choices(scale, matches) -> list[Problem]:
    """The warnings for a scale or match decisions given for a workbook this application wrote."""
    from send_desktop.xlsx.plan_scale import scale_key

    out = []
    if scale_key(scale) is not None:
        out.append(Problem("the workbook was exported by this application, so its rating scale is its Key "
                           "sheet's (or the plan's); the scale chosen was not used"))
    if matches not in (None, "none", {}, []):
        out.append(Problem("the workbook was exported by this application, so its rows are matched by their "
                           "ids; the match decisions were not used"))
    return out


def _plan_scope(m):
    """The actions of the first plan (the one an import matches; see `_state`)."""
    from sqlalchemy import select

    def scope(session):
        plan_id = session.scalar(select(m.Plan.id).order_by(m.Plan.id).limit(1))
        return m.Action.outcome_id.in_(select(m.Outcome.id).join(m.Priority).where(m.Priority.plan_id == plan_id))

    return scope
