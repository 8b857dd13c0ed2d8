"""Every grading rule of issue 3 section 2, checked on small frameworks whose sums can be done by hand."""

from __future__ import annotations

import copy
import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.framework import framework_from_json
from send_desktop.audits.grading import Grader, grade, grader_for, improvement_actions, round_half_up
from send_desktop.errors import BadInputError

GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def crit(cid, **kw):
    return {"id": cid, "text": f"criterion {cid}", **kw}


def sec(code, weight, n=1, **kw):
    """A section of n criteria <code>1..<code>n (weight 1, max 3) unless `criteria` is given."""
    criteria = kw.pop("criteria", None) or [crit(f"{code}{i}") for i in range(1, n + 1)]
    return {"code": code, "weight": weight, "criteria": criteria, **kw}


def fw_of(*sections, **top):
    return framework_from_json({"name": "test", "sections": list(sections), **top})


# --- the worked example --------------------------------------------------------------------------

WORKED = fw_of(
    sec("A", 8, 4), sec("B", 15, 2),
    sec("C", 5, criteria=[crit("C1", no_needs_role="statement"), crit("C2", no_needs_role="needs_dependent")],
        paired_with="G"),
    sec("D", 5, 2, paired_with="H"), sec("E", 15, 2), sec("F", 20, 4), sec("G", 5, 2), sec("H", 5, 2),
    sec("I", 3), sec("J", 2, na_allowed=True), sec("K", 3), sec("X", 14, 2),
)
WORKED_RATINGS = {
    "A1": 3, "A2": 3, "A3": 3, "A4": 2,  # 11/12 = 91.67
    "B1": 3, "B2": 2,                    # 5/6 = 83.33
    "C1": 3, "C2": 0,                    # C2 N/A (no needs), C1 3/3 = 100; G N/A as a whole
    "D1": 3, "D2": 2, "E1": 3, "E2": 2,  # 83.33 each
    "F1": 1, "F2": 1, "F3": 1,           # F4 missing = 0: 3/12 = 25
    "G1": 0, "G2": 0,                    # ignored: G is N/A
    "H1": 3, "H2": 2, "I1": 3, "J1": "na", "K1": 3, "X1": 3, "X2": 2,
}


def test_worked_example_from_the_issue():
    r = grade(WORKED, WORKED_RATINGS, no_needs={"C"})
    scores = {code: s.score for code, s in r.sections.items()}
    assert scores == {"A": 91.7, "B": 83.3, "C": 100.0, "D": 83.3, "E": 83.3, "F": 25.0, "G": None, "H": 83.3,
                      "I": 100.0, "J": None, "K": 100.0, "X": 83.3}
    # By hand, from unrounded section scores (A 275/3, B = D = E = H = X 250/3), over weight 100 - G 5 - J 2 = 93:
    #   8×91.667 + (15+5+15+5+14)×83.333 + (5+3+3)×100 + 20×25 = 733.33 + 4500 + 1100 + 500 = 6833.33
    #   6833.33 ÷ 93 = 73.477 → 73.5, Good. F is Inadequate → f_inadequate caps at Requires improvement.
    assert r.exact == Fraction(20500, 279)
    assert r.score == 73.5 and r.banded_grade == "Good"
    assert [c.name for c in r.caps] == ["f_inadequate"] and r.caps[0].lowered
    assert r.grade == "Requires improvement"
    assert r.sections["G"].na_reason == "no needs identified in C"
    assert r.to_contract() == {
        "sections": {code: {"score": scores[code], "grade": s.grade} for code, s in r.sections.items()},
        "score": 73.5, "banded_grade": "Good", "caps": ["f_inadequate"], "grade": "Requires improvement"}
    assert r.to_contract()["sections"]["G"] == {"score": None, "grade": "N/A"}
    assert r.to_contract()["sections"]["F"] == {"score": 25.0, "grade": "Inadequate"}
    text = r.formula()
    assert "73.48 → 73.5 Good" in text and "Cap f_inadequate: F is Inadequate (25.0)" in text
    assert "Final grade: Requires improvement" in text


