"""The import assistant's rating scale of a new plan, detected in the background.

Detection reads every row of the tracker (a second for 10,000 rows), so it runs on the worker's
thread while the Columns page says so and stays in use: Back, Next and Cancel are not held up,
and a result for a file no longer shown is dropped. Driven with qtbot on real generated trackers
(openpyxl) and a real empty database; the page is drawn to /tmp/assistant-scale-*.png.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from send_desktop.storage.database import open_database
from send_desktop.ui import error_dialog, worker
from send_desktop.ui.import_assistant import PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW
from send_desktop.xlsx.plan_scale import scale_choice
from tests.test_tolerant_matching import rag_tracker
from tests.assistant_helpers import open_assistant, save_picture

ROWS = 10_000
STATUSES = ["Completed", "Green", "Amber", "Red", "On track", "Not started"]


def _open(qtbot, db, path):
    return open_assistant(qtbot, db, path, 660)


def _snap(dialog, name: str) -> None:
    save_picture(dialog, f"scale-{name}")


def big_tracker(path: Path, rows: int = ROWS) -> Path:
    """A council-style tracker: a title and a key above the header, a banner row per outcome of 20
    actions, and a status on every action (written in write-only mode, as the benchmark does)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("PAP tracker")
    ws.append(["Local Area SEND Priority Action Plan \u2014 tracker"])
    ws.append(["Key: Green on track; Amber at risk; Red delayed"])
    ws.append(["Ref", "Actions \u2013 what we will do", "Lead officer", "Timescale", "RAG", "Progress update"])
    for n in range(rows):
        if n % 20 == 0:
            ws.append([f"Outcome {n // 20 + 1}: children and families see the service improve"])
        ws.append([f"{n // 100 + 1}.{n // 20 % 5 + 1}.{n % 20 + 1}", f"Deliver improvement step {n + 1}",
                   f"Officer {n % 40}", "March 2026", STATUSES[n % len(STATUSES)], f"Progress note {n + 1}"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def tracker(tmp_path_factory) -> Path:
    return big_tracker(tmp_path_factory.mktemp("scale") / "tracker.xlsx")


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen.append(self.details) or 0)
    return seen


@pytest.fixture
def empty_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite", create=True, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _jobs_end(qtbot):
    """A detection still running when a test ends is waited for, so none outlives its database."""
    yield
    qtbot.waitUntil(lambda: not worker.running_jobs(), timeout=60_000)


def _detected(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.columns.detecting(), timeout=60_000)


def test_the_scale_is_detected_in_the_background_while_the_page_stays_in_use(qtbot, empty_db, tracker, errors):
    dialog = _open(qtbot, empty_db, tracker)
    assert dialog.foreign
    dialog.next()
    row = dialog.scale_row
    # next() has returned with the page shown and the detection running on the worker's thread
    assert dialog.page() == PAGE_MAPPING and dialog.columns.detecting() and dialog.columns.scale_job.running
    assert row.isVisible() and row.detecting and row.busy.isVisible()
    assert row.combo.itemText(0) == "Detecting…" and not row.combo.isEnabled()
    assert "Detecting the rating scale" in row.reason.text()
    assert dialog.mapping_table.rowCount() == 6  # the columns are there already
    assert all(b.isEnabled() for b in (dialog.back_btn, dialog.next_btn, dialog.cancel_btn))
    _snap(dialog, "1-detecting")

    seen = []  # the event loop runs while the rows are read: a timer fires again and again meanwhile
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: seen.append(row.reason.text()) if dialog.columns.detecting() else None)
    timer.start()
    _detected(qtbot, dialog)
    timer.stop()
    assert len(seen) >= 5, "the window was held up while the scale was detected"
    assert any("reading sheet 'PAP tracker'" in text for text in seen)  # how far it has got

    assert row.combo.isEnabled() and row.busy.isHidden() and not row.detecting
    assert row.combo.itemText(0).startswith("Detected: Improvement Plan (5 levels)")
    assert row.info == scale_choice(tracker, empty_db)  # what the reader detects, run here to compare
    assert "Detected because the statuses used" in row.reason.text()
    _snap(dialog, "2-detected")
    assert errors == []


