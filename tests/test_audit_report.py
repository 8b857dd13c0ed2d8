"""The audit report against figures worked out by hand on a fixed set of audits.

The data set (default framework = version 1; version 2 is the same framework with its coverage
guard raised to 90%, current from May). A uniform rating v on every criterion gives every
applicable section the score 100·v/3 to one decimal (v=3: 100.0 Outstanding, 2: 66.7 Good,
1: 33.3 Requires improvement, 0: 0.0 Inadequate) and the same overall grade.

    audit  date        fw  team   scored               own grade    moderated to  reported
    a1     2026-01-05  v1  North  all 3                Outstanding  all 2: Good   Good
    a2     2026-01-12  v1  North  all 2                Good         all 2: Good   Good
    a3     2026-01-20  v1  South  all 1                RI           all 1: RI     RI
    a4     2026-02-03  v1  South  all 2                Good         all 0: Inad.  Inadequate
    a5     2026-02-10  v1  South  all 0                Inadequate                 Inadequate
    a6     2026-02-24  v1  North  all 2, no needs in C Good  (G is N/A, C2/C3 N/A)  Good
    (no audits in March)
    a7     2026-04-02  v1  North  all 2                Good                       Good
    a8     2026-04-15  v1  North  all 3                Outstanding                Outstanding
    a9     2026-04-28  v1  South  all 2, J all N/A     Good  (J is N/A)           Good
    a10    2026-05-06  v2  South  all 3                Outstanding                Outstanding
    a11    2026-05-12  v2  North  all 1                RI                         RI
    a12    2026-05-20  v2  North  all 2, X all N/A     Not graded (86% < 90%)     Not graded
    a13    2026-06-03  v2  South  all 2                Good                       Good
    a14    2026-06-20  v2  North  all 0                Inadequate                 Inadequate
    a15    2026-06-25  v2  North  all 3, still a DRAFT: not counted anywhere

The caseload list holds 130 plans; a3's improvement actions are marked done.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from send_desktop.audits import stats
from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.framework import framework_to_json
from send_desktop.audits.grading import grade
from send_desktop.errors import BadInputError
from send_desktop.reports.audit_report import audit_report, report_text
from send_desktop.reports.audit_report_query import na_keys
from send_desktop.services import audit_edit as edit
from send_desktop.services.audit_frameworks import ensure_default_framework, load_framework, save_framework
from send_desktop.services.audit_read import load_audit

JAN1, JUN30, AS_OF = dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 15)
CRITERIA = [c.id for s in default_framework().sections for c in s.criteria]  # 58 criteria
Z = 1.959963984540054


def uniform(value, **overrides):
    return {**{cid: value for cid in CRITERIA}, **overrides}


def build_audit_file(path: Path) -> Path:
    """The data set in this module's docstring, in a new database file at `path`."""
    from send_desktop.storage.database import open_database
    from send_desktop.storage.models import CaseloadPlan

    db = open_database(path, create=True, user="Test Auditor")
    v1 = ensure_default_framework(db)
    v2 = save_framework(db, {**framework_to_json(default_framework()), "version": "2",
                             "min_applicable_weight_pct": 90}, source="test")
    rows = [  # (name, date, framework, team, ratings, no_needs)
        ("a1", "2026-01-05", v1, "North", uniform(3), []), ("a2", "2026-01-12", v1, "North", uniform(2), []),
        ("a3", "2026-01-20", v1, "South", uniform(1), []), ("a4", "2026-02-03", v1, "South", uniform(2), []),
        ("a5", "2026-02-10", v1, "South", uniform(0), []), ("a6", "2026-02-24", v1, "North", uniform(2), ["C"]),
        ("a7", "2026-04-02", v1, "North", uniform(2), []), ("a8", "2026-04-15", v1, "North", uniform(3), []),
        ("a9", "2026-04-28", v1, "South", uniform(2, J1="na", J2="na", J3="na"), []),
        ("a10", "2026-05-06", v2, "South", uniform(3), []), ("a11", "2026-05-12", v2, "North", uniform(1), []),
        ("a12", "2026-05-20", v2, "North", uniform(2, **{f"X{i}": "na" for i in range(1, 6)}), []),
        ("a13", "2026-06-03", v2, "South", uniform(2), []), ("a14", "2026-06-20", v2, "North", uniform(0), []),
        ("a15", "2026-06-25", v2, "North", uniform(3), []),
    ]
    ids = {}
    for i, (name, day, fw, team, ratings, no_needs) in enumerate(rows):
        ids[name] = edit.create_audit(db, {
            "plan_ref": f"EHCP-{i + 1:04d}", "audit_date": dt.date.fromisoformat(day), "team": team,
            "agency": "Health" if i % 2 else "Education", "plan_type": "new" if i < 5 else "annual review",
            "key_stage": "KS2", "primary_need": "ASD", "setting_type": "Mainstream primary", "auditor": "Sam Okafor",
            "ratings": ratings, "no_needs": no_needs}, framework_id=fw, source="test")
        if name != "a15":
            edit.set_status(db, ids[name], "submitted", source="test")
    for name, value in (("a1", 2), ("a2", 2), ("a3", 1), ("a4", 0)):
        moderation = edit.start_moderation(db, ids[name], "Priya Shah", day=dt.date(2026, 3, 1), source="test")
        edit.update_moderation(db, moderation, {"ratings": uniform(value)}, source="test")
        edit.complete_moderation(db, moderation, source="test")
    for action in load_audit(db, ids["a3"]).actions:
        edit.update_action(db, action.id, {"status": "done"}, source="test")
    with db.session("test") as s:
        s.add_all(CaseloadPlan(plan_ref=f"CL-{i:04d}", team="North" if i % 2 else "South") for i in range(130))
    db.close()
    return path


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    return build_audit_file(tmp_path_factory.mktemp("audit-report") / "audits.sqlite")