def test_the_worked_example_without_rounding_section_scores_first():
    # Rounded section scores would give (8×91.7 + 54×83.3 + 1100 + 500) ÷ 93 = 73.48 too, but the
    # engine must use the unrounded ones: check a contribution list carries the exact values.
    r = grade(WORKED, WORKED_RATINGS, no_needs={"C"})
    a = r.sections["A"]
    assert a.exact == Fraction(275, 3) and a.rounded == Decimal("91.7")
    assert [c.contribution for c in a.criteria] == [1.0, 1.0, 1.0, pytest.approx(2 / 3)]
    assert [c.rated for c in r.sections["F"].criteria] == [True, True, True, False]


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("x, expected", [
    (Fraction(6665, 100), "66.7"), (Fraction(8325, 100), "83.3"), (Fraction(3325, 100), "33.3"),
    (Fraction(8324, 100), "83.2"), (Fraction(200, 3), "66.7"), (Fraction(250, 3), "83.3"),
    (0.1 + 0.2, "0.3"), (2.25, "2.3"), (0.05, "0.1"), (66.65, "66.7"), (Decimal("83.25"), "83.3"),
    (-2.25, "-2.3"), (100, "100.0"), (0, "0.0"),
])
def test_round_half_up(x, expected):
    assert round_half_up(x) == Decimal(expected)


def test_python_round_would_get_these_wrong():
    assert round(2.25, 1) == 2.2 and round(1333 / 2000 * 100, 1) == 66.6  # why the engine does not use them


@pytest.mark.parametrize("maximum, value, score, grade_", [
    (2000, 1333, 66.7, "Good"),                  # 66.65 exactly: a float gives 66.64999…
    (400, 333, 83.3, "Outstanding"),             # 83.25
    (400, 133, 33.3, "Requires improvement"),    # 33.25
    (10000, 8324, 83.2, "Good"),                 # 83.24
    (10000, 6664, 66.6, "Requires improvement"),  # 66.64
    (3, 2, 66.7, "Good"), (3, 1, 33.3, "Requires improvement"), (6, 5, 83.3, "Outstanding"),
])
def test_half_up_rounding_decides_the_band(maximum, value, score, grade_):
    fw = fw_of(sec("A", 1, criteria=[crit("A1", max=maximum)]))
    r = grade(fw, {"A1": value})
    assert r.sections["A"].score == score and r.sections["A"].grade == grade_
    assert r.score == score and r.banded_grade == grade_


def test_decimal_weights_are_exact():
    # 100 × (0.1×1 + 0.2×599/800) ÷ 0.3 = 83.25 exactly; in floats it is a hair either side.
    fw = fw_of(sec("A", 0.1, criteria=[crit("A1", weight=0.1, max=1), crit("A2", weight=0.2, max=800)]),
               sec("B", 0.2, criteria=[crit("B1", max=1000)]))
    r = grade(fw, {"A1": 1, "A2": 599, "B1": 333})
    assert r.sections["A"].exact == Fraction(8325, 100) and r.sections["A"].score == 83.3
    # overall (0.1 × 83.25 + 0.2 × 33.3) ÷ 0.3 = 49.95 → 50.0
    assert r.exact == Fraction(4995, 100) and r.score == 50.0


def test_overall_rounds_half_up_too():
    fw = fw_of(sec("A", 1, criteria=[crit("A1", max=1)]), sec("B", 1, criteria=[crit("B1", max=1000)]))
    r = grade(fw, {"A1": 1, "B1": 333})  # (100 + 33.3) ÷ 2 = 66.65
    assert r.exact == Fraction(6665, 100) and r.score == 66.7 and r.banded_grade == "Good"


# --- ratings -------------------------------------------------------------------------------------


def test_missing_rating_counts_as_not_evidenced():
    fw = fw_of(sec("A", 1, 2))
    missing, zero = grade(fw, {"A1": 3}), grade(fw, {"A1": 3, "A2": 0})
    assert missing.sections["A"].exact == zero.sections["A"].exact == 50
    assert grade(fw, {"A1": 3, "A2": None}).sections["A"].exact == 50
    assert grade(fw, {}).sections["A"].score == 0.0 and grade(fw, {}).grade == "Inadequate"


