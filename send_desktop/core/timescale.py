"""Turn a Priority Action Plan "timescale" cell into a due date.

Boards write timescales by hand ("Sept 2025", "Q3 2025/26", "Spring term
2026", "Ongoing") and spreadsheets hand us real dates or Excel serial
numbers, so the parser is deliberately forgiving: it looks for every date it
recognises in the text and keeps the latest one, because an action is due
when the last period it names has ended.  Anything it cannot read is "no
date" (``None``), never an error - one odd cell must not stop an import.

Conventions (all dates are the END of the period named):

* ``"July 2025"``, ``"Sep-25"``, ``"07/2025"`` -> last day of that month.
  Two-digit years always mean 20xx.
* ``"31/07/2025"``, ``"31/7/25"``, ``"31 July 2025"`` -> that day (UK
  day-first).  ``"2025-07-31"`` is ISO.  Impossible days give no date.
* ``"Q3 2025"`` -> calendar quarter (Jul-Sep, so 30 Sep 2025).
  ``"Q3 2025/26"`` or ``"Q3 2025-26"`` -> UK financial-year quarter, where
  Q1 is Apr-Jun of the first year and Q4 is Jan-Mar of the second, so
  Q3 2025/26 is 31 Dec 2025 and Q4 2025/26 is 31 Mar 2026.
* ``"2025/26"`` (or ``"2025-2026"``) alone -> the financial year, 31 Mar 2026,
  consistent with the quarters above.  ``"2025"`` alone -> 31 Dec 2025.
* Seasons are meteorological: Spring -> 31 May, Summer -> 31 Aug,
  Autumn -> 30 Nov, Winter YYYY -> end of Feb YYYY+1 (winter straddles the
  new year).  School terms are what SEND plans usually mean when they say
  "term", so ``"<season> term YYYY"`` follows the school year instead:
  Autumn term -> 31 Dec, Spring term -> 30 Apr (it ends before Easter, which
  moves; the later bound avoids flagging work overdue too early),
  Summer term -> 31 Jul.  Half terms end at the break: Autumn half term ->
  31 Oct, Spring half term -> end of Feb, Summer half term -> 31 May.
  With an academic year (``"Spring term 2025/26"``)
  Autumn falls in the first year, Spring and Summer in the second.
* Excel: ``datetime``/``date`` objects are used as they are; int/float/Decimal
  serials use the 1900 date system (45869 -> 31 Jul 2025) and are accepted
  only within 20000..80000 (1954..2119) so that counts and codes are not
  mistaken for dates.
* ``"Ongoing"``, ``"Quarterly"``, ``"TBC"``, ``"N/A"``, ``"-"``, blank ->
  ``None``.
* A month or season with no year ("by March", "Summer term") means nothing
  on its own, so it is ``None`` unless ``today`` is given, in which case it
  is the first such period ending on or after ``today``.  Pass the date the
  plan was written or imported, not the current date, or the due date will
  keep rolling forward.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import numbers
import re
import sys

__all__ = ["parse_timescale", "describe_due", "is_overdue"]

_EXCEL_EPOCH = _dt.date(1899, 12, 30)  # absorbs Excel's fictional 29 Feb 1900
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000
_YEAR_MIN, _YEAR_MAX = 1900, 2199

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7,
    "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
               "Sep", "Oct", "Nov", "Dec")

# (month, day, year offset) for the end of each period; day 0 = month end.
_SEASONS = {"spring": (5, 31, 0), "summer": (8, 31, 0), "autumn": (11, 30, 0),
            "fall": (11, 30, 0), "winter": (2, 0, 1)}
_TERMS = {"autumn": (12, 31, 0), "fall": (12, 31, 0), "spring": (4, 30, 0),
          "summer": (7, 31, 0)}
_HALF_TERMS = {"autumn": (10, 31, 0), "fall": (10, 31, 0), "spring": (2, 0, 0),
               "summer": (5, 31, 0)}

_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_PAIR_TAIL = r"(?:\s*[/\-\u2013]\s*(?P<year2>\d{4}|\d{2}))"
_ORD = r"(?:st|nd|rd|th)?"

# Order matters: more specific patterns claim their text first, so "2025" in
# "31/07/2025" is never read again as a bare year. Compiled on first use (`_patterns`): the
# window's start-up imports this module for `describe_due` and never parses a timescale.
_PATTERN_SOURCES: tuple[tuple[str, str], ...] = (
    ("iso", r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    ("dmy", r"\b(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)" + _YEAR + r"\b"),
    ("day_mon", r"\b(?P<day>\d{1,2})" + _ORD + r"\s*(?:of\s+)?" + _MON + r"\.?[\s,\-]*" + _YEAR + r"\b"),
    ("mon_day", r"\b" + _MON + r"\.?\s+(?P<day>\d{1,2})" + _ORD + r",\s*" + _YEAR + r"\b"),
    ("quarter", r"\b(?:q|quarter\s*)(?P<q>[1-4])\s*(?:of\s+)?(?:fy\s*)?" + _YEAR + _PAIR_TAIL + r"?\b"),
    ("season", r"\b(?P<season>spring|summer|autumn|fall|winter)(?P<term>\s+half[\s\-]?term|\s+term)?"
               r"\s*(?:of\s+)?" + _YEAR + _PAIR_TAIL + r"?\b"),
    ("mon_year", r"\b" + _MON + r"\.?[\s\-/,']*" + _YEAR + r"\b"),
    ("num_mon_year", r"\b(?P<month>\d{1,2})[/.\-](?P<year>\d{4})\b"),
    ("year_pair", r"\b(?:fy\s*)?(?P<year>\d{4})" + _PAIR_TAIL + r"\b"),
    ("year", r"\b(?:fy\s*)?(?P<year>\d{4})\b"),
)

_YEARLESS_SOURCE = (
    r"^(?:(?:by|before|until|till|to|in|during|end|end\s+of|the|of|at|latest)\s+)*"
    r"(?:(?P<mon>" + "|".join(_MONTHS) + r")|(?P<season>spring|summer|autumn|fall|winter)"
    r"(?P<term>\s+half[\s\-]?term|\s+term)?)$"
)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(rx, re.ASCII)) for name, rx in _PATTERN_SOURCES)


@functools.cache
def _yearless_pattern() -> re.Pattern[str]:
    return re.compile(_YEARLESS_SOURCE, re.ASCII)


def parse_timescale(value: object, *, today: _dt.date | None = None) -> _dt.date | None:
    """Return the due date a timescale cell names, or ``None`` for no date.

    Never raises: a spreadsheet can hold anything, and an unreadable cell is
    simply an action without a due date.
    """
    try:
        return _parse(value, today)
    except Exception:  # hostile objects (a str subclass that raises, ...)
        return None


def describe_due(due: _dt.date | None, text: object = "") -> str:
    """Short label for a due date, keeping the original words when undated.

    Undated actions show their timescale text so "Ongoing" and "TBC" stay
    distinguishable from a cell that was simply left blank.
    """
    try:
        if isinstance(due, _dt.date):
            return f"{due.day} {_MONTH_ABBR[due.month]} {due.year}"
        words = " ".join(str(text if text is not None else "").split())
    except Exception:
        words = ""
    if len(words) > 40:
        words = words[:39].rstrip() + "\u2026"
    return f"no date ({words})" if words else "no date"


def is_overdue(due: _dt.date | None, complete: bool, today: _dt.date | None = None) -> bool:
    """True when the due date has passed and the action is not complete.

    Due on ``today`` is not yet overdue: the whole of the due day is allowed.
    """
    if complete or not isinstance(due, _dt.date):
        return False
    if today is None:
        today = _dt.date.today()
    if not isinstance(today, _dt.date):
        return False
    return _as_date(due) < _as_date(today)


# -- internals ---------------------------------------------------------------

def _as_date(value: _dt.date) -> _dt.date:
    # datetime is a subclass of date but refuses to compare with one.
    return _dt.date(value.year, value.month, value.day)


def _parse(value: object, today: _dt.date | None) -> _dt.date | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.date):  # includes datetime
        return _as_date(value)
    if isinstance(value, numbers.Real) or _is_decimal(value):
        try:
            return _from_serial(float(value))
        except (OverflowError, ValueError):  # e.g. an int too big for a float
            return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.lower().split()).strip(" .")
    if not text:
        return None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):  # a serial that arrived as text
        return _from_serial(float(text))
    found = _scan(text)
    if found:
        return max(found)
    if today is not None and isinstance(today, _dt.date):
        return _yearless(text, _as_date(today))
    return None


def _from_serial(serial: float) -> _dt.date | None:
    if not math.isfinite(serial) or not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return _EXCEL_EPOCH + _dt.timedelta(days=int(serial))


def _scan(text: str) -> list[_dt.date]:
    found: list[_dt.date] = []
    for name, pattern in _patterns():
        def claim(match: re.Match[str], name: str = name) -> str:
            when = _interpret(name, match)
            if when is not None:
                found.append(when)
            return " " * len(match.group(0))  # blank it out, keep boundaries
        text = pattern.sub(claim, text)
    return found


def _interpret(name: str, m: re.Match[str]) -> _dt.date | None:
    g = m.groupdict()
    year = _year(g.get("year"))
    if year is None:
        return None
    if name in ("iso", "dmy", "day_mon", "mon_day"):
        month = _MONTHS[g["mon"]] if g.get("mon") else int(g["month"])
        return _day(year, month, int(g["day"]))
    if name in ("mon_year", "num_mon_year"):
        month = _MONTHS[g["mon"]] if g.get("mon") else int(g["month"])
        return _month_end(year, month)
    if name == "quarter":
        q = int(g["q"])
        if g.get("year2"):  # financial year: Q1 = Apr-Jun of the first year
            month = q * 3 + 3
            return _month_end(year + (month > 12), (month - 1) % 12 + 1)
        return _month_end(year, q * 3)
    if name == "season":
        return _season(g["season"], g.get("term") or "", year, bool(g.get("year2")))
    if name == "year_pair":
        year2 = _year(g["year2"])
        if year2 is not None and year2 % 100 == (year + 1) % 100:
            return _dt.date(year + 1, 3, 31)  # financial year ends 31 March
        return max(filter(None, (_dt.date(year, 12, 31),
                                 _dt.date(year2, 12, 31) if year2 else None)))
    if name == "year":
        return _dt.date(year, 12, 31)
    return None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    if len(text) == 2:
        year += 2000
    return year if _YEAR_MIN <= year <= _YEAR_MAX else None


def _day(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _is_decimal(value: object) -> bool:
    # Not `import decimal` at the top: the window imports this module at start-up, and a Decimal
    # can only exist once something else has imported the decimal module.
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def _month_end(year: int, month: int) -> _dt.date | None:
    if not 1 <= month <= 12:
        return None
    if month == 12:
        return _dt.date(year, 12, 31)
    return _dt.date(year, month + 1, 1) - _dt.timedelta(days=1)


def _season(season: str, term: str, year: int, academic: bool) -> _dt.date | None:
    table = _SEASONS
    if term and season != "winter":
        table = _HALF_TERMS if "half" in term else _TERMS
    month, day, offset = table[season]
    if academic and season not in ("autumn", "fall"):
        offset = 1 if season != "winter" else offset
    year += offset
    return _month_end(year, month) if day == 0 else _day(year, month, day)


def _yearless(text: str, today: _dt.date) -> _dt.date | None:
    m = _yearless_pattern().match(text)
    if not m:
        return None
    for year in (today.year - 1, today.year, today.year + 1):
        if not _YEAR_MIN <= year <= _YEAR_MAX:
            continue
        if m.group("mon"):
            when = _month_end(year, _MONTHS[m.group("mon")])
        else:
            when = _season(m.group("season"), m.group("term") or "", year, False)
        if when is not None and when >= today:
            return when
    return None
