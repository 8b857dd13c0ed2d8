"""`send-desktop check --self-test`: prove an installation works, end to end, in a temporary folder.

Migrate a new database, write a small plan through the services, read it back, check the change
log, then draw the main window offscreen and check the picture is not blank. One line per step;
works the same from a PyInstaller build (every resource is found through `send_desktop.paths`).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path


class SelfTestFailure(Exception):
    pass


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestFailure(what)


@contextmanager
def _environment(**values: str):
    """Set environment variables for the duration, restoring what was there."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _write_plan(db) -> dict:
    from send_desktop.services import plan_edit, plan_setup
    from send_desktop.services.plan_read import load_plan

    plan_id = plan_setup.new_plan(db, "Self-test plan", "pap3", source="self-test")
    priority = plan_edit.add_priority(db, plan_id, statement="Leaders should check the tool works.",
                                      source="self-test")
    outcome = plan_edit.add_outcome(db, priority, text="The tool is known to work.", source="self-test")
    action = plan_edit.add_action(db, outcome, text="Run the self-test.", timescale="July 2025",
                                  success_criteria=["It prints ok", "It returns 0"], leads=["Self Test"],
                                  source="self-test")
    green = next(lv.id for lv in load_plan(db).scale.levels if lv.code == "G")
    plan_edit.add_update(db, action, date=dt.date(2025, 7, 1), level_id=green, narrative="Done.",
                         source="self-test")
    return {"priority": priority, "outcome": outcome, "action": action}


def _check_plan(db) -> None:
    from send_desktop.services.plan_dump import dump_plan

    data = dump_plan(db)
    _expect([p["ref"] for p in data["priorities"]] == ["1"], f"priorities read back: {data['priorities']}")
    _expect([o["ref"] for o in data["outcomes"]] == ["1.1"], f"outcomes read back: {data['outcomes']}")
    (action,) = data["actions"]
    _expect(action["ref"] == "1.1.1" and action["action"] == "Run the self-test.", f"action read back: {action}")
    _expect(action["due"] == "2025-07-31", f"due date read back: {action['due']}")
    _expect(action["leads"] == ["Self Test"], f"leads: {action['leads']}")
    _expect(action["status"] == "Green" and len(action["updates"]) == 1, f"status: {action['status']}")


def _check_change_log(db) -> None:
    from send_desktop.services.change_log import recent_changes

    rows = recent_changes(db)
    entities = {r.entity for r in rows if r.op == "insert"}
    _expect({"plan", "priority", "outcome", "action", "status_update"} <= entities,
            f"change log holds inserts for {sorted(entities)}")
    _expect(all(r.user == "self-test" and r.source == "self-test" for r in rows if r.entity == "action"),
            "change log rows carry the user and source")


def _draw_window(db, folder: Path) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from send_desktop.ui.app import make_application
    from send_desktop.ui.main_window import MainWindow

    if QApplication.instance() is None:
        make_application()
    window = MainWindow()
    try:
        window.resize(1000, 640)
        window.set_database(db)
        window.show()
        image = window.grab().toImage()
        target = folder / "window.png"
        _expect(image.save(str(target)), "the window picture could not be saved")
        _expect(image.width() > 0 and image.height() > 0, "the window picture is empty")
        sample = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        _expect(len(sample) > 8, f"the window picture has only {len(sample)} colours")
    finally:
        window.close()  # closes the database too
    return target


def _chart_pdf_workbook(folder: Path) -> str:
    """The libraries the pack, the dashboard and the imports load only when used (matplotlib with
    numpy, reportlab, openpyxl, python-calamine): each does real work once, so a bundle missing
    one, or carrying a damaged one, fails here rather than in front of a board."""
    import matplotlib

    matplotlib.use("Agg")
    import openpyxl
    import python_calamine
    from matplotlib.figure import Figure
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    figure = Figure(figsize=(3, 2), dpi=100)
    figure.add_subplot().bar(["R", "A", "G"], [2, 5, 9], color=["#c0392b", "#e67e22", "#27ae60"])
    chart = folder / "chart.png"
    figure.savefig(chart)
    pdf = folder / "page.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.drawString(72, 770, "send-desktop self-test")
    canvas.drawImage(str(chart), 72, 520, width=300, height=200)
    canvas.save()
    _expect(pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000, "the PDF was not written")
    book = openpyxl.Workbook()
    book.active.append(["Ref", "Status"])
    book.active.append(["1.1.1", "Green"])
    workbook = folder / "book.xlsx"
    book.save(workbook)
    rows = python_calamine.CalamineWorkbook.from_path(str(workbook)).get_sheet_by_index(0).to_python()
    _expect(rows == [["Ref", "Status"], ["1.1.1", "Green"]], f"the workbook read back as {rows!r}")
    return f"chart {chart.stat().st_size:,} bytes, PDF {pdf.stat().st_size:,} bytes, workbook read back"


def self_test(out=None) -> int:
    """Run every step, printing "ok <step>"; 0 when all pass, 1 at the first failure."""
    out = out or sys.stdout
    step = "start"
    with tempfile.TemporaryDirectory(prefix="send-desktop-selftest-") as tmp:
        folder = Path(tmp)
        db = None
        try:
            with _environment(SEND_DESKTOP_HOME=str(folder / "home")):
                from send_desktop.storage.database import HEAD, open_database, read_revision

                step = "migrate"
                path = folder / "self-test.sqlite"
                db = open_database(path, create=True, user="self-test")
                _expect(read_revision(path) == HEAD, f"schema is {read_revision(path)}, expected {HEAD}")
                print("ok migrate", file=out)
                step = "write"
                _write_plan(db)
                print("ok write", file=out)
                step = "read"
                _check_plan(db)
                print("ok read", file=out)
                step = "change log"
                _check_change_log(db)
                print("ok change log", file=out)
                step = "window"
                picture = _draw_window(db, folder)
                db = None  # the window closed it
                print(f"ok window ({picture.stat().st_size:,} bytes)", file=out)
                step = "charts, PDF and workbooks"
                print(f"ok {step} ({_chart_pdf_workbook(folder)})", file=out)
        except Exception as exc:  # the self-test reports every failure as a result, not a crash
            detail = str(exc) if isinstance(exc, SelfTestFailure) else traceback.format_exc().rstrip()
            print(f"FAILED {step}: {detail}", file=out)
            return 1
        finally:
            if db is not None:
                db.close()
    print("self-test passed", file=out)
    return 0
