"""The pack's parts in order, and the snapshot parts they read.

A section is `(title, make(snapshot, baseline, context) -> flowables)`; `baseline` is the last
issued pack's snapshot (None for the first pack) and `context` holds the meeting date, version
and whether this pack is being issued. A section whose data the file does not hold says so in a
line rather than leaving a gap the reader might take for "nothing to report".
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer

from send_desktop.pack.document import Heading, contents, para, styles, table


def cover(snapshot: dict, baseline: dict | None, context: dict) -> list:
    st = styles()
    meeting = snapshot.get("meeting") or {}
    board = meeting.get("board") or "Improvement Board"
    day: dt.date = context["meeting_date"]
    plan = snapshot.get("plan") or {}
    state = "Issued" if context["issued"] else "Draft — not yet issued"
    lines = [Spacer(1, 55 * mm), para(board, st.title), para(plan.get("title", ""), st.subtitle),
             para(f"Meeting pack for {day:%A %d %B %Y}", st.subtitle),
             para(f"Version {context['version']} · {state}", st.subtitle), Spacer(1, 12 * mm)]
    if meeting.get("place") or meeting.get("chair"):
        lines.append(para(" · ".join(x for x in (meeting.get("place"), f"Chair: {meeting['chair']}"
                                                 if meeting.get("chair") else "") if x), st.body))
    since = context.get("baseline_date")
    lines.append(para(f"Changes in this pack are measured against the pack issued for {since}." if since else
                      "This is the first issued pack, so there is no earlier pack to measure changes against.",
                      st.small))
    lines.append(para(f"Prepared {context['today']:%d %B %Y} with send-desktop from the partnership's own "
                      "records.", st.small))
    return lines + [NextPageTemplate("portrait"), PageBreak()]


def contents_page(snapshot: dict, baseline: dict | None, context: dict) -> list:
    return [para("Contents", styles().h1), contents(), PageBreak()]


def _plan_summary(snapshot, baseline, context):
    from send_desktop.pack import plan_sections
    from send_desktop.pack.snapshot import plan_changes

    plan = snapshot.get("plan")
    if not plan:
        return [Heading("The plan at a glance"), para("This file holds no plan yet.")]
    changes = plan_changes((baseline or {}).get("plan") if baseline else None, plan)
    return plan_sections.summary(plan, changes, context.get("baseline_date")) + [PageBreak()]


def _highlights(snapshot, baseline, context):
    from send_desktop.pack import plan_sections
    from send_desktop.pack.snapshot import plan_changes

    plan = snapshot.get("plan")
    if not plan:
        return []
    changes = plan_changes((baseline or {}).get("plan") if baseline else None, plan)
    return plan_sections.highlight_reports(plan, changes, snapshot.get("risks"),
                                           (baseline or {}).get("risks") if baseline else None) + [PageBreak()]


def _tracker(snapshot, baseline, context):
    from send_desktop.pack import plan_sections

    plan = snapshot.get("plan")
    return plan_sections.tracker(plan) + [PageBreak()] if plan else []


def all_sections(plan_sections_module=None) -> list:
    """The pack in the order of the board's standing agenda."""
    from send_desktop.pack import data_sections as data
    from send_desktop.pack import meeting_sections as meeting

    return [
        ("the cover", cover),
        ("the contents", contents_page),
        ("the agenda and attendance", meeting.agenda),
        ("the last meeting's minutes", meeting.last_minutes),
        ("the matters arising", meeting.matters_arising),
        ("the plan summary", _plan_summary),
        ("the highlight reports", _highlights),
        ("the risk register", data.risks),
        ("the KPI dashboard", data.kpis),
        ("the audit summary", data.audits),
        ("the plan tracker", _tracker),
        ("the forward plan", meeting.forward_plan),
    ]


def snapshot_parts(meeting_date: dt.date) -> dict:
    """Snapshot collectors beyond the plan's, keyed by part name."""
    from send_desktop.pack.parts import all_parts

    return all_parts(meeting_date)


__all__ = ["all_sections", "snapshot_parts", "cover", "contents_page", "table"]
