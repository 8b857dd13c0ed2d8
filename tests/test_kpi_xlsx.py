"""The KPI workbook: real files on disk, opened and edited with openpyxl as an officer's Excel would.

Export -> import gives back exactly what was there; a returned workbook with edits changes what
was edited; bad cells are named and change nothing; the command line does the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tests.helpers import db_contents
from tests.test_kpis import kpi_db  # noqa: F401 - the demo with its KPI set, a fixture

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError, Cancelled
from send_desktop.services import kpis as S
from send_desktop.services.kpi_dump import dump_kpis
from send_desktop.services.kpi_read import load_kpis
from send_desktop.xlsx.kpi_xlsx import KpiImportReport, export_kpis, import_kpis

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "import returned.xlsx"


def export(db, path: Path) -> Path:
    run_steps(export_kpis(db, path))
    return path


def do_import(db, path: Path, **kw) -> KpiImportReport:
    return run_steps(import_kpis(db, path, source=kw.pop("source", SOURCE), **kw))


def header(ws, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def row_of(ws, ref: str, header_row: int) -> int:
    return next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == ref)


def everything(db) -> list:
    """All that a KPI is, beyond the dump: officers, notes, tolerances, links, sources and ids."""
    return [(k.uid, k.ref, k.officer, k.tolerance, k.notes, k.priority_ref, k.position,
             [(c.uid, c.name, c.text, c.as_at, c.source) for c in k.comparators],
             [(t.period, t.text) for t in k.targets], [(v.period, v.text, v.number) for v in k.values])
            for k in load_kpis(db).kpis]


def last_log_id(db) -> int:
    with db.reading() as con:
        return con.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]


# -- round trips -------------------------------------------------------------------------------

def test_export_then_import_changes_nothing(kpi_db, demo_db_path, tmp_path):
    path = export(kpi_db, tmp_path / "kpis.xlsx")
    before, log_id = db_contents(demo_db_path), last_log_id(kpi_db)
    report = do_import(kpi_db, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(load_kpis(kpi_db).kpis))
    assert report.as_dict()["kind"] == "kpis" and report.as_dict()["errors"] == []
    assert db_contents(demo_db_path) == before and last_log_id(kpi_db) == log_id
    assert not list((demo_db_path.parent / "backups").glob("*before-import*"))


def test_a_workbook_rebuilds_the_kpi_set_exactly(kpi_db, tmp_path):
    path = export(kpi_db, tmp_path / "kpis.xlsx")
    dump, full = dump_kpis(kpi_db), everything(kpi_db)
    for kid in [k.id for k in load_kpis(kpi_db).kpis]:
        S.delete_kpi(kpi_db, kid)
    report = do_import(kpi_db, path)
    assert report.created == len(dump) and report.other["value"]["created"] == sum(len(k["values"]) for k in dump)
    assert dump_kpis(kpi_db) == dump
    assert everything(kpi_db) == full
    assert export(kpi_db, tmp_path / "again.xlsx")  # and what it rebuilt exports again


def test_the_workbook_is_laid_out_for_officers(kpi_db, tmp_path):
    wb = openpyxl.load_workbook(export(kpi_db, tmp_path / "kpis.xlsx"))
    assert wb.sheetnames == ["Summary", "Values", "Definitions", "Targets", "Comparators", "Key", "About", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    values = wb["Values"]
    cols = header(values, 2)
    assert values.freeze_panes == "D3" and wb["Definitions"].freeze_panes == "C3"
    assert {"Ref", "2018/19", "AY 2025/26", "KPI id"} <= set(header(wb["Targets"], 2))
    assert {"Ref", "Measure", "Unit", "2017", "2024", "2017/18", "AY 2025/26", "Q2 2026/27", "Oct 2026",
            "KPI id"} <= set(cols)
    assert values.column_dimensions[get_column_letter(cols["KPI id"])].hidden
    harwick = row_of(values, "1a (i)", 2)
    assert [values.cell(harwick, cols[str(y)]).value for y in (2017, 2024)] == ["3,358", "11,258"]
    monthly = row_of(values, "2a (ii)", 2)
    cell = values.cell(monthly, cols["Oct 2026"])
    assert cell.value == "tbc" and cell.number_format == "@"  # typed values stay text
    definitions = wb["Definitions"]
    dcols = header(definitions, 2)
    assert definitions.column_dimensions[get_column_letter(dcols["KPI id"])].hidden
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in definitions.data_validations.dataValidation}
    for column in ("Unit", "Better when", "Frequency", "Priority"):
        assert lists[get_column_letter(dcols[column])].startswith("'Lists'!$")
    assert [c.value for c in wb["Lists"]["A"][1:6]] == ["%", "count", "weeks", "days", "text"]
    summary = wb["Summary"]
    scols = header(summary, 2)
    red = summary.cell(row_of(summary, "2a (i)", 2), scols["RAG"])
    assert red.value == "Red" and red.fill.fgColor.rgb.upper().endswith("C0392B")
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Layout"] == "send-desktop KPI workbook"
    key = [r[0] for r in wb["Key"].iter_rows(values_only=True)]
    assert {"Green", "Amber", "Red", "No RAG", "Units", "Periods"} <= set(key)


# -- a returned workbook ---------------------------------------------------------------------------

def test_a_returned_workbook_with_edits(kpi_db, demo_db_path, tmp_path):
    path = export(kpi_db, tmp_path / "kpis.xlsx")
    wb = openpyxl.load_workbook(path)
    values = wb["Values"]
    cols = header(values, 2)
    social = row_of(values, "2c", 2)
    values.cell(social, cols["Oct 2026"]).value = "83%"               # a value changed
    values.cell(row_of(values, "2d", 2), cols["Oct 2026"]).value = None  # a value cleared
    new_col = values.max_column + 1                                     # a new month, typed as Excel stores it
    values.cell(2, new_col).value = "Nov 2026"
    typed = values.cell(social, new_col)
    typed.value, typed.number_format = 0.85, "0%"
    values.cell(row_of(values, "2b", 2), new_col).value = "Not available"
    targets = wb["Targets"]
    next_year = targets.max_column + 1                                  # a target for a new year
    targets.cell(2, next_year).value = "2027/28"
    targets.cell(row_of(targets, "2c", 2), next_year).value = "85%"
    comparators = wb["Comparators"]
    ccols = header(comparators, 1)
    comparators.append({ccols["Ref"]: "2c", ccols["Comparator"]: "Regional", ccols["Value"]: "71%",
                        ccols["As at"]: "31/03/2026", ccols["Source"]: "regional benchmarking club"})
    definitions = wb["Definitions"]
    dcols = header(definitions, 2)
    definitions.cell(row_of(definitions, "2c", 2), dcols["Responsible officer"]).value = "Martin Greaves"
    definitions.append({dcols["Ref"]: "6a", dcols["Measure"]: "Short breaks used by families", dcols["Unit"]: "count",
                        dcols["Frequency"]: "Quarterly", dcols["Better when"]: "higher",
                        dcols["Responsible officer"]: "Carl Redfern", dcols["Priority"]: "4"})
    wb.save(path)

    log_id = last_log_id(kpi_db)
    dry = do_import(kpi_db, path, dry_run=True)
    assert last_log_id(kpi_db) == log_id
    report = do_import(kpi_db, path)
    assert (dry.created, dry.updated, dry.other) == (report.created, report.updated, report.other)
    assert (report.created, report.updated) == (1, 3)
    assert report.other["value"] == {"created": 2, "updated": 1, "removed": 1}
    assert report.other["target"] == {"created": 1, "updated": 0, "removed": 0}
    assert "1 KPI created, 3 updated" in report.summary()
    k = {k.ref: k for k in load_kpis(kpi_db).kpis}
    assert k["2c"].value_for("2026-11").text == "85%" and k["2c"].value_for("2026-11").number == 85
    assert k["2c"].value_for("2026-10").text == "83%" and k["2c"].officer == "Martin Greaves"
    assert k["2d"].value_for("2026-10") is None
    assert k["2b"].latest.text == "Not available" and k["2b"].rag.label == "No number"
    assert k["2c"].target_for("2027-05").text == "85%"
    regional = next(c for c in k["2c"].comparators if c.name == "Regional")
    assert (regional.number, regional.as_at.isoformat(), regional.source) == (71, "2026-03-31",
                                                                              "regional benchmarking club")
    assert (k["6a"].frequency, k["6a"].priority_ref, k["6a"].unit) == ("quarterly", "4", "count")
    with kpi_db.reading() as con:
        logged = con.execute("SELECT DISTINCT source, user FROM change_log WHERE id > ?", (log_id,)).fetchall()
    assert logged == [(SOURCE, "Test Auditor")]
    assert list((demo_db_path.parent / "backups").glob("*before-import*"))


def test_bad_cells_are_named_and_change_nothing(kpi_db, demo_db_path, tmp_path):
    path = export(kpi_db, tmp_path / "kpis.xlsx")
    wb = openpyxl.load_workbook(path)
    definitions, values = wb["Definitions"], wb["Values"]
    dcols, vcols = header(definitions, 2), header(values, 2)
    bad_def = row_of(definitions, "2b", 2)
    definitions.cell(bad_def, dcols["Unit"]).value = "litres"
    definitions.cell(bad_def, dcols["Priority"]).value = "9"
    bad_val = row_of(values, "2c", 2)
    values.cell(bad_val, vcols["Oct 2026"]).value = "847%"
    values.cell(2, values.max_column + 1).value = "Q3 2026"
    targets = wb["Targets"]
    bad_year = targets.max_column + 1
    targets.cell(2, bad_year).value = "2027/29"
    targets.cell(3, bad_year).value = "90%"
    comparators = wb["Comparators"]
    comparators.cell(2, header(comparators, 1)["As at"]).value = "next week"
    wb.save(path)

    before = db_contents(demo_db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(kpi_db, path)
    where = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("Definitions", bad_def, "Unit") in where and ("Definitions", bad_def, "Priority") in where
    assert ("Values", bad_val, "Oct 2026") in where and ("Values", 2, "Q3 2026") in where
    assert ("Targets", 2, "2027/29") in where and ("Comparators", 2, "As at") in where
    messages = " ".join(p.message for p in caught.value.problems)
    assert "litres" in messages and "between 0 and 100" in messages and "Q2 2026/27" in messages
    assert caught.value.message.startswith("kpis.xlsx: sheet 'Definitions'")
    assert db_contents(demo_db_path) == before


def test_cancelling_an_import_half_way_changes_nothing(kpi_db, demo_db_path, tmp_path):
    path = export(kpi_db, tmp_path / "kpis.xlsx")
    for kid in [k.id for k in load_kpis(kpi_db).kpis]:
        S.delete_kpi(kpi_db, kid)
    before = db_contents(demo_db_path)
    seen = []
    with pytest.raises(Cancelled):  # thrown in once the KPIs are written, inside the transaction
        run_steps(import_kpis(kpi_db, path), seen.append, lambda: bool(seen) and seen[-1].message == "Written")
    assert db_contents(demo_db_path) == before


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"ref,measure\n1a,EHCPs\n", "not an Excel .xlsx workbook"),
    (b"PK\x03\x04 not really a zip", "damaged"),
])
def test_broken_files_are_refused(kpi_db, tmp_path, content, words):
    path = tmp_path / "kpis.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=words):
        do_import(kpi_db, path)


def test_another_kind_of_workbook_is_refused(kpi_db, tmp_path):
    from send_desktop.xlsx.plan_export import export_plan

    path = tmp_path / "plan.xlsx"
    run_steps(export_plan(kpi_db, path))
    with pytest.raises(BadInputError, match="no sheet named 'Definitions'"):
        do_import(kpi_db, path)


# -- the command line, as a real process -----------------------------------------------------------

def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "send_desktop", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_command_line_export_import_and_dump(kpi_db, demo_db_path, tmp_path):
    expected = dump_kpis(kpi_db)
    kpi_db.close()
    out = tmp_path / "kpis.xlsx"
    done = run_cli("export", demo_db_path, out, "--kind", "kpis")
    assert done.returncode == 0, done.stderr
    dumped = run_cli("dump", demo_db_path, "--kind", "kpis")
    assert dumped.returncode == 0 and json.loads(dumped.stdout) == expected
    imported = run_cli("import", demo_db_path, out, "--kind", "kpis", "--json")
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert (report["kind"], report["created"], report["updated"]) == ("kpis", 0, 0)
    wb = openpyxl.load_workbook(out)
    ws = wb["Values"]
    ws.cell(row_of(ws, "2c", 2), header(ws, 2)["Oct 2026"]).value = "101%"
    wb.save(out)
    refused = run_cli("import", demo_db_path, out, "--kind", "kpis")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "sheet 'Values'" in refused.stderr and "Oct 2026" in refused.stderr
    assert json.loads(run_cli("dump", demo_db_path, "--kind", "kpis").stdout) == expected
