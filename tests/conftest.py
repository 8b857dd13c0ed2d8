"""Shared fixtures: a real temporary SQLite file per test, user folders redirected, Qt offscreen."""

from __future__ import annotations

import os
import shutil
import datetime as dt
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

#: A fixed "today" so demo data and overdue flags do not drift with the calendar.
DEMO_TODAY = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _user_home(tmp_path_factory, monkeypatch):
    """Settings, logs and default databases go to a fresh folder, never the developer's own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SEND_DESKTOP_HOME", str(home))
    from send_desktop import settings

    settings.set_user_name("Test Auditor")
    return home


class UnexpectedDialog(AssertionError):
    """A modal dialog opened that the test did not expect (it would wait forever offscreen)."""


@pytest.fixture(autouse=True)
def _no_modal_dialog_waits(monkeypatch):
    """A modal dialog the test has not answered fails the test at once instead of waiting for a
    click that never comes (a hang that would use up the whole CI run). Tests that expect a dialog
    replace these with their own answers, as before."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(kind):
        def show(*args, **kwargs):
            text = " | ".join(str(a) for a in args[1:3] if isinstance(a, str)) or repr(args[:1])
            raise UnexpectedDialog(f"unexpected modal {kind}: {text}")
        return show

    for kind in ("warning", "information", "question", "critical", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(refuse(f"QMessageBox.{kind}")))
    for kind in ("getOpenFileName", "getSaveFileName", "getExistingDirectory", "getOpenFileNames"):
        monkeypatch.setattr(QFileDialog, kind, staticmethod(refuse(f"QFileDialog.{kind}")))
    for kind in ("getText", "getItem", "getInt", "getDouble"):
        monkeypatch.setattr(QInputDialog, kind, staticmethod(refuse(f"QInputDialog.{kind}")))

    def exec_(self, *args):
        title = self.windowTitle() if hasattr(self, "windowTitle") else ""
        detail = getattr(self, "details", "") or (self.text() if hasattr(self, "text") else "")
        raise UnexpectedDialog(f"unexpected modal {type(self).__name__} {title!r}: {str(detail)[:2000]}")

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "exec", exec_)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "plan.sqlite"


@pytest.fixture
def db(db_path):
    """An empty plan (PAP three-level scale) in a new database file."""
    from send_desktop.services.plan_setup import new_plan
    from send_desktop.storage.database import open_database

    database = open_database(db_path, create=True, user="Test Auditor")
    new_plan(database, "Test plan", "pap3")
    yield database
    database.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    from send_desktop.services.demo import load_demo
    from send_desktop.storage.database import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(path, create=True, user="Demo")
    load_demo(database, today=DEMO_TODAY)
    database.close()
    return path


@pytest.fixture
def demo_db_path(_demo_template, tmp_path) -> Path:
    """A private copy of the demo partnership's database (built once per run)."""
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(_demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_db_path):
    from send_desktop.storage.database import open_database

    database = open_database(demo_db_path, user="Test Auditor")
    yield database
    database.close()


@pytest.fixture
def window(qtbot, demo_db_path):
    """The main window with a private copy of the demo database open."""
    from send_desktop.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_file(demo_db_path)
    return win
