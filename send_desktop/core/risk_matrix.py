"""The risk matrix and the register's rules: scores, bands, trend, appetite, escalation, reviews.

A matrix is a definition that travels as JSON (the `risk_matrix` table, a workbook's About
sheet):

    {"likelihood": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
     "impact": ["Negligible", "Minor", "Moderate", "Major", "Catastrophic"],
     "bands": [{"name": "Low", "from": 1, "to": 3, "colour": "#d9efd3"}, ...],
     "escalation_threshold": 15}

Likelihood and impact are whole numbers from 1 to the number of labels; the score is their
product and is never stored, so it can never disagree with them. Bands must cover every score
the matrix can produce, in ascending order without overlaps (7, 13 and 14 cannot come from a
5x5 matrix, so the NHS bands 1-3, 4-6, 8-12 and 15-25 cover it). The default colours darken as
the band gets worse, so a greyscale print still orders them; the band's name is always shown
with its colour.

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import NamedTuple

from send_desktop.errors import UserError

STATUSES = ("open", "escalated", "closed")
MITIGATION_STATUSES = ("planned", "in progress", "done")

#: Review frequencies and their length in months.
FREQUENCIES = {"monthly": 1, "bi-monthly": 2, "quarterly": 3, "6-monthly": 6, "annual": 12}
_FREQUENCY_ALIASES = {
    "month": "monthly", "every month": "monthly", "bimonthly": "bi-monthly", "bi monthly": "bi-monthly",
    "every two months": "bi-monthly", "every 2 months": "bi-monthly", "2-monthly": "bi-monthly",
    "quarter": "quarterly", "every quarter": "quarterly", "3-monthly": "quarterly", "three-monthly": "quarterly",
    "6 monthly": "6-monthly", "six-monthly": "6-monthly", "six monthly": "6-monthly", "half-yearly": "6-monthly",
    "half yearly": "6-monthly", "biannual": "6-monthly", "annually": "annual", "yearly": "annual",
    "12-monthly": "annual", "every year": "annual",
}

TREND_ARROWS = {"up": "\u25b2", "down": "\u25bc", "same": "\u25b6"}
TREND_WORDS = {"up": "Worse", "down": "Better", "same": "Same"}

MIN_LEVELS, MAX_LEVELS = 2, 10


class RiskValueError(UserError):
    """A likelihood, impact, status, frequency or matrix that cannot be used, in plain words."""


class Band(NamedTuple):
    name: str
    low: int    # lowest score in the band
    high: int   # highest score in the band
    colour: str  # #rrggbb

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high

    @property
    def text_colour(self) -> str:
        from send_desktop.core.scales import text_colour_for

        return text_colour_for(self.colour)

    def span(self) -> str:
        return f"{self.low}-{self.high}" if self.high != self.low else str(self.low)


DEFAULT_DEFINITION: dict = {
    "likelihood": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    "impact": ["Negligible", "Minor", "Moderate", "Major", "Catastrophic"],
    "bands": [
        {"name": "Low", "from": 1, "to": 3, "colour": "#d9efd3"},
        {"name": "Moderate", "from": 4, "to": 6, "colour": "#f0c23b"},
        {"name": "High", "from": 8, "to": 12, "colour": "#e07b28"},
        {"name": "Extreme", "from": 15, "to": 25, "colour": "#a61e1e"},
    ],
    "escalation_threshold": 15,
}


def _is_colour(value) -> bool:
    hexa = str(value).lstrip("#")
    return isinstance(value, str) and value.startswith("#") and len(hexa) == 6 and all(
        ch in "0123456789abcdefABCDEF" for ch in hexa)


def whole_number(value) -> int | None:
    """A whole number given as int, integral float or digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


