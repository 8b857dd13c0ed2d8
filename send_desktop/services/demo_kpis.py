"""The demo partnership's KPI set: about thirty measures with several years of values.

Modelled on the KPI tables English SEND boards keep (a reference per priority such as "2a (ii)",
a responsible officer, a frequency, targets per year, statistical-neighbour and national
comparators), with their untidiness kept: values and targets in words ("tbc", "Not available",
"Baseline March 2023", "Very good / good 61%"), a district that reported nothing for years, a
measure whose first year's target waits for a baseline.

Published figures are reused as facts, relabelled to the demo's districts: the count of EHCPs
by area for 2017-2024 and the 84.7% of plans issued within 20 weeks against a 90% target and
a 67% national average. Everything else is invented, seeded, and anchored to `today` so the
monthly series always end last month. The EHCP audit measures are read from the demo's own
audits when they are there, so the KPI table and the audit report agree.
"""

from __future__ import annotations

import datetime as dt
import random

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import ACADEMIC_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, last_complete, parse_period, period_of
from send_desktop.storage.models import Kpi, KpiComparator, KpiTarget, KpiValue

PERFORMANCE = "Head of Performance and Intelligence"
STATUTORY = "Head of SEND Statutory Services"
DCO = "Designated Clinical Officer"
DSCO = "Designated Social Care Officer"
ND_LEAD = "Neurodevelopmental Pathway Programme Lead"
QA = "SEND Quality Assurance Auditor"
PARTNERSHIP = "SEND Partnership Manager"
COMMISSIONING = "Head of Joint Commissioning (Children)"
PFA = "Head of Post-16 and Preparing for Adulthood"
DEMO_SOURCE = "Demo figure, fictional"
PUBLISHED_2018 = "National and neighbour averages for 2017/18, as published"

#: EHCPs maintained, by year: published figures for three areas, relabelled to demo districts.
EHCP_COUNTS = {
    "Harwick": (3358, 5724, 7042, 7287, 8085, 8691, 9803, 11258),
    "Dalesford": (553, 720, 858, 1021, 1206, 1249, 1312, 1462),
    "Fellbeck": (529, 752, 821, 895, 992, 1054, 1174, 1322),
}
EHCP_YEARS = tuple(range(2017, 2025))
MARROWBY_2024 = 2196  # counted only from 2024, when its plans came under the partnership's records


def pct1(v: float) -> str:
    return f"{v:.1f}%"


def pct(v: float) -> str:
    return f"{v:.0f}%"


def count(v: float) -> str:
    return f"{round(v):,}"


def weeks(v: float) -> str:
    return f"{round(v)} weeks"


def _series(rng: random.Random, periods, shape, noise: float, fmt, lo=0.0, hi=100.0):
    """One value per period as (period text, text): a path through the `shape` levels, spread
    evenly over the periods, with noise."""
    n, legs = len(periods), len(shape) - 1
    out = []
    for i, p in enumerate(periods):
        at = legs * i / (n - 1) if n > 1 else legs
        leg = min(int(at), legs - 1)
        v = shape[leg] + (shape[leg + 1] - shape[leg]) * (at - leg) + rng.gauss(0, noise)
        out.append((p.text, fmt(min(hi, max(lo, v)))))
    return out


def _run(kind: str, today: dt.date, n: int):
    last = last_complete(kind, today)
    return [last.shifted(i - n + 1) for i in range(n)]


def _fy_targets(values, texts) -> list[tuple[str, str]]:
    """Targets by financial year over the years the values span (and the current one), taking
    `texts` in order; the last text carries on."""
    ends = [parse_period(p).end for p, _ in values]
    years = [period_of(FINANCIAL_YEAR, ends[0])]
    while years[-1].end < ends[-1] or len(years) < 2:
        years.append(years[-1].shifted(1))
    return [(y.text, texts[min(i, len(texts) - 1)]) for i, y in enumerate(years)]


def _with_text(values, index: int, text: str):
    values = list(values)
    values[index] = (values[index][0], text)
    return values


