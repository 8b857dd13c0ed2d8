"""The database file: pragmas, one writer at a time, copies."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text

from send_desktop.errors import DatabaseOpenError, ReadOnlyError
from send_desktop.services import plan_edit
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.database import open_database, save_copy
from send_desktop.storage.models import Priority


def test_wal_and_foreign_keys_are_on(db):
    with db.session() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_missing_file_without_create_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_database(tmp_path / "nowhere.sqlite", user="t")


def test_second_open_is_read_only_and_cannot_damage_the_file(db, db_path):
    plan_id = load_plan(db).plan_id
    plan_edit.add_priority(db, plan_id, statement="First")
    second = open_database(db_path, user="Someone else")
    try:
        assert second.read_only
        assert "already open" in second.read_only_message()
        assert [p.statement for p in load_plan(second).priorities] == ["First"]
        with pytest.raises(ReadOnlyError):
            plan_edit.add_priority(second, plan_id, statement="Second")
    finally:
        second.close()
    # the first instance carries on writing normally
    plan_edit.add_priority(db, plan_id, statement="Third")
    assert [p.statement for p in load_plan(db).priorities] == ["First", "Third"]


def test_lock_is_released_on_close(db_path):
    first = open_database(db_path, create=True, user="a")
    first.close()
    second = open_database(db_path, user="b")
    assert not second.read_only
    second.close()


def test_failed_unit_of_work_rolls_back(db):
    plan_id = load_plan(db).plan_id
    with pytest.raises(RuntimeError):
        with db.session() as s:
            s.add(Priority(plan_id=plan_id, ref="9", statement="half done", evidence_of_impact="",
                           difference_for_cyp="", position=0))
            s.flush()
            raise RuntimeError("power cut")
    with db.session() as s:
        assert s.scalars(select(Priority)).all() == []


def test_save_a_copy_is_a_complete_standalone_file(db, tmp_path):
    plan_id = load_plan(db).plan_id
    plan_edit.add_priority(db, plan_id, statement="Kept in the copy")
    target = tmp_path / "copy.sqlite"
    save_copy(db.path, target)
    con = sqlite3.connect(target)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("SELECT statement FROM priority").fetchall() == [("Kept in the copy",)]
    con.close()


def test_new_uids_are_random_version_4_uuids_each_once():
    import uuid

    from send_desktop.storage.models import new_uid

    made = [new_uid() for _ in range(3_000)]  # more than one batch of random bytes
    assert len(set(made)) == len(made)
    for text in made:
        u = uuid.UUID(text)
        assert (u.hex, u.version, u.variant) == (text, 4, uuid.RFC_4122)


def test_close_waits_for_a_read_on_another_thread_and_refuses_later_reads(db):
    """A background report may be reading when the window closes the file: close waits for that
    read instead of closing its connection under it (which crashes the process), and a read asked
    for afterwards is refused with a message, not a crash."""
    import threading
    import time

    from send_desktop.errors import UserError

    started, results = threading.Event(), []

    def read():
        with db.reading() as con:
            started.set()
            time.sleep(0.3)  # the close comes while this read is running
            results.append(con.execute("SELECT count(*) FROM plan").fetchone()[0])
        try:
            with db.reading():
                pass
        except UserError as exc:
            results.append(exc.message)

    worker = threading.Thread(target=read)
    worker.start()
    assert started.wait(5)
    began = time.perf_counter()
    db.close()
    waited = time.perf_counter() - began
    worker.join(5)
    assert results[0] == 1 and waited >= 0.15  # the read finished first, on its open connection
    assert results[1].endswith("has been closed.")
    db.close()  # closing again does nothing
