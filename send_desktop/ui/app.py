"""Starting the window: the application object, the one exception path, first-start questions
and which file to open.

Start-up imports only PySide6 and what showing the plan needs: the plan is read through the
standard library's sqlite3, and SQLAlchemy (needed for the first edit) is imported on a
background thread once the window has painted. Spreadsheet, chart and migration libraries are
imported when first used.

The first paint does without PySide6's `Qt` namespace. Its first use (even
`from PySide6.QtCore import Qt`) builds all 93 of its Python enums, about 15 ms, a tenth of the
start. So the modules the first paint imports reach it only inside functions that run later (as
`QtCore.Qt`); what the paint needs is written without it (item roles as numbers, the plan's
column titles in a QStandardItemModel, icons drawn as paths: see `widgets`), and the few settings
that need it (the keys that work only in the plan tree, the navigation's scroll bar) are made
just after the paint, before any input can arrive. tests/test_ui_first_paint.py keeps it so.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# The Qt-free modules the first paint needs are imported before PySide6 on purpose: PySide6
# wraps `__import__` (for its `__feature__` switches), which makes every later import slower.
# isort: off
import send_desktop.services.plan_read  # noqa: F401
import send_desktop.storage.database  # noqa: F401
from send_desktop import APP_NAME, __version__, paths, settings
from send_desktop.errors import UserError

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
# isort: on

log = logging.getLogger(__name__)
DEMO_MESSAGE = ("This is a fictional demo partnership, created so there is something to see. "
                "File > New starts a plan of your own.")
MIN_POINT_SIZE = 10


def make_application() -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt), styled once."""
    app = QApplication.instance()
    if app is None:
        # One clean, predictable look on Windows and Linux (macOS stays native). Asked for on the
        # command line Qt reads, so Qt makes that style first and no Python QStyle is created:
        # `app.style()` would load QStyle's enums, about 5 ms of a 0.2 s start.
        argv = sys.argv[:1] if sys.platform == "darwin" else [*sys.argv[:1], "-style", "Fusion"]
        app = QApplication(argv)
    elif sys.platform != "darwin" and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    if sys.platform != "darwin":
        font = app.font()
        if sys.platform != "win32" and font.pointSizeF() < MIN_POINT_SIZE:
            font.setPointSizeF(MIN_POINT_SIZE)
            app.setFont(font)
    return app


def after_first_paint(app: QApplication) -> None:
    """What waits until the window has painted: the window icon (decoding it is not needed to
    draw) and the garbage collector, off since start (`__main__`). What start-up made lives as
    long as the program, so it is frozen out of every later collection."""
    import gc

    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(paths.resource_path("icons", "send-desktop.png"))))
    gc.freeze()
    gc.enable()


def choose_database(argument: str | None) -> tuple[Path, bool]:
    """The file to open and whether it must first be made with the demo plan.

    The command-line argument; else the last file opened, if it is still there; else the default
    file in the data folder, created with the demo partnership the first time.
    """
    if argument:
        return Path(argument), False
    recent = settings.recent_files()
    if recent and Path(recent[0]).is_file():
        return Path(recent[0]), False
    default = paths.default_database_path()
    return default, not (default.is_file() and default.stat().st_size)


def create_demo_database(path: Path, user: str):
    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database

    db = open_database(path, create=True, user=user)
    try:
        load_demo(db)
    except BaseException:
        db.close()
        path.unlink(missing_ok=True)
        raise
    return db


def about_text(db) -> str:
    """Help > About: the version and where everything is, for the open file `db` (or None)."""
    from PySide6 import __version__ as pyside_version

    from send_desktop.storage.database import HEAD, read_revision

    rows = []
    if db is not None:
        revision = read_revision(db.path)
        rows += [("Database", str(db.path)),
                 ("Schema", f"{revision} (current)" if revision == HEAD else f"{revision} (current is {HEAD})"),
                 ("Backups", str(paths.backups_dir_for(db.path)))]
    rows += [("Data folder", str(paths.data_dir())), ("Log folder", str(paths.log_dir())),
             ("Settings", str(paths.config_dir())), ("Qt for Python", pyside_version)]
    table = "".join(f"<tr><td style='padding-right:12px'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return (f"<h3>send-desktop {__version__}</h3><p>An offline tool for SEND improvement boards: "
            f"the Priority Action Plan, with spreadsheet round trips.</p><table>{table}</table>")


