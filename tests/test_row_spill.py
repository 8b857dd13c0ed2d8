"""The rows an officer's tracker gives are kept on disk a block at a time until they are checked
(send_desktop/xlsx/row_spill.py): the list itself, and whole imports with blocks of two or three
rows against the same imports with every row in memory."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from tests.helpers import db_contents
from tests.test_plan_stream import long_tracker, outcome, updating_tracker
from tests.test_tolerant_matching import SHEET, matches_by_ref, officers_tracker
from tests.test_tolerant_plan import council_tracker, improvement_plan_tracker

from send_desktop.cli import main
from send_desktop.storage.database import open_database
from send_desktop.xlsx import plan_apply, plan_stream, row_spill
from send_desktop.xlsx.row_spill import SpilledRows


def rows(n: int, start: int = 0) -> list[dict]:
    return [{"_row": i, "ref": f"1.1.{i}", "text": f"action {i}", "leads": [f"Lead {i % 3}"]}
            for i in range(start, start + n)]


def test_rows_come_back_in_order_a_block_at_a_time_from_a_file_made_only_when_needed():
    few = SpilledRows(block=4)
    for row in rows(4):
        few.append(row)
    assert few.spilled == 0 and few._file is None  # a block's worth stays in memory: no file
    assert list(few) == rows(4) and len(few) == 4 and few

    many = SpilledRows(block=4)
    for row in rows(11):
        many.append(row)
    assert many.spilled == 2 and len(many) == 11  # two blocks on disk, the newest three in memory
    assert list(many) == rows(11)
    assert list(many) == rows(11)  # read again: the same rows, in the same order
    assert not SpilledRows() and len(SpilledRows()) == 0 and list(SpilledRows()) == []


def test_the_newest_row_stays_in_memory_so_a_reader_can_still_add_to_it():
    spilled = SpilledRows(block=2)
    first, second, third = rows(3)
    spilled.append(first)
    spilled.append(second)  # the block is full, but its newest row may still change
    second["text"] += " continued on the next line"  # a continuation row adds to the action above
    assert spilled.spilled == 0
    spilled.append(third)  # now the block goes to disk, with the row as it ended
    third["text"] += " and on the next"
    got = list(spilled)
    assert spilled.spilled == 1
    assert [r["text"] for r in got] == ["action 0", "action 1 continued on the next line",
                                        "action 2 and on the next"]
    got[0]["text"] = "changed after reading"  # a row read back from disk is a copy
    assert list(spilled)[0]["text"] == "action 0"


def test_closing_lets_go_of_the_rows_and_the_file():
    spilled = SpilledRows(block=3)
    for row in rows(10):
        spilled.append(row)
    file = spilled._file
    assert file is not None and not file.closed
    spilled.close()
    assert file.closed and len(spilled) == 0 and list(spilled) == []
    spilled.close()  # twice is harmless


def test_the_module_block_size_is_read_when_the_rows_are_made(monkeypatch):
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 3)
    spilled = SpilledRows()
    for row in rows(7):
        spilled.append(row)
    assert spilled.block == 3 and spilled.spilled == 2


@pytest.fixture
def spills(monkeypatch) -> list:
    """Every block written to disk (its number of rows), so that a test shows the rows went there."""
    written = []
    spill = SpilledRows._spill

    def counted(self):
        written.append(len(self._tail))
        spill(self)

    monkeypatch.setattr(SpilledRows, "_spill", counted)
    return written


def _copies(tmp_path: Path, source: Path | None) -> tuple[Path, Path]:
    a, b = tmp_path / "memory.sqlite", tmp_path / "spilled.sqlite"
    if source is None:
        open_database(a, create=True, user="Test Auditor").close()
    else:
        shutil.copyfile(source, a)
    shutil.copyfile(a, b)
    return a, b


def _same(memory, spilled) -> None:
    assert spilled[0].as_dict() == memory[0].as_dict()
    assert spilled[0].other == memory[0].other and spilled[0].summary() == memory[0].summary()
    assert spilled[1:] == memory[1:]  # the plan, every row of the database, the change log, the batch


@pytest.mark.parametrize("make", ["council", "improvement", "long"])
def test_a_new_plan_read_through_blocks_on_disk_is_the_plan_read_in_memory(make, tmp_path, monkeypatch, spills):
    book = {"council": council_tracker, "improvement": improvement_plan_tracker,
            "long": long_tracker}[make](tmp_path / f"{make}.xlsx")
    in_memory, on_disk = _copies(tmp_path, None)
    memory = outcome(in_memory, book, 10**9, monkeypatch)
    assert spills == []  # a small workbook never touches the disk
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 2)
    spilled = outcome(on_disk, book, 10**9, monkeypatch)
    assert spills and set(spills) == {2}
    _same(memory, spilled)
    assert memory[0].created > 0


def test_a_plan_updated_through_blocks_on_disk_and_written_in_parts_is_the_same(demo_db_path, tmp_path,
                                                                               monkeypatch, spills):
    book = updating_tracker(tmp_path / "returned.xlsx", demo_db_path)
    in_memory, on_disk = _copies(tmp_path, demo_db_path)
    memory = outcome(in_memory, book, 10**9, monkeypatch)
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 3)
    spilled = outcome(on_disk, book, 4, monkeypatch)  # written in parts as well
    assert len(spills) >= 3
    _same(memory, spilled)
    report = memory[0]
    assert report.created > 0 and report.updated > 0 and report.unchanged > 0


def test_actions_matched_by_wording_through_blocks_on_disk_match_as_in_memory(demo_db_path, tmp_path,
                                                                              monkeypatch, spills):
    """Wording is compared over a second reading of the rows: the matches found, and the ones
    decided, are the same when that reading comes back from disk."""
    db = open_database(demo_db_path, user="Test Auditor")
    try:
        book = officers_tracker(db, tmp_path / "tracker.xlsx")
    finally:
        db.close()
    in_memory, on_disk = _copies(tmp_path, demo_db_path)
    memory = outcome(in_memory, book, 10**9, monkeypatch, dry_run=True)
    found = matches_by_ref(memory[0])
    assert set(found) == {"4.1.4", "4.1.5", "4.4.3", "4.5.4"} and all(m["sheet"] == SHEET for m in found.values())
    decisions = {found["4.4.3"]["key"]: True, found["4.5.4"]["key"]: False}
    memory = outcome(in_memory, book, 10**9, monkeypatch, matches=decisions)
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 2)
    spilled = outcome(on_disk, book, 10**9, monkeypatch, matches=decisions)
    assert len(spills) >= 3
    _same(memory, spilled)
    assert (memory[0].created, memory[0].updated) == (2, 4)
    assert matches_by_ref(spilled[0])["4.4.3"]["merged"]


class _FullDisk:
    """A temporary file on a disk with no room left: every write fails as a full disk does."""

    def __init__(self, *a, **kw):
        self.closed = False

    def seek(self, *a):
        return 0

    def tell(self):
        return 0

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        self.closed = True


@pytest.mark.parametrize("dry_run", [True, False])
def test_no_room_for_the_rows_is_said_in_one_line_and_changes_nothing(demo_db_path, tmp_path, monkeypatch,
                                                                      capsys, dry_run):
    book = updating_tracker(tmp_path / "returned.xlsx", demo_db_path)
    before = db_contents(demo_db_path)
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 2)
    monkeypatch.setattr(row_spill.tempfile, "TemporaryFile", _FullDisk)
    code = main(["import", str(demo_db_path), str(book)] + (["--dry-run"] if dry_run else []))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "Traceback" not in err
    assert "could not be kept in a temporary file" in err and "No space left on device" in err
    assert "Nothing was changed" in err and "could not be read as an Excel workbook" not in err
    assert db_contents(demo_db_path) == before


def test_rows_that_cannot_be_read_back_are_refused_and_the_import_rolled_back(demo_db_path, tmp_path,
                                                                             monkeypatch, capsys):
    """The file cut short after the rows went to it (while the import was already writing them,
    a part at a time): the whole import is refused and rolled back."""
    book = updating_tracker(tmp_path / "returned.xlsx", demo_db_path)
    before = db_contents(demo_db_path)
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 2)
    monkeypatch.setattr(plan_stream, "STREAM_ROWS", 2)
    made = []
    real = row_spill.tempfile.TemporaryFile

    def tracked(*a, **kw):
        f = real(*a, **kw)
        made.append(f)
        return f

    monkeypatch.setattr(row_spill.tempfile, "TemporaryFile", tracked)
    written = []
    apply = plan_apply.apply_changes

    def counted(s, part):
        written.append(part.size())
        return (yield from apply(s, part))

    monkeypatch.setattr(plan_apply, "apply_changes", counted)
    reading = SpilledRows.__iter__

    def cut_short(self):
        for row in reading(self):
            if written and self._file is not None and self._blocks and not self._file.closed:
                self._file.truncate(self._blocks[-1][0] + 3)  # the last block on disk loses its end
            yield row

    monkeypatch.setattr(SpilledRows, "__iter__", cut_short)
    code = main(["import", str(demo_db_path), str(book)])
    err = capsys.readouterr().err.strip()
    assert made and sum(written) > 0  # parts were written before the rows ran out
    assert code == 2 and "\n" not in err and "Traceback" not in err
    assert "could not be read back from their temporary file" in err
    assert db_contents(demo_db_path) == before
