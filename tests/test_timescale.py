"""Tests for send_desktop.core.timescale (pure Python, no Qt)."""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import random
import string

import pytest

from send_desktop.core.timescale import describe_due, is_overdue, parse_timescale

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # month and year, spelled every way boards write it
        ("July 2025", D(2025, 7, 31)),
        ("Sept 2025", D(2025, 9, 30)),
        ("Sep 2025", D(2025, 9, 30)),
        ("September 2025", D(2025, 9, 30)),
        ("Sept. 2025", D(2025, 9, 30)),
        ("Sep-25", D(2025, 9, 30)),
        ("Sep 25", D(2025, 9, 30)),
        ("Sep'25", D(2025, 9, 30)),
        ("Feb 26", D(2026, 2, 28)),
        ("Feb 2028", D(2028, 2, 29)),
        ("Feb 2100", D(2100, 2, 28)),
        ("  JULY   2025  ", D(2025, 7, 31)),
        ("july 2025.", D(2025, 7, 31)),
        ("July 2025...", D(2025, 7, 31)),
        ("07/2025", D(2025, 7, 31)),
        ("7.2025", D(2025, 7, 31)),
        # calendar quarters
        ("Q1 2025", D(2025, 3, 31)),
        ("Q2 2025", D(2025, 6, 30)),
        ("Q3 2025", D(2025, 9, 30)),
        ("q4 2025", D(2025, 12, 31)),
        ("Quarter 3 2025", D(2025, 9, 30)),
        ("Q3 25", D(2025, 9, 30)),
        # UK financial-year quarters (Q1 = Apr-Jun)
        ("Q1 2025/26", D(2025, 6, 30)),
        ("Q2 2025/26", D(2025, 9, 30)),
        ("Q3 2025/26", D(2025, 12, 31)),
        ("Q3 2025-26", D(2025, 12, 31)),
        ("Q4 2025/26", D(2026, 3, 31)),
        ("Q4 2025-2026", D(2026, 3, 31)),
        ("Q2 FY2025/26", D(2025, 9, 30)),
        # day-first and ISO dates
        ("31/07/2025", D(2025, 7, 31)),
        ("31/7/25", D(2025, 7, 31)),
        ("01/08/2025", D(2025, 8, 1)),
        ("1/8/2025", D(2025, 8, 1)),
        ("31.07.2025", D(2025, 7, 31)),
        ("31-07-2025", D(2025, 7, 31)),
        ("29/02/2028", D(2028, 2, 29)),
        ("2025-07-31", D(2025, 7, 31)),
        ("2025-07-31 00:00:00", D(2025, 7, 31)),
        ("2025-07-31T09:30", D(2025, 7, 31)),
        ("31 July 2025", D(2025, 7, 31)),
        ("31st July 2025", D(2025, 7, 31)),
        ("1st Sept 25", D(2025, 9, 1)),
        ("July 31, 2025", D(2025, 7, 31)),
        # year only, and financial years
        ("2025", D(2025, 12, 31)),
        ("2025/26", D(2026, 3, 31)),
        ("2025-26", D(2026, 3, 31)),
        ("2025/2026", D(2026, 3, 31)),
        ("FY 2025/26", D(2026, 3, 31)),
        ("2025-2027", D(2027, 12, 31)),
        ("Q5 2025", D(2025, 12, 31)),  # no such quarter, but the year stands
        # surrounding words
        ("End of March 2026", D(2026, 3, 31)),
        ("by March 2026", D(2026, 3, 31)),
        ("March 2026 onwards", D(2026, 3, 31)),
        ("Ongoing - review Dec 2025", D(2025, 12, 31)),
        ("Dec 2025 (then reviewed quarterly)", D(2025, 12, 31)),
        # several dates: the latest wins
        ("April 2025 - March 2026", D(2026, 3, 31)),
        ("March 2026 - April 2025", D(2026, 3, 31)),
        ("Sep-25 to Mar-26", D(2026, 3, 31)),
        ("Q1 2025, Q2 2025 and 30/11/2025", D(2025, 11, 30)),
        ("01/09/2025 - 31/07/2026", D(2026, 7, 31)),
        ("July 2025 then 2026", D(2026, 12, 31)),
        # seasons (meteorological) and school terms
        ("Spring 2026", D(2026, 5, 31)),
        ("Summer 2026", D(2026, 8, 31)),
        ("Autumn 2025", D(2025, 11, 30)),
        ("Fall 2025", D(2025, 11, 30)),
        ("Winter 2025", D(2026, 2, 28)),
        ("Winter 2027", D(2028, 2, 29)),
        ("Autumn term 2025", D(2025, 12, 31)),
        ("Spring term 2026", D(2026, 4, 30)),
        ("Summer term 2026", D(2026, 7, 31)),
        ("Autumn half term 2025", D(2025, 10, 31)),
        ("Spring half-term 2026", D(2026, 2, 28)),
        ("Summer halfterm 2026", D(2026, 5, 31)),
        ("Autumn term 2025/26", D(2025, 12, 31)),
        ("Spring term 2025/26", D(2026, 4, 30)),
        ("Summer term 2025-26", D(2026, 7, 31)),
        ("Winter 2025/26", D(2026, 2, 28)),
        ("end of Summer term 2026", D(2026, 7, 31)),
    ],
)
def test_parses_written_timescales(text, expected):
    assert parse_timescale(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Quarterly", "quarterly", "Monthly", "Ongoing", "ONGOING", "TBC", "tbc",
        "TBD", "N/A", "n/a", "", "   ", "-", "\u2013", ".", "None", "Termly",
        "Annually", "As required", "Immediately", "Complete",
        # impossible or out-of-range dates are not dates
        "31/02/2025", "32/01/2025", "00/01/2025", "15/13/2025", "2025-02-30",
        "2025-13-01", "31 June 2025", "13/2025", "0/2025",
        "Sept 1066", "1850", "3000",
        # a month with no year is meaningless without a reference date
        "March", "by March", "end of July", "Summer term", "May",
        "staff may attend",
    ],
)
def test_no_date(text):
    assert parse_timescale(text) is None