def about_box(parent, db):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QStyle

    box = QMessageBox(QMessageBox.Icon.NoIcon, "About send-desktop", about_text(db),
                      QMessageBox.StandardButton.Close, parent)
    box.setIconPixmap(parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(48))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 560px; }")  # each path on one line
    return box


def excepthook(exc_type, exc, tb) -> None:
    """`sys.excepthook` while the window runs; the dialog module loads on the first error only."""
    from send_desktop.ui import error_dialog

    error_dialog.excepthook(exc_type, exc, tb)


class _AfterFirstPaint(QObject):
    """Runs `callbacks` once the window has painted for the first time, after the whole paint
    pass, so that what the first paint does not need does not delay it."""

    def __init__(self, window, callbacks):
        super().__init__(window)
        self._callbacks = list(callbacks)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            for callback in self._callbacks:
                QTimer.singleShot(0, callback)
        return False


def _report_first_paint_and_quit() -> None:
    """SEND_DESKTOP_EXIT_AFTER_PAINT=1: print the wall-clock time of the first paint with its
    data (`FIRST_PAINT <seconds since the epoch>`, for bench/ and CI) and quit."""
    import time

    print(f"FIRST_PAINT {time.time():.6f}", flush=True)
    QApplication.quit()


def start(path: str | None):
    """Everything `run_gui` does before the event loop: returns the shown main window."""
    from send_desktop.log import setup_logging
    from send_desktop.ui.main_window import MainWindow

    setup_logging()
    make_application()  # PySide6 keeps the instance alive (QApplication.instance())
    sys.excepthook = excepthook
    if settings.user_name() is None:
        from send_desktop.ui.first_start import ask_user_name

        settings.set_user_name(ask_user_name())

    window = MainWindow()
    window.restore_layout()
    target, make_demo = choose_database(path)
    error = None
    if make_demo:
        splash = _setting_up_splash()
        try:
            window.set_database(create_demo_database(target, window.user()))
        except UserError as exc:
            error = exc
        else:
            window.statusBar().showMessage(DEMO_MESSAGE)
            log.info("created the demo database %s", target)
        finally:
            splash.close()
    else:
        error = window.load(target)
    callbacks = [lambda: after_first_paint(QApplication.instance())]
    if os.environ.get("SEND_DESKTOP_EXIT_AFTER_PAINT") == "1":
        callbacks.insert(0, _report_first_paint_and_quit)
    window._after_first_paint = _AfterFirstPaint(window, callbacks)
    window.show()
    window.announce(error)
    QTimer.singleShot(400, lambda: warm_up(window))  # after the first paint, not competing with it
    return window


def _setting_up_splash():
    """First start only: making the demo partnership takes a couple of seconds, so say so."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPixmap
    from PySide6.QtWidgets import QSplashScreen

    pixmap = QPixmap(460, 120)
    pixmap.fill(QColor("#f4f6f9"))
    splash = QSplashScreen(pixmap)
    splash.showMessage("send-desktop\n\nSetting up the demo partnership so there is something to see…",
                       Qt.AlignmentFlag.AlignCenter, QColor("#1f1f1f"))
    splash.show()
    QApplication.processEvents()  # once, to paint the message before the work starts
    return splash


def warm_up(window) -> None:
    """Load SQLAlchemy and the editing services, then matplotlib's core, off the UI thread, so the
    first edit is instant and the first chart (dashboard, report, heat map) does not wait half a
    second for matplotlib's import."""
    import threading

    def work():
        try:
            import send_desktop.services.plan_edit  # noqa: F401
            from send_desktop.storage.database import Database

            Database.prepare_orm()
            import matplotlib.backends.backend_agg  # noqa: F401
            import matplotlib.figure  # noqa: F401
            import matplotlib.ticker  # noqa: F401
        except Exception:  # only a head start: the first edit will import them itself
            log.exception("background warm-up failed")

    threading.Thread(target=work, name="warm-up", daemon=True).start()


def run_gui(path: str | None) -> int:
    window = start(path)
    code = QApplication.instance().exec()
    window.close_database()
    return code
