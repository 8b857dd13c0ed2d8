"""What the import assistant's widget tests share: opening it on a file, waiting for its check,
and saving what it shows (to look at, under /tmp)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from send_desktop.ui.import_assistant import ImportAssistant


def open_assistant(qtbot, db, path, height: int = 660) -> ImportAssistant:
    dialog = ImportAssistant(db, path)
    qtbot.addWidget(dialog)
    dialog.resize(900, height)
    dialog.show()
    return dialog


def wait_for_check(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.job is None and dialog.state != "running", timeout=30_000)


def save_picture(dialog, name: str) -> None:
    """`/tmp/assistant-{name}.png`, after the layout's pending request (as the event loop would
    run it before painting)."""
    QApplication.processEvents()
    dialog.grab().save(f"/tmp/assistant-{name}.png")
