"""Meetings and the action log as JSON-ready lists, for other tools (`send-desktop dump --kind
meetings|actions`) and for tests that compare two databases.

Records are named by what people see (board names, dates, numbers, plan and register refs),
never by database ids or uids, so two files holding the same meetings dump the same.
"""

from __future__ import annotations

from send_desktop.services.meeting_read import (
    action_links, all_updates, list_meetings, load_meeting, tracker,
)


def _iso(value):
    return value.isoformat() if value else None


def _links(links) -> list[dict]:
    return [{"kind": link.kind, "ref": link.ref} for link in links]


def dump_actions(db) -> list[dict]:
    """Every meeting action, oldest meeting first and by number within it."""
    rows = tracker(db)
    with db.reading() as con:
        updates = all_updates(con)
        links = action_links(con)
    return [{"meeting_date": _iso(a.meeting_date), "number": a.number, "text": a.text, "owner": a.owner,
             "due": _iso(a.due_date), "status": a.status,
             "updates": [{"date": _iso(u.date), "text": u.text, "author": u.author} for u in updates.get(a.id, [])],
             "links": _links(links.get(a.id, []))}
            for a in rows]


def dump_meetings(db) -> list[dict]:
    """Every meeting, oldest first, with attendance, agenda, minutes, challenges and decisions."""
    out = []
    for row in reversed(list_meetings(db)):
        snap = load_meeting(db, row.id)
        m = snap.meeting
        out.append({
            "board": m.board, "starts_at": m.starts_at.isoformat(timespec="minutes"), "place": m.place,
            "online": m.online, "chair": m.chair, "status": m.status,
            "attendance": [{"name": a.name, "role": a.role, "organisation": a.organisation, "kind": a.kind,
                            "deputising_for": a.deputising_for} for a in snap.attendance],
            "agenda": [{"title": i.title, "presenter": i.presenter, "papers": list(i.papers), "standing": i.standing,
                        "notes": i.notes, "decisions": list(i.decisions), "links": _links(i.links),
                        "challenges": [{"challenger": c.challenger, "challenge": c.challenge,
                                        "responder": c.responder, "response": c.response} for c in i.challenges]}
                       for i in snap.agenda],
            "actions": [a.number for a in snap.actions],
        })
    return out
