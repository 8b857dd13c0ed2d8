"""The plan's pages of the pack: the summary, a highlight report per workstream, the tracker."""

from __future__ import annotations

import io
from collections import Counter

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, NextPageTemplate, PageBreak, Spacer

from send_desktop.pack import charts
from send_desktop.pack.document import (
    Heading, PackDocument, escape, nice_date, para, shorten, status_chip, styles, table,
)

ARROW = {"better": "▲ better", "worse": "▼ worse", "changed": "● changed"}


def _image(data: bytes, width: float) -> Image:
    img = Image(io.BytesIO(data))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth, img.drawHeight = width, width * ratio
    return img


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def status_counts(actions: list[dict], key: str) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for a in actions:
        out.setdefault(a[key], Counter())[a["status"]] += 1
    return out


def _levels(plan: dict) -> list[dict]:
    levels = list(plan["scale"])
    if any(a["status"] == "Not rated" for a in plan["actions"]):
        levels = [{"label": "Not rated", "colour": "#ffffff"}] + levels
    return levels


def summary(plan: dict, changes: dict, since: str | None) -> list:
    """Where the plan stands and what moved: the board's "so what?" before the detail."""
    st = styles()
    actions = plan["actions"]
    total = len(actions)
    done = sum(a["complete"] for a in actions)
    overdue = [a for a in actions if a["overdue"]]
    flow = [Heading("The plan at a glance"),
            para(f"{count(total, 'action')}: {done} complete ({round(100 * done / total) if total else 0}%), "
                 f"{len(overdue)} overdue. " + (f"Since the pack issued for {nice_date(since)}: "
                                                f"{count(len(changes['moves']), 'status move')}, "
                                                f"{count(len(changes['new']), 'new action')}, "
                                                f"{len(changes['completed'])} completed."
                                                if since else "This is the first issued pack: no earlier one to "
                                                              "compare with."), st.body)]
    levels = _levels(plan)
    by_priority = status_counts(actions, "priority")
    priorities = [p["ref"] for p in plan["priorities"] if p["ref"] in by_priority]
    labels = [f"{p['ref']}  {shorten(p.get('workstream') or p['statement'], 34)}" for p in plan["priorities"]
              if p["ref"] in by_priority]
    counts = {label: by_priority[ref] for label, ref in zip(labels, priorities)}
    flow.append(_image(charts.stacked_status_bars(labels, levels, counts, "Status by priority"),
                       PackDocument.portrait_width))
    by_ws = status_counts(actions, "workstream")
    ws = [w["name"] for w in plan["workstreams"] if w["name"] in by_ws] + (["(no workstream)"] if "" in by_ws else [])
    counts = {w: by_ws.get(w if w != "(no workstream)" else "", Counter()) for w in ws}
    flow.append(_image(charts.stacked_status_bars(ws, levels, counts, "Status by workstream"),
                       PackDocument.portrait_width))
    if changes["moves"]:
        flow.append(Heading("Status moves since the last pack", 1))
        rows = [["Ref", "Action", "Was", "Now", "Movement"]]
        for m in sorted(changes["moves"], key=lambda m: (m["direction"] != "worse", m["action"]["ref"])):
            a = m["action"]
            rows.append([a["ref"], a["text"], m["from"], status_chip(m["to"], a["colour"]), ARROW[m["direction"]]])
        flow.append(table(rows, [16 * mm, 84 * mm, 26 * mm, 26 * mm, 26 * mm]))
    if overdue:
        flow.append(Heading("Overdue actions", 1))
        rows = [["Ref", "Action", "Lead", "Due", "Status"]]
        for a in overdue:
            rows.append([a["ref"], a["text"], ", ".join(a["leads"]) or "—", nice_date(a["due"]),
                         status_chip(a["status"], a["colour"])])
        flow.append(table(rows, [16 * mm, 82 * mm, 32 * mm, 22 * mm, 26 * mm]))
    return flow


