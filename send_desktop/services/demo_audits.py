"""A year of EHCP quality audits for the fictional demo partnership, at any size.

What it makes, so the report page has something true to show: a caseload of open plans (plan
references only, never names) spread over five teams; each month a 5% sample is audited by a
mix of agencies; quality improves over the year (the share good or better climbs from about a
fifth towards the 40% target), provision (section F) lags behind the rest, about a third of
plans have no health or social care needs, some audits are moderated by a second auditor, and
the latest month is still being worked through (drafts). Seeded: the same arguments give the
same audits.
"""

from __future__ import annotations

import datetime as dt
import random

from send_desktop.audits.default_framework import default_framework
from send_desktop.services.audit_edit import _grade_moderation, apply_grading, insert_new_actions, month_of
from send_desktop.services.audit_frameworks import ensure_default_framework

TEAMS = ("Harwick Central", "Harwick South", "Dales North", "Dales West", "Post-16 and transitions")
AUDITORS = (  # (name, agency)
    ("Imogen Hale", "SEND casework"), ("Tomasz Wierzbicki", "SEND casework"), ("Grace Achterberg", "Education"),
    ("Kwame Osei", "Educational psychology"), ("Dr Hannah Lyle", "Health"), ("Rosa Delgado", "Social care"),
    ("Bethany Crowther", "SEND casework"), ("Marcus Fenwick", "Education"),
)
MODERATORS = ("Ayesha Rahman", "Owen Pritchard")
PLAN_TYPES = (("annual review", 0.55), ("new", 0.25), ("amended", 0.12), ("phase transfer", 0.08))
KEY_STAGES = (("Early years", 0.08), ("KS1", 0.14), ("KS2", 0.27), ("KS3", 0.22), ("KS4", 0.16), ("Post-16", 0.13))
NEEDS = (("Autistic spectrum disorder", 0.33), ("Social, emotional and mental health", 0.19),
         ("Speech, language and communication needs", 0.17), ("Moderate learning difficulty", 0.1),
         ("Severe learning difficulty", 0.07), ("Specific learning difficulty", 0.04),
         ("Physical disability", 0.04), ("Hearing impairment", 0.02), ("Visual impairment", 0.01),
         ("Profound and multiple learning difficulty", 0.03))
SETTINGS = (("Mainstream primary", 0.31), ("Mainstream secondary", 0.22), ("Special school", 0.27),
            ("Further education college", 0.1), ("Independent specialist", 0.06), ("Early years setting", 0.04))
CASELOAD = 1300
RATE = 0.05
#: How far each section sits from the plan's overall quality (provision lags, views lead).
SECTION_BIAS = {"A": 0.35, "B": 0.1, "C": 0.2, "D": 0.1, "E": -0.1, "F": -0.45, "G": -0.1, "H": -0.2,
                "I": 0.5, "J": 0.3, "K": 0.4, "X": -0.15}


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def demo_caseload(n: int = CASELOAD, today: dt.date | None = None, seed: int = 2025) -> list[dict]:
    rng = random.Random(seed)
    today = today or dt.date.today()
    rows = []
    for i in range(n):
        rows.append({"plan_ref": f"HD-{100000 + i * 7:06d}", "team": TEAMS[rng.randrange(len(TEAMS))],
                     "key_stage": _pick(rng, KEY_STAGES), "primary_need": _pick(rng, NEEDS),
                     "setting_type": _pick(rng, SETTINGS),
                     "issue_date": today - dt.timedelta(days=rng.randrange(30, 365 * 8))})
    return rows


def _value(rng: random.Random, quality: float, maximum: int) -> int:
    return max(0, min(maximum, round(quality + rng.gauss(0, 0.55))))


