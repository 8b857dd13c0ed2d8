"""The KPIs area on the demo database, driven with qtbot like a person would: the table, the chart
and the entry grid by keyboard, through to the database and its change log."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.conftest import DEMO_TODAY
from tests.helpers import db_contents
from tests.test_kpis import kpi_db  # noqa: F401 - the demo with its KPI set, a fixture

from send_desktop.services.kpi_read import load_kpis
from send_desktop.ui.kpi_entry import COL_CHECK, COL_VALUE, EntryModel
from send_desktop.ui.kpi_table_model import (
    COL_COMPARATORS, COL_LATEST, COL_RAG, COL_REF, COL_TRAVEL, COL_TREND, KPI_ID_ROLE, TREND_ROLE, KpiFilter,
    KpiTableModel,
)


@pytest.fixture
def make_view(qtbot):
    from send_desktop.ui.kpi_view import KpiView

    def make(db):
        view = KpiView(db)
        view.today = DEMO_TODAY
        view.reload()
        qtbot.addWidget(view)
        view.resize(1400, 900)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)
        return view
    return make


@pytest.fixture
def view(make_view, kpi_db):
    return make_view(kpi_db)


def row_for(view, ref: str) -> int:
    model = view.model
    return next(r for r in range(model.rowCount()) if model.index(r, COL_REF).data() == ref)


def log_since(db, last_id: int) -> list[tuple]:
    with db.reading() as con:
        return con.execute("SELECT op, entity, field, new, source FROM change_log WHERE id > ? ORDER BY id",
                           (last_id,)).fetchall()


def last_log_id(db) -> int:
    with db.reading() as con:
        return con.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]


# -- the table ---------------------------------------------------------------------------------

def test_models_pass_the_model_tester(qtmodeltester, kpi_db):
    snap = load_kpis(kpi_db)
    model = KpiTableModel()
    model.set_snapshot(snap)
    qtmodeltester.check(model)
    entry = EntryModel()
    entry.set_rows(snap.kpis, None)
    qtmodeltester.check(entry)


def test_the_table_shows_latest_target_rag_in_colour_and_words(view, kpi_db):
    snap = load_kpis(kpi_db)
    model = view.model
    assert model.rowCount() == len(snap.kpis) and view.count_label.text() == f"{len(snap.kpis)} KPIs"
    r = row_for(view, "2a (i)")
    assert model.index(r, COL_LATEST).data() == "38.9%"
    rag = model.index(r, COL_RAG)
    assert rag.data() == "Red" and rag.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#c0392b")
    assert "21.1 points below the target of 60%" in rag.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(r, COL_COMPARATORS).data().startswith("Worse than National 67%")
    assert model.index(r, COL_TRAVEL).data() == "\u2191 Improving"
    numbers, travel = model.index(r, COL_TREND).data(TREND_ROLE)
    assert numbers[-1] == 38.9 and travel == "improving"
    tbc = model.index(row_for(view, "2a (ii)"), COL_RAG)
    assert tbc.data() == "No number" and tbc.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "'tbc'" in tbc.data(Qt.ItemDataRole.ToolTipRole)
    assert view.grab().width() > 0  # painting the trend lines raises nothing


def test_filter_and_sort(view, qtbot):
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_edit.hasFocus()
    qtbot.keyClicks(view.search_edit, "20 weeks")
    assert {view.model.index(r, COL_REF).data() for r in range(view.model.rowCount())} >= {"2a (i)", "2a (ii)"}
    assert "of" in view.count_label.text()
    view.search_edit.clear()
    view.rag_combo.setCurrentIndex(view.rag_combo.findData("red"))
    assert all(view.model.index(r, COL_RAG).data() == "Red" for r in range(view.model.rowCount()))
    view.rag_combo.setCurrentIndex(0)
    view.model.set_filter(KpiFilter())
    view.table.sortByColumn(COL_RAG, Qt.SortOrder.AscendingOrder)
    labels = [view.model.index(r, COL_RAG).data() for r in range(view.model.rowCount())]
    assert labels[0] == "Red" and labels.index("Amber") < labels.index("Green")


def test_an_empty_file_says_what_to_do(make_view, db):
    view = make_view(db)
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisible() and "Import a KPI workbook" in view.empty_label.text()


# -- the chart ---------------------------------------------------------------------------------

def test_a_kpis_chart_draws_values_target_and_comparators(view, qtbot):
    view.tabs.setCurrentWidget(view.chart)
    kpi = next(k for k in view.snapshot.kpis if k.ref == "2a (i)")
    view.select_kpi(kpi.id)
    qtbot.waitUntil(lambda: view.chart.drawn == kpi)
    ax = view.chart.figure.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "Value" in labels and "Target" in labels and any(label.startswith("National 67%") for label in labels)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "2017/18"
    assert "38.9%" in view.chart.details.text() or "Red" in view.chart.details.text()
    image = view.chart.canvas.grab().toImage()
    assert image.width() > 300 and len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 7)}) > 2


def test_a_text_measure_is_shown_in_words(view, qtbot):
    view.tabs.setCurrentWidget(view.chart)
    words = next(k for k in view.snapshot.kpis if k.unit == "text")
    view.select_kpi(words.id)
    qtbot.waitUntil(lambda: view.chart.drawn == words)
    texts = [t.get_text() for t in view.chart.figure.axes[0].texts]
    assert any("reported in words" in t for t in texts)
    assert words.values[-1].text in view.chart.details.text()


# -- the entry grid ------------------------------------------------------------------------------

def type_cell(qtbot, table, text: str) -> None:
    """Type into the current cell as a person does: the first key opens the editor, Enter leaves it."""
    qtbot.keyClicks(table, text[0])
    editor = QApplication.focusWidget()
    assert editor is not table
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.hasFocus())


def test_entering_a_period_by_keyboard_reaches_the_database_and_the_log(view, kpi_db, qtbot):
    messages = []
    view.statusMessage.connect(messages.append)
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    entry = view.entry
    assert view.tabs.currentWidget() is entry and entry.period_box.hasFocus()
    entry.period_box.lineEdit().selectAll()
    qtbot.keyClicks(entry.period_box.lineEdit(), "Nov-26")
    qtbot.keyClick(entry.period_box.lineEdit(), Qt.Key.Key_Return)
    assert entry.model.period.text == "2026-11"
    entry.focus_grid()
    table = entry.table
    first, second = entry.model.kpi(0), entry.model.kpi(1)
    assert table.currentIndex().row() == 0 and table.currentIndex().column() == COL_VALUE
    type_cell(qtbot, table, "231")
    assert table.currentIndex().row() == 1  # Enter moved down
    type_cell(qtbot, table, "tbc")
    assert "no RAG" in entry.model.index(1, COL_CHECK).data()
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter outside the editor moves down too
    assert table.currentIndex().row() == 3
    assert entry.save_button.isEnabled()
    log_id = last_log_id(kpi_db)
    qtbot.keyClick(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    snap = load_kpis(kpi_db)
    assert snap.kpi(first.id).value_for("2026-11").text == "231"
    assert snap.kpi(second.id).value_for("2026-11").text == "tbc"
    assert snap.kpi(second.id).value_for("2026-11").number is None
    logged = log_since(kpi_db, log_id)
    assert [(op, entity, source) for op, entity, _f, _n, source in logged] == [("insert", "kpi_value", "window")] * 2
    assert messages and "Nov 2026: 2 added" in messages[-1]
    assert not entry.save_button.isEnabled() and entry.model.pending() == {}
    assert view.model.index(view.model.row_of(first.id), COL_LATEST).data() == "231"


def test_a_bad_value_is_explained_and_not_saved(view, kpi_db, demo_db_path, qtbot):
    entry = view.entry
    view.focus_entry()
    assert entry.set_period("2026-11")
    entry.focus_grid()
    percent_row = next(r for r in range(entry.model.rowCount()) if entry.model.kpi(r).unit == "%")
    entry.table.setCurrentIndex(entry.model.index(percent_row, COL_VALUE))
    before = db_contents(demo_db_path)
    type_cell(qtbot, entry.table, "847%")
    assert "between 0 and 100" in entry.model.index(percent_row, COL_CHECK).data()
    assert not entry.save_button.isEnabled() and "847%" in entry.message.text()
    qtbot.keyClick(entry.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert db_contents(demo_db_path) == before
    assert not entry.set_period("2026-12")  # unsaved values hold the period until saved or discarded
    assert "Save or discard" in entry.message.text()
    entry.discard()
    assert entry.set_period("Q3 2026") is False and "Q2 2026/27" in entry.message.text()


def test_a_read_only_file_cannot_be_typed_into(make_view, demo_db_path, kpi_db):
    from send_desktop.storage.database import open_database

    kpi_db.close()
    other = open_database(demo_db_path, read_only=True, user="Reader")
    try:
        view = make_view(other)
        assert view.banner.isVisible()
        view.entry.set_period("2026-11")
        index = view.entry.model.index(0, COL_VALUE)
        assert not view.entry.model.flags(index) & Qt.ItemFlag.ItemIsEditable
        assert "read-only" in view.entry.message.text()
    finally:
        other.close()


def test_the_table_keeps_its_place_on_reload(view):
    kpi = next(k for k in view.snapshot.kpis if k.ref == "3a")
    view.select_kpi(kpi.id)
    view.reload()
    assert view.current_kpi().id == kpi.id
    assert view.table.currentIndex().data(KPI_ID_ROLE) == kpi.id


def test_in_the_window_the_keys_reach_the_kpis_area(qtbot, kpi_db, demo_db_path):
    """The area as the main window builds it: its keys are not taken by the window's own."""
    from send_desktop.ui import app as app_module

    kpi_db.close()  # the window opens the file itself
    window = app_module.start(str(demo_db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_area("KPIs")
    view = window.area_view("KPIs")
    view.today = DEMO_TODAY
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.tabs.currentWidget() is view.entry
    assert view.entry.set_period("2026-11")
    view.entry.focus_grid()
    type_cell(qtbot, view.entry.table, "42")
    kpi = view.entry.model.kpi(0)
    qtbot.keyClick(view.entry.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_kpis(window.db).kpi(kpi.id).value_for("2026-11").text == "42"
    assert "Nov 2026: 1 added" in window.statusBar().currentMessage()
