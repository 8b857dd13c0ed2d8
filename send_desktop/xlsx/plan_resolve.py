"""Matching a returned workbook against the plan: what to create, what to change, what is wrong.

Rules, chosen so a workbook can go out and come back any number of times:

- A row whose hidden id names a record of the plan updates that record, and only the fields
  whose values differ (after trimming spaces and blank lines) are changed.
- Priorities, outcomes, workstreams and people without a known id are matched by their
  reference or name; actions are not, because real plans repeat action references
  (2.5.3 twice) and two such rows are two actions. Anything unmatched is created, with the
  workbook's id when it has one, so the next import of the same file matches it.
- A priority or outcome is changed on its own sheet (Priorities, Outcomes). The Plan sheet
  repeats its reference and wording for reading; a copy there that differs is reported as a
  warning, and used only for records that their own sheet lacks (see `plan_groups.Node`).
- A Status cell the officer changed adds a dated update (see `plan_rows`).
- Records missing from the workbook are left alone, never deleted; the rating scale of an
  existing plan is never changed by an import (that re-maps history; the window does it).
- Row order does not reorder the plan (officers sort the sheet with its filter); new records
  go after their siblings, in the order of the workbook.

Problems are collected with their sheet, row and column; nothing is raised here.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Generator

from send_desktop.core.progress import Progress
from send_desktop.core.scales import PRESETS, LevelSpec, validate_levels
from send_desktop.errors import Problem
from send_desktop.services.plan_read import PersonRow, PlanSnapshot
from send_desktop.storage.models import Person, Plan, ScaleLevel, Workstream, new_uid
from send_desktop.xlsx import layout as L
from send_desktop.xlsx.book_reader import Book
from send_desktop.xlsx.changeset import ChangeSet, Edit, New, NewPlan
from send_desktop.xlsx.plan_groups import GroupsMixin
from send_desktop.xlsx.plan_rows import resolve_actions, resolve_updates


@dataclass
class DbState:
    """What the database holds, read inside the import's own transaction."""

    snap: PlanSnapshot | None                  # None: the database has no plan yet
    people: list[PersonRow]
    uids: dict[str, set[str]]                  # table -> every uid in the file, all plans
    action_leads: dict[int, list[int]]         # action id -> person ids, in order
    workstream_leads: dict[int, set[int]]


