"""Frameworks as workbooks and JSON: real files on disk, opened with openpyxl as Excel would."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import CORPUS, db_contents

from send_desktop.audits.default_framework import default_framework
from send_desktop.audits.framework import framework_from_json, framework_to_json
from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.audit_edit import create_audit
from send_desktop.services.audit_frameworks import (ensure_default_framework, framework_versions, load_framework,
                                                    save_framework)
from send_desktop.storage.database import open_database
from send_desktop.xlsx.framework_xlsx import export_framework, export_framework_json, import_framework



def export(db, path: Path, **kw) -> Path:
    run_steps(export_framework(db, path, **kw))
    return path


def do_import(db, path: Path, **kw):
    return run_steps(import_framework(db, path, source="import fw.xlsx", **kw))


@pytest.fixture
def other(tmp_path):
    database = open_database(tmp_path / "other.sqlite", create=True, user="Council officer")
    yield database
    database.close()


def custom_definition() -> dict:
    """A council's own framework: own bands and weights, floats, rules partly off, a custom cap."""
    d = framework_to_json(default_framework())
    d.update(name="Harwick EHCP framework", version="2.1", min_applicable_weight_pct=55.5, max_default=4)
    d["bands"] = [{"grade": "Strong", "min": 80}, {"grade": "Secure", "min": 62.5}, {"grade": "Developing", "min": 30},
                  {"grade": "Weak", "min": 0}]
    d["sections"][0]["weight"] = 7.5
    d["sections"][1]["criteria"][0].update(max=1, statutory=True, guidance="Line one\nline two",
                                           action_template="=SUM(A1) is text, not a formula")
    d["rules"] = {"section_caps": [{"name": "f_or_x_weak", "sections": ["F", "X"], "if_grade": "Weak",
                                    "cap": "Developing"}],
                  "outstanding_requires": {"all_sections_at_least": None, "sections": {"F": "Strong", "B": "Secure"}},
                  "critical": {"grade": "Weak"}}
    return d


def edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def row_of(ws, column: int, value) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == value)


# -- export and round trip ------------------------------------------------------------------------

def test_export_is_laid_out_to_key_into(db, tmp_path):
    ensure_default_framework(db)
    wb = openpyxl.load_workbook(export(db, tmp_path / "fw.xlsx"))
    assert wb.sheetnames == ["Sections", "Criteria", "Bands", "Rules", "About"]
    crit = wb["Criteria"]
    assert [c.value for c in crit[1]] == ["Section", "Id", "Criterion", "What good looks like", "Max", "Weight",
                                         "Statutory", "Critical", "No-needs role", "Improvement action template",
                                         "Owner type"]
    assert crit.freeze_panes == "A2" and crit.column_dimensions["C"].width == 50
    assert crit.cell(2, 3).alignment.wrap_text
    assert crit.max_row - 1 == sum(len(s.criteria) for s in default_framework().sections)
    lists = {dv.formula1: str(dv.sqref) for ws in wb for dv in ws.data_validations.dataValidation}
    assert '"statement,needs_dependent,none"' in lists and '"Yes,No"' in lists
    assert [c.value for c in wb["Sections"][2]][:5] == ["A", "Views, interests and aspirations", 8, "No", None]
    c_row = row_of(wb["Sections"], 1, "C")
    assert wb["Sections"].cell(c_row, 5).value == "G"
    rules = {r[0].value: [c.value for c in r] for r in wb["Rules"].iter_rows(min_row=2)}
    assert rules["f_inadequate"][:5] == ["f_inadequate", "Yes", "F", "Inadequate", "Requires improvement"]
    assert rules["outstanding_requires"][2:4] == ["F: Outstanding", "Good"]
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2)}
    assert about["Framework name"] == default_framework().name and about["Version"] == 1


