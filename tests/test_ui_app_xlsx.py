"""File > Export plan to Excel and File > Import plan from Excel, through the worker, on real files."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from send_desktop.services import plan_edit
from send_desktop.services.change_log import recent_changes
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.ui import error_dialog
from send_desktop.ui.worker import running_jobs

pytest.importorskip("send_desktop.xlsx.plan_export")
pytest.importorskip("send_desktop.xlsx.plan_import")


@pytest.fixture
def shown(monkeypatch):
    seen = {"warning": [], "information": [], "question": [], "errors": [], "answer": QMessageBox.StandardButton.Apply}

    def box(kind):
        def show(parent, title, text, *args, **kwargs):
            seen[kind].append(text)
            return seen["answer"] if kind == "question" else QMessageBox.StandardButton.Ok
        return show

    for kind in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen["errors"].append(self.details) or 0)
    return seen


def _wait_for_jobs(qtbot, window):
    qtbot.waitUntil(lambda: not running_jobs(window), timeout=30_000)


def _export(qtbot, window, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.export_act.trigger()
    _wait_for_jobs(qtbot, window)


def test_export_writes_the_workbook(qtbot, window, monkeypatch, shown, tmp_path):
    _export(qtbot, window, monkeypatch, tmp_path / "plan")
    assert (tmp_path / "plan.xlsx").stat().st_size > 10_000
    assert "Exported the plan" in window.statusBar().currentMessage()
    assert shown["warning"] == shown["errors"] == []


def test_importing_a_bad_file_explains_and_changes_nothing(qtbot, window, monkeypatch, shown, tmp_path):
    bad = tmp_path / "minutes.xlsx"
    bad.write_text("this is not a workbook", encoding="utf-8")
    before, log_before = dump_plan(window.db), len(recent_changes(window.db))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))

    window.import_act.trigger()
    _wait_for_jobs(qtbot, window)

    (message,) = shown["warning"]
    assert "minutes.xlsx" in message
    assert shown["question"] == [] and shown["errors"] == []
    assert dump_plan(window.db) == before and len(recent_changes(window.db)) == log_before


def test_import_runs_a_dry_run_first_then_applies(qtbot, window, monkeypatch, shown, tmp_path):
    workbook = tmp_path / "returned.xlsx"
    _export(qtbot, window, monkeypatch, workbook)
    action, other = load_plan(window.db).actions()[:2]
    plan_edit.update_action(window.db, action.id, {"text": "Changed after the export"})
    wb = openpyxl.load_workbook(workbook)  # and another action changed in the workbook
    ws = wb["Plan"]
    col = {c.value: c.column for c in ws[2] if c.value}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col["Action id"]).value == other.uid)
    ws.cell(row, col["Actions \u2013 what we will do"]).value = "Changed in the workbook"
    wb.save(workbook)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))

    shown["answer"] = QMessageBox.StandardButton.Cancel
    window.import_act.trigger()
    _wait_for_jobs(qtbot, window)
    assert "would be" in shown["question"][0]
    assert load_plan(window.db).action(other.id).text == other.text

    shown["answer"] = QMessageBox.StandardButton.Apply
    window.import_act.trigger()  # the dry run's job starts the real import before it ends
    _wait_for_jobs(qtbot, window)
    assert load_plan(window.db).action(other.id).text == "Changed in the workbook"
    assert load_plan(window.db).action(action.id).text == "Changed after the export"  # merged, not overwritten
    assert any(r.source == "import returned.xlsx" for r in recent_changes(window.db, limit=50))
    assert shown["warning"] == shown["errors"] == []


def _press(monkeypatch, seen: list, words: str):
    """Answer the next message boxes built in the window by clicking the button whose text has `words`."""
    def exec_(box):
        seen.append(box.text())
        (button,) = [b for b in box.buttons() if words in b.text().replace("&", "").lower()]
        button.click()
        return 0
    monkeypatch.setattr(QMessageBox, "exec", exec_)


def _edit_returned(workbook, uid: str, column: str, value=None, delete=False):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Plan"]
    col = {c.value: c.column for c in ws[2] if c.value}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, col["Action id"]).value == uid)
    if delete:
        ws.delete_rows(row)
    else:
        ws.cell(row, col[column]).value = value
    wb.save(workbook)


@pytest.mark.parametrize("answer, expected", [("keep mine", "Changed here"), ("take theirs", "Changed there")])
def test_a_conflict_is_settled_in_the_window_then_imported(qtbot, window, monkeypatch, shown, tmp_path, answer,
                                                           expected):
    workbook = tmp_path / "returned.xlsx"
    _export(qtbot, window, monkeypatch, workbook)
    action, other = load_plan(window.db).actions()[:2]
    plan_edit.update_action(window.db, action.id, {"text": "Changed here"})
    _edit_returned(workbook, action.uid, "Actions \u2013 what we will do", "Changed there")
    _edit_returned(workbook, other.uid, "Actions \u2013 what we will do", "Only the workbook changed this")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    asked: list[str] = []
    _press(monkeypatch, asked, answer)

    window.import_act.trigger()
    _wait_for_jobs(qtbot, window)

    assert len(asked) == 1 and "1 change was made both in returned.xlsx and here" in asked[0]
    assert "Changed there" in asked[0] and "Changed here" in asked[0]
    assert "would be" in shown["question"][0]  # then the dry run's report, made with that choice
    plan = load_plan(window.db)
    assert plan.action(action.id).text == expected
    assert plan.action(other.id).text == "Only the workbook changed this"
    assert shown["warning"] == shown["errors"] == []


def test_a_conflict_cancelled_changes_nothing(qtbot, window, monkeypatch, shown, tmp_path):
    workbook = tmp_path / "returned.xlsx"
    _export(qtbot, window, monkeypatch, workbook)
    action = load_plan(window.db).actions()[0]
    plan_edit.update_action(window.db, action.id, {"text": "Changed here"})
    _edit_returned(workbook, action.uid, "Actions \u2013 what we will do", "Changed there")
    before = dump_plan(window.db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    _press(monkeypatch, [], "cancel")

    window.import_act.trigger()
    _wait_for_jobs(qtbot, window)

    assert dump_plan(window.db) == before and shown["question"] == []
    assert "nothing was changed" in window.statusBar().currentMessage()


@pytest.mark.parametrize("answer, removed", [("keep them", False), ("remove 1", True)])
def test_a_row_deleted_from_the_workbook_is_removed_only_when_asked(qtbot, window, monkeypatch, shown, tmp_path,
                                                                   answer, removed):
    workbook = tmp_path / "returned.xlsx"
    _export(qtbot, window, monkeypatch, workbook)
    action = load_plan(window.db).actions()[3]
    _edit_returned(workbook, action.uid, "", delete=True)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    asked: list[str] = []
    _press(monkeypatch, asked, answer)

    window.import_act.trigger()
    _wait_for_jobs(qtbot, window)

    assert len(asked) == 1 and "1 row is no longer in the workbook" in asked[0]
    assert (action.id not in {a.id for a in load_plan(window.db).actions()}) is removed
    assert shown["warning"] == shown["errors"] == []


def _import_from_menu(window, kind_text: str) -> None:
    """File > Import from Excel > `kind_text`, as the menu fills itself when opened."""
    window._fill_import_menu()
    (entry,) = [a for a in window.import_menu.actions() if a.text() == kind_text]
    entry.trigger()


def _conflict_dialog(qtbot, window):
    from send_desktop.ui.conflict_panel import ConflictDialog

    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ConflictDialog)), timeout=30_000)
    (dialog,) = [d for d in window.findChildren(ConflictDialog) if d.isVisible()]
    return dialog


def _two_conflicts(qtbot, window, monkeypatch, tmp_path):
    """The plan exported; two actions' wording changed both here and in the workbook, a third
    only in the workbook. Returns the workbook and the three actions."""
    workbook = tmp_path / "returned.xlsx"
    _export(qtbot, window, monkeypatch, workbook)
    first, second, third = load_plan(window.db).actions()[:3]
    for action, n in ((first, 1), (second, 2)):
        plan_edit.update_action(window.db, action.id, {"text": f"Changed here {n}"})
        _edit_returned(workbook, action.uid, "Actions \u2013 what we will do", f"Changed there {n}")
    _edit_returned(workbook, third.uid, "Actions \u2013 what we will do", "Only the workbook changed this")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    return workbook, (first, second, third)


def test_import_from_excel_decides_each_conflict_one_by_one(qtbot, window, monkeypatch, shown, tmp_path):
    from PySide6.QtCore import Qt

    _workbook, (first, second, third) = _two_conflicts(qtbot, window, monkeypatch, tmp_path)
    window.show()
    window.activateWindow()
    asked: list[str] = []
    _press(monkeypatch, asked, "decide one by one")

    _import_from_menu(window, "&Plan…")
    dialog = _conflict_dialog(qtbot, window)
    assert len(asked) == 1 and "2 changes were made both in returned.xlsx and here" in asked[0]
    assert "decide one by one" in asked[0]
    panel = dialog.panel
    rows = {c.uid: r for r, c in enumerate(panel.conflicts)}
    assert set(rows) == {first.uid, second.uid} and panel.count_label.text() == "0 of 2 decided"
    assert [panel.table.item(rows[first.uid], c).text() for c in (3, 4)] == ["Changed here 1", "Changed there 1"]
    assert not panel.check_btn.isEnabled()
    dialog.activateWindow()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # Enter checks once all are decided; it never decides them
    assert dialog.isVisible() and panel.count_label.text() == "0 of 2 decided"
    panel.table.setCurrentCell(rows[first.uid], 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_M)  # keep mine for the first
    panel.table.setCurrentCell(rows[second.uid], 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_T)  # take theirs for the second
    assert panel.count_label.text() == "All 2 decided" and panel.check_btn.isEnabled()
    dialog.grab().save("/tmp/import-kind-conflicts-decided.png")
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait_for_jobs(qtbot, window)

    assert len(shown["question"]) == 1 and "would be" in shown["question"][0]  # the dry run with the decisions
    plan = load_plan(window.db)
    assert plan.action(first.id).text == "Changed here 1"
    assert plan.action(second.id).text == "Changed there 2"
    assert plan.action(third.id).text == "Only the workbook changed this"
    assert any(r.source == "import returned.xlsx" for r in recent_changes(window.db, limit=50))
    assert shown["warning"] == shown["errors"] == [] and len(asked) == 1


def test_a_value_typed_in_that_cannot_be_used_is_said_then_cancel_changes_nothing(qtbot, window, monkeypatch,
                                                                                   shown, tmp_path):
    """The action log (File > Import from Excel > Meeting actions…): a title and a due date changed
    both here and in the workbook; a due date typed in that is not a date is refused in the panel,
    the decisions kept; Cancel then leaves the file as it was."""
    import datetime as dt

    from PySide6.QtCore import Qt

    from send_desktop.core.progress import run_steps
    from send_desktop.services import meeting_actions
    from send_desktop.xlsx.action_log_xlsx import export_actions
    from tests.helpers import db_contents

    workbook = tmp_path / "actions.xlsx"
    run_steps(export_actions(window.db, workbook))
    with window.db.reading() as con:
        action_id, uid = con.execute("SELECT id, uid FROM meeting_action ORDER BY id LIMIT 1").fetchone()
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Actions"]
    col = {c.value: c.column for c in ws[1] if c.value}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["Action id"]).value == uid)
    ws.cell(row, col["Action"]).value = "As the workbook has it"
    ws.cell(row, col["Due"]).value = dt.datetime(2027, 2, 1)
    wb.save(workbook)
    meeting_actions.update_action(window.db, action_id, {"text": "As the window has it",
                                                         "due_date": dt.date(2027, 1, 15)})
    before = db_contents(window.db.path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    _press(monkeypatch, [], "decide one by one")

    _import_from_menu(window, "Meeting a&ctions…")
    dialog = _conflict_dialog(qtbot, window)
    panel = dialog.panel
    rows = {c.field: r for r, c in enumerate(panel.conflicts)}
    assert set(rows) == {"text", "due_date"} and not dialog.problem.isVisible()
    panel.choose(rows["text"], "theirs")
    panel.choose(rows["due_date"], "edit", "31/02/2027")
    qtbot.mouseClick(panel.check_btn, Qt.MouseButton.LeftButton)
    _wait_for_jobs(qtbot, window)
    dialog = _conflict_dialog(qtbot, window)  # again, saying why, the decisions kept
    assert dialog.panel is panel and dialog.problem.isVisible()
    assert "the value typed for Due cannot be used: '31/02/2027' is not a real date" in dialog.problem.text()
    assert panel.decisions() == {("meeting_action", uid, "text"): "theirs",
                                 ("meeting_action", uid, "due_date"): ("edit", "31/02/2027")}
    assert shown["question"] == []
    dialog.resize(1000, 420)
    dialog.grab().save("/tmp/import-kind-conflicts-refused.png")

    qtbot.mouseClick(dialog.cancel_btn, Qt.MouseButton.LeftButton)
    _wait_for_jobs(qtbot, window)
    assert not dialog.isVisible()
    assert db_contents(window.db.path) == before
    assert "nothing was changed" in window.statusBar().currentMessage()
    assert shown["question"] == shown["warning"] == shown["errors"] == []