def _audit_months(db, today: dt.date):
    """(month, audits done, good or better) from the demo's audits, complete months only."""
    this_month = today.strftime("%Y-%m")
    with db.reading() as con:
        rows = con.execute(
            "SELECT month, count(*), sum(reported_grade IN ('Outstanding', 'Good')) FROM audit "
            "WHERE status != 'draft' AND month < ? GROUP BY month ORDER BY month", (this_month,)).fetchall()
        caseload = con.execute("SELECT count(*) FROM caseload_plan").fetchone()[0]
    return rows, caseload


def demo_kpi_specs(db, today: dt.date, seed: int = 2025) -> list[dict]:
    """The KPI set as plain dicts (ref, measure, ..., values, targets, comparators)."""
    rng = random.Random(seed)
    months = _run(MONTH, today, 42)
    quarters = _run(QUARTER, today, 12)
    years = _run(FINANCIAL_YEAR, today, 5)
    school_years = _run(ACADEMIC_YEAR, today, 5)
    specs: list[dict] = []

    def add(ref, measure, officer, frequency, unit, direction, priority, values, targets=(), comparators=(),
            tolerance=None, notes=""):
        specs.append(dict(ref=ref, measure=measure, officer=officer, frequency=frequency, unit=unit,
                          direction=direction, priority=priority, values=list(values), targets=list(targets),
                          comparators=list(comparators), tolerance=tolerance, notes=notes))

    # Priority 1: a shared picture of need, and commissioning the places it shows are missing.
    demand = "A measure of demand: a rise means more pressure on assessment and provision, not worse practice."
    for numeral, (district, figures) in zip(("i", "ii", "iii"), EHCP_COUNTS.items()):
        add(f"1a ({numeral})", f"EHCPs maintained for children and young people living in {district}", PERFORMANCE,
            "annual", "count", "lower", "1", [(str(y), count(n)) for y, n in zip(EHCP_YEARS, figures)], notes=demand)
    add("1a (iv)", "EHCPs maintained for children and young people living in Marrowby", PERFORMANCE, "annual",
        "count", "lower", "1", [(str(y), "no data") for y in EHCP_YEARS[:-1]] + [("2024", count(MARROWBY_2024))],
        notes="Marrowby's plans were held under separate commissioning arrangements until 2024, so no count "
              "was kept for the partnership before then.")
    totals = [sum(f[i] for f in EHCP_COUNTS.values()) for i in range(len(EHCP_YEARS))]
    add("1a (v)", "EHCPs maintained in Harwick, Dalesford and Fellbeck together", PERFORMANCE, "annual", "count",
        "lower", "1", [(str(y), count(n)) for y, n in zip(EHCP_YEARS, totals)],
        notes=demand + " Marrowby is left out so the years compare like with like.")
    mainstream = _series(rng, school_years, (40, 46), 0.8, pct)
    add("1b", "Children and young people with an EHCP taught in a mainstream school", PERFORMANCE, "annual", "%",
        "higher", "1", mainstream, [(p, t) for (p, _), t in zip(mainstream, ("42%", "44%", "46%", "48%", "50%"))],
        [("Statistical neighbours", "55%", dt.date(2018, 3, 31), PUBLISHED_2018),
         ("National", "50.9%", dt.date(2018, 3, 31), PUBLISHED_2018)], tolerance=2)
    places = [(p.text, t) for p, t in zip(years, ("31", "48", "96", "141", "158"))]
    add("1c", "New specialist and resourced school places opened for children with an EHCP", COMMISSIONING,
        "annual", "count", "higher", "1", places, [(years[-2].text, "150"), (years[-1].text, "265")])
    halves = [p for p in months if p.end.month in (3, 9)]
    training = _series(rng, halves, (150, 260), 12, count, 0, 10_000)
    add("1d", "School and college staff trained in youth mental health first aid", PARTNERSHIP, "6-monthly",
        "count", "higher", "1", training, _fy_targets(training, ("174", "250", "300")))

    # Priority 2: assessments, plans and reviews on time and good.
    add("2a (i)", "New EHCPs issued within 20 weeks, excluding exceptions (published yearly figure)", STATUTORY,
        "annual", "%", "higher", "2",
        [("2017/18", "84.7%"), ("2018/19", "79.2%"), ("2019/20", "71.5%"), ("2020/21", "63.0%"),
         ("2021/22", "55.4%"), ("2022/23", "41.8%"), ("2023/24", "33.6%"), ("2024/25", "38.9%")],
        [("2018/19", "90%"), ("2019/20", "90%"), ("2020/21", "No target set while services recovered"),
         ("2021/22", "No target set while services recovered"), ("2022/23", "Baseline to be agreed"),
         ("2023/24", "60%"), ("2024/25", "60%")],
        [("Statistical neighbours", "Available May 19", None, PUBLISHED_2018),
         ("National", "67%", dt.date(2018, 3, 31), PUBLISHED_2018)],
        notes="The 2017/18 figure and its comparators are as the partnership's 2019 plan reported them.")
    timely = _with_text(_series(rng, months, (27, 63), 2.2, pct1), -1, "tbc")
    add("2a (ii)", "New EHCPs issued within 20 weeks, rolling 12 months", STATUTORY, "monthly", "%", "higher", "2",
        timely, _fy_targets(timely, (f"Baseline March {months[0].end.year + 1}", "40%", "55%", "70%", "90%")),
        [("Statistical neighbours", "52.0%", dt.date(2024, 12, 31), DEMO_SOURCE),
         ("National", "49.2%", dt.date(2024, 12, 31), DEMO_SOURCE)],
        notes="The latest month is tbc until the monthly return has been checked.")
    health = _series(rng, months, (38, 81), 3.5, pct)
    add("2b", "Health advice for needs assessments returned within six weeks", DCO, "monthly", "%", "higher", "2",
        health, _fy_targets(health, (f"Baseline January {months[0].end.year + 1}", "tbc based on January "
                                     "performance", "70%", "80%")))
    social = _series(rng, months, (44, 77), 4.0, pct)
    add("2c", "Social care advice for needs assessments returned within six weeks", DSCO, "monthly", "%", "higher",
        "2", social, _fy_targets(social, ("60%", "65%", "75%", "80%")))
    reviews = _series(rng, months, (31, 68), 2.5, pct1)
    add("2d", "Annual reviews held within 12 months of the last one", STATUTORY, "monthly", "%", "higher", "2",
        reviews, _fy_targets(reviews, ("45%", "55%", "65%", "72%")))
    amended = _series(rng, quarters, (22, 58), 3.0, pct)
    add("2e", "Amended plans issued within 12 weeks of the annual review meeting", STATUTORY, "quarterly", "%",
        "higher", "2", amended, _fy_targets(amended, ("Baseline Q1", "40%", "60%", "80%")))
    audits, caseload = _audit_months(db, today)
    if audits:
        good = [(f"{m}", pct1(100 * g / n)) for m, n, g in audits]
        share = [(f"{m}", pct1(100 * n / caseload)) for m, n, _ in audits] if caseload else []
    else:
        good = _series(rng, months[-12:], (19, 38), 3.0, pct1)
        share = _series(rng, months[-12:], (3.5, 5.0), 0.4, pct1)
    add("2f", "EHCPs audited that were judged good or outstanding", QA, "monthly", "%", "higher", "2", good,
        _fy_targets(good, ("40%",)), [("Regional", "32%", dt.date(2025, 3, 31), DEMO_SOURCE)], tolerance=5,
        notes="Read from the audits recorded in this file; moderated grades count where there are any.")
    add("2g", "Open EHCPs audited in the month, as a share of all open plans", QA, "monthly", "%", "higher", "2",
        share, _fy_targets(share, ("5%",)), tolerance=0.5)
    backlog = _series(rng, months, (640, 305), 25, count, 0, 10_000)
    add("2h", "Needs assessments open for longer than 20 weeks", STATUTORY, "monthly", "count", "lower", "2",
        backlog, _fy_targets(backlog, ("550", "450", "350", "300")), tolerance=25)
    transfers = _series(rng, school_years, (61, 92), 3, pct)
    add("2i", "Phase transfer plans finalised by the 15 February deadline", STATUTORY, "annual", "%", "higher",
        "2", transfers, [(p, "100%") for p, _ in transfers], tolerance=10)
    missing = _series(rng, months, (118, 84), 7, count, 0, 10_000)
    add("2j", "Children with SEND missing education", DSCO, "monthly", "count", "lower", "2", missing,
        _fy_targets(missing, ("100", "90", "75")))
    add("2k", "Appeals to the SEND tribunal registered", STATUTORY, "annual", "count", "lower", "2",
        [("2021", "41"), ("2022", "58"), ("2023", "88"), ("2024", "97"), ("2025", "tbc")],
        [("2024", "80"), ("2025", "70")], tolerance=5,
        notes="The 2025 count is tbc until the tribunal's yearly statistics are published.")

    # Priority 3: neurodevelopmental assessment waits and support while waiting.
    # Waits rose while a provider closed its list to new referrals, then fell back.
    wait = _with_text(_series(rng, months, (58, 60, 71, 63, 49), 1.5, weeks, 0, 200), 17, "Not available")
    add("3a", "Median wait from referral to neurodevelopmental assessment", ND_LEAD, "monthly", "weeks", "lower",
        "3", wait, _fy_targets(wait, ("52 weeks", "52 weeks", "52 weeks", "48 weeks")), tolerance=3,
        notes="Not available in one month while records moved to the new pathway system.")
    waiting = _with_text(_series(rng, months, (2950, 2680), 60, count, 0, 100_000), -1, "tbc")
    add("3b", "Children and young people waiting for a neurodevelopmental assessment", ND_LEAD, "monthly", "count",
        "lower", "3", waiting, _fy_targets(waiting, ("3,000", "2,800", "2,500", "2,000")), tolerance=100)
    triage = _series(rng, quarters, (16, 7), 1.0, weeks, 0, 100)
    add("3c", "Weeks from referral to triage on the neurodevelopmental pathway", ND_LEAD, "quarterly", "weeks",
        "lower", "3", triage, _fy_targets(triage, ("Target to be confirmed once a year of data is in", "12 weeks",
                                                   "8 weeks", "6 weeks")), tolerance=1)
    salt = _series(rng, months, (26, 19), 1.4, weeks, 0, 100)
    add("3d", "Wait from referral to a first speech and language therapy appointment", DCO, "monthly", "weeks",
        "lower", "3", salt, _fy_targets(salt, ("18 weeks",)), tolerance=2,
        comparators=[("Regional", "21 weeks", dt.date(2025, 9, 30), DEMO_SOURCE)])
    access = _series(rng, months[-18:], (35, 83), 4, pct)
    add("3e", "Neurodevelopmental referrals made through the single point of access", ND_LEAD, "monthly", "%",
        "higher", "3", access, _fy_targets(access, ("60%", "90%")), tolerance=5)
    budgets = _series(rng, halves, (12, 41), 2, count, 0, 1000)
    add("3f", "Children and young people with an EHCP who have a personal health budget", DCO, "6-monthly",
        "count", "higher", "3", budgets, _fy_targets(budgets, ("Targets to be set after the June review",
                                                               "30", "40")))

    # Priority 4: communication with families, and their experience.
    survey = [(p.text, f"Very good / good {v}%") for p, v in zip(years, (54, 57, 61, 63, 66))]
    add("4a", "Parent carers rating the help their child received as very good or good (yearly survey)",
        PARTNERSHIP, "annual", "%", "higher", "4", survey,
        [(p, t) for (p, _), t in zip(survey, ("Very good / good 60%", "Very good / good 65%", "Very good / good 70%",
                                               "Very good / good 70%", "Very good / good 75%"))],
        [("National", "60%", dt.date(2018, 3, 31), PUBLISHED_2018)], tolerance=3)
    complaints = [(p.text, t) for p, t in zip(years, ("212", "247", "231", "196", "183"))]
    add("4b", "Complaints received about SEND services", STATUTORY, "annual", "count", "lower", "4", complaints,
        [(p, t) for (p, _), t in zip(complaints, ("200", "190", "179", "170", "160"))], tolerance=10)
    compliments = [(p.text, t) for p, t in zip(years, ("88", "97", "114", "131", "127"))]
    add("4c", "Compliments received about SEND services", STATUTORY, "annual", "count", "higher", "4",
        compliments, [(p, t) for (p, _), t in zip(compliments, ("90", "100", "110", "120", "130"))])
    enquiries = _series(rng, months, (61, 88), 3, pct)
    add("4d", "Family enquiries answered within five working days", PARTNERSHIP, "monthly", "%", "higher", "4",
        enquiries, _fy_targets(enquiries, ("80%", "85%", "90%", "95%")))
    offer = _series(rng, quarters, (39, 58), 2.5, pct)
    add("4e", "Local Offer visitors who rate its information as good", "Local Offer Development Officer",
        "quarterly", "%", "higher", "4", offer,
        _fy_targets(offer, ("Baseline Q1", "Increase in 'good' rating", "55%", "60%")))

    # Priority 5: preparing for adulthood, and being in school.
    attendance = _series(rng, school_years, (86.1, 88.4), 0.4, pct1)
    add("5a", "Attendance of pupils with an EHCP", PFA, "annual", "%", "higher", "5", attendance,
        [(p, "90%") for p, _ in attendance], [("National", "87.6%", dt.date(2025, 8, 31), DEMO_SOURCE)], tolerance=1.5)
    exclusions = [(p.text, t) for p, t in zip(school_years, ("9", "14", "17", "21", "15"))]
    add("5b", "Permanent exclusions of pupils with SEND", PFA, "annual", "count", "lower", "5", exclusions,
        [(p, t) for (p, _), t in zip(exclusions, ("10", "10", "12", "12", "10"))], tolerance=2)
    neet = _series(rng, quarters, (9.8, 6.9), 0.4, pct1)
    add("5c", "Young people aged 16-17 with an EHCP not in education, employment or training", PFA, "quarterly",
        "%", "lower", "5", neet, _fy_targets(neet, ("9%", "8%", "7%", "6%")), [
            ("National", "6.5%", dt.date(2025, 3, 31), DEMO_SOURCE),
            ("Statistical neighbours", "7.1%", dt.date(2025, 3, 31), DEMO_SOURCE)], tolerance=0.5)
    pfa = _series(rng, quarters, (34, 71), 3, pct)
    add("5d", "Plans from Year 9 with preparing for adulthood outcomes", QA, "quarterly", "%", "higher", "5", pfa,
        _fy_targets(pfa, ("50%", "60%", "70%")))
    internships = [(p.text, t) for p, t in zip(school_years, ("6", "9", "14", "19", "23"))]
    add("5e", "Supported internships completed", PFA, "annual", "count", "higher", "5", internships,
        [(p, t) for (p, _), t in zip(internships, ("10", "12", "15", "20", "25"))], tolerance=2)
    add("5f", "Young people and families who say they felt listened to at their review", PARTNERSHIP, "annual",
        "text", "higher", "5", [(years[-3].text, "Mixed: about half said yes"),
                                (years[-2].text, "Most said yes; fewer in post-16 reviews")],
        [(years[-2].text, "Most say yes in every age group")],
        notes="Reported from the review feedback forms in words; the board judges it without a RAG rating.")
    return specs


