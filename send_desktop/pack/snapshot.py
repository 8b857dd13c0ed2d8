"""What a pack shows, as plain JSON-ready data: collected once, laid out into the PDF, and kept
whole when the pack is issued.

The next pack's "what changed since the last meeting" compares its snapshot with the last
issued pack's (never the edit log): a status that moved and moved back between meetings did not
change, and a pack reopens exactly as issued. Each part is collected by its own function and is
absent when the file holds nothing of that kind; `compare` works part by part on stable ids.
"""

from __future__ import annotations

import datetime as dt

SNAPSHOT_VERSION = 1


def _iso(day):
    return day.isoformat() if day else None


def plan_part(db, today: dt.date) -> dict | None:
    from send_desktop.errors import UserError
    from send_desktop.services.plan_read import has_plan, load_plan

    if not has_plan(db):
        return None
    try:
        snap = load_plan(db, today=today)
    except UserError:
        return None
    workstream_leads = {w.name: list(w.leads) for w in snap.workstreams}
    return {
        "title": snap.title,
        "scale": [{"id": lv.id, "code": lv.code, "label": lv.label, "colour": lv.colour, "complete": lv.complete}
                  for lv in snap.scale.levels],
        "workstreams": [{"name": w.name, "leads": workstream_leads[w.name], "areas": w.areas_of_focus}
                        for w in snap.workstreams],
        "priorities": [{"uid": p.uid, "ref": p.ref, "statement": p.statement,
                        "workstream": next((w.name for w in snap.workstreams if w.id == p.workstream_id), ""),
                        "evidence": p.evidence_of_impact, "difference": p.difference_for_cyp} for p in snap.priorities],
        "outcomes": [{"uid": o.uid, "ref": o.ref, "text": o.text} for o in snap.outcomes()],
        "actions": [
            {"uid": a.uid, "ref": a.ref, "text": a.text, "priority": next(p.ref for p in snap.priorities
                                                                          for o in p.outcomes if o.id == a.outcome_id),
             "outcome": next(o.ref for o in snap.outcomes() if o.id == a.outcome_id),
             "workstream": a.workstream, "leads": list(a.leads), "timescale": a.timescale, "due": _iso(a.due_date),
             "status": a.level.label if a.level else "Not rated", "colour": a.level.colour if a.level else None,
             "complete": bool(a.level and a.level.complete), "overdue": a.overdue,
             "duplicate_ref": a.duplicate_ref,
             "last_update": ({"date": _iso(a.last_update.date), "narrative": a.last_update.narrative,
                              "evidence": a.last_update.evidence, "author": a.last_update.author}
                             if a.last_update else None)}
            for a in snap.actions()
        ],
    }


def collect(db, today: dt.date | None = None, *, parts=None) -> dict:
    """The snapshot of everything a pack shows, as of `today`."""
    today = today or dt.date.today()
    makers = {"plan": plan_part}
    makers.update(parts or {})
    snapshot = {"version": SNAPSHOT_VERSION, "as_of": today.isoformat()}
    for name, make in makers.items():
        part = make(db, today)
        if part is not None:
            snapshot[name] = part
    return snapshot


# -- what changed ---------------------------------------------------------------------------------


def plan_changes(before: dict | None, now: dict | None) -> dict:
    """Status moves, new and completed actions between two plan parts, by action uid."""
    if not now:
        return {"moves": [], "new": [], "completed": [], "removed": []}
    old = {a["uid"]: a for a in (before or {}).get("actions", [])}
    moves, new, completed = [], [], []
    for a in now["actions"]:
        was = old.get(a["uid"])
        if was is None:
            if before is not None:
                new.append(a)
            continue
        if was["status"] != a["status"]:
            moves.append({"action": a, "from": was["status"], "to": a["status"],
                          "direction": _direction(now["scale"], was["status"], a["status"])})
        if a["complete"] and not was["complete"]:
            completed.append(a)
    current = {a["uid"] for a in now["actions"]}
    removed = [a for uid, a in old.items() if uid not in current]
    return {"moves": moves, "new": new, "completed": completed, "removed": removed}


def _direction(scale: list[dict], before: str, after: str) -> str:
    """"better" when a status moved towards complete on the plan's scale, "worse" when away."""
    order = {lv["label"]: i for i, lv in enumerate(scale)}
    if before not in order or after not in order:
        return "changed"
    # Scales list their levels worst first (red ... complete), so a higher index is better.
    return "better" if order[after] > order[before] else "worse"
