"""Merge, never overwrite: the three-way comparison every import's writes go through.

A workbook the application exported carries, on its About sheet, the change log's last row id at
the time (`sheets.CHANGE_LOG_POSITION`): the *base*. When it comes back, each field an import is
about to change is compared three ways, field by field, in the session's `before_flush` (so
every kind that writes through the ORM is covered by the same rule, whatever its resolver does):

- the workbook's value (what the import sets), the database's now (what it replaces), and the
  base: the value at export, which is the `old` of the first change logged for that field after
  the base position (no such change: the database still holds the base value);
- changed only in the workbook (the database has not changed the field since the export): applied;
- changed only in the database (the workbook still says the base value): the database's value
  stays (the import's write is taken back), and the report counts it as kept;
- changed on both sides to different values: a *conflict*, decided by the strategy:
  ``theirs`` takes the workbook's value, ``mine`` keeps the database's, ``fail`` (the default)
  keeps the database's and refuses the whole import, listing each conflict with its sheet, row
  and column.

A workbook without a base (from elsewhere, or exported before this was recorded) is compared
two ways as before: what differs from the database is the workbook's change.

A Status cell of the plan is a new dated update rather than a field: the same rule applies to the
action's current status (an update added in the database since the export is its change). A list
of linked records (an action's leads) is one field. A record the import would remove (a cleared KPI
value) that the database made since the export stays (the workbook never had it); one it changed
since is a conflict. Rows deleted from the workbook are the importer's to list (`missing`), and
deleted only when asked (`delete_records`).

What it does not do: a workbook's edit of an audit (the audits exchange compares whole audits by
their fingerprints, its own rule), nor a derived field the import computes itself from a changed
one (a due date from a timescale follows its timescale).

`ImportBatch` is the other half: the import's identity in the change log (see `changelog`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import inspect, select

from send_desktop.errors import Problem, UserError

STRATEGIES = ("theirs", "mine", "fail")
_CHUNK = 500


def check_strategy(strategy: str | None, default: str = "fail") -> str:
    strategy = strategy or default
    if strategy not in STRATEGIES:
        raise UserError(f"'{strategy}' is not a conflict strategy; give one of {', '.join(STRATEGIES)}.")
    return strategy


@dataclass
class ImportBatch:
    """An import as the change log knows it: written as an `import_batch` row with its first change."""

    file: str
    kind: str
    counts: dict = field(default_factory=dict)
    id: int | None = None


def base_position(about: dict) -> int | None:
    """The change-log position an exported workbook's About items carry, or None."""
    from send_desktop.xlsx.layout import header_key
    from send_desktop.xlsx.sheets import CHANGE_LOG_POSITION

    text = str(about.get(header_key(CHANGE_LOG_POSITION), "") or "").strip()
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def locator(book):
    """`locate(uid, field) -> (sheet, row, column)` over a book of `SheetRows` (plan, risks, action log,
    KPIs), finding the row by the record's hidden id; blanks where the book cannot say. Its
    `cell(uid, field)` is (sheet, the row as read, its `Column`) or None: where an edited value goes."""
    places: dict[str, tuple[str, dict, object]] = {}
    rows_by_sheet: dict[tuple[str, str], int] = {}
    for key in ("uid", "action_uid"):  # a record's own sheet first; the plan's actions are on Plan
        sheets = getattr(book, "sheets", None)
        for name, sheet in (sheets if isinstance(sheets, dict) else {}).items():  # an officer's own: none
            rows = getattr(sheet, "rows", None)
            if not isinstance(rows, list):
                continue
            for row in rows:
                uid = row.get(key) if isinstance(row, dict) else None
                if isinstance(uid, str) and uid:
                    rows_by_sheet.setdefault((name, uid.lower()), row.get("_row"))
                    if uid.lower() not in places:
                        places[uid.lower()] = (name, row, getattr(sheet, "layout", None))

    if places and all(layout is None for _, _, layout in places.values()):  # the KPI book keeps no layouts
        from send_desktop.xlsx import kpi_xlsx_layout as K

        known = {K.DEFINITIONS.name: K.DEFINITIONS, K.COMPARATORS.name: K.COMPARATORS}
        places = {uid: (name, row, known.get(name)) for uid, (name, row, _) in places.items()}

    def column_of(layout, key: str):
        from send_desktop.xlsx.merge_decisions import COLUMN_OF

        columns = getattr(layout, "columns", ()) or ()
        for wanted in (key, COLUMN_OF.get(key)):
            for c in columns:
                if wanted and getattr(c, "key", None) == wanted:
                    return c
        return None

    def locate(uid: str, key: str, on: str = "") -> tuple[str, int | None, str]:
        if on:  # the row of `uid` on the sheet `on` (a KPI's row on Values), the column `key` as given
            row = rows_by_sheet.get((on, (uid or "").lower()))
            return (on, row, key) if row is not None else ("", None, key)
        sheet, row, layout = places.get((uid or "").lower(), ("", {}, None))
        column = column_of(layout, key)
        return sheet, row.get("_row"), column.header if column is not None else key

    def cell(uid: str, key: str):
        sheet, row, layout = places.get((uid or "").lower(), ("", None, None))
        column = column_of(layout, key)
        if row is None or column is None or column.kind == "uid":
            return None
        return sheet, row, column

    locate.cell = cell
    return locate