def test_na_only_where_the_section_allows_it():
    fw = fw_of(sec("A", 3, 2), sec("J", 1, 2, na_allowed=True))
    with pytest.raises(BadInputError, match=r"criterion 'A1': section 'A' does not allow N/A"):
        grade(fw, {"A1": "na"})
    r = grade(fw, {"A1": 3, "A2": 3, "J1": "na", "J2": 1}, na_reasons={"J1": "no budget requested"})
    assert r.sections["J"].exact == Fraction(100, 3)  # J1 left out, not counted as 0
    assert r.sections["J"].criteria[0].na_reason == "no budget requested"
    r = grade(fw, {"A1": 3, "A2": 3, "J1": "na", "J2": "na"})
    assert not r.sections["J"].applicable and r.sections["J"].na_reason == "every criterion is N/A"
    assert r.sections["J"].grade == "N/A" and r.score == 100.0


@pytest.mark.parametrize("value", [4, -1, True, 2.0, "3", "NA", [1]])
def test_bad_ratings_are_refused(value):
    fw = fw_of(sec("A", 1, 2))
    with pytest.raises(BadInputError, match="criterion 'A1': rating .* use 0 to 3"):
        grade(fw, {"A1": value})


def test_unknown_criterion_and_sections_are_refused():
    fw = fw_of(sec("A", 1), sec("C", 1, criteria=[crit("C1", no_needs_role="statement")]))
    with pytest.raises(BadInputError, match="criterion 'Z9' is not in framework 'test'"):
        grade(fw, {"Z9": 1})
    with pytest.raises(BadInputError, match="no section 'Q'"):
        grade(fw, {}, no_needs={"Q"})
    with pytest.raises(BadInputError, match="section 'A' cannot be marked"):
        grade(fw, {}, no_needs={"A"})
    grade(fw, {}, no_needs={"C"})


# --- no needs identified -------------------------------------------------------------------------

NEEDS = fw_of(
    sec("B", 10, 2),
    sec("C", 5, paired_with="G", criteria=[crit("C1", no_needs_role="statement"),
                                           crit("C2", no_needs_role="needs_dependent"), crit("C3")]),
    sec("G", 5, 2),
    sec("HA", 0, na_allowed=True, criteria=[crit("HA1", no_needs_role="statement"),
                                            crit("HA2", no_needs_role="needs_dependent"),
                                            crit("HA3", no_needs_role="needs_dependent")]),
    sec("SA", 0, criteria=[crit("SA1", no_needs_role="needs_dependent")]),
    rules={"section_caps": [{"name": "g_inadequate", "sections": ["G"]}], "two_inadequate": {},
           "statutory": {}},
)


def test_no_needs_makes_needs_dependent_na_and_keeps_statements():
    full = {"B1": 3, "B2": 3, "C1": 3, "C2": 0, "C3": 2, "G1": 0, "G2": "na"}
    r = grade(NEEDS, full, no_needs={"C"})
    c = r.sections["C"]
    assert [x.applicable for x in c.criteria] == [True, False, True]  # role "none" stays scored too
    assert c.criteria[1].na_reason == "no needs identified"
    assert c.exact == Fraction(500, 6)  # (3 + 2) / 6
    g = r.sections["G"]
    assert not g.applicable and g.grade == "N/A" and all(not x.applicable for x in g.criteria)
    assert "g_inadequate" not in [cap.name for cap in r.caps]  # N/A is not Inadequate
    # without the mark, G's zeros count, G is Inadequate and the cap fires; "na" in G is refused
    with pytest.raises(BadInputError, match="section 'G' does not allow N/A"):
        grade(NEEDS, full)
    r = grade(NEEDS, {**full, "G2": 0})
    assert r.sections["G"].grade == "Inadequate" and "g_inadequate" in [cap.name for cap in r.caps]


