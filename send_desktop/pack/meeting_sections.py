"""The meeting's pages of the pack: agenda, attendance, the last meeting's minutes, matters
arising and the forward plan (from the snapshot's "meeting" part)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from send_desktop.pack.document import Heading, escape, nice_date, para, shorten, styles, table

KINDS = (("present", "Present"), ("deputising", "Deputising"), ("in attendance", "In attendance"),
         ("apologies", "Apologies"))


def _no_meeting(title: str, context: dict) -> list:
    return [Heading(title), para(f"No meeting is recorded for {context['meeting_date']:%d %B %Y}, so there is no "
                                 "agenda or attendance to show. Add the meeting in the Meetings area.")]


def agenda(snapshot: dict, baseline, context: dict) -> list:
    m = snapshot.get("meeting")
    if not m:
        return _no_meeting("Agenda", context) + [PageBreak()]
    st = styles()
    where = "online" if m["online"] and not m["place"] else m["place"] + (" and online" if m["online"] else "")
    flow = [Heading("Agenda"), para(f"{m['board']} · {nice_date(m['date'])} at {m['time']} · {where or 'place to be confirmed'}"
                                    + (f" · Chair: {m['chair']}" if m["chair"] else ""), st.body)]
    rows = [["", "Item", "Presenter", "Papers"]]
    for item in m["agenda"]:
        rows.append([str(item["position"] + 1 if item["position"] is not None else ""), item["title"],
                     item["presenter"] or "—", "; ".join(item["papers"]) or "—"])
    flow.append(table(rows, [10 * mm, 88 * mm, 40 * mm, 40 * mm]))
    return flow + attendance(m)


def attendance(m: dict) -> list:
    st = styles()
    flow = [Heading("Attendance and apologies", 1)]
    people = m["attendance"]
    for kind, label in KINDS:
        names = [p for p in people if p["kind"] == kind]
        if not names:
            continue
        text = "; ".join(f"{p['name']}" + (f", {p['role']}" if p["role"] else "") +
                         (f" ({p['organisation']})" if p["organisation"] else "") +
                         (f", for {p['deputising_for']}" if p["deputising_for"] else "") for p in names)
        flow.append(Paragraph(f"<b>{label}</b> ({len(names)}): {escape(text)}", st.body))
    if not people:
        flow.append(para("Attendance has not been recorded yet.", st.body))
    return flow + [PageBreak()]


def last_minutes(snapshot: dict, baseline, context: dict) -> list:
    m = snapshot.get("meeting")
    st = styles()
    if not m or not m.get("previous"):
        return [Heading("Minutes of the last meeting"),
                para("There is no earlier meeting of this board in the file.", st.body), PageBreak()]
    prev = m["previous"]
    flow = [Heading("Minutes of the last meeting"),
            para(f"{m['board']}, {nice_date(prev['date'])}" + (f". Chair: {prev['chair']}." if prev["chair"] else "."),
                 st.body)]
    present = [p["name"] for p in prev["attendance"] if p["kind"] in ("present", "deputising")]
    apologies = [p["name"] for p in prev["attendance"] if p["kind"] == "apologies"]
    if present:
        flow.append(para(f"Present: {', '.join(present)}.", st.small))
    if apologies:
        flow.append(para(f"Apologies: {', '.join(apologies)}.", st.small))
    for number, item in enumerate(prev["agenda"], start=1):
        parts = [Heading(f"{number}. {item['title']}", 1)]
        if item["notes"].strip():
            parts.append(para(item["notes"], st.body))
        for c in item["challenges"]:
            parts.append(para(f"Challenge ({c['challenger'] or 'a member'}): {c['challenge']}", st.body))
            parts.append(para(f"Response ({c['responder'] or 'not recorded'}): {c['response'] or 'awaited'}",
                              st.body))
        for d in item["decisions"]:
            parts.append(para(f"Decision: {d}", st.body))
        if len(parts) > 1:
            flow.append(KeepTogether(parts[:2]))
            flow.extend(parts[2:])
    if prev["actions"]:
        flow.append(Heading("Actions agreed", 1))
        rows = [["No.", "Action", "Owner", "Due", "Status now"]]
        for a in prev["actions"]:
            rows.append([str(a["number"]), a["text"], a["owner"] or "—", nice_date(a["due"]),
                         a["status"] + (" (overdue)" if a["overdue"] else "")])
        flow.append(table(rows, [12 * mm, 92 * mm, 30 * mm, 20 * mm, 24 * mm]))
    return flow + [PageBreak()]


def matters_arising(snapshot: dict, baseline, context: dict) -> list:
    m = snapshot.get("meeting")
    st = styles()
    flow = [Heading("Matters arising: actions still open")]
    if not m:
        return flow + [para("No meeting is recorded for this date.", st.body), PageBreak()]
    open_actions = m["matters_arising"]
    if not open_actions:
        return flow + [para("Every action from earlier meetings is closed.", st.body), PageBreak()]
    overdue = sum(a["overdue"] for a in open_actions)
    flow.append(para(f"{len(open_actions)} actions from earlier meetings are open or in progress; {overdue} are past "
                     "their due date.", st.body))
    rows = [["From", "No.", "Action", "Owner", "Due", "Status", "Latest update"]]
    for a in open_actions:
        rows.append([nice_date(a["meeting_date"]), str(a["number"]), a["text"], a["owner"] or "—",
                     ("⚠ " if a["overdue"] else "") + nice_date(a["due"]), a["status"],
                     shorten(a["latest_update"], 110) if a["latest_update"] else "—"])
    flow.append(table(rows, [18 * mm, 9 * mm, 55 * mm, 24 * mm, 19 * mm, 17 * mm, 36 * mm]))
    return flow + [PageBreak()]


def forward_plan(snapshot: dict, baseline, context: dict) -> list:
    m = snapshot.get("meeting")
    st = styles()
    flow = [Heading("Forward plan")]
    items = (m or {}).get("forward_plan") or []
    if not items:
        return flow + [para("Nothing has been requested for future meetings.", st.body)]
    rows = [["For", "Item", "Kind", "Owner", "Status"]]
    for f in sorted(items, key=lambda f: f["for_month"] or "9999"):
        rows.append([f["for_month"] or "to be set", f["title"], f["kind"], f["owner"] or "—", f["status"]])
    flow.append(table(rows, [22 * mm, 90 * mm, 22 * mm, 26 * mm, 18 * mm]))
    return flow + [Spacer(1, 4 * mm)]
