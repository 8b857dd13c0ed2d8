"""The one way errors reach the user.

- A `UserError` is a problem with the user's file or input: a plain warning with its message.
- Anything else is a bug: its traceback goes to the log file and the user sees `ErrorDialog`,
  which says what they can do and offers the details to copy, never a raw traceback up front.

`excepthook` is installed as `sys.excepthook` by `app.run_gui`, so exceptions escaping Qt slots
land here; the worker hands its failures to `report_exception` too.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from send_desktop import __version__
from send_desktop.errors import BadInputError, UserError

log = logging.getLogger("send_desktop.ui")
MAX_PROBLEMS_SHOWN = 12
_showing = False  # one error dialog at a time: a failing paint must not open a hundred


def details_text(exc_type, exc, tb) -> str:
    """What a supporter needs: versions, platform, time and the traceback."""
    from PySide6 import __version__ as pyside_version

    head = [
        f"send-desktop {__version__}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        f"Frozen build: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        f"Time: {dt.datetime.now():%Y-%m-%d %H:%M:%S}",
        "",
    ]
    return "\n".join(head) + "".join(traceback.format_exception(exc_type, exc, tb))


def log_file() -> str:
    """Where the traceback went: the file the root logger writes to (set up by `log.py`)."""
    from send_desktop.log import log_file as _log_file

    return _log_file()


class ErrorDialog(QDialog):
    """"Something went wrong…", what to do next, and the details behind a button."""

    def __init__(self, details: str, parent: QWidget | None = None):
        from PySide6.QtWidgets import QStyle  # its many enums cost milliseconds; not needed at start-up

        super().__init__(parent)
        self.details = details
        self.setWindowTitle("send-desktop: unexpected problem")
        self.setMinimumWidth(520)

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel("Something went wrong…")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        body = QLabel(
            "send-desktop met a problem it did not expect. Changes you had already finished are "
            "saved; the step that failed was not applied.<br><br>"
            "You can carry on working. If this keeps happening, press <b>Copy details</b> and send "
            "them, with what you were doing, to whoever looks after send-desktop for you.<br><br>"
            f"<small>The log file is {log_file()}</small>"
        )
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_box.setMinimumHeight(180)
        self.details_box.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        self.show_button = QPushButton("Show &details")
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._toggle_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(body)
        text.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_box, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")

    def _toggle_details(self, shown: bool) -> None:
        self.details_box.setVisible(shown)
        self.show_button.setText("Hide &details" if shown else "Show &details")
        self.adjustSize()


def user_error_text(exc: UserError) -> str:
    text = exc.message
    if isinstance(exc, BadInputError) and exc.problems:
        lines = [f"• {p}" for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(exc.problems) - MAX_PROBLEMS_SHOWN} more.")
        text += "\n\n" + "\n".join(lines)
    return text


def show_user_error(parent: QWidget | None, exc: UserError, title: str = "send-desktop") -> None:
    QMessageBox.warning(parent or QApplication.activeWindow(), title, user_error_text(exc))


def report_exception(exc_type, exc, tb, parent: QWidget | None = None) -> None:
    """Show any exception the right way; unexpected ones are logged with their traceback first."""
    global _showing
    if isinstance(exc, UserError):
        show_user_error(parent, exc)
        return
    log_file()  # make sure the log file is set up before writing to it
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None or _showing:
        return
    _showing = True
    try:
        ErrorDialog(details_text(exc_type, exc, tb), parent or QApplication.activeWindow()).exec()
    finally:
        _showing = False


def excepthook(exc_type, exc, tb) -> None:
    """`sys.excepthook` for the window: never lets an error pass silently, never crashes on one."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        report_exception(exc_type, exc, tb)
    except Exception:  # the error path itself failed: fall back to stderr, keep running
        sys.__excepthook__(exc_type, exc, tb)
        traceback.print_exc()
