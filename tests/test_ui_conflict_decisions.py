"""The import assistant's Check page: conflicts side by side, each decided on its own, by mouse and keys.

An action log is exported, two actions' titles and due dates changed in the workbook and here
(`log_case`), and the assistant driven with qtbot: a different choice on each row, a bad date typed
in and refused, then a good one; Import only once every row is decided and checked so; then Undo.
The page is drawn to /tmp/assistant-3-conflicts-decided.png to be looked at.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from tests.test_conflict_decisions import action_row, log_case  # noqa: F401 - fixture
from tests.test_import_merge_undo import _meetings_template, meetings_db, user_tables  # noqa: F401 - fixtures

from send_desktop.services.import_undo import imports
from send_desktop.ui import error_dialog
from send_desktop.ui.conflict_panel import CHOICE_COL, VALUE_COL
from send_desktop.ui.import_assistant import PAGE_DONE, ImportAssistant
from tests.assistant_helpers import wait_for_check as _wait


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


def _row(panel, uid: str, fld: str) -> int:
    return next(r for r, c in enumerate(panel.conflicts) if c.key == ("meeting_action", uid, fld))


def test_each_conflict_decided_differently_in_the_assistant(qtbot, log_case, errors, monkeypatch):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    before = user_tables(db.path)
    dialog = ImportAssistant(db, path)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 640)
    dialog.show()
    dialog.activateWindow()  # focus moves only in the active window
    assert dialog.kind == "actions"
    qtbot.mouseClick(dialog.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    panel = dialog.conflict_box
    assert dialog.state == "refused" and len(panel.conflicts) == 4 and panel.isVisible()
    assert not dialog.import_btn.isEnabled() and not panel.check_btn.isEnabled()
    assert panel.count_label.text() == "0 of 4 decided"
    t = panel.table
    due2 = _row(panel, uid2, "due_date")
    assert [t.item(due2, c).text() for c in (1, 3, 4)] == ["Due", "15/01/2027", "01/03/2027"]

    # keyboard: the table has the focus, M keeps mine on the current row
    t.setFocus()
    t.setCurrentCell(_row(panel, uid1, "due_date"), 0)
    qtbot.keyClick(t, Qt.Key.Key_M)
    # mouse-like: the row's list
    combo = t.cellWidget(_row(panel, uid1, "text"), CHOICE_COL)
    combo.setCurrentIndex(combo.findData("theirs"))
    # E makes the value a text box, with the cursor in it: a title typed in
    t.setCurrentCell(_row(panel, uid2, "text"), 0)
    qtbot.keyClick(t, Qt.Key.Key_E)
    editor = t.cellWidget(_row(panel, uid2, "text"), VALUE_COL)
    assert isinstance(editor, QLineEdit) and editor.text() == "Second, as the workbook has it"
    assert dialog.focusWidget() is editor
    editor.clear()
    qtbot.keyClicks(editor, "Second, as agreed on the phone")
    assert panel.count_label.text() == "3 of 4 decided" and not dialog.import_btn.isEnabled()
    # a bad date typed for the last: refused with its cell, the choices kept
    panel.choose(due2, "edit", "31/02/2027")
    assert panel.check_btn.isEnabled() and panel.count_label.text() == "All 4 decided"
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.state == "refused" and not dialog.import_btn.isEnabled() and panel.isVisible()
    messages = [dialog.problems_table.item(r, 4).text() for r in range(dialog.problems_table.rowCount())]
    assert messages == ["the value typed for Due cannot be used: '31/02/2027' is not a real date"]
    assert dialog.problems_table.item(0, 3).text() == "Due" and "with these choices" in dialog.preview_status.text()
    assert len(panel.decisions()) == 4

    t.cellWidget(due2, VALUE_COL).setText("30/04/2027")
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.state == "checked" and dialog.import_btn.isEnabled(), dialog.preview_status.text()
    assert dialog.report.as_dict()["conflicts"] == 4
    QApplication.processEvents()
    dialog.grab().save("/tmp/assistant-3-conflicts-decided.png")

    # changing a choice after the check: Import waits for the check again
    panel.choose(_row(panel, uid2, "text"), "mine")
    assert dialog.state == "decided" and not dialog.import_btn.isEnabled()
    panel.choose(_row(panel, uid2, "text"), "edit", "Second, as agreed on the phone")
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.import_btn.isEnabled()
    assert user_tables(db.path) == before  # nothing written by the checks

    qtbot.mouseClick(dialog.import_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    assert dialog.page() == PAGE_DONE
    assert action_row(db, id1) == ("First, as the workbook has it", "2027-01-15")
    assert action_row(db, id2) == ("Second, as agreed on the phone", "2027-04-30")
    assert dialog.batch is not None and imports(db)[0]["id"] == dialog.batch["id"]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.undo_btn, Qt.MouseButton.LeftButton)
    assert user_tables(db.path) == before
    assert errors == []


def test_keep_mine_for_all_then_one_taken_from_the_workbook(qtbot, log_case, errors):
    db, path, (id1, uid1), (id2, uid2), _ = log_case
    dialog = ImportAssistant(db, path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.next()
    _wait(qtbot, dialog)
    panel = dialog.conflict_box
    qtbot.mouseClick(panel.mine_btn, Qt.MouseButton.LeftButton)  # chooses every row and checks at once
    _wait(qtbot, dialog)
    assert dialog.state == "checked" and set(panel.decisions().values()) == {"mine"}
    panel.table.setFocus()
    panel.table.setCurrentCell(_row(panel, uid2, "due_date"), 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_T)
    assert not dialog.import_btn.isEnabled()
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, dialog)
    dialog.apply()
    _wait(qtbot, dialog)
    assert action_row(db, id1) == ("First, as the window has it", "2027-01-15")
    assert action_row(db, id2) == ("Second, as the window has it", "2027-03-01")
    assert errors == []
