"""The one way the window runs long work (export, import): off the main thread, with a progress
dialog and a Cancel button (`run_job`; `run_background` without the dialog, for work the window is
used during), results and errors delivered back on the main thread.

The work is a generator function (see `core/progress.py`) made and driven on a pool thread, so
its session lives and dies there. Cancel sets a flag that `run_steps` checks after each step; it
throws `Cancelled` into the generator, whose open transaction then rolls back.
No `processEvents()` anywhere: the main thread's event loop keeps the window alive.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressBar, QProgressDialog, QWidget

from send_desktop.core.progress import Progress, Steps, run_steps
from send_desktop.errors import Cancelled

PROGRESS_INTERVAL = 0.05  # seconds between progress signals; more would only flood the event queue

_running: set["Job"] = set()  # a job must outlive the caller's reference until it has finished


class Job(QObject):
    """One run of a generator on the global thread pool. Signals arrive on the main thread."""

    progressed = Signal(int, int, str)
    _progressed = Signal(int, int, str)
    _done = Signal(object)
    _failed = Signal(object)
    finished = Signal()  # after the success/failure callbacks have run

    def __init__(self, make_steps: Callable[[], Steps], on_success: Callable[[Any], None] | None = None,
                 on_failure: Callable[[BaseException], bool] | None = None,
                 on_cancelled: Callable[[], None] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._make_steps = make_steps
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancelled = on_cancelled
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False
        self.dialog: QProgressDialog | None = None
        self._progressed.connect(self._show_progress)
        self._done.connect(self._succeeded)
        self._failed.connect(self._failed_on_main)

    def start(self) -> None:
        self.running = True
        _running.add(self)
        QThreadPool.globalInstance().start(self._run)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- on the pool thread -----------------------------------------------------------------
    def _run(self) -> None:
        try:
            result = run_steps(self._make_steps(), self._progress, self.cancelled)
        except BaseException as exc:  # every failure goes back to the main thread to be shown
            self._failed.emit(exc)
        else:
            self._done.emit(result)

    def _progress(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_INTERVAL or p.done >= p.total:
            self._last_emit = now
            self._progressed.emit(p.done, p.total, p.message)

    # -- back on the main thread ------------------------------------------------------------
    def _show_progress(self, done: int, total: int, message: str) -> None:
        dialog = self.dialog
        if dialog is not None and not self.cancelled():
            # The bar itself, not QProgressDialog.setValue, which calls processEvents() when modal.
            bar = dialog.findChild(QProgressBar)
            bar.setRange(0, max(total, 0))
            bar.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(message)
        self.progressed.emit(done, total, message)

    def _close_dialog(self) -> None:
        """Before any callback, so a report or message box is not stacked under the progress."""
        if self.dialog is not None:
            self.dialog.canceled.disconnect()  # closing a QProgressDialog emits canceled
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _succeeded(self, result) -> None:
        self.result = result
        self._close_dialog()
        try:
            if self._on_success is not None:
                self._on_success(result)
        finally:
            self._finish()

    def _failed_on_main(self, exc: BaseException) -> None:
        self.error = exc
        self._close_dialog()
        try:
            if isinstance(exc, Cancelled):
                if self._on_cancelled is not None:
                    self._on_cancelled()
            elif self._on_failure is None or not self._on_failure(exc):
                from send_desktop.ui.error_dialog import report_exception

                parent = self.parent() if isinstance(self.parent(), QWidget) else None
                report_exception(type(exc), exc, exc.__traceback__, parent)
        finally:
            self._finish()

    def _finish(self) -> None:
        self.running = False
        _running.discard(self)
        self.finished.emit()


def running_jobs(parent: QObject | None = None) -> list[Job]:
    """Jobs not yet finished (those started for `parent`, when given)."""
    return [job for job in _running if parent is None or job.parent() is parent]


def run_job(parent: QWidget, title: str, make_steps: Callable[[], Steps],
            on_success: Callable[[Any], None] | None = None, *,
            on_failure: Callable[[BaseException], bool] | None = None,
            on_cancelled: Callable[[], None] | None = None) -> Job:
    """Start `make_steps()` on a worker thread behind a window-modal progress dialog.

    `make_steps` is called on the worker thread (so slow imports happen there too). Failures:
    `on_failure(exc)` may handle one and return True; otherwise a `UserError` is shown as a
    warning and anything else goes to the error dialog. Cancelling calls `on_cancelled`.
    """
    job = Job(make_steps, on_success, on_failure, on_cancelled, parent)
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title.rstrip("…. "))
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    dialog.canceled.connect(job.cancel)
    dialog.show()
    job.dialog = dialog
    job.start()
    return job


def run_background(make_steps: Callable[[], Steps], on_success: Callable[[Any], None] | None = None, *,
                   on_failure: Callable[[BaseException], bool] | None = None,
                   on_cancelled: Callable[[], None] | None = None) -> Job:
    """Start `make_steps()` on a worker thread with no progress dialog, for work the window goes on
    being used during (the import assistant's scale detection): the caller shows that it is busy
    (`Job.progressed`, `Job.finished`) and may go elsewhere. The job belongs to no window (closing
    one neither waits for it nor deletes it under the thread), so its callbacks must check that
    their result is still wanted; `cancel()` stops it at its next step. Failures as `run_job`'s."""
    job = Job(make_steps, on_success, on_failure, on_cancelled)
    job.start()
    return job


# -- the File menu's spreadsheet jobs ------------------------------------------------------------

def export_kind(parent: QWidget, db, kind: str, what: str, path: Path, tell: Callable[[str], None]) -> Job:
    """Write a workbook of `kind` (see `send_desktop.exchange`) to `path`; `what` names it for
    people ("the plan", "the audits"); `tell` gets a one-line outcome for the status bar."""
    def steps():
        from send_desktop.exchange import exporter

        return exporter(kind)(db, path)

    return run_job(parent, f"Exporting {what}…", steps, lambda _result: tell(f"Exported {what} to {path}"),
                   on_cancelled=lambda: tell("Export cancelled"))


def import_steps(db, kind: str, path: Path, *, dry_run: bool, strategy: str | None = None,
                 delete_missing: bool = False, mapping: dict | None = None, decisions: dict | None = None,
                 scale: str | None = None, matches: dict | None = None) -> Steps:
    """The importer of `kind` on `path`, as the window runs it (`source` "import FILE"); `decisions`
    on single conflicts (`xlsx.merge_decisions`); `mapping`, `scale` and `matches` for an officer's
    own plan workbook (`plan_import.import_plan`)."""
    from send_desktop.exchange import importer

    options = {"strategy": strategy, "delete_missing": delete_missing}
    for name, value in (("mapping", mapping), ("scale", scale), ("matches", matches)):
        if value is not None:
            options[name] = value
    if decisions:
        options["decisions"] = decisions
    return importer(kind)(db, path, dry_run=dry_run, source=f"import {path.name}", **options)


def has_changes(report) -> bool:
    """Whether a dry run's report would change anything (records, priorities, people, removals)."""
    from send_desktop.xlsx.merge import count_missing

    counts = report.as_dict()
    others = getattr(report, "other", {}).values()  # priorities, outcomes, people…
    return bool(counts.get("created") or counts.get("updated") or count_missing(report.warnings)
                or any(c.get("created") or c.get("updated") for c in others))


def conflict_text(problem) -> str:
    """A conflict's message for people: without the "conflict: " tag and the command line's advice."""
    return problem.message.split("; choose --strategy")[0].removeprefix("conflict: ")


def settles_by_strategy(exc: BaseException) -> bool:
    """Whether a refusal is only conflicts, which keeping mine or taking theirs settles."""
    from send_desktop.errors import BadInputError
    from send_desktop.xlsx.merge import is_conflict

    return isinstance(exc, BadInputError) and bool(exc.problems) and all(is_conflict(p) for p in exc.problems)


def import_kind(parent: QWidget, db, kind: str, what: str, path: Path, tell: Callable[[str], None],
                applied: Callable[[], None]) -> Job:
    """A dry run first, its report shown with Apply/Cancel; then, if applied, the real import.
    A file that cannot be used is explained (`BadInputError`) and changes nothing.

    Two questions the dry run can raise are asked here: fields changed both in the workbook and
    here since the export (conflicts) are kept as here or taken from the workbook, for all of
    them, or decided one by one in the import assistant's panel (`conflict_panel.ConflictDialog`),
    and the dry run is done again that way; rows deleted from the workbook are removed only when
    "Apply and remove" is chosen (with the import, so its undo brings them back)."""
    from send_desktop.xlsx.merge import count_missing

    title = f"Import {what} from Excel"
    chosen = {"strategy": None, "decisions": None, "dialog": None}

    def steps(dry_run: bool, delete_missing: bool = False):
        return import_steps(db, kind, path, dry_run=dry_run, strategy=chosen["strategy"],
                            delete_missing=delete_missing, decisions=chosen["decisions"])

    def forget_dialog():
        if chosen["dialog"] is not None:  # decided and checked, or given up: the panel has done its work
            chosen["dialog"].deleteLater()
            chosen["dialog"] = None

    def cancelled():
        forget_dialog()
        tell("Import cancelled; nothing was changed")

    def decide_one_by_one(conflicts):
        """The conflicts side by side; their decisions, once the check is asked for, check again."""
        from send_desktop.ui.conflict_panel import ConflictDialog

        dialog = ConflictDialog(title, path.name, conflicts, parent)
        dialog.setObjectName("conflict_dialog")
        chosen["dialog"] = dialog

        def decided():
            chosen["decisions"] = dialog.decisions()
            check()

        dialog.accepted.connect(decided)
        dialog.rejected.connect(cancelled)
        dialog.open()

    def refused_with_decisions(exc: BaseException) -> bool:
        """The check with the decisions was refused (a value typed in cannot be used): the panel
        again, saying why, with the decisions kept."""
        from send_desktop.errors import BadInputError

        dialog = chosen["dialog"]
        if dialog is None or not isinstance(exc, BadInputError):
            forget_dialog()
            return False
        reasons = [conflict_text(p) + (f" ({p.where()})" if p.where() else "") for p in exc.problems[:5]]
        dialog.show_refusal("; ".join(reasons) or exc.message,
                            getattr(exc, "conflicts", None) if settles_by_strategy(exc) else None)
        dialog.open()
        return True

    def done(report):
        applied()
        tell(report.summary())

    def apply(delete_missing: bool):
        run_job(parent, f"Importing {path.name}…", lambda: steps(False, delete_missing), done,
                on_cancelled=cancelled)

    def checked(report):
        forget_dialog()
        missing = count_missing(report.warnings)
        if not has_changes(report):
            QMessageBox.information(parent, title, f"{path.name} matches what is here; there is nothing to import."
                                                   f"\n\n{report.summary()}")
            return
        if not missing:
            answer = QMessageBox.question(
                parent, title, f"Importing {path.name}:\n\n{report.summary()}\n\nApply these changes?",
                QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Apply)
            if answer == QMessageBox.StandardButton.Apply:
                apply(False)
            return
        box = QMessageBox(QMessageBox.Icon.Question, title,
                          f"Importing {path.name}:\n\n{report.summary()}\n\n"
                          f"{missing} {'row is' if missing == 1 else 'rows are'} no longer in the workbook. "
                          "Apply the changes and keep those records, or remove them too?", parent=parent)
        keep = box.addButton("&Apply, keep them", QMessageBox.ButtonRole.AcceptRole)
        remove = box.addButton(f"Apply and &remove {missing}", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        if box.clickedButton() in (keep, remove):
            apply(box.clickedButton() is remove)

    def refused(exc: BaseException) -> bool:
        """Conflicts: ask which side wins, or for each, then check again that way. Anything else: not ours."""
        if chosen["decisions"] is not None:
            return refused_with_decisions(exc)
        if not (chosen["strategy"] is None and settles_by_strategy(exc)):
            return False
        conflicts = getattr(exc, "conflicts", None)
        listed = 6 if conflicts else 12  # the panel shows them all, side by side
        shown = "\n".join(f"• {conflict_text(p)}"
                           + (f" ({p.where()})" if p.where() else "") for p in exc.problems[:listed])
        more = len(exc.problems) - listed
        box = QMessageBox(QMessageBox.Icon.Warning, title,
                          f"{len(exc.problems)} {'change was' if len(exc.problems) == 1 else 'changes were'} made "
                          f"both in {path.name} and here since it was exported:\n\n{shown}"
                          + (f"\n… and {more} more" + (" (Decide one by one lists them all)" if conflicts else "")
                             if more > 0 else "")
                          + ("\n\nKeep what is here for all of them, take the workbook's values for all, or "
                             "decide one by one?" if conflicts else
                             "\n\nKeep what is here, or take the workbook's values?")
                          + " Everything else in the workbook is imported either way, after you have seen what "
                            "will change.", parent=parent)
        box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 34em; }")  # a list of conflicts needs the room
        mine = box.addButton("Keep &mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Take &theirs", QMessageBox.ButtonRole.DestructiveRole)
        each = box.addButton("&Decide one by one…", QMessageBox.ButtonRole.ActionRole) if conflicts else None
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(mine)
        box.exec()
        if each is not None and box.clickedButton() is each:
            decide_one_by_one(conflicts)
        elif box.clickedButton() in (mine, theirs):
            chosen["strategy"] = "mine" if box.clickedButton() is mine else "theirs"
            check()
        else:
            cancelled()
        return True

    def check() -> Job:
        return run_job(parent, f"Checking {path.name}…", lambda: steps(True), checked, on_failure=refused,
                       on_cancelled=cancelled)

    return check()


def export_plan(parent: QWidget, db, path: Path, tell: Callable[[str], None]) -> Job:
    return export_kind(parent, db, "plan", "the plan", path, tell)


def import_plan(parent: QWidget, db, path: Path, tell: Callable[[str], None], applied: Callable[[], None]) -> Job:
    return import_kind(parent, db, "plan", "plan", path, tell, applied)
