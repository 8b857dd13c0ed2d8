"""The risk and KPI imports write new records in bulk (`changelog.insert_logged`): the same
records, and a change log that says the same, as writing them one ORM object at a time did.

Each test exports the demo partnership's register or KPI set, removes half of it from two copies
of the file (so the workbook brings back new records, with their mitigations, reviews, links,
values, targets and comparators, and edits the rest), and imports the same workbook into each
copy: one through the write step as it was before (`_orm_risks` / `_orm_kpis` below, the ORM path
kept here as the reference), one through today's. Every table is then compared row by row (ids
included, generated uids left out), and so is the change log: its rows for the bulk path, each
record's insert with every later update of the same import applied, must give the record the ORM
path's rows give it. Undoing the bulk import must put the file back as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from send_desktop.core.progress import run_steps
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.storage.database import open_database, save_copy
from send_desktop.xlsx import kpi_xlsx_apply, risk_xlsx
from send_desktop.xlsx.kpi_xlsx import export_kpis, import_kpis
from send_desktop.xlsx.risk_xlsx import export_risks, import_risks
from tests.helpers import db_contents
from tests.test_kpis import kpi_db  # noqa: F401 - the demo with its KPI set
from tests.test_risks import risk_db  # noqa: F401 - the demo with its register

TODAY = dt.date(2026, 10, 1)
RISK_TABLES = ("risk", "risk_category", "risk_mitigation", "risk_assessment", "risk_priority", "risk_action")
KPI_TABLES = ("kpi", "kpi_value", "kpi_target", "kpi_comparator")


# -- the write steps as they were: one ORM object per record -----------------------------------

def _orm_risks(session, cs):
    from sqlalchemy import func, select

    from send_desktop.services.risks import apply_risk_changes, save_matrix_in
    from send_desktop.storage.models import Risk, RiskCategory
    from send_desktop.xlsx.changeset import New, ident

    if cs.matrix is not None:
        save_matrix_in(session, cs.matrix)
    top = session.scalar(select(func.max(RiskCategory.position)))
    for n, item in enumerate(cs.categories, (top if top is not None else -1) + 1):
        if isinstance(item, New):
            values = {k: v for k, v in item.values.items() if v is not None or k == "appetite"}
            item.obj = RiskCategory(position=n, **values)
            session.add(item.obj)
        else:
            obj = session.get(RiskCategory, item.id)
            for key, value in item.values.items():
                setattr(obj, key, value)
    session.flush()
    top = session.scalar(select(func.max(Risk.position)))
    position = (top if top is not None else -1) + 1
    for item in cs.risks:
        if isinstance(item, New):
            values = dict(item.values)
            links = {k: values.pop(k) for k in ("category", "priority_ids", "action_ids")}
            if values.get("uid") is None:
                values.pop("uid")
            item.obj = Risk(position=position, **values)
            position += 1
            session.add(item.obj)
            session.flush()
            apply_risk_changes(session, item.obj, links)
        else:
            risk = session.get(Risk, item.id)
            values = dict(item.values)
            for key in ("current_likelihood", "current_impact"):
                if key in values:
                    setattr(risk, key, values.pop(key))
            apply_risk_changes(session, risk, values)
    session.flush()
    for items in (cs.mitigations, cs.assessments):
        for item in items:
            if isinstance(item, New):
                values = {k: v for k, v in item.values.items() if k != "risk" and not (k == "uid" and v is None)}
                session.add(item.model(risk_id=ident(item.values["risk"]), **values))
            else:
                obj = session.get(item.model, item.id)
                for key, value in item.values.items():
                    setattr(obj, key, value)
    session.flush()
    yield from ()


def _orm_kpis(session, cs):
    from sqlalchemy import func, select

    from send_desktop.core.periods import parse_period
    from send_desktop.storage.models import Kpi, KpiComparator
    from send_desktop.xlsx.kpi_xlsx_apply import CREATED, UPDATED, _by_id

    position = session.scalar(select(func.max(Kpi.position)))
    position = -1 if position is None else position
    kpis = _by_id(session, Kpi, [c.existing.id for c in cs.kpis if c.existing is not None and c.edits])
    for c in cs.kpis:
        if c.existing is None:
            position += 1
            defaults = dict(officer="", frequency="monthly", unit="%", direction="higher", tolerance=None, notes="")
            c.obj = Kpi(**{**defaults, **c.fields}, position=position, **({"uid": c.uid} if c.uid else {}))
            session.add(c.obj)
        elif c.edits:
            for key, value in c.edits.items():
                setattr(kpis[c.existing.id], key, value)
    session.flush()
    for c in cs.kpis:
        kpi_id = c.obj.id if c.obj is not None else c.existing.id
        for p in c.points:
            old = session.get(p.model, p.existing.id) if p.existing else None
            if p.op == CREATED:
                session.add(p.model(kpi_id=kpi_id, period=p.period, period_end=parse_period(p.period).end,
                                    text=p.value.text, number=p.value.number))
            elif p.op == UPDATED:
                old.text, old.number = p.value.text, p.value.number
            else:
                session.delete(old)
        for x in c.comparators:
            old = session.get(KpiComparator, x.existing.id) if x.existing else None
            if x.op == CREATED:
                session.add(KpiComparator(kpi_id=kpi_id, **x.values, **({"uid": x.uid} if x.uid else {})))
            elif x.op == UPDATED:
                for key, value in x.values.items():
                    setattr(old, key, value)
            else:
                session.delete(old)
    session.flush()
    yield from ()


# -- comparing two files -------------------------------------------------------------------------

def _rows(path: Path, table: str, keep_uid: bool = False) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = con.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        names = [d[0] for d in cur.description]
        return [tuple((n, v) for n, v in zip(names, row) if keep_uid or n != "uid") for row in cur]
    finally:
        con.close()


def _log(path: Path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT op, entity, entity_id, field, old, new, user, source, batch_id FROM change_log "
                           "ORDER BY id").fetchall()
    finally:
        con.close()


def _text(value):
    """A logged value as the hook writes it in an update: text, a collection as "A; B"."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(value) or None
    return json.dumps(value)


