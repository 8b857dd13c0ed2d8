"""File > Import…: the import assistant, driven page by page on real workbooks.

Each page is also drawn offscreen to /tmp/assistant-*.png, to be looked at.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QMessageBox

from send_desktop.core.progress import run_steps
from send_desktop.services import plan_edit
from send_desktop.services.import_undo import imports
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.database import open_database
from send_desktop.ui import error_dialog
from send_desktop.ui.import_assistant import (
    PAGE_DONE, PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW,
)
from send_desktop.xlsx.plan_export import export_plan
from tests.assistant_helpers import open_assistant, save_picture, wait_for_check as _wait

ACTION = "Actions \u2013 what we will do"


def _open(qtbot, db, path):
    return open_assistant(qtbot, db, path, 620)


def _snap(dialog, name: str) -> None:
    save_picture(dialog, f"{name}")


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


def _exported(db, path: Path) -> Path:
    run_steps(export_plan(db, path))
    return path


def _edit(workbook: Path, uid: str, column: str, value) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Plan"]
    col = {c.value: c.column for c in ws[2] if c.value}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col["Action id"]).value == uid)
    ws.cell(row, col[column]).value = value
    wb.save(workbook)


def _tracker(path: Path) -> Path:
    """An officer's own tracker: title rows, then Ref | Action | Lead | Timescale | RAG."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(["Harbourside SEND improvement plan \u2014 tracker"])
    ws.append(["Updated monthly by the partnership manager"])
    ws.append([])
    ws.append(["Ref", "Action", "Lead", "Timescale", "RAG"])
    ws.append(["1.1.1", "Set up a monthly performance group", "Sam Okafor", "Sept 2025", "Green"])
    ws.append(["1.1.2", "Publish a shared data dashboard", "Dee Patel", "Feb 2026", "Amber"])
    ws.append(["1.2.1", "Agree a data sharing protocol", "Sam Okafor", "31/07/2026", "Red"])
    wb.save(path)
    return path


@pytest.fixture
def new_db(tmp_path):
    from send_desktop.services.plan_setup import new_plan

    database = open_database(tmp_path / "new.sqlite", create=True, user="Test Auditor")
    new_plan(database, "Harbourside plan", "pap3")
    yield database
    database.close()


def test_an_edited_export_is_detected_checked_and_imported_then_undone(qtbot, demo_db, tmp_path, errors,
                                                                       monkeypatch):
    workbook = _exported(demo_db, tmp_path / "returned.xlsx")
    action = load_plan(demo_db).actions()[0]
    _edit(workbook, action.uid, ACTION, "Changed in the workbook")
    before = dump_plan(demo_db)

    dialog = _open(qtbot, demo_db, workbook)
    assert dialog.page() == PAGE_FILE
    assert dialog.kind_combo.currentData() == "plan" and "Detected: action plan" in dialog.kind_label.text()
    assert "returned.xlsx" in dialog.file_label.text() and not dialog.foreign
    _snap(dialog, "1-file")

    for button, keys in ((dialog.next_btn, "Alt+N"), (dialog.back_btn, "Alt+B"), (dialog.import_btn, "Alt+I"),
                         (dialog.cancel_btn, "Alt+C")):
        assert QKeySequence.mnemonic(button.text()) == QKeySequence(keys)
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)  # no column step for the app's own export
    assert dialog.page() == PAGE_PREVIEW
    _wait(qtbot, dialog)
    counts = dialog.report.as_dict()
    assert (counts["created"], counts["updated"], counts["conflicts"]) == (0, 1, 0)
    assert "1</b> would be updated" in dialog.counts_label.text()
    assert "would be" in dialog.summary_label.text()
    assert dialog.import_btn.isEnabled() and dump_plan(demo_db) == before  # nothing written by the check
    _snap(dialog, "3-preview")

    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    assert load_plan(demo_db).action(action.id).text == "Changed in the workbook"
    batch = imports(demo_db)[0]
    assert batch["file"] == "returned.xlsx" and dialog.batch["id"] == batch["id"]
    assert "Undo this import" in dialog.undo_label.text() and dialog.undo_btn.isVisible()
    assert dialog.cancel_btn.text() == "&Close"
    _snap(dialog, "4-done")

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.undo_btn, Qt.MouseButton.LeftButton)
    assert load_plan(demo_db).action(action.id).text == action.text
    assert "was undone" in dialog.undo_label.text()
    assert errors == []


