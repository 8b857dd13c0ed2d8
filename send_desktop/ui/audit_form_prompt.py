"""The line under the criteria list: the rating words, a message, or an inline question.

A key that cannot do what it asks ("not evidenced is 0, not N/A") is answered here in words, not
in a message box, so the auditor's hands stay on the keys; N (the N/A reason) and C (a comment)
ask here too, Enter answering and Esc cancelling. It is one slot of fixed height: showing a
message or a question never resizes the list above it (a resize re-lays out every row, 10-20 ms
on a key press), and a message only repaints its line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QWidget

from send_desktop.ui.audit_form_grade import TextLines

IDLE_TEXT = ("Ratings: 0 not met \u00b7 1 partly met \u00b7 2 met \u00b7 3 exemplary. Not evidenced is 0; "
             "N/A only where the section allows it, with a reason.")
HINT = "Enter saves \u00b7 Esc cancels"


class PromptLine(QLineEdit):
    """The answer field: Enter answers (returnPressed), Esc cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class PromptSlot(QStackedWidget):
    answered = Signal(str)  # the text typed, after Enter
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.edit = PromptLine()
        self.hint = QLabel()
        self.prompt = QFrame()
        self.prompt.setObjectName("prompt")
        self.prompt.setStyleSheet("QFrame#prompt { background: #eef3fd; border: 1px solid #9bb7e8;"
                                  " border-radius: 3px; }")
        row = QHBoxLayout(self.prompt)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label)
        row.addWidget(self.edit, 1)
        row.addWidget(self.hint)
        height = max(self.fontMetrics().lineSpacing() * 2 + 12, self.prompt.sizeHint().height())
        self.message = TextLines(height=height)
        self.addWidget(self.message)
        self.addWidget(self.prompt)
        self.setFixedHeight(height)
        self.message_shown = True
        self.hide_message()
        self.edit.returnPressed.connect(lambda: self.answered.emit(self.edit.text()))
        self.edit.cancelled.connect(self.cancelled)

    @property
    def asking(self) -> bool:
        return self.currentWidget() is self.prompt

    def ask(self, question: str, placeholder: str, text: str) -> None:
        self.label.setText(question)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setText(text)
        self.problem("")
        self.setCurrentWidget(self.prompt)
        self.edit.selectAll()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def problem(self, text: str) -> None:
        """Why the answer cannot be taken, in place of the hint (the question stays open)."""
        self.hint.setText(text or HINT)
        self.hint.setStyleSheet("color: #b3261e; font-weight: 600;" if text else "color: #5f6368;")

    def close_question(self) -> None:
        if self.asking:
            self.setCurrentWidget(self.message)

    def show_message(self, text: str, info: bool = False) -> None:
        self.message_shown = True
        if info:
            self.message.set_colours("#174ea6", "#e8f0fe", "#aecbfa")
        else:
            self.message.set_colours("#3d3000", "#fff3b0", "#e0c84a")
        self.message.setText(text)

    def hide_message(self) -> None:
        if self.message_shown:
            self.message_shown = False
            self.message.set_colours("#5f6368")
            self.message.setText(IDLE_TEXT)
