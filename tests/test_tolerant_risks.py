"""Officers' own risk registers: workbooks laid out as councils lay them out, read into the register.

The register is built with openpyxl as a council's looks: a title and a scoring note above a
header in two rows (group titles "Inherent risk", "Residual risk", "Target risk" merged over their
L / I / Score columns), a merged banner row, likelihoods written "4 - Likely" and "Almost
certain", score formulas never calculated, a typed score that disagrees, a score without its
likelihood and impact, a category and an owner spelt two ways, a repeated reference, a hidden row
and a hidden sheet, review dates typed as text. The outcome is checked in the database and in
the report, then the same file again, then files that must be refused.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.risk_dump import dump_risks
from send_desktop.storage.database import open_database
from send_desktop.xlsx.detect import detect_kind
from send_desktop.xlsx.risk_foreign import is_foreign, level_text
from send_desktop.xlsx.risk_xlsx import export_risks, import_risks
from send_desktop.xlsx.tolerant.table import preview
from tests.helpers import db_contents

TODAY = dt.date(2025, 10, 1)
AMBER = PatternFill("solid", fgColor="FFFFC000")
HEADER = ["Risk No.", "Risk description", "Category", "Risk owner", "Existing controls",
          "L", "I", "Score", "Likelihood (1-5)", "Impact (1-5)", "Score", "L", "I", "Score",
          "Further mitigations", "Review date", "Status"]
SHEET = "Strategic risks"


def council_register(path: Path, change=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Harbourside SEND Partnership \u2014 strategic risk register"])
    ws.merge_cells("A1:Q1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Scoring: likelihood x impact, each 1-5. A residual score of 15 or more goes to the board."])
    ws.append([])
    ws.append([None] * 5 + ["Inherent risk", None, None, "Residual risk", None, None, "Target risk"])   # row 4
    ws.merge_cells("F4:H4")
    ws.merge_cells("I4:K4")
    ws.merge_cells("L4:N4")
    ws.append(HEADER)                                                                                    # row 5
    ws.append(["Statutory duties and timeliness"])                                                       # row 6
    ws.merge_cells("A6:Q6")
    ws.append(["R1", "EHC needs assessments are not finished within 20 weeks because caseworker posts are "
               "vacant", "Statutory duties", "Head of SEND", "Weekly timeliness tracker\nCaseload review each "
               "month", 5, 4, "=F7*G7", "4 - Likely", "Major", "=I7*J7", 2, 3, "=L7*M7",
               "Recruit two caseworkers\n\u2022 Use agency staff until the posts are filled", "31/12/2025",
               "Open"])                                                                                  # row 7
    ws.append(["R2", "Annual reviews fall behind the statutory cycle", "Statutory Duties", "head of SEND", "TBC",
               4, 4, 16, 3, 3, 12, 2, 2, 4, "", "Sept 2025", "Live"])                                    # row 8
    ws.append(["R2", "Tribunal appeals rise as families lose confidence", "Finance", "Finance Lead", "",
               "Almost certain", "Catastrophic", 25, 4, 5, 20, None, None, None, "Mediation offered early",
               dt.date(2025, 11, 30), "Escalated"])                                                      # row 9
    ws.append(["R3", "Home to school transport costs exceed the budget", "Finances", "Finance Lead", "",
               3, 4, 12, 3, 3, 9, 2, 3, 6, "", "N/A", "Closed"])                                         # row 10 hidden
    ws.row_dimensions[10].hidden = True
    ws.append(["R4", "Specialist places run out in the secondary phase", "Sufficiency", "Head of Commissioning",
               "", 4, 3, 12, None, None, 12, 3, 2, 6, "", "", "Open"])                                   # row 11
    for row in range(7, 12):
        ws[f"K{row}"].fill = AMBER
    if change:
        change(ws)
    lists = wb.create_sheet("Lists")
    lists.append(["Category"])
    lists.append(["Finance"])
    lists.sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.fixture
def risk_db(tmp_path):
    database = open_database(tmp_path / "risks.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def do_import(db, path, **kw):
    return run_steps(import_risks(db, path, today=TODAY, source=f"import {Path(path).name}", **kw))


def find(warnings, text):
    found = [w for w in warnings if text in w["message"]]
    assert found, f"no warning with {text!r} in {[w['message'] for w in warnings]}"
    return found[0]


def test_levels_are_read_as_numbers_or_the_scales_words():
    labels = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
    from send_desktop.xlsx.risk_foreign import IMPACT_WORDS, LIKELIHOOD_WORDS

    assert [level_text(v, LIKELIHOOD_WORDS, labels) for v in
            (4, 4.0, "4", "4 - Likely", "4 (Likely)", "Likely (4)", "Almost certain", "likely", "TBC", None,
             "7", "4.5", "often")] == ["4", "4", "4", "4", "4", "4", "5", "4", "", "", "7", "4.5", "often"]
    assert level_text("Major", IMPACT_WORDS, ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")) == "4"
    assert level_text("Catastrophic", IMPACT_WORDS, ("a", "b", "c")) == "Catastrophic"  # words only for 5 levels


def test_a_council_register_is_read_dry_run_then_imported(risk_db, tmp_path):
    path = council_register(tmp_path / "register.xlsx")
    assert is_foreign(path) and detect_kind(path) == "risks"
    before = db_contents(risk_db.path)
    dry = do_import(risk_db, path, dry_run=True)
    assert dry.created == 5 and dry.as_dict()["errors"] == []
    assert db_contents(risk_db.path) == before  # a dry run writes nothing

    report = do_import(risk_db, path)
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    risks = dump_risks(risk_db)
    assert [r["ref"] for r in risks] == ["R1", "R2", "R2", "R3", "R4"]
    r1, r2a, r2b, r3, r4 = risks
    assert r1["title"].startswith("EHC needs assessments are not finished")
    assert (r1["inherent"]["likelihood"], r1["inherent"]["impact"], r1["inherent"]["score"]) == (5, 4, 20)
    assert (r1["likelihood"], r1["impact"], r1["score"]) == (4, 4, 16)  # "4 - Likely", "Major"; formulas worked out
    assert (r1["target"]["likelihood"], r1["target"]["impact"]) == (2, 3)
    assert r1["controls"] == ["Weekly timeliness tracker", "Caseload review each month"]
    assert [m["text"] for m in r1["mitigations"]] == ["Recruit two caseworkers",
                                                      "Use agency staff until the posts are filled"]
    assert r1["next_review"] == "2025-12-31" and r1["status"] == "open"
    assert r2a["next_review"] == "2025-09-30" and r2a["status"] == "open"  # "Sept 2025", "Live"
    assert r2a["controls"] == []  # "TBC"
    assert (r2a["likelihood"], r2a["impact"]) == (3, 3)  # the typed 12 is not taken
    assert (r2b["inherent"]["likelihood"], r2b["inherent"]["impact"]) == (5, 5)  # the scale's words
    assert r2b["status"] == "escalated" and r2b["next_review"] == "2025-11-30"
    assert (r2b["target"]["likelihood"], r2b["target"]["impact"]) == (4, 5)  # no target: the current position
    assert r3["status"] == "closed" and r3["next_review"] is not None  # N/A: the next review follows the cycle
    assert (r4["likelihood"], r4["impact"]) == (4, 3)  # only a residual score: the inherent position is current
    # names written two ways are one; the history records each position once
    assert {r["category"] for r in risks} == {"Statutory duties", "Finance", "Sufficiency"}
    assert {r["owner"] for r in risks} == {"Head of SEND", "Finance Lead", "Head of Commissioning"}
    assert all(len(r["history"]) == 1 for r in risks)

    w = report.as_dict()["warnings"]
    score = find(w, "the score 12 is not likelihood \u00d7 impact (3 \u00d7 3 = 9)")
    assert (score["sheet"], score["row"], score["column"]) == (SHEET, 8, "Residual risk Score")
    split = find(w, "cannot be split")
    assert (split["sheet"], split["row"], split["column"]) == (SHEET, 11, "Residual risk Score")
    dup = find(w, "the ref R2 is on 2 rows")
    assert (dup["sheet"], dup["row"], dup["column"]) == (SHEET, 8, "Risk No.")
    assert find(w, "hidden row")["row"] == 10
    assert find(w, "the sheet is hidden")["sheet"] == "Lists"
    assert find(w, "the category names 'Statutory duties', 'Statutory Duties'")["row"] == 7
    assert find(w, "the category names 'Finance', 'Finances'")
    assert find(w, "the owner names 'Head of SEND', 'head of SEND'")["column"] == "Risk owner"
    assert find(w, "not part of a risk, so not imported: 'Statutory duties and timeliness'")["row"] == 6
    assert find(w, "score formulas with no saved value were worked out")
    assert find(w, "placeholder")["column"] in ("Existing controls", "Review date")

    again = do_import(risk_db, path)  # the same file again changes nothing
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dump_risks(risk_db) == risks


def test_a_changed_register_updates_the_risks_it_matches(risk_db, tmp_path):
    do_import(risk_db, council_register(tmp_path / "register.xlsx"))

    def reviewed(ws):
        ws["I7"], ws["J7"] = 3, "Moderate"               # R1's residual position came down
        ws["B11"] = "Specialist places run out in secondary schools"  # R4 reworded: matched by its ref
        ws["O8"] = "Extra reviewing officer"
        ws.append(["R5", "Health advice is late for EHC assessments", "Health", "Designated Clinical Officer", "",
                   3, 3, "=F12*G12", 3, 3, None, 2, 2, None, "", "", "Open"])

    report = do_import(risk_db, council_register(tmp_path / "register2.xlsx", reviewed))
    assert (report.created, report.updated, report.unchanged) == (1, 3, 2)
    risks = {(r["ref"], r["title"][:20]): r for r in dump_risks(risk_db)}
    r1 = risks[("R1", "EHC needs assessment")]
    assert (r1["likelihood"], r1["impact"]) == (3, 3) and len(r1["history"]) == 2
    assert [r["title"] for r in dump_risks(risk_db) if r["ref"] == "R4"] == [
        "Specialist places run out in secondary schools"]
    assert [m["text"] for r in dump_risks(risk_db) if r["ref"] == "R2" for m in r["mitigations"]][:1] == [
        "Extra reviewing officer"]


@pytest.mark.parametrize("change, column, row, needle", [
    (lambda ws: ws.__setitem__("I9", 7), "Residual risk Likelihood (1-5)", 9, "The likelihood 7 is out of range"),
    (lambda ws: ws.__setitem__("P7", "31/02/2025"), "Review date", 7, "'31/02/2025' is not a real date"),
    (lambda ws: ws.__setitem__("Q8", "Dormant"), "Status", 8, "The status 'Dormant' is not one of"),
    (lambda ws: ws.__setitem__("F11", "often"), "Inherent risk L", 11, "The inherent likelihood 'often'"),
])
def test_a_wrong_value_refuses_the_file_naming_the_cell(risk_db, tmp_path, change, column, row, needle):
    do_import(risk_db, council_register(tmp_path / "register.xlsx"))
    before = db_contents(risk_db.path)
    with pytest.raises(BadInputError) as caught:
        do_import(risk_db, council_register(tmp_path / "bad.xlsx", change))
    found = [p for p in caught.value.problems if needle in p.message]
    assert found, [p.message for p in caught.value.problems]
    assert (found[0].sheet, found[0].row, found[0].column) == (SHEET, row, column)
    assert needle in str(caught.value) or len(caught.value.problems) > 1
    assert db_contents(risk_db.path) == before


def test_a_mapping_names_columns_the_vocabulary_does_not_know_and_is_remembered(risk_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["Code", "What could go wrong", "Chance", "Harm", "Who"])
    ws.append(["SR1", "Parents lose trust in the local offer", 3, 4, "Parent Carer Forum lead"])
    wb.save(tmp_path / "odd.xlsx")
    with pytest.raises(BadInputError, match="no sheet has a header row naming a reference and a risk"):
        do_import(risk_db, tmp_path / "odd.xlsx")
    mapping = {"Code": "ref", "What could go wrong": "title", "Chance": "likelihood", "Harm": "impact",
               "Who": "owner"}
    shown = preview("risks", tmp_path / "odd.xlsx", risk_db, mapping, needed=("ref", "title", "description"))
    assert shown.sheets[0].mapping.field_for("Chance") == "likelihood"
    do_import(risk_db, tmp_path / "odd.xlsx", mapping=mapping)
    risks = dump_risks(risk_db)
    assert [(r["ref"], r["likelihood"], r["impact"], r["owner"]) for r in risks] == [
        ("SR1", 3, 4, "Parent Carer Forum lead")]
    remembered = preview("risks", tmp_path / "odd.xlsx", risk_db, needed=("ref", "title", "description"))
    assert remembered.sheets[0].remembered and remembered.sheets[0].mapping.field_for("Harm") == "impact"
    again = do_import(risk_db, tmp_path / "odd.xlsx")  # the remembered mapping reads it without being given
    assert (again.created, again.unchanged) == (0, 1)


def test_our_own_export_still_goes_through_the_exact_layout(risk_db, tmp_path):
    do_import(risk_db, council_register(tmp_path / "register.xlsx"))
    out = run_steps(export_risks(risk_db, tmp_path / "export.xlsx", today=TODAY))
    assert not is_foreign(out)
    report = do_import(risk_db, out)
    assert (report.created, report.updated) == (0, 0)


def test_the_command_line_imports_an_officers_register_with_a_mapping(risk_db, tmp_path, capsys):
    path = council_register(tmp_path / "register.xlsx")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Risk No.": "ref", "Risk description": "description"}))
    risk_db.close()
    db = str(tmp_path / "risks.sqlite")
    assert main(["import", db, str(path), "--kind", "risks", "--mapping", str(mapping), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "risks" and out["created"] == 5 and out["errors"] == []
    assert main(["import", db, str(path), "--json"]) == 0  # the kind told from the headers
    assert json.loads(capsys.readouterr().out)["created"] == 5
