"""Every released schema upgrades to the current one, keeping its data, after a backup."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from send_desktop.errors import DatabaseOpenError, NewerDatabaseError
from send_desktop.services.plan_dump import dump_plan
from send_desktop.storage.database import HEAD, REVISIONS, open_database, read_revision
from send_desktop.storage.models import Base

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "db" / "samples").glob("schema-*.sqlite"))


def test_revisions_match_the_migration_scripts():
    scripts = sorted((ROOT / "db" / "migrations" / "versions").glob("*.py"))
    found = []
    for script in scripts:
        text = script.read_text()
        found.append(re.search(r'^revision = "(\w+)"', text, re.M).group(1))
    assert tuple(found) == REVISIONS


def test_a_sample_exists_for_every_released_schema():
    revisions = {p.stem.split("-")[1] for p in SAMPLES}
    assert set(REVISIONS) <= revisions


def test_new_database_schema_matches_the_models(tmp_path):
    db = open_database(tmp_path / "new.sqlite", create=True, user="t")
    with db.engine.connect() as con:
        diffs = compare_metadata(MigrationContext.configure(con), Base.metadata)
    db.close()
    assert diffs == []


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_upgrades_keeping_its_data(sample, tmp_path):
    path = tmp_path / sample.name
    shutil.copyfile(sample, path)
    before = sqlite3.connect(path).execute("SELECT count(*) FROM status_update").fetchone()[0]

    db = open_database(path, user="upgrader")
    dumped = dump_plan(db)
    db.close()

    assert read_revision(path) == HEAD
    assert len(dumped["actions"]) == 3
    first = dumped["actions"][0]
    assert first["ref"] == "1.1.1" and first["status"] == "Green" and first["due"] == "2025-09-30"
    assert dumped["actions"][2]["leads"] == ["Priya Shah", "Morgan Ellis"]
    assert sum(len(a["updates"]) for a in dumped["actions"]) == before
    backups = list((tmp_path / "backups").glob("*before-upgrade*.sqlite"))
    sample_revision = sample.stem.split("-")[1]
    if sample_revision == HEAD:  # the newest released schema: nothing to upgrade, so no backup
        assert backups == []
    else:
        assert len(backups) == 1
        assert read_revision(backups[0]) == sample_revision


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_every_kind_a_sample_holds_is_still_readable_after_the_upgrade(sample, tmp_path):
    from send_desktop.services.audit_read import audit_ids, load_audit
    from send_desktop.services.kpi_dump import dump_kpis
    from send_desktop.services.meeting_dump import dump_actions
    from send_desktop.services.risk_dump import dump_risks

    path = tmp_path / sample.name
    shutil.copyfile(sample, path)
    revision = sample.stem.split("-")[1]
    db = open_database(path, user="upgrader")
    try:
        if revision >= "0003":
            audit = load_audit(db, audit_ids(db)[0])
            assert audit.plan_ref == "EHCP-0001" and audit.reported_grade == "Good" and audit.ratings == {"A1": 2}
        if revision >= "0004":
            risk = dump_risks(db)[0]
            assert (risk["ref"], risk["score"], risk["category"]) == ("R1", 12, "Regulatory")
            kpi = dump_kpis(db)[0]
            assert kpi["values"][0]["text"] == "84.7%" and kpi["values"][0]["number"] == 84.7
        if revision >= "0005":
            assert [a["text"] for a in dump_actions(db)] == ["Report audit results"]
        if revision >= "0006":
            with db.reading() as con:
                assert con.execute("SELECT count(*) FROM meeting_pack").fetchone() == (1,)
        if revision >= "0007":
            from send_desktop.services.import_undo import imports

            (batch,) = imports(db)
            assert (batch["file"], batch["kind"], batch["changes"], batch["undone_at"]) == ("plan.xlsx", "plan", 1, None)
        else:  # an upgraded file has no imports on record: its older imports cannot be undone as a whole
            from send_desktop.services.import_undo import imports

            assert imports(db) == []
    finally:
        db.close()


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_upgraded_sample_schema_matches_the_models(sample, tmp_path):
    path = tmp_path / sample.name
    shutil.copyfile(sample, path)
    db = open_database(path, user="upgrader")
    with db.engine.connect() as con:
        diffs = compare_metadata(MigrationContext.configure(con), Base.metadata)
    db.close()
    assert diffs == []


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "newer.sqlite"
    open_database(path, create=True, user="t").close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(NewerDatabaseError, match="newer version of send-desktop"):
        open_database(path, user="t")
    assert read_revision(path) == "9999"  # untouched


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not the tables you are looking for" * 100)
    with pytest.raises(DatabaseOpenError, match="not a send-desktop database"):
        open_database(path, user="t")


def test_another_applications_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseOpenError, match="not a send-desktop database"):
        open_database(path, user="t")
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("songs",)]
