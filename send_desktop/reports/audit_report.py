"""The EHCP audit report: the figures a SEND improvement board reads about the quality of plans.

`audit_report(db, date_from=None, date_to=None)` counts the audits dated in the range (both
ends included; no dates means every audit in the file) and returns an `AuditReport`. Its
`as_dict()` is what `send-desktop audit-report DB --json` prints, `report_text()` is the
plain-text summary, and the report page and the Excel export show the same object.

What is counted is written out in `METHOD` below (the workbook's About sheet prints it), so
that every figure can be checked by hand.

JSON shape of `as_dict()`. Percentages are unrounded numbers from 0 to 100 and null when n is 0;
dates are "YYYY-MM-DD", months "YYYY-MM"::

    {"report": "send-desktop audit report", "format": 1,
     "period": {"from", "to", "as_of", "first_audit", "last_audit"},    # from/to null = open-ended
     "settings": {"target_pct", "benchmark_pct" (or null), "sample_rate"},
     "audits": {"counted", "graded", "not_graded", "other_grade", "drafts"},
     "good_or_better": {"n", "good", "pct", "low", "high", "target_pct", "vs_target",
                        "benchmark_pct", "vs_benchmark"},                # vs_*: above/below/within/null
     "grades": [{"grade", "audits", "pct"}],        # Inadequate .. Outstanding, then "Not graded"
                                                    # (pct null) and any other grade; pct of graded
     "sections": [{"code", "title", "weight", "n", "mean_score", "good", "pct", "low", "high"}],
     "cuts": {"team" | "agency" | "plan_type" | "key_stage" | "primary_need" | "setting_type":
              [{"value", "n", "good", "pct", "low", "high"}]},     # value "" = not recorded
     "monthly": [{"month", "whole_month", "audits", "target", "n", "good", "pct", "low", "high",
                  "rolling_pct", "frameworks": [framework id], "segment"}],
     "frameworks": [{"id", "name", "version", "audits"}],
     "audits_target": {"caseload" (or null), "sample_rate", "monthly_target" (or null)},
     "moderation": {"n", "exact", "within_one", "exact_pct", "within_one_pct", "kappa",
                    "kappa_degenerate", "excluded",
                    "disagreements": [{"audit_id", "plan_ref", "audit_date", "auditor", "moderator",
                                       "original", "moderated", "bands"}]},
     "criteria": [{"criterion_id", "section", "text", "rated", "unmet", "pct"}],
     "actions": {"open", "done", "open_past_due",
                 "by_section": [{"section", "open", "done", "open_past_due"}]},
     "notes": ["sentences for the reader: what was left out and why"]}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from send_desktop.audits import stats
from send_desktop.audits.stats import GRADES, NOT_GRADED, Agreement, Share
from send_desktop.errors import BadInputError
from send_desktop.reports.audit_report_parts import (
    ActionRow, CriterionRow, CutRow, FrameworkRow, ModerationCase, MonthRow, SectionRow, action_rows, criteria_rows,
    framework_rows, moderation_cases, month_rows, section_rows, share_of,
)
from send_desktop.reports.audit_report_query import CUT_COLUMNS, GOOD_OR_BETTER, Counts, read_counts
from send_desktop.services.audit_settings import AuditSettings, audit_settings

__all__ = ["AuditReport", "ActionRow", "CriterionRow", "CutRow", "FrameworkRow", "ModerationCase", "MonthRow",
           "SectionRow", "audit_report", "report_text", "compare", "grade_pct", "pct_text", "rate_text",
           "interval_text", "value_label", "CUT_COLUMNS", "METHOD"]

FORMAT = 1
NOT_RECORDED = "(not recorded)"

#: What is counted, rule by rule: a reader checks the figures by hand against these.
METHOD = (
    ("Audits", "Audits submitted or moderated and dated in the period (both ends included). Drafts are left "
     "out, because a draft's grade is provisional (criteria not yet rated count as 0); only their number is "
     "given."),
    ("Grade", "The reported grade: the moderator's once a moderation is complete, otherwise the auditor's."),
    ("% good or better", "Good + Outstanding over the audits with one of the four grades. Not graded audits "
     "(too little of the plan applied to grade it) are left out of n here and in every section, cut and month; "
     "so is a grade outside the four (a framework with its own band names), with a note. Intervals are 95% "
     "Wilson score intervals. Above or below the target means the whole interval is; otherwise the target "
     "lies inside it."),
    ("Sections", "Over graded audits in which the section applied: the mean of the section scores as stored "
     "on each audit (to one decimal), and the % where the section was Good or Outstanding. Section results "
     "and criteria are the first auditor's scoring, which raised the improvement actions; moderation "
     "replaces only the overall grade."),
    ("Monthly trend", "The rolling line pools the last three months (good or better over graded audits), needs "
     "two of the three to have graded audits, and starts again where the framework version changes; a month "
     "mixing two versions belongs to neither line. Months run from the start of the period (not before the "
     "file's first audit) to its end (not past the current month)."),
    ("Audits done", "Submitted and moderated audits, Not graded included. The monthly target is the sample "
     "rate × the plans on the caseload list, rounded up; today's list is used for every month. With no "
     "caseload list loaded there is no target."),
    ("Moderation", "Audits in the period whose moderation is complete: the auditor's grade against the "
     "moderator's (exact and within-one-band agreement, quadratic-weighted kappa, and every disagreement of "
     "more than one band)."),
    ("Criteria", "In how many audits each criterion was below met (a value under two thirds of its maximum; "
     "not evidenced counts as 0), out of the audits in which it applied (not N/A), counted by criterion id "
     "across framework versions; most often unmet first."),
    ("Actions", "The improvement actions of the counted audits, open and done; past due means open and due "
     "before the report's date."),
)


@dataclass(frozen=True)
class AuditReport:
    date_from: dt.date | None
    date_to: dt.date | None
    as_of: dt.date
    first_audit: str | None  # earliest and latest audit date counted
    last_audit: str | None
    settings: AuditSettings
    counted: int  # submitted and moderated audits in the range
    not_graded: int
    other_grade: int
    drafts: int
    share: Share  # % good or better over graded audits
    grades: dict  # grade -> audits: the four worst first, "Not graded", then any other grade
    sections: tuple[SectionRow, ...]
    cuts: dict  # column -> tuple[CutRow, ...]
    monthly: tuple[MonthRow, ...]
    frameworks: tuple[FrameworkRow, ...]
    caseload: int | None  # plans on the caseload list; None when none is loaded
    monthly_target: int | None
    moderation: Agreement
    moderation_cases: tuple[ModerationCase, ...]
    criteria: tuple[CriterionRow, ...]
    actions: tuple[ActionRow, ...]  # per section, in section order
    notes: tuple[str, ...]

    @property
    def graded(self) -> int:
        return self.share.n

    @property
    def actions_open(self) -> int:
        return sum(a.open for a in self.actions)

    @property
    def actions_done(self) -> int:
        return sum(a.done for a in self.actions)

    @property
    def actions_open_past_due(self) -> int:
        return sum(a.open_past_due for a in self.actions)

    @property
    def vs_target(self) -> str | None:
        return compare(self.share, self.settings.target_pct)

    @property
    def vs_benchmark(self) -> str | None:
        return compare(self.share, self.settings.benchmark_pct)

    def as_dict(self) -> dict:
        s, m = self.settings, self.moderation
        return {
            "report": "send-desktop audit report", "format": FORMAT,
            "period": {"from": _iso(self.date_from), "to": _iso(self.date_to), "as_of": self.as_of.isoformat(),
                       "first_audit": self.first_audit, "last_audit": self.last_audit},
            "settings": {"target_pct": s.target_pct, "benchmark_pct": s.benchmark_pct, "sample_rate": s.sample_rate},
            "audits": {"counted": self.counted, "graded": self.graded, "not_graded": self.not_graded,
                       "other_grade": self.other_grade, "drafts": self.drafts},
            "good_or_better": {**_share(self.share), "target_pct": s.target_pct, "vs_target": self.vs_target,
                               "benchmark_pct": s.benchmark_pct, "vs_benchmark": self.vs_benchmark},
            "grades": [{"grade": g, "audits": n, "pct": grade_pct(self, g)} for g, n in self.grades.items()],
            "sections": [{"code": r.code, "title": r.title, "weight": r.weight, "mean_score": r.mean_score,
                          **_share(r.share)} for r in self.sections],
            "cuts": {column: [{"value": r.value, **_share(r.share)} for r in rows]
                     for column, rows in self.cuts.items()},
            "monthly": [{"month": r.month, "whole_month": r.whole_month, "audits": r.audits, "target": r.target,
                         **_share(r.share), "rolling_pct": r.rolling_pct, "frameworks": list(r.frameworks),
                         "segment": r.segment} for r in self.monthly],
            "frameworks": [asdict(f) for f in self.frameworks],
            "audits_target": {"caseload": self.caseload, "sample_rate": s.sample_rate,
                              "monthly_target": self.monthly_target},
            "moderation": {"n": m.n, "exact": m.exact, "within_one": m.within_one, "exact_pct": m.exact_pct,
                           "within_one_pct": m.within_one_pct, "kappa": m.kappa,
                           "kappa_degenerate": m.kappa_degenerate, "excluded": m.excluded,
                           "disagreements": [asdict(c) for c in self.moderation_cases]},
            "criteria": [asdict(c) for c in self.criteria],
            "actions": {"open": self.actions_open, "done": self.actions_done,
                        "open_past_due": self.actions_open_past_due,
                        "by_section": [asdict(a) for a in self.actions]},
            "notes": list(self.notes),
        }


# -- words and numbers shared by the text summary, the page and the workbook ------------------------

def compare(share: Share, target: float | None) -> str | None:
    """"above"/"below" when the whole 95% interval is; "within" when the interval holds the target."""
    if target is None or share.n == 0:
        return None
    if share.low > target:
        return "above"
    if share.high < target:
        return "below"
    return "within"


VERDICT = {"above": "above {what}: the whole 95% interval is above it",
           "below": "below {what}: the whole 95% interval is below it",
           "within": "not clearly different from {what}: it lies inside the 95% interval"}


def grade_pct(report: AuditReport, grade: str) -> float | None:
    """A grade's share of the graded audits (None for "Not graded" and other labels, or n = 0)."""
    if grade not in GRADES or report.graded == 0:
        return None
    return 100.0 * report.grades[grade] / report.graded