def test_default_framework_round_trips_exactly(db, other, tmp_path):
    fid = ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")
    report = do_import(other, path)
    assert report.as_dict()["created"] == 1 and report.errors == []
    (new_id, name, version, current, _), = framework_versions(other)
    assert current and (name, version) == (default_framework().name, "1")
    assert framework_to_json(load_framework(other, new_id)) == framework_to_json(load_framework(db, fid))
    again = do_import(other, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_councils_own_framework_round_trips_exactly(db, other, tmp_path):
    fid = save_framework(db, custom_definition(), source="test")
    path = export(db, tmp_path / "fw.xlsx")
    cell = openpyxl.load_workbook(path)["Criteria"].cell(row_of(openpyxl.load_workbook(path)["Criteria"], 2, "B1"), 10)
    assert cell.data_type == "s" and cell.value.startswith("=SUM")
    do_import(other, path)
    expected = framework_to_json(load_framework(db, fid))
    assert expected["rules"] == custom_definition()["rules"]
    assert framework_to_json(load_framework(other, framework_versions(other)[0][0])) == expected


def test_json_export_and_import(db, other, tmp_path):
    fid = save_framework(db, custom_definition(), source="test")
    out = tmp_path / "FRAMEWORK.json"
    run_steps(export_framework_json(db, out))
    assert json.loads(out.read_text(encoding="utf-8")) == framework_to_json(load_framework(db, fid))
    report = do_import(other, out)
    assert report.created == 1
    assert framework_to_json(load_framework(other, framework_versions(other)[0][0])) == json.loads(out.read_text())


def test_editing_a_framework_in_use_makes_a_new_version(db, tmp_path):
    fid = ensure_default_framework(db)
    create_audit(db, {"plan_ref": "EHC-1", "ratings": {"A1": 2}}, framework_id=fid)
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, lambda wb: wb["Sections"].cell(row_of(wb["Sections"], 1, "F"), 3).__setattr__("value", 30))
    report = do_import(db, path)
    assert report.created == 1 and "new version" in str(report.warnings[0])
    versions = framework_versions(db)
    assert [(v[2], v[3], v[4]) for v in versions] == [("1", False, 1), ("1.1", True, 0)]
    assert load_framework(db, versions[0][0]).section("F").weight == 20
    assert load_framework(db, versions[1][0]).section("F").weight == 30


def test_an_unused_version_is_updated_in_place(db, tmp_path):
    ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, lambda wb: wb["Bands"].cell(3, 2).__setattr__("value", 70))
    report = do_import(db, path)
    assert (report.created, report.updated) == (0, 1)
    (fid, _, version, _, _), = framework_versions(db)
    assert version == "1" and load_framework(db, fid).bands[1].min == 70


# -- refusing bad workbooks -----------------------------------------------------------------------

def test_every_bad_cell_is_named_and_nothing_is_saved(db, db_path, tmp_path):
    ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")

    def damage(wb):
        crit, sec = wb["Criteria"], wb["Sections"]
        crit.cell(row_of(crit, 2, "B2"), 5).value = "three"          # Max
        crit.cell(row_of(crit, 2, "C2"), 9).value = "sometimes"      # No-needs role
        crit.cell(row_of(crit, 2, "E1"), 7).value = "maybe"          # Statutory
        crit.cell(row_of(crit, 2, "F1"), 1).value = "Q"              # unknown section
        sec.cell(row_of(sec, 1, "K"), 3).value = -2                  # Weight
        wb["Rules"].cell(2, 2).value = "perhaps"                     # On
    edit(path, damage)
    before = db_contents(db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    found = {(p.sheet, p.column): p for p in caught.value.problems}
    assert set(found) >= {("Criteria", "Max"), ("Criteria", "No-needs role"), ("Criteria", "Statutory"),
                          ("Criteria", "Section"), ("Sections", "Weight"), ("Rules", "On")}
    wb = openpyxl.load_workbook(path)
    assert found["Criteria", "Max"].row == row_of(wb["Criteria"], 2, "B2")
    assert found["Criteria", "Max"].message == "must be a whole number, not text 'three'"
    assert "sometimes" in found["Criteria", "No-needs role"].message
    assert found["Criteria", "Section"].message == "there is no section 'Q' on the Sections sheet"
    assert "-2" in found["Sections", "Weight"].message
    assert caught.value.message.startswith("fw.xlsx: sheet '")
    assert db_contents(db_path) == before


@pytest.mark.parametrize("change, sheet, column, needle", [
    (lambda wb: wb["Criteria"].cell(3, 2).__setattr__("value", "A1"), "Criteria", "Id", "'A1' is used twice"),
    (lambda wb: wb["Sections"].cell(row_of(wb["Sections"], 1, "C"), 5).__setattr__("value", "Z"), "Sections",
     "Paired with", "unknown section 'Z'"),
    (lambda wb: wb["Bands"].cell(3, 2).__setattr__("value", 90), "Bands", "", "out of order"),
    (lambda wb: wb["Rules"].cell(2, 5).__setattr__("value", "Poor"), "Rules", "", "unknown grade 'Poor'"),
])
def test_problems_of_the_whole_framework_are_located(db, db_path, tmp_path, change, sheet, column, needle):
    ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, change)
    before = db_contents(db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.column) == (sheet, column) and needle in problem.message
    assert problem.row is not None
    assert db_contents(db_path) == before


