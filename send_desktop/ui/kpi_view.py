"""The KPIs area of the main window: the KPI table over a chart and the grid for entering values.

The view reads the database only through `load_kpis` and writes only through `services.kpis`
(one transaction per save). The table shows each KPI's latest value, its target, the RAG rating
as colour and word, its position against comparators, the direction of travel and a trend line;
below it the current KPI's chart, or the entry grid for a whole period.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from send_desktop.core import kpi_values as kv
from send_desktop.errors import UserError
from send_desktop.services.kpi_read import KpiSnapshot, load_kpis
from send_desktop.ui.kpi_chart import KpiChart
from send_desktop.ui.kpi_entry import KpiEntryGrid
from send_desktop.ui.kpi_table_model import (
    COL_COMPARATORS, COL_LATEST, COL_MEASURE, COL_PERIOD, COL_RAG, COL_REF, COL_TARGET, COL_TRAVEL, COL_TREND, NO_RAG,
    KpiFilter, KpiTableModel, TrendDelegate,
)
from send_desktop.ui.widgets import show_error, swatch_icon

COLUMN_WIDTHS = {COL_REF: 62, COL_LATEST: 118, COL_PERIOD: 82, COL_TARGET: 104, COL_RAG: 84, COL_COMPARATORS: 250,
                 COL_TRAVEL: 104, COL_TREND: 110}
#: Enter values: the entry grid for a period. Ctrl+Shift+E is File > Export… everywhere, Ctrl+E
#: exports the plan and Ctrl+Enter saves or submits in other areas, so the grid has its own key.
ENTER_VALUES_SHORTCUT = "Ctrl+Shift+K"
EMPTY_TEXT = ("No KPIs in this file yet. Import a KPI workbook (File \u203a Import \u203a KPIs\u2026) "
              "to add the board's measures, targets and values.")


class KpiView(QWidget):
    statusMessage = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = None
        self._snapshot: KpiSnapshot | None = None
        #: The date the entry grid offers periods from; None means the real today (tests pin it).
        self.today: dt.date | None = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff3b0; color: #3d3000; border: 1px solid #e0c84a;"
                                  " border-radius: 3px; padding: 6px 10px; }")
        self.banner.hide()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Find a KPI by ref, measure or officer (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.rag_combo = QComboBox()
        self.rag_combo.setToolTip("Show only KPIs with this RAG rating")
        self.rag_combo.addItem("All RAG ratings", None)
        for status in (kv.RED_, kv.AMBER_, kv.GREEN_):
            self.rag_combo.addItem(swatch_icon(kv.RAG_COLOURS[status]), kv.RAG_LABELS[status], status)
        self.rag_combo.addItem("No RAG rating", NO_RAG)
        self.priority_combo = QComboBox()
        self.priority_combo.setToolTip("Show only KPIs linked to this priority")
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search_edit, 2)
        bar.addWidget(self.rag_combo)
        bar.addWidget(self.priority_combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.model = KpiTableModel(self)
        self.table = self._make_table()
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #555; padding: 16px;")
        self.empty_label.hide()
        self.chart = KpiChart()
        self.entry = KpiEntryGrid()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.chart, "&Chart")
        # Mnemonics and keys clear of the window's own: Alt+E is the Edit menu, Ctrl+E exports the plan.
        self.tabs.addTab(self.entry, "E&nter values")
        self.tabs.setTabToolTip(1, f"Enter a period's values for every KPI ({ENTER_VALUES_SHORTCUT})")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.empty_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([430, 400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.search_edit.textChanged.connect(self._apply_filter)
        self.rag_combo.currentIndexChanged.connect(self._apply_filter)
        self.priority_combo.currentIndexChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.table.activated.connect(lambda _index: self.tabs.setCurrentWidget(self.chart))
        self.entry.saveRequested.connect(self._save_values)
        find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        enter = QShortcut(QKeySequence(ENTER_VALUES_SHORTCUT), self,
                          context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        enter.activated.connect(self.focus_entry)
        self.set_database(db)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the board's own order until a header is clicked
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.setItemDelegateForColumn(COL_TREND, TrendDelegate(table))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_MEASURE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for col, width in COLUMN_WIDTHS.items():
            header.resizeSection(col, width)
        return table

    # -- the interface the main window uses ---------------------------------------------------------

    @property
    def db(self):
        return self._db

    @property
    def snapshot(self) -> KpiSnapshot | None:
        return self._snapshot

    def set_database(self, db) -> None:
        self._db = db
        read_only = bool(db is not None and db.read_only)
        self.banner.setText("\u26a0  " + db.read_only_message() if read_only else "")
        self.banner.setVisible(read_only)
        self.table.selectionModel().clearCurrentIndex()
        self.reload()

    def reload(self) -> None:
        """Re-read the KPIs, keeping the current KPI, the filter and the scroll position."""
        current = self.current_kpi()
        scroll = self.table.verticalScrollBar().value()
        self._snapshot, problem = None, ""
        if self._db is not None:
            try:
                self._snapshot = load_kpis(self._db)
            except UserError as exc:
                problem = exc.message
        self._fill_priorities()
        self.model.set_snapshot(self._snapshot, self._filter())
        self.entry.today = self.today
        self.entry.set_snapshot(self._snapshot, read_only=bool(self._db is None or self._db.read_only))
        empty = not self.model.total_count()
        self.empty_label.setText(problem or (EMPTY_TEXT if self._db is not None else "Open a file to see its KPIs."))
        self.empty_label.setVisible(empty)
        self.table.verticalScrollBar().setValue(scroll)
        self.select_kpi(current.id if current else None, scroll_to=False)
        self._update_count()

    # -- selection ---------------------------------------------------------------------------------

    def show_records(self, filters: dict) -> None:
        """Select the KPI another area points at: {"kpi_uid": uid}."""
        uid = filters.get("kpi_uid")
        found = next((k for k in self.model.all_kpis() if k.uid == uid), None) if uid else None
        if found is not None:
            if self.model.row_of(found.id) < 0:  # hidden by the filters: clear them
                for widget in (self.search_edit, self.rag_combo, self.priority_combo):
                    widget.blockSignals(True)
                self.search_edit.clear()
                self.rag_combo.setCurrentIndex(0)
                self.priority_combo.setCurrentIndex(0)
                for widget in (self.search_edit, self.rag_combo, self.priority_combo):
                    widget.blockSignals(False)
                self._apply_filter()
            self.select_kpi(found.id)
        self.table.setFocus()

    def current_kpi(self):
        return self.model.kpi(self.table.currentIndex())

    def select_kpi(self, kpi_id: int | None, scroll_to: bool = True) -> None:
        row = self.model.row_of(kpi_id)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            index = self.model.index(row, COL_REF)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            if scroll_to:
                self.table.scrollTo(index)
        self._show_current()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def focus_entry(self) -> None:
        self.tabs.setCurrentWidget(self.entry)
        if self.entry.model.period is None:
            self.entry.period_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.entry.focus_grid()

    # -- internals ------------------------------------------------------------------------------------

    def _filter(self) -> KpiFilter:
        return KpiFilter(self.search_edit.text(), self.rag_combo.currentData(), self.priority_combo.currentData())

    def _fill_priorities(self) -> None:
        chosen = self.priority_combo.currentData()
        self.priority_combo.blockSignals(True)
        self.priority_combo.clear()
        self.priority_combo.addItem("All priorities", None)
        for pid, ref in (self._snapshot.priorities if self._snapshot else []):
            self.priority_combo.addItem(f"Priority {ref}", pid)
        self.priority_combo.setCurrentIndex(max(0, self.priority_combo.findData(chosen)))
        self.priority_combo.blockSignals(False)

    def _apply_filter(self, *_args) -> None:
        current = self.current_kpi()
        self.model.set_filter(self._filter())
        self.select_kpi(current.id if current else None, scroll_to=True)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.visible_count(), self.model.total_count()
        self.count_label.setText(f"{total} KPIs" if shown == total else f"{shown} of {total} KPIs")

    def _show_current(self) -> None:
        self.chart.show_kpi(self.current_kpi())

    def _save_values(self, period: str, values: dict) -> None:
        from send_desktop.services.kpis import PeriodValuesError, save_period_values

        try:
            result = save_period_values(self._db, period, values)
        except PeriodValuesError as exc:
            self.entry.refused(exc.problems)
            show_error(self, exc, "Values not saved")
            return
        except Exception as exc:  # noqa: BLE001 - one error path: a UserError's words, or "unexpected"
            show_error(self, exc, "Values not saved")
            return
        self.entry.saved()
        self.reload()
        self.statusMessage.emit(f"Saved KPI values for {result.summary()}")