def test_back_and_another_file_while_detecting_drop_the_late_result(qtbot, empty_db, tracker, tmp_path, errors):
    small = rag_tracker(tmp_path / "rag.xlsx", ["Red", "Amber", "Green"])
    dialog = _open(qtbot, empty_db, tracker)
    dialog.next()
    first = dialog.columns.scale_job
    assert first is not None and dialog.back_btn.isEnabled()
    dialog.back()  # not held up by the detection
    assert dialog.page() == PAGE_FILE
    dialog.set_file(small)
    assert first.cancelled() and not dialog.columns.detecting()  # another file: stopped, its result unwanted
    dialog.next()
    _detected(qtbot, dialog)
    row = dialog.scale_row
    assert row.combo.itemText(0).startswith("Detected: Priority Action Plan (3 levels)")
    qtbot.waitUntil(lambda: not first.running, timeout=60_000)  # the first file's detection has ended...
    QApplication.processEvents()
    assert row.combo.itemText(0).startswith("Detected: Priority Action Plan (3 levels)")  # ...and changed nothing

    dialog.next()  # the check uses the detected scale
    qtbot.waitUntil(lambda: dialog.job is None and dialog.state != "running", timeout=30_000)
    assert dialog.page() == PAGE_PREVIEW and dialog.report.as_dict()["scale"]["preset"] == "pap3"
    assert errors == []


def test_next_and_cancel_do_not_wait_for_the_detection(qtbot, empty_db, tracker, errors):
    dialog = _open(qtbot, empty_db, tracker)
    dialog.next()
    assert dialog.columns.detecting()
    dialog.back()
    dialog.next()  # the same file and columns again: the detection running goes on, not started anew
    job = dialog.columns.scale_job
    assert job is not None and not job.cancelled()
    dialog.next()  # on to the check at once: it detects the scale itself
    assert dialog.page() == PAGE_PREVIEW and dialog.state == "running" and not job.cancelled()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.state != "running", timeout=60_000)
    assert dialog.report.as_dict()["scale"]["preset"] == "ip5"

    again = _open(qtbot, empty_db, tracker)
    again.next()
    job = again.columns.scale_job
    assert job is not None and job.running
    again.reject()  # Cancel: the dialog closes at once, the detection is stopped at its next step
    assert not again.isVisible() and job.cancelled()
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert again.scale_row.combo.itemText(0) == "Detecting…"  # its result, had it come, was dropped
    assert errors == []


def test_the_scale_waits_for_columns_the_vocabulary_does_not_know(qtbot, empty_db, tmp_path, errors):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Item", "What", "Whose", "Colour", "Action status"])  # headers the vocabulary does not know
    ws.append(["3.1.1", "Run parent workshops", "Forum chair", "Green", "x"])
    ws.append(["3.1.2", "Publish the local offer", "Comms lead", "Red", "y"])
    wb.save(path)
    dialog = _open(qtbot, empty_db, path)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("plan"))
    dialog.next()
    row = dialog.scale_row
    assert not dialog.columns.detecting()  # nothing to read the statuses by yet
    assert row.isVisible() and not row.combo.isEnabled() and row.combo.itemText(0) == "Not detected yet"
    assert "once the columns above say which holds the reference" in row.reason.text()
    _snap(dialog, "3-not-yet")
    dialog.set_field("Item", "ref")
    assert not dialog.columns.detecting()  # still no action column
    dialog.set_field("What", "text")
    assert dialog.columns.detecting() and row.detecting  # now it can: in the background
    dialog.set_field("Colour", "status")  # the columns changed again: detected again with them
    _detected(qtbot, dialog)
    assert row.combo.isEnabled() and row.combo.itemText(0).startswith("Detected: Priority Action Plan (3 levels)")
    assert "green, red" in row.reason.text()
    assert errors == []


def test_a_scale_that_cannot_be_detected_says_why(qtbot, empty_db, tracker, tmp_path, errors):
    path = tmp_path / "gone.xlsx"
    path.write_bytes(tracker.read_bytes())
    dialog = _open(qtbot, empty_db, path)
    pool = QThreadPool.globalInstance()
    held = pool.maxThreadCount()
    for _ in range(held):  # the worker's threads busy with other work: the detection waits its turn
        pool.reserveThread()
    try:
        dialog.next()
        assert dialog.columns.detecting() and dialog.scale_row.detecting
        path.write_bytes(b"not a workbook any more")  # and the file is replaced meanwhile
    finally:
        for _ in range(held):
            pool.releaseThread()
    _detected(qtbot, dialog)
    row = dialog.scale_row
    assert row.isVisible() and row.info is None and row.busy.isHidden()
    assert row.combo.itemText(0) == "Not detected" and not row.combo.isEnabled()
    assert "The rating scale could not be detected: gone.xlsx:" in row.reason.text()
    assert "#b00020" in row.reason.text()  # in red, as the page's other errors
    assert all(b.isEnabled() for b in (dialog.back_btn, dialog.next_btn, dialog.cancel_btn))
    _snap(dialog, "4-not-detected")
    assert errors == []  # no error dialog, no traceback