def _ratings(rng: random.Random, fw, quality: float, no_needs: set[str]) -> tuple[dict, dict]:
    ratings, reasons = {}, {}
    for s in fw.sections:
        bias = SECTION_BIAS.get(s.code, 0.0)
        for c in s.criteria:
            if s.code in no_needs and c.no_needs_role == "needs_dependent":
                continue
            if s.na_allowed and s.code == "J" and rng.random() < 0.6:
                ratings[c.id], reasons[c.id] = "na", "No personal budget was requested"
                continue
            ratings[c.id] = _value(rng, quality + bias, c.max)
    return ratings, reasons


def _months(today: dt.date, count: int) -> list[tuple[int, int]]:
    y, m = today.year, today.month
    out = []
    for _ in range(count):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def load_demo_audits(db, today: dt.date | None = None, months: int = 12, caseload: int = CASELOAD,
                     seed: int = 2025) -> int:
    """Add the caseload and `months` months of audits (up to `today`); returns the number of audits."""
    from send_desktop.storage.models import Audit, CaseloadPlan, Moderation

    today = today or dt.date.today()
    rng = random.Random(seed)
    framework_id = ensure_default_framework(db, source="demo data")
    fw = default_framework()
    plans = demo_caseload(caseload, today, seed)
    per_month = max(1, round(caseload * RATE))
    count = 0
    pending: list = []  # the actions the audits raise, written in one go (apply_grading)
    with db.session("demo data") as s:
        s.add_all(CaseloadPlan(**p) for p in plans)
        for index, (year, month) in enumerate(_months(today, months)):
            progress = index / max(1, months - 1)
            latest = (year, month) == (today.year, today.month)
            done = per_month + rng.randrange(-per_month // 5, per_month // 8 + 1)  # at, under or over target
            last_day = today.day if latest else (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
            if latest:
                done = max(1, round(done * today.day / 31))
            for plan in rng.sample(plans, done):
                day = dt.date(year, month, rng.randint(1, last_day))
                auditor, agency = AUDITORS[rng.randrange(len(AUDITORS))]
                quality = rng.gauss(1.7 + 0.35 * progress, 0.4)
                no_needs = {code for code, p in (("C", 0.3), ("D", 0.4)) if rng.random() < p}
                ratings, reasons = _ratings(rng, fw, quality, no_needs)
                draft = latest and rng.random() < 0.45
                audit = Audit(framework_id=framework_id, plan_ref=plan["plan_ref"], plan_type=_pick(rng, PLAN_TYPES),
                              plan_issue_date=plan["issue_date"], team=plan["team"], key_stage=plan["key_stage"],
                              primary_need=plan["primary_need"], setting_type=plan["setting_type"], auditor=auditor,
                              agency=agency, audit_date=day, month=month_of(day),
                              status="draft" if draft else "submitted", ratings=ratings, na_reasons=reasons,
                              comments={}, no_needs=sorted(no_needs), critical_concern=rng.random() < 0.01,
                              caps=[], section_results={}, unmet=[])
                apply_grading(s, audit, fw, new_actions=pending)
                s.add(audit)
                count += 1
                if not draft and not latest and rng.random() < 0.1:
                    moderator = MODERATORS[rng.randrange(len(MODERATORS))]
                    shifted = {k: (v if v == "na" else max(0, min(3, v + rng.choice((-1, 0, 0, 0, 1)))))
                               for k, v in ratings.items()}
                    m = Moderation(moderator=moderator,
                                   moderation_date=day + dt.timedelta(days=rng.randint(3, 20)), blind=True,
                                   status="complete", ratings=shifted, na_reasons=dict(reasons), comments={},
                                   no_needs=sorted(no_needs), critical_concern=audit.critical_concern,
                                   section_results={})
                    audit.moderation = m
                    _grade_moderation(s, m, audit, fw)
                    audit.status = "moderated"
                    audit.reported_grade = m.grade
        s.flush()
        # Older audits' improvement actions are mostly done by now.
        for audit, values in pending:
            age = (today - audit.audit_date).days
            if age > 45 and rng.random() < min(0.9, age / 300):
                values["status"] = "done"
        insert_new_actions(s, pending)
    return count
