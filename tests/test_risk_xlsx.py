"""The risk register workbook: laid out as officers expect, round trips exactly, refuses bad cells.

Real workbooks are written, re-opened and edited with openpyxl (as an officer's Excel would
save them), and imported into real database files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services import risks
from send_desktop.services.risk_dump import dump_risks
from send_desktop.services.risk_read import load_register
from send_desktop.xlsx.risk_xlsx import export_risks, import_risks
from tests.helpers import db_contents
from tests.test_risks import risk_db  # noqa: F401 - the shared fixture

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 1)
HEADER_ROW = 2  # the Register has a title above its header



@pytest.fixture
def workbook(risk_db, tmp_path) -> Path:
    path = tmp_path / "risks.xlsx"
    assert run_steps(export_risks(risk_db, path, today=TODAY)) == path
    return path


@pytest.fixture
def planned_db(tmp_path):
    """A new file with the same demo plan (so links resolve) and no risks."""
    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database

    database = open_database(tmp_path / "other.sqlite", create=True, user="Test Auditor")
    load_demo(database, today=TODAY, audit_months=0)
    with database.session() as s:  # a load_demo that brings its own register: start this file without one
        from send_desktop.storage.models import Risk, RiskCategory

        for model in (Risk, RiskCategory):
            for obj in s.query(model):
                s.delete(obj)
    yield database
    database.close()


def importing(db, path, **kw):
    return run_steps(import_risks(db, path, today=TODAY, **kw))


def full_record(db) -> list[dict]:
    """Everything a risk holds that people typed, beyond the documented dump."""
    reg = load_register(db, today=TODAY)
    cats = {c.name: c.appetite for c in reg.categories}
    return [{**r._asdict(), "band": r.band.name, "id": None, "category_id": None, "position": None,
             "priority_ids": None, "action_ids": None, "appetite": cats.get(r.category),
             "mitigations": [m._replace(id=None) for m in r.mitigations],
             "history": [a._replace(id=None) for a in r.history]} for r in reg.risks]


def columns(ws, header_row=HEADER_ROW) -> dict[str, int]:
    return {c.value: c.column for c in ws[header_row] if c.value}


def row_of(ws, ref: str, header_row=HEADER_ROW) -> int:
    return next(r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == ref)


# -- the layout -------------------------------------------------------------------------------

def test_export_is_laid_out_for_officers(risk_db, workbook):
    reg = load_register(risk_db, today=TODAY)
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == ["Register", "Mitigations", "History", "Categories", "Key", "Lists", "About"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["Register"]
    assert ws["A1"].value.startswith("Risk register") and ws["A1"].font.bold
    assert ws.freeze_panes == "C3"
    col = columns(ws)
    assert ws.max_row == HEADER_ROW + len(reg.risks)
    hidden = {h for h, c in col.items() if ws.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden}
    assert hidden == {"Risk id", "Linked action ids"}
    first = reg.risks[0]
    row = row_of(ws, first.ref)
    assert ws.cell(row, col["Risk id"]).value == first.uid
    assert ws.cell(row, col["Likelihood"]).value == first.likelihood
    # the score is a live formula of the row's own likelihood and impact, the band a lookup in the Key
    L, I = (openpyxl.utils.get_column_letter(col[h]) for h in ("Likelihood", "Impact"))
    score = ws.cell(row, col["Score"])
    assert score.data_type == "f" and score.value == f'=IF(OR({L}{row}="",{I}{row}=""),"",{L}{row}*{I}{row})'
    band = ws.cell(row, col["Band"]).value
    assert band.startswith("=IF(") and "LOOKUP(" in band and "'Key'!$A$3:$A$6" in band
    for h in ("Inherent score", "Target score"):
        assert ws.cell(row, col[h]).data_type == "f"
    assert wb.calculation.fullCalcOnLoad  # no cached values: Excel works them out on opening

    validations = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter
    for header in ("Likelihood", "Impact", "Inherent likelihood", "Target impact", "Status", "Category", "Owner",
                   "Review frequency"):
        assert letter(col[header]) in validations, header
    lk = validations[letter(col["Likelihood"])]
    assert lk.type == "list" and lk.formula1 == "'Lists'!$A$2:$A$6" and lk.errorStyle == "stop"
    assert validations[letter(col["Owner"])].errorStyle == "warning"  # a new owner may be typed
    lists = wb["Lists"]
    assert [lists.cell(r, 1).value for r in range(2, 7)] == [1, 2, 3, 4, 5]
    owners = [lists.cell(r, 7).value for r in range(2, lists.max_row + 1) if lists.cell(r, 7).value]
    assert {r.owner for r in reg.risks} <= set(owners)

    # band colours: a rule per band on the score column, and the band's name as text beside it
    rules = [r for rng in ws.conditional_formatting for r in rng.rules
             if str(rng.sqref).startswith(letter(col["Score"]))]
    assert [r.formula for r in rules][:4] == [["1", "3"], ["4", "6"], ["8", "12"], ["15", "25"]]
    assert rules[3].dxf.fill.fgColor.rgb.upper().endswith("A61E1E")

    key = wb["Key"]
    assert [key.cell(r, 1).value for r in range(3, 7)] == ["Low", "Moderate", "High", "Extreme"]
    grid = {key.cell(r, 1).value: r for r in range(1, key.max_row + 1)}
    top = grid["5 Almost certain"]
    assert key.cell(top, 6).value == "25\nExtreme" and key.cell(top, 6).fill.fgColor.rgb.upper().endswith("A61E1E")
    about = {wb["About"].cell(r, 1).value: wb["About"].cell(r, 2).value for r in range(2, wb["About"].max_row + 1)}
    assert about["Layout"] == "send-desktop risk register workbook"
    assert json.loads(about["Risk matrix"])["escalation_threshold"] == 15

    history = wb["History"]
    hcol = columns(history, 1)
    assert history.max_row == 1 + sum(len(r.history) for r in reg.risks)
    assert history.cell(2, hcol["Score"]).data_type == "f"
    assert wb["Mitigations"].max_row == 1 + sum(len(r.mitigations) for r in reg.risks)


def test_text_starting_with_equals_stays_text(db, tmp_path):
    risks.create_risk(db, title="=1+1 looks like a formula", cause="=SUM(A1:A9)", likelihood=2, impact=2)
    path = tmp_path / "r.xlsx"
    run_steps(export_risks(db, path, today=TODAY))
    ws = openpyxl.load_workbook(path)["Register"]
    col = columns(ws)
    assert ws.cell(3, col["Risk"]).data_type == "s" and ws.cell(3, col["Risk"]).value == "=1+1 looks like a formula"
    assert importing(db, path).unchanged == 1


# -- round trips ------------------------------------------------------------------------------

def test_reimporting_an_unchanged_export_changes_nothing(risk_db, demo_db_path, workbook):
    before = db_contents(demo_db_path)
    report = importing(risk_db, workbook)
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(load_register(risk_db).risks))
    assert report.as_dict()["kind"] == "risks" and not report.warnings
    assert db_contents(demo_db_path) == before


def test_import_into_another_file_rebuilds_the_register_exactly(risk_db, planned_db, workbook):
    report = importing(planned_db, workbook)
    assert report.created == len(load_register(risk_db).risks) and report.updated == 0
    assert dump_risks(planned_db) == dump_risks(risk_db)
    assert full_record(planned_db) == full_record(risk_db)
    assert "categories added" in report.summary()
    # and that file's own export comes back unchanged too
    again = planned_db.path.with_suffix(".xlsx")
    run_steps(export_risks(planned_db, again, today=TODAY))
    assert importing(risk_db, again).updated == 0


def test_a_custom_matrix_travels_to_a_file_without_one(db, planned_db, tmp_path):
    from send_desktop.core.risk_matrix import DEFAULT_DEFINITION

    custom = {**DEFAULT_DEFINITION, "escalation_threshold": 12,
              "bands": [{"name": "Green", "from": 1, "to": 4, "colour": "#2e8b57"},
                        {"name": "Amber", "from": 5, "to": 10, "colour": "#e69f00"},
                        {"name": "Red", "from": 12, "to": 25, "colour": "#c0392b"}]}
    risks.save_matrix(db, custom)
    risks.create_risk(db, title="Panels without health", likelihood=3, impact=4, assessed_on=TODAY)
    path = tmp_path / "m.xlsx"
    run_steps(export_risks(db, path, today=TODAY))
    importing(planned_db, path)
    assert load_register(planned_db).matrix == load_register(db).matrix
    assert dump_risks(planned_db)[0]["band"] == "Red"
    # a file with its own matrix keeps it, and says so
    report = importing(db, path)
    assert report.unchanged == 1 and not report.warnings


# -- a returned workbook with edits ----------------------------------------------------------------

def test_officer_edits_become_exactly_those_changes(risk_db, workbook):
    reg = load_register(risk_db, today=TODAY)
    target = next(r for r in reg.risks if r.status == "open" and r.likelihood < 5 and r.mitigations)
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Register"]
    col = columns(ws)
    row = row_of(ws, target.ref)
    ws.cell(row, col["Likelihood"]).value = target.likelihood + 1    # a review made in the workbook
    ws.cell(row, col["Owner"]).value = "Tom Ashdown"
    ws.cell(row, col["Score"]).value = 99                              # typed over the formula: not taken
    new_row = ws.max_row + 1
    for header, value in (("Ref", "R90"), ("Risk", "Short breaks provider withdraws"), ("Category", "Commissioning"),
                          ("Owner", "Carl Redfern"), ("Status", "open"), ("Likelihood", 3), ("Impact", 4),
                          ("Inherent likelihood", 4), ("Inherent impact", 4), ("Target likelihood", 2),
                          ("Target impact", 3), ("Target date", "31/03/2027")):
        ws.cell(new_row, col[header]).value = value
    mit = wb["Mitigations"]
    mcol = columns(mit, 1)
    m_row = next(r for r in range(2, mit.max_row + 1) if mit.cell(r, mcol["Mitigation id"]).value
                 == target.mitigations[0].uid)
    mit.cell(m_row, mcol["Status"]).value = "done"
    extra = mit.max_row + 1
    for header, value in (("Risk ref", "R90"), ("Further mitigation", "Second provider"), ("Owner", "Carl Redfern"),
                          ("Due", dt.datetime(2027, 1, 31)), ("Status", "planned")):
        mit.cell(extra, mcol[header]).value = value
    hist = wb["History"]
    hcol = columns(hist, 1)
    other = next(r for r in reg.risks if r.id != target.id and r.status == "open")
    h_row = hist.max_row + 1
    for header, value in (("Risk ref", other.ref), ("Date", dt.datetime(2026, 10, 30)), ("Likelihood", 1),
                          ("Impact", 1), ("Note", "Closed off at the extra meeting"), ("Assessor", "Helen Marchbank")):
        hist.cell(h_row, hcol[header]).value = value
    wb.save(workbook)

    report = importing(risk_db, workbook)
    assert (report.created, report.updated) == (1, 2)  # the new risk; the edited one and the re-reviewed one
    assert any("the score '99' is not likelihood" in str(w) for w in report.warnings)
    after = load_register(risk_db, today=TODAY)
    t = after.risk(target.id)
    assert (t.likelihood, t.owner) == (target.likelihood + 1, "Tom Ashdown")
    assert t.history[-1].date == TODAY and len(t.history) == len(target.history) + 1
    assert t.next_review == dt.date(2026, 12, 1)  # moved on from the review made today
    assert t.mitigations[0].status == "done"
    o = after.risk(other.id)
    assert (o.score, o.history[-1].note, o.history[-1].assessor) == (1, "Closed off at the extra meeting",
                                                                      "Helen Marchbank")
    new = next(r for r in after.risks if r.ref == "R90")
    assert (new.category, new.score, new.inherent_score, new.target_date) == ("Commissioning", 12, 16,
                                                                            dt.date(2027, 3, 31))
    assert [m.text for m in new.mitigations] == ["Second provider"] and len(new.history) == 1
    assert "Commissioning" in [c.name for c in after.categories]
    again = importing(risk_db, workbook)  # the same file again: rows without ids match what they made
    assert (again.created, again.updated) == (0, 0)


# -- bad input ----------------------------------------------------------------------------------

def _set(path, sheet, ref, header, value, header_row=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header_row = header_row or (HEADER_ROW if sheet == "Register" else 1)
    col = columns(ws, header_row)
    row = row_of(ws, ref, header_row)
    ws.cell(row, col[header]).value = value
    wb.save(path)
    return row


@pytest.mark.parametrize("sheet, header, value, needle", [
    ("Register", "Likelihood", 7, "The likelihood 7 is out of range: use 1 (Rare) to 5 (Almost certain)."),
    ("Register", "Impact", "high", "The impact 'high' is not a whole number"),
    ("Register", "Target date", "next spring", "'next spring' is not a date; write it as dd/mm/yyyy"),
    ("Register", "Inherent likelihood", 0, "The inherent likelihood 0 is out of range"),
    ("Register", "Status", "pending", "The status 'pending' is not one of: open, escalated, closed."),
    ("Register", "Review frequency", "fortnightly", "'fortnightly' is not one of"),
    ("Register", "Linked priorities", "2; 9", "'9' is not a priority of the plan"),
    ("History", "Likelihood", 6, "The likelihood 6 is out of range"),
    ("History", "Date", "sometime", "'sometime' is not a date"),
    ("Mitigations", "Status", "stalled", "The mitigation status 'stalled' is not one of"),
])
def test_a_bad_cell_is_named_and_changes_nothing(risk_db, demo_db_path, workbook, sheet, header, value, needle):
    from send_desktop.paths import backups_dir_for

    ref = load_register(risk_db).risks[1].ref
    row = _set(workbook, sheet, ref, header, value)
    before = db_contents(demo_db_path)
    backups = set(backups_dir_for(demo_db_path).glob("*before-import*"))
    with pytest.raises(BadInputError) as err:
        importing(risk_db, workbook)
    problem = err.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, header)
    assert needle in problem.message
    assert err.value.message.startswith(f"risks.xlsx: sheet '{sheet}', row {row}, column '{header}': ")
    assert db_contents(demo_db_path) == before
    assert set(backups_dir_for(demo_db_path).glob("*before-import*")) == backups  # refused before the backup


def test_every_problem_is_listed_in_one_pass(risk_db, workbook):
    refs = [r.ref for r in load_register(risk_db).risks[:3]]
    _set(workbook, "Register", refs[0], "Likelihood", 7)
    _set(workbook, "Register", refs[1], "Risk", None)
    _set(workbook, "Register", refs[2], "Next review", "31/13/2026")
    with pytest.raises(BadInputError) as err:
        importing(risk_db, workbook)
    got = {(p.column, p.message) for p in err.value.problems}
    assert ("Likelihood", "The likelihood 7 is out of range: use 1 (Rare) to 5 (Almost certain).") in got
    assert ("Risk", "A risk needs a title.") in got
    assert ("Next review", "'31/13/2026' is not a real date") in got


def test_a_copied_row_with_its_id_is_refused(risk_db, workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Register"]
    for col in range(1, ws.max_column + 1):
        ws.cell(ws.max_row + 1 if col == 1 else ws.max_row, col).value = ws.cell(3, col).value
    wb.save(workbook)
    with pytest.raises(BadInputError, match="this risk id is also on row 3"):
        importing(risk_db, workbook)


def test_dry_run_reports_the_same_and_changes_nothing(risk_db, demo_db_path, workbook):
    ref = load_register(risk_db).risks[0].ref
    _set(workbook, "Register", ref, "Owner", "Priya Raman")
    before = db_contents(demo_db_path)
    dry = importing(risk_db, workbook, dry_run=True)
    assert dry.updated == 1 and "This was a dry run: nothing was changed." in dry.summary()
    assert db_contents(demo_db_path) == before
    real = importing(risk_db, workbook)
    assert (real.created, real.updated, real.unchanged) == (dry.created, dry.updated, dry.unchanged)


def test_cancelling_an_import_half_way_rolls_it_back(risk_db, demo_db_path, workbook):
    from send_desktop.errors import Cancelled

    _set(workbook, "Register", load_register(risk_db).risks[0].ref, "Owner", "Priya Raman")
    before = db_contents(demo_db_path)
    seen = []

    def cancel_once_writing(progress):
        seen.append(progress.message)

    with pytest.raises(Cancelled):
        run_steps(import_risks(risk_db, workbook, today=TODAY), cancel_once_writing,
                  cancelled=lambda: any(m.startswith("Checking") for m in seen))
    assert db_contents(demo_db_path) == before


@pytest.mark.parametrize("content, needle", [
    (b"", "the file is empty"), (b"just some notes", "not an Excel .xlsx workbook"),
    (b"PK\x03\x04broken", "damaged"),
])
def test_a_broken_file_is_refused_cleanly(risk_db, tmp_path, content, needle):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=needle):
        importing(risk_db, path)


def test_a_plan_workbook_is_not_a_risk_register(risk_db, tmp_path):
    from send_desktop.xlsx.plan_export import export_plan

    path = tmp_path / "plan.xlsx"
    run_steps(export_plan(risk_db, path))
    with pytest.raises(BadInputError, match="no sheet named 'Register', so it is not a risk register workbook"):
        importing(risk_db, path)


# -- the command line, as a real process -----------------------------------------------------------

def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "send_desktop", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_cli_export_import_and_dump_risks(risk_db, demo_db_path, tmp_path):
    expected = dump_risks(risk_db)
    risk_db.close()  # the processes below open the file themselves
    out = tmp_path / "cli.xlsx"
    proc = _cli("export", demo_db_path, out, "--kind", "risks")
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and "Register" in openpyxl.load_workbook(out, read_only=True).sheetnames
    proc = _cli("import", demo_db_path, out, "--kind", "risks", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report == {"kind": "risks", "created": 0, "updated": 0, "unchanged": len(expected), "conflicts": 0, "errors": [],
                      "warnings": []}
    proc = _cli("dump", demo_db_path, "--kind", "risks")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == expected

    row = _set(out, "Register", expected[0]["ref"], "Likelihood", 7)
    proc = _cli("import", demo_db_path, out, "--kind", "risks", "--json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert f"sheet 'Register', row {row}, column 'Likelihood'" in proc.stderr and "likelihood 7" in proc.stderr
    assert json.loads(proc.stdout)["errors"][0]["column"] == "Likelihood"
