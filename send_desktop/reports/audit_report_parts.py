"""The rows of the audit report, built from the raw counts: months, sections, criteria, moderation.

Each builder is a plain function of `Counts` (and the framework versions in range), so the rules
in `audit_report`'s docstring can be read here line by line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from send_desktop.audits import stats
from send_desktop.audits.stats import GRADES, Agreement, Share
from send_desktop.reports.audit_report_query import GOOD_OR_BETTER, Counts


@dataclass(frozen=True)
class CutRow:
    value: str  # "" when the audit did not record it
    share: Share


@dataclass(frozen=True)
class SectionRow:
    code: str
    title: str
    weight: float
    mean_score: float | None
    share: Share


@dataclass(frozen=True)
class MonthRow:
    month: str
    whole_month: bool  # False when the range or today cuts the month short
    audits: int  # done: submitted and moderated, "Not graded" included
    target: int | None
    share: Share
    rolling_pct: float | None
    frameworks: tuple[int, ...]  # versions of that month's graded audits
    segment: int  # months with the same number share one rolling line


@dataclass(frozen=True)
class FrameworkRow:
    id: int
    name: str
    version: str
    audits: int


@dataclass(frozen=True)
class ModerationCase:
    audit_id: int
    plan_ref: str
    audit_date: str
    auditor: str
    moderator: str
    original: str
    moderated: str
    bands: int  # moderated band minus original band: negative when the moderator graded lower


@dataclass(frozen=True)
class CriterionRow:
    criterion_id: str
    section: str
    text: str
    rated: int  # audits in which it applied (not N/A)
    unmet: int
    pct: float


@dataclass(frozen=True)
class ActionRow:
    section: str
    open: int
    done: int
    open_past_due: int


def share_of(good: int, n: int) -> Share:
    """`stats.share_good_or_better` from counts rather than a list of grades (same figures)."""
    if n == 0:
        return Share(0, 0, None, None, None)
    low, high = stats.wilson_interval(good, n)
    return Share(n, good, 100.0 * good / n, 100.0 * low, 100.0 * high)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_list(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), both included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while (label := f"{y:04d}-{m:02d}") <= last:
        out.append(label)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    y, m = int(month[:4]), int(month[5:7])
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return dt.date(y, m, 1), nxt - dt.timedelta(days=1)


def month_rows(counts: Counts, date_from: dt.date | None, date_to: dt.date | None, as_of: dt.date,
               target: int | None) -> tuple[MonthRow, ...]:
    if counts.file_first_day is None:
        return ()
    start = month_of(date_from) if date_from else (counts.first_day or counts.file_first_day)[:7]
    end = month_of(date_to) if date_to else (counts.last_day or counts.file_last_day)[:7]
    # Not before the file's first audit (nothing was due yet) nor past this month (unless audits are).
    start = max(start, counts.file_first_day[:7])
    end = min(end, max(month_of(as_of), counts.file_last_day[:7]))
    if start > end:
        return ()
    months = month_list(start, end)
    done: Counter = Counter()
    graded: Counter = Counter()
    good: Counter = Counter()
    versions: dict[str, set] = {}
    for (month, fw_id, grade), n in counts.monthly.items():
        done[month] += n
        if grade in GRADES:
            graded[month] += n
            good[month] += n if grade in GOOD_OR_BETTER else 0
            versions.setdefault(month, set()).add(fw_id)
    shares = [share_of(good[m], graded[m]) for m in months]
    keys = [tuple(sorted(versions[m])) if m in versions else None for m in months]
    rolling = stats.segmented_rolling_mean([s.pct for s in shares], keys, 3, weights=[s.n for s in shares])
    segment_of = {}
    for number, seg in enumerate(stats.split_segments(months, keys)):
        for i in range(seg.start, seg.stop):
            segment_of[i] = number
    rows = []
    for i, month in enumerate(months):
        first_day, last_day = _month_bounds(month)
        whole = (date_from is None or date_from <= first_day) and (date_to is None or last_day <= date_to) \
            and last_day <= as_of
        rows.append(MonthRow(month, whole, done[month], target, shares[i], rolling[i], keys[i] or (),
                             segment_of[i]))
    return tuple(rows)


def section_rows(counts: Counts, frameworks: dict) -> tuple[SectionRow, ...]:
    """Every section of the versions in range, in the newest version's order (then older codes)."""
    info: dict[str, tuple[str, float]] = {}
    for fw_id in sorted(frameworks, reverse=True):
        for s in frameworks[fw_id].sections:
            info.setdefault(s.code, (s.title, s.weight))
    for code in sorted(set(counts.sections) - set(info)):  # a version no longer in the file
        info[code] = (code, 0)
    rows = []
    for code, (title, weight) in info.items():
        n, tenths, good = counts.sections.get(code, (0, 0, 0))
        rows.append(SectionRow(code, title, weight, tenths / (10 * n) if n else None, share_of(good, n)))
    return tuple(rows)


