"""Officers' own audit trackers: workbooks laid out as councils keep them, imported as audits.

The tracker is built with openpyxl the way a council's looks: a title and a key above the
header, a merged banner naming section A over columns headed only "Q1".."Q4", criterion
columns headed by code in several spellings and one by its wording, whole-section columns,
ratings as words and numbers, "N/A", a child's name and a date of birth column that must never
be imported, dates typed as text, a hidden row, a repeated row, an "Average" row, a formula
never calculated, a hidden sheet, and one locality spelt two ways. The engine's grade of one
audit is checked against a figure worked by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from tests.helpers import db_contents

from send_desktop.cli import main
from send_desktop.core.progress import run_steps
from send_desktop.errors import BadInputError
from send_desktop.services.audit_edit import create_audit
from send_desktop.services.import_undo import imports, undo_import
from send_desktop.storage.database import open_database
from send_desktop.xlsx.audit_exchange import export_audits, import_audits
from send_desktop.xlsx.audit_foreign_preview import field_labels, is_foreign, preview_audits
from send_desktop.xlsx.detect import detect_kind

NOW = dt.datetime(2025, 10, 1, 9, 0)
SECTIONS = ["Section C", "Section D", "E - Outcomes", "Section F", "Section G", "Section H", "Section I",
            "Section J", "Section K", "Section X"]
HEADER = ["EHCP ref", "Child's name", "DOB", "Date of audit", "Audited by", "Locality", "Plan type",
          "Q1", "Q2", "Q3", "Q4", "B1 - needs set out", "B.2", "Section B Q3",
          "Needs agree with the advice and say where they come from", *SECTIONS, "Overall grade", "Comments"]
#: HB-001, worked by hand: A = (3+2+1+0)/12 = 50%; B, C, D, E, G, I, K and X all Met (2 of 3) = 66.67%;
#: F Partly met = 33.33%; H and J N/A. Weights A 8, B 15, C 5, D 5, E 15, F 20, G 5, I 3, K 3, X 14 = 93:
#: (8 x 50 + 65 x 66.67 + 20 x 33.33) / 93 = 5400 / 93 = 58.06%, banded Requires improvement (33.3-66.7).
FIRST = ["HB-001", "Jo Example", dt.date(2015, 4, 2), "12/05/2025", "Ana Auditor", "North Locality", "Annual review",
         "Exemplary", "Met", "Partly met", 0, "Met", 2, "2", "met",
         "Met", "Met", "Met", "Partly met", "Met", "N/A", "Met", "N/A", "Met", "Met", "Good", "Clear plan"]
SECOND = ["HB-002", "Sam Example", "03/03/2012", "1 Sept 2025", "Ana Auditor", "north locality", "New",
          3, 3, 3, None, 3, 3, 3, 3, *[3] * 10, "Outstanding", ""]
THIRD = ["HB-003", "Lee Example", None, "31/07/2025", "Ben Auditor", "South Locality", "AR",
         1, 1, 1, 1, 1, 1, 1, 1, *[1] * 10, "RI", ""]


def council_tracker(path: Path, rows=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "EHCP audits 2025"
    ws.append(["Harbourside EHCP quality assurance tracker 2025-26"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Key: 0 Not met, 1 Partly met, 2 Met, 3 Exemplary; N/A where the section allows it"])
    ws.append([None] * 7 + ["Section A: Views, interests and aspirations"])              # row 3: banner
    ws.merge_cells("H3:K3")
    ws["H3"].fill = PatternFill("solid", fgColor="FFDDEEFF")
    ws.append(HEADER)                                                                    # row 4
    for row in rows if rows is not None else (FIRST, SECOND, THIRD, FIRST, ["Average", None, None, None, None,
                                                                            None, None, 1.5, 1.5]):
        ws.append(list(row))                                                             # rows 5..
    if rows is None:
        ws.row_dimensions[7].hidden = True                                               # HB-003
        ws["K6"] = "=AVERAGE(H6:J6)"                                                     # never calculated
    hidden = wb.create_sheet("Lookups")
    hidden.append(["Localities"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.fixture
def adb(tmp_path):
    database = open_database(tmp_path / "audits.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def do_import(db, path, **kw):
    return run_steps(import_audits(db, path, source=f"import {Path(path).name}", now=NOW, **kw))


def audits(db) -> dict[str, dict]:
    with db.reading() as con:
        rows = con.execute("SELECT plan_ref, audit_date, auditor, team, plan_type, status, ratings, score, grade, "
                           "notes FROM audit ORDER BY id").fetchall()
    keys = ("plan_ref", "audit_date", "auditor", "team", "plan_type", "status", "ratings", "score", "grade", "notes")
    return {r[0]: dict(zip(keys, r[:6] + (json.loads(r[6]),) + r[7:])) for r in rows}


def find(report, text):
    found = [w for w in report.warnings if text in str(getattr(w, "message", w))]
    assert found, f"no warning with {text!r} in {[str(w) for w in report.warnings]}"
    return found[0]


def test_a_council_tracker_imports_graded_by_the_engine(adb, tmp_path):
    path = council_tracker(tmp_path / "tracker.xlsx")
    assert is_foreign(path) and detect_kind(path) == "audits"
    before = db_contents(Path(adb.path))
    dry = do_import(adb, path, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (3, 0, 0)
    assert db_contents(Path(adb.path)) == before

    report = do_import(adb, path)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    got = audits(adb)
    first = got["HB-001"]
    assert first["score"] == 58.1 and first["grade"] == "Requires improvement"  # 5400 / 93, by hand
    assert {k: first["ratings"][k] for k in ("A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4")} == \
        {"A1": 3, "A2": 2, "A3": 1, "A4": 0, "B1": 2, "B2": 2, "B3": 2, "B4": 2}
    assert first["ratings"]["F2"] == 1 and first["ratings"]["H1a"] == "na" and first["ratings"]["J3"] == "na"
    assert "ADV-ED1" not in first["ratings"]                      # no column: not evidenced
    assert (first["audit_date"], first["auditor"], first["plan_type"], first["status"], first["notes"]) == \
        ("2025-05-12", "Ana Auditor", "annual review", "submitted", "Clear plan")
    second = got["HB-002"]
    assert second["audit_date"] == "2025-09-01" and second["plan_type"] == "new"
    assert "A4" not in second["ratings"]                          # the formula with no saved value
    assert got["HB-003"]["plan_type"] == "annual review" and got["HB-003"]["grade"] == "Requires improvement"
    assert {a["team"] for a in got.values()} == {"North Locality", "South Locality"}

    sheet = "EHCP audits 2025"
    names = [w for w in report.warnings if "children's names" in w.message]
    assert [(w.sheet, w.row, w.column) for w in names] == [(sheet, 4, "Child's name"), (sheet, 4, "DOB")]
    graded = find(report, "the workbook gives the grade 'Good'")
    assert (graded.sheet, graded.row, graded.column) == (sheet, 5, "Overall grade")
    assert "Requires improvement (58.1%)" in graded.message
    assert "'Outstanding'" not in " ".join(w.message for w in report.warnings)  # HB-002 is Outstanding
    assert find(report, "is also on row 5, the same").row == 8
    assert find(report, "hidden row").row == 7
    assert (find(report, "formula with no saved value").row, find(report, "formula").column) == (6, "Q4")
    assert find(report, "'Average' row").row == 9
    assert find(report, "the sheet is hidden").sheet == "Lookups"
    assert "'North Locality', 'north locality'" in find(report, "taken as one team").message
    dump = "\n".join(db_contents(Path(adb.path)))
    assert "Jo Example" not in dump and "Sam Example" not in dump and "2015-04-02" not in dump


def test_reimporting_changes_nothing_and_an_edit_updates_one_audit_undoably(adb, tmp_path):
    path = council_tracker(tmp_path / "tracker.xlsx")
    do_import(adb, path)
    before = db_contents(Path(adb.path))
    again = do_import(adb, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert db_contents(Path(adb.path)) == before

    edited = list(THIRD)
    edited[HEADER.index("Section F")] = 3
    path2 = council_tracker(tmp_path / "tracker2.xlsx", [FIRST, SECOND, edited])
    report = do_import(adb, path2)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert audits(adb)["HB-003"]["ratings"]["F1"] == 3
    latest = imports(adb)[0]
    assert latest["file"] == "tracker2.xlsx"
    undo_import(adb, latest["id"])
    assert audits(adb)["HB-003"]["ratings"]["F1"] == 1


def test_an_import_is_undone_as_a_whole(adb, tmp_path):
    before = db_contents(Path(adb.path))
    do_import(adb, council_tracker(tmp_path / "tracker.xlsx"))
    (batch,) = imports(adb)
    assert batch["kind"] == "audits" and batch["counts"]["created"] == 3
    undo_import(adb, batch["id"])
    assert audits(adb) == {}
    with adb.reading() as con:
        assert con.execute("SELECT count(*) FROM audit_action").fetchone() == (0,)
    assert len(db_contents(Path(adb.path))) > len(before)  # the undo is on record, the audits are gone


def test_the_same_plan_and_day_by_another_auditor_is_another_audit(adb, tmp_path):
    do_import(adb, council_tracker(tmp_path / "a.xlsx", [FIRST]))
    other = list(FIRST)
    other[HEADER.index("Audited by")] = "Cal Moderator"
    report = do_import(adb, council_tracker(tmp_path / "b.xlsx", [FIRST, other]))
    assert (report.created, report.unchanged) == (1, 1)


def _with(index_of: str, value, row=FIRST):
    changed = list(row)
    changed[HEADER.index(index_of)] = value
    return changed


@pytest.mark.parametrize("row, column, needle", [
    (_with("B.2", 4), "B.2", "4 is out of range; use 0 to 3"),
    (_with("Q2", "Good"), "Q2", "'Good' is not a rating"),
    (_with("Section B Q3", "N/A"), "Section B Q3", "section B does not allow N/A"),
    (_with("Date of audit", "31/02/2025"), "Date of audit", "'31/02/2025' is not a real date"),
    (_with("EHCP ref", None), "EHCP ref", "no plan reference"),
    (_with("Plan type", "Renewal"), "Plan type", "'Renewal' is not a plan type"),
    (_with("Q3", "2 - Not met"), "Q3", "gives 2 but says 'Not met'"),
])
def test_bad_input_refuses_the_file_naming_sheet_row_and_column(adb, tmp_path, row, column, needle):
    do_import(adb, council_tracker(tmp_path / "good.xlsx", [SECOND]))
    before = db_contents(Path(adb.path))
    path = council_tracker(tmp_path / "bad.xlsx", [THIRD, row])
    with pytest.raises(BadInputError) as caught:
        do_import(adb, path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("EHCP audits 2025", 6, column)
    assert needle in problem.message, problem.message
    assert caught.value.message.startswith("bad.xlsx: sheet 'EHCP audits 2025', row 6") and \
        "\n" not in caught.value.message
    assert db_contents(Path(adb.path)) == before


def test_a_column_that_looks_like_a_missing_criterion_refuses_the_file(adb, tmp_path):
    path = tmp_path / "a9.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Plan ref", "Audit date", "A1", "A9"])
    wb.active.append(["HB-9", "01/06/2025", 2, 2])
    wb.save(path)
    with pytest.raises(BadInputError) as caught:
        do_import(adb, path)
    assert caught.value.problems[0].column == "A9" and "no such criterion" in caught.value.problems[0].message


def tool_export(path: Path) -> Path:
    """A commercial tool's export: its own headers, one the vocabulary cannot know."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["Case", "When", "Crit 1 (views)", "Crit 2", "Result"])
    ws.append(["TOOL-1", dt.date(2025, 6, 3), "Met", "Not met", "Inadequate"])
    ws.append(["TOOL-2", dt.date(2025, 6, 4), "Exemplary", "Met", "Inadequate"])
    wb.save(path)
    return path


