"""How long one re-grade takes: the live grade is recomputed after every key press on the form.

    python bench/bench_audit_grading.py [N]

Grades N (default 10,000) random audits of the default framework (about 1 in 10 ratings N/A
where allowed, 1 in 20 missing, "no needs" on C, D and the advices at random) and prints the
median and 99th percentile per grading, plus the same with the explanation text built. The
budget is 5 ms per grading (issue 3, "Scale"). Exits 1 if the median is over budget.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_MS = 5.0


def random_audits(fw, n: int, seed: int = 20250601):
    rng = random.Random(seed)
    markable = [s.code for s in fw.sections if s.accepts_no_needs]
    audits = []
    for _ in range(n):
        ratings = {}
        for s in fw.sections:
            for c in s.criteria:
                roll = rng.random()
                if roll < 0.05:
                    continue
                ratings[c.id] = "na" if s.na_allowed and roll < 0.15 else rng.randint(0, c.max)
        no_needs = {code for code in markable if rng.random() < 0.3}
        audits.append((ratings, no_needs, rng.random() < 0.02))
    return audits


def main(argv: list[str]) -> int:
    from send_desktop.audits.default_framework import default_framework
    from send_desktop.audits.grading import grade

    n = int(argv[0]) if argv else 10_000
    fw = default_framework()
    audits = random_audits(fw, n)
    grade(fw, *audits[0])  # first call prepares the framework (once per framework)
    times, with_text = [], []
    for ratings, no_needs, critical in audits:
        start = time.perf_counter()
        grade(fw, ratings, no_needs, critical)
        times.append(time.perf_counter() - start)
    for ratings, no_needs, critical in audits[: min(n, 1000)]:
        start = time.perf_counter()
        grade(fw, ratings, no_needs, critical).formula()
        with_text.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    p99 = sorted(times)[int(len(times) * 0.99) - 1] * 1000
    print(f"{n} gradings of the default framework ({sum(len(s.criteria) for s in fw.sections)} criteria)")
    print(f"  grade():            median {median:.3f} ms, 99th percentile {p99:.3f} ms (budget {BUDGET_MS} ms)")
    print(f"  grade().formula():  median {statistics.median(with_text) * 1000:.3f} ms")
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