def test_a_foreign_tracker_goes_through_the_column_step(qtbot, new_db, tmp_path, errors):
    path = _tracker(tmp_path / "tracker.xlsx")
    dialog = _open(qtbot, new_db, path)
    assert dialog.kind_combo.currentData() == "plan" and dialog.foreign
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    assert dialog.page() == PAGE_MAPPING
    assert dialog.mapping == {"Ref": "ref", "Action": "text", "Lead": "leads", "Timescale": "timescale",
                              "RAG": "status"}
    table = dialog.mapping_table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert table.cellWidget(rows["Lead"], 1).currentText() == "Lead(s)"
    assert "Sam Okafor" in table.item(rows["Lead"], 2).text()
    assert "header in row 4" in dialog.mapping_intro.text()
    _snap(dialog, "2-mapping")

    dialog.set_field("Lead", None)  # as choosing "not imported" in its list
    assert dialog.mapping["Lead"] == "ignore" and dialog.edited
    assert table.cellWidget(rows["Lead"], 1).currentText() == "not imported"
    assert "Not imported: Lead" in dialog.mapping_summary.text()
    assert dialog.preview.sheets[0].mapping.field_for("Lead") is None  # the preview ran again with it
    _snap(dialog, "2-mapping-edited")

    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_PREVIEW
    assert dialog.report.as_dict()["created"] == 3
    assert dump_plan(new_db)["actions"] == []
    _snap(dialog, "3-preview-foreign")
    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    actions = {a["ref"]: a for a in dump_plan(new_db)["actions"]}
    assert sorted(actions) == ["1.1.1", "1.1.2", "1.2.1"]
    assert all(a["leads"] == [] for a in actions.values())  # the Lead column was not imported
    assert actions["1.1.2"]["timescale"] == "Feb 2026"

    again = _open(qtbot, new_db, path)  # the mapping is remembered for this layout
    qtbot.mouseClick(again.next_btn, Qt.MouseButton.LeftButton)
    assert "Remembered from last time" in again.mapping_intro.text() and again.mapping["Lead"] == "ignore"
    assert errors == []


def test_headers_the_vocabulary_does_not_know_are_assigned_by_hand(qtbot, new_db, tmp_path, errors):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Board tracker"])
    ws.append(["Item", "What", "Whose", "Colour", "Action status"])  # told a plan by "action" and "status"
    ws.append(["3.1.1", "Run parent workshops", "Forum chair", "Green", "x"])
    ws.append(["3.1.2", "Publish the local offer", "Comms lead", "Amber", "y"])
    wb.save(path)
    dialog = _open(qtbot, new_db, path)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("plan"))
    assert dialog.foreign
    dialog.next()
    assert dialog.page() == PAGE_MAPPING and "not ones this application knows" in dialog.mapping_intro.text()
    assert set(dialog.mapping) == {"Item", "What", "Whose", "Colour", "Action status"}
    assert dialog.mapping_table.item(0, 2).text().startswith("3.1.1")
    _snap(dialog, "2-mapping-unknown")
    dialog.set_field("Item", "ref")
    assert dialog.mapping["Item"] == "ref" and "not ones this application knows" in dialog.mapping_intro.text()
    for header, fld in (("What", "text"), ("Whose", "leads"), ("Colour", "status"), ("Action status", None)):
        dialog.set_field(header, fld)
    assert "Columns found on 'Sheet' (header in row 2)" in dialog.mapping_intro.text()
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.report.as_dict()["created"] == 2, dialog.preview_status.text()
    dialog.apply()
    _wait(qtbot, dialog)
    actions = {a["ref"]: a for a in dump_plan(new_db)["actions"]}
    assert actions["3.1.2"]["leads"] == ["Comms lead"] and actions["3.1.2"]["status"] == "Amber"
    assert errors == []


@pytest.mark.parametrize("choice, expected", [("theirs", "Changed there"), ("mine", "Changed here")])
def test_a_conflict_is_shown_side_by_side_and_settled(qtbot, demo_db, tmp_path, errors, choice, expected):
    workbook = _exported(demo_db, tmp_path / "returned.xlsx")
    action, other = load_plan(demo_db).actions()[:2]
    plan_edit.update_action(demo_db, action.id, {"text": "Changed here"})
    _edit(workbook, action.uid, ACTION, "Changed there")
    _edit(workbook, other.uid, ACTION, "Only the workbook changed this")

    dialog = _open(qtbot, demo_db, workbook)
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.state == "refused" and len(dialog.conflicts) == 1
    assert dialog.conflict_box.isVisible() and not dialog.import_btn.isEnabled()
    t = dialog.conflict_table
    assert [t.item(0, c).text() for c in range(1, 5)] == [ACTION, action.text, "Changed here", "Changed there"]
    assert action.ref in t.item(0, 0).text()
    if choice == "theirs":
        _snap(dialog, "3-conflict")

    qtbot.mouseClick(dialog.theirs_btn if choice == "theirs" else dialog.mine_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.state == "checked" and dialog.conflict_box.decisions() == {("action", action.uid, "text"): choice}
    assert dialog.conflict_box.isVisible()  # still shown, with the side taken
    assert dialog.import_btn.isEnabled()
    if choice == "theirs":
        _snap(dialog, "3-conflict-settled")
    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    plan = load_plan(demo_db)
    assert plan.action(action.id).text == expected
    assert plan.action(other.id).text == "Only the workbook changed this"
    assert errors == []


def test_rows_deleted_from_the_workbook_are_removed_only_when_ticked(qtbot, demo_db, tmp_path, errors):
    workbook = _exported(demo_db, tmp_path / "returned.xlsx")
    gone = load_plan(demo_db).actions()[3]
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Plan"]
    col = {c.value: c.column for c in ws[2] if c.value}
    ws.delete_rows(next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col["Action id"]).value == gone.uid))
    wb.save(workbook)

    dialog = _open(qtbot, demo_db, workbook)
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.delete_check.isVisible() and "remove the 1 record no longer" in dialog.delete_check.text()
    dialog.delete_check.setChecked(True)
    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert gone.id not in {a.id for a in load_plan(demo_db).actions()}
    assert errors == []


