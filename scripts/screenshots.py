"""Render the README's screenshots offscreen from the demo partnership.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [docs/screenshots]

The whole main window at 1400x850 with an action selected, the Add update dialog, the
dashboard, the audit scoring form, the risk register, the KPIs and a meeting's workspace, and two
pages of the meeting pack (rendered from the PDF with poppler's pdftoppm).
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

    def shoot(area: str, name: str, prepare=None) -> None:
        window.show_area(area)
        view = window.area_view(area)
        if prepare is not None:
            prepare(view)
        import time

        end = time.monotonic() + 0.6  # charts that draw once the selection settles (a timer)
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)
        window.grab().save(str(out_dir / name))

    window.resize(1400, 900)
    shoot("Dashboard", "dashboard.png")

    def open_an_audit(area):
        from send_desktop.services.audit_read import audit_ids

        area.open_audit(audit_ids(db, {"status": "draft"})[0] if audit_ids(db, {"status": "draft"}) else
                        audit_ids(db)[0])

    shoot("Audits", "audit-form.png", open_an_audit)
    shoot("Risks", "risk-register.png")
    shoot("KPIs", "kpis.png")
    shoot("Meetings", "meetings.png")
    window.close_database()
    pack_pages(work, out_dir)
    print(f"wrote {out_dir}")


def pack_pages(work: Path, out_dir: Path) -> None:
    """Two pages of the demo's meeting pack: the plan at a glance and the risk register."""
    import shutil
    import subprocess

    from send_desktop.core.progress import run_steps
    from send_desktop.pack.build import make_pack
    from send_desktop.services.meeting_read import list_meetings
    from send_desktop.storage.database import open_database

    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed: no pack pages")
        return
    db = open_database(work / "demo.sqlite", user="Priya Raman")
    day = max(m.starts_at for m in list_meetings(db) if m.status != "planned").date()
    pdf = work / "pack.pdf"
    run_steps(make_pack(db, pdf, day))
    db.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    for title, name in (("The plan at a glance", "pack-plan.png"), ("The risk register", "pack-risks.png")):
        number = next(i for i, page in enumerate(pages, start=1)
                      if any(line.strip() == title for line in page.splitlines()))
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number), "-singlefile", str(pdf),
                        str(out_dir / name[:-4])], check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
