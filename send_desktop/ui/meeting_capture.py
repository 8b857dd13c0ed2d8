"""The capture bar: a challenge, a response, an action, an update or a decision typed in during the
meeting without leaving the keyboard.

It opens under the minutes on a shortcut with its first field focused. Enter moves to the next
field and saves on the last (Shift+Enter starts a new line in text, Ctrl+Enter saves from any
field), Esc closes it. Names complete from the board's members and everyone who has owned an
action or spoken before: Tab takes the first suggestion, Down and Enter pick another.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QComboBox, QCompleter, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from send_desktop.core.timescale import parse_timescale
from send_desktop.errors import UserError
from send_desktop.services.meeting_read import ACTION_STATUSES


class NameEdit(QLineEdit):
    """A name, completed from a list of people (any part of the name matches)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def set_names(self, names: list[str]) -> None:
        self._names.setStringList(names)

    def popup_open(self) -> bool:
        return self.completer().popup().isVisible()

    def event(self, event) -> bool:  # noqa: D401 - Qt override
        # (The suggestions popup passes the keys it does not use to this widget first.)
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.popup_open() and not self.completer().popup().currentIndex().isValid():
            # Enter on a name typed in full, nothing highlighted: keep it and carry on, as if the
            # suggestions had not been showing.
            self.completer().popup().hide()
            QApplication.sendEvent(self, QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers()))
            event.accept()
            return True
        # Tab with suggestions showing takes the highlighted one, else the first: the quickest way
        # to a whole name.
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab and self.popup_open():
            completer = self.completer()
            current = completer.popup().currentIndex()
            self.setText(current.data() if current.isValid() else completer.currentCompletion() or self.text())
            completer.popup().hide()
            self.focusNextChild()
            event.accept()
            return True
        return super().event(event)


