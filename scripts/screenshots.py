"""Render the README's screenshots offscreen from the demo partnership.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [docs/screenshots]

The whole main window at 1400x850 with an action selected, and the Add update dialog.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="shots-"))
    os.environ["SEND_DESKTOP_HOME"] = str(work / "home")
    from send_desktop import settings

    settings.set_user_name("Priya Raman")
    from PySide6.QtWidgets import QApplication

    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database
    from send_desktop.ui.app import make_application
    from send_desktop.ui.main_window import MainWindow
    from send_desktop.ui.plan_tree_model import ACTION

    make_application()
    db = open_database(work / "demo.sqlite", create=True, user="Priya Raman")
    load_demo(db)
    window = MainWindow()
    window.resize(1400, 850)
    window.set_database(db)
    window.show()
    view = window.plan_view
    action = next(a for a in view.snapshot.actions() if a.ref == "2.4.1")
    view._select(view.model.index_for_key((ACTION, action.id)))
    view.detail  # built now rather than after the first paint
    for _ in range(3):
        QApplication.processEvents()
    out_dir.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out_dir / "main-window.png"))
    dialog = view.add_update_act.trigger() or view.update_dialog
    QApplication.processEvents()
    if dialog is not None:
        dialog.narrative_edit.setPlainText("Audit tool in use by all twelve auditors; 61 audits in October, "
                                      "27% good or better against the 40% target.")
        QApplication.processEvents()
        dialog.grab().save(str(out_dir / "add-update.png"))
        dialog.reject()
    window.close_database()
    print(f"wrote {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
