"""The draft minutes of one meeting as a PDF of their own: attendance, each item's notes,
challenges and responses and decisions, and the actions agreed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Generator

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from send_desktop.core.progress import Progress
from send_desktop.errors import UserError
from send_desktop.pack.document import Heading, build_pdf, escape, nice_date, para, styles, table
from send_desktop.pack.meeting_sections import KINDS


def minutes_flowables(m: dict, board: str, draft: bool) -> list:
    st = styles()
    flow = [para(f"{board}: {'draft ' if draft else ''}minutes", st.title),
            para(f"{nice_date(m['date'])}" + (f" · Chair: {m['chair']}" if m["chair"] else ""), st.subtitle),
            Spacer(1, 4 * mm), Heading("Attendance")]
    for kind, label in KINDS:
        people = [p for p in m["attendance"] if p["kind"] == kind]
        if people:
            names = "; ".join(p["name"] + (f" ({p['role']})" if p["role"] else "") +
                              (f", for {p['deputising_for']}" if p["deputising_for"] else "") for p in people)
            flow.append(Paragraph(f"<b>{label}</b>: {escape(names)}", st.body))
    for number, item in enumerate(m["agenda"], start=1):
        parts = [Heading(f"{number}. {item['title']}", 1)]
        if item["presenter"]:
            parts.append(para(f"Presented by {item['presenter']}.", st.small))
        if item["notes"].strip():
            parts.append(para(item["notes"], st.body))
        for c in item["challenges"]:
            parts.append(Paragraph(f"<b>Challenge</b> ({escape(c['challenger'] or 'a member')}): "
                                   f"{escape(c['challenge'])}", st.body))
            parts.append(Paragraph(f"<b>Response</b> ({escape(c['responder'] or 'not recorded')}): "
                                   f"{escape(c['response'] or 'awaited')}", st.body))
        for d in item["decisions"]:
            parts.append(Paragraph(f"<b>Decision</b>: {escape(d)}", st.body))
        if len(parts) == 1:
            parts.append(para("No notes recorded.", st.small))
        flow.append(KeepTogether(parts[:2]))
        flow.extend(parts[2:])
    flow.append(Heading("Actions"))
    if m["actions"]:
        rows = [["No.", "Action", "Owner", "Due", "Status"]]
        for a in m["actions"]:
            rows.append([str(a["number"]), a["text"], a["owner"] or "—", nice_date(a["due"]), a["status"]])
        flow.append(table(rows, [12 * mm, 100 * mm, 32 * mm, 20 * mm, 14 * mm + 10 * mm]))
    else:
        flow.append(para("No actions were agreed.", st.body))
    return flow


def make_minutes(db, path: Path, meeting_id: int, today: dt.date | None = None) -> Generator[Progress, None, Path]:
    """Write the meeting's minutes to `path`: "draft" until the minutes are approved."""
    from send_desktop.pack.parts import _minutes
    from send_desktop.services.meeting_read import load_meeting

    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name ending .pdf.")
    yield Progress(0, 2, "Reading the meeting")
    snap = load_meeting(db, meeting_id, today=today)
    m = _minutes(snap)
    draft = snap.meeting.status != "minutes approved"
    yield Progress(1, 2, "Writing the PDF")
    pdf = build_pdf(minutes_flowables(m, snap.meeting.board, draft),
                    title=f"{snap.meeting.board} minutes, {snap.meeting.starts_at:%d %B %Y}",
                    footer=f"{snap.meeting.board} · minutes of {snap.meeting.starts_at:%d %B %Y} · "
                           f"{'DRAFT' if draft else 'approved'}", draft=draft, cover=False)
    from send_desktop.pack.build import write_atomically

    write_atomically(path, pdf)
    yield Progress(2, 2, "Done")
    return path