def test_impossible_date_does_not_fall_back_to_its_year():
    # "2025" inside an invalid date must not be re-read as "end of 2025".
    assert parse_timescale("31/02/2025") is None
    assert parse_timescale("31/02/2025 or Sep 2024") == D(2024, 9, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2025, 7, 31), D(2025, 7, 31)),
        (dt.datetime(2025, 7, 31, 15, 45), D(2025, 7, 31)),
        (45869, D(2025, 7, 31)),
        (45869.0, D(2025, 7, 31)),
        (45869.99, D(2025, 7, 31)),  # time of day is dropped
        (45717, D(2025, 3, 1)),
        (decimal.Decimal("45869"), D(2025, 7, 31)),
        (fractions.Fraction(45869, 1), D(2025, 7, 31)),
        ("45869", D(2025, 7, 31)),  # a serial that arrived as text
        (20000, D(1954, 10, 3)),
        (80000, D(2119, 1, 11)),
        (19999, None),
        (80001, None),
        (0, None),
        (-45869, None),
        (1, None),
        (2025, None),  # a bare int is a serial, not a year
        (float("nan"), None),
        (float("inf"), None),
        (float("-inf"), None),
        (10**400, None),
        (True, None),
        (False, None),
    ],
)
def test_excel_values(value, expected):
    assert parse_timescale(value) == expected


def test_datetime_input_returns_plain_date():
    result = parse_timescale(dt.datetime(2025, 7, 31, 9, 0))
    assert type(result) is dt.date


@pytest.mark.parametrize(
    "value",
    [None, object(), [], {}, (), b"July 2025", dt.time(12, 0), dt.timedelta(days=3),
     complex(1, 2), {"July 2025"}, Ellipsis, type, print],
)
def test_other_objects_are_no_date(value):
    assert parse_timescale(value) is None


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("March", D(2025, 6, 1), D(2026, 3, 31)),
        ("by March", D(2025, 2, 10), D(2025, 3, 31)),
        ("end of July", D(2025, 7, 31), D(2025, 7, 31)),
        ("end of July", D(2025, 8, 1), D(2026, 7, 31)),
        ("Summer term", D(2025, 9, 1), D(2026, 7, 31)),
        ("Autumn half term", D(2025, 9, 1), D(2025, 10, 31)),
        ("Winter", D(2026, 1, 15), D(2026, 2, 28)),
        ("Spring", D(2025, 6, 1), D(2026, 5, 31)),
        # a year in the text always wins over today
        ("March 2024", D(2025, 6, 1), D(2024, 3, 31)),
        # today does not turn non-dates into dates
        ("Ongoing", D(2025, 6, 1), None),
        ("staff may attend", D(2025, 6, 1), None),
    ],
)
def test_yearless_mentions_use_today(text, today, expected):
    assert parse_timescale(text, today=today) == expected


@pytest.mark.parametrize("today", [dt.date.min, dt.date.max])
def test_extreme_today_gives_no_date_for_yearless_text(today):
    assert parse_timescale("March", today=today) is None
    assert parse_timescale("Winter", today=today) is None


def test_today_is_keyword_only():
    with pytest.raises(TypeError):
        parse_timescale("March", D(2025, 1, 1))  # type: ignore[misc]


def test_bad_today_is_ignored():
    assert parse_timescale("March", today="yesterday") is None  # type: ignore[arg-type]
    assert parse_timescale("March 2026", today="yesterday") == D(2026, 3, 31)  # type: ignore[arg-type]


