"""The Risk register area on the real demo database, driven with qtbot like a person would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from send_desktop.core.risk_matrix import trend
from send_desktop.services.risk_read import RiskFilter, filter_risks, load_register
from send_desktop.storage.models import ChangeLog
from send_desktop.ui.risk_table_model import COL_NEXT_REVIEW, COL_SCORE, COL_TREND, RiskTableModel

from tests.test_risks import risk_db  # noqa: F401 - the shared fixture

TODAY = dt.date(2026, 11, 1)



@pytest.fixture
def view(qtbot, risk_db):
    from send_desktop.ui.risk_view import RiskRegisterView

    v = RiskRegisterView(risk_db)
    v.today = TODAY
    v.reload()
    qtbot.addWidget(v)
    v.resize(1400, 850)
    v.show()
    qtbot.waitExposed(v)
    v.activateWindow()
    qtbot.waitUntil(v.isActiveWindow)
    v.heat_map  # built just after the first paint; here, now
    return v


@pytest.fixture
def warnings(monkeypatch):
    """Messages the area shows through the one error path (QMessageBox.warning)."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    return shown


def register(db):
    return load_register(db, today=TODAY)


def shown_refs(view) -> list[str]:
    return [r.ref for r in view.model.rows()]


def pick(view, ref) -> None:
    rid = next(r.id for r in view.register.risks if r.ref == ref)
    assert view.select_risk(rid)
    assert view.current_risk().ref == ref


# -- the model ---------------------------------------------------------------------------------

def test_model_passes_qt_model_tester_and_never_shows_colour_alone(qapp, qtmodeltester, risk_db):
    reg = register(risk_db)
    model = RiskTableModel()
    model.set_rows(reg.risks, reg.matrix)
    qtmodeltester.check(model)
    for row, r in enumerate(model.rows()):
        score = model.index(row, COL_SCORE)
        assert score.data() == f"{r.score}  {r.band.name}"  # the band's name with its colour
        assert score.data(Qt.ItemDataRole.BackgroundRole).name() == r.band.colour
        trend = model.index(row, COL_TREND).data()
        assert trend.split()[0] in ("\u25b2", "\u25bc", "\u25b6", "\u2014")
        due = model.index(row, COL_NEXT_REVIEW)
        assert due.data().startswith("\u26a0") == r.review_overdue
        if r.review_overdue:
            assert due.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Overdue")
    model.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    scores = [r.score for r in model.rows()]
    assert scores == sorted(scores, reverse=True)
    qtmodeltester.check(model)


# -- filters -----------------------------------------------------------------------------------

def test_filters_show_the_expected_risks(view, risk_db):
    reg = register(risk_db)
    bar, total = view.filter_bar, len(reg.risks)
    assert view.model.rowCount() == total and bar.count_label.text() == f"{total} of {total} risks"

    def expect(rule):
        wanted = [r.ref for r in reg.risks if rule(r)]
        assert sorted(shown_refs(view)) == sorted(wanted) and 0 < len(wanted) < total
        assert bar.count_label.text() == f"{len(wanted)} of {total} risks"

    harm = next(c for c in reg.categories if c.name == "Harm to children")
    bar.category_combo.setCurrentIndex(bar.category_combo.findData(harm.id))
    expect(lambda r: r.category_id == harm.id)
    bar.board_check.setChecked(True)
    expect(lambda r: r.category_id == harm.id and r.for_board)
    bar.clear()
    bar.owner_combo.setCurrentIndex(bar.owner_combo.findData("Lucy Hartnell"))
    expect(lambda r: r.owner == "Lucy Hartnell")
    bar.clear()
    bar.band_combo.setCurrentIndex(bar.band_combo.findData("High"))
    expect(lambda r: r.band.name == "High")
    bar.clear()
    bar.overdue_check.setChecked(True)
    expect(lambda r: r.review_overdue)
    bar.clear()
    p3 = next(p for p in reg.priorities if p.ref == "3")
    bar.priority_combo.setCurrentIndex(bar.priority_combo.findData(p3.id))
    expect(lambda r: p3.id in r.priority_ids)
    bar.clear()
    bar.closed_check.setChecked(False)
    expect(lambda r: r.status != "closed")
    bar.clear()
    bar.search_edit.setText("waiting list")
    expect(lambda r: "waiting list" in "\n".join((r.title, r.cause, r.event, r.effect, r.controls,
                                                  *(m.text for m in r.mitigations))).lower())
    bar.clear()
    assert view.model.rowCount() == total and not bar.clear_button.isEnabled()


def _cell_point(heat_map, lk: int, im: int) -> QPoint:
    """Where a cell's centre is on the canvas, in widget coordinates (matplotlib counts pixels from
    the bottom, in device pixels)."""
    x, y = heat_map.ax.transData.transform((im, lk))
    ratio = heat_map.devicePixelRatioF()
    return QPoint(round(x / ratio), round(heat_map.height() - y / ratio))