def criteria_rows(counts: Counts, frameworks: dict) -> tuple[CriterionRow, ...]:
    """Criteria below "met" in at least one audit, most often first (ties as `stats.criteria_most_unmet`).

    In how many audits a criterion applied is worked out per framework version and per set of
    "no needs identified" marks, as the grader decides it: a provision section whose needs
    section is marked is N/A as a whole; a marked section's `needs_dependent` criteria are N/A;
    otherwise the criterion applies unless it was rated N/A.
    """
    rated: Counter = Counter()
    where: dict[str, tuple[str, str]] = {}
    for fw_id in sorted(frameworks):  # the newest version's section and wording win
        for s in frameworks[fw_id].sections:
            for c in s.criteria:
                where[c.id] = (s.code, c.text)
    for (fw_id, no_needs_text), n in counts.no_needs.items():
        fw = frameworks[fw_id]
        marked = frozenset(json.loads(no_needs_text)) if no_needs_text else frozenset()
        needs_of = {s.paired_with: s.code for s in fw.sections if s.paired_with}
        for s in fw.sections:
            whole_section_off = needs_of.get(s.code) in marked
            for c in s.criteria:
                if whole_section_off or (s.code in marked and c.no_needs_role == "needs_dependent"):
                    continue
                rated[c.id] += n - counts.na[fw_id, no_needs_text, c.id]
    unmet = counts.unmet

    def pct(cid: str) -> float:
        return 100.0 * unmet[cid] / rated[cid] if rated[cid] else 0.0

    ranked = sorted(unmet, key=lambda cid: (-unmet[cid], -pct(cid), str(cid)))
    return tuple(CriterionRow(cid, *where.get(cid, ("", "")), rated[cid], unmet[cid], pct(cid)) for cid in ranked)


def framework_rows(counts: Counts) -> tuple[FrameworkRow, ...]:
    audits: Counter = Counter()
    for (_month, fw_id, _grade), n in counts.monthly.items():
        audits[fw_id] += n
    return tuple(FrameworkRow(fw_id, *counts.frameworks.get(fw_id, ("", "")), audits[fw_id])
                 for fw_id in sorted(audits))


def moderation_cases(pairs: list[tuple]) -> tuple[Agreement, tuple[ModerationCase, ...]]:
    """Agreement between first and second auditor, and the disagreements of more than one band."""
    agreement = stats.moderation_agreement([(p[5], p[6]) for p in pairs], ids=[p[0] for p in pairs])
    by_id = {p[0]: p for p in pairs}
    cases = tuple(ModerationCase(d.id, by_id[d.id][1], by_id[d.id][2], by_id[d.id][3], by_id[d.id][4], d.original,
                                 d.moderated, d.bands) for d in agreement.disagreements)
    return agreement, cases


def action_rows(counts: Counts, frameworks: dict) -> tuple[ActionRow, ...]:
    """Improvement actions per section, in the newest framework's section order (then any others)."""
    order = {}
    for fw_id in sorted(frameworks, reverse=True):
        for s in frameworks[fw_id].sections:
            order.setdefault(s.code, len(order))
    codes = sorted(counts.actions, key=lambda code: (order.get(code, len(order)), code))
    return tuple(ActionRow(code, *(v or 0 for v in counts.actions[code])) for code in codes)
