"""Audit frameworks in the database: the versions audits are scored under.

A framework version is stored as its FRAMEWORK.json definition (`docs/audit-formats.md`), so what
the database holds, what is exported and what `audit-score` reads are one format. Rules:

- The default framework (`resources/frameworks/`) is added the first time audits are used.
- Saving a framework whose name and version already exist and which no audit uses replaces that
  version's definition; if audits use it, the change becomes a new version (the next free
  "<version>.1", "<version>.2" ...), so every audit keeps the exact rules it was scored under.
- Exactly one version is `current`: the one new audits are scored under.
"""

from __future__ import annotations

from functools import lru_cache

from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.framework import Framework, framework_from_json, framework_to_json
from send_desktop.errors import UserError


def ensure_default_framework(db, source: str = "audits") -> int:
    """The id of the current framework, adding the default one if the file has none yet."""
    with db.reading() as con:
        row = con.execute("SELECT id FROM audit_framework WHERE current=1 ORDER BY id DESC LIMIT 1").fetchone()
    if row:
        return row[0]
    return save_framework(db, framework_to_json(default_framework()), source=source)


def current_framework_id(db) -> int | None:
    with db.reading() as con:
        row = con.execute("SELECT id FROM audit_framework WHERE current=1 ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def framework_versions(db) -> list[tuple[int, str, str, bool, int]]:
    """(id, name, version, current, audits scored under it), oldest first."""
    with db.reading() as con:
        return [(r[0], r[1], r[2], bool(r[3]), r[4]) for r in con.execute(
            "SELECT f.id, f.name, f.version, f.current, (SELECT count(*) FROM audit a WHERE a.framework_id=f.id) "
            "FROM audit_framework f ORDER BY f.id")]


def load_framework(db, framework_id: int) -> Framework:
    """The framework a stored version defines (parsed once per file and version: versions never change
    once audits use them, and an unused one changing in place gets a fresh `_definition_key`)."""
    with db.reading() as con:
        row = con.execute("SELECT definition FROM audit_framework WHERE id=?", (framework_id,)).fetchone()
    if row is None:
        raise UserError(f"There is no audit framework with id {framework_id} in this file.")
    return _parse(row[0])


@lru_cache(maxsize=32)
def _parse(definition_text: str) -> Framework:
    import json

    return framework_from_json(json.loads(definition_text))


def save_framework(db, definition: dict, source: str = "window", make_current: bool = True) -> int:
    """Store a framework definition (checked first: a bad one raises BadInputError, nothing saved).
    Returns the id of the version that now holds it."""
    from sqlalchemy import func, select

    from send_desktop.storage.models import Audit, AuditFramework

    fw = framework_from_json(definition)  # refuses a broken definition before anything is written
    canonical = framework_to_json(fw)
    name, version = fw.name, str(fw.version)
    with db.session(source) as s:
        existing = s.scalars(select(AuditFramework).where(AuditFramework.name == name,
                                                          AuditFramework.version == version)).first()
        if existing is not None and existing.definition == canonical:
            target = existing
        elif existing is not None and not s.scalar(select(func.count()).where(Audit.framework_id == existing.id)):
            existing.definition = canonical
            target = existing
        else:
            if existing is not None:  # in use: the edit becomes a new version
                taken = set(s.scalars(select(AuditFramework.version).where(AuditFramework.name == name)))
                n = 1
                while f"{version}.{n}" in taken:
                    n += 1
                version = f"{version}.{n}"
                canonical = {**canonical, "version": version}
            target = AuditFramework(name=name, version=version, definition=canonical, current=False)
            s.add(target)
            s.flush()
        if make_current:
            for other in s.scalars(select(AuditFramework).where(AuditFramework.current.is_(True))):
                if other is not target:
                    other.current = False
            target.current = True
        return target.id
