"""Table views shared by the workspace and the tracker: fixed row heights, choices edited in
place with a drop-down, and the attendance list with one-key marks."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QStyledItemDelegate,
    QTableView, QVBoxLayout, QWidget,
)

from send_desktop.services.meeting_read import ATTENDANCE_KINDS, AttendanceRow
from send_desktop.ui.meeting_capture import NameEdit
from send_desktop.ui.meeting_models import AttendanceModel


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of fixed choices (stored values, shown capitalised) for one column."""

    def __init__(self, choices: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt name
        combo = QComboBox(parent)
        combo.addItems([c.capitalize() for c in self.choices])
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        text = (index.data() or "").casefold()
        editor.setCurrentIndex(max(0, self.choices.index(text)) if text in self.choices else 0)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        value = self.choices[editor.currentIndex()]
        if value != (index.data() or "").casefold():
            model.setData(index, value)


def make_table(model, name: str, stretch: int, widths: dict[int, int], view: QTableView | None = None) -> QTableView:
    """A view (a new QTableView, or `view`) over a RowTableModel: whole rows selected, one line
    a row, a stretching column, sortable by header (the model sorts its list)."""
    view = view if view is not None else QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
    view.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else in the window
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    # No sort until a heading is clicked: the rows keep the order the query gave them.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    for column, width in widths.items():
        view.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def splitter(orientation, first: QWidget, second: QWidget, sizes: list[int]) -> QSplitter:
    """Two panes, the second taking the spare room, neither collapsible to nothing."""
    split = QSplitter(orientation)
    split.addWidget(first)
    split.addWidget(second)
    split.setStretchFactor(1, 1)
    split.setSizes(sizes)
    split.setChildrenCollapsible(False)
    return split


def current_row(view: QTableView):
    return view.model().row_at(view.currentIndex())


def select_id(view: QTableView, row_id: int | None) -> None:
    row = view.model().row_of_id(row_id) if row_id is not None else -1
    if row >= 0:
        view.setCurrentIndex(view.model().index(row, 0))
        view.scrollTo(view.model().index(row, 0))


#: One key marks the highlighted person (shown in the tab's hint).
MARK_KEYS = {Qt.Key.Key_P: "present", Qt.Key.Key_A: "apologies", Qt.Key.Key_I: "in attendance"}


class AttendanceTable(QTableView):
    marked = Signal(int, str)      # attendance id, kind
    deputyFor = Signal(str)        # D: someone is deputising for the highlighted person
    removed = Signal(int)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        row = current_row(self)
        if row is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if event.key() in MARK_KEYS:
                self.marked.emit(row.id, MARK_KEYS[event.key()])
                return
            if event.key() == Qt.Key.Key_D:
                self.deputyFor.emit(row.name)
                return
            if event.key() == Qt.Key.Key_Delete:
                self.removed.emit(row.id)
                return
        super().keyPressEvent(event)


class AttendancePanel(QWidget):
    """Who came, who sent apologies and who deputised; the add row below the list."""

    added = Signal(str, str, str)  # name, kind, deputising for

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = AttendanceModel(self)
        self.table = make_table(self.model, "Attendance", 2, {0: 200, 1: 280, 2: 300, 3: 120, 4: 200},
                                AttendanceTable())
        self.table.setItemDelegateForColumn(3, ChoiceDelegate(ATTENDANCE_KINDS, self.table))
        self.summary = QLabel()
        self.name, self.kind, self.deputy_for = NameEdit(), QComboBox(), NameEdit()
        self.name.setPlaceholderText("Name")
        self.kind.addItems([k.capitalize() for k in ATTENDANCE_KINDS])
        self.deputy_for.setPlaceholderText("Deputising for (if deputising)")
        add = QPushButton("&Add")
        caption = QLabel("Add some&one:")
        caption.setBuddy(self.name)
        row = QHBoxLayout()
        for widget, stretch in ((caption, 0), (self.name, 2), (self.kind, 0), (self.deputy_for, 2), (add, 0)):
            row.addWidget(widget, stretch)
        hint = QLabel("Keys on a highlighted person: P present \u00b7 A apologies \u00b7 I in attendance \u00b7 "
                      "D a deputy for them \u00b7 Delete remove \u00b7 F2 choose")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(hint)
        add.clicked.connect(self._add)
        self.name.returnPressed.connect(self._add)
        self.deputy_for.returnPressed.connect(self._add)
        self.table.deputyFor.connect(self.start_deputy)

    def set_names(self, names: list[str]) -> None:
        self.name.set_names(names)
        self.deputy_for.set_names(names)

    def set_rows(self, rows: list[AttendanceRow]) -> None:
        current = current_row(self.table)
        self.model.set_rows(rows)
        select_id(self.table, current.id if current else None)
        counts = {k: sum(r.kind == k for r in rows) for k in ATTENDANCE_KINDS}
        self.summary.setText(f"{counts['present']} present \u00b7 {counts['apologies']} apologies \u00b7 "
                             f"{counts['deputising']} deputising \u00b7 {counts['in attendance']} in attendance")

    def start_deputy(self, absent: str) -> None:
        self.kind.setCurrentIndex(ATTENDANCE_KINDS.index("deputising"))
        self.deputy_for.setText(absent)
        self.name.clear()
        self.name.setFocus()

    def _add(self) -> None:
        if self.name.popup_open() or self.deputy_for.popup_open():
            return
        name = " ".join(self.name.text().split())
        if name:
            QTimer.singleShot(0, lambda: self.added.emit(name, ATTENDANCE_KINDS[self.kind.currentIndex()],
                                                         self.deputy_for.text()))

    def clear_add_row(self) -> None:
        self.name.clear()
        self.deputy_for.clear()
        self.kind.setCurrentIndex(0)
