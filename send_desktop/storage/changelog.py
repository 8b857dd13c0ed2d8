"""The change log: one session hook records every insert, update and delete of user data.

Services never write change-log rows themselves. A session carries `info["user"]` and
`info["source"]` (set by `Database.session`), and `after_flush` turns the unit of work's
attribute history into rows: one row per changed field for updates, one row with the whole
record as JSON for inserts and deletes.

Derived rows are not logged, the inputs they are derived from are: an improvement action that a
rating raised, and that no person has edited, is made again from the audit's logged ratings, so
its insert and delete are left out (its edits are logged like any change). That keeps an import
of 10,000 audits to 10,000 logged inserts rather than 150,000.

A JSON object column (an audit's ratings) logs only the
keys that changed, so rating one criterion records that criterion, not the whole audit.

Bulk inserts (`insert_logged`): an import of 10,000 audits cannot afford an ORM object, a unit of
work and this hook's attribute history per record, so new records may be inserted in one Core
statement through `insert_logged`, the one other way in. It gives every column the value the ORM
would have given it (the defaults, None as the ORM treats None), and writes the change-log rows
the hook writes for an ORM insert, built by the same code (`_log_row`, `_record_values`): one
"insert" row per record, field "*", the whole record as JSON, with the session's user and source.
Updates and deletes go through the ORM and this hook only.

Imports (`workbook_io.ImportBatch`): a session whose `info["batch"]` holds an import's batch gives
every change-log row it writes that import's `batch_id`; the `import_batch` row itself is written
with the first logged change, so an import that changes nothing leaves no batch. That is what lets
`services.import_undo` list imports and undo one as a whole.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Date, DateTime, event, func, inspect, insert, select
from sqlalchemy.orm import Session

from send_desktop.storage.models import LOGGED_MODELS, AuditAction, ChangeLog, ImportBatch

_LOGGED = set(LOGGED_MODELS)
_AS_IS = frozenset((str, int, float, bool))


def _plain(value):
    if value is None or type(value) in _AS_IS:  # the common case first: the checks below agree
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):  # a stored file (an issued pack's PDF)
        return f"<{len(value):,} bytes>"
    if isinstance(value, (list, tuple)):
        return [v if v is None or type(v) in _AS_IS else _plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): v if v is None or type(v) in _AS_IS else _plain(v) for k, v in value.items()}
    for attr in ("name", "ref", "title"):  # a related person, priority or action in a collection
        label = getattr(value, attr, None)
        if isinstance(label, str):
            return label
    return str(value)


def _text(value) -> str | None:
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)  # people in a collection read best as a list of names
    return json.dumps(value, ensure_ascii=False)


def _changed_keys(before: dict, after: dict) -> tuple[dict, dict]:
    """The entries of two versions of a JSON object that differ (a key missing on one side is
    absent there)."""
    keys = [k for k in {**before, **after} if before.get(k, _MISSING) != after.get(k, _MISSING)]
    return {k: before[k] for k in keys if k in before}, {k: after[k] for k in keys if k in after}


_MISSING = object()


def _record(obj) -> dict:
    state = inspect(obj)
    out = _record_values(state.mapper, {attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs})
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            out[rel.key] = _plain(list(getattr(obj, rel.key)))
    return out


def _record_values(mapper, values: dict, keys: list[str] | None = None) -> dict:
    """A record's column values as logged: every column in the mapper's order (`keys`, when the
    caller has them), made plain."""
    keys = keys if keys is not None else [attr.key for attr in mapper.column_attrs]
    return {key: v if v is None or type(v) in _AS_IS else _plain(v)
            for key, v in zip(keys, map(values.__getitem__, keys))}


def _derived(model, record) -> bool:
    """Rows made from other logged data and untouched by a person (see the module docstring).
    `record` is the ORM object, or the dict of column values `insert_logged` writes."""
    if model is not AuditAction:
        return False
    return not (record["edited"] if isinstance(record, dict) else record.edited)


def _entity(obj) -> str:
    return obj.__tablename__


def _log_row(now, user: str, source: str, op: str, entity: str, entity_id, field="", old=None, new=None,
             batch_id=None) -> dict:
    return dict(at=now, user=user, source=source, op=op, entity=entity, entity_id=entity_id or 0, field=field,
                old=old, new=new, batch_id=batch_id)


def _who(session: Session) -> tuple[dt.datetime, str, str]:
    return dt.datetime.now().replace(microsecond=0), session.info.get("user", ""), session.info.get("source", "")


def batch_id(session: Session, now: dt.datetime | None = None) -> int | None:
    """The id of the import this session is part of, its `import_batch` row written on first use;
    None outside an import."""
    batch = session.info.get("batch")
    if batch is None:
        return None
    if batch.id is None:
        now = now or dt.datetime.now().replace(microsecond=0)
        batch.id = session.connection().execute(insert(ImportBatch).values(
            file=batch.file, kind=batch.kind, source=session.info.get("source", ""), at=now,
            user=session.info.get("user", ""), counts=dict(batch.counts), undone_by="")).inserted_primary_key[0]
    return batch.id


def _record_text(record: dict) -> str:
    return _ENCODE(record)


def _encoder():
    """`json.dumps(record, ensure_ascii=False)`, the same text, with the C encoder made once instead of
    once a record (a record is a plain dict, never a cycle: no circular check is needed)."""
    from json import encoder

    if encoder.c_make_encoder is None:  # pragma: no cover - a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False).encode
    base = json.JSONEncoder(ensure_ascii=False)
    made = encoder.c_make_encoder(None, base.default, encoder.encode_basestring, None, ": ", ", ", False, False,
                                  True)
    return lambda record: "".join(made(record, 0))


_ENCODE = _encoder()


def _rows_for_flush(session: Session) -> list[dict]:
    now, user, source = _who(session)
    rows = []

    def row(op, obj, field="", old=None, new=None):
        rows.append(_log_row(now, user, source, op, _entity(obj), getattr(obj, "id", None), field, old, new))

    # In an import, derived rows the ORM writes (the improvement actions of an audit the import
    # re-grades) are logged too, so undoing the import puts back exactly the ones it replaced; the
    # bulk path for new audits (`insert_logged`) still leaves them out.
    derived_too = session.info.get("batch") is not None
    for obj in session.new:
        if type(obj) in _LOGGED and (derived_too or not _derived(type(obj), obj)):
            row("insert", obj, "*", None, _record_text(_record(obj)))
    for obj in session.deleted:  # a derived row's delete in an import: `_derived_deleted`, orphans too
        if type(obj) in _LOGGED and not _derived(type(obj), obj):
            row("delete", obj, "*", _record_text(_record(obj)), None)
    for obj in session.dirty:
        if type(obj) not in _LOGGED or obj in session.deleted:
            continue
        state = inspect(obj)
        mapper = state.mapper
        collections = [r for r in mapper.relationships if r.secondary is not None]
        for attr in list(mapper.column_attrs) + collections:
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            if any(attr is r for r in collections):
                current = list(getattr(obj, attr.key))
                old_list = [v for v in current if v not in hist.added] + list(hist.deleted)
                old, new = _text(old_list), _text(current)
            else:
                before = hist.deleted[0] if hist.deleted else None
                after = hist.added[0] if hist.added else None
                if isinstance(before, dict) and isinstance(after, dict):
                    before, after = _changed_keys(before, after)
                old, new = _text(before), _text(after)
            if old != new:
                row("update", obj, attr.key, old, new)
    return rows


def _default(column):
    """The value the ORM gives a column it is not given: its Python default."""
    default = column.default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)  # the context-free callables of our models (new_uid, dict, a timestamp)
    raise ValueError(f"insert_logged: {column} has a default only the ORM can evaluate")


def insert_logged(session: Session, model, records: list[dict], collections: list[dict] | None = None) -> list[int]:
    """Insert new `model` records in one statement and log each as the hook logs an ORM insert.

    `records` give column values by attribute name. A column left out, or given None where the ORM
    would not store None, takes its default as the ORM would give it. Ids follow the table's
    highest in order, as SQLite gives them (the session holds the write lock from its first
    statement), and are returned. Derived rows are inserted but not logged, as in the hook.
    `collections` (one dict per record, e.g. {"leads": ["A Khan"]}) are the many-to-many lists the
    caller writes itself, logged with the record as the hook logs an ORM insert's."""
    if not records:
        return []
    session.flush()  # anything pending goes first, as it would in the ORM's unit of work
    mapper = inspect(model)
    (pk,) = mapper.primary_key
    pk_key = mapper.get_property_by_column(pk).key
    attrs = [(attr.key, attr.columns[0]) for attr in mapper.column_attrs]
    if any(column.server_default is not None for _, column in attrs):
        raise ValueError(f"insert_logged: {model.__name__} has a server default, which only the ORM reads back")
    known = {key for key, _ in attrs} - {pk_key}
    con = session.connection()
    top = con.execute(select(func.max(pk))).scalar() or 0
    values: list[dict] = []
    defaults = [(key, column, column.type.should_evaluate_none) for key, column in attrs if key != pk_key]
    for n, record in enumerate(records, top + 1):
        if not known.issuperset(record):
            unknown = sorted(set(record) - known)[0]
            raise ValueError(f"insert_logged: {model.__name__} takes no column {unknown!r}")
        row = dict(record)
        row[pk_key] = n
        if len(record) < len(known) or None in record.values():  # else every value stands as given
            for key, column, evaluate_none in defaults:
                if row.get(key) is None and not (evaluate_none and key in record):
                    if column.default is not None:
                        row[key] = _default(column)
                    elif evaluate_none:  # the ORM leaves it out (SQL NULL), not JSON null
                        raise ValueError(f"insert_logged: give {model.__name__}.{key} a value")
                    else:
                        row[key] = None
        values.append(row)
    _insert_many(con, model.__table__, attrs, values)
    if model in _LOGGED:
        now, user, source = _who(session)
        batch = batch_id(session, now)
        extra = collections or [None] * len(values)
        keys = [key for key, _ in attrs]
        entity, derived = model.__tablename__, model is AuditAction
        qmark = con.dialect.paramstyle == "qmark"
        at = _bound(con, ChangeLog.__table__.c.at, now) if qmark else now
        log = [(at, user, source, "insert", entity, row[pk_key] or 0, "*", None,  # in _LOG_ORDER
                _record_text({**_record_values(mapper, row, keys), **more} if more else
                             _record_values(mapper, row, keys)), batch)
               for row, more in zip(values, extra) if not (derived and _derived(model, row))]
        if log and qmark:  # straight to the driver: no dict, no bind processing per row
            con.exec_driver_sql(_log_insert(con), log)
        elif log:
            _insert_many(con, ChangeLog.__table__, _LOG_COLUMNS, [dict(zip(_LOG_ORDER, r)) for r in log])
    return [row[pk_key] for row in values]


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """Insert rows of an association table (`action_lead`) with one executemany: tables the change
    log does not record row by row, because their lists are logged with their records."""
    if rows:
        _insert_many(session.connection(), table, [(c.key, c) for c in table.columns], rows)


