"""The bar above the register: search, category / owner / band / linked priority choices,
"Overdue review" and "For the board" checks, the heat-map cell being shown, and a count."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from send_desktop.services.risk_read import NO_CATEGORY, RiskFilter, RiskRegister
from send_desktop.ui.plan_filter_bar import _refill


class RiskFilterBar(QWidget):
    filterChanged = Signal(object)  # RiskFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cell: tuple[int, int] | None = None
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search refs, risks, causes, owners, mitigations (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.category_combo = QComboBox()
        self.category_combo.setToolTip("Show only risks of this category")
        self.owner_combo = QComboBox()
        self.owner_combo.setToolTip("Show only risks this person owns")
        self.band_combo = QComboBox()
        self.band_combo.setToolTip("Show only risks whose current score is in this band")
        self.priority_combo = QComboBox()
        self.priority_combo.setToolTip("Show only risks linked to this priority of the plan")
        for combo in (self.category_combo, self.owner_combo, self.priority_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.overdue_check = QCheckBox("&Overdue review")
        self.overdue_check.setToolTip("Next review date has passed (closed risks are never overdue)")
        self.board_check = QCheckBox("For the &board")
        self.board_check.setToolTip("Escalated, or scoring at or above the escalation threshold")
        self.closed_check = QCheckBox("Show c&losed")
        self.closed_check.setChecked(True)
        self.cell_button = QPushButton()
        self.cell_button.setToolTip("Showing one cell of the heat map; press to show every cell again")
        self.cell_button.hide()
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(90)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        for widget in (self.category_combo, self.owner_combo, self.band_combo, self.priority_combo):
            layout.addWidget(widget, 1)
        for widget in (self.overdue_check, self.board_check, self.closed_check, self.cell_button, self.clear_button):
            layout.addWidget(widget)
        layout.addStretch(0)
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._changed)
        for combo in (self.category_combo, self.owner_combo, self.band_combo, self.priority_combo):
            combo.currentIndexChanged.connect(self._changed)
        for check in (self.overdue_check, self.board_check, self.closed_check):
            check.toggled.connect(self._changed)
        self.cell_button.clicked.connect(lambda: self.set_cell(None))
        self.clear_button.clicked.connect(self.clear)
        self.set_choices(None)

    def set_choices(self, register: RiskRegister | None) -> None:
        """Offer this register's categories, owners, bands and the plan's priorities, keeping choices."""
        categories = [("All categories", None, None)]
        owners = [("All owners", "", None)]
        bands = [("All bands", "", None)]
        priorities = [("All priorities", None, None)]
        if register is not None:
            categories += [(c.name, c.id, None) for c in register.categories]
            categories.append(("(No category)", NO_CATEGORY, None))
            owners += [(n, n, None) for n in register.owners()]
            bands += [(b.name, b.name, b.colour) for b in register.matrix.bands]
            priorities += [(f"Priority {p.ref}", p.id, None) for p in register.priorities]
        before = self.current_filter()
        for combo, items in ((self.category_combo, categories), (self.owner_combo, owners),
                             (self.band_combo, bands), (self.priority_combo, priorities)):
            _refill(combo, items, combo.currentText())
        if self.current_filter() != before:
            self._changed()

    def current_filter(self) -> RiskFilter:
        return RiskFilter(text=self.search_edit.text(), category_id=self.category_combo.currentData(),
                          owner=self.owner_combo.currentData() or "", band=self.band_combo.currentData() or "",
                          overdue_only=self.overdue_check.isChecked(), for_board_only=self.board_check.isChecked(),
                          priority_id=self.priority_combo.currentData(), cell=self._cell,
                          show_closed=self.closed_check.isChecked())

    def set_cell(self, cell: tuple[int, int] | None, label: str = "") -> None:
        """Show only the risks in one heat-map cell (None: every cell)."""
        self._cell = cell
        self.cell_button.setText(f"{label or 'Cell'}  \u2715")
        self.cell_button.setVisible(cell is not None)
        self._changed()

    def set_count(self, shown: int, total: int) -> None:
        self.count_label.setText(f"{shown} of {total} risks")

    def clear(self) -> None:
        widgets = (self.search_edit, self.category_combo, self.owner_combo, self.band_combo, self.priority_combo,
                   self.overdue_check, self.board_check, self.closed_check)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in widgets[1:5]:
            combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        self.board_check.setChecked(False)
        self.closed_check.setChecked(True)
        for widget in widgets:
            widget.blockSignals(False)
        self._cell = None
        self.cell_button.hide()
        self._changed()

    def _changed(self, *_args) -> None:
        flt = self.current_filter()
        self.clear_button.setEnabled(flt.is_active())
        self.filterChanged.emit(flt)
