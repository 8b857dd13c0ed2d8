"""KPI values as boards write them, and how a value is judged: RAG, comparators, direction of travel.

A value keeps its text exactly as given ("Good 27%", "84.7%", "1,322", "12 weeks", "tbc",
"Baseline March 2019", "Not available") and carries the number read from it where there is one.
The number is always derived from the text by `parse_value`, never typed separately, so the two
cannot disagree and a workbook round trip gives back the same numbers.

Reading a number out of words is deliberately cautious: "tbc", "n/a" and "not available" have
none; dates are not numbers ("Baseline March 2019", "Available May 19", "17/18"); and a text
that is only "a measure with a label" ("Very good / good 67%") gives its number. When a value
holds several numbers the one marked % wins, else the first.

Judging needs numbers on both sides. Whatever is missing (no target, a target "tbc", a value in
words, a text measure) gives no RAG, and the reason is said in words rather than shown as a
colour nobody can explain.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from send_desktop.core.refs import normalise_ref
from send_desktop.core.scales import AMBER, GREEN, GREY, RED
from send_desktop.errors import UserError

UNITS = ("%", "count", "weeks", "days", "text")
DIRECTIONS = ("higher", "lower")
FREQUENCIES = ("monthly", "bi-monthly", "quarterly", "6-monthly", "annual")
MAX_TEXT = 200  # the length of the text columns in the schema
#: With no tolerance set on a KPI, a value within this share of its target is amber.
DEFAULT_TOLERANCE_SHARE = 0.05

GREEN_, AMBER_, RED_ = "green", "amber", "red"
RAG_LABELS = {GREEN_: "Green", AMBER_: "Amber", RED_: "Red"}
RAG_COLOURS = {GREEN_: GREEN, AMBER_: AMBER, RED_: RED, None: GREY}
BETTER, WORSE, SAME = "better", "worse", "same"
IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"


class KpiValueError(UserError):
    """A definition field or value that cannot be used; the message says what would do."""


# -- definitions ----------------------------------------------------------------------------------

_UNIT_WORDS = {"%": "%", "percent": "%", "percentage": "%", "per cent": "%", "count": "count", "number": "count",
               "no.": "count", "no": "count", "weeks": "weeks", "week": "weeks", "wks": "weeks", "days": "days",
               "day": "days", "text": "text", "words": "text"}
_DIRECTION_WORDS = {"higher": "higher", "higher is better": "higher", "high": "higher", "up": "higher",
                    "increase": "higher", "lower": "lower", "lower is better": "lower", "low": "lower",
                    "down": "lower", "decrease": "lower"}
_FREQUENCY_WORDS = {"monthly": "monthly", "bi-monthly": "bi-monthly", "bimonthly": "bi-monthly",
                    "bi monthly": "bi-monthly", "every two months": "bi-monthly", "quarterly": "quarterly",
                    "6-monthly": "6-monthly", "6 monthly": "6-monthly", "six-monthly": "6-monthly",
                    "six monthly": "6-monthly", "half-yearly": "6-monthly", "half yearly": "6-monthly",
                    "annual": "annual", "annually": "annual", "yearly": "annual"}


def ref_key(ref) -> str:
    """A KPI reference compared without case or spacing: "2b (i)", "2B(i)" and "2b ( i )" are one."""
    return "".join(normalise_ref(ref).split()).casefold()


def _choose(raw, words: dict[str, str], what: str, choices: tuple[str, ...]) -> str:
    key = " ".join(str(raw if raw is not None else "").split()).casefold()
    if key in words:
        return words[key]
    shown = f"'{raw}'" if key else "A blank"
    raise KpiValueError(f"{shown} is not a {what}; choose one of: {', '.join(choices)}.")


def unit_of(raw) -> str:
    return _choose(raw, _UNIT_WORDS, "unit", UNITS)


def direction_of(raw) -> str:
    return _choose(raw, _DIRECTION_WORDS, "direction (which way is better)", DIRECTIONS)


def frequency_of(raw) -> str:
    return _choose(raw, _FREQUENCY_WORDS, "frequency", FREQUENCIES)


def tolerance_of(raw) -> float | None:
    """A tolerance as typed ("5", "2.5", "5%"); blank means the default."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", str(raw))
        if not m:
            raise KpiValueError(f"'{raw}' is not a tolerance; write how far from the target still counts as "
                                "amber, in the KPI's unit (for example 5), or leave it blank for the default.")
        number = float(m[1])
    if number < 0:
        raise KpiValueError(f"A tolerance cannot be negative ({raw}).")
    return number


