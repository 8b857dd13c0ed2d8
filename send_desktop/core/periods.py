"""Reporting periods of KPI values and targets: read from what people write, kept as one text.

A board's KPI tables mix months ("June 2025", "Jun-25"), financial-year quarters ("Q3 2025/26"),
financial years ("2025/26", "17/18"), academic years ("AY 2024/25") and calendar years ("2024").
Each is normalised to one canonical text, so "Jun-25" and "2025-06" are the same period and a
workbook sent back with either finds the same value:

    month           "2025-06"      1 Jun 2025 - 30 Jun 2025
    quarter         "Q3 2025/26"   1 Oct 2025 - 31 Dec 2025 (UK financial year: Q1 is Apr-Jun)
    financial year  "2025/26"      1 Apr 2025 - 31 Mar 2026
    academic year   "AY 2024/25"   1 Sep 2024 - 31 Aug 2025
    calendar year   "2024"         1 Jan 2024 - 31 Dec 2024

End dates follow `timescale` (the rules the plan's due dates use), so an action due "Q3 2025/26"
and a KPI value for "Q3 2025/26" end on the same day. A period that cannot be read is refused
with a message saying what to write instead; nothing is guessed. A calendar quarter ("Q3 2025")
is refused too: boards use both kinds, and reading one as the other moves a value by a quarter.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import NamedTuple

from send_desktop.core.timescale import parse_timescale
from send_desktop.errors import UserError

MONTH, QUARTER, FINANCIAL_YEAR, ACADEMIC_YEAR, YEAR = "month", "quarter", "financial year", "academic year", "year"
KINDS = (MONTH, QUARTER, FINANCIAL_YEAR, ACADEMIC_YEAR, YEAR)
YEAR_MIN, YEAR_MAX = 1990, 2099

EXAMPLES = ("a month (2025-06 or June 2025), a quarter (Q3 2025/26), a financial year (2025/26), "
            "an academic year (AY 2024/25) or a calendar year (2024)")


class PeriodError(UserError):
    """A period that cannot be read; the message says what to write instead."""


class Period(NamedTuple):
    kind: str
    text: str  # the canonical text, as stored
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """How people read it: months as "Jun 2025", other periods as their text."""
        if self.kind == MONTH:
            return f"{calendar.month_abbr[self.end.month]} {self.end.year}"
        return self.text

    @property
    def sort_key(self) -> tuple:
        # By end date; of two periods ending together (March and the financial year) the shorter first.
        return self.end, -self.start.toordinal(), self.text

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, steps: int) -> Period:
        """The period `steps` later (earlier when negative), of the same kind."""
        if self.kind == MONTH:
            index = self.end.year * 12 + self.end.month - 1 + steps
            return month(index // 12, index % 12 + 1)
        if self.kind == QUARTER:
            index = self.start.year * 12 + self.start.month - 1 + 3 * steps  # by the quarter's first month
            first_year = index // 12 if index % 12 >= 3 else index // 12 - 1
            return _make(QUARTER, first_year, ((index % 12 - 3) % 12) // 3 + 1)
        return _make(self.kind, self.start.year + steps)


# -- making periods -------------------------------------------------------------------------------

def _check_year(year: int, written: str) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(f"'{written}' is outside the years {YEAR_MIN}-{YEAR_MAX}; check the year.")
    return year


def _pair(first: int, second: int, written: str) -> int:
    """The first year of a "2025/26" pair, checking the second one follows it."""
    year = first + 2000 if first < 100 else first
    follows = (second == (year + 1) % 100) if second < 100 else (second == year + 1)
    if not follows:
        raise PeriodError(f"'{written}' is not a year and the next, such as 2025/26: the second year must "
                          "follow the first.")
    return _check_year(year, written)


def _make(kind: str, year: int, number: int = 0) -> Period:
    short = f"{year}/{(year + 1) % 100:02d}"
    if kind == MONTH:
        text, label = f"{year}-{number:02d}", f"{calendar.month_abbr[number]} {year}"
        start = dt.date(year, number, 1)
    elif kind == QUARTER:
        text = label = f"Q{number} {short}"
        first_month = 3 * number + 1  # Q1 starts in April
        start = dt.date(year + (first_month > 12), (first_month - 1) % 12 + 1, 1)
    elif kind == FINANCIAL_YEAR:
        text = label = short
        start = dt.date(year, 4, 1)
    elif kind == ACADEMIC_YEAR:
        # timescale reads "2024/25" as a financial year; an academic year ends in August.
        text = f"AY {short}"
        return Period(kind, text, dt.date(year, 9, 1), dt.date(year + 1, 8, 31))
    else:
        text = label = str(year)
        start = dt.date(year, 1, 1)
    return Period(kind, text, start, parse_timescale(label))


def month(year: int, number: int) -> Period:
    return _make(MONTH, _check_year(year, str(year)), number)


def month_of(day: dt.date) -> Period:
    return month(day.year, day.month)


def period_of(kind: str, day: dt.date) -> Period:
    """The period of a kind that contains a day."""
    if kind == MONTH:
        return month_of(day)
    if kind == QUARTER:
        return _make(QUARTER, day.year if day.month >= 4 else day.year - 1, ((day.month - 4) % 12) // 3 + 1)
    if kind == FINANCIAL_YEAR:
        return _make(kind, day.year if day.month >= 4 else day.year - 1)
    if kind == ACADEMIC_YEAR:
        return _make(kind, day.year if day.month >= 9 else day.year - 1)
    return _make(YEAR, day.year)


def last_complete(kind: str, today: dt.date) -> Period:
    """The latest period of a kind that has ended before `today` (what is reported next)."""
    return period_of(kind, today).shifted(-1)


# -- reading what people write ----------------------------------------------------------------

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9
_Y = r"(\d{4}|\d{2})"
_PAIR = _Y + r" ?[/-] ?" + _Y
_RULES = tuple((kind, re.compile(rx)) for kind, rx in (
    ("iso month", r"(\d{4})-(\d{1,2})"),
    ("named month", r"([a-z]+)\.?[ \-/']*" + _Y),
    ("numbered month", r"(\d{1,2})/(\d{4})"),
    ("quarter", r"q([1-4]) ?(?:fy ?)?" + _PAIR),
    ("quarter after", r"(?:fy ?)?" + _PAIR + r" ?q([1-4])"),
    ("calendar quarter", r"q([1-4]) ?(\d{4})"),
    ("academic", r"(?:ay|academic year) ?" + _PAIR),
    ("academic after", _PAIR + r" ?(?:ay|academic year)"),
    ("financial", r"(?:fy|financial year)? ?" + _PAIR),
    ("year", r"(?:cy|calendar year|year)? ?(\d{4})"),
))
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-"})


def parse_period(value) -> Period:
    """The period a cell or typed text names; raises `PeriodError` saying what to write instead.

    A date (Excel turns "Jun-25" typed into a cell into 1 Jun 2025) means the month it falls in,
    and a whole number (2024) a calendar year."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return month_of(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PeriodError(f"{value!r} is not a period; write {EXAMPLES}.")
    return _parse_text(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> Period:
    written = " ".join(value.split())
    text = written.translate(_DASHES).lower().strip(" .")
    if not text:
        raise PeriodError(f"A period is needed; write {EXAMPLES}.")
    for kind, rule in _RULES:
        m = rule.fullmatch(text)
        if m is None:
            continue
        g = m.groups()
        if kind == "iso month" and 1 <= int(g[1]) <= 12:
            return month(_check_year(int(g[0]), written), int(g[1]))
        if kind == "named month" and g[0] in _MONTH_NAMES:
            year = int(g[1]) + (2000 if len(g[1]) == 2 else 0)
            return month(_check_year(year, written), _MONTH_NAMES[g[0]])
        if kind == "numbered month":
            if not 1 <= int(g[0]) <= 12:
                raise PeriodError(f"'{written}' has no month {int(g[0])}; write {EXAMPLES}.")
            return month(_check_year(int(g[1]), written), int(g[0]))
        if kind == "quarter":
            return _make(QUARTER, _pair(int(g[1]), int(g[2]), written), int(g[0]))
        if kind == "quarter after":
            return _make(QUARTER, _pair(int(g[0]), int(g[1]), written), int(g[2]))
        if kind == "calendar quarter":
            raise PeriodError(_calendar_quarter_message(int(g[0]), int(g[1]), written))
        if kind in ("academic", "academic after"):
            return _make(ACADEMIC_YEAR, _pair(int(g[0]), int(g[1]), written))
        if kind == "financial":
            return _make(FINANCIAL_YEAR, _pair(int(g[0]), int(g[1]), written))
        if kind == "year":
            return _make(YEAR, _check_year(int(g[0]), written))
    raise PeriodError(f"'{written}' is not a period; write {EXAMPLES}.")


def _calendar_quarter_message(q: int, year: int, written: str) -> str:
    months = ("Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec")[q - 1]
    fq, fy = (4, year - 1) if q == 1 else (q - 1, year)
    return (f"'{written}' could be a calendar or a financial-year quarter; quarters here are financial-year "
            f"quarters, so for {months} {year} write 'Q{fq} {fy}/{(fy + 1) % 100:02d}'.")


def try_period(value) -> Period | None:
    """The period, or None when the value is not one (for places that report it differently)."""
    try:
        return parse_period(value)
    except PeriodError:
        return None


def canonical(value) -> str:
    """The stored text of a period (raises `PeriodError`)."""
    return parse_period(value).text


def sort_periods(texts) -> list[str]:
    """Canonical period texts in time order."""
    return sorted(set(texts), key=lambda t: parse_period(t).sort_key)
