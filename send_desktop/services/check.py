"""`send-desktop check`: what a file is, whether it is sound, and what it holds. Changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from send_desktop.errors import DatabaseOpenError
from send_desktop.storage.database import HEAD, REVISIONS, read_revision

COUNTED = {
    "plans": "plan", "priorities": "priority", "outcomes": "outcome", "actions": "action",
    "status_updates": "status_update", "workstreams": "workstream", "people": "person",
    "rating_scales": "rating_scale", "audit_frameworks": "audit_framework", "audits": "audit",
    "moderations": "moderation", "audit_actions": "audit_action", "caseload_plans": "caseload_plan",
    "audit_samples": "audit_sample", "risks": "risk", "risk_assessments": "risk_assessment",
    "risk_mitigations": "risk_mitigation", "kpis": "kpi", "kpi_values": "kpi_value", "boards": "board",
    "meetings": "meeting", "meeting_actions": "meeting_action", "meeting_packs": "meeting_pack",
    "change_log": "change_log",
}


def check_database(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise DatabaseOpenError(f"{path} does not exist.")
    revision = read_revision(path)
    if revision is None:
        status = "empty"
    elif revision == HEAD:
        status = "current"
    elif revision in REVISIONS:
        status = f"older; upgraded to {HEAD} when opened"
    else:
        status = f"newer than this version ({HEAD})"
    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        bad_keys = con.execute("PRAGMA foreign_key_check").fetchall()
        if integrity == "ok" and bad_keys:
            integrity = f"{len(bad_keys)} broken references"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {kind: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                  for kind, table in COUNTED.items() if table in tables}
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(f"{path} cannot be read: {exc}") from None
    finally:
        con.close()
    return {"file": str(path), "schema": revision, "schema_head": HEAD, "schema_status": status,
            "integrity": integrity, "counts": counts}