@functools.lru_cache(maxsize=1 << 12)  # names repeat on every row of a tracker
def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Resolver(GroupsMixin):
    """One pass over the workbook, sheet by sheet, parents before children."""

    def __init__(self, book: Book, state: DbState, *, today: dt.date, user: str):
        self.book, self.state, self.today, self.user = book, state, today, user
        self.snap = state.snap
        self.problems: list[Problem] = list(book.problems)
        self.warnings: list = []
        self.positions: dict = {}
        #: an officer's tracker (`plan_foreign`) sets this: `plan_rows` keeps `kept_of(row)` of each
        #: Plan row instead of the row (its rows come back from disk one by one, `row_spill`)
        self.kept_of = None
        #: a `plan_stream.Stream`: the records made are written every few thousand Plan rows, in the
        #: import's transaction, instead of all at the end (an officer's tracker, `plan_foreign`)
        self.stream = None
        #: an officer's own tracker (`plan_foreign`): a row that cannot be an action is left out with a
        #: warning where the application's own layout refuses the file
        self.tolerant = False
        self.cs = ChangeSet(plan=self.snap.plan_id if self.snap else 0, problems=self.problems,
                            warnings=self.warnings)

    # -- helpers used by every sheet ------------------------------------------------------------

    def error(self, layout: L.SheetLayout, row: dict | None, column: str, message: str) -> None:
        self.problems.append(Problem(message, layout.name, row["_row"] if row else None, column))

    def warn(self, layout: L.SheetLayout, row: dict | None, column: str, message: str) -> None:
        self.warnings.append(Problem(message, layout.name, row["_row"] if row else None, column))

    def where(self, layout, row, column) -> Problem:
        return Problem("", layout.name, row["_row"], column)

    def row_uid(self, layout, row, key: str, header: str, seen: set) -> str | None:
        """The row's id, or None for a row that repeats an earlier row's id (a copied row)."""
        uid = row.get(key)
        if uid and uid in seen:
            self.warn(layout, row, header, "repeats the id of an earlier row (a copied row?); "
                                           "it is added as a new record")
            return None
        if uid:
            seen.add(uid)
        return uid

    def fresh_uid(self, uid: str | None, table: str) -> str:
        """The workbook's id for a new record, unless another record of the file already has it."""
        taken = self.state.uids.setdefault(table, set())
        if not uid or uid in taken:
            return new_uid()  # random (uuid4): never tracked, so 100,000 new actions add no set of ids
        taken.add(uid)  # a second row giving the same id gets one of its own
        return uid

    def next_position(self, kind: str, parent, existing: int = -1) -> int:
        key = (kind, parent)
        pos = self.positions[key] = max(self.positions.get(key, existing), existing) + 1
        return pos

    # -- the whole workbook ----------------------------------------------------------------------

    def run(self) -> ChangeSet:
        for _ in self.steps():
            pass
        return self.cs

    def steps(self, message: str = "Checking the workbook against the plan") -> Generator[Progress, None, ChangeSet]:
        """`run`, reporting progress (and taking a cancel) every few thousand Plan rows."""
        self.scale_and_plan()
        self.people()
        self.workstreams()
        self.priorities()
        self.outcomes()
        yield from resolve_actions(self, message)
        self.finish_nodes()
        resolve_updates(self)
        return self.cs

    def scale_and_plan(self) -> None:
        book, snap = self.book, self.snap
        key_rows = book.rows(L.KEY)
        about_uid = book.about_item(L.ABOUT_PLAN_UID).lower()
        if snap is not None:
            self.levels = {lv.id: lv.label for lv in snap.scale.levels}
            pairs = [(lv.code, lv.label, lv.id) for lv in snap.scale.levels]
            theirs = [(r["code"], r["label"], r["meaning"], r["colour"].lower(), r["complete"].casefold())
                      for r in key_rows or []]
            ours = [(lv.code, lv.label, L.text(lv.meaning), lv.colour.lower(), "yes" if lv.complete else "no")
                    for lv in snap.scale.levels]
            if key_rows is not None and theirs != ours:
                self.warn(L.KEY, None, "", "differs from the plan's rating scale; the scale was not changed "
                                           "(change a plan's scale in the window)")
            if about_uid and about_uid != snap.uid:
                self.warn(L.ABOUT, None, "", "the workbook was exported from another plan; its rows were "
                                             "matched to this plan by their ids and references")
        else:
            if not key_rows:
                self.error(L.KEY, None, "", "the Key sheet is needed to create the plan's rating scale, "
                                            "and it is missing or empty")
            specs = [self.key_level(row) for row in key_rows or []]
            for message in validate_levels(specs) if specs else []:
                self.error(L.KEY, None, "", message)
            refs = [New(ScaleLevel) for _ in specs]
            self.levels = {ref: spec.label for ref, spec in zip(refs, specs)}
            pairs = [(spec.code, spec.label, ref) for spec, ref in zip(specs, refs)]
            title = book.about_item(L.ABOUT_TITLE) or book.sheets[L.PLAN.name].title.split(" \u2014 exported")[0]
            preset = book.about_item(L.ABOUT_PRESET)
            uid = about_uid if len(about_uid) == 32 else None
            plan = New(Plan)
            self.cs.plan = plan
            self.cs.new_plan = NewPlan(self.fresh_uid(uid, "plan"), title.strip() or "Priority Action Plan",
                                       book.about_item(L.ABOUT_SCALE) or "Rating scale", preset
                                       if preset in PRESETS else None, specs, refs, plan)
        self.level_index = {}
        for code, _, ref in pairs:
            self.level_index.setdefault(code.casefold(), ref)
        for _, label, ref in pairs:  # a label wins over another level's code
            self.level_index[label.casefold()] = ref

    def key_level(self, row: dict) -> LevelSpec:
        colour, complete = "#9e9e9e", False
        try:
            colour = L.colour(row["colour"]) if row["colour"] else colour
        except L.CellError as exc:
            self.error(L.KEY, row, "Colour", str(exc))
        try:
            complete = L.boolean(row["complete"])
        except L.CellError as exc:
            self.error(L.KEY, row, "Counts as complete", str(exc))
        return LevelSpec(row["code"], row["label"], row["meaning"], colour, complete)

    def level(self, layout, row, column: str, value: str):
        """The level a Status cell names (by label, or code), None when blank."""
        if not value:
            return None
        ref = self.level_index.get(value.casefold())
        if ref is None:
            labels = ", ".join(self.levels.values())
            self.error(layout, row, column, f"'{value}' is not a level of the scale ({labels})")
        return ref

    def people(self) -> None:
        st = self.state
        self.person_index: dict[str, object] = {}
        for p in st.people:
            self.person_index.setdefault(_key(p.name), p.id)
        by_uid = {p.uid: p for p in st.people}
        by_id = {p.id: p for p in st.people}
        seen: set = set()
        for row in self.book.rows(L.PEOPLE) or []:
            name = " ".join(row["name"].split())
            if not name:
                self.error(L.PEOPLE, row, "Name", "a person needs a name")
                continue
            uid = self.row_uid(L.PEOPLE, row, "uid", "Person id", seen)
            person = by_uid.get(uid) or by_id.get(self.person_index.get(_key(name)))
            values = {"name": name, "role": row["role"], "organisation": row["organisation"]}
            if person is not None:
                changes = {k: v for k, v in values.items()
                           if v != (" ".join(person.name.split()) if k == "name" else L.text(getattr(person, k)))}
                if changes:
                    self.cs.people.append(Edit(Person, person.id, changes))
                self.person_index[_key(name)] = person.id
            elif _key(name) not in self.person_index:
                new = New(Person, dict(values, uid=self.fresh_uid(uid, "person")))
                self.cs.people.append(new)
                self.person_index[_key(name)] = new

    def person(self, layout, row, column: str, name: str):
        ref = self.person_index.get(_key(name))
        if ref is None:
            ref = self.person_index[_key(name)] = New(Person, {"uid": self.fresh_uid(None, "person"),
                                                               "name": name, "role": "", "organisation": ""})
            self.cs.people.append(ref)
            self.warn(layout, row, column, f"'{name}' is not in the People list; added as a new person")
        return ref

    def workstreams(self) -> None:
        snap = self.snap
        existing = snap.workstreams if snap else []
        self.ws_index: dict[str, object] = {_key(w.name): w.id for w in existing}
        self.ws_names = {w.name for w in existing}
        by_uid = {w.uid: w for w in existing}
        by_id = {w.id: w for w in existing}
        rows = self.book.rows(L.WORKSTREAMS)
        self.ws_listed = rows is not None or bool(existing)
        top = max((w.position for w in existing), default=-1)
        seen: set = set()
        for row in rows or []:
            name = " ".join(row["name"].split())
            if not name:
                self.error(L.WORKSTREAMS, row, "Name", "a workstream needs a name")
                continue
            uid = self.row_uid(L.WORKSTREAMS, row, "uid", "Workstream id", seen)
            ws = by_uid.get(uid) or by_id.get(self.ws_index.get(_key(name)))
            leads = [self.person(L.WORKSTREAMS, row, "Leads", n) for n in row["leads"]]
            if ws is not None:
                changes = {}
                if name != ws.name:
                    changes["name"] = name
                if row["areas_of_focus"] != L.lines(ws.areas_of_focus):
                    changes["areas_of_focus"] = row["areas_of_focus"]
                same_leads = set(leads) == self.state.workstream_leads.get(ws.id, set())
                if changes or not same_leads:
                    self.cs.workstreams.append(Edit(Workstream, ws.id, changes, None if same_leads else leads))
                self.ws_index[_key(name)] = ws.id
                self.ws_names.add(name)
            elif _key(name) not in self.ws_index:
                new = New(Workstream, {"uid": self.fresh_uid(uid, "workstream"), "plan_id": self.cs.plan,
                                       "name": name, "areas_of_focus": row["areas_of_focus"],
                                       "position": self.next_position("workstream", 0, top)}, leads)
                self.cs.workstreams.append(new)
                self.ws_index[_key(name)] = new
                self.ws_names.add(name)

    def workstream(self, layout, row, column: str, name: str):
        if not name:
            return None
        ref = self.ws_index.get(_key(name))
        if ref is None and self.ws_listed:
            known = "; ".join(sorted(self.ws_names)) or "none"
            self.error(layout, row, column, f"'{name}' is not a workstream of the plan (known: {known}); "
                                            "add it to the Workstreams sheet first")
        elif ref is None:
            ref = self.ws_index[_key(name)] = New(Workstream, {
                "uid": self.fresh_uid(None, "workstream"), "plan_id": self.cs.plan, "name": name,
                "areas_of_focus": "", "position": self.next_position("workstream", 0)}, [])
            self.cs.workstreams.append(ref)
            self.warn(layout, row, column, f"added the workstream '{name}'")
        return ref


def resolve(book: Book, state: DbState, *, today: dt.date, user: str) -> ChangeSet:
    return Resolver(book, state, today=today, user=user).run()