def highlight_reports(plan: dict, changes: dict, risks: dict | None = None, risks_before: dict | None = None) -> list:
    """One report per workstream: RAG summary, what changed (actions and risks), progress in the
    leads' words, the evidence of impact its priorities look for, its risks, and what needs the
    board (overdue actions and escalated risks)."""
    from send_desktop.pack.parts import risk_changes

    st = styles()
    flow = [Heading("Highlight reports")]
    risk_moves = risk_changes(risks_before, risks) if risks else {"new": [], "closed": [], "moves": []}
    moved = {m["action"]["uid"]: m for m in changes["moves"]}
    new = {a["uid"] for a in changes["new"]}
    completed = {a["uid"] for a in changes["completed"]}
    for ws in plan["workstreams"] + [{"name": "", "leads": [], "areas": ""}]:
        actions = [a for a in plan["actions"] if a["workstream"] == ws["name"]]
        if not actions:
            continue
        name = ws["name"] or "Actions without a workstream"
        counts = Counter(a["status"] for a in actions)
        parts = [Heading(name, 1),
                 para("Leads: " + (", ".join(ws["leads"]) or "not named") +
                      (f". Areas of focus: {'; '.join(x for x in ws['areas'].splitlines() if x.strip())}."
                       if ws["areas"].strip() else "."), st.small),
                 para("Status: " + ", ".join(f"{counts[lv['label']]} {lv['label']}" for lv in _levels(plan)
                                             if counts[lv["label"]]) +
                      f"; {sum(a['overdue'] for a in actions)} overdue.", st.body)]
        refs = {p["ref"] for p in plan["priorities"] if p["workstream"] == ws["name"]}
        ws_risks = [r for r in (risks or {}).get("risks", []) if refs & set(r["priority_refs"])]
        changed = [a for a in actions if a["uid"] in moved or a["uid"] in new or a["uid"] in completed]
        ws_uids = {r["uid"] for r in ws_risks}
        for r in risk_moves["new"]:
            if r["uid"] in ws_uids:
                changed.append({"uid": r["uid"], "ref": r["ref"], "text": f"new risk: {r['title']}"})
        for r in risk_moves["closed"]:
            if r["uid"] in ws_uids:
                changed.append({"uid": r["uid"], "ref": r["ref"], "text": f"risk closed: {r['title']}"})
        if changed:
            lines = []
            for a in changed:
                if a["text"].startswith(("new risk", "risk closed")):
                    lines.append(f"{a['ref']} {a['text']}")
                    continue
                if a["uid"] in new:
                    lines.append(f"{a['ref']} is new: {a['text']}")
                if a["uid"] in moved:
                    m = moved[a["uid"]]
                    lines.append(f"{a['ref']} moved from {m['from']} to {m['to']} ({ARROW[m['direction']]})")
                if a["uid"] in completed:
                    lines.append(f"{a['ref']} completed")
            parts.append(para("What changed: " + "; ".join(lines) + ".", st.body))
        else:
            parts.append(para("What changed: no status moves since the last pack.", st.body))
        evidence = [line for p in plan["priorities"] if p["workstream"] == ws["name"]
                    for line in p["evidence"].splitlines() if line.strip()]
        if evidence:
            parts.append(para("Evidence of impact the priority looks for: " + "; ".join(evidence) + ".", st.body))
        attention = [f"action {a['ref']} is overdue" for a in actions if a["overdue"]] + \
                    [f"risk {r['ref']} ({r['score']} {r['band']}) is for the board" for r in ws_risks
                     if r["for_board"] and r["status"] != "closed"]
        parts.append(para("For the board's attention: " + ("; ".join(attention) + "." if attention else
                                                           "nothing this month."), st.body))
        if ws_risks:
            parts.append(para("Risks: " + "; ".join(
                f"{r['ref']} {r['title']} ({r['score']} {r['band']}"
                + (f"; mitigation: {r['mitigations'][0]['text']}" if r["mitigations"] else "") + ")"
                for r in ws_risks if r["status"] != "closed") + ".", st.small))
        rows = [["Ref", "Latest progress", "Evidence", "Status"]]
        for a in actions:
            u = a["last_update"]
            rows.append([a["ref"], f"{u['narrative']} ({u['author']}, {nice_date(u['date'])})" if u else
                         "No update yet", (u or {}).get("evidence") or "—", status_chip(a["status"], a["colour"])])
        parts.append(table(rows, [14 * mm, 104 * mm, 32 * mm, 28 * mm]))
        parts.append(Spacer(1, 4 * mm))
        flow.append(KeepTogether(parts[:3]))
        flow.extend(parts[3:])
    return flow


def tracker(plan: dict) -> list:
    """The whole plan, landscape: one row per action with its status as colour and label."""
    flow = [NextPageTemplate("landscape"), PageBreak(), Heading("The plan tracker")]
    rows = [["Ref", "What we will do", "Workstream", "Leads", "Timescale", "Due", "Status", "Last update"]]
    extra = []
    outcome_text = {o["ref"]: o["text"] for o in plan["outcomes"]}
    priority_text = {p["ref"]: p["statement"] for p in plan["priorities"]}
    current_priority = current_outcome = None

    def banner(text: str, shade: str) -> None:
        rows.append([text, "", "", "", "", "", "", ""])
        r = len(rows) - 1
        extra.extend([("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor(shade))])

    for a in plan["actions"]:
        if a["priority"] != current_priority:
            current_priority = a["priority"]
            banner(f"Priority {current_priority}: {shorten(priority_text.get(current_priority, ''), 260)}", "#cfd8e3")
        if a["outcome"] != current_outcome:
            current_outcome = a["outcome"]
            banner(f"{current_outcome}  {outcome_text.get(current_outcome, '')}", "#e8edf3")
        u = a["last_update"]
        due = nice_date(a["due"])
        rows.append([a["ref"] + (" (twice)" if a["duplicate_ref"] else ""), a["text"], a["workstream"] or "—",
                     ", ".join(a["leads"]) or "—", a["timescale"] or "—", f"⚠ {due}" if a["overdue"] else due,
                     status_chip(a["status"], a["colour"]),
                     f"{nice_date(u['date'])}: {shorten(u['narrative'], 160)}" if u else "—"])
    widths = [16 * mm, 82 * mm, 30 * mm, 30 * mm, 20 * mm, 20 * mm, 24 * mm, 43 * mm]
    flow.append(table(rows, widths, zebra=False, extra=extra))
    flow.append(NextPageTemplate("portrait"))
    return flow


__all__ = ["summary", "highlight_reports", "tracker", "escape"]