def pct_text(value: float | None, places: int = 1) -> str:
    """38.25 -> "38.3%" (halves up, as people round by hand); None -> "–"."""
    if value is None:
        return "–"
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


def rate_text(rate: float) -> str:
    """0.05 -> "5%", read through its decimal text so 0.07 is 7%, not 7.000000000000001%."""
    return f"{(Decimal(repr(rate)) * 100).normalize():f}%"


def interval_text(share: Share) -> str:
    return "–" if share.n == 0 else f"{pct_text(share.low)} to {pct_text(share.high)}"


def value_label(value: str) -> str:
    return value if value.strip() else NOT_RECORDED


def period_text(report: AuditReport) -> str:
    def day(d: dt.date) -> str:
        return f"{d.day} {d:%B %Y}"

    if report.date_from and report.date_to:
        return f"{day(report.date_from)} to {day(report.date_to)}"
    if report.date_from:
        return f"from {day(report.date_from)}"
    if report.date_to:
        return f"up to {day(report.date_to)}"
    return "all audits in the file"


def report_text(report: AuditReport) -> str:
    """A readable plain-text summary (the command line without --json)."""
    from send_desktop.reports.audit_report_text import report_text as text

    return text(report)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _share(share: Share) -> dict:
    return {"n": share.n, "good": share.good, "pct": share.pct, "low": share.low, "high": share.high}


