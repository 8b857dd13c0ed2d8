"""The monthly audit sample: the right number per team, reproducible, never a recently audited plan."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from send_desktop.audits.sampling import NO_TEAM, CaseloadRow, allocate, draw_sample

AS_OF = date(2026, 11, 1)


def caseload(teams: dict[str, int], prefix: str = "P") -> list[CaseloadRow]:
    rows = []
    for team, count in teams.items():
        for i in range(count):
            rows.append(CaseloadRow(f"{prefix}-{team[:1]}{i:06d}", team, "KS2", "ASD", "Mainstream", date(2024, 1, 1)))
    return rows


COUNTY = {"North": 4_100, "South": 3_900, "East": 2_700, "West": 2_300}  # 13,000 plans


def refs(result) -> list[str]:
    return [r.plan_ref for r in result.rows]


def test_thirteen_thousand_plans_at_five_percent_is_650_split_by_team():
    result = draw_sample(caseload(COUNTY), seed=42, as_of=AS_OF)
    assert len(result.rows) == 650
    assert result.total_eligible == 13_000
    # 5% of each team is whole here: 205, 195, 135, 115
    assert result.by_team == {"East": (2700, 135), "North": (4100, 205), "South": (3900, 195), "West": (2300, 115)}
    assert sum(drawn for _, drawn in result.by_team.values()) == len(result.rows)
    for team, (_, drawn) in result.by_team.items():
        assert sum(r.team == team for r in result.rows) == drawn
    assert len(set(refs(result))) == 650
    assert (result.rate, result.seed, result.excluded_recent, result.duplicates) == (0.05, 42, 0, 0)


def test_largest_remainder_allocation_adds_up():
    # 10% of 37 plans = 3.7 → 4. Quotas 4·20/37 = 2.16, 4·11/37 = 1.19, 4·6/37 = 0.65:
    # floors 2, 1, 0 (3 of 4); the one left goes to the largest remainder, C (0.65).
    result = draw_sample(caseload({"A": 20, "B": 11, "C": 6}), rate=0.1, seed=1, as_of=AS_OF)
    assert result.by_team == {"A": (20, 2), "B": (11, 1), "C": (6, 1)}
    assert allocate({"A": 1, "B": 1}, 1) == {"A": 1, "B": 0}  # tie: bigger team, then name
    assert allocate({"A": 1, "B": 2}, 1) == {"A": 0, "B": 1}
    assert allocate({}, 0) == {}
    with pytest.raises(ValueError):
        allocate({"A": 1}, 2)


def test_allocation_sums_to_the_total_for_many_random_shapes():
    rng = random.Random(7)
    for _ in range(300):
        sizes = {f"T{i}": rng.randint(0, 50) for i in range(rng.randint(1, 8))}
        size = sum(sizes.values())
        total = rng.randint(0, size)
        quota = allocate(sizes, total)
        assert sum(quota.values()) == total
        for team, n in sizes.items():
            exact = total * n / size if size else 0
            assert int(exact) <= quota[team] <= min(n, int(exact) + 1)


def test_same_seed_same_draw_different_seed_different_draw():
    rows = caseload(COUNTY)
    first = draw_sample(rows, seed=2026, as_of=AS_OF)
    again = draw_sample(rows, seed=2026, as_of=AS_OF)
    other = draw_sample(rows, seed=2027, as_of=AS_OF)
    text_seed = draw_sample(rows, seed="November 2026", as_of=AS_OF)
    assert refs(first) == refs(again)
    assert set(refs(first)) != set(refs(other))
    assert len(set(refs(first)) & set(refs(other))) < 100  # about 5% of 650 expected by chance
    assert set(refs(text_seed)) not in (set(refs(first)), set(refs(other)))


def test_input_order_does_not_matter():
    rows = caseload({"North": 300, "South": 200})
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert draw_sample(rows, seed=9, as_of=AS_OF) == draw_sample(shuffled, seed=9, as_of=AS_OF)
    assert draw_sample(reversed(rows), seed=9, as_of=AS_OF) == draw_sample(rows, seed=9, as_of=AS_OF)


def test_adding_a_team_or_a_plan_leaves_other_draws_alone():
    base = caseload({"North": 400, "South": 400})
    before = draw_sample(base, seed=5, as_of=AS_OF)
    more = base + caseload({"West": 400}, prefix="W")
    after = draw_sample(more, seed=5, as_of=AS_OF)
    for team in ("North", "South"):
        assert [r for r in after.rows if r.team == team] == [r for r in before.rows if r.team == team]
    # one more North plan: North's sample grows at most by one, keeping what it had
    bigger = draw_sample(base + [CaseloadRow("P-N999999", "North")], rate=0.5, seed=5, as_of=AS_OF)
    smaller = draw_sample(base, rate=0.5, seed=5, as_of=AS_OF)
    north = lambda res: {r.plan_ref for r in res.rows if r.team == "North"}
    assert north(smaller) <= north(bigger)  # North quota 200 → 201: a draw of k+1 holds the draw of k


def test_recently_audited_plans_are_never_drawn():
    rows = caseload({"North": 100, "South": 100})
    recent = {r.plan_ref for r in rows[::2]}  # half of every team
    for seed in range(20):
        result = draw_sample(rows, rate=1.0, seed=seed, recently_audited=recent, as_of=AS_OF)
        assert not recent & set(refs(result))
        assert len(result.rows) == 100 and result.excluded_recent == 100
        assert result.by_team == {"North": (50, 50), "South": (50, 50)}


def test_audit_dates_leave_out_only_the_last_twelve_months():
    rows = caseload({"North": 4})
    a, b, c, d = (r.plan_ref for r in rows)
    audited = {
        a: AS_OF - timedelta(days=364),  # within 12 months: out
        b: AS_OF - timedelta(days=365),  # a full year ago: back in
        c: AS_OF + timedelta(days=3),  # dated after as_of: counts as recent
        "NOT-IN-CASELOAD": AS_OF,  # closed plan: does not count as excluded
    }
    result = draw_sample(rows, rate=1.0, seed=0, recently_audited=audited, as_of=AS_OF)
    assert set(refs(result)) == {b, d}
    assert result.excluded_recent == 2
    shorter = draw_sample(rows, rate=1.0, seed=0, recently_audited=audited, as_of=AS_OF, exclude_within_days=30)
    assert set(refs(shorter)) == {a, b, d}


def test_empty_caseload():
    result = draw_sample([], seed=1, as_of=AS_OF)
    assert result.rows == () and result.by_team == {} and result.total_eligible == 0


def test_rate_zero_and_one():
    rows = caseload({"North": 30, "South": 10})
    assert draw_sample(rows, rate=0, seed=1, as_of=AS_OF).rows == ()
    everything = draw_sample(rows, rate=1, seed=1, as_of=AS_OF)
    assert sorted(refs(everything)) == sorted(r.plan_ref for r in rows)
    assert everything.by_team == {"North": (30, 30), "South": (10, 10)}
    with pytest.raises(ValueError):
        draw_sample(rows, rate=1.01, seed=1, as_of=AS_OF)
    with pytest.raises(ValueError):
        draw_sample(rows, rate=-0.1, seed=1, as_of=AS_OF)


def test_a_team_with_one_plan():
    # 5% of 401 = 20.05 → 20; Big's quota 20·400/401 = 19.95 → 19 + remainder 0.95 → 20;
    # Tiny's quota 0.0499 → 0. At 50%: 200.5 → 201, Tiny's remainder 0.5012 beats Big's 0.4988.
    rows = caseload({"Big": 400, "Tiny": 1})
    assert draw_sample(rows, seed=1, as_of=AS_OF).by_team == {"Big": (400, 20), "Tiny": (1, 0)}
    assert draw_sample(rows, rate=0.5, seed=1, as_of=AS_OF).by_team == {"Big": (400, 200), "Tiny": (1, 1)}
    only = draw_sample(caseload({"Tiny": 1}), rate=0.5, seed=1, as_of=AS_OF)  # 0.5 rounds half up to 1
    assert only.by_team == {"Tiny": (1, 1)} and len(only.rows) == 1


def test_duplicates_and_blank_teams():
    rows = [
        CaseloadRow("R1", "North"),
        CaseloadRow("R1 ", "South"),  # same plan, stray space: kept once (North sorts first)
        CaseloadRow("R2", None),
        CaseloadRow("R3", ""),
    ]
    result = draw_sample(rows, rate=1, seed=1, as_of=AS_OF)
    assert result.duplicates == 1
    assert result.by_team == {NO_TEAM: (2, 2), "North": (1, 1)}
    assert draw_sample(rows[::-1], rate=1, seed=1, as_of=AS_OF) == result  # same survivor either way
    with pytest.raises(ValueError):
        draw_sample([CaseloadRow("  ", "North")], seed=1, as_of=AS_OF)


def test_rows_come_back_by_team_then_reference():
    result = draw_sample(caseload({"South": 50, "North": 50}), rate=0.2, seed=4, as_of=AS_OF)
    keys = [(r.team, r.plan_ref) for r in result.rows]
    assert keys == sorted(keys)


def test_the_sample_is_the_target_share_of_the_whole_caseload_drawn_from_the_eligible():
    plans = caseload({"North": 60, "South": 40})
    recent = {r.plan_ref: AS_OF - timedelta(days=30) for r in plans[:50]}  # half the caseload audited lately
    result = draw_sample(plans, rate=0.1, seed=7, recently_audited=recent, as_of=AS_OF)
    # 10% of 100 plans is 10, not 10% of the 50 still eligible: the board's target is of the caseload.
    assert len(result.rows) == 10 and result.total_eligible == 50 and result.excluded_recent == 50
    assert not set(refs(result)) & set(recent)
    everything = draw_sample(plans, rate=0.9, seed=7, recently_audited=recent, as_of=AS_OF)
    assert len(everything.rows) == 50  # never more than are eligible