class Merge:
    """The three-way rule for one import's session (see the module docstring)."""

    def __init__(self, position: int | None, strategy: str = "fail", locate=None, decisions: dict | None = None):
        from send_desktop.xlsx.merge_decisions import check_decisions

        self.position = position
        self.strategy = check_strategy(strategy)
        self.locate = locate or (lambda uid, key, on="": ("", None, key))
        self.decisions = check_decisions(decisions)
        self.conflicts: list[Problem] = []
        self.details: list = []  # `merge_decisions.Conflict`, one for each of `conflicts`
        self.undecided: list[Problem] = []  # the conflicts the strategy settled
        self.typed_over: dict = {}  # key -> the workbook's value an edited one replaced (`place_edits`)
        self.kept = 0          # fields changed only in the database, left as they are
        self.taken = 0         # conflicts settled with the workbook's value

    def install(self, session) -> None:
        if self.position is not None:
            session.info["before_flush"] = self.before_flush

    # -- the hook -----------------------------------------------------------------------------

    def before_flush(self, session) -> None:
        from send_desktop.storage.changelog import _LOGGED, _text
        from send_desktop.storage.models import StatusUpdate

        pending = []  # (obj, key, old, new, old text, new text)
        for obj in list(session.dirty):
            if type(obj) not in _LOGGED or obj in session.deleted:
                continue
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                hist = state.attrs[attr.key].history
                if not hist.has_changes() or not hist.deleted:
                    continue
                before, after = hist.deleted[0], hist.added[0] if hist.added else None
                if isinstance(before, dict) or isinstance(after, dict):
                    continue  # JSON objects (an audit's ratings): the audits exchange has its own rule
                old_t, new_t = _text(before), _text(after)
                if old_t != new_t:
                    pending.append((obj, attr.key, before, after, old_t, new_t))
            for rel in state.mapper.relationships:  # a list of linked records (an action's leads)
                if rel.secondary is None or rel.key not in state.dict:
                    continue
                hist = state.attrs[rel.key].history
                if not hist.has_changes():
                    continue
                current = list(getattr(obj, rel.key))
                before = [v for v in current if v not in hist.added] + list(hist.deleted)
                old_t, new_t = _text(before), _text(current)
                if old_t != new_t:
                    pending.append((obj, rel.key, before, current, old_t, new_t))
        statuses = [obj for obj in session.new if type(obj) is StatusUpdate and obj.id is None
                    and str(obj.narrative or "").startswith("Status set to ")]
        deleted = [obj for obj in session.deleted if type(obj) in _LOGGED and obj.id is not None]
        if pending:
            self._fields(session, pending)
        if statuses:
            self._statuses(session, statuses)
        if deleted and not session.info.get("deleting_missing"):
            self._deleted(session, deleted)

    def _deleted(self, session, deleted) -> None:
        """A record the import removes (a cleared KPI value) that the database made, or changed, since
        the export: made since, the workbook never had it, so it stays; changed since, a conflict."""
        by_entity: dict[str, set[int]] = {}
        for obj in deleted:
            by_entity.setdefault(obj.__tablename__, set()).add(obj.id)
        later = {entity: self._later(session, entity, sorted(ids)) for entity, ids in by_entity.items()}
        for obj in deleted:
            changes = later[obj.__tablename__]
            if (obj.id, "*") in changes:
                session.expunge(obj)
                self.kept += 1
            elif any(key[0] == obj.id for key in changes):
                fields = sorted(key[1] for key in changes if key[0] == obj.id)
                self._conflict(obj, "*", None, "(changed)", None, lambda: session.expunge(obj),
                               message=f"it was removed in the workbook and its {', '.join(fields)} changed in "
                                       "the database since the export")

    def _later(self, session, entity: str, ids: list[int], fields: bool = True) -> dict:
        """(entity id, field) -> the first change logged after the base, by something else than this
        import: its old value."""
        from send_desktop.storage.models import ChangeLog

        batch = session.info.get("batch")
        mine = batch.id if batch is not None else None
        first: dict = {}
        for start in range(0, len(ids), _CHUNK):
            q = (select(ChangeLog.entity_id, ChangeLog.field, ChangeLog.old, ChangeLog.batch_id, ChangeLog.op)
                 .where(ChangeLog.entity == entity, ChangeLog.id > self.position,
                        ChangeLog.entity_id.in_(ids[start:start + _CHUNK]))
                 .order_by(ChangeLog.id))
            for entity_id, fld, old, batch_id, op in session.execute(q):
                if mine is not None and batch_id == mine:
                    continue
                first.setdefault((entity_id, fld if op == "update" else "*"), old)
        return first

    def _fields(self, session, pending) -> None:
        by_entity: dict[str, set[int]] = {}
        for obj, *_ in pending:
            by_entity.setdefault(obj.__tablename__, set()).add(obj.id)
        later = {entity: self._later(session, entity, sorted(ids)) for entity, ids in by_entity.items()}
        for obj, key, before, after, old_t, new_t in pending:
            changes = later[obj.__tablename__]
            if (obj.id, key) not in changes:
                continue  # the database has not changed it since the export: the workbook's change
            base = changes[(obj.id, key)]
            if old_t == base:
                continue  # changed and changed back (an undone import): the database still holds the base
            if new_t == base and not self._edited(obj, key):  # only the database changed it: keep that
                setattr(obj, key, before)
                self.kept += 1
                continue
            self._conflict(obj, key, base, old_t, new_t, lambda obj=obj, key=key, before=before: setattr(
                obj, key, before))

    def key(self, obj, key: str) -> tuple[str, str, str]:
        """The conflict's stable key (`merge_decisions`): entity, the uid of its row, field."""
        _, uid, sheet_name = _label(obj)
        if sheet_name:  # a KPI's value, target or comparator: the period or comparator names it
            key = f"{key}@{getattr(obj, 'period', '') or getattr(obj, 'name', '')}"
        return (obj.__tablename__, (uid or "").lower(), key)

    def _edited(self, obj, key: str) -> bool:
        """Whether the user typed the workbook's value for this field (kept even when it is the base)."""
        return obj is not None and isinstance(self.decisions.get(self.key(obj, key)), tuple)

    def _conflict(self, obj, key: str, base, mine, theirs, keep_mine, message: str = "") -> None:
        from send_desktop.xlsx.merge_decisions import Conflict, shown

        label, uid, sheet_name = _label(obj)
        ckey = self.key(obj, key)
        choice = self.decisions.get(ckey) or self.strategy
        if choice == "theirs" or isinstance(choice, tuple):
            self.taken += 1
        else:
            keep_mine()
        if sheet_name:
            sheet, row, column = self.locate(uid, str(getattr(obj, "period", "") or getattr(obj, "name", "")
                                                      or key), sheet_name)
        else:
            sheet, row, column = self.locate(uid, key)
        message = message or (f"{key} was changed in the workbook to {_show(theirs)} and in the database since the "
                              f"export to {_show(mine)} (exported as {_show(base)})")
        record = f"{obj.__tablename__.replace('_', ' ')} {label}"
        problem = Problem(f"conflict: {record}: {message}", sheet, row, column)
        self.conflicts.append(problem)
        if ckey not in self.decisions:
            self.undecided.append(problem)
        cell = getattr(self.locate, "cell", None)
        editable = not sheet_name and key != "*" and cell is not None and cell(uid, key) is not None
        theirs = self.typed_over.get(ckey, shown(theirs))  # an edited value: the workbook's was this
        self.details.append(Conflict(ckey[0], ckey[1], ckey[2], record, column or key, shown(base), shown(mine),
                                     theirs, sheet, row, column, editable))

    def _statuses(self, session, statuses) -> None:
        """A Status cell's new update against updates the database gained since the export."""
        from send_desktop.storage.models import Action, StatusUpdate

        actions = sorted({obj.action_id for obj in statuses if obj.action_id})
        if not actions:
            return
        added = {entity_id for (entity_id, fld) in self._later(session, "status_update", self._update_ids(
            session, actions))}
        for obj in statuses:
            rows = session.execute(select(StatusUpdate.id, StatusUpdate.date, StatusUpdate.level_id)
                                   .where(StatusUpdate.action_id == obj.action_id)).all()
            newer = [r for r in rows if r.id in added]
            if not newer:
                continue
            older = [r for r in rows if r.id not in added]
            base = max(older, key=lambda r: (r.date, r.id)).level_id if older else None
            current = max(rows, key=lambda r: (r.date, r.id)).level_id
            if current == base:
                continue  # updates were added, the status is the same: the workbook's change
            action = session.get(Action, obj.action_id)
            if obj.level_id == base and not self._edited(action, "status"):
                session.expunge(obj)
                self.kept += 1
                continue
            if obj.level_id == current:
                continue
            self._conflict(action, "status", _level(session, base), _level(session, current),
                           _level(session, obj.level_id), lambda: session.expunge(obj))

    def _update_ids(self, session, actions: list[int]) -> list[int]:
        from send_desktop.storage.models import StatusUpdate

        out = []
        for start in range(0, len(actions), _CHUNK):
            out += session.scalars(select(StatusUpdate.id).where(
                StatusUpdate.action_id.in_(actions[start:start + _CHUNK]), StatusUpdate.id.is_not(None)))
        return out

    # -- after the writes ---------------------------------------------------------------------

    def finish(self, file_name: str) -> None:
        """Refuse the whole import (`fail`) when conflicts were left undecided; the error's
        `conflicts` are every conflict's `merge_decisions.Conflict`."""
        from send_desktop.xlsx.book_reader import refuse

        if self.undecided and self.strategy == "fail":
            error = refuse(file_name, [Problem(p.message + "; choose --strategy theirs or mine, or decide each "
                                                           "(--decisions)", *p[1:]) for p in self.undecided])
            error.conflicts = list(self.details)  # every conflict, decided or not, for the user to decide
            raise error


