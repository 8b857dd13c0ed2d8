"""What a KPI workbook changes, worked out before anything is written, then written.

`resolve` matches the workbook's rows to the file's KPIs (by the hidden KPI id, else by
reference), checks every cell against the rules the window uses (`services.kpis`,
`core.kpi_values`, `core.periods`) and lists the changes; any problem is collected with its sheet,
row and column, and the import refuses the whole workbook. `apply` writes new records in bulk
(`changelog.insert_logged`) and changes to existing ones through the ORM; the change log records
each with the import as its source. Keeping the two apart lets a
dry run report exactly what a real run would.

A KPI counts as created, updated (its definition or any value, target or comparator changed) or
unchanged. Clearing a cell removes what it held; rows missing from a sheet are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Generator

from sqlalchemy import func, select

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import parse_period
from send_desktop.core.progress import Progress
from send_desktop.errors import Problem, UserError
from send_desktop.services.kpi_read import ComparatorRow, KpiRow, KpiSnapshot, Point
from send_desktop.services.kpis import clean_definition
from send_desktop.storage.changelog import insert_logged
from send_desktop.storage.models import Kpi, KpiComparator, KpiTarget, KpiValue, new_uids
from send_desktop.xlsx import kpi_xlsx_layout as K
from send_desktop.xlsx.kpi_xlsx_read import KpiBook, value_text

#: Definition fields by the Definitions column they come from ("priority" is read as a ref).
FIELDS = ("ref", "measure", "officer", "frequency", "unit", "direction", "tolerance", "notes")
CREATED, UPDATED, REMOVED = "created", "updated", "removed"


@dataclass
class PointChange:
    op: str                 # created, updated, removed
    model: type             # KpiValue or KpiTarget
    period: str
    value: kv.Value
    existing: Point | None


@dataclass
class ComparatorChange:
    op: str
    values: dict            # name, text, number, as_at, source
    uid: str | None
    existing: ComparatorRow | None


@dataclass
class KpiChange:
    existing: KpiRow | None
    uid: str | None
    fields: dict                              # the definition as it will be
    edits: dict = field(default_factory=dict)  # fields that differ from the database
    points: list[PointChange] = field(default_factory=list)
    comparators: list[ComparatorChange] = field(default_factory=list)
    row: int | None = None                    # its Definitions row
    obj: Kpi | None = None                    # once written

    @property
    def changed(self) -> bool:
        return self.existing is None or bool(self.edits or self.points or self.comparators)


@dataclass
class KpiChangeSet:
    kpis: list[KpiChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> tuple[int, int, int]:
        created = sum(c.existing is None for c in self.kpis)
        updated = sum(c.existing is not None and c.changed for c in self.kpis)
        return created, updated, len(self.kpis) - created - updated

    @property
    def created(self) -> int:
        return self.counts()[0]

    @property
    def updated(self) -> int:
        return self.counts()[1]

    @property
    def unchanged(self) -> int:
        return self.counts()[2]

    def other_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self.kpis:
            items = [("value" if p.model is KpiValue else "target", p.op) for p in c.points]
            items += [("comparator", x.op) for x in c.comparators]
            for kind, op in items:
                out.setdefault(kind, {CREATED: 0, UPDATED: 0, REMOVED: 0})[op] += 1
        return out

    def size(self) -> int:
        return sum(c.changed for c in self.kpis)


class _Resolver:
    def __init__(self, book: KpiBook, snap: KpiSnapshot):
        self.book, self.snap = book, snap
        self.cs = KpiChangeSet(warnings=list(book.warnings))
        self.problems = self.cs.problems
        self.by_uid = {k.uid: k for k in snap.kpis}
        self.by_ref = {kv.ref_key(k.ref): k for k in snap.kpis}
        self.priorities = {kv.ref_key(ref): pid for pid, ref in snap.priorities}
        self.changes_by_uid: dict[str, KpiChange] = {}
        self.changes_by_ref: dict[str, KpiChange] = {}
        self.changes_by_id: dict[int, KpiChange] = {}
        self.comparator_uids = {c.uid for k in snap.kpis for c in k.comparators}

    def problem(self, message: str, sheet: str, row, column: str = "") -> None:
        self.problems.append(Problem(message, sheet=sheet, row=row, column=column))

    # -- Definitions ------------------------------------------------------------------------

    def definitions(self) -> None:
        sheet = self.book.sheets.get(K.DEFINITIONS.name)
        if sheet is None:
            return
        headers = {c.key: c.header for c in K.DEFINITIONS.columns}
        sheet_uids = {row["uid"] for row in sheet.rows if row["uid"]}
        for row in sheet.rows:
            n, uid = row["_row"], row["uid"]
            existing = self.by_uid.get(uid) if uid else None
            if existing is None:  # a row added, or one from another file's workbook: match its reference
                by_ref = self.by_ref.get(kv.ref_key(row["ref"]))
                existing = by_ref if by_ref is not None and by_ref.uid not in sheet_uids else None
            if existing is not None and existing.id in self.changes_by_id:
                self.problem(f"KPI {existing.ref} is on this sheet twice (also row "
                             f"{self.changes_by_id[existing.id].row}); keep one row", K.DEFINITIONS.name, n)
                continue
            if uid and uid in self.changes_by_uid:
                self.problem("this KPI id is on the sheet twice; leave the id blank on rows you add",
                             K.DEFINITIONS.name, n, headers["uid"])
                continue
            fields = {}
            for key in FIELDS:
                if key not in sheet.present:
                    continue  # an optional column the officer removed: the database keeps its value
                try:
                    fields.update(clean_definition({key: row[key]}))
                except UserError as exc:
                    self.problem(exc.message, K.DEFINITIONS.name, n, headers[key])
            if "priority" in sheet.present:
                ref = row["priority"]
                fields["priority_id"] = self.priorities.get(kv.ref_key(ref)) if ref else None
                if ref and fields["priority_id"] is None:
                    known = ", ".join(r for _, r in self.snap.priorities) or "none yet"
                    self.problem(f"there is no priority {ref} in the plan (its priorities: {known}); "
                                 "leave it blank for none", K.DEFINITIONS.name, n, headers["priority"])
            change = KpiChange(existing, uid, fields, row=n)
            if existing is not None:
                change.edits = {k: v for k, v in fields.items() if getattr(existing, k) != v}
                self.changes_by_id[existing.id] = change
            if uid:
                self.changes_by_uid[uid] = change
            self.cs.kpis.append(change)
        for change in self.cs.kpis:
            ref = change.fields.get("ref") or (change.existing.ref if change.existing else "")
            self.changes_by_ref.setdefault(kv.ref_key(ref), change)
        self._check_refs_unique()

    def _check_refs_unique(self) -> None:
        final: dict[str, str] = {}
        for k in self.snap.kpis:
            if k.id not in self.changes_by_id:
                final[kv.ref_key(k.ref)] = f"KPI {k.ref} already in the database"
        for change in self.cs.kpis:
            ref = change.fields.get("ref", change.existing.ref if change.existing else "")
            key = kv.ref_key(ref)
            if key and key in final:
                self.problem(f"the reference {ref} is used twice ({final[key]}); references must differ",
                             K.DEFINITIONS.name, change.row, "Ref")
            final.setdefault(key, f"row {change.row}")

    # -- rows that point at a KPI -----------------------------------------------------------

    def kpi_for(self, row: dict, sheet: str) -> KpiChange | None:
        uid, ref = row.get("uid"), row.get("ref", "")
        # By id first; an id this file does not know (a row copied from another file's workbook)
        # falls back to the reference.
        change = self.changes_by_uid.get(uid) if uid else None
        existing = self.by_uid.get(uid) if uid else None
        if change is None and existing is None:
            key = kv.ref_key(ref)
            change, existing = self.changes_by_ref.get(key), self.by_ref.get(key)
        if change is not None:
            return change
        if existing is None:
            what = f"KPI {ref}" if ref else "this row's KPI"
            self.problem(f"{what} is not on the Definitions sheet or in the database", sheet, row["_row"], "Ref")
            return None
        change = self.changes_by_id.get(existing.id)
        if change is None:  # in the database but not on the Definitions sheet: its values may still change
            change = self.changes_by_id[existing.id] = KpiChange(existing, existing.uid, {})
            self.cs.kpis.append(change)
        return change

    @staticmethod
    def unit(change: KpiChange) -> str:
        return change.fields.get("unit") or (change.existing.unit if change.existing else "%")

    def point(self, change: KpiChange, model, period: str, text: str, where: tuple) -> None:
        what = "value" if model is KpiValue else "target"
        value = kv.parse_value(text)
        problem = kv.value_problem(value, self.unit(change), what)
        if problem:
            self.problem(problem, *where)
            return
        existing = None
        if change.existing is not None:
            pool = change.existing.values if model is KpiValue else change.existing.targets
            existing = next((p for p in pool if p.period == period), None)
        if not value.text:
            if existing is not None:
                change.points.append(PointChange(REMOVED, model, period, value, existing))
        elif existing is None:
            change.points.append(PointChange(CREATED, model, period, value, None))
        elif existing.text != value.text or existing.number != value.number:
            change.points.append(PointChange(UPDATED, model, period, value, existing))

    def wide(self, name: str, model) -> None:
        """The Values or Targets sheet: each row's cells, a blank one removing what it held."""
        sheet = self.book.sheets.get(name)
        if sheet is None:
            return
        rows_of: dict[int, int] = {}
        for row in sheet.rows:
            change = self.kpi_for(row, name)
            if change is None:
                continue
            if id(change) in rows_of:
                self.problem(f"this KPI is on the sheet twice (also row {rows_of[id(change)]}); keep one row", name,
                             row["_row"], "Ref")
                continue
            rows_of[id(change)] = row["_row"]
            for period, (text, header) in row["cells"].items():
                self.point(change, model, period, text, (name, row["_row"], header))

    def comparators(self) -> None:
        name = K.COMPARATORS.name
        seen: dict[tuple[int, str], int] = {}
        for row in self.book.rows(name):
            n = row["_row"]
            change = self.kpi_for(row, name)
            if change is None:
                continue
            title = " ".join(row["name"].split())
            if not title:
                self.problem("a comparator needs a name, such as National or Statistical neighbours", name, n,
                             "Comparator")
                continue
            if (id(change), title.casefold()) in seen:
                self.problem(f"the comparator '{title}' is on the sheet twice for this KPI (also row "
                             f"{seen[(id(change), title.casefold())]})", name, n, "Comparator")
                continue
            seen[(id(change), title.casefold())] = n
            value = kv.parse_value(value_text(row["text"], self.problems, {"sheet": name, "row": n, "column": "Value"}))
            problem = kv.value_problem(value, self.unit(change), "comparator")
            if problem:
                self.problem(problem, name, n, "Value")
                continue
            if len(row["source"]) > 300:
                self.problem("the source is longer than 300 characters", name, n, "Source")
                continue
            pool = change.existing.comparators if change.existing else ()
            uid = row["comparator_uid"]
            existing = next((c for c in pool if c.uid == uid), None) if uid else None
            existing = existing or next((c for c in pool if c.name.casefold() == title.casefold()), None)
            values = {"name": title, "text": value.text, "number": value.number, "as_at": row["as_at"],
                      "source": row["source"]}
            if not value.text:
                if existing is not None:
                    change.comparators.append(ComparatorChange(REMOVED, values, uid, existing))
            elif existing is None:  # a copied row's id belongs to another KPI's comparator: it gets a new one
                fresh = uid if uid and uid not in self.comparator_uids else None
                change.comparators.append(ComparatorChange(CREATED, values, fresh, None))
            elif any(getattr(existing, k) != v for k, v in values.items()):
                change.comparators.append(ComparatorChange(UPDATED, values, uid, existing))


