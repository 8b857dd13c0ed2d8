"""File > Meeting pack: make the pack for a meeting as a draft, issue it, export it as a workbook,
write the draft minutes, and get back any issued pack exactly as it was issued.

Long work runs through `worker.run_job` (progress and Cancel); the services do the work.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from send_desktop.ui import worker

PDF_FILTER = "PDF documents (*.pdf)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"
OTHER_DATE = "other"


class PackDialog(QDialog):
    def __init__(self, db, parent=None, tell=None, today: dt.date | None = None):
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.tell = tell or (lambda text: None)
        self.setWindowTitle("Meeting pack")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName("Meeting")
        self.date_edit = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        form.addRow("&Meeting:", self.meeting_combo)
        form.addRow("Or &date:", self.date_edit)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        form.addRow("", self.state_label)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.draft_button = QPushButton("Make &draft PDF…")
        self.issue_button = QPushButton("&Issue the pack…")
        self.xlsx_button = QPushButton("Export as &Excel…")
        self.minutes_button = QPushButton("Draft m&inutes PDF…")
        for b in (self.draft_button, self.issue_button, self.xlsx_button, self.minutes_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        box = QGroupBox("Issued packs (kept exactly as issued)")
        inner = QVBoxLayout(box)
        self.issued = QTableWidget(0, 5)
        self.issued.setHorizontalHeaderLabels(["Meeting", "Version", "Issued", "By", "SHA-256"])
        self.issued.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issued.horizontalHeader().setStretchLastSection(True)
        self.issued.verticalHeader().hide()
        self.copy_button = QPushButton("&Save a copy of the issued PDF…")
        inner.addWidget(self.issued)
        inner.addWidget(self.copy_button)
        layout.addWidget(box)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.meeting_combo.currentIndexChanged.connect(self._meeting_changed)
        self.date_edit.dateChanged.connect(self._update_state)
        self.draft_button.clicked.connect(lambda: self.make(issue=False))
        self.issue_button.clicked.connect(lambda: self.make(issue=True))
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.minutes_button.clicked.connect(self.minutes)
        self.copy_button.clicked.connect(self.save_issued_copy)
        self.issue_button.setEnabled(not db.read_only)
        self._fill_meetings()
        self._fill_issued()

    # -- choices ------------------------------------------------------------------------------
    def _fill_meetings(self) -> None:
        from send_desktop.services.meeting_read import list_meetings

        meetings = sorted(list_meetings(self.db), key=lambda m: m.starts_at)
        self.meeting_combo.blockSignals(True)
        self.meeting_combo.clear()
        chosen = 0
        for m in meetings:
            self.meeting_combo.addItem(f"{m.starts_at:%a %d %b %Y} · {m.board} · {m.status}",
                                       (m.id, m.starts_at.date()))
        upcoming = [i for i, m in enumerate(meetings) if m.starts_at.date() >= self.today]
        if upcoming:
            chosen = upcoming[0]
        elif meetings:
            chosen = len(meetings) - 1
        self.meeting_combo.addItem("Another date (no meeting recorded)", OTHER_DATE)
        self.meeting_combo.setCurrentIndex(chosen)
        self.meeting_combo.blockSignals(False)
        self._meeting_changed()

    def _fill_issued(self) -> None:
        with self.db.reading() as con:
            rows = con.execute("SELECT id, meeting_date, version, issued_at, issued_by, sha256 FROM meeting_pack "
                               "ORDER BY meeting_date DESC, version DESC").fetchall()
        self.issued.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row[1], str(row[2]), str(row[3])[:16], row[4] or "—", row[5][:16] + "…")):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row[0])
                self.issued.setItem(r, c, item)
        self.issued.resizeColumnsToContents()
        self.copy_button.setEnabled(bool(rows))

    def _meeting_changed(self, *_args) -> None:
        data = self.meeting_combo.currentData()
        other = data == OTHER_DATE or data is None
        self.date_edit.setEnabled(other)
        if not other:
            day = data[1]
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
            self.date_edit.blockSignals(False)
        self.minutes_button.setEnabled(not other)
        self._update_state()

    def meeting_date(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def meeting_id(self) -> int | None:
        data = self.meeting_combo.currentData()
        return None if data in (OTHER_DATE, None) else data[0]

    def _update_state(self, *_args) -> None:
        from send_desktop.pack.build import last_issued

        day = self.meeting_date()
        with self.db.reading() as con:
            versions = con.execute("SELECT count(*) FROM meeting_pack WHERE meeting_date=?",
                                   (day.isoformat(),)).fetchone()[0]
        base = last_issued(self.db, before=day)
        self.state_label.setText(
            (f"{versions} issued version{'s' if versions != 1 else ''} for this meeting; issuing makes version "
             f"{versions + 1}. " if versions else "Not issued yet for this meeting. ") +
            (f"Changes are measured against the pack issued for {base['meeting_date']}." if base else
             "No earlier pack has been issued, so there are no changes to report."))

    # -- work ---------------------------------------------------------------------------------
    def _save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(self.db.path.parent / suggested), file_filter)
        return Path(path) if path else None

    def make(self, issue: bool) -> None:
        from send_desktop.pack.build import make_pack

        day = self.meeting_date()
        if issue:
            answer = QMessageBox.question(
                self, "Issue the pack",
                f"Issue the pack for {day:%d %B %Y}?\n\nIssuing keeps this PDF, the data it shows and its "
                "fingerprint in the file. The next pack reports what changed since it.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                return
        path = self._save_path("Save the meeting pack", f"pack {day.isoformat()}{'' if issue else ' draft'}.pdf",
                               PDF_FILTER)
        if path is None:
            return
        path = path.with_suffix(".pdf")
        db, user = self.db, self.db.user

        def done(result):
            self.tell(f"Wrote the {'issued' if issue else 'draft'} pack ({result.pages} pages) to {result.path}")
            if issue:
                self._fill_issued()
                self._update_state()
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

        worker.run_job(self, "Making the meeting pack…", lambda: make_pack(db, path, day, issue=issue,
                                                                           issued_by=user),
                       done, on_cancelled=lambda: self.tell("The pack was cancelled; nothing was issued"))

    def export_xlsx(self) -> None:
        from send_desktop.pack.pack_xlsx import export_pack_xlsx

        day = self.meeting_date()
        path = self._save_path("Export the pack as a workbook", f"pack {day.isoformat()}.xlsx", XLSX_FILTER)
        if path is not None:
            db = self.db
            worker.run_job(self, "Exporting the pack…", lambda: export_pack_xlsx(db, path.with_suffix(".xlsx"), day),
                           lambda p: self.tell(f"Exported the pack to {p}"))

    def minutes(self) -> None:
        from send_desktop.pack.minutes import make_minutes

        meeting_id = self.meeting_id()
        if meeting_id is None:
            return
        day = self.meeting_date()
        path = self._save_path("Save the draft minutes", f"minutes {day.isoformat()}.pdf", PDF_FILTER)
        if path is not None:
            db = self.db
            worker.run_job(self, "Writing the minutes…", lambda: make_minutes(db, path.with_suffix(".pdf"), meeting_id),
                           lambda p: (self.tell(f"Wrote the minutes to {p}"),
                                      QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))))

    def save_issued_copy(self) -> None:
        from send_desktop.pack.build import issued_pdf, write_atomically

        row = self.issued.currentRow()
        if row < 0:
            row = 0
        item = self.issued.item(row, 0)
        if item is None:
            return
        pack_id = item.data(Qt.ItemDataRole.UserRole)
        path = self._save_path("Save a copy of the issued pack",
                               f"pack {item.text()} v{self.issued.item(row, 1).text()}.pdf", PDF_FILTER)
        if path is not None:
            write_atomically(path.with_suffix(".pdf"), issued_pdf(self.db, pack_id))
            self.tell(f"Saved the issued pack, exactly as issued, to {path.with_suffix('.pdf')}")
