"""The grid for entering one period's values quickly, as officers do at each month's end.

Choose the period, then type values down the Value column: Enter moves to the next KPI, as in a
spreadsheet, and typing on a cell starts editing it. Each value is explained as it is typed (kept
as words, its number, or why it cannot be kept) and the whole period is saved in one transaction
with Ctrl+S; a value the database would refuse stops the save, is marked, and nothing is written.
The model holds the snapshot's rows and the edits not yet saved; it never touches the database.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from send_desktop.core import kpi_values as kv
from send_desktop.core.periods import ACADEMIC_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, YEAR, Period, PeriodError, \
    last_complete, parse_period
from send_desktop.services.kpi_read import KpiRow, KpiSnapshot

COLUMNS = ("Ref", "Measure", "Unit", "Previous", "Target", "Value", "Check")
COL_REF, COL_MEASURE, COL_UNIT, COL_PREVIOUS, COL_TARGET, COL_VALUE, COL_CHECK = range(len(COLUMNS))
PROBLEM = QColor("#a3261b")
MUTED = QColor("#6b6b6b")
EDITED = QColor("#fff6d6")
#: Which KPIs are offered for a kind of period unless "all KPIs" is ticked.
FREQUENCIES_FOR = {MONTH: ("monthly", "bi-monthly", "6-monthly"), QUARTER: ("quarterly",),
                   FINANCIAL_YEAR: ("annual",), ACADEMIC_YEAR: ("annual",), YEAR: ("annual",)}


class EntryModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[KpiRow] = []
        self._saved: dict[int, str] = {}       # kpi id -> the period's value as saved
        self.period: Period | None = None
        self.edits: dict[int, str] = {}        # kpi id -> text typed, not yet saved
        self.refused: dict[int, str] = {}      # kpi id -> why the database refused it at the last save
        self.read_only = False

    def set_rows(self, rows: list[KpiRow], period: Period | None) -> None:
        self.beginResetModel()
        self._rows, self.period = rows, period
        self._saved = {k.id: self.saved_text(k) for k in rows}
        self.edits = {k: v for k, v in self.edits.items() if k in self._saved}
        self.refused = {}
        self.endResetModel()

    def kpi(self, row: int) -> KpiRow:
        return self._rows[row]

    def row_of(self, kpi_id: int) -> int:
        return next((i for i, k in enumerate(self._rows) if k.id == kpi_id), -1)

    def saved_text(self, k: KpiRow) -> str:
        point = k.value_for(self.period.text) if self.period else None
        return point.text if point else ""

    def text(self, k: KpiRow) -> str:
        return self.edits.get(k.id, self.saved_text(k))

    def pending(self) -> dict[int, str]:
        """Edits that differ from what is saved."""
        return {kid: text for kid, text in self.edits.items() if kv.clean_text(text) != self._saved.get(kid, "")}

    def problem(self, k: KpiRow) -> str | None:
        if k.id in self.refused:
            return self.refused[k.id]
        return kv.value_problem(kv.parse_value(self.text(k)), k.unit)

    def problems(self) -> list[tuple[KpiRow, str]]:
        return [(k, p) for k in self._rows if k.id in self.edits and (p := self.problem(k))]

    def _previous(self, k: KpiRow) -> str:
        if self.period is None:
            return ""
        earlier = [p for p in k.values if p.end and p.end < self.period.end]
        return f"{earlier[-1].text} ({earlier[-1].label})" if earlier else ""

    def _target(self, k: KpiRow) -> str:
        if self.period is None:
            return ""
        target = k.target_for(self.period.text)
        return target.text if target else ""

    def _check(self, k: KpiRow) -> str:
        problem = self.problem(k)
        return problem if problem else kv.value_note(kv.parse_value(self.text(k)), k.unit)

    # -- Qt's interface ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt name
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole \
                or not 0 <= section < len(COLUMNS):
            return None
        if section == COL_VALUE and self.period is not None:
            return f"Value for {self.period.label}"
        return COLUMNS[section]

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_VALUE and self.period is not None and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        k, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (k.ref, " ".join(k.measure.split()), k.unit, self._previous(k), self._target(k), self.text(k),
                    self._check(k))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_MEASURE:
                return k.measure
            if col == COL_CHECK:
                return self._check(k) or None
            if col == COL_VALUE:
                return "Type the value as the board should read it: 84.7%, 1,322, 12 weeks, tbc\u2026"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_CHECK:
                return QBrush(PROBLEM if self.problem(k) else MUTED)
            if col in (COL_PREVIOUS, COL_TARGET):
                return QBrush(MUTED)
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_VALUE:
            if self.problem(k):
                return QBrush(QColor("#fbe3e0"))
            if k.id in self.edits and kv.clean_text(self.edits[k.id]) != self._saved.get(k.id, ""):
                return QBrush(EDITED)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_VALUE:
            check = self._check(k)
            return f"{k.ref} value: {self.text(k) or 'blank'}" + (f". {check}" if check else "")
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt name
        if not index.isValid() or index.column() != COL_VALUE or role != Qt.ItemDataRole.EditRole \
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        k = self._rows[index.row()]
        self.edits[k.id] = kv.clean_text(value)
        self.refused.pop(k.id, None)
        row = index.row()
        self.dataChanged.emit(self.index(row, COL_VALUE), self.index(row, COL_CHECK))
        return True

    def mark_refused(self, problems) -> None:
        self.refused = {p.kpi_id: p.message for p in problems}
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_VALUE), self.index(len(self._rows) - 1, COL_CHECK))


class EntryTable(QTableView):
    """A table where Enter moves down a column, in and out of editing, as in a spreadsheet."""

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt name
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in the editor
            self._move_down()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self._move_down()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentIndex().isValid() \
                and self.state() != QAbstractItemView.State.EditingState:
            self.model().setData(self.currentIndex().siblingAtColumn(COL_VALUE), "")
            return
        super().keyPressEvent(event)

    def _move_down(self) -> None:
        index = self.currentIndex()
        if index.isValid() and index.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(index.sibling(index.row() + 1, COL_VALUE))


class KpiEntryGrid(QWidget):
    """Choose a period, type values, save them together. `saveRequested` carries {kpi id: text}."""

    saveRequested = Signal(str, object)  # period text, {kpi id: text} (object: Qt would make the keys strings)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._snapshot: KpiSnapshot | None = None
        self.today: dt.date | None = None
        self.model = EntryModel(self)
        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        self.period_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.period_box.setMinimumContentsLength(14)
        self.period_box.lineEdit().setPlaceholderText("Jun 2025, Q3 2025/26\u2026")
        self.period_box.setToolTip("The period to enter values for: choose one, or type a month (2025-06), a quarter "
                                   "(Q3 2025/26), a financial year (2025/26), an academic year (AY 2024/25) or a year")
        label = QLabel("&Period:")
        label.setBuddy(self.period_box)
        self.all_box = QCheckBox("Show &all KPIs")
        self.all_box.setToolTip("Show every KPI, not only those reported for this kind of period")
        self.save_button = QPushButton("&Save values")
        self.save_button.setToolTip("Save this period's values together (Ctrl+S)")
        self.discard_button = QPushButton("&Discard changes")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.table = EntryTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_MEASURE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_REF, 70), (COL_UNIT, 55), (COL_PREVIOUS, 150), (COL_TARGET, 110), (COL_VALUE, 140),
                           (COL_CHECK, 300)):
            header.resizeSection(col, width)

        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.period_box)
        bar.addWidget(self.all_box)
        bar.addStretch(1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.period_box.activated.connect(lambda _i: self._choose_period())
        self.period_box.lineEdit().returnPressed.connect(self._choose_period)
        self.all_box.toggled.connect(lambda _on: self._refill())
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.model.dataChanged.connect(lambda *_: self._update_state())
        save = QShortcut(QKeySequence.StandardKey.Save, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        self._update_state()

    # -- what the view calls ----------------------------------------------------------------------

    def set_snapshot(self, snap: KpiSnapshot | None, read_only: bool = False) -> None:
        """New rows from the database; the chosen period and unsaved edits stay."""
        self._snapshot = snap
        self.model.read_only = read_only
        current = self.model.period
        self._fill_periods(current)
        self._refill()

    def set_period(self, text: str) -> bool:
        """Choose a period by any written form; False (with the reason shown) when it is not one."""
        try:
            period = parse_period(text)
        except PeriodError as exc:
            self.message.setText(exc.message)
            self.message.setStyleSheet("color: #a3261b;")
            return False
        if self.model.pending() and self.model.period is not None and period != self.model.period:
            self.message.setText(f"Save or discard the values typed for {self.model.period.label} first.")
            self.message.setStyleSheet("color: #a3261b;")
            self.period_box.setEditText(self.model.period.label)
            return False
        self.model.edits = {} if period != self.model.period else self.model.edits
        self.model.period = period
        self._fill_periods(period)
        self._refill()
        return True

    def discard(self) -> None:
        self.model.edits = {}
        self._refill()

    def save(self) -> None:
        if self.model.period is None:
            return
        problems = self.model.problems()
        if problems:
            k, problem = problems[0]
            self.message.setText(f"Not saved: KPI {k.ref}: {problem}")
            self.message.setStyleSheet("color: #a3261b;")
            self.table.setCurrentIndex(self.model.index(self.model.row_of(k.id), COL_VALUE))
            return
        pending = self.model.pending()
        if pending:
            self.saveRequested.emit(self.model.period.text, pending)

    def saved(self) -> None:
        """The view saved the edits: forget them (the new snapshot shows the values)."""
        self.model.edits = {}

    def refused(self, problems) -> None:
        self.model.mark_refused(problems)
        self._update_state()

    def focus_grid(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        current = self.table.currentIndex()
        if self.model.rowCount() and (not current.isValid() or current.column() != COL_VALUE):
            self.table.setCurrentIndex(self.model.index(max(0, current.row()), COL_VALUE))

    # -- internals --------------------------------------------------------------------------------

    def _choose_period(self) -> None:
        data = self.period_box.currentData()
        text = self.period_box.currentText()
        if data and self.period_box.itemText(self.period_box.currentIndex()) == text:
            self.set_period(data)
        else:
            self.set_period(text)

    def _fill_periods(self, current: Period | None) -> None:
        """Offer the periods due next (the latest ended month, quarter and years) and those with values."""
        today = self.today or dt.date.today()
        offered = [last_complete(kind, today) for kind in (MONTH, QUARTER, FINANCIAL_YEAR, ACADEMIC_YEAR, YEAR)]
        if self._snapshot:
            offered += [parse_period(p) for p in reversed(self._snapshot.periods)]
        if current is not None:
            offered.insert(0, current)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        seen = set()
        for p in offered:
            if p.text not in seen:
                seen.add(p.text)
                self.period_box.addItem(p.label, p.text)
        if current is None:
            self.period_box.setCurrentIndex(-1)
            self.period_box.setEditText("")
        else:
            self.period_box.setCurrentIndex(0)
        self.period_box.blockSignals(False)

    def _refill(self) -> None:
        period = self.model.period
        rows = list(self._snapshot.kpis) if self._snapshot else []
        if period is not None and not self.all_box.isChecked():
            fits = FREQUENCIES_FOR[period.kind]
            rows = [k for k in rows if k.frequency in fits or any(parse_period(v.period).kind == period.kind
                                                                  for v in k.values[-3:])]
        self.model.set_rows(rows, period)
        self._update_state()

    def _update_state(self) -> None:
        pending, problems = self.model.pending(), self.model.problems()
        editable = not self.model.read_only and self.model.period is not None
        self.save_button.setEnabled(editable and bool(pending) and not problems)
        self.discard_button.setEnabled(bool(self.model.edits))
        self.all_box.setEnabled(self.model.period is not None)
        if self.model.read_only:
            text, colour = "This file is read-only, so values cannot be entered.", "#6b6b6b"
        elif self.model.period is None:
            text, colour = "Choose or type a period, then type values down the Value column (Enter moves down).", \
                "#6b6b6b"
        elif problems:
            k, problem = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            text, colour = f"KPI {k.ref}: {problem}{more}", "#a3261b"
        elif pending:
            text = f"{len(pending)} value{'s' if len(pending) != 1 else ''} typed for {self.model.period.label}, " \
                   "not saved yet: Ctrl+S saves them together."
            colour = "#6b4e00"
        else:
            text, colour = f"{self.model.rowCount()} KPIs for {self.model.period.label}. Type a value and press " \
                           "Enter to move down; Ctrl+S saves.", "#6b6b6b"
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colour};")

