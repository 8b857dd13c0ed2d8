"""How long the monthly audit sample takes from a regional caseload: 100,000 plans in 12 teams.

    python bench/bench_audit_sampling.py

Prints the median of 5 runs. The budget is 0.5 s for draw_sample with 8,000 plans audited in the
last year (given as {plan ref: audit date}). Beside it, for comparison in the same run, the
simpler per-team ``random.Random(f"{seed}:{team}").sample`` draw it was preferred to (see
send_desktop/audits/sampling.py for why).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from send_desktop.audits.sampling import CaseloadRow, allocate, draw_sample
from send_desktop.audits.stats import round_half_up

RUNS = 5
BUDGET = 0.5
PLANS = 100_000
TEAMS = [f"Locality {i:02d}" for i in range(12)]


def median_time(step, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_team_random_sample(rows, rate, seed):
    """The baseline: one random.Random per team, sample from the team's sorted references."""
    strata: dict[str, list[str]] = {}
    for row in rows:
        strata.setdefault(row.team, []).append(row.plan_ref)
    eligible = {t: len(v) for t, v in sorted(strata.items())}
    quota = allocate(eligible, round_half_up(rate * sum(eligible.values())))
    out = []
    for team, plans in strata.items():
        plans.sort()
        out.extend(random.Random(f"{seed}:{team}").sample(plans, quota[team]))
    return out


def main() -> int:
    rng = random.Random(1)
    as_of = date(2026, 11, 1)
    rows = [
        CaseloadRow(f"EHC-{i:07d}", rng.choice(TEAMS), rng.choice(["KS1", "KS2", "KS3", "KS4", "Post-16"]),
                    rng.choice(["ASD", "SEMH", "SLCN", "MLD"]), rng.choice(["Mainstream", "Special"]),
                    date(2015, 1, 1) + timedelta(days=rng.randrange(3650)))
        for i in range(PLANS)
    ]
    rng.shuffle(rows)
    audited = {f"EHC-{rng.randrange(PLANS):07d}": as_of - timedelta(days=rng.randrange(500)) for _ in range(10_000)}

    result = draw_sample(rows, seed=2026, recently_audited=audited, as_of=as_of)
    ours = median_time(lambda: draw_sample(rows, seed=2026, recently_audited=audited, as_of=as_of))
    baseline = median_time(lambda: per_team_random_sample(rows, 0.05, 2026))

    print(f"caseload {PLANS:,} plans, {len(TEAMS)} teams; {result.excluded_recent:,} audited in the last year")
    print(f"drawn {len(result.rows):,} of {result.total_eligible:,} eligible at 5%")
    print(f"draw_sample (keyed per-plan priorities)  {ours * 1000:7.1f} ms   budget {BUDGET * 1000:.0f} ms")
    print(f"baseline per-team Random.sample          {baseline * 1000:7.1f} ms   (no exclusions, no dedupe)")
    ok = ours < BUDGET
    print("PASS" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
