"""The caseload (the open plans audits are sampled from) and each month's drawn sample.

The caseload holds plan references with team, key stage, primary need, setting type and issue
date: never a child's name. A new caseload list replaces the old one (`apply_caseload`): plans
on the list are added or brought up to date, plans no longer on it are closed and removed.

`draw_month_sample` draws with `audits.sampling.draw_sample` (stratified by team, leaving out
plans audited in the 12 months before the month starts, seeded) and stores the rate, the seed,
the caseload size and the drawn references, so the same draw can be made again and checked.
By default the draw is "as of" the first day of the month, so drawing June's sample in May or
in mid-June gives the same plans from the same caseload and audits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import NamedTuple

from send_desktop.audits.sampling import CaseloadRow, draw_sample, new_seed
from send_desktop.errors import BadInputError, UserError

FIELDS = ("plan_ref", "team", "key_stage", "primary_need", "setting_type", "issue_date")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


class SampleRecord(NamedTuple):
    id: int
    month: str
    rate: float
    seed: int
    caseload_size: int
    plan_refs: list[str]
    drawn_at: dt.datetime


class CaseloadCounts(NamedTuple):
    created: int
    updated: int
    unchanged: int
    removed: int


def _date(text):
    return dt.date.fromisoformat(text[:10]) if text else None


def caseload_rows(db) -> list[CaseloadRow]:
    """Every plan on the caseload, by reference."""
    with db.reading() as con:
        return [CaseloadRow(r[0], r[1] or None, r[2] or None, r[3] or None, r[4] or None, _date(r[5]))
                for r in con.execute("SELECT plan_ref, team, key_stage, primary_need, setting_type, issue_date "
                                     "FROM caseload_plan ORDER BY plan_ref")]


def apply_caseload(session, rows: Iterable[dict], replace: bool = True, flush: bool = True) -> CaseloadCounts:
    """Bring the caseload in `session` to `rows` (dicts of FIELDS, one per plan reference) through
    the ORM, so the change log records it. With `replace`, plans not in `rows` are removed.
    Without `flush` nothing reaches the file until the caller flushes (a dry run of a read-only one)."""
    from sqlalchemy import select

    from send_desktop.storage.models import CaseloadPlan

    existing = {p.plan_ref: p for p in session.scalars(select(CaseloadPlan))}
    created = updated = unchanged = 0
    seen = set()
    for row in rows:
        ref = row["plan_ref"]
        seen.add(ref)
        plan = existing.get(ref)
        if plan is None:
            session.add(CaseloadPlan(**{k: row.get(k, "" if k != "issue_date" else None) for k in FIELDS}))
            created += 1
            continue
        changed = False
        for key in FIELDS[1:]:
            value = row.get(key, "" if key != "issue_date" else None)
            if getattr(plan, key) != value:
                setattr(plan, key, value)
                changed = True
        updated += changed
        unchanged += not changed
    removed = 0
    if replace:
        for ref, plan in existing.items():
            if ref not in seen:
                session.delete(plan)
                removed += 1
    if flush:
        session.flush()
    return CaseloadCounts(created, updated, unchanged, removed)


def _month(month: str) -> dt.date:
    m = _MONTH.fullmatch(str(month).strip())
    if not m:
        raise BadInputError(f"'{month}' is not a month; write it as YYYY-MM (e.g. 2025-06)")
    return dt.date(int(m[1]), int(m[2]), 1)


def draw_month_sample(db, month: str, rate: float | None = None, seed: int | None = None,
                      as_of: dt.date | None = None, source: str = "audit sample") -> int:
    """Draw and store `month`'s sample ("YYYY-MM"); returns the id of the stored sample.

    `rate` defaults to the file's sample rate (5% unless set), `seed` to a fresh one (stored, so
    the draw can be repeated), `as_of` to the first day of the month."""
    from send_desktop.services.audit_settings import audit_settings
    from send_desktop.storage.models import AuditSample

    first = _month(month)
    rate = audit_settings(db).sample_rate if rate is None else rate
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
        raise BadInputError(f"the sample rate must be above 0 and at most 1 (5% is 0.05), not {rate!r}")
    if seed is None:
        seed = new_seed()
    elif isinstance(seed, bool) or not isinstance(seed, int) or not -2**63 <= seed < 2**63:
        raise BadInputError(f"the seed must be a whole number, not {seed!r}")
    caseload = caseload_rows(db)
    if not caseload:
        raise UserError("There is no caseload to draw a sample from: import the caseload list first.")
    with db.reading() as con:
        recent = {ref: _date(day) for ref, day in con.execute(
            "SELECT plan_ref, max(audit_date) FROM audit GROUP BY plan_ref")}
    result = draw_sample(caseload, rate=rate, seed=seed, recently_audited=recent, as_of=as_of or first)
    with db.session(source) as s:
        sample = AuditSample(month=first.strftime("%Y-%m"), rate=float(rate), seed=seed, caseload_size=len(caseload),
                             plan_refs=[r.plan_ref for r in result.rows])
        s.add(sample)
        s.flush()
        return sample.id


def sample_for_month(db, month: str) -> SampleRecord | None:
    """The latest sample drawn for `month`, or None."""
    key = _month(month).strftime("%Y-%m")
    with db.reading() as con:
        r = con.execute("SELECT id, month, rate, seed, caseload_size, plan_refs, drawn_at FROM audit_sample "
                        "WHERE month=? ORDER BY id DESC LIMIT 1", (key,)).fetchone()
    if r is None:
        return None
    return SampleRecord(r[0], r[1], r[2], r[3], r[4], json.loads(r[5] or "[]"), dt.datetime.fromisoformat(r[6]))