class _Exploding:
    def __str__(self):
        raise RuntimeError("boom")

    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__


class _WeirdStr(str):
    def lower(self):  # a str subclass misbehaving
        raise RuntimeError("boom")


def test_never_raises_on_hostile_objects():
    assert parse_timescale(_Exploding()) is None
    assert parse_timescale(_WeirdStr("July 2025")) is None


_ALPHABET = (
    string.ascii_letters + string.digits + string.punctuation + " \t\n"
    + "\u00a0\u2013\u2014\u00b2\u0663\u00e9\uff11"
)
_FRAGMENTS = [
    "Q", "q3", "2025", "25", "/", "-", ".", "Sep", "sept", "Feb", "spring",
    "term", "half", "31", "02", "00", "99", "FY", "of", " ", "end", "by",
    "45869", "2025/26", "1e308", "\u2013",
]


def _random_value(rng: random.Random):
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(40)))
    if kind == 1:
        return "".join(rng.choice(_FRAGMENTS) + rng.choice(["", " ", "-"])
                       for _ in range(rng.randrange(8)))
    if kind == 2:
        return rng.choice([rng.randint(-10**6, 10**6), rng.uniform(-1e6, 1e6),
                           rng.randint(0, 10**30), rng.random() * 1e308])
    if kind == 3:
        return rng.choice([None, object(), [1], {"a": 1}, b"\xff", dt.time(1),
                           rng.choice([True, False]), _Exploding()])
    if kind == 4:
        return dt.date.fromordinal(rng.randint(1, dt.date.max.toordinal()))
    return f"{rng.randint(0, 40)}/{rng.randint(0, 14)}/{rng.randint(0, 3000)}"


def test_fuzz_never_raises():
    rng = random.Random(20250731)
    for _ in range(5000):
        value = _random_value(rng)
        today = rng.choice([None, D(2025, 6, 1), dt.date.max, dt.date.min])
        result = parse_timescale(value, today=today)
        assert result is None or type(result) is dt.date
        describe_due(result, value)
        is_overdue(result, rng.choice([True, False]), D(2025, 6, 1))


# -- describe_due ------------------------------------------------------------

@pytest.mark.parametrize(
    ("due", "text", "expected"),
    [
        (D(2025, 7, 31), "July 2025", "31 Jul 2025"),
        (D(2025, 9, 1), "", "1 Sep 2025"),
        (dt.datetime(2026, 3, 31, 12, 0), "x", "31 Mar 2026"),
        (None, "Ongoing", "no date (Ongoing)"),
        (None, "  TBC  ", "no date (TBC)"),
        (None, "Reviewed\n  termly", "no date (Reviewed termly)"),
        (None, "", "no date"),
        (None, "   ", "no date"),
        (None, None, "no date"),
        (None, 45, "no date (45)"),
        (None, _Exploding(), "no date"),
    ],
)
def test_describe_due(due, text, expected):
    assert describe_due(due, text) == expected


def test_describe_due_truncates_long_text():
    label = describe_due(None, "word " * 50)
    assert label.startswith("no date (word word")
    assert label.endswith("\u2026)")
    assert len(label) <= len("no date ()") + 40


def test_describe_due_text_is_optional():
    assert describe_due(None) == "no date"


# -- is_overdue --------------------------------------------------------------

@pytest.mark.parametrize(
    ("due", "complete", "today", "expected"),
    [
        (D(2025, 7, 31), False, D(2025, 8, 1), True),
        (D(2025, 7, 31), True, D(2025, 8, 1), False),
        (D(2025, 7, 31), False, D(2025, 7, 31), False),  # due today is not late
        (D(2025, 7, 31), False, D(2025, 7, 30), False),
        (None, False, D(2025, 8, 1), False),
        (dt.datetime(2025, 7, 31, 23, 0), False, D(2025, 8, 1), True),
        (D(2025, 7, 31), False, dt.datetime(2025, 8, 1, 0, 1), True),
        (dt.datetime(2025, 7, 31, 9), False, dt.datetime(2025, 7, 31, 23), False),
        ("2025-07-31", False, D(2025, 8, 1), False),  # not a date: not overdue
        (D(2025, 7, 31), False, "2025-08-01", False),
    ],
)
def test_is_overdue(due, complete, today, expected):
    assert is_overdue(due, complete, today) is expected


def test_is_overdue_defaults_to_today():
    assert is_overdue(D(2000, 1, 1), False) is True
    assert is_overdue(D(9999, 12, 31), False) is False


def test_parse_then_overdue_round_trip():
    due = parse_timescale("Q3 2025/26")
    assert is_overdue(due, False, D(2026, 1, 1))
    assert not is_overdue(due, False, D(2025, 12, 31))
    assert describe_due(due, "Q3 2025/26") == "31 Dec 2025"