class RiskMatrix(NamedTuple):
    likelihood: tuple[str, ...]   # labels, index 0 is likelihood 1
    impact: tuple[str, ...]
    bands: tuple[Band, ...]       # ascending
    escalation_threshold: int

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def default(cls) -> RiskMatrix:
        return cls.from_dict(DEFAULT_DEFINITION)

    @classmethod
    def from_dict(cls, data) -> RiskMatrix:
        """A matrix from its definition, or `RiskValueError` listing everything wrong with it."""
        problems = definition_problems(data)
        if problems:
            raise RiskValueError("The risk matrix cannot be used: " + "; ".join(problems) + ".")
        bands = tuple(Band(str(b["name"]).strip(), whole_number(b["from"]), whole_number(b["to"]),
                           str(b["colour"]).lower()) for b in data["bands"])
        return cls(tuple(str(x).strip() for x in data["likelihood"]), tuple(str(x).strip() for x in data["impact"]),
                   bands, whole_number(data["escalation_threshold"]))

    @classmethod
    def from_json(cls, text: str) -> RiskMatrix:
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise RiskValueError(f"The risk matrix definition is not valid JSON ({exc}).") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict:
        return {"likelihood": list(self.likelihood), "impact": list(self.impact),
                "bands": [{"name": b.name, "from": b.low, "to": b.high, "colour": b.colour} for b in self.bands],
                "escalation_threshold": self.escalation_threshold}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    # -- scoring ------------------------------------------------------------------------------

    @property
    def max_likelihood(self) -> int:
        return len(self.likelihood)

    @property
    def max_impact(self) -> int:
        return len(self.impact)

    @property
    def max_score(self) -> int:
        return self.max_likelihood * self.max_impact

    def check(self, kind: str, value) -> int:
        """A likelihood or impact (`kind`) as a whole number in range, or a message naming the value."""
        labels = self.likelihood if kind == "likelihood" else self.impact
        number = whole_number(value)
        shown = str(value).strip() if value is not None else ""
        if not shown:
            raise RiskValueError(f"The {kind} is missing: give a whole number from 1 to {len(labels)}.")
        if number is None:
            raise RiskValueError(f"The {kind} '{shown}' is not a whole number: use 1 ({labels[0]}) "
                                 f"to {len(labels)} ({labels[-1]}).")
        if not 1 <= number <= len(labels):
            raise RiskValueError(f"The {kind} {number} is out of range: use 1 ({labels[0]}) "
                                 f"to {len(labels)} ({labels[-1]}).")
        return number

    def score(self, likelihood, impact) -> int:
        return self.check("likelihood", likelihood) * self.check("impact", impact)

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if band.contains(score):
                return band
        raise RiskValueError(f"The score {score} is not in any band of the risk matrix.")

    def band_of(self, likelihood, impact) -> Band:
        return self.band_for(self.score(likelihood, impact))

    def band_named(self, name: str) -> Band | None:
        key = name.strip().casefold()
        return next((b for b in self.bands if b.name.casefold() == key), None)

    def likelihood_label(self, value: int) -> str:
        return self.likelihood[value - 1] if 1 <= value <= len(self.likelihood) else ""

    def impact_label(self, value: int) -> str:
        return self.impact[value - 1] if 1 <= value <= len(self.impact) else ""

    def describe(self, likelihood: int, impact: int) -> str:
        """"4 × 5 = 20 (Extreme): likelihood Likely, impact Catastrophic" for tooltips and reports."""
        score = likelihood * impact
        return (f"{likelihood} \u00d7 {impact} = {score} ({self.band_for(score).name}): likelihood "
                f"{self.likelihood_label(likelihood)}, impact {self.impact_label(impact)}")

    def needs_escalation(self, score: int) -> bool:
        """At or above the threshold: the risk goes to the board."""
        return score >= self.escalation_threshold

    def check_appetite(self, value) -> int | None:
        """A category's appetite (the highest current score it accepts), or None for none."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number = whole_number(value)
        if number is None or not 1 <= number <= self.max_score:
            raise RiskValueError(f"The appetite '{value}' must be a score from 1 to {self.max_score} "
                                 "(the highest current score the category accepts), or blank for none.")
        return number


def definition_problems(data) -> list[str]:
    """Everything wrong with a matrix definition, in words; empty when it can be used."""
    if not isinstance(data, dict):
        return ["the definition must be an object with likelihood, impact, bands and escalation_threshold"]
    problems = []
    axes = {}
    for axis in ("likelihood", "impact"):
        labels = data.get(axis)
        if not isinstance(labels, list) or not MIN_LEVELS <= len(labels) <= MAX_LEVELS:
            problems.append(f"'{axis}' must list {MIN_LEVELS} to {MAX_LEVELS} labels, lowest first")
            continue
        clean = [str(x).strip() if isinstance(x, (str, int)) else "" for x in labels]
        if any(not x for x in clean):
            problems.append(f"every {axis} level needs a label")
        elif len({x.casefold() for x in clean}) != len(clean):
            problems.append(f"the {axis} labels must differ from each other")
        axes[axis] = len(labels)
    bands = data.get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append("'bands' must list at least one band")
        bands = []
    parsed = []
    for n, b in enumerate(bands, 1):
        if not isinstance(b, dict):
            problems.append(f"band {n} must be an object with name, from, to and colour")
            continue
        name = str(b.get("name", "")).strip()
        low, high = whole_number(b.get("from")), whole_number(b.get("to"))
        label = f"band '{name}'" if name else f"band {n}"
        if not name:
            problems.append(f"band {n} needs a name")
        if low is None or high is None or low < 1 or high < low:
            problems.append(f"{label} needs whole-number scores 'from' and 'to' with from \u2264 to, from 1 up")
            continue
        if not _is_colour(b.get("colour")):
            problems.append(f"{label} has colour '{b.get('colour')}', which is not written as #rrggbb")
        parsed.append((name, low, high))
    names = [p[0].casefold() for p in parsed if p[0]]
    if len(set(names)) != len(names):
        problems.append("band names must differ from each other")
    for (name_a, _, high_a), (name_b, low_b, _) in zip(parsed, parsed[1:]):
        if low_b <= high_a:
            problems.append(f"bands must be in ascending order without overlapping ('{name_a}' ends at "
                            f"{high_a}, '{name_b}' starts at {low_b})")
    if len(axes) == 2 and parsed and not problems:
        scores = sorted({lk * im for lk in range(1, axes["likelihood"] + 1) for im in range(1, axes["impact"] + 1)})
        uncovered = [s for s in scores if not any(low <= s <= high for _, low, high in parsed)]
        if uncovered:
            problems.append(f"no band covers the score{'s' if len(uncovered) > 1 else ''} "
                            f"{', '.join(map(str, uncovered[:6]))}")
    threshold = whole_number(data.get("escalation_threshold"))
    top = axes.get("likelihood", 5) * axes.get("impact", 5)
    if threshold is None or not 1 <= threshold <= top:
        problems.append(f"'escalation_threshold' must be a whole number from 1 to {top}")
    return problems


DEFAULT_MATRIX = RiskMatrix.default()


# -- the register's rules -----------------------------------------------------------------------

def trend(previous: int | None, current: int | None) -> str | None:
    """How the score moved since the previous assessment: "up" (worse), "down", "same", or None
    when there is nothing to compare with."""
    if previous is None or current is None:
        return None
    if current > previous:
        return "up"
    if current < previous:
        return "down"
    return "same"


def trend_text(direction: str | None) -> str:
    """The arrow and the word together, so the trend reads without colour: "▲ Worse"."""
    if direction is None:
        return "New"
    return f"{TREND_ARROWS[direction]} {TREND_WORDS[direction]}"


def above_appetite(score: int, appetite: int | None, status: str = "open") -> bool:
    """A live risk whose current score is above what its category will tolerate."""
    return appetite is not None and status != "closed" and score > appetite


def for_board(score: int, status: str, matrix: RiskMatrix = DEFAULT_MATRIX) -> bool:
    """Marked for the board: escalated by hand, or scoring at or above the escalation threshold."""
    return status != "closed" and (status == "escalated" or matrix.needs_escalation(score))


def review_overdue(next_review: dt.date | None, status: str, today: dt.date) -> bool:
    return next_review is not None and status != "closed" and next_review < today


def normalise_frequency(value) -> str:
    """One of FREQUENCIES from what a person typed ("Quarterly", "every 2 months", "yearly")."""
    raw = " ".join(str(value or "").strip().casefold().replace("\u2013", "-").split())
    if not raw:
        return "monthly"
    if raw in FREQUENCIES:
        return raw
    if raw in _FREQUENCY_ALIASES:
        return _FREQUENCY_ALIASES[raw]
    raise RiskValueError(f"The review frequency '{value}' is not one of: {', '.join(FREQUENCIES)}.")


def normalise_status(value) -> str:
    raw = str(value or "").strip().casefold()
    if not raw:
        return "open"
    if raw in STATUSES:
        return raw
    raise RiskValueError(f"The status '{value}' is not one of: {', '.join(STATUSES)}.")


def normalise_mitigation_status(value) -> str:
    raw = " ".join(str(value or "").strip().casefold().replace("-", " ").split())
    if not raw:
        return "planned"
    aliases = {"complete": "done", "completed": "done", "underway": "in progress", "started": "in progress",
               "not started": "planned"}
    raw = aliases.get(raw, raw)
    if raw in MITIGATION_STATUSES:
        return raw
    raise RiskValueError(f"The mitigation status '{value}' is not one of: {', '.join(MITIGATION_STATUSES)}.")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, held to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_date(reviewed: dt.date, frequency: str) -> dt.date:
    """When a risk reviewed on `reviewed` is next due, by its review frequency."""
    return add_months(reviewed, FREQUENCIES[normalise_frequency(frequency)])


def next_risk_ref(refs) -> str:
    """The reference after the highest numbered one, keeping its prefix and width ("R07" -> "R08")."""
    best = None
    for ref in refs:
        m = re.fullmatch(r"(\D*?)(\d+)", str(ref).strip())
        if m and (best is None or int(m[2]) > int(best[2])):
            best = m
    if best is None:
        return "R01"
    return f"{best[1]}{int(best[2]) + 1:0{len(best[2])}d}"
