"""The figures a board reads about EHCP audits, computed in pure Python so they can be checked by hand.

Why these choices:

- **% good or better comes with n and a 95% Wilson interval.** A month of 30 audits at 40% is
  anywhere from about 25% to 58%; the board must see that before it celebrates or worries. Wilson
  (not the textbook "p ± 1.96·SE") stays inside 0-100% and behaves at 0% and 100% and small n.
- **"Not graded" audits leave every % good or better** (issue 3, coverage guard): they are neither
  good nor bad, so they are not in the denominator. `distribution` still counts them, so the
  report can say how many were left out.
- **Moderation uses the four ordinal grades** and quadratic weights, so a Good→Requires
  improvement disagreement costs far less than Outstanding→Inadequate.
- **Percentages are 0-100 floats, unrounded**; rounding belongs to display.

Rates given as floats (0.05) are read through their decimal text so 0.07 × 100 is 7, not
7.000000000000001 rounded up to 8.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

GRADES = ("Inadequate", "Requires improvement", "Good", "Outstanding")
"""The four overall grades, worst first: the index is the ordinal band used by moderation."""

NOT_GRADED = "Not graded"
"""An audit whose applicable sections carry too little weight to grade (issue 3, coverage guard)."""

GRADE_INDEX = {grade: i for i, grade in enumerate(GRADES)}
Z_95 = 1.959963984540054


def _band(grade: str) -> int:
    try:
        return GRADE_INDEX[grade]
    except KeyError:
        raise ValueError(f"unknown grade {grade!r}; expected one of {GRADES}") from None


def is_graded(grade: str | None) -> bool:
    """True for one of the four grades; False for "Not graded" or None (no grade yet).

    Anything else is a typo or an unmapped label and raises, rather than silently
    shrinking a denominator.
    """
    if grade is None or grade == NOT_GRADED:
        return False
    _band(grade)
    return True


def good_or_better(grade: str) -> bool:
    """Whether a grade counts towards "% good or better" (Good or Outstanding).

    "Not graded" is not good or better, but it is not a failure either: callers computing a
    share should drop it first (``share_good_or_better`` does).
    """
    if not is_graded(grade):
        return False
    return GRADE_INDEX[grade] >= GRADE_INDEX["Good"]


def _decimal(x: float | Decimal) -> Decimal:
    """A rate as the decimal its user typed: Decimal(0.07) is 0.0700000000000000066...; this is 0.07."""
    return x if isinstance(x, Decimal) else Decimal(str(x))


def check_rate(rate: float) -> Decimal:
    """A sampling or target rate as an exact decimal, refused outside 0..1."""
    r = _decimal(rate)
    if not Decimal(0) <= r <= Decimal(1):
        raise ValueError(f"rate must be between 0 and 1, not {rate!r}")
    return r


def round_half_up(x: float | Decimal) -> int:
    """Nearest whole number, halves up (Python's round() sends 2.5 to 2, which surprises people)."""
    return int(_decimal(x).to_integral_value(rounding=ROUND_HALF_UP))


# --- % good or better ---------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float | None, float | None]:
    """The Wilson score interval for a proportion, as (low, high) in 0..1; (None, None) when n = 0.

    centre = (p + z²/2n) / (1 + z²/n);  half = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return None, None
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); floating error would miss it by a hair.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """n graded audits, how many were good or better, and the % with its 95% Wilson bounds (0-100)."""

    n: int
    good: int
    pct: float | None
    low: float | None
    high: float | None


def share_good_or_better(grades: Iterable[str | None], z: float = Z_95) -> Share:
    """% good or better over graded audits; "Not graded" and None are left out of n."""
    n = good = 0
    for grade in grades:
        if not is_graded(grade):
            continue
        n += 1
        good += GRADE_INDEX[grade] >= GRADE_INDEX["Good"]
    if n == 0:
        return Share(0, 0, None, None, None)
    low, high = wilson_interval(good, n, z)
    return Share(n, good, 100.0 * good / n, 100.0 * low, 100.0 * high)


def distribution(grades: Iterable[str | None]) -> dict[str, int]:
    """Counts per grade, worst first, every grade present (0 if none), then "Not graded".

    None (an audit not yet graded, e.g. a draft) is not counted anywhere.
    """
    counts = dict.fromkeys((*GRADES, NOT_GRADED), 0)
    for grade in grades:
        if grade is None:
            continue
        if grade != NOT_GRADED:
            _band(grade)
        counts[grade] += 1
    return counts


# --- moderation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    """A pair more than one band apart, for the moderation panel."""

    index: int  # position in the pairs given
    id: Hashable  # the audit id given, or the index when none was
    original: str
    moderated: str
    bands: int  # signed: moderated band minus original band (negative = moderator graded lower)


@dataclass(frozen=True)
class Agreement:
    """Agreement between first and moderating auditors over the pairs where both graded the plan."""

    n: int
    exact: int
    within_one: int
    exact_pct: float | None
    within_one_pct: float | None
    kappa: float | None
    kappa_degenerate: bool  # True when kappa was set to 1.0 by convention (see moderation_agreement)
    disagreements: tuple[Disagreement, ...]
    excluded: int  # pairs left out because one side was "Not graded" or None


def quadratic_weighted_kappa(matrix: Sequence[Sequence[int]]) -> float | None:
    """Cohen's kappa with quadratic weights from a k×k confusion matrix (rows: original, cols: moderated).

    κ = 1 − Σ w·O / Σ w·E, with w_ij = (i−j)²/(k−1)² and E_ij = row_i · col_j / n.
    Returns None for n = 0, and 1.0 when Σ w·E = 0: that happens only when both auditors put every
    plan in the same single grade, so they agreed on every plan and there is no chance
    agreement left to correct for. The "why" is recorded by ``Agreement.kappa_degenerate``.
    """
    k = len(matrix)
    n = sum(sum(row) for row in matrix)
    if n == 0:
        return None
    if k < 2:
        return 1.0
    rows = [sum(row) for row in matrix]
    cols = [sum(matrix[i][j] for i in range(k)) for j in range(k)]
    observed = expected = 0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2
            observed += w * matrix[i][j] * n  # both sides scaled by n·(k−1)² to stay in integers
            expected += w * rows[i] * cols[j]
    if expected == 0:
        return 1.0
    return 1.0 - observed / expected


def moderation_agreement(
    pairs: Iterable[tuple[str | None, str | None]], ids: Sequence[Hashable] | None = None
) -> Agreement:
    """Exact and within-one-band agreement, quadratic-weighted kappa and the wide disagreements.

    ``pairs`` are (original grade, moderated grade); ``ids`` (same length) name them in the list of
    disagreements, which otherwise carry the pair's position. A pair where either side is
    "Not graded" or None is left out of every figure and counted in ``excluded``: the four-band
    scale has no place for it.
    """
    pairs = list(pairs)
    if ids is not None and len(ids) != len(pairs):
        raise ValueError(f"{len(ids)} ids for {len(pairs)} pairs")
    k = len(GRADES)
    matrix = [[0] * k for _ in range(k)]
    n = exact = within_one = excluded = 0
    wide: list[Disagreement] = []
    for index, (original, moderated) in enumerate(pairs):
        if not (is_graded(original) and is_graded(moderated)):
            excluded += 1
            continue
        i, j = GRADE_INDEX[original], GRADE_INDEX[moderated]
        matrix[i][j] += 1
        n += 1
        exact += i == j
        within_one += abs(i - j) <= 1
        if abs(i - j) > 1:
            wide.append(Disagreement(index, ids[index] if ids is not None else index, original, moderated, j - i))
    kappa = quadratic_weighted_kappa(matrix)
    used = [b for b in range(k) if any(matrix[b]) or any(row[b] for row in matrix)]
    return Agreement(
        n=n,
        exact=exact,
        within_one=within_one,
        exact_pct=100.0 * exact / n if n else None,
        within_one_pct=100.0 * within_one / n if n else None,
        kappa=kappa,
        kappa_degenerate=n > 0 and len(used) == 1,
        disagreements=tuple(wide),
        excluded=excluded,
    )


# --- trends -------------------------------------------------------------------------------------


def rolling_mean(
    values: Sequence[float | None],
    window: int = 3,
    *,
    min_periods: int | None = None,
    weights: Sequence[float | None] | None = None,
) -> list[float | None]:
    """A trailing rolling mean over a monthly series with gaps (None = no data that month).

    Point i averages the values present among months i−window+1 .. i. It is None when fewer than
    ``min_periods`` of them are present; the default is a majority of the window (2 of 3), so one
    quiet month does not break the line but the line never rests on a single month, and the first
    month of a series has no 3-month average. Months before the series starts count as missing.

    ``weights`` (e.g. the n audited each month) make it a pooled figure: for monthly % good or
    better, weighting by n gives Σgood ÷ Σn over the window, which is what the board means by
    "the last three months". A weight of 0 or None counts as a missing month.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    if min_periods is None:
        min_periods = window // 2 + 1
    if not 1 <= min_periods <= window:
        raise ValueError(f"min_periods must be between 1 and {window}")
    if weights is not None and len(weights) != len(values):
        raise ValueError("values and weights differ in length")
    out: list[float | None] = []
    for i in range(len(values)):
        total = weight_sum = 0.0
        present = 0
        for t in range(max(0, i - window + 1), i + 1):
            v = values[t]
            w = 1.0 if weights is None else weights[t]
            if v is None or not w:
                continue
            total += w * v
            weight_sum += w
            present += 1
        out.append(total / weight_sum if present >= min_periods else None)
    return out


@dataclass(frozen=True)
class Segment:
    """A run of consecutive points sharing one segment key (framework version): ``values[start:stop]``."""

    key: Hashable
    start: int
    stop: int
    values: tuple


def split_segments(values: Sequence, keys: Sequence[Hashable | None]) -> list[Segment]:
    """Break a series wherever the key (framework version) changes, so a chart never joins two versions.

    A None key (a month with no audits has no version) does not break a run: it joins the segment
    it falls in, and leading Nones join the first keyed segment. A series of only None keys is one
    segment with key None.
    """
    if len(values) != len(keys):
        raise ValueError("values and keys differ in length")
    segments: list[Segment] = []
    start, current = 0, None
    for i, key in enumerate(keys):
        if key is None or key == current:
            continue
        if current is not None:
            segments.append(Segment(current, start, i, tuple(values[start:i])))
            start = i
        current = key
    if values:
        segments.append(Segment(current, start, len(values), tuple(values[start:])))
    return segments


def segmented_rolling_mean(
    values: Sequence[float | None],
    keys: Sequence[Hashable | None],
    window: int = 3,
    *,
    min_periods: int | None = None,
    weights: Sequence[float | None] | None = None,
) -> list[float | None]:
    """``rolling_mean`` restarted in every segment, so no average mixes two framework versions."""
    out: list[float | None] = []
    for seg in split_segments(values, keys):
        w = None if weights is None else weights[seg.start : seg.stop]
        out.extend(rolling_mean(seg.values, window, min_periods=min_periods, weights=w))
    return out


# --- volumes and criteria -----------------------------------------------------------------------


def audits_target(caseload: int, rate: float = 0.05) -> int:
    """Audits due in a month: rate × open plans, rounded up (5% of 13,000 is 650; of 13,001 is 651).

    Rounded up because the target is "at least 5%": 650.05 audits means 651.
    """
    if caseload < 0:
        raise ValueError("caseload cannot be negative")
    return int((Decimal(caseload) * check_rate(rate)).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class CriterionUnmet:
    """How often a criterion was rated below "met" where it applied."""

    criterion_id: str
    rated: int  # applicable ratings (N/A left out)
    unmet: int
    pct: float  # unmet ÷ rated, 0-100


def criteria_most_unmet(
    rows: Iterable[tuple[str, int | str | None, int]],
    top: int = 10,
    *,
    met_fraction: Fraction = Fraction(2, 3),
) -> list[CriterionUnmet]:
    """The criteria most often rated below "met", from (criterion id, value, max) rows.

    "Below met" is value < met_fraction × max: on the default 0-3 scale (0 not met, 1 partly,
    2 met, 3 exemplary) that is 0 and 1, the same ratings that create improvement actions; on a
    0-1 yes/no criterion it is 0. A value of None or "na" is not applicable and is left out.
    Ordered by unmet count, then unmet %, then id, so ties come out the same every time.
    """
    rated: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    for criterion_id, value, maximum in rows:
        if value is None or (isinstance(value, str) and value.lower() == "na"):
            continue
        if maximum <= 0:
            raise ValueError(f"criterion {criterion_id}: maximum must be positive")
        rated[criterion_id] += 1
        if Fraction(value) < met_fraction * maximum:
            unmet[criterion_id] += 1
    ranked = sorted(unmet, key=lambda c: (-unmet[c], -unmet[c] / rated[c], str(c)))
    return [CriterionUnmet(c, rated[c], unmet[c], 100.0 * unmet[c] / rated[c]) for c in ranked[: max(top, 0)]]
