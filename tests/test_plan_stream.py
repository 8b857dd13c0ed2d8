"""An officer's tracker is written a part at a time while its rows are checked (`xlsx.plan_stream`).

The same workbook is imported twice into copies of the same database: once written whole at the
end (as every import below STREAM_ROWS rows is), once a few rows at a time. The database, the
report and the change log must come out the same; a problem or a cancel after parts were
written must leave the database as it was; and the records made must not pile up until the end.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from tests.helpers import db_contents
from tests.test_tolerant_plan import TODAY, council_tracker, improvement_plan_tracker

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, Cancelled
from send_desktop.services.plan_dump import dump_plan
from send_desktop.storage.database import open_database
from send_desktop.xlsx import plan_apply, plan_stream
from send_desktop.xlsx.plan_import import import_plan

_UID = re.compile(r"[0-9a-f]{32}")
_STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?")


def long_tracker(path: Path, rows: int = 60, bad_at: int | None = None) -> Path:
    """A tracker as councils keep one: title rows, merged priority banners, outcome banners, rows that
    continue the action above, statuses as words and as a fill only, a repeated ref, one workstream
    spelt three ways, and an outcome first met through an action's own ref whose banner comes later."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Seaview SEND improvement tracker"])
    ws.append(["Key: Red delayed, Amber on track, Green done"])
    ws.append(["Ref", "Actions \u2013 what we will do", "Workstream and lead officers", "Lead officer", "Timescale",
               "RAG", "Success criteria", "Progress update"])
    line, n = 3, 0
    spellings = ["EHCPs / Annual Reviews", "EHCP's / Annual Reviews", "EHCP/Annual Review", "Inclusion"]
    for p in (1, 2, 3):
        ws.append([f"{p}. Leaders improve area {p}"])
        line += 1
        ws.merge_cells(f"A{line}:H{line}")
        for o in (1, 2):
            if not (p == 3 and o == 2):  # 3.2 is first named by its actions' refs; its banner comes after
                ws.append([f"{p}.{o} Outcome: families notice change {p}.{o}"])
                line += 1
            for a in range(1, rows // 6 + 1):
                n += 1
                status = ("Red", "On track", "Completed", "Delayed", None)[n % 5]
                if bad_at == n:
                    status = "Sideways"
                ref = f"{p}.{o}.{a}" if n != 7 else "1.1.1"  # row 7 repeats a ref
                ws.append([ref, f"Deliver step {n}", spellings[n % 4], f"Officer {n % 3}; Officer {(n + 1) % 3}",
                           ("Sept 2025", "Feb 26", "31/07/2026", "TBC")[n % 4], status,
                           f"Measure {n}", f"Note {n}"])
                line += 1
                if status is None:
                    ws.cell(line, 6).fill = PatternFill("solid", fgColor="FF00B050")
                if n % 9 == 0:
                    ws.append([None, None, None, None, None, None, f"Also measure {n}", f"More on {n}"])
                    line += 1
    ws.append(["3.2 Outcome: the banner of an outcome its actions named first"])
    ws.append(["3.2.99", "A late action", "Inclusion", "Officer 1", "March 2026", "Amber", "Done", ""])
    wb.save(path)
    return path


def updating_tracker(path: Path, demo_path: Path) -> Path:
    """The demo plan's own actions, changed, with new ones among them."""
    database = open_database(demo_path, user="Test Auditor")
    try:
        actions = dump_plan(database)["actions"]
    finally:
        database.close()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Board tracker"])
    ws.append(["Action No.", "Action", "RAG status", "Deadline", "Lead officer"])
    for i, a in enumerate(actions):
        status = a["status"] if i % 3 else ("Delayed" if a["status"] != "Red" else "On track")
        ws.append([a["ref"], a["action"], status, a["timescale"] if i % 4 else "Dec 2026",
                   "; ".join(a["leads"]) if i % 5 else "New Officer"])
        if i % 7 == 0:
            ws.append([f"{a['ref']}.9", f"New step after {a['ref']}", "Amber", "June 2026", "New Officer"])
    wb.save(path)
    return path


def outcome(db_path: Path, workbook: Path, every: int, monkeypatch, **kw):
    """Import `workbook` into `db_path` writing every `every` rows: the report, and the database
    (its rows, and its change log) with ids made at random and times masked."""
    monkeypatch.setattr(plan_stream, "STREAM_ROWS", every)
    monkeypatch.setattr(plan_apply, "BULK", 5)  # the bulk path too, in parts of a few records
    monkeypatch.setattr(plan_apply, "CHUNK", 4)
    database = open_database(db_path, user="Test Auditor")
    try:
        report = run_steps(import_plan(database, workbook, today=TODAY, **kw))
        dumped = dump_plan(database)
    finally:
        database.close()
    lines = sorted(_mask(line) for line in db_contents(db_path)  # sorted: the order rows went in may differ
                   if not line.startswith(('INSERT INTO "change_log"', 'INSERT INTO "import_batch"')))
    con = sqlite3.connect(db_path)
    try:
        log = sorted(tuple(_mask(v) if isinstance(v, str) else v for v in row) for row in con.execute(
            "SELECT op, entity, entity_id, field, old, new, user, source FROM change_log"))
        batches = con.execute("SELECT file, kind, counts FROM import_batch").fetchall()
    finally:
        con.close()
    return report, _mask(repr(dumped)), lines, log, batches


def _mask(text: str) -> str:
    return _STAMP.sub("<when>", _UID.sub("<uid>", text))


def copies(make_db, tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "whole.sqlite", tmp_path / "parts.sqlite"
    make_db(a)
    shutil.copyfile(a, b)
    return a, b


def empty(path: Path) -> None:
    open_database(path, create=True, user="Test Auditor").close()


@pytest.mark.parametrize("make", ["council", "improvement", "long"])
def test_a_new_plan_written_in_parts_is_the_plan_written_whole(make, tmp_path, monkeypatch):
    book = {"council": council_tracker, "improvement": improvement_plan_tracker,
            "long": long_tracker}[make](tmp_path / f"{make}.xlsx")
    whole_db, parts_db = copies(empty, tmp_path)
    whole = outcome(whole_db, book, 10**9, monkeypatch)
    parts = outcome(parts_db, book, 2, monkeypatch)
    assert parts[0].as_dict() == whole[0].as_dict()
    assert parts[0].other == whole[0].other and parts[0].summary() == whole[0].summary()
    assert parts[1:3] == whole[1:3] and parts[4] == whole[4]
    # the one difference: outcome 3.2, written before a later row worded it, then edited (see below)
    def logged(log):
        return [r for r in log if r[:2] != ("update", "outcome") and not (r[1] == "outcome" and '"3.2"' in r[5])]

    if make == "long":
        assert logged(parts[3]) == logged(whole[3]) and len(logged(whole[3])) == len(whole[3]) - 1
    else:
        assert parts[3] == whole[3]
    if make == "long":
        report = whole[0]
        assert report.created == 61 and report.other["priority"]["created"] == 3
        assert report.other["outcome"]["created"] == 6


def test_the_plan_updated_in_parts_is_the_plan_updated_whole(demo_db_path, tmp_path, monkeypatch):
    book = updating_tracker(tmp_path / "returned.xlsx", demo_db_path)
    whole_db, parts_db = copies(lambda p: shutil.copyfile(demo_db_path, p), tmp_path)
    whole = outcome(whole_db, book, 10**9, monkeypatch)
    parts = outcome(parts_db, book, 3, monkeypatch)
    report = whole[0]
    assert report.created > 0 and report.updated > 0 and report.unchanged > 0
    assert report.other.get("person", {}).get("created") == 1
    assert parts[0].as_dict() == report.as_dict() and parts[0].other == report.other
    assert parts[1:] == whole[1:]


def test_an_outcome_written_before_a_later_row_worded_it_is_then_edited(tmp_path, monkeypatch):
    """3.2 is written with the first rows under it, which give it no wording; its banner, further down,
    does: the outcome ends as the whole import would make it, its change logged as an edit."""
    book = long_tracker(tmp_path / "long.xlsx")
    whole_db, parts_db = copies(empty, tmp_path)
    outcome(whole_db, book, 10**9, monkeypatch)
    outcome(parts_db, book, 2, monkeypatch)
    for path in (whole_db, parts_db):
        con = sqlite3.connect(path)
        try:
            (text,) = con.execute("SELECT text FROM outcome WHERE ref = '3.2'").fetchone()
            edits = con.execute("SELECT field, new FROM change_log WHERE entity = 'outcome' AND op = 'update'"
                                ).fetchall()
        finally:
            con.close()
        assert text == "the banner of an outcome its actions named first"
        assert edits == ([] if path == whole_db else [("text", text)])


def test_a_problem_found_after_parts_were_written_changes_nothing(demo_db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_stream, "STREAM_ROWS", 3)
    book = long_tracker(tmp_path / "bad.xlsx", bad_at=40)  # a status the plan's scale lacks, far down
    before = db_contents(demo_db_path)
    database = open_database(demo_db_path, user="Test Auditor")
    writes = []
    real = plan_stream.flush

    def flush(r, progress):
        writes.append(r.cs.size())
        yield from real(r, progress)

    monkeypatch.setattr(plan_stream, "flush", flush)
    try:
        with pytest.raises(BadInputError) as caught:
            run_steps(import_plan(database, book, today=TODAY))
    finally:
        database.close()
    assert len(writes) > 5  # parts were written before the problem was met
    assert any("'Sideways' is not a level" in p.message for p in caught.value.problems)
    assert db_contents(demo_db_path) == before


def test_a_cancel_after_parts_were_written_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_stream, "STREAM_ROWS", 4)
    from send_desktop.xlsx import plan_rows

    monkeypatch.setattr(plan_rows, "PROGRESS_ROWS", 4)
    book = long_tracker(tmp_path / "long.xlsx")
    path = tmp_path / "new.sqlite"
    empty(path)
    before = db_contents(path)
    database = open_database(path, user="Test Auditor")
    seen = []
    try:
        with pytest.raises(Cancelled):
            run_steps(import_plan(database, book, today=TODAY), seen.append,
                      lambda: bool(seen) and seen[-1].message.startswith("Checking") and seen[-1].done >= 40)
    finally:
        database.close()
    assert db_contents(path) == before


def test_records_are_let_go_of_as_they_are_written_and_the_file_backed_up_once(tmp_path, monkeypatch):
    """Written every 10 rows: what is left for the end is under 10 rows' worth, and the backup is
    taken once, before the first write (none for a dry run)."""
    from send_desktop.xlsx import plan_resolve

    monkeypatch.setattr(plan_stream, "STREAM_ROWS", 10)
    book = long_tracker(tmp_path / "long.xlsx", rows=120)
    path = tmp_path / "new.sqlite"
    empty(path)
    left = []
    steps = plan_resolve.Resolver.steps

    def watched(self, *a, **kw):
        cs = yield from steps(self, *a, **kw)
        left.append((len(cs.actions), len(cs.statuses), cs.streamed.get("action", [0])[0]))
        return cs

    monkeypatch.setattr(plan_resolve.Resolver, "steps", watched)
    database = open_database(path, user="Test Auditor")
    try:
        dry = run_steps(import_plan(database, book, today=TODAY, dry_run=True))
        backups = path.parent / "backups"
        assert not (backups.exists() and list(backups.glob("*before-import*")))
        report = run_steps(import_plan(database, book, today=TODAY))
    finally:
        database.close()
    assert dry.created == report.created == 121
    for actions, statuses, streamed in left:
        assert actions < 10 and statuses < 10 and streamed + actions == 121
    assert len(list(backups.glob("*before-import*"))) == 1
    database = open_database(path, user="Test Auditor")
    try:
        assert len(dump_plan(database)["actions"]) == 121
    finally:
        database.close()


def test_a_read_only_file_takes_a_dry_run_in_parts_without_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_stream, "STREAM_ROWS", 3)
    book = long_tracker(tmp_path / "long.xlsx")
    path = tmp_path / "new.sqlite"
    empty(path)
    before = db_contents(path)
    database = open_database(path, user="Test Auditor", read_only=True)
    try:
        report = run_steps(import_plan(database, book, today=TODAY, dry_run=True))
    finally:
        database.close()
    assert report.created == 61 and db_contents(path) == before
