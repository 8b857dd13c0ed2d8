"""KPI values as boards write them, periods, and how a value is judged (pure Python, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import (
    ACADEMIC_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, YEAR, PeriodError, last_complete, parse_period, period_of,
    sort_periods,
)

D = dt.date


# -- text and number --------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("Good 27%", 27.0),
    ("84.7%", 84.7),
    ("1,322", 1322.0),
    ("12,987", 12987.0),
    ("12 weeks", 12.0),
    ("Very Good/ Good 67%", 67.0),
    ("2.5 SEN (E)", 2.5),
    ("40", 40.0),
    ("-3", -3.0),
    ("nil", 0.0),
    ("84.7% (rolling 12 months)", 84.7),   # the % figure wins over the other number
    ("Q3: 45%", 45.0),                      # Q3 is a name, not a number
    ("In 2024: 1,322", 1322.0),             # a year among words is not the value
])
def test_a_number_is_read_from_the_words(text, number):
    value = kv.parse_value(text)
    assert value.text == text and value.number == number


@pytest.mark.parametrize("text", [
    "tbc", "TBC", "Not available", "N/A", "no data", "Baseline March 2019", "Baseline 2019",
    "tbc based on March 19 performance", "Available May 19", "17/18", "<5",
    "Target to be confirmed (data available June 2019)", "increase in \"good\" rating",
])
def test_words_without_a_number_keep_their_text_and_have_none(text):
    value = kv.parse_value(text)
    assert value.text == text and value.number is None


def test_text_is_kept_as_given_with_only_its_spacing_tidied():
    assert kv.parse_value("  Baseline from May\n2019 ") == kv.Value("Baseline from May 2019", None)
    assert kv.parse_value("") == kv.Value("", None) and kv.parse_value(None) == kv.Value("", None)


def test_cell_numbers_become_the_text_they_show():
    assert kv.parse_value(84.7) == kv.Value("84.7", 84.7)
    assert kv.parse_value(1322.0) == kv.Value("1322", 1322.0)
    assert kv.parse_value(7) == kv.Value("7", 7.0)


def test_values_a_kpi_cannot_hold_are_explained():
    assert "between 0 and 100" in kv.value_problem(kv.parse_value("847%"), "%")
    assert "negative" in kv.value_problem(kv.parse_value("-2"), "count")
    assert "characters" in kv.value_problem(kv.parse_value("x" * 201), "text")
    assert kv.value_problem(kv.parse_value("tbc"), "%") is None
    assert kv.value_problem(kv.parse_value("1,322"), "count") is None


def test_notes_for_the_entry_grid_say_what_is_kept():
    assert "no RAG" in kv.value_note(kv.parse_value("tbc"), "%")
    assert "27%" in kv.value_note(kv.parse_value("Good 27%"), "%")
    assert kv.value_note(kv.parse_value("84.7%"), "%") == ""
    assert kv.value_note(kv.parse_value("1,322"), "count") == ""


def test_definition_words_are_normalised_or_refused():
    assert kv.unit_of("Percentage") == "%" and kv.unit_of("weeks") == "weeks" and kv.unit_of("Number") == "count"
    assert kv.direction_of("Lower is better") == "lower" and kv.direction_of("higher") == "higher"
    assert kv.frequency_of("Bi-monthly") == "bi-monthly" and kv.frequency_of("6 monthly") == "6-monthly"
    assert kv.frequency_of("Annual") == "annual"
    with pytest.raises(kv.KpiValueError, match="choose one of: %, count, weeks, days, text"):
        kv.unit_of("litres")
    with pytest.raises(kv.KpiValueError, match="A blank"):
        kv.direction_of("")
    assert kv.tolerance_of("2.5") == 2.5 and kv.tolerance_of("") is None and kv.tolerance_of(3) == 3.0
    with pytest.raises(kv.KpiValueError):
        kv.tolerance_of("a bit")


def test_refs_compare_without_case_or_spacing():
    assert kv.ref_key("2b (i)") == kv.ref_key("2B(i)") == kv.ref_key(" 2b  (i) ")
    assert kv.ref_key("1c") != kv.ref_key("1d")


# -- periods --------------------------------------------------------------------------------

@pytest.mark.parametrize("written, kind, text, start, end", [
    ("2025-06", MONTH, "2025-06", D(2025, 6, 1), D(2025, 6, 30)),
    ("June 2025", MONTH, "2025-06", D(2025, 6, 1), D(2025, 6, 30)),
    ("Jun-25", MONTH, "2025-06", D(2025, 6, 1), D(2025, 6, 30)),
    ("06/2025", MONTH, "2025-06", D(2025, 6, 1), D(2025, 6, 30)),
    ("Sept 2025", MONTH, "2025-09", D(2025, 9, 1), D(2025, 9, 30)),
    ("Feb 2024", MONTH, "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("Q3 2025/26", QUARTER, "Q3 2025/26", D(2025, 10, 1), D(2025, 12, 31)),
    ("q4 2025-26", QUARTER, "Q4 2025/26", D(2026, 1, 1), D(2026, 3, 31)),
    ("2025/26 Q1", QUARTER, "Q1 2025/26", D(2025, 4, 1), D(2025, 6, 30)),
    ("2025/26", FINANCIAL_YEAR, "2025/26", D(2025, 4, 1), D(2026, 3, 31)),
    ("2025-2026", FINANCIAL_YEAR, "2025/26", D(2025, 4, 1), D(2026, 3, 31)),
    ("17/18", FINANCIAL_YEAR, "2017/18", D(2017, 4, 1), D(2018, 3, 31)),
    ("FY 2025/26", FINANCIAL_YEAR, "2025/26", D(2025, 4, 1), D(2026, 3, 31)),
    ("AY 2024/25", ACADEMIC_YEAR, "AY 2024/25", D(2024, 9, 1), D(2025, 8, 31)),
    ("academic year 2024/25", ACADEMIC_YEAR, "AY 2024/25", D(2024, 9, 1), D(2025, 8, 31)),
    ("2024", YEAR, "2024", D(2024, 1, 1), D(2024, 12, 31)),
])
def test_periods_are_normalised_to_one_text_with_their_dates(written, kind, text, start, end):
    p = parse_period(written)
    assert (p.kind, p.text, p.start, p.end) == (kind, text, start, end)
    assert parse_period(p.text) == p  # the canonical text reads back as itself


def test_excel_dates_and_numbers_are_periods_too():
    assert parse_period(dt.datetime(2025, 6, 1)).text == "2025-06"  # Excel's reading of "Jun-25"
    assert parse_period(2024).text == "2024" and parse_period(2024.0).text == "2024"


@pytest.mark.parametrize("written, words", [
    ("Q3 2025", "write 'Q2 2025/26'"),        # a calendar quarter is not guessed
    ("Q1 2026", "write 'Q4 2025/26'"),
    ("2025/27", "second year must follow"),
    ("13/2025", "no month 13"),
    ("sometime", "is not a period"),
    ("", "A period is needed"),
    ("1889", "outside the years"),
])
def test_bad_periods_are_refused_with_what_to_write(written, words):
    with pytest.raises(PeriodError) as caught:
        parse_period(written)
    assert words in caught.value.message


def test_periods_sort_by_end_shorter_first_and_step():
    assert sort_periods(["2025/26", "2026-03", "Q4 2025/26", "2025-04"]) == ["2025-04", "2026-03", "Q4 2025/26",
                                                                             "2025/26"]
    assert parse_period("2025-12").shifted(1).text == "2026-01"
    assert parse_period("Q4 2025/26").shifted(1).text == "Q1 2026/27"
    assert parse_period("Q1 2025/26").shifted(-1).text == "Q4 2024/25"
    assert parse_period("AY 2024/25").shifted(1).text == "AY 2025/26"
    assert parse_period("Jun 2025").label == "Jun 2025"


def test_period_of_a_day_and_the_last_one_complete():
    day = D(2026, 11, 1)
    assert period_of(QUARTER, D(2026, 2, 10)).text == "Q4 2025/26"
    assert period_of(ACADEMIC_YEAR, day).text == "AY 2026/27"
    assert last_complete(MONTH, day).text == "2026-10"
    assert last_complete(QUARTER, day).text == "Q2 2026/27"
    assert last_complete(FINANCIAL_YEAR, day).text == "2025/26"


# -- RAG ------------------------------------------------------------------------------------

V = kv.Value


def test_rag_higher_is_better_with_the_default_tolerance():
    target = V("90%", 90.0)  # default tolerance: 5% of 90 = 4.5 points
    assert kv.rag(V("92%", 92.0), target, "higher").status == "green"
    assert kv.rag(V("90%", 90.0), target, "higher").status == "green"
    amber = kv.rag(V("86%", 86.0), target, "higher")
    assert amber.status == "amber" and amber.label == "Amber" and "4 points below" in amber.reason
    red = kv.rag(V("84.7%", 84.7), target, "higher", target_period="2025/26")
    assert red.status == "red" and "5.3 points below the target of 90% for 2025/26" in red.reason


def test_rag_lower_is_better_with_a_set_tolerance():
    target = V("18 weeks", 18.0)
    assert kv.rag(V("17 weeks", 17.0), target, "lower", "weeks", tolerance=3).status == "green"
    assert kv.rag(V("21 weeks", 21.0), target, "lower", "weeks", tolerance=3).status == "amber"  # at the edge
    red = kv.rag(V("22 weeks", 22.0), target, "lower", "weeks", tolerance=3)
    assert red.status == "red" and "4 weeks above" in red.reason
    assert kv.rag(V("19", 19.0), target, "lower", "weeks", tolerance=0).status == "red"  # no amber band


def test_no_rag_is_said_in_words():
    tbc = kv.rag(V("tbc", None), V("90%", 90.0), "higher")
    assert tbc.status is None and tbc.label == "No number" and "'tbc'" in tbc.reason
    no_target = kv.rag(V("80%", 80.0), None, "higher", target_period="Jun 2025")
    assert no_target.status is None and no_target.label == "No target" and "for Jun 2025" in no_target.reason
    words = kv.rag(V("80%", 80.0), V("tbc based on March 19 performance", None), "higher")
    assert words.status is None and "has no number" in words.reason
    assert kv.rag(None, V("90%", 90.0), "higher").label == "No value"
    assert kv.rag(V("Most said yes", None), None, "higher", "text").label == "In words"
    assert tbc.colour == kv.RAG_COLOURS[None]


def test_position_against_comparators_respects_direction():
    assert kv.position(84.7, 67.0, "higher") == "better"
    assert kv.position(60.0, 67.0, "higher") == "worse"
    assert kv.position(20.0, 21.0, "lower") == "better"
    assert kv.position(67.0, 67.0, "higher") == "same"
    assert kv.position(67.0, None, "higher") is None


def test_direction_of_travel_from_the_last_two_numbers():
    assert kv.travel([50, 55, 61], "higher") == "improving"
    assert kv.travel([50, 61, 55], "higher") == "worsening"
    assert kv.travel([60, 52], "lower") == "improving"
    assert kv.travel([52, 52], "lower") == "no change"
    assert kv.travel([52, None], "lower") is None
    assert kv.travel([52], "higher") is None


@pytest.mark.parametrize("text", ["84.7%", "12", "-3", "\u22123.5", "007", "2019", "0", "100%", "0.5", "61.5%",
                                  "1990", "2100", "45.10%"])
def test_plain_numbers_read_at_once_give_what_the_full_rules_give(text):
    assert kv.number_in(text) == kv._number_by_rules(text)
    assert kv._PLAIN.fullmatch(text)  # each case takes the quick way


@pytest.mark.parametrize("text", ["1,200", "45.1 %", "May 19", "<5", "tbc", "Baseline 2019", "12.", ".5", "5%%"])
def test_other_texts_go_through_the_full_rules(text):
    assert not kv._PLAIN.fullmatch(text)
    assert kv.number_in(text) == kv._number_by_rules(text)
