"""The risk register's services on real database files: scores derived, flags, history, bad input."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select

from send_desktop.core.risk_matrix import DEFAULT_DEFINITION, RiskValueError
from send_desktop.errors import UserError
from send_desktop.services import risks
from send_desktop.services.demo_risks import load_demo_risks
from send_desktop.services.risk_dump import dump_risks
from send_desktop.services.risk_read import RiskFilter, filter_risks, load_register
from send_desktop.storage.models import ChangeLog
from tests.helpers import db_contents

TODAY = dt.date(2026, 11, 1)  # as conftest's DEMO_TODAY


def register(db, today=TODAY):
    return load_register(db, today=today)


def only(db):
    (risk,) = register(db).risks
    return risk


@pytest.fixture
def risk_db(demo_db):
    """The demo partnership with its risk register (added here until load_demo adds it itself)."""
    with demo_db.reading() as con:
        present = con.execute("SELECT count(*) FROM risk").fetchone()[0]
    if not present:
        load_demo_risks(demo_db, today=TODAY)
    return demo_db


def new_risk(db, **kw):
    values = dict(title="DCO capacity short", category="Regulatory", owner="Lucy Hartnell", likelihood=4, impact=4,
                  assessed_on=dt.date(2026, 9, 10))
    values.update(kw)
    return risks.create_risk(db, **values)


# -- scores, bands and history ---------------------------------------------------------------------

def test_scores_and_bands_are_derived_from_likelihood_and_impact(db):
    rid = new_risk(db, inherent=(5, 4), target=(2, 3))
    r = only(db)
    assert r.id == rid and r.ref == "R01"
    assert (r.score, r.band.name) == (16, "Extreme")
    assert (r.inherent_score, r.target_score) == (20, 6)
    assert [(a.date, a.likelihood, a.impact, a.score) for a in r.history] == [(dt.date(2026, 9, 10), 4, 4, 16)]
    assert r.next_review == dt.date(2026, 10, 10)  # monthly by default
    con = sqlite3.connect(db.path)
    columns = {row[1] for row in con.execute("PRAGMA table_info(risk)")}
    con.close()
    assert not {"score", "band", "inherent_score", "current_score"} & columns  # never stored


def test_changing_the_matrix_re_bands_every_risk_without_touching_them(db):
    new_risk(db, likelihood=3, impact=4)
    assert only(db).band.name == "High" and not only(db).for_board
    data = {**DEFAULT_DEFINITION, "bands": [{"name": "Green", "from": 1, "to": 6, "colour": "#2e8b57"},
                                            {"name": "Red", "from": 8, "to": 25, "colour": "#c0392b"}],
            "escalation_threshold": 12}
    assert risks.save_matrix(db, data) is None  # the default applied until now
    r = only(db)
    assert (r.score, r.band.name, r.for_board) == (12, "Red", True)
    assert register(db).matrix_stored


def test_reassess_keeps_dated_history_and_moves_the_current_position(db):
    rid = new_risk(db)
    risks.reassess(db, rid, dt.date(2026, 10, 10), 5, 4, "Tribunals up", "Naomi Whitlock", today=TODAY)
    r = only(db)
    assert (r.likelihood, r.impact, r.score, r.trend) == (5, 4, 20, "up")
    assert r.next_review == dt.date(2026, 11, 10)
    assert [a.score for a in r.history] == [16, 20] and r.history[-1].note == "Tribunals up"
    assert r.previous.score == 16
    result = risks.reassess(db, rid, "01/11/2026", 3, 4, today=TODAY)
    r = only(db)
    assert (r.score, r.trend, r.band.name) == (12, "down", "High")
    assert r.history[-1].assessor == "Test Auditor"  # the file's user when nobody is named
    risks.reassess(db, rid, dt.date(2026, 11, 1), 3, 4, "No change", today=TODAY)
    assert only(db).trend == "same"
    # a review entered late, dated before the latest, joins the history but is not the current position
    risks.reassess(db, rid, dt.date(2026, 9, 25), 1, 1, "Late entry", today=TODAY)
    r = only(db)
    assert [a.date for a in r.history] == sorted(a.date for a in r.history)
    assert (r.likelihood, r.impact, r.next_review) == (3, 4, dt.date(2026, 12, 1))
    risks.undo_reassess(db, result)  # undo puts back what that review replaced


def test_undoing_a_review_restores_the_position_and_next_review(db):
    rid = new_risk(db)
    before = register(db).risks[0]
    result = risks.reassess(db, rid, dt.date(2026, 10, 12), 2, 2, today=TODAY)
    risks.undo_reassess(db, result)
    after = only(db)
    assert (after.likelihood, after.impact, after.next_review, len(after.history)) == \
        (before.likelihood, before.impact, before.next_review, 1)


def test_deleting_the_latest_review_falls_back_to_the_one_before(db):
    rid = new_risk(db)
    risks.reassess(db, rid, dt.date(2026, 10, 10), 2, 2, today=TODAY)
    latest = only(db).history[-1]
    snap = risks.delete_assessment(db, latest.id)
    assert only(db).score == 16
    risks.restore_assessment(db, snap)
    assert only(db).score == 4


# -- the flags ---------------------------------------------------------------------------------

def test_appetite_escalation_and_overdue_flags(db):
    risks.add_category(db, "Harm to children", appetite=8)
    rid = new_risk(db, category="harm to CHILDREN", likelihood=3, impact=3, assessed_on=dt.date(2026, 9, 1))
    r = only(db)
    assert r.category == "Harm to children"  # found by name, not made twice
    assert r.above_appetite and not r.for_board and r.review_overdue  # reviewed 1 Sep, due 1 Oct
    assert r.flags() == ("Above appetite", "Review overdue")
    risks.reassess(db, rid, dt.date(2026, 10, 20), 4, 4, today=TODAY)
    r = only(db)
    assert r.for_board and r.above_appetite and not r.review_overdue
    risks.update_risk(db, rid, {"status": "closed"})
    r = only(db)
    assert not (r.for_board or r.above_appetite or r.review_overdue)
    risks.update_risk(db, rid, {"status": "escalated"})
    risks.reassess(db, rid, dt.date(2026, 10, 25), 1, 2, today=TODAY)
    assert only(db).for_board  # escalated by hand stays for the board whatever the score


def test_category_appetite_changes_and_deletion_leave_risks_uncategorised(db):
    new_risk(db, likelihood=3, impact=3)
    cat = register(db).categories[0]
    assert cat.name == "Regulatory" and cat.appetite is None and not only(db).above_appetite
    risks.update_category(db, cat.id, {"appetite": "6"})
    assert only(db).above_appetite
    with pytest.raises(RiskValueError, match="appetite '30' must be a score from 1 to 25"):
        risks.update_category(db, cat.id, {"appetite": 30})
    snap = risks.delete_category(db, cat.id)
    assert only(db).category == "" and not only(db).above_appetite
    risks.restore_category(db, snap)
    assert only(db).category == "Regulatory" and only(db).appetite == 6


# -- bad input changes nothing ------------------------------------------------------------------

@pytest.mark.parametrize("call, needle", [
    (lambda db, rid: risks.reassess(db, rid, dt.date(2026, 10, 1), 7, 3, today=TODAY),
     "The likelihood 7 is out of range: use 1 (Rare) to 5 (Almost certain)."),
    (lambda db, rid: risks.reassess(db, rid, "next spring", 3, 3, today=TODAY),
     "Assessment date: 'next spring' is not a date; write it as dd/mm/yyyy."),
    (lambda db, rid: risks.reassess(db, rid, dt.date(2027, 1, 1), 3, 3, today=TODAY), "is in the future"),
    (lambda db, rid: risks.update_risk(db, rid, {"target_date": "next spring"}),
     "Target date: 'next spring' is not a date; write it as dd/mm/yyyy."),
    (lambda db, rid: risks.update_risk(db, rid, {"owner": "Someone else", "inherent_impact": 9}),
     "The inherent impact 9 is out of range: use 1 (Negligible) to 5 (Catastrophic)."),
    (lambda db, rid: risks.update_risk(db, rid, {"status": "pending"}), "'pending' is not one of"),
    (lambda db, rid: risks.update_risk(db, rid, {"title": "  "}), "A risk needs a title."),
    (lambda db, rid: risks.update_risk(db, rid, {"next_review": "31/02/2027"}), "'31/02/2027' is not a real date"),
    (lambda db, rid: risks.add_mitigation(db, rid, text="Recruit", due_date="soon"), "Due date: 'soon' is not a date"),
    (lambda db, rid: risks.create_risk(db, title="New", likelihood=3, impact=0), "The impact 0 is out of range"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(db, call, needle):
    rid = new_risk(db)
    before = db_contents(db.path)
    with pytest.raises(UserError) as err:
        call(db, rid)
    assert needle in err.value.message
    assert db_contents(db.path) == before


def test_a_risk_that_no_longer_exists_is_a_user_error(db):
    with pytest.raises(UserError, match="no longer exists"):
        risks.reassess(db, 999, dt.date(2026, 10, 1), 3, 3, today=TODAY)


# -- mitigations, links and the change log --------------------------------------------------------

def test_mitigations_crud_in_order(db):
    rid = new_risk(db)
    first = risks.add_mitigation(db, rid, text="Business case for a second DCO", owner="Dr Fiona Okafor",
                                 due_date="31/01/2027")
    risks.add_mitigation(db, rid, text="Named health leads", status="in progress")
    old = risks.update_mitigation(db, first, {"status": "Completed"})
    assert old == {"status": "planned"}
    r = only(db)
    assert [(m.text, m.status) for m in r.mitigations] == [("Business case for a second DCO", "done"),
                                                           ("Named health leads", "in progress")]
    assert r.mitigations[0].due_date == dt.date(2027, 1, 31)
    snap = risks.delete_mitigation(db, first)
    assert len(only(db).mitigations) == 1
    risks.restore_mitigation(db, snap)
    assert [m.id for m in only(db).mitigations][0] == first


def test_links_to_plan_priorities_and_actions(risk_db):
    reg = register(risk_db)
    p2 = next(p for p in reg.priorities if p.ref == "2")
    action = next(a for a in reg.actions if a.ref == "2.4.1")
    rid = new_risk(risk_db)
    old = risks.update_risk(risk_db, rid, {"priority_ids": [p2.id], "action_ids": [action.id]})
    assert old == {"priority_ids": [], "action_ids": []}
    r = register(risk_db).risk(rid)
    assert (r.priority_refs, r.action_refs) == (("2",), ("2.4.1",))
    linked = filter_risks(register(risk_db), RiskFilter(priority_id=p2.id))
    assert rid in [x.id for x in linked] and all(p2.id in x.priority_ids for x in linked)


def test_every_change_is_in_the_change_log(db):
    rid = new_risk(db)
    risks.reassess(db, rid, dt.date(2026, 10, 10), 5, 4, "Worse", source="window", today=TODAY)
    risks.update_risk(db, rid, {"owner": "Tom Ashdown"})
    with db.session() as s:
        rows = s.scalars(select(ChangeLog).where(ChangeLog.entity.like("risk%")).order_by(ChangeLog.id)).all()
        seen = {(r.op, r.entity, r.field) for r in rows}
        owner = next(r for r in rows if r.field == "owner")
        assert (owner.old, owner.new, owner.user) == ("Lucy Hartnell", "Tom Ashdown", "Test Auditor")
    assert {("insert", "risk", "*"), ("insert", "risk_category", "*"), ("insert", "risk_assessment", "*"),
            ("update", "risk", "current_likelihood"), ("update", "risk", "next_review")} <= seen


def test_delete_and_restore_a_risk_brings_back_everything(risk_db):
    reg = register(risk_db)
    target = next(r for r in reg.risks if r.mitigations and r.priority_ids and r.action_ids)
    before = dump_risks(risk_db)
    snap = risks.delete_risk(risk_db, target.id)
    assert target.ref not in [r["ref"] for r in dump_risks(risk_db)]
    risks.restore_risk(risk_db, snap)
    assert dump_risks(risk_db) == before
    assert register(risk_db).risk(target.id).action_ids == target.action_ids


# -- reading: filters and the dump ---------------------------------------------------------------

def test_filters_pick_the_expected_risks(risk_db):
    reg = register(risk_db)
    all_risks = reg.risks
    cat = reg.categories[0]
    cases = [
        (RiskFilter(category_id=cat.id), lambda r: r.category_id == cat.id),
        (RiskFilter(owner="lucy hartnell"), lambda r: r.owner == "Lucy Hartnell"),
        (RiskFilter(band="Extreme"), lambda r: r.band.name == "Extreme"),
        (RiskFilter(overdue_only=True), lambda r: r.review_overdue),
        (RiskFilter(for_board_only=True), lambda r: r.for_board),
        (RiskFilter(cell=(4, 4)), lambda r: (r.likelihood, r.impact) == (4, 4) and r.status != "closed"),
        (RiskFilter(show_closed=False), lambda r: r.status != "closed"),
        (RiskFilter(text="tribunal"), lambda r: "tribunal" in (r.title + r.cause + r.event + r.effect).lower()
         or any("tribunal" in m.text.lower() for m in r.mitigations) or "tribunal" in r.controls.lower()),
    ]
    for flt, rule in cases:
        got = [r.ref for r in filter_risks(reg, flt)]
        assert got == [r.ref for r in all_risks if rule(r)], flt
        assert 0 < len(got) < len(all_risks), flt


def test_demo_register_has_a_year_of_monthly_reviews_and_every_kind_of_flag(risk_db):
    reg = register(risk_db)
    assert 24 <= len(reg.risks) <= 27
    assert {c.name for c in reg.categories} == {"Regulatory", "Financial", "Reputational", "Harm to children",
                                                "Operational"}
    assert all(c.appetite for c in reg.categories)
    monthly = [r for r in reg.risks if r.review_frequency == "monthly" and len(r.history) >= 10]
    assert len(monthly) >= 18
    for r in monthly:
        gaps = [(b.date - a.date).days for a, b in zip(r.history, r.history[1:])]
        assert all(20 <= g <= 40 for g in gaps), r.ref
        assert (r.likelihood, r.impact) == (r.history[-1].likelihood, r.history[-1].impact)
    assert {r.trend for r in reg.risks} >= {"up", "down", "same"}
    assert any(r.review_overdue for r in reg.risks) and any(r.for_board for r in reg.risks)
    assert any(r.above_appetite for r in reg.risks) and any(r.status == "closed" for r in reg.risks)
    assert any(r.status == "escalated" for r in reg.risks)
    assert sum(bool(r.priority_ids) for r in reg.risks) >= 15 and any(r.action_ids for r in reg.risks)
    assert all(r.mitigations and r.controls and r.owner and r.cause for r in reg.risks)
    late = [r for r in reg.risks if len(r.history) <= 6 and r.review_frequency == "monthly"]
    assert len(late) == 2  # two risks joined the register part-way through the year


def test_the_demo_is_the_same_every_time(db_path, tmp_path):
    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database

    dumps = []
    for n in range(2):
        database = open_database(tmp_path / f"d{n}.sqlite", create=True, user="Demo")
        load_demo(database, today=TODAY, audit_months=0)
        with database.reading() as con:
            if not con.execute("SELECT count(*) FROM risk").fetchone()[0]:
                load_demo_risks(database, today=TODAY)
        dumps.append(dump_risks(database))
        database.close()
    assert dumps[0] == dumps[1]


def test_dump_has_exactly_the_documented_shape(risk_db):
    data = dump_risks(risk_db)
    first = next(d for d in data if d["mitigations"])
    assert set(first) == {"ref", "title", "category", "owner", "status", "likelihood", "impact", "score", "band",
                          "inherent", "target", "next_review", "controls", "mitigations", "history"}
    assert set(first["inherent"]) == {"likelihood", "impact", "score"}
    assert set(first["target"]) == {"likelihood", "impact", "score", "date"}
    assert set(first["mitigations"][0]) == {"text", "owner", "due", "status"}
    assert set(first["history"][0]) == {"date", "likelihood", "impact", "score"}
    for d in data:
        assert d["score"] == d["likelihood"] * d["impact"]
        assert (d["likelihood"], d["impact"]) == (d["history"][-1]["likelihood"], d["history"][-1]["impact"])
        assert d["inherent"]["score"] == d["inherent"]["likelihood"] * d["inherent"]["impact"]
        assert isinstance(d["controls"], list) and d["controls"]
