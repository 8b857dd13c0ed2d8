"""File > Meeting pack, driven as a person would: draft, issue, a copy of the issued PDF, the
workbook and the draft minutes (only the file and message boxes are answered by the test)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from send_desktop.pack.build import issued_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture
def dialog(qtbot, demo_db, monkeypatch, tmp_path):
    from send_desktop.services.meeting_read import list_meetings
    from send_desktop.ui.pack_dialog import PackDialog

    monkeypatch.setattr(QDesktopServicesStub, "opened", [])
    monkeypatch.setattr("send_desktop.ui.pack_dialog.QDesktopServices", QDesktopServicesStub)
    held = [m for m in list_meetings(demo_db) if m.status != "planned"]
    today = max(m.starts_at for m in held).date()
    said: list[str] = []
    d = PackDialog(demo_db, tell=said.append, today=today)
    qtbot.addWidget(d)
    d.said = said
    d.answers = {}

    def save_name(parent, title, suggested, file_filter):
        return str(tmp_path / d.answers.pop("file")), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    return d


class QDesktopServicesStub:
    opened: list = []

    @classmethod
    def openUrl(cls, url):  # noqa: N802 - Qt's name
        cls.opened.append(url.toLocalFile())
        return True


def finish_jobs(qtbot):
    from send_desktop.ui.worker import running_jobs

    qtbot.waitUntil(lambda: not running_jobs(), timeout=60_000)


def test_the_dialog_offers_the_next_meeting_and_says_what_issuing_does(dialog):
    assert dialog.meeting_id() is not None
    assert "Not issued yet" in dialog.state_label.text()
    assert dialog.issued.rowCount() == 0 and not dialog.copy_button.isEnabled()


def test_draft_then_issue_then_a_copy_exactly_as_issued(qtbot, dialog, tmp_path, demo_db):
    dialog.answers["file"] = "draft.pdf"
    dialog.draft_button.click()
    finish_jobs(qtbot)
    assert (tmp_path / "draft.pdf").stat().st_size > 20_000 and dialog.issued.rowCount() == 0
    dialog.answers["file"] = "issued.pdf"
    dialog.issue_button.click()
    finish_jobs(qtbot)
    assert dialog.issued.rowCount() == 1
    assert "issuing makes version 2" in dialog.state_label.text()
    assert QDesktopServicesStub.opened[-1].endswith("issued.pdf")
    dialog.issued.selectRow(0)
    dialog.answers["file"] = "copy.pdf"
    dialog.copy_button.click()
    pack_id = dialog.issued.item(0, 0).data(0x0100)
    assert (tmp_path / "copy.pdf").read_bytes() == issued_pdf(demo_db, pack_id) == (tmp_path / "issued.pdf").read_bytes()


def test_the_workbook_and_the_minutes(qtbot, dialog, tmp_path):
    dialog.answers["file"] = "pack.xlsx"
    dialog.xlsx_button.click()
    finish_jobs(qtbot)
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx", read_only=True)
    assert {"Agenda", "Attendance", "Matters arising", "Plan tracker", "Risks", "KPIs"} <= set(book.sheetnames)
    dialog.answers["file"] = "minutes.pdf"
    dialog.minutes_button.click()
    finish_jobs(qtbot)
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "minutes.pdf"), "-"], capture_output=True, text=True).stdout
    assert "minutes" in text and "Attendance" in text and "Actions" in text


def test_a_cancelled_save_does_nothing(qtbot, dialog, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    dialog.issue_button.click()
    finish_jobs(qtbot)
    assert dialog.issued.rowCount() == 0 and list(tmp_path.glob("*.pdf")) == []
