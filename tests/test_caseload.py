"""The caseload list (real xlsx files as councils send them) and the month's audit sample drawn from it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import CORPUS, db_contents

from send_desktop.audits.sampling import CaseloadRow
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, UserError
from send_desktop.services.audit_edit import create_audit
from send_desktop.services.audit_settings import AuditSettings, save_audit_settings
from send_desktop.services.caseload import caseload_rows, draw_month_sample, sample_for_month
from send_desktop.xlsx.caseload_import import import_caseload, looks_like_a_name

ROOT = Path(__file__).resolve().parents[1]
TEAMS = ("Harwick Central", "Harwick South", "Dales North", "Dales West")


TITLES = ("Open EHCPs at 1 June 2025", "Source: case management system")


def workbook(path: Path, header: list, rows: list[list], titles: tuple = TITLES) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Caseload"
    for title in titles:
        ws.append([title])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def plans(n: int, start: int = 0) -> list[list]:
    return [[f"HD-{i:06d}", "Child Number {i}", TEAMS[i % 4], f"KS{1 + i % 4}", "Autistic spectrum disorder",
             "Mainstream primary", dt.date(2020, 1, 1) + dt.timedelta(days=i), dt.date(2014, 5, 1)]
            for i in range(start, start + n)]


HEADER = ["EHCP ref", "Child's name", "Locality", "KS", "Primary need", "Setting", "Date issued", "DOB"]


def do_import(db, path: Path, **kw):
    return run_steps(import_caseload(db, path, source=f"import {path.name}", **kw))


def test_a_council_list_with_titles_variants_and_name_columns(db, db_path, tmp_path):
    path = workbook(tmp_path / "caseload.xlsx", HEADER, plans(40))
    report = do_import(db, path)
    assert (report.created, report.updated, report.unchanged) == (40, 0, 0)
    warned = [w for w in report.warnings if "children's names" in w.message]
    assert [(w.sheet, w.row, w.column) for w in warned] == [("Caseload", 4, "Child's name"), ("Caseload", 4, "DOB")]
    rows = caseload_rows(db)
    assert rows[0] == CaseloadRow("HD-000000", "Harwick Central", "KS1", "Autistic spectrum disorder",
                                  "Mainstream primary", dt.date(2020, 1, 1))
    dump = "\n".join(db_contents(db_path))
    assert "Child Number" not in dump and "2014-05-01" not in dump  # no names or birth dates anywhere


@pytest.mark.parametrize("header", [
    ["Plan ref", "Team", "Key stage", "Primary need", "Setting type", "Issue date"],
    ["Reference", "Area", "Key Stage (KS)", "Need", "Placement type", "Plan issue date"],
    ["EHC Plan Number", "Casework team", "keystage", "Primary SEN need", "School type", "EHCP issue date"],
])
def test_common_header_variants_are_understood(db, tmp_path, header):
    path = workbook(tmp_path / "list.xlsx", header, [["P-1", "North", "KS3", "SEMH", "Special school", "01/09/2023"]],
                    titles=())
    report = do_import(db, path)
    assert report.created == 1 and report.warnings == []
    assert caseload_rows(db) == [CaseloadRow("P-1", "North", "KS3", "SEMH", "Special school", dt.date(2023, 9, 1))]


@pytest.mark.parametrize("header", ["Name", "Child", "Forename", "Surname", "Date of birth", "Pupil name", "D.O.B."])
def test_name_like_columns_are_recognised(header):
    assert looks_like_a_name(header)


@pytest.mark.parametrize("header", ["Plan ref", "Team", "Setting", "Key stage", "Notes"])
def test_other_columns_are_not_taken_for_names(header):
    assert not looks_like_a_name(header)


def test_rows_without_a_reference_and_impossible_dates_refuse_the_file(db, db_path, tmp_path):
    rows = plans(5)
    rows[1][0] = None
    rows[3][6] = "30/02/2021"
    path = workbook(tmp_path / "caseload.xlsx", HEADER, rows)
    before = db_contents(db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [("Caseload", 6, "EHCP ref"),
                                                                            ("Caseload", 8, "Date issued")]
    assert "no plan reference" in caught.value.problems[0].message
    assert "'30/02/2021' is not a real date" in caught.value.problems[1].message
    assert db_contents(db_path) == before


def test_duplicates_are_reported_and_kept_once(db, tmp_path):
    rows = plans(3) + [["HD-000001", "", "Dales West", "KS4", "SEMH", "Special", None, None]]
    report = do_import(db, workbook(tmp_path / "caseload.xlsx", HEADER, rows))
    assert report.created == 3
    (dup,) = [w for w in report.warnings if "listed twice" in w.message]
    assert dup.row == 8 and "rows 6 and 8" in dup.message
    assert [r.team for r in caseload_rows(db) if r.plan_ref == "HD-000001"] == ["Harwick South"]


def test_plans_no_longer_listed_are_offered_for_removal_and_removed_when_asked(db, tmp_path):
    do_import(db, workbook(tmp_path / "may.xlsx", HEADER, plans(10)))
    june = plans(10, start=2)  # HD-0 and HD-1 closed, HD-10 and HD-11 new
    june[0][2] = "Post-16 team"  # HD-2 moved team
    path = workbook(tmp_path / "june.xlsx", HEADER, june)
    kept = do_import(db, path)
    assert (kept.created, kept.updated, kept.unchanged, kept.removed) == (2, 1, 7, 0)
    assert [w.message for w in kept.warnings if "row for" in w.message] == [
        f"row for ref HD-{i:06d} is no longer in the workbook; not deleted" for i in (0, 1)]
    assert len(caseload_rows(db)) == 12  # never removed silently
    report = run_steps(import_caseload(db, path, delete_missing=True))
    assert (report.created, report.updated, report.unchanged, report.removed) == (0, 0, 10, 2)
    assert "2 removed" in report.summary() and list(report.as_dict())[4] == "conflicts"
    assert [r.plan_ref for r in caseload_rows(db)] == [f"HD-{i:06d}" for i in range(2, 12)]


def test_dry_run_changes_nothing(db, db_path, tmp_path):
    path = workbook(tmp_path / "caseload.xlsx", HEADER, plans(20))
    before = db_contents(db_path)
    report = do_import(db, path, dry_run=True)
    assert report.created == 20 and "dry run" in report.summary()
    assert db_contents(db_path) == before


@pytest.mark.parametrize("name", ["openpyxl/null_file.xlsx", "poi/poc-xmlbomb.xlsx",
                                  "poi/crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx",
                                  "publicsector/nhs-r-community-demos-and-how-tos/TestScoresDB.xlsx"])
def test_broken_and_unrelated_workbooks_are_refused(db, db_path, name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not present")
    before = db_contents(db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    assert caught.value.message.startswith(f"{path.name}: ") and "\n" not in caught.value.message
    assert db_contents(db_path) == before


# -- the month's sample ---------------------------------------------------------------------------

@pytest.fixture
def caseload(db, tmp_path):
    do_import(db, workbook(tmp_path / "caseload.xlsx", HEADER, plans(400)))
    return db


def test_the_months_sample_is_stratified_stored_and_reproducible(caseload):
    sample_id = draw_month_sample(caseload, "2025-06", seed=1234)
    stored = sample_for_month(caseload, "2025-06")
    assert stored.id == sample_id and (stored.rate, stored.seed, stored.caseload_size) == (0.05, 1234, 400)
    assert len(stored.plan_refs) == 20 == len(set(stored.plan_refs))
    teams = {r.plan_ref: r.team for r in caseload_rows(caseload)}
    assert sorted(teams[ref] for ref in stored.plan_refs) == sorted(TEAMS * 5)  # 100 a team, 5 from each
    again = sample_for_month(caseload, "2025-06") if draw_month_sample(caseload, "2025-06", seed=1234) else None
    assert again.plan_refs == stored.plan_refs and again.id != stored.id
    other = sample_for_month(caseload, "2025-06") if draw_month_sample(caseload, "2025-06", seed=99) else None
    assert other.plan_refs != stored.plan_refs
    assert sample_for_month(caseload, "2025-07") is None


def test_plans_audited_in_the_last_twelve_months_are_left_out(caseload):
    first = sample_for_month(caseload, "2025-06") if draw_month_sample(caseload, "2025-06", seed=7) else None
    create_audit(caseload, {"plan_ref": first.plan_refs[0], "audit_date": dt.date(2024, 9, 1)})
    create_audit(caseload, {"plan_ref": first.plan_refs[1], "audit_date": dt.date(2024, 5, 31)})  # over a year ago
    draw_month_sample(caseload, "2025-06", seed=7)
    redrawn = sample_for_month(caseload, "2025-06").plan_refs
    assert first.plan_refs[0] not in redrawn and first.plan_refs[1] in redrawn and len(redrawn) == 20


def test_the_rate_comes_from_the_settings_unless_given(caseload):
    save_audit_settings(caseload, AuditSettings(sample_rate=0.1))
    draw_month_sample(caseload, "2025-06", seed=1)
    assert len(sample_for_month(caseload, "2025-06").plan_refs) == 40
    draw_month_sample(caseload, "2025-06", rate=0.025, seed=1)
    assert len(sample_for_month(caseload, "2025-06").plan_refs) == 10


def test_bad_requests_are_refused(db, caseload):
    with pytest.raises(BadInputError, match="not a month"):
        draw_month_sample(caseload, "June 2025")
    with pytest.raises(BadInputError, match="sample rate"):
        draw_month_sample(caseload, "2025-06", rate=1.5)


def test_no_caseload_no_sample(tmp_path):
    from send_desktop.storage.database import open_database

    empty = open_database(tmp_path / "empty.sqlite", create=True, user="x")
    try:
        with pytest.raises(UserError, match="import the caseload"):
            draw_month_sample(empty, "2025-06")
    finally:
        empty.close()


@pytest.mark.slow
def test_cli_imports_a_caseload_in_a_real_process(db, db_path, tmp_path):
    good = workbook(tmp_path / "caseload.xlsx", HEADER, plans(12))
    bad = workbook(tmp_path / "bad.xlsx", HEADER, [[None, "x", "North"]])
    db.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def run(path):
        return subprocess.run([sys.executable, "-m", "send_desktop", "import", str(db_path), str(path), "--kind",
                               "caseload", "--json"], env=env, capture_output=True, text=True, timeout=120)

    proc = run(good)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert (report["kind"], report["created"]) == ("caseload", 12) and len(report["warnings"]) == 2
    proc = run(bad)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["errors"][0]["row"] == 5