def test_a_missing_sheet_or_column_is_refused(db, tmp_path):
    ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, lambda wb: wb["Criteria"].cell(1, 5).__setattr__("value", "Maximum"))
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    assert caught.value.problems[0].column == "Max" and "missing" in caught.value.problems[0].message
    edit(path, lambda wb: wb.remove(wb["Bands"]))
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    assert any("no sheet named 'Bands'" in p.message for p in caught.value.problems)


def test_bad_json_is_refused(db, db_path, tmp_path):
    ensure_default_framework(db)
    before = db_contents(db_path)
    bad = tmp_path / "fw.json"
    bad.write_text('{"name": "x", "sections": [', encoding="utf-8")
    with pytest.raises(BadInputError, match="not valid JSON"):
        do_import(db, bad)
    bad.write_text(json.dumps({"sections": [{"code": "A", "criteria": [{"id": "A1", "text": "t", "max": 0}]}]}))
    with pytest.raises(BadInputError, match="'max' must be at least 1"):
        do_import(db, bad)
    assert db_contents(db_path) == before


@pytest.mark.parametrize("name", ["openpyxl/null_file.xlsx", "poi/poc-xmlbomb.xlsx", "exceljs/invalid-xml.xlsx",
                                  "calamine/pass_protected.xlsx", "poi/ConditionalFormattingSamples.xlsx"])
def test_broken_and_foreign_workbooks_are_refused(db, db_path, name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not present")
    ensure_default_framework(db)
    before = db_contents(db_path)
    with pytest.raises(BadInputError) as caught:
        do_import(db, path)
    assert caught.value.message.startswith(f"{path.name}: ") and "\n" not in caught.value.message
    assert db_contents(db_path) == before


def test_dry_run_changes_nothing(db, db_path, tmp_path):
    fid = save_framework(db, custom_definition(), source="test")
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, lambda wb: wb["About"].cell(row_of(wb["About"], 1, "Version"), 2).__setattr__("value", "3"))
    before = db_contents(db_path)
    report = do_import(db, path, dry_run=True)
    assert report.created == 1 and "dry run" in report.summary()
    assert db_contents(db_path) == before
    assert [v[2] for v in framework_versions(db)] == ["2.1"]
    assert framework_from_json(framework_to_json(load_framework(db, fid))).version == "2.1"


def test_cli_imports_a_framework_workbook(db, db_path, tmp_path, capsys):
    ensure_default_framework(db)
    path = export(db, tmp_path / "fw.xlsx")
    edit(path, lambda wb: wb["About"].cell(row_of(wb["About"], 1, "Framework name"), 2).__setattr__("value",
                                                                                                  "Our framework"))
    db.close()
    code = main(["import", str(db_path), str(path), "--kind", "framework", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["kind"] == "framework" and report["created"] == 1
    again = open_database(db_path, user="x")
    try:
        assert [v[1] for v in framework_versions(again)] == [default_framework().name, "Our framework"]
    finally:
        again.close()