def test_an_advice_stating_no_needs_is_not_inadequate():
    r = grade(NEEDS, {"B1": 3, "B2": 3, "C1": 3, "C2": 3, "C3": 3, "G1": 3, "G2": 3, "HA1": 3}, no_needs={"HA"})
    assert r.sections["HA"].score == 100.0 and r.sections["HA"].grade == "Outstanding"
    r = grade(NEEDS, {"B1": 3, "B2": 3, "HA1": 3})  # the auditor's error the minutes warn of:
    assert r.sections["HA"].score == 33.3  # absent needs scored as unmet needs drag the advice down
    r = grade(NEEDS, {"B1": 3, "B2": 3}, no_needs={"SA"})  # only needs-dependent criteria: N/A, not 0
    assert r.sections["SA"].grade == "N/A" and r.sections["SA"].na_reason == "no needs identified"


def test_advices_are_graded_but_do_not_count():
    base = {"B1": 3, "B2": 3, "C1": 3, "C2": 3, "C3": 3, "G1": 3, "G2": 3}
    r = grade(NEEDS, {**base, "HA1": 0, "SA1": 0})
    assert r.sections["HA"].grade == r.sections["SA"].grade == "Inadequate"
    assert r.score == 100.0 and r.caps == () and r.grade == "Outstanding"  # no two_inadequate from advices
    assert r.total_weight == 20 and r.applicable_weight == 20


# --- caps ----------------------------------------------------------------------------------------

CAPS = fw_of(
    sec("A", 10, criteria=[crit("A1"), crit("A2", statutory=True), crit("A3", critical=True)]),
    sec("B", 10, 2), sec("E", 10, 2), sec("F", 10, 2), sec("K", 10, 2),
    sec("J", 10, na_allowed=True, criteria=[crit("J1", statutory=True), crit("J2")]),
    sec("ADV", 0, criteria=[crit("ADV1", statutory=True, critical=True)]),
)
TOP = {cid: 3 for cid in ("A1", "A2", "A3", "B1", "B2", "E1", "E2", "F1", "F2", "K1", "K2", "J1", "J2", "ADV1")}


def caps_of(ratings, fw=CAPS, **kw):
    r = grade(fw, {**TOP, **ratings}, **kw)
    return r, [c.name for c in r.caps]


def test_no_caps_when_all_is_well():
    r, names = caps_of({})
    assert (r.banded_grade, names, r.grade) == ("Outstanding", [], "Outstanding")


def test_statutory_cap():
    r, names = caps_of({"A2": 0})
    assert names == ["statutory"] and r.grade == "Requires improvement" and "A2" in r.caps[0].reason
    assert caps_of({"A2": 1})[1] == []
    assert caps_of({"J1": "na", "J2": 3})[1] == []  # N/A is not 0
    t = {**TOP}
    del t["A2"]
    assert [c.name for c in grade(CAPS, t).caps] == ["statutory"]  # not evidenced is 0
    assert caps_of({"ADV1": 0})[1] == []  # weight-0 sections do not cap the plan


def test_section_caps():
    # each of these leaves the overall Outstanding (83.3+), so outstanding_requires fires as well
    r, names = caps_of({"F1": 0, "F2": 0})
    assert names == ["f_inadequate", "outstanding_requires"] and r.grade == "Requires improvement"
    assert r.caps[0].reason == "F is Inadequate (0.0)"
    assert "f_inadequate" not in caps_of({"F1": 1, "F2": 1})[1]  # F 33.3 is Requires improvement: no cap
    assert caps_of({"B1": 0, "B2": 0})[1] == ["b_or_e_inadequate", "outstanding_requires"]
    assert caps_of({"E1": 0, "E2": 1})[1] == ["b_or_e_inadequate", "outstanding_requires"]
    r, names = caps_of({"B1": 0, "B2": 0, "E1": 0, "E2": 0})
    assert names == ["b_or_e_inadequate", "two_inadequate"] and "B is Inadequate" in r.caps[0].reason
    assert r.grade == "Inadequate"


