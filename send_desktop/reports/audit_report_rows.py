"""The audit report in short texts and rows of text: what the report page's tiles and tables say.

Qt-free, so the words are tested without a display and read the same in the window as in the
plain-text summary (`audit_report_text` uses `comparisons`). Numbers are rounded here, for
people; `AuditReport` keeps them exact.
"""

from __future__ import annotations

from send_desktop.reports.audit_report import VERDICT, AuditReport, interval_text, pct_text, period_text, value_label


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def comparisons(r: AuditReport) -> tuple[str, str]:
    """The share against the target, and against the benchmark, in words."""
    def against(value: float | None, verdict: str | None, what: str, places: int) -> str:
        said = VERDICT[verdict].format(what=f"the {what}") if verdict else "no graded audits to compare"
        return f"{what.capitalize()} {pct_text(value, places)}: {said}"

    target = against(r.settings.target_pct, r.vs_target, "target", 0)
    if r.settings.benchmark_pct is None:
        return target, "Benchmark: none set"
    return target, against(r.settings.benchmark_pct, r.vs_benchmark, "benchmark", 1)


def headline(r: AuditReport) -> tuple[str, str, str, str]:
    """(the %, "k of n graded audits" with the interval, target and benchmark, what was counted)."""
    s = r.share
    value = pct_text(s.pct) if s.n else "–"
    detail = f"{s.good:,} of {s.n:,} graded audits\n95% interval {interval_text(s)}" if s.n else \
        "No graded audits in this period"
    counted = (f"{r.counted:,} audits counted · {r.not_graded:,} Not graded · "
               f"{_plural(r.drafts, 'draft')} not counted")
    return value, detail, "\n".join(comparisons(r)), counted


def moderation_text(r: AuditReport) -> str:
    m = r.moderation
    if not m.n:
        return "No completed moderations of audits in this period"
    kappa = "–" if m.kappa is None else f"{m.kappa:.2f}"
    return (f"{_plural(m.n, 'audit')} moderated\nExact grade agreement {pct_text(m.exact_pct)}\n"
            f"Within one band {pct_text(m.within_one_pct)}\nQuadratic-weighted kappa {kappa}\n"
            f"{_plural(len(r.moderation_cases), 'disagreement')} of more than one band")


def actions_text(r: AuditReport) -> str:
    return f"{r.actions_open:,} open, of which {r.actions_open_past_due:,} past due\n{r.actions_done:,} done"


def notes_text(r: AuditReport) -> str:
    return "\n".join(f"• {n}" for n in r.notes) or "Nothing was left out."


def state_text(r: AuditReport) -> str:
    return f"Audits dated {period_text(r)}; figures as of {r.as_of.day} {r.as_of:%B %Y}."


def cut_rows(r: AuditReport, column: str) -> list[tuple[str, ...]]:
    """(value, graded audits, good or better, %, interval) for one cut."""
    return [(value_label(c.value), f"{c.share.n:,}", f"{c.share.good:,}", pct_text(c.share.pct),
             interval_text(c.share)) for c in r.cuts[column]]


def criteria_rows(r: AuditReport) -> list[tuple[str, ...]]:
    return [(c.criterion_id, c.section, c.text, f"{c.unmet:,}", f"{c.rated:,}", pct_text(c.pct)) for c in r.criteria]


def action_rows(r: AuditReport) -> list[tuple[str, ...]]:
    titles = {s.code: s.title for s in r.sections}
    return [(f"{a.section}  {titles.get(a.section, '')}".strip(), f"{a.open:,}", f"{a.open_past_due:,}",
             f"{a.done:,}", pct_text(100.0 * a.done / (a.open + a.done) if a.open + a.done else None))
            for a in r.actions]


def disagreement_rows(r: AuditReport) -> list[tuple[str, ...]]:
    return [(c.plan_ref, c.audit_date, c.auditor, c.moderator, c.original, c.moderated) for c in r.moderation_cases]