@pytest.fixture
def report_db(_template, tmp_path):
    from send_desktop.storage.database import open_database

    path = tmp_path / "audits.sqlite"
    shutil.copyfile(_template, path)
    database = open_database(path, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture
def report(report_db):
    return audit_report(report_db, JAN1, JUN30, as_of=AS_OF)


def test_good_or_better_with_n_and_wilson_interval(report):
    # Counted: a1..a14 (a15 is a draft) = 14; a12 is Not graded, so n = 13.
    # Good or better (reported grades): a1 a2 a6 a7 a9 a13 Good + a8 a10 Outstanding = 8 of 13 = 61.5385%.
    assert (report.counted, report.drafts, report.not_graded, report.graded) == (14, 1, 1, 13)
    assert (report.share.n, report.share.good) == (13, 8)
    assert report.share.pct == pytest.approx(100 * 8 / 13)
    # Wilson, z = 1.959964: p = 8/13 = 0.6153846; z²/n = 3.8414588/13 = 0.2954968; denom = 1.2954968
    # centre = (p + z²/2n) / denom = (0.6153846 + 0.1477484) / 1.2954968 = 0.5890659
    # half = z/denom · √(p(1−p)/n + z²/4n²) = 1.5129044 · √(0.0182066 + 0.0056826) = 0.2338370
    # low = 0.3552289 → 35.52%;  high = 0.8229029 → 82.29%
    assert report.share.low == pytest.approx(35.52289, abs=1e-4)
    assert report.share.high == pytest.approx(82.29029, abs=1e-4)
    # The 40% target lies inside 35.5%..82.3%: 61.5% is not clearly above it. No benchmark is set.
    assert report.settings.target_pct == 40.0 and report.vs_target == "within" and report.vs_benchmark is None
    d = report.as_dict()["good_or_better"]
    assert (d["n"], d["good"], d["vs_target"], d["benchmark_pct"]) == (13, 8, "within", None)


def test_grade_distribution(report):
    # Outstanding a8 a10 = 2; Good 6; RI a3 a11 = 2; Inadequate a4 (moderated) a5 a14 = 3; Not graded a12 = 1.
    assert report.grades == {"Inadequate": 3, "Requires improvement": 2, "Good": 6, "Outstanding": 2, "Not graded": 1}
    by_grade = {g["grade"]: g for g in report.as_dict()["grades"]}
    assert by_grade["Good"]["pct"] == pytest.approx(100 * 6 / 13)  # of the 13 graded
    assert by_grade["Not graded"]["pct"] is None
    assert sum(g["pct"] for g in by_grade.values() if g["pct"] is not None) == pytest.approx(100)


def test_section_profile_uses_the_first_auditors_section_scores(report):
    sections = {s.code: s for s in report.sections}
    # F applies in all 13 graded audits; scores in tenths (a1 stays 100.0: moderation replaces only the grade):
    # 100.0 × 3 (a1 a8 a10) + 66.7 × 6 (a2 a4 a6 a7 a9 a13) + 33.3 × 2 (a3 a11) + 0 × 2 (a5 a14)
    # = 3000 + 4002 + 666 = 7668 tenths = 766.8;  mean = 766.8 / 13 = 58.9846
    # Good or better (score ≥ 66.7): 3 + 6 = 9 of 13.
    f = sections["F"]
    assert (f.share.n, f.share.good) == (13, 9)
    assert f.mean_score == pytest.approx(766.8 / 13)
    # G is N/A in a6 (no needs in C) and J in a9 (every J criterion N/A): 12 audits, 7668 − 667 = 7001 tenths.
    for code in ("G", "J"):
        assert (sections[code].share.n, sections[code].share.good) == (12, 8)
        assert sections[code].mean_score == pytest.approx(700.1 / 12)
    # C still applies in a6 (C1 is a statement criterion, scored 2): as F.
    assert sections["C"].share.n == 13 and sections["C"].mean_score == pytest.approx(766.8 / 13)
    assert [s.code for s in report.sections][:3] == ["A", "B", "C"] and sections["ADV-ED"].weight == 0


def test_cut_by_team_and_every_cut_adds_up(report):
    team = {c.value: c.share for c in report.cuts["team"]}
    # North: a1 a2 a6 a7 Good, a8 Outstanding, a11 RI, a14 Inadequate (a12 Not graded: out) → 5 of 7
    # South: a9 a13 Good, a10 Outstanding, a3 RI, a4 a5 Inadequate → 3 of 6
    assert (team["North"].n, team["North"].good) == (7, 5)
    assert (team["South"].n, team["South"].good) == (6, 3)
    # Wilson for 5 of 7: centre (0.7142857 + 0.2743899) / 1.5487798 = 0.6383578,
    # half 1.2654977 · √(0.0291545 + 0.0195993) = 0.2794233 → 35.89% to 91.78%
    assert (team["North"].low, team["North"].high) == (pytest.approx(35.89345, abs=1e-4),
                                                       pytest.approx(91.77811, abs=1e-4))
    for column, rows in report.cuts.items():
        assert sum(r.share.n for r in rows) == 13 and sum(r.share.good for r in rows) == 8, column


def test_monthly_trend_rolling_line_breaks_where_the_framework_changes(report):
    months = {m.month: m for m in report.monthly}
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    # graded n / good: Jan 3/2, Feb 3/1, Mar 0/0, Apr 3/3 (all v1); May 2/1 (a12 Not graded), Jun 2/1 (v2)
    assert [(m.share.n, m.share.good) for m in report.monthly] == [(3, 2), (3, 1), (0, 0), (3, 3), (2, 1), (2, 1)]
    # Rolling = pooled good ÷ n over the last 3 months present (2 of 3 needed), restarted at v2 (May):
    # Jan: one month → none; Feb: (2+1)/(3+3) = 50%; Mar: Jan+Feb = 50%; Apr: Feb+Apr = (1+3)/(3+3) = 66.67%
    # May: first month of v2 → none (without the break it would be (3+1)/(3+2) = 80%); Jun: (1+1)/(2+2) = 50%
    rolling = [m.rolling_pct for m in report.monthly]
    assert rolling[0] is None and rolling[4] is None
    assert rolling[1] == pytest.approx(50) and rolling[2] == pytest.approx(50)
    assert rolling[3] == pytest.approx(400 / 6) and rolling[5] == pytest.approx(50)
    assert [m.segment for m in report.monthly] == [0, 0, 0, 0, 1, 1]
    assert months["2026-03"].frameworks == () and len(set(months["2026-05"].frameworks)) == 1
    assert all(m.whole_month for m in report.monthly)  # the range holds whole months, all before 15 July
    assert any("more than one framework version" in n for n in report.notes)


def test_audits_done_against_the_monthly_target(report):
    # Target: 5% of 130 plans = 6.5, rounded up = 7 a month.
    assert (report.caseload, report.monthly_target) == (130, 7)
    # Done (submitted or moderated, Not graded included, the draft a15 not): 3, 3, 0, 3, 3, 2
    assert [(m.audits, m.target) for m in report.monthly] == [(3, 7), (3, 7), (0, 7), (3, 7), (3, 7), (2, 7)]


def test_moderation_agreement_and_kappa_on_four_pairs(report):
    # Pairs (auditor, moderator) as bands (Inadequate 0 .. Outstanding 3):
    # a1 Outstanding→Good (3,2), a2 Good→Good (2,2), a3 RI→RI (1,1), a4 Good→Inadequate (2,0)
    # exact 2 of 4 = 50%; within one band 3 of 4 = 75%
    # Σ w·O with w = (i−j)²: (3,2) 1 + (2,0) 4 = 5
    # rows (auditor) [0,1,2,1], cols (moderator) [1,1,2,0]; Σ w·row·col / n:
    #   row 1: 1·1·1 + 1·1·2 = 3;  row 2: 4·2·1 + 1·2·1 = 10;  row 3: 9·1·1 + 4·1·1 + 1·1·2 = 15  → 28 / 4 = 7
    # κ = 1 − 5/7 = 2/7 = 0.285714
    m = report.moderation
    assert (m.n, m.exact, m.within_one) == (4, 2, 3)
    assert (m.exact_pct, m.within_one_pct) == (50.0, 75.0)
    assert m.kappa == pytest.approx(2 / 7)
    [case] = report.moderation_cases
    assert (case.plan_ref, case.original, case.moderated, case.bands, case.moderator) == (
        "EHCP-0004", "Good", "Inadequate", -2, "Priya Shah")


def test_criteria_most_often_unmet(report, report_db):
    by_id = {c.criterion_id: c for c in report.criteria}
    # Below met (under 2 of 3) only in the audits rated 1 or 0: a3, a5, a11, a14 → 4 for every criterion.
    assert {c.unmet for c in report.criteria} == {4} and len(report.criteria) == len(CRITERIA)
    # Applied: 14 counted audits, less those where it was N/A:
    # F1 14 → 4/14 = 28.57%;  G1 13 (a6: no needs in C);  C2 13 (needs-dependent, a6);  C1 14 (statement)
    # J1 13 (a9 rated it N/A);  X1 13 (a12 rated it N/A)
    assert (by_id["F1"].rated, by_id["F1"].pct) == (14, pytest.approx(100 * 4 / 14))
    assert [by_id[c].rated for c in ("G1", "C2", "C1", "J1", "X1")] == [13, 13, 14, 13, 13]
    assert by_id["F1"].section == "F" and by_id["F1"].text.startswith("Every need in B")
    # The same ranking as stats.criteria_most_unmet over every applicable rating of the counted audits.
    rows = []
    for audit_id in _counted_ids(report_db):
        a = load_audit(report_db, audit_id)
        result = grade(load_framework(report_db, a.framework_id), a.ratings, a.no_needs, a.critical_concern)
        rows += [(c.id, c.value if c.applicable else "na", c.max) for s in result.sections.values() for c in s.criteria]
    expected = stats.criteria_most_unmet(rows, top=100)
    assert [(c.criterion_id, c.rated, c.unmet) for c in report.criteria] == \
        [(c.criterion_id, c.rated, c.unmet) for c in expected]


def _counted_ids(db) -> list[int]:
    with db.reading() as con:
        return [r[0] for r in con.execute("SELECT id FROM audit WHERE status != 'draft' ORDER BY id")]


def test_improvement_actions_open_and_done(report):
    # 58 criteria below met in each of a3, a5, a11, a14 → 232 actions; a3's 58 are done.
    # Open past due on 15 July (due 28 days after the audit): a5 (due 10 Mar), a11 (due 9 Jun) = 116;
    # a14 (20 Jun) is due 18 July.
    assert (report.actions_open, report.actions_done, report.actions_open_past_due) == (174, 58, 116)
    f = next(a for a in report.actions if a.section == "F")
    assert (f.open, f.done, f.open_past_due) == (15, 5, 10)  # 5 F criteria × (3 open audits, 1 done)


def test_a_narrower_range_counts_only_its_audits(report_db):
    r = audit_report(report_db, dt.date(2026, 4, 1), JUN30, as_of=AS_OF)
    # April to June: a7 a8 a9 a10 a11 a13 a14 graded (a12 Not graded): good a7 a8 a9 a10 a13 = 5 of 7
    assert (r.counted, r.share.n, r.share.good) == (8, 7, 5)
    assert [m.month for m in r.monthly] == ["2026-04", "2026-05", "2026-06"]
    assert r.monthly[0].rolling_pct is None  # February is outside the range: April stands alone
    assert r.moderation.n == 0 and r.moderation.kappa is None


def test_without_a_caseload_there_is_no_target_and_the_report_says_so(db):
    edit.create_audit(db, {"plan_ref": "EHCP-1", "audit_date": dt.date(2026, 5, 4), "ratings": uniform(2)})
    r = audit_report(db, as_of=AS_OF)
    assert r.caseload is None and r.monthly_target is None and r.monthly[0].target is None
    assert any("No caseload list is loaded" in n for n in r.notes)
    assert r.counted == 0 and r.drafts == 1  # a draft is not counted until submitted
    assert r.as_dict()["audits_target"] == {"caseload": None, "sample_rate": 0.05, "monthly_target": None}


def test_audits_dated_in_the_future_are_pointed_out(db):
    edit.create_audit(db, {"plan_ref": "EHCP-1", "audit_date": dt.date(2036, 5, 4), "ratings": uniform(2)})
    with db.reading() as con:
        audit_id = con.execute("SELECT id FROM audit").fetchone()[0]
    edit.set_status(db, audit_id, "submitted")
    r = audit_report(db, as_of=AS_OF)
    assert "1 audit is dated after July 2026: check its audit date." in r.notes


def test_an_empty_file_and_dates_out_of_order(db):
    r = audit_report(db, as_of=AS_OF)
    assert (r.counted, r.share.pct, r.monthly, r.criteria) == (0, None, (), ())
    json.dumps(r.as_dict())
    assert "no graded audits" in report_text(r)
    with pytest.raises(BadInputError, match="after its end date"):
        audit_report(db, JUN30, JAN1)


def test_na_keys_reads_json_exactly():
    for text in ('{}', '{"J1": "na"}', '{"J1":"na","J2" : "na" ,"na": 2, "A1": 3}', '{ "a" :\n "na" }',
                 '{"x\\"y": "na", "J2": "na"}', '{"na": "na"}', '{"A1": 2}'):
        assert na_keys(text) == [k for k, v in json.loads(text).items() if v == "na"], text


def test_the_json_shape(report):
    d = report.as_dict()
    assert set(d) == {"report", "format", "period", "settings", "audits", "good_or_better", "grades", "sections",
                      "cuts", "monthly", "frameworks", "audits_target", "moderation", "criteria", "actions", "notes"}
    assert d["period"] == {"from": "2026-01-01", "to": "2026-06-30", "as_of": "2026-07-15",
                           "first_audit": "2026-01-05", "last_audit": "2026-06-20"}
    assert set(d["cuts"]) == {"team", "agency", "plan_type", "key_stage", "primary_need", "setting_type"}
    assert d["monthly"][0] == {"month": "2026-01", "whole_month": True, "audits": 3, "target": 7, "n": 3, "good": 2,
                               "pct": pytest.approx(200 / 3), "low": pytest.approx(_wilson(2, 3)[0]),
                               "high": pytest.approx(_wilson(2, 3)[1]), "rolling_pct": None,
                               "frameworks": [d["frameworks"][0]["id"]], "segment": 0}
    assert [f["audits"] for f in d["frameworks"]] == [9, 5]
    assert d["moderation"]["disagreements"][0]["plan_ref"] == "EHCP-0004"
    assert d["actions"]["by_section"][0] == {"section": "A", "open": 12, "done": 4, "open_past_due": 8}
    assert json.loads(json.dumps(d)) == d


def _wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson bounds written out again, independently of stats.wilson_interval (0-100)."""
    p, z2 = k / n, Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


def test_text_summary_reads_like_a_board_paper(report):
    text = report_text(report)
    assert "Good or better: 61.5% (8 of 13 graded audits); 95% interval 35.5% to 82.3%" in text
    assert "Target 40%: not clearly different from the target: it lies inside the 95% interval" in text
    assert "Moderation: 4 audits moderated; exact agreement 50.0%, within one band 75.0%, " \
           "quadratic-weighted kappa 0.29" in text
    assert "EHCP-0004" in text and "Improvement actions: 174 open (116 past due on 15/07/2026), 58 done" in text


@pytest.mark.slow
def test_command_line_prints_the_same_json(report_db, report):
    path = report_db.path
    report_db.close()  # the command opens the file itself
    out = subprocess.run([sys.executable, "-m", "send_desktop", "audit-report", str(path), "--from", "2026-01-01",
                          "--to", "2026-06-30", "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    expected = report.as_dict()
    for key in ("audits", "good_or_better", "grades", "sections", "cuts", "moderation", "criteria", "frameworks"):
        assert printed[key] == expected[key], key
    assert [m["rolling_pct"] for m in printed["monthly"]] == [m["rolling_pct"] for m in expected["monthly"]]
    text = subprocess.run([sys.executable, "-m", "send_desktop", "audit-report", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert text.returncode == 0 and "EHCP quality audits: all audits in the file" in text.stdout
    bad = subprocess.run([sys.executable, "-m", "send_desktop", "audit-report", str(path), "--from", "2026-06-30",
                          "--to", "2026-01-01"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "after its end date" in bad.stderr


def test_excel_export_reopened(report_db, tmp_path):
    import openpyxl

    from send_desktop.core.progress import run_steps
    from send_desktop.reports.audit_report_xlsx import export_audit_report

    seen = []
    out = run_steps(export_audit_report(report_db, tmp_path / "report.xlsx", JAN1, JUN30, as_of=AS_OF), seen.append)
    assert out == tmp_path / "report.xlsx" and seen[-1].done == seen[-1].total
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())  # written whole, then moved into place
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Grades", "Sections", "Cuts", "Monthly", "Moderation", "Criteria", "Actions",
                             "About"]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["% good or better"] == pytest.approx(8 / 13) and summary["Graded audits (n)"] == 13
    assert wb["Summary"]["B3"].number_format == "0.0%" and wb["Summary"].freeze_panes == "A3"
    assert summary["Quadratic-weighted kappa"] == pytest.approx(2 / 7)
    assert summary["Monthly target (audits)"] == 7 and summary["Improvement actions open"] == 174
    grades = {row[0]: row[1:] for row in wb["Grades"].iter_rows(min_row=2, values_only=True)}
    assert grades["Good"] == (6, pytest.approx(6 / 13)) and grades["Not graded"] == (1, None)
    sections = {row[0]: row for row in wb["Sections"].iter_rows(min_row=2, values_only=True)}
    assert sections["F"][3] == pytest.approx(766.8 / 13) and sections["F"][4:7] == (13, 9, pytest.approx(9 / 13))
    cuts = [row for row in wb["Cuts"].iter_rows(min_row=2, values_only=True) if row[0] == "Team"]
    assert [(r[1], r[2], r[3]) for r in cuts] == [("North", 7, 5), ("South", 6, 3)]
    monthly = list(wb["Monthly"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in monthly] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert monthly[3][10] == pytest.approx(4 / 6) and monthly[4][10] is None and monthly[3][12] == 1
    assert wb["Monthly"]["E2"].number_format == "0.0%" and wb["Monthly"].freeze_panes == "A2"
    moderation = list(wb["Moderation"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1].date(), r[4], r[5], r[6]) for r in moderation] == [
        ("EHCP-0004", dt.date(2026, 2, 3), "Good", "Inadequate", -2)]
    criteria = list(wb["Criteria"].iter_rows(min_row=2, values_only=True))
    assert len(criteria) == len(CRITERIA) and criteria[0][4] == 4
    actions = list(wb["Actions"].iter_rows(min_row=2, values_only=True))
    assert actions[-1][:5] == ("All sections", 174, 116, 58, 232)
    about = {row[0]: row[1] for row in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Period"] == "1 January 2026 to 30 June 2026" and "Criteria" in about


def test_export_kind_audit_report_writes_every_audit(report_db, tmp_path):
    """`send-desktop export DB OUT.xlsx --kind audit-report` calls the exporter as exchange.py names it."""
    import openpyxl

    from send_desktop.core.progress import run_steps
    from send_desktop.exchange import exporter

    run_steps(exporter("audit-report")(report_db, tmp_path / "all.xlsx"))
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(tmp_path / "all.xlsx")["Summary"].iter_rows(
        min_row=3, values_only=True)}
    assert summary["Audits counted"] == 14 and summary["Drafts not counted"] == 1


def test_verdicts_against_a_target_and_a_benchmark(report_db):
    from send_desktop.services.audit_settings import AuditSettings, save_audit_settings

    # 8 of 13, 95% interval 35.5% to 82.3%: a 20% target is below all of it, a 90% benchmark above all of it.
    save_audit_settings(report_db, AuditSettings(target_pct=20, benchmark_pct=90, sample_rate=0.1))
    r = audit_report(report_db, JAN1, JUN30, as_of=AS_OF)
    assert (r.vs_target, r.vs_benchmark) == ("above", "below")
    assert r.monthly_target == 13  # 10% of 130
    assert "Benchmark 90.0%: below the benchmark" in report_text(r)
    assert not any("benchmark" in n for n in r.notes)
