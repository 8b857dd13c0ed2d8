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
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session

from send_desktop.storage.models import LOGGED_MODELS, AuditAction, ChangeLog

_LOGGED = set(LOGGED_MODELS)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):  # a stored file (an issued pack's PDF)
        return f"<{len(value):,} bytes>"
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
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
    out = {}
    for attr in state.mapper.column_attrs:
        out[attr.key] = _plain(getattr(obj, attr.key))
    for rel in state.mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict:
            out[rel.key] = _plain(list(getattr(obj, rel.key)))
    return out


def _derived(obj) -> bool:
    """Rows made from other logged data and untouched by a person (see the module docstring)."""
    return type(obj) is AuditAction and not obj.edited


def _entity(obj) -> str:
    return obj.__tablename__


def _rows_for_flush(session: Session) -> list[dict]:
    now = dt.datetime.now().replace(microsecond=0)
    user = session.info.get("user", "")
    source = session.info.get("source", "")
    rows = []

    def row(op, obj, field="", old=None, new=None):
        rows.append(
            dict(at=now, user=user, source=source, op=op, entity=_entity(obj),
                 entity_id=getattr(obj, "id", None) or 0,
                 field=field, old=old, new=new)
        )

    for obj in session.new:
        if type(obj) in _LOGGED and not _derived(obj):
            row("insert", obj, "*", None, json.dumps(_record(obj), ensure_ascii=False))
    for obj in session.deleted:
        if type(obj) in _LOGGED and not _derived(obj):
            row("delete", obj, "*", json.dumps(_record(obj), ensure_ascii=False), None)
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


def install(session_class) -> None:
    """Attach the hook to a sessionmaker (or Session subclass); done once per database."""

    @event.listens_for(session_class, "after_flush")
    def _after_flush(session, flush_context):
        rows = _rows_for_flush(session)
        if rows:
            session.connection().execute(insert(ChangeLog), rows)
