"""Starting things off: the user's name on first start, and a new plan file (File > New).

The dialogs are small forms with their values readable as attributes, so tests can fill them
without patching Qt; `ask_user_name` and `ask_new_plan` are the edges that run them modally.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from pathlib import Path

from send_desktop.core.scales import DEFAULT_PRESET, PRESETS
from send_desktop.errors import UserError

DB_FILTER = "send-desktop plans (*.sqlite *.db);;All files (*)"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class NameDialog(QDialog):
    """"Your name, as it will appear in the change log"."""

    def __init__(self, default: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to send-desktop")
        self.setMinimumWidth(460)
        self.name_edit = QLineEdit(default)
        self.name_edit.selectAll()
        self.name_edit.setPlaceholderText("e.g. Sam Patel")
        self.name_edit.setAccessibleName("Your name")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        self.name_edit.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip())))

        form = QFormLayout()
        form.addRow("&Your name:", self.name_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading("Welcome"))
        layout.addWidget(_note("Your name, as it will appear in the change log. Every change you make "
                               "to a plan is recorded with it, so the board can see who did what."))
        layout.addLayout(form)
        layout.addWidget(_note("You can change it later in the settings file; it is kept on this "
                               "computer only."))
        layout.addStretch(1)
        layout.addWidget(buttons)

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())


def ask_user_name(parent: QWidget | None = None) -> str:
    """Ask once, at first start. Closing the dialog keeps the login name rather than nothing."""
    from send_desktop import settings

    default = settings.login_name()
    dialog = NameDialog(default, parent)
    dialog.exec()
    return dialog.name() or default


class NewPlanDialog(QDialog):
    """The new plan's title and the rating scale it starts with (one of `core.scales.PRESETS`)."""

    def __init__(self, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New plan")
        self.setMinimumWidth(480)
        self.title_edit = QLineEdit("Priority Action Plan")
        self.scale_combo = QComboBox()
        for key, spec in PRESETS.items():
            self.scale_combo.addItem(spec.name, key)
        self.scale_combo.setCurrentIndex(list(PRESETS).index(DEFAULT_PRESET))
        self.levels = QLabel()
        self.levels.setWordWrap(True)
        self.levels.setTextFormat(Qt.TextFormat.RichText)
        self.scale_combo.currentIndexChanged.connect(self._show_levels)
        self._show_levels()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("Rating &scale:", self.scale_combo)
        form.addRow("", self.levels)
        layout = QVBoxLayout(self)
        layout.addWidget(_note(f"A new, empty plan in <b>{file_name}</b>."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def preset(self) -> str:
        return self.scale_combo.currentData()

    def title(self) -> str:
        return self.title_edit.text().strip() or "Priority Action Plan"

    def _show_levels(self) -> None:
        spec = PRESETS[self.preset()]
        rows = "".join(
            f"<tr><td><span style='color:{lv.colour}'>■</span>&nbsp;<b>{lv.label}</b></td>"
            f"<td>&nbsp;{lv.meaning}{' <i>(counts as complete)</i>' if lv.complete else ''}</td></tr>"
            for lv in spec.levels)
        self.levels.setText(f"<table>{rows}</table>")


def ask_new_plan(file_name: str, parent: QWidget | None = None) -> tuple[str, str] | None:
    """(title, preset key), or None when the user cancels."""
    dialog = NewPlanDialog(file_name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.title(), dialog.preset()


def create_new_plan(parent: QWidget, folder: Path, user: str):
    """File > New: a file name, then the plan's title and scale; returns the open Database, or
    None when the user cancels. The file is removed again if the plan cannot be written."""
    from send_desktop.services.plan_setup import new_plan
    from send_desktop.storage.database import open_database

    name, _ = QFileDialog.getSaveFileName(parent, "New plan", str(folder / "plan.sqlite"), DB_FILTER,
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    if not name:
        return None
    path = Path(name) if Path(name).suffix else Path(name).with_suffix(".sqlite")
    if path.exists():
        raise UserError(f"{path.name} already exists; choose a new file name for a new plan.")
    answer = ask_new_plan(path.name, parent)
    if answer is None:
        return None
    db = open_database(path, create=True, user=user)
    try:
        new_plan(db, *answer)
    except BaseException:
        db.close()
        path.unlink(missing_ok=True)
        raise
    return db