class CaptureText(QPlainTextEdit):
    """A paragraph typed at meeting speed: Enter is handled by the bar, Shift+Enter is a new line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)


#: Per mode: the title shown, the label of the name field (None: hidden), the label of the text,
#: and which of owner, due and status show.
MODES = {
    "challenge": ("New challenge", "Challenged by", "Challenge", ()),
    "response": ("Response", "Response by", "Response", ()),
    "action": ("New action", None, "Action", ("owner", "due")),
    "edit action": ("Action", None, "Action", ("owner", "due", "status")),
    "update": ("Update", None, "Update", ("status",)),
    "decision": ("New decision", None, "Decision", ()),
    "agenda item": ("New agenda item", "Presenter", "Title", ()),
}


class CaptureBar(QFrame):
    """Emits `saved(mode, values)`; the owner calls the service and `close_bar()` or, on a
    problem, leaves the bar open with what was typed so nothing is lost."""

    saved = Signal(str, dict)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = ""
        self.context: dict = {}
        self.today = dt.date.today()
        self.setObjectName("captureBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#captureBar { background: #f3f6fb; border: 1px solid #9fb3d9; border-radius: 4px; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.hint = QLabel("Enter: next field / save \u00b7 Shift+Enter: new line \u00b7 Esc: close")
        self.hint.setStyleSheet("color: #555;")
        self.who, self.text, self.owner = NameEdit(), CaptureText(), NameEdit()
        self.due = QLineEdit()
        self.due.setPlaceholderText("dd/mm/yyyy, or e.g. March 2027")
        self.status = QComboBox()
        self.status.addItems([s.capitalize() for s in ACTION_STATUSES])
        self.save_button, self.cancel_button = QPushButton("Save"), QPushButton("Close")
        self.labels = {key: QLabel() for key in ("who", "text")}
        for key, title in (("owner", "Owner"), ("due", "Due"), ("status", "Status")):
            self.labels[key] = QLabel(title)
        for key, widget in (("who", self.who), ("text", self.text), ("owner", self.owner), ("due", self.due),
                            ("status", self.status)):
            self.labels[key].setBuddy(widget)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.hint)
        first = QHBoxLayout()
        first.addWidget(self.labels["who"], 0, Qt.AlignmentFlag.AlignTop)
        first.addWidget(self.who, 0, Qt.AlignmentFlag.AlignTop)
        first.addWidget(self.labels["text"], 0, Qt.AlignmentFlag.AlignTop)
        first.addWidget(self.text, 1)
        second = QHBoxLayout()
        for key, widget in (("owner", self.owner), ("due", self.due), ("status", self.status)):
            second.addWidget(self.labels[key])
            second.addWidget(widget)
        second.addStretch(1)
        second.addWidget(self.save_button)
        second.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        for row in (top, first, second):
            layout.addLayout(row)
        self.who.setMinimumWidth(240)
        self.owner.setMinimumWidth(240)
        self.due.setMinimumWidth(250)
        self.fields = (self.who, self.text, self.owner, self.due, self.status)
        for widget in self.fields:
            widget.installEventFilter(self)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

    # -- opening and closing --------------------------------------------------------------------

    def open(self, mode: str, subject: str, names: list[str], values: dict | None = None,
             context: dict | None = None) -> None:
        """Show the fields of `mode` for `subject` (what it is about), filled from `values`."""
        self.mode, self.context, values = mode, dict(context or {}), values or {}
        title, who, text, extras = MODES[mode]
        self.title.setText(f"{title} \u2014 {subject}" if subject else title)
        self.labels["who"].setText(who or "")  # no mnemonics: Enter and Tab walk the fields
        self.labels["text"].setText(text)
        self.labels["who"].setVisible(who is not None)
        self.who.setVisible(who is not None)
        for key, widget in (("owner", self.owner), ("due", self.due), ("status", self.status)):
            self.labels[key].setVisible(key in extras)
            widget.setVisible(key in extras)
        for edit in (self.who, self.owner):
            edit.set_names(names)
        self.who.setText(values.get("who", ""))
        self.text.setPlainText(values.get("text", ""))
        self.owner.setText(values.get("owner", ""))
        due = values.get("due")
        self.due.setText(due.strftime("%d/%m/%Y") if isinstance(due, dt.date) else "")
        self.status.setCurrentIndex(max(0, ACTION_STATUSES.index(values.get("status", "open"))))
        self.show()
        self.order()[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_bar(self) -> None:
        if self.isVisible():
            self.hide()
            self.mode = ""
            self.closed.emit()

    def order(self) -> list[QWidget]:
        return [w for w in self.fields if not w.isHidden()]

    # -- keys -----------------------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() != QEvent.Type.KeyPress or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if isinstance(watched, NameEdit) and watched.popup_open():
            return False  # the suggestions take Enter
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ShiftModifier and isinstance(watched, QPlainTextEdit):
            return False  # a new line in the text
        order = self.order()
        if mods & Qt.KeyboardModifier.ControlModifier or watched is order[-1]:
            self.save()
        else:
            order[order.index(watched) + 1].setFocus(Qt.FocusReason.TabFocusReason)
        return True

    # -- values ---------------------------------------------------------------------------------

    def values(self) -> dict:
        """What was typed, checked: a UserError says what is wrong."""
        out = {"who": " ".join(self.who.text().split()), "text": self.text.toPlainText().strip()}
        extras = MODES[self.mode][3]
        if "owner" in extras:
            out["owner"] = " ".join(self.owner.text().split())
        if "due" in extras:
            raw = self.due.text().strip()
            out["due"] = parse_timescale(raw, today=self.today) if raw else None
            if raw and out["due"] is None:
                raise UserError(f"'{raw}' is not a date; write it as dd/mm/yyyy, or a month such as March 2027.")
        if "status" in extras:
            out["status"] = ACTION_STATUSES[self.status.currentIndex()]
        return out

    def save(self) -> None:
        try:
            values = self.values()
        except UserError as exc:
            from send_desktop.ui.widgets import show_error

            show_error(self, exc)
            self.due.setFocus()
            return
        self.saved.emit(self.mode, values)
