"""The "Add update" dialog: a dated status with what happened, the evidence and who says so."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from send_desktop.services.plan_read import ActionRow, Scale
from send_desktop.ui.widgets import chip_html, escape_html, swatch_icon

#: An update may be dated ahead (a forecast agreed at a board), but not by more than a year.
MAX_DAYS_AHEAD = 365


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class UpdateDialog(QDialog):
    """Ask for one status update. `values()` gives the keyword arguments of `plan_edit.add_update`."""

    def __init__(self, scale: Scale, action: ActionRow, author: str, today: dt.date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Add update to {action.ref}")
        self.setMinimumWidth(560)
        today = today or dt.date.today()
        self._latest = today + dt.timedelta(days=MAX_DAYS_AHEAD)

        heading = QLabel(f"<b>{action.ref}</b> &nbsp;{escape_html(_shorten(action.text, 160))}")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        current = QLabel(self._current_text(scale, action))
        current.setTextFormat(Qt.TextFormat.RichText)

        self.date_edit = QDateEdit(_qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setMaximumDate(_qdate(self._latest))
        self.date_edit.setMinimumDate(QDate(2000, 1, 1))

        self.status_combo = QComboBox()
        for level in scale.levels:
            self.status_combo.addItem(swatch_icon(level.colour), f"{level.code} \u2013 {level.label}: {level.meaning}",
                                      level.id)
        current_id = action.level.id if action.level else None
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(current_id)) if current_id else -1)
        self.status_combo.setPlaceholderText("Choose a status\u2026")

        self.narrative_edit = QPlainTextEdit()
        self.narrative_edit.setPlaceholderText("What has happened since the last update, and what happens next")
        self.narrative_edit.setTabChangesFocus(True)
        self.narrative_edit.setMinimumHeight(110)
        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setPlaceholderText("Where the board can see it: a report, minutes, data")
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.author_edit = QLineEdit(author)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Date", self.date_edit)
        form.addRow("&Status", self.status_combo)
        form.addRow("&What happened", self.narrative_edit)
        form.addRow("&Evidence", self.evidence_edit)
        form.addRow("&Author", self.author_edit)

        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #8a1c13;")
        self.problem_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add update")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(current)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        for signal in (self.date_edit.dateChanged, self.status_combo.currentIndexChanged,
                       self.narrative_edit.textChanged, self.author_edit.textChanged):
            signal.connect(self._validate)
        self._validate()
        self.narrative_edit.setFocus()

    @staticmethod
    def _current_text(scale: Scale, action: ActionRow) -> str:
        last = action.last_update
        if not last:
            return "No update yet."
        level = scale.by_id(last.level_id)
        chip = chip_html(level.colour, level.label) if level else chip_html(None, "Not rated")
        return f"Now {chip} since the update of {last.date.day} {last.date:%b %Y} by {escape_html(last.author)}."

    def problems(self) -> list[str]:
        found = []
        day = self.date_edit.date().toPython()
        if day > self._latest:
            found.append(f"The date cannot be more than a year ahead (latest {self._latest.day} "
                         f"{self._latest:%b %Y}).")
        if self.status_combo.currentIndex() < 0:
            found.append("Choose a status.")
        if not self.narrative_edit.toPlainText().strip():
            found.append("Write what has happened: the board reads the history, not just the colour.")
        if not self.author_edit.text().strip():
            found.append("Say who is making this update.")
        return found

    def _validate(self) -> None:
        found = self.problems()
        self.ok_button.setEnabled(not found)
        self.problem_label.setText(" ".join(found))

    def accept(self) -> None:
        if self.problems():
            return
        super().accept()

    def values(self) -> dict:
        return {
            "date": self.date_edit.date().toPython(),
            "level_id": self.status_combo.currentData(),
            "narrative": self.narrative_edit.toPlainText().strip(),
            "evidence": self.evidence_edit.toPlainText().strip(),
            "author": " ".join(self.author_edit.text().split()),
        }


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"

