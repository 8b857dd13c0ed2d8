"""The window's keys mean one thing in every area: no area takes a key of the window's menus.

File > Export… is Ctrl+Shift+E in every area, the KPIs area included, where entering values has
its own key (Ctrl+Shift+K); both are pressed on the real window, as a user would.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from send_desktop.ui.kpi_view import ENTER_VALUES_SHORTCUT
from send_desktop.ui.main_window import EXPORT_DIALOG_SHORTCUT, LAZY_AREAS


def _keys(objects) -> dict[str, list[str]]:
    """Each key sequence (as text) of `objects` (actions and shortcuts) -> what has it."""
    out: dict[str, list[str]] = {}
    for obj in objects:
        sequences = obj.shortcuts() if isinstance(obj, QAction) else [obj.key()]
        what = obj.text() if isinstance(obj, QAction) else f"{type(obj.parent()).__name__} shortcut"
        for seq in sequences:
            if not seq.isEmpty():
                out.setdefault(seq.toString(), []).append(what.replace("&", ""))
    return out


def _shown_active(qtbot, window) -> None:
    window.resize(1300, 800)
    window.show()
    window.activateWindow()  # shortcuts and focus work only in the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_in_the_kpis_area_ctrl_shift_e_exports_and_ctrl_shift_k_enters_values(qtbot, window):
    _shown_active(qtbot, window)
    window.show_area("KPIs")
    view = window.area_view("KPIs")
    assert window.current_area() == "KPIs"
    assert window.export_dialog_act.isEnabled()
    assert window.export_dialog_act.shortcut() == QKeySequence(EXPORT_DIALOG_SHORTCUT) == QKeySequence("Ctrl+Shift+E")
    assert "Ctrl+Shift+K" in view.tabs.tabToolTip(view.tabs.indexOf(view.entry))

    view.table.setFocus()
    assert view.tabs.currentWidget() is view.chart
    qtbot.keySequence(view.table, QKeySequence(ENTER_VALUES_SHORTCUT))
    assert view.tabs.currentWidget() is view.entry  # the entry grid, its period list to start from
    assert view.entry.isAncestorOf(window.focusWidget())

    view.tabs.setCurrentWidget(view.chart)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = getattr(window, "export_dialog_window", None)
    assert dialog is not None and dialog.isVisible()  # File > Export…, as in every other area
    assert view.tabs.currentWidget() is view.chart  # and nothing else
    dialog.close()


def test_no_area_takes_a_key_of_the_window_menus(qtbot, window):
    _shown_active(qtbot, window)
    own = _keys(a for a in window.findChildren(QAction) if a.parent() is window)
    assert own["Ctrl+Shift+E"] == ["Export…"]
    every: set[str] = set()
    for name in ["Plan"] + [area for area, _spec, _key in LAZY_AREAS]:
        window.show_area(name)
        view = window.plan_view if name == "Plan" else window.area_view(name)
        taken = _keys([*view.findChildren(QAction), *view.findChildren(QShortcut)])
        every |= set(taken)
        clashes = {key: (own[key], used) for key, used in taken.items() if key in own}
        assert clashes == {}, f"in the {name} area"
        assert window.export_dialog_act.shortcut() == QKeySequence(EXPORT_DIALOG_SHORTCUT), name
    # the areas' own keys were all looked at: the plan's, the risks', the meeting workspace's, the KPIs'
    assert {"Ctrl+F", "Ctrl+U", "Ctrl+M", "Ctrl+Shift+C", ENTER_VALUES_SHORTCUT, "Ctrl+S"} <= every
