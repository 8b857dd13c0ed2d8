"""The register's dialogs: re-assess a risk, add a risk, add or edit a mitigation.

Re-assessing is done every month for every risk, so it is built for the keyboard: the
likelihood row has focus when the dialog opens, a digit key picks a level and moves on to
impact, a digit there moves on to the note, and Enter (anywhere but the note) records the
review. Both rows start at the current position, so "reviewed, no change" is one key press.
Dialogs are opened with `open()` (window-modal, not blocking), so the view and tests drive
them the same way.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from send_desktop.core.risk_matrix import MITIGATION_STATUSES, RiskMatrix, trend, trend_text
from send_desktop.services.risk_read import MitigationRow, RiskRow
from send_desktop.ui.widgets import NameListCompleter, StatusChip


class LevelPicker(QWidget):
    """A row of numbered buttons for a likelihood or impact; digit keys and arrows choose."""

    changed = Signal(int)
    picked = Signal(int)  # chosen by a digit key: the dialog moves focus on

    def __init__(self, labels: tuple[str, ...], what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(what)
        self.setToolTip(f"{what}: press 1 to {len(labels)}, or use the arrow keys")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(4)
        for value, label in enumerate(labels, 1):
            button = QPushButton(f"{value}\n{label}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row takes the keys, not each button
            button.setMinimumWidth(78)
            self.group.addButton(button, value)
            row.addWidget(button)
        self.group.idClicked.connect(self.changed)
        self.setStyleSheet("LevelPicker:focus { border: 2px solid #1565c0; border-radius: 4px; }"
                           "QPushButton:checked { font-weight: 600; background: #1f1f1f; color: white; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def value(self) -> int:
        return max(0, self.group.checkedId())

    def set_value(self, value: int) -> None:
        button = self.group.button(value)
        if button is not None:
            button.setChecked(True)
            self.changed.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        text, top = event.text(), len(self.group.buttons())
        if text.isdigit() and 1 <= int(text) <= top:
            self.set_value(int(text))
            self.picked.emit(int(text))
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            self.set_value(max(1, min(top, (self.value() or 1) + step)))
        else:
            super().keyPressEvent(event)


def _date_edit(day: dt.date, latest: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    if latest is not None:
        edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
    return edit


def _day(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class ReassessDialog(QDialog):
    def __init__(self, matrix: RiskMatrix, risk: RiskRow, today: dt.date, assessor: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.matrix, self.risk = matrix, risk
        self.setWindowTitle(f"Re-assess {risk.ref}")
        self.setMinimumWidth(560)
        heading = QLabel(f"<b>{risk.ref}</b> {risk.title}")
        heading.setWordWrap(True)
        self.previous_label = QLabel(f"Now: {matrix.describe(risk.likelihood, risk.impact)}")
        self.previous_label.setWordWrap(True)
        self.likelihood = LevelPicker(matrix.likelihood, "Likelihood")
        self.impact = LevelPicker(matrix.impact, "Impact")
        self.date_edit = _date_edit(today, today)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("What changed, or why it stays the same")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(70)
        self.assessor_edit = QLineEdit(assessor)
        self.result_chip = StatusChip()
        self.result_label = QLabel()

        form = QFormLayout()
        for text, widget in (("&Likelihood", self.likelihood), ("&Impact", self.impact), ("&Date", self.date_edit),
                             ("&Note", self.note_edit), ("&Assessed by", self.assessor_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        result = QHBoxLayout()
        result.addWidget(self.result_chip)
        result.addWidget(self.result_label, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Record review")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.previous_label)
        layout.addLayout(form)
        layout.addLayout(result)
        layout.addWidget(self.buttons)

        self.likelihood.changed.connect(self._update)
        self.impact.changed.connect(self._update)
        self.likelihood.picked.connect(lambda _v: self.impact.setFocus(Qt.FocusReason.TabFocusReason))
        self.impact.picked.connect(lambda _v: self.note_edit.setFocus(Qt.FocusReason.TabFocusReason))
        self.likelihood.set_value(risk.likelihood)
        self.impact.set_value(risk.impact)

    def showEvent(self, event) -> None:  # noqa: N802 - start on the likelihood row, ready for a digit
        super().showEvent(event)
        self.likelihood.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self, *_args) -> None:
        lk, im = self.likelihood.value(), self.impact.value()
        if not (lk and im):
            return
        score = lk * im
        band = self.matrix.band_for(score)
        self.result_chip.set_status(band.colour, f"{score} {band.name}")
        moved = trend(self.risk.score, score)
        self.result_label.setText(f"{lk} \u00d7 {im}; was {self.risk.score}: {trend_text(moved)}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Enter records the review
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.note_edit.hasFocus():
            self.accept()
            return
        super().keyPressEvent(event)

    def values(self) -> dict:
        return {"date": _day(self.date_edit), "likelihood": self.likelihood.value(), "impact": self.impact.value(),
                "note": self.note_edit.toPlainText().strip(), "assessor": self.assessor_edit.text().strip()}


class NewRiskDialog(QDialog):
    """What a new risk needs to appear on the register: the rest is filled in the detail pane."""

    def __init__(self, matrix: RiskMatrix, categories: list[str], owners: list[str], next_ref: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a risk")
        self.setMinimumWidth(560)
        self.ref_edit = QLineEdit(next_ref)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What might happen, in a line")
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.addItems(categories)
        self.category_combo.setCurrentIndex(-1)
        self.owner_edit = QLineEdit()
        self.owner_edit.setCompleter(NameListCompleter(owners, self.owner_edit))
        self.likelihood = LevelPicker(matrix.likelihood, "Likelihood")
        self.impact = LevelPicker(matrix.impact, "Impact")
        self.likelihood.set_value(3)
        self.impact.set_value(3)
        self.likelihood.picked.connect(lambda _v: self.impact.setFocus(Qt.FocusReason.TabFocusReason))
        form = QFormLayout()
        for text, widget in (("&Ref", self.ref_edit), ("&Risk", self.title_edit), ("&Category", self.category_combo),
                             ("&Owner", self.owner_edit), ("&Likelihood now", self.likelihood),
                             ("&Impact now", self.impact)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add risk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The inherent and target positions start at this one; change them in the detail "
                                "pane."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:  # noqa: N802 - the ref is filled in; start on the words
        super().showEvent(event)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict:
        return {"ref": self.ref_edit.text().strip() or None, "title": self.title_edit.text().strip(),
                "category": self.category_combo.currentText().strip(), "owner": self.owner_edit.text().strip(),
                "likelihood": self.likelihood.value(), "impact": self.impact.value()}


class MitigationDialog(QDialog):
    """A further mitigation: what, who, by when, and how far it has got."""

    def __init__(self, owners: list[str], mitigation: MitigationRow | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit mitigation" if mitigation else "Add a mitigation")
        self.setMinimumWidth(480)
        self.text_edit = QPlainTextEdit(mitigation.text if mitigation else "")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(80)
        self.owner_edit = QLineEdit(mitigation.owner if mitigation else "")
        self.owner_edit.setCompleter(NameListCompleter(owners, self.owner_edit))
        due = mitigation.due_date if mitigation else None
        self.due_edit = QLineEdit(due.strftime("%d/%m/%Y") if due else "")
        self.due_edit.setPlaceholderText("dd/mm/yyyy")
        self.status_combo = QComboBox()
        self.status_combo.addItems([s.capitalize() for s in MITIGATION_STATUSES])
        if mitigation:
            self.status_combo.setCurrentIndex(MITIGATION_STATUSES.index(mitigation.status))
        form = QFormLayout()
        for text, widget in (("&Mitigation", self.text_edit), ("&Owner", self.owner_edit), ("&Due", self.due_edit),
                             ("&Status", self.status_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        # The due date goes to the service as typed, so a wrong one gets its clear message there.
        return {"text": self.text_edit.toPlainText().strip(), "owner": self.owner_edit.text().strip(),
                "due_date": self.due_edit.text().strip() or None,
                "status": MITIGATION_STATUSES[self.status_combo.currentIndex()]}
