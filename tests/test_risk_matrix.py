"""The risk matrix and the register's rules, without a database or a display."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from send_desktop.core import risk_matrix as rm
from send_desktop.core.risk_matrix import DEFAULT_DEFINITION, RiskMatrix, RiskValueError

M = rm.DEFAULT_MATRIX


def test_default_is_the_five_by_five_nhs_matrix():
    assert M.likelihood == ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
    assert M.impact == ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")
    assert [(b.name, b.low, b.high) for b in M.bands] == [("Low", 1, 3), ("Moderate", 4, 6), ("High", 8, 12),
                                                          ("Extreme", 15, 25)]
    assert M.escalation_threshold == 15
    assert M.max_score == 25


@pytest.mark.parametrize("lk, im, score, band", [
    (1, 1, 1, "Low"), (1, 3, 3, "Low"), (2, 2, 4, "Moderate"), (2, 3, 6, "Moderate"), (2, 4, 8, "High"),
    (3, 3, 9, "High"), (3, 4, 12, "High"), (3, 5, 15, "Extreme"), (4, 4, 16, "Extreme"), (5, 5, 25, "Extreme"),
])
def test_score_is_likelihood_times_impact_in_its_band(lk, im, score, band):
    assert M.score(lk, im) == score
    assert M.band_for(score).name == band
    assert M.band_of(lk, im).name == band


def test_every_score_a_5x5_matrix_can_make_has_exactly_one_band():
    scores = {lk * im for lk in range(1, 6) for im in range(1, 6)}
    for s in scores:
        assert sum(b.contains(s) for b in M.bands) == 1
    with pytest.raises(RiskValueError, match="7 is not in any band"):
        M.band_for(7)  # no 5x5 pair multiplies to 7


@pytest.mark.parametrize("value, needle", [
    (7, "likelihood 7 is out of range: use 1 (Rare) to 5 (Almost certain)"),
    (0, "likelihood 0 is out of range"),
    ("high", "likelihood 'high' is not a whole number"),
    (2.5, "likelihood '2.5' is not a whole number"),
    (True, "likelihood 'True' is not a whole number"),
    (None, "likelihood is missing"),
    ("", "likelihood is missing"),
])
def test_out_of_range_levels_are_refused_naming_the_value(value, needle):
    with pytest.raises(RiskValueError) as err:
        M.score(value, 3)
    assert needle in err.value.message


def test_levels_typed_as_text_or_whole_floats_are_accepted():
    assert M.score("4", 5.0) == 20
    with pytest.raises(RiskValueError, match="impact 6 is out of range: use 1 \\(Negligible\\) to 5"):
        M.score(2, 6)


def test_definition_round_trips_through_json_and_takes_custom_labels_and_colours():
    data = copy.deepcopy(DEFAULT_DEFINITION)
    data["bands"][3].update(name="Severe", colour="#5A0000")
    data["likelihood"][4] = "Expected"
    data["escalation_threshold"] = 20
    matrix = RiskMatrix.from_dict(data)
    assert matrix.band_for(20).name == "Severe" and matrix.band_for(20).colour == "#5a0000"
    assert matrix.likelihood_label(5) == "Expected"
    assert not matrix.needs_escalation(16) and matrix.needs_escalation(20)
    assert RiskMatrix.from_json(matrix.to_json()) == matrix
    assert json.loads(matrix.to_json())["bands"][0] == {"name": "Low", "from": 1, "to": 3, "colour": "#d9efd3"}


def test_a_four_by_four_matrix_works_with_its_own_range():
    data = {"likelihood": ["Low", "Medium", "High", "Very high"], "impact": ["Minor", "Moderate", "Major", "Severe"],
            "bands": [{"name": "Green", "from": 1, "to": 3, "colour": "#2e8b57"},
                      {"name": "Amber", "from": 4, "to": 8, "colour": "#e69f00"},
                      {"name": "Red", "from": 9, "to": 16, "colour": "#c0392b"}],
            "escalation_threshold": 12}
    matrix = RiskMatrix.from_dict(data)
    assert matrix.max_score == 16 and matrix.band_of(3, 3).name == "Red"
    with pytest.raises(RiskValueError, match="likelihood 5 is out of range: use 1 \\(Low\\) to 4 \\(Very high\\)"):
        matrix.score(5, 1)


def _broken(**changes):
    data = copy.deepcopy(DEFAULT_DEFINITION)
    data.update(changes)
    return data


@pytest.mark.parametrize("data, needle", [
    (_broken(bands=DEFAULT_DEFINITION["bands"][:1] + DEFAULT_DEFINITION["bands"][2:]),
     "no band covers the scores 4, 5, 6"),
    (_broken(bands=[{"name": "Low", "from": 1, "to": 5, "colour": "#ffffff"},
                    {"name": "High", "from": 4, "to": 25, "colour": "#000000"}]), "without overlapping"),
    (_broken(bands=[{**DEFAULT_DEFINITION["bands"][0], "colour": "green"}] + DEFAULT_DEFINITION["bands"][1:]),
     "band 'Low' has colour 'green', which is not written as #rrggbb"),
    (_broken(escalation_threshold=40), "'escalation_threshold' must be a whole number from 1 to 25"),
    (_broken(likelihood=["Rare", "Rare", "Possible", "Likely", "Almost certain"]), "likelihood labels must differ"),
    (_broken(impact=["Only"]), "'impact' must list 2 to 10 labels"),
    (_broken(bands=[{**b, "name": "Same"} for b in DEFAULT_DEFINITION["bands"]]), "band names must differ"),
    ([1, 2, 3], "must be an object"),
])
def test_bad_definitions_are_refused_with_a_clear_message(data, needle):
    with pytest.raises(RiskValueError) as err:
        RiskMatrix.from_dict(data)
    assert err.value.message.startswith("The risk matrix cannot be used: ")
    assert needle in err.value.message


def test_text_that_is_not_json_is_refused():
    with pytest.raises(RiskValueError, match="not valid JSON"):
        RiskMatrix.from_json("{bands: low}")


def test_default_colours_darken_with_the_band_so_greyscale_keeps_the_order():
    def luminance(colour):
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = [luminance(b.colour) for b in M.bands]
    assert all(a - b >= 30 for a, b in zip(levels, levels[1:]))
    # and the label drawn on each reads: dark text on the light bands, white on the dark one
    assert [b.text_colour for b in M.bands] == ["#000000", "#000000", "#000000", "#ffffff"]


@pytest.mark.parametrize("previous, current, expected", [(None, 12, None), (12, None, None), (9, 12, "up"),
                                                         (16, 12, "down"), (12, 12, "same")])
def test_trend_against_the_previous_assessment(previous, current, expected):
    assert rm.trend(previous, current) == expected


def test_trend_reads_without_colour():
    assert rm.trend_text("up") == "\u25b2 Worse"
    assert rm.trend_text("down") == "\u25bc Better"
    assert rm.trend_text(None) == "New"


def test_appetite_escalation_and_overdue_rules():
    assert rm.above_appetite(12, 9) and not rm.above_appetite(9, 9) and not rm.above_appetite(25, None)
    assert not rm.above_appetite(12, 9, status="closed")
    assert rm.for_board(15, "open") and not rm.for_board(12, "open")
    assert rm.for_board(4, "escalated") and not rm.for_board(25, "closed")
    today = dt.date(2026, 11, 1)
    assert rm.review_overdue(dt.date(2026, 10, 31), "open", today)
    assert not rm.review_overdue(today, "open", today)
    assert not rm.review_overdue(dt.date(2026, 1, 1), "closed", today)
    assert not rm.review_overdue(None, "open", today)


@pytest.mark.parametrize("frequency, expected", [
    ("monthly", dt.date(2026, 2, 28)), ("bi-monthly", dt.date(2026, 3, 31)), ("quarterly", dt.date(2026, 4, 30)),
    ("6-monthly", dt.date(2026, 7, 31)), ("annual", dt.date(2027, 1, 31)), ("Quarterly", dt.date(2026, 4, 30)),
    ("every two months", dt.date(2026, 3, 31)), ("yearly", dt.date(2027, 1, 31)),
])
def test_next_review_from_the_frequency_holds_to_the_month_end(frequency, expected):
    assert rm.next_review_date(dt.date(2026, 1, 31), frequency) == expected


def test_leap_day_and_unknown_frequency():
    assert rm.next_review_date(dt.date(2028, 2, 29), "annual") == dt.date(2029, 2, 28)
    with pytest.raises(RiskValueError, match="'fortnightly' is not one of: monthly, bi-monthly"):
        rm.normalise_frequency("fortnightly")


def test_statuses_are_checked_and_tidied():
    assert rm.normalise_status(" Escalated ") == "escalated" and rm.normalise_status("") == "open"
    with pytest.raises(RiskValueError, match="'pending' is not one of: open, escalated, closed"):
        rm.normalise_status("pending")
    assert rm.normalise_mitigation_status("Completed") == "done"
    assert rm.normalise_mitigation_status("in-progress") == "in progress"


def test_new_references_follow_the_highest():
    assert rm.next_risk_ref([]) == "R01"
    assert rm.next_risk_ref(["R07", "R12", "X3"]) == "R13"
    assert rm.next_risk_ref(["SR009"]) == "SR010"


def test_appetite_is_a_score_of_the_matrix_or_none():
    assert M.check_appetite("9") == 9 and M.check_appetite(" ") is None and M.check_appetite(None) is None
    with pytest.raises(RiskValueError, match="appetite '26' must be a score from 1 to 25"):
        M.check_appetite(26)
