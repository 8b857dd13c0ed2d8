"""The import assistant's Columns page for the other kinds an officer keeps: risks, KPIs, actions,
audit trackers and caseload lists.

The workbooks are the council layouts of tests/test_tolerant_*.py. Each page is drawn offscreen
to /tmp/assistant-*.png, to be looked at.
"""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt

from send_desktop.services.kpi_dump import dump_kpis
from send_desktop.services.meeting_dump import dump_actions
from send_desktop.services.risk_dump import dump_risks
from send_desktop.storage.database import open_database
from send_desktop.ui import error_dialog
from send_desktop.ui.import_assistant import PAGE_DONE, PAGE_MAPPING, PAGE_PREVIEW
from tests.test_tolerant_actions import action_log
from tests.test_tolerant_audits import council_tracker
from tests.test_tolerant_caseload import caseload_list
from tests.test_tolerant_kpis import scorecard
from tests.test_tolerant_risks import council_register
from tests.assistant_helpers import open_assistant, save_picture, wait_for_check as _wait


def _open(qtbot, db, path):
    return open_assistant(qtbot, db, path, 620)


def _snap(dialog, name: str) -> None:
    save_picture(dialog, f"{name}")


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


@pytest.fixture
def new_db(tmp_path):
    database = open_database(tmp_path / "new.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


def _rows(dialog) -> dict[str, int]:
    table = dialog.mapping_table
    return {table.item(r, 0).text(): r for r in range(table.rowCount())}


def test_a_risk_registers_columns_are_shown_changed_and_imported(qtbot, new_db, tmp_path, errors):
    path = council_register(tmp_path / "register.xlsx")
    dialog = _open(qtbot, new_db, path)
    assert dialog.kind_combo.currentData() == "risks" and dialog.foreign
    assert "columns are set on the next page" in dialog.kind_label.text()
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    assert dialog.page() == PAGE_MAPPING
    assert "header in row 5" in dialog.mapping_intro.text()
    rows = _rows(dialog)
    table = dialog.mapping_table
    # the two-row header is read as one: each group's L, I and Score are told apart
    assert table.cellWidget(rows["Inherent risk L"], 1).currentText() == "Inherent likelihood"
    assert table.cellWidget(rows["Residual risk Likelihood (1-5)"], 1).currentText() == "Current likelihood"
    assert table.cellWidget(rows["Target risk Score"], 1).currentText() == "Target score (checked)"
    assert table.cellWidget(rows["Further mitigations"], 1).currentText() == "Further mitigations"
    assert "4 - Likely" in table.item(rows["Residual risk Likelihood (1-5)"], 2).text()
    # the category banners above the rows are not shown as the first references
    assert table.item(rows["Risk No."], 2).text().startswith("R1 \u00b7 R2"), table.item(rows["Risk No."], 2).text()
    combo = table.cellWidget(rows["Risk owner"], 1)
    assert [combo.itemText(i) for i in range(3)] == ["not imported", "Reference", "Risk (title)"]
    _snap(dialog, "2-mapping-risks")

    dialog.set_field("Category", None)  # as choosing "not imported" in its list
    assert dialog.mapping["Category"] == "ignore" and "Not imported: Category" in dialog.mapping_summary.text()
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_PREVIEW
    assert dialog.report.as_dict()["created"] == 5, dialog.preview_status.text()
    assert dump_risks(new_db) == []
    _snap(dialog, "3-preview-risks")
    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    risks = dump_risks(new_db)
    assert len(risks) == 5 and all(r["category"] == "" for r in risks)  # the Category column was left out

    again = _open(qtbot, new_db, path)  # the mapping is remembered for this layout
    qtbot.mouseClick(again.next_btn, Qt.MouseButton.LeftButton)
    assert "Remembered from last time" in again.mapping_intro.text() and again.mapping["Category"] == "ignore"
    assert errors == []


def test_a_kpi_tables_period_columns_say_how_they_are_read(qtbot, new_db, tmp_path, errors):
    dialog = _open(qtbot, new_db, scorecard(tmp_path / "scorecard.xlsx"))
    assert dialog.kind_combo.currentData() == "kpis" and dialog.foreign
    dialog.next()
    assert dialog.page() == PAGE_MAPPING
    rows = _rows(dialog)
    table = dialog.mapping_table
    assert table.cellWidget(rows["2023/24"], 1).currentText() == "values for 2023/24"
    assert table.cellWidget(rows["Q1 24/25"], 1).currentText() == "values for Q1 2024/25"
    assert table.cellWidget(rows["Measure"], 1).currentText() == "Measure"
    assert "2023/24 \u2192 values for 2023/24" in dialog.mapping_summary.text()
    _snap(dialog, "2-mapping-kpis")
    dialog.next()
    _wait(qtbot, dialog)
    dialog.apply()
    _wait(qtbot, dialog)
    assert [k["ref"] for k in dump_kpis(new_db)] == ["1c", "2b (i)", "3a", "4"]
    assert errors == []


def test_an_action_logs_columns_use_the_action_fields(qtbot, new_db, tmp_path, errors):
    path = tmp_path / "log.xlsx"
    action_log(path)
    dialog = _open(qtbot, new_db, path)
    assert dialog.kind_combo.currentData() == "actions" and dialog.foreign
    dialog.next()
    rows = _rows(dialog)
    assert dialog.mapping_table.cellWidget(rows["Date raised"], 1).currentText() == "Meeting date"
    assert dialog.mapping_table.cellWidget(rows["No."], 1).currentText() == "Number"
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["created"] == 6
    dialog.apply()
    _wait(qtbot, dialog)
    assert len(dump_actions(new_db)) == 6
    assert errors == []


def test_an_unknown_layout_of_another_kind_is_assigned_by_hand(qtbot, new_db, tmp_path, errors):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Code", "What could go wrong", "Chance", "Harm"])
    ws.append(["SR1", "Parents lose trust in the local offer", 3, 4])
    wb.save(path)
    dialog = _open(qtbot, new_db, path)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("risks"))
    assert dialog.foreign
    dialog.next()
    assert "not ones this application knows" in dialog.mapping_intro.text()
    for header, fld in (("Code", "ref"), ("What could go wrong", "title"), ("Chance", "likelihood"),
                        ("Harm", "impact")):
        dialog.set_field(header, fld)
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["created"] == 1, dialog.preview_status.text()
    dialog.apply()
    _wait(qtbot, dialog)
    assert [(r["ref"], r["likelihood"], r["impact"]) for r in dump_risks(new_db)] == [("SR1", 3, 4)]
    assert errors == []