def _label(obj) -> tuple[str, str, str]:
    """How a conflict names a record, the id its row is found by, and the sheet for a KPI's value."""
    from send_desktop.storage.models import Kpi, KpiComparator, KpiTarget, KpiValue

    if isinstance(obj, (KpiValue, KpiTarget, KpiComparator)):
        session = inspect(obj).session
        kpi = session.get(Kpi, obj.kpi_id) if session is not None else None
        what = getattr(obj, "period", None) or getattr(obj, "name", "")
        sheet = {KpiValue: "Values", KpiTarget: "Targets", KpiComparator: "Comparators"}[type(obj)]
        return f"{kpi.ref if kpi else ''} {what}".strip(), kpi.uid if kpi else "", sheet
    label = next((v for v in (_stored(obj, a) for a in ("ref", "plan_ref", "name", "title", "text"))
                  if isinstance(v, str) and v), f"#{obj.id}")
    label = label if len(label) <= 60 else label[:57] + "..."
    return label, getattr(obj, "uid", ""), ""


def _stored(obj, attr: str):
    """`obj.attr` as the database holds it, before the import's change (a record is named so)."""
    if attr not in inspect(obj).mapper.column_attrs:
        return None
    hist = inspect(obj).attrs[attr].history
    return hist.deleted[0] if hist.deleted else getattr(obj, attr)