def test_clicking_a_heat_map_cell_filters_the_table(view, risk_db, qtbot):
    reg = register(risk_db)
    hm = view.heat_map
    live = [r for r in reg.risks if r.status != "closed"]
    assert sum(hm.counts.values()) == len(live)
    cell = max(hm.counts, key=hm.counts.get)
    qtbot.mouseClick(hm, Qt.MouseButton.LeftButton, pos=_cell_point(hm, *cell))
    assert hm.selected == cell
    assert sorted(shown_refs(view)) == sorted(r.ref for r in live if (r.likelihood, r.impact) == cell)
    button = view.filter_bar.cell_button
    assert button.isVisible() and f"L{cell[0]} \u00d7 I{cell[1]}" in button.text()
    # other filters narrow the heat map as well; the cell stays chosen
    view.filter_bar.board_check.setChecked(True)
    assert sum(hm.counts.values()) == sum(r.for_board for r in live)
    view.filter_bar.board_check.setChecked(False)
    qtbot.mouseClick(hm, Qt.MouseButton.LeftButton, pos=_cell_point(hm, *cell))  # the same cell again: all cells
    assert hm.selected is None and view.model.rowCount() == len(reg.risks)
    assert not view.filter_bar.cell_button.isVisible()


def test_the_heat_map_works_from_the_keyboard(view, risk_db, qtbot):
    hm = view.heat_map
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(hm.hasFocus)
    hm.cursor = (3, 3)
    qtbot.keyClick(hm, Qt.Key.Key_Up)
    qtbot.keyClick(hm, Qt.Key.Key_Right)
    qtbot.keyClick(hm, Qt.Key.Key_Return)
    assert hm.selected == (4, 4)
    assert shown_refs(view) and all((r.likelihood, r.impact) == (4, 4) for r in view.model.rows())
    qtbot.keyClick(hm, Qt.Key.Key_Escape)
    assert hm.selected is None and view.model.rowCount() == len(view.register.risks)


def test_previous_positions_are_counted_for_the_faint_marks(view, risk_db):
    live = [r for r in register(risk_db).risks if r.status != "closed" and r.previous]
    hm = view.heat_map
    assert sum(hm.previous.values()) == len(live)
    moved = [r for r in live if (r.previous.likelihood, r.previous.impact) != (r.likelihood, r.impact)]
    assert sum(hm.moves.values()) == len(moved) > 0


# -- re-assessing with the keyboard ------------------------------------------------------------------

def test_reassess_with_the_keyboard(view, risk_db, qtbot):
    target = next(r for r in register(risk_db).risks if r.status == "open" and (r.likelihood, r.impact) != (2, 3))
    pick(view, target.ref)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == f"Re-assess {target.ref}"
    qtbot.waitUntil(dialog.likelihood.hasFocus)
    qtbot.keyClick(dialog.likelihood, Qt.Key.Key_2)
    qtbot.waitUntil(dialog.impact.hasFocus)  # a digit picks and moves on
    qtbot.keyClick(dialog.impact, Qt.Key.Key_3)
    qtbot.waitUntil(dialog.note_edit.hasFocus)
    qtbot.keyClicks(dialog.note_edit, "Extra capacity in place")
    assert dialog.result_chip.text() == "6 Moderate"
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    r = register(risk_db).risk(target.id)
    assert (r.likelihood, r.impact, r.score) == (2, 3, 6)
    assert (r.history[-1].date, r.history[-1].note) == (TODAY, "Extra capacity in place")
    assert r.trend == trend(target.score, 6)
    assert view.current_risk().id == target.id and view.current_risk().score == 6
    with risk_db.session() as s:
        logged = s.scalars(select(ChangeLog).where(ChangeLog.entity == "risk_assessment", ChangeLog.op == "insert")
                           .order_by(ChangeLog.id.desc())).first()
        assert logged.source == "window" and "Extra capacity in place" in logged.new


def test_escape_cancels_a_reassessment(view, risk_db, qtbot):
    pick(view, view.register.risks[0].ref)
    before = len(view.current_risk().history)
    dialog = view.reassess_selected()
    qtbot.waitUntil(dialog.likelihood.hasFocus)
    qtbot.keyClick(dialog.likelihood, Qt.Key.Key_5)
    qtbot.keyClick(dialog.impact, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and len(register(risk_db).risks[0].history) == before


# -- the detail pane -----------------------------------------------------------------------------

def test_detail_edit_reaches_the_database_and_the_change_log(view, risk_db, qtbot):
    target = view.register.risks[2]
    pick(view, target.ref)
    edit = view.detail.owner_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "Helen Marchbank")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert register(risk_db).risk(target.id).owner == "Helen Marchbank"
    assert view.current_risk().owner == "Helen Marchbank"
    with risk_db.session() as s:
        row = s.scalars(select(ChangeLog).where(ChangeLog.entity == "risk", ChangeLog.field == "owner")).one()
        assert (row.entity_id, row.old, row.new, row.source) == (target.id, target.owner, "Helen Marchbank", "window")

    combo = view.detail.levels["target_impact"]
    combo.setCurrentIndex(combo.findData(1))
    combo.activated.emit(combo.currentIndex())
    assert register(risk_db).risk(target.id).target_impact == 1
    view.detail.status_combo.setCurrentIndex(view.detail.status_combo.findData("escalated"))
    view.detail.status_combo.activated.emit(view.detail.status_combo.currentIndex())
    assert register(risk_db).risk(target.id).for_board