def load_demo_kpis(db, today: dt.date | None = None, seed: int = 2025) -> int:
    """Add the demo KPI set (after `load_demo`'s plan, linked to its priorities by ref); returns
    how many KPIs were added."""
    today = today or dt.date.today()
    specs = demo_kpi_specs(db, today, seed)
    with db.reading() as con:
        priorities = dict(con.execute(
            "SELECT ref, id FROM priority WHERE plan_id = (SELECT min(id) FROM plan)").fetchall())
    with db.session("demo data") as s:
        for position, spec in enumerate(specs):
            kpi = Kpi(ref=spec["ref"], measure=spec["measure"], officer=spec["officer"], frequency=spec["frequency"],
                      unit=spec["unit"], direction=spec["direction"], priority_id=priorities.get(spec["priority"]),
                      tolerance=spec["tolerance"], notes=spec["notes"], position=position)
            kpi.values = [_point(KpiValue, p, t) for p, t in spec["values"]]
            kpi.targets = [_point(KpiTarget, p, t) for p, t in spec["targets"]]
            kpi.comparators = [KpiComparator(name=name, text=text, number=kv.parse_value(text).number, as_at=as_at,
                                             source=source) for name, text, as_at, source in spec["comparators"]]
            s.add(kpi)
    return len(specs)


def _point(model, period_text: str, text: str):
    period = parse_period(period_text)
    value = kv.parse_value(text)
    return model(period=period.text, period_end=period.end, text=value.text, number=value.number)