# -- values ------------------------------------------------------------------------------------------

class Value(NamedTuple):
    text: str
    number: float | None


_NO_NUMBER = re.compile(
    r"\b(?:tbc|tba|tbd|to be (?:confirmed|agreed|set|established)|n/a|not (?:available|known|yet|collected|"
    r"reported|applicable|published)|no (?:data|target)|awaiting|pending|suppressed)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,/])([-\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d/]|[.,]\d)")
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-']*$",
                           re.IGNORECASE)
_ZERO_WORDS = {"nil", "none", "zero"}
_PLAIN = re.compile(r"([-\u2212]?)(\d+(?:\.\d+)?)%?")  # "84.7%", "12", "-3": most cells, read at once


def clean_text(raw) -> str:
    """A cell or typed value as text: spacing tidied (line breaks from pasted tables included)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raw = "Yes" if raw else "No"
    elif isinstance(raw, float):
        raw = int(raw) if raw.is_integer() else f"{raw:.10g}"
    return " ".join(str(raw).split())


def number_in(text: str) -> float | None:
    """The number a value's text holds, or None (see the module docstring for the rules)."""
    plain = _PLAIN.fullmatch(text) if text else None
    if plain is not None:  # what `_number_by_rules` gives such text, without working through them
        return -float(plain[2]) if plain[1] else float(plain[2])
    return _number_by_rules(text)


def _number_by_rules(text: str) -> float | None:
    if not text or _NO_NUMBER.search(text):
        return None
    if text.casefold() in _ZERO_WORDS:
        return 0.0
    wordy = any(ch.isalpha() for ch in text)
    first = marked = None
    for m in _NUMBER.finditer(text):
        before = text[:m.start()]
        if _MONTH_BEFORE.search(before) or before.rstrip().endswith(("<", ">")):
            continue  # a date ("May 19") or a bound ("<5"), not a value
        digits = m[2].replace(",", "")
        if wordy and not m[3] and "," not in m[2] and len(digits) == 4 and 1990 <= int(digits) <= 2100 \
                and not text[m.end():].lstrip().startswith("%"):
            continue  # "Baseline 2019": a year among words
        number = float(digits + (m[3] or ""))
        if m[1]:
            number = -number
        if first is None:
            first = number
        if marked is None and text[m.end():].lstrip().startswith("%"):
            marked = number
    return marked if marked is not None else first


def parse_value(raw) -> Value:
    """A value as given, with its number. Blank gives Value("", None): no value."""
    text = clean_text(raw)
    return Value(text, number_in(text))


def value_problem(value: Value, unit: str, what: str = "value") -> str | None:
    """Why a value cannot be kept for a KPI with this unit, or None when it can."""
    if len(value.text) > MAX_TEXT:
        return f"The {what} is {len(value.text)} characters long; keep it under {MAX_TEXT} (put detail in the notes)."
    n = value.number
    if n is None or unit == "text":
        return None
    if unit == "%" and not 0 <= n <= 100:
        return (f"'{value.text}' is not a percentage between 0 and 100; if this measure is not a share, "
                "give the KPI another unit.")
    if unit in ("count", "weeks", "days") and n < 0:
        return f"'{value.text}' is negative, and {unit} cannot be."
    return None


