"""The first paint does without PySide6's `Qt` namespace (see `send_desktop.ui.app`), and what
waits until just after it is in place before anyone can use the window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from send_desktop.ui import app as app_module
from send_desktop.ui.plan_tree_model import COL_DUE, COL_WORKSTREAM, COLUMNS

ROOT = Path(__file__).resolve().parent.parent

PROBE = '''
import enum, sys
built = []
create = enum.EnumType._create_
def watch(*args, **kwargs):
    made = create(*args, **kwargs)
    built.append(made.__name__)
    return made
enum.EnumType._create_ = watch
from send_desktop.ui import app
report = app._report_first_paint_and_quit
def reported():
    print("BEFORE_PAINT", ",".join(built), flush=True)
    report()
app._report_first_paint_and_quit = reported
sys.exit(app.run_gui(sys.argv[1]))
'''


@pytest.mark.slow
def test_the_first_paint_does_not_build_the_qt_namespace(demo_db_path, _user_home, tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "SEND_DESKTOP_HOME": str(_user_home), "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "offscreen", "SEND_DESKTOP_EXIT_AFTER_PAINT": "1"}
    done = subprocess.run([sys.executable, str(probe), str(demo_db_path)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("BEFORE_PAINT"))
    built = set(line.split()[1].split(",")) if len(line.split()) > 1 else set()
    assert "Type" in built  # the probe sees the enums made before the paint (QEvent.Type, for one)
    # AlignmentFlag, ItemDataRole and Orientation are three of the 93 enums of Qt's namespace,
    # which are all made at once the first time anything touches it.
    assert not built & {"AlignmentFlag", "ItemDataRole", "Orientation"}, "the first paint built the Qt namespace"


def _painted_window(qtbot, path):
    window = app_module.start(str(path))
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    view = window.plan_view
    qtbot.waitUntil(lambda: view._detail is not None)  # made just after the first paint
    return window, view


def test_after_the_first_paint_the_tree_keys_work_only_in_the_tree(qtbot, demo_db_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    window, view = _painted_window(qtbot, demo_db_path)
    tree_only = Qt.ShortcutContext.WidgetWithChildrenShortcut
    for action in (view.add_action_act, view.delete_act, view.move_up_act, view.move_down_act):
        assert action.shortcutContext() == tree_only, action.text()
    for action in (view.add_update_act, view.find_act):
        assert action.shortcutContext() == Qt.ShortcutContext.WindowShortcut, action.text()
    assert view.add_action_act.shortcut().toString() == "Ins"
    assert window.nav.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff

    # Delete typed in the search field edits the text; it does not delete the selected plan item.
    count = view.model.total_action_count()
    view.focus_search()
    qtbot.keyClicks(view.filter_bar.search_edit, "ab")
    qtbot.keyClick(view.filter_bar.search_edit, Qt.Key.Key_Home)
    qtbot.keyClick(view.filter_bar.search_edit, Qt.Key.Key_Delete)
    assert view.filter_bar.search_edit.text() == "b"
    assert view.model.total_action_count() == count


def test_the_plan_header_shows_its_titles_and_the_due_tip(qtbot, demo_db_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    window, view = _painted_window(qtbot, demo_db_path)
    header = view.tree.header()
    titles = [header.model().headerData(col, Qt.Orientation.Horizontal) for col in range(header.count())]
    assert titles == list(COLUMNS)
    assert "overdue" in header.model().headerData(COL_DUE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert header.count() == view.model.columnCount()
    # The header and the rows stay in step: a section widened in the header widens the cells under it.
    outcome = view.model.index(0, 0, view.model.index(0, 0))
    cell = view.model.index(0, COL_WORKSTREAM, outcome)  # the first action's Workstream
    before = view.tree.visualRect(cell).width()
    header.resizeSection(COL_WORKSTREAM, header.sectionSize(COL_WORKSTREAM) + 40)
    QApplication.processEvents()
    assert view.tree.visualRect(cell).width() == before + 40
    # A click on a cell selects the row under it.
    second = view.model.index(1, COL_DUE, outcome)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=view.tree.visualRect(second).center())
    assert view.model.key(view.tree.currentIndex()) == view.model.key(second)
