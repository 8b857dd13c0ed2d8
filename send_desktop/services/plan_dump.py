"""The plan as JSON-ready dicts, for other tools (`send-desktop dump --kind plan`) and tests."""

from __future__ import annotations

from send_desktop.services.plan_read import PlanSnapshot, load_plan


def _iso(d):
    return d.isoformat() if d else None


def plan_to_dict(snap: PlanSnapshot) -> dict:
    labels = {lv.id: lv.label for lv in snap.scale.levels}
    return {
        "scale": {
            "name": snap.scale.name,
            "levels": [{"code": lv.code, "label": lv.label, "complete": lv.complete} for lv in snap.scale.levels],
        },
        "priorities": [{"ref": p.ref, "statement": p.statement} for p in snap.priorities],
        "outcomes": [{"ref": o.ref, "text": o.text} for o in snap.outcomes()],
        "actions": [
            {
                "ref": a.ref,
                "action": a.text,
                "workstream": a.workstream,
                "leads": list(a.leads),
                "timescale": a.timescale,
                "due": _iso(a.due_date),
                "status": a.level.label if a.level else None,
                "success_criteria": list(a.success_criteria),
                "updates": [
                    {"date": _iso(u.date), "status": labels.get(u.level_id), "narrative": u.narrative,
                     "author": u.author}
                    for u in a.updates
                ],
            }
            for a in snap.actions()
        ],
    }


def dump_plan(db) -> dict:
    return plan_to_dict(load_plan(db))