# -- building the report ----------------------------------------------------------------------------

def audit_report(db, date_from: dt.date | None = None, date_to: dt.date | None = None, *,
                 as_of: dt.date | None = None) -> AuditReport:
    """The report for audits dated from `date_from` to `date_to` (each optional, both included).
    `as_of` (default today) ends the monthly series and dates "past due"."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise BadInputError(f"the report's start date ({date_from:%d/%m/%Y}) is after its end date "
                            f"({date_to:%d/%m/%Y})")
    from send_desktop.services.audit_frameworks import load_framework

    as_of = as_of or dt.date.today()
    settings = audit_settings(db)
    counts = read_counts(db, date_from, date_to, as_of)
    # Versions in use never change (an edit makes a new one), so reading them after the counts is safe.
    frameworks = {fw_id: load_framework(db, fw_id) for fw_id in sorted({k[1] for k in counts.monthly})}

    by_grade: Counter = Counter()
    for (_month, _fw, grade), n in counts.monthly.items():
        by_grade[grade] += n
    grades = {g: by_grade[g] for g in (*GRADES, NOT_GRADED)}
    grades.update(sorted(counts.other_grades.items()))
    caseload = counts.caseload or None
    target = stats.audits_target(caseload, settings.sample_rate) if caseload else None
    agreement, cases = moderation_cases(counts.moderation)
    report = AuditReport(
        date_from=date_from, date_to=date_to, as_of=as_of, first_audit=counts.first_day, last_audit=counts.last_day,
        settings=settings, counted=sum(by_grade.values()), not_graded=by_grade[NOT_GRADED],
        other_grade=sum(counts.other_grades.values()), drafts=counts.drafts,
        share=share_of(sum(by_grade[g] for g in GOOD_OR_BETTER), sum(by_grade[g] for g in GRADES)),
        grades=grades, sections=section_rows(counts, frameworks),
        cuts={column: tuple(CutRow(value, share_of(good, n)) for value, (n, good) in
                            sorted(counts.cuts[column].items(), key=lambda kv: (kv[0].casefold(), kv[0])))
              for column in CUT_COLUMNS},
        monthly=month_rows(counts, date_from, date_to, as_of, target), frameworks=framework_rows(counts),
        caseload=caseload, monthly_target=target, moderation=agreement, moderation_cases=cases,
        criteria=criteria_rows(counts, frameworks), actions=action_rows(counts, frameworks), notes=(),
    )
    return replace(report, notes=tuple(_notes(report, counts)))


def _notes(r: AuditReport, counts: Counts) -> list[str]:
    """What a reader must know to read the figures right: what was left out, and why."""
    out = []
    if r.counted == 0:
        out.append("No submitted or moderated audits are dated in this period.")
    if r.drafts:
        out.append(f"{r.drafts:,} draft audit{_s(r.drafts)} in the period {_are(r.drafts)} not counted "
                   f"until submitted.")
    if r.not_graded:
        out.append(f"{r.not_graded:,} audit{_s(r.not_graded)} {_are(r.not_graded, 'was', 'were')} Not graded "
                   f"(too little of the plan applied to grade it) and {_are(r.not_graded, 'is', 'are')} left out "
                   f"of every % good or better.")
    if r.other_grade:
        names = ", ".join(f"'{g}'" for g in sorted(counts.other_grades))
        out.append(f"{r.other_grade:,} audit{_s(r.other_grade)} {_are(r.other_grade, 'carries', 'carry')} a grade "
                   f"outside the four standard grades "
                   f"({names}) and {_are(r.other_grade, 'is', 'are')} left out of every % good or better.")
    if r.caseload is None:
        out.append("No caseload list is loaded, so there is no monthly target for audits done "
                   "(import one with: send-desktop import DB FILE.xlsx --kind caseload).")
    else:
        out.append(f"The monthly target is {rate_text(r.settings.sample_rate)} of the {r.caseload:,} plans on "
                   f"today's caseload list, rounded up: {r.monthly_target:,} audits, used for every month.")
    if len(r.frameworks) > 1:
        one_name = len({f.name for f in r.frameworks}) == 1
        used = ", ".join(f"{'' if one_name else f.name + ' '}version {f.version} ({f.audits:,} audits)"
                         for f in r.frameworks)
        out.append(f"The audits were scored under more than one framework version"
                   f"{' of ' + r.frameworks[0].name if one_name else ''}: {used}. The rolling 3-month line "
                   f"starts again where the version changes.")
    if r.settings.benchmark_pct is None:
        out.append("No external benchmark is set.")
    this_month = f"{r.as_of.year:04d}-{r.as_of.month:02d}"
    later = sum(n for (month, _fw, _grade), n in counts.monthly.items() if month > this_month)
    if later:
        out.append(f"{later:,} audit{_s(later)} {_are(later, 'is', 'are')} dated after {r.as_of:%B %Y}: "
                   f"check {_are(later, 'its', 'their')} audit date{_s(later)}.")
    partial = [m.month for m in r.monthly if not m.whole_month]
    if partial:
        out.append(f"Not a whole month in the figures: {', '.join(partial)} (the period or today cuts it short).")
    if r.moderation.excluded:
        out.append(f"{r.moderation.excluded:,} moderated audit{_s(r.moderation.excluded)} with a Not graded side "
                   f"{_are(r.moderation.excluded, 'is', 'are')} left out of the agreement figures.")
    return out


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _are(n: int, one: str = "is", many: str = "are") -> str:
    return one if n == 1 else many
