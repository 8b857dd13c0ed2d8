"""The KPI services on a real SQLite file: writes, the judged snapshot, the dump, the demo set, and
bad input changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import DEMO_TODAY
from tests.helpers import db_contents

from send_desktop.errors import UserError
from send_desktop.services import kpis as S
from send_desktop.services.kpi_dump import dump_kpis
from send_desktop.services.kpi_read import load_kpis


def log_rows(db, entity: str | None = None) -> list[tuple]:
    with db.reading() as con:
        sql = "SELECT op, entity, field, old, new, source, user FROM change_log"
        if entity:
            return con.execute(sql + " WHERE entity=? ORDER BY id", (entity,)).fetchall()
        return con.execute(sql + " ORDER BY id").fetchall()


def kpi_ids(db) -> list[int]:
    return [k.id for k in load_kpis(db).kpis]


@pytest.fixture
def kpi_db(demo_db):
    """The demo partnership with its KPI set (added here until `load_demo` adds it itself)."""
    if not load_kpis(demo_db).kpis:
        from send_desktop.services.demo_kpis import load_demo_kpis

        load_demo_kpis(demo_db, today=DEMO_TODAY)
    return demo_db


@pytest.fixture
def timely(db):
    """One KPI like the 2019 plan's 1c: 84.7% against a 90% target and a 67% national average."""
    kid = S.create_kpi(db, ref="1c", measure="Percentage of EHCPs issued within 20 weeks", officer="Head of Inclusion",
                       frequency="Bi-monthly", unit="%", direction="higher")
    S.set_target(db, kid, "2025/26", "90%")
    S.set_comparator(db, kid, "National", "67%", as_at=dt.date(2018, 3, 31), source_text="published 2017/18")
    S.set_comparator(db, kid, "Statistical neighbours", "Available May 19")
    S.save_period_values(db, "2025-04", {kid: "81.0%"})
    S.save_period_values(db, "2025-06", {kid: "84.7%"})
    return kid


# -- writing ------------------------------------------------------------------------------------

def test_create_normalises_the_definition_and_logs_it(db):
    kid = S.create_kpi(db, ref=" 2b  (i) ", measure="Complaints received", frequency="Annually", unit="Number",
                       direction="Lower is better", tolerance="10")
    k = load_kpis(db).kpi(kid)
    assert (k.ref, k.frequency, k.unit, k.direction, k.tolerance) == ("2b (i)", "annual", "count", "lower", 10.0)
    inserts = log_rows(db, "kpi")
    assert inserts and inserts[0][0] == "insert" and inserts[0][5] == "window" and inserts[0][6] == "Test Auditor"


def test_a_value_keeps_its_text_and_number_and_its_period_end(db, timely):
    assert S.set_value(db, timely, "Jun-25", "Good 27%") == "updated"
    k = load_kpis(db).kpi(timely)
    point = k.value_for("2025-06")
    assert (point.text, point.number, point.end) == ("Good 27%", 27.0, dt.date(2025, 6, 30))
    assert S.set_value(db, timely, "2025-06", "Good 27%") == "unchanged"
    assert S.set_value(db, timely, "June 2025", "") == "removed"
    assert load_kpis(db).kpi(timely).value_for("2025-06") is None


def test_the_snapshot_judges_the_latest_value(db, timely):
    k = load_kpis(db).kpi(timely)
    assert k.latest.text == "84.7%" and k.latest.label == "Jun 2025"
    assert k.target.text == "90%" and k.target.period == "2025/26"   # the year's target covers the month
    assert k.rag.status == "red" and "for 2025/26" in k.rag.reason
    assert k.travel == "improving" and k.trend == (81.0, 84.7)
    national, neighbours = k.positions
    assert (national.name, national.position) == ("National", "better")
    assert neighbours.position is None and "Available May 19" in neighbours.words
    S.update_kpi(db, timely, {"tolerance": 6})
    assert load_kpis(db).kpi(timely).rag.status == "amber"