def _replayed(log: list[tuple]) -> dict:
    """What an import's change log says: (entity, id) -> each record it made as its insert leaves
    it with every later update applied (uids left out: new ones are random), and (op, entity, id,
    field) -> (old, new) for its changes to records it did not make; each with the user and source."""
    out: dict = {}
    for op, entity, entity_id, field, old, new, user, source, batch in log:
        assert batch is not None, "a change of the import without its batch"
        if op == "insert":
            record = {k: _text(v) for k, v in json.loads(new).items() if k != "uid"}
            out[entity, entity_id] = ({k: v for k, v in record.items() if v is not None}, (user, source))
        elif op == "update" and (entity, entity_id) in out:
            record = out[entity, entity_id][0]
            record[field] = new
            if new is None:
                del record[field]
        else:
            out[op, entity, entity_id, field] = (old, new, (user, source))
    return out


def _copies(db, tmp_path: Path, delete_sql: list[str]) -> tuple[Path, Path]:
    base = tmp_path / "base.sqlite"
    save_copy(db.path, base)
    con = sqlite3.connect(base)
    con.execute("PRAGMA foreign_keys=ON")
    for sql in delete_sql:
        con.execute(sql)
    con.commit()
    con.close()
    a, b = tmp_path / "orm.sqlite", tmp_path / "bulk.sqlite"
    for target in (a, b):
        save_copy(base, target)
    return a, b


def _import_both(a: Path, b: Path, run, monkeypatch, module, name: str, reference) -> tuple[object, object]:
    reports = []
    for path, writer in ((a, reference), (b, None)):
        with monkeypatch.context() as m:
            if writer is not None:
                m.setattr(module, name, writer)
            database = open_database(path, user="Test Auditor")
            try:
                reports.append(run(database))
            finally:
                database.close()
    return reports


# -- risks ------------------------------------------------------------------------------------------

@pytest.fixture
def risk_book(risk_db, tmp_path) -> Path:
    path = run_steps(export_risks(risk_db, tmp_path / "register.xlsx", today=TODAY))
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    headers = {c.value: c.column for c in ws[2]}
    ws.cell(3, headers["Risk"]).value = "A title changed in the workbook"   # an edit of a kept risk
    ws.cell(4, headers["Owner"]).value = "Someone New"
    wb.save(path)
    return path


@pytest.mark.parametrize("gone", ["id % 2 = 0", "1"], ids=["half", "all"])
def test_bulk_risks_are_the_records_and_log_the_orm_path_wrote(risk_db, risk_book, tmp_path, monkeypatch, gone):
    a, b = _copies(risk_db, tmp_path, [f"DELETE FROM risk WHERE {gone}", "DELETE FROM change_log"])
    orm, bulk = _import_both(a, b, lambda d: run_steps(import_risks(d, risk_book, today=TODAY, source="import")),
                             monkeypatch, risk_xlsx, "_apply", _orm_risks)
    assert bulk.created == orm.created > 5 and bulk.updated == orm.updated >= (gone != "1")
    for table in RISK_TABLES:
        assert _rows(b, table) == _rows(a, table), table
    assert _rows(b, "risk", keep_uid=True) == _rows(a, "risk", keep_uid=True)  # the workbook's ids are kept
    with sqlite3.connect(b) as con:  # the new risks came back with their links
        assert con.execute("SELECT count(*) FROM risk_priority WHERE risk_id % 2 = 0").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM risk_mitigation WHERE risk_id % 2 = 0").fetchone()[0] > 0
    log_a, log_b = _log(a), _log(b)
    assert _replayed(log_b) == _replayed(log_a)
    inserts = [r for r in log_b if r[0] == "insert" and r[1] == "risk"]
    assert len(inserts) == bulk.created  # one logged insert per new risk, written whole
    assert not [r for r in log_b if r[0] == "update" and (r[1], r[2]) in {(i[1], i[2]) for i in inserts}]
    with sqlite3.connect(b) as con:  # every row is the one import's, which undo lists
        assert {r[8] for r in log_b} == {r[0] for r in con.execute("SELECT id FROM import_batch")}