def test_an_audit_trackers_criterion_columns_are_named_by_the_framework(qtbot, new_db, tmp_path, errors):
    from send_desktop.services.audit_read import audit_ids, load_audit

    dialog = _open(qtbot, new_db, council_tracker(tmp_path / "tracker.xlsx"))
    assert dialog.kind_combo.currentData() == "audits" and dialog.foreign
    dialog.next()
    assert dialog.page() == PAGE_MAPPING
    rows = _rows(dialog)
    table = dialog.mapping_table
    assert table.cellWidget(rows["Child's name"], 1).currentText() == "not imported"
    assert "Jo Example" not in table.item(rows["Child's name"], 2).text()  # names are never shown
    assert table.cellWidget(rows["Q1"], 1).currentText().startswith("A1: ")  # under the Section A banner
    assert table.cellWidget(rows["B.2"], 1).currentText().startswith("B2: ")
    _snap(dialog, "2-mapping-audits")
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["created"] == 3, dialog.preview_status.text()
    dialog.apply()
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    graded = {load_audit(new_db, i).plan_ref: load_audit(new_db, i).score for i in audit_ids(new_db)}
    assert graded["HB-001"] == 58.1  # 5400 / 93, worked by hand in tests/test_tolerant_audits.py
    assert errors == []


def test_a_caseload_lists_name_columns_are_left_out_and_never_shown(qtbot, new_db, tmp_path, errors):
    from send_desktop.services.caseload import caseload_rows

    dialog = _open(qtbot, new_db, caseload_list(tmp_path / "caseload.xlsx"))
    assert dialog.kind_combo.currentData() == "caseload" and dialog.foreign
    dialog.next()
    assert dialog.page() == PAGE_MAPPING
    rows = _rows(dialog)
    table = dialog.mapping_table
    assert table.cellWidget(rows["EHCP No."], 1).currentText() == "Plan reference"
    for header in ("Pupil name", "D.O.B."):
        assert table.cellWidget(rows[header], 1).currentText() == "not imported"
    shown = " ".join(table.item(r, 2).text() for r in range(table.rowCount()))
    assert "Ada Example" not in shown and "HB-1001" in shown
    _snap(dialog, "2-mapping-caseload")
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["created"] == 5, dialog.preview_status.text()
    dialog.apply()
    _wait(qtbot, dialog)
    assert {r.plan_ref for r in caseload_rows(new_db)} == {"HB-1001", "HB-1002", "1003", "HB-1004", "HB-1005"}
    assert errors == []