def test_a_text_latest_value_has_no_rag_but_keeps_the_trend(db, timely):
    S.save_period_values(db, "2025-08", {timely: "tbc"})
    k = load_kpis(db).kpi(timely)
    assert k.latest.text == "tbc" and k.rag.status is None and k.rag.label == "No number"
    assert k.travel == "improving"  # from the last two numbers


def test_targets_apply_to_their_period_or_carry_on_until_a_new_one(db, timely):
    S.set_target(db, timely, "Q1 2025/26", "80%")
    assert load_kpis(db).kpi(timely).target_for("2025-06").text == "80%"   # the shorter period wins
    assert load_kpis(db).kpi(timely).target_for("2027-01").text == "90%"   # carried on from 2025/26
    assert load_kpis(db).kpi(timely).target_for("2024-01") is None


def test_a_period_saved_at_once_counts_each_change(db, timely):
    other = S.create_kpi(db, ref="1d", measure="Annual reviews on time", unit="%")
    third = S.create_kpi(db, ref="1e", measure="Audits good or better", unit="%")
    S.save_period_values(db, "2025-07", {timely: "80%", other: "tbc"})
    result = S.save_period_values(db, "July 2025", {timely: "82%", other: "tbc", third: "35%"})
    assert result == S.PeriodSave("2025-07", created=1, updated=1, removed=0, unchanged=1)
    assert result.summary() == "Jul 2025: 1 added, 1 changed."
    assert S.save_period_values(db, "2025-07", {other: ""}).removed == 1


def test_a_refused_value_saves_nothing_of_its_period(db, timely, db_path):
    other = S.create_kpi(db, ref="1d", measure="Plans issued", unit="count")
    before = db_contents(db_path)
    with pytest.raises(S.PeriodValuesError) as caught:
        S.save_period_values(db, "2025-09", {timely: "847%", other: "-2"})
    assert [p.ref for p in caught.value.problems] == ["1c", "1d"]
    assert "Nothing was saved" in caught.value.message and "between 0 and 100" in caught.value.message
    assert db_contents(db_path) == before


@pytest.mark.parametrize("call, words", [
    (lambda db, k: S.create_kpi(db, ref="", measure="x"), "needs a reference"),
    (lambda db, k: S.create_kpi(db, ref="9z", measure=" "), "needs a measure"),
    (lambda db, k: S.create_kpi(db, ref="1C", measure="x"), "already has the reference 1c"),
    (lambda db, k: S.create_kpi(db, ref="9z", measure="x", unit="litres"), "not a unit"),
    (lambda db, k: S.create_kpi(db, ref="9z", measure="x", priority_id=999), "no longer exists"),
    (lambda db, k: S.update_kpi(db, k, {"direction": "sideways"}), "not a direction"),
    (lambda db, k: S.update_kpi(db, k, {"unit": "count", "tolerance": -1}), "cannot be negative"),
    (lambda db, k: S.set_value(db, k, "Q3 2025", "80%"), "calendar or a financial-year quarter"),
    (lambda db, k: S.set_target(db, k, "2025/26", "120%"), "between 0 and 100"),
    (lambda db, k: S.set_comparator(db, k, "", "60%"), "needs a name"),
    (lambda db, k: S.update_kpi(db, 99999, {"ref": "x"}), "no longer exists"),
])
def test_bad_input_is_refused_in_words_and_changes_nothing(db, timely, db_path, call, words):
    before = db_contents(db_path)
    with pytest.raises(UserError) as caught:
        call(db, timely)
    assert words in caught.value.message
    assert db_contents(db_path) == before


def test_a_unit_change_checks_the_values_it_would_judge(db, db_path):
    k2 = S.create_kpi(db, ref="2a", measure="EHCPs maintained", unit="count")
    S.set_value(db, k2, "2024", "1,322")
    before = db_contents(db_path)
    with pytest.raises(UserError, match="cannot become %"):
        S.update_kpi(db, k2, {"unit": "%"})
    assert db_contents(db_path) == before


