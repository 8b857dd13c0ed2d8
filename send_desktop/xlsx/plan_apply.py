"""Writing a resolved `ChangeSet` inside the import's one transaction, every change logged.

Every changed field, and every new record of a kind with few of them, goes through ORM objects,
so the change-log hook records it with the import's source and batch. From BULK new actions or
updates, they go in CHUNK at a time through `changelog.insert_logged`, the change log's one other
way in, which logs each exactly as the hook logs an ORM insert (tests/test_tolerant_plan.py
compares the two); their leads go straight into the association table, logged with the action.
Records are written parents first (people, workstreams, priorities, outcomes, actions, then
updates); progress is reported between chunks, and a cancel taken there rolls all of it back.
Action edits go through `plan_edit.apply_action_changes`, the window's own rules (a changed
timescale re-derives the due date).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Generator

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from send_desktop.core import testhooks
from send_desktop.core.progress import Progress
from send_desktop.core.scales import ScaleSpec
from send_desktop.services.plan_edit import apply_action_changes
from send_desktop.services.plan_setup import add_scale
from send_desktop.storage.models import Action, Person, Plan, Workstream, action_lead
from send_desktop.xlsx.changeset import ChangeSet, Edit, New, ident

STEP = 250  # records between progress reports
BULK = 200  # from this many new actions or updates, they are inserted in one statement (insert_logged)
CHUNK = 5_000  # new records per bulk statement
_ACTION_FIELDS = ("ref", "text", "workstream_id", "timescale", "success_criteria")


class _Writer:
    def __init__(self, session, cs: ChangeSet):
        self.s, self.cs = session, cs
        self.done, self.total = 0, max(cs.size(), 1)

    def progress(self, message: str) -> Progress:
        return Progress(min(self.done, self.total), self.total, message)

    def people(self, refs) -> list:
        return [r.obj if isinstance(r, New) else self.s.get(Person, r) for r in refs]

    def prefetch(self, model, items, *options) -> None:
        """Load the records about to be edited in one query instead of one each."""
        ids = [x.id for x in items if isinstance(x, Edit)]
        for start in range(0, len(ids), 500):
            list(self.s.scalars(select(model).where(model.id.in_(ids[start:start + 500])).options(*options)))

    def write(self, items, message: str, edit=None) -> Generator[Progress, None, None]:
        """Create the New records and apply the Edits of one kind, then flush."""
        for i, item in enumerate(items, 1):
            if isinstance(item, New):
                values = {k: ident(v) for k, v in item.values.items()}
                if item.leads is not None:
                    values["leads"] = self.people(item.leads)
                item.obj = item.model(**values)
                self.s.add(item.obj)
            else:
                (edit or self.edit)(item)
            self.done += 1
            if i % STEP == 0:
                yield self.progress(message)
        self.s.flush()

    def write_bulk(self, items, message: str, edit=None) -> Generator[Progress, None, None]:
        """`write`, but new records in one statement through `changelog.insert_logged`, logged as
        the hook logs an ORM insert (their leads too); an ORM object and unit of work per record
        is most of the time of a 10,000-action import. They go CHUNK at a time: memory stays flat
        at 100,000 records, and progress (and a cancel) is reported between chunks; a chunk's values
        and leads are let go of once it is written."""
        news = [x for x in items if isinstance(x, New)]
        if len(news) < BULK:
            yield from self.write(items, message, edit)
            return
        from send_desktop.storage.changelog import insert_logged, insert_rows

        yield from self.write([x for x in items if not isinstance(x, New)], message, edit)
        model = news[0].model
        people: dict = {}  # each lead's (id, name) once, not one session look-up per action

        def person(ref):
            key = ("new", id(ref)) if isinstance(ref, New) else ref
            if key not in people:
                found = self.people([ref])[0]
                people[key] = (found.id, found.name)
            return people[key]

        for start in range(0, len(news), CHUNK):
            part = news[start:start + CHUNK]
            records = [{k: v.obj.id if type(v) is New else v for k, v in item.values.items()} for item in part]
            leads = [[person(r) for r in item.leads or ()] for item in part] if model is Action else None
            ids = insert_logged(self.s, model, records,
                                [{"leads": [name for _, name in these]} for these in leads] if leads else None)
            for item, id_ in zip(part, ids):  # written: only the id is wanted now (`ident`)
                item.obj, item.values, item.leads = _Written(id_), _WRITTEN, None
            if leads:
                insert_rows(self.s, action_lead, [{"action_id": id_, "person_id": pid, "position": pos}
                                                  for id_, these in zip(ids, leads) for pos, (pid, _) in
                                                  enumerate(these)])
            self.done += len(part)
            yield self.progress(message)

    def edit(self, item: Edit) -> None:
        obj = self.s.get(item.model, item.id)
        for key, value in item.values.items():
            setattr(obj, key, ident(value))
        if item.leads is not None:
            obj.leads = self.people(item.leads)

    def edit_action(self, item: Edit) -> None:
        action = self.s.get(Action, item.id)
        fields = {k: ident(v) for k, v in item.values.items() if k in _ACTION_FIELDS}
        if fields:
            apply_action_changes(self.s, action, fields)
        for key in ("outcome_id", "position"):
            if key in item.values:
                setattr(action, key, ident(item.values[key]))
        if item.leads is not None:
            action.leads = self.people(item.leads)

    def lead_order(self) -> None:
        """Leads keep the order given in the workbook (the association table's position)."""
        rows = []
        for item in self.cs.actions:
            if item.leads and not isinstance(item.obj if isinstance(item, New) else None, _Written):
                action_id = ident(item) if isinstance(item, New) else item.id
                rows += [{"a": action_id, "p": p.id, "pos": pos} for pos, p in enumerate(self.people(item.leads))]
        if rows:  # the position column only orders the list; the leads themselves were logged
            self.s.execute(action_lead.update()
                           .where(action_lead.c.action_id == bindparam("a"),
                                  action_lead.c.person_id == bindparam("p"))
                           .values(position=bindparam("pos")), rows)


#: the values of a record `write_bulk` inserted: they are let go of chunk by chunk, so a 100,000-row
#: import does not hold every record it wrote until the end
_WRITTEN = MappingProxyType({})


class _Written:
    """A record `write_bulk` inserted: what `ident` needs of it."""

    __slots__ = ("id",)

    def __init__(self, id_: int):
        self.id = id_


def _new_plan(s, cs: ChangeSet) -> None:
    np = cs.new_plan
    scale = add_scale(s, ScaleSpec("imported", np.scale_name, tuple(np.levels)), preset=np.preset)
    for ref, level in zip(np.level_refs, scale.levels):
        ref.obj = level
    np.plan.obj = Plan(uid=np.uid, title=np.title, scale_id=scale.id)
    s.add(np.plan.obj)
    s.flush()


def apply_changes(session, cs: ChangeSet) -> Generator[Progress, None, None]:
    w = _Writer(session, cs)
    if cs.new_plan is not None:
        _new_plan(session, cs)
    if cs.people or cs.workstreams:  # lead lists are compared and set as Person objects
        list(session.scalars(select(Person)))
    w.prefetch(Workstream, cs.workstreams, selectinload(Workstream.leads))
    yield from w.write(cs.people, "Writing people")
    yield from w.write(cs.workstreams, "Writing workstreams")
    yield from w.write(cs.priorities, "Writing priorities")
    yield from w.write(cs.outcomes, "Writing outcomes")
    w.prefetch(Action, cs.actions, selectinload(Action.leads))
    yield from w.write_bulk(cs.actions, "Writing actions", w.edit_action)
    w.lead_order()
    session.flush()
    testhooks.checkpoint("import")
    yield w.progress("Writing status updates")
    yield from w.write_bulk(cs.updates, "Writing status updates")
    yield from w.write_bulk(cs.statuses, "Writing status changes")
