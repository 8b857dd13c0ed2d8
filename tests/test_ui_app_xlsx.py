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
from send_desktop.ui.main_window import MainWindow
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


@pytest.fixture
def window(qtbot, demo_db_path):
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_file(demo_db_path)
    return win


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
