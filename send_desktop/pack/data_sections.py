"""The pack's pages for the risk register, the KPIs and the EHCP audits."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Table, TableStyle

from send_desktop.pack import charts
from send_desktop.pack.document import Heading, PackDocument, nice_date, para, shorten, status_chip, styles, table
from send_desktop.pack.parts import kpi_changes, risk_changes
from send_desktop.pack.plan_sections import _image, count

TREND = {"up": "▲ up", "down": "▼ down", "same": "● same", None: "new"}
TRAVEL = {"improving": "▲ improving", "worsening": "▼ worsening", "no change": "● no change", None: "—"}
RAG_COLOURS = {"green": "#2e8b57", "amber": "#e69f00", "red": "#c0392b", None: None}


def risks(snapshot: dict, baseline: dict | None, context: dict) -> list:
    part = snapshot.get("risks")
    st = styles()
    flow = [Heading("The risk register")]
    if not part:
        return flow + [para("The file holds no risk register yet.", st.body), PageBreak()]
    live = [r for r in part["risks"] if r["status"] != "closed"]
    board = [r for r in live if r["for_board"]]
    appetite = [r for r in live if r["above_appetite"]]
    overdue = [r for r in live if r["review_overdue"]]
    changes = risk_changes((baseline or {}).get("risks") if baseline else None, part)
    summary = (f"{count(len(live), 'open risk')}: {len(board)} for the board's attention (escalated or at the "
               f"escalation threshold), {len(appetite)} above their category's appetite, "
               f"{count(len(overdue), 'review')} overdue.")
    if baseline is not None:
        summary += (f" Since the last pack: {count(len(changes['new']), 'new risk')}, "
                    f"{len(changes['closed'])} closed, {count(len(changes['moves']), 'score change')}.")
    flow.append(para(summary, st.body))
    flow.append(_image(charts.heat_map(part["matrix"], part["risks"]), PackDocument.portrait_width * 0.78))
    flow.append(para("Each cell shows how many open risks stand there now; the small number in brackets is how many "
                     "stood there at their previous review.", st.small))
    if changes["moves"]:
        flow.append(Heading("Scores that moved since the last pack", 1))
        rows = [["Ref", "Risk", "Was", "Now", "Movement"]]
        for mv in changes["moves"]:
            r = mv["risk"]
            rows.append([r["ref"], r["title"], str(mv["from"]), status_chip(f"{r['score']} {r['band']}", r["colour"]),
                         "▲ up" if mv["to"] > mv["from"] else "▼ down"])
        flow.append(table(rows, [14 * mm, 96 * mm, 16 * mm, 30 * mm, 22 * mm]))
    flow.append(Heading("Risks for the board's attention", 1))
    rows = [["Ref", "Risk and owner", "Current", "Target", "Trend", "Next review", "Further mitigations"]]
    for r in sorted(board or live[:8], key=lambda r: -r["score"]):
        mitigations = "; ".join(f"{m['text']} ({m['owner'] or 'owner to be named'}, {m['status']})"
                                for m in r["mitigations"] if m["status"] != "done") or "—"
        rows.append([r["ref"], f"{r['title']} — {r['owner'] or 'no owner'}",
                     status_chip(f"{r['score']} {r['band']}", r["colour"]), str(r["target"]), TREND.get(r["trend"]),
                     ("⚠ " if r["review_overdue"] else "") + nice_date(r["next_review"]), shorten(mitigations, 200)])
    flow.append(table(rows, [12 * mm, 50 * mm, 24 * mm, 14 * mm, 16 * mm, 20 * mm, 42 * mm]))
    return flow + [PageBreak()]


def kpis(snapshot: dict, baseline: dict | None, context: dict) -> list:
    part = snapshot.get("kpis")
    st = styles()
    flow = [Heading("Performance: the KPI dashboard")]
    if not part:
        return flow + [para("The file holds no KPIs yet.", st.body), PageBreak()]
    ks = part["kpis"]
    by_rag = {}
    for k in ks:
        by_rag[k["rag"]["label"]] = by_rag.get(k["rag"]["label"], 0) + 1
    changes = kpi_changes((baseline or {}).get("kpis") if baseline else None, part)
    order = {"Red": 0, "Amber": 1, "Green": 2}
    text = f"{count(len(ks), 'measure')}: " + ", ".join(
        f"{n} {label}" for label, n in sorted(by_rag.items(), key=lambda kv: (order.get(kv[0], 3), kv[0]))) + "."
    if baseline is not None:
        text += f" {count(len(changes['rag']), 'measure')} changed RAG since the last pack."
    flow.append(para(text, st.body))
    rows = [["Ref", "Measure", "Latest", "Period", "Target", "RAG", "Direction", "Compared with"]]
    for k in ks:
        latest, target = k["latest"] or {}, k["target"] or {}
        compared = "; ".join(f"{c['name']} {c['text']}" for c in k["comparators"][:2]) or "—"
        rows.append([k["ref"], shorten(k["measure"], 90), latest.get("text") or "—", latest.get("period") or "—",
                     target.get("text") or "—", status_chip(k["rag"]["label"], RAG_COLOURS.get(k["rag"]["status"])),
                     TRAVEL.get(k["travel"], k["travel"] or "—"), shorten(compared, 60)])
    flow.append(table(rows, [11 * mm, 52 * mm, 18 * mm, 17 * mm, 16 * mm, 20 * mm, 20 * mm, 24 * mm]))
    charted = [k for k in ks if sum(1 for v in k["values"] if v and v["number"] is not None) >= 3]
    charted.sort(key=lambda k: ({"red": 0, "amber": 1, "green": 2}.get(k["rag"]["status"], 3), k["ref"]))
    if charted:
        flow.append(PageBreak())
        flow.append(Heading("KPI trends, the ones most off target first", 1))
        flow.append(_image(charts.kpi_small_multiples(charted[:12]), PackDocument.portrait_width))
        flow.append(para("Dashed lines are the targets; the box in each chart gives its RAG in words.", st.small))
    return flow + [PageBreak()]


def audits(snapshot: dict, baseline: dict | None, context: dict) -> list:
    rep = snapshot.get("audits")
    st = styles()
    flow = [Heading("Quality assurance: EHCP audits")]
    if not rep:
        return flow + [para("The file holds no EHCP audits yet.", st.body), PageBreak()]
    g = rep["good_or_better"]
    period = rep["period"]
    if g["n"]:
        headline = (f"{g['pct']:.0f}% of the {g['n']} audited plans graded from {nice_date(period['from'])} to "
                    f"{nice_date(period['to'])} were good or better (95% interval {g['low']:.0f}% to {g['high']:.0f}%), "
                    f"against a target of {g['target_pct']:g}%: {g['vs_target']} target.")
    else:
        headline = "No graded audits in the twelve months before the meeting."
    flow.append(para(headline, st.body))
    target = rep["audits_target"]
    months = [m for m in rep["monthly"] if m["whole_month"]]
    if target.get("monthly_target") and months:
        met = sum(1 for m in months if m["audits"] >= target["monthly_target"])
        flow.append(para(f"Audits done against the monthly target of {target['monthly_target']} "
                         f"({target['sample_rate'] * 100:g}% of {target['caseload']:,} plans): met in {met} of "
                         f"{len(months)} whole months.", st.body))
    pictures = Table([[_image(charts.grade_bars(rep["grades"]), 84 * mm),
                       _image(charts.audit_trend(rep["monthly"], g.get("target_pct")), 90 * mm)]],
                     colWidths=[88 * mm, 90 * mm])
    pictures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    flow.append(pictures)
    flow.append(Heading("Section profile", 1))
    rows = [["Section", "Weight", "Audits", "Mean score", "% good or better"]]
    for s in rep["sections"]:
        rows.append([f"{s['code']} {s['title']}", f"{s['weight']:g}", str(s["n"]),
                     "—" if s["mean_score"] is None else f"{s['mean_score']:.1f}",
                     "—" if s["pct"] is None else f"{s['pct']:.0f}%"])
    flow.append(table(rows, [92 * mm, 16 * mm, 18 * mm, 24 * mm, 28 * mm]))
    if rep["criteria"]:
        flow.append(Heading("Criteria most often below “met”", 1))
        rows = [["Criterion", "Below met", "Of audits", "%"]]
        for c in rep["criteria"][:8]:
            rows.append([f"{c['criterion_id']} {shorten(c['text'], 110)}", str(c["unmet"]), str(c["rated"]),
                         f"{c['pct']:.0f}%"])
        flow.append(table(rows, [124 * mm, 18 * mm, 18 * mm, 18 * mm]))
    a = rep["actions"]
    m = rep["moderation"]
    flow.append(para(f"Improvement actions: {a['open']} open ({a['open_past_due']} past due), {a['done']} done. "
                     + (f"Moderation: {m['n']} audits re-scored by a second auditor, {m['exact_pct']:.0f}% exact "
                        f"agreement, {m['within_one_pct']:.0f}% within one grade."
                        if m["n"] else "No moderations in the period."), st.body))
    return flow + [PageBreak()]