def _level(session, level_id):
    from send_desktop.storage.models import ScaleLevel

    return session.get(ScaleLevel, level_id).label if level_id else None


def _show(value) -> str:
    if value is None or value == "":
        return "(blank)"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# -- rows deleted in the workbook -----------------------------------------------------------------

_LABELS = ("ref", "plan_ref", "name", "title", "text", "measure")


@dataclass
class Missing:
    model: type
    id: int
    label: str
    sheet: str


def missing(session, book, position: int | None, model, sheet: str, scope=None, uid_key: str = "uid") -> list[Missing]:
    """The `model` records an exported workbook held on `sheet` and no longer does: rows deleted
    there. Not for a workbook without a base (from elsewhere, or an older export), nor when the
    sheet itself is gone: there a missing row says nothing. Records made in the database since the
    export were never in it and are not missing. `scope(session)`: a condition choosing the records
    the workbook is about (one plan's actions)."""
    from send_desktop.storage.models import ChangeLog

    sheets = getattr(book, "sheets", None) or {}
    if position is None or sheet not in sheets:
        return []
    rows = getattr(sheets[sheet], "rows", None) or []
    uids = {str(r.get(uid_key)).lower() for r in rows if isinstance(r, dict) and r.get(uid_key)}
    label_col = next((getattr(model, a) for a in _LABELS if hasattr(model, a)), model.id)
    q = select(model.id, model.uid, label_col).order_by(model.id)
    if scope is not None:
        q = q.where(scope(session))
    later = set(session.scalars(select(ChangeLog.entity_id).where(
        ChangeLog.entity == model.__tablename__, ChangeLog.op == "insert", ChangeLog.id > position)))
    return [Missing(model, rid, str(label or f"#{rid}"), sheet) for rid, uid, label in session.execute(q)
            if (uid or "").lower() not in uids and rid not in later]


