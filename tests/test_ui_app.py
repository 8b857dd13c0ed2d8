"""The application shell with real temporary databases: start-up, files, read-only, errors, layout.

Only the edges are replaced: file dialogs, message boxes, the first-start name dialog and the
error dialog's exec (see the `dialogs` fixture).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFileDialog, QMessageBox

from send_desktop import paths, settings
from send_desktop.errors import ReadOnlyError
from send_desktop.services import plan_edit, plan_setup
from send_desktop.services.plan_dump import dump_plan
from send_desktop.services.plan_read import load_plan
from send_desktop.storage.database import open_database
from send_desktop.ui import app as app_module
from send_desktop.ui import error_dialog, first_start
from send_desktop.ui.main_window import PLAN_EDIT_ACTIONS


class Dialogs:
    """Records every message box and error dialog instead of showing it."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.answers: dict[str, object] = {}
        self.errors: list[str] = []

    def texts(self, kind: str) -> list[str]:
        return [text for k, _title, text in self.shown if k == kind]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    d = Dialogs()

    def box(kind, default):
        def show(parent, title, text, *args, **kwargs):
            d.shown.append((kind, title, text))
            return d.answers.get(kind, default)
        return show

    monkeypatch.setattr(QMessageBox, "warning", box("warning", QMessageBox.StandardButton.Close))
    monkeypatch.setattr(QMessageBox, "information", box("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", box("question", QMessageBox.StandardButton.Cancel))
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: d.errors.append(self.details) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # start() installs its own; put it back after
    return d


@pytest.fixture
def start(qtbot):
    """Start the window as `run_gui` does (without the event loop); closed at the end of the test."""
    def _start(path=None):
        window = app_module.start(str(path) if path else None)
        qtbot.addWidget(window)
        return window
    return _start


def make_plan_file(path: Path, title: str = "Test plan") -> Path:
    db = open_database(path, create=True, user="Test Auditor")
    try:
        plan_id = plan_setup.new_plan(db, title, "pap3")
        priority = plan_edit.add_priority(db, plan_id, statement="Leaders should listen.")
        outcome = plan_edit.add_outcome(db, priority, text="Families are heard.")
        plan_edit.add_action(db, outcome, text="Hold a forum.", timescale="July 2025")
    finally:
        db.close()
    return path


# -- first start -----------------------------------------------------------------------------

def test_first_start_asks_the_name_once_and_stores_it(start, monkeypatch, tmp_path):
    settings.save({})  # a machine that has never run send-desktop
    asked = []
    monkeypatch.setattr(first_start, "ask_user_name", lambda parent=None: asked.append(1) or "  Alex   Smith ")
    path = make_plan_file(tmp_path / "a.sqlite")

    start(path).close()
    assert settings.user_name() == "Alex Smith"
    window = start(path)
    assert asked == [1]
    assert window.user_label.text() == "Alex Smith"


def test_name_dialog_offers_the_login_name_and_tidies_spacing(qtbot):
    dialog = first_start.NameDialog("jdoe")
    qtbot.addWidget(dialog)
    assert dialog.name() == "jdoe"
    dialog.name_edit.setText("  Jo   Doe ")
    assert dialog.name() == "Jo Doe"
    dialog.name_edit.setText("   ")
    assert not dialog.findChild(first_start.QDialogButtonBox).buttons()[0].isEnabled()


def test_first_start_without_files_creates_the_demo_database(start):
    assert settings.recent_files() == []
    window = start()
    default = paths.default_database_path()
    assert window.db.path == default and default.is_file()
    assert len(dump_plan(window.db)["actions"]) >= 80
    assert "demo" in window.statusBar().currentMessage()
    assert settings.recent_files() == [str(default.resolve())]
    assert window.windowTitle() == f"{default.name} — send-desktop"


def test_start_reopens_the_last_file(start, tmp_path):
    path = make_plan_file(tmp_path / "last.sqlite")
    start(path).close()
    window = start()
    assert window.db.path == path
    assert not paths.default_database_path().exists()


# -- switching files -------------------------------------------------------------------------

def test_opening_a_second_file_switches_and_records_recent_files(start, monkeypatch, tmp_path):
    first = make_plan_file(tmp_path / "first.sqlite", "First plan")
    second = make_plan_file(tmp_path / "second.sqlite", "Second plan")
    window = start(first)
    window.undo_stack.push(QUndoCommand("an edit in the first file"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(second), ""))

    window.open_act.trigger()

    assert window.db.path == second
    assert load_plan(window.db).title == "Second plan"
    assert window.undo_stack.count() == 0
    assert settings.recent_files()[:2] == [str(second.resolve()), str(first.resolve())]
    assert window.windowTitle() == "second.sqlite — send-desktop"
    assert str(second) in window.path_label.text()
    other = open_database(first, user="Someone else")  # the old file was closed and unlocked
    assert not other.read_only
    other.close()


def test_open_recent_menu_lists_files_and_opens_one(start, tmp_path):
    first = make_plan_file(tmp_path / "first.sqlite")
    second = make_plan_file(tmp_path / "second.sqlite")
    window = start(first)
    window.open_file(second)
    window.recent_menu.aboutToShow.emit()
    entries = [a for a in window.recent_menu.actions() if a.isEnabled()]
    assert [a.text().split()[1] for a in entries] == ["second.sqlite", "first.sqlite"]
    entries[1].trigger()
    assert window.db.path == first


def test_new_file_creates_an_empty_plan_with_the_chosen_scale(start, monkeypatch, tmp_path):
    window = start(make_plan_file(tmp_path / "old.sqlite"))
    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(first_start, "ask_new_plan", lambda name, parent=None: ("Board plan", "ip5"))

    window.new_act.trigger()

    assert window.db.path == target.with_suffix(".sqlite")
    snap = load_plan(window.db)
    assert snap.title == "Board plan" and snap.scale.preset == "ip5" and snap.priorities == []


def test_save_a_copy_writes_a_consistent_file(start, monkeypatch, tmp_path):
    from send_desktop.services.check import check_database

    window = start(make_plan_file(tmp_path / "plan.sqlite"))
    copy = tmp_path / "copies" / "plan copy.sqlite"
    copy.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    window.save_copy_act.trigger()
    report = check_database(copy)
    assert report["integrity"] == "ok" and report["counts"]["actions"] == 1


# -- files that cannot be opened for writing, or at all --------------------------------------

def test_a_second_window_on_an_open_file_is_read_only(start, dialogs, tmp_path):
    path = make_plan_file(tmp_path / "shared.sqlite")
    first = start(path)
    second = start(path)

    assert not first.db.read_only and second.db.read_only
    assert dialogs.texts("information") == [second.db.read_only_message()]
    second.show_area("Change log")
    assert "already open" in second.banner.text() and second.banner.isVisibleTo(second)
    assert not first.banner.isVisibleTo(first)
    assert second.windowTitle() == "shared.sqlite [read-only] — send-desktop"
    assert second.mode_label.isVisibleTo(second)
    assert not second.import_act.isEnabled()
    if second.plan_view is not None:
        second.show_area("Plan")
        assert not any(getattr(second.plan_view, name).isEnabled() for name in PLAN_EDIT_ACTIONS)
        assert second.banner.isVisibleTo(second) or second.plan_view.banner.isVisibleTo(second)
    with pytest.raises(ReadOnlyError):
        plan_edit.add_priority(second.db, load_plan(second.db).plan_id, statement="Not allowed")


def test_a_database_from_a_newer_version_is_explained_not_crashed_on(start, dialogs, tmp_path):
    path = make_plan_file(tmp_path / "future.sqlite")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()

    window = start(path)

    (text,) = dialogs.texts("warning")
    assert "newer version of send-desktop" in text and "open another file" in text
    assert window.db is None and window.windowTitle() == "send-desktop"
    assert window.isVisible() and not window.nav.isVisible()
    assert dialogs.errors == []


def test_offering_another_file_after_a_failure_opens_it(start, dialogs, monkeypatch, tmp_path):
    good = make_plan_file(tmp_path / "good.sqlite")
    dialogs.answers["warning"] = QMessageBox.StandardButton.Open
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    (tmp_path / "not-a-plan.sqlite").write_text("hello")

    window = start(tmp_path / "not-a-plan.sqlite")

    assert "not a send-desktop database" in dialogs.texts("warning")[0]
    assert window.db.path == good


# -- the change log area ---------------------------------------------------------------------

def test_the_change_log_shows_an_edit_made_through_the_services(start, tmp_path):
    window = start(make_plan_file(tmp_path / "plan.sqlite"))
    action = load_plan(window.db).actions()[0]
    plan_edit.update_action(window.db, action.id, {"timescale": "Sept 2025"})

    window.show_area("Change log")

    model = window.change_log.model
    top = model.row(0)
    assert (top.what, top.field, top.old, top.new) == ("Action 1.1.1", "due_date", "2025-07-31", "2025-09-30")
    assert model.row(1).field == "timescale" and model.row(1).new == "Sept 2025"
    assert model.row(0).user == "Test Auditor"
    window.change_log.filter_edit.setText("sept 2025")
    assert model.rowCount() == 1


def test_undo_stack_changes_refresh_a_visible_change_log(start, tmp_path):
    window = start(make_plan_file(tmp_path / "plan.sqlite"))
    window.show_area("Change log")
    before = window.change_log.model.total()
    plan_edit.add_priority(window.db, load_plan(window.db).plan_id, statement="New one")
    window.undo_stack.push(QUndoCommand("added a priority"))
    assert window.change_log.model.total() == before + 1


# -- layout, help ----------------------------------------------------------------------------

def test_the_window_layout_is_restored(start, tmp_path):
    path = make_plan_file(tmp_path / "plan.sqlite")
    window = start(path)
    assert window.size().toTuple() == (1400, 850)  # the first-run size (within the plan view's minimum)
    window.resize(1000, 700)  # the offscreen screen is 800x800: keep the size Qt can restore there
    saved = window.size().toTuple()
    plan_state = None
    if window.plan_view is not None:  # the plan area's own layout travels through save_state too
        window.plan_view.splitter.setSizes([500, 300])
        plan_state = window.plan_view.save_state()
    window.show_area("Change log")
    window.close()

    again = start(path)
    assert again.size().toTuple() == saved and saved[1] == 700
    if plan_state is not None:
        assert again.plan_view.save_state() == plan_state
    assert again.current_area() == "Change log"
    assert (paths.config_dir() / "window.ini").is_file()


def test_about_names_version_file_schema_and_folders(start, tmp_path):
    from send_desktop import __version__
    from send_desktop.storage.database import HEAD

    path = make_plan_file(tmp_path / "plan.sqlite")
    text = app_module.about_text(start(path).db)
    for expected in (__version__, str(path), f"{HEAD} (current)", str(paths.log_dir()), str(paths.data_dir()),
                     str(paths.backups_dir_for(path))):
        assert expected in text


# -- the one exception path ------------------------------------------------------------------

def test_the_exception_hook_logs_and_shows_the_error_dialog(start, dialogs, tmp_path):
    from send_desktop import __version__

    start(make_plan_file(tmp_path / "plan.sqlite"))
    assert sys.excepthook is app_module.excepthook
    try:
        raise RuntimeError("the flux capacitor is unplugged")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())

    (details,) = dialogs.errors
    assert "RuntimeError: the flux capacitor is unplugged" in details and f"send-desktop {__version__}" in details
    log_text = Path(error_dialog.log_file()).read_text(encoding="utf-8")
    assert "unexpected error" in log_text and "the flux capacitor is unplugged" in log_text


def test_user_errors_through_the_hook_are_plain_warnings(start, dialogs, tmp_path):
    from send_desktop.errors import BadInputError, Problem

    start(make_plan_file(tmp_path / "plan.sqlite"))
    try:
        raise BadInputError("plan.xlsx cannot be imported.", [Problem("no reference", "Plan", 4, "Ref")])
    except BadInputError:
        sys.excepthook(*sys.exc_info())
    assert dialogs.errors == []
    assert dialogs.texts("warning") == ["plan.xlsx cannot be imported.\n\n• sheet 'Plan', row 4, "
                                        "column 'Ref': no reference"]


def test_the_error_dialog_copies_its_details(qtbot):
    from PySide6.QtGui import QGuiApplication

    dialog = error_dialog.ErrorDialog("details to copy")
    qtbot.addWidget(dialog)
    assert not dialog.details_box.isVisibleTo(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "details to copy"
    dialog.show_button.click()
    assert dialog.details_box.isVisibleTo(dialog)
