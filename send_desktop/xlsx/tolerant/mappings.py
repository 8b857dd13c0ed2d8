"""Column mappings remembered per layout, in the database the user keeps (its `meta` table).

A mapping the user completed for a sheet is stored against the sheet's header signature
(`headers.signature`), so the next workbook with the same columns is read the same way without
asking. The meta table holds facts about the file rather than user records, so this needs no
new table and is not change-logged; it is written inside the import's own transaction, so a
dry run or a refused import remembers nothing.
"""

from __future__ import annotations

import json

from send_desktop.xlsx.tolerant.headers import ColumnMapping

PREFIX = "column-mapping:"


def _key(kind: str, signature: str) -> str:
    return f"{PREFIX}{kind}:{signature}"[:64]


def saved_mapping(db, kind: str, signature: str) -> ColumnMapping | None:
    """The mapping remembered for this layout, or None."""
    if db is None:
        return None
    with db.reading() as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (_key(kind, signature),)).fetchone()
    if not row:
        return None
    try:
        return ColumnMapping.from_dict(kind, json.loads(row[0]), source="saved")
    except (ValueError, TypeError):
        return None  # a mapping from a newer version, with fields this one does not know


def saved_mappings(db, kind: str) -> dict[str, ColumnMapping]:
    """Every mapping remembered for `kind`, by header signature (to find a header row by it)."""
    if db is None:
        return {}
    out = {}
    with db.reading() as con:
        rows = con.execute("SELECT key, value FROM meta WHERE key LIKE ?", (f"{PREFIX}{kind}:%",)).fetchall()
    for key, value in rows:
        try:
            out[key.rsplit(":", 1)[1]] = ColumnMapping.from_dict(kind, json.loads(value), source="saved")
        except (ValueError, TypeError):
            continue
    return out


def remember_mapping(session, kind: str, signature: str, mapping: ColumnMapping) -> None:
    """Store `mapping` for this layout (inside the caller's transaction)."""
    from send_desktop.storage.models import Meta

    value = mapping.as_json()
    row = session.get(Meta, _key(kind, signature))
    if row is None:
        session.add(Meta(key=_key(kind, signature), value=value))
    elif row.value != value:
        row.value = value
