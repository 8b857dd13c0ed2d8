"""Audit report figures checked against values worked out by hand (arithmetic in the comments)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from send_desktop.audits.stats import (
    GRADES,
    NOT_GRADED,
    Share,
    audits_target,
    criteria_most_unmet,
    distribution,
    good_or_better,
    moderation_agreement,
    quadratic_weighted_kappa,
    rolling_mean,
    round_half_up,
    segmented_rolling_mean,
    share_good_or_better,
    split_segments,
    wilson_interval,
)

I, RI, G, O = GRADES


# --- grades and % good or better ----------------------------------------------------------------


def test_grades_are_in_ordinal_order_and_good_or_better_is_the_top_two():
    assert GRADES == ("Inadequate", "Requires improvement", "Good", "Outstanding")
    assert [good_or_better(g) for g in GRADES] == [False, False, True, True]
    assert good_or_better(NOT_GRADED) is False


def test_an_unknown_grade_is_refused_rather_than_dropped():
    with pytest.raises(ValueError, match="unknown grade"):
        good_or_better("good")
    with pytest.raises(ValueError):
        share_good_or_better([G, "Requires Improvement"])


def test_wilson_27_of_100_matches_the_formula_worked_by_hand():
    # p = 0.27, n = 100, z = 1.959963984540054, z² = 3.8414588206941250
    # denom  = 1 + z²/n                    = 1.0384145882069413
    # centre = (p + z²/2n) / denom         = (0.27 + 0.0192072941) / 1.0384145882 = 0.2785085046
    # half   = z/denom · √(p(1−p)/n + z²/4n²)
    #        = 1.8874581 · √(0.001971 + 0.0000960365) = 1.8874581 · 0.0454647 = 0.0858127
    # low = 0.2785085 − 0.0858127 = 0.1926958 → 0.1927; high = 0.2785085 + 0.0858127 = 0.3643212 → 0.3643
    # (the often-quoted 0.1929/0.3642 come from rounding z to 1.96 part-way; 40-digit Decimal agrees
    # with 0.19269584149576343 and 0.36432116767944998.)
    low, high = wilson_interval(27, 100)
    assert round(low, 4) == 0.1927
    assert round(high, 4) == 0.3643
    assert low == pytest.approx(0.19269584149576343, abs=1e-12)
    assert high == pytest.approx(0.36432116767944998, abs=1e-12)


def test_wilson_edges_stay_inside_zero_and_one():
    assert wilson_interval(0, 0) == (None, None)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and 0.0 < high < 0.35  # z²/(n+z²) = 3.8415/13.8415 = 0.2775
    assert high == pytest.approx(0.27753, abs=1e-5)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(1 - 0.27753, abs=1e-5)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(-1, 10)


def test_share_good_or_better_leaves_not_graded_and_none_out_of_n():
    grades = [O] * 2 + [G] * 25 + [RI] * 60 + [I] * 13 + [NOT_GRADED] * 7 + [None] * 3
    share = share_good_or_better(grades)
    assert (share.n, share.good) == (100, 27)
    assert share.pct == pytest.approx(27.0)
    assert share.low == pytest.approx(19.269584, abs=1e-5)
    assert share.high == pytest.approx(36.432117, abs=1e-5)


def test_share_of_nothing_graded_is_empty_not_zero_percent():
    assert share_good_or_better([NOT_GRADED, None]) == Share(0, 0, None, None, None)
    assert share_good_or_better([]) == Share(0, 0, None, None, None)


def test_distribution_counts_every_grade_worst_first_then_not_graded():
    counts = distribution([G, G, O, NOT_GRADED, I, None, G])
    assert list(counts) == [I, RI, G, O, NOT_GRADED]
    assert counts == {I: 1, RI: 0, G: 3, O: 1, NOT_GRADED: 1}
    assert distribution([]) == dict.fromkeys([I, RI, G, O, NOT_GRADED], 0)


# --- moderation ---------------------------------------------------------------------------------

# Worked example: 20 audits moderated. Rows = first auditor, columns = moderator.
#
#              I   RI   G   O  | row
#        I     2    1   1   0  |  4
#        RI    1    5   2   0  |  8
#        G     0    1   3   1  |  5
#        O     0    0   1   2  |  3
#        col   3    7   7   3  | 20
#
# Exact agreement: 2 + 5 + 3 + 2 = 12 of 20 = 60%.
# More than one band apart: only the I→G cell (1 plan), so within one band = 19 of 20 = 95%.
# Quadratic weights (i−j)² (the 1/(k−1)² = 1/9 factor cancels in the ratio): 0, 1, 4, 9.
# Σ w·O = 1·1 (I,RI) + 4·1 (I,G) + 1·1 (RI,I) + 1·2 (RI,G) + 1·1 (G,RI) + 1·1 (G,O) + 1·1 (O,G) = 11
# Σ w·row·col, row by row (cols 3, 7, 7, 3):
#   I  (4): 0·3 + 1·7 + 4·7 + 9·3 = 62 → 248
#   RI (8): 1·3 + 0·7 + 1·7 + 4·3 = 22 → 176
#   G  (5): 4·3 + 1·7 + 0·7 + 1·3 = 22 → 110
#   O  (3): 9·3 + 4·7 + 1·7 + 0·3 = 62 → 186      total 720, so Σ w·E = 720 / 20 = 36
# κ = 1 − 11/36 = 25/36 = 0.694444...
WORKED = [[2, 1, 1, 0], [1, 5, 2, 0], [0, 1, 3, 1], [0, 0, 1, 2]]


def _pairs_from(matrix):
    return [(GRADES[i], GRADES[j]) for i in range(4) for j in range(4) for _ in range(matrix[i][j])]


def _kappa_by_pairs(pairs):
    """Independent route: κ_w = 1 − mean (a−b)² over the pairs ÷ mean (a−b')² over all n² crossings."""
    a = [GRADES.index(x) for x, _ in pairs]
    b = [GRADES.index(y) for _, y in pairs]
    n = len(pairs)
    observed = Fraction(sum((x - y) ** 2 for x, y in zip(a, b)), n)
    expected = Fraction(sum((x - y) ** 2 for x in a for y in b), n * n)
    return 1 - observed / expected


def test_kappa_matches_the_worked_example():
    assert quadratic_weighted_kappa(WORKED) == pytest.approx(25 / 36, abs=1e-12)
    assert _kappa_by_pairs(_pairs_from(WORKED)) == Fraction(25, 36)


def test_agreement_figures_for_the_worked_example():
    pairs = _pairs_from(WORKED)
    ids = [f"A{i:03d}" for i in range(len(pairs))]
    result = moderation_agreement(pairs, ids=ids)
    assert (result.n, result.exact, result.within_one, result.excluded) == (20, 12, 19, 0)
    assert result.exact_pct == pytest.approx(60.0)
    assert result.within_one_pct == pytest.approx(95.0)
    assert result.kappa == pytest.approx(25 / 36)
    assert not result.kappa_degenerate
    (wide,) = result.disagreements
    assert (wide.original, wide.moderated, wide.bands) == (I, G, 2)
    assert wide.id == ids[wide.index] and pairs[wide.index] == (I, G)


def test_two_grades_only_gives_cohens_textbook_kappa():
    # With two adjacent grades quadratic weights are 0/1, i.e. unweighted kappa. 50 pairs:
    # G/G 20, G/RI 5, RI/G 10, RI/RI 15 → p_o = 35/50 = 0.7;
    # first auditor G 25/50, moderator G 30/50 → p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7−0.5)/(1−0.5) = 0.4
    pairs = [(G, G)] * 20 + [(G, RI)] * 5 + [(RI, G)] * 10 + [(RI, RI)] * 15
    assert moderation_agreement(pairs).kappa == pytest.approx(0.4)


def test_perfect_agreement_is_kappa_one():
    pairs = [(g, g) for g in GRADES for _ in range(3)]
    result = moderation_agreement(pairs)
    assert result.kappa == pytest.approx(1.0)
    assert result.exact_pct == 100.0 and result.disagreements == () and not result.kappa_degenerate


def test_all_in_one_grade_is_kappa_one_by_convention_and_flagged():
    result = moderation_agreement([(G, G)] * 5)
    assert result.kappa == 1.0
    assert result.kappa_degenerate


def test_each_auditor_using_one_different_grade_is_not_degenerate():
    # Rows all G, columns all RI: Σ w·O = 4·1·4 = 16 (n-scaled), Σ w·row·col = 1·4·4 = 16 → κ = 0.
    result = moderation_agreement([(G, RI)] * 4)
    assert result.kappa == pytest.approx(0.0)
    assert not result.kappa_degenerate
    assert result.exact_pct == 0.0 and result.within_one_pct == 100.0


def test_systematic_reversal_gives_negative_kappa():
    pairs = [(I, O), (O, I), (RI, G), (G, RI)]
    result = moderation_agreement(pairs)
    assert result.kappa < 0
    assert [d.index for d in result.disagreements] == [0, 1]
    assert [d.bands for d in result.disagreements] == [3, -3]


def test_no_pairs_and_ungraded_pairs():
    empty = moderation_agreement([])
    assert (empty.n, empty.kappa, empty.exact_pct, empty.within_one_pct) == (0, None, None, None)
    result = moderation_agreement([(NOT_GRADED, G), (G, None), (G, G)])
    assert (result.n, result.excluded, result.kappa) == (1, 2, 1.0)
    assert quadratic_weighted_kappa([[0] * 4 for _ in range(4)]) is None


def test_ids_must_match_pairs():
    with pytest.raises(ValueError):
        moderation_agreement([(G, G)], ids=["a", "b"])


# --- trends -------------------------------------------------------------------------------------


def test_rolling_mean_needs_two_of_three_months_by_default():
    values = [30.0, 36.0, 42.0, None, 40.0, None, None, 50.0]
    out = rolling_mean(values)
    # i=0: one month → None; i=1: (30+36)/2 = 33; i=2: 108/3 = 36; i=3: (36+42)/2 = 39;
    # i=4: (42+40)/2 = 41; i=5: only 40 → None; i=6: only 40 → None; i=7: only 50 → None
    assert out == [None, 33.0, 36.0, 39.0, 41.0, None, None, None]
    assert rolling_mean(values, min_periods=1)[5] == 40.0
    assert rolling_mean(values, 3, min_periods=3) == [None, None, 36.0, None, None, None, None, None]
    assert rolling_mean([]) == []


def test_rolling_mean_weighted_by_n_pools_the_months():
    # % good or better 50 of 10, 25 of 40, 40 of 50 → pooled (5 + 10 + 20) / 100 = 35%
    assert rolling_mean([50.0, 25.0, 40.0], weights=[10, 40, 50])[2] == pytest.approx(35.0)
    # a month with n = 0 counts as missing
    assert rolling_mean([50.0, 0.0, 40.0], weights=[10, 0, 10])[2] == pytest.approx(45.0)
    with pytest.raises(ValueError):
        rolling_mean([1.0], weights=[1, 2])
    with pytest.raises(ValueError):
        rolling_mean([1.0], window=0)


def test_segments_break_where_the_framework_version_changes():
    values = [1, 2, 3, 4, 5, 6, 7]
    keys = [None, "v1", "v1", None, "v2", "v2", "v3"]
    segs = split_segments(values, keys)
    assert [(s.key, s.start, s.stop, s.values) for s in segs] == [
        ("v1", 0, 4, (1, 2, 3, 4)),
        ("v2", 4, 6, (5, 6)),
        ("v3", 6, 7, (7,)),
    ]
    assert split_segments([], []) == []
    assert [(s.key, s.values) for s in split_segments([1, 2], [None, None])] == [(None, (1, 2))]
    with pytest.raises(ValueError):
        split_segments([1], [])


def test_rolling_mean_restarts_in_each_segment():
    values = [30.0, 40.0, 50.0, 10.0, 20.0, 30.0]
    keys = ["v1", "v1", "v1", "v2", "v2", "v2"]
    # v1: None, 35, 40; v2 starts afresh: None, 15, 20 (never averaging 50 with 10)
    assert segmented_rolling_mean(values, keys) == [None, 35.0, 40.0, None, 15.0, 20.0]


# --- volumes and criteria -----------------------------------------------------------------------


def test_audits_target_rounds_up():
    assert audits_target(13_000) == 650
    assert audits_target(13_001) == 651  # 650.05 → 651
    assert audits_target(100, rate=0.07) == 7  # not 8 from 7.000000000000001
    assert audits_target(0) == 0
    assert audits_target(19, rate=0.05) == 1
    assert audits_target(500, rate=1) == 500
    with pytest.raises(ValueError):
        audits_target(100, rate=1.5)
    with pytest.raises(ValueError):
        audits_target(-1)


def test_round_half_up():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 2.4999, 32.5)] == [1, 2, 3, 2, 33]


def test_criteria_most_unmet_counts_below_met_and_skips_na():
    rows = [
        ("F1", 0, 3), ("F1", 1, 3), ("F1", 2, 3), ("F1", 3, 3),  # 2 unmet of 4
        ("E2", 0, 3), ("E2", 1, 3), ("E2", "na", 3), ("E2", None, 3),  # 2 unmet of 2
        ("B1", 0, 3), ("B1", 2, 3),  # 1 of 2
        ("X1", 0, 1), ("X1", 1, 1), ("X1", 0, 1),  # yes/no criterion: 2 of 3
        ("A1", 2, 3), ("A1", 3, 3),  # never unmet: not listed
    ]
    ranked = criteria_most_unmet(rows)
    assert [(c.criterion_id, c.unmet, c.rated) for c in ranked] == [
        ("E2", 2, 2), ("X1", 2, 3), ("F1", 2, 4), ("B1", 1, 2),
    ]
    assert ranked[0].pct == 100.0 and ranked[2].pct == 50.0
    assert [c.criterion_id for c in criteria_most_unmet(rows, top=2)] == ["E2", "X1"]
    assert criteria_most_unmet([]) == []
    assert math.isclose(ranked[1].pct, 200 / 3)