def test_a_mapping_names_the_columns_and_is_remembered(adb, tmp_path):
    path = tool_export(tmp_path / "tool.xlsx")
    assert preview_audits(path, adb).sheets == []
    with pytest.raises(BadInputError):
        do_import(adb, path, dry_run=True)
    mapping = {"Case": "plan_ref", "When": "audit_date", "Crit 1 (views)": "A1", "Crit 2": "criterion:A2",
               "Result": "overall_grade"}
    shown = preview_audits(path, adb, mapping=mapping).sheets[0]
    assert shown.header_row == 1 and shown.mapping.source == "given"
    assert shown.mapping.fields["Crit 1 (views)"] == "criterion:A1" and shown.rows[0][0] == "TOOL-1"
    report = do_import(adb, path, mapping=mapping)
    assert report.created == 2
    assert audits(adb)["TOOL-1"]["ratings"] == {"A1": 2, "A2": 0}
    again = preview_audits(path, adb)
    assert again.sheets[0].remembered and again.sheets[0].mapping.fields["Crit 2"] == "criterion:A2"
    assert do_import(adb, path).unchanged == 2  # the remembered mapping, without being given
    labels = field_labels(adb)
    assert labels["plan_ref"] == "Plan reference" and labels["criterion:A1"].startswith("A1: ")
    assert "section:B" in labels


