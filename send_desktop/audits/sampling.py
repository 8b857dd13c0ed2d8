"""Drawing the month's audit sample from the caseload: stratified by team, reproducible from a seed.

The board's target is to audit 5% of open plans every month (issue 3, "Sampling"). Why it is
drawn this way:

- **The size is the board's target**: ``round_half_up(rate × caseload)`` plans (5% of all open
  plans), or every eligible plan when fewer are eligible. It is not the rate of the eligible
  plans: with plans audited in the last year left out, that would shrink the sample month by
  month to well under the target the report holds the partnership to.
- **Stratified by team, proportional allocation.** Each team gets its share of the sample in
  proportion to its eligible plans, so no locality is over- or under-audited by chance. Each team gets ⌊quota⌋ and the plans left over go one by
  one to the largest fractional remainders (Hamilton's method; ties to the bigger team, then the
  team name), so team counts always add up to the total and no team gets more than it has.
  A team may get 0 when its quota is below the remainders of others (a team of 1 plan at 5%).
- **Plans audited in the last 12 months are left out** before allocation: auditing the same plan
  twice a year teaches less than auditing a new one. ``recently_audited`` is either a set of plan
  references (the caller already chose them) or {plan ref: last audit date}, where a plan audited
  fewer than ``exclude_within_days`` days before ``as_of`` is left out (an audit dated after
  ``as_of`` counts as recent too).
- **Reproducible, and stable when the caseload moves.** Each plan gets a priority from a keyed
  hash of (seed, plan reference); a team's sample is its plans with the lowest priorities. So the
  same caseload and seed give the same sample in any input order, adding a team or a plan changes
  no other team's draw, and a draw of k+1 contains the draw of k. This is the per-stratum
  ``random.Random(f"{seed}:{team}")`` idea taken one step further, to per-plan keys: with a
  shuffled stratum, a single new plan in a team would reshuffle that team's whole draw.
- **Duplicate plan references** (dirty caseload lists; compared without surrounding spaces) are
  kept once, the row with the smallest (team, key stage, need, setting, issue date), whatever the
  input order, and counted in ``duplicates``.

Plan references are pseudonymous references from the caseload system, never a child's name.
"""

from __future__ import annotations

import heapq
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from hashlib import blake2b

from send_desktop.audits.stats import check_rate, round_half_up

NO_TEAM = "(no team)"
"""The stratum for caseload rows with a blank team, so they are sampled rather than dropped."""


@dataclass(frozen=True)
class CaseloadRow:
    """One open plan from the caseload list (a pseudonymous reference, never a name)."""

    plan_ref: str
    team: str | None = None
    key_stage: str | None = None
    primary_need: str | None = None
    setting: str | None = None
    issue_date: date | None = None


@dataclass(frozen=True)
class SampleResult:
    """The drawn plans (ordered by team, then reference) and how the draw was made."""

    rows: tuple[CaseloadRow, ...]
    by_team: dict[str, tuple[int, int]]  # team -> (eligible, drawn), teams in name order
    excluded_recent: int  # distinct caseload plans left out as audited in the last 12 months
    rate: float
    seed: int | str
    duplicates: int = 0  # caseload rows dropped because their plan reference came earlier
    as_of: date | None = None
    total_eligible: int = 0


def new_seed() -> int:
    """A fresh seed to store with a draw, so the same sample can be drawn again later."""
    return secrets.randbelow(10**9)


def allocate(eligible: Mapping[str, int], total: int) -> dict[str, int]:
    """Split ``total`` across strata in proportion to their sizes by largest remainder.

    Exact arithmetic (integer quotas and remainders), so a result never depends on float rounding.
    """
    size = sum(eligible.values())
    if not 0 <= total <= size:
        raise ValueError(f"cannot draw {total} from {size}")
    if size == 0:
        return {team: 0 for team in eligible}
    shares = {team: divmod(total * n, size) for team, n in eligible.items()}
    out = {team: q for team, (q, _) in shares.items()}
    left = total - sum(out.values())
    by_remainder = sorted(eligible, key=lambda t: (-shares[t][1], -eligible[t], t))
    for team in by_remainder[:left]:
        out[team] += 1
    return out


def _row_order(row: CaseloadRow) -> tuple:
    return (
        row.team or "", row.key_stage or "", row.primary_need or "", row.setting or "",
        row.issue_date or date.min, row.plan_ref,
    )


def _is_recent(audited_on: date | None, as_of: date, within_days: int) -> bool:
    if audited_on is None:  # an audit with no date: we cannot show it is old, so leave the plan out
        return True
    return (as_of - audited_on).days < within_days


def draw_sample(
    caseload: Iterable[CaseloadRow],
    *,
    rate: float = 0.05,
    seed: int | str,
    recently_audited: set[str] | Mapping[str, date | None] = frozenset(),
    as_of: date,
    exclude_within_days: int = 365,
) -> SampleResult:
    """Draw round_half_up(rate × caseload) plans (at most every eligible one), stratified by team
    (see the module notes)."""
    rate_dec = check_rate(rate)
    if exclude_within_days < 0:
        raise ValueError("exclude_within_days cannot be negative")
    # blake2b keys are limited to 64 bytes; hashing the seed text keeps any seed usable.
    seed_key = blake2b(str(seed).encode("utf-8"), digest_size=32).digest()

    if isinstance(recently_audited, Mapping):
        recent = {
            ref.strip()
            for ref, when in recently_audited.items()
            if _is_recent(when, as_of, exclude_within_days)
        }
    else:
        recent = {ref.strip() for ref in recently_audited}

    # One row per plan reference. Which duplicate survives is decided by comparing the rows, not by
    # their order, so shuffled input gives the same result without sorting all 100,000 rows.
    chosen: dict[str, CaseloadRow] = {}
    duplicates = 0
    for row in caseload:
        ref = row.plan_ref.strip()
        if not ref:
            raise ValueError("a caseload row has no plan reference")
        kept = chosen.get(ref)
        if kept is None:
            chosen[ref] = row
        else:
            duplicates += 1
            if _row_order(row) < _row_order(kept):
                chosen[ref] = row

    base = blake2b(key=seed_key, digest_size=8)
    strata: dict[str, list[tuple[bytes, str, CaseloadRow]]] = {}
    excluded_recent = 0
    for ref, row in chosen.items():
        stratum = strata.setdefault(row.team or NO_TEAM, [])
        if ref in recent:
            excluded_recent += 1
            continue
        h = base.copy()  # copying a keyed hash is cheaper than keying a new one per plan
        h.update(ref.encode("utf-8"))
        stratum.append((h.digest(), ref, row))

    eligible = {team: len(plans) for team, plans in sorted(strata.items())}
    total_eligible = sum(eligible.values())
    total = min(round_half_up(rate_dec * Decimal(len(chosen))), total_eligible)
    quota = allocate(eligible, total)

    drawn: list[CaseloadRow] = []
    by_team: dict[str, tuple[int, int]] = {}
    for team, n in eligible.items():
        k = quota[team]
        picked = heapq.nsmallest(k, strata[team]) if k < n else strata[team]
        drawn.extend(row for _, _, row in sorted(picked, key=lambda p: p[1]))
        by_team[team] = (n, k)

    return SampleResult(
        rows=tuple(drawn),
        by_team=by_team,
        excluded_recent=excluded_recent,
        rate=rate,
        seed=seed,
        duplicates=duplicates,
        as_of=as_of,
        total_eligible=total_eligible,
    )
