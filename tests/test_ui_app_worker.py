"""The one worker pattern: a generator on a pool thread, a progress dialog, Cancel rolls back."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from send_desktop.core.progress import Progress
from send_desktop.errors import UserError
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.models import Priority
from send_desktop.ui import error_dialog
from send_desktop.ui.worker import run_job


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def shown(monkeypatch):
    seen = {"warning": [], "errors": []}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: seen["warning"].append(text))
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: seen["errors"].append(self.details) or 0)
    return seen


def test_a_job_runs_off_the_main_thread_and_reports_on_it(qtbot, parent):
    main = threading.get_ident()
    threads, progress, results = [], [], []

    def steps():
        threads.append(threading.get_ident())
        for i in range(3):
            yield Progress(i, 3, f"step {i}")
        return "done"

    job = run_job(parent, "Working…", steps, lambda result: results.append((result, threading.get_ident())))
    job.progressed.connect(lambda done, total, message: progress.append(message))
    assert job.dialog.isVisible()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert threads and threads[0] != main
    assert results == [("done", main)]
    assert job.dialog is None and not job.running


def test_cancel_rolls_the_transaction_back(qtbot, parent, db):
    plan_id = load_plan(db).plan_id
    release = threading.Event()
    cancelled = []

    def steps():
        with db.session("test") as s:
            for i in range(5):
                s.add(Priority(plan_id=plan_id, ref=str(10 + i), statement="half-made", position=i))
                s.flush()
                yield Progress(i, 5, "adding")
                release.wait(5)
        return "finished"

    before = dump_plan(db)
    job = run_job(parent, "Adding…", steps, lambda r: pytest.fail("should not finish"),
                  on_cancelled=lambda: cancelled.append(True))
    job.dialog.findChild(QPushButton).click()  # the user presses Cancel
    release.set()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert cancelled == [True]
    assert dump_plan(db) == before


def test_a_user_error_is_a_warning_and_a_bug_is_the_error_dialog(qtbot, parent, shown):
    def bad_input():
        yield Progress(0, 1)
        raise UserError("That workbook has no Plan sheet.")

    def bug():
        yield Progress(0, 1)
        raise ZeroDivisionError("oops")

    for make in (bad_input, bug):
        job = run_job(parent, "Working…", make)
        with qtbot.waitSignal(job.finished, timeout=5000):
            pass
    assert shown["warning"] == ["That workbook has no Plan sheet."]
    (details,) = shown["errors"]
    assert "ZeroDivisionError: oops" in details


def test_a_failure_callback_may_handle_the_error(qtbot, parent, shown):
    handled = []

    def steps():
        raise UserError("handled elsewhere")
        yield  # pragma: no cover - makes this a generator

    job = run_job(parent, "Working…", steps, on_failure=lambda exc: handled.append(exc.message) or True)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert handled == ["handled elsewhere"] and shown["warning"] == []
