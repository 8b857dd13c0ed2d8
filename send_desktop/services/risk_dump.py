"""The risk register as JSON-ready dicts (`send-desktop dump --kind risks`), current position at
the top level, in the shape documented in issue 4's "Command line" section."""

from __future__ import annotations

from send_desktop.services.risk_read import RiskRegister, RiskRow, load_register


def _iso(day):
    return day.isoformat() if day else None


def risk_to_dict(r: RiskRow) -> dict:
    return {
        "ref": r.ref,
        "title": r.title,
        "category": r.category,
        "owner": r.owner,
        "status": r.status,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "score": r.score,
        "band": r.band.name,
        "inherent": {"likelihood": r.inherent_likelihood, "impact": r.inherent_impact, "score": r.inherent_score},
        "target": {"likelihood": r.target_likelihood, "impact": r.target_impact, "score": r.target_score,
                   "date": _iso(r.target_date)},
        "next_review": _iso(r.next_review),
        "controls": [line for line in r.controls.split("\n") if line],
        "mitigations": [{"text": m.text, "owner": m.owner, "due": _iso(m.due_date), "status": m.status}
                        for m in r.mitigations],
        "history": [{"date": _iso(a.date), "likelihood": a.likelihood, "impact": a.impact, "score": a.score}
                    for a in r.history],
    }


def register_to_list(register: RiskRegister) -> list[dict]:
    return [risk_to_dict(r) for r in register.risks]


def dump_risks(db) -> list[dict]:
    return register_to_list(load_register(db))
