"""The Risk register area: a summary line, the filter bar, the register table, and below it the
heat map, the selected risk's score history and its detail pane.

The view reads the database only through `risk_read.load_register` (plain sqlite3, no ORM), so
the table shows at once; the charts are built just after the first paint, since matplotlib takes
a third of a second to import. Every change goes through `services.risks` (one transaction each,
change-logged), then the view re-reads the register and selects what was touched. Refused input
comes back through `show_error` with the service's message, and the form shows the stored value.

Keys: Ctrl+F search; Ctrl+U re-assess (as Ctrl+U adds an update in the Plan; Ctrl+R would clash
with Reload on macOS); Insert and Delete add and delete a risk (in the table); Ctrl+M add a
mitigation; Ctrl+Shift+H the heat map; Escape from the detail pane back to the table.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from send_desktop.errors import UserError
from send_desktop.services.risk_read import RiskFilter, RiskRegister, RiskRow, filter_risks, load_register
from send_desktop.ui.risk_detail import RiskDetailPane
from send_desktop.ui.risk_filter_bar import RiskFilterBar
from send_desktop.ui.risk_table_model import (
    COL_CATEGORY, COL_FLAGS, COL_INHERENT, COL_LI, COL_NEXT_REVIEW, COL_OWNER, COL_REF, COL_SCORE, COL_STATUS,
    COL_TARGET, COL_TITLE, COL_TREND, RiskTableModel,
)
from send_desktop.ui import risk_view_edits as edits

#: Starting widths as the text each column must show whole ("bold" ones are drawn in bold);
#: the Risk column takes what is left, owner and category names are cut with an ellipsis.
COLUMN_SAMPLES = {COL_REF: ("R00", False), COL_CATEGORY: ("Harm to children", False),
                  COL_OWNER: ("Gareth Pennington", False), COL_LI: ("5 \u00d7 5", False),
                  COL_SCORE: ("25  Moderate", True), COL_INHERENT: ("25  Moderate", False),
                  COL_TARGET: ("25  Moderate", False), COL_TREND: ("\u25bc Better", False),
                  COL_NEXT_REVIEW: ("\u26a0 30 Sep 2026", True), COL_STATUS: ("Escalated", False),
                  COL_FLAGS: ("For the board, above appetite", False)}
ICON_COLUMNS = (COL_INHERENT, COL_TARGET)


class RiskRegisterView(QWidget):
    statusMessage = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        #: The date overdue reviews are judged against; None means the real today (tests pin it).
        self.today: dt.date | None = None
        self._db = None
        self._register: RiskRegister | None = None
        self._load_problem = ""
        self._read_only = False
        self._heat_map = self._history_chart = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff3b0; color: #3d3000; border: 1px solid #e0c84a;"
                                  " border-radius: 3px; padding: 6px 10px; }")
        self.banner.hide()
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.add_button = QPushButton("&Add risk\u2026")
        self.reassess_button = QPushButton("&Re-assess\u2026")
        self.delete_button = QPushButton("Delete risk\u2026")
        self.filter_bar = RiskFilterBar()
        self.model = RiskTableModel(self)
        self.table = self._make_table()
        self.detail = RiskDetailPane()
        self.detail.setMinimumWidth(430)
        self._chart_slots = (QLabel("Heat map loading\u2026"), QLabel("Score history loading\u2026"))
        for slot in self._chart_slots:
            slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
            slot.setMinimumSize(280, 220)

        top = QHBoxLayout()
        heading = QLabel("Risk register")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.summary_label, 1)
        for button in (self.add_button, self.reassess_button, self.delete_button):
            top.addWidget(button)
        self.lower = QSplitter(Qt.Orientation.Horizontal)
        for widget in (*self._chart_slots, self.detail):
            self.lower.addWidget(widget)
        self.lower.setChildrenCollapsible(False)
        self.lower.setSizes([430, 470, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.lower)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([400, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        for widget in (self.banner,):
            layout.addWidget(widget)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

        self._make_actions()
        self.filter_bar.filterChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.table.activated.connect(lambda _index: self.detail.focus_first_field())
        self.detail.edited.connect(self._edit)
        self.detail.reassessRequested.connect(self.reassess_selected)
        self.detail.addMitigationRequested.connect(self.add_mitigation)
        self.detail.editMitigationRequested.connect(self.edit_mitigation)
        self.detail.deleteMitigationRequested.connect(self.delete_mitigation)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.detail,
                         context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.table.setFocus)
        self.set_database(db)

    # -- building -------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        bold = table.font()
        bold.setBold(True)
        plain_metrics, bold_metrics = table.fontMetrics(), QFontMetrics(bold)
        for col, (sample, is_bold) in COLUMN_SAMPLES.items():
            metrics = bold_metrics if is_bold else plain_metrics
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 16 + (22 if col in ICON_COLUMNS else 0))
        return table

    def _make_actions(self) -> None:
        def act(text, slot, shortcut, widget=None) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            (widget or self).addAction(action)
            return action

        self.find_act = act("&Find", self.focus_search, QKeySequence.StandardKey.Find)
        self.reassess_act = act("&Re-assess\u2026", self.reassess_selected, "Ctrl+U")
        self.add_act = act("&Add risk\u2026", self.add_risk, Qt.Key.Key_Insert, self.table)
        self.delete_act = act("&Delete risk\u2026", self.delete_selected, QKeySequence.StandardKey.Delete, self.table)
        self.add_mitigation_act = act("Add &mitigation\u2026", self.add_mitigation, "Ctrl+M")
        self.heat_map_act = act("&Heat map", lambda: self.heat_map.setFocus(Qt.FocusReason.ShortcutFocusReason),
                                "Ctrl+Shift+H")
        self.add_button.clicked.connect(self.add_risk)
        self.reassess_button.clicked.connect(self.reassess_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_button.setToolTip("Add a risk to the register (Insert)")
        self.reassess_button.setToolTip("Record a review of the selected risk (Ctrl+U)")

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().paintEvent(event)
        if self._heat_map is None:  # the table is on screen: now bring in matplotlib
            QTimer.singleShot(0, self._build_charts)

    def _build_charts(self) -> None:
        if self._heat_map is not None:
            return
        from send_desktop.ui.risk_charts import RiskHeatMap, RiskHistoryChart

        self._heat_map, self._history_chart = RiskHeatMap(), RiskHistoryChart()
        self._heat_map.cellClicked.connect(self._cell_clicked)
        sizes = self.lower.sizes()
        for index, (slot, chart) in enumerate(zip(self._chart_slots, (self._heat_map, self._history_chart))):
            self.lower.replaceWidget(index, chart)
            slot.deleteLater()
        self.lower.setSizes(sizes)
        self._update_heat_map()
        self._show_history()

    @property
    def heat_map(self):
        """The heat map (RiskHeatMap), built on first use."""
        self._build_charts()
        return self._heat_map

    @property
    def history_chart(self):
        self._build_charts()
        return self._history_chart

    # -- the interface the main window uses ---------------------------------------------------------

    @property
    def db(self):
        return self._db

    @property
    def register(self) -> RiskRegister | None:
        return self._register

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_database(self, db) -> None:
        self._db = db
        self._read_only = bool(db is not None and db.read_only)
        self.banner.setText("\u26a0  " + db.read_only_message() if self._read_only else "")
        self.banner.setVisible(self._read_only)
        self.detail.set_read_only(self._read_only)
        self.table.selectionModel().clearCurrentIndex()
        self.reload()

    def reload(self) -> None:
        """Re-read the register, keeping the selection, the filters and the scroll position."""
        current = self.current_risk()
        scroll = self.table.verticalScrollBar().value()
        self._register, self._load_problem = None, ""
        if self._db is not None:
            try:
                self._register = load_register(self._db, today=self.today)
            except UserError as exc:
                self._load_problem = exc.message
        if self._load_problem:
            self.banner.setText(f"\u26a0  {self._load_problem}")
            self.banner.show()
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_choices(self._register)
        self.filter_bar.blockSignals(False)
        self._apply_filter(self.filter_bar.current_filter(), keep=current.id if current else None)
        self.table.verticalScrollBar().setValue(scroll)
        self._update_summary()

    def show_records(self, filters: dict) -> None:
        """Show what another area points at: {"cell": (likelihood, impact)} filters the register
        to the risks standing in that heat-map cell; {"risk_uid": uid} selects one risk."""
        if self._register is None:
            self.reload()
        if filters.get("cell"):
            self.filter_bar.clear()
            self._cell_clicked(tuple(filters["cell"]))
        uid = filters.get("risk_uid")
        if uid and self._register is not None:
            found = next((r for r in self._register.risks if r.uid == uid), None)
            if found is not None:
                self.filter_bar.clear()
                self.select_risk(found.id)
        self.table.setFocus()

    def focus_search(self) -> None:
        self.filter_bar.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search_edit.selectAll()

    def current_risk(self) -> RiskRow | None:
        return self.model.risk(self.table.currentIndex())

    def select_risk(self, risk_id: int) -> bool:
        """Select a risk, clearing the filters if they hide it."""
        row = self.model.row_of(risk_id)
        if row < 0 and self.filter_bar.current_filter().is_active():
            self.filter_bar.clear()
            row = self.model.row_of(risk_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # -- filtering and showing ------------------------------------------------------------------------

    def _apply_filter(self, flt: RiskFilter, keep: int | None = None) -> None:
        current = self.current_risk()
        keep = keep if keep is not None else (current.id if current else None)
        reg = self._register
        self.model.set_rows(filter_risks(reg, flt) if reg else [], reg.matrix if reg else None)
        if keep is not None and self.model.row_of(keep) >= 0:
            self.select_risk(keep)
        elif self.model.rowCount():
            self.select_risk(self.model.risk(self.model.index(0, 0)).id)
        else:
            self._show_current()
        self.filter_bar.set_count(self.model.rowCount(), len(reg.risks) if reg else 0)
        self._update_heat_map()
        self._update_actions()

    def _update_heat_map(self) -> None:
        if self._heat_map is None or self._register is None:
            return
        flt = self.filter_bar.current_filter()
        self._heat_map.set_data(self._register.matrix, filter_risks(self._register, flt._replace(cell=None)),
                                flt.cell)

    def _cell_clicked(self, cell) -> None:
        m = self._register.matrix if self._register else None
        label = (f"L{cell[0]} \u00d7 I{cell[1]} = {cell[0] * cell[1]} ({m.band_of(*cell).name})"
                 if cell and m else "")
        self.filter_bar.set_cell(cell, label)

    def _show_current(self) -> None:
        self.detail.show_risk(self._register, self.current_risk())
        if self._load_problem and self._register is None:
            self.detail.empty.setText(self._load_problem)
        self._show_history()
        self._update_actions()

    def _show_history(self) -> None:
        if self._history_chart is not None and self._register is not None:
            self._history_chart.set_risk(self._register.matrix, self.current_risk(), self._register.today)

    def _update_summary(self) -> None:
        reg = self._register
        if reg is None:
            self.summary_label.setText("")
            return
        if not reg.risks:
            self.summary_label.setText("No risks on the register yet: press <b>Add risk\u2026</b> (Insert) or "
                                       "import a risk register workbook.")
            return
        live = [r for r in reg.risks if r.status != "closed"]
        board, overdue = sum(r.for_board for r in live), sum(r.review_overdue for r in live)
        parts = [f"{len(live)} live risk{'s' if len(live) != 1 else ''}",
                 f"<b style='color:#8a1c13'>{board} for the board</b>" if board else "none for the board",
                 f"{sum(r.above_appetite for r in live)} above appetite",
                 f"{overdue} review{'s' if overdue != 1 else ''} overdue"]
        worse = sum(r.trend == "up" for r in live)
        if worse:
            parts.append(f"{worse} worse since the last review")
        self.summary_label.setText(" \u00b7 ".join(parts))

    def _update_actions(self) -> None:
        editable = self._register is not None and not self._read_only
        selected = editable and self.current_risk() is not None
        for widget in (self.add_button, self.add_act):
            widget.setEnabled(editable)
        for widget in (self.reassess_button, self.reassess_act, self.delete_button, self.delete_act,
                       self.add_mitigation_act):
            widget.setEnabled(selected)

    # -- changes (risk_view_edits holds what each does) ----------------------------------------------

    def _edit(self, changes: dict) -> None:
        edits.edit_fields(self, changes)

    def reassess_selected(self):
        """Open the re-assess dialog for the selected risk (returned, or None when there is none)."""
        return edits.reassess(self)

    def add_risk(self):
        return edits.add_risk(self)

    def delete_selected(self) -> None:
        """Delete the selected risk after asking (no parameters: Qt's `triggered(checked)` must not
        be able to answer the question)."""
        edits.delete_selected(self)

    def add_mitigation(self):
        return edits.add_mitigation(self)

    def edit_mitigation(self, mitigation_id: int):
        return edits.edit_mitigation(self, mitigation_id)

    def delete_mitigation(self, mitigation_id: int) -> None:
        edits.delete_mitigation(self, mitigation_id)