def test_a_bad_mapping_is_refused_in_one_line(adb, tmp_path):
    path = tool_export(tmp_path / "tool.xlsx")
    with pytest.raises(BadInputError) as caught:
        do_import(adb, path, mapping={"Case": "plan_ref", "Crit 2": "criterion:Q77"})
    assert "not a criterion" in caught.value.message and "\n" not in caught.value.message


def test_cli_import_of_a_tracker_with_a_mapping(adb, tmp_path, capsys):
    path = tool_export(tmp_path / "tool.xlsx")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Case": "plan_ref", "When": "audit_date", "Crit 1 (views)": "A1"}))
    db_path = str(adb.path)
    adb.close()
    assert main(["import", db_path, str(path), "--kind", "audits", "--mapping", str(mapping), "--dry-run",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "audits" and out["created"] == 2 and out["errors"] == []
    assert any("columns not imported" in w["message"] and "'Crit 2', 'Result'" in w["message"]
               for w in out["warnings"])
    assert main(["import", db_path, str(path), "--kind", "framework", "--mapping", str(mapping)]) == 2
    assert "only for plan, risks, kpis, actions, audits, caseload" in capsys.readouterr().err


def test_a_moderated_audit_is_not_changed(adb, tmp_path):
    from send_desktop.services.audit_edit import complete_moderation, start_moderation

    do_import(adb, council_tracker(tmp_path / "a.xlsx", [THIRD]))
    with adb.reading() as con:
        (audit_id,) = con.execute("SELECT id FROM audit").fetchone()
    moderation = start_moderation(adb, audit_id, "Cal Moderator", day=dt.date(2025, 8, 1))
    complete_moderation(adb, moderation)
    before = audits(adb)
    report = do_import(adb, council_tracker(tmp_path / "b.xlsx", [_with("Section F", 3, THIRD)]))
    assert report.updated == 0 and "moderated" in find(report, "moderated").message
    assert audits(adb) == before


def test_the_apps_own_export_still_goes_to_its_own_reader(adb, tmp_path):
    create_audit(adb, {"plan_ref": "OWN-1", "audit_date": dt.date(2025, 5, 1), "auditor": "Ana Auditor",
                       "ratings": {"A1": 2}})
    path = tmp_path / "own.xlsx"
    run_steps(export_audits(adb, path))
    assert not is_foreign(path) and detect_kind(path) == "audits"
    assert do_import(adb, path).unchanged == 1