def test_cancel_at_the_check_changes_nothing(qtbot, demo_db, tmp_path, errors):
    workbook = _exported(demo_db, tmp_path / "returned.xlsx")
    _edit(workbook, load_plan(demo_db).actions()[0].uid, ACTION, "Changed in the workbook")
    before, batches = dump_plan(demo_db), imports(demo_db)
    dialog = _open(qtbot, demo_db, workbook)
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.import_btn.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dump_plan(demo_db) == before and imports(demo_db) == batches
    assert errors == []


def test_a_check_cancelled_while_running_changes_nothing(qtbot, demo_db, tmp_path, errors):
    workbook = _exported(demo_db, tmp_path / "returned.xlsx")
    _edit(workbook, load_plan(demo_db).actions()[0].uid, ACTION, "Changed in the workbook")
    before = dump_plan(demo_db)
    dialog = _open(qtbot, demo_db, workbook)
    dialog.next()
    dialog.job.cancel()
    _wait(qtbot, dialog)
    assert dialog.state in ("cancelled", "checked"), dialog.preview_status.text()  # a fast check may finish first
    if dialog.state == "cancelled":
        assert "cancelled; nothing was changed" in dialog.preview_status.text()
        assert not dialog.import_btn.isEnabled() and dialog.recheck_btn.isVisible()
    dialog.reject()
    assert dump_plan(demo_db) == before and errors == []


def test_a_refused_file_lists_its_problems_on_the_check_page(qtbot, demo_db, tmp_path, errors):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Minutes of the board"])
    ws.append(["Item", "Notes"])
    wb.save(path)
    dialog = _open(qtbot, demo_db, path)
    assert dialog.kind_combo.currentIndex() == -1 and "could not be told" in dialog.kind_label.text()
    assert not dialog.next_btn.isEnabled()
    _snap(dialog, "1-undetected")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("risks"))
    assert "Chosen by you" in dialog.kind_label.text() and dialog.next_btn.isEnabled()
    dialog.next()
    assert dialog.page() == PAGE_MAPPING  # an officer's own register: its columns first, none assigned
    dialog.next()
    _wait(qtbot, dialog)
    assert dialog.state == "refused" and dialog.problems_table.rowCount() >= 1
    assert "cannot be imported" in dialog.preview_status.text() and not dialog.import_btn.isEnabled()
    _snap(dialog, "3-refused")
    assert errors == []


def test_not_a_workbook_is_explained_on_the_first_page(qtbot, demo_db, tmp_path):
    path = tmp_path / "minutes.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    dialog = _open(qtbot, demo_db, path)
    assert "cannot be imported" in dialog.kind_label.text() and not dialog.next_btn.isEnabled()


# -- the main window ------------------------------------------------------------------------------

def test_file_import_opens_the_assistant(qtbot, window):
    assert window.assistant_act.shortcut().toString() == "Ctrl+Shift+I"
    assert window.assistant_act.isEnabled()
    window.assistant_act.trigger()
    dialog = window.assistant
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.path is None and not dialog.next_btn.isEnabled()
    _snap(dialog, "1-empty")
    dialog.reject()


def _mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_a_workbook_dropped_on_the_window_opens_the_assistant_on_it(qtbot, window, tmp_path):
    workbook = _exported(window.db, tmp_path / "dropped.xlsx")
    assert window._dropped_file(_mime(tmp_path / "notes.txt")) is None
    mime = _mime(workbook)  # the event only points at it: keep it alive
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()
    dialog = window.assistant
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.path == workbook and dialog.kind == "plan"
    dialog.reject()


def test_no_room_for_the_rows_read_is_said_on_the_check_page(qtbot, demo_db, demo_db_path, tmp_path,
                                                            monkeypatch, errors):
    """The temporary folder is full (`xlsx.row_spill`): the check says so where its result would be,
    with no dialog, and nothing can be imported."""
    from tests.test_plan_stream import updating_tracker
    from tests.test_row_spill import _FullDisk
    from send_desktop.xlsx import row_spill

    book = updating_tracker(tmp_path / "returned.xlsx", demo_db_path)
    before = dump_plan(demo_db)
    monkeypatch.setattr(row_spill, "BLOCK_ROWS", 2)
    monkeypatch.setattr(row_spill.tempfile, "TemporaryFile", _FullDisk)
    dialog = _open(qtbot, demo_db, book)
    while dialog.page() != PAGE_PREVIEW:
        qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    status = dialog.preview_status.text()
    assert dialog.state == "refused" and not dialog.import_btn.isEnabled()
    assert "returned.xlsx could not be checked" in status and "No space left on device" in status
    assert "The rows read from the workbook could not be kept" in status and "TMPDIR" in status
    assert errors == [] and dump_plan(demo_db) == before
    _snap(dialog, "3-no-room")
