"""File > Export…: every kind written through the one dialog, read back with openpyxl; cancel; replace.

The dialog is drawn to /tmp/export-dialog-*.png to be looked at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import DEMO_TODAY

from send_desktop.core.progress import run_steps
from send_desktop.ui import error_dialog
from send_desktop.ui.export_dialog import ExportDialog
from send_desktop.xlsx import export_choices as E
from send_desktop.xlsx.plan_export import export_plan
from send_desktop.xlsx.plan_import import import_plan


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


def _dialog(qtbot, db, kind: str) -> ExportDialog:
    dialog = ExportDialog(db, kind, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _export(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.export_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None and dialog.state != "running", timeout=60_000)


def _snap(dialog, name: str) -> None:
    QApplication.processEvents()
    dialog.grab().save(f"/tmp/export-dialog-{name}.png")


@pytest.mark.parametrize("kind", [k for k, _, _ in E.KINDS])
def test_each_kind_is_exported_through_the_dialog(qtbot, demo_db, tmp_path, errors, kind):
    dialog = _dialog(qtbot, demo_db, kind)
    assert dialog.kind() == kind
    name = Path(dialog.file_edit.text()).name
    assert name.startswith("demo ") and name.endswith(".xlsx")
    assert ("2025-12-01 to 2026-11-01" if kind == "audit-report" else "2026-11-01") in name
    sheets, text = E.contents(demo_db, kind, dialog.options())
    assert text and text in dialog.contents_label.text()
    dialog.set_file(tmp_path / "out")  # no ending typed: .xlsx is added
    _export(qtbot, dialog)
    target = tmp_path / "out.xlsx"
    assert dialog.state == "done" and dialog.path == target, dialog.status_label.text()
    wb = openpyxl.load_workbook(target, read_only=True)
    assert set(sheets) <= set(wb.sheetnames), (sheets, wb.sheetnames)
    assert dialog.open_file_btn.isVisible() and dialog.open_folder_btn.isVisible()
    assert str(target) in dialog.status_label.text()
    assert errors == []


def test_audits_chosen_by_period_and_status(qtbot, demo_db, tmp_path, errors):
    dialog = _dialog(qtbot, demo_db, "audits")
    assert dialog.options_box.isVisible() and dialog.status_row.isVisible()
    dialog.status_checks["draft"].setChecked(False)
    dialog.status_checks["submitted"].setChecked(False)
    dialog.from_edit.setDate(dt.date(2026, 5, 1))
    dialog.to_edit.setDate(dt.date(2026, 10, 31))
    options = dialog.options()
    assert (options.statuses, options.date_from, options.date_to) == (("moderated",), dt.date(2026, 5, 1),
                                                                      dt.date(2026, 10, 31))
    chosen = E.audit_ids(demo_db, options)
    with demo_db.reading() as con:
        everything = con.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert 0 < len(chosen) < everything
    assert f"{len(chosen)} audit" in dialog.contents_label.text() and "moderated" in dialog.contents_label.text()
    _snap(dialog, "audits")
    dialog.set_file(tmp_path / "moderated.xlsx")
    _export(qtbot, dialog)
    ws = openpyxl.load_workbook(tmp_path / "moderated.xlsx", read_only=True)["Audits"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    assert len(rows) == len(chosen)

    for check in dialog.status_checks.values():  # no status: nothing to export, said so
        check.setChecked(False)
    assert not dialog.export_btn.isEnabled() and "at least one status" in dialog.contents_label.text()
    dialog.status_checks["draft"].setChecked(True)
    dialog.from_edit.setDate(dt.date(2026, 10, 1))
    dialog.to_edit.setDate(dt.date(2026, 9, 1))
    assert not dialog.export_btn.isEnabled() and "after the last" in dialog.contents_label.text()
    dialog.all_dates.setChecked(True)
    assert dialog.export_btn.isEnabled() and dialog.options().date_from is None
    assert errors == []


def test_an_existing_file_is_replaced_only_when_the_user_says_so(qtbot, demo_db, tmp_path, errors, monkeypatch):
    returned = tmp_path / "returned.xlsx"
    run_steps(export_plan(demo_db, returned))
    wb = openpyxl.load_workbook(returned)
    text_col = next(c.column for c in wb["Plan"][2] if c.value == "Actions \u2013 what we will do")
    wb["Plan"].cell(3, text_col).value = "Reworded by the officer"
    wb.save(returned)
    run_steps(import_plan(demo_db, returned, today=DEMO_TODAY))  # the workbook an officer sent back, imported
    before = returned.read_bytes()
    asked = []
    answer = {"button": QMessageBox.StandardButton.No}
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or answer["button"])
    dialog = _dialog(qtbot, demo_db, "risks")
    dialog.set_file(returned)
    _export(qtbot, dialog)
    assert len(asked) == 1 and "returned.xlsx already exists" in asked[0] and "imported into this file" in asked[0]
    assert returned.read_bytes() == before and dialog.state == "" and "Nothing was written" in dialog.status_label.text()
    answer["button"] = QMessageBox.StandardButton.Yes
    _export(qtbot, dialog)
    assert dialog.state == "done" and "Register" in openpyxl.load_workbook(returned, read_only=True).sheetnames
    assert errors == []


def test_cancel_leaves_nothing_and_the_folder_is_remembered(qtbot, demo_db, tmp_path, errors, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog = _dialog(qtbot, demo_db, "plan")
    dialog.set_file(folder / "cancelled.xlsx")
    dialog.export()
    dialog.job.cancel()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)
    assert dialog.state == "cancelled" and "cancelled" in dialog.status_label.text()
    assert list(folder.iterdir()) == []  # not the workbook, nor a half-written one beside it
    dialog.set_file(folder / "written.xlsx")
    _export(qtbot, dialog)
    assert dialog.state == "done"
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(dialog.open_file_btn, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_folder_btn, Qt.MouseButton.LeftButton)
    assert opened == [str(folder / "written.xlsx"), str(folder)]
    _snap(dialog, "done")
    again = _dialog(qtbot, demo_db, "kpis")
    assert Path(again.file_edit.text()).parent == folder  # the folder last exported to
    assert errors == []


def test_file_export_opens_the_dialog_and_the_menu_preselects_the_kind(qtbot, window, errors):
    assert window.export_dialog_act.shortcut() == QKeySequence("Ctrl+Shift+E")
    window.export_dialog_act.trigger()
    dialog = window.export_dialog_window
    assert dialog.isVisible() and dialog.kind() == "plan"
    dialog.close()
    window._fill_export_menu()
    entry = next(a for a in window.export_menu.actions() if a.text() == "&Risk register…")
    entry.trigger()
    assert window.export_dialog_window.kind() == "risks" and window.export_dialog_window.isVisible()
    window.export_dialog_window.close()
    window.show_area("KPIs")  # the same key in every area (test_ui_shortcuts)
    assert window.export_dialog_act.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert errors == []