def test_comparators_are_replaced_by_name_and_removed(db, timely):
    cid = S.set_comparator(db, timely, "national", "70%", as_at=dt.date(2024, 3, 31))
    k = load_kpis(db).kpi(timely)
    assert [(c.name, c.text, c.number) for c in k.comparators] == [("national", "70%", 70.0),
                                                                    ("Statistical neighbours", "Available May 19", None)]
    S.remove_comparator(db, cid)
    assert [c.name for c in load_kpis(db).kpi(timely).comparators] == ["Statistical neighbours"]


def test_delete_and_restore_bring_back_everything(db, timely):
    before = dump_kpis(db)
    snap = S.delete_kpi(db, timely)
    assert dump_kpis(db) == []
    assert {op for op, entity, *_ in log_rows(db) if op == "delete"} == {"delete"}
    assert {entity for op, entity, *_ in log_rows(db) if op == "delete"} >= {"kpi", "kpi_value", "kpi_target",
                                                                            "kpi_comparator"}
    S.restore_kpi(db, snap)
    assert dump_kpis(db) == before


def test_the_dump_has_the_command_line_shape(db, timely):
    [record] = dump_kpis(db)
    assert list(record) == ["ref", "measure", "frequency", "unit", "direction", "targets", "comparators", "values"]
    assert record["targets"] == [{"period": "2025/26", "text": "90%", "number": 90.0}]
    assert record["comparators"][0] == {"name": "National", "text": "67%", "number": 67.0, "as_at": "2018-03-31"}
    assert record["values"] == [{"period": "2025-04", "text": "81.0%", "number": 81.0},
                                {"period": "2025-06", "text": "84.7%", "number": 84.7}]


# -- the demo partnership ----------------------------------------------------------------------

def test_the_demo_kpi_set(kpi_db):
    snap = load_kpis(kpi_db)
    kpis = {k.ref: k for k in snap.kpis}
    assert 28 <= len(kpis) <= 40
    harwick = kpis["1a (i)"]  # the published EHCP counts by area, relabelled to a demo district
    assert [v.period for v in harwick.values] == [str(y) for y in range(2017, 2025)]
    assert harwick.values[-1].text == "11,258" and harwick.values[-1].number == 11258
    assert [v.text for v in kpis["1a (iv)"].values][:2] == ["no data", "no data"]
    published = kpis["2a (i)"]
    assert published.values[0].text == "84.7%"
    assert published.target_for("2018/19").text == "90%"
    assert ("National", "67%") in [(c.name, c.text) for c in published.comparators]
    monthly = kpis["2a (ii)"]
    assert len(monthly.values) >= 36 and monthly.latest.label == "Oct 2026" and monthly.latest.text == "tbc"
    assert any(t.text.startswith("Baseline") for t in monthly.targets)
    assert {k.frequency for k in snap.kpis} >= {"monthly", "quarterly", "6-monthly", "annual"}
    assert {k.unit for k in snap.kpis} == {"%", "count", "weeks", "text"}
    assert {k.rag.status for k in snap.kpis} == {"green", "amber", "red", None}
    priority_refs = {ref for _, ref in snap.priorities}
    assert {k.priority_ref for k in snap.kpis} == priority_refs
    with kpi_db.reading() as con:
        sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM change_log WHERE entity LIKE 'kpi%'")}
    assert sources == {"demo data"}


def test_the_demo_set_is_the_same_for_the_same_seed(db):
    from send_desktop.services.demo_kpis import load_demo_kpis

    load_demo_kpis(db, today=DEMO_TODAY)  # a file without audits: the audit measures are made up too
    first = dump_kpis(db)
    for kid in kpi_ids(db):
        S.delete_kpi(db, kid)
    load_demo_kpis(db, today=DEMO_TODAY)
    assert dump_kpis(db) == first
