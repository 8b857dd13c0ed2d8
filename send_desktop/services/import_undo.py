"""The imports a database has taken, and undoing one as a whole.

Every import that changed something is an `import_batch` row, and each change it made is a
change-log row carrying the batch's id (see `storage.changelog` and `xlsx.merge`). Undoing an
import reverts those changes newest first, in one transaction after a backup, through the ORM, so
the undo is itself in the change log (source "undo import FILE"):

- an insert: the record is deleted (an audit takes its derived improvement actions with it, as
  its foreign key and the ORM's cascade say);
- an update: the field gets its old value back (a JSON object, an audit's ratings, gets back the
  keys the import changed, and only those); a list of linked records (an action's leads) is
  found again by the names the log holds;
- a delete: the record is inserted again, with its id, from the whole record the log holds.

An import that re-grades an audit logs the improvement actions it replaces (derived rows are
otherwise never logged), so undoing it puts back those very rows; an audit whose ratings are put
back without them (an older import) is graded again, so its derived columns and actions are what
the window would make of them.

It refuses, changing nothing, when a record the import touched was changed afterwards by
anything else (the window, another import, an earlier undo), naming the first such change, and
when the import was undone already.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import inspect, select, update

from send_desktop.errors import UserError

_CHUNK = 500


def imports(db) -> list[dict]:
    """Every import on record, newest first: id, file, kind, source, at, user, counts, the number of
    changes it made, and when and by whom it was undone (None when it was not)."""
    with db.reading() as con:
        rows = con.execute(
            "SELECT b.id, b.file, b.kind, b.source, b.at, b.user, b.counts, b.undone_at, b.undone_by, "
            "(SELECT count(*) FROM change_log c WHERE c.batch_id = b.id) FROM import_batch b ORDER BY b.id DESC"
        ).fetchall()
    def stamp(text):  # "2026-12-02 09:00:00", as stored less its microseconds
        return str(text)[:19] if text else None

    return [{"id": r[0], "file": r[1], "kind": r[2], "source": r[3], "at": stamp(r[4]), "user": r[5],
             "counts": json.loads(r[6]) if r[6] else {}, "undone_at": stamp(r[7]), "undone_by": r[8] or "",
             "changes": r[9]} for r in rows]


def _batch(db, batch_id: int) -> dict:
    for b in imports(db):
        if b["id"] == batch_id:
            return b
    raise UserError(f"There is no import {batch_id} in {db.path.name} (see `send-desktop imports`).")


def later_change(db, batch_id: int):
    """The first change made after the import to a record it touched, by anything but the import:
    (entity, entity id, op, field, at, user, source), or None."""
    with db.reading() as con:
        return con.execute(
            "SELECT c.entity, c.entity_id, c.op, c.field, c.at, c.user, c.source FROM change_log c "
            "JOIN (SELECT DISTINCT entity, entity_id FROM change_log WHERE batch_id = ?) t "
            "ON c.entity = t.entity AND c.entity_id = t.entity_id "
            "WHERE c.id > (SELECT min(id) FROM change_log WHERE batch_id = ?) "
            "AND (c.batch_id IS NULL OR c.batch_id != ?) ORDER BY c.id LIMIT 1",
            (batch_id, batch_id, batch_id)).fetchone()


def _models() -> dict:
    from send_desktop.storage.models import LOGGED_MODELS

    return {m.__tablename__: m for m in LOGGED_MODELS}


def undo_import(db, batch_id: int) -> dict:
    """Revert every change of import `batch_id` (see the module docstring); returns a summary:
    {"id", "file", "reverted": changes reverted, "deleted", "restored", "reinserted"}."""
    from send_desktop.storage.database import backup_file
    from send_desktop.storage.models import ChangeLog, ImportBatch

    if db.read_only:
        raise UserError(db.read_only_message())
    batch = _batch(db, batch_id)
    name = f"import {batch_id} ({batch['file']}, {batch['at']})"
    if batch["undone_at"]:
        raise UserError(f"{name} was undone already, on {batch['undone_at']}"
                        + (f" by {batch['undone_by']}" if batch["undone_by"] else "") + ".")
    later = later_change(db, batch_id)
    if later is not None:
        entity, entity_id, op, fld, at, user, source = later
        what = f"{entity.replace('_', ' ')} {_label(db, entity, entity_id)}"
        change = {"insert": "re-created", "delete": "deleted"}.get(op, f"changed ({fld})")
        raise UserError(f"Cannot undo {name}: {what}, which it touched, was {change} afterwards on {at} "
                        f"by {user or 'someone'} ({source or 'unknown source'}). Nothing was changed.")
    backup_file(db.path, f"before-undo-import-{batch_id}")
    models = _models()
    summary = {"id": batch_id, "file": batch["file"], "reverted": 0, "deleted": 0, "restored": 0, "reinserted": 0}
    with db.session(f"undo import {batch['file']}") as s:
        s.connection().exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # re-inserted rows in log order
        rows = list(s.execute(select(ChangeLog.op, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.field,
                                     ChangeLog.old, ChangeLog.new)
                              .where(ChangeLog.batch_id == batch_id).order_by(ChangeLog.id.desc())))
        _refuse_new_children(s, models, rows, name)
        _prefetch(s, models, rows)
        regrade: set[int] = set()
        # audits whose improvement actions the import's log holds (see storage.changelog): put back
        # exactly; an audit whose ratings were restored without them is graded again
        logged_actions = {json.loads(new or old).get("audit_id") for op, entity, _, _, old, new in rows
                          if entity == "audit_action" and op in ("insert", "delete")}
        for op, entity, *_ in rows:
            if entity not in models:
                raise UserError(f"Cannot undo {name}: it changed {entity}, which this version does not know.")
        n = 0
        for run_op, run_entity, run in _runs(rows):
            if run_op == "insert":  # records the import made: deleted in bulk, as they were made
                _delete_inserted(s, models[run_entity], run)
                summary["deleted"] += len(run)
                summary["reverted"] += len(run)
                continue
            for op, entity, entity_id, fld, old, new in run:
                n += 1
                _undo_one(s, models[entity], op, entity, entity_id, fld, old, new, name, summary, regrade)
                if n % _CHUNK == 0:
                    s.flush()
        s.flush()
        _regrade(s, regrade - logged_actions)
        s.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
            undone_at=dt.datetime.now().replace(microsecond=0), undone_by=db.user or ""))
    return summary


def _runs(rows):
    """The log rows, newest first, in runs of the same operation on the same table."""
    run: list = []
    for row in rows:
        if run and (row[0], row[1]) != (run[0][0], run[0][1]):
            yield run[0][0], run[0][1], run
            run = []
        run.append(row)
    if run:
        yield run[0][0], run[0][1], run


def _delete_inserted(s, model, run) -> None:
    """Delete records the import inserted, in one statement per chunk, and log each delete as the
    hook would (the whole record: as inserted, since nothing changed it afterwards). Rows the
    database deletes with them (an audit's derived actions, link rows) go by its foreign keys."""
    from sqlalchemy import delete

    from send_desktop.storage.changelog import _LOG_COLUMNS, _insert_many, _log_row, _who
    from send_desktop.storage.models import ChangeLog

    s.flush()
    now, user, source = _who(s)
    table = model.__table__
    con = s.connection()
    for start in range(0, len(run), _CHUNK):
        chunk = run[start:start + _CHUNK]
        ids = [r[2] for r in chunk]
        for obj in [o for o in s.identity_map.values() if type(o) is model and o.id in set(ids)]:
            s.expunge(obj)
        con.execute(delete(table).where(table.c.id.in_(ids)))
        _insert_many(con, ChangeLog.__table__, _LOG_COLUMNS,
                     [_log_row(now, user, source, "delete", r[1], r[2], "*", r[5], None) for r in chunk])


def _refuse_new_children(s, models: dict, rows, name: str) -> None:
    """Records made afterwards under a record the import made (a status update added in the window
    to an imported action) would go with it: refuse, naming the first."""
    from send_desktop.storage.models import AuditAction
    from send_desktop.xlsx.merge import _children

    children = _children()
    made: dict[str, set[int]] = {}
    for op, entity, entity_id, *_ in rows:
        if op == "insert":
            made.setdefault(entity, set()).add(entity_id)
    for entity, ids in made.items():
        for cls, key in children.get(entity, ()):
            ours = made.get(cls.__tablename__, set())
            wanted = sorted(ids)
            for start in range(0, len(wanted), _CHUNK):
                q = select(cls.id, getattr(cls, key)).where(getattr(cls, key).in_(wanted[start:start + _CHUNK]))
                if cls is AuditAction:
                    q = q.where(AuditAction.edited.is_(True))  # derived actions go with their audit
                for child_id, parent_id in s.execute(q):
                    if child_id not in ours:
                        raise UserError(f"Cannot undo {name}: {cls.__tablename__.replace('_', ' ')} #{child_id} "
                                        f"was added afterwards to {entity.replace('_', ' ')} #{parent_id}, which "
                                        "the import made. Nothing was changed.")


def _undo_one(s, model, op, entity, entity_id, fld, old, new, name, summary, regrade) -> None:
    """Revert one logged update (the old value back) or delete (the record back)."""
    if op == "update":
        obj = s.get(model, entity_id)
        if obj is None:
            raise UserError(f"Cannot undo {name}: {entity} {entity_id} is no longer in the database.")
        _restore(s, obj, fld, old, new)
        if entity == "audit":
            regrade.add(entity_id)
        summary["restored"] += 1
    elif op == "delete":
        _reinsert(s, model, json.loads(old))
        summary["reinserted"] += 1
    summary["reverted"] += 1


def _label(db, entity: str, entity_id: int) -> str:
    model = _models().get(entity)
    for attr in ("ref", "plan_ref", "name", "title", "text"):
        if model is not None and attr in model.__table__.columns:
            with db.reading() as con:
                row = con.execute(f'SELECT "{attr}" FROM "{entity}" WHERE id = ?', (entity_id,)).fetchone()
            if row and row[0]:
                return f"{row[0]} (#{entity_id})"
            break
    return f"#{entity_id}"


def _prefetch(s, models: dict, rows) -> None:
    """Load the records to delete or restore in one query per table and chunk, not one each."""
    ids: dict[str, set[int]] = {}
    for op, entity, entity_id, *_ in rows:
        if op == "update" and entity in models:
            ids.setdefault(entity, set()).add(entity_id)
    for entity, wanted in ids.items():
        model, wanted = models[entity], sorted(wanted)
        for start in range(0, len(wanted), _CHUNK):
            list(s.scalars(select(model).where(model.id.in_(wanted[start:start + _CHUNK]))))


def _column_value(column, value):
    """A logged (JSON-ready) value back as the column's Python value."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary

    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):
        return int(value)
    if isinstance(kind, Float):
        return float(value)
    if isinstance(kind, LargeBinary):
        raise UserError("Cannot undo an import that changed a stored file.")
    return value


def _from_text(column, text, current):
    """A change log's text (`changelog._text`) back as the column's value."""
    from sqlalchemy import JSON, Boolean, String, Text

    if text is None:
        return None
    kind = column.type
    if isinstance(kind, (String, Text)) and not isinstance(kind, JSON):
        return text
    if isinstance(kind, Boolean):
        return json.loads(text) in (True, 1, "true")
    if isinstance(kind, JSON):
        if isinstance(current, list) or not text.lstrip().startswith(("{", "[")):
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            if isinstance(value, list):
                return value
            return [] if text == "" else text.split("; ")  # a list of words is logged as "a; b"
        return json.loads(text)
    from sqlalchemy import Date, DateTime

    if isinstance(kind, (Date, DateTime)):
        return _column_value(column, text)  # logged as ISO text
    return _column_value(column, json.loads(text))  # a number, logged as JSON


def _restore(s, obj, fld: str, old, new) -> None:
    mapper = inspect(obj).mapper
    rel = mapper.relationships.get(fld)
    if rel is not None and rel.secondary is not None:
        setattr(obj, fld, _related(s, rel, old))
        _positions(s, obj, rel)
        return
    column = mapper.columns[fld]
    current = getattr(obj, fld)
    if isinstance(current, dict) and old is not None and new is not None and old.startswith("{"):
        before, after = json.loads(old), json.loads(new)
        value = dict(current)
        for key in after:
            if key not in before:
                value.pop(key, None)
        value.update(before)
        setattr(obj, fld, value)
        return
    setattr(obj, fld, _from_text(column, old, current))


def _label_attr(cls) -> str:
    return next(a for a in ("name", "ref", "title", "id") if hasattr(cls, a))


def _related(s, rel, text) -> list:
    """The records a collection held, from the names (or references) the log lists."""
    cls = rel.mapper.class_
    if text is None or text == "":
        return []
    try:
        labels = json.loads(text) if text.startswith("[") else text.split("; ")
    except ValueError:
        labels = text.split("; ")
    attr = getattr(cls, _label_attr(cls))
    out, used = [], set()
    for label in labels:
        found = [o for o in s.scalars(select(cls).where(attr == label).order_by(cls.id)) if o.id not in used]
        if not found:
            raise UserError(f"Cannot undo: '{label}' ({cls.__tablename__}) is no longer in the database.")
        out.append(found[0])
        used.add(found[0].id)
    return out


def _positions(s, obj, rel) -> None:
    """An ordered link table (an action's leads) keeps the order the log lists."""
    table = rel.secondary
    if "position" not in table.c:
        return
    s.flush()
    mine = next(c for c in table.c if c.foreign_keys and next(iter(c.foreign_keys)).column.table is obj.__table__)
    other = next(c for c in table.c if c.foreign_keys and c is not mine)
    for pos, target in enumerate(getattr(obj, rel.key)):
        s.execute(table.update().where(mine == obj.id, other == target.id).values(position=pos))


def _reinsert(s, model, record: dict) -> None:
    mapper = inspect(model)
    values = {}
    for attr in mapper.column_attrs:
        if attr.key in record:
            values[attr.key] = _column_value(attr.columns[0], record[attr.key])
    obj = model(**values)
    s.add(obj)
    for rel in mapper.relationships:
        if rel.secondary is not None and rel.key in record:
            labels = record[rel.key]
            setattr(obj, rel.key, _related(s, rel, json.dumps(labels) if isinstance(labels, list) else labels))
    s.flush()
    for rel in mapper.relationships:
        if rel.secondary is not None and rel.key in record:
            _positions(s, obj, rel)


def _regrade(s, audit_ids: set[int]) -> None:
    """Audits whose ratings were put back: their derived columns and actions made again."""
    if not audit_ids:
        return
    from send_desktop.services.audit_edit import apply_grading, load_framework_cached
    from send_desktop.storage.models import Audit

    for audit_id in sorted(audit_ids):
        audit = s.get(Audit, audit_id)
        if audit is not None:
            apply_grading(s, audit, load_framework_cached(s, audit.framework_id))