def test_two_inadequate():
    r, names = caps_of({"K1": 0, "K2": 0, "J1": 1, "J2": 0})
    assert names == ["two_inadequate"] and r.grade == "Inadequate" and r.caps[0].reason == "2 sections are Inadequate: K, J"
    assert "two_inadequate" not in caps_of({"K1": 0, "K2": 0})[1]
    assert "two_inadequate" not in caps_of({"K1": 0, "K2": 0, "ADV1": 0})[1]  # advices do not count


def test_outstanding_requires():
    r, names = caps_of({"F2": 2})  # F 83.3 → still Outstanding: passes
    assert names == [] and r.grade == "Outstanding"
    r, names = caps_of({"F2": 1})  # F 66.7 Good, overall 94.4 Outstanding
    assert names == ["outstanding_requires"] and r.grade == "Good" and "F is Good" in r.caps[0].reason
    r, names = caps_of({"K1": 1, "K2": 1})  # K Requires improvement
    assert r.banded_grade == "Outstanding" and names == ["outstanding_requires"] and r.grade == "Good"
    r, names = caps_of({"A1": 1, "A3": 1, "B1": 2, "E1": 2, "K1": 2, "J2": 2, "F1": 2})
    assert r.banded_grade == "Good" and names == []  # only tested when the banded grade is Outstanding


def test_critical():
    r, names = caps_of({}, critical_concern=True)
    assert names == ["critical"] and r.grade == "Inadequate" and "flagged" in r.caps[0].reason
    r, names = caps_of({"A3": 0})
    assert names == ["critical"] and r.grade == "Inadequate" and "A3" in r.caps[0].reason
    t = {**TOP}
    del t["A3"]
    assert [c.name for c in grade(CAPS, t).caps] == []  # a gap is not a flagged concern
    assert caps_of({"ADV1": 0})[1] == []


def test_a_cap_is_recorded_even_when_it_changes_nothing():
    r, names = caps_of({cid: 0 for cid in TOP if cid not in ("A1", "A2", "A3")})
    assert r.banded_grade == "Inadequate"
    assert names == ["statutory", "f_inadequate", "b_or_e_inadequate", "two_inadequate"]
    assert [c.lowered for c in r.caps] == [False] * 4 and r.grade == "Inadequate"


def test_final_grade_is_the_lowest_of_banded_and_caps():
    r, names = caps_of({"A2": 0}, critical_concern=True)
    assert names == ["statutory", "critical"] and r.grade == "Inadequate"


def test_a_rule_left_out_is_off():
    doc = lambda rules: fw_of(*[sec(c, 10, 2) for c in "ABEFK"], rules=rules)  # noqa: E731
    low = {"A1": 0, "A2": 0, "B1": 0, "B2": 0, "E1": 3, "E2": 3, "F1": 0, "F2": 0, "K1": 3, "K2": 3}
    r = grade(doc({}), low, critical_concern=True)  # 40: three sections Inadequate, a concern flagged
    assert r.caps == () and r.grade == r.banded_grade == "Requires improvement"
    r = grade(doc({}), {**low, "A1": 3, "A2": 3, "B1": 3, "B2": 3}, critical_concern=True)
    assert r.caps == () and r.grade == "Good"
    r = grade(doc({"critical": {}}), {**low, "A1": 3, "A2": 3, "B1": 3, "B2": 3}, critical_concern=True)
    assert [c.name for c in r.caps] == ["critical"] and r.grade == "Inadequate"
    r = grade(doc({"statutory": None}), low)  # null also means off
    assert r.caps == ()
    # no "rules" key at all: the defaults
    r = grade(fw_of(*[sec(c, 10, 2) for c in "ABEFK"]), {**low, "A1": 3, "A2": 3, "B1": 3, "B2": 3})
    assert [c.name for c in r.caps] == ["f_inadequate"]


