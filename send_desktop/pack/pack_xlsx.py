"""The meeting pack as a workbook: one sheet per part, from the same snapshot the PDF shows.

For members who want the numbers: the agenda, attendance, matters arising, the plan tracker,
the risk register, the KPIs, the audit summary and the forward plan, each a plain table with a
frozen header. An issued pack exports its stored snapshot, so the workbook matches the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Generator

from send_desktop.core.progress import Progress

HEADER_FILL = "3A4A5C"


def _sheet(wb, title: str, header: list[str], rows: list[list], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    from send_desktop.xlsx.sheets import as_text

    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        ws.append(row)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            as_text(cell)  # text a person wrote, never a formula (openpyxl would make one of "=...")
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions


def pack_workbook(snapshot: dict, meeting_date: dt.date, version: int, issued: bool):
    from openpyxl import Workbook

    from send_desktop.xlsx.sheets import as_text

    wb = Workbook()
    about = wb.active
    about.title = "About"
    m = snapshot.get("meeting") or {}
    for key, value in (("Board", m.get("board") or "Improvement Board"), ("Meeting", meeting_date.isoformat()),
                       ("Version", version), ("State", "issued" if issued else "draft"),
                       ("Data as of", snapshot.get("as_of")), ("Made by", "send-desktop")):
        about.append([key, value])
        as_text(about.cell(about.max_row, 2))
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 40
    if m:
        _sheet(wb, "Agenda", ["No.", "Item", "Presenter", "Papers"],
               [[n + 1, i["title"], i["presenter"], "; ".join(i["papers"])] for n, i in enumerate(m["agenda"])],
               [6, 60, 28, 40])
        _sheet(wb, "Attendance", ["Name", "Role", "Organisation", "Attendance", "Deputising for"],
               [[p["name"], p["role"], p["organisation"], p["kind"], p["deputising_for"]] for p in m["attendance"]],
               [28, 40, 36, 16, 24])
        _sheet(wb, "Matters arising", ["From meeting", "No.", "Action", "Owner", "Due", "Status", "Overdue",
                                       "Latest update"],
               [[a["meeting_date"], a["number"], a["text"], a["owner"], a["due"], a["status"],
                 "yes" if a["overdue"] else "", a["latest_update"]] for a in m["matters_arising"]],
               [14, 6, 60, 24, 12, 12, 9, 60])
    plan = snapshot.get("plan")
    if plan:
        _sheet(wb, "Plan tracker", ["Priority", "Outcome", "Ref", "Action", "Workstream", "Leads", "Timescale",
                                    "Due", "Status", "Overdue", "Last update"],
               [[a["priority"], a["outcome"], a["ref"], a["text"], a["workstream"], ", ".join(a["leads"]),
                 a["timescale"], a["due"], a["status"], "yes" if a["overdue"] else "",
                 (a["last_update"] or {}).get("narrative", "")] for a in plan["actions"]],
               [9, 9, 9, 60, 28, 28, 14, 12, 12, 9, 60])
    risks = snapshot.get("risks")
    if risks:
        _sheet(wb, "Risks", ["Ref", "Risk", "Category", "Owner", "Status", "Likelihood", "Impact", "Score", "Band",
                             "Target score", "Trend", "Next review", "For the board", "Above appetite"],
               [[r["ref"], r["title"], r["category"], r["owner"], r["status"], r["likelihood"], r["impact"],
                 r["score"], r["band"], r["target"], r["trend"] or "", r["next_review"],
                 "yes" if r["for_board"] else "", "yes" if r["above_appetite"] else ""] for r in risks["risks"]],
               [7, 60, 18, 24, 10, 10, 8, 7, 10, 12, 8, 12, 12, 12])
    kpis = snapshot.get("kpis")
    if kpis:
        _sheet(wb, "KPIs", ["Ref", "Measure", "Latest", "Period", "Target", "RAG", "Direction of travel"],
               [[k["ref"], k["measure"], (k["latest"] or {}).get("text"), (k["latest"] or {}).get("period"),
                 (k["target"] or {}).get("text"), k["rag"]["label"], k["travel"] or ""] for k in kpis["kpis"]],
               [9, 60, 16, 14, 16, 12, 18])
    audits = snapshot.get("audits")
    if audits:
        _sheet(wb, "Audits by month", ["Month", "Audits", "Monthly target", "Graded", "Good or better",
                                       "% good or better", "Rolling 3-month %"],
               [[x["month"], x["audits"], x["target"], x["n"], x["good"], x["pct"], x["rolling_pct"]]
                for x in audits["monthly"]], [10, 9, 14, 9, 14, 16, 18])
        _sheet(wb, "Audit sections", ["Section", "Title", "Weight", "Audits", "Mean score", "% good or better"],
               [[s["code"], s["title"], s["weight"], s["n"], s["mean_score"], s["pct"]] for s in audits["sections"]],
               [10, 44, 8, 8, 12, 16])
    forward = (m or {}).get("forward_plan") or []
    if forward:
        _sheet(wb, "Forward plan", ["For", "Item", "Kind", "Owner", "Status"],
               [[f["for_month"], f["title"], f["kind"], f["owner"], f["status"]] for f in forward], [10, 60, 14, 24, 12])
    return wb


def export_pack_xlsx(db, path: Path, meeting_date: dt.date, *, issued_id: int | None = None,
                     today: dt.date | None = None) -> Generator[Progress, None, Path]:
    """The pack's sheets for `meeting_date`: live data, or an issued pack's own snapshot."""
    import json

    from send_desktop.pack.build import write_atomically
    from send_desktop.pack.sections import snapshot_parts
    from send_desktop.pack.snapshot import collect

    path = Path(path)
    yield Progress(0, 2, "Reading the pack's data")
    if issued_id is not None:
        with db.reading() as con:
            row = con.execute("SELECT snapshot, version FROM meeting_pack WHERE id=?", (issued_id,)).fetchone()
        snapshot, version, issued = json.loads(row[0]), row[1], True
    else:
        snapshot = collect(db, today or dt.date.today(), parts=snapshot_parts(meeting_date))
        version, issued = 0, False
    yield Progress(1, 2, f"Writing {path.name}")
    buffer = io.BytesIO()
    pack_workbook(snapshot, meeting_date, version, issued).save(buffer)
    write_atomically(path, buffer.getvalue())
    yield Progress(2, 2, "Done")
    return path