_NOT_DELETED = "is no longer in the workbook; not deleted"


def missing_warnings(gone: list[Missing], deleting: bool) -> list[Problem]:
    what = "deleted (--delete-missing)" if deleting else "not deleted"
    return [Problem(f"row for ref {m.label} is no longer in the workbook; {what}", m.sheet) for m in gone]


def count_missing(warnings) -> int:
    """How many of a report's warnings are rows deleted from the workbook and kept here."""
    return sum(1 for w in warnings if _NOT_DELETED in getattr(w, "message", w))


def is_conflict(problem: Problem) -> bool:
    """Whether a refusal's problem is a conflict (`Merge.finish`), which a strategy settles."""
    return problem.message.startswith("conflict: ")


def _children():
    """table -> [(mapped class, its foreign-key column key)] of logged rows deleted with it (ON DELETE CASCADE)."""
    from send_desktop.storage.models import LOGGED_MODELS

    out: dict[str, list] = {}
    for cls in LOGGED_MODELS:
        for col in cls.__table__.columns:
            for fk in col.foreign_keys:
                if fk.ondelete == "CASCADE":
                    out.setdefault(fk.column.table.name, []).append((cls, col.key))
    return out


def delete_records(session, gone: list[Missing]) -> int:
    """Delete the records, each with the logged records the database would delete with it, children
    first and through the ORM, so the change log holds every one (and an undo can put them back)."""
    children = _children()

    def delete(obj) -> None:
        for cls, key in children.get(obj.__tablename__, ()):
            for child in list(session.scalars(select(cls).where(getattr(cls, key) == obj.id))):
                delete(child)
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if rel.secondary is not None:
                getattr(obj, rel.key)  # loaded, so the logged record lists the links
        session.delete(obj)
        session.flush()

    n = 0
    session.flush()  # the import's own writes first, through the merge
    session.info["deleting_missing"] = True  # asked for: not the merge's to keep
    try:
        for m in gone:
            obj = session.get(m.model, m.id)
            if obj is not None:
                delete(obj)
                n += 1
    finally:
        session.info.pop("deleting_missing", None)
    return n