def test_configured_rules_change_the_numbers():
    fw = fw_of(sec("A", 1, 2), sec("F", 1, 2), rules={
        "section_caps": [{"name": "a_weak", "sections": ["A"], "if_grade": "Requires improvement", "cap": "Good"}],
        "two_inadequate": {"count": 1, "grade": "Requires improvement"}})
    r = grade(fw, {"A1": 1, "A2": 1, "F1": 3, "F2": 3})  # A 33.3 RI, overall 66.7 Good
    assert [c.name for c in r.caps] == ["a_weak"] and r.grade == "Good" and not r.caps[0].lowered
    r = grade(fw, {"A1": 0, "A2": 0, "F1": 3, "F2": 3})  # A Inadequate ("at or below" RI), overall RI 50
    assert [c.name for c in r.caps] == ["a_weak", "two_inadequate"] and r.grade == "Requires improvement"


def test_custom_bands():
    fw = fw_of(sec("A", 1, criteria=[crit("A1", max=10)]),
               bands=[{"grade": "Green", "min": 70}, {"grade": "Amber", "min": 40}, {"grade": "Red", "min": 0}],
               rules={"critical": {"grade": "Red"}, "outstanding_requires": {"all_sections_at_least": "Green",
                                                                             "sections": {}}})
    assert grade(fw, {"A1": 7}).grade == "Green"
    assert grade(fw, {"A1": 4}).grade == "Amber"
    assert grade(fw, {"A1": 9}, critical_concern=True).grade == "Red"


# --- coverage guard and weights ------------------------------------------------------------------

COVER = fw_of(sec("A", 59, 1), sec("B", 41, 1, na_allowed=True), sec("C", 1, 1, na_allowed=True),
              min_applicable_weight_pct=60)


def test_coverage_guard():
    r = grade(COVER, {"A1": 3, "B1": "na", "C1": "na"}, critical_concern=True)
    assert r.coverage_pct == 59 / 101 * 100
    assert (r.score, r.banded_grade, r.grade, r.caps) == (None, "Not graded", "Not graded", ())
    assert r.to_contract()["score"] is None and r.to_contract()["grade"] == "Not graded"
    assert r.sections["A"].score == 100.0  # sections are still scored for the report
    assert "Not graded" in r.formula()
    fw = fw_of(sec("A", 60, 1), sec("B", 40, 1, na_allowed=True))
    r = grade(fw, {"A1": 3, "B1": "na"})  # exactly 60%: graded
    assert r.grade == "Outstanding" and r.coverage_pct == 60


def test_coverage_guard_with_threshold_zero_still_needs_something_to_grade():
    fw = fw_of(sec("A", 1, 1, na_allowed=True), min_applicable_weight_pct=0)
    assert grade(fw, {"A1": "na"}).grade == "Not graded"


def test_weights_zero():
    fw = fw_of(sec("A", 1, criteria=[crit("A1"), crit("A2", weight=0)]),
               sec("B", 1, criteria=[crit("B1", weight=0)]), sec("Z", 0, 1))
    r = grade(fw, {"A1": 3, "A2": 0, "B1": 3, "Z1": 0})
    assert r.sections["A"].score == 100.0  # a weight-0 criterion changes nothing
    assert not r.sections["B"].applicable and r.sections["B"].na_reason == "its applicable criteria carry no weight"
    assert r.sections["Z"].grade == "Inadequate" and r.total_weight == 2  # Z is graded, not counted
    assert r.coverage_pct == 50.0 and r.grade == "Not graded"  # B carries weight but is N/A
    fw = fw_of(sec("A", 1, criteria=[crit("A1"), crit("A2", weight=0)]), sec("Z", 0, 1))
    r = grade(fw, {"A1": 3, "A2": 0, "Z1": 0})
    assert r.score == 100.0 and r.grade == "Outstanding" and r.coverage_pct == 100


# --- improvement actions -------------------------------------------------------------------------


