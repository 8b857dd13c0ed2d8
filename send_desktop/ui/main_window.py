"""The main window: areas chosen on the left (Plan, Change log), menus, status bar, one open file.

The window owns the open `Database`: opening another file closes the old one, clears the undo
stack and records the file in the recent list. Layout (geometry, dock/toolbar state, the plan
area's own state) is kept in an INI file under `paths.config_dir()`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QMainWindow, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget,
)

from send_desktop import APP_NAME, settings
from send_desktop.errors import UserError
from send_desktop.paths import config_dir
from send_desktop.ui.nav_list import NavList

log = logging.getLogger(__name__)
XLSX_FILTER = "Excel workbooks (*.xlsx)"
PLAN_EDIT_ACTIONS = ("add_priority_act", "add_outcome_act", "add_action_act", "add_update_act",
                     "move_up_act", "move_down_act", "delete_act")
STATUS_TIMEOUT = 10_000


def _plan_view_class():
    """The Plan area, when it is installed; the window shows only areas that work."""
    try:
        from send_desktop.ui.plan_view import PlanView
    except ModuleNotFoundError as exc:
        if exc.name != "send_desktop.ui.plan_view":
            raise
        return None
    return PlanView


#: The areas after the Plan, in navigation order: (name, "module:class", shortcut). Each area is a
#: widget made as `cls(db, parent)` with `set_database(db)`, `reload()` and a `statusMessage`
#: signal. It is built the first time it is shown, so start-up pays only for the Plan.
LAZY_AREAS = (
    ("Dashboard", "send_desktop.ui.dashboard_view:DashboardView", "Ctrl+2"),
    ("Meetings", "send_desktop.ui.meeting_area:MeetingsArea", "Ctrl+3"),
    ("Risks", "send_desktop.ui.risk_view:RiskRegisterView", "Ctrl+4"),
    ("KPIs", "send_desktop.ui.kpi_view:KpiView", "Ctrl+5"),
    ("Audits", "send_desktop.ui.audits_area:AuditsArea", "Ctrl+6"),
    ("Audit report", "send_desktop.ui.audit_report_view:AuditReportView", "Ctrl+7"),
)
CHANGE_LOG_SHORTCUT = "Ctrl+8"
EXPORT_DIALOG_SHORTCUT = "Ctrl+Shift+E"  # File > Export…, in every area (no area takes a key of the menus)

#: File > Export and File > Import: (kind in `send_desktop.exchange`, menu text, what it is).
EXPORT_MENU = (
    ("plan", "&Plan…", "the plan"), ("audits", "&Audits…", "the audits"),
    ("audit-report", "Audit &report…", "the audit report"), ("framework", "Audit &framework…", "the audit framework"),
    ("risks", "&Risk register…", "the risk register"), ("kpis", "&KPIs…", "the KPIs"),
    ("actions", "Meeting a&ctions…", "the action log"),
)
IMPORT_MENU = (
    ("plan", "&Plan…", "plan"), ("audits", "&Audits…", "audits"), ("caseload", "&Caseload list…", "caseload"),
    ("framework", "Audit &framework…", "audit framework"), ("risks", "&Risk register…", "risk register"),
    ("kpis", "&KPIs…", "KPIs"), ("actions", "Meeting a&ctions…", "action log"),
)


class LazyArea(QWidget):
    """The page of an area that is built when first shown."""

    def __init__(self, spec: str):
        super().__init__()
        self.spec = spec
        self.view = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def build(self, db, window: "MainWindow"):
        if self.view is None:
            from importlib import import_module

            module, name = self.spec.split(":")
            self.view = getattr(import_module(module), name)(db, self)
            self.view.statusMessage.connect(window.show_message)
            if hasattr(self.view, "recordsRequested"):  # a chart or list pointing into another area
                self.view.recordsRequested.connect(window.show_records)
            self.layout().addWidget(self.view)
        return self.view


def window_settings() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


class NoFilePage(QWidget):
    """What the window shows with no file open. Its contents are made when it is first shown:
    most starts open a file straight away and never show it (rich text costs milliseconds)."""

    def __init__(self, window: "MainWindow"):
        super().__init__()
        self._window = window
        self._built = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self._built:
            self._built = True
            self._build()
        super().showEvent(event)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for text in ("<h2>No plan is open</h2>", "Open a plan file, or start a new one."):
            layout.addWidget(QLabel(text), 0, QtCore.Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, slot in (("&Open a plan…", self._window.open_dialog), ("&New plan…", self._window.new_file)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addSpacing(10)
        layout.addLayout(buttons)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = None
        self.plan_view = None
        self.undo_stack = QUndoStack(self)
        self._area_names: list[str] = []
        self.setWindowTitle(APP_NAME)

        self.nav = NavList()
        self.nav.currentRowChanged.connect(self._area_changed)
        self.stack = QStackedWidget()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        # The Change log area is built the first time it is shown: start-up does not wait for it.
        self._change_log = None
        self._change_log_page = QWidget()
        QVBoxLayout(self._change_log_page).setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(NoFilePage(self))

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addLayout(right, 1)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)
        # Styled one widget at a time: a window-wide style sheet would restyle every child.
        self.banner.setStyleSheet("QLabel { background: #fff4ce; color: #3d3000; border-bottom: 1px solid #e0c060;"
                                  " padding: 8px 14px; }")

        self.user_label, self.path_label, self.mode_label = QLabel(), QLabel(), QLabel()
        for label in (self.mode_label, self.path_label, self.user_label):
            label.setStyleSheet("QLabel { padding: 0 8px; border-left: 1px solid palette(mid); }")
        self.statusBar().addPermanentWidget(self.mode_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()
        self.setAcceptDrops(True)  # a workbook dropped on the window opens the import assistant
        self.undo_stack.indexChanged.connect(self._refresh_change_log)
        self._update_chrome()

    # -- building --------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        act.triggered.connect(slot)
        if menu is not None:
            menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        self.new_act = self._action("&New…", self.new_file, QKeySequence.StandardKey.New, m)
        self.open_act = self._action("&Open…", self.open_dialog, QKeySequence.StandardKey.Open, m)
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addSeparator()
        self.save_copy_act = self._action("Save a &Copy…", self.save_copy, "Ctrl+Shift+S", m)
        m.addSeparator()
        self.export_act = self._action("&Export plan to Excel…", self.export_plan, "Ctrl+E", m)
        self.import_act = self._action("&Import plan from Excel…", self.import_plan, "Ctrl+I", m)
        self.assistant_act = self._action("Impor&t…", self.import_assistant, "Ctrl+Shift+I", m)
        self.assistant_act.setStatusTip("Import any workbook: its kind is told from the file, then columns, a check "
                                        "and the import")
        self.export_dialog_act = self._action("Ex&port…", self.export_dialog, EXPORT_DIALOG_SHORTCUT, m)
        self.export_dialog_act.setStatusTip("Export any kind of workbook: choose what it holds, the file, then write it")
        self.pack_act = self._action("Meeting &pack…", self.meeting_pack, "Ctrl+P", m)
        m.addSeparator()
        self.export_menu = m.addMenu("E&xport to Excel")
        self.export_menu.aboutToShow.connect(self._fill_export_menu)
        self.import_menu = m.addMenu("I&mport from Excel")
        self.import_menu.aboutToShow.connect(self._fill_import_menu)
        m.addSeparator()
        self.quit_act = self._action("&Quit", self.close, "Ctrl+Q", m)
        self.quit_act.setMenuRole(QAction.MenuRole.QuitRole)

        self.edit_menu = bar.addMenu("&Edit")
        self.undo_act = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_act.setShortcuts([QKeySequence("Ctrl+Z")])  # setShortcut would build the `Qt` namespace
        self.redo_act = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_act.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addActions([self.undo_act, self.redo_act])

        m = bar.addMenu("&View")
        self.view_menu = m
        self.area_menu_actions: dict[str, QAction] = {}
        self.nav_act = self._action("Show &Navigation", self.nav.setVisible, None, None)
        self.nav_act.setCheckable(True)
        self.nav_act.setChecked(True)
        self.reload_act = self._action("Re&load", self.reload, QKeySequence.StandardKey.Refresh, None)

        m = bar.addMenu("&Help")
        self._action("&About send-desktop", self.show_about, None, m)
        self._action("Open &Log Folder", self.open_log_folder, None, m)

    def _add_area(self, name: str, widget: QWidget, shortcut: str) -> None:
        self._area_names.append(name)
        self.nav.add_area(name)
        self.stack.addWidget(widget)
        act = self._action(f"&{name}", lambda: self.show_area(name), shortcut, None)
        self.area_menu_actions[name] = act
        self.view_menu.clear()
        for area in self._area_names:
            self.view_menu.addAction(self.area_menu_actions[area])
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.nav_act, self.reload_act])

    def _install_areas(self, db) -> None:
        plan_view_class = _plan_view_class()
        if plan_view_class is not None:
            self.plan_view = plan_view_class(db, self.undo_stack, self)
            self.plan_view.statusMessage.connect(self.show_message)
            self.edit_menu.addSeparator()
            for name in ("add_priority_act", "add_outcome_act", "add_action_act", "add_update_act", None,
                         "move_up_act", "move_down_act", "delete_act", None, "find_act"):
                if name is None:
                    self.edit_menu.addSeparator()
                else:
                    self.edit_menu.addAction(getattr(self.plan_view, name))
            self.scale_act = self._action("Rating &Scale…", self.change_scale, None, self.edit_menu)
            state = window_settings().value("plan/state")
            if state is not None:
                self.plan_view.restore_state(state)
            self._add_area("Plan", self.plan_view, "Ctrl+1")
        self.lazy_areas: dict[str, LazyArea] = {}
        for name, spec, shortcut in LAZY_AREAS:
            self.lazy_areas[name] = LazyArea(spec)
            self._add_area(name, self.lazy_areas[name], shortcut)
        self._add_area("Change log", self._change_log_page, CHANGE_LOG_SHORTCUT)  # fetched when shown

    def show_records(self, area: str, filters: dict) -> None:
        """Switch to `area` and show the records `filters` picks out (a dashboard click)."""
        if area == "Plan" and self.plan_view is not None:
            self.show_area("Plan")
            self.plan_view.show_records(filters)
            return
        view = self.area_view(area)
        if view is not None and hasattr(view, "show_records"):
            self.show_area(area)
            view.show_records(filters)

    def area_view(self, name: str):
        """The widget of a lazily built area (building it now), or None if there is no such area."""
        page = getattr(self, "lazy_areas", {}).get(name)
        return page.build(self.db, self) if page is not None and self.db is not None else None

    # -- the open file ---------------------------------------------------------------------
    def user(self) -> str:
        return settings.user_name() or settings.login_name()

    def open_file(self, path) -> bool:
        """Open `path` in place of the current file, explaining any failure. True when it opened."""
        error = self.load(path)
        self.announce(error)
        return error is None

    def load(self, path) -> UserError | None:
        """Open and show `path` without any message box: returns the reason it cannot be opened."""
        from send_desktop.storage.database import open_database

        path = Path(path)
        if self.db is not None and path.resolve() == self.db.path.resolve():
            return None
        try:
            db = open_database(path, user=self.user())
        except UserError as exc:
            log.info("could not open %s: %s", path.name, type(exc).__name__)
            return exc
        self.set_database(db)
        return None

    def announce(self, error: UserError | None) -> None:
        """After `load`: why the file could not be opened (offering another), or why it is read-only."""
        if error is None and not (self.db is not None and self.db.read_only):
            return
        from PySide6.QtWidgets import QMessageBox  # dialogs load when needed, not at start-up

        if error is not None:
            answer = QMessageBox.warning(
                self, "Cannot open the file", f"{error.message}\n\nWould you like to open another file?",
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
                QMessageBox.StandardButton.Open)
            if answer == QMessageBox.StandardButton.Open:
                self.open_dialog()
        elif self.db is not None and self.db.read_only:
            QMessageBox.information(self, "Opened read-only", self.db.read_only_message())

    def set_database(self, db) -> None:
        """Show `db` (already open); the window now owns it and closes the previous one."""
        old, self.db = self.db, db
        self.undo_stack.clear()
        try:
            if not self._area_names:
                self._install_areas(db)
                self.show_area(window_settings().value("window/area", "Plan"))
            else:
                if self.plan_view is not None:
                    self.plan_view.set_database(db)
                for page in self.lazy_areas.values():
                    if page.view is not None:
                        page.view.set_database(db)
                if self._change_log is not None:
                    self._change_log.db = db
                self._area_changed(self.nav.currentRow())
        finally:
            if old is not None:
                old.close()
            settings.add_recent_file(db.path)
            self._update_chrome()

    def flush_areas(self) -> bool:
        """Have every area save what it holds unsaved (an audit being scored); True when all did."""
        saved = True
        for page in getattr(self, "lazy_areas", {}).values():
            if page.view is not None and hasattr(page.view, "flush"):
                saved = page.view.flush() and saved
        return saved

    def close_database(self) -> None:
        if self.db is not None:
            self.flush_areas()  # before the file closes under them
            self.undo_stack.clear()
            self.db.close()
            self.db = None

    def _update_chrome(self) -> None:
        db = self.db
        read_only = bool(db and db.read_only)
        self.setWindowTitle(f"{db.path.name}{' [read-only]' if read_only else ''} — {APP_NAME}"
                            if db else APP_NAME)
        self.user_label.setText(self.user())
        self.user_label.setToolTip("Your name in the change log")
        self.path_label.setText(str(db.path) if db else "No file open")
        self.mode_label.setText("<b>Read-only</b>")
        self.mode_label.setVisible(read_only)
        self.banner.setVisible(read_only)
        if read_only:
            self.banner.setText(f"<b>Read-only.</b> {db.read_only_message()}")
        self.nav.setVisible(db is not None and self.nav_act.isChecked())
        for act in (self.save_copy_act, self.export_act, self.export_dialog_act, self.import_act, self.reload_act,
                    self.pack_act):
            act.setEnabled(db is not None and act.data() != "unavailable")
        self.import_act.setEnabled(self.import_act.isEnabled() and not read_only)
        self.assistant_act.setEnabled(db is not None and not read_only)
        if getattr(self, "scale_act", None) is not None:
            self.scale_act.setEnabled(db is not None and not read_only)
        self._show_plan_actions()

    def _show_plan_actions(self) -> None:
        """The plan's actions belong in the menus only while the Plan area is shown (the plan
        view itself disables its edits in a read-only file)."""
        if self.plan_view is not None:
            on_plan = self.current_area() == "Plan"
            for name in PLAN_EDIT_ACTIONS + ("find_act",):
                getattr(self.plan_view, name).setVisible(on_plan)
            own = getattr(self.plan_view, "banner", None)  # the plan view may say it itself
            says_it = on_plan and own is not None and own.isVisibleTo(self.plan_view)
            self.banner.setVisible(bool(self.db and self.db.read_only) and not says_it)

    # -- areas -----------------------------------------------------------------------------
    @property
    def change_log(self):
        """The Change log area's view, made on first use."""
        if self._change_log is None:
            from send_desktop.ui.change_log_view import ChangeLogView

            self._change_log = ChangeLogView(None, self._change_log_page)
            self._change_log.db = self.db
            self._change_log_page.layout().addWidget(self._change_log)
        return self._change_log

    def current_area(self) -> str | None:
        row = self.nav.currentRow()
        return self._area_names[row] if 0 <= row < len(self._area_names) else None

    def show_area(self, name: str) -> None:
        self.nav.setCurrentRow(self._area_names.index(name) if name in self._area_names else 0)

    def _area_changed(self, row: int) -> None:
        if not 0 <= row < len(self._area_names):
            return
        widget = self.stack.widget(row + 1)
        if widget is self._change_log_page:  # always fresh: edits may come from undo, import or elsewhere
            self.change_log.db = self.db
            self.change_log.reload()
        elif isinstance(widget, LazyArea) and self.db is not None:
            widget.build(self.db, self)
        self.stack.setCurrentWidget(widget)
        self._show_plan_actions()

    def _refresh_change_log(self) -> None:
        if self.db is not None and self.stack.currentWidget() is self._change_log_page:
            self.change_log.reload()

    def reload(self) -> None:
        if self.plan_view is not None:
            self.plan_view.reload()
        for page in getattr(self, "lazy_areas", {}).values():
            if page.view is not None:
                page.view.reload()
        self._refresh_change_log()

    # -- File menu -------------------------------------------------------------------------
    def _start_dir(self) -> str:
        return str(self.db.path.parent if self.db else Path.home())

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui.first_start import DB_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Open a plan", self._start_dir(), DB_FILTER)
        if path:
            self.open_file(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for number, item in enumerate(settings.recent_files(), start=1):
            path = Path(item)
            act = self.recent_menu.addAction(f"&{number} {path.name}   ({path.parent})",
                                             lambda p=path: self.open_file(p))
            act.setEnabled(path.is_file())
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def new_file(self) -> None:
        from send_desktop.ui.first_start import create_new_plan

        db = create_new_plan(self, Path(self._start_dir()), self.user())
        if db is not None:
            self.set_database(db)
            self.show_message(f"Created a new plan in {db.path}")

    def save_copy(self) -> None:
        from send_desktop.storage.database import save_copy

        suggested = self.db.path.with_name(f"{self.db.path.stem} copy.sqlite")
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui.first_start import DB_FILTER

        path, _ = QFileDialog.getSaveFileName(self, "Save a copy", str(suggested), DB_FILTER)
        if not path:
            return
        if Path(path).resolve() == self.db.path.resolve():
            raise UserError("A copy needs a different file name from the open plan.")
        save_copy(self.db.path, Path(path))
        self.show_message(f"Saved a copy as {path}")

    def export_plan(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui import worker

        suggested = self.db.path.with_suffix(".xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Export plan to Excel", str(suggested), XLSX_FILTER)
        if path:
            worker.export_plan(self, self.db, Path(path).with_suffix(".xlsx"), self.show_message)

    def import_plan(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui import worker

        path, _ = QFileDialog.getOpenFileName(self, "Import plan from Excel", self._start_dir(), XLSX_FILTER)
        if path:
            worker.import_plan(self, self.db, Path(path), self.show_message, self._imported)

    def meeting_pack(self) -> None:
        from send_desktop.ui.pack_dialog import PackDialog

        PackDialog(self.db, self, self.show_message).exec()

    def export_dialog(self, kind: str = "plan"):
        """File > Export…: the export dialog, `kind` chosen to start with; returns it (shown, not modal)."""
        from send_desktop.ui.export_dialog import ExportDialog

        if self.db is None:
            return None
        dialog = ExportDialog(self.db, kind, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(lambda path: self.show_message(f"Exported to {path}"))
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.show()
        self.export_dialog_window = dialog
        return dialog

    def _fill_export_menu(self) -> None:
        self._fill_exchange_menu(self.export_menu, EXPORT_MENU, self.export_kind)

    def _fill_import_menu(self) -> None:
        self._fill_exchange_menu(self.import_menu, IMPORT_MENU, self.import_kind)

    def _fill_exchange_menu(self, menu, entries, run) -> None:
        from send_desktop.exchange import EXPORTERS, IMPORTERS

        known = EXPORTERS if menu is self.export_menu else IMPORTERS
        menu.clear()
        read_only = self.db is None or (menu is self.import_menu and self.db.read_only)
        for kind, text, what in entries:
            if kind in known:
                act = menu.addAction(text, lambda k=kind, w=what: run(k, w))
                act.setEnabled(not read_only)

    def export_kind(self, kind: str, what: str = ""):
        """File > Export to Excel > a kind: the export dialog with that kind chosen."""
        return self.export_dialog(kind)

    def import_kind(self, kind: str, what: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        from send_desktop.ui import worker

        path, _ = QFileDialog.getOpenFileName(self, f"Import {what} from Excel", self._start_dir(), XLSX_FILTER)
        if path:
            worker.import_kind(self, self.db, kind, what, Path(path), self.show_message, self._imported)

    # -- the import assistant (File > Import…, or a workbook dropped on the window) ----------------
    def import_assistant(self, path: Path | None = None):
        """Open the import assistant (on `path`, when given); it is window-modal, shown, not exec'd."""
        from send_desktop.ui.import_assistant import PAGE_DONE, PAGE_FILE, ImportAssistant

        if self.db is None or self.db.read_only:
            return None
        old = getattr(self, "assistant", None)
        if old is not None and old.isVisible():
            if path is not None and old.job is None and old.page() != PAGE_DONE:
                old.set_file(Path(path))
                old._show(PAGE_FILE)
            old.raise_()
            old.activateWindow()
            return old
        dialog = ImportAssistant(self.db, Path(path) if path else None, self)
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.applied.connect(self._assistant_applied)
        self.assistant = dialog
        dialog.show()
        return dialog

    def _assistant_applied(self, summary: str) -> None:
        self._imported()
        self.show_message(summary)

    @staticmethod
    def _dropped_file(mime) -> Path | None:
        """The one local .xlsx or .json file a drag carries, or None."""
        from send_desktop.ui.import_assistant import importable

        urls = mime.urls() if mime is not None and mime.hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if importable(path) else None

    def dragEnterEvent(self, event) -> None:
        if self.assistant_act.isEnabled() and self._dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_file(event.mimeData())
        if path is None or not self.assistant_act.isEnabled():
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_assistant(path)

    def _imported(self) -> None:
        self.undo_stack.clear()  # undo steps refer to the plan as it was before the import
        self.reload()

    def change_scale(self) -> None:
        from send_desktop.ui.scale_dialog import change_plan_scale

        if change_plan_scale(self, self.db, self.plan_view):
            self.show_message("The plan's rating scale was changed; a backup was made first.")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT)

    # -- Help menu -------------------------------------------------------------------------
    def about_box(self):
        from send_desktop.ui.app import about_box

        return about_box(self, self.db)

    def show_about(self) -> None:
        self.about_box().exec()

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl  # here, not at start-up: importing it builds its five enums
        from PySide6.QtGui import QDesktopServices

        from send_desktop.paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    # -- layout ----------------------------------------------------------------------------
    def restore_layout(self) -> None:
        store = window_settings()
        geometry = store.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 850)
        state = store.value("window/state")
        if state is not None:
            self.restoreState(state)
        self.nav_act.setChecked(store.value("window/navigation", True, type=bool))

    def save_layout(self) -> None:
        store = window_settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/navigation", self.nav_act.isChecked())
        if self.current_area():
            store.setValue("window/area", self.current_area())
        if self.plan_view is not None:
            store.setValue("plan/state", self.plan_view.save_state())
        store.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        from send_desktop.ui.worker import running_jobs

        if running_jobs(self):
            self.show_message("Wait for the current job to finish, or cancel it.")
            event.ignore()
            return
        self.save_layout()
        self.close_database()
        super().closeEvent(event)
