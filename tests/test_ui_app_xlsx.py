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
