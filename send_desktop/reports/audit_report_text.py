"""The audit report as plain text: what `send-desktop audit-report DB` prints without --json.

Laid out as a board paper reads: the headline with its n and interval first, then the tables,
then the notes that say what was left out. Percentages are rounded half up to one decimal;
the JSON keeps them unrounded.
"""

from __future__ import annotations

from send_desktop.audits.stats import GRADES
from send_desktop.reports.audit_report import (
    CUT_COLUMNS, AuditReport, grade_pct, interval_text, pct_text, period_text, value_label,
)
from send_desktop.reports.audit_report_rows import comparisons

TOP_CRITERIA = 10


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells):
        return "  " + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def headline(report: AuditReport) -> list[str]:
    s = report.share
    if s.n == 0:
        lines = ["Good or better: no graded audits in this period"]
    else:
        lines = [f"Good or better: {pct_text(s.pct)} ({s.good:,} of {s.n:,} graded audits); "
                 f"95% interval {interval_text(s)}"]
    lines += [f"  {line}" for line in comparisons(report)]
    lines.append(f"Audits: {report.counted:,} submitted or moderated ({report.graded:,} graded, "
                 f"{report.not_graded:,} Not graded); {report.drafts:,} draft{'' if report.drafts == 1 else 's'} "
                 f"not counted")
    return lines


def report_text(report: AuditReport) -> str:
    title = f"EHCP quality audits: {period_text(report)}"
    out = [title, "=" * len(title), *headline(report), ""]

    out.append("Grades")
    order = [*reversed(GRADES), *(g for g in report.grades if g not in GRADES)]
    out += _table(["Grade", "Audits", "% of graded"],
                  [[g, f"{report.grades[g]:,}", pct_text(grade_pct(report, g))] for g in order], {1, 2})
    out.append("")

    out.append("Sections (graded audits in which the section applied)")
    out += _table(["Section", "Title", "Mean score", "Good or better", "n", "95% interval"],
                  [[r.code, r.title[:40], "–" if r.mean_score is None else f"{r.mean_score:.1f}",
                    pct_text(r.share.pct), f"{r.share.n:,}", interval_text(r.share)] for r in report.sections],
                  {2, 3, 4})
    out.append("")

    for column, label in CUT_COLUMNS.items():
        out.append(f"By {label.lower()}")
        out += _table([label, "n", "Good or better", "95% interval"],
                      [[value_label(r.value), f"{r.share.n:,}", pct_text(r.share.pct), interval_text(r.share)]
                       for r in report.cuts[column]], {1, 2})
        out.append("")

    versions = {f.id: f.version for f in report.frameworks}
    out.append("Monthly (rolling line: the last 3 months pooled, restarted where the framework version changes)")
    out += _table(["Month", "Done", "Target", "Graded", "Good or better", "Rolling 3 months", "Framework"],
                  [[m.month + ("" if m.whole_month else "*"), f"{m.audits:,}",
                    "–" if m.target is None else f"{m.target:,}", f"{m.share.n:,}", pct_text(m.share.pct),
                    pct_text(m.rolling_pct), " + ".join(str(versions.get(f, f)) for f in m.frameworks)]
                   for m in report.monthly], {1, 2, 3, 4, 5})
    if any(not m.whole_month for m in report.monthly):
        out.append("  * not a whole month")
    out.append("")

    m = report.moderation
    if m.n == 0:
        out.append("Moderation: no completed moderations of audits in this period")
    else:
        kappa = "–" if m.kappa is None else f"{m.kappa:.2f}"
        out.append(f"Moderation: {m.n:,} audits moderated; exact agreement {pct_text(m.exact_pct)}, within one band "
                   f"{pct_text(m.within_one_pct)}, quadratic-weighted kappa {kappa}")
        if report.moderation_cases:
            out.append("  Disagreements of more than one band:")
            for c in report.moderation_cases:
                out.append(f"    {c.plan_ref} ({c.audit_date}; auditor {c.auditor or '–'}, moderator {c.moderator}): "
                           f"{c.original} -> {c.moderated}")
        else:
            out.append("  No disagreements of more than one band.")
    out.append("")

    out.append(f"Criteria most often below \"met\" (top {TOP_CRITERIA})")
    out += _table(["Criterion", "Section", "Text", "Unmet", "Applied", "%"],
                  [[c.criterion_id, c.section, c.text[:50], f"{c.unmet:,}", f"{c.rated:,}", pct_text(c.pct)]
                   for c in report.criteria[:TOP_CRITERIA]], {3, 4, 5})
    out.append("")
    out.append(f"Improvement actions: {report.actions_open:,} open ({report.actions_open_past_due:,} past due on "
               f"{report.as_of:%d/%m/%Y}), {report.actions_done:,} done")
    if report.notes:
        out += ["", "Notes", *(f"  - {n}" for n in report.notes)]
    return "\n".join(out)
