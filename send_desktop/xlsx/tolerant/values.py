"""Cell values as officers write them: placeholders, numbers as text, dates as text, lists.

Nothing here raises on a value it does not understand: the caller decides whether that is a
problem to report. Formulas never reach this module as text (see `grid`), but a value that
still looks like one ("=SUM(B2:B9)", typed into a text cell) is treated as blank, never stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

from send_desktop.core.timescale import parse_timescale
from send_desktop.xlsx import layout as L

#: Texts that mean "nothing yet": a field holding one of these is empty.
PLACEHOLDERS = frozenset({"tbc", "tbd", "tba", "n/a", "na", "n.a.", "n.a", "-", "--", "\u2013", "\u2014", "none",
                          "nil", "?", "not applicable", "to be confirmed", "to be decided", "not known",
                          "unknown", "blank", "#n/a", "#ref!", "#value!", "#div/0!", "#name?"})

_TAG = re.compile(r"<\s*(/?)\s*(p|br|li|ul|ol|div)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^>]*>", re.I)
_BULLET = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u2023\u2043\u25e6*\-\u2013]|\d+[.)]|[a-z][.)])\s+", re.I)
_RUN_TOGETHER = re.compile(r"\s+[\u2022\u25aa\u25cf]\s+")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")


def is_placeholder(value) -> bool:
    """A blank cell, or text that means "not known yet" ("TBC", "N/A", "-")."""
    if value is None:
        return True
    if isinstance(value, str):
        if len(value) > 40:
            return False
        first = value[:1]
        if first and first not in _FIRST and first.isascii() and not first.isspace():
            return False  # the common case, real text: no placeholder begins with this letter
        t = value.strip().casefold()
        if not t or t in PLACEHOLDERS:
            return True
        return (" " in t or "\t" in t or "\n" in t) and " ".join(t.split()) in PLACEHOLDERS
    return False


#: The first characters of the placeholders, in either case.
_FIRST = frozenset(c for p in PLACEHOLDERS for c in (p[0], p[0].upper()))


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=") and len(value.strip()) > 1


def text(value) -> str:
    """A cell as text (see `layout.text`), HTML paragraphs from pasted web text made plain, a
    leftover formula as blank."""
    if type(value) is str:
        t = value.strip()
        if not t or ("<" not in t and "&" not in t and "\n" not in t and "\r" not in t and "  " not in t
                     and "\t" not in t and t[0] != "="):
            return t  # the common case: one line of plain text
    if looks_like_formula(value):
        return ""
    t = L.text(value)
    if "<" in t and ">" in t:
        t = _TAG.sub(lambda m: "\n", t)
        t = _ANY_TAG.sub("", t)
    if "&" in t:
        t = html.unescape(t)
    return "\n".join(" ".join(line.split()) for line in t.split("\n")).strip()


def value_text(value) -> str:
    """`text`, with placeholders as blank."""
    return "" if is_placeholder(value) else text(value)


def to_lines(value) -> list[str]:
    """A multi-line cell as a list: one item per line, paragraph or bullet; bullets removed."""
    if is_placeholder(value):
        return []
    t = text(value)
    if "\u2022" in t or "\u25aa" in t or "\u25cf" in t:
        t = _RUN_TOGETHER.sub("\n", t)  # bullets run together on one line
    out = []
    for line in t.split("\n"):
        line = _BULLET.sub("", line).strip()
        if line and not is_placeholder(line):
            out.append(line)
    return out


def to_number(value) -> float | None:
    """A number, or the first number in text ("84.7%" -> 84.7, "Good 27%" -> 27, "1,200" -> 1200)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = _NUMBER.search(text(value))
    return float(m.group(0).replace(",", "")) if m else None


def percent_text(value: float) -> str:
    """A number Excel shows as a percentage, as the percentage typed: 0.847 -> "84.7%" (ten
    significant digits, so a float's tail such as 84.69999999999999 is not shown)."""
    return f"{value * 100:.10g}%"


def to_percent(value) -> float | None:
    """A percentage in percent: "84.7%" -> 84.7; a fraction cell formatted as % (0.847) -> 84.7."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) * 100 if -1.0 <= value <= 1.0 else float(value)
    return to_number(value)


def to_date(value, today: dt.date | None = None) -> dt.date | None:
    """A date from an Excel date, a serial number, "31/07/2025", "Sept 2025", "Feb 26" or a month
    name ("March", the first such month ending on or after `today`); None when there is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_placeholder(value) or looks_like_formula(value):
        return None
    if isinstance(value, str):
        try:
            found = L.date(value.strip())
            if found is not None:
                return found
        except L.CellError:
            pass
    return _timescale(value, today) if isinstance(value, str) else parse_timescale(value)


def to_past_date(value, today: dt.date | None = None) -> dt.date | None:
    """`to_date` for a date that has happened (an audit, a plan's issue): a month named without
    its year ("March") is the last such month ending within the year up to `today`, not the next."""
    today = today or dt.date.today()
    return to_date(value, today=today - dt.timedelta(days=364))


@functools.lru_cache(maxsize=1 << 12)
def _timescale(value: str, today: dt.date | None) -> dt.date | None:
    """`parse_timescale` once per spelling: a tracker repeats "Sept 2025" on hundreds of rows."""
    return parse_timescale(value, today=today)


def split_names(value) -> list[str]:
    """People named in one cell: separated by ";", ",", "/", "&", "+" or line breaks; placeholders dropped."""
    if is_placeholder(value):
        return []
    out, seen = [], set()
    for part in re.split(r"[;,/&+\n]", text(value)):
        name = " ".join(part.split()).strip(" .-")
        if name and not is_placeholder(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def read_date(value, today: dt.date | None = None) -> tuple[dt.date | None, str]:
    """(the date, "") for a date cell as `to_date` reads it, (None, "") for a blank or placeholder,
    and (None, why) for a value that is no date ("31/02/2025", "soon"): the caller reports it."""
    if is_placeholder(value) or looks_like_formula(value):
        return None, ""
    found = to_date(value, today=today)
    if found is not None:
        return found, ""
    try:
        L.date(value)
    except L.CellError as exc:
        if "real date" in str(exc) or not isinstance(value, str):
            return None, str(exc)
    return None, f"'{text(value)}' is not a date; write it as dd/mm/yyyy or as a month such as Sept 2025"
