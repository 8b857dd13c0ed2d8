"""The dashboard on the demo database: its cards, and a click on a chart showing the records behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from send_desktop.services.plan_read import load_plan

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def dashboard(qtbot, demo_db):
    from send_desktop.ui.dashboard_view import DashboardView

    view = DashboardView(demo_db)
    view.today = TODAY
    view.reload()
    qtbot.addWidget(view)
    view.resize(1320, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


def click_artist(qtbot, card, artist) -> None:
    """A real mouse click on the middle of a bar, through Qt, as a person would."""
    card.canvas.draw()
    box = artist.get_window_extent()
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    ratio = card.canvas.device_pixel_ratio or 1
    height = card.canvas.figure.bbox.height
    qtbot.mouseClick(card.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(x / ratio), int((height - y) / ratio)))


def test_the_cards_show_the_plan_as_it_stands(dashboard, demo_db):
    snap = load_plan(demo_db, today=TODAY)
    red = sum(1 for a in snap.actions() if a.level and a.level.label == "Red")
    assert {"plan_priority", "plan_workstream", "plan_due", "plan_moves"} <= set(dashboard.cards)
    summary = dashboard.cards["plan_workstream"].summary.text()
    assert summary.startswith(f"{len(snap.actions())} actions:") and f"{red} Red" in summary
    overdue = [a.ref for a in snap.actions() if a.overdue]
    assert dashboard.cards["plan_due"].summary.text().startswith(f"{len(overdue)} actions overdue")
    assert "No pack has been issued yet" in dashboard.cards["plan_moves"].summary.text()
    assert "EHCPs and annual reviews" in dashboard.cards["plan_workstream"].canvas.accessibleDescription()


def test_clicking_a_bar_asks_for_exactly_the_actions_behind_it(qtbot, dashboard, demo_db):
    snap = load_plan(demo_db, today=TODAY)
    card = dashboard.cards["plan_workstream"]
    bar = next(b for b in card.figure.axes[0].patches
               if card._keys.get(id(b), (None,))[0] == "workstream" and card._keys[id(b)][2] == "Red")
    _kind, workstream, status = card._keys[id(bar)]
    with qtbot.waitSignal(dashboard.recordsRequested, timeout=3000) as signal:
        click_artist(qtbot, card, bar)
    area, filters = signal.args
    expected = sorted(a.ref for a in snap.actions() if a.workstream == workstream and a.level
                      and a.level.label == status)
    assert area == "Plan" and sorted(filters["refs"]) == expected and expected


def test_the_window_shows_those_actions_in_the_plan(qtbot, demo_db):
    from send_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_database(demo_db)
    refs = ["2.2.2", "2.2.3"]
    window.show_records("Plan", {"refs": refs, "label": "overdue actions"})
    assert window.current_area() == "Plan"
    view = window.plan_view
    assert view.model.visible_action_count() == 2
    assert "overdue actions (2)" in view.filter_bar.selection_label.text()
    view.filter_bar.clear()
    assert view.model.visible_action_count() == len(load_plan(demo_db).actions())