def value_note(value: Value, unit: str) -> str:
    """What will be kept, in words, for the entry grid: empty when it is simply a number."""
    if not value.text:
        return ""
    if unit == "text":
        return "Kept as words (a text measure)."
    if value.number is None:
        return "Kept as words: no number in it, so no RAG rating."
    if format_number(value.number, unit) != value.text and clean_text(value.number) != value.text:
        return f"Kept as written; its number is {format_number(value.number, unit)}."
    return ""


def format_number(number: float | None, unit: str) -> str:
    if number is None:
        return ""
    shown = f"{number:,.0f}" if float(number).is_integer() else f"{number:,.10g}"
    if unit == "%":
        return f"{shown}%"
    if unit in ("weeks", "days"):
        return f"{shown} {unit[:-1] if number == 1 else unit}"
    return shown


# -- judging a value ----------------------------------------------------------------------------

class Rag(NamedTuple):
    status: str | None  # green, amber, red; None: no RAG
    label: str          # what to show: "Green", "Amber", "Red", or why there is none ("No target")
    reason: str         # one sentence for people

    @property
    def colour(self) -> str:
        return RAG_COLOURS[self.status]


def amount(number: float, unit: str) -> str:
    """A difference: percentages differ by points, not by per cent of themselves."""
    if unit == "%":
        return format_number(number, "count") + (" point" if number == 1 else " points")
    return format_number(number, unit)


def tolerance_for(target: float, tolerance: float | None) -> float:
    return abs(target) * DEFAULT_TOLERANCE_SHARE if tolerance is None else tolerance


def rag(value: Value | None, target: Value | None, direction: str, unit: str = "%",
        tolerance: float | None = None, target_period: str = "") -> Rag:
    """Green when the target is met, amber when short of it by no more than the tolerance
    (in the KPI's unit; None: 5% of the target), red beyond. Direction says which way is better."""
    if unit == "text":
        return Rag(None, "In words", "A text measure is judged by the board in words, not by a RAG rating.")
    if value is None:
        return Rag(None, "No value", "No value has been reported yet.")
    if value.number is None:
        return Rag(None, "No number", f"No RAG: the latest value '{value.text}' has no number to compare.")
    which = f" for {target_period}" if target_period else ""
    if target is None:
        return Rag(None, "No target", f"No RAG: no target is set{which}.")
    if target.number is None:
        return Rag(None, "No target", f"No RAG: the target{which} is '{target.text}', which has no number.")
    v, t = value.number, target.number
    allowed = tolerance_for(t, tolerance)
    short = (t - v) if direction == "higher" else (v - t)
    shown_v, shown_t = format_number(v, unit), format_number(t, unit)
    gap, limit = amount(abs(short), unit), amount(allowed, unit)
    side = "below" if direction == "higher" else "above"
    if short <= 0:
        return Rag(GREEN_, "Green", f"Met: {shown_v} against a target of {shown_t}{which}.")
    if short <= allowed + 1e-9:
        return Rag(AMBER_, "Amber", f"Close: {shown_v} is {gap} {side} the target of {shown_t}{which}, "
                                    f"within the tolerance of {limit}.")
    return Rag(RED_, "Red", f"Off target: {shown_v} is {gap} {side} the target of {shown_t}{which}, "
                            f"beyond the tolerance of {limit}.")


def position(number: float | None, other: float | None, direction: str) -> str | None:
    """Better, worse or the same as a comparator, respecting which way is better; None without numbers."""
    if number is None or other is None:
        return None
    if abs(number - other) < 1e-9:
        return SAME
    return BETTER if (number > other) == (direction == "higher") else WORSE


def travel(numbers, direction: str) -> str | None:
    """Improving, worsening or no change, from the last two numbers (oldest first); None with fewer."""
    known = [n for n in numbers if n is not None]
    if len(known) < 2:
        return None
    before, after = known[-2], known[-1]
    if abs(after - before) < 1e-9:
        return NO_CHANGE
    return IMPROVING if (after > before) == (direction == "higher") else WORSENING