def test_improvement_actions_below_met():
    fw = fw_of(sec("A", 1, criteria=[
        crit("A1", action_template="Fix {id} in {section} ({section_title}): {criterion} {keep}", owner_type="health"),
        crit("A2"), crit("A3"), crit("A4"), crit("A5", max=1), crit("A6", max=1), crit("A7", max=4)],
        title="Views", na_allowed=True), sec("B", 1, 2))
    r = grade(fw, {"A1": 1, "A2": 2, "A3": 3, "A4": "na", "A5": 0, "A6": 1, "A7": 2, "B1": 0})
    actions = improvement_actions(fw, r, audit_date=dt.date(2025, 6, 2))
    assert [(a.criterion_id, a.value) for a in actions] == [("A1", 1), ("A5", 0), ("A7", 2), ("B1", 0), ("B2", 0)]
    first = actions[0]
    assert first.text == "Fix A1 in A (Views): criterion A1 {keep}" and first.owner_type == "health"
    assert first.due == dt.date(2025, 6, 30) and first.section == "A"
    assert actions[3].text == "Improve B (B): criterion B1" and actions[3].owner_type == "caseworker"
    later = improvement_actions(fw, r, audit_date=dt.date(2025, 6, 2), due_days=7)
    assert later[0].due == dt.date(2025, 6, 9)


def test_no_actions_for_criteria_not_applicable():
    r = grade(NEEDS, {"B1": 3, "B2": 3, "C1": 3, "C3": 3, "HA1": 3}, no_needs={"C", "HA", "SA"})
    assert improvement_actions(NEEDS, r) == []


# --- the default framework and speed -------------------------------------------------------------


def test_default_framework_grades_with_caching():
    fw = default_framework()
    assert grader_for(fw) is grader_for(fw)
    ids = [c.id for s in fw.sections for c in s.criteria]
    r = grade(fw, {cid: 3 for cid in ids})
    assert r.grade == "Outstanding" and r.score == 100.0
    r = grade(fw, {cid: 2 for cid in ids})
    assert r.grade == "Good" and r.score == 66.7
    assert Grader(fw).grade({cid: 2 for cid in ids}) == r


# --- randomized properties -----------------------------------------------------------------------


def random_framework(rng: random.Random):
    codes = rng.sample("ABCDEFGHIJKX", rng.randint(1, 8))  # with B, E and F the default caps apply
    sections = []
    for code in codes:
        criteria = [crit(f"{code}c{j}", max=rng.choice([1, 2, 3, 3, 5]), weight=rng.choice([0, 0.5, 1, 1, 2, 3]),
                         statutory=rng.random() < 0.2, critical=rng.random() < 0.1,
                         no_needs_role=rng.choice(["none", "none", "statement", "needs_dependent"]))
                    for j in range(rng.randint(1, 5))]
        sections.append(sec(code, rng.choice([0, 1, 2, 5, 8, 15, 20]), criteria=criteria, na_allowed=rng.random() < 0.5))
    if not any(s["weight"] for s in sections):
        sections[0]["weight"] = 1
    free = [s for s in sections]
    rng.shuffle(free)
    if len(free) >= 2 and rng.random() < 0.6:
        free[0]["paired_with"] = free[1]["code"]
    return framework_from_json({"name": "random", "sections": sections,
                                "min_applicable_weight_pct": rng.choice([0, 30, 60, 60, 90])})


def random_audit(fw, rng: random.Random):
    ratings = {}
    for s in fw.sections:
        for c in s.criteria:
            roll = rng.random()
            if roll < 0.1:
                continue
            ratings[c.id] = "na" if s.na_allowed and roll < 0.35 else rng.randint(0, c.max)
    no_needs = {s.code for s in fw.sections if s.accepts_no_needs and rng.random() < 0.4}
    return ratings, no_needs, rng.random() < 0.05


def test_randomized_properties():
    rng = random.Random(20250601)
    for _ in range(400):
        fw = random_framework(rng)
        for _ in range(10):
            ratings, no_needs, critical = random_audit(fw, rng)
            r = grade(fw, ratings, no_needs, critical)
            grades = fw.grades
            # coverage computed independently from the section results
            total = sum(Fraction(str(s.weight)) for s in fw.sections)
            applicable = sum(Fraction(str(s.weight)) for s in fw.sections if r.sections[s.code].applicable)
            below = applicable == 0 or applicable * 100 < Fraction(str(fw.min_applicable_weight_pct)) * total
            assert (r.grade == "Not graded") == below
            if below:
                assert r.score is None and r.caps == ()
                continue
            assert 0 <= r.score <= 100
            assert grades.index(r.grade) >= grades.index(r.banded_grade)  # never above the banded grade
            assert r.grade in [r.banded_grade, *[c.cap for c in r.caps]]
            for s in r.sections.values():
                assert (s.grade == "N/A") == (s.score is None)
                assert s.score is None or 0 <= s.score <= 100
            for code in no_needs:
                paired = fw.section(code).paired_with
                if paired:
                    assert r.sections[paired].grade == "N/A"


