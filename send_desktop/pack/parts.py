"""The snapshot parts beyond the plan: the meeting, the risk register, the KPIs and the audits.

Each collector returns plain JSON-ready data (kept whole in an issued pack) or None when the file
holds nothing of its kind. Records carry their stable `uid`, which is what the next pack compares.
"""

from __future__ import annotations

import datetime as dt


def _iso(day):
    return day.isoformat() if day else None


def find_meeting(db, day: dt.date) -> int | None:
    """The meeting on `day`: of the first board when several meet that day."""
    with db.reading() as con:
        row = con.execute("SELECT m.id FROM meeting m JOIN board b ON b.id = m.board_id "
                          "WHERE date(m.starts_at) = ? ORDER BY b.position, b.id, m.starts_at LIMIT 1",
                          (day.isoformat(),)).fetchone()
    return row[0] if row else None


def _action(a) -> dict:
    return {"uid": a.uid, "meeting_date": _iso(a.meeting_date), "number": a.number, "text": a.text,
            "owner": a.owner, "due": _iso(a.due_date), "status": a.status, "overdue": a.overdue,
            "latest_update": a.latest_update, "updated_on": _iso(a.updated_on)}


def _minutes(snap) -> dict:
    return {
        "id": snap.meeting.id, "date": _iso(snap.meeting.starts_at.date()), "chair": snap.meeting.chair,
        "attendance": [{"name": a.name, "role": a.role, "organisation": a.organisation, "kind": a.kind,
                        "deputising_for": a.deputising_for} for a in snap.attendance],
        "agenda": [{"position": i.position, "title": i.title, "presenter": i.presenter, "papers": list(i.papers),
                    "notes": i.notes, "decisions": list(i.decisions),
                    "links": [link.label for link in i.links],
                    "challenges": [{"challenger": c.challenger, "challenge": c.challenge, "responder": c.responder,
                                    "response": c.response} for c in i.challenges]} for i in snap.agenda],
        "actions": [_action(a) for a in snap.actions],
    }


def meeting_part(meeting_date: dt.date):
    """A collector for the meeting on `meeting_date`, with the board's previous meeting's minutes."""

    def collect(db, today: dt.date) -> dict | None:
        from send_desktop.services.meeting_read import forward_plan, list_meetings, load_meeting

        meeting_id = find_meeting(db, meeting_date)
        if meeting_id is None:
            return None
        snap = load_meeting(db, meeting_id, today=today)
        m = snap.meeting
        earlier = [x for x in list_meetings(db, m.board_id) if x.starts_at < m.starts_at]
        previous = _minutes(load_meeting(db, max(earlier, key=lambda x: x.starts_at).id, today=today)) \
            if earlier else None
        return {
            **_minutes(snap), "uid": m.uid, "board": m.board, "time": m.starts_at.strftime("%H:%M"),
            "place": m.place, "online": m.online, "status": m.status,
            "members": [{"name": x.name, "role": x.role, "organisation": x.organisation} for x in snap.members],
            "matters_arising": [_action(a) for a in snap.matters_arising],
            "forward_plan": [{"title": f.title, "kind": f.kind, "owner": f.owner, "for_month": f.for_month,
                              "status": f.status} for f in forward_plan(db, m.board_id)
                             if f.status in ("requested", "scheduled")],
            "previous": previous,
        }

    return collect


def risks_part(db, today: dt.date) -> dict | None:
    from send_desktop.services.risk_read import load_register

    reg = load_register(db, today=today)
    if not reg.risks:
        return None
    matrix = reg.matrix

    def previous(r):
        return ({"likelihood": r.history[-2].likelihood, "impact": r.history[-2].impact}
                if len(r.history) > 1 else None)

    return {
        "matrix": matrix.to_dict(),
        "risks": [{"uid": r.uid, "ref": r.ref, "title": r.title, "category": r.category, "owner": r.owner,
                   "status": r.status, "likelihood": r.likelihood, "impact": r.impact, "score": r.score,
                   "band": r.band.name, "colour": r.band.colour, "inherent": r.inherent_score,
                   "target": r.target_score, "trend": r.trend, "next_review": _iso(r.next_review),
                   "review_overdue": r.review_overdue, "for_board": r.for_board, "above_appetite": r.above_appetite,
                   "priority_refs": list(r.priority_refs), "previous": previous(r),
                   "mitigations": [{"text": m.text, "owner": m.owner, "due": _iso(m.due_date), "status": m.status}
                                   for m in r.mitigations]}
                  for r in reg.risks],
    }


def kpis_part(db, today: dt.date) -> dict | None:
    from send_desktop.services.kpi_read import load_kpis

    snap = load_kpis(db)
    if not snap.kpis:
        return None

    def point(p):
        return {"period": p.period, "text": p.text, "number": p.number} if p else None

    return {"kpis": [{"uid": k.uid, "ref": k.ref, "measure": k.measure, "unit": k.unit, "direction": k.direction,
                      "officer": k.officer, "latest": point(k.latest), "target": point(k.target),
                      "rag": {"status": k.rag.status, "label": k.rag.label, "reason": k.rag.reason},
                      "travel": k.travel, "values": [point(v) for v in k.values[-12:]],
                      "comparators": [{"name": c.name, "text": c.text, "number": c.number, "as_at": _iso(c.as_at)}
                                      for c in k.comparators]}
                     for k in snap.kpis]}


def audits_part(meeting_date: dt.date):
    """A collector for the audit report over the twelve months before the meeting."""

    def collect(db, today: dt.date) -> dict | None:
        from send_desktop.reports.audit_report import audit_report

        with db.reading() as con:
            if con.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is None:
                return None
        end = min(meeting_date, today)
        start = dt.date(end.year - 1, end.month, 1)  # the twelve whole months before, and this one so far
        return audit_report(db, date_from=start, date_to=end, as_of=end).as_dict()

    return collect


def all_parts(meeting_date: dt.date) -> dict:
    return {"meeting": meeting_part(meeting_date), "risks": risks_part, "kpis": kpis_part,
            "audits": audits_part(meeting_date)}


# -- what changed ---------------------------------------------------------------------------------


def risk_changes(before: dict | None, now: dict | None) -> dict:
    """New and closed risks and score moves since the baseline, by risk uid."""
    if not now or before is None:
        return {"new": [], "closed": [], "moves": []}
    old = {r["uid"]: r for r in before.get("risks", [])}
    new = [r for r in now["risks"] if r["uid"] not in old]
    closed = [r for r in now["risks"] if r["uid"] in old and r["status"] == "closed" and old[r["uid"]]["status"]
              != "closed"]
    moves = [{"risk": r, "from": old[r["uid"]]["score"], "to": r["score"]} for r in now["risks"]
             if r["uid"] in old and old[r["uid"]]["score"] != r["score"]]
    return {"new": new, "closed": closed, "moves": moves}


def kpi_changes(before: dict | None, now: dict | None) -> dict:
    """KPIs whose RAG changed since the baseline."""
    if not now or before is None:
        return {"rag": []}
    old = {k["uid"]: k for k in before.get("kpis", [])}
    return {"rag": [{"kpi": k, "from": old[k["uid"]]["rag"]["label"], "to": k["rag"]["label"]} for k in now["kpis"]
                    if k["uid"] in old and old[k["uid"]]["rag"]["label"] != k["rag"]["label"]]}
