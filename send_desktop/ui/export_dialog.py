"""File > Export… (Ctrl+Shift+E): one dialog for every kind of workbook the file can be written as.

Choose the kind; its options where it has any (audits: a date range and which statuses; the audit
report: its period, as the report page offers it, the last 12 months to start with); a line says
what the workbook will hold (its sheets and rows, `xlsx.export_choices.contents`); the file name
offered is the file's, the kind's and the date, in the folder last exported to. Export writes it
in the background (`worker.run_job`: progress and Cancel; the workbook is written beside the
target and moved into place, so a cancelled export leaves nothing). A file that exists is replaced
only after asking, and the question says when it is a workbook that was imported here. When done,
the dialog says where the file is, with Open file and Open folder (the desktop is asked only when
one is pressed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from send_desktop.ui.widgets import escape_html
from send_desktop.xlsx import export_choices as E

XLSX_FILTER = "Excel workbooks (*.xlsx)"
DATED = ("audits", "audit-report")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ExportDialog(QDialog):
    """Export one kind of workbook from `db`; `kind` preselects it. `exported(path)` when written."""

    exported = Signal(str)

    def __init__(self, db, kind: str = "plan", parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        from send_desktop import settings
        from send_desktop.ui.audit_report_view import default_range

        self.db = db
        self.today = today or dt.date.today()
        self.job = None
        self.state = ""          # "", "running", "done", "cancelled", "failed"
        self.path: Path | None = None
        self._named = False      # the user typed or chose a file name: kind changes leave it alone
        self.folder = Path(settings.export_folder() or Path(db.path).parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(620)

        self.kind_combo = QComboBox()
        for k, text, _ in E.KINDS:
            self.kind_combo.addItem(text, k)
        self.kind_combo.setAccessibleName("What to export")

        self.options_box = QGroupBox("Which audits")
        self.all_dates = QCheckBox("&All dates")
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        start, end = default_range(self.today)
        for edit, day, name in ((self.from_edit, start, "First audit date"), (self.to_edit, end, "Last audit date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setDate(_qdate(day))
        self.last_year_btn = QPushButton("&Last 12 months")
        self.last_year_btn.clicked.connect(self._last_year)
        self.all_dates.toggled.connect(lambda _on: self._changed())
        self.status_checks = {s: QCheckBox(s.capitalize()) for s in E.AUDIT_STATUSES}
        for check in self.status_checks.values():
            check.setChecked(True)
            check.toggled.connect(lambda _on: self._changed())
        dates = QHBoxLayout()
        from_label, to_label = QLabel("Fro&m"), QLabel("&To")
        from_label.setBuddy(self.from_edit)
        to_label.setBuddy(self.to_edit)
        for w in (from_label, self.from_edit, to_label, self.to_edit, self.last_year_btn, self.all_dates):
            dates.addWidget(w)
        dates.addStretch(1)
        self.status_row = QWidget()
        statuses = QHBoxLayout(self.status_row)
        statuses.setContentsMargins(0, 0, 0, 0)
        statuses.addWidget(QLabel("Status:"))
        for check in self.status_checks.values():
            statuses.addWidget(check)
        statuses.addStretch(1)
        inner = QVBoxLayout(self.options_box)
        inner.addLayout(dates)
        inner.addWidget(self.status_row)

        self.contents_label = QLabel()
        self.contents_label.setWordWrap(True)
        self.contents_label.setTextFormat(Qt.TextFormat.RichText)
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("File to write")
        self.file_edit.textEdited.connect(self._typed)
        self.browse_btn = QPushButton("&Choose…")
        self.browse_btn.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_btn)

        form = QFormLayout()
        form.addRow("&What to export:", self.kind_combo)
        form.addRow(self.options_box)
        form.addRow("It will hold:", self.contents_label)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.file_edit)
        form.addRow(file_label, file_row)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.open_file_btn = QPushButton("Open &file")
        self.open_folder_btn = QPushButton("Open f&older")
        self.open_file_btn.clicked.connect(lambda: self.open_url(self.path))
        self.open_folder_btn.clicked.connect(lambda: self.open_url(self.path.parent if self.path else None))
        self.export_btn = QPushButton("&Export")
        self.export_btn.setDefault(True)
        self.export_btn.clicked.connect(self.export)
        self.close_btn = QPushButton("Close")
        self.close_btn.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_file_btn)
        buttons.addWidget(self.open_folder_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.export_btn)
        buttons.addWidget(self.close_btn)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.status_label)
        box.addStretch(1)
        box.addLayout(buttons)

        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self._changed())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        index = self.kind_combo.findData(kind)
        self.kind_combo.setCurrentIndex(max(index, 0))
        self._kind_changed()

    # -- choices --------------------------------------------------------------------------------
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def options(self) -> E.Options:
        kind = self.kind()
        dated = kind in DATED and not (kind == "audits" and self.all_dates.isChecked())
        return E.Options(self.from_edit.date().toPython() if dated else None,
                         self.to_edit.date().toPython() if dated else None,
                         tuple(s for s, c in self.status_checks.items() if c.isChecked()) if kind == "audits"
                         else E.AUDIT_STATUSES, self.today)

    def _last_year(self) -> None:
        from send_desktop.ui.audit_report_view import default_range

        start, end = default_range(self.today)
        self.from_edit.setDate(_qdate(start))
        self.to_edit.setDate(_qdate(end))
        self.all_dates.setChecked(False)

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.options_box.setVisible(kind in DATED)
        self.options_box.setTitle("Which audits" if kind == "audits" else "The report's period")
        self.status_row.setVisible(kind == "audits")
        self.all_dates.setVisible(kind == "audits")
        if kind == "audit-report":
            self.all_dates.setChecked(False)
        self._changed()

    def _changed(self) -> None:
        """The options moved: say again what the workbook will hold, and name the file after it."""
        kind, options = self.kind(), self.options()
        for edit in (self.from_edit, self.to_edit):
            edit.setEnabled(not (kind == "audits" and self.all_dates.isChecked()))
        problem = E.check_options(kind, options)
        if problem:
            self.contents_label.setText(f"<span style='color:#a00'>{escape_html(problem)}</span>")
        else:
            sheets, text = E.contents(self.db, kind, options)
            self.contents_label.setText(f"{escape_html(text)}<br><span style='color:#555'>Sheets: "
                                        f"{escape_html(', '.join(sheets))}.</span>")
        if not self._named:
            self.file_edit.setText(str(self.folder / E.default_name(self.db.path, kind, options)))
        if self.state in ("done", "cancelled", "failed"):
            self.state = ""
            self.status_label.setText("")
            self.export_btn.setDefault(True)
        self._update_buttons()

    def _typed(self, _text: str) -> None:
        self._named = True
        self._update_buttons()

    def browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, f"Export {E.label(self.kind()).lower()} to Excel",
                                              self.file_edit.text(), XLSX_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if name:  # replacing a file is asked about once, on Export
            self.set_file(name)

    def set_file(self, name: str) -> None:
        self.file_edit.setText(str(name))
        self._named = True
        self._update_buttons()

    def target(self) -> Path | None:
        text = self.file_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    # -- exporting ------------------------------------------------------------------------------
    def export(self) -> None:
        from send_desktop.ui.worker import run_job
        from send_desktop.xlsx.workbook_io import check_target

        path, kind, options = self.target(), self.kind(), self.options()
        if self.job is not None or path is None or E.check_options(kind, options):
            return
        try:
            check_target(path, ".xlsx")
        except Exception as exc:  # noqa: BLE001 - a UserError, said on the dialog
            self.status_label.setText(f"<b>{escape_html(getattr(exc, 'message', str(exc)))}</b>")
            return
        if path.exists() and not self._may_replace(path):
            self.status_label.setText("Nothing was written; choose another file name.")
            return
        db = self.db
        self.state = "running"
        self.status_label.setText(f"Writing {escape_html(path.name)}…")
        self.job = run_job(self, f"Exporting {E.label(kind).lower()}…", lambda: E.export_steps(db, kind, path, options),
                           lambda _result: self._done(path), on_failure=self._failed,
                           on_cancelled=self._cancelled)
        self.job.finished.connect(self._job_done)
        self._update_buttons()

    def _may_replace(self, path: Path) -> bool:
        imported = E.imported_as(self.db, path)
        text = f"{path.name} already exists in {path.parent}."
        if imported:
            text += (f" It is a workbook imported into this file ({imported}); replacing it loses whatever it "
                     "holds that was not imported.")
        answer = QMessageBox.question(self, "Replace the file?", f"{text}\n\nReplace it?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _job_done(self) -> None:
        self.job = None
        self._update_buttons()

    def _done(self, path: Path) -> None:
        from send_desktop import settings

        self.state = "done"
        self.path = path
        self.folder = path.parent
        settings.set_export_folder(path.parent)
        self.status_label.setText(f"<b>Exported.</b> {escape_html(E.label(self.kind()))} is in {escape_html(str(path))}.")
        self.close_btn.setDefault(True)  # done: Enter closes, rather than writing the file again
        self.exported.emit(str(path))

    def _cancelled(self) -> None:
        self.state = "cancelled"
        self.status_label.setText("<b>The export was cancelled;</b> nothing was written.")

    def _failed(self, exc: BaseException) -> bool:
        from send_desktop.errors import UserError

        self.state = "failed"
        if isinstance(exc, UserError):
            self.status_label.setText(f"<b>Not exported.</b> {escape_html(exc.message)}")
            return True
        self.status_label.setText("The export failed; see the error report.")
        return False

    def open_url(self, path: Path | None) -> None:
        """Ask the desktop to open the file or its folder (only ever on a click)."""
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _update_buttons(self) -> None:
        busy = self.job is not None
        ok = self.target() is not None and not E.check_options(self.kind(), self.options())
        self.export_btn.setEnabled(ok and not busy)
        for w in (self.kind_combo, self.options_box, self.file_edit, self.browse_btn):
            w.setEnabled(not busy)
        done = self.state == "done" and self.path is not None
        self.open_file_btn.setVisible(done)
        self.open_folder_btn.setVisible(done)
        self.close_btn.setEnabled(not busy)

    def reject(self) -> None:
        if self.job is not None:  # the progress dialog's Cancel stops a running export
            self.job.cancel()
            return
        super().reject()