def test_grading_does_not_change_its_inputs():
    ratings = copy.deepcopy(WORKED_RATINGS)
    grade(WORKED, ratings, no_needs={"C"})
    assert ratings == WORKED_RATINGS


# --- the fast engine against the plain one -------------------------------------------------------


def _same(new, old) -> None:
    """Identical results, down to each Decimal's digits and each fraction."""
    assert new == old
    assert (str(new.rounded), new.exact, new.applicable_weight, new.total_weight) == (
        str(old.rounded), old.exact, old.applicable_weight, old.total_weight)
    for code, s in new.sections.items():
        o = old.sections[code]
        assert (str(s.rounded), s.exact, s.grade, s.na_reason) == (str(o.rounded), o.exact, o.grade, o.na_reason)
        assert s.criteria == o.criteria
    assert [(c.name, c.cap, c.reason, c.lowered) for c in new.caps] == [(c.name, c.cap, c.reason, c.lowered)
                                                                          for c in old.caps]
    assert new.to_contract() == old.to_contract() and new.formula() == old.formula()


def _outcome(grader, *args):
    try:
        return grader.grade(*args)
    except BadInputError as exc:
        return exc.message


def test_the_integer_grader_matches_the_fraction_grader_on_random_audits():
    from tests.grading_reference import ReferenceGrader

    rng = random.Random(20250917)
    frameworks = [default_framework(), WORKED] + [random_framework(rng) for _ in range(300)]
    checked = 0
    for fw in frameworks:
        fast, plain = Grader(fw), ReferenceGrader(fw)
        ids = [c.id for s in fw.sections for c in s.criteria]
        for n in range(40 if fw is frameworks[0] else 12):
            ratings, no_needs, critical = random_audit(fw, rng)
            reasons = {cid: rng.choice(["N/A", "not relevant at this age", ""]) for cid, v in ratings.items()
                       if v == "na" and rng.random() < 0.5}
            if n % 6 == 5:  # now and then something the engine refuses, to compare the refusals too
                bad = rng.choice([("rating", rng.choice(ids), rng.choice([-1, 99, 1.5, "2", True, "NA"])),
                                  ("criterion", "nope", 1), ("no_needs", None, "Q")])
                if bad[0] == "no_needs":
                    no_needs = {*no_needs, bad[2]}
                else:
                    ratings = {**ratings, bad[1]: bad[2]}
            new, old = _outcome(fast, ratings, no_needs, critical, reasons), _outcome(plain, ratings, no_needs,
                                                                                      critical, reasons)
            if isinstance(old, str):
                assert new == old
            else:
                _same(new, old)
                checked += 1
    assert checked > 3000


@pytest.mark.parametrize("weights", [(1, 2, 3), (0.1, 0.2, 0.7), (0.333, 1.5, 0), (7, 0, 0.25)])
def test_the_integer_grader_matches_on_every_rating_of_small_frameworks(weights):
    from tests.grading_reference import ReferenceGrader

    fw = fw_of(*(sec(code, w, criteria=[crit(f"{code}1", max=1 + i, weight=w or 1),
                                        crit(f"{code}2", max=7, weight=0.3, statutory=True, critical=True)])
                 for i, (code, w) in enumerate(zip("BEF", weights))), min_applicable_weight_pct=30)
    fast, plain = Grader(fw), ReferenceGrader(fw)
    for b in range(3):
        for e in range(4):
            for f in range(8):
                ratings = {"B1": b % 2, "B2": f, "E1": e if e < 3 else None, "E2": 7 - f, "F1": 3, "F2": b * e % 8}
                _same(fast.grade(ratings), plain.grade(ratings))