def _bound(con, column, value):
    """`value` as `column`'s bind processor gives it to the driver."""
    process = column.type.dialect_impl(con.dialect).bind_processor(con.dialect)
    return process(value) if process is not None else value


def _log_insert(con) -> str:
    """The INSERT of change-log rows given in `_LOG_COLUMNS` order (the order `insert_logged` builds)."""
    prep = con.dialect.identifier_preparer
    names = ", ".join(prep.format_column(column) for _, column in _LOG_COLUMNS)
    marks = ", ".join("?" * len(_LOG_COLUMNS))
    return f"INSERT INTO {prep.format_table(ChangeLog.__table__)} ({names}) VALUES ({marks})"


_LOG_ORDER = ("at", "user", "source", "op", "entity", "entity_id", "field", "old", "new", "batch_id")
_LOG_COLUMNS = [(key, ChangeLog.__table__.c[key]) for key in _LOG_ORDER]
assert set(_LOG_ORDER) == set(_log_row(None, "", "", "", "", 0))


def _insert_many(con, table, columns: list[tuple[str, object]], rows: list[dict]) -> None:
    """INSERT `rows` (dicts by key) into the given (key, column)s with one executemany, each value
    through its column type's bind processor: what a Core insert does, without its per-row
    bookkeeping (a third of the time of 140,000 improvement actions)."""
    if not rows:
        return
    dialect = con.dialect
    if dialect.paramstyle != "qmark":  # not pysqlite: let Core do it
        con.execute(insert(table), [{column.key: row[key] for key, column in columns} for row in rows])
        return
    prep = dialect.identifier_preparer
    names = ", ".join(prep.format_column(column) for _, column in columns)
    sql = f"INSERT INTO {prep.format_table(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"
    keys = [key for key, _ in columns]
    procs = [(i, _memo(p) if isinstance(column.type, (Date, DateTime)) else p)
             for i, (_, column) in enumerate(columns)
             if (p := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if procs:
        params = []
        for row in rows:
            values = [row[k] for k in keys]
            for i, p in procs:
                values[i] = p(values[i])
            params.append(tuple(values))
    else:
        params = [tuple([row[k] for k in keys]) for row in rows]
    con.exec_driver_sql(sql, params)


def _memo(process):
    """A date column's bind processor, worked out once per value: every change-log row of one
    import has the same time, and a plan's due dates repeat."""
    done: dict = {}

    def memo(value):
        found = done.get(value, _MISSING)
        if found is _MISSING:
            found = done[value] = process(value)
        return found

    return memo


def _derived_deleted(mapper, connection, target) -> None:
    """An import's session deleting a derived row (an improvement action its re-grading no longer
    raises, removed from its audit's list as an orphan, which `session.deleted` never shows): logged
    with the import's batch, so undoing the import puts the very row back."""
    from sqlalchemy.orm import object_session

    session = object_session(target)
    if session is None or session.info.get("batch") is None or not _derived(type(target), target):
        return
    now, user, source = _who(session)
    connection.execute(insert(ChangeLog), [_log_row(now, user, source, "delete", _entity(target), target.id, "*",
                                                    _record_text(_record(target)), None, batch_id(session, now))])


_MAPPER_EVENTS: list = []


def install(session_class) -> None:
    """Attach the hook to a sessionmaker (or Session subclass); done once per database."""
    if not _MAPPER_EVENTS:
        event.listen(AuditAction, "after_delete", _derived_deleted)
        _MAPPER_EVENTS.append(AuditAction)

    @event.listens_for(session_class, "before_flush")
    def _before_flush(session, flush_context, instances):
        hook = session.info.get("before_flush")  # an import's three-way merge (xlsx.merge)
        if hook is not None:
            hook(session)

    @event.listens_for(session_class, "after_flush")
    def _after_flush(session, flush_context):
        rows = _rows_for_flush(session)
        if rows:
            batch = batch_id(session)
            if batch is not None:
                for r in rows:
                    r["batch_id"] = batch
            session.connection().execute(insert(ChangeLog), rows)