def test_undoing_a_bulk_risk_import_removes_all_of_it(risk_db, risk_book, tmp_path):
    _, b = _copies(risk_db, tmp_path, ["DELETE FROM risk WHERE id % 2 = 0"])
    database = open_database(b, user="Test Auditor")
    try:
        before = {t: _rows(b, t, keep_uid=True) for t in RISK_TABLES}
        report = run_steps(import_risks(database, risk_book, today=TODAY, source="import"))
        assert report.created > 5 and _rows(b, "risk") != before["risk"]
        summary = undo_import(database, imports(database)[0]["id"])
        assert summary["deleted"] >= report.created
        assert {t: _rows(b, t, keep_uid=True) for t in RISK_TABLES} == before
    finally:
        database.close()


# -- KPIs ---------------------------------------------------------------------------------------------

@pytest.fixture
def kpi_book(kpi_db, tmp_path) -> Path:
    path = run_steps(export_kpis(kpi_db, tmp_path / "kpis.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Values"]
    headers = {c.value: c.column for c in ws[2]}
    periods = [h for h in headers if isinstance(h, str) and any(ch.isdigit() for ch in h)]
    filled = [(r, c) for r in range(3, ws.max_row + 1) for c in (headers[p] for p in periods)
              if ws.cell(r, c).value not in (None, "")]
    (r1, c1), (r2, c2) = filled[0], filled[-1]
    ws.cell(r1, c1).value = "12.5%"   # an update of a kept KPI's value
    ws.cell(r2, c2).value = None      # a removal
    wb.save(path)
    return path


@pytest.mark.parametrize("gone", ["id % 2 = 0", "1"], ids=["half", "all"])
def test_bulk_kpis_are_the_records_and_log_the_orm_path_wrote(kpi_db, kpi_book, tmp_path, monkeypatch, gone):
    a, b = _copies(kpi_db, tmp_path, [f"DELETE FROM kpi WHERE {gone}", "DELETE FROM change_log"])
    orm, bulk = _import_both(a, b, lambda d: run_steps(import_kpis(d, kpi_book, source="import")),
                             monkeypatch, kpi_xlsx_apply, "apply", _orm_kpis)
    assert (bulk.created, bulk.updated, bulk.other) == (orm.created, orm.updated, orm.other)
    assert bulk.created > 3 and bulk.other["value"]["created"] > 20
    if gone != "1":  # edits of the KPIs the file kept
        assert bulk.other["value"]["updated"] >= 1 and bulk.other["value"]["removed"] >= 1
    for table in KPI_TABLES:
        assert _rows(b, table) == _rows(a, table), table
    assert _rows(b, "kpi", keep_uid=True) == _rows(a, "kpi", keep_uid=True)
    log_a, log_b = _log(a), _log(b)
    assert len(log_b) == len(log_a)  # a KPI was always written whole: the very same rows
    assert _replayed(log_b) == _replayed(log_a)


def test_undoing_a_bulk_kpi_import_removes_all_of_it(kpi_db, kpi_book, tmp_path):
    _, b = _copies(kpi_db, tmp_path, ["DELETE FROM kpi WHERE id % 2 = 0"])
    database = open_database(b, user="Test Auditor")
    try:
        before = {t: _rows(b, t, keep_uid=True) for t in KPI_TABLES}
        report = run_steps(import_kpis(database, kpi_book, source="import"))
        assert report.created > 3
        undo_import(database, imports(database)[0]["id"])
        assert {t: _rows(b, t, keep_uid=True) for t in KPI_TABLES} == before
    finally:
        database.close()


def test_uids_made_in_bulk_are_version_4_uuids_like_new_uid():
    import uuid

    from send_desktop.storage.models import new_uid, new_uids

    made = new_uids(2000)
    assert len(made) == len(set(made)) == 2000 and new_uids(0) == []
    for uid in made[:50] + [new_uid()]:
        parsed = uuid.UUID(uid)
        assert (len(uid), parsed.hex, parsed.version, parsed.variant) == (32, uid, 4, uuid.RFC_4122)