def resolve(book: KpiBook, snap: KpiSnapshot) -> KpiChangeSet:
    r = _Resolver(book, snap)
    r.definitions()
    r.wide(K.VALUES_NAME, KpiValue)
    r.wide(K.TARGETS_NAME, KpiTarget)
    r.comparators()
    return r.cs


def _by_id(session, model, ids: list[int]) -> dict[int, object]:
    out = {}
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one statement
        out.update((o.id, o) for o in session.scalars(select(model).where(model.id.in_(ids[start:start + 500]))))
    return out


def _new_kpis(session, news: list[KpiChange], position: int) -> None:
    """Insert the new KPIs in one statement (`changelog.insert_logged`), each whole."""
    defaults = dict(officer="", frequency="monthly", unit="%", direction="higher", tolerance=None, notes="")
    records = [{**defaults, **c.fields, "position": position + n, **({"uid": c.uid} if c.uid else {})}
               for n, c in enumerate(news)]
    for c, kpi_id in zip(news, insert_logged(session, Kpi, records)):
        c.obj = SimpleNamespace(id=kpi_id)  # what the values, targets and comparators point at


def apply(session, cs: KpiChangeSet) -> Generator[Progress, None, None]:
    """Write a checked change set inside the import's session: new KPIs, values, targets and
    comparators in bulk (`changelog.insert_logged`, one logged insert each); changes to and
    removals of existing ones through the ORM, so the three-way merge sees every update.
    Changes, then new records, then removals."""
    total = max(1, cs.size())
    top = session.scalar(select(func.max(Kpi.position)))
    kpis = _by_id(session, Kpi, [c.existing.id for c in cs.kpis if c.existing is not None and c.edits])
    for c in cs.kpis:
        if c.existing is not None and c.edits:
            for key, value in c.edits.items():
                setattr(kpis[c.existing.id], key, value)
    points = [p for c in cs.kpis for p in c.points]
    comparators = [x for c in cs.kpis for x in c.comparators]
    old = {model: _by_id(session, model, [p.existing.id for p in points if p.model is model and p.existing])
           for model in (KpiValue, KpiTarget)}
    old_comparators = _by_id(session, KpiComparator, [x.existing.id for x in comparators if x.existing])
    for p in points:
        if p.op == UPDATED:
            obj = old[p.model][p.existing.id]
            obj.text, obj.number = p.value.text, p.value.number
    for x in comparators:
        if x.op == UPDATED:
            obj = old_comparators[x.existing.id]
            for key, value in x.values.items():
                setattr(obj, key, value)
    session.flush()  # changes first, through the ORM and the merge hook
    yield Progress(total // 3, total, "Writing the KPIs")
    _new_kpis(session, [c for c in cs.kpis if c.existing is None], 0 if top is None else top + 1)
    ends: dict[str, object] = {}
    new_points: dict[type, list[dict]] = {KpiValue: [], KpiTarget: []}
    new_comparators = []
    for c in cs.kpis:
        kpi_id = c.obj.id if c.obj is not None else c.existing.id
        for p in c.points:
            if p.op == CREATED:
                if p.period not in ends:
                    ends[p.period] = parse_period(p.period).end
                end = ends[p.period]
                new_points[p.model].append(dict(kpi_id=kpi_id, period=p.period, period_end=end, text=p.value.text,
                                                number=p.value.number))
        new_comparators += [{"kpi_id": kpi_id, **x.values, **({"uid": x.uid} if x.uid else {})}
                            for x in c.comparators if x.op == CREATED]
    yield Progress(total * 2 // 3, total, "Writing the KPIs' values")
    for model, records in (*new_points.items(), (KpiComparator, new_comparators)):
        # Every column given (uids made in one go): insert_logged has no defaults to work out.
        for record, uid in zip(records, new_uids(len(records))):
            record.setdefault("uid", uid)
        insert_logged(session, model, records)
    # Removals last, as the ORM's unit of work orders them: a new record never takes the id of
    # one this import removes, so the change log names each record by one id.
    for p in points:
        if p.op == REMOVED:
            session.delete(old[p.model][p.existing.id])
    for x in comparators:
        if x.op == REMOVED:
            session.delete(old_comparators[x.existing.id])
    session.flush()
    yield Progress(total, total, "Written")