def test_a_bad_date_in_the_detail_pane_is_refused_with_its_message(view, risk_db, qtbot, warnings):
    target = view.register.risks[0]
    pick(view, target.ref)
    edit = view.detail.next_review_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "next spring")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert warnings == ["Next review date: 'next spring' is not a date; write it as dd/mm/yyyy."]
    assert register(risk_db).risk(target.id).next_review == target.next_review
    assert edit.text() == target.next_review.strftime("%d/%m/%Y")  # the stored value is shown again


def test_links_and_mitigations_from_the_detail_pane(view, risk_db, qtbot, warnings):
    target = next(r for r in view.register.risks if not r.action_ids)
    pick(view, target.ref)
    view.detail.actions_edit.set_value("")
    view.detail.actions_edit.setText("5.2.1; 3.1.1")
    view.detail.actions_edit.committed.emit("5.2.1; 3.1.1")
    assert register(risk_db).risk(target.id).action_refs == ("3.1.1", "5.2.1")
    view.detail.actions_edit.committed.emit("9.9.9")
    assert "The plan has no action 9.9.9" in warnings[0]
    item = view.detail.priority_list.item(4)
    item.setCheckState(Qt.CheckState.Checked)
    assert register(risk_db).risk(target.id).priority_refs[-1] == "5"

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    qtbot.keyClicks(dialog.text_edit, "Weekly call with the provider")
    dialog.owner_edit.setText("Sunita Chowdhury")
    dialog.due_edit.setText("31/01/2027")
    dialog.accept()
    after = register(risk_db).risk(target.id)
    assert after.mitigations[-1].text == "Weekly call with the provider"
    assert after.mitigations[-1].due_date == dt.date(2027, 1, 31)


def test_add_and_delete_a_risk(view, risk_db, qtbot, monkeypatch):
    total = len(view.register.risks)
    dialog = view.add_risk()
    qtbot.waitUntil(dialog.title_edit.hasFocus)
    qtbot.keyClicks(dialog.title_edit, "Short breaks provider withdraws")
    dialog.category_combo.setCurrentText("Operational")
    qtbot.keyClick(dialog.likelihood, Qt.Key.Key_4)
    qtbot.keyClick(dialog.impact, Qt.Key.Key_3)
    dialog.accept()
    reg = register(risk_db)
    new = next(r for r in reg.risks if r.title == "Short breaks provider withdraws")
    assert (len(reg.risks), new.ref, new.score, new.category) == (total + 1, "R27", 12, "Operational")
    assert view.current_risk().id == new.id
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert asked and asked[0].startswith("Delete R27")
    assert len(register(risk_db).risks) == total


def test_the_score_history_chart_follows_the_selection(view, risk_db):
    target = view.register.risks[5]
    pick(view, target.ref)
    chart = view.history_chart
    assert chart.risk.id == target.id
    line = chart.ax.get_lines()[0]
    assert list(line.get_ydata())[:-1] == [a.score for a in target.history]
    assert any(t.get_text().startswith("Target") for t in chart.ax.get_legend().get_texts())


def test_a_read_only_file_cannot_be_edited(qtbot, demo_db_path, risk_db):
    from send_desktop.storage.database import open_database
    from send_desktop.ui.risk_view import RiskRegisterView

    other = open_database(demo_db_path, user="Someone else")  # the fixture holds the lock: read-only
    try:
        v = RiskRegisterView(other)
        qtbot.addWidget(v)
        assert other.read_only and v.banner.text().startswith("\u26a0")
        assert not v.reassess_button.isEnabled() and not v.add_button.isEnabled()
        assert v.reassess_selected() is None
    finally:
        other.close()


def test_no_file_open_shows_an_empty_register(view):
    view.set_database(None)
    assert view.register is None and view.model.rowCount() == 0 and view.current_risk() is None
    assert not view.add_button.isEnabled() and view.reassess_selected() is None
    assert view.detail.empty.isVisible() and not view.detail.tabs.isVisible()


def test_the_register_renders_offscreen(view, tmp_path):
    for name, widget in (("register", view), ("heat-map", view.heat_map), ("history", view.history_chart)):
        image = widget.grab().toImage()
        assert image.width() > 200 and not image.isNull(), name
        assert widget.grab().save(str(tmp_path / f"risk-{name}.png"))


def test_filter_rows_match_the_service_filter(view, risk_db):
    reg = register(risk_db)
    view.filter_bar.band_combo.setCurrentIndex(view.filter_bar.band_combo.findData("Extreme"))
    assert shown_refs(view) == [r.ref for r in filter_risks(reg, RiskFilter(band="Extreme"))]
