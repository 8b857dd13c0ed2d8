"""Render the Plan area offscreen to PNGs for a human to look at (not collected by pytest).

    QT_QPA_PLATFORM=offscreen python tests/render_plan_screens.py [/tmp/shots]

Builds the demo partnership's database in a temporary folder, shows the Plan view at 1400x850
with an action selected, then the detail pane on its own, a priority and an outcome selected,
a filtered view, the "Add update" dialog, and the read-only banner.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEMO_TODAY = dt.date(2026, 11, 1)


def main(out_dir: str = "/tmp/shots") -> list[Path]:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database
    from send_desktop.ui.plan_tree_model import ACTION, OUTCOME, PRIORITY
    from send_desktop.ui.plan_view import PlanView
    from send_desktop.ui.update_dialog import UpdateDialog

    app = QApplication.instance() or QApplication(sys.argv)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="plan-shots-"))
    os.environ.setdefault("SEND_DESKTOP_HOME", str(work / "home"))
    db = open_database(work / "demo.sqlite", create=True, user="Priya Raman")
    load_demo(db, today=DEMO_TODAY)

    stack = QUndoStack()
    view = PlanView(db, stack)
    view.today = DEMO_TODAY
    view.resize(1400, 850)
    view.show()
    view.reload()
    saved: list[Path] = []

    def shot(widget, name: str) -> None:
        app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    def select(key) -> None:
        view.plan_changed(key)
        app.processEvents()

    snap = view.snapshot
    overdue = next(a for a in snap.actions() if a.overdue and len(a.updates) > 3)
    select((ACTION, overdue.id))
    shot(view, "plan_view")
    shot(view.detail, "plan_detail_action")
    dupe = next(a for a in snap.actions() if a.duplicate_ref)
    select((ACTION, dupe.id))
    shot(view, "plan_view_duplicate_ref")
    select((PRIORITY, snap.priorities[1].id))
    shot(view.detail, "plan_detail_priority")
    select((OUTCOME, snap.priorities[1].outcomes[2].id))
    shot(view.detail, "plan_detail_outcome")

    view.filter_bar.overdue_check.setChecked(True)
    view.filter_bar.search_edit.setText("annual review")
    shot(view, "plan_view_filtered")
    view.filter_bar.clear()

    select((ACTION, overdue.id))
    dialog = UpdateDialog(snap.scale, view.current_item(), author=db.user, today=DEMO_TODAY, parent=view)
    dialog.show()
    shot(dialog, "update_dialog_empty")
    dialog.narrative_edit.setPlainText("Recovery plan agreed at the November board; first two milestones met.")
    dialog.evidence_edit.setPlainText("Board minutes 12 November 2026")
    shot(dialog, "update_dialog_filled")
    dialog.close()

    db.close()
    ro = open_database(work / "demo.sqlite", user="Priya Raman", read_only=True)
    view.set_database(ro)
    select((ACTION, overdue.id))
    shot(view, "plan_view_read_only")
    ro.close()
    return saved


if __name__ == "__main__":
    for p in main(*sys.argv[1:]):
        print(p)
